//! The PostgreSQL store: the shared store suite (the same checks as SQLite, from
//! [`conformance`]), plus what only a shared server shows: migrations under the advisory lock,
//! claims and plans raced from several connections, errors that never show the password.
//!
//! All tests share one throwaway cluster (`tests/support/postgres.rs`), each in a database of its
//! own; the cluster stops when the last test holding it ends, by pid, also when one fails.

#[path = "../../../../tests/support/postgres.rs"]
mod cluster;

use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::thread;

use super::*;
use crate::bulletin::outbox::Recipient;
use crate::bulletin::store::conformance::{self, at, plan, worker};
use crate::bulletin::store::location::{Origin, StateLocation};
use cluster::Cluster;

static SHARED: Mutex<Weak<Cluster>> = Mutex::new(Weak::new());
static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// The shared cluster, started if no test holds it; `None` when PostgreSQL is missing (not CI).
fn cluster() -> Option<Arc<Cluster>> {
    let mut shared = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(cluster) = shared.upgrade() {
        return Some(cluster);
    }
    let cluster = Arc::new(Cluster::start()?);
    *shared = Arc::downgrade(&cluster);
    Some(cluster)
}

/// A fresh database on the shared cluster, and the server it is as `StateLocation` reads it.
struct Database {
    cluster: Arc<Cluster>,
    server: PostgresServer,
}

fn database() -> Option<Database> {
    let cluster = cluster()?;
    let name = format!(
        "t{}_{}",
        std::process::id(),
        DATABASES.fetch_add(1, Ordering::SeqCst)
    );
    cluster.create_database(&name);
    let env = |key: &str| (key == "PGPASSWORD").then(|| cluster::PASSWORD.to_string());
    let StateLocation::Postgres(server) =
        StateLocation::parse(&cluster.url(&name), Origin::ConfigFile, &env).unwrap()
    else {
        unreachable!("a postgres URL")
    };
    Some(Database {
        cluster,
        server: *server,
    })
}

/// A store on a fresh database; keeps the cluster running while it lives.
struct TestStore {
    store: PostgresStore,
    _cluster: Arc<Cluster>,
}

impl Deref for TestStore {
    type Target = PostgresStore;
    fn deref(&self) -> &PostgresStore {
        &self.store
    }
}

impl DerefMut for TestStore {
    fn deref_mut(&mut self) -> &mut PostgresStore {
        &mut self.store
    }
}

fn fresh() -> Option<TestStore> {
    let database = database()?;
    Some(TestStore {
        store: PostgresStore::open(&database.server).unwrap(),
        _cluster: database.cluster,
    })
}

/// The shared store suite, one test per check, each on a fresh database.
mod suite {
    use super::*;

    crate::store_suite!(fresh());
}

#[test]
fn every_check_passes_on_one_shared_database() {
    let Some(mut store) = fresh() else { return };
    conformance::check_all(&mut *store);
}

#[test]
fn both_backends_have_the_same_schema_versions() {
    assert_eq!(
        MIGRATIONS.len(),
        crate::bulletin::store::sqlite::MIGRATIONS.len()
    );
}

