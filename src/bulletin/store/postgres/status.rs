//! What `status` reads from PostgreSQL: per bulletin, its last slot and who planned it, and its
//! messages counted by status (`sending` per worker holding them).

use std::collections::BTreeMap;

use postgres::Transaction;

use super::{Fault, to_instant};
use crate::bulletin::outbox::{BulletinStatus, Status};
use crate::bulletin::store::rfc3339;

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
    let counts = tx.query(
        "SELECT bulletin, status, CASE WHEN status = 'sending' THEN claimed_by END, count(*)
         FROM messages GROUP BY 1, 2, 3",
        &[],
    )?;
    for row in counts {
        let bulletin: String = row.get(0);
        let name: String = row.get(1);
        let status = Status::parse(&name).ok_or_else(|| Fault(format!("status {name:?}")))?;
        let count: i64 = row.get(3);
        let entry = found.entry(bulletin.clone()).or_default();
        entry.bulletin = bulletin;
        entry.add(status, row.get(2), u64::try_from(count).unwrap_or(0));
    }
    Ok(found.into_values().collect())
}
