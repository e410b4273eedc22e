//! Command-line definitions (clap): the flags as the user types them, each parsed into a typed
//! value by [`values`]. [`crate::settings`] turns them into the one resolved value commands run on.
//! Example: `newsdigest digest story.txt --tz Asia/Dhaka --now 2025-04-23T09:00:00Z`.

pub mod values;

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};
use lettre::message::Mailbox;
use newsdigest::dateline::Zone;
use newsdigest::sms::national::Language;

#[derive(Debug, Parser)]
#[command(
    name = "newsdigest",
    version,
    about = "Turns news articles into localized SMS and email digests",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub console: ConsoleArgs,
}

/// How the run talks on stderr and when it uses colour: every subcommand takes these.
#[derive(Debug, Args)]
#[command(next_help_heading = "Console options")]
pub struct ConsoleArgs {
    /// Print only errors on stderr: no warnings, no progress bars
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say more on stderr: -v each stage's work, -vv details for debugging. Without -q or -v,
    /// NEWSDIGEST_LOG or RUST_LOG (e.g. `info`, `warn,newsdigest::commands::run=info`) sets the
    /// filter
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// How log lines are written on stderr: text for people, or json (one object per line, for
    /// journald and log collectors)
    #[arg(
        long,
        value_enum,
        global = true,
        default_value = "text",
        value_name = "FORMAT"
    )]
    pub log_format: LogFormat,
    /// When to use colour: auto (on a terminal, unless NO_COLOR is set; CLICOLOR_FORCE=1 forces
    /// it), always or never
    #[arg(
        long,
        value_enum,
        global = true,
        default_value = "auto",
        value_name = "WHEN"
    )]
    pub color: Color,
}

/// `--log-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Digest articles into one SMS or one email
    Digest(DigestArgs),
    /// Show, as JSON, what was understood of each article
    Inspect(InspectArgs),
    /// Measure a text as an SMS: encoding, units, segments and parts
    Count(CountArgs),
    /// Read a dateline and show the instant in other zones
    Time(TimeArgs),
    /// Show each locale's SMS or email as readers will see it, side by side
    Preview(PreviewArgs),
    /// Show when each bulletin of newsdigest.toml runs next, and the crontab line or systemd
    /// timer that runs them
    Schedule(ScheduleArgs),
    /// Show the messages bulletins sent or still have to send, and what became of each
    History(HistoryArgs),
    /// Make pending, failed and uncertain messages due now, with fresh attempts: the next
    /// `newsdigest run` sends them
    Retry(RetryArgs),
    /// Work with the built-in templates
    Templates {
        #[command(subcommand)]
        action: TemplatesAction,
    },
    /// Send each bulletin whose slot is due (run it from cron every minute)
    Run(RunArgs),
    /// Deliver due messages as they come, without planning: for hosts that only send, beside
    /// `run` on a shared PostgreSQL state
    Work(WorkArgs),
    /// Show each bulletin's last slot and its messages by status (sending: by worker)
    Status(StatusArgs),
    /// Take delivery reports and readers' STOP and START over HTTP (Kannel's dlr-url and
    /// sms-service, a webhook's status callbacks) until SIGTERM
    Serve(ServeArgs),
    /// Check the bulletins' configuration: sources, targets, schedules, subscribers, templates
    Check(CheckArgs),
    /// Score summaries with ROUGE on the shared corpora: newsdigest against baselines and an
    /// oracle, at 1, 2 and 3 SMS segments
    Eval(EvalArgs),
    /// Print the shell completion script for bash, zsh, fish, powershell or elvish
    Completions(CompletionsArgs),
    /// Print a man page, or write every page (newsdigest.1, newsdigest-digest.1, ...) into a folder
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell, e.g. `bash`: `source <(newsdigest completions bash)`
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The page to print: a subcommand such as `digest` (default: the main page)
    #[arg(value_name = "SUBCOMMAND", conflicts_with = "out")]
    pub page: Option<String>,
    /// Write every page into this folder instead (created if needed)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The corpora folder (en-bbc-news-summary, bn-bnlpc, fr-orangesum, ru-ria20)
    #[arg(value_name = "CORPORA_DIR", default_value = "../shared/corpora")]
    pub corpora: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The configuration file. Default: $NEWSDIGEST_CONFIG, else
    /// $XDG_CONFIG_HOME/newsdigest/newsdigest.toml (~/.config/...)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum TemplatesAction {
    /// List the built-in templates
    List,
    /// Write the built-in templates into DIR, for editing and use with --templates DIR
    Dump {
        dir: PathBuf,
        /// Overwrite files that already exist
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct PreviewArgs {
    #[command(flatten)]
    pub stories: StoryArgs,
    /// Locales to preview: `all`, or a comma-separated list such as `en,bn`
    #[arg(long, default_value = "all")]
    pub locale: String,
    #[arg(long, value_enum, default_value = "sms")]
    pub channel: Channel,
    /// Screen width of one preview in columns (a phone shows about 32-40)
    #[arg(long, default_value_t = 36, value_parser = clap::value_parser!(u16).range(16..=200))]
    pub width: u16,
    /// Total width available for previews side by side
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u16).range(16..=1000))]
    pub page_width: u16,
    /// `html`: one self-contained page with each locale's SMS and email (both channels)
    #[arg(long, value_enum, default_value = "text")]
    pub format: PreviewFormat,
    /// Write the preview to this file (replaced if it exists) instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Keep running: rewrite --out whenever an input, --templates or --locales file changes
    #[arg(long, requires = "out")]
    pub watch: bool,
    #[command(flatten)]
    pub message: MessageArgs,
}

