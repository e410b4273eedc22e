//! `newsdigest digest`: articles in, one SMS or one email out.
//!
//! Reads the inputs, prepares stories (sentences, datelines), renders them through the locale's
//! templates and, for SMS, fits the message into `--max-segments`. Prints the SMS text or the
//! email message (or JSON with `--format json`); with `--out DIR` writes a `.txt` or `.eml` file.
//! Example: `newsdigest digest story.txt --tz Europe/London`.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Io, Prepared, prepare_stories, print, warn};
use crate::cli::{Channel, DigestArgs, Format};
use newsdigest::compose::Composer;
use newsdigest::compose::fit::SmsBudget;
use newsdigest::compose::render::Renderer;
use newsdigest::email::{self, Envelope};
use newsdigest::error::Result;
use newsdigest::locale::Locale;
use newsdigest::sms::{Encoding, Measurement, TablePair};

pub fn run(args: DigestArgs, io: &mut Io<'_>, clock: DateTime<Utc>) -> Result<()> {
    if let Some(url) = &args.unsubscribe {
        email::ensure_unsubscribe_url(url)?;
    }
    let locale = Arc::new(Locale::load(&args.locale, args.stories.locales.as_deref())?);
    let renderer = Renderer::new(Arc::clone(&locale), args.stories.templates.as_deref())?;
    let Prepared {
        stories,
        zones,
        now,
        mut notes,
    } = prepare_stories(&args.stories, args.channel, io, clock)?;
    let composer = Composer {
        renderer: &renderer,
        stories: &stories,
        zones: &zones,
        now,
        unsubscribe: args.unsubscribe.as_deref(),
    };

    let stem = format!("digest-{}-{}", now.format("%Y%m%dT%H%M%SZ"), locale.tag);
    let rendered = match args.channel {
        Channel::Sms => {
            let budget = SmsBudget {
                max_segments: usize::from(args.stories.max_segments),
                options: super::sms_options(&args.sms, !args.no_smart_encoding)?,
            };
            let message = composer.sms(&budget, &mut notes)?;
            Rendered {
                file_name: format!("{stem}.txt"),
                file: format!("{}\n", message.text).into_bytes(),
                printed: format!("{}\n", message.text),
                json: Output::Sms {
                    messages: vec![SmsMessage::from(&message)],
                },
            }
        }
        Channel::Email => {
            let content = composer.email(usize::from(args.stories.email_sentences))?;
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
            Rendered {
                file_name: format!("{stem}.eml"),
                printed: String::from_utf8_lossy(&message).into_owned(),
                file: message,
                json: Output::Email {
                    subject: email::header_text(&content.subject),
                    text: content.text,
                    html: content.html,
                },
            }
        }
    };

    let path = match &args.out {
        Some(dir) => Some(super::write_atomically(
            dir,
            &rendered.file_name,
            &rendered.file,
        )?),
        None => None,
    };
    match args.format {
        Format::Json => print(
            io,
            &super::to_json(&Json {
                channel: match args.channel {
                    Channel::Sms => "sms",
                    Channel::Email => "email",
                },
                locale: &locale.tag,
                output: rendered.json,
                notes: &notes,
                path: path.map(|p| p.display().to_string()),
            }),
        ),
        Format::Text => {
            warn(io, &notes)?;
            match path {
                Some(path) => print(io, &format!("{}\n", path.display())),
                None => print(io, &rendered.printed),
            }
        }
    }
}

/// A digest rendered for one channel: the file `--out` writes, what text output prints, and the
/// channel's part of the JSON output.
struct Rendered {
    file_name: String,
    file: Vec<u8>,
    printed: String,
    json: Output,
}

#[derive(Serialize)]
struct Json<'a> {
    channel: &'static str,
    locale: &'a str,
    #[serde(flatten)]
    output: Output,
    notes: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Output {
    Sms {
        messages: Vec<SmsMessage>,
    },
    Email {
        subject: String,
        text: String,
        html: String,
    },
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
