//! The embedded [`Store`]: one SQLite file, in WAL mode.
//!
//! [`SqliteStore::open`] creates the file and its folder when missing, and brings the schema up to
//! date ([`MIGRATIONS`]). The connection runs with a write-ahead log and `synchronous=NORMAL`: a
//! committed transaction survives a killed process (not necessarily a power cut, which costs
//! an fsync per transaction to survive), readers such as `history` never block a run, and a second
//! writer waits up to [`BUSY_TIMEOUT`] rather than failing at once. Foreign keys are enforced.
//!
//! Every [`Store`] method runs in one transaction (writes take the write lock at once, so two
//! writers queue instead of deadlocking). Anything that goes wrong is [`Error::State`] naming the
//! file (exit 74), including a database written by a newer newsdigest.
//!
//! ```no_run
//! # use std::path::Path;
//! use newsdigest::bulletin::store::{Store, sqlite::SqliteStore};
//! let mut store = SqliteStore::open(Path::new("/var/lib/newsdigest/state.db"))?;
//! let last = store.last_slot("morning")?;
//! # Ok::<(), newsdigest::error::Error>(())
//! ```

mod filter;
mod history;
mod outbox;
mod plan;
mod rate;
mod reports;
mod schema;
mod status;

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, ValueRef};
use rusqlite::{Connection, Row, ToSql, Transaction, TransactionBehavior};

pub use schema::MIGRATIONS;

pub(crate) use super::rfc3339;
use super::{Claimant, Filter, Step, Store, Sweep, UncertainPolicy};
use crate::bulletin::delivery::{PartReport, Recorded};
use crate::bulletin::outbox::{BulletinStatus, HistoryRow, Message, Plan, Status};
use crate::error::{Error, Result};

/// How long a writer waits for another to finish before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The state database in one SQLite file.
#[derive(Debug)]
pub struct SqliteStore {
    connection: Connection,
    /// The file, named in errors (`:memory:` for [`SqliteStore::in_memory`]).
    path: PathBuf,
}

/// What went wrong inside the store, before it is given the file's name.
#[derive(Debug)]
struct Fault(String);

impl From<rusqlite::Error> for Fault {
    fn from(error: rusqlite::Error) -> Fault {
        Fault(error.to_string())
    }
}

impl SqliteStore {
    /// Opens the database at `path`, creating it (and its folder) when missing, and migrates it.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let fail = |fault: Fault| Error::State {
            path: path.to_path_buf(),
            message: fault.0,
        };
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(folder).map_err(|e| {
                fail(Fault(format!(
                    "cannot create the folder {}: {e}",
                    folder.display()
                )))
            })?;
        }
        let mut connection = Connection::open(path).map_err(|e| fail(e.into()))?;
        configure(&connection, true).map_err(fail)?;
        schema::migrate(&mut connection, MIGRATIONS).map_err(fail)?;
        Ok(SqliteStore {
            connection,
            path: path.to_path_buf(),
        })
    }

    /// A fresh database in memory, gone when dropped (for tests).
    pub fn in_memory() -> Result<SqliteStore> {
        let path = PathBuf::from(":memory:");
        let fail = |fault: Fault| Error::State {
            path: path.clone(),
            message: fault.0,
        };
        let mut connection = Connection::open_in_memory().map_err(|e| fail(e.into()))?;
        configure(&connection, false).map_err(fail)?;
        schema::migrate(&mut connection, MIGRATIONS).map_err(fail)?;
        Ok(SqliteStore { connection, path })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `work` in a read transaction.
    fn read<T>(&mut self, work: impl FnOnce(&Transaction) -> Result<T, Fault>) -> Result<T> {
        self.transact(TransactionBehavior::Deferred, work)
    }

    /// Runs `work` in a write transaction, taking the write lock at once.
    fn write<T>(&mut self, work: impl FnOnce(&Transaction) -> Result<T, Fault>) -> Result<T> {
        self.transact(TransactionBehavior::Immediate, work)
    }

    /// Runs `work` in one transaction, committed only if it succeeds.
    fn transact<T>(
        &mut self,
        behavior: TransactionBehavior,
        work: impl FnOnce(&Transaction) -> Result<T, Fault>,
    ) -> Result<T> {
        let done = (|| {
            let transaction = self.connection.transaction_with_behavior(behavior)?;
            let value = work(&transaction)?;
            transaction.commit()?;
            Ok(value)
        })();
        done.map_err(|fault: Fault| Error::State {
            path: self.path.clone(),
            message: fault.0,
        })
    }
}

/// Sets the connection up: waits for other writers, enforces foreign keys and, for a file, uses a
/// write-ahead log synced at checkpoints (`synchronous=NORMAL`).
fn configure(connection: &Connection, file: bool) -> Result<(), Fault> {
    connection.busy_timeout(BUSY_TIMEOUT)?;
    if file {
        let mode: String =
            connection.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Fault(format!(
                "cannot use a write-ahead log here (journal mode stays {mode})"
            )));
        }
        connection.pragma_update(None, "synchronous", "NORMAL")?;
    }
    connection.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

