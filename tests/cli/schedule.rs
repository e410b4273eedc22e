//! `newsdigest schedule`: each bulletin's next slots in its zone and UTC, and the lines that run
//! newsdigest from cron or systemd.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::json;

use crate::{Run, run, run_json};

const NOW: &str = "2025-03-07T12:00:00Z";

/// A Dhaka bulletin and a New York one. Their sources and subscribers files do not exist:
/// `schedule` must not need them.
const CONFIG: &str = r#"
[[target]]
name = "spool"
kind = "files"
dir = "spool"

[[bulletin]]
name = "dhaka-morning"
channel = "sms"
sources = ["desk"]
schedule = "0 7 * * *"
zone = "Asia/Dhaka"
subscribers = "dhaka.csv"
target = "spool"

[[bulletin]]
name = "ny-night"
channel = "email"
sources = ["wire"]
schedule = "30 2 * * *"
zone = "America/New_York"
subscribers = "ny.csv"
target = "spool"
"#;

/// A folder holding `newsdigest.toml` with `text`; returns the folder and the file's path.
fn config_dir(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newsdigest.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path.to_str().unwrap().to_string())
}

/// Runs `newsdigest ARGS` in `dir` with only `env` set.
fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn canonical(path: impl AsRef<Path>) -> PathBuf {
    std::fs::canonicalize(path).unwrap()
}

#[test]
fn json_gives_each_bulletins_next_slots_in_its_zone_and_utc() {
    let (dir, config) = config_dir(CONFIG);
    assert!(!dir.path().join("dhaka.csv").exists());
    let args = [
        "schedule", "--config", &config, "--now", NOW, "--count", "3", "--format", "json",
    ];
    let expected = json!([
        {
            "bulletin": "dhaka-morning",
            "zone": "Asia/Dhaka",
            "next": [
                {"local": "2025-03-08T07:00:00+06:00", "utc": "2025-03-08T01:00:00Z"},
                {"local": "2025-03-09T07:00:00+06:00", "utc": "2025-03-09T01:00:00Z"},
                {"local": "2025-03-10T07:00:00+06:00", "utc": "2025-03-10T01:00:00Z"},
            ]
        },
        {
            "bulletin": "ny-night",
            "zone": "America/New_York",
            "next": [
                {"local": "2025-03-08T02:30:00-05:00", "utc": "2025-03-08T07:30:00Z"},
                // 02:30 does not exist on 2025-03-09: the first instant after the gap.
                {"local": "2025-03-09T03:00:00-04:00", "utc": "2025-03-09T07:00:00Z"},
                {"local": "2025-03-10T02:30:00-04:00", "utc": "2025-03-10T06:30:00Z"},
            ]
        }
    ]);
    assert_eq!(run_json(&args), expected);
}

#[test]
fn named_bulletins_only_and_five_slots_by_default() {
    let (_dir, config) = config_dir(CONFIG);
    let json = run_json(&[
        "schedule", "ny-night", "--config", &config, "--now", NOW, "--format", "json",
    ]);
    let all = json.as_array().unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["bulletin"], "ny-night");
    let next = all[0]["next"].as_array().unwrap();
    assert_eq!(next.len(), 5);
    assert_eq!(next[4]["utc"], "2025-03-12T06:30:00Z");
    // Strictly after --now: a slot at --now itself is not "next".
    let json = run_json(&[
        "schedule",
        "ny-night",
        "--config",
        &config,
        "--now",
        "2025-03-08T07:30:00Z",
        "--count",
        "1",
        "--format",
        "json",
    ]);
    assert_eq!(json[0]["next"][0]["utc"], "2025-03-09T07:00:00Z");
}

/// The lines between `# ---- /etc/systemd/system/NAME ----` and `# ---- end of NAME ----`.
fn unit<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
    let start = format!("# ---- /etc/systemd/system/{name} ----");
    let end = format!("# ---- end of {name} ----");
    let lines: Vec<&str> = text.lines().collect();
    let first = lines.iter().position(|l| *l == start).expect("unit start") + 1;
    let last = lines.iter().position(|l| *l == end).expect("unit end");
    lines[first..last].to_vec()
}

