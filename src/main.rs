//! The `newsdigest` binary: parse the command line into typed values, run the command, map errors
//! to exit codes.
//!
//! A bad flag value prints one line, `error: --FLAG: reason`, and exits 2; other errors print
//! `error: ...` (a JSON object with `--log-format json`) and exit with the code DESIGN.md gives.
//! A closed stdout (`newsdigest ... | head`) is not a failure; a stderr that cannot be written
//! never stops the work. Warnings and `-v` lines go through the logger ([`console`]).

mod cli;
mod commands;
mod console;
mod output;
mod screen;
mod settings;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use cli::Cli;
use commands::Io;
use console::Console;
use newsdigest::error::EXIT_USAGE;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    let console = Console::new(&cli.console);
    console.install_logger(&cli.console);
    let (stdin, stderr) = (io::stdin(), io::stderr());
    // stdout and stderr are not held locked for the whole command: `run`'s stdout target writes
    // from delivery threads, which lock stdout per message.
    let mut io = Io {
        stdin: &mut stdin.lock(),
        stdout: &mut io::BufWriter::new(io::stdout()),
        stderr: &mut &stderr,
        color: console.color,
        stdout_color: console.stdout_color,
        bars: console.bars.clone(),
    };
    match commands::run(cli.command, &mut io, chrono::Utc::now()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.is_broken_pipe() => ExitCode::SUCCESS,
        Err(error) => {
            console.report_error(&error.to_string(), error.exit_code());
            ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(1))
        }
    }
}

/// A flag value our parsers refused becomes `error: --FLAG: reason`; anything else (help,
/// version, unknown flags) is printed as clap prints it.
fn usage_error(error: &clap::Error) -> ExitCode {
    let flag = match error.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(arg)) => arg.split([' ', '=']).next().map(str::to_string),
        _ => None,
    };
    let reason = std::error::Error::source(error).map(ToString::to_string);
    match (error.kind(), flag, reason) {
        (ErrorKind::ValueValidation, Some(flag), Some(reason)) => {
            let _ = writeln!(io::stderr(), "error: {flag}: {reason}");
            ExitCode::from(EXIT_USAGE as u8)
        }
        _ => {
            // `print` writes help and version to stdout, errors to stderr; a failed write is moot.
            let _ = error.print();
            ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2))
        }
    }
}
