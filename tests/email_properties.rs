//! Property tests for email building: arbitrary subjects, bodies, display names and dates through
//! `email::build` never panic, and every message built is well-formed MIME that reads back.
//!
//! Runs 1,000 cases unless `PROPTEST_CASES` says otherwise.

use chrono::{DateTime, Utc};
use lettre::message::Mailbox;
use newsdigest::email::{self, EmailContent, Envelope};
use proptest::prelude::*;

/// Pieces that stress header encoding: line breaks of every kind, controls, encoded-word
/// lookalikes, long words, scripts that need RFC 2047.
const PIECES: &[&str] = &[
    "a",
    " ",
    "  ",
    "\t",
    "\r",
    "\n",
    "\r\n",
    "\0",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\u{1b}",
    "=?",
    "?=",
    "=?utf-8?b?QQ==?=",
    "\"",
    "<",
    ">",
    ":",
    ";",
    ",",
    "(",
    "\\",
    "Bcc: x@y.example",
    "ক্ষ",
    "ঢাকা",
    "😀",
    "👨\u{200d}👩\u{200d}👧",
    "中",
    "ع",
    "e\u{301}",
    "</html>",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
];

fn pieces(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..max).prop_map(|p| p.concat())
}

/// Any Unicode text, or text built from the stressing pieces, sometimes very long.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        pieces(60),
        pieces(600),
        (any::<char>(), 900..1_200usize).prop_map(|(c, n)| c.to_string().repeat(n)),
    ]
}

/// Instants around and outside what a `Date` header can carry (1970..=9999).
fn date() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![
        -100_000_000_000i64..300_000_000_000,
        -10i64..10,
        253_402_300_790i64..253_402_300_810,
        0i64..4_102_444_800,
    ]
    .prop_map(|secs| DateTime::from_timestamp(secs, 0).unwrap_or_default())
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000);
    ProptestConfig::with_cases(cases)
}

/// Every line at most 998 octets and ending in CRLF; no bare CR or LF anywhere.
fn check_lines(eml: &[u8]) -> Result<(), TestCaseError> {
    let body = eml
        .strip_suffix(b"\r\n")
        .ok_or_else(|| TestCaseError::fail("no final CRLF"))?;
    for line in body.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        prop_assert!(line.len() <= 998, "a line of {} octets", line.len());
        prop_assert!(!line.contains(&b'\r'), "a bare CR");
    }
    prop_assert!(!eml.windows(2).any(|w| w[0] != b'\r' && w[1] == b'\n') && eml[0] != b'\n');
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn build_never_panics_and_reads_back(
        subject in text(),
        text in text(),
        html in text(),
        name in text(),
        date in date(),
    ) {
        let named = Mailbox::new(Some(name), "news@bücher.example".parse().unwrap());
        let from = email::to_header_mailbox(&named, "from")
            .unwrap_or_else(|_| "news@example.com".parse().unwrap());
        let envelope = Envelope {
            from,
            to: vec!["readers@example.com".parse().unwrap()],
            date,
            unsubscribe: Some("https://news.example.com/u?id=1".into()),
            message_id: None,
        };
        let content = EmailContent { subject: subject.clone(), text, html };
        let Ok(eml) = email::build(&content, &envelope) else {
            prop_assert!(email::ensure_date(date).is_err());
            return Ok(());
        };
        check_lines(&eml)?;
        let head_end = eml.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(eml.len());
        prop_assert!(eml[..head_end].is_ascii(), "a header with raw 8-bit text");
        let mail = mailparse::parse_mail(&eml).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let got = mail.headers.iter().find(|h| h.get_key() == "Subject").map(|h| h.get_value());
        prop_assert_eq!(got.unwrap_or_default(), email::header_text(&subject));
        prop_assert_eq!(mail.subparts.len(), 2);
    }
}
