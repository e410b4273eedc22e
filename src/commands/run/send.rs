//! Delivering due messages: claim a window of messages (marked `sending` with this worker's
//! lease, in one transaction that skips what other workers are claiming), hand them to their
//! target's gateway (paced and with bounded concurrency), and record the window's outcomes in one
//! transaction. A worker killed inside a window leaves at most that window `sending`, which the
//! next run (SQLite), or any worker once the lease runs out (PostgreSQL), turns `uncertain`.
//!
//! A target's `rate` holds across every worker on the state: before sending a window, the worker
//! books that many departures in the target's rate-limit row ([`Store::reserve`]) and spaces its
//! messages over them. Shared `run` and `work` use the same code.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use newsdigest::bulletin::config::{BulletinConfig, Config};
use newsdigest::bulletin::deliver::rate::{Pacer, send_all};
use newsdigest::bulletin::deliver::{self, Gateway, Outcome};
use newsdigest::bulletin::outbox::{Message, OPTED_OUT};
use newsdigest::bulletin::quiet::{self, Decision, Window};
use newsdigest::bulletin::store::{Claimant, Step, Store};
use newsdigest::error::{Error, Result};
use newsdigest::progress::Progress;

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
    /// Held by the reader's quiet hours, untried, until they end.
    pub waiting: usize,
    /// Not sent: the reader opted out after the slot was planned, or a retry's quiet hours
    /// would end past `quiet_max_age`.
    pub skipped: usize,
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

/// Sends every message of `bulletins` due at `now` that no other worker holds, a claimed window
/// at a time, until none is left to claim; `progress` is told of each message claimed and sent.
pub fn deliver_due(
    store: &mut dyn Store,
    gateways: &mut Gateways<'_>,
    bulletins: &[String],
    now: DateTime<Utc>,
    claimant: &Claimant,
    progress: &dyn Progress,
) -> Result<Delivered> {
    let mut delivered = Delivered::default();
    let config = gateways.config;
    let window = window_size(config, claimant.lease);
    loop {
        let claimed = store.claim(bulletins, now, window, claimant)?;
        if claimed.is_empty() {
            return Ok(delivered);
        }
        progress.add(claimed.len() as u64);
        for (target, messages) in by_target(claimed) {
            tracing::info!(target = %target, messages = messages.len(), "delivering");
            progress.working_on(&target);
            let (gateway, pacer) = gateways.get(&target)?;
            send_window(
                store,
                config,
                gateway.as_ref(),
                pacer,
                &messages,
                now,
                &mut delivered,
            )?;
            progress.done(messages.len() as u64);
        }
    }
}

