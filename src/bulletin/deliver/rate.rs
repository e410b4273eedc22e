//! Pacing a target: at most `rate` messages per second and `concurrency` requests in flight.
//!
//! [`Pacer`] is a token bucket holding one token (no burst): message *n* may leave no earlier than
//! *n* / `rate` seconds after the first, whichever thread sends it. A batch of *k* messages (Kannel
//! with several recipients) takes *k* tokens. The lock is held only to book a departure time; the
//! wait happens outside it. [`send_all`] runs the batches through a gateway on at most
//! `concurrency` scoped threads (no async runtime) and returns the outcomes in the batches' order;
//! it records nothing, so the caller marks messages `sending` before and records outcomes after.
//!
//! ```
//! use newsdigest::bulletin::deliver::rate::Pacer;
//! let pacer = Pacer::new(Some(50.0), 4).unwrap();
//! let start = std::time::Instant::now();
//! for _ in 0..3 {
//!     pacer.wait(1);
//! }
//! assert!(start.elapsed().as_secs_f64() >= 0.039);
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use super::{Gateway, Outcome, target_error};
use crate::bulletin::config::TargetConfig;
use crate::bulletin::outbox::Message;
use crate::error::Result;

/// Requests in flight unless the target's `concurrency` says otherwise.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// Most requests in flight a target may ask for.
pub const MAX_CONCURRENCY: usize = 64;

/// The slowest rate a target may ask for, in messages per second (one in about 17 minutes).
pub const MIN_RATE: f64 = 0.001;

/// A target's rate limit and concurrency bound, shared by the threads that send.
#[derive(Debug)]
pub struct Pacer {
    /// Time between two messages; `None`: no limit.
    interval: Option<Duration>,
    /// When the next message may leave.
    next: Mutex<Instant>,
    concurrency: usize,
}

impl Pacer {
    /// `rate` messages per second at most (`None`: no limit), `concurrency` requests in flight.
    pub fn new(rate: Option<f64>, concurrency: usize) -> std::result::Result<Pacer, String> {
        let interval = match rate {
            None => None,
            Some(rate) if rate.is_finite() && rate >= MIN_RATE => {
                Some(Duration::from_secs_f64(1.0 / rate))
            }
            Some(_) => {
                return Err(format!(
                    "rate must be a number of messages per second, at least {MIN_RATE}"
                ));
            }
        };
        if !(1..=MAX_CONCURRENCY).contains(&concurrency) {
            return Err(format!(
                "concurrency must be between 1 and {MAX_CONCURRENCY}, not {concurrency}"
            ));
        }
        Ok(Pacer {
            interval,
            next: Mutex::new(Instant::now()),
            concurrency,
        })
    }

    /// The pacer of `target` (`rate`, `concurrency`, default [`DEFAULT_CONCURRENCY`]).
    pub fn from_target(target: &TargetConfig) -> Result<Pacer> {
        let concurrency = target.concurrency.unwrap_or(DEFAULT_CONCURRENCY);
        Pacer::new(target.rate, concurrency).map_err(|message| target_error(target, message))
    }

    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// Time between two messages; `None`: no limit.
    pub fn interval(&self) -> Option<Duration> {
        self.interval
    }

    /// Lets no message leave before `at` (the departures booked for this worker in a rate limit
    /// shared with others start then).
    pub fn start_no_earlier_than(&self, at: Instant) {
        let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
        *next = (*next).max(at);
    }

    /// Blocks until `messages` more messages may leave, and books their departure.
    pub fn wait(&self, messages: usize) {
        let Some(interval) = self.interval else {
            return;
        };
        let departure = {
            let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
            let departure = (*next).max(Instant::now());
            let count = u32::try_from(messages).unwrap_or(u32::MAX);
            *next = departure
                .checked_add(interval.saturating_mul(count))
                .unwrap_or(departure);
            departure
        };
        thread::sleep(departure.saturating_duration_since(Instant::now()));
    }
}

/// Sends each batch through `gateway`, paced by `pacer`, with at most
/// [`Pacer::concurrency`] batches in flight; one list of outcomes per batch, in order, each as
/// long as its batch (a gateway that answers too few gets `RetryLater` for the rest).
pub fn send_all(
    gateway: &dyn Gateway,
    pacer: &Pacer,
    batches: &[Vec<&Message>],
) -> Vec<Vec<Outcome>> {
    let next = AtomicUsize::new(0);
    let workers = pacer.concurrency.min(batches.len());
    let results: Mutex<Vec<Option<Vec<Outcome>>>> = Mutex::new(vec![None; batches.len()]);
    thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(batch) = batches.get(index) else {
                        return;
                    };
                    let outcomes = send_one(gateway, pacer, batch);
                    results.lock().unwrap_or_else(PoisonError::into_inner)[index] = Some(outcomes);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .into_iter()
        .zip(batches)
        .map(|(outcomes, batch)| fitted(outcomes.unwrap_or_default(), batch.len()))
        .collect()
}

/// One batch, after waiting for its turn.
fn send_one(gateway: &dyn Gateway, pacer: &Pacer, batch: &[&Message]) -> Vec<Outcome> {
    if batch.is_empty() {
        return Vec::new();
    }
    pacer.wait(batch.len());
    gateway.send(batch)
}

