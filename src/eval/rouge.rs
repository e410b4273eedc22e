//! ROUGE-1, ROUGE-2 and ROUGE-L F1, with the XL-Sum multilingual scorer's word rules.
//!
//! Owns [`tokenize`] and [`score`]. A text becomes words thus: lower-cased; every character that is
//! not a letter, a mark or a decimal digit (in any script) becomes a space; split on whitespace;
//! English words are stemmed (Snowball, through [`crate::rank::terms::Vocabulary`]), other
//! languages' words are not. Scores are F1 (the harmonic mean of precision and recall) of n-gram
//! overlap (ROUGE-N, clipped counts) or of the longest common subsequence of the whole texts
//! (ROUGE-L, one sequence each, as `rougeL` in Google's `rouge_score`). Against several
//! references a summary's score is the mean of its per-reference scores. Example:
//!
//! ```
//! use newsdigest::eval::rouge::{score, tokenize};
//! let summary = tokenize("The cat sat on the mat.", "fr");
//! let reference = tokenize("The cat lay on the mat.", "fr");
//! let scores = score(&summary, &[reference]);
//! // 5 of 6 words shared, 3 of 5 bigrams, a common subsequence of 5 words.
//! let rounded = |x: f64| (x * 1000.0).round() / 1000.0;
//! assert_eq!([scores.rouge1, scores.rouge2, scores.rouge_l].map(rounded), [0.833, 0.6, 0.833]);
//! ```

use std::collections::HashMap;
use std::ops::Add;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::rank::terms::Vocabulary;

/// Any run of characters that are neither letters, marks nor decimal digits.
static NOT_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[^\p{L}\p{M}\p{Nd}]+").expect("the word pattern is valid"));

/// ROUGE F1 scores, each in `0.0..=1.0`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Scores {
    pub rouge1: f64,
    pub rouge2: f64,
    #[serde(rename = "rougeL")]
    pub rouge_l: f64,
}

/// The sum of two score sets (for averaging).
impl Add for Scores {
    type Output = Scores;

    fn add(self, other: Scores) -> Scores {
        Scores {
            rouge1: self.rouge1 + other.rouge1,
            rouge2: self.rouge2 + other.rouge2,
            rouge_l: self.rouge_l + other.rouge_l,
        }
    }
}

impl Scores {
    /// Every score divided by `n` (no change when `n` is 0).
    pub fn divided(self, n: usize) -> Scores {
        if n == 0 {
            return self;
        }
        let n = n as f64;
        Scores {
            rouge1: self.rouge1 / n,
            rouge2: self.rouge2 / n,
            rouge_l: self.rouge_l / n,
        }
    }
}

/// The words of `text` as ROUGE compares them (see the module documentation); `lang` is the
/// text's language, and only `en` is stemmed.
pub fn tokenize(text: &str, lang: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let spaced = NOT_WORD.replace_all(&lower, " ");
    let english = lang.split(['-', '_']).next() == Some("en");
    let vocabulary = english.then(|| Vocabulary::for_language("en"));
    spaced
        .split_whitespace()
        .map(|word| match &vocabulary {
            Some(vocabulary) => vocabulary.stem(word),
            None => word.to_string(),
        })
        .filter(|word| !word.is_empty())
        .collect()
}

/// The mean over `references` of each ROUGE F1 of `summary` (all zero without references).
pub fn score(summary: &[String], references: &[Vec<String>]) -> Scores {
    references
        .iter()
        .map(|reference| Scores {
            rouge1: rouge_n(summary, reference, 1),
            rouge2: rouge_n(summary, reference, 2),
            rouge_l: rouge_l(summary, reference),
        })
        .fold(Scores::default(), Scores::add)
        .divided(references.len())
}

/// The mean over `references` of the ROUGE-1 F1 of `summary` (what the oracle maximizes).
pub fn rouge1(summary: &[String], references: &[Vec<String>]) -> f64 {
    if references.is_empty() {
        return 0.0;
    }
    let total: f64 = references.iter().map(|r| rouge_n(summary, r, 1)).sum();
    total / references.len() as f64
}

