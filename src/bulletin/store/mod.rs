//! The state store: stories sent per bulletin, slots planned, and the outbox. One small interface
//! ([`Store`]) with two backends: the embedded SQLite one ([`sqlite`], the default) and a shared
//! PostgreSQL one ([`postgres`]) for several hosts and workers. [`location`] reads which one the
//! configuration (or `NEWSDIGEST_STATE`) names, and [`open`] opens it.
//!
//! Each method is one transaction. A run calls them in this order: [`Store::recover`] (rows left
//! `sending` by a killed worker become `uncertain`: every such row when the caller holds the
//! only lock on the store, [`Sweep::All`], else those whose lease ran out, [`Sweep::Expired`]),
//! [`Store::last_slot`] and [`Store::sent_stories`] to plan, [`Store::record_plan`] (render and
//! record first; the unique (bulletin, slot) row makes one planner win), then per window
//! [`Store::claim`] (pending → sending, with the worker's lease) → send → [`Store::finish`]
//! (or one by one [`Store::mark_sent`] / [`Store::mark_retry`] / [`Store::mark_failed`]).
//! [`Store::reserve`] books departures in a target's shared rate limit.

pub mod location;
pub mod pgpass;
pub mod postgres;
pub mod sqlite;

#[cfg(test)]
pub mod conformance;

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::delivery::{PartReport, Recorded};
use super::outbox::{BulletinStatus, Content, HistoryRow, Message, Plan, Recipient, Status};
use crate::error::{Error, Result};

pub use location::StateLocation;

/// `last_error` of a message a killed run left uncertain, held for a person to decide.
pub const HELD_NOTE: &str =
    "uncertain: a run was interrupted while the gateway had it; `newsdigest retry` sends it again";
/// `last_error` of a message a killed run left uncertain, sent again (policy `resend`).
pub const RESENT_NOTE: &str = "uncertain: resent after an interrupted run";

/// How long a claim lasts unless the configuration says otherwise (`lease`).
pub const DEFAULT_LEASE: Duration = Duration::from_secs(300);

/// Who claims messages, and for how long: a worker whose lease runs out is taken for dead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimant {
    /// The worker's name (`--worker`, else `<host>:<pid>`), recorded as `claimed_by`.
    pub worker: String,
    /// How long its claims last, counted on the store's clock (the database server's for
    /// PostgreSQL, so hosts' clocks need not agree).
    pub lease: Duration,
}

/// Which `sending` messages [`Store::recover`] takes for abandoned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sweep {
    /// Every one: the caller holds the only lock on the store (SQLite's run lock), so no other
    /// worker is alive.
    All,
    /// Only those whose lease ran out: other workers may be sending theirs right now.
    Expired,
}

/// One step after the gateway answered, for [`Store::finish`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Accepted, with the gateway's answer.
    Sent(String),
    /// Worth trying again at `next_try`.
    Retry {
        next_try: DateTime<Utc>,
        error: String,
    },
    /// Refused for good.
    Failed(String),
    /// Not sent on purpose (the reader opted out after the slot was planned): `skipped`.
    Skipped(String),
    /// Not sent yet, and not tried: the reader's quiet hours hold it until `next_try`
    /// (`pending` again, the claim's attempt not counted).
    Wait { next_try: DateTime<Utc> },
}

/// What to do with a message found `uncertain` (a run was killed while the gateway had it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UncertainPolicy {
    /// Leave it `uncertain` for a person to look at (`history`), and `retry` to send it again.
    #[default]
    Hold,
    /// Send it again at once: the reader may get it twice, never zero times.
    Resend,
}

/// Which messages `history` and `retry` look at.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub bulletins: Vec<String>,
    /// Only slots at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Only these statuses (empty: all).
    pub statuses: Vec<Status>,
}

/// Backing store for bulletins and their outbox.
pub trait Store {
    /// Turns `sending` messages whose worker is gone (all of them, or those whose lease ran out:
    /// `sweep`) into `uncertain`, then applies each bulletin's policy: `resend` makes them
    /// `pending` again, due at `now`. Returns how many were found.
    fn recover(
        &mut self,
        policy: &dyn Fn(&str) -> UncertainPolicy,
        now: DateTime<Utc>,
        sweep: Sweep,
    ) -> Result<usize>;

