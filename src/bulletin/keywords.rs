//! Mobile-originated keywords: STOP, START and their equivalents in each locale's language
//! (`locales/<lang>/keywords.toml`), matched case- and digit-script-insensitively.
//!
//! Owns [`Keywords`] and [`Keyword`]. Reads every built-in language's `keywords.toml` once; writes
//! nothing. A message is a keyword when, normalized ([`normalize`]: lower case, digits of any
//! script as ASCII, Arabic vowel marks and alef forms folded, zero-width joiners and the
//! punctuation around it dropped), the whole of it or its first word is one of the list. English
//! keywords are recognized whatever the language; a word listed in several languages (STOP) is
//! taken as English's, the others' own words say which language the reader wrote in.
//!
//! ```
//! use newsdigest::bulletin::keywords::{Keyword, Keywords};
//! let keywords = Keywords::built_in();
//! assert_eq!(keywords.find("stop"), Some((Keyword::Stop, "en")));
//! assert_eq!(keywords.find(" বন্ধ করুন। "), Some((Keyword::Stop, "bn")));
//! assert_eq!(keywords.find("Start"), Some((Keyword::Start, "en")));
//! assert_eq!(keywords.find("stop the rain"), Some((Keyword::Stop, "en")));
//! assert_eq!(keywords.find("nonstop"), None);
//! ```

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::assets;

/// What a reader asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Keyword {
    /// No more messages.
    Stop,
    /// Messages again, after a stop.
    Start,
}

/// One language's `keywords.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeywordsFile {
    stop: Vec<String>,
    start: Vec<String>,
}

/// Every language's keywords, normalized, with the language each comes from.
#[derive(Debug)]
pub struct Keywords {
    words: HashMap<String, (Keyword, &'static str)>,
}

static BUILT_IN: LazyLock<Keywords> = LazyLock::new(|| {
    let mut words = HashMap::new();
    // English first: a word several languages list (STOP) stays English.
    let mut languages = assets::locale_names();
    languages.sort_by_key(|lang| *lang != "en");
    for lang in languages {
        let Some(text) = assets::locale_file(lang, "keywords.toml") else {
            continue;
        };
        let file: KeywordsFile = toml::from_str(text)
            .unwrap_or_else(|e| panic!("locales/{lang}/keywords.toml is invalid: {e}"));
        for (keyword, list) in [(Keyword::Stop, file.stop), (Keyword::Start, file.start)] {
            for word in list {
                words.entry(normalize(&word)).or_insert((keyword, lang));
            }
        }
    }
    Keywords { words }
});

impl Keywords {
    /// The built-in keywords of every language (read once).
    pub fn built_in() -> &'static Keywords {
        &BUILT_IN
    }

    /// The keyword `text` is, and the language of the word matched; `None` for any other message.
    pub fn find(&self, text: &str) -> Option<(Keyword, &'static str)> {
        let normalized = normalize(text);
        if let Some(&found) = self.words.get(&normalized) {
            return Some(found);
        }
        let first = normalized.split_whitespace().next()?;
        self.words.get(trim_punctuation(first)).copied()
    }
}

/// `text` as keywords are compared: trimmed of spaces and punctuation, lower case, digits as
/// ASCII, Arabic vowel marks (harakat, tatweel) removed and alef forms folded, zero-width
/// (non-)joiners removed.
pub fn normalize(text: &str) -> String {
    let folded: String = text
        .chars()
        .filter(|c| !matches!(c, '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{0640}'))
        .filter(|c| !('\u{064B}'..='\u{0652}').contains(c))
        .map(|c| match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ى' => 'ي',
            _ => ascii_digit(c).unwrap_or(c),
        })
        .flat_map(char::to_lowercase)
        .collect();
    let words: Vec<&str> = folded.split_whitespace().collect();
    trim_punctuation(&words.join(" ")).to_string()
}

/// `word` without the punctuation around it (`STOP.`, `«стоп»`, `বন্ধ।`).
fn trim_punctuation(word: &str) -> &str {
    word.trim_matches(|c: char| {
        c.is_whitespace() || (c.is_ascii_punctuation() && c != '-') || is_sentence_mark(c)
    })
}

