//! The outbox's status machine in PostgreSQL: handing out and claiming due messages, recording
//! each step of a send, recovering abandoned claims, and `retry`.
//!
//! [`claim`] is `SELECT ... FOR UPDATE SKIP LOCKED` inside an `UPDATE`: rows another worker is
//! claiming at that instant are skipped, not waited for, so workers never share a message.
//! Every step checks the status it moves from, so a step out of order changes nothing and is an
//! error naming the message.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use postgres::Transaction;
use postgres::types::ToSql;

use super::filter::Conditions;
use super::{Fault, SERVER_SECONDS, to_instant};
use crate::bulletin::outbox::{Message, Render, Status};
use crate::bulletin::store::{
    Claimant, Filter, HELD_NOTE, RESENT_NOTE, Step, Sweep, UncertainPolicy,
};

/// A due message as read, before its render is attached.
struct DueRow {
    id: i64,
    bulletin: String,
    slot: i64,
    address: String,
    name: Option<String>,
    target: String,
    attempts: i32,
    render_id: i64,
    quiet: Option<String>,
}

impl DueRow {
    fn of(row: &postgres::Row) -> DueRow {
        DueRow {
            id: row.get(0),
            bulletin: row.get(1),
            slot: row.get(2),
            address: row.get(3),
            name: row.get(4),
            target: row.get(5),
            attempts: row.get(6),
            render_id: row.get(7),
            quiet: row.get(8),
        }
    }
}

/// Up to `limit` pending messages due at `now`: oldest slot first, then by render, then in
/// recording order.
pub fn due(
    tx: &mut Transaction<'_>,
    renders: &mut HashMap<i64, Arc<Render>>,
    bulletins: &[String],
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<Message>, Fault> {
    let rows = tx.query(
        "SELECT m.id, m.bulletin, m.slot, m.address, m.name, s.target, m.attempts, m.render_id,
             m.quiet
         FROM messages AS m JOIN slots AS s ON s.bulletin = m.bulletin AND s.slot = m.slot
         WHERE m.status = 'pending' AND m.next_try <= $1
           AND (cardinality($2::text[]) = 0 OR m.bulletin = ANY($2))
         ORDER BY m.slot, m.render_id, m.id LIMIT $3",
        &[&now.timestamp(), &bulletins, &limit_of(limit)],
    )?;
    let rows = rows.iter().map(DueRow::of).collect();
    with_renders(tx, renders, rows)
}

/// Up to `limit` due messages marked `sending` for `claimant`, skipping rows other workers hold.
pub fn claim(
    tx: &mut Transaction<'_>,
    renders: &mut HashMap<i64, Arc<Render>>,
    bulletins: &[String],
    now: DateTime<Utc>,
    limit: usize,
    claimant: &Claimant,
) -> Result<Vec<Message>, Fault> {
    let sql = format!(
        "WITH picked AS (
             SELECT id FROM messages
             WHERE status = 'pending' AND next_try <= $1
               AND (cardinality($2::text[]) = 0 OR bulletin = ANY($2))
             ORDER BY slot, render_id, id LIMIT $3
             FOR UPDATE SKIP LOCKED
         )
         UPDATE messages AS m
         SET status = 'sending', attempts = m.attempts + 1, tried_at = $1, claimed_by = $4,
             lease_until = {SERVER_SECONDS} + $5
         FROM picked WHERE m.id = picked.id
         RETURNING m.id, m.bulletin, m.slot, m.address, m.name,
             (SELECT s.target FROM slots AS s WHERE s.bulletin = m.bulletin AND s.slot = m.slot),
             m.attempts - 1, m.render_id, m.quiet"
    );
    let rows = tx.query(
        &sql,
        &[
            &now.timestamp(),
            &bulletins,
            &limit_of(limit),
            &claimant.worker,
            &lease_seconds(claimant),
        ],
    )?;
    let mut rows: Vec<DueRow> = rows.iter().map(DueRow::of).collect();
    rows.sort_by_key(|row| (row.slot, row.render_id, row.id));
    with_renders(tx, renders, rows)
}

