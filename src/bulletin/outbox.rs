//! What the outbox holds: one rendered body per (bulletin, slot, locale, zone) group, one message
//! per (bulletin, slot, subscriber), and the status machine each message goes through.
//!
//! ```text
//! pending ──▶ sending ──▶ sent
//!    ▲           │  └───▶ failed      (a 4xx that will never succeed, or too many attempts)
//!    └───────────┘        (5xx, timeout, refused: pending again with a later next_try)
//! sending, found at the start of a run ──▶ uncertain (the gateway may or may not have it)
//! uncertain ──▶ pending   (policy `resend`, or `newsdigest retry`), else it stays (policy `hold`)
//! planned or claimed for a reader who opted out, or held by quiet hours past their age ──▶ skipped
//! ```
//!
//! A `sent` message may then get delivery reports, one per SMS part ([`Delivery`]): it is
//! `delivered` when every part is, `failed` as soon as one part is not.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a message is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Recorded, not yet handed to the gateway (or handed and refused in a way worth retrying).
    Pending,
    /// Marked just before the gateway was asked; a run that finds it so was killed mid-send.
    Sending,
    /// The gateway accepted it.
    Sent,
    /// Will not be tried again: refused for good, or out of attempts.
    Failed,
    /// A run was killed between asking the gateway and recording its answer.
    Uncertain,
    /// Not sent, on purpose: the reader opted out, or quiet hours outlasted the bulletin's
    /// `quiet_max_age`; the reason is in `last_error`.
    Skipped,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Sending => "sending",
            Status::Sent => "sent",
            Status::Failed => "failed",
            Status::Uncertain => "uncertain",
            Status::Skipped => "skipped",
        }
    }

    /// The status named `text` (as [`Status::as_str`] writes it).
    pub fn parse(text: &str) -> Option<Status> {
        [
            Status::Pending,
            Status::Sending,
            Status::Sent,
            Status::Failed,
            Status::Uncertain,
            Status::Skipped,
        ]
        .into_iter()
        .find(|status| status.as_str() == text)
    }
}

/// One SMS part as the gateway takes it: our own user-data header and the part's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsPart {
    /// The user-data header in hex, including its length octet; empty for a single message.
    pub udh: String,
    /// The encoded payload in hex (packed septets or UCS-2 big-endian), as `count --format json`.
    pub payload: String,
    /// The part's text.
    pub text: String,
}

/// A rendered body, shared by every subscriber of one (locale, zone) group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "channel", rename_all = "lowercase")]
pub enum Content {
    Sms {
        text: String,
        /// `gsm7` or `ucs2`.
        encoding: String,
        parts: Vec<SmsPart>,
    },
    Email {
        subject: String,
        text: String,
        html: String,
    },
}

impl Content {
    /// The SMS a measured `report` describes: its text, encoding, and each part with its
    /// header and payload (hex).
    pub fn sms(report: &crate::sms::report::Report) -> Content {
        Content::Sms {
            text: report.text.clone(),
            encoding: report.encoding.as_str().to_string(),
            parts: report
                .parts
                .iter()
                .map(|part| SmsPart {
                    udh: part.udh.clone().unwrap_or_default(),
                    payload: part.payload.clone().unwrap_or_default(),
                    text: part.text.clone(),
                })
                .collect(),
        }
    }
}

/// One (locale, zone) group's render, as recorded before any message is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Render {
    pub locale: String,
    pub zone: String,
    pub content: Content,
}

/// One subscriber's message in a planned slot.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recipient {
    /// E.164 number or email address.
    pub address: String,
    pub name: Option<String>,
    /// Index into [`Plan::renders`].
    pub render: usize,
    /// Not before this instant (the end of the reader's quiet hours); `None`: at once.
    pub send_after: Option<DateTime<Utc>>,
    /// The reader's quiet hours (`22:00-07:00`, read in the render's zone), kept so that a retry
    /// waits them out too.
    pub quiet: Option<String>,
    /// Recorded `skipped` with this reason instead of `pending` (`opted out`, quiet hours).
    pub skip: Option<String>,
}

