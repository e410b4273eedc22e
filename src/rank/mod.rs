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
mod words;

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
/// PageRank's damping: the share of a sentence's rank that it passes on along its edges.
const DAMPING: f64 = 0.85;

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
    let mut similarity = Matrix::zeros(n);
    let distinct = count_shared_terms(terms, &mut similarity);
    let logs: Vec<f64> = distinct
        .iter()
        .map(|&count| f64::from(count).ln())
        .collect();
    let mut largest: f64 = 0.0;
    for i in 0..n {
        for j in i + 1..n {
            let count = similarity.get(i, j);
            if count == 0.0 {
                continue;
            }
            let value = count / (logs[i] + logs[j]).max(1.0);
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

/// Counts into `counts` (at `(i, j)` for `i < j`, as whole numbers) how many distinct terms each
/// pair of sentences shares, and returns how many distinct terms each sentence holds. Each term
/// keeps the sentences that hold it, newest first (a list linked through one vector): a sentence's
/// term is counted with each earlier sentence on its list, then the sentence joins the list. Most
/// terms are in one or two sentences, so this is far cheaper than comparing every pair of
/// sentences.
fn count_shared_terms(terms: &[Vec<Term>], counts: &mut Matrix) -> Vec<u32> {
    const NONE: u32 = u32::MAX;
    let n = terms.len();
    let total = terms.iter().map(Vec::len).sum();
    // By term: its newest entry in `entries`, or `NONE`. Numbered from 0 in order of appearance,
    // the terms are fewer than `total`; other numbers make it grow.
    let mut newest: Vec<u32> = vec![NONE; total];
    // A sentence that holds a term, and the term's next older entry.
    let mut entries: Vec<(u32, u32)> = Vec::with_capacity(total);
    let mut distinct = vec![0u32; n];
    for (sentence, sentence_terms) in (0u32..).zip(terms) {
        for &term in sentence_terms {
            let term = term as usize;
            if term >= newest.len() {
                newest.resize(term + 1, NONE);
            }
            let head = newest[term];
            if head != NONE && entries[head as usize].0 == sentence {
                // A repeat within the sentence counts once.
                continue;
            }
            let mut entry = head;
            while entry != NONE {
                let (earlier, older) = entries[entry as usize];
                counts.values[earlier as usize * n + sentence as usize] += 1.0;
                entry = older;
            }
            newest[term] = entries.len() as u32;
            entries.push((sentence, head));
            distinct[sentence as usize] += 1;
        }
    }
    distinct
}

/// PageRank over the weighted graph (`graph.get(j, i)`: the weight of the edge from `j` to `i`, not
/// negative, shared out in proportion to `j`'s row; a sentence linked to nothing passes nothing
/// on): the
/// ranks `r` with `r[i] = (1 - d) / n + d * sum over j of r[j] * get(j, i) / out(j)` (`d` is
/// [`DAMPING`], `out(j)` the sum of row `j`).
///
/// They are solved for exactly, by Gaussian elimination of `(I - d M) r = (1 - d) / n`, where
/// `M[i][j] = get(j, i) / out(j)`, rather than approached by power iteration: for the dozen or so
/// sentences of a ranking window, elimination takes about a third of the instructions of the 15 to
/// 20 rounds that iteration needs to settle within 1e-6 (7 K against 20 K an article; 1-2 µs for
/// 12 sentences). It grows with the cube of the sentences: for 200, the most `smart` ranks, a dense
/// graph takes about a millisecond, some twice what 30 rounds of iteration would. With weights
/// that are not negative, each column of `d M` sums to at most `d < 1`, so the matrix is strictly
/// diagonally dominant by columns: elimination needs no pivoting and is numerically stable.
pub(crate) fn pagerank(graph: &Matrix) -> Vec<f64> {
    let n = graph.len();
    let out: Vec<f64> = (0..n).map(|j| graph.row(j).iter().sum()).collect();
    // `system[i * n + j]`: row `i` of `I - d M`.
    let mut system = vec![0.0; n * n];
    for (j, &out) in out.iter().enumerate() {
        if out > 0.0 {
            for (i, &weight) in graph.row(j).iter().enumerate() {
                system[i * n + j] = -DAMPING * weight / out;
            }
        }
    }
    for i in 0..n {
        system[i * n + i] += 1.0;
    }
    let mut rank = vec![(1.0 - DAMPING) / n as f64; n];
    // Forward elimination: below the diagonal, column after column.
    for k in 0..n {
        let (done, rest) = system.split_at_mut((k + 1) * n);
        let pivot_row = &done[k * n..];
        for (below, row) in rest.chunks_exact_mut(n).enumerate() {
            let factor = row[k] / pivot_row[k];
            if factor == 0.0 {
                continue;
            }
            for (value, &pivot_value) in row[k + 1..].iter_mut().zip(&pivot_row[k + 1..]) {
                *value -= factor * pivot_value;
            }
            rank[k + 1 + below] -= factor * rank[k];
        }
    }
    // Back substitution.
    for i in (0..n).rev() {
        let row = &system[i * n..(i + 1) * n];
        let known: f64 = row[i + 1..]
            .iter()
            .zip(&rank[i + 1..])
            .map(|(a, r)| a * r)
            .sum();
        rank[i] = (rank[i] - known) / row[i];
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::xorshift;

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
    fn similarities_count_each_shared_term_once() {
        // Against the definition, pair by pair, on generated sentences: terms repeated within
        // a sentence, terms in many sentences, sentences with no terms, and numbers with gaps.
        let mut next = xorshift(0x2545_f491_4f6c_dd1d);
        for n in 0..30 {
            let vocabulary = 1 + next() % 40;
            let terms: Vec<Vec<Term>> = (0..n)
                .map(|_| {
                    let length = next() % 12;
                    (0..length)
                        .map(|_| (next() % vocabulary) as Term * 3)
                        .collect()
                })
                .collect();
            let distinct: Vec<Vec<Term>> = terms
                .iter()
                .map(|sentence| {
                    let mut sentence = sentence.clone();
                    sentence.sort_unstable();
                    sentence.dedup();
                    sentence
                })
                .collect();
            let mut expected = Matrix::zeros(n);
            for i in 0..n {
                for j in i + 1..n {
                    let shared = distinct[i]
                        .iter()
                        .filter(|t| distinct[j].contains(t))
                        .count();
                    let logs = (distinct[i].len() as f64).ln() + (distinct[j].len() as f64).ln();
                    if shared > 0 {
                        expected.set_both(i, j, shared as f64 / logs.max(1.0));
                    }
                }
            }
            let largest = expected.values.iter().copied().fold(0.0, f64::max);
            if largest > 0.0 {
                expected
                    .values
                    .iter_mut()
                    .for_each(|value| *value /= largest);
            }
            assert_eq!(similarities(&terms), expected, "{terms:?}");
        }
    }

    /// PageRank by power iteration, to convergence: the definition [`pagerank`] solves for.
    fn pagerank_by_iteration(graph: &Matrix) -> Vec<f64> {
        let n = graph.len();
        let out: Vec<f64> = (0..n).map(|j| graph.row(j).iter().sum()).collect();
        let mut rank = vec![1.0 / n as f64; n];
        for _ in 0..2000 {
            rank = (0..n)
                .map(|i| {
                    let passed: f64 = (0..n)
                        .filter(|&j| out[j] > 0.0)
                        .map(|j| rank[j] * graph.get(j, i) / out[j])
                        .sum();
                    (1.0 - DAMPING) / n as f64 + DAMPING * passed
                })
                .collect();
        }
        rank
    }

    #[test]
    fn pagerank_is_the_fixed_point_of_power_iteration() {
        // Graphs of 1 to 40 sentences, sparse and dense, some with sentences linked to nothing,
        // and not all symmetric (LexRank's need not be), from a fixed pseudo-random sequence.
        let mut next = xorshift(0x9e37_79b9_7f4a_7c15);
        for n in 1..=40 {
            for density in [10, 50, 100] {
                let mut graph = Matrix::zeros(n);
                for i in 0..n {
                    for j in 0..n {
                        if i != j && next() % 100 < density {
                            graph.values[i * n + j] = (next() % 1000) as f64 / 1000.0;
                        }
                    }
                }
                let expected = pagerank_by_iteration(&graph);
                let found = pagerank(&graph);
                for (a, b) in found.iter().zip(&expected) {
                    assert!(
                        (a - b).abs() < 1e-12,
                        "{n} {density}: {found:?} {expected:?}"
                    );
                }
            }
        }
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
