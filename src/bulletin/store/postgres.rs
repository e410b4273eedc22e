//! The shared [`Store`]: one PostgreSQL database that several hosts and workers use at once.
//!
//! [`PostgresStore::open`] connects (no TLS: reach the server on a private network, a Unix
//! socket or a tunnel) and brings the schema up to date under an advisory lock, so hosts
//! starting together migrate once ([`MIGRATIONS`]). Every method is one transaction. What makes
//! it safe to share:
//!
//! - **one planner per slot**: `record_plan` inserts the (bulletin, slot) row first with
//!   `ON CONFLICT DO NOTHING`; a second host inserting the same row waits for the first to
//!   commit, then records nothing;
//! - **claimed delivery**: `claim` picks due rows with `SELECT ... FOR UPDATE SKIP LOCKED` and
//!   marks them `sending` with `claimed_by` and `lease_until`, so two workers never get the same
//!   message; a worker that dies leaves its rows until the lease runs out, and then any worker's
//!   `recover(Sweep::Expired)` applies the bulletin's uncertain policy to them;
//! - **leases and rate limits on the server's clock** (`clock_timestamp()`), so hosts' clocks
//!   need not agree; a target's rate limit is one row that every worker books departures in.
//!
//! Errors name the server as [`PostgresServer::shown`] does, never with its password: a server
//! that cannot be reached is [`Error::StateUnavailable`] (exit 75), anything else
//! [`Error::State`] (exit 74).
//!
//! ```no_run
//! use newsdigest::bulletin::store::location::{Origin, StateLocation};
//! use newsdigest::bulletin::store::{Store, postgres::PostgresStore};
//! let env = |name: &str| std::env::var(name).ok();
//! let StateLocation::Postgres(server) =
//!     StateLocation::parse("postgres://newsdigest@db1/newsdigest", Origin::ConfigFile, &env)
//!         .unwrap()
//! else {
//!     unreachable!()
//! };
//! let mut store = PostgresStore::open(&server)?;
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

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use postgres::{Client, NoTls, Transaction};

pub use schema::MIGRATIONS;

use super::location::PostgresServer;
use super::{Claimant, Filter, Step, Store, Sweep, UncertainPolicy};
use crate::bulletin::delivery::{PartReport, Recorded};
use crate::bulletin::outbox::{BulletinStatus, HistoryRow, Message, Plan, Render};
use crate::error::{Error, Result};

/// How long connecting may take unless the URL says otherwise (`connect_timeout`).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The server's clock in whole unix seconds, as leases are counted.
const SERVER_SECONDS: &str = "floor(extract(epoch FROM clock_timestamp()))::bigint";

/// The state in a PostgreSQL database.
pub struct PostgresStore {
    client: Client,
    /// The server, named in errors without its password.
    shown: String,
    /// Renders already read: they never change once recorded.
    renders: HashMap<i64, Arc<Render>>,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("server", &self.shown)
            .finish_non_exhaustive()
    }
}

/// What went wrong inside the store, before it is given the server's name.
#[derive(Debug)]
struct Fault(String);

impl From<postgres::Error> for Fault {
    fn from(error: postgres::Error) -> Fault {
        Fault(describe(&error))
    }
}

/// The error's own words: the server's message, or the client's with its cause.
fn describe(error: &postgres::Error) -> String {
    if let Some(db) = error.as_db_error() {
        return db.message().to_string();
    }
    match std::error::Error::source(error) {
        Some(cause) => format!("{error}: {cause}"),
        None => error.to_string(),
    }
}

impl PostgresStore {
    /// Connects to `server` and migrates its schema.
    pub fn open(server: &PostgresServer) -> Result<PostgresStore> {
        let mut config = server.config.clone();
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        let shown = server.shown().to_string();
        let mut client = config.connect(NoTls).map_err(|error| {
            let message = describe(&error);
            // A refused password or an unknown database will not fix itself: exit 74.
            match error.as_db_error() {
                Some(_) => Error::State {
                    path: shown.clone().into(),
                    message,
                },
                None => Error::StateUnavailable {
                    location: shown.clone(),
                    message,
                },
            }
        })?;
        schema::migrate(&mut client, MIGRATIONS).map_err(|fault| Error::State {
            path: shown.clone().into(),
            message: fault.0,
        })?;
        Ok(PostgresStore {
            client,
            shown,
            renders: HashMap::new(),
        })
    }