/// `outcomes` cut or padded to `len`.
fn fitted(mut outcomes: Vec<Outcome>, len: usize) -> Vec<Outcome> {
    outcomes.truncate(len);
    while outcomes.len() < len {
        outcomes.push(Outcome::RetryLater(
            "the gateway gave no answer for this message".into(),
        ));
    }
    outcomes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulletin::deliver::tests::{message, sms, target};

    /// Records when each message was sent and how many calls were in flight at once.
    struct Recorder {
        delay: Duration,
        sent: Mutex<Vec<(i64, Instant)>>,
        in_flight: AtomicUsize,
        most_in_flight: AtomicUsize,
    }

    impl Recorder {
        fn new(delay: Duration) -> Recorder {
            Recorder {
                delay,
                sent: Mutex::new(Vec::new()),
                in_flight: AtomicUsize::new(0),
                most_in_flight: AtomicUsize::new(0),
            }
        }
    }

    impl Gateway for Recorder {
        fn send(&self, messages: &[&Message]) -> Vec<Outcome> {
            let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            self.most_in_flight.fetch_max(now, Ordering::SeqCst);
            let at = Instant::now();
            self.sent
                .lock()
                .unwrap()
                .extend(messages.iter().map(|m| (m.id, at)));
            thread::sleep(self.delay);
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            messages
                .iter()
                .map(|m| Outcome::Sent(m.id.to_string()))
                .collect()
        }
    }

    fn messages(count: i64) -> Vec<Message> {
        (0..count)
            .map(|id| message(id, "+8801711000001", sms("hi")))
            .collect()
    }

    fn batches(messages: &[Message], size: usize) -> Vec<Vec<&Message>> {
        messages
            .chunks(size)
            .map(|chunk| chunk.iter().collect())
            .collect()
    }

    #[test]
    fn twenty_messages_at_50_per_second_take_at_least_380_ms() {
        let start = Instant::now();
        let pacer = Pacer::new(Some(50.0), 4).unwrap();
        let gateway = Recorder::new(Duration::ZERO);
        let all = messages(20);
        let outcomes = send_all(&gateway, &pacer, &batches(&all, 1));
        let elapsed = start.elapsed();
        println!("20 messages at 50/s, 4 in flight: {elapsed:?}");
        assert!(elapsed >= Duration::from_millis(380), "{elapsed:?}");
        assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
        // The k-th message left no earlier than k intervals after the start.
        let mut times: Vec<Instant> = gateway.sent.lock().unwrap().iter().map(|s| s.1).collect();
        times.sort();
        for (k, at) in times.iter().enumerate() {
            assert!(
                *at >= start + Duration::from_millis(20) * k as u32,
                "message {k}"
            );
        }
        let expected: Vec<Vec<Outcome>> = (0..20)
            .map(|id| vec![Outcome::Sent(id.to_string())])
            .collect();
        assert_eq!(outcomes, expected);
    }

    #[test]
    fn each_message_of_a_batch_takes_a_token() {
        let start = Instant::now();
        let pacer = Pacer::new(Some(50.0), 2).unwrap();
        let all = messages(20);
        let outcomes = send_all(&Recorder::new(Duration::ZERO), &pacer, &batches(&all, 4));
        let elapsed = start.elapsed();
        println!("5 batches of 4 at 50/s: {elapsed:?}");
        // The fifth batch leaves after the 16 messages before it: 320 ms.
        assert!(elapsed >= Duration::from_millis(320), "{elapsed:?}");
        assert_eq!(outcomes.len(), 5);
        assert_eq!(outcomes[4][3], Outcome::Sent("19".into()));
    }

    #[test]
    fn no_more_than_concurrency_calls_in_flight() {
        let start = Instant::now();
        let pacer = Pacer::new(None, 3).unwrap();
        let gateway = Recorder::new(Duration::from_millis(50));
        let all = messages(12);
        let outcomes = send_all(&gateway, &pacer, &batches(&all, 1));
        let elapsed = start.elapsed();
        let most = gateway.most_in_flight.load(Ordering::SeqCst);
        println!("12 calls of 50 ms, 3 in flight: {elapsed:?}, at most {most} at once");
        assert_eq!(most, 3);
        assert!(elapsed >= Duration::from_millis(200), "{elapsed:?}");
        assert_eq!(outcomes.iter().flatten().count(), 12);
        assert_eq!(outcomes[11], [Outcome::Sent("11".into())]);
    }

    #[test]
    fn a_gateway_answering_too_few_leaves_the_rest_for_later() {
        struct Short;
        impl Gateway for Short {
            fn send(&self, _: &[&Message]) -> Vec<Outcome> {
                vec![Outcome::Sent("one".into())]
            }
        }
        let all = messages(2);
        let outcomes = send_all(&Short, &Pacer::new(None, 1).unwrap(), &batches(&all, 2));
        assert_eq!(outcomes[0][0], Outcome::Sent("one".into()));
        assert!(matches!(outcomes[0][1], Outcome::RetryLater(_)));
        assert!(send_all(&Short, &Pacer::new(None, 1).unwrap(), &[]).is_empty());
    }

    #[test]
    fn rates_and_concurrency_are_checked() {
        let pacer = |keys: &str| Pacer::from_target(&target(&format!("kind = \"stdout\"\n{keys}")));
        assert_eq!(pacer("").unwrap().concurrency(), DEFAULT_CONCURRENCY);
        assert!(pacer("rate = 0.5\nconcurrency = 1").is_ok());
        for (keys, expected) in [
            (
                "rate = 0",
                "rate must be a number of messages per second, at least 0.001",
            ),
            (
                "rate = -3",
                "rate must be a number of messages per second, at least 0.001",
            ),
            (
                "rate = nan",
                "rate must be a number of messages per second, at least 0.001",
            ),
            (
                "rate = 1e-300",
                "rate must be a number of messages per second, at least 0.001",
            ),
            (
                "rate = inf",
                "rate must be a number of messages per second, at least 0.001",
            ),
            (
                "concurrency = 0",
                "concurrency must be between 1 and 64, not 0",
            ),
        ] {
            assert_eq!(
                pacer(keys).unwrap_err().to_string(),
                format!("target t: {expected}")
            );
        }
    }
}
