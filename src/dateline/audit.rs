//! No silent loss: after a dateline is scanned, every token is accounted for. A token that
//! carries digits, a word shaped like a zone, or a relative-time word and was not read refuses
//! the dateline, so that a bulletin never shows a time read without part of what was written.
//!
//! Owns [`Reading`], [`Unread`] and [`audit`]. Reads the tokens of [`super::lex`], what
//! [`super::scan`] marked as read, and the words and zones data; writes a reading for every token
//! (`time --explain`) and the list of tokens left unread. The token classes:
//! - read: marked by a rule of the scanner (time, date, zone, weekday, relative time...);
//! - safe fillers: punctuation, dateline filler words (`of`, `de`, ordinals, `Uhr` after a
//!   time), and plain words (`Updated`, `Published`, place names, agencies in parentheses);
//! - unread, refusing the dateline: any number; a month name outside a date; an AM/PM word away
//!   from the time (except an era suffix right after a date, `٢٠٢٥ م`); a zone-like word
//!   (upper case, 2-5 letters, ending in `T` or next to the time or a label before a colon, and
//!   not a label word such as `LAST` or `AT`; or a zone word such as `Time`); a relative word
//!   (`ago`, `yesterday`, `hace`, `আগে`) not in a relative time. Example:
//!
//! ```
//! use newsdigest::dateline::{parse, Context};
//! let context = Context { country: Some("BD".into()), home: None, now: "2025-04-23T12:00:00Z".parse().unwrap() };
//! let error = parse("13:47, April 23, 2025 77", &context).unwrap_err();
//! assert_eq!(error.reason, "unread number \"77\": it is not part of the date or time read");
//! ```

use serde::Serialize;

use super::lex::{Kind, Token, match_phrase};
use super::scan::Use;
use super::words::{RelativeWord, Words};
use super::zones::Zones;

/// One token and what it was read as: `time --explain`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reading {
    pub token: String,
    pub read_as: &'static str,
    pub rule: &'static str,
}

/// A token that carries meaning and was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unread {
    pub token: String,
    pub class: UnreadClass,
}

/// Why an unread token cannot be ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnreadClass {
    Number,
    Month,
    Meridiem,
    Zone,
    Relative,
}

impl Unread {
    /// The reason a dateline with this token is refused, one line.
    pub fn reason(&self) -> String {
        let token = &self.token;
        match self.class {
            UnreadClass::Number => {
                format!("unread number \"{token}\": it is not part of the date or time read")
            }
            UnreadClass::Month => {
                format!("unread month \"{token}\": it is not part of a full date")
            }
            UnreadClass::Meridiem => {
                format!("unread AM/PM word \"{token}\": it is not next to the time read")
            }
            UnreadClass::Zone => {
                format!("unread zone \"{token}\": not a zone abbreviation or phrase we know")
            }
            UnreadClass::Relative => {
                format!("unread relative word \"{token}\": it is not part of a relative time read")
            }
        }
    }
}

/// A reading for every token, and the tokens that carry meaning but were not read.
pub fn audit(
    tokens: &[Token],
    uses: &[Option<Use>],
    words: &Words,
    zones: &Zones,
) -> (Vec<Reading>, Vec<Unread>) {
    let mut readings = Vec::with_capacity(tokens.len());
    let mut unread = Vec::new();
    let read_as = |j: usize| uses.get(j).copied().flatten().map(|(read_as, _)| read_as);
    for (i, token) in tokens.iter().enumerate() {
        let (read_as, rule) = match uses[i] {
            Some(reading) => reading,
            None => match unread_class(tokens, i, words, zones, &read_as) {
                Some(class) => {
                    unread.push(Unread {
                        token: token.written.clone(),
                        class,
                    });
                    (
                        "unread",
                        "refused: it carries meaning the reading would lose",
                    )
                }
                None => filler(token, words),
            },
        };
        readings.push(Reading {
            token: token.written.clone(),
            read_as,
            rule,
        });
    }
    (readings, unread)
}

/// Why a token no rule read must not be ignored, if it must not.
fn unread_class(
    tokens: &[Token],
    i: usize,
    words: &Words,
    zones: &Zones,
    read_as: &dyn Fn(usize) -> Option<&'static str>,
) -> Option<UnreadClass> {
    let token = &tokens[i];
    match token.kind {
        Kind::Number => return Some(UnreadClass::Number),
        Kind::Punct => return None,
        Kind::Word => {}
    }
    if words.month(&token.folded).is_some() {
        return Some(UnreadClass::Month);
    }
    // A meridiem word away from the time would change it; right after a date it is a year's
    // era suffix (`٢٠٢٥ م`).
    let era = i > 0 && read_as(i - 1) == Some("date") && words.is_era(&token.folded);
    if words.meridiem(&token.folded).is_some() && !era {
        return Some(UnreadClass::Meridiem);
    }
    if let Some((_, word)) = match_phrase(tokens, i, words.relative())
        && matches!(
            word,
            RelativeWord::AgoAfter
                | RelativeWord::AgoBefore
                | RelativeWord::Now
                | RelativeWord::DaysBack(_)
                | RelativeWord::Counted(..)
        )
    {
        return Some(UnreadClass::Relative);
    }
    let zone_like = words.is_zone_word(&token.folded)
        || zones.abbreviation(&token.raw, None).is_some()
        || (!words.is_known(&token.folded) && is_abbreviation_shaped(tokens, i, read_as));
    zone_like.then_some(UnreadClass::Zone)
}

/// An upper-case word of 2-5 letters (Latin or Cyrillic) that is shaped like a zone abbreviation:
/// it ends in `T`, or stands right next to the time, or is a label before a colon and a time or
/// date (`XYZ: 13:47`). `DHAKA, Dec 20` is a place.
fn is_abbreviation_shaped(
    tokens: &[Token],
    i: usize,
    read_as: &dyn Fn(usize) -> Option<&'static str>,
) -> bool {
    let raw = tokens[i].raw.as_str();
    let letters = raw.chars().count();
    let upper = raw.chars().all(|c| {
        c.is_ascii_uppercase() || (c.is_uppercase() && ('\u{400}'..='\u{4ff}').contains(&c))
    });
    if !upper || !(2..=5).contains(&letters) {
        return false;
    }
    let ends_in_t = raw.ends_with(['T', 'Т']);
    let is_time = |j: usize| read_as(j) == Some("time");
    let beside_time = (i > 0 && is_time(i - 1)) || is_time(i + 1);
    let label = tokens
        .get(i + 1)
        .is_some_and(|t| t.kind == Kind::Punct && t.raw == ":")
        && matches!(read_as(i + 2), Some("time" | "date"));
    ends_in_t || beside_time || label
}

/// What a token no rule read and that carries nothing is: a safe filler.
fn filler(token: &Token, words: &Words) -> (&'static str, &'static str) {
    match token.kind {
        Kind::Punct => ("punctuation", "safe to ignore"),
        _ if words.is_known(&token.folded) => ("filler", "a dateline word (dateline.toml)"),
        _ => ("text", "a word with no digits, zone or relative meaning"),
    }
}