#[test]
fn text_shows_slots_and_the_crontab_line_and_systemd_units() {
    let (dir, config) = config_dir(CONFIG);
    let out = run(&[
        "schedule", "--config", &config, "--now", NOW, "--count", "2",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "");
    let text = out.stdout;
    assert!(
        text.starts_with("dhaka-morning: 0 7 * * * in Asia/Dhaka\n"),
        "{text}"
    );
    assert!(text.contains("  Sat 2025-03-08 07:00:00 +06 (UTC+06:00)  2025-03-08T01:00:00Z\n"));
    assert!(text.contains("\nny-night: 30 2 * * * in America/New_York\n"));
    assert!(text.contains(
        "  Sun 2025-03-09 03:00:00 EDT (UTC-04:00)  2025-03-09T07:00:00Z  (moved: the written \
         time does not exist that day, clocks jump forward)\n"
    ));

    let exe = canonical(env!("CARGO_BIN_EXE_newsdigest"));
    let config = canonical(dir.path().join("newsdigest.toml"));
    let command = format!("{} run --config {}", exe.display(), config.display());
    let crontab: Vec<&str> = text.lines().filter(|l| l.starts_with("* ")).collect();
    assert_eq!(crontab, [format!("* * * * * {command}")]);
    assert!(text.contains("# crontab (crontab -e): Debian's cron has no CRON_TZ"));
    assert!(text.contains("No flock needed"));

    let service = unit(&text, "newsdigest.service");
    for line in ["[Service]", "Type=oneshot", &format!("ExecStart={command}")] {
        assert!(service.contains(&line), "{line} in {service:?}");
    }
    let timer = unit(&text, "newsdigest.timer");
    for line in [
        "[Timer]",
        "OnCalendar=*-*-* *:*:00",
        "Persistent=true",
        "AccuracySec=1s",
        "[Install]",
        "WantedBy=timers.target",
    ] {
        assert!(timer.contains(&line), "{line} in {timer:?}");
    }
    // What sits between the markers is a unit file: sections, settings, comments.
    for line in service.iter().chain(&timer) {
        let valid = line.is_empty()
            || line.starts_with('#')
            || line.starts_with('[') && line.ends_with(']')
            || line.split_once('=').is_some_and(|(key, _)| {
                !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric())
            });
        assert!(valid, "not a unit file line: {line:?}");
    }
}

#[test]
fn a_relative_config_path_is_made_absolute_in_the_crontab_line() {
    let (dir, _) = config_dir(CONFIG);
    let out = run_in(
        dir.path(),
        &["schedule", "--config", "newsdigest.toml", "--now", NOW],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let config = canonical(dir.path().join("newsdigest.toml"));
    let expected = format!("run --config {}\n", config.display());
    assert!(out.stdout.contains(&expected), "{}", out.stdout);
    // Found through NEWSDIGEST_CONFIG when --config is not given.
    let path = config.to_str().unwrap();
    let out = run_in(
        dir.path(),
        &["schedule", "--now", NOW, "--format", "json"],
        &[("NEWSDIGEST_CONFIG", path)],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\"bulletin\": \"dhaka-morning\""));
}

#[test]
fn a_bad_expression_or_zone_exits_78_naming_the_file_and_bulletin() {
    let cases = [
        (
            CONFIG.replace("30 2 * * *", "30 25 * * *"),
            "bulletin \"ny-night\": cron expression \"30 25 * * *\": hour field \"25\": \
             Component error: Number out of bounds.",
        ),
        (
            CONFIG.replace("America/New_York", "America/Gotham"),
            "bulletin \"ny-night\": unknown time zone \"America/Gotham\" (not an IANA zone name)",
        ),
        (
            CONFIG.replace("\"Asia/Dhaka\"", "\"BST\""),
            "bulletin \"dhaka-morning\": zone \"BST\" is not an IANA zone name (such as \
             America/New_York or Asia/Dhaka)",
        ),
        (
            CONFIG.replace("0 7 * * *", "0 7 31 2 *"),
            "bulletin \"dhaka-morning\": cron expression \"0 7 31 2 *\" names no date that \
             exists, so it never runs",
        ),
    ];
    for (text, message) in cases {
        let (_dir, config) = config_dir(&text);
        // A bad bulletin is an error even when another one is asked for: `run` needs them all.
        let other = if message.contains("ny-night") {
            "dhaka-morning"
        } else {
            "ny-night"
        };
        for args in [
            vec!["schedule", "--config", &config],
            vec!["schedule", other, "--config", &config, "--format", "json"],
        ] {
            let out = run(&args);
            assert_eq!(out.code, 78, "{message}: {}", out.stdout);
            assert_eq!(out.stderr, format!("error: {config}: {message}\n"));
            assert_eq!(out.stdout, "");
        }
    }
}

#[test]
fn an_unknown_bulletin_exits_78_listing_the_known_ones() {
    let (_dir, config) = config_dir(CONFIG);
    let out = run(&["schedule", "evening", "--config", &config]);
    assert_eq!(out.code, 78);
    assert_eq!(
        out.stderr,
        format!(
            "error: {config}: no bulletin named \"evening\" (bulletins: dhaka-morning, ny-night)\n"
        )
    );
}

#[test]
fn a_missing_config_exits_78() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("newsdigest.toml");
    let missing = missing.to_str().unwrap();
    let out = run(&["schedule", "--config", missing]);
    assert_eq!(out.code, 78);
    assert_eq!(
        out.stderr,
        format!("error: {missing}: no such configuration file\n")
    );
    // No flag, no NEWSDIGEST_CONFIG: the default place, which does not exist here.
    let home = dir.path().to_str().unwrap();
    let out = run_in(dir.path(), &["schedule"], &[("HOME", home)]);
    assert_eq!(out.code, 78);
    assert_eq!(
        out.stderr,
        format!("error: {home}/.config/newsdigest/newsdigest.toml: no such configuration file\n")
    );
    // Nowhere to look at all.
    let out = run_in(dir.path(), &["schedule"], &[]);
    assert_eq!(out.code, 78);
    assert!(
        out.stderr
            .contains("give --config FILE or set NEWSDIGEST_CONFIG")
    );
}
