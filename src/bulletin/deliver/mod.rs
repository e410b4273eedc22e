//! Delivery: one [`Gateway`] per configured target, built by [`open`] from its
//! [`TargetConfig`](super::config::TargetConfig).
//!
//! A gateway is given a batch of messages that share one render (so a gateway that takes several
//! recipients in one request, as Kannel does, can use it) and answers one [`Outcome`] per message,
//! in order. Rate limits and concurrency are applied by [`Pacer`](rate::Pacer), around the gateway.

pub mod mail;
pub mod sendmail;
pub mod smtp;

use super::outbox::Message;

/// What became of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted; the gateway's answer (`202 Sent.`, `250 OK queued as ...`, a file path).
    Sent(String),
    /// Not accepted, and worth trying again later: the gateway is down, slow, or answered 5xx.
    RetryLater(String),
    /// Refused for good (a bad number, 4xx): trying again will not help.
    Failed(String),
}

/// A delivery target.
pub trait Gateway: Send + Sync {
    /// How many messages (sharing one render) one call may take.
    fn batch_size(&self) -> usize {
        1
    }

    /// Sends `messages` (at most [`Gateway::batch_size`], all with the same render); one outcome
    /// per message, in order.
    fn send(&self, messages: &[&Message]) -> Vec<Outcome>;
}
