//! Reading a dateline's tokens into its parts, before any of them is interpreted.
//!
//! Owns [`Scan`] and its parts. Reads the tokens of [`super::lex`], the words of [`super::words`]
//! and the abbreviations and phrases of [`super::zones`]; writes a [`Scan`] for
//! [`super::resolve`]. Rules look for a time (`13:47`, `1347 HRS`, `8 am`, `13h47`), a date (month
//! names on either side of the day, `13.12.2025`, `2025-04-23`, `10月11日`), a weekday, and zone
//! hints (an abbreviation, an explicit offset, a phrase such as `বাংলাদেশ সময়`), plus a time given
//! in GMT in parentheses for a cross-check. Numbers are kept as written, however large: nothing is
//! validated here, and nothing is wrapped. Work is linear in the length of the text. Example:
//! `BDST: 1347 HRS, APR 23, 2025` gives time 13:47, date 23 April 2025 and the abbreviation `BDST`:
//!
//! ```
//! use newsdigest::dateline::{parse, Context};
//! let context = Context { country: None, home: None, now: "2025-04-23T12:00:00Z".parse().unwrap() };
//! let resolved = parse("BDST: 1347 HRS, APR 23, 2025", &context).unwrap();
//! assert_eq!(resolved.local.to_rfc3339(), "2025-04-23T13:47:00+06:00");
//! assert_eq!(resolved.zone.to_string(), "Asia/Dhaka");
//! ```

use chrono::FixedOffset;

use super::lex::{Kind, Token, match_phrase, tokenize};
use super::words::{Meridiem, Phrase, Words};
use super::zones::{Zones, offset_from_parts};

/// A time of day as written (values as written, however large: [`super::resolve`] checks them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeParts {
    pub hour: u64,
    pub minute: u64,
    pub second: u64,
    pub meridiem: Option<Meridiem>,
}

/// A calendar date as written; the year may be missing. A day written with a minus sign
/// (`APR -1`) is negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateParts {
    pub year: Option<u64>,
    pub month: u64,
    pub day: i64,
    /// `04/05/2025`: written with slashes and either number could be the month. Read day first.
    pub order_ambiguous: bool,
}

/// A zone named in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZoneHint {
    /// `GMT+6`, `UTC+05:30`, `+0600`.
    Offset(FixedOffset),
    /// An offset written but impossible (`GMT+99`, `UTC+25:00`): the reason.
    BadOffset(String),
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
    /// The weekday as written (`Sun`, `Sunday`, `রবিবার`).
    pub weekday_text: Option<String>,
    pub zone: Option<ZoneHint>,
    /// An uppercase word that looks like a zone abbreviation but is not one we know: next to the
    /// time (`13:47 XYZT`), or a label before a time or date (`XYZT: 1347 HRS`).
    pub unknown_abbreviation: Option<String>,
    /// A time given in GMT/UTC inside parentheses: `(0200 GMT)`.
    pub gmt_check: Option<TimeParts>,
    /// `local time` was written: the outlet's own zone.
    pub says_local_time: bool,
}

/// The state of one scan: the tokens, the data, what was found so far.
struct Scanner<'a> {
    tokens: Vec<Token>,
    words: &'a Words,
    zones: &'a Zones,
    found: Scan,
    last_time_end: Option<usize>,
}

/// Reads every part of a dateline it can find. An error names a data file that cannot be loaded.
pub fn scan(text: &str) -> Result<Scan, String> {
    let mut scanner = Scanner {
        tokens: tokenize(text),
        words: Words::get()?,
        zones: Zones::get()?,
        found: Scan::default(),
        last_time_end: None,
    };
    let mut i = 0;
    while i < scanner.tokens.len() {
        i = scanner.step(i);
    }
    Ok(scanner.found)
}