/// `pending` → `sending` for `claimant`, counting an attempt, for every one of `ids` or none.
pub fn mark_sending(
    tx: &mut Transaction<'_>,
    ids: &[i64],
    now: DateTime<Utc>,
    claimant: &Claimant,
) -> Result<(), Fault> {
    let sql = format!(
        "UPDATE messages SET status = 'sending', attempts = attempts + 1, tried_at = $2,
             claimed_by = $3, lease_until = {SERVER_SECONDS} + $4
         WHERE id = ANY($1) AND status = 'pending' RETURNING id"
    );
    let rows = tx.query(
        &sql,
        &[
            &ids,
            &now.timestamp(),
            &claimant.worker,
            &lease_seconds(claimant),
        ],
    )?;
    let moved: HashSet<i64> = rows.iter().map(|row| row.get(0)).collect();
    match ids.iter().find(|id| !moved.contains(id)) {
        Some(&id) => Err(refusal(tx, id, Status::Pending)),
        None => Ok(()),
    }
}

/// Records each step of `steps` on a `sending` message, all in one statement.
pub fn finish(
    tx: &mut Transaction<'_>,
    steps: &[(i64, Step)],
    now: DateTime<Utc>,
) -> Result<(), Fault> {
    let mut ids = Vec::with_capacity(steps.len());
    let mut statuses = Vec::with_capacity(steps.len());
    let mut texts = Vec::with_capacity(steps.len());
    let mut next_tries = Vec::with_capacity(steps.len());
    let mut refunds: Vec<i32> = Vec::with_capacity(steps.len());
    for (id, step) in steps {
        ids.push(*id);
        let (status, text, next_try) = match step {
            Step::Sent(answer) => ("sent", Some(answer.as_str()), None),
            Step::Retry { next_try, error } => {
                ("pending", Some(error.as_str()), Some(next_try.timestamp()))
            }
            Step::Failed(error) => ("failed", Some(error.as_str()), None),
            Step::Skipped(reason) => ("skipped", Some(reason.as_str()), None),
            Step::Wait { next_try } => ("pending", None, Some(next_try.timestamp())),
        };
        statuses.push(status);
        texts.push(text);
        next_tries.push(next_try);
        refunds.push(i32::from(matches!(step, Step::Wait { .. })));
    }
    // A `Wait` (no text) keeps the last error and takes back the claim's attempt.
    let rows = tx.query(
        "UPDATE messages AS m SET
             status = u.status,
             finished_at = CASE WHEN u.status = 'pending' THEN m.finished_at ELSE $1 END,
             answer = CASE WHEN u.status = 'sent' THEN u.text ELSE m.answer END,
             last_error = CASE WHEN u.status = 'sent' THEN m.last_error
                          ELSE coalesce(u.text, m.last_error) END,
             next_try = coalesce(u.next_try, m.next_try),
             attempts = greatest(m.attempts - u.refund, 0)
         FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::int[])
             AS u (id, status, text, next_try, refund)
         WHERE m.id = u.id AND m.status = 'sending'
         RETURNING m.id",
        &[
            &now.timestamp(),
            &ids,
            &statuses,
            &texts,
            &next_tries,
            &refunds,
        ],
    )?;
    let moved: HashSet<i64> = rows.iter().map(|row| row.get(0)).collect();
    match ids.iter().find(|id| !moved.contains(id)) {
        Some(&id) => Err(refusal(tx, id, Status::Sending)),
        None => Ok(()),
    }
}

/// Why message `id` could not move from `expected`: it has another status, or does not exist.
fn refusal(tx: &mut Transaction<'_>, id: i64, expected: Status) -> Fault {
    match tx.query_opt("SELECT status FROM messages WHERE id = $1", &[&id]) {
        Ok(Some(row)) => Fault(format!(
            "message {id} is {}, not {}",
            row.get::<_, String>(0),
            expected.as_str()
        )),
        Ok(None) => Fault(format!("no message {id}")),
        Err(error) => error.into(),
    }
}

