//! Delivery reports: what one report says of one SMS part ([`PartStatus`]), the order statuses
//! may move in (never backwards), and what all of a message's parts say together
//! ([`derive()`]).
//!
//! newsdigest submits every part of a message itself (with its own UDH), so it asks Kannel for a
//! report on each part (`dlr-mask=27`: delivered, undelivered, SMSC accepted, SMSC rejected) and
//! combines them: a message is `delivered` only when every part is; it has `failed` as soon as one
//! part was rejected or not delivered, naming the part and the reason. Reports may arrive late,
//! twice or out of order (an SMSC's "accepted" after the phone's "delivered"): a part's status
//! only moves to a higher [`PartStatus::rank`], and a final one (delivered, undelivered,
//! rejected) never changes.
//!
//! ```
//! use newsdigest::bulletin::delivery::{PartStatus, derive};
//! use newsdigest::bulletin::outbox::Delivery;
//! assert_eq!(PartStatus::from_kannel(1), Some(PartStatus::Delivered));
//! let reports = [(1, PartStatus::Delivered, None), (2, PartStatus::Accepted, None)];
//! assert_eq!(derive(2, &reports).0, Delivery::Accepted);
//! ```

use serde::{Deserialize, Serialize};

use super::outbox::Delivery;

/// What a report says of one part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PartStatus {
    /// Queued by the operator's SMSC for later (Kannel type 4).
    Buffered,
    /// Accepted by the operator's SMSC (Kannel type 8).
    Accepted,
    /// Delivered to the phone (Kannel type 1).
    Delivered,
    /// Not delivered to the phone (Kannel type 2).
    Undelivered,
    /// Rejected by the operator's SMSC (Kannel type 16).
    Rejected,
}

impl PartStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PartStatus::Buffered => "buffered",
            PartStatus::Accepted => "accepted",
            PartStatus::Delivered => "delivered",
            PartStatus::Undelivered => "undelivered",
            PartStatus::Rejected => "rejected",
        }
    }

    /// The status named `text` (as [`PartStatus::as_str`] writes it).
    pub fn parse(text: &str) -> Option<PartStatus> {
        [
            PartStatus::Buffered,
            PartStatus::Accepted,
            PartStatus::Delivered,
            PartStatus::Undelivered,
            PartStatus::Rejected,
        ]
        .into_iter()
        .find(|status| status.as_str() == text)
    }

    /// Kannel's report type (`%d` in a `dlr-url`): 1 delivered, 2 undelivered, 4 buffered,
    /// 8 SMSC accepted, 16 SMSC rejected.
    pub fn from_kannel(kind: u32) -> Option<PartStatus> {
        Some(match kind {
            1 => PartStatus::Delivered,
            2 => PartStatus::Undelivered,
            4 => PartStatus::Buffered,
            8 => PartStatus::Accepted,
            16 => PartStatus::Rejected,
            _ => return None,
        })
    }

    /// How far along a part is: a report may only raise it. The three final statuses share the
    /// top rank, so the first of them stays.
    pub fn rank(self) -> u8 {
        match self {
            PartStatus::Buffered => 1,
            PartStatus::Accepted => 2,
            PartStatus::Delivered | PartStatus::Undelivered | PartStatus::Rejected => 3,
        }
    }

    /// Whether a part now `self` takes a report saying `new`.
    pub fn moves_to(self, new: PartStatus) -> bool {
        new.rank() > self.rank()
    }

    fn failed(self) -> bool {
        matches!(self, PartStatus::Undelivered | PartStatus::Rejected)
    }
}

/// The message's delivery from its parts' latest reports (`(part, status, reason)`, parts
/// counted from 1) when it has `total` parts, and a note: the failed part and its reason, or how
/// many parts are delivered.
pub fn derive(total: u32, reports: &[(u32, PartStatus, Option<String>)]) -> (Delivery, String) {
    let total = total.max(1);
    if let Some((part, status, reason)) = reports.iter().find(|(_, status, _)| status.failed()) {
        let reason = reason
            .as_deref()
            .filter(|reason| !reason.is_empty())
            .map(|reason| format!(": {reason}"))
            .unwrap_or_default();
        let note = format!("part {part} of {total} {}{reason}", status.as_str());
        return (Delivery::Failed, note);
    }
    let delivered = reports
        .iter()
        .filter(|(part, status, _)| *status == PartStatus::Delivered && (1..=total).contains(part))
        .count();
    let note = format!("{delivered} of {total} parts delivered");
    if delivered == total as usize {
        (Delivery::Delivered, note)
    } else {
        (Delivery::Accepted, note)
    }
}

