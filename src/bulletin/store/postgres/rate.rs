//! A target's rate limit shared by every worker: one row per target holding the next free
//! departure (microseconds on the server's clock). A worker books a whole window of departures in
//! one statement, under the row's lock, then spaces its messages over them; two workers' bookings
//! never overlap, so together they never exceed the target's rate.

use std::time::Duration;

use postgres::Transaction;

use super::Fault;
use crate::bulletin::store::span_micros;

/// The server's clock in microseconds.
const SERVER_MICROS: &str = "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint";

/// Books `messages` departures `interval` apart; how long until the first.
pub fn reserve(
    tx: &mut Transaction<'_>,
    target: &str,
    messages: usize,
    interval: Duration,
) -> Result<Duration, Fault> {
    let span = span_micros(messages, interval);
    let sql = format!(
        "INSERT INTO rate_limits AS r (target, next_at) VALUES ($1, {SERVER_MICROS} + $2)
         ON CONFLICT (target) DO UPDATE SET next_at = greatest(r.next_at, {SERVER_MICROS}) + $2
         RETURNING next_at - $2 - {SERVER_MICROS}"
    );
    let wait: i64 = tx.query_one(&sql, &[&target, &span])?.get(0);
    Ok(Duration::from_micros(u64::try_from(wait).unwrap_or(0)))
}
