//! The pipeline benchmark's work, as a plain program, for instruction counts with callgrind and
//! for what the smart strategy adds in time.
//!
//! Runs one article (`samples/en-flood-sylhet.txt` unless a path is given) through every stage to
//! a fitted SMS `ROUNDS` times, with the lead or the smart strategy, as `benches/pipeline.rs` does.
//! Callgrind counts are repeatable on a busy machine where wall times are not; the cost of one
//! article is the difference between two round counts, which removes the start-up:
//!
//! ```sh
//! cargo build --release --example pipeline_probe
//! valgrind --tool=callgrind target/release/examples/pipeline_probe lead 1
//! valgrind --tool=callgrind target/release/examples/pipeline_probe lead 11   # (b - a) / 10
//! ```
//!
//! A third argument names the article, a fourth the locale of the renderer (`en` with the reader
//! zone Europe/London unless given; a given locale has no reader zone, as `pipeline/sms_bn`):
//!
//! ```sh
//! valgrind --tool=callgrind target/release/examples/pipeline_probe lead 11 samples/bn-dhaka-rain.txt bn
//! ```
//!
//! `compare ROUNDS BATCHES` times what smart adds: a batch of `ROUNDS` articles with each strategy
//! in turn (which goes first alternates), `BATCHES` times, and prints each strategy's time per
//! article at the fastest batch, the first quartile and the median, and the difference of the two
//! at each. On a shared machine a neighbour slows some batches; the two strategies taken in turn,
//! many times, and read at their fastest batches keep that out of the difference better than two
//! separate criterion runs:
//!
//! ```sh
//! target/release/examples/pipeline_probe compare 1000 40
//! target/release/examples/pipeline_probe compare 1000 40 samples/bn-dhaka-rain.txt bn
//! ```
//!
//! The article's language is not given: ingest detects it, as in the benchmark.

#[path = "../benches/common/sms_pipeline.rs"]
mod common;

use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};
use common::sms_pipeline_with;
use newsdigest::compose::render::Renderer;
use newsdigest::dateline::Zone;
use newsdigest::locale::Locale;
use newsdigest::rank::Strategy;

/// One article and the renderer it is fitted with.
struct Probe {
    bytes: Vec<u8>,
    renderer: Renderer,
    zones: Vec<Zone>,
    now: DateTime<Utc>,
}

impl Probe {
    /// Runs the article through the pipeline `rounds` times; the units of all the messages.
    fn run(&self, strategy: Strategy, rounds: usize) -> usize {
        let mut units = 0;
        for _ in 0..rounds {
            let measurement =
                sms_pipeline_with(&self.bytes, &self.renderer, &self.zones, strategy, self.now);
            units += measurement.units;
        }
        units
    }

    /// Each strategy's time per article (µs) in `batches` batches of `rounds`, taken in turn, and
    /// the difference of the two at each quantile.
    fn compare(&self, rounds: usize, batches: usize) {
        let mut lead = Vec::with_capacity(batches);
        let mut smart = Vec::with_capacity(batches);
        for batch in 0..batches {
            // Which strategy goes first alternates, so neither always follows the other.
            let order = if batch % 2 == 0 {
                [Strategy::Lead, Strategy::Smart]
            } else {
                [Strategy::Smart, Strategy::Lead]
            };
            for strategy in order {
                let started = Instant::now();
                std::hint::black_box(self.run(strategy, rounds));
                let micros = started.elapsed().as_secs_f64() * 1e6 / rounds as f64;
                match strategy {
                    Strategy::Smart => smart.push(micros),
                    _ => lead.push(micros),
                }
            }
        }
        let quantiles = |times: &[f64]| [0.0, 0.25, 0.5].map(|q| nearest_rank(times, q));
        let (lead, smart) = (quantiles(&lead), quantiles(&smart));
        let added = [0, 1, 2].map(|i| smart[i] - lead[i]);
        println!(
            "µs per article, of {batches} batches of {rounds}: fastest, first quartile, median"
        );
        for (name, [fastest, quartile, median]) in
            [("lead", lead), ("smart", smart), ("smart - lead", added)]
        {
            println!("{name:<13} {fastest:>8.1} {quartile:>8.1} {median:>8.1}");
        }
    }
}

/// The `q` quantile of `values` (not empty), by the lower nearest rank: the median of 40 values is
/// the 20th smallest.
fn nearest_rank(values: &[f64], q: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[((sorted.len() - 1) as f64 * q) as usize]
}

/// The usage, printed when an argument is not understood.
const USAGE: &str = "usage: pipeline_probe lead|smart [ROUNDS [ARTICLE [LOCALE]]]\n       \
                     pipeline_probe compare [ROUNDS BATCHES [ARTICLE [LOCALE]]]\n\
                     (ROUNDS and BATCHES are numbers above 0)";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = || -> ! {
        eprintln!("{USAGE}");
        std::process::exit(2)
    };
    // The number at `at`, if given: above 0, else the usage.
    let number = |at: usize, default: usize| match args.get(at) {
        None => default,
        Some(text) => text
            .parse()
            .ok()
            .filter(|&n: &usize| n > 0)
            .unwrap_or_else(|| usage()),
    };
    let compare = match args.first().map(String::as_str) {
        Some("compare") => true,
        None | Some("lead" | "smart") => false,
        Some(_) => usage(),
    };
    // The article and the locale follow the numbers: ROUNDS, or ROUNDS BATCHES.
    let at = if compare { 3 } else { 2 };
    let path = args.get(at).cloned().unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/samples/en-flood-sylhet.txt").into()
    });
    let (locale, zones) = match args.get(at + 1) {
        Some(locale) => (locale.as_str(), Vec::new()),
        None => ("en", vec![Zone::Named(chrono_tz::Europe::London)]),
    };
    let probe = Probe {
        bytes: std::fs::read(&path).expect("the article"),
        renderer: Renderer::new(Arc::new(Locale::load(locale, None).unwrap()), None).unwrap(),
        zones,
        now: "2025-04-23T09:00:00Z".parse().unwrap(),
    };
    if compare {
        probe.compare(number(1, 1000), number(2, 40));
    } else {
        let strategy = match args.first().map(String::as_str) {
            Some("smart") => Strategy::Smart,
            _ => Strategy::Lead,
        };
        let rounds = number(1, 1);
        let units = probe.run(strategy, rounds);
        println!("{rounds} rounds, {units} units");
    }
}
