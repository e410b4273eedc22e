//! One settings value: `digest` and `preview` read every option the same way, and the options
//! that shape a message (smart encoding, unsubscribe, SMS tables) reach both.

use crate::{alert_template_dir, run, run_json};

const EN: &str = "samples/en-flood-sylhet.txt";
const NOW: &str = "2025-04-23T09:00:00Z";

/// Every option `digest` and `preview` share, for the SMS channel.
const SMS_OPTIONS: &[&str] = &[
    "--tz",
    "Europe/London",
    "--tz",
    "Asia/Dhaka",
    "--country",
    "bd",
    "--max-segments",
    "2",
    "--stories",
    "1",
    "--now",
    NOW,
    "--no-smart-encoding",
    "--split",
    "code-units",
    "--concat-ref",
    "16",
    "--national-tables",
    "bn,hi",
    "--danda-as-period",
    "--unsubscribe",
    "https://news.example/stop",
    "--from",
    "Desk <desk@news.example>",
    "--to",
    "a@news.example",
];

fn with(command: &[&str], options: &[&str]) -> Vec<String> {
    command
        .iter()
        .chain(options)
        .map(|s| s.to_string())
        .collect()
}

fn run_json_owned(args: &[String]) -> serde_json::Value {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run_json(&args)
}

#[test]
fn digest_and_preview_give_the_same_sms() {
    let curly = tempfile::NamedTempFile::new().unwrap();
    // Curly quotes: smart encoding would make them GSM-7; --no-smart-encoding keeps UCS-2.
    std::fs::write(
        curly.path(),
        "Officials said “the river is rising” on Wednesday.\nSource: Newsdesk\nBDST: 1347 HRS, APR 23, 2025\n",
    )
    .unwrap();
    for input in [EN, curly.path().to_str().unwrap()] {
        let digest = run_json_owned(&with(&["digest", input, "--format", "json"], SMS_OPTIONS));
        let preview = run_json_owned(&with(
            &["preview", input, "--locale", "en", "--format", "json"],
            SMS_OPTIONS,
        ));
        assert_eq!(
            digest["messages"][0], preview["previews"][0]["sms"],
            "{input}"
        );
    }
    let digest = run_json_owned(&with(
        &["digest", curly.path().to_str().unwrap(), "--format", "json"],
        SMS_OPTIONS,
    ));
    assert_eq!(digest["messages"][0]["encoding"], "ucs2", "{digest}");
}

#[test]
fn digest_and_preview_give_the_same_email() {
    let mut options: Vec<&str> = SMS_OPTIONS.to_vec();
    options.extend(["--channel", "email", "--email-sentences", "2"]);
    let digest = run_json_owned(&with(&["digest", EN, "--format", "json"], &options));
    let preview = run_json_owned(&with(
        &["preview", EN, "--locale", "en", "--format", "json"],
        &options,
    ));
    let email = &preview["previews"][0]["email"];
    assert_eq!(digest["subject"], email["subject"]);
    assert_eq!(digest["text"], email["text"]);
    assert!(
        email["text"]
            .as_str()
            .unwrap()
            .contains("https://news.example/stop"),
        "preview shows the unsubscribe link: {email}"
    );
}

#[test]
fn a_missing_locales_folder_is_an_error_like_a_missing_templates_folder() {
    for option in ["--locales", "--templates"] {
        let run = run(&["digest", EN, option, "no-such-folder"]);
        assert_eq!(run.code, 78, "{option}: {}", run.stderr);
        assert_eq!(
            run.stderr,
            format!("error: no-such-folder: {option}: no such folder\n")
        );
    }
    let run = run(&["time", "13:47 BST", "--locale", "en", "--locales", "nope"]);
    assert_eq!(run.code, 78, "{}", run.stderr);
}

#[test]
fn bad_flag_values_are_one_line_usage_errors() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--now", "yesterday"],
            "error: --now: \"yesterday\" is not an RFC 3339 time",
        ),
        (
            &["--tz", "Mars/Olympus"],
            "error: --tz: \"Mars/Olympus\": unknown IANA time zone",
        ),
        (
            &["--country", "BGD"],
            "error: --country: \"BGD\" is not a two-letter ISO 3166 country code",
        ),
        (
            &["--national-tables", "bn,xx"],
            "error: --national-tables: \"xx\" has no national language table",
        ),
        (
            &["--from", "not an address"],
            "error: --from: \"not an address\" is not an email address",
        ),
        (
            &["--to", "<>"],
            "error: --to: \"<>\" is not an email address",
        ),
        (
            &["--unsubscribe", "javascript:alert(1)"],
            "error: --unsubscribe: \"javascript:alert(1)\"",
        ),
    ];
    for (args, expected) in cases {
        for command in ["digest", "preview"] {
            let mut all = vec![command, EN];
            all.extend_from_slice(args);
            let run = run(&all);
            assert_eq!(run.code, 2, "{all:?}: {}", run.stderr);
            assert!(run.stderr.starts_with(expected), "{all:?}: {}", run.stderr);
            assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
            assert!(run.stdout.is_empty());
        }
    }
}

#[test]
fn thousands_of_stories_are_fitted_without_a_refit_per_dropped_story() {
    let dir = tempfile::tempdir().unwrap();
    let stories: Vec<String> = (0..4000)
        .map(|i| {
            format!(
                r#"{{"title":"Story {i}","body":"Story number {i} happened today in the city. More details followed.","published":"2025-04-23T07:47:00Z"}}"#
            )
        })
        .collect();
    let path = dir.path().join("many.json");
    std::fs::write(&path, format!("[{}]", stories.join(","))).unwrap();
    let json = run_json(&[
        "digest",
        path.to_str().unwrap(),
        "--stories",
        "4000",
        "--max-segments",
        "255",
        "--now",
        NOW,
        "--format",
        "json",
    ]);
    let message = &json["messages"][0];
    assert!(message["segments"].as_u64().unwrap() <= 255);
    let notes = json["notes"].to_string();
    assert!(
        notes.contains("left out to fit 255 SMS segment(s)"),
        "{notes}"
    );
}

#[test]
fn a_long_source_is_shortened_not_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (name, length) in [("300.txt", 300), ("440.txt", 440), ("5000.txt", 5000)] {
        let path = dir.path().join(name);
        std::fs::write(
            &path,
            format!(
                "Floodwaters rose across three districts on Wednesday.\nSource: {}\nBDST: 1347 HRS, APR 23, 2025\n",
                "Police ".repeat(length / 7)
            ),
        )
        .unwrap();
        for segments in ["1", "3"] {
            let json = run_json(&[
                "digest",
                path.to_str().unwrap(),
                "--now",
                NOW,
                "--max-segments",
                segments,
                "--format",
                "json",
            ]);
            let message = &json["messages"][0];
            assert!(message["segments"].as_u64().unwrap() <= segments.parse().unwrap());
            assert_eq!(message["encoding"], "gsm7", "{message}");
            assert!(
                message["text"].as_str().unwrap().contains("Floodwaters"),
                "{message}"
            );
        }
    }
}

#[test]
fn a_runaway_template_is_stopped_with_an_error() {
    let templates = alert_template_dir(
        "{% for a in range(end=100000) %}{% for b in range(end=100000) %}xxxxxxxxxx{% endfor %}{% endfor %}",
    );
    let run = run(&[
        "digest",
        EN,
        "--templates",
        templates.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 78, "{}", run.stderr);
    assert!(run.stderr.contains("runaway loop"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}
