//! The words datelines are written with, in every language: month and weekday names, AM/PM words,
//! "hours" words (`1347 HRS`, `১৩৪৭ ঘণ্টা`), ordinal suffixes (`23rd`) and filler words between
//! the parts of a date (`23 de abril de 2025`).
//!
//! Reads `locales/<lang>/dateline.toml` for every built-in language once and merges them: copy does
//! not say which language its dateline is in (`APR 23` in Bangla copy, `এপ্রিল ২৩` in English copy).
//! Words are compared after [`fold`]: lower case, every script's digits as ASCII, Bengali and
//! Devanagari nukta letters decomposed; entries of several tokens (`a.m.`) become phrases split by
//! the dateline tokenizer ([`super::lex`]). Owns [`Words`]; writes nothing. Example: `এপ্রিল` is
//! April and `পূর্বাহ্ণ` is AM, in Bengali copy or any other:
//!
//! ```
//! use newsdigest::dateline::{parse, Context};
//! let context = Context { country: Some("BD".into()), home: None, now: "2022-12-23T12:00:00Z".parse().unwrap() };
//! let resolved = parse("প্রকাশিত: ৮:৩৮ পূর্বাহ্ণ, ডিসেম্বর ২৩, ২০২২", &context).unwrap();
//! assert_eq!(resolved.local.to_rfc3339(), "2022-12-23T08:38:00+06:00");
//! ```

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

use super::lex::{fold, token_texts};
use crate::assets;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WordsFile {
    months: Vec<Vec<String>>,
    weekdays: Vec<Vec<String>>,
    am: Vec<String>,
    pm: Vec<String>,
    #[serde(default)]
    night: Vec<String>,
    hours: Vec<String>,
    #[serde(default)]
    oclock: Vec<String>,
    ordinals: Vec<String>,
    fillers: Vec<String>,
    #[serde(default)]
    zone_words: Vec<String>,
    #[serde(default)]
    era: Vec<String>,
    #[serde(default)]
    labels: Vec<String>,
    #[serde(default)]
    relative: RelativeFile,
}

/// `[relative]`: how the language writes a time relative to now (`3 hours ago`, `yesterday`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RelativeFile {
    #[serde(default)]
    ago_after: Vec<String>,
    #[serde(default)]
    ago_before: Vec<String>,
    #[serde(default)]
    one: Vec<String>,
    #[serde(default)]
    seconds: Vec<String>,
    #[serde(default)]
    minutes: Vec<String>,
    #[serde(default)]
    hours: Vec<String>,
    #[serde(default)]
    days: Vec<String>,
    #[serde(default)]
    weeks: Vec<String>,
    #[serde(default)]
    months: Vec<String>,
    #[serde(default)]
    years: Vec<String>,
    #[serde(default)]
    now: Vec<String>,
    #[serde(default)]
    today: Vec<String>,
    #[serde(default)]
    yesterday: Vec<String>,
    #[serde(default)]
    day_before_yesterday: Vec<String>,
    /// Words that carry their own count (Arabic duals): `"ساعتين" = "2 hours"`.
    #[serde(default)]
    counted: HashMap<String, String>,
}

/// AM, PM, or "at night" (`রাত ১১টা` is 23:00, `রাত ২টা` is 02:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meridiem {
    Am,
    Pm,
    Night,
}

/// A unit of a relative time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

impl Unit {
    fn parse(text: &str) -> Option<Unit> {
        Some(match text.trim_end_matches('s') {
            "second" => Unit::Second,
            "minute" => Unit::Minute,
            "hour" => Unit::Hour,
            "day" => Unit::Day,
            "week" => Unit::Week,
            "month" => Unit::Month,
            "year" => Unit::Year,
            _ => return None,
        })
    }
}

/// A word of a relative time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelativeWord {
    /// After the amount: `ago`, `আগে`, `назад`, `前`.
    AgoAfter,
    /// Before the amount: `hace`, `il y a`, `vor`, `منذ`.
    AgoBefore,
    /// A count of one written as a word: `an`, `una`, `einer`.
    One,
    Unit(Unit),
    /// A word with its own count: `ساعتين` (two hours).
    Counted(u64, Unit),
    /// `just now`.
    Now,
    /// `today` (0), `yesterday` (1), `the day before yesterday` (2).
    DaysBack(u64),
}

