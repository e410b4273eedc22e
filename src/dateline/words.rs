//! The words datelines are written with, in every language: month and weekday names, AM/PM words,
//! "hours" words (`1347 HRS`, `১৩৪৭ ঘণ্টা`), ordinal suffixes (`23rd`) and filler words between
//! the parts of a date (`23 de abril de 2025`).
//!
//! Reads `locales/<lang>/dateline.toml` for every built-in language once and merges them: copy does
//! not say which language its dateline is in (`APR 23` in Bangla copy, `এপ্রিল ২৩` in English copy).
//! Words are compared after [`fold`]: lower case, every script's digits as ASCII, Bengali and
//! Devanagari nukta letters decomposed. Example: `Words::get().month("এপ্রিল")` is `Some(4)`.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

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
    pub phrases: Vec<(Vec<String>, Phrase)>,
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
            let Some(text) = assets::locale_file(lang, "dateline.toml") else {
                continue;
            };
            let file: WordsFile = toml::from_str(text)
                .map_err(|e| format!("locales/{lang}/dateline.toml: {}", e.message()))?;
            if !file.months.is_empty() && file.months.len() != 12 {
                return Err(format!(
                    "locales/{lang}/dateline.toml: months must list 12 months"
                ));
            }
            if !file.weekdays.is_empty() && file.weekdays.len() != 7 {
                return Err(format!(
                    "locales/{lang}/dateline.toml: weekdays must list 7 days"
                ));
            }
            for (index, names) in file.months.iter().enumerate() {
                for name in names {
                    words.add(name, Phrase::Month(index as u32 + 1));
                }
            }
            for (index, names) in file.weekdays.iter().enumerate() {
                for name in names {
                    words.add(name, Phrase::Weekday(index as u32));
                }
            }
            for name in &file.am {
                words.add(name, Phrase::Meridiem(Meridiem::Am));
            }
            for name in &file.pm {
                words.add(name, Phrase::Meridiem(Meridiem::Pm));
            }
            words.hours.extend(file.hours.iter().map(|w| fold(w)));
            words.ordinals.extend(file.ordinals.iter().map(|w| fold(w)));
            words.fillers.extend(file.fillers.iter().map(|w| fold(w)));
        }
        // Longest phrases first, so `a.m.` wins over `a`.
        words
            .phrases
            .sort_by_key(|(tokens, _)| std::cmp::Reverse(tokens.len()));
        Ok(words)
    }

    fn add(&mut self, name: &str, meaning: Phrase) {
        let folded = fold(name);
        if folded.contains([' ', '.']) {
            let tokens = super::scan::token_texts(&folded);
            self.phrases.push((tokens, meaning));
            return;
        }
        match meaning {
            Phrase::Month(m) => self.months.insert(folded, m).map(drop),
            Phrase::Weekday(d) => self.weekdays.insert(folded, d).map(drop),
            Phrase::Meridiem(x) => self.meridiems.insert(folded, x).map(drop),
        };
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

/// The value of a digit in any script newsrooms use (ASCII, Bengali, Devanagari, Arabic-Indic,
/// Extended Arabic-Indic, fullwidth).
pub fn digit_value(c: char) -> Option<u32> {
    let zero = match c {
        '0'..='9' => '0',
        '০'..='৯' => '০',
        '०'..='९' => '०',
        '٠'..='٩' => '٠',
        '۰'..='۹' => '۰',
        '０'..='９' => '０',
        _ => return None,
    };
    Some(c as u32 - zero as u32)
}

/// Text as words are compared: lower case, ASCII digits, nukta letters decomposed.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if let Some(d) = digit_value(c) {
            out.push(char::from(b'0' + d as u8));
            continue;
        }
        match c {
            // Bengali ড় ঢ় য় and Devanagari क़..य़ have a precomposed and a decomposed form.
            '\u{9dc}' => out.push_str("\u{9a1}\u{9bc}"),
            '\u{9dd}' => out.push_str("\u{9a2}\u{9bc}"),
            '\u{9df}' => out.push_str("\u{9af}\u{9bc}"),
            '\u{958}'..='\u{95f}' => {
                const BASES: [char; 8] = ['क', 'ख', 'ग', 'ज', 'ड', 'ढ', 'फ', 'य'];
                out.push(BASES[(c as u32 - 0x958) as usize]);
                out.push('\u{93c}');
            }
            'ʼ' | '’' => out.push('\''),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
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

    #[test]
    fn folds_digits_and_nukta() {
        assert_eq!(fold("১৩৪৭"), "1347");
        assert_eq!(fold("२०२५"), "2025");
        assert_eq!(fold("٢٣"), "23");
        assert_eq!(fold("۲۳"), "23");
        assert_eq!(fold("সম\u{9df}"), "সম\u{9af}\u{9bc}");
        assert_eq!(fold("APR"), "apr");
    }
}
