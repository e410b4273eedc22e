//! The classic extractive summarizers newsdigest is measured against, each held to the same SMS
//! budget ([`Budget`]) over the same sentences (the story's, split by our
//! [`crate::text::sentences::SentenceSplitter`]).
//!
//! Owns [`Baseline`]:
//! - `lead-k`: the article from its start, cut to the budget;
//! - `textrank` (Mihalcea and Tarau 2004): PageRank over sentence similarity, shared terms over
//!   `ln|Si| + ln|Sj|` (the same similarity and PageRank as [`crate::rank`]'s smart strategy, without
//!   its position prior and redundancy control);
//! - `lexrank` (Erkan and Radev 2004): PageRank over the graph linking sentences whose tf-idf
//!   cosine exceeds 0.1 (idf over the article's sentences).
//!
//! Terms are [`Vocabulary`]'s (lower-cased, stopwords dropped, stemmed). The graph baselines take
//! sentences in score order (ties to the earlier sentence) and show them in article order
//! ([`Budget::extract`]). Example:
//!
//! ```
//! use newsdigest::eval::baselines::textrank;
//! let sentences = [
//!     "Floods closed schools in Sylhet on Monday.",
//!     "A football match was postponed.",
//!     "Schools in Sylhet stay closed while floods persist.",
//! ];
//! assert_eq!(textrank(&sentences, "en")[2], 1); // the sentence sharing nothing comes last
//! ```

use std::collections::HashMap;

use crate::eval::cut::Budget;
use crate::rank::terms::{Term, Vocabulary};
use crate::rank::{Matrix, pagerank, similarities};
use crate::story::Story;

/// LexRank's edge threshold on tf-idf cosine similarity.
const LEXRANK_THRESHOLD: f64 = 0.1;

/// One baseline summarizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Baseline {
    Lead,
    TextRank,
    LexRank,
}

impl Baseline {
    pub const ALL: [Baseline; 3] = [Baseline::Lead, Baseline::TextRank, Baseline::LexRank];

    /// The name the report shows.
    pub fn name(self) -> &'static str {
        match self {
            Baseline::Lead => "lead-k",
            Baseline::TextRank => "textrank",
            Baseline::LexRank => "lexrank",
        }
    }

    /// This baseline's summary of `story`, within `budget`.
    pub fn summary(self, story: &Story, budget: &Budget) -> String {
        let sentences: Vec<&str> = story.sentences.iter().map(String::as_str).collect();
        let language = story.article.language.as_str();
        match self {
            Baseline::Lead => budget.cut(&story.join(&(0..sentences.len()).collect::<Vec<_>>())),
            Baseline::TextRank => budget.extract(story, &textrank(&sentences, language)),
            Baseline::LexRank => budget.extract(story, &lexrank(&sentences, language)),
        }
    }
}

/// The indices of `sentences` (of an article in `lang`) by TextRank score, best first.
pub fn textrank(sentences: &[&str], lang: &str) -> Vec<usize> {
    let terms = Vocabulary::for_language(lang).terms(sentences);
    by_score(&pagerank(&similarities(&terms)))
}

/// The indices of `sentences` (of an article in `lang`) by LexRank score, best first.
pub fn lexrank(sentences: &[&str], lang: &str) -> Vec<usize> {
    let vectors = tf_idf(&Vocabulary::for_language(lang).tokens(sentences));
    let n = vectors.len();
    let mut graph = Matrix::zeros(n);
    // No self-loops: with them, a sentence linked to nothing would keep its own rank.
    for i in 0..n {
        for j in i + 1..n {
            if cosine(&vectors[i], &vectors[j]) > LEXRANK_THRESHOLD {
                graph.set_both(i, j, 1.0);
            }
        }
    }
    by_score(&pagerank(&graph))
}

/// Each sentence's tf-idf weights, idf = ln(sentences / sentences holding the term).
fn tf_idf(tokens: &[Vec<Term>]) -> Vec<HashMap<Term, f64>> {
    let mut document_frequency: HashMap<Term, usize> = HashMap::new();
    for sentence in tokens {
        let mut distinct = sentence.clone();
        distinct.sort_unstable();
        distinct.dedup();
        for term in distinct {
            *document_frequency.entry(term).or_insert(0) += 1;
        }
    }
    let n = tokens.len() as f64;
    tokens
        .iter()
        .map(|sentence| {
            let mut weights: HashMap<Term, f64> = HashMap::new();
            for term in sentence {
                *weights.entry(*term).or_insert(0.0) += 1.0;
            }
            for (term, weight) in &mut weights {
                *weight *= (n / document_frequency[term] as f64).ln();
            }
            weights
        })
        .collect()
}

/// The cosine of two sparse vectors (0 when either is zero).
fn cosine(a: &HashMap<Term, f64>, b: &HashMap<Term, f64>) -> f64 {
    let dot: f64 = a
        .iter()
        .filter_map(|(term, x)| b.get(term).map(|y| x * y))
        .sum();
    let norm = |v: &HashMap<Term, f64>| v.values().map(|x| x * x).sum::<f64>().sqrt();
    let norms = norm(a) * norm(b);
    if norms > 0.0 { dot / norms } else { 0.0 }
}

/// Indices sorted by score, highest first; equal scores keep article order.
fn by_score(scores: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENTENCES: [&str; 4] = [
        "The river flooded the valley farms overnight.",
        "Valley farms flooded when the river rose.",
        "A poetry festival opens on Friday.",
        "The river flooded valley farms again.",
    ];

    #[test]
    fn the_unconnected_sentence_ranks_last() {
        assert_eq!(textrank(&SENTENCES, "en")[3], 2);
        assert_eq!(lexrank(&SENTENCES, "en")[3], 2);
    }

    #[test]
    fn every_sentence_is_ranked_once() {
        for order in [textrank(&SENTENCES, "en"), lexrank(&SENTENCES, "en")] {
            let mut sorted = order.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, [0, 1, 2, 3]);
        }
        assert!(textrank(&[], "en").is_empty() && lexrank(&[], "en").is_empty());
    }

    #[test]
    fn tf_idf_weighs_rare_terms() {
        // Term 1 is in both sentences (idf 0), term 2 in one (idf ln 2), twice there.
        let vectors = tf_idf(&[vec![1, 2, 2], vec![1]]);
        assert_eq!(vectors[0][&1], 0.0);
        assert!((vectors[0][&2] - 2.0 * 2f64.ln()).abs() < 1e-12);
        assert_eq!(cosine(&vectors[0], &vectors[1]), 0.0);
    }

    #[test]
    fn ties_keep_article_order() {
        assert_eq!(by_score(&[0.2, 0.5, 0.2, 0.5]), [1, 3, 0, 2]);
    }
}
