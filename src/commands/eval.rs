//! `newsdigest eval [CORPORA_DIR]`: summary quality on the shared corpora, as one table.
//!
//! Runs [`newsdigest::eval::run`] and prints, per corpus, budget and system, the mean ROUGE-1,
//! ROUGE-2 and ROUGE-L F1 (times 100), for newsdigest's systems the mean share of the SMS capacity
//! used and the refusals, and for `newsdigest default` the share of the baseline-to-oracle gap it
//! closes; then the corpora's notes and the wall time. `--format json` prints the same as
//! `{"corpora":[...],"wall_seconds":..}`. A missing folder is an error naming it (exit 66).
//! Example: `newsdigest eval ../shared/corpora`.

use std::fmt::Write as _;
use std::time::Instant;

use newsdigest::error::Result;
use newsdigest::eval::{self, CorpusReport, Gap};
use newsdigest::rank::Strategy;
use serde::Serialize;

use super::Io;
use crate::cli::{EvalArgs, Format};
use crate::output::{self, print};

pub fn run(args: EvalArgs, io: &mut Io<'_>) -> Result<()> {
    let started = Instant::now();
    let corpora = eval::run(&args.corpora)?;
    let wall_seconds = started.elapsed().as_secs_f64();
    match args.format {
        Format::Json => print(
            io,
            &output::to_json(&Json {
                corpora: &corpora,
                wall_seconds,
            }),
        ),
        Format::Text => print(io, &table(&corpora, wall_seconds)),
    }
}

#[derive(Serialize)]
struct Json<'a> {
    corpora: &'a [CorpusReport],
    wall_seconds: f64,
}

/// The whole text report: the table, the notes, the wall time.
fn table(corpora: &[CorpusReport], wall_seconds: f64) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "ROUGE F1 x 100, mean over articles; every summary fits the SMS budget (seg segments)\n"
    );
    let _ = writeln!(
        out,
        "{:<20} {:>3} {:>8} {:<18} {:>6} {:>5} {:>5} {:>5} {:>7}  gap closed R-1 / R-2 / R-L",
        "corpus", "seg", "articles", "system", "R-1", "R-2", "R-L", "used", "refused"
    );
    let mut refusals = Vec::new();
    for corpus in corpora {
        for budget in &corpus.budgets {
            for system in &budget.systems {
                let used = system
                    .capacity_used
                    .map_or(String::new(), |u| format!("{u:.2}"));
                let refused = system.refusals.map_or(String::new(), |r| r.to_string());
                let gap = if system.system == "newsdigest default" {
                    gap_text(&budget.gap_closed)
                } else {
                    String::new()
                };
                let line = format!(
                    "{:<20} {:>3} {:>8} {:<18} {:>6.2} {:>5.2} {:>5.2} {:>5} {:>7}  {gap}",
                    corpus.corpus,
                    budget.segments,
                    corpus.articles,
                    system.system,
                    system.scores.rouge1 * 100.0,
                    system.scores.rouge2 * 100.0,
                    system.scores.rouge_l * 100.0,
                    used,
                    refused,
                );
                let _ = writeln!(out, "{}", line.trim_end());
                if let Some(first) = &system.first_refusal {
                    refusals.push(format!(
                        "{} {} segment(s) {}: {} refused, first {first}",
                        corpus.corpus,
                        budget.segments,
                        system.system,
                        system.refusals.unwrap_or(0)
                    ));
                }
            }
        }
    }
    let _ = writeln!(out, "\nnotes:");
    for corpus in corpora {
        for note in &corpus.notes {
            let _ = writeln!(out, "  {}: {note}", corpus.corpus);
        }
    }
    let defaults: Vec<String> = corpora
        .iter()
        .map(|c| {
            let strategy = match Strategy::ByLanguage.for_language(c.language) {
                Strategy::Smart => "smart",
                _ => "lead",
            };
            format!("{strategy} ({})", c.language)
        })
        .collect();
    let _ = writeln!(
        out,
        "  newsdigest default: each language's strategy (locales/<lang>/summary.toml, else lead): {}",
        defaults.join(", ")
    );
    let _ = writeln!(
        out,
        "  SMS measured with the default options (GSM-7, else UCS-2; no smart encoding)"
    );
    let _ = writeln!(
        out,
        "  used: mean units / capacity of the budget, newsdigest messages only\n  \
         gap closed: (default - best baseline) / (oracle - best baseline), the best of lead-k, \
         textrank and lexrank per measure\n  \
         refused: the pipeline's refusals to fit (scored zero): {}",
        if refusals.is_empty() {
            "none"
        } else {
            "see below"
        }
    );
    for refusal in refusals {
        let _ = writeln!(out, "  refusal: {refusal}");
    }
    let _ = writeln!(out, "\nwall time: {wall_seconds:.1} s");
    out
}

/// `+25% / +10% / -5% vs lead-k` (the best baselines named once when they agree).
fn gap_text(gap: &eval::GapClosed) -> String {
    let gaps: [&Gap; 3] = [&gap.rouge1, &gap.rouge2, &gap.rouge_l];
    let shares: Vec<String> = gaps
        .iter()
        .map(|g| {
            g.share
                .map_or("-".into(), |s| format!("{:+.0}%", s * 100.0))
        })
        .collect();
    let mut names: Vec<&str> = gaps.iter().map(|g| g.best_baseline).collect();
    if names.iter().all(|n| *n == names[0]) {
        names.truncate(1);
    }
    format!("{} vs {}", shares.join(" / "), names.join("/"))
}