/// ROUGE-N F1: n-grams shared (each counted at most as often as in either text).
pub fn rouge_n(summary: &[String], reference: &[String], n: usize) -> f64 {
    let summary_grams = ngrams(summary, n);
    let reference_grams = ngrams(reference, n);
    let overlap: usize = summary_grams
        .iter()
        .map(|(gram, &count)| count.min(reference_grams.get(gram).copied().unwrap_or(0)))
        .sum();
    let summary_total = summary.len().saturating_sub(n - 1);
    let reference_total = reference.len().saturating_sub(n - 1);
    f1(overlap, summary_total, reference_total)
}

/// ROUGE-L F1: the longest common subsequence of the two word sequences.
pub fn rouge_l(summary: &[String], reference: &[String]) -> f64 {
    f1(
        lcs_length(summary, reference),
        summary.len(),
        reference.len(),
    )
}

/// F1 of `overlap` units out of `produced` (precision) and `expected` (recall).
fn f1(overlap: usize, produced: usize, expected: usize) -> f64 {
    if overlap == 0 || produced == 0 || expected == 0 {
        return 0.0;
    }
    let precision = overlap as f64 / produced as f64;
    let recall = overlap as f64 / expected as f64;
    2.0 * precision * recall / (precision + recall)
}

/// How often each n-gram of `words` occurs.
fn ngrams(words: &[String], n: usize) -> HashMap<&[String], usize> {
    let mut counts = HashMap::new();
    if n == 0 {
        return counts;
    }
    for gram in words.windows(n) {
        *counts.entry(gram).or_insert(0) += 1;
    }
    counts
}

/// The length of the longest common subsequence of `a` and `b` (dynamic programming, two rows).
fn lcs_length(a: &[String], b: &[String]) -> usize {
    let mut previous = vec![0; b.len() + 1];
    let mut current = vec![0; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            current[j + 1] = if x == y {
                previous[j] + 1
            } else {
                previous[j + 1].max(current[j])
            };
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokenize(text, "xx")
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn tokens_are_lowercased_words_of_any_script() {
        assert_eq!(
            words("Hello, World! It's 2025 -- naïve café."),
            ["hello", "world", "it", "s", "2025", "naïve", "café"]
        );
        // Vowel signs and the virama are marks and stay in the word; the danda separates.
        assert_eq!(words("নদীর পানি বাড়ছে। আজ"), ["নদীর", "পানি", "বাড়ছে", "আজ"]);
        assert_eq!(words("Река «Волга» — 3 км"), ["река", "волга", "3", "км"]);
        assert_eq!(words(" \t\n"), Vec::<String>::new());
    }

    #[test]
    fn only_english_is_stemmed() {
        assert_eq!(tokenize("Floods flooded", "en"), ["flood", "flood"]);
        assert_eq!(tokenize("Floods flooded", "fr"), ["floods", "flooded"]);
    }

    #[test]
    fn rouge_n_counts_clipped_overlap() {
        // Summary: a a b (3 unigrams); reference: a b b c (4). Overlap: a 1, b 1 = 2.
        // P = 2/3, R = 2/4, F = 2PR/(P+R) = 4/7.
        let (summary, reference) = (words("a a b"), words("a b b c"));
        assert!(close(rouge_n(&summary, &reference, 1), 4.0 / 7.0));
        // Bigrams: [a a, a b] and [a b, b b, b c]: overlap 1, P = 1/2, R = 1/3, F = 2/5.
        assert!(close(rouge_n(&summary, &reference, 2), 0.4));
        // No bigram at all in a one-word summary.
        assert_eq!(rouge_n(&words("a"), &reference, 2), 0.0);
    }

    #[test]
    fn rouge_l_uses_the_longest_common_subsequence() {
        // LCS of "a b c d e" and "a c e x": a c e (3). P = 3/5, R = 3/4, F = 2/3.
        let score = rouge_l(&words("a b c d e"), &words("a c e x"));
        assert!(close(score, 2.0 / 3.0));
        assert_eq!(rouge_l(&words("a b"), &words("c d")), 0.0);
        assert_eq!(rouge_l(&[], &words("c d")), 0.0);
    }

    #[test]
    fn several_references_are_averaged() {
        let summary = words("red boat");
        let references = [words("red boat"), words("blue car")];
        let scores = score(&summary, &references);
        assert_eq!(scores.rouge1, 0.5);
        assert_eq!(scores.rouge2, 0.5);
        assert_eq!(scores.rouge_l, 0.5);
        assert_eq!(rouge1(&summary, &references), 0.5);
        assert_eq!(score(&summary, &[]), Scores::default());
    }
}
