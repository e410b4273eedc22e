//! Which sentences a story's summary carries first: the lead, or the lead and then the sentences
//! that carry most of what the article says.
//!
//! Owns [`Strategy`] and [`rank`]. Reads a story's sentences and its language's vocabulary
//! ([`terms`]); writes the story's sentence order ([`crate::story::Story::order`]): the summary of
//! `n` sentences is the first `n` of that order, shown in article order. `lead` keeps the article's
//! order. `smart` keeps the first sentence first, then scores every other sentence by its
//! centrality (PageRank over TextRank similarity: shared stemmed terms over the log of the
//! sentences' lengths) times a position prior (measured: none beyond the lead), and picks greedily the best score minus its
//! similarity to what is already picked (redundancy control). Deterministic: ties go to the
//! earlier sentence. Example:
//!
//! ```
//! use newsdigest::rank::{rank_sentences, Strategy};
//! let sentences = [
//!     "Floods closed schools in Sylhet on Monday.",
//!     "The weather office said more rain is due.",
//!     "A football match was also postponed.",
//!     "Schools in Sylhet will stay closed while floods persist, officials said.",
//! ];
//! assert_eq!(rank_sentences(&sentences, "en", Strategy::Lead), [0, 1, 2, 3]);
//! assert_eq!(rank_sentences(&sentences, "en", Strategy::Smart)[..2], [0, 3]);
//! ```

pub mod terms;

use std::collections::HashMap;

use crate::story::Story;
use terms::Vocabulary;

/// How a story's summary sentences are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strategy {
    /// The article's own order.
    Lead,
    /// The lead sentence, then the most central sentences (see the module documentation).
    Smart,
    /// Each article's language decides (`strategy` in `locales/<lang>/summary.toml`, chosen by
    /// measurement with `newsdigest eval`), else `lead`.
    #[default]
    ByLanguage,
}

impl Strategy {
    /// `lead`, `smart` or `auto`.
    pub fn parse(name: &str) -> Option<Strategy> {
        match name {
            "lead" => Some(Strategy::Lead),
            "smart" => Some(Strategy::Smart),
            "auto" => Some(Strategy::ByLanguage),
            _ => None,
        }
    }

    /// The strategy used for an article in `lang`.
    pub fn for_language(self, lang: &str) -> Strategy {
        match self {
            Strategy::ByLanguage => Vocabulary::for_language(lang)
                .strategy
                .as_deref()
                .and_then(Strategy::parse)
                .filter(|s| *s != Strategy::ByLanguage)
                .unwrap_or(Strategy::Lead),
            other => other,
        }
    }
}

/// Sets each story's sentence order by `strategy`.
pub fn rank(stories: &mut [Story], strategy: Strategy) {
    for story in stories {
        let sentences: Vec<&str> = story.sentences.iter().map(String::as_str).collect();
        story.order = rank_sentences(&sentences, &story.article.language, strategy);
    }
}

/// How much a later sentence's score is discounted by its position: `1 / (1 + i)^POSITION_DECAY`.
/// Measured with `newsdigest eval` (BENCHMARKS.md): with the lead kept first, any further position
/// prior (0.15, 0.3, 0.5) lowered ROUGE on the BBC and BNLPC corpora at 2 and 3 segments, so none.
const POSITION_DECAY: f64 = 0.0;
/// How much similarity to already picked sentences counts against a candidate (0, 0.15 and 0.3
/// measured: 0.3 best).
const REDUNDANCY: f64 = 0.3;
/// PageRank damping and iterations.
const DAMPING: f64 = 0.85;
const ITERATIONS: usize = 30;

