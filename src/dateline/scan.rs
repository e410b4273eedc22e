//! Reading a dateline's text into its parts, before any of them is interpreted.
//!
//! A tokenizer turns the text into numbers (any script's digits), words (folded; each Han character
//! its own word) and punctuation, remembering which tokens sit inside parentheses. Rules then look
//! for a time (`13:47`, `1347 HRS`, `8 am`, `13h47`), a date (month names on either side of the
//! day, `13.12.2025`, `2025-04-23`, `10月11日`), a weekday, and zone hints (an abbreviation, an
//! explicit offset, a phrase such as `বাংলাদেশ সময়`), plus a time given in GMT in parentheses for
//! a cross-check. Nothing is validated here: [`super::resolve`] does that. Work is linear in the
//! length of the text. Example: `BDST: 1347 HRS, APR 23, 2025` gives time 13:47, date 23 April
//! 2025 and the abbreviation `BDST`.

use chrono::FixedOffset;

use super::words::{Meridiem, Phrase, Words, digit_value, fold};
use super::zones::Zones;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Number,
    Word,
    Punct,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    /// As written, with digits made ASCII.
    raw: String,
    /// Folded for comparison with word lists.
    folded: String,
    /// Value of a number (saturating), else 0.
    value: u64,
    /// Inside parentheses.
    in_parens: bool,
}

/// A time of day as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeParts {
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub meridiem: Option<Meridiem>,
}

/// A calendar date as written; the year may be missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateParts {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
}

/// A zone named in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZoneHint {
    /// `GMT+6`, `UTC+05:30`, `+0600`.
    Offset(FixedOffset),
    /// An abbreviation exactly as written (`BST`, `BdST`).
    Abbreviation(String),
    /// A phrase naming a zone (`বাংলাদেশ সময়`).
    Phrase(chrono_tz::Tz),
}

/// Everything found in a dateline.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Scan {
    pub time: Option<TimeParts>,
    pub date: Option<DateParts>,
    pub weekday: Option<u32>,
    pub zone: Option<ZoneHint>,
    /// An uppercase word next to the time that looks like a zone abbreviation but is not one we know.
    pub unknown_abbreviation: Option<String>,
    /// A time given in GMT/UTC inside parentheses: `(0200 GMT)`.
    pub gmt_check: Option<TimeParts>,
    /// `local time` was written: the outlet's own zone.
    pub says_local_time: bool,
}

/// Folded texts of the tokens of `text` (used to turn word-list phrases into token sequences).
pub fn token_texts(text: &str) -> Vec<String> {
    tokenize(text).into_iter().map(|t| t.folded).collect()
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// Letters and the marks that belong to words in Indic and Arabic scripts.
fn is_word_char(c: char) -> bool {
    c.is_alphabetic()
        || c == '_'
        || c == '\''
        || c == 'ʼ'
        || c == '\u{200c}'
        || c == '\u{200d}'
        || (('\u{0300}'..='\u{036f}').contains(&c))
        || (('\u{0610}'..='\u{061a}').contains(&c))
        || (('\u{064b}'..='\u{065f}').contains(&c))
        || c == '\u{0670}'
        || (('\u{06d6}'..='\u{06ed}').contains(&c))
        || (('\u{0900}'..='\u{0dff}').contains(&c)
            && digit_value(c).is_none()
            && !matches!(c, '।' | '॥'))
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    let mut depth: u32 = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let in_parens = depth > 0;
        if c.is_whitespace() {
            continue;
        }
        if let Some(d) = digit_value(c) {
            let mut raw = String::new();
            raw.push(char::from(b'0' + d as u8));
            let mut value = u64::from(d);
            while let Some(&next) = chars.peek() {
                let Some(d) = digit_value(next) else { break };
                chars.next();
                if raw.len() < 20 {
                    raw.push(char::from(b'0' + d as u8));
                }
                value = value.saturating_mul(10).saturating_add(u64::from(d));
            }
            tokens.push(Token {
                kind: Kind::Number,
                folded: raw.clone(),
                raw,
                value,
                in_parens,
            });
            continue;
        }
        if is_han(c) {
            let raw = c.to_string();
            tokens.push(Token {
                kind: Kind::Word,
                folded: raw.clone(),
                raw,
                value: 0,
                in_parens,
            });
            continue;
        }
        if is_word_char(c) {
            let mut raw = c.to_string();
            while let Some(&next) = chars.peek() {
                if !is_word_char(next) || is_han(next) || digit_value(next).is_some() {
                    break;
                }
                chars.next();
                raw.push(next);
            }
            tokens.push(Token {
                kind: Kind::Word,
                folded: fold(&raw),
                raw,
                value: 0,
                in_parens,
            });
            continue;
        }
        match c {
            '(' | '[' | '（' => depth = depth.saturating_add(1),
            ')' | ']' | '）' => depth = depth.saturating_sub(1),
            _ => {}
        }
        let raw = c.to_string();
        tokens.push(Token {
            kind: Kind::Punct,
            folded: raw.clone(),
            raw,
            value: 0,
            in_parens,
        });
    }
    tokens
}

