//! `newsdigest status`: per bulletin, its last slot and who planned it, and how many of its
//! messages are pending, being sent (by which worker), sent (and of those, delivered according
//! to delivery reports), failed, uncertain and skipped (and of those, opted out); then the same
//! per slot for the latest slots, in the state the configuration names (a SQLite file or a
//! PostgreSQL server, named without its password). Reading never creates a SQLite file.
//! Example: `newsdigest status --config newsdigest.toml`:
//!
//! ```text
//! state: postgres://newsdigest@db1:5432/newsdigest
//! BULLETIN  LAST SLOT (UTC)       PLANNED BY  PENDING  SENDING       SENT  DELIVERED  FAILED  UNCERTAIN  SKIPPED  OPTED OUT
//! morning   2025-04-23T01:00:00Z  host-a:812      120  host-b:77=8  19872      19750       0          0        3          3
//!
//! SLOT (UTC)            BULLETIN  PENDING  SENT  DELIVERED  FAILED  UNCERTAIN  OPTED OUT  SKIPPED
//! 2025-04-23T01:00:00Z  morning       128   122      19750       0          0          3        0
//! ```
//!
//! Per slot, SENT counts messages the gateway took with no final report yet, FAILED those it
//! refused and those reported undelivered, SKIPPED those skipped for another reason than an
//! opt-out (quiet hours).

use newsdigest::bulletin::outbox::BulletinStatus;
use newsdigest::error::Result;
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::{Io, state};
use crate::cli::{Format, StatusArgs};
use crate::output::{self, print};

#[derive(Debug, Serialize)]
struct Status {
    /// The state, as errors name it (never with a password).
    state: String,
    bulletins: Vec<BulletinStatus>,
}

pub fn run(args: StatusArgs, io: &mut Io<'_>) -> Result<()> {
    let config = state::load_config(args.config.as_deref())?;
    let location = state::location(&config)?;
    let mut bulletins = match state::open_existing(&location)? {
        Some(mut store) => store.status()?,
        None => Vec::new(),
    };
    // Configured bulletins that never ran are shown too, in the configuration's order first.
    for bulletin in &config.bulletins {
        if !bulletins.iter().any(|b| b.bulletin == bulletin.name) {
            bulletins.push(BulletinStatus {
                bulletin: bulletin.name.clone(),
                ..BulletinStatus::default()
            });
        }
    }
    let position = |name: &str| {
        config
            .bulletins
            .iter()
            .position(|b| b.name == name)
            .unwrap_or(usize::MAX)
    };
    bulletins.sort_by(|a, b| {
        (position(&a.bulletin), &a.bulletin).cmp(&(position(&b.bulletin), &b.bulletin))
    });
    let status = Status {
        state: location.shown(),
        bulletins,
    };
    match args.format {
        Format::Json => print(io, &output::to_json(&status)),
        Format::Text => print(io, &table(&status)),
    }
}

/// `state: ...`, then an aligned table, one line per bulletin, then one line per recent slot.
fn table(status: &Status) -> String {
    let mut text = format!("state: {}\n", status.state);
    text.push_str(&bulletin_table(&status.bulletins));
    let slots = slot_table(&status.bulletins);
    if !slots.is_empty() {
        text.push('\n');
        text.push_str(&slots);
    }
    text
}

/// One line per bulletin.
fn bulletin_table(bulletins: &[BulletinStatus]) -> String {
    let header = [
        "BULLETIN",
        "LAST SLOT (UTC)",
        "PLANNED BY",
        "PENDING",
        "SENDING",
        "SENT",
        "DELIVERED",
        "FAILED",
        "UNCERTAIN",
        "SKIPPED",
        "OPTED OUT",
    ];
    let mut lines = vec![header.map(String::from).to_vec()];
    for b in bulletins {
        let sending = if b.sending.is_empty() {
            "0".to_string()
        } else {
            let each: Vec<String> = b.sending.iter().map(|(w, n)| format!("{w}={n}")).collect();
            each.join(",")
        };
        lines.push(vec![
            b.bulletin.clone(),
            b.last_slot.clone().unwrap_or_else(|| "-".into()),
            b.planned_by.clone().unwrap_or_else(|| "-".into()),
            b.pending.to_string(),
            sending,
            b.sent.to_string(),
            b.delivered.to_string(),
            b.failed.to_string(),
            b.uncertain.to_string(),
            b.skipped.to_string(),
            b.opted_out.to_string(),
        ]);
    }
    aligned(&lines, |column| column >= 3 && column != 4)
}

/// One line per recent slot of each bulletin, newest first; nothing without slots.
fn slot_table(bulletins: &[BulletinStatus]) -> String {
    let header = [
        "SLOT (UTC)",
        "BULLETIN",
        "PENDING",
        "SENT",
        "DELIVERED",
        "FAILED",
        "UNCERTAIN",
        "OPTED OUT",
        "SKIPPED",
    ];
    let mut lines = vec![header.map(String::from).to_vec()];
    for b in bulletins {
        for slot in &b.slots {
            lines.push(vec![
                slot.slot.clone(),
                b.bulletin.clone(),
                slot.pending.to_string(),
                slot.sent.to_string(),
                slot.delivered.to_string(),
                slot.failed.to_string(),
                slot.uncertain.to_string(),
                slot.opted_out.to_string(),
                slot.skipped.to_string(),
            ]);
        }
    }
    if lines.len() == 1 {
        return String::new();
    }
    aligned(&lines, |column| column >= 2)
}

/// `lines` in aligned columns, two spaces apart; `right(column)` says which are right-aligned.
fn aligned(lines: &[Vec<String>], right: impl Fn(usize) -> bool) -> String {
    let columns = lines.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|c| lines.iter().map(|l| l[c].width()).max().unwrap_or(0))
        .collect();
    let mut text = String::new();
    for line in lines {
        let cells: Vec<String> = line
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(column, (cell, &width))| {
                let pad = " ".repeat(width.saturating_sub(cell.width()));
                if right(column) {
                    format!("{pad}{cell}")
                } else {
                    format!("{cell}{pad}")
                }
            })
            .collect();
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
    }
    text
}
