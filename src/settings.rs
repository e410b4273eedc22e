//! The one resolved settings value that `digest` and `preview` run on (and, later, `run`).
//!
//! Reads the typed command-line values ([`crate::cli`]) and the clock; writes a [`Settings`]: reader
//! zones, outlet country and reference time as a dateline context, the channel, the SMS measurement
//! options, the email envelope. It is built once, so every command that composes a message sees
//! the same values and no command re-checks a flag. Example: `digest story.txt --tz Asia/Dhaka`
//! gives `Settings { zones: [Asia/Dhaka], channel: Sms, max_segments: 1, .. }`.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use lettre::message::Mailbox;
use newsdigest::compose::Channel;
use newsdigest::dateline::{self, Zone};
use newsdigest::error::{Error, Result};
use newsdigest::sms;

use crate::cli::{self, MessageArgs, SmsArgs, StoryArgs};

/// Everything a command needs to compose a digest, resolved from the command line.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Files, folders, or `-` for stdin (never empty).
    pub inputs: Vec<String>,
    pub channel: Channel,
    /// Reader zones; empty means each story's own zone.
    pub zones: Vec<Zone>,
    /// Outlet country and reference time, for reading datelines.
    pub context: dateline::Context,
    pub max_segments: usize,
    /// How many stories at most (`--stories`; `None`: the default, 5).
    pub stories: Option<usize>,
    pub email_sentences: usize,
    pub templates: Option<PathBuf>,
    pub locales: Option<PathBuf>,
    pub sms: sms::Options,
    pub from: Mailbox,
    pub to: Vec<Mailbox>,
    pub unsubscribe: Option<String>,
    /// Only stories published this long before `now` or later (`--since`).
    pub since: Option<chrono::Duration>,
    pub order: cli::Order,
    /// Fewest words a story shows in a multi-story SMS (`--min-words`).
    pub min_words: usize,
    /// Keep stories in another language than the locale's (`--any-language`).
    pub any_language: bool,
    /// The articles' language when `--language` forces it.
    pub language: Option<String>,
    /// How long to wait for a feed server.
    pub timeout: std::time::Duration,
    /// Which sentences a summary carries (`--strategy`).
    pub strategy: newsdigest::rank::Strategy,
    /// The share of the SMS budget left after whole sentences above which a cut sentence fills it.
    pub fill: f64,
}

impl Settings {
    /// Resolves the story and message flags; `clock` is the time when `--now` is not given.
    pub fn new(
        stories: StoryArgs,
        message: MessageArgs,
        channel: cli::Channel,
        clock: DateTime<Utc>,
    ) -> Result<Settings> {
        ensure_folder("templates", stories.templates.as_deref())?;
        ensure_folder("locales", stories.locales.as_deref())?;
        let inputs = if stories.inputs.is_empty() {
            vec!["-".to_string()]
        } else {
            stories.inputs
        };
        Ok(Settings {
            inputs,
            channel: match channel {
                cli::Channel::Sms => Channel::Sms,
                cli::Channel::Email => Channel::Email,
            },
            zones: stories.zones,
            context: dateline::Context {
                country: stories.country,
                home: None,
                now: stories.now.unwrap_or(clock),
            },
            max_segments: usize::from(stories.max_segments),
            stories: stories.stories.map(usize::from),
            email_sentences: usize::from(stories.email_sentences),
            templates: stories.templates,
            locales: stories.locales,
            sms: sms_options(&message.sms, !message.no_smart_encoding),
            from: message.from,
            to: message.to,
            unsubscribe: message.unsubscribe,
            since: stories
                .since
                .map(|since| chrono::Duration::from_std(since).unwrap_or(chrono::Duration::MAX)),
            order: stories.order,
            min_words: usize::from(stories.min_words),
            any_language: stories.any_language,
            language: stories.reading.language,
            timeout: std::time::Duration::from_secs(u64::from(stories.reading.timeout)),
            strategy: stories.strategy.strategy(),
            fill: stories.fill,
        })
    }

    /// The reference time.
    pub fn now(&self) -> DateTime<Utc> {
        self.context.now
    }
}

/// SMS measurement options from the SMS flags.
pub fn sms_options(args: &SmsArgs, smart_encoding: bool) -> sms::Options {
    sms::Options {
        split: match args.split {
            cli::Split::Graphemes => sms::SplitPolicy::Graphemes,
            cli::Split::CodeUnits => sms::SplitPolicy::CodeUnits,
        },
        concat_ref: match args.concat_ref {
            cli::ConcatRef::Eight => sms::ConcatRef::Eight,
            cli::ConcatRef::Sixteen => sms::ConcatRef::Sixteen,
        },
        smart_encoding,
        national: sms::NationalTables::of(&args.national_tables),
        danda_as_period: args.danda_as_period,
    }
}

/// A folder option (`--templates`, `--locales`) must name an existing folder: a typo must not
/// silently fall back to the built-in files.
pub fn ensure_folder(option: &'static str, folder: Option<&Path>) -> Result<()> {
    match folder {
        Some(path) if !path.is_dir() => Err(Error::Config {
            path: path.to_path_buf(),
            message: format!("--{option}: no such folder"),
        }),
        _ => Ok(()),
    }
}
