//! Delivering due messages: claim a window of messages, mark them `sending`, hand them to their
//! target's gateway (paced and with bounded concurrency), and record each outcome in its own
//! transaction. A run killed inside a window leaves at most that window `sending`, which the next
//! run finds and turns `uncertain`.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use newsdigest::bulletin::config::Config;
use newsdigest::bulletin::deliver::rate::{Pacer, send_all};
use newsdigest::bulletin::deliver::{self, Gateway, Outcome};
use newsdigest::bulletin::outbox::Message;
use newsdigest::bulletin::store::Store;
use newsdigest::error::{Error, Result};
use newsdigest::progress::Progress;

/// Messages read from the store at a time.
const CHUNK: usize = 1000;
/// The first retry waits this long unless a bulletin says otherwise (`retry_after`).
const DEFAULT_RETRY_AFTER: &str = "1m";
/// Attempts at most unless a bulletin says otherwise (`max_attempts`).
const DEFAULT_MAX_ATTEMPTS: u32 = 5;
/// The longest wait between two attempts.
const MAX_BACKOFF: chrono::Duration = chrono::Duration::hours(6);

/// What a delivery pass did.
#[derive(Debug, Default, serde::Serialize)]
pub struct Delivered {
    pub sent: usize,
    pub failed: usize,
    /// Left pending for a later run (gateway down, 5xx, timeout).
    pub deferred: usize,
    /// The target and reason of the last message deferred.
    #[serde(skip)]
    pub last_deferral: Option<(String, String)>,
    /// One line per message that failed for good.
    #[serde(skip)]
    pub failures: Vec<String>,
}

/// Gateways opened on first use, one per target, with their pacers.
pub struct Gateways<'a> {
    config: &'a Config,
    open: HashMap<String, (Arc<dyn Gateway>, Pacer)>,
}

impl<'a> Gateways<'a> {
    pub fn new(config: &'a Config) -> Self {
        Gateways {
            config,
            open: HashMap::new(),
        }
    }

    fn get(&mut self, target: &str) -> Result<(Arc<dyn Gateway>, &Pacer)> {
        if !self.open.contains_key(target) {
            let config = self.config.target(target).ok_or_else(|| Error::Config {
                path: self.config.path.clone(),
                message: format!("no target named {target:?}"),
            })?;
            let mail = deliver::mail_book(self.config, target)?;
            let gateway: Arc<dyn Gateway> = Arc::from(deliver::open(config, mail)?);
            let pacer = Pacer::from_target(config)?;
            self.open.insert(target.to_string(), (gateway, pacer));
        }
        let (gateway, pacer) = &self.open[target];
        Ok((Arc::clone(gateway), pacer))
    }
}

/// Sends every message of `bulletins` due at `now`, until none is left due; `progress` is told of
/// each message recorded.
pub fn deliver_due(
    store: &mut dyn Store,
    gateways: &mut Gateways<'_>,
    bulletins: &[String],
    now: DateTime<Utc>,
    progress: &dyn Progress,
) -> Result<Delivered> {
    let mut delivered = Delivered::default();
    let config = gateways.config;
    loop {
        let due = store.due(bulletins, now, CHUNK)?;
        if due.is_empty() {
            return Ok(delivered);
        }
        progress.add(due.len() as u64);
        for (target, messages) in by_target(due) {
            tracing::info!(target = %target, messages = messages.len(), "delivering");
            progress.working_on(&target);
            let (gateway, pacer) = gateways.get(&target)?;
            let window = pacer.concurrency() * gateway.batch_size().max(1);
            for chunk in messages.chunks(window.max(1)) {
                send_window(
                    store,
                    config,
                    gateway.as_ref(),
                    pacer,
                    chunk,
                    now,
                    &mut delivered,
                )?;
                progress.done(chunk.len() as u64);
            }
        }
    }
}

/// Messages grouped by target, in the order the store gave them.
fn by_target(messages: Vec<Message>) -> Vec<(String, Vec<Message>)> {
    let mut groups: Vec<(String, Vec<Message>)> = Vec::new();
    for message in messages {
        match groups
            .iter_mut()
            .find(|(target, _)| *target == message.target)
        {
            Some((_, group)) => group.push(message),
            None => groups.push((message.target.clone(), vec![message])),
        }
    }
    groups
}

