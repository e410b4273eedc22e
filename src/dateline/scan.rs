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

use super::audit::{Reading, Unread, audit};
use super::lex::{Kind, Token, match_phrase, tokenize};
use super::order::NumericDate;
use super::relative::{Relative, relative_at};
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
    /// The digits the year was written with (2 in `23-Apr-25`: pivoted by [`super::order`]).
    pub year_digits: usize,
    /// `04/05/2025`, `21.04.25`: three numbers whose order [`super::order`] decides by the
    /// outlet's country (`year`, `month` and `day` above are the day-first reading).
    pub numeric: Option<NumericDate>,
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
    /// `3 hours ago`, `yesterday`, and the text it was read from.
    pub relative: Option<(Relative, String)>,
    /// Times and dates written after the first (`... | Updated 07:04 pm IST`), as written.
    pub later_times: Vec<(TimeParts, String)>,
    pub later_dates: Vec<(DateParts, String)>,
    /// Every token, what it was read as and the rule that decided (`time --explain`).
    pub readings: Vec<Reading>,
    /// Tokens that carry digits, a zone-like word or a relative word and were not read: the
    /// dateline is refused rather than read without them.
    pub unread: Vec<Unread>,
}

/// What a token was read as, and the rule that decided.
pub type Use = (&'static str, &'static str);

/// The state of one scan: the tokens, the data, what was found so far.
struct Scanner<'a> {
    tokens: Vec<Token>,
    words: &'a Words,
    zones: &'a Zones,
    found: Scan,
    uses: Vec<Option<Use>>,
    last_time_end: Option<usize>,
    /// Where dates start and end (token ranges), for telling `16.03` (a time) from a date.
    date_spans: Vec<(usize, usize)>,
}

/// Reads every part of a dateline it can find. An error names a data file that cannot be loaded.
pub fn scan(text: &str) -> Result<Scan, String> {
    let tokens = tokenize(text);
    let words = Words::get()?;
    let date_spans = (0..tokens.len())
        .filter_map(|i| date_at(&tokens, i, words).map(|(_, start, end)| (start, end)))
        .collect();
    let mut scanner = Scanner {
        uses: vec![None; tokens.len()],
        tokens,
        words,
        zones: Zones::get()?,
        found: Scan::default(),
        last_time_end: None,
        date_spans,
    };
    let mut i = 0;
    while i < scanner.tokens.len() {
        i = scanner.step(i).max(i + 1);
    }
    scanner.drop_lone_today();
    let (readings, unread) = audit(&scanner.tokens, &scanner.uses, words, scanner.zones);
    scanner.found.readings = readings;
    scanner.found.unread = unread;
    Ok(scanner.found)
}

