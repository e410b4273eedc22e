//! Opener datelines: the place, date and agency a story's body starts with, before its first
//! sentence: `WASHINGTON (AP) —`, `DHAKA, Dec 20 (BSS) -`, `МОСКВА, 23 апреля. /ТАСС/.`,
//! `नई दिल्ली, 23 अप्रैल (भाषा)।`, `新华社北京10月11日电`.
//!
//! Owns [`Opener`] and [`split`]. Reads the first line of a body, the words of
//! `locales/<lang>/opener.toml` (every built-in language's, merged: copy does not say which
//! language its opener is in) and the dateline reader (is the date one it reads?); writes the
//! opener and the body after it. The shape, within the first [`MAX_OPENER_CHARS`] characters:
//!
//! - a place of one to four words, in any case (`москва`), without digits;
//! - optionally a comma and a date (`, April 23`, `, 23 Abr.`, `, ২৩ এপ্রিল`); a date written
//!   without the comma must start with a digit (`عمان 23 نيسان`);
//! - optionally an agency in parentheses or slashes (`(AP)`, `/ТАСС/`);
//! - a separator (`separators`: `—`, `-`, `:`, `।`...), a word of its own, or right after the
//!   agency (`(भाषा)।`), which may also be followed by one of `after_agency` (`/ТАСС/.`,
//!   `(EFE).-`); `:` and `।` may also touch the date (`DHAKA, April 23:`);
//! - optionally, after the separator, a known agency followed by a period (`— РИА Новости.`), or
//!   by its correspondent's name of two or three words and a period (`— РИА Новости, Адам
//!   Буражев.`).
//!
//! Chinese openers name the agency first: a `leading_agencies` entry, the place, the date, a
//! `filed` word (`电`), and perhaps the reporters in parentheses (`（记者 张三）`).
//!
//! An ordinary first sentence must not be taken for an opener, so one is recognized only with its
//! separator and either an agency (a known one, or any name in parentheses or slashes that does
//! not start with a lower-case word: `(on Monday)` is not an agency) or a date the dateline reader
//! reads. `Paris, the capital, said...` stays the first sentence. A body that would be left empty
//! has no opener. Example:
//!
//! ```
//! use newsdigest::dateline::Context;
//! use newsdigest::text::opener::split;
//! let context = Context { country: None, home: None, now: "2025-04-25T12:00:00Z".parse().unwrap() };
//! let (opener, rest) = split("LONDON, April 23 (Reuters) - Talks resumed.", &context).unwrap();
//! assert_eq!(opener.place.as_deref(), Some("LONDON"));
//! assert_eq!((opener.date.as_deref(), opener.agency.as_deref()), (Some("April 23"), Some("Reuters")));
//! assert_eq!(rest, "Talks resumed.");
//! assert!(split("Paris, the capital, said talks resumed.", &context).is_none());
//! ```

use std::sync::LazyLock;

use serde::Serialize;

use crate::dateline::{self, Context};
use crate::text::letters::{is_mark, is_word_char};

/// An opener dateline found at the start of a body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Opener {
    /// The opener as written, separator included: `LONDON, April 23 (Reuters) -`.
    pub text: String,
    /// `LONDON`, `नई दिल्ली`; none in `中新网4月23日电`.
    pub place: Option<String>,
    /// The date as written (`April 23`, `२३ वैशाख`), read or not.
    pub date: Option<String>,
    /// `Reuters`, `ТАСС`, `РИА Новости`.
    pub agency: Option<String>,
}

/// The most characters of a body's first line an opener may take.
pub const MAX_OPENER_CHARS: usize = 160;
/// The most words a place has (`RIO DE JANEIRO`, `SAN JUAN DE LURIGANCHO`).
const MAX_PLACE_WORDS: usize = 4;
/// The most characters of a date (`Wednesday, April 23, 2025`).
const MAX_DATE_CHARS: usize = 40;
/// The most characters between an agency's parentheses or slashes, and words in it.
const MAX_AGENCY_CHARS: usize = 40;
const MAX_AGENCY_WORDS: usize = 4;
/// The words of a correspondent's name after an agency (`— РИА Новости, Адам Буражев.`), initials
/// included, and its most characters.
const BYLINE_WORDS: std::ops::RangeInclusive<usize> = 2..=3;
const MAX_BYLINE_CHARS: usize = 40;
/// The most characters between a Chinese leading agency and its `filed` word (`北京10月11日`).
const MAX_LEADING_CHARS: usize = 20;

