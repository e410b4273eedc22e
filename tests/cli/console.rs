//! The binary's manners on stderr: `-q`, `-v`, `NEWSDIGEST_LOG`/`RUST_LOG`, `--log-format json`,
//! progress bars only on a terminal (driven through `script`, which gives the run a pseudo
//! terminal), colour after `--color`, `NO_COLOR` and `CLICOLOR_FORCE`; shell completions and man
//! pages.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::{Run, repo_file};

const NOW: &str = "2025-04-23T09:00:00Z";

/// Runs `newsdigest ARGS` in a clean environment plus `env`, stdin empty.
fn run_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_clear()
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("the binary starts");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// `digest` of the samples folder: one Bengali story is left out with a warning.
fn digest(extra: &[&str], env: &[(&str, &str)]) -> Run {
    let mut args = vec!["digest", "samples/", "--now", NOW, "--tz", "Asia/Dhaka"];
    args.extend_from_slice(extra);
    run_env(&args, env)
}

const LEFT_OUT: &str =
    "warning: 1 story in another language left out (bn: 1); --any-language keeps it\n";

#[test]
fn by_default_warnings_show_in_their_one_line_form() {
    let run = digest(&[], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, LEFT_OUT);
    assert!(run.stdout.starts_with("News digest"), "{}", run.stdout);
}

