//! The subcommands: each turns its command-line arguments into resolved options and runs the
//! stages. One file per subcommand; this file holds what they share (reference time, zones,
//! country, SMS options, writing output files).
//!
//! Commands read and write only through [`Io`] and take the wall clock as an argument, so tests
//! run them in memory.

pub mod count;
pub mod digest;
pub mod inspect;
pub mod preview;
pub mod templates;
pub mod time;

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::cli::{self, Channel, Command, StoryArgs};
use newsdigest::dateline::{self, Zone};
use newsdigest::error::{Error, Result};
use newsdigest::story::{SentenceLimit, Story};
use newsdigest::{ingest, sms};

/// Where a command reads and writes.
pub struct Io<'a> {
    pub stdin: &'a mut dyn Read,
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    /// Whether stdout is a terminal (colour is used only there).
    pub stdout_is_terminal: bool,
}

/// Runs one parsed command. `clock` is the current time, used when `--now` is not given.
pub fn run(command: Command, io: &mut Io<'_>, clock: DateTime<Utc>) -> Result<()> {
    match command {
        Command::Digest(args) => digest::run(args, io, clock),
        Command::Inspect(args) => inspect::run(args, io, clock),
        Command::Count(args) => count::run(args, io),
        Command::Time(args) => time::run(args, io, clock),
        Command::Preview(args) => preview::run(args, io, clock),
        Command::Templates { action } => templates::run(action, io),
    }
}

/// The reference time: `--now` if given (RFC 3339), else the clock.
fn reference_time(now: Option<&str>, clock: DateTime<Utc>) -> Result<DateTime<Utc>> {
    match now {
        None => Ok(clock),
        Some(text) => DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| Error::Usage {
                option: "now",
                message: format!(
                    "{text:?} is not an RFC 3339 time ({e}), e.g. 2025-04-23T07:47:00Z"
                ),
            }),
    }
}

/// The `--tz` zones, each an IANA name or a UTC offset.
fn reader_zones(names: &[String]) -> Result<Vec<Zone>> {
    names
        .iter()
        .map(|name| {
            name.parse()
                .map_err(|e: newsdigest::dateline::DatelineError| Error::Usage {
                    option: "tz",
                    message: format!("{name:?}: {}", e.reason),
                })
        })
        .collect()
}

/// `--country`, upper-cased; two ASCII letters (or `UTC`).
fn outlet_country(country: Option<&str>) -> Result<Option<String>> {
    let Some(country) = country else {
        return Ok(None);
    };
    let upper = country.to_ascii_uppercase();
    let valid = upper == "UTC" || upper.len() == 2 && upper.bytes().all(|b| b.is_ascii_uppercase());
    if !valid {
        return Err(Error::Usage {
            option: "country",
            message: format!("{country:?} is not a two-letter ISO 3166 country code"),
        });
    }
    Ok(Some(upper))
}

/// Most stories in one digest unless `--stories` says otherwise.
const DEFAULT_MAX_STORIES: usize = 5;

/// Stories read and prepared for a channel, with the reader settings resolved.
struct Prepared {
    stories: Vec<Story>,
    zones: Vec<Zone>,
    now: DateTime<Utc>,
    notes: Vec<String>,
}

/// Reads the inputs of `args` and prepares as many stories as `--stories` allows, splitting only
/// as much of each body as `channel` can carry.
fn prepare_stories(
    args: &StoryArgs,
    channel: Channel,
    io: &mut Io<'_>,
    clock: DateTime<Utc>,
) -> Result<Prepared> {
    let now = reference_time(args.now.as_deref(), clock)?;
    let zones = reader_zones(&args.zones)?;
    let country = outlet_country(args.country.as_deref())?;
    let mut articles = ingest::read_inputs(&inputs_or_stdin(args.inputs.clone()), io.stdin)?;
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
    let limit = match channel {
        // No more text than this fits in the segments: every character costs at least one unit,
        // and a message holds at most 160 of them (153 per part when concatenated).
        Channel::Sms => SentenceLimit {
            sentences: usize::MAX,
            chars: (usize::from(args.max_segments) * 153).max(160),
        },
        Channel::Email => SentenceLimit {
            sentences: usize::from(args.email_sentences),
            chars: usize::MAX,
        },
    };
    let context = dateline::Context { country, now };
    let stories = newsdigest::story::prepare(articles, &context, limit, &mut notes);
    Ok(Prepared {
        stories,
        zones,
        now,
        notes,
    })
}

/// The inputs, or stdin when none are given.
fn inputs_or_stdin(inputs: Vec<String>) -> Vec<String> {
    if inputs.is_empty() {
        vec!["-".to_string()]
    } else {
        inputs
    }
}

/// SMS measurement options from the command line.
fn sms_options(args: &cli::SmsArgs, smart_encoding: bool) -> Result<sms::Options> {
    let languages = args
        .national_tables
        .iter()
        .map(|code| {
            sms::national::Language::from_code(code.trim()).ok_or_else(|| Error::Usage {
                option: "national-tables",
                message: format!(
                    "{code:?} has no national language table (one of: {})",
                    sms::national::Language::codes().join(", ")
                ),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(sms::Options {
        split: match args.split {
            cli::Split::Graphemes => sms::SplitPolicy::Graphemes,
            cli::Split::CodeUnits => sms::SplitPolicy::CodeUnits,
        },
        concat_ref: match args.concat_ref {
            cli::ConcatRef::Eight => sms::ConcatRef::Eight,
            cli::ConcatRef::Sixteen => sms::ConcatRef::Sixteen,
        },
        smart_encoding,
        national: sms::NationalTables::of(&languages),
        danda_as_period: args.danda_as_period,
    })
}

/// Writes `bytes` to `dir/name` all at once: a temporary file renamed into place, so a reader (or a
/// crash) never sees half a file. Creates `dir` if needed.
fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf> {
    let write_error = |path: &Path, source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
    let path = dir.join(name);
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = fs::write(&temporary, bytes).and_then(|()| fs::rename(&temporary, &path));
    if let Err(error) = result {
        let _ = fs::remove_file(&temporary);
        return Err(write_error(&path, error));
    }
    Ok(path)
}

/// Writes `text` to stdout; a closed pipe is reported as such (and exits 0 in `main`).
fn print(io: &mut Io<'_>, text: &str) -> Result<()> {
    io.stdout
        .write_all(text.as_bytes())
        .and_then(|()| io.stdout.flush())
        .map_err(Error::Output)
}

/// Prints notes to stderr as warnings (text output; JSON output carries them instead).
fn warn(io: &mut Io<'_>, notes: &[String]) -> Result<()> {
    for note in notes {
        writeln!(io.stderr, "warning: {note}").map_err(Error::Output)?;
    }
    Ok(())
}

/// Serialises `value` as pretty JSON with a final newline.
fn to_json(value: &impl serde::Serialize) -> String {
    let mut text =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