/// Every language's dateline words, folded.
#[derive(Debug, Default)]
pub struct Words {
    months: HashMap<String, u32>,
    /// 0 = Monday.
    weekdays: HashMap<String, u32>,
    meridiems: HashMap<String, Meridiem>,
    hours: Vec<String>,
    oclock: Vec<String>,
    ordinals: Vec<String>,
    fillers: Vec<String>,
    zone_words: Vec<String>,
    era: Vec<String>,
    /// Words of labels around a dateline (`LAST UPDATED AT`): never taken for a zone abbreviation.
    labels: Vec<String>,
    /// Entries of several tokens (`a.m.`, `كانون الثاني`, `上午`), as folded token texts.
    phrases: Vec<(Vec<String>, Phrase)>,
    /// Every relative-time word, as folded token texts, longest first.
    relative: Vec<(Vec<String>, RelativeWord)>,
    /// The same, per language: a relative time is read in one language at a time, so that a word
    /// that means one thing in one language and another elsewhere (`год`: hours in Ukrainian, year
    /// in Russian; `قبل`: before the amount in Arabic, after it in Urdu) keeps each meaning.
    relative_by_language: Vec<Vec<(Vec<String>, RelativeWord)>>,
}

/// What a multi-token phrase means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phrase {
    Month(u32),
    Weekday(u32),
    Meridiem(Meridiem),
}

static WORDS: LazyLock<Result<Words, String>> = LazyLock::new(Words::load);