/// One report, as `serve` received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartReport {
    /// The outbox id the report's URL carries.
    pub message: i64,
    /// The recipient the gateway reports on (Kannel's `%p`): a batched request's URL carries
    /// the first message's id, and the recipient finds the right message of the same slot.
    pub address: Option<String>,
    /// From 1; `None` for a report on the whole message (a webhook's status callback).
    pub part: Option<u32>,
    pub status: PartStatus,
    /// The gateway's words (Kannel's `%A`), kept with a failure.
    pub reason: Option<String>,
}

/// The message a report is about, as a store found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reported {
    pub id: i64,
    /// SMS parts submitted (`None`: an email, or recorded before parts were counted: one).
    pub parts: Option<u32>,
    pub delivery: Option<Delivery>,
}

impl Reported {
    /// The part numbers `report` is about (every part for a whole-message report), or what to
    /// answer when its part is not one of this message's.
    pub fn parts_of(&self, report: &PartReport) -> Result<Vec<u32>, Recorded> {
        let total = self.total_parts();
        match report.part {
            Some(part) if part == 0 || part > total => Err(Recorded::NoSuchPart { parts: total }),
            Some(part) => Ok(vec![part]),
            None => Ok((1..=total).collect()),
        }
    }

    /// Its parts, one at least.
    pub fn total_parts(&self) -> u32 {
        self.parts.unwrap_or(1).max(1)
    }
}

/// What recording a report did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// No such message (or no message of that slot for the address).
    Unknown,
    /// The part number is past the message's parts.
    NoSuchPart { parts: u32 },
    /// The report changed nothing (a repeat, or older than what is known).
    Unchanged {
        message: i64,
        delivery: Option<Delivery>,
    },
    /// The part moved; the message's delivery is now this.
    Updated { message: i64, delivery: Delivery },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kannel_types_map_to_part_statuses() {
        let kinds: Vec<Option<PartStatus>> = [1, 2, 4, 8, 16, 3, 0, 32]
            .into_iter()
            .map(PartStatus::from_kannel)
            .collect();
        use PartStatus::*;
        assert_eq!(
            kinds,
            [
                Some(Delivered),
                Some(Undelivered),
                Some(Buffered),
                Some(Accepted),
                Some(Rejected),
                None,
                None,
                None
            ]
        );
    }

    #[test]
    fn statuses_never_move_backwards() {
        use PartStatus::*;
        assert!(Buffered.moves_to(Accepted));
        assert!(Accepted.moves_to(Delivered));
        assert!(!Delivered.moves_to(Accepted), "a late SMSC accept");
        assert!(
            !Delivered.moves_to(Undelivered),
            "the first final report stays"
        );
        assert!(!Undelivered.moves_to(Delivered));
        assert!(!Accepted.moves_to(Accepted), "a repeat changes nothing");
        assert!(!Accepted.moves_to(Buffered));
        for status in [Buffered, Accepted, Delivered, Undelivered, Rejected] {
            assert_eq!(PartStatus::parse(status.as_str()), Some(status));
        }
    }

    #[test]
    fn a_message_is_delivered_only_when_every_part_is() {
        use PartStatus::*;
        let one = [(1, Delivered, None)];
        assert_eq!(
            derive(2, &one),
            (Delivery::Accepted, "1 of 2 parts delivered".into())
        );
        let both = [(1, Delivered, None), (2, Delivered, None)];
        assert_eq!(
            derive(2, &both),
            (Delivery::Delivered, "2 of 2 parts delivered".into())
        );
        let failed = [
            (1, Delivered, None),
            (2, Undelivered, Some("absent subscriber".to_string())),
        ];
        assert_eq!(
            derive(2, &failed),
            (
                Delivery::Failed,
                "part 2 of 2 undelivered: absent subscriber".into()
            )
        );
        assert_eq!(derive(1, &[]).0, Delivery::Accepted);
        // A part number past the total does not make the message delivered.
        assert_eq!(derive(1, &[(2, Delivered, None)]).0, Delivery::Accepted);
    }
}
