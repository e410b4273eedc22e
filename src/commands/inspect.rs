//! `newsdigest inspect`: what was understood of each article, as JSON.
//!
//! Reads the inputs like `digest` and prints an array with, per article, its key, title, source,
//! language and how sure that is, dateline read as an instant (local and UTC) and zone, the opener
//! dateline taken off the body (text, place, date, agency; null when there is none), editor,
//! sentences and notes.
//! Example: `newsdigest inspect story.txt --country BD`.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Io;
use crate::cli::InspectArgs;
use crate::output::{self, print, warn};
use newsdigest::dateline;
use newsdigest::error::Result;
use newsdigest::ingest;
use newsdigest::ingest::fetch::FetchOptions;
use newsdigest::story::{self, SentenceLimit};
use newsdigest::text::opener::Opener;

#[derive(Serialize)]
struct Inspected {
    origin: String,
    /// The story's identity (`guid:`, `link:` or `hash:` and 16 hex digits).
    key: String,
    title: Option<String>,
    source: Option<String>,
    language: String,
    /// 1 when the article, the feed or `--language` named the language; the detector's confidence
    /// otherwise (0 when only the script decided).
    language_confidence: f64,
    dateline: Option<String>,
    /// The opener dateline taken off the start of the body (`LONDON, April 23 (Reuters) -`).
    opener: Option<Opener>,
    published: Option<String>,
    published_utc: Option<String>,
    zone: Option<String>,
    editor: Option<String>,
    url: Option<String>,
    sentences: Vec<String>,
    notes: Vec<String>,
}

pub fn run(args: InspectArgs, io: &mut Io<'_>, clock: DateTime<Utc>) -> Result<()> {
    let inputs = if args.inputs.is_empty() {
        vec!["-".to_string()]
    } else {
        args.inputs
    };
    // Inspecting a feed fetches it in full and remembers nothing, so a later `digest` still sees
    // its stories as new.
    let mut fetch = FetchOptions::new(Duration::from_secs(u64::from(args.reading.timeout)));
    fetch.cache_dir = None;
    let options = ingest::ReadOptions {
        fetch,
        progress: io.bars.start("reading"),
    };
    let read = ingest::read_inputs_with(&inputs, io.stdin, &options)?;
    drop(options);
    warn(io, &read.notes);
    let mut articles = read.articles;
    if let Some(language) = &args.reading.language {
        for article in &mut articles {
            article.force_language(language);
        }
    }
    let context = dateline::Context {
        country: args.country,
        home: None,
        now: args.now.unwrap_or(clock),
    };
    let mut inspected = Vec::with_capacity(articles.len());
    for article in articles {
        let mut notes = Vec::new();
        let story = story::prepare(vec![article], &context, SentenceLimit::ALL, &mut notes)
            .pop()
            .expect("prepare returns one story per article");
        let published = story.published.as_ref();
        let article = story.article;
        inspected.push(Inspected {
            key: article.key,
            title: article.title,
            source: article.source,
            language: article.language,
            language_confidence: article.language_confidence,
            dateline: article.dateline,
            opener: story.opener,
            published: published.map(|p| p.local.to_rfc3339()),
            published_utc: published
                .map(|p| p.utc.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            zone: published.map(|p| p.zone.to_string()),
            editor: article.editor,
            url: article.url,
            sentences: story.sentences,
            notes: notes
                .into_iter()
                .map(|n| {
                    n.strip_prefix(&format!("{}: ", article.origin))
                        .map(str::to_string)
                        .unwrap_or(n)
                })
                .collect(),
            origin: article.origin,
        });
    }
    print(io, &output::to_json(&inspected))
}
