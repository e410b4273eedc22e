//! Error messages, word for word, with their exit codes; and no partial output on failure.

use crate::{repo_file, run, run_with_stdin};

fn temp_file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn missing_input() {
    let run = run(&["digest", "no/such/file.txt"]);
    assert_eq!(run.code, 66);
    assert_eq!(
        run.stderr,
        "error: no/such/file.txt: no such file or directory\n"
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn empty_article() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(&dir, "empty.txt", b"\n  \n");
    let run = run(&["digest", &path]);
    assert_eq!(run.code, 65);
    assert_eq!(
        run.stderr,
        format!("error: {path}: empty article: no text\n")
    );
}

#[test]
fn invalid_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(&dir, "latin1.txt", b"Caf\xe9 opens.\nSource: AFP\n");
    let run = run(&["digest", &path]);
    assert_eq!(run.code, 65);
    assert_eq!(
        run.stderr,
        format!("error: {path}: not valid UTF-8 (first bad byte at offset 3)\n")
    );
}

#[test]
fn invalid_utf8_on_stdin() {
    let run = run_with_stdin(&["digest", "-"], b"\xff\xfe");
    assert_eq!(run.code, 65);
    assert_eq!(
        run.stderr,
        "error: <stdin>: not valid UTF-8 (first bad byte at offset 0)\n"
    );
}

#[test]
fn bad_json_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(&dir, "bad.json", b"{\n  \"title\": \"x\",\n}\n");
    let run = run(&["digest", &path]);
    assert_eq!(run.code, 65);
    assert!(
        run.stderr
            .starts_with(&format!("error: {path}:3: not a JSON article: ")),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1);
}

#[test]
fn unknown_zone() {
    let run = run(&[
        "digest",
        "samples/en-flood-sylhet.txt",
        "--tz",
        "Mars/Olympus",
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: --tz: \"Mars/Olympus\": unknown IANA time zone\n"
    );
}

#[test]
fn zone_abbreviation_is_refused_as_a_reader_zone() {
    let run = run(&["digest", "samples/en-flood-sylhet.txt", "--tz", "EST"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("error: --tz: \"EST\": "),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_zone_abbreviation_in_a_dateline() {
    let run = run(&["time", "13:47 XYZT, April 23, 2025"]);
    assert_eq!(run.code, 65);
    assert!(
        run.stderr.starts_with("error: cannot read dateline"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("XYZT"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1);
}

#[test]
fn unreadable_dateline_is_a_note_not_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(
        &dir,
        "a.txt",
        "Rain is expected in Dhaka on Friday.\nSource: Desk\nBDST: 2547 HRS, APR 23, 2025\n"
            .as_bytes(),
    );
    let run = run(&["digest", &path, "--now", "2025-04-23T09:00:00Z"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("Desk: Rain is expected"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr
            .starts_with(&format!("warning: {path}: cannot read dateline")),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_locale() {
    let run = run(&["digest", "samples/en-flood-sylhet.txt", "--locale", "xx"]);
    assert_eq!(run.code, 78);
    assert!(
        run.stderr
            .starts_with("error: locale \"xx\": no such locale (available: "),
        "{}",
        run.stderr
    );
}

#[test]
fn template_syntax_error_names_file_and_line() {
    let dir = crate::alert_template_dir("ok\n{{ stories[0].lead \n");
    let run = run(&[
        "digest",
        "samples/en-flood-sylhet.txt",
        "--templates",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 78);
    assert!(
        run.stderr
            .starts_with("error: template sms/alert.txt.tera:"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[test]
fn template_render_error_names_file_line_and_locale() {
    let dir = crate::alert_template_dir("line one\n{{ no_such_variable }}\n");
    let out = dir.path().join("out");
    let run = run(&[
        "digest",
        "samples/bn-dhaka-rain.txt",
        "--locale",
        "bn",
        "--templates",
        dir.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 78);
    assert!(
        run.stderr
            .starts_with("error: template sms/alert.txt.tera:2: "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.trim_end().ends_with("(locale bn)"),
        "{}",
        run.stderr
    );
    assert!(!out.exists(), "no output directory or file on failure");
}

#[test]
fn template_that_cannot_fit_the_budget() {
    let dir = crate::alert_template_dir(&format!("{}{{{{ stories[0].lead }}}}", "x".repeat(200)));
    let run = run(&[
        "digest",
        "samples/en-flood-sylhet.txt",
        "--templates",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 78);
    assert_eq!(
        run.stderr,
        "error: template sms/alert.txt.tera does not fit in 1 SMS segment(s) even without article text\n"
    );
}

#[test]
fn bad_now() {
    let run = run(&[
        "digest",
        "samples/en-flood-sylhet.txt",
        "--now",
        "yesterday",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: --now: \"yesterday\" is not an RFC 3339 time"),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_error_from_clap() {
    let run = run(&["digest", "--max-segments", "0"]);
    assert_eq!(run.code, 2);
}

#[test]
fn sample_files_exist() {
    assert!(repo_file("samples/en-flood-sylhet.txt").exists());
}

#[test]
fn template_including_a_missing_template() {
    let dir =
        crate::alert_template_dir("{% include \"sms/header.txt.tera\" %}{{ stories[0].lead }}");
    let run = run(&[
        "digest",
        "samples/en-flood-sylhet.txt",
        "--templates",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 78);
    assert!(run.stderr.starts_with("error: template "), "{}", run.stderr);
    assert!(run.stderr.contains("sms/header.txt.tera"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}