impl Scanner<'_> {
    /// Reads what starts at token `i`; the index to read next (always after `i`).
    fn step(&mut self, i: usize) -> usize {
        let tokens = &self.tokens;
        // Phrases first: `a.m.`, month names of two words, zone phrases.
        if let Some((length, phrase)) = match_phrase(tokens, i, self.words.phrases()) {
            if let Phrase::Weekday(d) = phrase {
                let text = tokens[i..i + length].iter().map(|t| t.raw.as_str());
                take_weekday(&mut self.found, d, text.collect::<Vec<_>>().join(" "));
            }
            return i + length;
        }
        if let Some((length, tz)) = match_phrase(tokens, i, &self.zones.phrases) {
            self.found.zone.get_or_insert(ZoneHint::Phrase(tz));
            return i + length;
        }
        if let Some((time, end)) = time_at(tokens, i, self.words) {
            self.take_time(i, time, end);
            return end;
        }
        if self.found.date.is_none() {
            self.found.date = date_at(tokens, i, self.words);
        }
        match tokens[i].kind {
            Kind::Word => self.word(i),
            Kind::Punct => self.sign_after_time(i),
            Kind::Number => i + 1,
        }
    }

    /// A time found at `i` ending at `end`: the dateline's time, or the GMT cross-check.
    fn take_time(&mut self, i: usize, time: TimeParts, end: usize) {
        if self.tokens[i].in_parens {
            if paren_says_gmt(&self.tokens, end) {
                self.found.gmt_check.get_or_insert(time);
            } else if self.found.time.is_none() {
                self.found.time = Some(time);
            }
        } else if self.found.time.is_none() {
            self.found.time = Some(time);
            self.last_time_end = Some(end);
        }
    }

    /// A word at `i`: a weekday, `local time`, `GMT+6`, a zone abbreviation or one we do not know.
    fn word(&mut self, i: usize) -> usize {
        let tokens = &self.tokens;
        let token = &tokens[i];
        if let Some(d) = self.words.weekday(&token.folded) {
            take_weekday(&mut self.found, d, token.raw.clone());
        }
        if token.folded == "local" && tokens.get(i + 1).is_some_and(|t| t.folded == "time") {
            self.found.says_local_time = true;
        }
        if matches!(token.raw.as_str(), "GMT" | "UTC")
            && let Some((offset, end)) = numeric_offset(tokens, i + 1, true)
        {
            // In parentheses (`13:47 EST (GMT-5)`) an offset is a gloss: it names the zone only
            // when nothing before it did.
            if !token.in_parens || self.found.zone.is_none() {
                self.found.zone = Some(offset_hint(offset));
            }
            return end;
        }
        let parenthesised_check = token.in_parens && self.found.gmt_check.is_some();
        if !parenthesised_check && self.zones.abbreviation(&token.raw, None).is_some() {
            let is_gmt = matches!(token.raw.as_str(), "GMT" | "UTC");
            // The first abbreviation wins over phrases; explicit offsets win over both.
            let replaceable = matches!(self.found.zone, None | Some(ZoneHint::Phrase(_)));
            if replaceable && !(token.in_parens && is_gmt) {
                self.found.zone = Some(ZoneHint::Abbreviation(token.raw.clone()));
            }
        } else if self.is_unknown_abbreviation(i) {
            self.found
                .unknown_abbreviation
                .get_or_insert(token.raw.clone());
        }
        i + 1
    }

    /// Whether the word at `i` is shaped like a zone abbreviation we do not know: `XYZT` next to
    /// the time, or an all-caps label of 2-5 letters before a colon and a time or date
    /// (`XYZT: 1347 HRS`). Dateline words (`APR:`, `PM`) and mixed-case labels (`Updated:`) are not.
    fn is_unknown_abbreviation(&self, i: usize) -> bool {
        let (tokens, words) = (&self.tokens, self.words);
        let raw = tokens[i].raw.as_str();
        let upper = raw.bytes().all(|b| b.is_ascii_uppercase());
        if !upper || words.is_known(&tokens[i].folded) {
            return false;
        }
        let next_to_time = (3..=5).contains(&raw.len())
            && raw.ends_with('T')
            && (self.last_time_end == Some(i) || time_at(tokens, i + 1, words).is_some());
        let label = (2..=5).contains(&raw.len())
            && is_punct(tokens, i + 1, &[":"])
            && (time_at(tokens, i + 2, words).is_some()
                || (i + 2 < tokens.len() && date_at(tokens, i + 2, words).is_some()));
        next_to_time || label
    }

    /// `+0600` or `-04:00` right after the time (`13:47 +0600`).
    fn sign_after_time(&mut self, i: usize) -> usize {
        let after_time = self.last_time_end == Some(i);
        if after_time && let Some((offset, end)) = numeric_offset(&self.tokens, i, false) {
            self.found.zone = Some(offset_hint(offset));
            return end;
        }
        i + 1
    }
}

