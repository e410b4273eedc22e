//! What `status` reads from SQLite: per bulletin, its last slot and who planned it, and its
//! messages counted by status (`sending` per worker).

use std::collections::BTreeMap;

use rusqlite::Transaction;

use super::{Fault, instant, rfc3339};
use crate::bulletin::outbox::{BulletinStatus, Status};

/// Every bulletin with a slot, by name.
pub fn bulletins(tx: &Transaction) -> Result<Vec<BulletinStatus>, Fault> {
    let mut found: BTreeMap<String, BulletinStatus> = BTreeMap::new();
    let mut slots = tx.prepare(
        "SELECT s.bulletin, s.slot, s.planned_by FROM slots AS s
         WHERE s.slot = (SELECT max(slot) FROM slots WHERE bulletin = s.bulletin)",
    )?;
    let mut rows = slots.query([])?;
    while let Some(row) = rows.next()? {
        let bulletin: String = row.get(0)?;
        let entry = found.entry(bulletin.clone()).or_default();
        entry.bulletin = bulletin;
        entry.last_slot = Some(rfc3339(instant(row, 1)?));
        entry.planned_by = row.get(2)?;
    }
    let mut counts = tx.prepare(
        "SELECT bulletin, status, CASE WHEN status = 'sending' THEN claimed_by END, count(*)
         FROM messages GROUP BY 1, 2, 3",
    )?;
    let mut rows = counts.query([])?;
    while let Some(row) = rows.next()? {
        let bulletin: String = row.get(0)?;
        let status: Status = row.get(1)?;
        let count: i64 = row.get(3)?;
        let entry = found.entry(bulletin.clone()).or_default();
        entry.bulletin = bulletin;
        entry.add(status, row.get(2)?, u64::try_from(count).unwrap_or(0));
    }
    Ok(found.into_values().collect())
}
