//! What the commands on bulletins' state (`history`, `retry`) share: finding the configuration
//! file, the state database it names, and opening that database only if it exists (reading the
//! history must not create it).

use std::path::{Path, PathBuf};

use newsdigest::bulletin::config::Config;
use newsdigest::bulletin::store::sqlite::SqliteStore;
use newsdigest::error::{Error, Result};

use super::Io;
use crate::output;

/// The configuration named by `--config`, else found where [`Config::locate`] looks.
pub fn load_config(flag: Option<&Path>) -> Result<Config> {
    let path = Config::locate(flag).ok_or_else(|| Error::Config {
        path: PathBuf::from("newsdigest.toml"),
        message: "no configuration file: give --config FILE or set NEWSDIGEST_CONFIG".into(),
    })?;
    Config::load(&path)
}

/// The state database `config` names.
pub fn state_path(config: &Config) -> Result<PathBuf> {
    config.state_path().ok_or_else(|| Error::Config {
        path: config.path.clone(),
        message: "no `state` file given, and neither XDG_STATE_HOME nor HOME is set".into(),
    })
}

/// The state database at `path`, or `None` when no run has created it yet.
pub fn open_existing(path: &Path) -> Result<Option<SqliteStore>> {
    match path.try_exists() {
        Ok(true) => SqliteStore::open(path).map(Some),
        Ok(false) => Ok(None),
        Err(error) => Err(Error::State {
            path: path.to_path_buf(),
            message: error.to_string(),
        }),
    }
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