/// Every language's opener words, merged, each list longest first.
#[derive(Debug)]
struct Words {
    agencies: Vec<String>,
    separators: Vec<String>,
    after_agency: Vec<String>,
    leading_agencies: Vec<String>,
    filed: Vec<String>,
}

static WORDS: LazyLock<Result<Words, String>> = LazyLock::new(Words::load);

/// Every built-in language's opener words, compiled from `locales/*/opener.toml` by the build.
mod compiled {
    include!(concat!(env!("OUT_DIR"), "/opener_words.rs"));
}

impl Words {
    fn get() -> Result<&'static Words, String> {
        WORDS.as_ref().map_err(Clone::clone)
    }

    /// The lists the build compiled from `locales/*/opener.toml` (`build/opener_words.rs`):
    /// merged, longest first, without repeats, every entry checked to be non-empty.
    fn load() -> Result<Words, String> {
        let owned = |list: &[&str]| list.iter().map(|entry| entry.to_string()).collect();
        Ok(Words {
            agencies: owned(compiled::AGENCIES),
            separators: owned(compiled::SEPARATORS),
            after_agency: owned(compiled::AFTER_AGENCY),
            leading_agencies: owned(compiled::LEADING_AGENCIES),
            filed: owned(compiled::FILED),
        })
    }

    /// Whether `name` is a known agency (case-insensitively).
    fn is_agency(&self, name: &str) -> bool {
        self.agencies
            .iter()
            .any(|agency| prefix_len(name, agency) == Some(name.len()))
    }
}

/// Checks that the built-in opener data parses; the error names the file.
pub fn validate_data() -> Result<(), String> {
    Words::get().map(drop)
}

/// The opener at the start of `body`, and the body after it (trimmed at the start); `None` when
/// the body does not start with one (see the module documentation). `context` decides whether a
/// date is one the dateline reader reads.
pub fn split<'a>(body: &'a str, context: &Context) -> Option<(Opener, &'a str)> {
    let words = Words::get().ok()?;
    let line = body.split('\n').next().unwrap_or("");
    let head = match line.char_indices().nth(MAX_OPENER_CHARS) {
        Some((end, _)) => &line[..end],
        None => line,
    };
    let (opener, used) = leading(head, words).or_else(|| placed(head, words, context))?;
    let rest = body[used..].trim_start();
    (!rest.is_empty()).then_some((opener, rest))
}

/// `新华社北京10月11日电（记者 张三）`: a leading agency, place, date, a filed word, reporters.
fn leading(head: &str, words: &Words) -> Option<(Opener, usize)> {
    let (agency, start) = words.leading_agencies.iter().find_map(|agency| {
        head.strip_prefix(agency.as_str())
            .map(|_| (agency, agency.len()))
    })?;
    let window_end = head[start..]
        .char_indices()
        .nth(MAX_LEADING_CHARS + 1)
        .map_or(head.len(), |(i, _)| start + i);
    let (middle_end, filed) = head[start..window_end].char_indices().find_map(|(i, _)| {
        let at = start + i;
        words
            .filed
            .iter()
            .find(|filed| head[at..].starts_with(filed.as_str()))
            .map(|filed| (at, filed))
    })?;
    let middle = &head[start..middle_end];
    if middle
        .chars()
        .any(|c| c.is_whitespace() || is_sentence_mark(c) || c.is_ascii_alphabetic())
    {
        return None;
    }
    let mut end = middle_end + filed.len();
    if let Some(after) = bracketed(head, end) {
        end = after.end;
    }
    let (place, date) = match middle.find(|c: char| c.is_numeric()) {
        Some(i) => (&middle[..i], Some(&middle[i..])),
        None => (middle, None),
    };
    let opener = Opener {
        text: head[..end].trim_end().to_string(),
        place: non_empty(place),
        date: date.and_then(non_empty),
        agency: Some(agency.clone()),
    };
    Some((opener, end))
}

