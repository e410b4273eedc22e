//! `newsdigest run`: due slots from a configuration, the files target, the lock, DST, dry runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::repo_file;

/// A configuration folder: a copy of the samples as the wire folder, a subscribers CSV, a files
/// target, and one SMS bulletin at `schedule` in `zone`.
struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new(schedule: &str, zone: &str, subscribers: &str) -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let wire = dir.path().join("wire");
        std::fs::create_dir_all(&wire).unwrap();
        for sample in ["en-flood-sylhet.txt", "bn-dhaka-rain.txt"] {
            std::fs::copy(repo_file(&format!("samples/{sample}")), wire.join(sample)).unwrap();
        }
        std::fs::write(dir.path().join("subscribers.csv"), subscribers).unwrap();
        let config = format!(
            r#"state = "state.db"

[[source]]
name = "desk"
path = "wire"
country = "BD"

[[target]]
name = "spool"
kind = "files"
dir = "spool"

[[bulletin]]
name = "morning"
channel = "sms"
sources = ["desk"]
schedule = "{schedule}"
zone = "{zone}"
stories = 3
max_segments = 2
since = "48h"
subscribers = "subscribers.csv"
target = "spool"
any_language = true
"#
        );
        std::fs::write(dir.path().join("newsdigest.toml"), config).unwrap();
        Setup { dir }
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("newsdigest.toml")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_newsdigest"));
        // As cron runs it: another working directory, an almost empty environment.
        command
            .args(args)
            .arg("--config")
            .arg(self.config())
            .current_dir("/")
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .stdin(Stdio::null());
        command
    }

    fn run(&self, args: &[&str]) -> crate::Run {
        let output = self.command(args).output().unwrap();
        crate::Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        let run = self.run(args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        serde_json::from_str(&run.stdout).expect("JSON")
    }

    fn spool(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = walk(&self.dir.path().join("spool"));
        files.sort();
        files
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                walk(&path)
            } else {
                vec![path]
            }
        })
        .collect()
}

const THREE: &str = "address,locale,tz,name\n01711-000001,bn,Asia/Dhaka,Rahim\n01811-000002,en,Asia/Dhaka,\n+44 7911 123456,en,Europe/London,Nadia\n";