/// What the delivery reports of a `sent` message say, all parts together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Delivery {
    /// At least one part reached the operator (SMSC accepted or buffered), not every part the
    /// phone yet.
    Accepted,
    /// Every part reached the phone.
    Delivered,
    /// A part was rejected by the operator or not delivered to the phone.
    Failed,
}

impl Delivery {
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Accepted => "accepted",
            Delivery::Delivered => "delivered",
            Delivery::Failed => "failed",
        }
    }

    /// The delivery named `text` (as [`Delivery::as_str`] writes it).
    pub fn parse(text: &str) -> Option<Delivery> {
        [Delivery::Accepted, Delivery::Delivered, Delivery::Failed]
            .into_iter()
            .find(|delivery| delivery.as_str() == text)
    }
}

/// Everything a run decided for one bulletin's slot, recorded in one transaction.
#[derive(Debug, Clone)]
pub struct Plan {
    pub bulletin: String,
    /// The slot's instant.
    pub slot: DateTime<Utc>,
    /// `sms` or `email`.
    pub channel: String,
    /// The target's name.
    pub target: String,
    /// The keys of the stories in this slot, recorded as sent in the bulletin.
    pub stories: Vec<String>,
    pub renders: Vec<Render>,
    pub recipients: Vec<Recipient>,
    pub planned_at: DateTime<Utc>,
    /// The worker that planned it (`--worker`, else `<host>:<pid>`), shown by `status`.
    pub planned_by: String,
}

/// A message ready to send, as the store hands it out.
#[derive(Debug, Clone)]
pub struct Message {
    pub id: i64,
    pub bulletin: String,
    pub slot: DateTime<Utc>,
    pub address: String,
    pub name: Option<String>,
    pub target: String,
    pub attempts: u32,
    pub render: std::sync::Arc<Render>,
    /// The reader's quiet hours, as recorded with the plan.
    pub quiet: Option<String>,
}

/// What `history` shows of one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryRow {
    pub bulletin: String,
    /// RFC 3339, UTC.
    pub slot: String,
    pub address: String,
    pub channel: String,
    pub target: String,
    pub status: Status,
    pub attempts: u32,
    /// RFC 3339, UTC; `null` until sent.
    pub sent_at: Option<String>,
    /// The gateway's last answer or error.
    pub answer: Option<String>,
    /// The last error, kept after a later success (a retry, or a resend after an interrupted run,
    /// stays visible).
    pub last_error: Option<String>,
    pub locale: String,
    pub zone: String,
    /// Keys of the stories the message carries.
    pub stories: Vec<String>,
    /// What delivery reports say of the whole message; `null` before any report.
    pub delivery: Option<Delivery>,
    /// The failed part and its reason, or how many parts are delivered.
    pub delivery_note: Option<String>,
    /// Each part's latest report, in part order (empty before any).
    pub parts: Vec<PartRow>,
}

/// One SMS part's latest delivery report, as `history` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartRow {
    /// From 1.
    pub part: u32,
    /// `buffered`, `accepted`, `delivered`, `undelivered` or `rejected`.
    pub status: String,
    pub reason: Option<String>,
    /// RFC 3339, UTC.
    pub reported_at: String,
}

/// What `status` shows of one bulletin: its last slot, and its messages by status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BulletinStatus {
    pub bulletin: String,
    /// RFC 3339, UTC; `null` before the first slot.
    pub last_slot: Option<String>,
    /// The worker that planned the last slot.
    pub planned_by: Option<String>,
    pub pending: u64,
    /// `sending` messages per worker holding them, by worker name.
    pub sending: std::collections::BTreeMap<String, u64>,
    pub sent: u64,
    pub failed: u64,
    pub uncertain: u64,
    /// Not sent on purpose (opted-out readers, quiet hours past `quiet_max_age`).
    pub skipped: u64,
    /// Of the `skipped`: the reader opted out.
    pub opted_out: u64,
    /// Of the `sent`: delivery reports say every part reached the phone.
    pub delivered: u64,
    /// Of the `sent`: a part was rejected or not delivered.
    pub undelivered: u64,
    /// Per slot, newest first (at most [`SLOTS_SHOWN`]).
    pub slots: Vec<SlotStatus>,
}

