//! Sentence splitting for every script a newsroom publishes in.
//!
//! UAX #29 (unicode-segmentation) finds every candidate break in any script (`.`, `?`, `!`, `।`,
//! `؟`, `۔`, `。`...); a thin layer then removes the false ones: after an initial (one grapheme and
//! a period: `J. K. Rowling`, `ড. ইউনূস`, `डॉ. सिंह`), after a title that never ends a sentence
//! (`Gen.`, `Mr.`), before a word that continues the sentence (lowercase, or a digit after a
//! period: `No. 10`), and after an abbreviation that may end a sentence (`U.S.`, `Inc.`) unless the
//! next word is a usual sentence opener (`It`, `The`). The word lists are data, per language, in
//! `locales/<lang>/sentences.toml`.
//!
//! ```
//! use newsdigest::text::sentences::SentenceSplitter;
//! let en = SentenceSplitter::for_language("en");
//! assert_eq!(
//!     en.split("The company is based in the U.S. It employs 500 people."),
//!     ["The company is based in the U.S.", "It employs 500 people."]
//! );
//! assert_eq!(en.split("the U.S. President said").len(), 1);
//! ```

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex};

use serde::Deserialize;
use unicode_segmentation::UnicodeSegmentation;

use crate::assets;

/// `locales/<lang>/sentences.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    /// Abbreviations that never end a sentence (`Mr.`, `Gen.`).
    #[serde(default)]
    titles: Vec<String>,
    /// Abbreviations that may end one (`Inc.`, `U.S.`, `etc.`).
    #[serde(default)]
    may_end: Vec<String>,
    /// Words that usually open a sentence, after which a `may_end` abbreviation does end one.
    #[serde(default)]
    sentence_starters: Vec<String>,
}

/// A language's word lists, lower-cased, abbreviations without their final period.
#[derive(Debug, Default)]
struct Rules {
    titles: HashSet<String>,
    may_end: HashSet<String>,
    starters: HashSet<String>,
}

impl Rules {
    fn from_file(file: RulesFile) -> Rules {
        let key = |word: String| word.trim_end_matches('.').to_lowercase();
        Rules {
            titles: file.titles.into_iter().map(key).collect(),
            may_end: file.may_end.into_iter().map(key).collect(),
            starters: file
                .sentence_starters
                .into_iter()
                .map(|w| w.to_lowercase())
                .collect(),
        }
    }

    /// The built-in rules of `lang` (`bn-BD` falls back to `bn`); empty for unknown languages.
    fn builtin(lang: &str) -> Result<Rules, String> {
        let base = lang.split(['-', '_']).next().unwrap_or(lang);
        let text = assets::locale_file(lang, "sentences.toml")
            .or_else(|| assets::locale_file(base, "sentences.toml"));
        match text {
            None => Ok(Rules::default()),
            Some(text) => toml::from_str(text)
                .map(Rules::from_file)
                .map_err(|e| format!("locales/{base}/sentences.toml: {}", e.message())),
        }
    }
}

/// Parsed rules per language, shared by every splitter.
static CACHE: LazyLock<Mutex<HashMap<String, Arc<Rules>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// Splits running text into sentences for one language.
#[derive(Debug, Clone)]
pub struct SentenceSplitter {
    rules: Arc<Rules>,
}

impl SentenceSplitter {
    /// The splitter for `lang` (a BCP 47 tag such as `en` or `bn-BD`), with its built-in data.
    /// A language without data still splits, with the initial and lowercase rules only.
    pub fn for_language(lang: &str) -> Self {
        let mut cache = CACHE
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let rules = cache
            .entry(lang.to_string())
            .or_insert_with(|| Arc::new(Rules::builtin(lang).unwrap_or_default()))
            .clone();
        SentenceSplitter { rules }
    }

    /// Checks that the built-in data of `lang` parses; the error names the file.
    pub fn validate(lang: &str) -> Result<(), String> {
        Rules::builtin(lang).map(|_| ())
    }

    /// The sentences of `text`, trimmed, in order.
    pub fn split<'a>(&self, text: &'a str) -> Vec<&'a str> {
        let mut sentences = Vec::new();
        let mut start = 0;
        let mut segments = text.split_sentence_bound_indices().peekable();
        while let Some((offset, segment)) = segments.next() {
            let end = offset + segment.len();
            if let Some(&(_, next)) = segments.peek()
                && self.continues(&text[start..end], next)
            {
                continue;
            }
            let sentence = text[start..end].trim();
            if !sentence.is_empty() {
                sentences.push(sentence);
            }
            start = end;
        }
        sentences
    }

    /// Whether the candidate break between `current` and `next` is a false one.
    fn continues(&self, current: &str, next: &str) -> bool {
        let next_word = first_word(next);
        let Some(first) = next_word.chars().next() else {
            return false;
        };
        if first.is_lowercase() {
            return true;
        }
        let body = current.trim_end();
        let Some(before_period) = body.strip_suffix('.') else {
            return false;
        };
        if first.is_numeric() {
            return true;
        }
        let token = last_word(before_period);
        if token.is_empty() || token.ends_with('.') {
            // An ellipsis (`on and on...`) before a capitalised word ends the sentence.
            return false;
        }
        if is_initial(token) {
            return true;
        }
        let key = token.to_lowercase();
        if self.rules.titles.contains(&key) {
            return true;
        }
        if self.rules.may_end.contains(&key) || is_acronym(token) {
            return !self.rules.starters.contains(&next_word.to_lowercase());
        }
        false
    }
}