#[test]
fn hosts_opening_a_new_database_together_migrate_it_once() {
    let Some(database) = database() else { return };
    let opened: Vec<Result<PostgresStore>> = thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| PostgresStore::open(&database.server)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for store in &opened {
        assert!(store.is_ok(), "{store:?}");
    }
    let mut store = opened.into_iter().next().unwrap().unwrap();
    assert_eq!(schema::version(&mut store.client), MIGRATIONS.len() as i32);
    let count: i64 = store
        .client
        .query_one("SELECT count(*) FROM newsdigest_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(count, 1);
}

#[test]
fn a_newer_database_is_refused_naming_the_server() {
    let Some(database) = database() else { return };
    let mut store = PostgresStore::open(&database.server).unwrap();
    store
        .client
        .execute("UPDATE newsdigest_schema SET version = 99", &[])
        .unwrap();
    let error = PostgresStore::open(&database.server).unwrap_err();
    assert_eq!(error.exit_code(), 74);
    let message = error.to_string();
    assert!(
        message.starts_with(&format!("{}: state: ", database.server.shown())),
        "{message}"
    );
    assert!(
        message.contains("newer newsdigest (schema version 99"),
        "{message}"
    );
}

#[test]
fn errors_never_show_the_password() {
    let Some(database) = database() else { return };
    let mut wrong = database.server.clone();
    wrong.config.password("not-the-Pa55word");
    let error = PostgresStore::open(&wrong).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("password authentication failed"),
        "{message}"
    );
    assert!(!message.contains("not-the-Pa55word") && !message.contains(cluster::PASSWORD));
    assert!(!format!("{error:?}{wrong:?}").contains("Pa55"));
    assert_eq!(
        error.exit_code(),
        74,
        "a refused password will not fix itself"
    );
    // Nobody listening: try again later.
    let mut away = database.server.clone();
    away.config.port(1);
    let error = PostgresStore::open(&away).unwrap_err();
    assert_eq!(error.exit_code(), 75, "{error}");
    assert!(!error.to_string().contains("Pa55"), "{error}");
}

#[test]
fn workers_claiming_together_never_share_a_message() {
    let Some(database) = database() else { return };
    let mut store = PostgresStore::open(&database.server).unwrap();
    let mut big = plan("shared", 0, &[]);
    big.recipients = (0..2000)
        .map(|n| Recipient {
            address: format!("+8801{n:09}"),
            name: None,
            render: n % 2,
            ..Recipient::default()
        })
        .collect();
    assert!(store.record_plan(&big).unwrap());
    let claimed: Vec<Vec<i64>> = thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|n| {
                let server = &database.server;
                scope.spawn(move || {
                    let mut store = PostgresStore::open(server).unwrap();
                    let claimant = Claimant {
                        worker: format!("w{n}"),
                        ..worker()
                    };
                    let mut mine = Vec::new();
                    loop {
                        let batch = store.claim(&[], at(0), 25, &claimant).unwrap();
                        if batch.is_empty() {
                            return mine;
                        }
                        mine.extend(batch.iter().map(|m| m.id));
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut all: Vec<i64> = claimed.iter().flatten().copied().collect();
    let total = all.len();
    all.sort();
    all.dedup();
    assert_eq!(
        (total, all.len()),
        (2000, 2000),
        "each claimed exactly once"
    );
    assert!(
        claimed.iter().filter(|mine| !mine.is_empty()).count() >= 2,
        "the work was shared"
    );
}

#[test]
fn hosts_planning_one_slot_together_record_it_once() {
    let Some(database) = database() else { return };
    let recorded: Vec<bool> = thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|n| {
                let server = &database.server;
                scope.spawn(move || {
                    let mut store = PostgresStore::open(server).unwrap();
                    let mut mine = plan("raced", 0, &["+15559000001", "+15559000002"]);
                    mine.planned_by = format!("host-{n}");
                    store.record_plan(&mine).unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(recorded.iter().filter(|&&r| r).count(), 1, "{recorded:?}");
    let mut store = PostgresStore::open(&database.server).unwrap();
    assert_eq!(store.history(&Filter::default()).unwrap().len(), 2);
}

/// Prints (does not assert) how long 20,000 recipients take to plan and to claim.
#[test]
fn twenty_thousand_recipients() {
    let Some(mut store) = fresh() else { return };
    let mut big = plan("national", 0, &[]);
    big.recipients = (0..20_000)
        .map(|n| Recipient {
            address: format!("+8801{n:09}"),
            name: None,
            render: n % 2,
            ..Recipient::default()
        })
        .collect();
    let started = std::time::Instant::now();
    assert!(store.record_plan(&big).unwrap());
    let recorded = started.elapsed();
    let started = std::time::Instant::now();
    let claimed = store.claim(&[], at(0), 20_000, &worker()).unwrap();
    assert_eq!(claimed.len(), 20_000);
    println!(
        "postgres, 20,000 recipients: recorded in {recorded:?}, claimed in {:?}",
        started.elapsed()
    );
}