#[test]
fn a_due_slot_is_sent_once_to_every_subscriber_and_quietly() {
    let setup = Setup::new("0 7 * * *", "Asia/Dhaka", THREE);
    // 07:00 in Dhaka is 01:00 UTC; the samples are dated 2025-04-23.
    let first = setup.run(&["run", "--now", "2025-04-23T09:00:00Z"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(first.stdout, "", "quiet on success");
    let files = setup.spool();
    let names: Vec<String> = files
        .iter()
        .map(|f| {
            f.strip_prefix(setup.dir.path())
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(
        names,
        [
            "spool/morning/2025-04-23T0100Z/+447911123456.txt",
            "spool/morning/2025-04-23T0100Z/+8801711000001.txt",
            "spool/morning/2025-04-23T0100Z/+8801811000002.txt",
        ],
        "one file per subscriber, numbers in E.164"
    );
    let bengali = std::fs::read_to_string(&files[1]).unwrap();
    assert!(
        bengali
            .chars()
            .any(|c| ('\u{0980}'..='\u{09FF}').contains(&c)),
        "{bengali}"
    );
    let london = std::fs::read_to_string(&files[0]).unwrap();
    assert!(london.contains("BST"), "the London reader's zone: {london}");
    // The same slot again: nothing new is planned or sent.
    let again = setup.run(&["run", "--now", "2025-04-23T09:30:00Z"]);
    assert_eq!(
        (again.code, again.stdout.as_str()),
        (0, ""),
        "{}",
        again.stderr
    );
    assert_eq!(setup.spool().len(), 3);
    // The next day's slot: the same stories are not sent twice.
    let next = setup.json(&["run", "--now", "2025-04-24T01:00:00Z", "--format", "json"]);
    assert_eq!(next["bulletins"][0]["slot"], "2025-04-24T01:00:00Z");
    assert_eq!(next["bulletins"][0]["messages"], 0, "{next}");
    let history = setup.json(&["history", "--format", "json"]);
    let rows = history.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    for row in rows {
        assert_eq!(row["status"], "sent");
        assert_eq!(row["attempts"], 1);
        assert_eq!(row["channel"], "sms");
        assert_eq!(row["target"], "spool");
        assert!(!row["stories"].as_array().unwrap().is_empty());
        // Masked, also inside the answer (the files target answers with the file's path).
        assert!(!row.to_string().contains("8801711000001"), "{row}");
    }
    let full = setup.json(&["history", "--format", "json", "--full"]);
    assert!(full.to_string().contains("+8801711000001"), "{full}");
}

#[test]
fn a_bad_subscriber_row_is_reported_with_its_line_and_skipped() {
    let csv = "address,locale,tz\n01711-000001,bn,Asia/Dhaka\n0171,en,Asia/Dhaka\n01811-000002,en,Asia/Dhaka\n";
    let setup = Setup::new("0 7 * * *", "Asia/Dhaka", csv);
    let run = setup.run(&["run", "--now", "2025-04-23T09:00:00Z"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(":3:") || run.stderr.contains("line 3"),
        "{}",
        run.stderr
    );
    assert_eq!(setup.spool().len(), 2);
}

#[test]
fn a_dry_run_prints_what_would_go_out_and_records_nothing() {
    let setup = Setup::new("0 7 * * *", "Asia/Dhaka", THREE);
    let run = setup.run(&["run", "--dry-run", "--now", "2025-04-23T09:00:00Z"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("morning 2025-04-23T01:00:00Z"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("3 messages (not sent: --dry-run)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("--- bn Asia/Dhaka (1 subscribers) ---"),
        "{}",
        run.stdout
    );
    assert!(setup.spool().is_empty());
    assert!(
        !setup.dir.path().join("state.db").exists(),
        "no state for a dry run"
    );
    // The real run afterwards still sends.
    assert_eq!(setup.run(&["run", "--now", "2025-04-23T09:00:00Z"]).code, 0);
    assert_eq!(setup.spool().len(), 3);
}

#[test]
fn an_unknown_bulletin_or_a_missing_configuration_is_exit_78() {
    let setup = Setup::new("0 7 * * *", "Asia/Dhaka", THREE);
    let run = setup.run(&["run", "evening"]);
    assert_eq!(run.code, 78, "{}", run.stderr);
    assert!(run.stderr.contains("evening"), "{}", run.stderr);
    let missing = crate::run(&["run", "--config", "/nonexistent/newsdigest.toml"]);
    assert_eq!(missing.code, 78, "{}", missing.stderr);
    assert!(
        missing.stderr.contains("/nonexistent/newsdigest.toml"),
        "{}",
        missing.stderr
    );
}

/// The slots a bulletin ran at or after `from`, calling `run` every `step` minutes from `from` to
/// `to`. (The first call, with no history, also runs the latest slot before `from`.)
fn slots_run(setup: &Setup, from: &str, to: &str, step: i64) -> Vec<String> {
    let from: chrono::DateTime<chrono::Utc> = from.parse().unwrap();
    let to: chrono::DateTime<chrono::Utc> = to.parse().unwrap();
    let mut slots = Vec::new();
    let mut now = from;
    while now <= to {
        let json = setup.json(&["run", "--now", &now.to_rfc3339(), "--format", "json"]);
        if let Some(slot) = json["bulletins"][0]["slot"].as_str()
            && slot.parse::<chrono::DateTime<chrono::Utc>>().unwrap() >= from
        {
            slots.push(slot.to_string());
        }
        now += chrono::Duration::minutes(step);
    }
    slots
}

#[test]
fn new_york_at_0230_runs_once_on_both_dst_days() {
    let setup = Setup::new("30 2 * * *", "America/New_York", THREE);
    // Spring forward: 02:30 does not exist on 2025-03-09.
    let spring = slots_run(&setup, "2025-03-09T04:00:00Z", "2025-03-09T10:00:00Z", 10);
    assert_eq!(spring.len(), 1, "{spring:?}");
    // Fall back: 01:00-02:00 happens twice on 2025-11-02; 02:30 once.
    let fall = slots_run(&setup, "2025-11-02T04:00:00Z", "2025-11-02T10:00:00Z", 10);
    assert_eq!(fall, ["2025-11-02T07:30:00Z"]);
}

#[test]
fn dhaka_at_0030_runs_daily_through_2009s_dst_change() {
    let setup = Setup::new("30 0 * * *", "Asia/Dhaka", THREE);
    // Bangladesh moved its clocks forward at 23:00 on 2009-06-19 and back at 23:59 on 2009-12-31.
    for (from, to, days) in [
        ("2009-06-17T12:00:00Z", "2009-06-22T12:00:00Z", 5),
        ("2009-12-29T12:00:00Z", "2010-01-03T12:00:00Z", 5),
    ] {
        let slots = slots_run(&setup, from, to, 60);
        assert_eq!(slots.len(), days, "{slots:?}");
    }
}

#[test]
fn two_runs_at_once_one_sends_the_other_exits_75() {
    let setup = Setup::new("0 7 * * *", "Asia/Dhaka", THREE);
    let now = "2025-04-23T09:00:00Z";
    let children: Vec<_> = (0..2)
        .map(|_| {
            setup
                .command(&["run", "--now", now])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut codes: Vec<(i32, String)> = children
        .into_iter()
        .map(|child| {
            let output = child.wait_with_output().unwrap();
            (
                output.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&output.stderr).into_owned(),
            )
        })
        .collect();
    codes.sort();
    // Either the second found the lock taken (75), or the first had finished (0, nothing to do).
    assert_eq!(codes[0].0, 0, "{codes:?}");
    assert!(
        codes[1].0 == 75 && codes[1].1.contains("locked") || codes[1].0 == 0,
        "{codes:?}"
    );
    assert_eq!(
        setup.spool().len(),
        3,
        "each subscriber got exactly one message"
    );
}

/// 100,000 subscribers in 6 (locale, zone) groups: 6 renders, 100,000 outbox rows. Prints the
/// time (a benchmark figure, not a test condition: these machines are shared and noisy).
#[test]
fn a_dry_run_to_100000_subscribers_renders_six_times() {
    let mut csv = String::from("address,locale,tz\n");
    let groups = [
        ("en", "Asia/Dhaka"),
        ("en", "Europe/London"),
        ("bn", "Asia/Dhaka"),
        ("bn", "Europe/London"),
        ("hi", "Asia/Kolkata"),
        ("ar", "Asia/Dubai"),
    ];
    for i in 0..100_000 {
        let (locale, zone) = groups[i % groups.len()];
        csv.push_str(&format!("+88017{:08},{locale},{zone}\n", 10_000_000 + i));
    }
    let setup = Setup::new("0 7 * * *", "Asia/Dhaka", &csv);
    let started = Instant::now();
    let json = setup.json(&[
        "run",
        "--dry-run",
        "--now",
        "2025-04-23T09:00:00Z",
        "--format",
        "json",
    ]);
    let elapsed = started.elapsed();
    let bulletin = &json["bulletins"][0];
    assert_eq!(bulletin["groups"], 6, "{json}");
    assert_eq!(bulletin["messages"], 100_000, "{json}");
    eprintln!("run --dry-run, 100,000 subscribers in 6 groups: {elapsed:?} (debug build)");
}

#[test]
fn a_stdout_target_prints_every_message_without_deadlocking() {
    let setup = Setup::new("0 7 * * *", "Asia/Dhaka", THREE);
    let config = std::fs::read_to_string(setup.config()).unwrap();
    let config = config.replace("kind = \"files\"\ndir = \"spool\"", "kind = \"stdout\"");
    std::fs::write(setup.config(), config).unwrap();
    let mut child = setup
        .command(&["run", "--now", "2025-04-23T09:00:00Z"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Delivery threads write to stdout: a run that held stdout locked would hang here.
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            panic!("run with a stdout target did not finish in 60 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.matches("==> +").count(), 3, "{stdout}");
    assert!(
        stdout.contains("==> +8801711000001 (morning 2025-04-23T01:00:00Z)"),
        "{stdout}"
    );
}