    /// The latest slot planned for `bulletin`, if any.
    fn last_slot(&mut self, bulletin: &str) -> Result<Option<DateTime<Utc>>>;

    /// Which of `keys` were already sent in `bulletin` (in any slot).
    fn sent_stories(&mut self, bulletin: &str, keys: &[String]) -> Result<Vec<String>>;

    /// Records the plan (slot, stories, renders, one `pending` message per recipient, due at
    /// `plan.planned_at`) in one transaction. Returns `false`, recording nothing, when the
    /// (bulletin, slot) is already planned: by an earlier run, or by another host at the same
    /// moment (the unique row decides; the loser waits for the winner's commit).
    fn record_plan(&mut self, plan: &Plan) -> Result<bool>;

    /// Up to `limit` `pending` messages whose next try is at or before `now`, oldest slot first,
    /// of `bulletins` (empty: all).
    fn due(
        &mut self,
        bulletins: &[String],
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Message>>;

    /// Claims up to `limit` due messages (as [`Store::due`] orders them) for `claimant`: marks
    /// them `sending`, counts an attempt and sets the lease, in one transaction. Messages another
    /// worker is claiming at the same moment are skipped, never handed out twice. Each returned
    /// message has its attempts as they were before this one.
    fn claim(
        &mut self,
        bulletins: &[String],
        now: DateTime<Utc>,
        limit: usize,
        claimant: &Claimant,
    ) -> Result<Vec<Message>>;

    /// Marks these messages `sending` for `claimant` and counts an attempt (all or none).
    fn mark_sending(&mut self, ids: &[i64], now: DateTime<Utc>, claimant: &Claimant) -> Result<()>;

    /// The gateway accepted the message; `answer` is what it said.
    fn mark_sent(&mut self, id: i64, now: DateTime<Utc>, answer: &str) -> Result<()>;

    /// Worth trying again at `next_try` (gateway down, 5xx, timeout): back to `pending`.
    fn mark_retry(&mut self, id: i64, next_try: DateTime<Utc>, error: &str) -> Result<()>;

    /// Refused for good, or out of attempts: `failed`, with the reason.
    fn mark_failed(&mut self, id: i64, now: DateTime<Utc>, error: &str) -> Result<()>;

    /// Not sent on purpose (its reader opted out since the plan): `sending` → `skipped`.
    fn mark_skipped(&mut self, id: i64, now: DateTime<Utc>, reason: &str) -> Result<()>;

    /// Not tried after all (quiet hours): `sending` → `pending` at `next_try`, the attempt the
    /// claim counted taken back.
    fn mark_waiting(&mut self, id: i64, next_try: DateTime<Utc>) -> Result<()>;

    /// Records a delivery report on one part (or the whole message) of a message, raising the
    /// part's status only ([`moves_to`](super::delivery::PartStatus::moves_to)), and derives the message's delivery from
    /// all its parts, in one transaction.
    fn record_report(&mut self, report: &PartReport, now: DateTime<Utc>) -> Result<Recorded>;

    /// Records that `address` asked for no more messages (`keyword`, as sent). Returns whether
    /// it was not opted out before.
    fn opt_out(&mut self, address: &str, keyword: &str, now: DateTime<Utc>) -> Result<bool>;

    /// Takes `address` off the opt-out list. Returns whether it was on it.
    fn opt_in(&mut self, address: &str) -> Result<bool>;

    /// Which of `addresses` opted out.
    fn opted_out(&mut self, addresses: &[String]) -> Result<HashSet<String>>;

    /// Messages matching `filter`, oldest slot first.
    fn history(&mut self, filter: &Filter) -> Result<Vec<HistoryRow>>;

    /// Records the gateway's answers for several `sending` messages (a window); a backend may do
    /// it in one transaction.
    fn finish(&mut self, steps: &[(i64, Step)], now: DateTime<Utc>) -> Result<()> {
        for (id, step) in steps {
            match step {
                Step::Sent(answer) => self.mark_sent(*id, now, answer)?,
                Step::Retry { next_try, error } => self.mark_retry(*id, *next_try, error)?,
                Step::Failed(error) => self.mark_failed(*id, now, error)?,
                Step::Skipped(reason) => self.mark_skipped(*id, now, reason)?,
                Step::Wait { next_try } => self.mark_waiting(*id, *next_try)?,
            }
        }
        Ok(())
    }

    /// Makes `pending`, `failed` and `uncertain` messages matching `filter` due at `now`, with a
    /// fresh count of attempts. Returns how many.
    fn retry(&mut self, filter: &Filter, now: DateTime<Utc>) -> Result<usize>;

    /// Books `messages` departures in `target`'s rate limit, one every `interval`, shared by every
    /// worker on this store (a token bucket row). Returns how long to wait before the first may
    /// leave; the others follow one `interval` apart.
    fn reserve(&mut self, target: &str, messages: usize, interval: Duration) -> Result<Duration>;

    /// Per bulletin with messages or slots: its last slot and who planned it, and how many
    /// messages are in each status (`sending` per worker).
    fn status(&mut self) -> Result<Vec<BulletinStatus>>;

    /// Whether other processes may use this store while we do (PostgreSQL): then no file lock is
    /// taken, and only expired leases are recovered.
    fn shared(&self) -> bool;
}

/// Opens the store `location` names (creating and migrating it as needed).
pub fn open(location: &StateLocation) -> Result<Box<dyn Store>> {
    Ok(match location {
        StateLocation::Sqlite(path) => Box::new(sqlite::SqliteStore::open(path)?),
        StateLocation::Postgres(server) => Box::new(postgres::PostgresStore::open(server)?),
    })
}

/// A state error naming `location` (a file, or a server without its password).
pub fn state_error(location: &str, message: impl Into<String>) -> Error {
    Error::State {
        path: location.into(),
        message: message.into(),
    }
}

/// Messages counted by bulletin, slot, status, and what tells them apart within a status: the
/// worker holding them (`sending`), their delivery (`sent`), why they were skipped (`skipped`).
pub(crate) const COUNTS: &str = "
    SELECT bulletin, slot, status,
           CASE WHEN status = 'sending' THEN claimed_by END,
           CASE WHEN status = 'sent' THEN delivery END,
           CASE WHEN status = 'skipped' THEN last_error END,
           count(*)
    FROM messages GROUP BY 1, 2, 3, 4, 5, 6";

/// How a recipient of a plan is recorded, whichever the backend.
pub(crate) struct MessageRow<'a> {
    /// `pending`, or `skipped` when `skip` says why.
    pub status: &'static str,
    /// When it is first due, when not at the plan's time.
    pub due: Option<DateTime<Utc>>,
    /// SMS parts the render has (`None` for an email).
    pub parts: Option<i64>,
    pub skip: Option<&'a str>,
}

