//! The outbox's status machine in SQL: handing out due messages, recording each step of a send,
//! recovering from a killed run, and `retry`.
//!
//! Every step checks the status it moves from (`pending` → `sending` → `sent` / `pending` /
//! `failed`), so a step out of order is an error that changes nothing, never a silent rewrite.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, ToSql, Transaction, named_params, params, params_from_iter};

use super::filter::Conditions;
use super::{Fault, instant, seconds};
use crate::bulletin::outbox::{Message, Render, Status};
use crate::bulletin::store::{Claimant, Filter, HELD_NOTE, RESENT_NOTE, Sweep, UncertainPolicy};

/// Up to `limit` pending messages due at `now`: oldest slot first, then by render (so a batch
/// shares one), then in recording order. Each render is read once and shared.
pub fn due(
    tx: &Transaction,
    bulletins: &[String],
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<Message>, Fault> {
    let mut conditions = Conditions::default();
    let names = bulletins.iter().map(|b| Value::Text(b.clone()));
    conditions.one_of("m.bulletin", names.collect());
    let sql = format!(
        "SELECT m.id, m.bulletin, m.slot, m.address, m.name, s.target, m.attempts, m.render_id,
             m.quiet
         FROM messages AS m JOIN slots AS s ON s.bulletin = m.bulletin AND s.slot = m.slot
         WHERE m.status = 'pending' AND m.next_try <= ?{}
         ORDER BY m.slot, m.render_id, m.id LIMIT ?",
        conditions.sql
    );
    let mut values = vec![Value::Integer(seconds(now))];
    values.extend(conditions.values);
    values.push(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
    let mut select = tx.prepare_cached(&sql)?;
    let rows = select.query_map(params_from_iter(values), |row| {
        Ok(DueRow {
            id: row.get(0)?,
            bulletin: row.get(1)?,
            slot: instant(row, 2)?,
            address: row.get(3)?,
            name: row.get(4)?,
            target: row.get(5)?,
            attempts: row.get(6)?,
            render_id: row.get(7)?,
            quiet: row.get(8)?,
        })
    })?;
    let rows = rows.collect::<Result<Vec<DueRow>, _>>()?;
    with_renders(tx, rows)
}

/// The messages of `rows`, each render read once and shared by its messages.
fn with_renders(tx: &Transaction, rows: Vec<DueRow>) -> Result<Vec<Message>, Fault> {
    let mut renders: HashMap<i64, Arc<Render>> = HashMap::new();
    let mut messages = Vec::with_capacity(rows.len());
    for row in rows {
        let render = match renders.get(&row.render_id) {
            Some(render) => Arc::clone(render),
            None => {
                let render = Arc::new(read_render(tx, row.render_id)?);
                renders.insert(row.render_id, Arc::clone(&render));
                render
            }
        };
        messages.push(Message {
            id: row.id,
            bulletin: row.bulletin,
            slot: row.slot,
            address: row.address,
            name: row.name,
            target: row.target,
            attempts: row.attempts,
            render,
            quiet: row.quiet,
        });
    }
    Ok(messages)
}

/// A due message as read, before its render is attached.
struct DueRow {
    id: i64,
    bulletin: String,
    slot: DateTime<Utc>,
    address: String,
    name: Option<String>,
    target: String,
    attempts: u32,
    render_id: i64,
    quiet: Option<String>,
}

/// The render `id`, its content parsed.
fn read_render(tx: &Transaction, id: i64) -> Result<Render, Fault> {
    let mut select =
        tx.prepare_cached("SELECT locale, zone, content FROM renders WHERE id = ?1")?;
    let (locale, zone, content): (String, String, String) =
        select.query_row([id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
    let content = serde_json::from_str(&content)
        .map_err(|e| Fault(format!("render {id} cannot be read: {e}")))?;
    Ok(Render {
        locale,
        zone,
        content,
    })
}

/// Up to `limit` due messages, as [`due`] orders them, marked `sending` for `claimant`.
pub fn claim(
    tx: &Transaction,
    bulletins: &[String],
    now: DateTime<Utc>,
    limit: usize,
    claimant: &Claimant,
) -> Result<Vec<Message>, Fault> {
    let messages = due(tx, bulletins, now, limit)?;
    let ids: Vec<i64> = messages.iter().map(|message| message.id).collect();
    mark_sending(tx, &ids, now, claimant)?;
    Ok(messages)
}

/// `pending` → `sending`, counting an attempt, for every one of `ids` (or none of them), held by
/// `claimant` until its lease runs out (on this machine's clock).
pub fn mark_sending(
    tx: &Transaction,
    ids: &[i64],
    now: DateTime<Utc>,
    claimant: &Claimant,
) -> Result<(), Fault> {
    let lease = i64::try_from(claimant.lease.as_secs()).unwrap_or(i64::MAX);
    let lease_until = wall_clock().saturating_add(lease);
    let mut update = tx.prepare_cached(
        "UPDATE messages SET status = 'sending', attempts = attempts + 1, tried_at = ?2,
             claimed_by = ?3, lease_until = ?4
         WHERE id = ?1 AND status = 'pending'",
    )?;
    for &id in ids {
        if update.execute(params![id, seconds(now), claimant.worker, lease_until])? == 0 {
            return Err(refusal(tx, id, Status::Pending));
        }
    }
    Ok(())
}

/// This machine's clock, in unix seconds: what leases are counted on.
fn wall_clock() -> i64 {
    seconds(Utc::now())
}

/// `sending` → `sent`.
pub fn mark_sent(tx: &Transaction, id: i64, now: DateTime<Utc>, answer: &str) -> Result<(), Fault> {
    let sql = "UPDATE messages SET status = 'sent', finished_at = ?2, answer = ?3
               WHERE id = ?1 AND status = 'sending'";
    after_sending(tx, id, sql, &[&seconds(now), &answer])
}

/// `sending` → `pending`, due again at `next_try`.
pub fn mark_retry(
    tx: &Transaction,
    id: i64,
    next_try: DateTime<Utc>,
    error: &str,
) -> Result<(), Fault> {
    let sql = "UPDATE messages SET status = 'pending', next_try = ?2, last_error = ?3
               WHERE id = ?1 AND status = 'sending'";
    after_sending(tx, id, sql, &[&seconds(next_try), &error])
}

/// `sending` → `failed`.
pub fn mark_failed(
    tx: &Transaction,
    id: i64,
    now: DateTime<Utc>,
    error: &str,
) -> Result<(), Fault> {
    let sql = "UPDATE messages SET status = 'failed', finished_at = ?2, last_error = ?3
               WHERE id = ?1 AND status = 'sending'";
    after_sending(tx, id, sql, &[&seconds(now), &error])
}

/// `sending` → `skipped`, with the reason.
pub fn mark_skipped(
    tx: &Transaction,
    id: i64,
    now: DateTime<Utc>,
    reason: &str,
) -> Result<(), Fault> {
    let sql = "UPDATE messages SET status = 'skipped', finished_at = ?2, last_error = ?3
               WHERE id = ?1 AND status = 'sending'";
    after_sending(tx, id, sql, &[&seconds(now), &reason])
}

/// `sending` → `pending` at `next_try`, the claim's attempt taken back.
pub fn mark_waiting(tx: &Transaction, id: i64, next_try: DateTime<Utc>) -> Result<(), Fault> {
    let sql = "UPDATE messages SET status = 'pending', next_try = ?2,
                   attempts = max(attempts - 1, 0), claimed_by = NULL, lease_until = NULL
               WHERE id = ?1 AND status = 'sending'";
    after_sending(tx, id, sql, &[&seconds(next_try)])
}

/// Runs `sql` (`?1` the id, then `values`) on message `id`, which must be `sending`.
fn after_sending(tx: &Transaction, id: i64, sql: &str, values: &[&dyn ToSql]) -> Result<(), Fault> {
    let mut update = tx.prepare_cached(sql)?;
    let mut all: Vec<&dyn ToSql> = vec![&id];
    all.extend_from_slice(values);
    if update.execute(all.as_slice())? == 0 {
        return Err(refusal(tx, id, Status::Sending));
    }
    Ok(())
}

/// Why message `id` could not move from `expected`: it has another status, or does not exist.
fn refusal(tx: &Transaction, id: i64, expected: Status) -> Fault {
    let found: Result<Option<Status>, _> = tx
        .query_row("SELECT status FROM messages WHERE id = ?1", [id], |row| {
            row.get(0)
        })
        .optional();
    match found {
        Ok(Some(status)) => Fault(format!(
            "message {id} is {}, not {}",
            status.as_str(),
            expected.as_str()
        )),
        Ok(None) => Fault(format!("no message {id}")),
        Err(error) => error.into(),
    }
}

/// Every abandoned `sending` message (all of them, or those whose lease ran out: `sweep`)
/// becomes `uncertain`, or `pending` due at `now` when its bulletin's policy is `resend`; a note
/// in `last_error` says which. Returns how many were found.
pub fn recover(
    tx: &Transaction,
    policy: &dyn Fn(&str) -> UncertainPolicy,
    now: DateTime<Utc>,
    sweep: Sweep,
) -> Result<usize, Fault> {
    // Under `Sweep::All` every lease counts as run out.
    let limit = match sweep {
        Sweep::All => i64::MAX,
        Sweep::Expired => wall_clock(),
    };
    let abandoned = "status = 'sending' AND (lease_until IS NULL OR lease_until <= :limit)";
    let bulletins: Vec<String> = tx
        .prepare(&format!(
            "SELECT DISTINCT bulletin FROM messages WHERE {abandoned}"
        ))?
        .query_map(named_params! {":limit": limit}, |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    let mut found = 0;
    for bulletin in bulletins {
        found += match policy(&bulletin) {
            UncertainPolicy::Hold => tx.execute(
                &format!(
                    "UPDATE messages SET status = 'uncertain', last_error = :note,
                         lease_until = NULL
                     WHERE bulletin = :bulletin AND {abandoned}"
                ),
                named_params! {":bulletin": bulletin, ":note": HELD_NOTE, ":limit": limit},
            )?,
            UncertainPolicy::Resend => tx.execute(
                &format!(
                    "UPDATE messages SET status = 'pending', next_try = :now, last_error = :note,
                         claimed_by = NULL, lease_until = NULL
                     WHERE bulletin = :bulletin AND {abandoned}"
                ),
                named_params! {
                    ":bulletin": bulletin,
                    ":now": seconds(now),
                    ":note": RESENT_NOTE,
                    ":limit": limit
                },
            )?,
        };
    }
    Ok(found)
}

/// `pending`, `failed` and `uncertain` messages matching `filter` become `pending`, due at `now`,
/// with no attempts counted. Returns how many.
pub fn retry(tx: &Transaction, filter: &Filter, now: DateTime<Utc>) -> Result<usize, Fault> {
    let conditions = Conditions::of(filter);
    let sql = format!(
        "UPDATE messages AS m SET status = 'pending', attempts = 0, next_try = ?, finished_at = NULL
         WHERE m.status IN ('pending', 'failed', 'uncertain'){}",
        conditions.sql
    );
    let mut values = vec![Value::Integer(seconds(now))];
    values.extend(conditions.values);
    Ok(tx.execute(&sql, params_from_iter(values))?)
}