impl Store for SqliteStore {
    fn recover(
        &mut self,
        policy: &dyn Fn(&str) -> UncertainPolicy,
        now: DateTime<Utc>,
        sweep: Sweep,
    ) -> Result<usize> {
        self.write(|tx| outbox::recover(tx, policy, now, sweep))
    }

    fn last_slot(&mut self, bulletin: &str) -> Result<Option<DateTime<Utc>>> {
        self.read(|tx| plan::last_slot(tx, bulletin))
    }

    fn sent_stories(&mut self, bulletin: &str, keys: &[String]) -> Result<Vec<String>> {
        self.read(|tx| plan::sent_stories(tx, bulletin, keys))
    }

    fn record_plan(&mut self, plan: &Plan) -> Result<bool> {
        self.write(|tx| plan::record(tx, plan))
    }

    fn due(
        &mut self,
        bulletins: &[String],
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Message>> {
        self.read(|tx| outbox::due(tx, bulletins, now, limit))
    }

    fn claim(
        &mut self,
        bulletins: &[String],
        now: DateTime<Utc>,
        limit: usize,
        claimant: &Claimant,
    ) -> Result<Vec<Message>> {
        self.write(|tx| outbox::claim(tx, bulletins, now, limit, claimant))
    }

    fn mark_sending(&mut self, ids: &[i64], now: DateTime<Utc>, claimant: &Claimant) -> Result<()> {
        self.write(|tx| outbox::mark_sending(tx, ids, now, claimant))
    }

    fn mark_sent(&mut self, id: i64, now: DateTime<Utc>, answer: &str) -> Result<()> {
        self.write(|tx| outbox::mark_sent(tx, id, now, answer))
    }

    fn mark_retry(&mut self, id: i64, next_try: DateTime<Utc>, error: &str) -> Result<()> {
        self.write(|tx| outbox::mark_retry(tx, id, next_try, error))
    }

    fn mark_failed(&mut self, id: i64, now: DateTime<Utc>, error: &str) -> Result<()> {
        self.write(|tx| outbox::mark_failed(tx, id, now, error))
    }

    fn finish(&mut self, steps: &[(i64, Step)], now: DateTime<Utc>) -> Result<()> {
        self.write(|tx| {
            for (id, step) in steps {
                match step {
                    Step::Sent(answer) => outbox::mark_sent(tx, *id, now, answer)?,
                    Step::Retry { next_try, error } => {
                        outbox::mark_retry(tx, *id, *next_try, error)?
                    }
                    Step::Failed(error) => outbox::mark_failed(tx, *id, now, error)?,
                    Step::Skipped(reason) => outbox::mark_skipped(tx, *id, now, reason)?,
                    Step::Wait { next_try } => outbox::mark_waiting(tx, *id, *next_try)?,
                }
            }
            Ok(())
        })
    }

    fn mark_skipped(&mut self, id: i64, now: DateTime<Utc>, reason: &str) -> Result<()> {
        self.write(|tx| outbox::mark_skipped(tx, id, now, reason))
    }

    fn mark_waiting(&mut self, id: i64, next_try: DateTime<Utc>) -> Result<()> {
        self.write(|tx| outbox::mark_waiting(tx, id, next_try))
    }

    fn record_report(&mut self, report: &PartReport, now: DateTime<Utc>) -> Result<Recorded> {
        self.write(|tx| reports::record(tx, report, now))
    }

    fn opt_out(&mut self, address: &str, keyword: &str, now: DateTime<Utc>) -> Result<bool> {
        self.write(|tx| reports::opt_out(tx, address, keyword, now))
    }

    fn opt_in(&mut self, address: &str) -> Result<bool> {
        self.write(|tx| reports::opt_in(tx, address))
    }

    fn opted_out(&mut self, addresses: &[String]) -> Result<HashSet<String>> {
        self.read(|tx| reports::opted_out(tx, addresses))
    }

    fn history(&mut self, filter: &Filter) -> Result<Vec<HistoryRow>> {
        self.read(|tx| history::rows(tx, filter))
    }

    fn retry(&mut self, filter: &Filter, now: DateTime<Utc>) -> Result<usize> {
        self.write(|tx| outbox::retry(tx, filter, now))
    }

    fn reserve(&mut self, target: &str, messages: usize, interval: Duration) -> Result<Duration> {
        self.write(|tx| rate::reserve(tx, target, messages, interval))
    }

    fn status(&mut self) -> Result<Vec<BulletinStatus>> {
        self.read(status::bulletins)
    }

    fn shared(&self) -> bool {
        false
    }
}

/// An instant as stored: whole unix seconds.
fn seconds(instant: DateTime<Utc>) -> i64 {
    instant.timestamp()
}

/// The instant stored in column `index` of `row`.
fn instant(row: &Row<'_>, index: usize) -> rusqlite::Result<DateTime<Utc>> {
    let stored: i64 = row.get(index)?;
    to_instant(stored).ok_or(rusqlite::Error::IntegralValueOutOfRange(index, stored))
}

fn to_instant(stored: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(stored, 0)
}

impl ToSql for Status {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for Status {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Status> {
        let text = value.as_str()?;
        Status::parse(text).ok_or_else(|| FromSqlError::Other(format!("status {text:?}").into()))
    }
}

#[cfg(test)]
mod tests;
