//! What `history` reads: each message matching a [`Filter`] with its slot's channel, target and
//! stories and its render's locale and zone, its delivery and each part's latest report, oldest
//! slot first.

use std::collections::HashMap;

use rusqlite::{Row, Transaction, params_from_iter};

use super::filter::Conditions;
use super::{Fault, instant, rfc3339};
use crate::bulletin::outbox::{Delivery, HistoryRow, PartRow, Status};
use crate::bulletin::store::Filter;

const SELECT: &str = "
    SELECT m.bulletin, m.slot, m.address, s.channel, s.target, m.status, m.attempts,
           m.finished_at, m.answer, m.last_error, r.locale, r.zone, s.stories, m.id,
           m.delivery, m.delivery_note
    FROM messages AS m
    JOIN slots AS s ON s.bulletin = m.bulletin AND s.slot = m.slot
    JOIN renders AS r ON r.id = m.render_id
    WHERE 1 = 1";

/// The messages matching `filter`, oldest slot first, then by bulletin, then in recording order.
pub fn rows(tx: &Transaction, filter: &Filter) -> Result<Vec<HistoryRow>, Fault> {
    let conditions = Conditions::of(filter);
    let sql = format!(
        "{SELECT}{} ORDER BY m.slot, m.bulletin, m.id",
        conditions.sql
    );
    let mut parts = part_rows(tx, &conditions)?;
    let mut select = tx.prepare(&sql)?;
    let mut rows = select.query(params_from_iter(conditions.values))?;
    // A slot's stories are the same JSON for each of its messages: parse it once per slot.
    let mut stories: (String, Vec<String>) = (String::new(), Vec::new());
    let mut history = Vec::new();
    while let Some(row) = rows.next()? {
        let json: String = row.get(12)?;
        if json != stories.0 {
            let keys = serde_json::from_str(&json)
                .map_err(|e| Fault(format!("the stories of a slot cannot be read: {e}")))?;
            stories = (json, keys);
        }
        let id: i64 = row.get(13)?;
        let mut message = history_row(row, &stories.1)?;
        message.parts = parts.remove(&id).unwrap_or_default();
        history.push(message);
    }
    Ok(history)
}

fn history_row(row: &Row<'_>, stories: &[String]) -> rusqlite::Result<HistoryRow> {
    let status: Status = row.get(5)?;
    let finished_at = row
        .get::<_, Option<i64>>(7)?
        .map(|_| instant(row, 7))
        .transpose()?;
    let answer: Option<String> = row.get(8)?;
    let last_error: Option<String> = row.get(9)?;
    Ok(HistoryRow {
        bulletin: row.get(0)?,
        slot: rfc3339(instant(row, 1)?),
        address: row.get(2)?,
        channel: row.get(3)?,
        target: row.get(4)?,
        status,
        attempts: row.get(6)?,
        sent_at: finished_at.filter(|_| status == Status::Sent).map(rfc3339),
        answer: answer.or_else(|| last_error.clone()),
        last_error,
        locale: row.get(10)?,
        zone: row.get(11)?,
        stories: stories.to_vec(),
        delivery: row
            .get::<_, Option<String>>(14)?
            .and_then(|name| Delivery::parse(&name)),
        delivery_note: row.get(15)?,
        parts: Vec::new(),
    })
}

/// The latest report of each part of the messages matching `conditions`, by message id.
fn part_rows(
    tx: &Transaction,
    conditions: &Conditions,
) -> Result<HashMap<i64, Vec<PartRow>>, Fault> {
    let sql = format!(
        "SELECT p.message_id, p.part, p.status, p.reason, p.reported_at
         FROM parts AS p JOIN messages AS m ON m.id = p.message_id
         WHERE 1 = 1{} ORDER BY p.message_id, p.part",
        conditions.sql
    );
    let mut select = tx.prepare(&sql)?;
    let mut rows = select.query(params_from_iter(conditions.values.iter()))?;
    let mut parts: HashMap<i64, Vec<PartRow>> = HashMap::new();
    while let Some(row) = rows.next()? {
        parts.entry(row.get(0)?).or_default().push(PartRow {
            part: row.get(1)?,
            status: row.get(2)?,
            reason: row.get(3)?,
            reported_at: rfc3339(instant(row, 4)?),
        });
    }
    Ok(parts)
}
