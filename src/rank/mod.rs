//! Which sentences a story's summary carries first: the lead, or the sentences that carry most of
//! what the article says.
//!
//! Owns [`Strategy`] and [`rank`]. Reads a story's sentences and its language's vocabulary
//! ([`terms`]); writes the story's sentence order ([`crate::story::Story::order`]): the summary of
//! `n` sentences is the first `n` of that order, shown in article order. `lead` keeps the article's
//! order. `smart` scores every sentence by its centrality (PageRank over TextRank similarity:
//! shared stemmed terms over the log of the sentences' lengths) times a position prior (the first
//! sentence's weight, `lead_weight` in `locales/<lang>/summary.toml`, measured per language with
//! `newsdigest eval`; no prior on later positions), and picks greedily the best score minus its
//! similarity to what is already picked (redundancy control). Only the sentences that start in
//! the first [`WINDOW_CHARS`] characters are ranked; the rest follow in article order, so an SMS
//! digest reads no further ([`crate::story::SentenceLimit::sms`]). Deterministic: ties go to the
//! earlier sentence. Costs a few microseconds per article: terms are integers, each distinct word
//! is stemmed once per process, and the matrices are flat. Example:
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

use crate::story::Story;
use terms::{Term, Vocabulary};

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

/// How much similarity to already picked sentences counts against a candidate (0, 0.15 and 0.3
/// measured: 0.3 best).
const REDUNDANCY: f64 = 0.3;
/// PageRank damping, the most iterations, and the change in the ranks (summed over the sentences;
/// the ranks sum to at most 1) below which they are taken as converged (`networkx.pagerank` allows 1e-6 per
/// sentence).
const DAMPING: f64 = 0.85;
const ITERATIONS: usize = 30;
const TOLERANCE: f64 = 1e-6;

/// The order in which `sentences` (of an article in `lang`) enter its summary.
pub fn rank_sentences(sentences: &[&str], lang: &str, strategy: Strategy) -> Vec<usize> {
    let identity: Vec<usize> = (0..sentences.len()).collect();
    if strategy.for_language(lang) != Strategy::Smart || sentences.len() < 3 {
        return identity;
    }
    // Only the sentences that start in the first `WINDOW_CHARS` characters are ranked (at least
    // three); the rest follow in article order.
    let ranked = window(sentences, WINDOW_CHARS);
    let mut order = rank_smart(&sentences[..ranked], &Vocabulary::for_language(lang));
    order.extend(ranked..sentences.len());
    order
}

/// How many of `sentences` `smart` ranks: those that start within the first `chars` characters
/// of the article's sentences (their lengths added up: the opener and the spaces between them are
/// not counted, as `story::prepare` counts when it reads), at least three, at most
/// [`MAX_RANKED_SENTENCES`].
fn window(sentences: &[&str], chars: usize) -> usize {
    let mut read = 0;
    let within = sentences
        .iter()
        .take_while(|sentence| {
            let starts_within = read < chars;
            read += sentence.chars().count();
            starts_within
        })
        .count();
    within.clamp(3, MAX_RANKED_SENTENCES).min(sentences.len())
}

/// The first characters of an article whose sentences `smart` ranks: an SMS summary (one to three
/// segments, at most 459 characters) seldom gains from a sentence further on, and reading and
/// ranking cost grows with every sentence. Measured with `newsdigest eval` (BENCHMARKS.md, of 400,
/// 600, 800, 1000, 1200, 1500, 2000, 2200, 2500 and 3000): 1500 is the smallest that keeps `smart`
/// within 0.3 ROUGE-1 of the best baseline on every corpus and budget (the closest, English at one
/// segment, 0.22 below TextRank; 0.14 with 2000). It is chosen for the cost: a window of 2000
/// characters adds about 60 K instructions an article to the pipeline (smart - lead 219 K against
/// 157 K, measured before PageRank's convergence test), which the selection's budget (20 µs an
/// article) does not allow.
pub const WINDOW_CHARS: usize = 1500;

/// The most sentences of one article that `smart` ranks.
const MAX_RANKED_SENTENCES: usize = 200;

/// The `smart` order of `sentences` (at least three): centrality times the lead's weight, then
/// greedily the best score less the similarity to what is already picked.
fn rank_smart(sentences: &[&str], vocabulary: &Vocabulary) -> Vec<usize> {
    // Repeated terms count once: the tokens need not be sorted and deduplicated first.
    let similarity = similarities(&vocabulary.tokens(sentences));
    let mut score = pagerank(&similarity);
    score[0] *= vocabulary.lead_weight;
    let best = score.iter().copied().fold(f64::MIN_POSITIVE, f64::max);
    for value in &mut score {
        *value /= best;
    }
    // Each candidate's similarity to the closest sentence picked so far.
    let mut redundancy = vec![0.0; sentences.len()];
    let mut left: Vec<usize> = (0..sentences.len()).collect();
    let mut order = Vec::with_capacity(sentences.len());
    while !left.is_empty() {
        let mut pick = 0;
        let mut pick_value = f64::NEG_INFINITY;
        for (at, &i) in left.iter().enumerate() {
            let value = score[i] - REDUNDANCY * redundancy[i];
            // Strictly greater: equal values go to the earlier sentence.
            if value > pick_value {
                (pick, pick_value) = (at, value);
            }
        }
        let picked = left.remove(pick);
        for &i in &left {
            redundancy[i] = f64::max(redundancy[i], similarity.get(picked, i));
        }
        order.push(picked);
    }
    order
}

