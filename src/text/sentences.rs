//! Sentence splitting for every script a newsroom publishes in.
//!
//! PLACEHOLDER: the real splitter (UAX #29 plus an abbreviation/initial suppression layer, data in
//! `locales/<lang>/abbreviations.txt`) replaces this file. The public surface is the contract.

use unicode_segmentation::UnicodeSegmentation;

/// Splits running text into sentences for one language.
#[derive(Debug, Clone)]
pub struct SentenceSplitter {
    _lang: String,
}

impl SentenceSplitter {
    /// The splitter for `lang` (a BCP 47 tag such as `en` or `bn-BD`), with its built-in data.
    pub fn for_language(lang: &str) -> Self {
        SentenceSplitter {
            _lang: lang.to_string(),
        }
    }

    /// The sentences of `text`, trimmed, in order; joining them with spaces gives back the text.
    pub fn split<'a>(&self, text: &'a str) -> Vec<&'a str> {
        text.split_sentence_bounds()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    }
}