/// Reads every part of a dateline it can find. `None` when the word data cannot be loaded.
pub fn scan(text: &str) -> Result<Scan, String> {
    let words = Words::get()?;
    let zones = Zones::get()?;
    let tokens = tokenize(text);
    let mut scan = Scan::default();
    let mut last_time_end: Option<usize> = None;
    let mut i = 0;
    while i < tokens.len() {
        // Phrases first: `a.m.`, month names of two words, zone phrases.
        if let Some((length, phrase)) = match_phrase(&tokens, i, words) {
            if let Phrase::Weekday(d) = phrase {
                scan.weekday.get_or_insert(d);
            }
            i += length;
            continue;
        }
        if let Some(tz) = match_zone_phrase(&tokens, i, zones) {
            scan.zone.get_or_insert(ZoneHint::Phrase(tz.1));
            i += tz.0;
            continue;
        }
        let token = &tokens[i];
        if let Some((time, end)) = time_at(&tokens, i, words) {
            if token.in_parens {
                if paren_says_gmt(&tokens, end) {
                    scan.gmt_check.get_or_insert(time);
                } else if scan.time.is_none() {
                    scan.time = Some(time);
                }
            } else if scan.time.is_none() {
                scan.time = Some(time);
                last_time_end = Some(end);
            }
            i = end;
            continue;
        }
        if scan.date.is_none()
            && let Some(date) = date_at(&tokens, i, words)
        {
            scan.date = Some(date);
        }
        if token.kind == Kind::Word {
            if let Some(d) = words.weekday(&token.folded) {
                scan.weekday.get_or_insert(d);
            }
            if token.folded == "local" && tokens.get(i + 1).is_some_and(|t| t.folded == "time") {
                scan.says_local_time = true;
            }
            if let Some((offset, end)) = offset_after_gmt(&tokens, i) {
                if !token.in_parens {
                    scan.zone = Some(ZoneHint::Offset(offset));
                }
                i = end;
                continue;
            }
            let parenthesised_check = token.in_parens && scan.gmt_check.is_some();
            if !parenthesised_check && zones.abbreviation(&token.raw, None).is_some() {
                let is_gmt = matches!(token.raw.as_str(), "GMT" | "UTC");
                // The first abbreviation wins over phrases; explicit offsets win over both.
                let replaceable = matches!(scan.zone, None | Some(ZoneHint::Phrase(_)));
                if replaceable && !(token.in_parens && is_gmt) {
                    scan.zone = Some(ZoneHint::Abbreviation(token.raw.clone()));
                }
            } else if looks_like_abbreviation(&token.raw)
                && (last_time_end == Some(i) || time_at(&tokens, i + 1, words).is_some())
            {
                scan.unknown_abbreviation.get_or_insert(token.raw.clone());
            }
        }
        if token.kind == Kind::Punct
            && matches!(token.raw.as_str(), "+" | "-")
            && last_time_end.is_some_and(|end| end == i)
            && let Some((offset, end)) = numeric_offset(&tokens, i, false)
        {
            scan.zone = Some(ZoneHint::Offset(offset));
            i = end;
            continue;
        }
        i += 1;
    }
    Ok(scan)
}

/// An uppercase word of 3-5 ASCII letters ending in T (`XYZT`): a zone abbreviation by its shape.
fn looks_like_abbreviation(raw: &str) -> bool {
    (3..=5).contains(&raw.len())
        && raw.bytes().all(|b| b.is_ascii_uppercase())
        && raw.ends_with('T')
}