/// A square matrix of sentence similarities (or edge weights), row by row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Matrix {
    n: usize,
    values: Vec<f64>,
}

impl Matrix {
    /// `n` by `n` zeros.
    pub(crate) fn zeros(n: usize) -> Matrix {
        Matrix {
            n,
            values: vec![0.0; n * n],
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.n
    }

    pub(crate) fn get(&self, row: usize, column: usize) -> f64 {
        self.values[row * self.n + column]
    }

    /// Sets both `(i, j)` and `(j, i)`.
    pub(crate) fn set_both(&mut self, i: usize, j: usize, value: f64) {
        self.values[i * self.n + j] = value;
        self.values[j * self.n + i] = value;
    }

    fn row(&self, row: usize) -> &[f64] {
        &self.values[row * self.n..(row + 1) * self.n]
    }
}

/// TextRank similarity: shared terms over the sum of the logs of the sentences' term counts,
/// scaled to 0..=1 by the largest. `terms` holds each sentence's terms, numbered from 0 as
/// [`Vocabulary::tokens`] numbers them; only distinct ones count (a term repeated in a sentence
/// counts once), in any order.
pub(crate) fn similarities(terms: &[Vec<Term>]) -> Matrix {
    let n = terms.len();
    let SharedTerms { shared, distinct } = shared_terms(terms);
    let logs: Vec<f64> = distinct
        .iter()
        .map(|&count| f64::from(count).ln())
        .collect();
    let mut similarity = Matrix::zeros(n);
    let mut largest: f64 = 0.0;
    for i in 0..n {
        for j in i + 1..n {
            let count = shared[i * n + j];
            if count == 0 {
                continue;
            }
            let value = f64::from(count) / (logs[i] + logs[j]).max(1.0);
            similarity.set_both(i, j, value);
            largest = largest.max(value);
        }
    }
    if largest > 0.0 {
        for value in &mut similarity.values {
            *value /= largest;
        }
    }
    similarity
}

/// What [`shared_terms`] counts.
struct SharedTerms {
    /// How many distinct terms each pair of sentences shares (`[i * n + j]` for `i < j`).
    shared: Vec<u32>,
    /// How many distinct terms each sentence holds.
    distinct: Vec<u32>,
}

/// Counts shared terms: each term's sentences are listed (a counting sort by term, which keeps
/// them in article order), and each term's sentences are counted pairwise. Most terms are in one
/// or two sentences, so this is far cheaper than comparing every pair of sentences.
fn shared_terms(terms: &[Vec<Term>]) -> SharedTerms {
    let n = terms.len();
    let total: usize = terms.iter().map(Vec::len).sum();
    let count = terms
        .iter()
        .flatten()
        .max()
        .map_or(0, |&term| term as usize + 1);
    // The last sentence each term was counted in (`u32::MAX`: none yet): a repeat counts once.
    let mut last_sentence = vec![u32::MAX; count];
    let mut occurrences: Vec<(Term, u32)> = Vec::with_capacity(total);
    let mut distinct = vec![0u32; n];
    // How many sentences hold each term, at `[term + 1]`; then where each term's list starts.
    let mut starts = vec![0u32; count + 1];
    for (sentence, sentence_terms) in (0u32..).zip(terms) {
        for &term in sentence_terms {
            let last = &mut last_sentence[term as usize];
            if *last == sentence {
                continue;
            }
            *last = sentence;
            occurrences.push((term, sentence));
            starts[term as usize + 1] += 1;
            distinct[sentence as usize] += 1;
        }
    }
    for term in 0..count {
        starts[term + 1] += starts[term];
    }
    // Each term's sentences, in article order, term after term.
    let mut filled = starts.clone();
    let mut by_term = vec![0u32; occurrences.len()];
    for &(term, sentence) in &occurrences {
        by_term[filled[term as usize] as usize] = sentence;
        filled[term as usize] += 1;
    }
    let mut shared = vec![0u32; n * n];
    for bounds in starts.windows(2) {
        let sentences = &by_term[bounds[0] as usize..bounds[1] as usize];
        for (at, &i) in sentences.iter().enumerate() {
            for &j in &sentences[at + 1..] {
                // In article order, and each sentence once per term: i < j.
                shared[i as usize * n + j as usize] += 1;
            }
        }
    }
    SharedTerms { shared, distinct }
}

/// PageRank over the weighted graph (`graph.get(j, i)`: the weight of the edge from `j` to `i`,
/// shared out in proportion to `j`'s row; a sentence linked to nothing passes nothing on), by
/// power iteration until the ranks converge ([`TOLERANCE`]) or for [`ITERATIONS`] rounds.
///
/// Only the edges of nonzero weight are visited: with finite weights, a zero weight adds `+0.0`
/// to a rank that is not negative, which changes nothing, so the ranks are the same to the last
/// bit as summing every row in full, in the same order.
pub(crate) fn pagerank(graph: &Matrix) -> Vec<f64> {
    let n = graph.len();
    // Each row's nonzero weights scaled by the row's sum: the share of a sentence's rank each
    // neighbour receives. Row `j`'s edges are `targets[ends[j]..ends[j + 1]]`.
    let mut targets: Vec<u32> = Vec::with_capacity(n * n);
    let mut shares: Vec<f64> = Vec::with_capacity(n * n);
    let mut ends = Vec::with_capacity(n + 1);
    ends.push(0);
    for j in 0..n {
        let row = graph.row(j);
        let out: f64 = row.iter().sum();
        if out > 0.0 {
            for (i, &weight) in (0u32..).zip(row) {
                if weight != 0.0 {
                    targets.push(i);
                    shares.push(weight / out);
                }
            }
        }
        ends.push(targets.len());
    }
    let teleport = (1.0 - DAMPING) / n as f64;
    let mut rank = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    for _ in 0..ITERATIONS {
        next.fill(0.0);
        for (j, &from) in rank.iter().enumerate() {
            let share = DAMPING * from;
            let edges = ends[j]..ends[j + 1];
            for (&to, &weight) in targets[edges.clone()].iter().zip(&shares[edges]) {
                next[to as usize] += share * weight;
            }
        }
        for value in &mut next {
            *value += teleport;
        }
        let change: f64 = rank.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut rank, &mut next);
        if change < TOLERANCE {
            break;
        }
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENTENCES: [&str; 5] = [
        "A festival opened in the old town of Sylhet on Friday.",
        "Floods closed schools across Sylhet as rivers rose.",
        "Rivers rose above the danger mark and floods spread to Sylhet schools.",
        "Schools in Sylhet stay closed while the floods and high rivers last.",
        "The festival will run until Sunday.",
    ];

    #[test]
    fn a_lead_far_less_central_than_another_sentence_gives_way() {
        // English weighs the lead 1.15: the flood sentences share far more with the article.
        let order = rank_sentences(&SENTENCES, "en", Strategy::Smart);
        assert_ne!(order[0], 0, "{order:?}");
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, [0, 1, 2, 3, 4]);
        // The lead strategy keeps the article's order.
        assert_eq!(
            rank_sentences(&SENTENCES, "en", Strategy::Lead),
            [0, 1, 2, 3, 4]
        );
    }

