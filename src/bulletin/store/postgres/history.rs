//! What `history` reads from PostgreSQL: each message matching a [`Filter`] with its slot's
//! channel, target and stories and its render's locale and zone, in the same order as SQLite
//! (bulletin names compared byte by byte, whatever the database's collation).

use postgres::Transaction;

use super::filter::Conditions;
use super::{Fault, to_instant};
use std::collections::HashMap;

use crate::bulletin::outbox::{Delivery, HistoryRow, PartRow, Status};
use crate::bulletin::store::{Filter, rfc3339};

/// The messages matching `filter`, oldest slot first, then by bulletin, then in recording order.
pub fn rows(tx: &mut Transaction<'_>, filter: &Filter) -> Result<Vec<HistoryRow>, Fault> {
    let mut conditions = Conditions::new(0);
    conditions.of(filter);
    let sql = format!(
        "SELECT m.bulletin, m.slot, m.address, s.channel, s.target, m.status, m.attempts,
                m.finished_at, m.answer, m.last_error, r.locale, r.zone, s.stories, m.id,
                m.delivery, m.delivery_note
         FROM messages AS m
         JOIN slots AS s ON s.bulletin = m.bulletin AND s.slot = m.slot
         JOIN renders AS r ON r.id = m.render_id
         WHERE TRUE{} ORDER BY m.slot, m.bulletin COLLATE \"C\", m.id",
        conditions.sql
    );
    let found = tx.query(&sql, &conditions.values())?;
    let parts_sql = format!(
        "SELECT p.message_id, p.part, p.status, p.reason, p.reported_at
         FROM parts AS p JOIN messages AS m ON m.id = p.message_id
         WHERE TRUE{} ORDER BY p.message_id, p.part",
        conditions.sql
    );
    let mut parts: HashMap<i64, Vec<PartRow>> = HashMap::new();
    for row in tx.query(&parts_sql, &conditions.values())? {
        let part: i32 = row.get(1);
        parts.entry(row.get(0)).or_default().push(PartRow {
            part: u32::try_from(part).unwrap_or(0),
            status: row.get(2),
            reason: row.get(3),
            reported_at: rfc3339(to_instant(row.get(4))?),
        });
    }
    let mut stories: (String, Vec<String>) = (String::new(), Vec::new());
    let mut history = Vec::with_capacity(found.len());
    for row in found {
        let json: String = row.get(12);
        if json != stories.0 {
            let keys = serde_json::from_str(&json)
                .map_err(|e| Fault(format!("the stories of a slot cannot be read: {e}")))?;
            stories = (json, keys);
        }
        let name: String = row.get(5);
        let status = Status::parse(&name).ok_or_else(|| Fault(format!("status {name:?}")))?;
        let finished_at: Option<i64> = row.get(7);
        let answer: Option<String> = row.get(8);
        let last_error: Option<String> = row.get(9);
        let attempts: i32 = row.get(6);
        history.push(HistoryRow {
            bulletin: row.get(0),
            slot: rfc3339(to_instant(row.get(1))?),
            address: row.get(2),
            channel: row.get(3),
            target: row.get(4),
            status,
            attempts: u32::try_from(attempts).unwrap_or(0),
            sent_at: match finished_at {
                Some(at) if status == Status::Sent => Some(rfc3339(to_instant(at)?)),
                _ => None,
            },
            answer: answer.or_else(|| last_error.clone()),
            last_error,
            locale: row.get(10),
            zone: row.get(11),
            stories: stories.1.clone(),
            delivery: row
                .get::<_, Option<String>>(14)
                .and_then(|name| Delivery::parse(&name)),
            delivery_note: row.get(15),
            parts: parts.remove(&row.get::<_, i64>(13)).unwrap_or_default(),
        });
    }
    Ok(history)
}
