//! The SQLite store: the shared conformance checks, plus what only a file shows (WAL, migrations
//! on open, a killed writer, speed).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

use super::*;
use crate::bulletin::outbox::Recipient;
use crate::bulletin::store::conformance::{self, at, plan};

fn fresh() -> SqliteStore {
    SqliteStore::in_memory().unwrap()
}

/// The shared store suite, one test per check, each on a fresh store in memory.
mod suite {
    use super::*;

    fn fresh() -> Option<Box<dyn Store>> {
        Some(Box::new(SqliteStore::in_memory().unwrap()))
    }

    crate::store_suite!(fresh());
}

#[test]
fn every_check_passes_on_one_shared_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("state.db")).unwrap();
    conformance::check_all(&mut store);
}

fn pragma(store: &SqliteStore, name: &str) -> String {
    let sql = format!("PRAGMA {name}");
    store
        .connection
        .query_row(&sql, [], |row| row.get::<_, rusqlite::types::Value>(0))
        .map(|value| match value {
            rusqlite::types::Value::Integer(n) => n.to_string(),
            rusqlite::types::Value::Text(text) => text,
            other => format!("{other:?}"),
        })
        .unwrap()
}

#[test]
fn a_file_is_created_with_its_folder_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state/nested/state.db");
    let store = SqliteStore::open(&path).unwrap();
    assert!(path.is_file());
    assert_eq!(store.path(), path);
    assert_eq!(pragma(&store, "journal_mode"), "wal");
    assert_eq!(pragma(&store, "synchronous"), "1", "NORMAL");
    assert_eq!(pragma(&store, "foreign_keys"), "1");
    assert_eq!(pragma(&store, "busy_timeout"), "30000");
    assert_eq!(pragma(&store, "user_version"), MIGRATIONS.len().to_string());
}

#[test]
fn opening_again_keeps_the_data_and_the_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let mut store = SqliteStore::open(&path).unwrap();
    assert!(
        store
            .record_plan(&plan("morning", 0, &["a@example.com"]))
            .unwrap()
    );
    drop(store);
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.last_slot("morning").unwrap(), Some(at(0)));
    assert_eq!(schema::version(&store.connection), MIGRATIONS.len() as i64);
}

#[test]
fn an_empty_file_is_upgraded_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    std::fs::write(&path, b"").unwrap();
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(schema::version(&store.connection), MIGRATIONS.len() as i64);
    assert_eq!(store.last_slot("morning").unwrap(), None);
}

#[test]
fn a_newer_database_is_a_state_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let connection = Connection::open(&path).unwrap();
    connection
        .pragma_update(None, "user_version", 99_i64)
        .unwrap();
    drop(connection);
    let error = SqliteStore::open(&path).unwrap_err();
    assert_eq!(error.exit_code(), 74);
    let message = error.to_string();
    assert!(
        message.starts_with(&format!("{}: state: ", path.display())),
        "{message}"
    );
    assert!(
        message.contains("newer newsdigest (schema version 99"),
        "{message}"
    );
}

#[test]
fn a_file_that_is_not_a_database_is_a_state_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    std::fs::write(&path, "id,address\n1,+8801711111111\n".repeat(200)).unwrap();
    let error = SqliteStore::open(&path).unwrap_err();
    assert!(matches!(error, Error::State { .. }), "{error:?}");
    assert!(error.to_string().contains("not a database"), "{error}");
}

#[test]
fn a_recipient_listed_twice_records_nothing() {
    let mut store = fresh();
    let twice = plan(
        "morning",
        0,
        &["a@example.com", "b@example.com", "a@example.com"],
    );
    let error = store.record_plan(&twice).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("bulletin morning: a@example.com is listed twice"),
        "{error}"
    );
    assert_eq!(store.last_slot("morning").unwrap(), None, "rolled back");
    assert!(
        store
            .record_plan(&plan("morning", 0, &["a@example.com"]))
            .unwrap()
    );
}

#[test]
fn a_recipient_without_its_render_is_an_error() {
    let mut store = fresh();
    let mut bad = plan("morning", 0, &["a@example.com"]);
    bad.recipients[0].render = 7;
    let error = store.record_plan(&bad).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("has render 7, but the plan has 2"),
        "{error}"
    );
    assert_eq!(store.last_slot("morning").unwrap(), None);
}

/// Set in the child of [`a_killed_run_loses_nothing_committed`]: the database it writes.
const CHILD_STATE: &str = "NEWSDIGEST_TEST_KILLED_STATE";

/// Not a test on its own: the process [`a_killed_run_loses_nothing_committed`] kills.
#[test]
#[ignore = "run by a_killed_run_loses_nothing_committed"]
fn killed_writer_child() {
    let Some(path) = std::env::var_os(CHILD_STATE) else {
        return;
    };
    let mut store = SqliteStore::open(Path::new(&path)).unwrap();
    let addresses = ["+15550000001", "+15550000002"];
    assert!(store.record_plan(&plan("morning", 0, &addresses)).unwrap());
    let due = store.due(&[], at(0), 10).unwrap();
    store
        .mark_sending(&[due[0].id], at(0), &conformance::worker())
        .unwrap();
    println!("ready");
    std::thread::sleep(std::time::Duration::from_secs(60));
}

#[test]
fn a_killed_run_loses_nothing_committed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "--nocapture"])
        .arg("bulletin::store::sqlite::tests::killed_writer_child")
        .env(CHILD_STATE, &path)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let ready = BufReader::new(stdout)
        .lines()
        .map_while(|line| line.ok())
        .any(|line| line == "ready");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(ready, "the child recorded its plan");
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.last_slot("morning").unwrap(), Some(at(0)));
    assert_eq!(
        store
            .recover(&|_| UncertainPolicy::Hold, at(1), Sweep::All)
            .unwrap(),
        1
    );
    let statuses: Vec<Status> = store
        .history(&Filter::default())
        .unwrap()
        .iter()
        .map(|row| row.status)
        .collect();
    assert_eq!(statuses, [Status::Uncertain, Status::Pending]);
}

/// Prints (does not assert) how long 100,000 recipients take to plan and to hand out.
#[test]
fn a_hundred_thousand_recipients() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("state.db")).unwrap();
    let started = Instant::now();
    let mut big = plan("national", 0, &[]);
    big.recipients = (0..100_000)
        .map(|n| Recipient {
            address: format!("+8801{:09}", n),
            name: None,
            render: n % 2,
            ..Recipient::default()
        })
        .collect();
    let built = started.elapsed();
    assert!(store.record_plan(&big).unwrap());
    let recorded = started.elapsed() - built;
    let handed = Instant::now();
    let due = store.due(&[], at(0), usize::MAX).unwrap();
    let handed = handed.elapsed();
    assert_eq!(due.len(), 100_000);
    assert_eq!(Arc::strong_count(&due[0].render), 50_000);
    println!(
        "100,000 recipients: plan built in {built:?}, recorded in {recorded:?}, \
         due() in {handed:?}"
    );
}