/// Punctuation beyond ASCII that may end or wrap a keyword.
fn is_sentence_mark(c: char) -> bool {
    matches!(
        c,
        '।' | '॥'
            | '۔'
            | '؟'
            | '،'
            | '。'
            | '！'
            | '？'
            | '，'
            | '“'
            | '”'
            | '«'
            | '»'
            | '‘'
            | '’'
            | '¡'
            | '¿'
    )
}

/// A decimal digit of any script other than ASCII (Bengali `১`, Devanagari `१`, Arabic-Indic
/// `١`, Extended Arabic-Indic `۱`, fullwidth `１`, ...) as the ASCII digit.
fn ascii_digit(c: char) -> Option<char> {
    // The zero of each decimal digit block of these locales' scripts and their neighbours'.
    const ZEROS: &[u32] = &[
        0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
        0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x17E0, 0x1810, 0xFF10,
    ];
    let code = u32::from(c);
    let zero = ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&code))?;
    char::from_digit(code - zero, 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_stop_and_start_words_that_do_not_clash() {
        let keywords = Keywords::built_in();
        for lang in assets::locale_names() {
            let text = assets::locale_file(lang, "keywords.toml")
                .unwrap_or_else(|| panic!("locales/{lang}/keywords.toml is missing"));
            let file: KeywordsFile = toml::from_str(text).unwrap();
            assert!(!file.stop.is_empty() && !file.start.is_empty(), "{lang}");
            for word in &file.stop {
                assert_eq!(
                    keywords.find(word).map(|f| f.0),
                    Some(Keyword::Stop),
                    "{lang} {word}"
                );
            }
            for word in &file.start {
                assert_eq!(
                    keywords.find(word).map(|f| f.0),
                    Some(Keyword::Start),
                    "{lang} {word}"
                );
            }
        }
    }

    #[test]
    fn case_digits_marks_and_punctuation_do_not_matter() {
        let keywords = Keywords::built_in();
        for text in [
            "STOP", "stop", "Stop!", " stop. ", "\"STOP\"", "STOP 1", "stop ১",
        ] {
            assert_eq!(keywords.find(text), Some((Keyword::Stop, "en")), "{text:?}");
        }
        assert_eq!(keywords.find("বন্ধ"), Some((Keyword::Stop, "bn")));
        assert_eq!(
            keywords.find("বন্‌ধ"),
            Some((Keyword::Stop, "bn")),
            "a ZWNJ inside"
        );
        assert_eq!(keywords.find("चालू"), Some((Keyword::Start, "hi")));
        assert_eq!(keywords.find("إيقاف"), Some((Keyword::Stop, "ar")));
        assert_eq!(
            keywords.find("ايقاف"),
            Some((Keyword::Stop, "ar")),
            "alef without hamza"
        );
        assert_eq!(
            keywords.find("تَوَقَّف"),
            Some((Keyword::Stop, "ar")),
            "with harakat"
        );
        assert_eq!(keywords.find("стоп"), Some((Keyword::Stop, "ru")));
        assert_eq!(keywords.find("Стоп!"), Some((Keyword::Stop, "ru")));
        assert_eq!(keywords.find("退订"), Some((Keyword::Stop, "zh")));
        assert_eq!(keywords.find("Baja"), Some((Keyword::Stop, "es")));
        assert_eq!(ascii_digit('৭'), Some('7'));
        assert_eq!(ascii_digit('٣'), Some('3'));
        assert_eq!(ascii_digit('۵'), Some('5'));
        assert_eq!(ascii_digit('a'), None);
    }

    #[test]
    fn other_messages_are_not_keywords() {
        let keywords = Keywords::built_in();
        for text in [
            "",
            "   ",
            "nonstop news",
            "please stop",
            "STOPPED",
            "ধন্যবাদ",
            "12",
        ] {
            assert_eq!(keywords.find(text), None, "{text:?}");
        }
    }
}