/// The first weekday written wins.
fn take_weekday(found: &mut Scan, weekday: u32, text: String) {
    if found.weekday.is_none() {
        found.weekday = Some(weekday);
        found.weekday_text = Some(text);
    }
}

fn offset_hint(offset: Result<FixedOffset, String>) -> ZoneHint {
    offset.map_or_else(ZoneHint::BadOffset, ZoneHint::Offset)
}

fn is_punct(tokens: &[Token], i: usize, chars: &[&str]) -> bool {
    tokens
        .get(i)
        .is_some_and(|t| t.kind == Kind::Punct && chars.contains(&t.raw.as_str()))
}

/// The value of a number of at most `max_digits` digits at `i`.
fn number(tokens: &[Token], i: usize, max_digits: usize) -> Option<u64> {
    tokens
        .get(i)
        .filter(|t| t.kind == Kind::Number && t.digits <= max_digits)
        .map(|t| t.value)
}

/// A number of at most 2 digits at `i`, as a day: negative when a minus sign is glued to it and
/// spaced from what comes before (`APR -1`, not `Apr-23`).
fn day_number(tokens: &[Token], i: usize) -> Option<i64> {
    let value = i64::try_from(number(tokens, i, 2)?).ok()?;
    let negative =
        i > 0 && is_punct(tokens, i - 1, &["-", "−"]) && tokens[i - 1].spaced && !tokens[i].spaced;
    Some(if negative { -value } else { value })
}

