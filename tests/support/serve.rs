//! `newsdigest serve` as a child process for tests: started with a configuration and a token,
//! its address read from the first line it prints, stopped with SIGTERM (and its exit and
//! summary checked) or killed by pid when dropped, also when a test fails.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

/// The token the tests' `[serve]` sections name (`token_env = "NEWSDIGEST_SERVE_TOKEN"`).
pub const TOKEN: &str = "test-token-0123456789abcdef";
pub const TOKEN_ENV: &str = "NEWSDIGEST_SERVE_TOKEN";

/// A running `serve`.
pub struct Serve {
    child: Child,
    stdout: BufReader<ChildStdout>,
    /// Its log (stderr goes to a file, so a full pipe never blocks it).
    log: tempfile::NamedTempFile,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
}

impl Serve {
    /// Starts `newsdigest serve --config config --format json` with the token set, and waits
    /// for the line that says where it listens.
    pub fn start(config: &Path) -> Serve {
        Serve::start_with(config, &[])
    }

    /// As [`Serve::start`], with more environment variables (`PGPASSWORD`, say).
    pub fn start_with(config: &Path, env: &[(&str, &str)]) -> Serve {
        let log = tempfile::NamedTempFile::new().expect("a log file");
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
            .args(["serve", "--format", "json", "--config"])
            .arg(config)
            .env(TOKEN_ENV, TOKEN)
            .env("NEWSDIGEST_KANNEL_USER", super::kannel::USERNAME)
            .env("NEWSDIGEST_KANNEL_PASSWORD", super::kannel::PASSWORD)
            .stdin(Stdio::null())
            .env("NEWSDIGEST_LOG", "debug")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(log.reopen().expect("the log reopened"))
            .spawn()
            .expect("newsdigest serve starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout piped"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("serve's first line");
        let Some(url) = line.trim().strip_prefix("listening on ") else {
            let _ = child.kill();
            let _ = child.wait();
            let errors = std::fs::read_to_string(log.path()).unwrap_or_default();
            panic!("serve did not start: {line:?}\n{errors}");
        };
        Serve {
            url: url.to_string(),
            child,
            stdout,
            log,
        }
    }

    /// What it logged so far (at debug level).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether it is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Its peak resident memory so far, in KiB (`VmHWM`).
    pub fn peak_rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("/proc/PID/status");
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM in /proc/PID/status")
    }

    /// Sends SIGTERM and waits (at most 10 s) for it to stop: its exit code, the JSON summary
    /// it printed, and its log.
    pub fn stop(mut self) -> (Option<i32>, serde_json::Value, String) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "SIGTERM sent");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                break status;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "serve did not stop within 10 s of SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut rest = String::new();
        self.stdout
            .read_to_string(&mut rest)
            .expect("serve's output");
        let log = self.log();
        let summary = serde_json::from_str(&rest)
            .unwrap_or_else(|e| panic!("serve's summary is JSON ({e}): {rest:?}\n{log}"));
        (status.code(), summary, log)
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free port on 127.0.0.1 (released before it is used, as the harnesses do).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("its address")
        .port()
}

/// A GET or POST with a short timeout: the status and the body (`None`: no answer at all).
pub fn request(
    method: &str,
    url: &str,
    body: Option<(&str, &[u8])>,
    authorization: Option<&str>,
) -> Option<(u16, String)> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let response = match (method, body) {
        ("POST", Some((content_type, bytes))) => {
            let mut request = agent.post(url).header("Content-Type", content_type);
            if let Some(value) = authorization {
                request = request.header("Authorization", value);
            }
            request.send(bytes)
        }
        _ => {
            let mut request = agent.get(url);
            if let Some(value) = authorization {
                request = request.header("Authorization", value);
            }
            request.call()
        }
    };
    let mut response = response.ok()?;
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string().unwrap_or_default();
    Some((status, body))
}