/// Text between brackets that starts at `at`: `(AP)`, `（记者 张三）`, `/ТАСС/`.
struct Bracketed<'a> {
    inside: &'a str,
    /// The byte after the closing bracket.
    end: usize,
}

/// The bracketed text starting exactly at `at`, if it closes within [`MAX_AGENCY_CHARS`].
fn bracketed(text: &str, at: usize) -> Option<Bracketed<'_>> {
    let open = text[at..].chars().next()?;
    let close = match open {
        '(' => ')',
        '（' => '）',
        '/' => '/',
        _ => return None,
    };
    let start = at + open.len_utf8();
    for (count, (i, c)) in text[start..].char_indices().enumerate() {
        if count > MAX_AGENCY_CHARS || matches!(c, '(' | '（' | '\n') {
            return None;
        }
        if c == close {
            return Some(Bracketed {
                inside: &text[start..start + i],
                end: start + i + c.len_utf8(),
            });
        }
    }
    None
}

/// `PLACE[, DATE] [(AGENCY)] SEPARATOR [AGENCY.]`.
fn placed(head: &str, words: &Words, context: &Context) -> Option<(Opener, usize)> {
    let mut at = 0;
    // The place: up to four words, then a comma, a bracket, a digit or a separator.
    let mut place_end = 0;
    let mut place_words = 0;
    loop {
        let start = skip_spaces(head, at);
        let end = word_end(head, start);
        if end == start {
            break;
        }
        place_words += 1;
        if place_words > MAX_PLACE_WORDS {
            return None;
        }
        place_end = end;
        at = end;
    }
    if place_words == 0 {
        return None;
    }
    let place = &head[..place_end];
    at = skip_spaces(head, place_end);
    // The date: after a comma, or starting with a digit.
    let mut date: Option<&str> = None;
    let comma = head[at..]
        .chars()
        .next()
        .filter(|c| matches!(c, ',' | '،' | '，'));
    if let Some(comma) = comma {
        at = skip_spaces(head, at + comma.len_utf8());
        let end = date_end(head, at, words)?;
        date = non_empty_str(head[at..end].trim_end());
        at = end;
    } else if head[at..].starts_with(|c: char| c.is_numeric()) {
        let end = date_end(head, at, words)?;
        date = non_empty_str(head[at..end].trim_end());
        at = end;
    }
    at = skip_spaces(head, at);
    // The agency in brackets.
    let mut agency: Option<&str> = None;
    if let Some(found) = bracketed(head, at) {
        let name = found.inside.trim();
        if !looks_like_agency(name, words) {
            return None;
        }
        agency = Some(name);
        at = found.end;
    }
    // The separator: right after the agency (`(AP)—The`), else a word of its own.
    let separator_at = skip_spaces(head, at);
    let length = if agency.is_some() {
        words
            .after_agency
            .iter()
            .chain(&words.separators)
            .find(|s| head[separator_at..].starts_with(s.as_str()))
            .map(String::len)
    } else {
        words
            .separators
            .iter()
            .find(|s| head[separator_at..].starts_with(s.as_str()))
            .map(String::len)
            .filter(|&n| ends_word(head, separator_at + n))
    };
    let mut end = separator_at + length?;
    // A known agency after the separator, with its period: `— РИА Новости.`
    if agency.is_none()
        && let Some(found) = known_agency_with_period(head, end, words)
    {
        agency = Some(&head[found.start..found.start + found.length]);
        end = found.end;
    }
    // A known agency written where the date goes: `मुंबई, एजेंसी।`
    if agency.is_none()
        && let Some(text) = date
        && words.is_agency(text.trim_end_matches(['.', ',']))
    {
        agency = Some(text.trim_end_matches(['.', ',']));
        date = None;
    }
    let readable = date.is_some_and(|text| dateline::parse(date_text(text), context).is_ok());
    if agency.is_none() && !readable {
        return None;
    }
    let opener = Opener {
        text: head[..end].trim_end().to_string(),
        place: non_empty_str(place).map(str::to_string),
        date: date.map(|text| date_text(text).to_string()),
        agency: agency.map(str::to_string),
    };
    Some((opener, end))
}

