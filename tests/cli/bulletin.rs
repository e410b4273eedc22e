//! Multi-story SMS: every story shown gets its readable minimum; the rest are dropped with a reason.

use crate::{run_json, story_words};

const NOW: &str = "2025-04-24T12:00:00Z";
const BULLETIN: &str = "tests/data/articles/bulletin";

/// Previews every locale over the bulletin folder (stories in any language, so every locale has
/// all five) and returns (locale, SMS text, dropped count).
fn previews(extra: &[&str]) -> Vec<(String, String, u64)> {
    let mut args = vec![
        "preview",
        BULLETIN,
        "--any-language",
        "--locale",
        "all",
        "--tz",
        "Asia/Dhaka",
        "--now",
        NOW,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let json = run_json(&args);
    json["previews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let text = p["sms"]["text"].as_str().unwrap().to_string();
            let dropped = p["dropped_count"].as_u64().unwrap();
            assert_eq!(p["dropped"].as_array().unwrap().len() as u64, dropped);
            (p["locale"].as_str().unwrap().to_string(), text, dropped)
        })
        .collect()
}

/// Numbered story lines of a multi-story SMS (the heading is line 0).
fn story_lines(text: &str) -> Vec<&str> {
    text.lines().skip(1).collect()
}

#[test]
fn every_story_shown_in_every_locale_has_its_minimum() {
    for segments in ["1", "2", "3"] {
        let all = previews(&["--max-segments", segments]);
        assert!(all.len() >= 12, "{all:?}");
        for (locale, text, _) in &all {
            if text.lines().count() < 2 {
                continue; // one story alone, sent as an alert
            }
            for line in story_lines(text) {
                assert!(story_words(line) >= 6, "{locale} / {segments}: {line:?}");
            }
        }
        for tag in ["en", "bn"] {
            let (_, text, _) = all.iter().find(|(l, _, _)| l == tag).unwrap();
            assert!(!text.is_empty(), "{tag}: at least one story is shown");
        }
    }
}

#[test]
fn stories_keep_their_order_and_all_get_a_minimum_before_any_gets_more() {
    // Newest first across both languages: market (11:30), bridge (09:10), ferry (yesterday).
    let all = previews(&["--max-segments", "4", "--stories", "3"]);
    let (_, text, dropped) = all.iter().find(|(l, _, _)| l == "en").unwrap();
    let lines = story_lines(text);
    assert_eq!((lines.len(), *dropped), (3, 0), "{text}");
    assert!(lines[0].contains("চট্টগ্রামের"), "{text}");
    assert!(lines[1].contains("Engineers closed"), "{text}");
    assert!(lines[2].contains("A night ferry"), "{text}");
    for line in &lines {
        assert!(story_words(line) >= 6, "{line}");
    }
}

#[test]
fn three_newest_english_stories_in_two_segments() {
    let json = run_json(&[
        "digest",
        BULLETIN,
        "--tz",
        "Asia/Dhaka",
        "--now",
        NOW,
        "--stories",
        "3",
        "--max-segments",
        "2",
        "--format",
        "json",
    ]);
    let message = &json["messages"][0];
    let text = message["text"].as_str().unwrap();
    assert!(message["segments"].as_u64().unwrap() <= 2, "{text}");
    let lines = story_lines(text);
    assert_eq!(lines.len(), 3, "{text}");
    // Newest first: the bridge (today 09:10), the ferry (yesterday 21:40), the library (18:20).
    assert!(lines[0].starts_with("1. 09:10 Engineers closed"), "{text}");
    assert!(
        lines[1].starts_with("2. yesterday 21:40 A night ferry"),
        "{text}"
    );
    assert!(
        lines[2].starts_with("3. yesterday 18:20 City library"),
        "{text}"
    );
    for line in &lines {
        assert!(story_words(line) >= 6, "{line}");
    }
    let notes: Vec<&str> = json["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(
        notes
            .contains(&"2 stories in another language left out (bn: 2); --any-language keeps them"),
        "{notes:?}"
    );
}

#[test]
fn dropped_stories_are_listed_with_a_reason() {
    let all = previews(&["--max-segments", "1"]);
    let (_, text, dropped) = all.iter().find(|(l, _, _)| l == "en").unwrap();
    let shown = if text.lines().count() < 2 {
        1
    } else {
        story_lines(text).len() as u64
    };
    assert_eq!(shown + dropped, 5, "{text}");
    assert!(*dropped > 0, "5 stories cannot all fit one segment: {text}");
    let json = run_json(&[
        "digest",
        BULLETIN,
        "--any-language",
        "--tz",
        "Asia/Dhaka",
        "--now",
        NOW,
        "--format",
        "json",
    ]);
    let reason = json["dropped"][0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("(6 words) does not fit") || reason.contains("no room"),
        "{reason}"
    );
    assert!(
        json["dropped"][0]["story"]
            .as_str()
            .unwrap()
            .contains("bulletin/")
    );
}

#[test]
fn min_words_changes_the_outcome() {
    let six = previews(&["--max-segments", "3"]);
    let ten = previews(&["--max-segments", "3", "--min-words", "10"]);
    let (_, six_text, six_dropped) = six.iter().find(|(l, _, _)| l == "en").unwrap();
    let (_, ten_text, ten_dropped) = ten.iter().find(|(l, _, _)| l == "en").unwrap();
    assert_ne!(six_text, ten_text);
    assert!(ten_dropped >= six_dropped, "{six_text}\n---\n{ten_text}");
    for line in story_lines(ten_text) {
        assert!(story_words(line) >= 10, "{line}");
    }
}