/// What `preview` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PreviewFormat {
    Text,
    Json,
    /// One self-contained HTML page (inline CSS, no script, nothing remote)
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Channel {
    Sms,
    Email,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Split {
    /// Never split a grapheme cluster across parts (Android, Twilio)
    Graphemes,
    /// Split at any code unit that keeps escape and surrogate pairs whole
    CodeUnits,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConcatRef {
    #[value(name = "8")]
    Eight,
    #[value(name = "16")]
    Sixteen,
}

/// How SMS text is measured and split.
#[derive(Debug, Args)]
pub struct SmsArgs {
    /// Where long messages may be split into parts
    #[arg(long, value_enum, default_value = "graphemes")]
    pub split: Split,
    /// Concatenation reference size in the user-data header (bits)
    #[arg(long, value_enum, default_value = "8")]
    pub concat_ref: ConcatRef,
    /// National language tables (3GPP TS 23.038 annex A) the operators support, e.g. `bn,hi`:
    /// text in those scripts is sent in 7 bits. Off by default: support is uneven
    #[arg(long, value_name = "LANGS", value_delimiter = ',', value_parser = values::national_language)]
    pub national_tables: Vec<Language>,
    /// Write the danda (।) as a period when that lets a national table send the text in 7 bits
    #[arg(long)]
    pub danda_as_period: bool,
}

/// What to digest and for whom: shared by `digest` and `preview`.
#[derive(Debug, Args)]
pub struct StoryArgs {
    /// Article files or directories; `-` reads stdin (the default)
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Reader time zone (IANA name or UTC offset); repeat for several. Default: the dateline's zone
    #[arg(long = "tz", value_name = "ZONE", value_parser = values::zone)]
    pub zones: Vec<Zone>,
    /// Outlet country (ISO 3166 code) for reading zone abbreviations such as BST or IST
    #[arg(long, value_name = "CC", value_parser = values::country)]
    pub country: Option<String>,
    /// SMS budget in segments
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=255))]
    pub max_segments: u16,
    /// Most stories in one digest, after --since and the language filter (default 5)
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub stories: Option<u16>,
    /// Lead sentences per story in email
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..))]
    pub email_sentences: u16,
    /// Reference time (RFC 3339) for years missing from datelines and the email date. Default: now
    #[arg(long, value_name = "RFC3339", value_parser = values::instant)]
    pub now: Option<DateTime<Utc>>,
    /// Directory of templates overriding the built-in ones, file by file
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Directory of locale folders adding to or overriding the built-in ones
    #[arg(long, value_name = "DIR")]
    pub locales: Option<PathBuf>,
    /// Only stories published within this long before --now, e.g. 24h, 90m, 2days
    #[arg(long, value_name = "DURATION", value_parser = values::duration)]
    pub since: Option<std::time::Duration>,
    /// Story order: newest first by published time, or as the inputs and feeds list them
    #[arg(long, value_enum, default_value = "newest")]
    pub order: Order,
    /// Fewest words a story may show in a multi-story SMS; a story that cannot get them is left out
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub min_words: u16,
    /// Keep stories whose language differs from the locale's (left out with a note by default)
    #[arg(long)]
    pub any_language: bool,
    /// Which sentences a summary carries: the lead, the lead then the most central sentences
    /// (smart), or each article language's measured best (auto)
    #[arg(long, value_enum, default_value = "auto")]
    pub strategy: StrategyArg,
    /// Share of the SMS budget left after whole sentences above which the next sentence is added,
    /// cut at a clause or word boundary (0 always fills, 1 never)
    #[arg(long, value_name = "SHARE", default_value_t = newsdigest::compose::fit::DEFAULT_FILL, value_parser = values::share)]
    pub fill: f64,
    #[command(flatten)]
    pub reading: ReadingArgs,
}

