//! `newsdigest history`: what bulletins sent, or still have to send, to whom, and what became of
//! each message.
//!
//! Reads the state the configuration names, a SQLite file or a PostgreSQL server, the same way
//! (never creating a file: no database, no history) and prints one line per message, oldest slot first, or a JSON array (with each part's
//! latest delivery report under `parts`). Addresses are
//! masked unless `--full`. Example: `newsdigest history --bulletin morning --since 24h`:
//!
//! ```text
//! SLOT (UTC)            BULLETIN  ADDRESS          STATUS  TRIES  TARGET  DELIVERY   ANSWER
//! 2025-04-23T01:00:00Z  morning   +•••••••••5678   sent        1  kannel  delivered  0: Accepted for delivery (2 parts)
//! ```

use chrono::{DateTime, Utc};
use newsdigest::bulletin::mask;
use newsdigest::bulletin::outbox::{Delivery, HistoryRow};
use newsdigest::bulletin::store::Filter;
use newsdigest::error::Result;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{Io, state};
use crate::cli::{Format, HistoryArgs};
use crate::output::{self, print};

/// Columns of the answer shown in the text table at most.
const ANSWER_WIDTH: usize = 50;

pub fn run(args: HistoryArgs, io: &mut Io<'_>, clock: DateTime<Utc>) -> Result<()> {
    let config = state::load_config(args.state.config.as_deref())?;
    state::warn_unknown_bulletins(&config, &args.state.bulletins, io);
    let location = state::location(&config)?;
    let filter = Filter {
        bulletins: args.state.bulletins,
        since: args.since.map(|since| since.resolve(clock)),
        statuses: args.statuses,
    };
    let mut rows = match state::open_existing(&location)? {
        Some(mut store) => store.history(&filter)?,
        None => Vec::new(),
    };
    if !args.full {
        for row in &mut rows {
            let masked = mask::address(&row.address);
            // A gateway's answer may name the address (the files target's path): masked too.
            for text in [&mut row.answer, &mut row.last_error].into_iter().flatten() {
                *text = text.replace(&row.address, &masked);
            }
            row.address = masked;
        }
    }
    match args.format {
        Format::Json => print(io, &output::to_json(&rows)),
        Format::Text => print(io, &table(&rows)),
    }
}

/// An aligned table with a header; nothing at all when there are no rows.
fn table(rows: &[HistoryRow]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let header = [
        "SLOT (UTC)",
        "BULLETIN",
        "ADDRESS",
        "STATUS",
        "TRIES",
        "TARGET",
        "DELIVERY",
        "ANSWER",
    ];
    let mut lines = vec![header.map(String::from).to_vec()];
    for row in rows {
        let answer = row.answer.as_deref().unwrap_or("");
        lines.push(vec![
            row.slot.clone(),
            printable(&row.bulletin),
            printable(&row.address),
            row.status.as_str().to_string(),
            row.attempts.to_string(),
            printable(&row.target),
            delivery(row),
            truncate(&printable(answer), ANSWER_WIDTH),
        ]);
    }
    let widths: Vec<usize> = (0..header.len())
        .map(|column| {
            lines
                .iter()
                .map(|line| line[column].width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for line in &lines {
        let cells: Vec<String> = line
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(column, (cell, &width))| align(cell, width, column == 4))
            .collect();
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
    }
    text
}

/// What delivery reports say of the message: `-` before any, `delivered` (every part),
/// `1 of 2 parts delivered`, or `failed: ` with the part and the reason.
fn delivery(row: &HistoryRow) -> String {
    let note = printable(row.delivery_note.as_deref().unwrap_or(""));
    match row.delivery {
        None => "-".into(),
        Some(Delivery::Delivered) => "delivered".into(),
        Some(Delivery::Accepted) => note,
        Some(Delivery::Failed) => truncate(&format!("failed: {note}"), ANSWER_WIDTH),
    }
}

/// `cell` padded to `width` display columns, on the right unless `right`.
fn align(cell: &str, width: usize, right: bool) -> String {
    let padding = " ".repeat(width.saturating_sub(cell.width()));
    if right {
        format!("{padding}{cell}")
    } else {
        format!("{cell}{padding}")
    }
}

/// `text` on one line, without control characters (a gateway's answer may hold anything).
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `text` cut to `width` display columns, an ellipsis marking the cut.
fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut kept = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width.saturating_sub(1) {
            break;
        }
        used += w;
        kept.push(c);
    }
    kept.push('…');
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_cut_to_their_column() {
        assert_eq!(truncate("0: Accepted", 50), "0: Accepted");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("新闻新闻新闻", 6), "新闻…");
        assert_eq!(printable("502\r\n\u{1b}[31mBad"), "502   [31mBad");
    }
}
