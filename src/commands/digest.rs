//! `newsdigest digest`: articles in, one SMS or one email out.
//!
//! Reads the inputs, prepares stories (sentences, datelines), renders them through the locale's
//! templates and, for SMS, fits the message into `--max-segments`. Prints the SMS text or the
//! email message (or JSON with `--format json`); with `--out DIR` writes a `.txt` or `.eml` file.
//! Example: `newsdigest digest story.txt --tz Europe/London`.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Io, inputs_or_stdin, outlet_country, print, reader_zones, reference_time, warn};
use crate::cli::{Channel, DigestArgs, Format};
use crate::compose::Composer;
use crate::dateline;
use crate::digest::{self, SentenceLimit};
use crate::email::{self, Envelope};
use crate::error::{Error, Result};
use crate::fit::SmsBudget;
use crate::ingest;
use crate::locale::Locale;
use crate::render::Renderer;
use crate::sms::{Encoding, Measurement, TablePair};

/// Most stories in one digest unless `--stories` says otherwise.
const DEFAULT_MAX_STORIES: usize = 5;

pub fn run(args: DigestArgs, io: &mut Io<'_>, clock: DateTime<Utc>) -> Result<()> {
    let now = reference_time(args.now.as_deref(), clock)?;
    let zones = reader_zones(&args.zones)?;
    let country = outlet_country(args.country.as_deref())?;
    if let Some(url) = &args.unsubscribe {
        email::ensure_unsubscribe_url(url)?;
    }
    let locale = Arc::new(Locale::load(&args.locale, args.locales.as_deref())?);
    let renderer = Renderer::new(Arc::clone(&locale), args.templates.as_deref())?;

    let mut articles = ingest::read_inputs(&inputs_or_stdin(args.inputs), io.stdin)?;
    if articles.is_empty() {
        return Err(Error::NoArticles);
    }
    let mut notes = Vec::new();
    let wanted = args
        .stories
        .map_or(articles.len().min(DEFAULT_MAX_STORIES), usize::from);
    if articles.len() > wanted {
        notes.push(format!(
            "{} of {} articles left out (--stories {wanted})",
            articles.len() - wanted,
            articles.len()
        ));
        articles.truncate(wanted);
    }
    let context = dateline::Context { country, now };
    let limit = match args.channel {
        Channel::Sms => sms_sentence_limit(args.max_segments),
        Channel::Email => SentenceLimit {
            sentences: usize::from(args.email_sentences),
            chars: usize::MAX,
        },
    };
    let stories = digest::prepare(articles, &context, limit, &mut notes);
    let composer = Composer {
        renderer: &renderer,
        stories: &stories,
        zones: &zones,
        now,
        unsubscribe: args.unsubscribe.as_deref(),
    };

    let stem = format!("digest-{}-{}", now.format("%Y%m%dT%H%M%SZ"), locale.tag);
    match args.channel {
        Channel::Sms => {
            let budget = SmsBudget {
                max_segments: usize::from(args.max_segments),
                options: super::sms_options(&args.sms, !args.no_smart_encoding)?,
            };
            let message = composer.sms(&budget, &mut notes)?;
            let path = match &args.out {
                Some(dir) => Some(super::write_atomically(
                    dir,
                    &format!("{stem}.txt"),
                    format!("{}\n", message.text).as_bytes(),
                )?),
                None => None,
            };
            match (args.format, path) {
                (Format::Json, path) => print(
                    io,
                    &super::to_json(&SmsOutput {
                        channel: "sms",
                        locale: &locale.tag,
                        messages: vec![SmsMessage::from(&message)],
                        notes: &notes,
                        path: path.map(|p| p.display().to_string()),
                    }),
                )?,
                (Format::Text, Some(path)) => {
                    warn(io, &notes)?;
                    print(io, &format!("{}\n", path.display()))?;
                }
                (Format::Text, None) => {
                    warn(io, &notes)?;
                    print(io, &format!("{}\n", message.text))?;
                }
            }
        }
        Channel::Email => {
            let content = composer.email(usize::from(args.email_sentences))?;
            let envelope = Envelope {
                from: email::parse_mailbox(&args.from, "from")?,
                to: args
                    .to
                    .iter()
                    .map(|to| email::parse_mailbox(to, "to"))
                    .collect::<Result<_>>()?,
                date: now,
                unsubscribe: args.unsubscribe.clone(),
            };
            let message = email::build(&content, &envelope)?;
            let path = match &args.out {
                Some(dir) => Some(super::write_atomically(
                    dir,
                    &format!("{stem}.eml"),
                    &message,
                )?),
                None => None,
            };
            match (args.format, path) {
                (Format::Json, path) => print(
                    io,
                    &super::to_json(&EmailOutput {
                        channel: "email",
                        locale: &locale.tag,
                        subject: email::header_text(&content.subject),
                        text: &content.text,
                        html: &content.html,
                        notes: &notes,
                        path: path.map(|p| p.display().to_string()),
                    }),
                )?,
                (Format::Text, Some(path)) => {
                    warn(io, &notes)?;
                    print(io, &format!("{}\n", path.display()))?;
                }
                (Format::Text, None) => {
                    warn(io, &notes)?;
                    print(io, &String::from_utf8_lossy(&message))?;
                }
            }
        }
    }
    Ok(())
}

/// No more text than this can fit in `segments` SMS segments: every character costs at least one
/// septet or unit, and a message holds at most 160 of them (153 per part when concatenated).
pub fn sms_sentence_limit(segments: u16) -> SentenceLimit {
    SentenceLimit {
        sentences: usize::MAX,
        chars: (usize::from(segments) * 153).max(160),
    }
}

#[derive(Serialize)]
struct SmsOutput<'a> {
    channel: &'static str,
    locale: &'a str,
    messages: Vec<SmsMessage>,
    notes: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
}

#[derive(Serialize)]
struct SmsMessage {
    text: String,
    encoding: Encoding,
    units: usize,
    segments: usize,
    parts: Vec<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tables: Option<TablePair>,
}

impl From<&Measurement> for SmsMessage {
    fn from(m: &Measurement) -> Self {
        SmsMessage {
            text: m.text.clone(),
            encoding: m.encoding,
            units: m.units,
            segments: m.segments(),
            parts: m.parts.iter().map(|p| p.units).collect(),
            tables: m.tables,
        }
    }
}

#[derive(Serialize)]
struct EmailOutput<'a> {
    channel: &'static str,
    locale: &'a str,
    subject: String,
    text: &'a str,
    html: &'a str,
    notes: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
}