/// How many messages one claim takes: as many as the widest target sends at once
/// (`concurrency × batch`), so a killed worker leaves at most that many uncertain; but no more
/// than the slowest rate-limited target sends in half a `lease`, so a claim never outlives its
/// lease while it waits for its departures.
fn window_size(config: &Config, lease: std::time::Duration) -> usize {
    let widest = config
        .targets
        .iter()
        .map(|target| {
            let concurrency = target
                .concurrency
                .unwrap_or(newsdigest::bulletin::deliver::rate::DEFAULT_CONCURRENCY);
            concurrency.max(1) * target.batch.unwrap_or(1).max(1)
        })
        .max()
        .unwrap_or(1);
    let in_half_a_lease = config
        .targets
        .iter()
        .filter_map(|target| target.rate)
        .map(|rate| (rate * lease.as_secs_f64() / 2.0).floor() as usize)
        .min()
        .unwrap_or(usize::MAX);
    widest.min(in_half_a_lease).max(1)
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

/// Sends a claimed `window` (its departures booked in the target's shared rate limit first),
/// and records its outcomes in one transaction.
fn send_window(
    store: &mut dyn Store,
    config: &Config,
    gateway: &dyn Gateway,
    pacer: &Pacer,
    window: &[Message],
    now: DateTime<Utc>,
    delivered: &mut Delivered,
) -> Result<()> {
    // Opt-outs are checked again just before sending: a reader may have said STOP since the
    // slot was planned (or while its quiet hours held the message).
    let addresses: Vec<String> = window.iter().map(|m| m.address.clone()).collect();
    let opted_out = store.opted_out(&addresses)?;
    let mut steps = Vec::with_capacity(window.len());
    // Quiet hours are checked again too: a message made due by `retry`, or resent after an
    // interrupted run, may be due inside its reader's window.
    let window: Vec<&Message> = window
        .iter()
        .filter(|message| {
            if opted_out.contains(&message.address) {
                delivered.skipped += 1;
                steps.push((message.id, Step::Skipped(OPTED_OUT.to_string())));
                return false;
            }
            let bulletin = config.bulletin(&message.bulletin);
            match after_quiet_hours(bulletin, message, now) {
                Decision::Now => true,
                Decision::After(end) => {
                    delivered.waiting += 1;
                    steps.push((message.id, Step::Wait { next_try: end }));
                    false
                }
                Decision::Drop(reason) => {
                    delivered.skipped += 1;
                    steps.push((message.id, Step::Skipped(reason)));
                    false
                }
            }
        })
        .collect();
    if let (Some(interval), Some(first)) = (pacer.interval(), window.first()) {
        let wait = store.reserve(&first.target, window.len(), interval)?;
        pacer.start_no_earlier_than(std::time::Instant::now() + wait);
    }
    let batches = batches(&window, gateway.batch_size().max(1));
    let outcomes = send_all(gateway, pacer, &batches);
    for (batch, outcomes) in batches.iter().zip(outcomes) {
        for (message, outcome) in batch.iter().zip(outcomes) {
            steps.push((message.id, step(config, message, outcome, now, delivered)));
        }
    }
    store.finish(&steps, now)
}

/// Consecutive messages sharing a render, at most `size` per batch.
fn batches<'a>(window: &[&'a Message], size: usize) -> Vec<Vec<&'a Message>> {
    let mut batches: Vec<Vec<&Message>> = Vec::new();
    for &message in window {
        match batches.last_mut() {
            Some(batch) if batch.len() < size && Arc::ptr_eq(&batch[0].render, &message.render) => {
                batch.push(message)
            }
            _ => batches.push(vec![message]),
        }
    }
    batches
}

/// What one outcome makes of its message: sent, retried later with backoff (out of its quiet
/// hours), or failed.
fn step(
    config: &Config,
    message: &Message,
    outcome: Outcome,
    now: DateTime<Utc>,
    delivered: &mut Delivered,
) -> Step {
    let bulletin = config.bulletin(&message.bulletin);
    let max_attempts = bulletin
        .and_then(|b| b.max_attempts)
        .unwrap_or(DEFAULT_MAX_ATTEMPTS);
    // The claim counted this attempt.
    let attempts = message.attempts + 1;
    match outcome {
        Outcome::Sent(answer) => {
            delivered.sent += 1;
            Step::Sent(answer)
        }
        Outcome::RetryLater(error) if attempts < max_attempts => {
            let retry_after = bulletin
                .and_then(|b| b.retry_after.as_deref())
                .unwrap_or(DEFAULT_RETRY_AFTER);
            let next_try = now + backoff(retry_after, attempts);
            let next_try = match after_quiet_hours(bulletin, message, next_try) {
                Decision::Now => next_try,
                Decision::After(end) => end,
                Decision::Drop(reason) => {
                    delivered.skipped += 1;
                    return Step::Skipped(format!("{reason} (last error: {error})"));
                }
            };
            delivered.deferred += 1;
            delivered.last_deferral = Some((message.target.clone(), error.clone()));
            Step::Retry { next_try, error }
        }
        Outcome::RetryLater(error) | Outcome::Failed(error) => {
            let error = if attempts >= max_attempts {
                format!("{error} (after {attempts} attempts)")
            } else {
                error
            };
            delivered.failed += 1;
            delivered.failures.push(format!(
                "bulletin {} slot {}: {}: {error}",
                message.bulletin,
                message.slot.format("%Y-%m-%dT%H:%MZ"),
                newsdigest::bulletin::mask::address(&message.address),
            ));
            Step::Failed(error)
        }
    }
}

