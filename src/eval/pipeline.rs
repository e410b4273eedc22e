//! newsdigest's own summaries, made by the pipeline `digest` runs: an [`Article`] prepared into a
//! [`Story`] ([`story::prepare_each`]), ranked by a [`Strategy`] ([`rank::rank`]), and fitted
//! into the SMS budget by [`fit::fit_sms`] with the corpus language's built-in locale.
//!
//! Owns [`Newsdigest`]. The message is the lead alone (the template [`LEAD_ONLY`] is
//! `{{ stories[0].lead }}`): no source, time or title, so that ROUGE scores what the summary
//! chose, and the lead has the whole budget. A refusal to fit is the caller's to count.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::article::Article;
use crate::compose::fit::{self, DEFAULT_FILL, SmsBudget};
use crate::compose::render::Renderer;
use crate::compose::view::DigestView;
use crate::dateline;
use crate::error::Result;
use crate::eval::corpus::Document;
use crate::locale::Locale;
use crate::rank::{self, Strategy};
use crate::sms::{self, Measurement};
use crate::story::{self, SentenceLimit, Story};

/// The template name of the lead-only message.
pub const LEAD_ONLY: &str = "eval/lead-only.txt.tera";
const LEAD_ONLY_SOURCE: &str = "{{ stories[0].lead }}";

/// Fewest words a lead keeps (`digest`'s default `--min-words`).
const MIN_WORDS: usize = 6;

/// The articles carry no dateline; any fixed time does.
const NOW: DateTime<Utc> = DateTime::<Utc>::UNIX_EPOCH;

/// The pipeline for one language.
pub struct Newsdigest {
    renderer: Renderer,
    language: String,
}

impl Newsdigest {
    /// The pipeline for articles in `language`, rendered with its built-in locale.
    pub fn new(language: &str) -> Result<Newsdigest> {
        let locale = Arc::new(Locale::load(language, None)?);
        let mut renderer = Renderer::new(locale, None)?;
        renderer.add_template(LEAD_ONLY, LEAD_ONLY_SOURCE)?;
        Ok(Newsdigest {
            renderer,
            language: language.to_string(),
        })
    }

    /// `document` as a story: its body split into sentences, not yet ranked.
    pub fn prepare(&self, document: &Document) -> Story {
        let article = Article {
            origin: document.id.clone(),
            title: document.title.clone(),
            body: document.body.clone(),
            language: self.language.clone(),
            language_confidence: 1.0,
            key: format!("eval:{}", document.id),
            ..Article::default()
        };
        let context = dateline::Context {
            country: None,
            home: None,
            now: NOW,
        };
        let mut stories = story::prepare_each(vec![article], &context, SentenceLimit::ALL);
        stories.remove(0)
    }

    /// The SMS newsdigest sends for `story` with `strategy` in `max_segments` segments, or the
    /// error it refuses with.
    pub fn summary(
        &self,
        story: &Story,
        strategy: Strategy,
        max_segments: usize,
    ) -> Result<Measurement> {
        let mut stories = vec![story.clone()];
        rank::rank(&mut stories, strategy);
        let view = DigestView::new(&stories, &[1], "sms", self.renderer.locale(), &[], NOW);
        let fitted = fit::fit_sms(
            &self.renderer,
            LEAD_ONLY,
            &view,
            &stories,
            &budget(max_segments),
        )?;
        Ok(fitted.measurement)
    }
}

/// The budget `digest --max-segments N` fits into, with default SMS options.
pub fn budget(max_segments: usize) -> SmsBudget {
    SmsBudget {
        max_segments,
        min_words: MIN_WORDS,
        options: sms::Options::default(),
        fill: DEFAULT_FILL,
    }
}

/// The share of `max_segments` segments' capacity a message uses (units over capacity).
pub fn capacity_used(measurement: &Measurement, max_segments: usize) -> f64 {
    let (single, part) = sms::limits(measurement.encoding, sms::Options::default().concat_ref);
    let capacity = if max_segments <= 1 {
        single
    } else {
        part * max_segments
    };
    measurement.units as f64 / capacity.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(body: &str) -> Document {
        Document {
            id: "made-up".into(),
            title: Some("A title the message leaves out".into()),
            body: body.into(),
            references: vec!["unused".into()],
        }
    }

    #[test]
    fn the_message_is_the_lead_alone() {
        let pipeline = Newsdigest::new("en").unwrap();
        let story = pipeline.prepare(&document(
            "The bridge reopened on Tuesday after repairs.\nBuses use it again.",
        ));
        let message = pipeline.summary(&story, Strategy::Lead, 1).unwrap();
        assert_eq!(
            message.text,
            "The bridge reopened on Tuesday after repairs. Buses use it again."
        );
        let used = capacity_used(&message, 1);
        assert!((used - 65.0 / 160.0).abs() < 1e-12, "{used}");
    }

    #[test]
    fn a_long_lead_is_cut_to_the_budget() {
        let pipeline = Newsdigest::new("en").unwrap();
        let long = format!("{}.", "The ferry service resumed ".repeat(20).trim());
        let story = pipeline.prepare(&document(&long));
        for segments in 1..=3 {
            let message = pipeline.summary(&story, Strategy::Smart, segments).unwrap();
            assert!(message.segments() <= segments && message.text.ends_with("..."));
        }
    }
}