/// The order in which `sentences` (of an article in `lang`) enter its summary.
pub fn rank_sentences(sentences: &[&str], lang: &str, strategy: Strategy) -> Vec<usize> {
    let identity: Vec<usize> = (0..sentences.len()).collect();
    if strategy.for_language(lang) != Strategy::Smart || sentences.len() < 3 {
        return identity;
    }
    // The similarity matrix is quadratic: only the first sentences are ranked (far more than any
    // summary holds); the rest follow in article order.
    let ranked = sentences.len().min(MAX_RANKED_SENTENCES);
    let mut order = rank_smart(&sentences[..ranked], lang);
    order.extend(ranked..sentences.len());
    order
}

/// The most sentences of one article that `smart` ranks.
const MAX_RANKED_SENTENCES: usize = 200;

/// The `smart` order of `sentences` (at least three).
fn rank_smart(sentences: &[&str], lang: &str) -> Vec<usize> {
    let vocabulary = Vocabulary::for_language(lang);
    let mut ids = HashMap::new();
    let terms: Vec<Vec<u32>> = sentences
        .iter()
        .map(|s| vocabulary.terms(s, &mut ids))
        .collect();
    let similarity = similarities(&terms);
    let centrality = pagerank(&similarity);
    let score: Vec<f64> = centrality
        .iter()
        .enumerate()
        .map(|(i, c)| c / (1.0 + i as f64).powf(POSITION_DECAY))
        .collect();
    let best = score.iter().cloned().fold(f64::MIN_POSITIVE, f64::max);
    let mut order = vec![0];
    let mut left: Vec<usize> = (1..sentences.len()).collect();
    while !left.is_empty() {
        let value = |i: usize| {
            let redundancy = order.iter().map(|&j| similarity[i][j]).fold(0.0, f64::max);
            score[i] / best - REDUNDANCY * redundancy
        };
        let (position, _) = left.iter().enumerate().fold(
            (0, f64::NEG_INFINITY),
            |(best_at, best_value), (at, &i)| {
                let v = value(i);
                if v > best_value {
                    (at, v)
                } else {
                    (best_at, best_value)
                }
            },
        );
        order.push(left.remove(position));
    }
    order
}

/// TextRank similarity: shared terms over the sum of the logs of the sentences' term counts,
/// scaled to 0..=1 by the largest. `terms` holds each sentence's sorted, distinct term ids.
pub(crate) fn similarities(terms: &[Vec<u32>]) -> Vec<Vec<f64>> {
    let n = terms.len();
    let mut similarity = vec![vec![0.0; n]; n];
    let mut largest: f64 = 0.0;
    for i in 0..n {
        for j in i + 1..n {
            let shared = shared_count(&terms[i], &terms[j]);
            if shared == 0 {
                continue;
            }
            let norm = (terms[i].len() as f64).ln() + (terms[j].len() as f64).ln();
            let value = shared as f64 / norm.max(1.0);
            similarity[i][j] = value;
            similarity[j][i] = value;
            largest = largest.max(value);
        }
    }
    if largest > 0.0 {
        for row in &mut similarity {
            for value in row {
                *value /= largest;
            }
        }
    }
    similarity
}

/// How many ids two sorted lists share.
fn shared_count(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut count) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                count += 1;
                i += 1;
                j += 1;
            }
        }
    }
    count
}

/// PageRank over the weighted similarity graph (`similarity[j][i]`: the weight of the edge from
/// `j` to `i`, shared out in proportion to `j`'s row).
pub(crate) fn pagerank(similarity: &[Vec<f64>]) -> Vec<f64> {
    let n = similarity.len();
    let out: Vec<f64> = similarity.iter().map(|row| row.iter().sum()).collect();
    let mut rank = vec![1.0 / n as f64; n];
    for _ in 0..ITERATIONS {
        let next: Vec<f64> = (0..n)
            .map(|i| {
                let inflow: f64 = (0..n)
                    .filter(|&j| out[j] > 0.0)
                    .map(|j| similarity[j][i] / out[j] * rank[j])
                    .sum();
                (1.0 - DAMPING) / n as f64 + DAMPING * inflow
            })
            .collect();
        rank = next;
    }
    rank
}
