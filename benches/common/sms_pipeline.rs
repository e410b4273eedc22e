//! One article through every stage to a fitted SMS, as `digest` does it once the locale and
//! templates are loaded: the work `benches/pipeline.rs` times and `examples/pipeline_probe.rs`
//! counts. Shared by both with `#[path]`, so they measure the same thing.

use chrono::{DateTime, Utc};
use newsdigest::compose::fit::{self, SmsBudget};
use newsdigest::compose::render::Renderer;
use newsdigest::compose::view::DigestView;
use newsdigest::dateline::{self, Zone};
use newsdigest::ingest;
use newsdigest::rank::{self, Strategy};
use newsdigest::sms;
use newsdigest::story;

/// Parses `bytes` as wire text, splits and ranks its sentences with `strategy` (reading what a
/// one-segment SMS needs), and fits the alert template to one segment.
pub fn sms_pipeline_with(
    bytes: &[u8],
    renderer: &Renderer,
    zones: &[Zone],
    strategy: Strategy,
    now: DateTime<Utc>,
) -> sms::Measurement {
    let articles = ingest::parse_bytes("bench.txt", None, bytes).unwrap();
    let context = dateline::Context {
        country: None,
        home: None,
        now,
    };
    let limit = story::SentenceLimit::sms(strategy, 1);
    let mut stories = story::prepare(articles, &context, limit, &mut Vec::new());
    rank::rank(&mut stories, strategy);
    let view = DigestView::new(&stories, &[1], "sms", renderer.locale(), zones, now);
    let budget = SmsBudget {
        max_segments: 1,
        min_words: 6,
        fill: fit::DEFAULT_FILL,
        options: sms::Options {
            smart_encoding: true,
            ..Default::default()
        },
    };
    fit::fit_sms(renderer, "sms/alert.txt.tera", &view, &stories, &budget)
        .unwrap()
        .measurement
}