/// `--strategy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StrategyArg {
    Lead,
    Smart,
    Auto,
}

impl StrategyArg {
    pub fn strategy(self) -> newsdigest::rank::Strategy {
        match self {
            StrategyArg::Lead => newsdigest::rank::Strategy::Lead,
            StrategyArg::Smart => newsdigest::rank::Strategy::Smart,
            StrategyArg::Auto => newsdigest::rank::Strategy::ByLanguage,
        }
    }
}

/// Story order in a multi-story digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Order {
    /// Newest first by published time; stories without a time last
    Newest,
    /// As the inputs list them (files in order, feed items as the feed lists them)
    Feed,
}

/// How inputs are read: shared by every command that reads articles.
#[derive(Debug, Args)]
pub struct ReadingArgs {
    /// The articles' language (BCP 47, e.g. bn), instead of feed metadata or detection
    #[arg(long, value_name = "LANG", value_parser = values::language_tag)]
    pub language: Option<String>,
    /// Seconds to wait for a feed server to connect and to answer
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u16).range(1..=600))]
    pub timeout: u16,
}

#[derive(Debug, Args)]
pub struct DigestArgs {
    #[command(flatten)]
    pub stories: StoryArgs,
    #[arg(long, value_enum, default_value = "sms")]
    pub channel: Channel,
    /// Locale of labels, dates and digits (en, bn, hi, ne, ur, ar, ru, uk, fr, de, es, zh)
    #[arg(long, default_value = "en")]
    pub locale: String,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Write the digest into this directory (`.txt` for SMS, `.eml` for email)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// With --out: replace a different file of the same name instead of refusing
    #[arg(long, requires = "out")]
    pub force: bool,
    #[command(flatten)]
    pub message: MessageArgs,
}

/// How the message is encoded and addressed: shared by `digest` and `preview`, so what an editor
/// previews is what is sent.
#[derive(Debug, Args)]
pub struct MessageArgs {
    /// Keep curly quotes, dashes and unusual spaces even when replacing them would make SMS GSM-7
    #[arg(long)]
    pub no_smart_encoding: bool,
    #[command(flatten)]
    pub sms: SmsArgs,
    /// Email sender
    #[arg(long, default_value = "newsdigest <newsdigest@localhost>", value_parser = values::from_mailbox)]
    pub from: Mailbox,
    /// Email recipient; repeat for several
    #[arg(long = "to", default_value = "readers <readers@localhost>", value_parser = values::to_mailbox)]
    pub to: Vec<Mailbox>,
    /// Unsubscribe URL (https: or mailto:), sent as List-Unsubscribe and linked in the email
    #[arg(long, value_name = "URL", value_parser = values::unsubscribe_url)]
    pub unsubscribe: Option<String>,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Article files or directories; `-` reads stdin (the default)
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Outlet country (ISO 3166 code) for reading zone abbreviations
    #[arg(long, value_name = "CC", value_parser = values::country)]
    pub country: Option<String>,
    /// Reference time (RFC 3339) for years missing from datelines. Default: now
    #[arg(long, value_name = "RFC3339", value_parser = values::instant)]
    pub now: Option<DateTime<Utc>>,
    #[command(flatten)]
    pub reading: ReadingArgs,
}

