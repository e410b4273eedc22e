//! Which stories a bulletin carries and in what order: newest first or as given, `--since`,
//! the locale's language, `--language` and `--any-language`, and the dates shown with the times.

use crate::{preview_locales, run_with_stdin, strings};

const NOW: &str = "2025-04-23T09:00:00Z";

/// Four English stories, listed oldest first; the third is two days old, the last has no time.
const STORIES: &str = r#"[
  {"title": "Ferry service resumes", "body": "Alpha ferry crossings resumed on the Padma on Wednesday morning.", "published": "2025-04-23T02:00:00Z", "language": "en"},
  {"title": "Metro extends hours", "body": "Bravo metro trains will run until midnight from next week.", "published": "2025-04-23T06:30:00Z", "language": "en"},
  {"title": "Port strike ends", "body": "Charlie dock workers ended a three-day strike at the port.", "published": "2025-04-21T08:00:00Z", "language": "en"},
  {"title": "Book fair opens", "body": "Delta publishers opened the spring book fair in the capital.", "language": "en"}
]"#;

fn digest(stdin: &str, extra: &[&str]) -> crate::Run {
    let mut args = vec![
        "digest",
        "-",
        "--now",
        NOW,
        "--tz",
        "Asia/Dhaka",
        "--max-segments",
        "4",
        "--format",
        "json",
    ];
    args.extend(extra);
    run_with_stdin(&args, stdin.as_bytes())
}

fn json(run: &crate::Run) -> serde_json::Value {
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("stdout is JSON")
}

fn sms_text(run: &crate::Run) -> String {
    json(run)["messages"][0]["text"]
        .as_str()
        .expect("an SMS text")
        .to_string()
}

fn notes(run: &crate::Run) -> Vec<String> {
    strings(&json(run)["notes"])
}

/// The order in which the markers (first words of the bodies) appear in `text`.
fn order_of(text: &str, markers: &[&str]) -> Vec<String> {
    let mut found: Vec<(usize, &str)> = markers
        .iter()
        .filter_map(|m| text.find(m).map(|at| (at, *m)))
        .collect();
    found.sort();
    found.into_iter().map(|(_, m)| m.to_string()).collect()
}

const MARKERS: &[&str] = &["Alpha", "Bravo", "Charlie", "Delta"];

#[test]
fn newest_first_and_untimed_last() {
    let run = digest(STORIES, &[]);
    assert_eq!(
        order_of(&sms_text(&run), MARKERS),
        ["Bravo", "Alpha", "Charlie", "Delta"]
    );
    assert!(
        notes(&run)
            .iter()
            .any(|n| n == "1 story without a time placed after the dated ones"),
        "{:?}",
        notes(&run)
    );
}

#[test]
fn order_feed_keeps_the_inputs_order() {
    let run = digest(STORIES, &["--order", "feed"]);
    assert_eq!(
        order_of(&sms_text(&run), MARKERS),
        ["Alpha", "Bravo", "Charlie", "Delta"]
    );
}

#[test]
fn since_leaves_out_older_stories_and_keeps_untimed_ones() {
    let run = digest(STORIES, &["--since", "24h"]);
    let text = sms_text(&run);
    assert_eq!(order_of(&text, MARKERS), ["Bravo", "Alpha", "Delta"]);
    let notes = notes(&run);
    assert!(
        notes.contains(
            &"1 story published before 2025-04-22T09:00:00Z left out (--since 1day)".to_string()
        ),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("1 story without a time kept")),
        "{notes:?}"
    );
    // 180 minutes keeps only the newest dated one.
    let run = digest(STORIES, &["--since", "180m", "--order", "feed"]);
    assert_eq!(order_of(&sms_text(&run), MARKERS), ["Bravo", "Delta"]);
}

#[test]
fn nothing_recent_is_not_a_failure() {
    let old = r#"[{"body": "Old news from last year.", "published": "2024-04-20T10:00:00Z", "language": "en"}]"#;
    let run = run_with_stdin(
        &["digest", "-", "--now", NOW, "--since", "24h"],
        old.as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("nothing to send"), "{}", run.stderr);
}