impl Scanner<'_> {
    /// `today` with no time is not a dateline: it is also a word of names (`USA Today`,
    /// `المصري اليوم`, `आज तक`). Its tokens become plain text.
    fn drop_lone_today(&mut self) {
        let lone_today = matches!(
            self.found.relative,
            Some((Relative::Calendar { days: 0, months: 0 }, _))
        ) && self.found.time.is_none();
        if !lone_today {
            return;
        }
        self.found.relative = None;
        for slot in &mut self.uses {
            if slot.is_some_and(|(read_as, _)| read_as == "relative time") {
                *slot = Some(("text", "`today` without a time: a name, not a date"));
            }
        }
    }

    /// Marks tokens `range` as read (a token keeps its first reading).
    fn mark(&mut self, range: std::ops::Range<usize>, reading: Use) {
        let end = range.end.min(self.uses.len());
        for slot in &mut self.uses[range.start.min(end)..end] {
            slot.get_or_insert(reading);
        }
    }

    fn text(&self, range: std::ops::Range<usize>) -> String {
        let mut text = String::new();
        for token in &self.tokens[range] {
            if token.spaced && !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&token.written);
        }
        text
    }

    /// Reads what starts at token `i`; the index to read next.
    fn step(&mut self, i: usize) -> usize {
        if let Some((relative, end)) = relative_at(&self.tokens, i, self.words) {
            let text = self.text(i..end);
            let reading = if self.found.relative.is_none() {
                self.found.relative = Some((relative, text));
                (
                    "relative time",
                    "an amount before the reference time ([relative] words)",
                )
            } else {
                ("a second relative time", "the first relative time is used")
            };
            self.mark(i..end, reading);
            return end;
        }
        if let Some((length, tz)) = match_phrase(&self.tokens, i, self.zones.phrases()) {
            self.found.zone.get_or_insert(ZoneHint::Phrase(tz));
            self.mark(i..i + length, ("zone", "zone phrase (data/zones.toml)"));
            return i + length;
        }
        if let Some((time, end, rule)) = self.time_here(i) {
            self.take_time(i, time, end, rule);
            return end;
        }
        if let Some((date, start, end)) = date_at(&self.tokens, i, self.words) {
            let rule = date_rule(&date);
            if self.found.date.is_none() {
                self.found.date = Some(date);
                self.mark(start..end, ("date", rule));
            } else if self.uses[start].is_none() {
                let text = self.text(start..end);
                self.found.later_dates.push((date, text));
                self.mark(
                    start..end,
                    ("a later date", "the first date written is used"),
                );
            }
            return end;
        }
        if let Some((length, Phrase::Weekday(d))) =
            match_phrase(&self.tokens, i, self.words.phrases())
        {
            let text = self.text(i..i + length);
            take_weekday(&mut self.found, d, text);
            self.mark(i..i + length, ("weekday", "weekday name (dateline.toml)"));
            return i + length;
        }
        match self.tokens[i].kind {
            Kind::Word => self.word(i),
            Kind::Punct => self.sign_after_time(i),
            Kind::Number => i + 1,
        }
    }

    /// A time at `i`: `13:47`, `1347 HRS`, `8 am`, `৮টা`, or `16.03` where it cannot be a date.
    fn time_here(&self, i: usize) -> Option<(TimeParts, usize, &'static str)> {
        if let Some((time, end)) = time_at(&self.tokens, i, self.words) {
            let rule = match self.tokens.get(i + 1).map(|t| (t.kind, t.folded.as_str())) {
                Some((Kind::Punct, ":")) | Some((Kind::Word, "h")) => "clock time (13:47, 13h47)",
                Some((Kind::Word, word)) if self.words.is_hours_word(word) => {
                    "hours word after four digits (1347 HRS)"
                }
                Some((Kind::Word, word)) if self.words.is_oclock(word) => "o'clock word (৮টা, 8 बजे)",
                _ => "time with AM/PM words (8 am, সকাল ৮টা)",
            };
            return Some((time, end, rule));
        }
        let (time, end) = dotted_time(&self.tokens, i)?;
        let next = self.tokens.get(end);
        let zone_follows = next.is_some_and(|t| {
            t.kind == Kind::Word
                && (self.zones.abbreviation(&t.raw, None).is_some()
                    || self.words.is_hours_word(&t.folded)
                    || self.words.is_oclock(&t.folded)
                    || self.words.meridiem(&t.folded).is_some())
        }) || match_phrase(&self.tokens, end, self.zones.phrases()).is_some()
            || meridiem_at(&self.tokens, end, self.words).is_some();
        let date_elsewhere = self
            .date_spans
            .iter()
            .any(|&(start, stop)| stop <= i || start >= end);
        let (mut time, mut end) = (time, end);
        if let Some((meridiem, after)) = meridiem_at(&self.tokens, end, self.words) {
            time.meridiem = Some(meridiem);
            end = after;
        } else if next.is_some_and(|t| t.kind == Kind::Word && self.words.is_oclock(&t.folded)) {
            end += 1;
        }
        (zone_follows || date_elsewhere).then_some((time, end, "time with a dot (16.03)"))
    }

    /// A time found at `i` ending at `end`: the dateline's time, the GMT cross-check, or a later
    /// time (`| Updated 07:04 pm`).
    fn take_time(&mut self, i: usize, time: TimeParts, end: usize, rule: &'static str) {
        let reading = if self.tokens[i].in_parens && paren_says_gmt(&self.tokens, end) {
            if self.found.gmt_check.is_none() {
                self.found.gmt_check = Some(time);
                ("GMT time (a cross-check)", "a time in parentheses with GMT")
            } else {
                ("a later time", "the first time written is used")
            }
        } else if self.found.time.is_none() {
            self.found.time = Some(time);
            if !self.tokens[i].in_parens {
                self.last_time_end = Some(end);
            }
            ("time", rule)
        } else {
            let text = self.text(i..end);
            self.found.later_times.push((time, text));
            ("a later time", "the first time written is used")
        };
        self.mark(i..end, reading);
    }

    /// A word at `i`: a weekday, `local time`, `GMT+6`, a zone abbreviation or one we do not know.
    fn word(&mut self, i: usize) -> usize {
        let token = &self.tokens[i];
        if let Some(d) = self.words.weekday(&token.folded) {
            let raw = token.raw.clone();
            take_weekday(&mut self.found, d, raw);
            self.mark(i..i + 1, ("weekday", "weekday name (dateline.toml)"));
            return i + 1;
        }
        if token.folded == "local" && self.tokens.get(i + 1).is_some_and(|t| t.folded == "time") {
            self.found.says_local_time = true;
            self.mark(i..i + 2, ("zone", "`local time`: the outlet's home zone"));
            return i + 2;
        }
        if matches!(token.raw.as_str(), "GMT" | "UTC")
            && let Some((offset, end)) = numeric_offset(&self.tokens, i + 1, true)
        {
            // In parentheses (`13:47 EST (GMT-5)`) an offset is a gloss: it names the zone only
            // when nothing before it did.
            let reading = if !token.in_parens || self.found.zone.is_none() {
                self.found.zone = Some(offset_hint(offset));
                ("zone offset", "GMT/UTC with an offset")
            } else {
                (
                    "zone offset (a gloss)",
                    "an offset in parentheses after a zone",
                )
            };
            self.mark(i..end, reading);
            return end;
        }
        let parenthesised_check = token.in_parens && self.found.gmt_check.is_some();
        if self.zones.abbreviation(&token.raw, None).is_some() {
            let is_gmt = matches!(token.raw.as_str(), "GMT" | "UTC");
            // The first abbreviation wins over phrases; explicit offsets win over both.
            let replaceable = matches!(self.found.zone, None | Some(ZoneHint::Phrase(_)));
            let reading = if parenthesised_check || (token.in_parens && is_gmt) {
                ("zone of the GMT cross-check", "GMT in parentheses")
            } else if replaceable {
                self.found.zone = Some(ZoneHint::Abbreviation(token.raw.clone()));
                ("zone", "zone abbreviation (data/zones.toml)")
            } else {
                ("a second zone", "the first zone written is used")
            };
            self.mark(i..i + 1, reading);
        } else if self.is_unknown_abbreviation(i) {
            self.found
                .unknown_abbreviation
                .get_or_insert(token.raw.clone());
            self.mark(
                i..i + 1,
                (
                    "unknown zone abbreviation",
                    "an error, or the home zone with a note",
                ),
            );
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
        // The digits are glued to the sign (`+0600`): `19:21 - 700` is not UTC-07:00.
        let after_time =
            self.last_time_end == Some(i) && self.tokens.get(i + 1).is_some_and(|t| !t.spaced);
        if after_time && let Some((offset, end)) = numeric_offset(&self.tokens, i, false) {
            self.found.zone = Some(offset_hint(offset));
            self.mark(i..end, ("zone offset", "an offset right after the time"));
            return end;
        }
        i + 1
    }
}

