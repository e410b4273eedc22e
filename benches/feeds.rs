//! Feed and bulletin benchmarks: reading feeds, and composing a fair multi-story SMS.
//!
//! Inputs are our own fixtures (`tests/data/feeds/`) and a feed of 1,000 generated items, so the
//! figures scale to the 10,000-item feeds the README talks about. `feed_rss_4_items` is a
//! newsroom's typical feed; `feed_rss_1000_items` measures per-item cost (parse, HTML to text,
//! charset, key, language); `bulletin_5_stories_2_segments` is `digest --stories 5 --max-segments 2`
//! after ingest: select, fair fit, render and measure.

use std::hint::black_box;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use newsdigest::compose::Composer;
use newsdigest::compose::fit::{self, SmsBudget};
use newsdigest::compose::render::Renderer;
use newsdigest::dateline::{self, Zone};
use newsdigest::ingest;
use newsdigest::locale::Locale;
use newsdigest::select::{self, Order};
use newsdigest::story;

fn now() -> DateTime<Utc> {
    "2025-04-23T09:00:00Z".parse().unwrap()
}

/// An RSS 2.0 feed of `items` distinct English items with HTML descriptions.
fn generated_feed(items: usize) -> Vec<u8> {
    let mut feed = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Bench Desk</title><language>en</language>\n",
    );
    for i in 0..items {
        feed.push_str(&format!(
            "<item><title>Story {i} about the river crossing</title><link>https://bench.example/{i}?utm_source=rss</link>\
             <pubDate>Wed, 23 Apr 2025 {:02}:{:02}:00 +0600</pubDate><description>&lt;p&gt;Ferry number {i} resumed service \
             on Wednesday after {} days of repairs, the operator said.&lt;/p&gt;&lt;p&gt;Tickets went on sale at \
             noon.&lt;/p&gt;</description></item>\n",
            (i / 60) % 24,
            i % 60,
            i % 17 + 2
        ));
    }
    feed.push_str("</channel></rss>\n");
    feed.into_bytes()
}

fn feeds(c: &mut Criterion) {
    let small = std::fs::read("tests/data/feeds/rss2-guid.xml").unwrap();
    let large = generated_feed(1000);
    let mut group = c.benchmark_group("feed");
    group.bench_function("feed_rss_4_items", |b| {
        b.iter(|| ingest::feed::parse("f.xml", black_box(&small), None).unwrap())
    });
    group.sample_size(20);
    group.bench_function("feed_rss_1000_items", |b| {
        b.iter(|| ingest::feed::parse("f.xml", black_box(&large), None).unwrap())
    });
    group.finish();

    let context = dateline::Context {
        country: None,
        home: None,
        now: now(),
    };
    let articles = ingest::feed::parse("f.xml", &generated_feed(40), None).unwrap();
    let mut stories = story::prepare_each(
        articles,
        &context,
        story::SentenceLimit {
            chars: 306,
            ..story::SentenceLimit::ALL
        },
    );
    select::order(&mut stories, Order::Newest, &mut Vec::new());
    stories.truncate(5);
    let renderer = Renderer::new(Arc::new(Locale::load("en", None).unwrap()), None).unwrap();
    let zones = ["Asia/Dhaka".parse::<Zone>().unwrap()];
    let budget = SmsBudget {
        max_segments: 2,
        min_words: 6,
        fill: fit::DEFAULT_FILL,
        options: Default::default(),
    };
    c.bench_function("bulletin_5_stories_2_segments", |b| {
        b.iter(|| {
            let composer = Composer {
                renderer: &renderer,
                stories: black_box(&stories),
                zones: &zones,
                now: now(),
                unsubscribe: None,
            };
            composer.sms(&budget, &mut Vec::new()).unwrap()
        })
    });
}

criterion_group!(benches, feeds);
criterion_main!(benches);
