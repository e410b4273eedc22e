//! Integration tests: run the `newsdigest` binary as a user would, with a clean environment.
//!
//! One test binary, a module per feature (ripgrep's `tests/tests.rs` layout).

mod bulletin;
mod check;
mod console;
mod count;
mod digest;
mod email;
mod errors;
mod faults;
mod feeds;
mod history;
mod inspect;
mod locales;
mod preview;
mod preview_html;
mod preview_watch;
mod quiet;
mod run;
mod schedule;
mod selection;
mod settings;
mod time;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What a run of the binary gave.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Path of a file shipped in the repository (`samples/...`, `tests/data/...`).
pub fn repo_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Runs `newsdigest ARGS` with `stdin` as standard input, in a clean environment.
pub fn run_with_stdin(args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // A run that fails before reading stdin (a bad flag) closes it: that is not a test failure.
    let written = child.stdin.take().expect("stdin is piped").write_all(stdin);
    if let Err(error) = written {
        assert_eq!(
            error.kind(),
            std::io::ErrorKind::BrokenPipe,
            "stdin: {error}"
        );
    }
    let output = child.wait_with_output().expect("the binary finishes");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// The decoded value of header `name` in a parsed message.
pub fn header(mail: &mailparse::ParsedMail<'_>, name: &str) -> String {
    mail.headers
        .iter()
        .find(|h| h.get_key() == name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .get_value()
}

/// A templates folder (for `--templates`) whose SMS alert template is `source`.
pub fn alert_template_dir(source: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("sms")).unwrap();
    std::fs::write(dir.path().join("sms/alert.txt.tera"), source).unwrap();
    dir
}

/// Runs `newsdigest ARGS` with empty standard input.
pub fn run(args: &[&str]) -> Run {
    run_with_stdin(args, b"")
}

/// Runs and parses stdout as JSON, failing with stderr if the run failed.
pub fn run_json(args: &[&str]) -> serde_json::Value {
    let run = run(args);
    assert_eq!(run.code, 0, "newsdigest {args:?} failed: {}", run.stderr);
    serde_json::from_str(&run.stdout).expect("stdout is JSON")
}

/// The words of a bulletin's story line after its number and time, counted as the library counts
/// them (two characters of Han or kana count as one word). The time may carry its day first:
/// `1. 13:47 ...`, `yesterday 13:47`, `Apr 22 13:47`, `Apr 20, 2024 13:47`, `গতকাল ১৩:৪৭`.
pub fn story_words(line: &str) -> usize {
    let text = line.split_once(". ").map_or(line, |(_, rest)| rest);
    let words: Vec<&str> = text.split(' ').collect();
    let text = match words.iter().take(4).position(|w| w.contains(':')) {
        Some(time) => words[time + 1..].join(" "),
        None => text.to_string(),
    };
    newsdigest::summarize::word_count(&text)
}

/// A JSON array of strings (`notes`) as strings.
pub fn strings(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|n| n.as_str().expect("a string").to_string())
        .collect()
}

/// The locales of `preview --format json`, in order.
pub fn preview_locales(json: &serde_json::Value) -> Vec<&str> {
    json["previews"]
        .as_array()
        .expect("previews")
        .iter()
        .map(|p| p["locale"].as_str().expect("a locale"))
        .collect()
}
