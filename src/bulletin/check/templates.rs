//! Rendering check: a bulletin's templates, with its `templates` and `locales` folders, render for
//! every locale its subscribers use (`en` when it has none yet), with two sample stories, as
//! `run` would render them. A template error met in every locale is reported once.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::Problems;
use crate::bulletin::config::{BulletinConfig, ChannelConfig};
use crate::bulletin::subscribers::Subscriber;
use crate::compose::render::Renderer;
use crate::compose::view::DigestView;
use crate::compose::{Composer, SMS_ALERT, SMS_DIGEST};
use crate::dateline::{self, Zone};
use crate::error::Result;
use crate::locale::Locale;
use crate::story::{self, SentenceLimit, Story};
use crate::{Error, ingest};

/// Two short wire stories in the repository's plain-text format.
const SAMPLES: [&str; 2] = [
    "Heavy rain flooded parts of Dhaka on Wednesday. Traffic stopped on main roads.\n\
     Source: Newsdesk\nBDST: 1347 HRS, APR 23, 2025\n",
    "The city council approved a larger budget for schools. Work starts next month.\n\
     Source: Newsdesk\nBDST: 1200 HRS, APR 23, 2025\n",
];
/// The time the samples are rendered at: the samples' day.
const SAMPLE_NOW: &str = "2025-04-23T09:00:00Z";
/// Lead sentences per story in email unless the bulletin says otherwise (as `digest`).
const DEFAULT_EMAIL_SENTENCES: usize = 3;

pub(super) fn check(
    bulletin: &BulletinConfig,
    subscribers: &[Subscriber],
    place: &str,
    problems: &mut Problems,
) {
    let now: DateTime<Utc> = SAMPLE_NOW.parse().unwrap_or_default();
    let stories = match sample_stories(now) {
        Ok(stories) => stories,
        Err(error) => return problems.add(place, format!("cannot build sample stories: {error}")),
    };
    let mut locales: Vec<(&str, Tz)> = Vec::new();
    for subscriber in subscribers {
        if !locales.iter().any(|(tag, _)| *tag == subscriber.locale) {
            locales.push((&subscriber.locale, subscriber.zone));
        }
    }
    if locales.is_empty() {
        locales.push(("en", Tz::UTC));
    }
    for (tag, zone) in locales {
        if let Err(error) = render(bulletin, tag, Zone::Named(zone), &stories, now) {
            problems.add_once(place, with_locale(error, tag));
        }
    }
}

fn sample_stories(now: DateTime<Utc>) -> Result<Vec<Story>> {
    let context = dateline::Context {
        country: Some("BD".into()),
        home: None,
        now,
    };
    let mut articles = Vec::new();
    for (index, text) in SAMPLES.iter().enumerate() {
        let origin = format!("sample-{}.txt", index + 1);
        articles.extend(ingest::parse_bytes(&origin, None, text.as_bytes())?);
    }
    Ok(story::prepare(
        articles,
        &context,
        SentenceLimit::ALL,
        &mut Vec::new(),
    ))
}

/// Renders the bulletin's channel templates in locale `tag` for readers in `zone`.
fn render(
    bulletin: &BulletinConfig,
    tag: &str,
    zone: Zone,
    stories: &[Story],
    now: DateTime<Utc>,
) -> Result<()> {
    let locale = Arc::new(Locale::load(tag, bulletin.locales.as_deref())?);
    let renderer = Renderer::new(Arc::clone(&locale), bulletin.templates.as_deref())?;
    let zones = [zone];
    match bulletin.channel {
        ChannelConfig::Sms => {
            let first = &stories[..stories.len().min(1)];
            let alert = DigestView::new(first, &[1], "sms", &locale, &zones, now);
            renderer.render(SMS_ALERT, &alert)?;
            let digest = DigestView::new(stories, &[1, 1], "sms", &locale, &zones, now);
            renderer.render(SMS_DIGEST, &digest)?;
        }
        ChannelConfig::Email => {
            let composer = Composer {
                renderer: &renderer,
                stories,
                zones: &zones,
                now,
                unsubscribe: bulletin.unsubscribe.as_deref(),
            };
            composer.email(bulletin.email_sentences.unwrap_or(DEFAULT_EMAIL_SENTENCES))?;
        }
    }
    Ok(())
}

/// The error's message, naming the locale when the error is about a locale's files.
fn with_locale(error: Error, tag: &str) -> String {
    match &error {
        // A template that does not parse fails alike in every locale (no locale named).
        Error::Template { .. } | Error::Locale { .. } => error.to_string(),
        _ => format!("locale {tag}: {error}"),
    }
}
