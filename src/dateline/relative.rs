//! Relative times: `3 hours ago`, `15 mins ago`, `Yesterday at 5:30 pm`, `hace 2 días`,
//! `৩ ঘণ্টা আগে`, `3小时前`, `منذ ساعتين`, read as an amount before the reference time.
//!
//! Owns [`Relative`] and the matcher [`relative_at`]. Reads the tokens of [`super::lex`] and the
//! `[relative]` words of [`super::words`] (every language's, merged); writes a [`Relative`] for
//! [`super::resolve`], which subtracts it from `--now` in the outlet's zone: hours and minutes
//! from the instant, days from the outlet's calendar date (`yesterday` is the outlet's yesterday).
//! A relative time needs its marker (`ago`, `hace`, `назад`...): `3 hours` alone is not one.
//! Example:
//!
//! ```
//! use newsdigest::dateline::{parse, Context};
//! let context = Context { country: Some("BD".into()), home: None, now: "2025-04-23T12:00:00Z".parse().unwrap() };
//! let resolved = parse("৩ ঘণ্টা আগে", &context).unwrap();
//! assert_eq!(resolved.utc.to_rfc3339(), "2025-04-23T09:00:00+00:00");
//! ```

use super::lex::{Kind, Token, match_phrase};
use super::words::{RelativeWord, Unit, Words};

/// A time before the reference time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relative {
    /// `3 hours ago`, `just now`: an exact span before the reference instant, in seconds.
    Span(u64),
    /// `yesterday`, `2 days ago`, `a month ago`: whole days and months before the reference date.
    Calendar { days: u64, months: u64 },
}

/// The relative time that starts at token `i`, and the index after it: read in each language in
/// turn (all its words from one language), the longest reading wins.
pub fn relative_at(tokens: &[Token], i: usize, words: &Words) -> Option<(Relative, usize)> {
    let languages = languages_starting(tokens, i, words);
    if languages == 0 {
        return None;
    }
    words
        .relative_by_language()
        .iter()
        .enumerate()
        .filter(|(index, _)| languages & bit(*index) != 0)
        .filter_map(|(_, language)| relative_in(tokens, i, language))
        .max_by_key(|(_, end)| *end)
}

/// The bit of the language at `index` of [`Words::relative_by_language`] in a set of languages;
/// languages past the 64th share the last bit.
fn bit(index: usize) -> u64 {
    1 << index.min(63)
}

/// The languages in which a relative time can start at token `i`: it starts with one of their
/// words (`hace`, `yesterday`, `an`, `hours`), or with a number and then one of their words
/// (`3 hours`). Most tokens of a dateline are neither, and one look-up spares them a pass over
/// every language's words. Words other than the built-in ones are not looked up: all languages.
fn languages_starting(tokens: &[Token], i: usize, words: &Words) -> u64 {
    if !Words::get().is_ok_and(|built_in| std::ptr::eq(built_in, words)) {
        return u64::MAX;
    }
    let starting = |i: usize| {
        tokens
            .get(i)
            .and_then(|token| Words::first_token_languages(&token.folded))
            .unwrap_or(0)
    };
    let after_number = if tokens.get(i).is_some_and(|t| t.kind == Kind::Number) {
        starting(i + 1)
    } else {
        0
    };
    starting(i) | after_number
}

type Vocabulary = [(&'static [&'static str], RelativeWord)];

/// The relative time at `i` in the words of one language.
fn relative_in(tokens: &[Token], i: usize, words: &Vocabulary) -> Option<(Relative, usize)> {
    match match_phrase(tokens, i, words) {
        Some((length, RelativeWord::Now)) => return Some((Relative::Span(0), i + length)),
        Some((length, RelativeWord::DaysBack(days))) => {
            return Some((Relative::Calendar { days, months: 0 }, i + length));
        }
        Some((length, RelativeWord::AgoBefore)) => {
            let (amounts, end) = amounts(tokens, i + length, words)?;
            return Some((total(&amounts), end));
        }
        _ => {}
    }
    let (amounts, end) = amounts(tokens, i, words)?;
    match match_phrase(tokens, end, words) {
        Some((length, RelativeWord::AgoAfter)) => Some((total(&amounts), end + length)),
        _ => None,
    }
}

