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
/// Exit code for an output that cannot be created (EX_CANTCREAT).
pub const EXIT_CANT_CREATE: i32 = 73;
/// Exit code for an I/O error while reading or writing (EX_IOERR).
pub const EXIT_IO: i32 = 74;
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
            | Error::Dateline(_) => EXIT_DATA,
            Error::Usage { .. } => EXIT_USAGE,
            Error::Locale { .. }
            | Error::Config { .. }
            | Error::Template { .. }
            | Error::Budget { .. }
            | Error::Email { .. } => EXIT_CONFIG,
            Error::Write { .. } => EXIT_CANT_CREATE,
        }
    }

    /// Whether this error is a closed stdout (`newsdigest ... | head`), which is not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}