/// A date as the dateline reader gets it: without the comma or period that ends it in the opener
/// (`23 апреля.` before `/ТАСС/`), but keeping an abbreviation's (`23 Abr.`).
fn date_text(text: &str) -> &str {
    let trimmed = text.trim_end_matches([',', '،', '，']).trim_end();
    match trimmed.strip_suffix('.') {
        // `апреля.`: a whole word; `Abr.`, `Oct.`: an abbreviation of three or four letters.
        Some(before)
            if before
                .rsplit(|c: char| !c.is_alphabetic())
                .next()
                .is_some_and(|word| word.chars().count() > 4) =>
        {
            before
        }
        _ => trimmed,
    }
}

/// Where the date starting at `at` ends: before an agency's bracket, a separator word, or a `:` or
/// `।` that ends it; `None` when none comes within [`MAX_DATE_CHARS`].
fn date_end(head: &str, at: usize, words: &Words) -> Option<usize> {
    let mut previous = ' ';
    for (count, (i, c)) in head[at..].char_indices().enumerate() {
        let here = at + i;
        if count > MAX_DATE_CHARS {
            return None;
        }
        let spaced = previous.is_whitespace();
        if matches!(c, '(' | '（') || c == '/' && spaced {
            return Some(here);
        }
        let separator = words
            .separators
            .iter()
            .find(|s| head[here..].starts_with(s.as_str()))
            .map(String::len);
        if let Some(n) = separator
            && ends_word(head, here + n)
            && (spaced
                || !starts_with_dash(&head[here..])
                || known_agency_with_period(head, here + n, words).is_some())
        {
            return Some(here);
        }
        previous = c;
    }
    None
}

/// Whether `name` (inside brackets) can be an agency: a known one, or one to four words without
/// digits, none starting with a lower-case letter (`(on Monday)` is not an agency).
fn looks_like_agency(name: &str, words: &Words) -> bool {
    if name.is_empty() || name.chars().any(char::is_numeric) {
        return false;
    }
    if words.is_agency(name) {
        return true;
    }
    let count = name.split_whitespace().count();
    (1..=MAX_AGENCY_WORDS).contains(&count)
        && name
            .split_whitespace()
            .all(|word| !word.starts_with(char::is_lowercase))
}

/// The end of a place word starting at `at` (`at` itself when there is none): letters and marks,
/// with `-`, `'`, `’`, `.` and `/` inside (`Baden-Baden`, `N'Djamena`, `ST. LOUIS`, `D.C.`,
/// `Berlin/Paris`). A word must end at a space, a comma, a bracket or a `:` or `।`.
fn word_end(text: &str, at: usize) -> usize {
    let mut chars = text[at..].char_indices().peekable();
    match chars.peek() {
        Some((_, c)) if c.is_alphabetic() => {}
        _ => return at,
    }
    let mut end = at;
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|(_, c)| *c);
        let inner =
            matches!(c, '-' | '\'' | '’' | '/' | '.') && next.is_some_and(char::is_alphabetic);
        if c.is_alphabetic() || is_mark(c) || inner || c == '.' {
            end = at + i + c.len_utf8();
            continue;
        }
        break;
    }
    match text[end..].chars().next() {
        None => end,
        Some(c) if c.is_whitespace() || matches!(c, ',' | '،' | '，' | '(' | '（' | ':' | '।') => {
            end
        }
        Some(_) => at,
    }
}

/// Whether a word ends at `at`: the end of the text, or a space.
fn ends_word(text: &str, at: usize) -> bool {
    text[at..].chars().next().is_none_or(char::is_whitespace)
}

/// A known agency after byte `at` (after spaces), perhaps with its correspondent's byline, and
/// the period that ends them, ending a word: `— риа новости.`, `— риа новости, адам буражев.`.
/// The agency (where it starts, its length) and the byte after the period. It also lets a dash
/// written against the date before it (`1 дек- риа новости.`) separate them.
fn known_agency_with_period(head: &str, at: usize, words: &Words) -> Option<AgencyAfter> {
    let start = skip_spaces(head, at);
    let length = words
        .agencies
        .iter()
        .find_map(|name| prefix_len(&head[start..], name))?;
    let after = start + length;
    // Place, date and agency in lower case (`магас, 1 дек — риа новости`): a lower-cased text.
    let cased = head[..after].chars().any(char::is_uppercase);
    let period = head[after..]
        .strip_prefix(',')
        .and_then(|rest| byline_len(rest, cased).map(|n| after + 1 + n))
        .unwrap_or(after);
    (head[period..].starts_with('.') && ends_word(head, period + 1)).then_some(AgencyAfter {
        start,
        length,
        end: period + 1,
    })
}

