//! The terms of a sentence, as the ranker compares them: words lower-cased, stopwords dropped,
//! stemmed (Snowball through `rust-stemmers` where it has the language, else a light suffix
//! stripper as data), and, in scripts written without spaces, character pairs.
//!
//! Owns [`Vocabulary`] (one language's stopwords and stemmer, from `locales/<lang>/summary.toml`)
//! and [`Vocabulary::terms`] (and [`Vocabulary::tokens`]: the same terms in order, with repeats).
//! Reads the built-in locale data once per language; writes term ids, numbered per article so
//! sentences compare by integer. Example:
//!
//! ```
//! use newsdigest::rank::terms::Vocabulary;
//! let en = Vocabulary::for_language("en");
//! let mut ids = std::collections::HashMap::new();
//! let a = en.terms("The floods closed the schools.", &mut ids);
//! let b = en.terms("Schools were closed by flooding.", &mut ids);
//! assert_eq!(a, b); // flood, close, school: stopwords gone, stems equal
//! ```

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex};

use rust_stemmers::{Algorithm, Stemmer};
use serde::Deserialize;

use crate::assets;

/// `locales/<lang>/summary.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SummaryFile {
    /// The default strategy for articles in this language, chosen by `newsdigest eval`.
    #[serde(default)]
    strategy: Option<String>,
    #[serde(default)]
    stopwords: Vec<String>,
    /// For languages Snowball lacks: suffixes stripped (longest first) while the stem keeps at
    /// least `min_stem` characters.
    #[serde(default)]
    suffixes: Vec<String>,
    #[serde(default)]
    min_stem: Option<usize>,
}

/// One language's stopwords and stemmer.
pub struct Vocabulary {
    stopwords: HashSet<String>,
    stemmer: Option<Stemmer>,
    suffixes: Vec<String>,
    min_stem: usize,
    /// The strategy `summary.toml` names for this language, if any.
    pub strategy: Option<String>,
}

static CACHE: LazyLock<Mutex<HashMap<String, Arc<Vocabulary>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

impl Vocabulary {
    /// The built-in vocabulary of `lang` (`bn-BD` uses `bn`); empty (no stopwords, no stemming)
    /// for a language without data.
    pub fn for_language(lang: &str) -> Arc<Vocabulary> {
        let base = lang.split(['-', '_']).next().unwrap_or(lang).to_lowercase();
        let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(base.clone())
            .or_insert_with(|| {
                Arc::new(Vocabulary::load(&base).unwrap_or_else(|_| Vocabulary::empty()))
            })
            .clone()
    }

    /// Checks that a language's `summary.toml` parses; the error names the file.
    pub fn validate(lang: &str) -> Result<(), String> {
        Vocabulary::load(lang).map(drop)
    }

    fn empty() -> Vocabulary {
        Vocabulary {
            stopwords: HashSet::new(),
            stemmer: None,
            suffixes: Vec::new(),
            min_stem: 3,
            strategy: None,
        }
    }

    fn load(lang: &str) -> Result<Vocabulary, String> {
        let file: SummaryFile = match assets::locale_file(lang, "summary.toml") {
            None => SummaryFile::default(),
            Some(text) => toml::from_str(text)
                .map_err(|e| format!("locales/{lang}/summary.toml: {}", e.message()))?,
        };
        let mut suffixes: Vec<String> = file.suffixes.iter().map(|s| s.to_lowercase()).collect();
        suffixes.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
        Ok(Vocabulary {
            stopwords: file.stopwords.iter().map(|w| w.to_lowercase()).collect(),
            stemmer: snowball(lang).map(Stemmer::create),
            suffixes,
            min_stem: file.min_stem.unwrap_or(3),
            strategy: file.strategy,
        })
    }

    /// The sorted, distinct term ids of `sentence`; `ids` numbers terms across one article.
    pub fn terms(&self, sentence: &str, ids: &mut HashMap<String, u32>) -> Vec<u32> {
        let mut terms = self.tokens(sentence, ids);
        terms.sort_unstable();
        terms.dedup();
        terms
    }

    /// The term ids of `sentence` in reading order, repeated as often as they occur (term
    /// frequencies); `ids` numbers terms across one article.
    pub fn tokens(&self, sentence: &str, ids: &mut HashMap<String, u32>) -> Vec<u32> {
        let mut terms = Vec::new();
        let mut add = |term: String| {
            let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
            terms.push(*ids.entry(term).or_insert(next));
        };
        for word in sentence.split(|c: char| !c.is_alphanumeric() && !is_mark(c)) {
            if word.is_empty() {
                continue;
            }
            if word.chars().any(writes_without_spaces) {
                let chars: Vec<char> = word.chars().collect();
                for pair in chars.windows(2) {
                    add(pair.iter().collect());
                }
                continue;
            }
            let lower = word.to_lowercase();
            if self.stopwords.contains(&lower) || lower.chars().all(|c| c.is_numeric()) {
                continue;
            }
            add(self.stem(&lower));
        }
        terms
    }

    /// The stem of a lower-cased `word`: Snowball's where it has the language, else the word
    /// without the longest listed suffix that leaves `min_stem` characters.
    pub fn stem(&self, word: &str) -> String {
        if let Some(stemmer) = &self.stemmer {
            return stemmer.stem(word).into_owned();
        }
        let length = word.chars().count();
        for suffix in &self.suffixes {
            let suffix_length = suffix.chars().count();
            if length >= suffix_length + self.min_stem
                && let Some(stem) = word.strip_suffix(suffix.as_str())
            {
                return stem.to_string();
            }
        }
        word.to_string()
    }
}

/// The Snowball algorithm for a language, where `rust-stemmers` has one.
fn snowball(lang: &str) -> Option<Algorithm> {
    Some(match lang {
        "en" => Algorithm::English,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "es" => Algorithm::Spanish,
        "ru" => Algorithm::Russian,
        "ar" => Algorithm::Arabic,
        _ => return None,
    })
}

/// Combining marks belong to the word (Indic vowel signs, Arabic harakat).
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}' | '\u{0610}'..='\u{061a}' | '\u{064b}'..='\u{065f}' | '\u{0670}'
        | '\u{06d6}'..='\u{06ed}' | '\u{0900}'..='\u{0dff}' | '\u{200c}' | '\u{200d}')
        && !c.is_alphanumeric()
        && !matches!(c, '।' | '॥')
}

/// Han and kana: no spaces between words, so terms are character pairs.
fn writes_without_spaces(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}