/// What the message's quiet hours (read in its render's zone) make of a retry at `next_try`: it
/// waits until they end, or is dropped when that is past the bulletin's `quiet_max_age`. A window
/// or zone that no longer reads (the configuration changed) holds nothing back.
fn after_quiet_hours(
    bulletin: Option<&BulletinConfig>,
    message: &Message,
    next_try: DateTime<Utc>,
) -> Decision {
    let window = message
        .quiet
        .as_deref()
        .and_then(|text| text.parse::<Window>().ok());
    let zone = message.render.zone.parse::<chrono_tz::Tz>().ok();
    let (Some(window), Some(zone)) = (window, zone) else {
        return Decision::Now;
    };
    let max_age = bulletin
        .and_then(|b| b.quiet_max_age.as_deref())
        .and_then(|text| quiet::max_age_of(text).ok());
    quiet::decide(window, zone, next_try, message.slot, max_age)
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
    fn a_claim_fits_the_widest_target_and_half_a_lease_at_the_slowest_rate() {
        let config = |targets: &str| {
            let mut config = Config::parse(targets).unwrap();
            config.path = "newsdigest.toml".into();
            config
        };
        let lease = std::time::Duration::from_secs(300);
        let two = config(
            "[[target]]\nname = \"a\"\nkind = \"stdout\"\n\
             [[target]]\nname = \"b\"\nkind = \"kannel\"\nconcurrency = 8\nbatch = 10\n",
        );
        assert_eq!(window_size(&two, lease), 80);
        let slow = config("[[target]]\nname = \"a\"\nkind = \"stdout\"\nrate = 0.02\n");
        assert_eq!(window_size(&slow, lease), 3, "0.02/s × 150 s");
        let crawl = config("[[target]]\nname = \"a\"\nkind = \"stdout\"\nrate = 0.001\n");
        assert_eq!(window_size(&crawl, lease), 1);
        assert_eq!(window_size(&config(""), lease), 1);
    }

    #[test]
    fn a_retry_inside_quiet_hours_waits_for_their_end_or_is_skipped_past_the_max_age() {
        use newsdigest::bulletin::outbox::{Content, Render};
        let utc = |text: &str| text.parse::<DateTime<Utc>>().unwrap();
        let config = |extra: &str| {
            let text = format!(
                "[[bulletin]]\nname = \"night\"\nchannel = \"sms\"\nsources = []\n\
                 schedule = \"50 21 * * *\"\nsubscribers = []\ntarget = \"t\"\n\
                 retry_after = \"30m\"\n{extra}"
            );
            Config::parse(&text).unwrap()
        };
        let message = Message {
            id: 1,
            bulletin: "night".into(),
            slot: utc("2025-04-23T15:50:00Z"),
            address: "+8801711000001".into(),
            name: None,
            target: "t".into(),
            attempts: 0,
            render: Arc::new(Render {
                locale: "en".into(),
                zone: "Asia/Dhaka".into(),
                content: Content::Sms {
                    text: String::new(),
                    encoding: "gsm7".into(),
                    parts: Vec::new(),
                },
            }),
            quiet: Some("22:00-07:00".into()),
        };
        let down = || Outcome::RetryLater("connection refused".into());
        let now = utc("2025-04-23T15:50:00Z");
        let mut delivered = Delivered::default();
        // 22:20 Dhaka is quiet: 07:00 Dhaka instead.
        assert_eq!(
            step(&config(""), &message, down(), now, &mut delivered),
            Step::Retry {
                next_try: utc("2025-04-24T01:00:00Z"),
                error: "connection refused".into()
            }
        );
        let skipped = step(
            &config("quiet_max_age = \"2h\""),
            &message,
            down(),
            now,
            &mut delivered,
        );
        assert_eq!(
            skipped,
            Step::Skipped(
                "quiet hours 22:00-07:00 (Asia/Dhaka) end at 2025-04-24 07:00 +06, past \
                 quiet_max_age 2h (last error: connection refused)"
                    .into()
            )
        );
        assert_eq!((delivered.deferred, delivered.skipped), (1, 1));
        // Without quiet hours, the backoff alone.
        let loud = Message {
            quiet: None,
            ..message
        };
        assert_eq!(
            step(&config(""), &loud, down(), now, &mut delivered),
            Step::Retry {
                next_try: utc("2025-04-23T16:20:00Z"),
                error: "connection refused".into()
            }
        );
    }

    #[test]
    fn backoff_doubles_up_to_six_hours() {
        assert_eq!(backoff("1m", 1), chrono::Duration::minutes(1));
        assert_eq!(backoff("1m", 2), chrono::Duration::minutes(2));
        assert_eq!(backoff("1m", 4), chrono::Duration::minutes(8));
        assert_eq!(backoff("1m", 30), MAX_BACKOFF);
        assert_eq!(backoff("2h", 3), MAX_BACKOFF);
    }
}