/// The rule that read a date, for `time --explain`.
fn date_rule(date: &DateParts) -> &'static str {
    match (date.numeric, date.year_digits) {
        (Some(_), _) => "numeric date (order by the outlet country, data/date_order.toml)",
        (None, 2) => "date with a two-digit year",
        (None, _) => "date",
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
    // A meridiem before the time (上午 8:00, সকাল ৮টা).
    if let Some((meridiem, next)) = meridiem_at(tokens, i, words)
        && let Some((mut time, end)) =
            clock_time(tokens, next).or_else(|| hours_time(tokens, next, words))
        && time.meridiem.is_none()
    {
        time.meridiem = Some(meridiem);
        return Some((time, after_oclock(tokens, end, words)));
    }
    let (mut time, mut end) = clock_time(tokens, i).or_else(|| hours_time(tokens, i, words))?;
    end = after_oclock(tokens, end, words);
    if let Some((meridiem, next)) = meridiem_at(tokens, end, words) {
        time.meridiem = Some(meridiem);
        end = next;
    }
    Some((time, end))
}

/// The index after an o'clock or hours word at `end` (`13:47 Uhr`, `৮:৩০টা`), else `end`.
fn after_oclock(tokens: &[Token], end: usize, words: &Words) -> usize {
    let word = tokens.get(end).filter(|t| t.kind == Kind::Word);
    match word {
        Some(t) if words.is_oclock(&t.folded) || words.is_hours_word(&t.folded) => end + 1,
        _ => end,
    }
}