/// `3 hours`, `an hour`, `1 hour 20 minutes`, `ساعتين` from `i`: each (count, unit), and the end.
/// A unit without a count (`час назад`, `hour ago`) counts one.
fn amounts(
    tokens: &[Token],
    mut i: usize,
    words: &Vocabulary,
) -> Option<(Vec<(u64, Unit)>, usize)> {
    let mut found = Vec::new();
    loop {
        let start = i;
        let mut count = None;
        if let Some(token) = tokens.get(i).filter(|t| t.kind == Kind::Number) {
            count = Some(token.value);
            i += 1;
        } else if let Some((length, RelativeWord::One)) = match_phrase(tokens, i, words) {
            count = Some(1);
            i += length;
        }
        match match_phrase(tokens, i, words) {
            Some((length, RelativeWord::Unit(unit))) => {
                found.push((count.unwrap_or(1), unit));
                i += length;
            }
            Some((length, RelativeWord::Counted(n, unit))) if count.is_none() => {
                found.push((n, unit));
                i += length;
            }
            _ => {
                i = start;
                break;
            }
        }
        // `1 hour, 20 minutes`: a comma between amounts.
        if tokens
            .get(i)
            .is_some_and(|t| t.kind == Kind::Punct && t.raw == ",")
        {
            i += 1;
        }
    }
    if tokens.get(i.wrapping_sub(1)).is_some_and(|t| t.raw == ",") && !found.is_empty() {
        i -= 1;
    }
    (!found.is_empty()).then_some((found, i))
}

/// The amounts added up: an exact span when any unit is shorter than a day, else calendar days
/// and months. Saturates instead of overflowing (the year check refuses the result).
fn total(amounts: &[(u64, Unit)]) -> Relative {
    let sub_day = amounts
        .iter()
        .any(|(_, unit)| matches!(unit, Unit::Second | Unit::Minute | Unit::Hour));
    if sub_day {
        let seconds = amounts.iter().fold(0u64, |sum, (count, unit)| {
            let each: u64 = match unit {
                Unit::Second => 1,
                Unit::Minute => 60,
                Unit::Hour => 3600,
                Unit::Day => 86_400,
                Unit::Week => 7 * 86_400,
                Unit::Month => 30 * 86_400,
                Unit::Year => 365 * 86_400,
            };
            sum.saturating_add(count.saturating_mul(each))
        });
        return Relative::Span(seconds);
    }
    let (mut days, mut months) = (0u64, 0u64);
    for (count, unit) in amounts {
        match unit {
            Unit::Day => days = days.saturating_add(*count),
            Unit::Week => days = days.saturating_add(count.saturating_mul(7)),
            Unit::Month => months = months.saturating_add(*count),
            Unit::Year => months = months.saturating_add(count.saturating_mul(12)),
            Unit::Second | Unit::Minute | Unit::Hour => {}
        }
    }
    Relative::Calendar { days, months }
}

#[cfg(test)]
mod tests {
    use super::super::lex::tokenize;
    use super::*;

    fn read(text: &str) -> Option<Relative> {
        let tokens = tokenize(text);
        let words = Words::get().unwrap();
        (0..tokens.len()).find_map(|i| relative_at(&tokens, i, words).map(|(r, _)| r))
    }

    #[test]
    fn reads_amounts_before_now() {
        let hours = |h: u64| Some(Relative::Span(h * 3600));
        let days = |d: u64| Some(Relative::Calendar { days: d, months: 0 });
        assert_eq!(read("3 hours ago"), hours(3));
        assert_eq!(read("15 mins ago"), Some(Relative::Span(900)));
        assert_eq!(read("an hour ago"), hours(1));
        assert_eq!(read("1 hour, 20 minutes ago"), Some(Relative::Span(4800)));
        assert_eq!(read("2 days ago"), days(2));
        assert_eq!(read("Yesterday at 5:30 pm"), days(1));
        assert_eq!(read("3 hours"), None);
        assert_eq!(read("ago"), None);
    }
}
