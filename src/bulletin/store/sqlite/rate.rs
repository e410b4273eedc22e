//! A target's rate limit kept in SQLite: the next free departure per target, booked in one write
//! transaction. Only one process sends at a time on a SQLite state (the run lock), so this
//! mostly carries the pace from one window to the next; PostgreSQL shares it between workers.

use std::time::Duration;

use chrono::Utc;
use rusqlite::{Transaction, params};

use super::Fault;
use crate::bulletin::store::span_micros;

/// Books `messages` departures `interval` apart; how long until the first.
pub fn reserve(
    tx: &Transaction,
    target: &str,
    messages: usize,
    interval: Duration,
) -> Result<Duration, Fault> {
    let now = Utc::now().timestamp_micros();
    let span = span_micros(messages, interval);
    let next: i64 = tx.query_row(
        "INSERT INTO rate_limits (target, next_at) VALUES (?1, ?2 + ?3)
         ON CONFLICT (target) DO UPDATE SET next_at = max(next_at, ?2) + ?3
         RETURNING next_at",
        params![target, now, span],
        |row| row.get(0),
    )?;
    let first = next.saturating_sub(span);
    Ok(Duration::from_micros(
        u64::try_from(first.saturating_sub(now)).unwrap_or(0),
    ))
}
