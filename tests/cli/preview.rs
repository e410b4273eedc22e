//! `newsdigest preview` and `newsdigest templates`.

use crate::{run, run_json};

const NOW: &str = "2025-04-23T09:00:00Z";

#[test]
fn previews_each_locale_side_by_side() {
    let run = run(&[
        "preview",
        "samples/en-flood-sylhet.txt",
        "--locale",
        "en,bn",
        "--now",
        NOW,
        "--any-language",
        "--max-segments",
        "2",
        "--width",
        "30",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let first = run.stdout.lines().next().unwrap();
    assert!(
        first.starts_with("en · SMS · GSM-7 · ") && first.contains("bn · SMS · UCS-2 · "),
        "{first}"
    );
    assert!(
        run.stdout.contains("part 1/2 ends · 153 units"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
    for line in run.stdout.lines().filter(|l| l.starts_with('│')) {
        let close = line['│'.len_utf8()..].find('│').unwrap() + 2 * '│'.len_utf8();
        let panel = &line[..close];
        assert_eq!(
            unicode_width::UnicodeWidthStr::width(panel),
            32,
            "{panel:?}"
        );
    }
}

#[test]
fn colour_can_be_forced() {
    let run = run(&[
        "preview",
        "samples/en-flood-sylhet.txt",
        "--locale",
        "en",
        "--now",
        NOW,
        "--color",
        "always",
    ]);
    assert!(run.stdout.contains("\x1b[1m"), "{}", run.stdout);
}

#[test]
fn json_preview_matches_digest() {
    let preview = run_json(&[
        "preview",
        "samples/en-flood-sylhet.txt",
        "--locale",
        "en",
        "--now",
        NOW,
        "--tz",
        "Europe/London",
        "--format",
        "json",
    ]);
    let digest = run_json(&[
        "digest",
        "samples/en-flood-sylhet.txt",
        "--now",
        NOW,
        "--tz",
        "Europe/London",
        "--format",
        "json",
    ]);
    assert_eq!(
        preview["previews"][0]["sms"]["text"],
        digest["messages"][0]["text"]
    );
    assert_eq!(
        preview["previews"][0]["sms"]["units"],
        digest["messages"][0]["units"]
    );
}

#[test]
fn email_preview_shows_subject_and_text() {
    let json = run_json(&[
        "preview",
        "samples/bn-dhaka-rain.txt",
        "--locale",
        "bn",
        "--channel",
        "email",
        "--now",
        NOW,
        "--format",
        "json",
    ]);
    let email = &json["previews"][0]["email"];
    assert!(email["subject"].as_str().unwrap().starts_with("রাজধানীসহ"));
    assert!(email["text"].as_str().unwrap().starts_with("সংবাদ সংক্ষেপ"));
}

#[test]
fn templates_dump_writes_files_usable_with_templates() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("tpl");
    let dumped = run(&["templates", "dump", target.to_str().unwrap()]);
    assert_eq!(dumped.code, 0, "{}", dumped.stderr);
    for name in [
        "sms/alert.txt.tera",
        "sms/digest.txt.tera",
        "email/subject.txt.tera",
        "email/body.txt.tera",
        "email/body.html.tera",
    ] {
        assert!(target.join(name).is_file(), "{name}");
    }
    let again = run(&["templates", "dump", target.to_str().unwrap()]);
    assert_eq!(again.code, 73);
    assert!(
        again
            .stderr
            .contains("file exists (use --force to overwrite)"),
        "{}",
        again.stderr
    );

    std::fs::write(
        target.join("sms/alert.txt.tera"),
        "EDITED {{ stories[0].lead }}",
    )
    .unwrap();
    let digest = run(&[
        "digest",
        "samples/en-flood-sylhet.txt",
        "--now",
        NOW,
        "--templates",
        target.to_str().unwrap(),
    ]);
    // The edited template is used (the words after it are the default strategy's choice).
    assert!(
        digest.stdout.starts_with("EDITED Floodwaters rose across"),
        "{}",
        digest.stdout
    );
}

#[test]
fn templates_list() {
    let run = run(&["templates", "list"]);
    assert_eq!(
        run.stdout,
        "email/body.html.tera\nemail/body.txt.tera\nemail/subject.txt.tera\nsms/alert.txt.tera\nsms/digest.txt.tera\n\
         sms/opted-in.txt.tera\nsms/opted-out.txt.tera\n"
    );
}
