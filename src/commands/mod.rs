//! The subcommands: each turns its command-line arguments into [`Settings`] and runs the stages.
//! One file per subcommand; this file holds what `digest` and `preview` share: reading and
//! preparing the stories, and composing one locale's message.
//!
//! Commands read and write only through [`Io`] and take the wall clock as an argument, so tests
//! run them in memory.

pub mod check;
pub mod completions;
pub mod count;
pub mod digest;
pub mod eval;
pub mod history;
pub mod inspect;
pub mod man;
pub mod preview;
pub mod retry;
pub mod run;
pub mod schedule;
pub mod serve;
pub mod state;
pub mod status;
pub mod templates;
pub mod time;
pub mod work;

use std::io::{Read, Write};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use newsdigest::compose::fit::SmsBudget;
use newsdigest::compose::render::Renderer;
use newsdigest::compose::{Channel, Composer, SmsDigest};
use newsdigest::dedupe;
use newsdigest::email::{self, EmailContent, Envelope};
use newsdigest::error::{Error, Result};
use newsdigest::ingest::fetch::FetchOptions;
use newsdigest::ingest::{self, PendingValidators};
use newsdigest::locale::Locale;
use newsdigest::select::{self, LocaleChoice, Order};
use newsdigest::story::{self, SentenceLimit, Story};

use crate::cli::{Color, Command};
use crate::console::Bars;
use crate::settings::Settings;

/// Where a command reads and writes.
pub struct Io<'a> {
    pub stdin: &'a mut dyn Read,
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    /// `--color` as given, and whether it colours stdout (`auto`: a terminal, `NO_COLOR` unset).
    pub color: Color,
    pub stdout_color: bool,
    /// Progress bars for long work (silent unless stderr is a terminal).
    pub bars: Bars,
}

/// Runs one parsed command. `clock` is the current time, used when `--now` is not given.
pub fn run(command: Command, io: &mut Io<'_>, clock: DateTime<Utc>) -> Result<()> {
    match command {
        Command::Digest(args) => digest::run(args, io, clock),
        Command::Inspect(args) => inspect::run(args, io, clock),
        Command::Count(args) => count::run(args, io),
        Command::Time(args) => time::run(args, io, clock),
        Command::Preview(args) => preview::run(args, io, clock),
        Command::Schedule(args) => schedule::run(args, io, clock),
        Command::History(args) => history::run(args, io, clock),
        Command::Retry(args) => retry::run(args, io, clock),
        Command::Templates { action } => templates::run(action, io),
        Command::Run(args) => run::run(args, io, clock),
        Command::Work(args) => work::run(args, io),
        Command::Status(args) => status::run(args, io),
        Command::Serve(args) => serve::run(args, io),
        Command::Check(args) => check::run(args, io),
        Command::Eval(args) => eval::run(args, io),
        Command::Completions(args) => completions::run(args, io),
        Command::Man(args) => man::run(args, io, clock),
    }
}

/// Most stories in one digest unless `--stories` says otherwise.
const DEFAULT_MAX_STORIES: usize = 5;

/// Reads the inputs and prepares their stories for the bulletin: only the recent ones
/// (`--since`), near-duplicates merged, newest first unless `--order feed`, splitting only as much
/// of each body as the channel can carry. Which of them a locale carries is
/// [`select_for_locale`]'s choice. No stories means nothing new (every feed answered 304, or
/// nothing is recent enough), which is not an error.
fn prepare_stories(
    settings: &Settings,
    io: &mut Io<'_>,
    feeds: Feeds,
    notes: &mut Vec<String>,
) -> Result<(Vec<Story>, PendingValidators)> {
    let mut fetch = FetchOptions::new(settings.timeout);
    if feeds == Feeds::Unconditional {
        fetch.cache_dir = None;
    }
    let options = ingest::ReadOptions {
        fetch,
        progress: io.bars.start("reading"),
    };
    let read = ingest::read_inputs_with(&settings.inputs, io.stdin, &options)?;
    drop(options);
    tracing::info!(
        inputs = settings.inputs.len(),
        articles = read.articles.len(),
        not_modified = read.not_modified,
        "inputs read"
    );
    notes.extend(read.notes);
    let mut articles = read.articles;
    if articles.is_empty() && read.not_modified > 0 {
        // Every feed answered 304 Not Modified (noted): nothing new, which is not an error.
        return Ok((Vec::new(), read.validators));
    }
    if articles.is_empty() {
        return Err(Error::NoArticles);
    }
    if let Some(language) = &settings.language {
        for article in &mut articles {
            article.force_language(language);
        }
    }
    let limit = match settings.channel {
        // No more than fits, and the sentences a ranking strategy ranks.
        Channel::Sms => SentenceLimit::sms(settings.strategy, settings.max_segments),
        Channel::Email => SentenceLimit {
            sentences: settings.email_sentences,
            ..SentenceLimit::ALL
        },
    };
    let stories = story::prepare_each(articles, &settings.context, limit);
    let stories = select::recent(stories, settings.since, settings.now(), notes);
    let mut stories = dedupe::merge_near_duplicates(stories, notes);
    let order = match settings.order {
        crate::cli::Order::Newest => Order::Newest,
        crate::cli::Order::Feed => Order::AsGiven,
    };
    select::order(&mut stories, order, notes);
    newsdigest::rank::rank(&mut stories, settings.strategy);
    tracing::info!(stories = stories.len(), "stories prepared");
    Ok((stories, read.validators))
}

