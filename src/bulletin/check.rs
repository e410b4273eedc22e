//! `newsdigest check`: every problem in a loaded [`Config`], found at once.
//!
//! Owns [`check`], [`Problem`], [`Report`] and [`Environment`]. Reads the configuration, the files
//! and folders it names (sources, subscribers, templates, locales, target folders, the sendmail
//! program) and which environment variables are set (never their values); writes nothing (a
//! folder's writability is tried with an unnamed temporary file). Nothing is fetched or sent.
//! Each problem names its place (`source desk`, `target spool`, `bulletin morning`, or a
//! subscribers line `bulletin morning: /etc/newsdigest/morning.csv:7`) so the user can fix them all
//! in one pass. Templates are rendered for every locale the bulletin's subscribers use, with two
//! small sample stories.
//!
//! ```
//! use newsdigest::bulletin::check::{check, Environment};
//! use newsdigest::bulletin::config::Config;
//! let config = Config::parse(r#"
//! [[target]]
//! name = "gateway"
//! kind = "kannel"
//! url = "http://127.0.0.1:13013/cgi-bin/sendsms"
//! username_env = "KANNEL_USER"
//! password_env = "KANNEL_PASSWORD"
//! "#).unwrap();
//! let report = check(&config, &Environment::default());
//! let shown: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
//! assert_eq!(shown, [
//!     "configuration: no [[bulletin]]: nothing would be sent",
//!     "target gateway: the environment variable KANNEL_USER (username_env) is not set",
//!     "target gateway: the environment variable KANNEL_PASSWORD (password_env) is not set",
//! ]);
//! ```

mod bulletins;
mod sources;
mod targets;
mod templates;

use std::collections::HashSet;
use std::ffi::OsString;
use std::fmt;
use std::path::Path;

use super::config::Config;
use super::store::location::{Origin, StateLocation};
use crate::locale;

/// One problem: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `source desk`, `target spool`, `bulletin morning`, `bulletin morning: morning.csv:7`.
    pub place: String,
    pub message: String,
}

impl fmt::Display for Problem {
    /// `place: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

/// What [`check`] found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Every problem, in the order of the file: names, state, sources, targets, bulletins.
    pub problems: Vec<Problem>,
    /// Subscribers that passed, over all bulletins.
    pub subscribers: usize,
}

/// What `check` may know of the process environment: which variables are set (not their values),
/// and the `PATH` a sendmail command is looked up in.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// Names of the variables set to a non-empty value.
    pub variables: HashSet<String>,
    /// `PATH`.
    pub path: Option<OsString>,
}

impl Environment {
    /// The current process's environment.
    pub fn from_process() -> Environment {
        let variables = std::env::vars_os()
            .filter(|(_, value)| !value.is_empty())
            .filter_map(|(name, _)| name.into_string().ok())
            .collect();
        Environment {
            variables,
            path: std::env::var_os("PATH"),
        }
    }

    fn is_set(&self, name: &str) -> bool {
        self.variables.contains(name)
    }
}

/// A `lease` setting (`90s`, `5m`): at least one second.
pub fn lease_of(text: &str) -> std::result::Result<std::time::Duration, String> {
    match humantime::parse_duration(text) {
        Ok(lease) if lease >= std::time::Duration::from_secs(1) => Ok(lease),
        Ok(_) => Err(format!("{text:?}: a lease is at least one second")),
        Err(error) => Err(format!("{text:?}: not a duration ({error})")),
    }
}

/// Checks everything in `config` and reports every problem found.
pub fn check(config: &Config, environment: &Environment) -> Report {
    let mut problems = Problems::default();
    check_names(config, &mut problems);
    if config.bulletins.is_empty() {
        problems.add("configuration", "no [[bulletin]]: nothing would be sent");
    }
    if let Some(state) = &config.state
        && StateLocation::is_url(&state.to_string_lossy())
    {
        // A server is not reached here (it may be down while the file is checked), only read.
        let env = |_: &str| None;
        let text = state.to_string_lossy();
        if let Err(message) = StateLocation::parse(&text, Origin::ConfigFile, &env) {
            problems.add("state", message);
        }
    } else if let Some(state) = &config.state {
        let result = match state.is_dir() {
            true => Err("a folder, not a database file".to_string()),
            false => targets::ensure_writable_folder(state.parent().unwrap_or(Path::new("."))),
        };
        if let Err(message) = result {
            problems.add("state", format!("{}: {message}", state.display()));
        }
    }
    if let Some(lease) = &config.lease
        && let Err(message) = lease_of(lease)
    {
        problems.add("lease", message);
    }
    for source in &config.sources {
        sources::check(source, &mut problems);
    }
    for target in &config.targets {
        targets::check(target, environment, &mut problems);
    }
    if let Some(serve) = &config.serve {
        check_serve(config, serve, environment, &mut problems);
    }
    let mut subscribers = 0;
    for bulletin in &config.bulletins {
        subscribers += bulletins::check(config, bulletin, &mut problems);
    }
    Report {
        problems: problems.0,
        subscribers,
    }
}

