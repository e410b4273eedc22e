//! Planning a slot: which slot came last, which stories a bulletin already sent, and recording a
//! slot's plan (its stories, renders and one `pending` message per recipient).
//!
//! Recording is the hot path of a large bulletin (one row per subscriber), so it runs in the
//! caller's single transaction with cached prepared statements.

use chrono::{DateTime, Utc};
use rusqlite::{ErrorCode, OptionalExtension, Transaction, params};

use super::{Fault, seconds, to_instant};
use crate::bulletin::outbox::{Plan, Recipient};
use crate::bulletin::store::MessageRow;

/// The latest slot recorded for `bulletin`.
pub fn last_slot(tx: &Transaction, bulletin: &str) -> Result<Option<DateTime<Utc>>, Fault> {
    let latest: Option<i64> = tx
        .query_row(
            "SELECT max(slot) FROM slots WHERE bulletin = ?1",
            [bulletin],
            |row| row.get(0),
        )
        .optional()?
        .flatten();
    latest
        .map(|stored| {
            to_instant(stored).ok_or_else(|| Fault(format!("slot {stored} is out of range")))
        })
        .transpose()
}

/// Which of `keys` were sent in `bulletin`, in the order given.
pub fn sent_stories(
    tx: &Transaction,
    bulletin: &str,
    keys: &[String],
) -> Result<Vec<String>, Fault> {
    let mut sent =
        tx.prepare_cached("SELECT 1 FROM story_sent WHERE bulletin = ?1 AND story_key = ?2")?;
    let mut found = Vec::new();
    for key in keys {
        if sent.exists(params![bulletin, key])? {
            found.push(key.clone());
        }
    }
    Ok(found)
}

/// Records `plan`; `false`, recording nothing, when its slot is already recorded.
pub fn record(tx: &Transaction, plan: &Plan) -> Result<bool, Fault> {
    let stories = serde_json::to_string(&plan.stories).map_err(|e| Fault(e.to_string()))?;
    let inserted = tx.execute(
        "INSERT OR IGNORE INTO slots
             (bulletin, slot, planned_at, channel, target, stories, planned_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            plan.bulletin,
            seconds(plan.slot),
            seconds(plan.planned_at),
            plan.channel,
            plan.target,
            stories,
            plan.planned_by
        ],
    )?;
    if inserted == 0 {
        return Ok(false);
    }
    record_stories(tx, plan)?;
    let renders = record_renders(tx, plan)?;
    record_messages(tx, plan, &renders)?;
    Ok(true)
}

/// Marks the plan's stories sent in its bulletin (a story already sent keeps its first slot).
fn record_stories(tx: &Transaction, plan: &Plan) -> Result<(), Fault> {
    let mut insert = tx.prepare_cached(
        "INSERT OR IGNORE INTO story_sent (bulletin, story_key, slot) VALUES (?1, ?2, ?3)",
    )?;
    for key in &plan.stories {
        insert.execute(params![plan.bulletin, key, seconds(plan.slot)])?;
    }
    Ok(())
}

/// Records each render; returns their ids, in the plan's order.
fn record_renders(tx: &Transaction, plan: &Plan) -> Result<Vec<i64>, Fault> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO renders (bulletin, slot, locale, zone, content) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut ids = Vec::with_capacity(plan.renders.len());
    for render in &plan.renders {
        let content = serde_json::to_string(&render.content).map_err(|e| Fault(e.to_string()))?;
        let id = insert.insert(params![
            plan.bulletin,
            seconds(plan.slot),
            render.locale,
            render.zone,
            content
        ])?;
        ids.push(id);
    }
    Ok(ids)
}

/// Records one message per recipient: `pending`, due at the plan's time or after the reader's
/// quiet hours, or `skipped` with its reason.
fn record_messages(tx: &Transaction, plan: &Plan, renders: &[i64]) -> Result<(), Fault> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO messages
             (bulletin, slot, address, name, render_id, status, next_try, quiet, parts,
              last_error, finished_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    let (slot, planned_at) = (seconds(plan.slot), seconds(plan.planned_at));
    for recipient in &plan.recipients {
        let row = MessageRow::of(plan, recipient).map_err(Fault)?;
        let render = renders[recipient.render];
        let finished_at = row.skip.map(|_| planned_at);
        insert
            .execute(params![
                plan.bulletin,
                slot,
                recipient.address,
                recipient.name,
                render,
                row.status,
                row.due.map_or(planned_at, seconds),
                recipient.quiet,
                row.parts,
                row.skip,
                finished_at
            ])
            .map_err(|e| refused_recipient(e, plan, recipient))?;
    }
    Ok(())
}

/// Names a recipient listed twice, the one constraint a plan can break.
fn refused_recipient(error: rusqlite::Error, plan: &Plan, recipient: &Recipient) -> Fault {
    if error.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) {
        Fault(format!(
            "bulletin {}: {} is listed twice in one slot",
            plan.bulletin, recipient.address
        ))
    } else {
        error.into()
    }
}