/// Abandoned `sending` messages (all, or those whose lease ran out on the server's clock)
/// become `uncertain`, or `pending` due at `now` under policy `resend`. Returns how many.
pub fn recover(
    tx: &mut Transaction<'_>,
    policy: &dyn Fn(&str) -> UncertainPolicy,
    now: DateTime<Utc>,
    sweep: Sweep,
) -> Result<usize, Fault> {
    let limit: i64 = match sweep {
        Sweep::All => i64::MAX,
        Sweep::Expired => tx
            .query_one(&format!("SELECT {SERVER_SECONDS}"), &[])?
            .get(0),
    };
    let abandoned = "status = 'sending' AND (lease_until IS NULL OR lease_until <= $2)";
    let bulletins: Vec<String> = tx
        .query(
            "SELECT DISTINCT bulletin FROM messages
             WHERE status = 'sending' AND (lease_until IS NULL OR lease_until <= $1)",
            &[&limit],
        )?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let mut found = 0;
    for bulletin in bulletins {
        let changed = match policy(&bulletin) {
            UncertainPolicy::Hold => tx.execute(
                &format!(
                    "UPDATE messages SET status = 'uncertain', last_error = $3, lease_until = NULL
                     WHERE bulletin = $1 AND {abandoned}"
                ),
                &[&bulletin, &limit, &HELD_NOTE],
            )?,
            UncertainPolicy::Resend => tx.execute(
                &format!(
                    "UPDATE messages SET status = 'pending', next_try = $3, last_error = $4,
                         claimed_by = NULL, lease_until = NULL
                     WHERE bulletin = $1 AND {abandoned}"
                ),
                &[&bulletin, &limit, &now.timestamp(), &RESENT_NOTE],
            )?,
        };
        found += usize::try_from(changed).unwrap_or(usize::MAX);
    }
    Ok(found)
}

/// `pending`, `failed` and `uncertain` messages matching `filter` become `pending`, due at
/// `now`, with no attempts counted. Returns how many.
pub fn retry(
    tx: &mut Transaction<'_>,
    filter: &Filter,
    now: DateTime<Utc>,
) -> Result<usize, Fault> {
    let mut conditions = Conditions::new(1);
    conditions.of(filter);
    let sql = format!(
        "UPDATE messages AS m SET status = 'pending', attempts = 0, next_try = $1,
             finished_at = NULL
         WHERE m.status IN ('pending', 'failed', 'uncertain'){}",
        conditions.sql
    );
    let now = now.timestamp();
    let mut values: Vec<&(dyn ToSql + Sync)> = vec![&now];
    values.extend(conditions.values());
    let changed = tx.execute(&sql, &values)?;
    Ok(usize::try_from(changed).unwrap_or(usize::MAX))
}

/// The messages of `rows`, each render read once (and kept: renders never change).
fn with_renders(
    tx: &mut Transaction<'_>,
    renders: &mut HashMap<i64, Arc<Render>>,
    rows: Vec<DueRow>,
) -> Result<Vec<Message>, Fault> {
    let missing: Vec<i64> = rows
        .iter()
        .map(|row| row.render_id)
        .filter(|id| !renders.contains_key(id))
        .collect::<HashSet<i64>>()
        .into_iter()
        .collect();
    if !missing.is_empty() {
        let found = tx.query(
            "SELECT id, locale, zone, content FROM renders WHERE id = ANY($1)",
            &[&missing],
        )?;
        for row in found {
            let id: i64 = row.get(0);
            let content: String = row.get(3);
            let content = serde_json::from_str(&content)
                .map_err(|e| Fault(format!("render {id} cannot be read: {e}")))?;
            let render = Render {
                locale: row.get(1),
                zone: row.get(2),
                content,
            };
            renders.insert(id, Arc::new(render));
        }
    }
    rows.into_iter()
        .map(|row| {
            let render = renders
                .get(&row.render_id)
                .cloned()
                .ok_or_else(|| Fault(format!("render {} is missing", row.render_id)))?;
            Ok(Message {
                id: row.id,
                bulletin: row.bulletin,
                slot: to_instant(row.slot)?,
                address: row.address,
                name: row.name,
                target: row.target,
                attempts: u32::try_from(row.attempts).unwrap_or(0),
                render,
                quiet: row.quiet,
            })
        })
        .collect()
}

/// `limit` as a SQL `LIMIT`.
fn limit_of(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

/// The claimant's lease in whole seconds.
fn lease_seconds(claimant: &Claimant) -> i64 {
    i64::try_from(claimant.lease.as_secs()).unwrap_or(i64::MAX)
}
