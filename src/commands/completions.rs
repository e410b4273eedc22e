//! `newsdigest completions SHELL`: the shell's completion script for every subcommand and flag,
//! generated from the command-line definitions (clap_complete), on stdout.
//! Example: `source <(newsdigest completions bash)`, or save it where the shell looks
//! (`/usr/share/bash-completion/completions/newsdigest`, as the Debian package does).

use clap::CommandFactory;
use newsdigest::error::Result;

use super::Io;
use crate::cli::{Cli, CompletionsArgs};
use crate::output::print;

pub fn run(args: CompletionsArgs, io: &mut Io<'_>) -> Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "newsdigest", &mut script);
    print(io, &String::from_utf8_lossy(&script))
}
