//! Delivery reports and opt-outs in PostgreSQL: each part's latest report (only ever raised), the
//! message's delivery derived from all its parts, and the readers who said STOP. A report locks
//! its message's row first, so two reports on one message (from two `serve` processes) are
//! recorded one after the other.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use postgres::Transaction;

use super::Fault;
use crate::bulletin::delivery::{self, PartReport, PartStatus, Recorded, Reported};
use crate::bulletin::outbox::Delivery;

/// Records `report` (see [`Store::record_report`](crate::bulletin::store::Store::record_report)).
pub fn record(
    tx: &mut Transaction<'_>,
    report: &PartReport,
    now: DateTime<Utc>,
) -> Result<Recorded, Fault> {
    let Some(found) = find(tx, report)? else {
        return Ok(Recorded::Unknown);
    };
    let (id, total, delivery) = (found.id, found.total_parts(), found.delivery);
    let numbers = match found.parts_of(report) {
        Ok(numbers) => numbers,
        Err(refused) => return Ok(refused),
    };
    let mut moved = false;
    for part in numbers {
        let number = i32::try_from(part).unwrap_or(i32::MAX);
        let known = tx
            .query_opt(
                "SELECT status FROM parts WHERE message_id = $1 AND part = $2",
                &[&id, &number],
            )?
            .and_then(|row| PartStatus::parse(row.get::<_, &str>(0)));
        if known.is_some_and(|known| !known.moves_to(report.status)) {
            continue;
        }
        tx.execute(
            "INSERT INTO parts (message_id, part, status, reason, reported_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (message_id, part) DO UPDATE SET status = excluded.status,
                 reason = excluded.reason, reported_at = excluded.reported_at",
            &[
                &id,
                &number,
                &report.status.as_str(),
                &report.reason,
                &now.timestamp(),
            ],
        )?;
        moved = true;
    }
    if !moved {
        return Ok(Recorded::Unchanged {
            message: id,
            delivery,
        });
    }
    let mut reports = Vec::new();
    for row in tx.query(
        "SELECT part, status, reason FROM parts WHERE message_id = $1 ORDER BY part",
        &[&id],
    )? {
        let status: &str = row.get(1);
        let status = PartStatus::parse(status)
            .ok_or_else(|| Fault(format!("part status {status:?} of message {id}")))?;
        let part: i32 = row.get(0);
        reports.push((u32::try_from(part).unwrap_or(0), status, row.get(2)));
    }
    let (delivery, note) = delivery::derive(total, &reports);
    tx.execute(
        "UPDATE messages SET delivery = $2, delivery_note = $3, reported_at = $4 WHERE id = $1",
        &[&id, &delivery.as_str(), &note, &now.timestamp()],
    )?;
    Ok(Recorded::Updated {
        message: id,
        delivery,
    })
}

/// The message a report is about (locked for this transaction): the one its id names when the
/// address matches (or none is given), else the message to that address in the same slot.
fn find(tx: &mut Transaction<'_>, report: &PartReport) -> Result<Option<Reported>, Fault> {
    let Some(named) = tx.query_opt(
        "SELECT address, bulletin, slot FROM messages WHERE id = $1",
        &[&report.message],
    )?
    else {
        return Ok(None);
    };
    let (address, bulletin, slot): (String, String, i64) =
        (named.get(0), named.get(1), named.get(2));
    let found = match report.address.as_deref() {
        Some(wanted) if wanted != address => tx.query_opt(
            "SELECT id, parts, delivery FROM messages
             WHERE bulletin = $1 AND slot = $2 AND address = $3 FOR UPDATE",
            &[&bulletin, &slot, &wanted],
        )?,
        _ => tx.query_opt(
            "SELECT id, parts, delivery FROM messages WHERE id = $1 FOR UPDATE",
            &[&report.message],
        )?,
    };
    Ok(found.map(|row| {
        let parts: Option<i32> = row.get(1);
        let delivery: Option<&str> = row.get(2);
        Reported {
            id: row.get(0),
            parts: parts.map(|n| u32::try_from(n).unwrap_or(0)),
            delivery: delivery.and_then(Delivery::parse),
        }
    }))
}

/// Puts `address` on the opt-out list; whether it was not on it.
pub fn opt_out(
    tx: &mut Transaction<'_>,
    address: &str,
    keyword: &str,
    now: DateTime<Utc>,
) -> Result<bool, Fault> {
    let added = tx.execute(
        "INSERT INTO opt_outs (address, keyword, opted_out_at) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
        &[&address, &keyword, &now.timestamp()],
    )?;
    Ok(added == 1)
}

/// Takes `address` off the opt-out list; whether it was on it.
pub fn opt_in(tx: &mut Transaction<'_>, address: &str) -> Result<bool, Fault> {
    Ok(tx.execute("DELETE FROM opt_outs WHERE address = $1", &[&address])? == 1)
}

/// Which of `addresses` are on the opt-out list.
pub fn opted_out(tx: &mut Transaction<'_>, addresses: &[String]) -> Result<HashSet<String>, Fault> {
    let rows = tx.query(
        "SELECT address FROM opt_outs WHERE address = ANY($1)",
        &[&addresses],
    )?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}
