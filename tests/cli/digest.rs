//! `newsdigest digest` on the sample articles: SMS budgets, locales, inputs, golden outputs.

use crate::{repo_file, run, run_json, run_with_stdin};

const EN: &str = "samples/en-flood-sylhet.txt";
const BN: &str = "samples/bn-dhaka-rain.txt";
const NOW: &str = "2025-04-23T09:00:00Z";

fn first_message(json: &serde_json::Value) -> &serde_json::Value {
    &json["messages"][0]
}

#[test]
fn english_alert_fits_one_gsm_segment_with_london_time() {
    // The lead strategy: this test is about fitting the first sentence, not choosing it.
    let json = run_json(&[
        "digest",
        EN,
        "--strategy",
        "lead",
        "--tz",
        "Europe/London",
        "--now",
        NOW,
        "--format",
        "json",
    ]);
    let message = first_message(&json);
    let text = message["text"].as_str().unwrap();
    assert_eq!(message["encoding"], "gsm7");
    assert_eq!(message["segments"], 1);
    assert!(message["units"].as_u64().unwrap() <= 160, "{text}");
    assert!(text.contains("08:47 BST"), "{text}");
    assert!(
        text.contains("Floodwaters rose across three northeastern districts"),
        "{text}"
    );
    assert!(
        text.ends_with("..."),
        "a cut lead is marked with a GSM ellipsis: {text}"
    );
}

#[test]
fn two_segments_hold_the_whole_first_sentence() {
    let json = run_json(&[
        "digest",
        EN,
        "--strategy",
        "lead",
        "--tz",
        "Europe/London",
        "--now",
        NOW,
        "--max-segments",
        "2",
        "--format",
        "json",
    ]);
    let message = first_message(&json);
    let text = message["text"].as_str().unwrap();
    assert!(message["segments"].as_u64().unwrap() <= 2);
    assert!(
        text.contains("cutting road links to Sunamganj, officials said."),
        "{text}"
    );
}

#[test]
fn curly_quotes_do_not_force_ucs2() {
    // The third paragraph opens with a curly quote; with enough room it is in the message.
    let json = run_json(&[
        "digest",
        EN,
        "--tz",
        "Asia/Dhaka",
        "--now",
        NOW,
        "--max-segments",
        "5",
        "--format",
        "json",
    ]);
    assert_eq!(first_message(&json)["encoding"], "gsm7");
}

