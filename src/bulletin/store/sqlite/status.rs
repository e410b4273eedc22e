//! What `status` reads from SQLite: per bulletin, its last slot and who planned it, and its
//! messages counted by status (`sending` per worker, `sent` by delivery, `skipped` by reason),
//! over all its slots and for each of the latest.

use std::collections::BTreeMap;

use rusqlite::Transaction;

use super::{Fault, instant, rfc3339};
use crate::bulletin::outbox::{BulletinStatus, Delivery, Status, TallyRow};
use crate::bulletin::store::COUNTS;

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
    let mut counts = tx.prepare(COUNTS)?;
    let mut rows = counts.query([])?;
    while let Some(row) = rows.next()? {
        let bulletin: String = row.get(0)?;
        let slot = rfc3339(instant(row, 1)?);
        let status: Status = row.get(2)?;
        let delivery: Option<String> = row.get(4)?;
        let count: i64 = row.get(6)?;
        let tally = TallyRow {
            worker: row.get(3)?,
            delivery: delivery.as_deref().and_then(Delivery::parse),
            reason: row.get(5)?,
            count: u64::try_from(count).unwrap_or(0),
        };
        let entry = found.entry(bulletin.clone()).or_default();
        entry.bulletin = bulletin;
        entry.tally(slot, status, tally);
    }
    for entry in found.values_mut() {
        entry.keep_recent_slots();
    }
    Ok(found.into_values().collect())
}
