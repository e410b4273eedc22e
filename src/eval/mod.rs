//! Summary quality, measured: newsdigest's summaries against classic baselines and an oracle, by
//! ROUGE, on four corpora in four languages, at SMS budgets of 1, 2 and 3 segments.
//!
//! Owns [`run`] and the report it returns ([`CorpusReport`]). Reads the corpora ([`corpus`]);
//! for every document and budget it makes the summaries of every [`System`]:
//!
//! - `newsdigest lead`, `newsdigest smart`, `newsdigest default` (`auto`, the shipped default):
//!   the real pipeline ([`pipeline`]); a refusal to fit is counted and scores zero;
//! - `lead-k`, `textrank`, `lexrank` ([`baselines`]) and the greedy `oracle` ([`oracle`]), over
//!   the same sentences, cut to the same budget ([`cut`]);
//!
//! and scores each against the document's references ([`rouge`]). A corpus's score for a system
//! is the mean over its documents. For `newsdigest default` the report also gives, per ROUGE
//! measure, the share of the gap between the best baseline and the oracle that it closes
//! (`(default - best) / (oracle - best)`; negative when it is below the best baseline).

pub mod baselines;
pub mod corpus;
pub mod cut;
pub mod oracle;
pub mod pipeline;
pub mod rouge;

use std::path::Path;

use serde::Serialize;

use crate::error::Result;
use crate::rank::Strategy;
use baselines::Baseline;
use corpus::Corpus;
use cut::Budget;
use pipeline::Newsdigest;
use rouge::Scores;

/// The SMS budgets measured, in segments.
pub const BUDGETS: [usize; 3] = [1, 2, 3];

/// One summarizer the report scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum System {
    /// newsdigest's pipeline with this strategy.
    Newsdigest(Strategy),
    Baseline(Baseline),
    Oracle,
}

impl System {
    /// Every system, in the order the report shows them.
    pub const ALL: [System; 7] = [
        System::Newsdigest(Strategy::Lead),
        System::Newsdigest(Strategy::Smart),
        System::Newsdigest(Strategy::ByLanguage),
        System::Baseline(Baseline::Lead),
        System::Baseline(Baseline::TextRank),
        System::Baseline(Baseline::LexRank),
        System::Oracle,
    ];

    /// The name the report shows.
    pub fn name(self) -> &'static str {
        match self {
            System::Newsdigest(Strategy::Lead) => "newsdigest lead",
            System::Newsdigest(Strategy::Smart) => "newsdigest smart",
            System::Newsdigest(Strategy::ByLanguage) => "newsdigest default",
            System::Baseline(baseline) => baseline.name(),
            System::Oracle => "oracle",
        }
    }
}

/// One corpus's results.
#[derive(Debug, Clone, Serialize)]
pub struct CorpusReport {
    pub corpus: &'static str,
    pub language: &'static str,
    pub articles: usize,
    /// What was read and left out.
    pub notes: Vec<String>,
    pub budgets: Vec<BudgetReport>,
}

/// One corpus at one budget.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetReport {
    pub segments: usize,
    /// In [`System::ALL`]'s order.
    pub systems: Vec<SystemReport>,
    /// What `newsdigest default` closes of the gap between the best baseline and the oracle.
    pub gap_closed: GapClosed,
}

/// One system's mean scores on one corpus at one budget.
#[derive(Debug, Clone, Serialize)]
pub struct SystemReport {
    pub system: &'static str,
    #[serde(flatten)]
    pub scores: Scores,
    /// newsdigest only: how many documents the pipeline refused to fit (each scored zero).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusals: Option<usize>,
    /// newsdigest only: the first refusal's document and error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_refusal: Option<String>,
    /// newsdigest only: the mean share of the budget's capacity the messages use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity_used: Option<f64>,
}

/// Per ROUGE measure, the gap `newsdigest default` closes.
#[derive(Debug, Clone, Serialize)]
pub struct GapClosed {
    pub rouge1: Gap,
    pub rouge2: Gap,
    #[serde(rename = "rougeL")]
    pub rouge_l: Gap,
}

/// `(default - best) / (oracle - best)`, `None` when the oracle is not above the best baseline.
#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    pub best_baseline: &'static str,
    pub share: Option<f64>,
}

/// Evaluates every corpus under `dir` (all are read before any is scored, so a missing one is
/// reported at once).
pub fn run(dir: &Path) -> Result<Vec<CorpusReport>> {
    let corpora = corpus::load_all(dir)?;
    corpora.iter().map(evaluate).collect()
}

/// What one system gathered over a corpus at one budget.
#[derive(Debug, Clone, Default)]
struct Tally {
    scores: Scores,
    refusals: usize,
    first_refusal: Option<String>,
    capacity_used: f64,
}