/// The `[serve]` section: where it listens, its token's variable, its limits, and the target
/// its confirmations go through.
fn check_serve(
    config: &Config,
    serve: &super::config::ServeConfig,
    environment: &Environment,
    problems: &mut Problems,
) {
    let place = "serve";
    if let Some(listen) = &serve.listen
        && listen.parse::<std::net::SocketAddr>().is_err()
    {
        problems.add(
            place,
            format!("listen {listen:?} is not an address and port such as 127.0.0.1:8088"),
        );
    }
    if !environment.is_set(&serve.token_env) {
        problems.add(
            place,
            format!(
                "the environment variable {} (token_env) is not set",
                serve.token_env
            ),
        );
    }
    if serve
        .rate
        .is_some_and(|rate| !(rate.is_finite() && rate > 0.0))
    {
        problems.add(place, "rate must be a positive number of requests a second");
    }
    if serve
        .threads
        .is_some_and(|threads| !(1..=64).contains(&threads))
    {
        problems.add(place, "threads must be between 1 and 64");
    }
    if serve
        .max_body
        .is_some_and(|bytes| !(1024..=16 * 1024 * 1024).contains(&bytes))
    {
        problems.add(place, "max_body must be between 1024 and 16777216 bytes");
    }
    if let Some(name) = &serve.reply_target {
        match config.target(name) {
            None => problems.add(place, format!("reply_target {name:?}: no such target")),
            Some(target)
                if !matches!(
                    target.kind,
                    super::config::TargetKind::Kannel
                        | super::config::TargetKind::Webhook
                        | super::config::TargetKind::Files
                        | super::config::TargetKind::Stdout
                ) =>
            {
                problems.add(
                    place,
                    format!("reply_target {name:?} sends email, not SMS confirmations"),
                );
            }
            Some(_) => {}
        }
    }
}

/// Whether a subscriber's locale tag can be loaded: a valid BCP 47 tag whose folder (`bn-BD`
/// falls back to `bn`) is built in or in `user_dir`, as [`locale::Locale::load`] finds it. `run`
/// passes it to [`subscribers::load`](super::subscribers::load) too.
pub fn known_locale(user_dir: Option<&Path>) -> impl Fn(&str) -> bool + use<> {
    let available: HashSet<String> = locale::available(user_dir).into_iter().collect();
    move |tag: &str| {
        let folder_known = available.contains(tag)
            || tag
                .split_once('-')
                .is_some_and(|(language, _)| available.contains(language));
        // Both must take the tag: Fluent (messages) and ICU (dates, numbers).
        folder_known
            && tag.parse::<unic_langid::LanguageIdentifier>().is_ok()
            && tag.parse::<icu_locale_core::Locale>().is_ok()
    }
}

/// The problems found so far.
#[derive(Debug, Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, place: &str, message: impl Into<String>) {
        self.0.push(Problem {
            place: place.to_string(),
            message: message.into(),
        });
    }

    /// Adds the problem unless the same one is already there (a template error met in every
    /// locale is reported once).
    fn add_once(&mut self, place: &str, message: String) {
        if !self
            .0
            .iter()
            .any(|problem| problem.place == place && problem.message == message)
        {
            self.add(place, message);
        }
    }
}

/// Names are unique within sources, targets and bulletins, and are made of letters, digits, `-`,
/// `_` and `.` (they end up in file names, crontab lines and the state database).
fn check_names(config: &Config, problems: &mut Problems) {
    let lists: [(&str, Vec<&str>); 3] = [
        (
            "source",
            config.sources.iter().map(|s| s.name.as_str()).collect(),
        ),
        (
            "target",
            config.targets.iter().map(|t| t.name.as_str()).collect(),
        ),
        (
            "bulletin",
            config.bulletins.iter().map(|b| b.name.as_str()).collect(),
        ),
    ];
    for (kind, names) in lists {
        let mut seen = HashSet::new();
        for name in names {
            let usable = !name.is_empty()
                && !name.starts_with('.')
                && name
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if !usable {
                problems.add(
                    &format!("{kind} {name:?}"),
                    "a name is letters, digits, '-', '_' and '.' (not first)",
                );
            } else if !seen.insert(name) {
                problems.add(
                    &format!("{kind} {name}"),
                    format!("another {kind} is named {name:?}"),
                );
            }
        }
    }
}

/// `text` as an `http://` or `https://` URL with a host. The URL is never repeated in the message:
/// it may hold a secret.
fn ensure_http_url(text: &str) -> Result<(), String> {
    let url = url::Url::parse(text).map_err(|error| format!("url is not a URL ({error})"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err("url is not an http:// or https:// URL".into());
    }
    let password_in_query = url
        .query_pairs()
        .any(|(key, _)| key.eq_ignore_ascii_case("password"));
    if url.password().is_some() || password_in_query {
        return Err(
            "url holds a password: put it in an environment variable named by password_env".into(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests;
