//! A throwaway PostgreSQL cluster for tests: `initdb` into a temporary folder, `postgres` on
//! 127.0.0.1 and a free port, password authentication (SCRAM) for the superuser `newsdigest`.
//! [`Cluster::start`] waits until the server answers; dropping the value stops it by pid
//! (SIGQUIT, then SIGKILL) and removes the folder, also when a test fails.
//!
//! The programs are found under `/usr/lib/postgresql/<version>/bin` (Debian's `postgresql`
//! package; the newest version wins), else `$NEWSDIGEST_PG_BIN`, else on `PATH`. PostgreSQL
//! refuses to run as root: as root, the cluster runs as the `postgres` user (which the package
//! creates). When the programs are missing the harness skips (returns `None`, saying why), unless
//! `CI` is set: then it panics, so a CI run without PostgreSQL fails.
//!
//! Test clusters run with `fsync=off` (a test never survives a power cut); set
//! `NEWSDIGEST_TEST_PG_FSYNC=on` to measure with it on. Used by the library's store tests
//! (`#[path]`) and by integration tests (`mod support;`); it needs only `std`, `postgres` and
//! `tempfile`.

#![allow(dead_code)]

use std::fs::File;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// The superuser and its password.
pub const USER: &str = "newsdigest";
pub const PASSWORD: &str = "pg-s3cret-Pa55";

/// How long the server may take to answer.
const STARTUP: Duration = Duration::from_secs(60);

/// A running cluster, stopped when dropped.
pub struct Cluster {
    pub port: u16,
    child: Child,
    dir: tempfile::TempDir,
}

/// `initdb` and `postgres`.
struct Programs {
    initdb: PathBuf,
    postgres: PathBuf,
}

impl Programs {
    fn find() -> Result<Programs, String> {
        let folder = std::env::var_os("NEWSDIGEST_PG_BIN")
            .map(PathBuf::from)
            .or_else(newest_debian_bin)
            .or_else(|| on_path("initdb").and_then(|p| p.parent().map(Path::to_path_buf)))
            .ok_or("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb; Debian package `postgresql`)")?;
        let initdb = folder.join("initdb");
        let postgres = folder.join("postgres");
        if !initdb.is_file() || !postgres.is_file() {
            return Err(format!("{} has no initdb and postgres", folder.display()));
        }
        Ok(Programs { initdb, postgres })
    }
}

/// `/usr/lib/postgresql/<newest version>/bin`, when it has `initdb`.
fn newest_debian_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            let version = entry
                .file_name()
                .to_str()?
                .split('.')
                .next()?
                .parse()
                .ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn on_path(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|folder| folder.join(program))
        .find(|path| path.is_file())
}

/// The uid and gid to run PostgreSQL as: `postgres`'s when we are root, else none (ourselves).
fn run_as() -> Result<Option<(u32, u32)>, String> {
    let id = |args: &[&str]| -> Option<u32> {
        let output = Command::new("id").args(args).output().ok()?;
        String::from_utf8_lossy(&output.stdout).trim().parse().ok()
    };
    if id(&["-u"]) != Some(0) {
        return Ok(None);
    }
    match (id(&["-u", "postgres"]), id(&["-g", "postgres"])) {
        (Some(uid), Some(gid)) => Ok(Some((uid, gid))),
        _ => Err("running as root and there is no `postgres` user to run the cluster as".into()),
    }
}

fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

impl Cluster {
    /// Starts a cluster, or `None` (with the reason printed) when PostgreSQL is missing and `CI`
    /// is not set.
    pub fn start() -> Option<Cluster> {
        let programs = match Programs::find() {
            Ok(programs) => programs,
            Err(missing) if in_ci() => panic!("{missing}, and CI is set: install postgresql"),
            Err(missing) => {
                eprintln!("skipped: {missing}");
                return None;
            }
        };
        let owner = run_as().unwrap_or_else(|e| panic!("{e}"));
        Some(Cluster::start_with(&programs, owner))
    }