/// A known agency written after the separator: `— РИА Новости, Адам Буражев.`
struct AgencyAfter {
    start: usize,
    length: usize,
    /// The byte after the period that ends the agency or its byline.
    end: usize,
}

/// The byte length of a correspondent's name at the start of `text` (spaces before it included),
/// up to the period after it: [`BYLINE_WORDS`] words of letters (`Адам Буражев`, `Jean-Luc
/// Martin`), initials among them (`Адам А. Буражев`), no digits, at most [`MAX_BYLINE_CHARS`]
/// characters. In `cased` text (a capital in the opener before the name) each word starts with a capital, so
/// `, сообщили в пресс-службе.` is no name; text written all in lower case (as some corpora are)
/// has only the word count and the period to go by.
fn byline_len(text: &str, cased: bool) -> Option<usize> {
    let is_name_word = |word: &str| {
        word.chars()
            .next()
            .is_some_and(|first| first.is_alphabetic() && !(cased && first.is_lowercase()))
            && word
                .chars()
                .all(|c| c.is_alphabetic() || is_mark(c) || matches!(c, '-' | '\'' | '’'))
    };
    let name_start = skip_spaces(text, 0);
    let mut words = 0;
    let mut at = name_start;
    loop {
        let start = skip_spaces(text, at);
        let end = text[start..]
            .find(|c: char| c.is_whitespace() || c == '.')
            .map_or(text.len(), |i| start + i);
        let word = &text[start..end];
        words += 1;
        if !is_name_word(word)
            || words > *BYLINE_WORDS.end()
            || text[name_start..end].chars().count() > MAX_BYLINE_CHARS
        {
            return None;
        }
        if !text[end..].starts_with('.') {
            at = end;
            continue;
        }
        // `А.` is an initial, and the name goes on; any other word's period ends it.
        if word.chars().count() > 1 {
            return BYLINE_WORDS.contains(&words).then_some(end);
        }
        at = end + 1;
    }
}

fn starts_with_dash(text: &str) -> bool {
    text.starts_with(['-', '–', '—'])
}

fn skip_spaces(text: &str, at: usize) -> usize {
    text[at..]
        .char_indices()
        .find(|(_, c)| !c.is_whitespace())
        .map_or(text.len(), |(i, _)| at + i)
}

/// The byte length of `prefix` at the start of `text`, compared case-insensitively, and ending at
/// a word boundary.
fn prefix_len(text: &str, prefix: &str) -> Option<usize> {
    let mut chars = text.char_indices();
    for expected in prefix.chars() {
        let (_, c) = chars.next()?;
        if !c.to_lowercase().eq(expected.to_lowercase()) {
            return None;
        }
    }
    let length = chars.next().map_or(text.len(), |(i, _)| i);
    let boundary = text[length..]
        .chars()
        .next()
        .is_none_or(|c| !is_word_char(c));
    boundary.then_some(length)
}

/// Sentence punctuation that no opener holds before its filed word.
fn is_sentence_mark(c: char) -> bool {
    matches!(
        c,
        '。' | '，' | ',' | '.' | '！' | '？' | '；' | '"' | '“' | '”'
    )
}

fn non_empty(text: &str) -> Option<String> {
    non_empty_str(text).map(str::to_string)
}

