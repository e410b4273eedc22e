//! The dateline parser's fuzzing twin: arbitrary text, and text built from dateline fragments
//! (digits in several scripts, month names, zone abbreviations, `:` `,` `+` `-`, huge numbers), must
//! never panic, must come back quickly, and when read must give a year in
//! [`dateline::YEARS`] and well-formed notes.
//!
//! 2000 cases per property by default; `PROPTEST_CASES` overrides it. The libFuzzer target
//! `fuzz/fuzz_targets/dateline.rs` checks the same things on bytes.

use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, Utc};
use newsdigest::dateline::{self, Context, Resolved};
use proptest::prelude::*;

/// Far more than any one dateline takes (microseconds), even in a debug build on a busy machine.
const TIME_LIMIT: Duration = Duration::from_secs(2);

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000)
}

fn contexts() -> Vec<Context> {
    let at = |country: Option<&str>, now: &str| Context {
        country: country.map(str::to_string),
        home: None,
        now: now.parse::<DateTime<Utc>>().unwrap(),
    };
    vec![
        at(Some("BD"), "2025-04-23T12:00:00Z"),
        at(Some("US"), "2025-03-09T07:00:00Z"),
        at(None, "2025-11-02T06:00:00Z"),
        at(Some("IN"), "1900-01-01T00:00:00Z"),
        at(Some("NZ"), "2200-12-31T23:59:59Z"),
    ]
}

/// The invariants of one reading.
fn check(text: &str, context: &Context) -> Result<(), TestCaseError> {
    let start = Instant::now();
    let result = dateline::parse(text, context);
    let _ = dateline::looks_like_dateline(text);
    prop_assert!(
        start.elapsed() < TIME_LIMIT,
        "{text:?} took {:?}",
        start.elapsed()
    );
    match result {
        Ok(resolved) => check_resolved(text, &resolved),
        Err(error) => {
            prop_assert!(
                !error.reason.is_empty() && !error.reason.contains('\n'),
                "{error:?}"
            );
            prop_assert!(error.input.chars().count() <= 63, "{error:?}");
            prop_assert!(!error.to_string().contains('\n'), "{error}");
            Ok(())
        }
    }
}

fn check_resolved(text: &str, resolved: &Resolved) -> Result<(), TestCaseError> {
    let years = dateline::YEARS;
    prop_assert!(
        years.contains(&resolved.utc.year()),
        "{text:?}: {}",
        resolved.utc
    );
    prop_assert!(
        years.contains(&resolved.local.year()),
        "{text:?}: {}",
        resolved.local
    );
    prop_assert_eq!(resolved.local.with_timezone(&Utc), resolved.utc);
    let offset = resolved.local.offset().local_minus_utc();
    prop_assert!(
        (-12 * 3600..=14 * 3600).contains(&offset),
        "{text:?}: {offset}"
    );
    let in_zone = resolved.zone.local(resolved.utc);
    prop_assert_eq!(in_zone.offset(), resolved.local.offset());
    for note in &resolved.notes {
        prop_assert!(!note.trim().is_empty(), "{text:?}: empty note");
        prop_assert!(!note.contains('\n'), "{text:?}: {note:?}");
        prop_assert!(note.chars().count() <= 200, "{text:?}: {note:?}");
    }
    Ok(())
}

const FRAGMENTS: &[&str] = &[
    "BDST",
    "BdST",
    "BST",
    "IST",
    "EST",
    "EDT",
    "GMT",
    "UTC",
    "Z",
    "XYZT",
    "QQT",
    "CST",
    "PKT",
    "বাংলাদেশ সময়",
    "Updated",
    "প্রকাশিত",
    "HRS",
    "ঘণ্টা",
    "APR",
    "April",
    "FEB",
    "Sept",
    "Oct.",
    "এপ্রিল",
    "ডিসেম্বর",
    "अप्रैल",
    "أبريل",
    "اپریل",
    "квітня",
    "avril",
    "de",
    "of",
    "the",
    "rd",
    "th",
    "am",
    "PM",
    "a.m.",
    "পূর্বাহ্ণ",
    "अपराह्न",
    "上午",
    "Sunday",
    "on",
    "local",
    "time",
    "年",
    "月",
    "日",
    "电",
    "h",
    "Uhr",
    "T",
    ":",
    ",",
    ".",
    "/",
    "+",
    "-",
    "−",
    "(",
    ")",
    "[",
    "]",
    " ",
    "  ",
    "0",
    "00",
    "1",
    "12",
    "13",
    "23",
    "24",
    "29",
    "30",
    "31",
    "47",
    "59",
    "60",
    "61",
    "99",
    "1347",
    "2460",
    "0200",
    "1899",
    "1900",
    "2025",
    "2200",
    "2201",
    "9999",
    "12000",
    "99999",
    "4294967296",
    "18446744073709551616",
    "99999999999999999999999",
    "১৩৪৭",
    "২৩",
    "২০২৫",
    "৮:৩৮",
    "२३",
    "२०२५",
    "٢٣",
    "٢٠٢٥",
    "۲۳",
    "۲۰۲۵",
    "２０２５",
    "\u{200c}",
    "\u{200d}",
    "\u{feff}",
];

fn dateline_like() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..24).prop_map(|parts| parts.concat())
}

/// Dateline fragments joined by single spaces, so that more of them read as datelines.
fn dateline_words() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 1..12).prop_map(|parts| parts.join(" "))
}

/// A well-formed dateline with arbitrary numbers in it.
fn templated() -> impl Strategy<Value = String> {
    (
        any::<u64>(),
        any::<u64>(),
        any::<u64>(),
        any::<u64>(),
        prop::sample::select(&["", " GMT+", " UTC-", " +", " BST", " XYZT"][..]),
        any::<u64>(),
    )
        .prop_map(|(h, m, d, y, zone, z)| {
            let zone = if zone.ends_with(['+', '-']) {
                format!("{zone}{}", z % 10_000)
            } else {
                zone.to_string()
            };
            format!(
                "{:02}:{:02}{zone}, APR {}, {}",
                h % 100,
                m % 100,
                d % 40,
                y % 30_000
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,80}") {
        for context in &contexts() {
            check(&text, context)?;
        }
    }

    #[test]
    fn arbitrary_characters_never_panic(text in any::<String>()) {
        check(&text, &contexts()[0])?;
    }

    #[test]
    fn dateline_fragments_never_panic(text in dateline_like()) {
        for context in &contexts() {
            check(&text, context)?;
        }
    }

    #[test]
    fn dateline_words_never_panic(text in dateline_words()) {
        for context in &contexts() {
            check(&text, context)?;
        }
    }

    #[test]
    fn numbers_in_a_dateline_are_checked(text in templated()) {
        for context in &contexts() {
            check(&text, context)?;
        }
    }
}

/// Long input is refused quickly, however it is made.
#[test]
fn long_input_is_refused_quickly() {
    for text in [
        "9".repeat(100_000),
        "APR 23, ".repeat(10_000),
        "(".repeat(50_000),
        "১".repeat(299),
    ] {
        let start = Instant::now();
        let _ = dateline::parse(&text, &contexts()[0]);
        assert!(start.elapsed() < TIME_LIMIT, "{:.20}...", text);
    }
}
