//! What `status` reads from PostgreSQL: per bulletin, its last slot and who planned it, and its
//! messages counted by status (`sending` per worker holding them, `sent` by delivery, `skipped`
//! by reason), over all its slots and for each of the latest.

use std::collections::BTreeMap;

use postgres::Transaction;

use super::{Fault, to_instant};
use crate::bulletin::outbox::{BulletinStatus, Delivery, Status, TallyRow};
use crate::bulletin::store::{COUNTS, rfc3339};

/// Every bulletin with a slot, by name.
pub fn bulletins(tx: &mut Transaction<'_>) -> Result<Vec<BulletinStatus>, Fault> {
    let mut found: BTreeMap<String, BulletinStatus> = BTreeMap::new();
    let slots = tx.query(
        "SELECT DISTINCT ON (bulletin) bulletin, slot, planned_by FROM slots
         ORDER BY bulletin, slot DESC",
        &[],
    )?;
    for row in slots {
        let bulletin: String = row.get(0);
        let entry = found.entry(bulletin.clone()).or_default();
        entry.bulletin = bulletin;
        entry.last_slot = Some(rfc3339(to_instant(row.get(1))?));
        entry.planned_by = row.get(2);
    }
    for row in tx.query(COUNTS, &[])? {
        let bulletin: String = row.get(0);
        let slot = rfc3339(to_instant(row.get(1))?);
        let name: String = row.get(2);
        let status = Status::parse(&name).ok_or_else(|| Fault(format!("status {name:?}")))?;
        let delivery: Option<String> = row.get(4);
        let count: i64 = row.get(6);
        let tally = TallyRow {
            worker: row.get(3),
            delivery: delivery.as_deref().and_then(Delivery::parse),
            reason: row.get(5),
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