fn non_empty_str(text: &str) -> Option<&str> {
    let text = text.trim();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> Context {
        Context {
            country: None,
            home: None,
            now: "2025-04-25T12:00:00Z".parse().unwrap(),
        }
    }

    /// (body, place, date, agency, the body after the opener)
    type Case = (
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        &'static str,
    );

    #[test]
    fn openers_in_the_twelve_languages() {
        let cases: &[Case] = &[
            // en: agency only, agency and date, a lower-case attached dash, a double hyphen.
            (
                "HARBOR CITY (AP) — Ferry crews walked off the job on Monday.",
                Some("HARBOR CITY"),
                None,
                Some("AP"),
                "Ferry crews walked off the job on Monday.",
            ),
            (
                "SYLHET, April 22 (UNB) - Three bridges reopened after the water fell.",
                Some("SYLHET"),
                Some("April 22"),
                Some("UNB"),
                "Three bridges reopened after the water fell.",
            ),
            (
                "Port Blair (PTI)—Fishing boats stayed ashore for a second day.",
                Some("Port Blair"),
                None,
                Some("PTI"),
                "Fishing boats stayed ashore for a second day.",
            ),
            (
                "NORTH BAY, Oct. 15 (Xinhua) -- A new rail link opened to traffic.",
                Some("NORTH BAY"),
                Some("Oct. 15"),
                Some("Xinhua"),
                "A new rail link opened to traffic.",
            ),
            // en: a date and no agency.
            (
                "KHULNA, April 21: Shrimp farmers counted their losses after the storm.",
                Some("KHULNA"),
                Some("April 21"),
                None,
                "Shrimp farmers counted their losses after the storm.",
            ),
            // fr
            (
                "LYON (AFP) - Le tramway a repris son service après deux jours d'arrêt.",
                Some("LYON"),
                None,
                Some("AFP"),
                "Le tramway a repris son service après deux jours d'arrêt.",
            ),
            (
                "Namur, 22 avril (Belga) - Les écluses rouvrent ce mardi.",
                Some("Namur"),
                Some("22 avril"),
                Some("Belga"),
                "Les écluses rouvrent ce mardi.",
            ),
            // de
            (
                "Bad Kreuznach (dpa) - Der Wochenmarkt zieht auf den Rathausplatz um.",
                Some("Bad Kreuznach"),
                None,
                Some("dpa"),
                "Der Wochenmarkt zieht auf den Rathausplatz um.",
            ),
            (
                "Graz, 22. April (APA) - Die Seilbahn fährt wieder.",
                Some("Graz"),
                Some("22. April"),
                Some("APA"),
                "Die Seilbahn fährt wieder.",
            ),
            // es
            (
                "ZARAGOZA, 22 Abr. (EUROPA PRESS) - El ayuntamiento abrirá un nuevo parque.",
                Some("ZARAGOZA"),
                Some("22 Abr."),
                Some("EUROPA PRESS"),
                "El ayuntamiento abrirá un nuevo parque.",
            ),
            (
                "Cusco, 22 abr (EFE).- Los trenes al valle vuelven a circular.",
                Some("Cusco"),
                Some("22 abr"),
                Some("EFE"),
                "Los trenes al valle vuelven a circular.",
            ),
            // ru: slashes and a period; an agency after the dash, all lower case.
            (
                "КАЗАНЬ, 22 апреля. /ТАСС/. Мост через реку откроют в мае.",
                Some("КАЗАНЬ"),
                Some("22 апреля"),
                Some("ТАСС"),
                "Мост через реку откроют в мае.",
            ),
            (
                "самара, 3 дек — риа новости. Трамваи вышли на линию по зимнему графику.",
                Some("самара"),
                Some("3 дек"),
                Some("риа новости"),
                "Трамваи вышли на линию по зимнему графику.",
            ),
            // ru: a dash written against the date, as some agency copy has it.
            (
                "москва, 1 дек- риа новости. российское министерство обороны проведет учения.",
                Some("москва"),
                Some("1 дек"),
                Some("риа новости"),
                "российское министерство обороны проведет учения.",
            ),
            // ru: the correspondent's name after the agency; a sports agency.
            (
                "тверь, 2 дек — риа новости, иван петров-водкин. На вокзале открыли новый зал.",
                Some("тверь"),
                Some("2 дек"),
                Some("риа новости"),
                "На вокзале открыли новый зал.",
            ),
            (
                "КАЗАНЬ, 2 дек — Р-Спорт. Нападающий клуба продлил контракт.",
                Some("КАЗАНЬ"),
                Some("2 дек"),
                Some("Р-Спорт"),
                "Нападающий клуба продлил контракт.",
            ),
            // uk
            (
                "ЛЬВІВ, 22 квітня — Укрінформ, Олена Коваль. У місті відкрили новий міст.",
                Some("ЛЬВІВ"),
                Some("22 квітня"),
                Some("Укрінформ"),
                "У місті відкрили новий міст.",
            ),
            (
                "ЛЬВІВ, 22 квітня — Укрінформ. У місті відкрили новий міст.",
                Some("ЛЬВІВ"),
                Some("22 квітня"),
                Some("Укрінформ"),
                "У місті відкрили новий міст.",
            ),
            (
                "Одеса /УНІАН/. Порт прийняв перше судно після ремонту.",
                Some("Одеса"),
                None,
                Some("УНІАН"),
                "Порт прийняв перше судно після ремонту.",
            ),
            // hi: the danda right after the agency; an agency in place of the date.
            (
                "जयपुर, 22 अप्रैल (भाषा)। शहर में नई बस सेवा शुरू हुई।",
                Some("जयपुर"),
                Some("22 अप्रैल"),
                Some("भाषा"),
                "शहर में नई बस सेवा शुरू हुई।",
            ),
            (
                "पटना, एजेंसी। गंगा पर बने पुल की मरम्मत पूरी हुई।",
                Some("पटना"),
                None,
                Some("एजेंसी"),
                "गंगा पर बने पुल की मरम्मत पूरी हुई।",
            ),
            // bn
            (
                "রাজশাহী, ২২ এপ্রিল (বাসস) : আমের বাজারে ক্রেতার ভিড় বেড়েছে।",
                Some("রাজশাহী"),
                Some("২২ এপ্রিল"),
                Some("বাসস"),
                "আমের বাজারে ক্রেতার ভিড় বেড়েছে।",
            ),
            // ne: a Bikram Sambat date, kept as text.
            (
                "पोखरा, २२ वैशाख (रासस) । तालमा डुङ्गा सेवा फेरि सुरु भयो।",
                Some("पोखरा"),
                Some("२२ वैशाख"),
                Some("रासस"),
                "तालमा डुङ्गा सेवा फेरि सुरु भयो।",
            ),
            // ar
            (
                "الإسكندرية (رويترز) - افتتحت السلطات جسرا جديدا على القناة.",
                Some("الإسكندرية"),
                None,
                Some("رويترز"),
                "افتتحت السلطات جسرا جديدا على القناة.",
            ),
            (
                "عمان، 22 نيسان (بترا)، بدأت البلدية أعمال صيانة الطرق.",
                Some("عمان"),
                Some("22 نيسان"),
                Some("بترا"),
                "بدأت البلدية أعمال صيانة الطرق.",
            ),
            // ur
            (
                "ملتان (اے پی پی) - شہر میں نئی سڑک کا افتتاح کر دیا گیا۔",
                Some("ملتان"),
                None,
                Some("اے پی پی"),
                "شہر میں نئی سڑک کا افتتاح کر دیا گیا۔",
            ),
            // zh: agency first, then place, date, 电 and the reporters.
            (
                "新华社杭州4月22日电（记者 李明）西湖边的新步道今天开放。",
                Some("杭州"),
                Some("4月22日"),
                Some("新华社"),
                "西湖边的新步道今天开放。",
            ),
            (
                "中新网4月22日电 多地迎来降雨。",
                None,
                Some("4月22日"),
                Some("中新网"),
                "多地迎来降雨。",
            ),
        ];
        let mut wrong = Vec::new();
        for (body, place, date, agency, rest) in cases {
            let Some((opener, after)) = split(body, &context()) else {
                wrong.push(format!("{body}: no opener"));
                continue;
            };
            let found = (
                opener.place.as_deref(),
                opener.date.as_deref(),
                opener.agency.as_deref(),
                after,
            );
            if found != (*place, *date, *agency, *rest) {
                wrong.push(format!("{body}: {found:?}"));
            }
            assert!(
                body.starts_with(&opener.text) && body.ends_with(after),
                "{body}"
            );
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn ordinary_first_sentences_stay() {
        for body in [
            "Paris, the capital, said the talks would resume.",
            "Paris, the capital - and its suburbs - voted on Sunday.",
            "LONDON — The prime minister left for talks.",
            "Dhaka: heavy rain is expected on Wednesday.",
            "Officials said (on Monday) - that the bridge would close.",
            "The Senate passed the bill late on Tuesday - a first.",
            "Route 66 - a road trip that never ends.",
            "In 2024, prices rose - and they kept rising.",
            "He said: the plan had failed.",
            "Baden-Baden hosts a race this weekend.",
            "Москва и Киев обменялись нотами.",
            "ঢাকায় আজ বৃষ্টি হতে পারে।",
            "दिल्ली में आज बारिश हो सकती है।",
            "القاهرة تستضيف قمة جديدة.",
            "北京今天下雨。",
            "新华社记者在现场看到，工人们正在清理道路。",
            "",
            "(AP) — no place before the agency.",
        ] {
            assert_eq!(split(body, &context()), None, "{body}");
        }
    }

    #[test]
    fn a_byline_is_a_name_of_two_or_three_words_before_a_period() {
        let rest_after = |body: &str| split(body, &context()).map(|(_, rest)| rest.to_string());
        for (body, rest) in [
            // One word, four words, a digit: not a name; the agency stays in the body.
            (
                "москва, 1 дек — риа новости, сообщили. Мост открыт.",
                "риа новости, сообщили. Мост открыт.",
            ),
            (
                "москва, 1 дек — риа новости, сообщил источник в правительстве. Мост открыт.",
                "риа новости, сообщил источник в правительстве. Мост открыт.",
            ),
            (
                "москва, 1 дек — риа новости, корпус 2. Мост открыт.",
                "риа новости, корпус 2. Мост открыт.",
            ),
            // No period after the name: a sentence goes on.
            (
                "москва, 1 дек — риа новости, иван петров, мост открыт.",
                "риа новости, иван петров, мост открыт.",
            ),
            (
                "LONDON, April 23 — Reuters, Jane Doe. Talks resumed.",
                "Talks resumed.",
            ),
            // Initials belong to the name.
            (
                "МАГАС, 1 дек — РИА Новости, Адам А. Буражев. Мост открыт.",
                "Мост открыт.",
            ),
            (
                "LONDON, April 23 — Reuters, J. Doe. Talks resumed.",
                "Talks resumed.",
            ),
            // In cased text a name is capitalised: an attribution is not a byline.
            (
                "МОСКВА, 1 дек — РИА Новости, сообщили в пресс-службе. Мост открыт.",
                "РИА Новости, сообщили в пресс-службе. Мост открыт.",
            ),
            (
                "МОСКВА, 1 дек — РИА Новости, сообщил источник. Мост открыт.",
                "РИА Новости, сообщил источник. Мост открыт.",
            ),
        ] {
            assert_eq!(rest_after(body).as_deref(), Some(rest), "{body}");
        }
    }

    #[test]
    fn an_opener_alone_is_not_taken_from_a_body_it_would_empty() {
        assert_eq!(split("LONDON, April 23 (Reuters) -", &context()), None);
        // On its own line, with paragraphs after it, it is an opener.
        let (opener, rest) =
            split("LONDON, April 23 (Reuters) -\nTalks resumed.", &context()).unwrap();
        assert_eq!(
            (opener.text.as_str(), rest),
            ("LONDON, April 23 (Reuters) -", "Talks resumed.")
        );
    }

    #[test]
    fn date_text_keeps_abbreviations_and_drops_a_final_period() {
        assert_eq!(date_text("23 апреля."), "23 апреля");
        assert_eq!(date_text("23 Abr."), "23 Abr.");
        assert_eq!(date_text("Oct. 15,"), "Oct. 15");
    }

    #[test]
    fn hostile_text_does_not_panic() {
        for body in [
            "(((((((((((((((((((",
            "//////////////////",
            "A, (B) -",
            "A, 1 (",
            "新华社电",
            "新华社",
            "\u{0301}\u{0301} (X) - y",
            "Ünïcödé, 23 Äpr (ÄP) —Ü",
        ] {
            let _ = split(body, &context());
        }
        let long = format!("PLACE, {} (AP) - text", "9".repeat(10_000));
        assert_eq!(split(&long, &context()), None);
    }

    #[test]
    fn built_in_data_parses() {
        validate_data().unwrap();
        let words = Words::get().unwrap();
        assert!(words.is_agency("reuters") && words.is_agency("ТАСС") && words.is_agency("বাসস"));
    }
}
