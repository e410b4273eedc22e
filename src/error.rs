//! The crate's error type, and the exit code each kind of error maps to.
//!
//! Every variant carries what the user needs to fix the problem: the file (and line), the template
//! and locale, the zone text. `main` prints `error: {error}` and exits with [`Error::exit_code`]
//! (sysexits values, as README.md lists them under "Exit codes").

use std::io;
use std::path::PathBuf;

use crate::dateline::DatelineError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Exit code for bad input data (EX_DATAERR).
pub const EXIT_DATA: i32 = 65;
/// Exit code for a missing input (EX_NOINPUT).
pub const EXIT_NO_INPUT: i32 = 66;
/// Exit code for a feed server that refused or is unreachable in a way retrying unchanged will not
/// fix: HTTP 4xx (but 408 and 429), unknown host, TLS failure, redirect loop (EX_UNAVAILABLE).
pub const EXIT_UNAVAILABLE: i32 = 69;
/// Exit code for an output that cannot be created (EX_CANTCREAT).
pub const EXIT_CANT_CREATE: i32 = 73;
/// Exit code for an I/O error while reading or writing (EX_IOERR).
pub const EXIT_IO: i32 = 74;
/// Exit code for a fetch worth retrying later: timeout, refused or reset connection, temporary DNS
/// failure, HTTP 5xx, 408 and 429 (EX_TEMPFAIL).
pub const EXIT_TEMPORARY: i32 = 75;
/// Exit code for a configuration error: templates, locales (EX_CONFIG).
pub const EXIT_CONFIG: i32 = 78;
/// Exit code for a bad command-line value (same as clap's usage errors).
pub const EXIT_USAGE: i32 = 2;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: no such file or directory", path.display())]
    InputMissing { path: PathBuf },

    #[error("{}: cannot read: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },

    #[error("{origin}: not valid UTF-8 (first bad byte at offset {offset})")]
    NotUtf8 { origin: String, offset: usize },

    #[error("{origin}: {message}")]
    BadArticle { origin: String, message: String },

    #[error("{origin}:{line}: {message}")]
    BadArticleLine {
        origin: String,
        line: usize,
        message: String,
    },

    /// A feed could not be fetched, and fetching it again later may work (exit 75).
    #[error("{url}: {message}")]
    FetchRetryLater { url: String, message: String },

    /// A feed could not be fetched, and fetching it again unchanged will not help (exit 69).
    #[error("{url}: {message}")]
    FetchUnavailable { url: String, message: String },

    #[error("no articles to digest")]
    NoArticles,

    #[error(
        "no story in the language of locale {locale}; use --locale with the stories' language, or --any-language"
    )]
    NoStoryInLanguage { locale: String },

    #[error("{0}")]
    Dateline(#[from] DatelineError),

    #[error("--{option}: {message}")]
    Usage {
        option: &'static str,
        message: String,
    },

    #[error("locale {locale:?}: {message}")]
    Locale { locale: String, message: String },

    #[error("{}: {message}", path.display())]
    Config { path: PathBuf, message: String },

    #[error("template {name}{}: {message}{}", line.map(|l| format!(":{l}")).unwrap_or_default(), locale.as_ref().map(|l| format!(" (locale {l})")).unwrap_or_default())]
    Template {
        name: String,
        line: Option<usize>,
        locale: Option<String>,
        message: String,
    },

    #[error("{message}")]
    Budget { message: String },

    #[error("email: {message}")]
    Email { message: String },

    #[error("{}: cannot write: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },

    #[error("cannot write output: {0}")]
    Output(#[source] io::Error),

    /// Another `run` holds the state file's lock (exit 75: cron will try again).
    #[error("{}: another newsdigest run is in progress (locked); try again later", path.display())]
    Locked { path: PathBuf },

    /// The state database cannot be opened, read or written.
    #[error("{}: state: {message}", path.display())]
    State { path: PathBuf, message: String },

    /// The state database's server cannot be reached now (refused, timed out, shutting down):
    /// cron tries again at the next tick (exit 75). `location` never holds a password.
    #[error("{location}: state: {message}")]
    StateUnavailable { location: String, message: String },

    /// Messages could not be delivered now and stay pending for the next run (exit 75).
    #[error("target {target}: {message}")]
    GatewayLater { target: String, message: String },

    /// A delivery target cannot be opened as configured: a missing key, a bad URL, an unset
    /// environment variable (named, never its value) (exit 78).
    #[error("target {target}: {message}")]
    Target { target: String, message: String },

    /// A data file other than an article (a subscribers CSV) is malformed at `line` (exit 65).
    #[error("{}:{line}: {message}", path.display())]
    BadDataLine {
        path: PathBuf,
        line: usize,
        message: String,
    },

    /// `serve` cannot listen on `address` (in use, not this host's, no permission) (exit 69).
    #[error("serve: cannot listen on {address}: {message}")]
    Listen { address: String, message: String },

    /// `check` found `count` problems in the configuration, each already printed (exit 78).
    #[error("{count} problem{} in {}", if *count == 1 { "" } else { "s" }, path.display())]
    Problems { path: PathBuf, count: usize },
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::InputMissing { .. } | Error::NoArticles | Error::NoStoryInLanguage { .. } => {
                EXIT_NO_INPUT
            }
            Error::Read { .. } | Error::Output(_) => EXIT_IO,
            Error::NotUtf8 { .. }
            | Error::BadArticle { .. }
            | Error::BadArticleLine { .. }
            | Error::BadDataLine { .. }
            | Error::Dateline(_) => EXIT_DATA,
            Error::Usage { .. } => EXIT_USAGE,
            Error::Locale { .. }
            | Error::Config { .. }
            | Error::Template { .. }
            | Error::Budget { .. }
            | Error::Email { .. }
            | Error::Target { .. }
            | Error::Problems { .. } => EXIT_CONFIG,
            Error::Write { .. } => EXIT_CANT_CREATE,
            Error::FetchRetryLater { .. }
            | Error::Locked { .. }
            | Error::GatewayLater { .. }
            | Error::StateUnavailable { .. } => EXIT_TEMPORARY,
            Error::State { .. } => EXIT_IO,
            Error::FetchUnavailable { .. } | Error::Listen { .. } => EXIT_UNAVAILABLE,
        }
    }

    /// Whether this error is a closed stdout (`newsdigest ... | head`), which is not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(error: Error) -> i32 {
        error.exit_code()
    }

    #[test]
    fn exit_codes_follow_sysexits() {
        let url = || "https://example.org/feed.xml".to_string();
        let message = || "HTTP 500 Internal Server Error".to_string();
        assert_eq!(
            code(Error::FetchRetryLater {
                url: url(),
                message: message()
            }),
            75
        );
        assert_eq!(
            code(Error::FetchUnavailable {
                url: url(),
                message: message()
            }),
            69
        );
        let missing = Error::InputMissing {
            path: PathBuf::from("a.txt"),
        };
        assert_eq!(code(missing), 66);
        assert_eq!(code(Error::NoArticles), 66);
        let bad = Error::BadArticle {
            origin: url(),
            message: message(),
        };
        assert_eq!(code(bad), 65);
        assert_eq!(code(Error::Output(io::ErrorKind::Other.into())), 74);
        let template = Error::Template {
            name: "x".into(),
            line: None,
            locale: None,
            message: message(),
        };
        assert_eq!(code(template), 78);
    }

    #[test]
    fn fetch_errors_are_one_line_naming_the_url() {
        let error = Error::FetchRetryLater {
            url: "https://host/feed.xml".into(),
            message: "HTTP 500 Internal Server Error".into(),
        };
        assert_eq!(
            error.to_string(),
            "https://host/feed.xml: HTTP 500 Internal Server Error"
        );
    }
}
