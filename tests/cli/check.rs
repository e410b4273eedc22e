//! `newsdigest check`: a valid configuration passes with a summary; every problem is printed on
//! its own line and the run exits 78; the file is found through --config, NEWSDIGEST_CONFIG or
//! XDG_CONFIG_HOME.

use std::path::Path;
use std::process::Command;

use crate::{Run, repo_file};

/// Runs `newsdigest ARGS` with only the environment variables `env`.
fn run_with_env(args: &[&str], env: &[(&str, &Path)]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_clear()
        .envs(env.iter().map(|(name, value)| (name, value.as_os_str())))
        .output()
        .expect("the binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

const VALID: &str = r#"
[[source]]
name = "desk"
path = "wire"
country = "BD"

[[target]]
name = "spool"
kind = "files"
dir = "spool"

[[bulletin]]
name = "morning"
channel = "sms"
sources = ["desk"]
schedule = "0 7 * * *"
zone = "Asia/Dhaka"
subscribers = "morning.csv"
target = "spool"
"#;

const SUBSCRIBERS: &str = "address,locale,tz,name\n\
                           01712-345678,bn,Asia/Dhaka,Rahim\n\
                           +44 20 7946 0958,en,Europe/London,\n\
                           \"+91 98765 43210\",hi,Asia/Kolkata,\"Devi, Delhi\"\n";

/// A folder holding a wire article (`wire/`), `morning.csv` and `newsdigest.toml` with `config`.
fn folder(config: &str, subscribers: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("wire")).unwrap();
    std::fs::copy(
        repo_file("samples/en-flood-sylhet.txt"),
        dir.path().join("wire/en-flood-sylhet.txt"),
    )
    .unwrap();
    std::fs::write(dir.path().join("morning.csv"), subscribers).unwrap();
    std::fs::write(dir.path().join("newsdigest.toml"), config).unwrap();
    dir
}

fn config_arg(dir: &tempfile::TempDir) -> String {
    dir.path().join("newsdigest.toml").display().to_string()
}

#[test]
fn a_valid_configuration_passes_with_a_summary() {
    let dir = folder(VALID, SUBSCRIBERS);
    let run = run_with_env(&["check", "--config", &config_arg(&dir)], &[]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(
        run.stdout,
        "ok: 1 source, 1 target, 1 bulletin, 3 subscribers\n"
    );
    assert!(!dir.path().join("spool").exists(), "check creates nothing");
}

#[test]
fn every_problem_is_printed_on_its_own_line() {
    let config = VALID
        .replace(
            "country = \"BD\"",
            "country = \"BD\"\nzone = \"Asia/Dhakka\"",
        )
        .replace(
            "dir = \"spool\"",
            "dir = \"wire/en-flood-sylhet.txt/spool\"",
        )
        .replace("0 7 * * *", "0 7 * * * * *")
        .replace(
            "subscribers = \"morning.csv\"",
            "subscribers = \"morning.csv\"\nsince = \"yesterday\"",
        )
        + "\n[[target]]\nname = \"gateway\"\nkind = \"kannel\"\nurl = \"http://127.0.0.1:13013/cgi-bin/sendsms\"\n\
           username_env = \"KANNEL_USER\"\npassword_env = \"KANNEL_PASSWORD\"\n";
    let subscribers = format!("{SUBSCRIBERS}0171,bn,Asia/Dhaka,\n");
    let dir = folder(&config, &subscribers);
    let path = config_arg(&dir);
    let user = dir.path().join("user");
    let run = run_with_env(&["check", "--config", &path], &[("KANNEL_USER", &user)]);
    let d = dir.path().display();
    let expected = [
        format!("error: {path}: source desk: zone \"Asia/Dhakka\": unknown IANA time zone"),
        format!(
            "error: {path}: target spool: dir {d}/wire/en-flood-sylhet.txt/spool: {d}/wire/en-flood-sylhet.txt is not a folder"
        ),
        format!(
            "error: {path}: target gateway: the environment variable KANNEL_PASSWORD (password_env) is not set"
        ),
        format!(
            "error: {path}: bulletin morning: schedule: cron expression \"0 7 * * * * *\": Invalid pattern: Pattern must have 5 or 6 fields when years are disallowed."
        ),
        format!(
            "error: {path}: bulletin morning: since \"yesterday\": expected number at 0 (write e.g. 24h, 90m)"
        ),
        format!(
            "error: {path}: bulletin morning: {d}/morning.csv:5: 0171 is not a valid phone number for BD"
        ),
        format!("error: 6 problems in {path}"),
    ];
    assert_eq!(run.stderr.lines().collect::<Vec<_>>(), expected);
    assert_eq!((run.code, run.stdout.as_str()), (78, ""));
}

#[test]
fn a_toml_syntax_error_names_its_line() {
    let dir = folder("[[source]]\nname = \"desk\"\npath = wire\n", "");
    let path = config_arg(&dir);
    let run = run_with_env(&["check", "--config", &path], &[]);
    assert_eq!(run.code, 78);
    let first = run.stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&format!("error: {path}: line 3: ")),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[test]
fn a_missing_configuration_is_a_configuration_error() {
    let run = run_with_env(&["check", "--config", "/nonexistent/newsdigest.toml"], &[]);
    assert_eq!(run.code, 78);
    assert_eq!(
        run.stderr,
        "error: /nonexistent/newsdigest.toml: no such configuration file\n"
    );
    let run = run_with_env(&["check"], &[]);
    assert_eq!(run.code, 78);
    assert_eq!(
        run.stderr,
        "error: newsdigest.toml: no configuration file: give --config FILE or set NEWSDIGEST_CONFIG\n"
    );
}

#[test]
fn the_file_is_found_through_the_environment() {
    let dir = folder(VALID, SUBSCRIBERS);
    let path = dir.path().join("newsdigest.toml");
    let run = run_with_env(&["check"], &[("NEWSDIGEST_CONFIG", &path)]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert!(run.stdout.starts_with("ok: "), "{}", run.stdout);

    // --config wins over NEWSDIGEST_CONFIG.
    let run = run_with_env(
        &["check", "--config", "/nonexistent/newsdigest.toml"],
        &[("NEWSDIGEST_CONFIG", &path)],
    );
    assert_eq!(run.code, 78, "{}", run.stderr);

    let xdg = tempfile::tempdir().unwrap();
    std::fs::create_dir(xdg.path().join("newsdigest")).unwrap();
    let moved = xdg.path().join("newsdigest/newsdigest.toml");
    let text = VALID.replace("\"wire\"", &format!("{:?}", dir.path().join("wire")));
    let text = text.replace(
        "\"morning.csv\"",
        &format!("{:?}", dir.path().join("morning.csv")),
    );
    std::fs::write(&moved, text).unwrap();
    let run = run_with_env(&["check"], &[("XDG_CONFIG_HOME", xdg.path())]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}
