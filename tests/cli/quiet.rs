//! Quiet hours: `run --now` at chosen instants, a files target, and what `history` says. Messages
//! due inside a reader's window (read in the reader's zone) wait until it ends, or are skipped past
//! `quiet_max_age`; a retry whose backoff lands inside the window waits for its end too.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::repo_file;

const DHAKA: &str = "+8801711000001";
const LONDON: &str = "+447911123456";
/// One reader in Dhaka, one in London.
const TWO: &str =
    "address,locale,tz\n01711-000001,en,Asia/Dhaka\n+44 7911 123456,en,Europe/London\n";

/// A configuration folder: one English wire story (dated `dateline`, Dhaka time), a subscribers
/// CSV, a files target named `gateway`, and one SMS bulletin at `schedule` in `zone` with `extra`
/// keys (quiet hours).
struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new(schedule: &str, zone: &str, extra: &str, subscribers: &str, dateline: &str) -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let wire = dir.path().join("wire");
        std::fs::create_dir_all(&wire).unwrap();
        let story = std::fs::read_to_string(repo_file("samples/en-flood-sylhet.txt")).unwrap();
        let story = story.replace("1347 HRS, APR 23, 2025", dateline);
        std::fs::write(wire.join("flood.txt"), story).unwrap();
        std::fs::write(dir.path().join("subscribers.csv"), subscribers).unwrap();
        let setup = Setup { dir };
        setup.write_config(schedule, zone, extra, "kind = \"files\"\ndir = \"spool\"");
        setup
    }

    /// Writes the configuration, with `target` as the keys of the target `gateway`.
    fn write_config(&self, schedule: &str, zone: &str, extra: &str, target: &str) {
        let config = format!(
            r#"state = "state.db"

[[source]]
name = "desk"
path = "wire"
country = "BD"

[[target]]
name = "gateway"
{target}

[[bulletin]]
name = "night"
channel = "sms"
sources = ["desk"]
schedule = "{schedule}"
zone = "{zone}"
since = "48h"
subscribers = "subscribers.csv"
target = "gateway"
any_language = true
{extra}
"#
        );
        std::fs::write(self.config(), config).unwrap();
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("newsdigest.toml")
    }

    fn run(&self, args: &[&str]) -> crate::Run {
        let output = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
            .args(args)
            .arg("--config")
            .arg(self.config())
            .current_dir("/")
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        crate::Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }

    /// `run --now NOW`, which must succeed quietly.
    fn run_at(&self, now: &str) {
        let run = self.run(&["run", "--now", now]);
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (0, ""),
            "{now}: {}",
            run.stderr
        );
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        let run = self.run(args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        serde_json::from_str(&run.stdout).expect("JSON")
    }

    /// The messages written so far, as `slot/address`.
    fn delivered(&self) -> Vec<String> {
        let spool = self.dir.path().join("spool/night");
        let mut found: Vec<String> = walk(&spool)
            .iter()
            .map(|file| {
                let relative = file.strip_prefix(&spool).unwrap().display().to_string();
                relative.trim_end_matches(".txt").to_string()
            })
            .collect();
        found.sort();
        found
    }

    /// Each message's (address, status, sent_at, last_error), from `history --format json --full`.
    fn history(&self) -> Vec<(String, String, Option<String>, Option<String>)> {
        let history = self.json(&["history", "--format", "json", "--full"]);
        let text = |value: &serde_json::Value| value.as_str().map(str::to_string);
        let mut rows: Vec<_> = history
            .as_array()
            .unwrap()
            .iter()
            .map(|row| {
                (
                    text(&row["address"]).unwrap(),
                    text(&row["status"]).unwrap(),
                    text(&row["sent_at"]),
                    text(&row["last_error"]),
                )
            })
            .collect();
        rows.sort();
        rows
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|entry| match entry.path() {
            path if path.is_dir() => walk(&path),
            path => vec![path],
        })
        .collect()
}

fn row(
    address: &str,
    status: &str,
    sent_at: Option<&str>,
    last_error: Option<&str>,
) -> (String, String, Option<String>, Option<String>) {
    (
        address.to_string(),
        status.to_string(),
        sent_at.map(str::to_string),
        last_error.map(str::to_string),
    )
}