    fn start_with(programs: &Programs, owner: Option<(u32, u32)>) -> Cluster {
        let dir = tempfile::Builder::new()
            .prefix("newsdigest-pg-")
            .tempdir()
            .expect("a temporary folder");
        let password_file = dir.path().join("password");
        std::fs::write(&password_file, format!("{PASSWORD}\n")).expect("write the password file");
        if let Some((uid, gid)) = owner {
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).expect("chown");
            std::os::unix::fs::chown(&password_file, Some(uid), Some(gid)).expect("chown");
        }
        let data = dir.path().join("data");
        let mut initdb = Command::new(&programs.initdb);
        initdb
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                USER,
                "--auth=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ])
            .arg(format!("--pwfile={}", password_file.display()))
            .current_dir(dir.path())
            .stdin(Stdio::null());
        as_owner(&mut initdb, owner);
        let output = initdb.output().expect("run initdb");
        assert!(
            output.status.success(),
            "initdb failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let fsync = std::env::var("NEWSDIGEST_TEST_PG_FSYNC").unwrap_or_else(|_| "off".into());
        let mut last_log = String::new();
        for _ in 0..3 {
            let port = free_port();
            let log = dir.path().join(format!("postgres-{port}.log"));
            let log_file = File::create(&log).expect("create the server log");
            let mut postgres = Command::new(&programs.postgres);
            postgres
                .arg("-D")
                .arg(&data)
                .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-k", ""])
                .args(["-c", &format!("fsync={fsync}"), "-c", "max_connections=60"])
                .args(["-c", "shared_buffers=32MB"])
                .current_dir(dir.path())
                .stdin(Stdio::null())
                .stdout(log_file.try_clone().expect("log"))
                .stderr(log_file);
            as_owner(&mut postgres, owner);
            let mut child = postgres.spawn().expect("start postgres");
            if wait_until_ready(&mut child, port) {
                return Cluster { port, child, dir };
            }
            stop(&mut child);
            last_log = std::fs::read_to_string(&log).unwrap_or_default();
        }
        panic!("postgres did not start:\n{last_log}");
    }

    /// `postgres://newsdigest@127.0.0.1:PORT/DATABASE`, without the password.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{database}", self.port)
    }

    /// A connection to `database` as the superuser.
    pub fn client(&self, database: &str) -> Result<postgres::Client, postgres::Error> {
        connect(self.port, database)
    }

    /// Creates an empty database named `name`.
    pub fn create_database(&self, name: &str) {
        let mut client = self.client("postgres").expect("connect to the cluster");
        client
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .expect("create a database");
    }

    /// The server's pid.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The folder holding the cluster (and its logs).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

/// Waits until a connection to `port` succeeds; `false` when the server exited or took too long.
fn wait_until_ready(child: &mut Child, port: u16) -> bool {
    let started = Instant::now();
    while started.elapsed() < STARTUP {
        if child.try_wait().ok().flatten().is_some() {
            return false;
        }
        if connect(port, "postgres").is_ok() {
            return true;
        }
        thread::sleep(Duration::from_millis(50));
    }
    false
}

fn connect(port: u16, database: &str) -> Result<postgres::Client, postgres::Error> {
    postgres::Config::new()
        .host("127.0.0.1")
        .port(port)
        .user(USER)
        .password(PASSWORD)
        .dbname(database)
        .connect_timeout(Duration::from_secs(5))
        .connect(postgres::NoTls)
}

/// Immediate shutdown (SIGQUIT) by pid, then SIGKILL if it lingers; reaps the child.
fn stop(child: &mut Child) {
    if child.try_wait().ok().flatten().is_some() {
        return;
    }
    let _ = Command::new("kill")
        .args(["-QUIT", &child.id().to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        if child.try_wait().ok().flatten().is_some() {
            return;
        }
        thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn as_owner(command: &mut Command, owner: Option<(u32, u32)>) {
    if let Some((uid, gid)) = owner {
        command
            .uid(uid)
            .gid(gid)
            .env("HOME", "/tmp")
            .env("USER", "postgres");
    }
}

/// A port on 127.0.0.1 that was free a moment ago.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    listener.local_addr().expect("local address").port()
}