#[test]
fn bad_since_is_a_usage_error() {
    for bad in ["--since=soon", "--since=0s", "--since=-5m"] {
        let run = digest(STORIES, &[bad]);
        assert_eq!(run.code, 2, "{bad}: {}", run.stderr);
        assert!(run.stderr.starts_with("error: --since"), "{}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    }
}

/// One English and one Bengali story, no language given: detection decides.
const MIXED: &str = r#"[
  {"body": "Heavy rain flooded several roads in the old town on Wednesday, and traffic police diverted buses away from the river.", "published": "2025-04-23T07:00:00Z"},
  {"body": "বুধবার সকালে ভারী বৃষ্টিতে পুরান ঢাকার বেশ কয়েকটি সড়ক পানিতে তলিয়ে যায় এবং যান চলাচল বন্ধ থাকে।", "published": "2025-04-23T06:00:00Z"}
]"#;

#[test]
fn stories_in_another_language_are_left_out_with_a_note() {
    let run = digest(MIXED, &["--locale", "bn"]);
    let text = sms_text(&run);
    assert!(
        text.contains("বৃষ্টিতে") && !text.contains("Heavy rain"),
        "{text}"
    );
    assert!(
        notes(&run)
            .iter()
            .any(|n| n == "1 story in another language left out (en: 1); --any-language keeps it"),
        "{:?}",
        notes(&run)
    );
    let run = digest(MIXED, &["--locale", "bn", "--any-language"]);
    let text = sms_text(&run);
    assert!(
        text.contains("বৃষ্টিতে") && text.contains("Heavy rain"),
        "{text}"
    );
}

#[test]
fn no_story_in_the_locales_language_is_an_error() {
    let run = digest(MIXED, &["--locale", "fr"]);
    assert_eq!(run.code, 66, "{}", run.stderr);
    assert!(
        run.stderr.lines().last().unwrap().starts_with(
            "error: no story in the language of locale fr; use --locale with the stories' language"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn language_forces_the_stories_language() {
    let run = digest(MIXED, &["--locale", "fr", "--language", "fr"]);
    let text = sms_text(&run);
    assert!(text.contains("Heavy rain"), "{text}");
    let run = digest(MIXED, &["--language", "not a tag!"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn preview_leaves_a_locale_without_stories_out_with_a_note() {
    let run = run_with_stdin(
        &[
            "preview", "-", "--now", NOW, "--locale", "en,bn,fr", "--format", "json",
        ],
        MIXED.as_bytes(),
    );
    let json = json(&run);
    assert_eq!(preview_locales(&json), ["en", "bn"]);
    let notes = json["notes"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n == "fr: no story in this locale's language"),
        "{notes:?}"
    );
}

#[test]
fn the_header_shows_the_newest_storys_date() {
    let old = r#"[
      {"body": "Port workers ended a strike on Monday.", "published": "2025-04-21T08:00:00Z", "language": "en"},
      {"body": "Ferry crossings resumed on Sunday.", "published": "2025-04-20T08:00:00Z", "language": "en"}
    ]"#;
    let text = sms_text(&digest(old, &[]));
    assert!(text.starts_with("News digest Apr 21, 2025"), "{text}");
}

#[test]
fn times_not_from_the_readers_today_carry_their_day() {
    let stories = r#"[
      {"body": "Today story about trains.", "published": "2025-04-23T06:00:00Z", "language": "en"},
      {"body": "Yesterday story about ferries.", "published": "2025-04-22T06:00:00Z", "language": "en"},
      {"body": "Older story about ports.", "published": "2025-04-20T06:00:00Z", "language": "en"}
    ]"#;
    let text = sms_text(&digest(stories, &[]));
    let line = |marker: &str| {
        text.lines()
            .find(|l| l.contains(marker))
            .unwrap_or_else(|| panic!("{marker} in {text}"))
            .to_string()
    };
    assert!(line("Today story").contains(" 12:00 "), "{text}");
    assert!(!line("Today story").contains("Apr"), "{text}");
    assert!(
        line("Yesterday story").contains("yesterday 12:00"),
        "{text}"
    );
    assert!(line("Older story").contains("Apr 20 12:00"), "{text}");
    // In Bengali the word is localized.
    let run = digest(stories, &["--locale", "bn", "--any-language"]);
    assert!(sms_text(&run).contains("গতকাল ১২:০০"), "{}", sms_text(&run));
}

#[test]
fn near_duplicates_are_merged_keeping_the_earliest_and_naming_both_sources() {
    let stories = r#"[
      {"title": "12 killed as flash floods hit Sylhet, Sunamganj", "source": "UNB", "language": "en", "published": "2025-04-23T07:30:00Z",
       "body": "Flash floods triggered by heavy upstream rain killed at least 12 people in Sylhet and Sunamganj on Tuesday. Around 200,000 people remain stranded as the Surma flowed 40 cm above the danger level at Kanaighat, district officials said."},
      {"title": "Metro extends hours", "source": "Desk", "language": "en", "published": "2025-04-23T08:00:00Z",
       "body": "Metro trains will run until midnight from next week, the operator said."},
      {"title": "Flash floods leave 12 dead in Sylhet", "source": "BSS", "language": "en", "published": "2025-04-23T06:00:00Z",
       "body": "At least 12 people died after flash floods swept through Sylhet and Sunamganj districts on Tuesday, officials said. The Surma river rose 40 centimetres above the danger mark at Kanaighat, stranding some 200,000 people."}
    ]"#;
    let run = digest(stories, &["--channel", "email"]);
    let json = json(&run);
    let text = json["text"].as_str().unwrap();
    assert!(text.contains("2 stories"), "{text}");
    // The earliest report (BSS, 06:00) is kept and names UNB too.
    assert!(
        text.contains("Flash floods leave 12 dead in Sylhet"),
        "{text}"
    );
    assert!(!text.contains("12 killed as flash floods"), "{text}");
    assert!(text.contains("BSS, UNB"), "{text}");
    let notes = notes(&run);
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("<stdin>#3: same event as <stdin>#1")
                && n.ends_with("kept the earliest, naming both sources")),
        "{notes:?}"
    );
}