impl<'a> MessageRow<'a> {
    /// The row for `recipient`; an index past the plan's renders is a fault.
    pub fn of(
        plan: &Plan,
        recipient: &'a Recipient,
    ) -> std::result::Result<MessageRow<'a>, String> {
        let render = plan.renders.get(recipient.render).ok_or_else(|| {
            format!(
                "bulletin {}: recipient {} has render {}, but the plan has {}",
                plan.bulletin,
                recipient.address,
                recipient.render,
                plan.renders.len()
            )
        })?;
        let parts = match &render.content {
            Content::Sms { parts, .. } => Some(i64::try_from(parts.len()).unwrap_or(i64::MAX)),
            Content::Email { .. } => None,
        };
        let skip = recipient.skip.as_deref();
        Ok(MessageRow {
            status: if skip.is_some() { "skipped" } else { "pending" },
            due: recipient
                .send_after
                .filter(|after| *after > plan.planned_at),
            parts,
            skip,
        })
    }
}

/// `messages × interval` in microseconds, as rate limits are booked.
pub(crate) fn span_micros(messages: usize, interval: Duration) -> i64 {
    let each = i64::try_from(interval.as_micros()).unwrap_or(i64::MAX);
    each.saturating_mul(i64::try_from(messages).unwrap_or(i64::MAX))
}

/// `2025-04-23T07:00:00Z`.
pub(crate) fn rfc3339(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