/// Characters that open a quotation or parenthesis before a word.
fn is_opening(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '‘' | '«' | '„' | '(' | '[' | '「' | '『' | '¿' | '¡'
    )
}

/// The first word of `text`, after spaces and opening quotes or brackets.
fn first_word(text: &str) -> &str {
    let text = text.trim_start_matches(|c: char| c.is_whitespace() || is_opening(c));
    let end = text
        .find(|c: char| c.is_whitespace() || (c.is_ascii_punctuation() && c != '.' && c != '-'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The last word of `text` (which ends just before a period), without opening punctuation.
fn last_word(text: &str) -> &str {
    let start = text
        .rfind(|c: char| c.is_whitespace() || is_opening(c))
        .map_or(0, |i| {
            i + text[i..].chars().next().map_or(1, char::len_utf8)
        });
    &text[start..]
}

/// One letter (a single grapheme cluster, any script): `J`, `В`, `ড`, `डॉ`.
fn is_initial(token: &str) -> bool {
    let mut graphemes = token.graphemes(true);
    matches!(
        (graphemes.next(), graphemes.next()),
        (Some(g), None) if g.chars().next().is_some_and(char::is_alphabetic)
    )
}

/// Letters separated by periods: `U.S`, `D.C`, `U.K` (the final period already removed).
fn is_acronym(token: &str) -> bool {
    token.contains('.') && token.split('.').all(is_initial)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(lang: &str, text: &str) -> Vec<String> {
        SentenceSplitter::for_language(lang)
            .split(text)
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn rules() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "en",
                "Author J. K. Rowling spoke. She left.",
                &["Author J. K. Rowling spoke.", "She left."],
            ),
            (
                "en",
                "Gen. Keith Kellogg spoke.",
                &["Gen. Keith Kellogg spoke."],
            ),
            (
                "en",
                "It is based in the U.S. It grew.",
                &["It is based in the U.S.", "It grew."],
            ),
            ("en", "The U.S. Senate voted.", &["The U.S. Senate voted."]),
            (
                "en",
                "GDP grew 3.5 percent. Prices fell.",
                &["GDP grew 3.5 percent.", "Prices fell."],
            ),
            (
                "en",
                "They talked... and talked. Then left.",
                &["They talked... and talked.", "Then left."],
            ),
            (
                "en",
                "It went on... Finally it ended.",
                &["It went on...", "Finally it ended."],
            ),
            (
                "en",
                "“Why?” he asked. Nobody knew.",
                &["“Why?” he asked.", "Nobody knew."],
            ),
            (
                "en",
                "He lives at No. 10 now.",
                &["He lives at No. 10 now."],
            ),
            (
                "bn",
                "ডা. মো. রফিকুল ইসলাম বলেন। তিনি যান।",
                &["ডা. মো. রফিকুল ইসলাম বলেন।", "তিনি যান।"],
            ),
            ("bn", "বৃদ্ধি ২৮.৫ শতাংশ। ভালো?", &["বৃদ্ধি ২৮.৫ শতাংশ।", "ভালো?"]),
            ("hi", "डॉ. सिंह आए। वे गए।", &["डॉ. सिंह आए।", "वे गए।"]),
            (
                "ur",
                "اجلاس ہوا۔ کیا یہ درست ہے؟",
                &["اجلاس ہوا۔", "کیا یہ درست ہے؟"],
            ),
            ("ar", "هل سيصمد؟ لا أحد يعلم.", &["هل سيصمد؟", "لا أحد يعلم."]),
            (
                "zh",
                "谈判将继续。他说：“好。”",
                &["谈判将继续。", "他说：“好。”"],
            ),
            (
                "ru",
                "В 2025 г. рост составил 3,5%. Это много.",
                &["В 2025 г. рост составил 3,5%.", "Это много."],
            ),
            (
                "xx",
                "Unknown language. Still splits.",
                &["Unknown language.", "Still splits."],
            ),
        ];
        for (lang, text, expected) in cases {
            assert_eq!(split(lang, text), *expected, "{lang}: {text}");
        }
    }

    #[test]
    fn builtin_data_parses() {
        for lang in assets::locale_names() {
            SentenceSplitter::validate(lang).unwrap();
        }
    }
}
