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
    hours: Vec<String>,
    ordinals: Vec<String>,
    fillers: Vec<String>,
}

/// AM or PM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meridiem {
    Am,
    Pm,
}

/// Every language's dateline words, folded.
#[derive(Debug, Default)]
pub struct Words {
    months: HashMap<String, u32>,
    /// 0 = Monday.
    weekdays: HashMap<String, u32>,
    meridiems: HashMap<String, Meridiem>,
    hours: Vec<String>,
    ordinals: Vec<String>,
    fillers: Vec<String>,
    /// Entries of several words or with periods (`a.m.`, `كانون الثاني`), as folded token texts.
    phrases: Vec<(Vec<String>, Phrase)>,
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
        self.hours.extend(file.hours.iter().map(|w| fold(w)));
        self.ordinals.extend(file.ordinals.iter().map(|w| fold(w)));
        self.fillers.extend(file.fillers.iter().map(|w| fold(w)));
        Ok(())
    }

    fn add(&mut self, name: &str, meaning: Phrase) {
        let folded = fold(name);
        if folded.contains([' ', '.']) {
            let tokens = token_texts(&folded);
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

    /// Whether `folded` is any dateline word (month, weekday, AM/PM, hours, ordinal, filler).
    pub fn is_known(&self, folded: &str) -> bool {
        self.month(folded).is_some()
            || self.weekday(folded).is_some()
            || self.meridiem(folded).is_some()
            || self.is_hours_word(folded)
            || self.is_ordinal(folded)
            || self.is_filler(folded)
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