/// Scores every system on `corpus` at every budget.
pub fn evaluate(corpus: &Corpus) -> Result<CorpusReport> {
    let language = corpus.language;
    let pipeline = Newsdigest::new(language)?;
    let mut tallies = vec![vec![Tally::default(); System::ALL.len()]; BUDGETS.len()];
    for document in &corpus.documents {
        let story = pipeline.prepare(document);
        let references: Vec<Vec<String>> = document
            .references
            .iter()
            .map(|r| rouge::tokenize(r, language))
            .collect();
        for (&segments, tallies) in BUDGETS.iter().zip(&mut tallies) {
            let budget = Budget {
                max_segments: segments,
                options: pipeline::budget(segments).options,
            };
            for (&system, tally) in System::ALL.iter().zip(tallies.iter_mut()) {
                let summary = match system {
                    System::Newsdigest(strategy) => {
                        match pipeline.summary(&story, strategy, segments) {
                            Ok(message) => {
                                tally.capacity_used += pipeline::capacity_used(&message, segments);
                                message.text
                            }
                            Err(error) => {
                                tally.refusals += 1;
                                tally
                                    .first_refusal
                                    .get_or_insert_with(|| format!("{}: {error}", document.id));
                                String::new()
                            }
                        }
                    }
                    System::Baseline(baseline) => baseline.summary(&story, &budget),
                    System::Oracle => oracle::oracle(&story, &references, &budget),
                };
                let tokens = rouge::tokenize(&summary, language);
                tally.scores = tally.scores + rouge::score(&tokens, &references);
            }
        }
    }
    let articles = corpus.documents.len();
    let budgets = BUDGETS
        .iter()
        .zip(tallies)
        .map(|(&segments, tallies)| budget_report(segments, tallies, articles))
        .collect();
    Ok(CorpusReport {
        corpus: corpus.name,
        language,
        articles,
        notes: corpus.notes.clone(),
        budgets,
    })
}

/// The means of one budget's tallies over `articles` documents, and the gap closed.
fn budget_report(segments: usize, tallies: Vec<Tally>, articles: usize) -> BudgetReport {
    let systems: Vec<SystemReport> = System::ALL
        .iter()
        .zip(tallies)
        .map(|(&system, tally)| {
            let newsdigest = matches!(system, System::Newsdigest(_));
            SystemReport {
                system: system.name(),
                scores: tally.scores.divided(articles),
                refusals: newsdigest.then_some(tally.refusals),
                first_refusal: tally.first_refusal,
                capacity_used: newsdigest.then(|| {
                    tally.capacity_used / articles.saturating_sub(tally.refusals).max(1) as f64
                }),
            }
        })
        .collect();
    let gap = |measure: fn(&Scores) -> f64| gap(&systems, measure);
    BudgetReport {
        segments,
        gap_closed: GapClosed {
            rouge1: gap(|s| s.rouge1),
            rouge2: gap(|s| s.rouge2),
            rouge_l: gap(|s| s.rouge_l),
        },
        systems,
    }
}

/// The gap `newsdigest default` closes on `measure`, against the best baseline (the oracle
/// excluded).
fn gap(systems: &[SystemReport], measure: fn(&Scores) -> f64) -> Gap {
    let score_of = |system: System| {
        systems
            .iter()
            .find(|s| s.system == system.name())
            .map_or(0.0, |s| measure(&s.scores))
    };
    let (best_baseline, best) = Baseline::ALL
        .iter()
        .map(|&b| (b.name(), score_of(System::Baseline(b))))
        .fold(("", f64::NEG_INFINITY), |best, next| {
            if next.1 > best.1 { next } else { best }
        });
    let default = score_of(System::Newsdigest(Strategy::ByLanguage));
    let oracle = score_of(System::Oracle);
    let share = (oracle - best > 1e-12).then(|| (default - best) / (oracle - best));
    Gap {
        best_baseline,
        share,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(name: &'static str, rouge1: f64) -> SystemReport {
        SystemReport {
            system: name,
            scores: Scores {
                rouge1,
                ..Scores::default()
            },
            refusals: None,
            first_refusal: None,
            capacity_used: None,
        }
    }

    #[test]
    fn gap_closed_is_measured_from_the_best_baseline() {
        let systems = [
            report("newsdigest default", 0.35),
            report("lead-k", 0.30),
            report("textrank", 0.20),
            report("lexrank", 0.25),
            report("oracle", 0.50),
        ];
        let gap = gap(&systems, |s| s.rouge1);
        assert_eq!(gap.best_baseline, "lead-k");
        assert!((gap.share.unwrap() - 0.25).abs() < 1e-12);
        // No gap to close: no share.
        let flat = [report("lead-k", 0.3), report("oracle", 0.3)];
        assert_eq!(super::gap(&flat, |s| s.rouge2).share, None);
    }

    #[test]
    fn every_system_has_a_distinct_name() {
        let mut names: Vec<&str> = System::ALL.iter().map(|s| s.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), System::ALL.len());
    }
}
