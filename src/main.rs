//! The `newsdigest` binary: parse the command line, run the command, map errors to exit codes.

use std::io::{self, IsTerminal};
use std::process::ExitCode;

mod cli;
mod commands;
mod screen;

use clap::Parser;
use cli::Cli;
use commands::Io;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (stdin, stdout, stderr) = (io::stdin(), io::stdout(), io::stderr());
    let mut io = Io {
        stdin: &mut stdin.lock(),
        stdout: &mut io::BufWriter::new(io::stdout().lock()),
        stderr: &mut stderr.lock(),
        stdout_is_terminal: stdout.is_terminal(),
    };
    match commands::run(cli.command, &mut io, chrono::Utc::now()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.is_broken_pipe() => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(1))
        }
    }
}