/// Marks `window` sending, sends it, and records each outcome.
fn send_window(
    store: &mut dyn Store,
    config: &Config,
    gateway: &dyn Gateway,
    pacer: &Pacer,
    window: &[Message],
    now: DateTime<Utc>,
    delivered: &mut Delivered,
) -> Result<()> {
    let ids: Vec<i64> = window.iter().map(|message| message.id).collect();
    store.mark_sending(&ids, now)?;
    let batches = batches(window, gateway.batch_size().max(1));
    let outcomes = send_all(gateway, pacer, &batches);
    for (batch, outcomes) in batches.iter().zip(outcomes) {
        for (message, outcome) in batch.iter().zip(outcomes) {
            record(store, config, message, outcome, now, delivered)?;
        }
    }
    Ok(())
}

/// Consecutive messages sharing a render, at most `size` per batch.
fn batches(window: &[Message], size: usize) -> Vec<Vec<&Message>> {
    let mut batches: Vec<Vec<&Message>> = Vec::new();
    for message in window {
        match batches.last_mut() {
            Some(batch) if batch.len() < size && Arc::ptr_eq(&batch[0].render, &message.render) => {
                batch.push(message)
            }
            _ => batches.push(vec![message]),
        }
    }
    batches
}

/// Records one outcome: sent, retried later with backoff, or failed.
fn record(
    store: &mut dyn Store,
    config: &Config,
    message: &Message,
    outcome: Outcome,
    now: DateTime<Utc>,
    delivered: &mut Delivered,
) -> Result<()> {
    let bulletin = config.bulletin(&message.bulletin);
    let max_attempts = bulletin
        .and_then(|b| b.max_attempts)
        .unwrap_or(DEFAULT_MAX_ATTEMPTS);
    // `mark_sending` counted this attempt.
    let attempts = message.attempts + 1;
    match outcome {
        Outcome::Sent(answer) => {
            store.mark_sent(message.id, now, &answer)?;
            delivered.sent += 1;
        }
        Outcome::RetryLater(error) if attempts < max_attempts => {
            let retry_after = bulletin
                .and_then(|b| b.retry_after.as_deref())
                .unwrap_or(DEFAULT_RETRY_AFTER);
            let next_try = now + backoff(retry_after, attempts);
            store.mark_retry(message.id, next_try, &error)?;
            delivered.deferred += 1;
            delivered.last_deferral = Some((message.target.clone(), error));
        }
        Outcome::RetryLater(error) | Outcome::Failed(error) => {
            let error = if attempts >= max_attempts {
                format!("{error} (after {attempts} attempts)")
            } else {
                error
            };
            store.mark_failed(message.id, now, &error)?;
            delivered.failed += 1;
            delivered.failures.push(format!(
                "bulletin {} slot {}: {}: {error}",
                message.bulletin,
                message.slot.format("%Y-%m-%dT%H:%MZ"),
                newsdigest::bulletin::mask::address(&message.address),
            ));
        }
    }
    Ok(())
}

/// `first × 2^(attempts − 1)`, at most [`MAX_BACKOFF`].
fn backoff(first: &str, attempts: u32) -> chrono::Duration {
    let first = humantime::parse_duration(first)
        .ok()
        .and_then(|d| chrono::Duration::from_std(d).ok())
        .unwrap_or(chrono::Duration::minutes(1));
    let factor = 1_i32
        .checked_shl(attempts.saturating_sub(1).min(20))
        .unwrap_or(i32::MAX);
    first
        .checked_mul(factor)
        .unwrap_or(MAX_BACKOFF)
        .min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_six_hours() {
        assert_eq!(backoff("1m", 1), chrono::Duration::minutes(1));
        assert_eq!(backoff("1m", 2), chrono::Duration::minutes(2));
        assert_eq!(backoff("1m", 4), chrono::Duration::minutes(8));
        assert_eq!(backoff("1m", 30), MAX_BACKOFF);
        assert_eq!(backoff("2h", 3), MAX_BACKOFF);
    }
}
