//! `history` and `retry` over a state database built through the library, as `run` builds it:
//! text and JSON, masked and full addresses, filters, retry's effect and its lock, and what a
//! missing configuration or database gives.

use std::path::PathBuf;
use std::process::Command;

use chrono::{DateTime, Duration, DurationRound, Utc};
use newsdigest::bulletin::lock::RunLock;
use newsdigest::bulletin::outbox::{Content, Plan, Recipient, Render, Status};
use newsdigest::bulletin::store::sqlite::SqliteStore;
use newsdigest::bulletin::store::{Claimant, Filter, Store, Sweep, UncertainPolicy};
use serde_json::Value;
use tempfile::TempDir;

use crate::{Run, run, run_json};

/// A configuration file and the state database it names (`state.db` beside it).
struct State {
    dir: TempDir,
}

impl State {
    fn new() -> State {
        let dir = tempfile::tempdir().unwrap();
        let bulletin = |name: &str, channel: &str| {
            format!(
                "[[bulletin]]\nname = \"{name}\"\nchannel = \"{channel}\"\nsources = [\"desk\"]\n\
                 schedule = \"0 7 * * *\"\nsubscribers = \"{name}.csv\"\ntarget = \"spool\"\n\n"
            )
        };
        let config = format!(
            "state = \"state.db\"\n\n{}{}",
            bulletin("morning", "sms"),
            bulletin("evening", "email")
        );
        std::fs::write(dir.path().join("newsdigest.toml"), config).unwrap();
        State { dir }
    }

    fn config(&self) -> String {
        self.dir
            .path()
            .join("newsdigest.toml")
            .display()
            .to_string()
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("state.db")
    }

    fn store(&self) -> SqliteStore {
        SqliteStore::open(&self.db()).unwrap()
    }

    /// Runs `newsdigest COMMAND --config <this config> ARGS`.
    fn run(&self, command: &str, args: &[&str]) -> Run {
        let config = self.config();
        let mut all = vec![command, "--config", &config];
        all.extend_from_slice(args);
        run(&all)
    }