#[test]
fn quiet_prints_nothing_on_success_but_the_output() {
    let run = digest(&["-q"], &[]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stderr, "");
    assert!(run.stdout.starts_with("News digest"), "{}", run.stdout);
    // Also ahead of the subcommand, and over a filter from the environment.
    let run = run_env(
        &["--quiet", "digest", "samples/", "--now", NOW],
        &[("NEWSDIGEST_LOG", "info")],
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn quiet_keeps_the_error_line_and_exit_code() {
    let run = run_env(&["digest", "-q", "no/such/file.txt"], &[]);
    assert_eq!(run.code, 66);
    assert_eq!(
        run.stderr,
        "error: no/such/file.txt: no such file or directory\n"
    );
    let run = run_env(
        &["digest", "no/such/file.txt"],
        &[("NEWSDIGEST_LOG", "off")],
    );
    assert_eq!(
        run.stderr,
        "error: no/such/file.txt: no such file or directory\n"
    );
}

#[test]
fn verbose_shows_each_stage() {
    let run = digest(&["-v"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "info: inputs read inputs=1 articles=3 not_modified=0",
            "info: stories prepared stories=3",
            "info: composed locale=en stories=2",
            LEFT_OUT.trim_end(),
        ],
        "{}",
        run.stderr
    );
    // -vv: each file read as well.
    let run = digest(&["-vv"], &[]);
    let debug: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("debug: "))
        .collect();
    assert_eq!(
        debug,
        [
            "debug: reading item=samples/bn-dhaka-rain.txt",
            "debug: reading item=samples/en-flood-sylhet.txt",
            "debug: reading item=samples/en-metro-rail.json",
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn the_environment_sets_the_filter_when_no_flag_does() {
    for name in ["NEWSDIGEST_LOG", "RUST_LOG"] {
        let run = digest(&[], &[(name, "info")]);
        assert!(
            run.stderr.contains("info: stories prepared"),
            "{name}: {}",
            run.stderr
        );
    }
    // NEWSDIGEST_LOG wins over RUST_LOG; `off` hides warnings too.
    let run = digest(&[], &[("NEWSDIGEST_LOG", "off"), ("RUST_LOG", "info")]);
    assert_eq!(run.stderr, "");
    // Per-module filters, as tracing reads them.
    let run = digest(
        &[],
        &[("NEWSDIGEST_LOG", "warn,newsdigest::commands::digest=info")],
    );
    assert_eq!(
        run.stderr,
        format!("info: composed locale=en stories=2\n{LEFT_OUT}")
    );
    let run = digest(&[], &[("NEWSDIGEST_LOG", "[[")]);
    assert_eq!(run.code, 0);
    assert!(
        run.stderr
            .starts_with("warning: NEWSDIGEST_LOG=\"[[\" is not a log filter"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.ends_with(LEFT_OUT), "{}", run.stderr);
}

/// Every stderr line as a JSON object with `time`, `level` and `message`.
fn json_lines(stderr: &str) -> Vec<serde_json::Value> {
    stderr
        .lines()
        .map(|line| {
            let value: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{line:?}: {e}"));
            let time = value["time"].as_str().expect("a time");
            chrono::DateTime::parse_from_rfc3339(time).expect("RFC 3339");
            assert!(
                value["level"].is_string() && value["message"].is_string(),
                "{line}"
            );
            value
        })
        .collect()
}

#[test]
fn json_log_lines_parse_one_object_per_line() {
    let run = digest(&["-v", "--log-format", "json"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = json_lines(&run.stderr);
    assert_eq!(lines.len(), 4, "{}", run.stderr);
    assert_eq!(lines[0]["message"], "inputs read");
    assert_eq!(
        lines[0]["counts"],
        serde_json::json!({"inputs": 1, "articles": 3, "not_modified": 0})
    );
    assert_eq!(lines[2]["locale"], "en");
    assert_eq!(lines[3]["level"], "warn");
    assert_eq!(
        lines[3]["message"],
        LEFT_OUT.trim_end().trim_start_matches("warning: ")
    );
    // The error that ends a run is one JSON object too, with its exit code.
    let run = run_env(&["digest", "--log-format", "json", "no/such/file.txt"], &[]);
    assert_eq!(run.code, 66);
    let lines = json_lines(&run.stderr);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["level"], "error");
    assert_eq!(lines[0]["exit_code"], 66);
    assert_eq!(
        lines[0]["message"],
        "no/such/file.txt: no such file or directory"
    );
}

#[test]
fn json_logs_of_a_run_carry_bulletin_slot_target_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let wire = dir.path().join("wire");
    std::fs::create_dir_all(&wire).unwrap();
    std::fs::copy(repo_file("samples/en-flood-sylhet.txt"), wire.join("a.txt")).unwrap();
    std::fs::write(
        dir.path().join("subscribers.csv"),
        "address,locale,tz\n+44 7911 123456,en,Europe/London\n01811-000002,en,Asia/Dhaka\n",
    )
    .unwrap();
    let config = dir.path().join("newsdigest.toml");
    std::fs::write(
        &config,
        r#"state = "state.db"
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
since = "48h"
subscribers = "subscribers.csv"
target = "spool"
"#,
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let args = ["run", "--config", config, "--now", NOW];
    let again = run_env(&[&args[..], &["-v", "--log-format", "json"]].concat(), &[]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let lines = json_lines(&again.stderr);
    let planned = lines
        .iter()
        .find(|line| line["message"] == "planned")
        .unwrap_or_else(|| panic!("no planned line: {}", again.stderr));
    assert_eq!(planned["bulletin"], "morning");
    assert_eq!(planned["slot"], "2025-04-23T01:00:00Z");
    assert_eq!(planned["counts"]["messages"], 2);
    let delivering = lines
        .iter()
        .find(|line| line["message"] == "delivering")
        .expect("delivering");
    assert_eq!(delivering["target"], "spool");
    assert_eq!(delivering["counts"]["messages"], 2);
    let delivered = lines
        .iter()
        .find(|line| line["message"] == "delivered")
        .expect("delivered");
    assert_eq!(
        delivered["counts"],
        serde_json::json!({"sent": 2, "failed": 0, "deferred": 0})
    );
    // Quiet, as cron wants it: the next day's run prints nothing at all.
    let quiet = run_env(
        &[
            "run",
            "-q",
            "--config",
            config,
            "--now",
            "2025-04-24T09:00:00Z",
        ],
        &[],
    );
    assert_eq!(
        (quiet.code, quiet.stderr.as_str(), quiet.stdout.as_str()),
        (0, "", "")
    );
}

#[test]
fn check_problems_are_logged_errors() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("newsdigest.toml");
    std::fs::write(
        &config,
        "[[target]]\nname = \"t\"\nkind = \"files\"\ndir = \"spool\"\n\n[[bulletin]]\nname = \"b\"\nchannel = \"sms\"\nsources = [\"nowhere\"]\nschedule = \"0 7 * * *\"\nsubscribers = \"missing.csv\"\ntarget = \"t\"\n",
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let text = run_env(&["check", "--config", config], &[]);
    assert_eq!(text.code, 78, "{}", text.stderr);
    assert!(
        text.stderr.lines().all(|line| line.starts_with("error: ")),
        "{}",
        text.stderr
    );
    let json = run_env(&["check", "--config", config, "--log-format", "json"], &[]);
    assert_eq!(json.code, 78);
    let lines = json_lines(&json.stderr);
    assert_eq!(lines.len(), text.stderr.lines().count());
    assert!(lines.iter().all(|line| line["level"] == "error"));
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let run = run_env(
        &[
            "digest",
            "samples/",
            "samples/en-flood-sylhet.txt",
            "tests/data/feeds/",
            "--now",
            NOW,
            "--any-language",
        ],
        &[("TERM", "xterm")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !run.stderr.contains('\r') && !run.stderr.contains('\x1b'),
        "{:?}",
        run.stderr
    );
    assert!(!run.stderr.contains("reading"), "{}", run.stderr);
}

/// Runs `newsdigest ARGS` on a pseudo terminal (util-linux `script`) with `env`, returning
/// everything the terminal received; `None` (the test is skipped) where `script` is missing,
/// except under CI, which installs it.
fn on_terminal(args: &[&str], env: &[(&str, &str)]) -> Option<String> {
    let found = Command::new("script")
        .arg("--version")
        .stdout(Stdio::null())
        .status();
    if found.is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI needs util-linux's script"
        );
        eprintln!("skipped: no `script` (util-linux) to give the run a terminal");
        return None;
    }
    let quote = |arg: &str| format!("'{}'", arg.replace('\'', r"'\''"));
    let mut line = quote(env!("CARGO_BIN_EXE_newsdigest"));
    for arg in args {
        line.push(' ');
        line.push_str(&quote(arg));
    }
    let output = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("script runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Whether `text` holds an SGR (colour or weight) escape sequence: ESC [ digits and ; then m.
fn has_sgr(text: &str) -> bool {
    text.split('\x1b').skip(1).any(|rest| {
        rest.strip_prefix('[').is_some_and(|rest| {
            let params = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == ';');
            params.starts_with('m')
        })
    })
}

#[test]
fn a_terminal_gets_a_progress_bar_and_colour() {
    let inputs = [
        "samples/",
        "samples/en-flood-sylhet.txt",
        "samples/en-metro-rail.json",
    ];
    let args = [&["digest", "--now", NOW][..], &inputs].concat();
    let Some(screen) = on_terminal(&args, &[("TERM", "xterm")]) else {
        return;
    };
    assert!(screen.contains("reading ["), "no bar: {screen:?}");
    // Three inputs, the folder holding three files: five to read, the folder's two duplicates
    // counted as done.
    assert!(screen.contains("/5"), "the bar counts 5 units: {screen:?}");
    // The bar is cleared before the warning and the digest are written.
    assert!(screen.contains("\r\x1b[2K"), "{screen:?}");
    assert!(
        has_sgr(&screen),
        "the warning's level is coloured: {screen:?}"
    );
    assert!(screen.contains("News digest"), "{screen:?}");
    // -q: neither bar nor warning.
    let quiet = on_terminal(&[&args[..], &["-q"]].concat(), &[("TERM", "xterm")]).unwrap();
    assert!(
        !quiet.contains("reading") && !quiet.contains("warning"),
        "{quiet:?}"
    );
    assert!(!quiet.contains('\x1b'), "{quiet:?}");
}

#[test]
fn no_color_gives_no_colour_on_a_terminal() {
    let args = [
        "preview",
        "samples/en-flood-sylhet.txt",
        "--locale",
        "en",
        "--now",
        NOW,
    ];
    let Some(coloured) = on_terminal(&args, &[("TERM", "xterm")]) else {
        return;
    };
    assert!(
        has_sgr(&coloured),
        "preview is coloured on a terminal: {coloured:?}"
    );
    let plain = on_terminal(&args, &[("TERM", "xterm"), ("NO_COLOR", "1")]).unwrap();
    assert!(!has_sgr(&plain), "{plain:?}");
    assert!(plain.contains("en"), "{plain:?}");
    // --color always is the user's word for this run: it beats NO_COLOR.
    let forced = on_terminal(
        &[&args[..], &["--color", "always"]].concat(),
        &[("TERM", "xterm"), ("NO_COLOR", "1")],
    )
    .unwrap();
    assert!(has_sgr(&forced), "{forced:?}");
}

#[test]
fn colour_follows_clicolor_force_no_color_and_the_flag_off_a_terminal() {
    let preview = |extra: &[&str], env: &[(&str, &str)]| {
        let args = [
            &["preview", "samples/", "--locale", "en", "--now", NOW][..],
            extra,
        ]
        .concat();
        run_env(&args, env)
    };
    let forced = preview(&[], &[("CLICOLOR_FORCE", "1")]);
    assert!(has_sgr(&forced.stdout), "{}", forced.stdout);
    assert!(
        forced.stderr.starts_with("\x1b["),
        "warning coloured: {:?}",
        forced.stderr
    );
    // NO_COLOR wins over CLICOLOR_FORCE: no escape code at all.
    let plain = preview(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(
        !plain.stdout.contains('\x1b') && !plain.stderr.contains('\x1b'),
        "{plain:?}",
        plain = plain.stderr
    );
    let never = preview(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]);
    assert!(!never.stdout.contains('\x1b') && !never.stderr.contains('\x1b'));
    let default = preview(&[], &[]);
    assert!(!default.stdout.contains('\x1b') && !default.stderr.contains('\x1b'));
}

#[test]
fn bash_loads_the_completions() {
    let exe = env!("CARGO_BIN_EXE_newsdigest");
    let script = format!("source <('{exe}' completions bash) && complete -p newsdigest");
    let output = Command::new("bash")
        .args(["-c", &script])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("newsdigest"));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for shell in ["zsh", "fish", "powershell"] {
        let run = run_env(&["completions", shell], &[]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(
            run.stdout.contains("newsdigest") && run.stdout.contains("max-segments"),
            "{shell}"
        );
    }
    let run = run_env(&["completions", "tcsh"], &[]);
    assert_eq!(run.code, 2);
}

#[test]
fn man_pages_one_per_subcommand_with_exit_status_and_files() {
    let run = run_env(&["man", "digest"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("\n.TH newsdigest-digest 1 "),
        "{}",
        run.stdout
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    let run = run_env(&["man", "--out", out.to_str().unwrap()], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in [
        "newsdigest.1",
        "newsdigest-digest.1",
        "newsdigest-run.1",
        "newsdigest-completions.1",
        "newsdigest-templates-dump.1",
    ] {
        let text =
            std::fs::read_to_string(out.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(
            text.contains(".SH \"EXIT STATUS\"") && text.contains(".SH FILES"),
            "{page}"
        );
    }
    let run = run_env(&["man", "nosuch"], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: --page: no subcommand \"nosuch\" (one of: digest, "),
        "{}",
        run.stderr
    );
    render_with_man(&out.join("newsdigest-digest.1"));
}

/// Formats a page with man(1) when it is installed, as a reader would see it.
fn render_with_man(page: &Path) {
    let Ok(output) = Command::new("man")
        .arg("-l")
        .arg(page)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("MANWIDTH", "80")
        .stdin(Stdio::null())
        .output()
    else {
        eprintln!("skipped: no man(1) to render the page");
        return;
    };
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for heading in [
        "NAME",
        "SYNOPSIS",
        "OPTIONS",
        "EXIT STATUS",
        "ENVIRONMENT",
        "FILES",
    ] {
        assert!(
            text.lines().any(|line| line == heading),
            "no {heading} in {text}"
        );
    }
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("SYNOPSIS newsdigest digest [--tz]"),
        "{text}"
    );
}