/// Issue 18's test: a bulletin due at 23:00 Dhaka reaches the Dhaka reader at 07:00 Dhaka, the
/// London reader (18:00 BST) at once.
#[test]
fn a_bulletin_due_at_2300_dhaka_waits_until_0700_for_dhaka_and_goes_at_once_to_london() {
    let setup = Setup::new(
        "0 23 * * *",
        "Asia/Dhaka",
        "quiet = \"22:00-07:00\"",
        TWO,
        "1347 HRS, APR 23, 2025",
    );
    // 23:00 Dhaka is 17:00 UTC.
    setup.run_at("2025-04-23T17:00:00Z");
    assert_eq!(setup.delivered(), [format!("2025-04-23T1700Z/{LONDON}")]);
    assert_eq!(
        setup.history(),
        [
            row(LONDON, "sent", Some("2025-04-23T17:00:00Z"), None),
            row(DHAKA, "pending", None, None),
        ]
    );
    let status = setup.json(&["status", "--format", "json"]);
    assert_eq!(status["bulletins"][0]["pending"], 1, "{status}");
    // 06:59 Dhaka: still quiet.
    setup.run_at("2025-04-24T00:59:00Z");
    assert_eq!(setup.delivered().len(), 1);
    // 07:00 Dhaka.
    setup.run_at("2025-04-24T01:00:00Z");
    assert_eq!(
        setup.delivered(),
        [
            format!("2025-04-23T1700Z/{LONDON}"),
            format!("2025-04-23T1700Z/{DHAKA}"),
        ]
    );
    assert_eq!(
        setup.history(),
        [
            row(LONDON, "sent", Some("2025-04-23T17:00:00Z"), None),
            row(DHAKA, "sent", Some("2025-04-24T01:00:00Z"), None),
        ]
    );
}

/// A window within a day (13:00-14:00), a reader with their own window and one with none.
#[test]
fn a_window_within_a_day_and_each_readers_own_setting() {
    let readers = "address,locale,tz,quiet\n\
                   01711-000001,en,Asia/Dhaka,\n\
                   01711-000002,en,Asia/Dhaka,none\n\
                   01711-000003,en,Asia/Dhaka,12:00-13:45\n\
                   +44 7911 123456,en,Europe/London,\n";
    let setup = Setup::new(
        "30 13 * * *",
        "Asia/Dhaka",
        "quiet = \"13:00-14:00\"",
        readers,
        "1047 HRS, APR 23, 2025",
    );
    // 13:30 Dhaka is 07:30 UTC, 08:30 in London.
    setup.run_at("2025-04-23T07:30:00Z");
    let slot = "2025-04-23T0730Z";
    assert_eq!(
        setup.delivered(),
        [format!("{slot}/{LONDON}"), format!("{slot}/+8801711000002")]
    );
    // 13:45 Dhaka: the reader whose own window ends then.
    setup.run_at("2025-04-23T07:45:00Z");
    assert_eq!(setup.delivered().len(), 3);
    assert!(
        setup
            .delivered()
            .contains(&format!("{slot}/+8801711000003"))
    );
    // 14:00 Dhaka: the bulletin's window ends.
    setup.run_at("2025-04-23T08:00:00Z");
    assert_eq!(
        setup.history(),
        [
            row(LONDON, "sent", Some("2025-04-23T07:30:00Z"), None),
            row(DHAKA, "sent", Some("2025-04-23T08:00:00Z"), None),
            row("+8801711000002", "sent", Some("2025-04-23T07:30:00Z"), None),
            row("+8801711000003", "sent", Some("2025-04-23T07:45:00Z"), None),
        ]
    );
}

/// Past `quiet_max_age` (8 hours of quiet from a 23:00 slot, 6 allowed) the message is skipped,
/// with a reason `status` and `history` show.
#[test]
fn a_message_older_than_quiet_max_age_at_the_windows_end_is_skipped() {
    let setup = Setup::new(
        "0 23 * * *",
        "Asia/Dhaka",
        "quiet = \"22:00-07:00\"\nquiet_max_age = \"6h\"",
        TWO,
        "1347 HRS, APR 23, 2025",
    );
    setup.run_at("2025-04-23T17:00:00Z");
    setup.run_at("2025-04-24T01:00:00Z");
    assert_eq!(setup.delivered(), [format!("2025-04-23T1700Z/{LONDON}")]);
    let reason =
        "quiet hours 22:00-07:00 (Asia/Dhaka) end at 2025-04-24 07:00 +06, past quiet_max_age 6h";
    assert_eq!(
        setup.history(),
        [
            row(LONDON, "sent", Some("2025-04-23T17:00:00Z"), None),
            row(DHAKA, "skipped", None, Some(reason)),
        ]
    );
    let status = setup.json(&["status", "--format", "json"]);
    let bulletin = &status["bulletins"][0];
    assert_eq!(
        (&bulletin["skipped"], &bulletin["opted_out"]),
        (&1.into(), &0.into()),
        "{status}"
    );
}