#[derive(Debug, Args)]
pub struct CountArgs {
    /// The text to measure; stdin when absent
    pub text: Option<String>,
    /// Replace curly quotes, dashes and unusual spaces when that makes the text GSM-7
    #[arg(long)]
    pub smart_encoding: bool,
    /// List every character that forced UCS-2 or was replaced, with its position
    #[arg(long)]
    pub explain: bool,
    #[command(flatten)]
    pub sms: SmsArgs,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// Bulletins to show (default: every bulletin in the configuration)
    #[arg(value_name = "BULLETIN")]
    pub bulletins: Vec<String>,
    /// The configuration file. Default: $NEWSDIGEST_CONFIG, else
    /// $XDG_CONFIG_HOME/newsdigest/newsdigest.toml (~/.config/...)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Show the slots after this time (RFC 3339). Default: now
    #[arg(long, value_name = "RFC3339", value_parser = values::instant)]
    pub now: Option<DateTime<Utc>>,
    /// How many slots to show per bulletin
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub count: u16,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct TimeArgs {
    /// The dateline, e.g. "BDST: 1347 HRS, APR 23, 2025"
    pub text: String,
    /// Outlet country (ISO 3166 code) for reading zone abbreviations
    #[arg(long, value_name = "CC", value_parser = values::country)]
    pub country: Option<String>,
    /// Reference time (RFC 3339) for years missing from the dateline and for relative times
    /// ("3 hours ago", "yesterday"). Default: now
    #[arg(long, value_name = "RFC3339", value_parser = values::instant)]
    pub now: Option<DateTime<Utc>>,
    /// Zone to show the instant in (IANA name or UTC offset); repeat for several
    #[arg(long = "tz", value_name = "ZONE", value_parser = values::zone)]
    pub zones: Vec<Zone>,
    /// Show every token of the dateline, what it was read as, and the rule that decided
    #[arg(long)]
    pub explain: bool,
    /// Show times in text output localized for this locale (month names, digits)
    #[arg(long)]
    pub locale: Option<String>,
    /// Directory of locale folders adding to or overriding the built-in ones
    #[arg(long, value_name = "DIR")]
    pub locales: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Bulletins to run (default: all in the configuration)
    #[arg(value_name = "BULLETIN")]
    pub bulletins: Vec<String>,
    /// Configuration file. Default: $NEWSDIGEST_CONFIG, else $XDG_CONFIG_HOME/newsdigest/newsdigest.toml
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Plan against the real state and print what would be sent; record and send nothing
    #[arg(long)]
    pub dry_run: bool,
    /// The time to run at (RFC 3339), for catching up or testing. Default: now
    #[arg(long, value_name = "RFC3339", value_parser = values::instant)]
    pub now: Option<DateTime<Utc>>,
    /// Output: quiet text (only with --dry-run), or a JSON summary
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// This worker's name in the state (claims, `status`). Default: $NEWSDIGEST_WORKER, else
    /// HOST:PID
    #[arg(long, value_name = "NAME")]
    pub worker: Option<String>,
}

#[derive(Debug, Args)]
pub struct WorkArgs {
    /// Bulletins to deliver (default: all)
    #[arg(value_name = "BULLETIN")]
    pub bulletins: Vec<String>,
    /// Configuration file. Default: $NEWSDIGEST_CONFIG, else $XDG_CONFIG_HOME/newsdigest/newsdigest.toml
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// This worker's name in the state (claims, `status`). Default: $NEWSDIGEST_WORKER, else
    /// HOST:PID
    #[arg(long, value_name = "NAME")]
    pub worker: Option<String>,
    /// Seconds to wait when nothing is due before looking again
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0, value_parser = values::poll)]
    pub poll: f64,
    /// Stop once nothing is due (instead of waiting for more)
    #[arg(long)]
    pub until_idle: bool,
    /// Output when it stops: nothing, or a JSON summary
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Configuration file (its `[serve]` section). Default: $NEWSDIGEST_CONFIG, else
    /// $XDG_CONFIG_HOME/newsdigest/newsdigest.toml
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// `json`: print what was received, by kind, when stopped
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Configuration file. Default: $NEWSDIGEST_CONFIG, else $XDG_CONFIG_HOME/newsdigest/newsdigest.toml
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

/// Which state database, and which of its bulletins: shared by `history` and `retry`.
#[derive(Debug, Args)]
pub struct StateArgs {
    /// The configuration file naming the state database. Default: $NEWSDIGEST_CONFIG, else
    /// $XDG_CONFIG_HOME/newsdigest/newsdigest.toml (~/.config/...)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Only this bulletin's messages; repeat for several
    #[arg(long = "bulletin", value_name = "NAME")]
    pub bulletins: Vec<String>,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    #[command(flatten)]
    pub state: StateArgs,
    /// Only slots at or after this time: RFC 3339, or a duration back from now (24h, 7d)
    #[arg(long, value_name = "WHEN", value_parser = values::since)]
    pub since: Option<values::Since>,
    /// Only messages with this status (pending, sending, sent, failed, uncertain); repeat for several
    #[arg(long = "status", value_name = "STATUS", value_parser = values::status)]
    pub statuses: Vec<newsdigest::bulletin::outbox::Status>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Show addresses in full (masked by default: +•••••••••5678, a•••@example.com)
    #[arg(long)]
    pub full: bool,
}

#[derive(Debug, Args)]
pub struct RetryArgs {
    #[command(flatten)]
    pub state: StateArgs,
    /// The time the messages become due (RFC 3339), as `run --now` reads the clock. Default: now
    #[arg(long, value_name = "RFC3339", value_parser = values::instant)]
    pub now: Option<DateTime<Utc>>,
}
