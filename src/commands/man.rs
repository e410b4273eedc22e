//! `newsdigest man`: the manual pages, generated from the command-line definitions (clap_mangen)
//! with the sections clap does not know: EXIT STATUS (README's exit codes), ENVIRONMENT and FILES.
//!
//! One page per subcommand (`newsdigest-digest.1`, and `newsdigest-templates-list.1` for nested
//! ones) besides `newsdigest.1`. Without `--out` one page is printed; with `--out DIR` every page
//! is written there, each whole or not at all. Example: `newsdigest man --out target/man`, then
//! `man -l target/man/newsdigest-digest.1`.

use chrono::{DateTime, Utc};
use clap::CommandFactory;
use clap_mangen::Man;
use newsdigest::error::{self, Error, Result};
use roff::{Roff, bold, italic, roman};

use super::Io;
use crate::cli::{Cli, ManArgs};
use crate::output::{self, Existing, print};

pub fn run(args: ManArgs, io: &mut Io<'_>, clock: DateTime<Utc>) -> Result<()> {
    let pages = pages(&page_date(clock));
    if let Some(dir) = &args.out {
        let files: Vec<(&str, &[u8])> = pages
            .iter()
            .map(|(name, page)| (name.as_str(), page.as_bytes()))
            .collect();
        let written = output::write_tree(dir, &files, Existing::Replace)?;
        tracing::info!(pages = written.len(), path = %dir.display(), "man pages written");
        return Ok(());
    }
    let wanted = match &args.page {
        Some(page) => format!("newsdigest-{}.1", page.replace(' ', "-")),
        None => "newsdigest.1".to_string(),
    };
    match pages.iter().find(|(name, _)| *name == wanted) {
        Some((_, page)) => print(io, page),
        None => Err(Error::Usage {
            option: "page",
            message: format!(
                "no subcommand {:?} (one of: {})",
                args.page.unwrap_or_default(),
                subcommand_names().join(", ")
            ),
        }),
    }
}

/// The date on the pages: `SOURCE_DATE_EPOCH` (reproducible builds, as Debian sets it), else
/// today.
fn page_date(clock: DateTime<Utc>) -> String {
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let date = epoch
        .and_then(|seconds| seconds.trim().parse::<i64>().ok())
        .and_then(|seconds| DateTime::<Utc>::from_timestamp(seconds, 0))
        .unwrap_or(clock);
    date.format("%Y-%m-%d").to_string()
}

/// Every page, dated `date`: (file name, roff source), the main page first.
pub fn pages(date: &str) -> Vec<(String, String)> {
    let mut root = Cli::command();
    root.build();
    let mut pages = Vec::new();
    add_pages(&root, date, &mut pages);
    pages
}

/// The page of `cmd` and of each subcommand under it.
fn add_pages(cmd: &clap::Command, date: &str, pages: &mut Vec<(String, String)>) {
    let name = cmd.get_display_name().unwrap_or(cmd.get_name()).to_string();
    pages.push((format!("{name}.1"), page(cmd, date)));
    for sub in cmd.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        if sub.get_name() != "help" {
            add_pages(sub, date, pages);
        }
    }
}

/// The subcommands a page can be asked for.
fn subcommand_names() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect()
}

/// One page: clap's sections, with EXIT STATUS, ENVIRONMENT, FILES and SEE ALSO before VERSION.
fn page(cmd: &clap::Command, date: &str) -> String {
    let man = Man::new(cmd.clone())
        .date(date)
        .source(format!("newsdigest {}", env!("CARGO_PKG_VERSION")))
        .manual("newsdigest manual");
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = man.render(&mut out);
    let mut text = String::from_utf8_lossy(&out).into_owned();
    let extra = extra_sections().to_roff();
    match text.find("\n.SH VERSION") {
        Some(at) => text.insert_str(at + 1, &extra),
        None => text.push_str(&extra),
    }
    text
}

/// The exit codes (README, "Exit codes"; `newsdigest::error`).
const EXIT_STATUS: &[(i32, &str)] = &[
    (
        0,
        "Success; also when stdout is closed early, and when there is nothing new to send.",
    ),
    (
        error::EXIT_USAGE,
        "Usage: an unknown flag or a bad flag value.",
    ),
    (
        error::EXIT_DATA,
        "Bad input data: an empty file, invalid UTF-8, a malformed feed, an unreadable dateline given to time, a fetched body over the size limit.",
    ),
    (
        error::EXIT_NO_INPUT,
        "An input is missing, or no story is in the locale's language (use --any-language).",
    ),
    (
        error::EXIT_UNAVAILABLE,
        "A feed URL is unavailable and retrying it unchanged will not help (HTTP 4xx but 408 and 429, unknown host, TLS failure, redirect loop).",
    ),
    (error::EXIT_CANT_CREATE, "An output file cannot be created."),
    (
        error::EXIT_IO,
        "An I/O error, also when the state database cannot be read or written.",
    ),
    (
        error::EXIT_TEMPORARY,
        "Worth retrying later: a feed timed out or answered 5xx, 408 or 429; another run holds the state file's lock; a gateway could not take messages now (they stay pending).",
    ),
    (
        error::EXIT_CONFIG,
        "Configuration error: a template, a locale, newsdigest.toml, a target's settings or credential variables; check found problems.",
    ),
];

