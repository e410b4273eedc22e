//! Whole-pipeline and per-stage benchmarks on a ~700-word article.
//!
//! The pipeline is what `digest` does per article once the locale and templates are loaded:
//! parse the wire text, split sentences, read the dateline, build the view, render and fit the
//! SMS. Inputs: `samples/en-flood-sylhet.txt` (691 words, ours) and `samples/bn-dhaka-rain.txt`;
//! the shared seed article (`../shared/seed/`, third-party text) is benchmarked too when it is
//! present beside the repository, and skipped with a message when it is not.
//! Target: well under 0.1 ms per article (sumy's Python summarizers take ~21 ms); the smart
//! strategy (`sms_en_700_words_smart`, which reads and ranks the article's first
//! `rank::WINDOW_CHARS` characters, as `digest` does) within 20 µs of the lead.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use newsdigest::compose::render::Renderer;
use newsdigest::compose::view::DigestView;
use newsdigest::dateline::{self, Zone};
use newsdigest::ingest;
use newsdigest::locale::Locale;
use newsdigest::rank::{self, Strategy};
use newsdigest::sms;
use newsdigest::story;
use newsdigest::text::sentences::SentenceSplitter;

#[path = "common/sms_pipeline.rs"]
mod common;
use common::sms_pipeline_with;

const SEED: &str = "../shared/seed/000_4e20828765b51fc9.txt";

fn now() -> DateTime<Utc> {
    "2025-04-23T09:00:00Z".parse().unwrap()
}

/// One article through every stage, to a fitted SMS, with the lead strategy (reading only as
/// much of the body as fits).
fn sms_pipeline(bytes: &[u8], renderer: &Renderer, zones: &[Zone]) -> sms::Measurement {
    sms_pipeline_with(bytes, renderer, zones, Strategy::Lead, now())
}

fn renderer(tag: &str) -> Renderer {
    Renderer::new(Arc::new(Locale::load(tag, None).unwrap()), None).unwrap()
}

fn pipeline(c: &mut Criterion) {
    let en =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/en-flood-sylhet.txt"))
            .unwrap();
    let bn = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/bn-dhaka-rain.txt"))
        .unwrap();
    let en_renderer = renderer("en");
    let bn_renderer = renderer("bn");
    let london = vec![Zone::Named(chrono_tz::Europe::London)];

    let mut group = c.benchmark_group("pipeline");
    group.bench_function("sms_en_700_words", |b| {
        b.iter(|| sms_pipeline(black_box(&en), &en_renderer, &london))
    });
    // The smart strategy's cost is the difference between this and sms_en_700_words.
    group.bench_function("sms_en_700_words_smart", |b| {
        b.iter(|| {
            sms_pipeline_with(
                black_box(&en),
                &en_renderer,
                &london,
                Strategy::Smart,
                now(),
            )
        })
    });
    let sentences: Vec<String> = {
        let articles = ingest::parse_bytes("bench.txt", None, &en).unwrap();
        let context = dateline::Context {
            country: None,
            home: None,
            now: now(),
        };
        story::prepare(
            articles,
            &context,
            story::SentenceLimit::ALL,
            &mut Vec::new(),
        )
        .remove(0)
        .sentences
    };
    let sentences: Vec<&str> = sentences.iter().map(String::as_str).collect();
    group.bench_function("rank_smart_en_700_words", |b| {
        b.iter(|| rank::rank_sentences(black_box(&sentences), "en", Strategy::Smart))
    });
    group.bench_function("sms_bn", |b| {
        b.iter(|| sms_pipeline(black_box(&bn), &bn_renderer, &[]))
    });
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED);
    match std::fs::read(&seed) {
        Ok(bytes) => {
            group.bench_function("sms_seed", |b| {
                b.iter(|| sms_pipeline(black_box(&bytes), &en_renderer, &london))
            });
        }
        Err(_) => eprintln!(
            "pipeline/sms_seed skipped: {} is absent (../shared is not beside the repository)",
            seed.display()
        ),
    }
    group.finish();

    let text = String::from_utf8(en.clone()).unwrap();
    let mut stages = c.benchmark_group("stage");
    stages.bench_function("ingest_wire", |b| {
        b.iter(|| ingest::parse_bytes("bench.txt", None, black_box(&en)).unwrap())
    });
    let splitter = SentenceSplitter::for_language("en");
    stages.bench_function("split_sentences", |b| {
        b.iter(|| {
            text.lines()
                .map(|l| splitter.split(black_box(l)).len())
                .sum::<usize>()
        })
    });
    let context = dateline::Context {
        country: None,
        home: None,
        now: now(),
    };
    stages.bench_function("dateline", |b| {
        b.iter(|| dateline::parse(black_box("BDST: 1347 HRS, APR 23, 2025"), &context).unwrap())
    });
    let articles = ingest::parse_bytes("bench.txt", None, &en).unwrap();
    let stories = story::prepare(
        articles,
        &context,
        story::SentenceLimit::ALL,
        &mut Vec::new(),
    );
    let view = DigestView::new(&stories, &[1], "sms", en_renderer.locale(), &london, now());
    stages.bench_function("render_alert", |b| {
        b.iter(|| {
            en_renderer
                .render("sms/alert.txt.tera", black_box(&view))
                .unwrap()
        })
    });
    stages.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