fn match_phrase(tokens: &[Token], i: usize, words: &Words) -> Option<(usize, Phrase)> {
    words.phrases.iter().find_map(|(phrase, meaning)| {
        let end = i + phrase.len();
        (end <= tokens.len()
            && tokens[i..end]
                .iter()
                .zip(phrase)
                .all(|(t, p)| t.folded == *p))
        .then_some((phrase.len(), *meaning))
    })
}

fn match_zone_phrase(tokens: &[Token], i: usize, zones: &Zones) -> Option<(usize, chrono_tz::Tz)> {
    zones.phrases.iter().find_map(|(words, tz)| {
        let end = i + words.len();
        (end <= tokens.len()
            && tokens[i..end]
                .iter()
                .zip(words)
                .all(|(t, w)| t.folded == *w))
        .then_some((words.len(), *tz))
    })
}

fn is_punct(tokens: &[Token], i: usize, chars: &[&str]) -> bool {
    tokens
        .get(i)
        .is_some_and(|t| t.kind == Kind::Punct && chars.contains(&t.raw.as_str()))
}

fn number(tokens: &[Token], i: usize, max_digits: usize) -> Option<u64> {
    tokens
        .get(i)
        .filter(|t| t.kind == Kind::Number && t.raw.len() <= max_digits)
        .map(|t| t.value)
}

/// A meridiem word or phrase at `i`, with the index after it.
fn meridiem_at(tokens: &[Token], i: usize, words: &Words) -> Option<(Meridiem, usize)> {
    if let Some((length, Phrase::Meridiem(m))) = match_phrase(tokens, i, words) {
        return Some((m, i + length));
    }
    let token = tokens.get(i).filter(|t| t.kind == Kind::Word)?;
    words.meridiem(&token.folded).map(|m| (m, i + 1))
}

/// A time starting at token `i`, and the index after it.
fn time_at(tokens: &[Token], i: usize, words: &Words) -> Option<(TimeParts, usize)> {
    // A meridiem before the time (上午 8:00).
    if let Some((meridiem, next)) = meridiem_at(tokens, i, words)
        && let Some((mut time, end)) = clock_time(tokens, next)
        && time.meridiem.is_none()
    {
        time.meridiem = Some(meridiem);
        return Some((time, end));
    }
    let (mut time, mut end) = clock_time(tokens, i).or_else(|| {
        let value = number(tokens, i, 4)?;
        let token = &tokens[i];
        let next = tokens.get(i + 1)?;
        if token.raw.len() == 4 && next.kind == Kind::Word {
            let hours_word = words.is_hours_word(&next.folded);
            let gmt = token.in_parens && matches!(next.raw.as_str(), "GMT" | "UTC");
            if hours_word || gmt {
                let time = TimeParts {
                    hour: (value / 100) as u32,
                    minute: (value % 100) as u32,
                    second: 0,
                    meridiem: None,
                };
                return Some((time, i + if hours_word { 2 } else { 1 }));
            }
        }
        if token.raw.len() <= 2 && meridiem_at(tokens, i + 1, words).is_some() {
            return Some((
                TimeParts {
                    hour: value as u32,
                    minute: 0,
                    second: 0,
                    meridiem: None,
                },
                i + 1,
            ));
        }
        None
    })?;
    if let Some((meridiem, next)) = meridiem_at(tokens, end, words) {
        time.meridiem = Some(meridiem);
        end = next;
    }
    Some((time, end))
}

/// `13:47`, `13:47:05`, `13h47` at `i`.
fn clock_time(tokens: &[Token], i: usize) -> Option<(TimeParts, usize)> {
    let hour = number(tokens, i, 2)?;
    let separated = is_punct(tokens, i + 1, &[":"])
        || tokens
            .get(i + 1)
            .is_some_and(|t| t.kind == Kind::Word && t.folded == "h");
    if !separated
        || tokens
            .get(i + 2)
            .is_none_or(|t| t.kind != Kind::Number || t.raw.len() != 2)
    {
        return None;
    }
    let minute = tokens[i + 2].value;
    let (second, end) = if is_punct(tokens, i + 3, &[":"]) && number(tokens, i + 4, 2).is_some() {
        (tokens[i + 4].value, i + 5)
    } else {
        (0, i + 3)
    };
    Some((
        TimeParts {
            hour: hour as u32,
            minute: minute as u32,
            second: second as u32,
            meridiem: None,
        },
        end,
    ))
}

