//! The pipeline benchmark's work, as a plain program, for instruction counts with callgrind.
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
//! The article's language is not given: ingest detects it, as in the benchmark.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use newsdigest::compose::fit::{self, SmsBudget};
use newsdigest::compose::render::Renderer;
use newsdigest::compose::view::DigestView;
use newsdigest::dateline::{self, Zone};
use newsdigest::ingest;
use newsdigest::locale::Locale;
use newsdigest::rank::{self, Strategy};
use newsdigest::sms;
use newsdigest::story;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let strategy = match args.first().map(String::as_str) {
        Some("smart") => Strategy::Smart,
        _ => Strategy::Lead,
    };
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(1);
    let path = args.get(2).cloned().unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/samples/en-flood-sylhet.txt").into()
    });
    let bytes = std::fs::read(&path).expect("the article");
    let now: DateTime<Utc> = "2025-04-23T09:00:00Z".parse().unwrap();
    let (locale, zones) = match args.get(3) {
        Some(locale) => (locale.as_str(), Vec::new()),
        None => ("en", vec![Zone::Named(chrono_tz::Europe::London)]),
    };
    let renderer = Renderer::new(Arc::new(Locale::load(locale, None).unwrap()), None).unwrap();
    let mut units = 0;
    for _ in 0..rounds {
        let articles = ingest::parse_bytes("bench.txt", None, &bytes).unwrap();
        let context = dateline::Context {
            country: None,
            home: None,
            now,
        };
        let limit = story::SentenceLimit::sms(strategy, 1);
        let mut stories = story::prepare(articles, &context, limit, &mut Vec::new());
        rank::rank(&mut stories, strategy);
        let view = DigestView::new(&stories, &[1], "sms", renderer.locale(), &zones, now);
        let budget = SmsBudget {
            max_segments: 1,
            min_words: 6,
            fill: fit::DEFAULT_FILL,
            options: sms::Options {
                smart_encoding: true,
                ..Default::default()
            },
        };
        let fitted =
            fit::fit_sms(&renderer, "sms/alert.txt.tera", &view, &stories, &budget).unwrap();
        units += fitted.measurement.units;
    }
    println!("{rounds} rounds, {units} units");
}
