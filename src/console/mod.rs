//! The binary's manners on a terminal and in cron: what goes to stderr and how. It owns the
//! resolution of `-q`, `-v`, `--log-format` and `--color` (with `NO_COLOR`, `CLICOLOR_FORCE`,
//! `NEWSDIGEST_LOG` and `RUST_LOG`) into one [`Console`], installs the logger ([`log`]), hands out
//! progress bars ([`progress`]) and prints the final error line.
//!
//! Reads the process environment and whether stdout and stderr are terminals, once, in `main`;
//! commands see only the resolved values. Example: `newsdigest -v --log-format json run` logs one
//! JSON object per line on stderr and draws no bar.

pub mod log;
pub mod progress;

use std::io::{self, IsTerminal};

use anstream::ColorChoice;

use crate::cli::{Color, ConsoleArgs, LogFormat};
pub use progress::Bars;

/// The resolved console settings of one run.
pub struct Console {
    /// The user's `--color`.
    pub color: Color,
    /// Whether stdout is coloured when it is where the output goes (`--color`, `NO_COLOR`,
    /// `CLICOLOR_FORCE`, and a terminal for `auto`).
    pub stdout_color: bool,
    /// Whether log lines on stderr are coloured.
    stderr_color: bool,
    format: LogFormat,
    /// Progress bars: drawn only on a terminal stderr, without `-q` and with text logs.
    pub bars: Bars,
}

impl Console {
    /// Resolves the flags against the environment and the terminals.
    pub fn new(args: &ConsoleArgs) -> Console {
        let stdout_color = colors(args.color, &io::stdout());
        let stderr_color = colors(args.color, &io::stderr());
        let bars_shown =
            io::stderr().is_terminal() && !args.quiet && args.log_format == LogFormat::Text;
        Console {
            color: args.color,
            stdout_color,
            stderr_color,
            format: args.log_format,
            bars: Bars::new(bars_shown),
        }
    }

    /// Installs the logger for the whole process, filtered by `-q`/`-v` or else by
    /// `NEWSDIGEST_LOG` or `RUST_LOG`; a filter that does not parse is reported as a warning.
    pub fn install_logger(&self, args: &ConsoleArgs) {
        let env = ["NEWSDIGEST_LOG", "RUST_LOG"].iter().find_map(|name| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .map(|v| (*name, v))
        });
        let (filter, problem) = log::filter(args.quiet, args.verbose, env);
        log::install(filter, self.sink());
        if let Some(problem) = problem {
            tracing::warn!("{problem}");
        }
    }

    /// Prints the error that ends the run: `error: ...` on one line, or one JSON object with
    /// `--log-format json`. Never filtered: `-q` and `NEWSDIGEST_LOG=off` still show it.
    pub fn report_error(&self, message: &str, exit_code: i32) {
        let line = log::Line {
            level: tracing::Level::ERROR,
            message: message.to_string(),
            fields: vec![("exit_code".into(), log::Value::Count(exit_code.into()))],
        };
        self.sink().write(&line);
    }

    fn sink(&self) -> log::Sink {
        log::Sink {
            format: self.format,
            color: self.stderr_color,
            bars: self.bars.clone(),
        }
    }
}

/// Whether `choice` colours `stream`: `auto` asks `NO_COLOR` (which wins), `CLICOLOR_FORCE`,
/// `CLICOLOR`, `TERM` and whether the stream is a terminal.
fn colors<S: anstream::stream::RawStream>(choice: Color, stream: &S) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => anstream::AutoStream::<S>::choice(stream) != ColorChoice::Never,
    }
}