/// Whether the parenthesised group that a time ends at `end` names GMT or UTC.
fn paren_says_gmt(tokens: &[Token], end: usize) -> bool {
    tokens[end.min(tokens.len())..]
        .iter()
        .take_while(|t| t.in_parens && t.raw != ")")
        .chain(tokens.get(end))
        .any(|t| matches!(t.raw.as_str(), "GMT" | "UTC"))
}

/// A date around token `i` (a month word, a numeric date, or a CJK date starting there).
fn date_at(tokens: &[Token], i: usize, words: &Words) -> Option<DateParts> {
    let token = &tokens[i];
    let month_word = match token.kind {
        Kind::Word => words.month(&token.folded).or_else(|| {
            match_phrase(tokens, i, words).and_then(|(_, p)| match p {
                Phrase::Month(m) => Some(m),
                _ => None,
            })
        }),
        _ => None,
    };
    if let Some(month) = month_word {
        return month_name_date(tokens, i, month, words);
    }
    if token.kind != Kind::Number {
        return None;
    }
    // 2025年4月23日 / 10月11日
    if tokens.get(i + 1).is_some_and(|t| t.raw == "年")
        && let (Some(month), Some(day)) = (number(tokens, i + 2, 2), number(tokens, i + 4, 2))
        && tokens.get(i + 3).is_some_and(|t| t.raw == "月")
    {
        return Some(DateParts {
            year: Some(token.value as i32),
            month: month as u32,
            day: day as u32,
        });
    }
    if token.raw.len() <= 2
        && tokens.get(i + 1).is_some_and(|t| t.raw == "月")
        && let Some(day) = number(tokens, i + 2, 2)
        && tokens
            .get(i + 3)
            .is_some_and(|t| t.raw == "日" || t.raw == "号")
        && !(i >= 1 && tokens[i - 1].raw == "年")
    {
        return Some(DateParts {
            year: None,
            month: token.value as u32,
            day: day as u32,
        });
    }
    // 2025-04-23
    if token.raw.len() == 4
        && is_punct(tokens, i + 1, &["-"])
        && let (Some(month), Some(day)) = (number(tokens, i + 2, 2), number(tokens, i + 4, 2))
        && is_punct(tokens, i + 3, &["-"])
    {
        return Some(DateParts {
            year: Some(token.value as i32),
            month: month as u32,
            day: day as u32,
        });
    }
    // 13.12.2025, 13/12/2025
    if token.raw.len() <= 2
        && is_punct(tokens, i + 1, &[".", "/", "-"])
        && let Some(month) = number(tokens, i + 2, 2)
        && tokens
            .get(i + 3)
            .is_some_and(|t| t.raw == tokens[i + 1].raw)
        && tokens
            .get(i + 4)
            .is_some_and(|t| t.kind == Kind::Number && t.raw.len() == 4)
    {
        return Some(DateParts {
            year: Some(tokens[i + 4].value as i32),
            month: month as u32,
            day: token.value as u32,
        });
    }
    None
}

/// `APR 23, 2025`, `April 23rd 2023`, `23 Apr 2025`, `15 July, 2020`, `Oct. 15`, `23 апреля 2025`.
fn month_name_date(tokens: &[Token], i: usize, month: u32, words: &Words) -> Option<DateParts> {
    let is_filler = |j: usize| {
        tokens
            .get(j)
            .is_some_and(|t| t.kind == Kind::Word && words.is_filler(&t.folded))
    };
    let skip = |mut j: usize| {
        while is_punct(tokens, j, &[".", ",", "-"]) || is_filler(j) {
            j += 1;
        }
        j
    };
    let year_at = |j: usize| {
        let j = skip(j);
        tokens
            .get(j)
            .filter(|t| t.kind == Kind::Number && t.raw.len() == 4)
            .map(|t| t.value as i32)
    };
    // Day after the month.
    let j = skip(i + 1);
    if let Some(day) = number(tokens, j, 2) {
        let mut after = j + 1;
        if tokens
            .get(after)
            .is_some_and(|t| t.kind == Kind::Word && words.is_ordinal(&t.folded))
        {
            after += 1;
        }
        // "Apr 23 13:47" — the day must not be an hour.
        if !is_punct(tokens, after, &[":"]) {
            return Some(DateParts {
                year: year_at(after),
                month,
                day: day as u32,
            });
        }
    }
    // Day before the month: "23 Apr", "23rd of April".
    let mut k = i;
    while k > 0 && (is_punct(tokens, k - 1, &[".", ",", "-"]) || is_filler(k - 1)) {
        k -= 1;
    }
    if k > 0 && tokens[k - 1].kind == Kind::Word && words.is_ordinal(&tokens[k - 1].folded) {
        k -= 1;
    }
    if k > 0
        && let Some(day) = number(tokens, k - 1, 2)
        && !is_punct(tokens, k, &[":"])
    {
        return Some(DateParts {
            year: year_at(i + 1),
            month,
            day: day as u32,
        });
    }
    None
}

