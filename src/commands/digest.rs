//! `newsdigest digest`: articles in, one SMS or one email out.
//!
//! Reads the inputs, prepares stories (sentences, datelines), composes them in one locale and
//! prints the SMS text or the email message (or JSON with `--format json`). With `--out DIR` it
//! writes `digest-<time>-<locale>-<hash>.txt` or `.eml`: the name carries a hash of the content, so
//! two different digests never share a name and a rerun of the same digest leaves one file.
//! Example: `newsdigest digest story.txt --tz Europe/London`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use newsdigest::compose::fair::DroppedStory;
use newsdigest::compose::{Channel, SmsDigest};
use newsdigest::email;
use newsdigest::error::{Error, Result};
use newsdigest::fingerprint;
use newsdigest::sms::report::Report;
use serde::Serialize;

use super::{Composed, Feeds, Io, compose, load_locale, prepare_stories, select_for_locale};
use crate::cli::{DigestArgs, Format};
use crate::output::{self, Existing, print, warn};
use crate::settings::Settings;

pub fn run(args: DigestArgs, io: &mut Io<'_>, clock: DateTime<Utc>) -> Result<()> {
    let settings = Settings::new(args.stories, args.message, args.channel, clock)?;
    let mut notes = Vec::new();
    // A wrong --locale is reported before anything about the stories.
    let locale = load_locale(&settings, &args.locale)?;
    let (stories, validators) = prepare_stories(&settings, io, Feeds::Conditional, &mut notes)?;
    if stories.is_empty() {
        // Nothing new (every story older than --since): not a failure for a cron job.
        notes.push("nothing to send: no story left to digest".into());
        notes.extend(validators.save());
        warn(io, &notes);
        return Ok(());
    }
    let mut story_notes = Vec::new();
    let stories = select_for_locale(
        &settings,
        &stories,
        &args.locale,
        &mut notes,
        &mut story_notes,
    );
    if stories.is_empty() {
        warn(io, &notes);
        return Err(Error::NoStoryInLanguage {
            locale: args.locale,
        });
    }
    notes.splice(0..0, story_notes);
    let composed = compose(&settings, &stories, Arc::clone(&locale), &mut notes)?;
    tracing::info!(locale = %locale.tag, stories = stories.len(), "composed");
    let rendered = Rendered::new(composed, &settings);
    let path = match &args.out {
        Some(dir) => Some(write_file(
            dir,
            &settings,
            &locale.tag,
            &rendered,
            args.force,
        )?),
        None => None,
    };
    if let Some(path) = &path {
        tracing::info!(path = %path.display(), "written");
    }
    match args.format {
        Format::Json => print(
            io,
            &output::to_json(&Json {
                channel: settings.channel,
                locale: &locale.tag,
                output: rendered.json,
                notes: &notes,
                path: path.map(|p| p.display().to_string()),
            }),
        )?,
        Format::Text => {
            warn(io, &notes);
            match path {
                Some(path) => print(io, &format!("{}\n", path.display()))?,
                None => print(io, &rendered.printed)?,
            }
        }
    }
    // Only now, with the digest out, may the next run's feeds answer "not modified".
    warn(io, &validators.save());
    Ok(())
}

/// Writes the digest into `dir` as `digest-<time>-<locale>-<hash>.<ext>` (see the module doc).
fn write_file(
    dir: &Path,
    settings: &Settings,
    tag: &str,
    rendered: &Rendered,
    force: bool,
) -> Result<PathBuf> {
    let name = format!(
        "digest-{}-{tag}-{}.{}",
        settings.now().format("%Y%m%dT%H%M%SZ"),
        &fingerprint::to_hex(fingerprint::of(&rendered.file))[..12],
        rendered.extension
    );
    let existing = if force {
        Existing::Replace
    } else {
        Existing::Refuse
    };
    output::write_new(dir, &name, &rendered.file, existing)
}

/// A composed digest as `--out` writes it, as text output prints it, and as JSON shows it.
struct Rendered {
    extension: &'static str,
    file: Vec<u8>,
    printed: String,
    json: Output,
}

impl Rendered {
    fn new(composed: Composed, settings: &Settings) -> Rendered {
        match composed {
            Composed::Sms(SmsDigest {
                measurement,
                dropped,
            }) => {
                let text = format!("{}\n", measurement.text);
                let report = Report::new(&measurement, settings.sms.concat_ref);
                Rendered {
                    extension: "txt",
                    file: text.clone().into_bytes(),
                    printed: text,
                    json: Output::Sms {
                        messages: vec![report],
                        dropped_count: dropped.len(),
                        dropped,
                    },
                }
            }
            Composed::Email { content, message } => Rendered {
                extension: "eml",
                printed: String::from_utf8_lossy(&message).into_owned(),
                file: message,
                json: Output::Email {
                    subject: email::header_text(&content.subject),
                    text: content.text,
                    html: content.html,
                },
            },
        }
    }
}

#[derive(Serialize)]
struct Json<'a> {
    channel: Channel,
    locale: &'a str,
    #[serde(flatten)]
    output: Output,
    notes: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
}

/// The channel's part of the JSON output.
#[derive(Serialize)]
#[serde(untagged)]
enum Output {
    Sms {
        messages: Vec<Report>,
        /// Stories left out to fit the segment budget, each with its reason.
        dropped: Vec<DroppedStory>,
        dropped_count: usize,
    },
    Email {
        subject: String,
        text: String,
        html: String,
    },
}
