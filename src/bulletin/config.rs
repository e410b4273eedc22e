//! `newsdigest.toml`: sources, delivery targets and bulletins, as written by the user.
//!
//! [`Config::load`] parses the file (unknown keys are errors, so a typo is never silently
//! ignored) and resolves relative paths against the file's folder, so `run` works from any working
//! directory, as cron runs it. Checking the values (zones, locales, templates, cron expressions,
//! subscribers) is [`check`](super::check)'s job, which reports every problem at once.
//!
//! ```toml
//! [[source]]
//! name = "desk"
//! path = "/srv/wire"
//! country = "BD"
//!
//! [[target]]
//! name = "spool"
//! kind = "files"
//! dir = "/var/spool/newsdigest"
//!
//! [[bulletin]]
//! name = "morning"
//! channel = "sms"
//! sources = ["desk"]
//! schedule = "0 7 * * *"
//! zone = "Asia/Dhaka"
//! subscribers = "morning.csv"
//! target = "spool"
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::store::UncertainPolicy;
use crate::error::{Error, Result};

/// The whole configuration file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The state database: a SQLite file (default `$XDG_STATE_HOME/newsdigest/state.db`), or a
    /// PostgreSQL server, `postgres://USER@HOST[:PORT]/DATABASE` (no password here: PGPASSWORD
    /// or a pgpass file). `NEWSDIGEST_STATE` overrides it.
    pub state: Option<PathBuf>,
    /// How long a worker's claim on messages lasts before another worker takes it for dead
    /// (`5m` by default); longer than sending one window of messages takes.
    pub lease: Option<String>,
    #[serde(default, rename = "source")]
    pub sources: Vec<SourceConfig>,
    #[serde(default, rename = "target")]
    pub targets: Vec<TargetConfig>,
    #[serde(default, rename = "bulletin")]
    pub bulletins: Vec<BulletinConfig>,
    /// `newsdigest serve`: delivery reports, STOP and START from readers.
    pub serve: Option<ServeConfig>,
    /// The file this was read from (set by [`Config::load`]).
    #[serde(skip)]
    pub path: PathBuf,
}

/// `[serve]`: the HTTP server that takes gateways' delivery reports and readers' messages.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServeConfig {
    /// The address and port to listen on (default `127.0.0.1:8088`).
    pub listen: Option<String>,
    /// The environment variable holding the token every request must carry (`?token=` or
    /// `Authorization: Bearer`): at least 16 letters, digits or `-._~`.
    pub token_env: String,
    /// The target that sends the confirmation of a STOP or START (default: the target of the
    /// first SMS bulletin).
    pub reply_target: Option<String>,
    /// Largest request body in bytes (default 65536).
    pub max_body: Option<usize>,
    /// Requests per second from one client address at most (default 200; bursts of twice that).
    pub rate: Option<f64>,
    /// Requests handled at once (default 4).
    pub threads: Option<usize>,
}

/// Where a bulletin's articles come from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    pub name: String,
    /// A file or folder.
    pub path: Option<PathBuf>,
    /// A feed URL (`http://` or `https://`).
    pub url: Option<String>,
    /// The outlet's country (ISO 3166 alpha-2): reads its datelines and is the default region of
    /// subscribers' phone numbers.
    pub country: Option<String>,
    /// The zone of datelines that name none (IANA).
    pub zone: Option<String>,
    /// The articles' language, when detection should not guess.
    pub language: Option<String>,
    /// Seconds to wait for a feed server (default 30).
    pub timeout: Option<u64>,
}

/// How a target delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetKind {
    Files,
    Stdout,
    Kannel,
    Webhook,
    Smtp,
    Sendmail,
}

/// How an SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (required).
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a local relay.
    None,
}

/// A delivery target. Which keys apply depends on `kind`; credentials are never written here,
/// only the names of the environment variables that hold them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetConfig {
    pub name: String,
    pub kind: TargetKind,
    /// `files`: the folder messages are written to.
    pub dir: Option<PathBuf>,
    /// `kannel`: the sendsms URL (`http://host:13013/cgi-bin/sendsms`); `webhook`: the URL POSTed to.
    pub url: Option<String>,
    /// `kannel`: the sender (`from=`).
    pub from: Option<String>,
    /// `kannel`, `smtp`, `webhook`: the environment variable holding the user name.
    pub username_env: Option<String>,
    /// `kannel`, `smtp`: the environment variable holding the password.
    pub password_env: Option<String>,
    /// `webhook`: the environment variable holding a bearer token.
    pub token_env: Option<String>,
    /// `smtp`: the server.
    pub host: Option<String>,
    pub port: Option<u16>,
    #[serde(default)]
    pub security: SmtpSecurity,
    /// `sendmail`: the command and its arguments (default `["/usr/sbin/sendmail", "-t", "-i"]`).
    pub command: Option<Vec<String>>,
    /// Messages per second at most (default: no limit).
    pub rate: Option<f64>,
    /// Requests in flight at most (default 4).
    pub concurrency: Option<usize>,
    /// `kannel`: recipients per request (default 1; Kannel takes several, space-separated).
    pub batch: Option<usize>,
    /// Seconds to wait for the gateway (default 30).
    pub timeout: Option<u64>,
    /// `kannel`, `webhook`: `newsdigest serve` as the gateway reaches it
    /// (`http://127.0.0.1:8088`): Kannel sends each part's delivery report there, a webhook is
    /// given the URL to post its status callbacks to.
    pub report_url: Option<String>,
    /// The environment variable holding `serve`'s token (the same as `[serve] token_env`).
    pub report_token_env: Option<String>,
}

