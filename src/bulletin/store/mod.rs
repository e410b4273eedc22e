//! The state store: stories sent per bulletin, slots planned, and the outbox. One small interface
//! ([`Store`]) so that a PostgreSQL backend can follow the embedded SQLite one ([`sqlite`]).
//!
//! Each method is one transaction. A run calls them in this order: [`Store::recover`] (rows left
//! `sending` by a killed run become `uncertain`), [`Store::last_slot`] and [`Store::sent_stories`]
//! to plan, [`Store::record_plan`] (render and record first), then per batch
//! [`Store::due`] → [`Store::mark_sending`] → send → [`Store::mark_sent`] /
//! [`Store::mark_retry`] / [`Store::mark_failed`].

pub mod sqlite;

#[cfg(test)]
pub mod conformance;

use chrono::{DateTime, Utc};

use super::outbox::{HistoryRow, Message, Plan, Status};
use crate::error::Result;

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
    /// Turns every `sending` message into `uncertain` (a previous run was killed mid-send), then
    /// applies each bulletin's policy: `resend` makes them `pending` again, due now. Returns how
    /// many were found.
    fn recover(
        &mut self,
        policy: &dyn Fn(&str) -> UncertainPolicy,
        now: DateTime<Utc>,
    ) -> Result<usize>;

    /// The latest slot planned for `bulletin`, if any.
    fn last_slot(&mut self, bulletin: &str) -> Result<Option<DateTime<Utc>>>;

    /// Which of `keys` were already sent in `bulletin` (in any slot).
    fn sent_stories(&mut self, bulletin: &str, keys: &[String]) -> Result<Vec<String>>;

    /// Records the plan (slot, stories, renders, one `pending` message per recipient, due at
    /// `plan.planned_at`) in one transaction. Returns `false`, recording nothing, when the
    /// (bulletin, slot) is already planned.
    fn record_plan(&mut self, plan: &Plan) -> Result<bool>;

    /// Up to `limit` `pending` messages whose next try is at or before `now`, oldest slot first,
    /// of `bulletins` (empty: all).
    fn due(
        &mut self,
        bulletins: &[String],
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Message>>;

    /// Marks messages `sending` and counts an attempt, just before the gateway is asked.
    fn mark_sending(&mut self, ids: &[i64], now: DateTime<Utc>) -> Result<()>;

    /// The gateway accepted the message; `answer` is what it said.
    fn mark_sent(&mut self, id: i64, now: DateTime<Utc>, answer: &str) -> Result<()>;

    /// Worth trying again at `next_try` (gateway down, 5xx, timeout): back to `pending`.
    fn mark_retry(&mut self, id: i64, next_try: DateTime<Utc>, error: &str) -> Result<()>;

    /// Refused for good, or out of attempts: `failed`, with the reason.
    fn mark_failed(&mut self, id: i64, now: DateTime<Utc>, error: &str) -> Result<()>;

    /// Messages matching `filter`, oldest slot first.
    fn history(&mut self, filter: &Filter) -> Result<Vec<HistoryRow>>;

    /// Makes `pending`, `failed` and `uncertain` messages matching `filter` due at `now`, with a
    /// fresh count of attempts. Returns how many.
    fn retry(&mut self, filter: &Filter, now: DateTime<Utc>) -> Result<usize>;
}