    fn json(&self, args: &[&str]) -> Vec<Value> {
        let config = self.config();
        let mut all = vec!["history", "--config", &config, "--format", "json"];
        all.extend_from_slice(args);
        run_json(&all).as_array().expect("an array").clone()
    }
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn render(locale: &str, zone: &str, content: Content) -> Render {
    Render {
        locale: locale.into(),
        zone: zone.into(),
        content,
    }
}

fn sms(text: &str) -> Content {
    Content::Sms {
        text: text.into(),
        encoding: "gsm7".into(),
        parts: Vec::new(),
    }
}

fn plan(bulletin: &str, slot: DateTime<Utc>, channel: &str, addresses: &[&str]) -> Plan {
    let renders = match channel {
        "sms" => vec![
            render("en", "Asia/Dhaka", sms("Morning news")),
            render("bn", "Asia/Dhaka", sms("সকালের খবর")),
        ],
        _ => vec![render(
            "en",
            "Europe/London",
            Content::Email {
                subject: "Evening news".into(),
                text: "Evening news".into(),
                html: "<p>Evening news</p>".into(),
            },
        )],
    };
    Plan {
        bulletin: bulletin.into(),
        slot,
        channel: channel.into(),
        target: if channel == "sms" { "kannel" } else { "smtp" }.into(),
        stories: vec![format!("{bulletin}-1"), format!("{bulletin}-2")],
        recipients: addresses
            .iter()
            .enumerate()
            .map(|(index, address)| Recipient {
                address: address.to_string(),
                name: None,
                render: index % renders.len(),
                ..Recipient::default()
            })
            .collect(),
        renders,
        planned_at: slot,
        planned_by: "host-a:1".into(),
    }
}

const MORNING: [&str; 4] = [
    "+8801712345678",
    "+8801812340001",
    "+8801912340002",
    "+447700900123",
];
const EVENING: [&str; 2] = ["alice@example.com", "bob@example.com"];

/// A morning SMS slot (sent, failed, pending after a 503, uncertain after a killed run) and an
/// evening email slot (sent, pending).
fn with_history() -> State {
    let state = State::new();
    let mut store = state.store();
    let morning = at("2025-04-23T01:00:00Z");
    assert!(
        store
            .record_plan(&plan("morning", morning, "sms", &MORNING))
            .unwrap()
    );
    let evening = at("2025-04-23T13:00:00Z");
    assert!(
        store
            .record_plan(&plan("evening", evening, "email", &EVENING))
            .unwrap()
    );
    let due = store.due(&[], evening, 100).unwrap();
    let id = |address: &str| due.iter().find(|m| m.address == address).unwrap().id;
    let ids: Vec<i64> = due.iter().map(|m| m.id).collect();
    let claimant = Claimant {
        worker: "host-a:1".into(),
        lease: std::time::Duration::from_secs(300),
    };
    store.mark_sending(&ids, morning, &claimant).unwrap();
    store
        .mark_sent(id(MORNING[0]), morning, "0: Accepted for delivery")
        .unwrap();
    store
        .mark_failed(id(MORNING[1]), morning, "HTTP 400 bad number")
        .unwrap();
    let later = at("2030-01-01T00:00:00Z");
    store
        .mark_retry(id(MORNING[2]), later, "HTTP 503 Service Unavailable")
        .unwrap();
    store
        .mark_sent(id(EVENING[0]), evening, "250 2.0.0 Ok: queued as ABC")
        .unwrap();
    store
        .mark_retry(id(EVENING[1]), later, "connection refused")
        .unwrap();
    // MORNING[3] is left `sending`, as by a killed run.
    assert_eq!(
        store
            .recover(&|_| UncertainPolicy::Hold, morning, Sweep::All)
            .unwrap(),
        1
    );
    state
}

#[test]
fn text_history_is_an_aligned_table_with_masked_addresses() {
    let state = with_history();
    let run = state.run("history", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 7, "{}", run.stdout);
    assert!(lines[0].starts_with("SLOT (UTC)"), "{}", lines[0]);
    let column = lines[0].find("STATUS").unwrap();
    let statuses = ["sent", "failed", "pending", "uncertain", "sent", "pending"];
    for (line, status) in lines[1..].iter().zip(statuses) {
        let chars: Vec<char> = line.chars().collect();
        let at_column: String = chars[column..].iter().collect();
        assert!(at_column.starts_with(status), "{line:?} at column {column}");
    }
    assert!(
        lines[1].starts_with("2025-04-23T01:00:00Z  morning"),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains("+•••••••••5678"), "{}", lines[1]);
    assert!(
        lines[1].ends_with("kannel  -         0: Accepted for delivery"),
        "no delivery report yet: {}",
        lines[1]
    );
    assert!(lines[2].contains("+•••••••••0001"), "{}", lines[2]);
    assert!(lines[2].ends_with("HTTP 400 bad number"), "{}", lines[2]);
    assert!(lines[4].contains("+••••••••0123"), "{}", lines[4]);
    assert!(
        lines[4].contains("uncertain: a run was interrupted"),
        "{}",
        lines[4]
    );
    assert!(lines[5].contains("a•••@example.com"), "{}", lines[5]);
    for address in MORNING.iter().chain(&EVENING) {
        assert!(!run.stdout.contains(address), "{address} shown in full");
    }
}

#[test]
fn json_history_has_every_documented_key() {
    let state = with_history();
    let rows = state.json(&[]);
    assert_eq!(rows.len(), 6);
    let sent = &rows[0];
    for key in [
        "bulletin", "slot", "address", "channel", "target", "status", "attempts", "sent_at",
        "stories", "answer", "locale", "zone",
    ] {
        assert!(sent.get(key).is_some(), "no {key} in {sent}");
    }
    assert_eq!(sent["bulletin"], "morning");
    assert_eq!(sent["slot"], "2025-04-23T01:00:00Z");
    assert_eq!(sent["address"], "+•••••••••5678");
    assert_eq!(sent["channel"], "sms");
    assert_eq!(sent["target"], "kannel");
    assert_eq!(sent["status"], "sent");
    assert_eq!(sent["attempts"], 1);
    assert_eq!(sent["sent_at"], "2025-04-23T01:00:00Z");
    assert_eq!(
        sent["stories"],
        serde_json::json!(["morning-1", "morning-2"])
    );
    assert_eq!(rows[1]["status"], "failed");
    assert_eq!(rows[1]["sent_at"], Value::Null);
    assert_eq!(rows[1]["locale"], "bn");
    assert_eq!(rows[5]["address"], "b•••@example.com");
    assert_eq!(rows[5]["channel"], "email");
}

#[test]
fn full_shows_addresses_as_recorded() {
    let state = with_history();
    let rows = state.json(&["--full"]);
    let addresses: Vec<&str> = rows
        .iter()
        .map(|r| r["address"].as_str().unwrap())
        .collect();
    assert_eq!(
        addresses,
        [
            MORNING[0], MORNING[1], MORNING[2], MORNING[3], EVENING[0], EVENING[1]
        ]
    );
    let text = state.run("history", &["--full"]);
    assert!(text.stdout.contains("+8801712345678"), "{}", text.stdout);
}

fn addresses(rows: &[Value]) -> Vec<String> {
    rows.iter()
        .map(|r| r["address"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn filters_by_bulletin_status_and_time() {
    let state = with_history();
    let evening = state.json(&["--bulletin", "evening", "--full"]);
    assert_eq!(addresses(&evening), EVENING);
    let both = state.json(&["--bulletin", "evening", "--bulletin", "morning"]);
    assert_eq!(both.len(), 6);
    let troubled = state.json(&["--status", "failed", "--status", "uncertain", "--full"]);
    assert_eq!(addresses(&troubled), [MORNING[1], MORNING[3]]);
    let later = state.json(&["--since", "2025-04-23T12:00:00Z", "--full"]);
    assert_eq!(addresses(&later), EVENING);
    let pending = state.json(&["--status", "PENDING", "--bulletin", "morning", "--full"]);
    assert_eq!(addresses(&pending), [MORNING[2]]);
    assert!(state.json(&["--since", "2025-04-24T00:00:00Z"]).is_empty());
}

#[test]
fn since_a_duration_counts_back_from_now() {
    let state = State::new();
    let mut store = state.store();
    let now = Utc::now().duration_trunc(Duration::seconds(1)).unwrap();
    let recent = plan(
        "morning",
        now - Duration::hours(2),
        "sms",
        &["+15550000001"],
    );
    let old = plan("morning", now - Duration::days(3), "sms", &["+15550000002"]);
    assert!(store.record_plan(&recent).unwrap());
    assert!(store.record_plan(&old).unwrap());
    assert_eq!(
        addresses(&state.json(&["--since", "24h", "--full"])),
        ["+15550000001"]
    );
    assert_eq!(state.json(&["--since", "7d"]).len(), 2);
}

#[test]
fn an_unknown_bulletin_is_a_warning_and_shows_nothing() {
    let state = with_history();
    let run = state.run("history", &["--bulletin", "mornin"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .starts_with("warning: bulletin \"mornin\" is not in "),
        "{}",
        run.stderr
    );
}

#[test]
fn retry_makes_all_but_sent_messages_due_now() {
    let state = with_history();
    let before = Utc::now();
    let run = state.run("retry", &["--bulletin", "morning"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "3 messages will be tried on the next run\n");
    let mut store = state.store();
    let due = store.due(&["morning".into()], Utc::now(), 100).unwrap();
    let mut retried: Vec<&str> = due.iter().map(|m| m.address.as_str()).collect();
    retried.sort();
    assert_eq!(retried, [MORNING[3], MORNING[1], MORNING[2]]);
    assert!(due.iter().all(|m| m.attempts == 0));
    assert!(
        store
            .due(&[], before - Duration::seconds(2), 100)
            .unwrap()
            .is_empty()
    );
    let rows = store.history(&Filter::default()).unwrap();
    let statuses: Vec<Status> = rows.iter().map(|r| r.status).collect();
    use Status::*;
    assert_eq!(statuses, [Sent, Pending, Pending, Pending, Sent, Pending]);
    assert_eq!(rows[5].attempts, 1, "evening untouched");
    let again = state.run("retry", &[]);
    assert_eq!(again.stdout, "4 messages will be tried on the next run\n");
}

#[test]
fn retry_waits_for_a_run_in_progress() {
    let state = with_history();
    let lock = RunLock::acquire(&state.db()).unwrap();
    let run = state.run("retry", &[]);
    assert_eq!(run.code, 75, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!(
            "error: {}.lock: another newsdigest run is in progress (locked); try again later\n",
            state.db().display()
        )
    );
    let failed = Filter {
        statuses: vec![Status::Failed],
        ..Filter::default()
    };
    assert_eq!(
        state.store().history(&failed).unwrap().len(),
        1,
        "unchanged"
    );
    drop(lock);
    assert_eq!(state.run("retry", &[]).code, 0);
}

#[test]
fn a_missing_configuration_is_a_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newsdigest.toml");
    let config = path.display().to_string();
    for command in ["history", "retry"] {
        let run = run(&[command, "--config", &config]);
        assert_eq!(run.code, 78);
        assert_eq!(
            run.stderr,
            format!("error: {config}: no such configuration file\n")
        );
    }
    // No --config, no NEWSDIGEST_CONFIG, no HOME: nowhere to look.
    let nowhere = run(&["history"]);
    assert_eq!(nowhere.code, 78);
    assert!(
        nowhere.stderr.contains("give --config FILE"),
        "{}",
        nowhere.stderr
    );
}

#[test]
fn the_configuration_may_come_from_the_environment() {
    let state = with_history();
    let output = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(["history", "--format", "json"])
        .env_clear()
        .env("NEWSDIGEST_CONFIG", state.config())
        .output()
        .unwrap();
    assert!(output.status.success());
    let rows: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(rows.len(), 6);
}

#[test]
fn no_state_database_yet_is_an_empty_history_and_nothing_is_created() {
    let state = State::new();
    let text = state.run("history", &[]);
    assert_eq!((text.code, text.stdout.as_str()), (0, ""));
    assert!(state.json(&[]).is_empty());
    let retry = state.run("retry", &[]);
    assert_eq!(retry.stdout, "0 messages will be tried on the next run\n");
    let names: Vec<String> = std::fs::read_dir(state.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["newsdigest.toml"]);
}

#[test]
fn a_database_from_a_newer_newsdigest_is_refused() {
    let state = State::new();
    let connection = rusqlite::Connection::open(state.db()).unwrap();
    connection.pragma_update(None, "user_version", 999).unwrap();
    drop(connection);
    let run = state.run("history", &[]);
    assert_eq!(run.code, 74);
    assert!(
        run.stderr
            .contains("written by a newer newsdigest (schema version 999"),
        "{}",
        run.stderr
    );
}

#[test]
fn status_counts_each_bulletin_by_status() {
    let state = with_history();
    let run = state.run("status", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let db = state.db().display().to_string();
    assert_eq!(
        run.stdout,
        format!(
            "state: {db}\n\
             BULLETIN  LAST SLOT (UTC)       PLANNED BY  PENDING  SENDING  SENT  DELIVERED  FAILED  UNCERTAIN  SKIPPED  OPTED OUT\n\
             morning   2025-04-23T01:00:00Z  host-a:1          1  0           1          0       1          1        0          0\n\
             evening   2025-04-23T13:00:00Z  host-a:1          1  0           1          0       0          0        0          0\n\
             \n\
             SLOT (UTC)            BULLETIN  PENDING  SENT  DELIVERED  FAILED  UNCERTAIN  OPTED OUT  SKIPPED\n\
             2025-04-23T01:00:00Z  morning         1     1          0       1          1          0        0\n\
             2025-04-23T13:00:00Z  evening         1     1          0       0          0          0        0\n"
        )
    );
}

#[test]
fn status_reads_no_state_into_being() {
    let state = State::new();
    let run = state.run("status", &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!state.db().exists(), "status created the state file");
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["bulletins"][0]["bulletin"], "morning");
    assert_eq!(json["bulletins"][0]["last_slot"], Value::Null);
    assert_eq!(json["bulletins"][1]["sent"], 0);
}