/// `sms` or `email`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelConfig {
    Sms,
    Email,
}

/// A bulletin's subscribers: a CSV file (`address,locale,tz[,name][,quiet]` with a header), or a
/// list.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SubscribersConfig {
    File(PathBuf),
    Inline(Vec<InlineSubscriber>),
}

/// One subscriber written in the configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InlineSubscriber {
    pub address: String,
    pub locale: String,
    pub tz: String,
    pub name: Option<String>,
    /// This reader's quiet hours: a window (`21:00-06:00`), `none` (or `off`) for none; absent or
    /// empty, the bulletin's.
    pub quiet: Option<String>,
}

/// One bulletin: what it carries, when, to whom, through which target.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulletinConfig {
    pub name: String,
    pub channel: ChannelConfig,
    pub sources: Vec<String>,
    /// A cron expression (5 fields, or 6 with seconds), read in `zone`.
    pub schedule: String,
    /// The schedule's zone (IANA); default UTC.
    pub zone: Option<String>,
    /// Most stories per message (default 5).
    pub stories: Option<usize>,
    /// SMS segments at most (default 1).
    pub max_segments: Option<usize>,
    /// Only stories published this long before the slot or later (`24h`, `90m`); default 24h,
    /// so a first run does not flood old stories.
    pub since: Option<String>,
    /// A folder of templates overriding the built-in ones.
    pub templates: Option<PathBuf>,
    /// A folder of locale files overriding the built-in ones.
    pub locales: Option<PathBuf>,
    pub subscribers: SubscribersConfig,
    pub target: String,
    /// Email: the sender.
    pub from: Option<String>,
    /// Email: the `List-Unsubscribe` URL.
    pub unsubscribe: Option<String>,
    /// Email: sentences per story (default 3).
    pub email_sentences: Option<usize>,
    /// Fewest words a story shows in a multi-story SMS (default 6).
    pub min_words: Option<usize>,
    /// Keep stories in another language than the subscriber's locale.
    #[serde(default)]
    pub any_language: bool,
    /// Which sentences a summary carries: `lead`, `smart` or `auto` (default).
    pub strategy: Option<String>,
    /// The share of the SMS budget left after whole sentences above which a cut sentence fills it.
    pub fill: Option<f64>,
    /// Attempts at most before a message is `failed` (default 5).
    pub max_attempts: Option<u32>,
    /// The first retry's delay, doubled at each attempt (default `1m`).
    pub retry_after: Option<String>,
    /// Quiet hours, `HH:MM-HH:MM` in each subscriber's own zone (`22:00-07:00` crosses midnight,
    /// `13:00-14:00` does not): a message due inside waits until the window ends (its end on a
    /// day it does not exist, or exists twice, is the earliest instant at or after it). A
    /// subscriber's `quiet` overrides it. Default: none.
    pub quiet: Option<String>,
    /// The oldest a message held by quiet hours may be (from its slot) when the window ends
    /// (`12h`); an older one is not sent, recorded `skipped` with the reason. Default: never
    /// dropped.
    pub quiet_max_age: Option<String>,
    /// What to do with a message a killed run left uncertain (default `hold`).
    #[serde(default)]
    pub uncertain: UncertainPolicy,
}