/// `16.03` at `i`: an hour of 1-2 digits, a dot, two digits for the minutes, and no third part
/// (`16.03.2025` is a date). Whether it is a time is for the caller to decide.
fn dotted_time(tokens: &[Token], i: usize) -> Option<(TimeParts, usize)> {
    let hour = number(tokens, i, 2)?;
    let minute = number(tokens, i + 2, 2).filter(|_| tokens[i + 2].digits == 2)?;
    let spaced = |j: usize| tokens.get(j).is_some_and(|t| t.spaced);
    let dotted = is_punct(tokens, i + 1, &["."]) && !spaced(i + 1) && !spaced(i + 2);
    let third_part = is_punct(tokens, i + 3, &["."]) && number(tokens, i + 4, 4).is_some();
    let after_dotted_part =
        i >= 2 && is_punct(tokens, i - 1, &["."]) && number(tokens, i - 2, 4).is_some();
    (dotted && !third_part && !after_dotted_part).then_some((time_parts(hour, minute), i + 3))
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
    // `8 o'clock`, `৮টা`, `8 बजे`, `16 Uhr`.
    if token.digits <= 2 && next.kind == Kind::Word && words.is_oclock(&next.folded) {
        return Some((time_parts(token.value, 0), i + 2));
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

/// A date around token `i` (a month word, a numeric date, or a CJK date starting there): the
/// parts, and the tokens it spans (a day may come before the month word at `i`).
fn date_at(tokens: &[Token], i: usize, words: &Words) -> Option<(DateParts, usize, usize)> {
    let token = &tokens[i];
    if token.kind == Kind::Word {
        let (month, length) = words.month(&token.folded).map(|m| (m, 1)).or_else(|| {
            match match_phrase(tokens, i, words.phrases()) {
                Some((length, Phrase::Month(m))) => Some((m, length)),
                _ => None,
            }
        })?;
        return month_name_date(tokens, i, length, u64::from(month), words);
    }
    if token.kind != Kind::Number {
        return None;
    }
    han_date(tokens, i)
        .or_else(|| numeric_date(tokens, i))
        .map(|(date, end)| (date, i, end))
}

/// A date with the year, month and day as given, in that order of certainty.
fn date_parts(year: Option<u64>, month: u64, day: i64, year_digits: usize) -> DateParts {
    DateParts {
        year,
        month,
        day,
        year_digits,
        numeric: None,
    }
}

/// `2025年4月23日`, `10月11日` at `i`, and the index after it. The year may have any number of
/// digits.
fn han_date(tokens: &[Token], i: usize) -> Option<(DateParts, usize)> {
    let raw = |j: usize| tokens.get(j).map_or("", |t| t.raw.as_str());
    let day_end = |j: usize| {
        if matches!(raw(j), "日" | "号") {
            j + 1
        } else {
            j
        }
    };
    if raw(i + 1) == "年"
        && raw(i + 3) == "月"
        && let (Some(month), Some(day)) = (number(tokens, i + 2, 2), day_number(tokens, i + 4))
    {
        let date = date_parts(Some(tokens[i].value), month, day, tokens[i].digits);
        return Some((date, day_end(i + 5)));
    }
    if tokens[i].digits <= 2
        && raw(i + 1) == "月"
        && matches!(raw(i + 3), "日" | "号")
        && let Some(day) = day_number(tokens, i + 2)
        && !(i >= 1 && raw(i - 1) == "年")
    {
        return Some((date_parts(None, tokens[i].value, day, 0), i + 4));
    }
    None
}

/// A numeric date at `i`, and the index after it: `2025-04-23`, `2025/04/23` (a year of 3 or more
/// digits first, so `12000-04-23` is read and refused), and `13.12.2025`, `04/21/2025`,
/// `21/04/25`, whose order [`super::order`] decides.
fn numeric_date(tokens: &[Token], i: usize) -> Option<(DateParts, usize)> {
    let separator = tokens.get(i + 1).map(|t| t.raw.as_str())?;
    if !matches!(separator, "-" | "/" | ".") || !is_punct(tokens, i + 3, &[separator]) {
        return None;
    }
    let (first, second, third) = (&tokens[i], tokens.get(i + 2)?, tokens.get(i + 4)?);
    if [first, second, third]
        .iter()
        .any(|t| t.kind != Kind::Number)
        || second.digits > 2
    {
        return None;
    }
    let year_first = first.digits >= 3;
    let year_last = third.digits >= 3 || third.digits == 2;
    if !(year_first && third.digits <= 2 || first.digits <= 2 && year_last) {
        return None;
    }
    // `21.04.25:` or `1.2.3.4` are not dates.
    if is_punct(tokens, i + 5, &[":", separator]) && number(tokens, i + 6, 20).is_some() {
        return None;
    }
    let separator_char = separator.chars().next().unwrap_or('/');
    let numeric = NumericDate {
        parts: [first.value, second.value, third.value],
        digits: [first.digits, second.digits, third.digits],
        separator: separator_char,
    };
    let date = if year_first {
        date_parts(
            Some(first.value),
            second.value,
            i64::try_from(third.value).ok()?,
            first.digits,
        )
    } else {
        date_parts(
            Some(third.value),
            second.value,
            i64::try_from(first.value).ok()?,
            third.digits,
        )
    };
    Some((
        DateParts {
            numeric: Some(numeric),
            ..date
        },
        i + 5,
    ))
}

/// `APR 23, 2025`, `April 23rd 2023`, `23 Apr 2025`, `15 July, 2020`, `Oct. 15`, `23 апреля 2025`,
/// `23-Apr-25`, `Apr 23, '25`, with the month word (of `length` tokens) at `i`: the parts, and the
/// tokens spanned. A year is a number of 3 or more digits after the day (`APR 23, 99999` is read
/// and refused), or of 2 after a hyphen, slash or apostrophe.
fn month_name_date(
    tokens: &[Token],
    i: usize,
    length: usize,
    month: u64,
    words: &Words,
) -> Option<(DateParts, usize, usize)> {
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
        while is_punct(tokens, j, &[".", ",", "-", "/"]) || is_filler(j) {
            j += 1;
        }
        j
    };
    // The year after `j`, and the index after it.
    let year_at = |j: usize| -> Option<(u64, usize, usize)> {
        let mut k = skip(j);
        let apostrophe = tokens
            .get(k)
            .is_some_and(|t| matches!(t.raw.as_str(), "'" | "’"));
        if apostrophe {
            k += 1;
        }
        let year = tokens.get(k).filter(|t| t.kind == Kind::Number)?;
        let glued = k > 0 && is_punct(tokens, k - 1, &["-", "/"]) && !year.spaced;
        let two_digits = year.digits == 2 && (apostrophe || glued);
        // `2025:13` is not a year; `2025: 13:47` is a year, then a label's colon.
        let glued_number = |j: usize| tokens.get(j).is_some_and(|t| !t.spaced);
        let after_time = is_punct(tokens, k + 1, &[":", "."])
            && glued_number(k + 1)
            && glued_number(k + 2)
            && number(tokens, k + 2, 2).is_some();
        ((year.digits >= 3 || two_digits) && !after_time).then_some((
            year.value,
            year.digits,
            k + 1,
        ))
    };
    let with_year = |day: i64, after: usize, start: usize, end: usize| {
        let (year, digits, end) = match year_at(after) {
            Some((year, digits, year_end)) => (Some(year), digits, year_end),
            None => (None, 0, end),
        };
        (date_parts(year, month, day, digits), start, end)
    };
    // `23-Apr-25`: a day glued before the month by a hyphen or slash is the day, and what
    // follows the month the year.
    let glued_before = i >= 2
        && is_punct(tokens, i - 1, &["-", "/"])
        && !tokens[i - 1].spaced
        && !tokens[i].spaced
        && number(tokens, i - 2, 2).is_some();
    // Day after the month; "Apr 23 13:47": the day must not be an hour.
    let j = skip(i + length);
    if !glued_before && let Some(day) = day_number(tokens, j) {
        let after = if is_ordinal(j + 1) { j + 2 } else { j + 1 };
        if !is_punct(tokens, after, &[":"]) && dotted_time(tokens, j).is_none() {
            return Some(with_year(day, after, i, after));
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
        let start = if k >= 2 && is_punct(tokens, k - 2, &["-", "−"]) && day < 0 {
            k - 2
        } else {
            k - 1
        };
        return Some(with_year(day, i + length, start, i + length));
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

    fn ymd(s: &Scan) -> (Option<u64>, u64, i64) {
        let d = s.date.unwrap();
        (d.year, d.month, d.day)
    }

    #[test]
    fn finds_the_parts() {
        let s = scan("BDST: 1347 HRS, APR 23, 2025").unwrap();
        assert_eq!(s.time, time(13, 47));
        assert_eq!(ymd(&s), (Some(2025), 4, 23));
        assert_eq!(s.zone, Some(ZoneHint::Abbreviation("BDST".into())));

        let s = scan("8:00 am (0200 GMT) on Sunday").unwrap();
        assert_eq!(s.time.unwrap().meridiem, Some(Meridiem::Am));
        assert_eq!(s.gmt_check, time(2, 0));
        assert_eq!(s.weekday, Some(6));
        assert_eq!(s.zone, None);

        let s = scan("新华社北京10月11日电").unwrap();
        assert_eq!(ymd(&s), (None, 10, 11));

        let s = scan("19:21 - 13.12.2025").unwrap();
        assert_eq!(ymd(&s), (Some(2025), 12, 13));
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
