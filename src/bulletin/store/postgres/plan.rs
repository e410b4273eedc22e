//! Planning a slot in PostgreSQL: the last slot, the stories a bulletin already sent, and
//! recording a plan. The slot row goes in first (`ON CONFLICT DO NOTHING`): when two hosts plan
//! the same slot at once, the second waits on the first's row and, once it commits, records
//! nothing. A large bulletin's messages go in as one `INSERT ... SELECT FROM unnest(...)`.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use postgres::Transaction;

use super::{Fault, to_instant};
use crate::bulletin::outbox::Plan;
use crate::bulletin::store::MessageRow;

/// The latest slot recorded for `bulletin`.
pub fn last_slot(tx: &mut Transaction<'_>, bulletin: &str) -> Result<Option<DateTime<Utc>>, Fault> {
    let row = tx.query_one(
        "SELECT max(slot) FROM slots WHERE bulletin = $1",
        &[&bulletin],
    )?;
    row.get::<_, Option<i64>>(0).map(to_instant).transpose()
}

/// Which of `keys` were sent in `bulletin`, in the order given.
pub fn sent_stories(
    tx: &mut Transaction<'_>,
    bulletin: &str,
    keys: &[String],
) -> Result<Vec<String>, Fault> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let rows = tx.query(
        "SELECT story_key FROM story_sent WHERE bulletin = $1 AND story_key = ANY($2)",
        &[&bulletin, &keys],
    )?;
    let sent: HashSet<String> = rows.iter().map(|row| row.get(0)).collect();
    Ok(keys
        .iter()
        .filter(|key| sent.contains(*key))
        .cloned()
        .collect())
}

/// Records `plan`; `false`, recording nothing, when its slot is already recorded.
pub fn record(tx: &mut Transaction<'_>, plan: &Plan) -> Result<bool, Fault> {
    ensure_recipients(plan)?;
    let stories = serde_json::to_string(&plan.stories).map_err(|e| Fault(e.to_string()))?;
    let slot = plan.slot.timestamp();
    let inserted = tx.execute(
        "INSERT INTO slots (bulletin, slot, planned_at, channel, target, stories, planned_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        &[
            &plan.bulletin,
            &slot,
            &plan.planned_at.timestamp(),
            &plan.channel,
            &plan.target,
            &stories,
            &plan.planned_by,
        ],
    )?;
    if inserted == 0 {
        return Ok(false);
    }
    tx.execute(
        "INSERT INTO story_sent (bulletin, story_key, slot)
         SELECT $1, key, $2 FROM unnest($3::text[]) AS key ON CONFLICT DO NOTHING",
        &[&plan.bulletin, &slot, &plan.stories],
    )?;
    let mut renders = Vec::with_capacity(plan.renders.len());
    for render in &plan.renders {
        let content = serde_json::to_string(&render.content).map_err(|e| Fault(e.to_string()))?;
        let row = tx.query_one(
            "INSERT INTO renders (bulletin, slot, locale, zone, content)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            &[
                &plan.bulletin,
                &slot,
                &render.locale,
                &render.zone,
                &content,
            ],
        )?;
        renders.push(row.get::<_, i64>(0));
    }
    let rows = plan
        .recipients
        .iter()
        .map(|recipient| MessageRow::of(plan, recipient))
        .collect::<Result<Vec<_>, String>>()
        .map_err(Fault)?;
    let planned_at = plan.planned_at.timestamp();
    let addresses: Vec<&str> = plan.recipients.iter().map(|r| r.address.as_str()).collect();
    let names: Vec<Option<&str>> = plan.recipients.iter().map(|r| r.name.as_deref()).collect();
    let render_ids: Vec<i64> = plan.recipients.iter().map(|r| renders[r.render]).collect();
    let statuses: Vec<&str> = rows.iter().map(|row| row.status).collect();
    let due: Vec<i64> = rows
        .iter()
        .map(|row| row.due.map_or(planned_at, |due| due.timestamp()))
        .collect();
    let quiet: Vec<Option<&str>> = plan.recipients.iter().map(|r| r.quiet.as_deref()).collect();
    let parts: Vec<Option<i32>> = rows
        .iter()
        .map(|row| row.parts.map(|n| i32::try_from(n).unwrap_or(i32::MAX)))
        .collect();
    let skips: Vec<Option<&str>> = rows.iter().map(|row| row.skip).collect();
    tx.execute(
        "INSERT INTO messages (bulletin, slot, address, name, render_id, status, next_try, quiet,
             parts, last_error, finished_at)
         SELECT $1, $2, address, name, render_id, status, next_try, quiet, parts, skip,
             CASE WHEN skip IS NULL THEN NULL ELSE $3::bigint END
         FROM unnest($4::text[], $5::text[], $6::bigint[], $7::text[], $8::bigint[], $9::text[],
             $10::int[], $11::text[])
             AS u (address, name, render_id, status, next_try, quiet, parts, skip)",
        &[
            &plan.bulletin,
            &slot,
            &planned_at,
            &addresses,
            &names,
            &render_ids,
            &statuses,
            &due,
            &quiet,
            &parts,
            &skips,
        ],
    )?;
    if plan.recipients.len() >= ANALYZE_AFTER {
        // Fresh statistics, so that claims walk the pending index in order rather than sort
        // every pending row of a bulletin that just grew by this much.
        tx.batch_execute("ANALYZE messages")?;
    }
    Ok(true)
}

/// Recipients in one plan from which the outbox's statistics are refreshed at once.
const ANALYZE_AFTER: usize = 1000;

/// Every recipient has its render and is listed once (checked before anything is written, so
/// the error names the recipient).
fn ensure_recipients(plan: &Plan) -> Result<(), Fault> {
    let mut seen = HashSet::with_capacity(plan.recipients.len());
    for recipient in &plan.recipients {
        if recipient.render >= plan.renders.len() {
            return Err(Fault(format!(
                "bulletin {}: recipient {} has render {}, but the plan has {}",
                plan.bulletin,
                recipient.address,
                recipient.render,
                plan.renders.len()
            )));
        }
        if !seen.insert(recipient.address.as_str()) {
            return Err(Fault(format!(
                "bulletin {}: {} is listed twice in one slot",
                plan.bulletin, recipient.address
            )));
        }
    }
    Ok(())
}
