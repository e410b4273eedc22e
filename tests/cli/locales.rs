//! Every locale in both channels: golden outputs, and every email parsed back by a MIME parser.
//!
//! Each locale renders an article in a script it is used with (one fixture per script family);
//! the clock is frozen and the zone fixed, so the snapshots only change when the output does.

use crate::{run, run_json};

const NOW: &str = "2025-04-23T09:00:00Z";

/// (locale, article, reader zone)
const CASES: &[(&str, &str, &str)] = &[
    ("en", "samples/en-flood-sylhet.txt", "Europe/London"),
    ("bn", "samples/bn-dhaka-rain.txt", "Asia/Dhaka"),
    (
        "hi",
        "tests/data/articles/hi-delhi-heat.txt",
        "Asia/Kolkata",
    ),
    (
        "ne",
        "tests/data/articles/hi-delhi-heat.txt",
        "Asia/Kathmandu",
    ),
    (
        "ur",
        "tests/data/articles/ur-lahore-smog.txt",
        "Asia/Karachi",
    ),
    (
        "ar",
        "tests/data/articles/ar-cairo-metro.json",
        "Africa/Cairo",
    ),
    (
        "ru",
        "tests/data/articles/ru-moscow-snow.txt",
        "Europe/Moscow",
    ),
    (
        "uk",
        "tests/data/articles/ru-moscow-snow.txt",
        "Europe/Kyiv",
    ),
    ("fr", "samples/en-metro-rail.json", "Europe/Paris"),
    ("de", "samples/en-metro-rail.json", "Europe/Berlin"),
    ("es", "samples/en-metro-rail.json", "Europe/Madrid"),
    (
        "zh",
        "tests/data/articles/zh-beijing-rail.json",
        "Asia/Shanghai",
    ),
];

#[test]
fn every_locale_and_channel_matches_its_snapshot() {
    for (locale, article, zone) in CASES {
        for channel in ["sms", "email"] {
            let json = run_json(&[
                "digest",
                article,
                "--locale",
                locale,
                "--tz",
                zone,
                "--channel",
                channel,
                "--now",
                NOW,
                "--any-language",
                "--max-segments",
                "2",
                "--format",
                "json",
            ]);
            insta::assert_snapshot!(
                format!("{locale}_{channel}"),
                serde_json::to_string_pretty(&json).unwrap()
            );
        }
    }
}

#[test]
fn every_locale_writes_an_email_a_mime_parser_reads() {
    let dir = tempfile::tempdir().unwrap();
    for (locale, article, zone) in CASES {
        let out = dir.path().join(locale);
        let json = run_json(&[
            "digest",
            article,
            "--locale",
            locale,
            "--tz",
            zone,
            "--channel",
            "email",
            "--now",
            NOW,
            "--any-language",
            "--format",
            "json",
        ]);
        let written = run(&[
            "digest",
            article,
            "--locale",
            locale,
            "--tz",
            zone,
            "--channel",
            "email",
            "--now",
            NOW,
            "--any-language",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(written.code, 0, "{locale}: {}", written.stderr);
        let bytes = std::fs::read(written.stdout.trim()).unwrap();
        let mail = mailparse::parse_mail(&bytes).unwrap();
        let subject = crate::header(&mail, "Subject");
        assert_eq!(
            subject,
            json["subject"].as_str().unwrap(),
            "{locale}: decoded subject"
        );
        assert_eq!(mail.ctype.mimetype, "multipart/alternative", "{locale}");
        // MIME bodies travel with CRLF line ends.
        let text = mail.subparts[0].get_body().unwrap().replace("\r\n", "\n");
        let html = mail.subparts[1].get_body().unwrap().replace("\r\n", "\n");
        assert_eq!(mail.subparts[0].ctype.mimetype, "text/plain", "{locale}");
        assert_eq!(mail.subparts[1].ctype.mimetype, "text/html", "{locale}");
        assert_eq!(
            text.trim_end(),
            json["text"].as_str().unwrap().trim_end(),
            "{locale}: text part"
        );
        assert_eq!(
            html.trim_end(),
            json["html"].as_str().unwrap().trim_end(),
            "{locale}: html part"
        );
        let direction = if matches!(*locale, "ar" | "ur") {
            "rtl"
        } else {
            "ltr"
        };
        assert!(
            html.contains(&format!("<html lang=\"{locale}\" dir=\"{direction}\">")),
            "{locale}: {html}"
        );
    }
}

#[test]
fn english_sms_stays_gsm7_after_templating_in_every_zone() {
    // ICU4X's English time patterns carry U+202F and bidi marks appear in some zones' data; the
    // English alert must still be GSM-7.
    for zone in [
        "Europe/London",
        "America/New_York",
        "Asia/Kolkata",
        "Asia/Dhaka",
        "Asia/Kathmandu",
        "Australia/Sydney",
    ] {
        let json = run_json(&[
            "digest",
            "samples/en-flood-sylhet.txt",
            "--tz",
            zone,
            "--now",
            NOW,
            "--format",
            "json",
        ]);
        assert_eq!(json["messages"][0]["encoding"], "gsm7", "{zone}: {json}");
    }
}

#[test]
fn user_locales_change_what_is_written_never_how_articles_are_read() {
    // A user `en` folder whose dateline words know no months: if it were used to read datelines,
    // `APR 23` could not be read and the story would lose its time.
    let dir = tempfile::tempdir().unwrap();
    let en = dir.path().join("en");
    std::fs::create_dir_all(&en).unwrap();
    for file in ["locale.toml", "digest.ftl"] {
        std::fs::copy(
            crate::repo_file(&format!("locales/en/{file}")),
            en.join(file),
        )
        .unwrap();
    }
    std::fs::write(
        en.join("dateline.toml"),
        "months = []\nweekdays = []\nam = []\npm = []\nhours = []\nordinals = []\nfillers = []\n",
    )
    .unwrap();
    let json = crate::run_json(&[
        "digest",
        "samples/en-flood-sylhet.txt",
        "--locales",
        dir.path().to_str().unwrap(),
        "--now",
        "2025-04-23T09:00:00Z",
        "--format",
        "json",
    ]);
    let text = json["messages"][0]["text"].as_str().unwrap();
    assert!(text.contains("13:47 GMT+6"), "{text}");
    assert_eq!(json["notes"], serde_json::json!([]), "{json}");
}