/// A meridiem word or phrase at `i`, with the index after it.
fn meridiem_at(tokens: &[Token], i: usize, words: &Words) -> Option<(Meridiem, usize)> {
    if let Some((length, Phrase::Meridiem(m))) = match_phrase(tokens, i, words.phrases()) {
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
    let (mut time, mut end) = clock_time(tokens, i).or_else(|| hours_time(tokens, i, words))?;
    if let Some((meridiem, next)) = meridiem_at(tokens, end, words) {
        time.meridiem = Some(meridiem);
        end = next;
    }
    Some((time, end))
}

fn time_parts(hour: u64, minute: u64) -> TimeParts {
    TimeParts {
        hour,
        minute,
        second: 0,
        meridiem: None,
    }
}

/// `1347 HRS`, `(0200 GMT)`, `8 am` at `i`. Any number of digits before an hours word is read
/// (`24601 HRS` is 246:01, refused later), never dropped.
fn hours_time(tokens: &[Token], i: usize, words: &Words) -> Option<(TimeParts, usize)> {
    let token = tokens.get(i).filter(|t| t.kind == Kind::Number)?;
    let next = tokens.get(i + 1)?;
    if next.kind == Kind::Word {
        let hours_word = words.is_hours_word(&next.folded);
        let gmt =
            token.in_parens && token.digits == 4 && matches!(next.raw.as_str(), "GMT" | "UTC");
        if hours_word && token.digits >= 4 || gmt {
            let time = time_parts(token.value / 100, token.value % 100);
            return Some((time, i + if hours_word { 2 } else { 1 }));
        }
    }
    if token.digits <= 2 && meridiem_at(tokens, i + 1, words).is_some() {
        return Some((time_parts(token.value, 0), i + 1));
    }
    None
}

/// `13:47`, `13:47:05`, `13h47` at `i`. The hour has 1-2 digits, or 5 or more (`99999:00` is a
/// time, refused later, not dropped); 3-4 digits before a colon are a year (`23 April 2025: 10:00`).
/// The minutes and seconds have two.
fn clock_time(tokens: &[Token], i: usize) -> Option<(TimeParts, usize)> {
    let hour = tokens
        .get(i)
        .filter(|t| t.kind == Kind::Number && !(3..=4).contains(&t.digits))?
        .value;
    let separated = is_punct(tokens, i + 1, &[":"])
        || tokens
            .get(i + 1)
            .is_some_and(|t| t.kind == Kind::Word && t.folded == "h");
    let minute = number(tokens, i + 2, 2).filter(|_| tokens[i + 2].digits == 2);
    let (true, Some(minute)) = (separated, minute) else {
        return None;
    };
    let (second, end) = match number(tokens, i + 4, 2) {
        Some(second) if is_punct(tokens, i + 3, &[":"]) => (second, i + 5),
        _ => (0, i + 3),
    };
    let time = TimeParts {
        second,
        ..time_parts(hour, minute)
    };
    Some((time, end))
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
    if token.kind == Kind::Word {
        let month = words.month(&token.folded).or_else(|| {
            match match_phrase(tokens, i, words.phrases()) {
                Some((_, Phrase::Month(m))) => Some(m),
                _ => None,
            }
        })?;
        return month_name_date(tokens, i, u64::from(month), words);
    }
    if token.kind != Kind::Number {
        return None;
    }
    han_date(tokens, i).or_else(|| numeric_date(tokens, i))
}

/// `2025年4月23日`, `10月11日` at `i`. The year may have any number of digits.
fn han_date(tokens: &[Token], i: usize) -> Option<DateParts> {
    let raw = |j: usize| tokens.get(j).map_or("", |t| t.raw.as_str());
    if raw(i + 1) == "年"
        && raw(i + 3) == "月"
        && let (Some(month), Some(day)) = (number(tokens, i + 2, 2), day_number(tokens, i + 4))
    {
        return Some(DateParts {
            year: Some(tokens[i].value),
            month,
            day,
            order_ambiguous: false,
        });
    }
    if tokens[i].digits <= 2
        && raw(i + 1) == "月"
        && matches!(raw(i + 3), "日" | "号")
        && let Some(day) = day_number(tokens, i + 2)
        && !(i >= 1 && raw(i - 1) == "年")
    {
        return Some(DateParts {
            year: None,
            month: tokens[i].value,
            day,
            order_ambiguous: false,
        });
    }
    None
}

/// `2025-04-23` (a year of 4 or more digits, so `12000-04-23` is read and refused) and
/// `13.12.2025`, `13/12/2025` at `i`.
fn numeric_date(tokens: &[Token], i: usize) -> Option<DateParts> {
    let token = &tokens[i];
    if token.digits >= 4
        && is_punct(tokens, i + 1, &["-"])
        && is_punct(tokens, i + 3, &["-"])
        && let (Some(month), Some(day)) = (number(tokens, i + 2, 2), day_number(tokens, i + 4))
    {
        return Some(DateParts {
            year: Some(token.value),
            month,
            day,
            order_ambiguous: false,
        });
    }
    let separator = tokens.get(i + 1).map(|t| t.raw.as_str());
    if token.digits <= 2
        && is_punct(tokens, i + 1, &[".", "/", "-"])
        && let Some(month) = number(tokens, i + 2, 2)
        && tokens.get(i + 3).map(|t| t.raw.as_str()) == separator
        && let Some(year) = tokens
            .get(i + 4)
            .filter(|t| t.kind == Kind::Number && t.digits >= 4)
    {
        let day = token.value;
        let order_ambiguous = separator == Some("/") && day != month && (1..=12).contains(&day);
        return Some(DateParts {
            year: Some(year.value),
            month,
            day: i64::try_from(day).ok()?,
            order_ambiguous: order_ambiguous && (1..=12).contains(&month),
        });
    }
    None
}

/// `APR 23, 2025`, `April 23rd 2023`, `23 Apr 2025`, `15 July, 2020`, `Oct. 15`, `23 апреля 2025`.
/// A year is a number of 3 or more digits after the day (`APR 23, 99999` is read and refused).
fn month_name_date(tokens: &[Token], i: usize, month: u64, words: &Words) -> Option<DateParts> {
    let is_filler = |j: usize| {
        tokens
            .get(j)
            .is_some_and(|t| t.kind == Kind::Word && words.is_filler(&t.folded))
    };
    let is_ordinal = |j: usize| {
        tokens
            .get(j)
            .is_some_and(|t| t.kind == Kind::Word && words.is_ordinal(&t.folded))
    };
    let skip = |mut j: usize| {
        while is_punct(tokens, j, &[".", ",", "-"]) || is_filler(j) {
            j += 1;
        }
        j
    };
    let year_at = |j: usize| {
        let year = tokens
            .get(skip(j))
            .filter(|t| t.kind == Kind::Number && t.digits >= 3);
        year.filter(|_| !is_punct(tokens, skip(j) + 1, &[":"]))
            .map(|t| t.value)
    };
    // Day after the month; "Apr 23 13:47": the day must not be an hour.
    let j = skip(i + 1);
    if let Some(day) = day_number(tokens, j) {
        let after = if is_ordinal(j + 1) { j + 2 } else { j + 1 };
        if !is_punct(tokens, after, &[":"]) {
            let year = year_at(after);
            return Some(DateParts {
                year,
                month,
                day,
                order_ambiguous: false,
            });
        }
    }
    // Day before the month: "23 Apr", "23rd of April".
    let mut k = i;
    while k > 0 && (is_punct(tokens, k - 1, &[".", ",", "-"]) || is_filler(k - 1)) {
        k -= 1;
    }
    if k > 0 && is_ordinal(k - 1) {
        k -= 1;
    }
    if k > 0
        && let Some(day) = day_number(tokens, k - 1)
        && !is_punct(tokens, k, &[":"])
    {
        let year = year_at(i + 1);
        return Some(DateParts {
            year,
            month,
            day,
            order_ambiguous: false,
        });
    }
    None
}

/// An offset at `i` (the sign): `+6`, `+06:00`, `+0600`, `-4`, and the index after it. An offset
/// that is written but impossible (`+99`, `+25:00`, `+9999`) is an `Err` with the reason, so that
/// it is refused rather than dropped. Bare hours (`+6`) and digits of any length only when `short`
/// (after GMT/UTC): after a time, `19:21 - 13.12.2025` is a date, not UTC-13.
fn numeric_offset(
    tokens: &[Token],
    i: usize,
    short: bool,
) -> Option<(Result<FixedOffset, String>, usize)> {
    let negative = match tokens.get(i)?.raw.as_str() {
        "+" => false,
        "-" | "−" => true,
        _ => return None,
    };
    let first = tokens.get(i + 1).filter(|t| t.kind == Kind::Number)?;
    let (hours, minutes, end) = match first.digits {
        1 | 2 if is_punct(tokens, i + 2, &[":"]) && number(tokens, i + 3, 2).is_some() => {
            (first.value, tokens[i + 3].value, i + 4)
        }
        1 | 2 if short => (first.value, 0, i + 2),
        3 | 4 => (first.value / 100, first.value % 100, i + 2),
        _ if short => (first.value, 0, i + 2),
        _ => return None,
    };
    Some((offset_from_parts(negative, hours, minutes), end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(hour: u64, minute: u64) -> Option<TimeParts> {
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
                day: 23,
                order_ambiguous: false,
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
                day: 11,
                order_ambiguous: false,
            })
        );

        let s = scan("19:21 - 13.12.2025").unwrap();
        assert_eq!(
            s.date,
            Some(DateParts {
                year: Some(2025),
                month: 12,
                day: 13,
                order_ambiguous: false,
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

        let s = scan("XYZT: 1347 HRS, APR 23, 2025").unwrap();
        assert_eq!(s.unknown_abbreviation.as_deref(), Some("XYZT"));
        for labelled in [
            "Updated: 13:47, APR 23, 2025",
            "APR: 13:47",
            "BDST: 1347 HRS",
        ] {
            assert_eq!(
                scan(labelled).unwrap().unknown_abbreviation,
                None,
                "{labelled}"
            );
        }

        let s = scan("13:47 (GMT+6), April 23, 2025").unwrap();
        assert_eq!(
            s.zone,
            Some(ZoneHint::Offset(FixedOffset::east_opt(6 * 3600).unwrap()))
        );
        let s = scan("1:47 PM EST (GMT-5), January 23, 2025").unwrap();
        assert_eq!(s.zone, Some(ZoneHint::Abbreviation("EST".into())));
        assert_eq!(scan("APR -1, 2025").unwrap().date.unwrap().day, -1);
        assert_eq!(scan("Apr-23-2025").unwrap().date.unwrap().day, 23);
        assert_eq!(scan("BEIJING - 13 Oct").unwrap().date.unwrap().day, 13);

        let s = scan("07:00 a.m. local time (05:00 a.m. GMT)").unwrap();
        assert_eq!(s.time.unwrap().hour, 7);
        assert_eq!(s.gmt_check.unwrap().hour, 5);
        assert!(s.says_local_time);
    }
}