impl Config {
    /// Reads and parses `path`; relative paths in it are made relative to its folder.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => Error::Config {
                path: path.to_path_buf(),
                message: "no such configuration file".into(),
            },
            _ => Error::Config {
                path: path.to_path_buf(),
                message: format!("cannot read: {source}"),
            },
        })?;
        let mut config = Config::parse(&text).map_err(|message| Error::Config {
            path: path.to_path_buf(),
            message,
        })?;
        config.path = path.to_path_buf();
        let base = path.parent().unwrap_or(Path::new("."));
        config.resolve_paths(base);
        Ok(config)
    }

    /// Parses configuration text; the error says where (line and column) and what.
    pub fn parse(text: &str) -> std::result::Result<Config, String> {
        toml::from_str(text).map_err(|error| {
            let message = error.message().to_string();
            match error.span() {
                Some(span) => {
                    let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                    format!("line {line}: {message}")
                }
                None => message,
            }
        })
    }

    /// The file named by `--config`, else `NEWSDIGEST_CONFIG`, else
    /// `$XDG_CONFIG_HOME/newsdigest/newsdigest.toml` (`~/.config/...`).
    pub fn locate(flag: Option<&Path>) -> Option<PathBuf> {
        if let Some(path) = flag {
            return Some(path.to_path_buf());
        }
        if let Some(path) = std::env::var_os("NEWSDIGEST_CONFIG").filter(|p| !p.is_empty()) {
            return Some(PathBuf::from(path));
        }
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))?;
        Some(base.join("newsdigest").join("newsdigest.toml"))
    }

    /// The state database: `state`, else `$XDG_STATE_HOME/newsdigest/state.db`
    /// (`~/.local/state/...`).
    pub fn state_path(&self) -> Option<PathBuf> {
        if let Some(path) = &self.state {
            return Some(path.clone());
        }
        let base = std::env::var_os("XDG_STATE_HOME")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/state"))
            })?;
        Some(base.join("newsdigest").join("state.db"))
    }

    pub fn source(&self, name: &str) -> Option<&SourceConfig> {
        self.sources.iter().find(|source| source.name == name)
    }

    pub fn target(&self, name: &str) -> Option<&TargetConfig> {
        self.targets.iter().find(|target| target.name == name)
    }

    pub fn bulletin(&self, name: &str) -> Option<&BulletinConfig> {
        self.bulletins.iter().find(|bulletin| bulletin.name == name)
    }

    fn resolve_paths(&mut self, base: &Path) {
        let resolve = |path: &mut PathBuf| {
            if path.is_relative() {
                *path = base.join(&*path);
            }
        };
        if let Some(state) = &mut self.state
            && !super::store::StateLocation::is_url(&state.to_string_lossy())
        {
            resolve(state);
        }
        for source in &mut self.sources {
            if let Some(path) = &mut source.path {
                resolve(path);
            }
        }
        for target in &mut self.targets {
            if let Some(dir) = &mut target.dir {
                resolve(dir);
            }
        }
        for bulletin in &mut self.bulletins {
            for path in [&mut bulletin.templates, &mut bulletin.locales]
                .into_iter()
                .flatten()
            {
                resolve(path);
            }
            if let SubscribersConfig::File(path) = &mut bulletin.subscribers {
                resolve(path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTRACT: &str = r#"
state = "/var/lib/newsdigest/state.db"

[[source]]
name = "desk"
path = "/srv/wire"
country = "BD"

[[target]]
name = "spool"
kind = "files"
dir = "/var/spool/newsdigest"

[[bulletin]]
name = "morning"
channel = "sms"
sources = ["desk"]
schedule = "0 7 * * *"
zone = "Asia/Dhaka"
stories = 3
max_segments = 2
since = "24h"
subscribers = "/etc/newsdigest/morning.csv"
target = "spool"
"#;

    #[test]
    fn the_contract_example_parses() {
        let config = Config::parse(CONTRACT).unwrap();
        assert_eq!(config.sources[0].country.as_deref(), Some("BD"));
        assert_eq!(config.targets[0].kind, TargetKind::Files);
        let bulletin = &config.bulletins[0];
        assert_eq!(bulletin.channel, ChannelConfig::Sms);
        assert_eq!(bulletin.max_segments, Some(2));
        assert!(matches!(bulletin.subscribers, SubscribersConfig::File(_)));
    }

    #[test]
    fn unknown_keys_are_errors_with_a_line() {
        let text = CONTRACT.replace("max_segments", "max_segmnets");
        let error = Config::parse(&text).unwrap_err();
        assert!(error.starts_with("line 21:"), "{error}");
        assert!(error.contains("max_segmnets"), "{error}");
    }

    #[test]
    fn relative_paths_follow_the_configuration_file() {
        let mut config =
            Config::parse(&CONTRACT.replace("\"/etc/newsdigest/morning.csv\"", "\"morning.csv\""))
                .unwrap();
        config.resolve_paths(Path::new("/etc/newsdigest"));
        match &config.bulletins[0].subscribers {
            SubscribersConfig::File(path) => {
                assert_eq!(path, Path::new("/etc/newsdigest/morning.csv"))
            }
            SubscribersConfig::Inline(_) => panic!("a file"),
        }
    }
}