    /// The server, as errors name it.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Runs `work` in one transaction, committed only if it succeeds.
    fn transact<T>(
        &mut self,
        work: impl FnOnce(&mut Transaction<'_>, &mut HashMap<i64, Arc<Render>>) -> Result<T, Fault>,
    ) -> Result<T> {
        let renders = &mut self.renders;
        let client = &mut self.client;
        let done = (|| {
            let mut transaction = client.transaction()?;
            let value = work(&mut transaction, renders)?;
            transaction.commit()?;
            Ok(value)
        })();
        done.map_err(|fault: Fault| {
            if self.client.is_closed() {
                Error::StateUnavailable {
                    location: self.shown.clone(),
                    message: fault.0,
                }
            } else {
                Error::State {
                    path: self.shown.clone().into(),
                    message: fault.0,
                }
            }
        })
    }
}

impl Store for PostgresStore {
    fn recover(
        &mut self,
        policy: &dyn Fn(&str) -> UncertainPolicy,
        now: DateTime<Utc>,
        sweep: Sweep,
    ) -> Result<usize> {
        self.transact(|tx, _| outbox::recover(tx, policy, now, sweep))
    }

    fn last_slot(&mut self, bulletin: &str) -> Result<Option<DateTime<Utc>>> {
        self.transact(|tx, _| plan::last_slot(tx, bulletin))
    }

    fn sent_stories(&mut self, bulletin: &str, keys: &[String]) -> Result<Vec<String>> {
        self.transact(|tx, _| plan::sent_stories(tx, bulletin, keys))
    }

    fn record_plan(&mut self, plan: &Plan) -> Result<bool> {
        self.transact(|tx, _| plan::record(tx, plan))
    }

    fn due(
        &mut self,
        bulletins: &[String],
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Message>> {
        self.transact(|tx, renders| outbox::due(tx, renders, bulletins, now, limit))
    }

    fn claim(
        &mut self,
        bulletins: &[String],
        now: DateTime<Utc>,
        limit: usize,
        claimant: &Claimant,
    ) -> Result<Vec<Message>> {
        self.transact(|tx, renders| outbox::claim(tx, renders, bulletins, now, limit, claimant))
    }

    fn mark_sending(&mut self, ids: &[i64], now: DateTime<Utc>, claimant: &Claimant) -> Result<()> {
        self.transact(|tx, _| outbox::mark_sending(tx, ids, now, claimant))
    }

    fn mark_sent(&mut self, id: i64, now: DateTime<Utc>, answer: &str) -> Result<()> {
        self.finish(&[(id, Step::Sent(answer.into()))], now)
    }

    fn mark_retry(&mut self, id: i64, next_try: DateTime<Utc>, error: &str) -> Result<()> {
        let step = Step::Retry {
            next_try,
            error: error.into(),
        };
        self.finish(&[(id, step)], next_try)
    }

    fn mark_failed(&mut self, id: i64, now: DateTime<Utc>, error: &str) -> Result<()> {
        self.finish(&[(id, Step::Failed(error.into()))], now)
    }

    fn finish(&mut self, steps: &[(i64, Step)], now: DateTime<Utc>) -> Result<()> {
        self.transact(|tx, _| outbox::finish(tx, steps, now))
    }

    fn mark_skipped(&mut self, id: i64, now: DateTime<Utc>, reason: &str) -> Result<()> {
        self.finish(&[(id, Step::Skipped(reason.into()))], now)
    }

    fn mark_waiting(&mut self, id: i64, next_try: DateTime<Utc>) -> Result<()> {
        self.finish(&[(id, Step::Wait { next_try })], next_try)
    }

    fn record_report(&mut self, report: &PartReport, now: DateTime<Utc>) -> Result<Recorded> {
        self.transact(|tx, _| reports::record(tx, report, now))
    }

    fn opt_out(&mut self, address: &str, keyword: &str, now: DateTime<Utc>) -> Result<bool> {
        self.transact(|tx, _| reports::opt_out(tx, address, keyword, now))
    }

    fn opt_in(&mut self, address: &str) -> Result<bool> {
        self.transact(|tx, _| reports::opt_in(tx, address))
    }

    fn opted_out(&mut self, addresses: &[String]) -> Result<HashSet<String>> {
        self.transact(|tx, _| reports::opted_out(tx, addresses))
    }

    fn history(&mut self, filter: &Filter) -> Result<Vec<HistoryRow>> {
        self.transact(|tx, _| history::rows(tx, filter))
    }

    fn retry(&mut self, filter: &Filter, now: DateTime<Utc>) -> Result<usize> {
        self.transact(|tx, _| outbox::retry(tx, filter, now))
    }

    fn reserve(&mut self, target: &str, messages: usize, interval: Duration) -> Result<Duration> {
        self.transact(|tx, _| rate::reserve(tx, target, messages, interval))
    }

    fn status(&mut self) -> Result<Vec<BulletinStatus>> {
        self.transact(|tx, _| status::bulletins(tx))
    }

    fn shared(&self) -> bool {
        true
    }
}

/// The instant stored as `seconds` (whole unix seconds).
fn to_instant(seconds: i64) -> Result<DateTime<Utc>, Fault> {
    DateTime::from_timestamp(seconds, 0)
        .ok_or_else(|| Fault(format!("instant {seconds} is out of range")))
}

#[cfg(test)]
mod tests;
