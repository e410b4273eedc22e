//! `newsdigest check [--config FILE]`: every problem in the bulletins' configuration, at once.
//!
//! Finds the file (`--config`, `NEWSDIGEST_CONFIG`, then the XDG default, as every bulletin
//! command does), loads it and runs [`check`](newsdigest::bulletin::check::check). Each problem
//! is one line on stderr, then `main` prints the count and exits 78:
//!
//! ```text
//! error: /etc/newsdigest.toml: bulletin morning: /etc/morning.csv:7: 0171 is not a valid phone number for BD
//! error: 1 problem in /etc/newsdigest.toml
//! ```
//!
//! With none, it prints `ok: 2 sources, 3 targets, 2 bulletins, 1,234 subscribers` and exits 0.

use newsdigest::bulletin::check::{self, Environment};
use newsdigest::error::{Error, Result};

use super::{Io, state};
use crate::cli::CheckArgs;
use crate::output::print;

pub fn run(args: CheckArgs, io: &mut Io<'_>) -> Result<()> {
    let config = state::load_config(args.config.as_deref())?;
    let path = config.path.clone();
    let report = check::check(&config, &Environment::from_process());
    if report.problems.is_empty() {
        let summary = format!(
            "ok: {}, {}, {}, {}\n",
            counted(config.sources.len(), "source"),
            counted(config.targets.len(), "target"),
            counted(config.bulletins.len(), "bulletin"),
            counted(report.subscribers, "subscriber"),
        );
        return print(io, &summary);
    }
    for problem in &report.problems {
        // Logged (best effort): a closed stderr must not hide the exit code.
        tracing::error!("{}: {problem}", path.display());
    }
    Err(Error::Problems {
        path,
        count: report.problems.len(),
    })
}

/// `1 source`, `1,234 subscribers`.
fn counted(n: usize, noun: &str) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let plural = if n == 1 { "" } else { "s" };
    format!("{grouped} {noun}{plural}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_and_pluralized() {
        assert_eq!(counted(0, "source"), "0 sources");
        assert_eq!(counted(1, "target"), "1 target");
        assert_eq!(counted(999, "bulletin"), "999 bulletins");
        assert_eq!(counted(1_234, "subscriber"), "1,234 subscribers");
        assert_eq!(counted(1_000_000, "subscriber"), "1,000,000 subscribers");
    }
}