/// `GMT+6`, `UTC+05:30`, `GMT -4` at `i` (the GMT/UTC word), and the index after it.
fn offset_after_gmt(tokens: &[Token], i: usize) -> Option<(FixedOffset, usize)> {
    if !matches!(tokens[i].raw.as_str(), "GMT" | "UTC") {
        return None;
    }
    numeric_offset(tokens, i + 1, true)
}

/// `+6`, `+06:00`, `+0600`, `-4` at `i` (the sign), and the index after it. Bare hours (`+6`) only
/// when `short` (after GMT/UTC): after a time, `19:21 - 13.12.2025` is a date, not UTC-13.
fn numeric_offset(tokens: &[Token], i: usize, short: bool) -> Option<(FixedOffset, usize)> {
    let sign = match tokens.get(i)?.raw.as_str() {
        "+" => 1,
        "-" | "−" => -1,
        _ => return None,
    };
    let first = tokens.get(i + 1).filter(|t| t.kind == Kind::Number)?;
    let (hours, minutes, end) = match first.raw.len() {
        1 | 2 if is_punct(tokens, i + 2, &[":"]) && number(tokens, i + 3, 2).is_some() => {
            (first.value, tokens[i + 3].value, i + 4)
        }
        1 | 2 if short => (first.value, 0, i + 2),
        4 => (first.value / 100, first.value % 100, i + 2),
        _ => return None,
    };
    if hours > 14 || minutes > 59 {
        return None;
    }
    let seconds = sign * (hours as i32 * 3600 + minutes as i32 * 60);
    FixedOffset::east_opt(seconds).map(|offset| (offset, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(hour: u32, minute: u32) -> Option<TimeParts> {
        Some(TimeParts {
            hour,
            minute,
            second: 0,
            meridiem: None,
        })
    }

    #[test]
    fn finds_the_parts() {
        let s = scan("BDST: 1347 HRS, APR 23, 2025").unwrap();
        assert_eq!(s.time, time(13, 47));
        assert_eq!(
            s.date,
            Some(DateParts {
                year: Some(2025),
                month: 4,
                day: 23
            })
        );
        assert_eq!(s.zone, Some(ZoneHint::Abbreviation("BDST".into())));

        let s = scan("8:00 am (0200 GMT) on Sunday").unwrap();
        assert_eq!(s.time.unwrap().meridiem, Some(Meridiem::Am));
        assert_eq!(s.gmt_check, time(2, 0));
        assert_eq!(s.weekday, Some(6));
        assert_eq!(s.zone, None);

        let s = scan("新华社北京10月11日电").unwrap();
        assert_eq!(
            s.date,
            Some(DateParts {
                year: None,
                month: 10,
                day: 11
            })
        );

        let s = scan("19:21 - 13.12.2025").unwrap();
        assert_eq!(
            s.date,
            Some(DateParts {
                year: Some(2025),
                month: 12,
                day: 13
            })
        );
        assert_eq!(s.zone, None);

        let s = scan("April 23, 2025 13:47 GMT+6").unwrap();
        assert_eq!(
            s.zone,
            Some(ZoneHint::Offset(FixedOffset::east_opt(6 * 3600).unwrap()))
        );

        let s = scan("13:47 XYZT, April 23, 2025").unwrap();
        assert_eq!(s.unknown_abbreviation.as_deref(), Some("XYZT"));

        let s = scan("07:00 a.m. local time (05:00 a.m. GMT)").unwrap();
        assert_eq!(s.time.unwrap().hour, 7);
        assert_eq!(s.gmt_check.unwrap().hour, 5);
        assert!(s.says_local_time);
    }
}