#[test]
fn a_lead_opening_with_a_long_quotation_is_cut_inside_it_not_refused() {
    // The quotation alone is longer than one UCS-2 segment (ê is not GSM-7): no cut after it fits.
    let article = "\"Nous ne pourrons pas rouvrir le pont avant la fin du mois, parce que les piliers \
                   doivent être renforcés\", a déclaré le maire. Les travaux commencent lundi.\n";
    let args = [
        "digest",
        "--language",
        "fr",
        "--locale",
        "fr",
        "--now",
        NOW,
        "--format",
        "json",
    ];
    let run = run_with_stdin(&args, article.as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let message = first_message(&json);
    let text = message["text"].as_str().unwrap();
    assert_eq!(message["segments"], 1, "{text}");
    assert!(text.starts_with("\"Nous ne pourrons pas rouvrir"), "{text}");
    // The cut drops the ê, so the message is GSM-7 and the mark `...`; the quotation is closed.
    assert_eq!(message["encoding"], "gsm7", "{text}");
    assert!(text.ends_with("...\""), "{text}");
}

#[test]
fn bengali_alert_is_ucs2_with_bengali_digits() {
    let json = run_json(&[
        "digest", BN, "--locale", "bn", "--now", NOW, "--format", "json",
    ]);
    let message = first_message(&json);
    let text = message["text"].as_str().unwrap();
    assert_eq!(message["encoding"], "ucs2");
    assert_eq!(message["segments"], 1);
    assert!(message["units"].as_u64().unwrap() <= 70);
    assert!(text.contains("১৩:৪৭"), "{text}");
    // The source gives way so the lead keeps its 6-word minimum in one UCS-2 segment.
    let lead = text.split_once(": ").unwrap().1;
    assert!(newsdigest::summarize::word_count(lead) >= 6, "{text}");
    assert_eq!(
        json["notes"],
        serde_json::json!(["the story's source and title were shortened to fit 1 SMS segment(s)"])
    );
}

#[test]
fn bengali_alert_respects_a_larger_budget() {
    let json = run_json(&[
        "digest",
        BN,
        "--locale",
        "bn",
        "--now",
        NOW,
        "--max-segments",
        "3",
        "--format",
        "json",
    ]);
    let message = first_message(&json);
    assert!(message["segments"].as_u64().unwrap() <= 3);
    let parts: Vec<u64> = message["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["units"].as_u64().unwrap())
        .collect();
    assert!(parts.iter().all(|&p| p <= 67), "{parts:?}");
    assert_eq!(
        parts.iter().sum::<u64>(),
        message["units"].as_u64().unwrap()
    );
}

#[test]
fn several_inputs_make_a_digest() {
    let json = run_json(&[
        "digest",
        EN,
        BN,
        "samples/en-metro-rail.json",
        "--now",
        NOW,
        "--any-language",
        "--max-segments",
        "4",
        "--tz",
        "Asia/Dhaka",
        "--format",
        "json",
    ]);
    let text = first_message(&json)["text"].as_str().unwrap();
    assert!(text.starts_with("News digest"), "{text}");
    assert!(
        text.contains("\n1. ") && text.contains("\n2. ") && text.contains("\n3. "),
        "{text}"
    );
    assert!(first_message(&json)["segments"].as_u64().unwrap() <= 4);
}

#[test]
fn a_directory_is_read_recursively_and_sorted() {
    let json = run_json(&[
        "digest",
        "samples",
        "--now",
        NOW,
        "--any-language",
        "--stories",
        "2",
        "--max-segments",
        "3",
        "--format",
        "json",
    ]);
    let notes = json["notes"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().unwrap().contains("1 of 3 stories left out")),
        "{notes:?}"
    );
}

#[test]
fn stdin_is_read_with_a_dash() {
    let article = std::fs::read(repo_file(EN)).unwrap();
    let run = run_with_stdin(
        &["digest", "-", "--tz", "Europe/London", "--now", NOW],
        &article,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("08:47 BST"));
}

#[test]
fn out_writes_one_text_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bulletins");
    let run = run(&[
        "digest",
        EN,
        "--strategy",
        "lead",
        "--now",
        NOW,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].to_str().unwrap();
    // Time, locale, then 12 hex digits of the content's hash.
    assert!(name.starts_with("digest-20250423T090000Z-en-"), "{name}");
    assert!(name.ends_with(".txt") && name.len() == "digest-20250423T090000Z-en-".len() + 12 + 4);
    assert_eq!(run.stdout.trim_end(), out.join(name).to_str().unwrap());
    let text = std::fs::read_to_string(out.join(name)).unwrap();
    assert!(
        text.starts_with("Newsdesk Apr 23 13:47 GMT+6: Floodwaters"),
        "{text}"
    );
    assert!(text.ends_with("...\n"), "{text}");
}

#[test]
fn hostile_article_text_stays_data() {
    let article = repo_file("tests/data/articles/hostile.json");
    let json = run_json(&[
        "digest",
        article.to_str().unwrap(),
        "--now",
        NOW,
        "--max-segments",
        "4",
        "--format",
        "json",
    ]);
    let text = first_message(&json)["text"].as_str().unwrap();
    assert!(
        text.contains("{{ x }}") && text.contains("{% raw %}") && text.contains("<script>"),
        "{text}"
    );

    let email = run_json(&[
        "digest",
        article.to_str().unwrap(),
        "--now",
        NOW,
        "--channel",
        "email",
        "--format",
        "json",
    ]);
    let html = email["html"].as_str().unwrap();
    assert!(
        html.contains("&lt;script&gt;") && !html.contains("<script>"),
        "{html}"
    );
    assert!(
        html.contains("{{ x }}") && html.contains("{% raw %}"),
        "{html}"
    );
    let subject = email["subject"].as_str().unwrap();
    assert!(
        !subject.contains('\n') && !subject.contains('\r'),
        "{subject:?}"
    );
    assert_eq!(subject, "Breaking Bcc: victim@example.com");
}

#[test]
fn templates_override_file_by_file() {
    let dir = crate::alert_template_dir("ALERT {{ stories[0].lead }}");
    let run = run(&[
        "digest",
        EN,
        "--strategy",
        "lead",
        "--now",
        NOW,
        "--templates",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("ALERT Floodwaters"),
        "{}",
        run.stdout
    );
}

/// Golden outputs: each fixture in each channel, clock frozen and zone fixed.
#[test]
fn golden_outputs() {
    let cases = [
        (
            "en_sms",
            vec!["digest", EN, "--tz", "Europe/London", "--tz", "Asia/Dhaka"],
        ),
        (
            "en_sms_3_segments",
            vec!["digest", EN, "--tz", "Asia/Dhaka", "--max-segments", "3"],
        ),
        (
            "en_email",
            vec!["digest", EN, "--tz", "Europe/London", "--channel", "email"],
        ),
        (
            "bn_sms",
            vec!["digest", BN, "--locale", "bn", "--tz", "Asia/Dhaka"],
        ),
        (
            "bn_sms_2_segments",
            vec![
                "digest",
                BN,
                "--locale",
                "bn",
                "--tz",
                "Asia/Dhaka",
                "--max-segments",
                "2",
            ],
        ),
        (
            "bn_email",
            vec![
                "digest",
                BN,
                "--locale",
                "bn",
                "--tz",
                "Asia/Dhaka",
                "--channel",
                "email",
            ],
        ),
        (
            "digest_en_sms",
            vec![
                "digest",
                EN,
                BN,
                "samples/en-metro-rail.json",
                "--any-language",
                "--tz",
                "Asia/Dhaka",
                "--max-segments",
                "3",
            ],
        ),
        (
            "digest_bn_email",
            vec![
                "digest",
                EN,
                BN,
                "samples/en-metro-rail.json",
                "--any-language",
                "--locale",
                "bn",
                "--tz",
                "Asia/Dhaka",
                "--channel",
                "email",
            ],
        ),
    ];
    for (name, mut args) in cases {
        args.extend(["--now", NOW, "--format", "json"]);
        let json = run_json(&args);
        insta::assert_snapshot!(name, serde_json::to_string_pretty(&json).unwrap());
    }
}

#[test]
fn a_new_locale_is_a_copied_folder() {
    // What the README tells a user: copy locales/en to DIR/ta, translate the messages, pass --locales DIR.
    let dir = tempfile::tempdir().unwrap();
    let tamil = dir.path().join("ta");
    std::fs::create_dir_all(&tamil).unwrap();
    std::fs::write(
        tamil.join("locale.toml"),
        "name = \"தமிழ்\"\ndirection = \"ltr\"\n",
    )
    .unwrap();
    let english = std::fs::read_to_string(repo_file("locales/en/digest.ftl")).unwrap();
    std::fs::write(
        tamil.join("digest.ftl"),
        english.replace("digest-title = News digest", "digest-title = செய்தி சுருக்கம்"),
    )
    .unwrap();
    let json = run_json(&[
        "digest",
        EN,
        BN,
        "--locale",
        "ta",
        "--locales",
        dir.path().to_str().unwrap(),
        "--now",
        NOW,
        "--any-language",
        "--max-segments",
        "3",
        "--format",
        "json",
    ]);
    let text = first_message(&json)["text"].as_str().unwrap();
    assert!(text.starts_with("செய்தி சுருக்கம் "), "{text}");
    assert!(text.contains("ஏப்."), "Tamil month name from CLDR: {text}");
}
