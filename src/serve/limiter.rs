//! Requests per second per client address: a token bucket for each address `serve` hears from,
//! holding at most twice the rate, so a client may burst and then keeps to `rate`.
//!
//! The table of addresses is bounded ([`MAX_CLIENTS`]): when it is full, addresses not heard from
//! for a while are forgotten first, then all of them (a forgotten address starts with a full
//! bucket again, which errs towards answering).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most client addresses remembered at once.
pub const MAX_CLIENTS: usize = 10_000;

/// An address not heard from for this long may be forgotten.
const IDLE: Duration = Duration::from_secs(10);

/// Per-address token buckets.
#[derive(Debug)]
pub struct Limiter {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl Limiter {
    /// At most `rate` requests per second per address, in bursts of up to `2 × rate`.
    pub fn new(rate: f64) -> Limiter {
        let rate = rate.max(0.001);
        Limiter {
            rate,
            burst: (rate * 2.0).max(1.0),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Whether a request from `client` at `now` may be answered (and counts it).
    pub fn allow(&self, client: IpAddr, now: Instant) -> bool {
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() >= MAX_CLIENTS && !buckets.contains_key(&client) {
            buckets.retain(|_, bucket| now.saturating_duration_since(bucket.updated) < IDLE);
            if buckets.len() >= MAX_CLIENTS {
                buckets.clear();
            }
        }
        let bucket = buckets.entry(client).or_insert(Bucket {
            tokens: self.burst,
            updated: now,
        });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.rate).min(self.burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// How many addresses are remembered.
    pub fn clients(&self) -> usize {
        self.buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_bursts_then_keeps_to_the_rate() {
        let limiter = Limiter::new(10.0);
        let client: IpAddr = "127.0.0.1".parse().unwrap();
        let start = Instant::now();
        let burst = (0..100).filter(|_| limiter.allow(client, start)).count();
        assert_eq!(burst, 20, "twice the rate at once");
        let later = start + Duration::from_millis(500);
        let refilled = (0..100).filter(|_| limiter.allow(client, later)).count();
        assert_eq!(refilled, 5, "10 a second for half a second");
        let other: IpAddr = "127.0.0.2".parse().unwrap();
        assert!(
            limiter.allow(other, later),
            "each address has its own bucket"
        );
    }

    #[test]
    fn the_table_of_clients_stays_bounded() {
        let limiter = Limiter::new(1.0);
        let start = Instant::now();
        for n in 0..(MAX_CLIENTS as u32 + 500) {
            let client = IpAddr::from(n.to_be_bytes());
            limiter.allow(client, start);
        }
        assert!(limiter.clients() <= MAX_CLIENTS, "{}", limiter.clients());
    }
}
