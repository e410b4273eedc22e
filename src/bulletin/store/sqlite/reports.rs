//! Delivery reports and opt-outs in SQLite: each part's latest report (only ever raised), the
//! message's delivery derived from all its parts, and the readers who said STOP.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::{Fault, seconds};
use crate::bulletin::delivery::{self, PartReport, PartStatus, Recorded, Reported};
use crate::bulletin::outbox::Delivery;

/// Records `report` (see [`Store::record_report`](crate::bulletin::store::Store::record_report)).
pub fn record(
    tx: &Transaction,
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
        let known: Option<String> = tx
            .query_row(
                "SELECT status FROM parts WHERE message_id = ?1 AND part = ?2",
                params![id, part],
                |row| row.get(0),
            )
            .optional()?;
        let known = known.as_deref().and_then(PartStatus::parse);
        if known.is_some_and(|known| !known.moves_to(report.status)) {
            continue;
        }
        tx.execute(
            "INSERT INTO parts (message_id, part, status, reason, reported_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (message_id, part) DO UPDATE SET status = excluded.status,
                 reason = excluded.reason, reported_at = excluded.reported_at",
            params![
                id,
                part,
                report.status.as_str(),
                report.reason,
                seconds(now)
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
    let reports = reports_of(tx, id)?;
    let (delivery, note) = delivery::derive(total, &reports);
    tx.execute(
        "UPDATE messages SET delivery = ?2, delivery_note = ?3, reported_at = ?4 WHERE id = ?1",
        params![id, delivery.as_str(), note, seconds(now)],
    )?;
    Ok(Recorded::Updated {
        message: id,
        delivery,
    })
}

/// The message a report is about: the one its id names when the address matches (or none is
/// given), else the message to that address in the same bulletin's slot.
fn find(tx: &Transaction, report: &PartReport) -> Result<Option<Reported>, Fault> {
    let named: Option<(String, String, i64)> = tx
        .query_row(
            "SELECT address, bulletin, slot FROM messages WHERE id = ?1",
            [report.message],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    let Some((address, bulletin, slot)) = named else {
        return Ok(None);
    };
    let row = |row: &rusqlite::Row<'_>| {
        let delivery: Option<String> = row.get(2)?;
        Ok(Reported {
            id: row.get(0)?,
            parts: row.get(1)?,
            delivery: delivery.as_deref().and_then(Delivery::parse),
        })
    };
    let found = match report.address.as_deref() {
        Some(wanted) if wanted != address => tx
            .query_row(
                "SELECT id, parts, delivery FROM messages
                 WHERE bulletin = ?1 AND slot = ?2 AND address = ?3",
                params![bulletin, slot, wanted],
                row,
            )
            .optional()?,
        _ => tx
            .query_row(
                "SELECT id, parts, delivery FROM messages WHERE id = ?1",
                [report.message],
                row,
            )
            .optional()?,
    };
    Ok(found)
}

/// Message `id`'s parts' latest reports, in part order.
fn reports_of(tx: &Transaction, id: i64) -> Result<Vec<(u32, PartStatus, Option<String>)>, Fault> {
    let mut select = tx.prepare_cached(
        "SELECT part, status, reason FROM parts WHERE message_id = ?1 ORDER BY part",
    )?;
    let rows = select.query_map([id], |row| {
        let status: String = row.get(1)?;
        Ok((row.get(0)?, status, row.get(2)?))
    })?;
    let mut reports = Vec::new();
    for row in rows {
        let (part, status, reason): (u32, String, Option<String>) = row?;
        let status = PartStatus::parse(&status)
            .ok_or_else(|| Fault(format!("part status {status:?} of message {id}")))?;
        reports.push((part, status, reason));
    }
    Ok(reports)
}

/// Puts `address` on the opt-out list; whether it was not on it.
pub fn opt_out(
    tx: &Transaction,
    address: &str,
    keyword: &str,
    now: DateTime<Utc>,
) -> Result<bool, Fault> {
    let added = tx.execute(
        "INSERT OR IGNORE INTO opt_outs (address, keyword, opted_out_at) VALUES (?1, ?2, ?3)",
        params![address, keyword, seconds(now)],
    )?;
    Ok(added == 1)
}

/// Takes `address` off the opt-out list; whether it was on it.
pub fn opt_in(tx: &Transaction, address: &str) -> Result<bool, Fault> {
    Ok(tx.execute("DELETE FROM opt_outs WHERE address = ?1", [address])? == 1)
}

/// Which of `addresses` are on the opt-out list.
pub fn opted_out(tx: &Transaction, addresses: &[String]) -> Result<HashSet<String>, Fault> {
    let mut select = tx.prepare_cached("SELECT 1 FROM opt_outs WHERE address = ?1")?;
    let mut found = HashSet::new();
    for address in addresses {
        if select.exists([address])? {
            found.insert(address.clone());
        }
    }
    Ok(found)
}
