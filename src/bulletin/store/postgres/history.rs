//! What `history` reads from PostgreSQL: each message matching a [`Filter`] with its slot's
//! channel, target and stories and its render's locale and zone, in the same order as SQLite
//! (bulletin names compared byte by byte, whatever the database's collation).

use postgres::Transaction;

use super::filter::Conditions;
use super::{Fault, to_instant};
use crate::bulletin::outbox::{HistoryRow, Status};
use crate::bulletin::store::{Filter, rfc3339};

/// The messages matching `filter`, oldest slot first, then by bulletin, then in recording order.
pub fn rows(tx: &mut Transaction<'_>, filter: &Filter) -> Result<Vec<HistoryRow>, Fault> {
    let mut conditions = Conditions::new(0);
    conditions.of(filter);
    let sql = format!(
        "SELECT m.bulletin, m.slot, m.address, s.channel, s.target, m.status, m.attempts,
                m.finished_at, m.answer, m.last_error, r.locale, r.zone, s.stories
         FROM messages AS m
         JOIN slots AS s ON s.bulletin = m.bulletin AND s.slot = m.slot
         JOIN renders AS r ON r.id = m.render_id
         WHERE TRUE{} ORDER BY m.slot, m.bulletin COLLATE \"C\", m.id",
        conditions.sql
    );
    let found = tx.query(&sql, &conditions.values())?;
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
        });
    }
    Ok(history)
}