/// How feed URLs are fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Feeds {
    /// With the validators of the last run that sent (`digest`): unchanged feeds answer 304.
    Conditional,
    /// In full, remembering nothing (`preview`, `inspect`): looking must not make a later `digest`
    /// see "not modified" and miss the stories.
    Unconditional,
}

/// The stories the locale `tag` carries: in its language unless `--any-language`, at most
/// `--stories` of them (default 5). Notes on what was left
/// out go to `notes`; the notes of the stories kept are added to `story_notes` once each.
fn select_for_locale(
    settings: &Settings,
    stories: &[Story],
    tag: &str,
    notes: &mut Vec<String>,
    story_notes: &mut Vec<String>,
) -> Vec<Story> {
    let choice = LocaleChoice {
        locale: tag,
        any_language: settings.any_language,
        most: settings.stories.unwrap_or(DEFAULT_MAX_STORIES),
    };
    let chosen = select::for_locale(stories, choice, notes);
    for note in chosen.iter().flat_map(|story| &story.notes) {
        if !story_notes.contains(note) {
            story_notes.push(note.clone());
        }
    }
    chosen
}

/// One locale's digest, composed for the settings' channel.
enum Composed {
    Sms(SmsDigest),
    Email {
        content: EmailContent,
        /// The whole RFC 5322 message.
        message: Vec<u8>,
    },
}

/// The locale `tag`, with the user's `--locales` folder.
fn load_locale(settings: &Settings, tag: &str) -> Result<Arc<Locale>> {
    Ok(Arc::new(Locale::load(tag, settings.locales.as_deref())?))
}

/// Composes `stories` for `locale` exactly as it will be sent; notes go to `notes`.
fn compose(
    settings: &Settings,
    stories: &[Story],
    locale: Arc<Locale>,
    notes: &mut Vec<String>,
) -> Result<Composed> {
    let renderer = Renderer::new(locale, settings.templates.as_deref())?;
    let composed = match compose_with(settings, stories, &renderer, notes)? {
        Composition::Sms(digest) => Composed::Sms(digest),
        Composition::Email(content) => {
            let envelope = Envelope {
                from: settings.from.clone(),
                to: settings.to.clone(),
                date: settings.now(),
                unsubscribe: settings.unsubscribe.clone(),
                message_id: None,
            };
            let message = email::build(&content, &envelope)?;
            Composed::Email { content, message }
        }
    };
    Ok(composed)
}

/// One locale's digest before it is addressed: the SMS, or the email's subject and parts.
enum Composition {
    Sms(SmsDigest),
    Email(EmailContent),
}

/// Composes `stories` with `renderer` for the settings' channel, budget and reader zones.
fn compose_with(
    settings: &Settings,
    stories: &[Story],
    renderer: &Renderer,
    notes: &mut Vec<String>,
) -> Result<Composition> {
    let composer = Composer {
        renderer,
        stories,
        zones: &settings.zones,
        now: settings.now(),
        unsubscribe: settings.unsubscribe.as_deref(),
    };
    Ok(match settings.channel {
        Channel::Sms => {
            let budget = SmsBudget {
                max_segments: settings.max_segments,
                min_words: settings.min_words,
                options: settings.sms,
                fill: settings.fill,
            };
            Composition::Sms(composer.sms(&budget, notes)?)
        }
        Channel::Email => Composition::Email(composer.email(settings.email_sentences)?),
    })
}