impl Words {
    /// The merged built-in words; an error names a data file that does not parse.
    pub fn get() -> Result<&'static Words, String> {
        WORDS.as_ref().map_err(Clone::clone)
    }

    fn load() -> Result<Words, String> {
        let mut words = Words::default();
        for lang in assets::locale_names() {
            if let Some(text) = assets::locale_file(lang, "dateline.toml") {
                let file: WordsFile = toml::from_str(text)
                    .map_err(|e| format!("locales/{lang}/dateline.toml: {}", e.message()))?;
                words
                    .add_file(file)
                    .map_err(|e| format!("locales/{lang}/dateline.toml: {e}"))?;
            }
        }
        // Longest phrases first, so `a.m.` wins over `a`.
        words
            .phrases
            .sort_by_key(|(tokens, _)| std::cmp::Reverse(tokens.len()));
        words
            .relative
            .sort_by_key(|(tokens, _)| std::cmp::Reverse(tokens.len()));
        for language in &mut words.relative_by_language {
            language.sort_by_key(|(tokens, _)| std::cmp::Reverse(tokens.len()));
        }
        Ok(words)
    }

    fn add_file(&mut self, file: WordsFile) -> Result<(), String> {
        if !file.months.is_empty() && file.months.len() != 12 {
            return Err("months must list 12 months".into());
        }
        if !file.weekdays.is_empty() && file.weekdays.len() != 7 {
            return Err("weekdays must list 7 days".into());
        }
        for (month, names) in (1u32..).zip(&file.months) {
            for name in names {
                self.add(name, Phrase::Month(month));
            }
        }
        for (weekday, names) in (0u32..).zip(&file.weekdays) {
            for name in names {
                self.add(name, Phrase::Weekday(weekday));
            }
        }
        for name in &file.am {
            self.add(name, Phrase::Meridiem(Meridiem::Am));
        }
        for name in &file.pm {
            self.add(name, Phrase::Meridiem(Meridiem::Pm));
        }
        for name in &file.night {
            self.add(name, Phrase::Meridiem(Meridiem::Night));
        }
        self.hours.extend(file.hours.iter().map(|w| fold(w)));
        self.oclock.extend(file.oclock.iter().map(|w| fold(w)));
        self.ordinals.extend(file.ordinals.iter().map(|w| fold(w)));
        self.fillers.extend(file.fillers.iter().map(|w| fold(w)));
        self.zone_words
            .extend(file.zone_words.iter().map(|w| fold(w)));
        self.era.extend(file.era.iter().map(|w| fold(w)));
        self.labels.extend(file.labels.iter().map(|w| fold(w)));
        self.add_relative(file.relative)
    }

    fn add_relative(&mut self, file: RelativeFile) -> Result<(), String> {
        let mut language = Vec::new();
        let lists = [
            (file.ago_after, RelativeWord::AgoAfter),
            (file.ago_before, RelativeWord::AgoBefore),
            (file.one, RelativeWord::One),
            (file.seconds, RelativeWord::Unit(Unit::Second)),
            (file.minutes, RelativeWord::Unit(Unit::Minute)),
            (file.hours, RelativeWord::Unit(Unit::Hour)),
            (file.days, RelativeWord::Unit(Unit::Day)),
            (file.weeks, RelativeWord::Unit(Unit::Week)),
            (file.months, RelativeWord::Unit(Unit::Month)),
            (file.years, RelativeWord::Unit(Unit::Year)),
            (file.now, RelativeWord::Now),
            (file.today, RelativeWord::DaysBack(0)),
            (file.yesterday, RelativeWord::DaysBack(1)),
            (file.day_before_yesterday, RelativeWord::DaysBack(2)),
        ];
        for (names, meaning) in lists {
            for name in names {
                language.push((token_texts(&fold(&name)), meaning));
            }
        }
        for (name, amount) in file.counted {
            let meaning = amount
                .split_once(' ')
                .and_then(|(count, unit)| Some((count.parse().ok()?, Unit::parse(unit)?)))
                .map(|(count, unit)| RelativeWord::Counted(count, unit))
                .ok_or_else(|| {
                    format!(
                        "relative.counted: {amount:?} is not a count and a unit like \"2 hours\""
                    )
                })?;
            language.push((token_texts(&fold(&name)), meaning));
        }
        self.relative.extend(language.iter().cloned());
        self.relative_by_language.push(language);
        Ok(())
    }

    fn add(&mut self, name: &str, meaning: Phrase) {
        let folded = fold(name);
        let tokens = token_texts(&folded);
        if tokens.len() > 1 {
            self.phrases.push((tokens, meaning));
            return;
        }
        match meaning {
            Phrase::Month(m) => self.months.insert(folded, m).map(drop),
            Phrase::Weekday(d) => self.weekdays.insert(folded, d).map(drop),
            Phrase::Meridiem(x) => self.meridiems.insert(folded, x).map(drop),
        };
    }

    /// Entries of several tokens, longest first, for [`super::lex::match_phrase`].
    pub fn phrases(&self) -> &[(Vec<String>, Phrase)] {
        &self.phrases
    }

    /// Relative-time words of every language, longest first, for [`super::lex::match_phrase`].
    pub fn relative(&self) -> &[(Vec<String>, RelativeWord)] {
        &self.relative
    }

    /// Relative-time words, one list per language, each longest first.
    pub fn relative_by_language(&self) -> &[Vec<(Vec<String>, RelativeWord)>] {
        &self.relative_by_language
    }

    /// Whether `folded` is any dateline word (month, weekday, AM/PM, hours, ordinal, filler).
    pub fn is_known(&self, folded: &str) -> bool {
        self.month(folded).is_some()
            || self.weekday(folded).is_some()
            || self.meridiem(folded).is_some()
            || self.is_hours_word(folded)
            || self.is_oclock(folded)
            || self.is_ordinal(folded)
            || self.is_filler(folded)
            || self.labels.iter().any(|w| w == folded)
    }

    /// A word after an hour of one or two digits that means "o'clock": `৮টা`, `8 बजे`, `16 Uhr`.
    pub fn is_oclock(&self, folded: &str) -> bool {
        self.oclock.iter().any(|w| w == folded)
    }

    /// An era word after a year (`٢٠٢٥ م`, Common Era), which may also be an AM/PM word.
    pub fn is_era(&self, folded: &str) -> bool {
        self.era.iter().any(|w| w == folded)
    }

    /// A word that names a zone only with another (`time` in `Eastern Time`): left unread, it is
    /// refused rather than ignored.
    pub fn is_zone_word(&self, folded: &str) -> bool {
        self.zone_words.iter().any(|w| w == folded)
    }

    pub fn month(&self, folded: &str) -> Option<u32> {
        self.months.get(folded).copied()
    }

    pub fn weekday(&self, folded: &str) -> Option<u32> {
        self.weekdays.get(folded).copied()
    }

    pub fn meridiem(&self, folded: &str) -> Option<Meridiem> {
        self.meridiems.get(folded).copied()
    }

    pub fn is_hours_word(&self, folded: &str) -> bool {
        self.hours.iter().any(|w| w == folded)
    }

    pub fn is_filler(&self, folded: &str) -> bool {
        self.fillers.iter().any(|w| w == folded)
    }

    pub fn is_ordinal(&self, folded: &str) -> bool {
        self.ordinals.iter().any(|w| w == folded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_words_load() {
        let words = Words::get().unwrap();
        assert_eq!(words.month("apr"), Some(4));
        assert_eq!(words.month(&fold("এপ্রিল")), Some(4));
        assert_eq!(words.month(&fold("апреля")), Some(4));
        assert_eq!(words.month(&fold("फ़रवरी")), Some(2));
        assert_eq!(words.month(&fold("फरवरी")), Some(2));
        assert_eq!(words.weekday("sunday"), Some(6));
        assert_eq!(words.meridiem(&fold("পূর্বাহ্ণ")), Some(Meridiem::Am));
        assert!(words.is_hours_word(&fold("ঘণ্টা")));
        assert!(
            words
                .phrases
                .iter()
                .any(|(t, p)| t.join("") == "a.m." && *p == Phrase::Meridiem(Meridiem::Am))
        );
    }
}