/// One group of messages a store counted for `status`.
#[derive(Debug, Clone, Default)]
pub struct TallyRow {
    /// The worker holding them (`sending`).
    pub worker: Option<String>,
    /// What delivery reports say (`sent`).
    pub delivery: Option<Delivery>,
    /// Why they were skipped (`skipped`).
    pub reason: Option<String>,
    pub count: u64,
}

/// How many slots `status` counts one by one, newest first.
pub const SLOTS_SHOWN: usize = 5;

/// `last_error` of a message skipped because its reader opted out.
pub const OPTED_OUT: &str = "opted out";

/// One slot's messages counted by what became of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SlotStatus {
    /// RFC 3339, UTC.
    pub slot: String,
    /// Waiting to be sent (`pending` or `sending`; quiet hours included).
    pub pending: u64,
    /// Accepted by the gateway, with no final delivery report yet.
    pub sent: u64,
    pub delivered: u64,
    /// Refused by the gateway, out of attempts, or reported undelivered.
    pub failed: u64,
    pub uncertain: u64,
    pub opted_out: u64,
    /// Skipped for another reason.
    pub skipped: u64,
}

impl SlotStatus {
    /// Adds `count` messages in `status` with `delivery`; `reason` is a skipped message's.
    pub fn add(
        &mut self,
        status: Status,
        delivery: Option<Delivery>,
        reason: Option<&str>,
        count: u64,
    ) {
        let counter = match (status, delivery) {
            (Status::Pending | Status::Sending, _) => &mut self.pending,
            (Status::Sent, Some(Delivery::Delivered)) => &mut self.delivered,
            (Status::Sent, Some(Delivery::Failed)) | (Status::Failed, _) => &mut self.failed,
            (Status::Sent, _) => &mut self.sent,
            (Status::Uncertain, _) => &mut self.uncertain,
            (Status::Skipped, _) if reason == Some(OPTED_OUT) => &mut self.opted_out,
            (Status::Skipped, _) => &mut self.skipped,
        };
        *counter += count;
    }
}

impl BulletinStatus {
    /// Adds `count` messages in `status` (held by `worker` when `sending`).
    pub fn add(&mut self, status: Status, worker: Option<String>, count: u64) {
        match status {
            Status::Pending => self.pending += count,
            Status::Sending => {
                let worker = worker.unwrap_or_else(|| "(unknown)".into());
                *self.sending.entry(worker).or_default() += count;
            }
            Status::Sent => self.sent += count,
            Status::Failed => self.failed += count,
            Status::Uncertain => self.uncertain += count,
            Status::Skipped => self.skipped += count,
        }
    }

    /// Counts `count` messages of `slot` (RFC 3339) in `status`: held by `worker` when
    /// `sending`, with `delivery` when `sent`, skipped for `reason` when `skipped`.
    pub fn tally(&mut self, slot: String, status: Status, row: TallyRow) {
        let TallyRow {
            worker,
            delivery,
            reason,
            count,
        } = row;
        self.add(status, worker, count);
        self.add_outcome(status, delivery, reason.as_deref(), count);
        let at = match self.slots.iter().rposition(|s| s.slot == slot) {
            Some(at) => at,
            None => {
                self.slots.push(SlotStatus {
                    slot,
                    ..SlotStatus::default()
                });
                self.slots.len() - 1
            }
        };
        self.slots[at].add(status, delivery, reason.as_deref(), count);
    }

    /// Keeps the [`SLOTS_SHOWN`] newest slots, newest first.
    pub fn keep_recent_slots(&mut self) {
        // RFC 3339 in UTC with whole seconds sorts as time does.
        self.slots.sort_by(|a, b| b.slot.cmp(&a.slot));
        self.slots.truncate(SLOTS_SHOWN);
    }

    /// Counts `count` messages in `status` again by what they became: `sent` ones by their
    /// `delivery`, `skipped` ones by their `reason`.
    pub fn add_outcome(
        &mut self,
        status: Status,
        delivery: Option<Delivery>,
        reason: Option<&str>,
        count: u64,
    ) {
        match (status, delivery) {
            (Status::Skipped, _) if reason == Some(OPTED_OUT) => self.opted_out += count,
            (Status::Sent, Some(Delivery::Delivered)) => self.delivered += count,
            (Status::Sent, Some(Delivery::Failed)) => self.undelivered += count,
            _ => {}
        }
    }
}
