//! Where the state lives: a SQLite file (the default) or a PostgreSQL server, as the
//! configuration's `state` or the environment's `NEWSDIGEST_STATE` names it.
//!
//! `state = "/var/lib/newsdigest/state.db"` is a file; `state = "postgres://newsdigest@db1/news"`
//! (or `postgresql://`) is a server. The password is never written in the configuration file: it
//! comes from `PGPASSWORD` or a pgpass file ([`super::pgpass`]), as for `psql`. `NEWSDIGEST_STATE`
//! may carry one in its URL (it is the environment already). Wherever a server is named, in
//! errors, `status` or logs, it is [`PostgresServer::shown`]: user, host, port and database,
//! never the password.
//!
//! ```
//! use newsdigest::bulletin::store::location::{Origin, StateLocation};
//! let env = |_: &str| None;
//! let location = StateLocation::parse("postgres://news@db1:5433/digest", Origin::Environment, &env)
//!     .unwrap();
//! assert_eq!(location.shown(), "postgres://news@db1:5433/digest");
//! ```

#[cfg(test)]
use std::path::Path;
use std::path::PathBuf;
use std::str::FromStr;

use super::pgpass;

/// Where the state store is.
#[derive(Debug, Clone)]
pub enum StateLocation {
    Sqlite(PathBuf),
    Postgres(Box<PostgresServer>),
}

/// A PostgreSQL server to connect to, with its password resolved but never shown.
#[derive(Clone)]
pub struct PostgresServer {
    /// The connection settings, password included.
    pub config: postgres::Config,
    shown: String,
}

impl std::fmt::Debug for PostgresServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresServer")
            .field("shown", &self.shown)
            .finish_non_exhaustive()
    }
}

impl PostgresServer {
    /// `postgres://user@host:port/database`: the server as errors and `status` name it.
    pub fn shown(&self) -> &str {
        &self.shown
    }
}

/// Where a `state` setting was read: a password is allowed in the environment, not in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    ConfigFile,
    Environment,
}

impl StateLocation {
    /// Whether `text` names a PostgreSQL server rather than a file.
    pub fn is_url(text: &str) -> bool {
        let lower = text.get(..13).unwrap_or(text).to_ascii_lowercase();
        lower.starts_with("postgres://") || lower.starts_with("postgresql://")
    }

    /// Reads a `state` setting. `env` looks up environment variables (`PGPASSWORD`,
    /// `PGPASSFILE`, `HOME`, `USER`). Errors never quote the URL (it may hold a password).
    pub fn parse(
        text: &str,
        origin: Origin,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<StateLocation, String> {
        if !StateLocation::is_url(text) {
            return Ok(StateLocation::Sqlite(PathBuf::from(text)));
        }
        let mut config =
            postgres::Config::from_str(text).map_err(|e| format!("not a PostgreSQL URL ({e})"))?;
        if config.get_password().is_some() && origin == Origin::ConfigFile {
            return Err(
                "write no password in the state URL: set PGPASSWORD, or put it in a \
                        pgpass file (~/.pgpass or $PGPASSFILE)"
                    .into(),
            );
        }
        if config.get_user().is_none() {
            let user = env("USER")
                .or_else(|| env("LOGNAME"))
                .ok_or("the state URL names no user (postgres://USER@HOST/DATABASE)")?;
            config.user(&user);
        }
        let user = config.get_user().unwrap_or_default().to_string();
        if config.get_dbname().is_none() {
            config.dbname(&user);
        }
        let host = match config.get_hosts().first() {
            Some(postgres::config::Host::Tcp(host)) => host.clone(),
            Some(postgres::config::Host::Unix(path)) => path.display().to_string(),
            None => {
                config.host("localhost");
                "localhost".to_string()
            }
        };
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let database = config.get_dbname().unwrap_or_default().to_string();
        if config.get_password().is_none() {
            let password = env("PGPASSWORD").filter(|p| !p.is_empty()).or_else(|| {
                let file = pgpass::file(env)?;
                let pg_host = if host.starts_with('/') {
                    "localhost"
                } else {
                    host.as_str()
                };
                pgpass::lookup(&file, pg_host, port, &database, &user)
            });
            if let Some(password) = password {
                config.password(password);
            }
        }
        if config.get_application_name().is_none() {
            config.application_name("newsdigest");
        }
        let shown = format!("postgres://{user}@{host}:{port}/{database}");
        Ok(StateLocation::Postgres(Box::new(PostgresServer {
            config,
            shown,
        })))
    }

    /// The file's path, or the server as [`PostgresServer::shown`] names it.
    pub fn shown(&self) -> String {
        match self {
            StateLocation::Sqlite(path) => path.display().to_string(),
            StateLocation::Postgres(server) => server.shown.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn a_path_is_a_sqlite_file() {
        let location = StateLocation::parse("state/state.db", Origin::ConfigFile, &no_env).unwrap();
        assert!(
            matches!(location, StateLocation::Sqlite(path) if path == Path::new("state/state.db"))
        );
        assert!(!StateLocation::is_url("/var/lib/postgres://x"));
        assert!(StateLocation::is_url("PostgreSQL://h/db"));
    }

    #[test]
    fn a_password_in_the_file_is_refused_without_quoting_it() {
        let error = StateLocation::parse(
            "postgres://news:hunter2@db1/digest",
            Origin::ConfigFile,
            &no_env,
        )
        .unwrap_err();
        assert!(error.contains("PGPASSWORD"), "{error}");
        assert!(!error.contains("hunter2"), "{error}");
    }

    #[test]
    fn the_password_is_never_shown() {
        let location = StateLocation::parse(
            "postgres://news:hunter2@db1/digest",
            Origin::Environment,
            &no_env,
        )
        .unwrap();
        assert_eq!(location.shown(), "postgres://news@db1:5432/digest");
        assert!(!format!("{location:?}").contains("hunter2"));
        let StateLocation::Postgres(server) = location else {
            panic!("a server")
        };
        assert_eq!(server.config.get_password(), Some(&b"hunter2"[..]));
    }

    #[test]
    fn the_password_comes_from_pgpassword_then_pgpass() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pgpass");
        std::fs::write(&file, "db1:5432:digest:news:from-file\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let private = std::fs::Permissions::from_mode(0o600);
            std::fs::set_permissions(&file, private).unwrap();
        }
        let file_name = file.display().to_string();
        let with_file = |name: &str| (name == "PGPASSFILE").then(|| file_name.clone());
        let location =
            StateLocation::parse("postgres://news@db1/digest", Origin::ConfigFile, &with_file)
                .unwrap();
        let StateLocation::Postgres(server) = location else {
            panic!("a server")
        };
        assert_eq!(server.config.get_password(), Some(&b"from-file"[..]));
        let both = |name: &str| match name {
            "PGPASSWORD" => Some("from-env".to_string()),
            _ => with_file(name),
        };
        let location =
            StateLocation::parse("postgres://news@db1/digest", Origin::ConfigFile, &both).unwrap();
        let StateLocation::Postgres(server) = location else {
            panic!("a server")
        };
        assert_eq!(server.config.get_password(), Some(&b"from-env"[..]));
    }

    #[test]
    fn the_user_defaults_to_the_login_and_the_database_to_the_user() {
        let env = |name: &str| (name == "USER").then(|| "editor".to_string());
        let location =
            StateLocation::parse("postgresql://db1:6543", Origin::ConfigFile, &env).unwrap();
        assert_eq!(location.shown(), "postgres://editor@db1:6543/editor");
    }
}