/// Environment variables the binary reads.
const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "NEWSDIGEST_CONFIG",
        "The configuration file, when --config is not given.",
    ),
    (
        "NEWSDIGEST_LOG, RUST_LOG",
        "Log filter when neither -q nor -v is given, e.g. info or newsdigest::ingest=debug (NEWSDIGEST_LOG wins).",
    ),
    (
        "NO_COLOR",
        "When set and not empty, no colour with --color auto.",
    ),
    (
        "CLICOLOR_FORCE",
        "When set and not 0, colour with --color auto even when not on a terminal (NO_COLOR wins).",
    ),
    (
        "NEWSDIGEST_CACHE_DIR",
        "Where fetched feeds' validators are kept (default: $XDG_CACHE_HOME/newsdigest).",
    ),
    (
        "XDG_CONFIG_HOME, XDG_STATE_HOME, XDG_CACHE_HOME, HOME",
        "Base folders of the default configuration, state and cache files.",
    ),
];

/// Files the binary reads and writes.
const FILES: &[(&str, &str)] = &[
    (
        "$XDG_CONFIG_HOME/newsdigest/newsdigest.toml",
        "The configuration (~/.config/newsdigest/newsdigest.toml), unless --config or NEWSDIGEST_CONFIG names another.",
    ),
    (
        "/etc/newsdigest/newsdigest.toml",
        "The configuration the Debian package installs and its systemd service uses.",
    ),
    (
        "$XDG_STATE_HOME/newsdigest/state.db",
        "The state database (stories sent, the outbox) unless the configuration's state names another; /var/lib/newsdigest/state.db for the packaged service.",
    ),
    (
        "$XDG_CACHE_HOME/newsdigest/",
        "ETag and Last-Modified of fetched feeds (~/.cache/newsdigest).",
    ),
    (
        "/usr/lib/systemd/system/newsdigest.service, newsdigest.timer",
        "The packaged service running newsdigest run every minute as user newsdigest (the timer is disabled until enabled).",
    ),
];

fn extra_sections() -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in EXIT_STATUS {
        roff.control("TP", [])
            .text([bold(code.to_string())])
            .text([roman(*meaning)]);
    }
    roff.control("SH", ["ENVIRONMENT"]);
    for (name, meaning) in ENVIRONMENT {
        roff.control("TP", [])
            .text([bold(*name)])
            .text([roman(*meaning)]);
    }
    roff.control("SH", ["FILES"]);
    for (path, meaning) in FILES {
        roff.control("TP", [])
            .text([italic(*path)])
            .text([roman(*meaning)]);
    }
    roff.control("SH", ["SEE ALSO"]);
    roff.text([roman(
        "newsdigest(1), newsdigest-digest(1), newsdigest-run(1), newsdigest-schedule(1), \
         crontab(5), systemd.timer(5); README.md of the source.",
    )]);
    roff
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_subcommand_has_a_page_with_exit_status_and_files() {
        let pages = pages("2025-04-23");
        let names: Vec<&str> = pages.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names[0], "newsdigest.1");
        for sub in subcommand_names().iter().filter(|s| *s != "help") {
            let name = format!("newsdigest-{sub}.1");
            assert!(names.contains(&name.as_str()), "no {name} in {names:?}");
        }
        assert!(names.contains(&"newsdigest-templates-list.1"), "{names:?}");
        for (name, page) in &pages {
            let title = format!(".TH {} 1", name.trim_end_matches(".1"));
            assert!(page.contains(&title), "{name}");
            for section in [
                ".SH NAME",
                ".SH SYNOPSIS",
                ".SH \"EXIT STATUS\"",
                ".SH FILES",
            ] {
                assert!(page.contains(section), "{name} lacks {section}");
            }
            assert!(
                page.contains("\n78\n") || page.contains("fB78\\fR"),
                "{name}: no exit 78"
            );
        }
    }

    #[test]
    fn a_subcommand_page_is_titled_and_used_as_the_subcommand() {
        let pages = pages("2025-04-23");
        let (_, digest) = pages
            .iter()
            .find(|(name, _)| name == "newsdigest-digest.1")
            .expect("a digest page");
        assert!(
            digest.contains("\n.TH newsdigest-digest 1 2025-04-23 \"newsdigest 0."),
            "{}",
            &digest[..120]
        );
        let sections: Vec<&str> = digest.lines().filter(|l| l.starts_with(".SH")).collect();
        assert_eq!(
            sections,
            [
                ".SH NAME",
                ".SH SYNOPSIS",
                ".SH DESCRIPTION",
                ".SH OPTIONS",
                ".SH \"CONSOLE OPTIONS\"",
                ".SH \"EXIT STATUS\"",
                ".SH ENVIRONMENT",
                ".SH FILES",
                ".SH \"SEE ALSO\"",
                ".SH VERSION",
            ]
        );
        assert!(
            digest.contains("newsdigest digest"),
            "synopsis names the command"
        );
        assert!(
            digest.contains("\\-\\-max\\-segments"),
            "options are listed"
        );
    }
}