    #[test]
    fn the_most_central_sentences_come_first() {
        let order = rank_sentences(&SENTENCES, "en", Strategy::Smart);
        let first_two: Vec<usize> = order[..2].to_vec();
        assert!(first_two.iter().all(|&i| (1..=3).contains(&i)), "{order:?}");
    }

    #[test]
    fn only_the_sentences_in_the_window_are_ranked() {
        // Filler sentences of 398 characters fill the window; the next, the most central of all
        // (it shares terms with every other), starts past it and keeps its place.
        let fillers = WINDOW_CHARS.div_ceil(398);
        let filler: Vec<String> = (0..fillers)
            .map(|i| format!("Sentence {i} tells of floods. {}", "x ".repeat(185)))
            .collect();
        let mut sentences: Vec<&str> = filler.iter().map(String::as_str).collect();
        sentences.push("Floods floods floods in every sentence.");
        sentences.push("A last word.");
        assert_eq!(window(&sentences, WINDOW_CHARS), fillers);
        let order = rank_sentences(&sentences, "en", Strategy::Smart);
        assert_eq!(order[fillers..], [fillers, fillers + 1]);
        // Each sentence that starts within the window counts, however far it runs past it: the
        // fourth starts at character 1194.
        assert_eq!(window(&sentences, 1194), 3);
        assert_eq!(window(&sentences, 1195), 4);
        // At least three are ranked, at most all of them.
        assert_eq!(window(&sentences, 1), 3);
        assert_eq!(window(&sentences[..2], 1), 2);
        assert_eq!(window(&SENTENCES, usize::MAX), 5);
    }

    #[test]
    fn pagerank_shares_rank_by_edge_weight() {
        let mut graph = Matrix::zeros(3);
        graph.set_both(0, 1, 1.0);
        graph.set_both(1, 2, 1.0);
        let rank = pagerank(&graph);
        // The middle sentence is linked to both others: it ranks highest; the ends tie.
        assert!(
            rank[1] > rank[0] && (rank[0] - rank[2]).abs() < 1e-12,
            "{rank:?}"
        );
        assert!((rank.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }
}