/// London's spring-forward night (2025-03-30): a window ending at 01:30, which does not exist
/// that day, ends at 02:00 BST (01:00 UTC), the first instant after the gap.
#[test]
fn an_end_in_the_spring_forward_gap_is_the_first_instant_after_it() {
    let setup = Setup::new(
        "30 0 * * *",
        "Europe/London",
        "quiet = \"00:00-01:30\"",
        "address,locale,tz\n+44 7911 123456,en,Europe/London\n",
        "1347 HRS, MAR 29, 2025",
    );
    // 00:30 GMT.
    setup.run_at("2025-03-30T00:30:00Z");
    setup.run_at("2025-03-30T00:59:59Z");
    assert!(setup.delivered().is_empty());
    setup.run_at("2025-03-30T01:00:00Z");
    assert_eq!(
        setup.history(),
        [row(LONDON, "sent", Some("2025-03-30T01:00:00Z"), None)]
    );
}

/// A gateway that is down at 21:50 Dhaka: the retry 30 minutes later would be at 22:20, inside the
/// quiet hours, so it waits until 07:00.
#[test]
fn a_retry_that_would_land_in_quiet_hours_waits_for_their_end() {
    let extra = "quiet = \"22:00-07:00\"\nretry_after = \"30m\"";
    let readers = "address,locale,tz\n01711-000001,en,Asia/Dhaka\n";
    let setup = Setup::new(
        "50 21 * * *",
        "Asia/Dhaka",
        extra,
        readers,
        "1347 HRS, APR 23, 2025",
    );
    let down = "kind = \"webhook\"\nurl = \"http://127.0.0.1:1/\"\ntimeout = 2";
    setup.write_config("50 21 * * *", "Asia/Dhaka", extra, down);
    // 21:50 Dhaka is 15:50 UTC: the gateway refuses the connection.
    let first = setup.run(&["run", "--now", "2025-04-23T15:50:00Z"]);
    assert_eq!(first.code, 75, "{}", first.stderr);
    // 22:20 and 06:59 Dhaka: not tried (still one attempt), though it is still down.
    setup.run_at("2025-04-23T16:20:00Z");
    setup.run_at("2025-04-24T00:59:00Z");
    let history = setup.json(&["history", "--format", "json"]);
    assert_eq!(history[0]["status"], "pending", "{history}");
    assert_eq!(history[0]["attempts"], 1, "{history}");
    // The gateway is back; at 07:00 Dhaka the message goes.
    let up = "kind = \"files\"\ndir = \"spool\"";
    setup.write_config("50 21 * * *", "Asia/Dhaka", extra, up);
    setup.run_at("2025-04-24T01:00:00Z");
    assert_eq!(setup.delivered(), [format!("2025-04-23T1550Z/{DHAKA}")]);
    let history = setup.json(&["history", "--format", "json", "--full"]);
    assert_eq!(history[0]["status"], "sent", "{history}");
    assert_eq!(history[0]["attempts"], 2, "{history}");
    assert_eq!(history[0]["sent_at"], "2025-04-24T01:00:00Z", "{history}");
}

/// `newsdigest retry` makes a held message due at once, but the run that claims it inside the
/// reader's quiet hours puts it back, untried, until they end.
#[test]
fn a_message_made_due_by_retry_inside_quiet_hours_still_waits_untried() {
    let setup = Setup::new(
        "0 23 * * *",
        "Asia/Dhaka",
        "quiet = \"22:00-07:00\"",
        TWO,
        "1347 HRS, APR 23, 2025",
    );
    setup.run_at("2025-04-23T17:00:00Z");
    let retried = setup.run(&["retry", "--now", "2025-04-23T17:30:00Z"]);
    assert_eq!(retried.code, 0, "{}", retried.stderr);
    // 23:30 Dhaka: due by `retry`, but quiet.
    setup.run_at("2025-04-23T17:30:00Z");
    assert_eq!(setup.delivered(), [format!("2025-04-23T1700Z/{LONDON}")]);
    let history = setup.json(&["history", "--format", "json", "--full"]);
    let dhaka = history
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["address"] == DHAKA)
        .unwrap();
    assert_eq!(
        (&dhaka["status"], &dhaka["attempts"]),
        (&"pending".into(), &0.into()),
        "{dhaka}"
    );
    setup.run_at("2025-04-24T01:00:00Z");
    assert_eq!(setup.delivered().len(), 2);
}
