//! What the commands on bulletins' state (`run`, `work`, `history`, `retry`, `status`) share:
//! finding the configuration file, where its state lives (`NEWSDIGEST_STATE`, else `state`, else
//! the default file), opening the store (a SQLite file only if it exists, when reading must not
//! create it), the run lock a SQLite state needs, and who this worker is.

use std::path::PathBuf;

use newsdigest::bulletin::check::lease_of;
use newsdigest::bulletin::config::Config;
use newsdigest::bulletin::lock::RunLock;
use newsdigest::bulletin::store::location::{Origin, StateLocation};
use newsdigest::bulletin::store::{self, Claimant, DEFAULT_LEASE, Store};
use newsdigest::error::{Error, Result};

use super::Io;
use crate::output;

/// The environment variable naming the state, over the configuration's `state`.
pub const STATE_ENV: &str = "NEWSDIGEST_STATE";
/// The environment variable naming this worker, when `--worker` is not given.
pub const WORKER_ENV: &str = "NEWSDIGEST_WORKER";

/// The configuration named by `--config`, else found where [`Config::locate`] looks.
pub fn load_config(flag: Option<&std::path::Path>) -> Result<Config> {
    let path = Config::locate(flag).ok_or_else(|| Error::Config {
        path: PathBuf::from("newsdigest.toml"),
        message: "no configuration file: give --config FILE or set NEWSDIGEST_CONFIG".into(),
    })?;
    Config::load(&path)
}

/// Where the state lives: `NEWSDIGEST_STATE`, else the configuration's `state`, else the
/// default file.
pub fn location(config: &Config) -> Result<StateLocation> {
    let env = |name: &str| std::env::var(name).ok();
    if let Some(text) = env(STATE_ENV).filter(|text| !text.is_empty()) {
        return StateLocation::parse(&text, Origin::Environment, &env).map_err(|message| {
            Error::Config {
                path: PathBuf::from(STATE_ENV),
                message,
            }
        });
    }
    if let Some(state) = &config.state {
        let text = state.to_string_lossy();
        if !StateLocation::is_url(&text) {
            // A file keeps its path as is, even one that is not UTF-8.
            return Ok(StateLocation::Sqlite(state.clone()));
        }
        return StateLocation::parse(&text, Origin::ConfigFile, &env).map_err(|message| {
            Error::Config {
                path: config.path.clone(),
                message: format!("state: {message}"),
            }
        });
    }
    config
        .state_path()
        .map(StateLocation::Sqlite)
        .ok_or_else(|| Error::Config {
            path: config.path.clone(),
            message: "no `state` given, and neither XDG_STATE_HOME nor HOME is set".into(),
        })
}

/// The store at `location`, or `None` when it is a SQLite file no run has created yet.
pub fn open_existing(location: &StateLocation) -> Result<Option<Box<dyn Store>>> {
    if let StateLocation::Sqlite(path) = location {
        match path.try_exists() {
            Ok(true) => {}
            Ok(false) => return Ok(None),
            Err(error) => {
                return Err(Error::State {
                    path: path.clone(),
                    message: error.to_string(),
                });
            }
        }
    }
    store::open(location).map(Some)
}

/// The run lock a SQLite state needs (one writer process at a time); a server needs none.
pub fn lock(location: &StateLocation) -> Result<Option<RunLock>> {
    match location {
        StateLocation::Sqlite(path) => RunLock::acquire(path).map(Some),
        StateLocation::Postgres(_) => Ok(None),
    }
}

/// This worker's name: `--worker`, else `NEWSDIGEST_WORKER`, else `<host name>:<pid>`.
pub fn worker_name(flag: Option<&str>) -> String {
    if let Some(name) = flag.filter(|name| !name.is_empty()) {
        return name.to_string();
    }
    if let Some(name) = std::env::var(WORKER_ENV)
        .ok()
        .filter(|name| !name.is_empty())
    {
        return name;
    }
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|name| name.trim().to_string())
        .ok()
        .filter(|name| !name.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "localhost".into());
    format!("{host}:{}", std::process::id())
}

/// Who claims messages in this process, with the configuration's `lease`.
pub fn claimant(config: &Config, worker: String) -> Result<Claimant> {
    let lease = match &config.lease {
        Some(text) => lease_of(text).map_err(|message| Error::Config {
            path: config.path.clone(),
            message: format!("lease: {message}"),
        })?,
        None => DEFAULT_LEASE,
    };
    Ok(Claimant { worker, lease })
}

/// Warns about `--bulletin` names the configuration does not have (a typo shows nothing, which
/// would look like an empty history). Old bulletins may still have messages, so it is no error.
pub fn warn_unknown_bulletins(config: &Config, names: &[String], io: &mut Io<'_>) {
    let unknown: Vec<String> = names
        .iter()
        .filter(|name| config.bulletin(name).is_none())
        .map(|name| format!("bulletin {name:?} is not in {}", config.path.display()))
        .collect();
    output::warn(io, &unknown);
}
