//! No silent loss (issue: datelines from the open web): a dateline is read whole or refused. Every
//! token that carries digits, a zone-like word or a relative-time word must be read; left over, it
//! refuses the dateline with an error naming it. Safe fillers (punctuation, labels, place names)
//! change nothing.
//!
//! Two checks: the token classes enumerated one by one, each in the languages that have words for
//! it; and a property over the shared vectors (`tests/data/datelines.tsv`): inserting an unknown
//! token anywhere either changes nothing or is an error, never a different instant without a note;
//! unless the token is a number read as the date's year (`Oct. 15 1900`), which is no loss.

use chrono::{DateTime, Datelike, Utc};
use newsdigest::dateline::{self, Context};
use proptest::prelude::*;

fn context(country: Option<&str>, now: &str) -> Context {
    Context {
        country: country.map(str::to_string),
        home: None,
        now: now.parse::<DateTime<Utc>>().unwrap(),
    }
}

/// Each class of token that carries meaning, appended to a dateline that reads alone: refused,
/// and the error names the token.
#[test]
fn every_class_of_meaningful_token_is_read_or_refused() {
    let base = "13:47, 23 April 2025";
    let at = context(Some("BD"), "2025-04-23T12:00:00Z");
    assert!(dateline::parse(base, &at).is_ok());
    let classes: &[(&str, &[&str])] = &[
        // Numbers, in every script digits are read in.
        (
            "number",
            &["77", "৭৭", "७७", "٧٧", "۷۷", "７７", "2024", "5"],
        ),
        // A month name outside a full date.
        ("month", &["May", "মে", "मई", "мая"]),
        // An AM/PM word away from the time.
        ("AM/PM word", &["PM", "পিএম", "अपराह्न", "مساء"]),
        // Words shaped like zone abbreviations, and zone words alone.
        ("zone", &["XYZT", "QST", "ЯЯТ", "Time", "समय", "время"]),
        // Relative-time markers and day words not part of a relative time read.
        (
            "relative word",
            &[
                "ago",
                "yesterday",
                "আগে",
                "গতকাল",
                "पहले",
                "назад",
                "вчера",
                "тому",
                "hier",
                "gestern",
                "ayer",
                "hace",
                "منذ",
                "أمس",
                "昨天",
                "हिजो",
            ],
        ),
    ];
    for (class, tokens) in classes {
        for token in *tokens {
            let text = format!("{base} {token}");
            let error = dateline::parse(&text, &at)
                .map(|r| r.utc)
                .expect_err(&format!(
                    "{text}: a left-over {class} must refuse the dateline"
                ));
            // Day words (`yesterday`, `вчера`) are read, and then contradict the date written.
            assert!(error.reason.contains(token), "{text}: {error}");
        }
    }
}

/// Safe fillers anywhere change nothing.
#[test]
fn safe_fillers_change_nothing() {
    let at = context(Some("BD"), "2025-04-23T12:00:00Z");
    let expected = dateline::parse("13:47, 23 April 2025", &at).unwrap().utc;
    for text in [
        "Updated: 13:47, 23 April 2025",
        "Published | 13:47, 23 April 2025 |",
        "DHAKA, 13:47, 23 April 2025 (UNB) --",
        "প্রকাশিত: 13:47, 23 April 2025",
        "Опубликовано: 13:47, 23 April 2025",
        "13:47 Uhr, 23 April 2025",
        "LAST UPDATED AT 13:47, 23 April 2025",
        "POSTED: 13:47, 23 April 2025",
    ] {
        let resolved = dateline::parse(text, &at).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(resolved.utc, expected, "{text}");
    }
}

/// The shared vectors: (input, country, reference).
fn vectors() -> Vec<(String, String, String)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/datelines.tsv");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let columns: Vec<&str> = line.split('\t').collect();
            (
                columns[0].to_string(),
                columns[1].to_string(),
                format!("{}T12:00:00Z", columns[2]),
            )
        })
        .collect()
}

/// Whether `token` is a number (in any script the generator writes) that is `instant`'s year, a
/// day either way: `Oct. 15 1900` in Beijing is 14 October 1900 in UTC.
fn read_as_year(token: &str, instant: DateTime<Utc>) -> bool {
    let value = token.chars().try_fold(0i64, |value, c| {
        let digit = ['0', '০', '०', '٠']
            .iter()
            .find_map(|&zero| (c as u32).checked_sub(zero as u32).filter(|&d| d < 10))?;
        Some(value * 10 + i64::from(digit))
    });
    let years = [instant.year(), (instant + chrono::Duration::days(1)).year()];
    value.is_some_and(|value| years.iter().any(|&year| i64::from(year) == value))
}

/// An unknown token: digits in some script, a zone-shaped word, or a relative word.
fn unknown_token() -> impl Strategy<Value = String> {
    let digits = (1u32..100_000, 0usize..4).prop_map(|(n, script)| {
        let zero = ['0', '০', '०', '٠'][script];
        n.to_string()
            .chars()
            .map(|c| char::from_u32(u32::from(zero) + c.to_digit(10).unwrap()).unwrap())
            .collect::<String>()
    });
    prop_oneof![
        3 => digits,
        1 => prop::sample::select(vec!["QXT", "ZZST", "ЯЯТ", "WXYT"]).prop_map(String::from),
        1 => prop::sample::select(vec!["ago", "yesterday", "আগে", "назад", "hace", "منذ", "前"])
            .prop_map(String::from),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2000)
    ))]

    #[test]
    fn an_inserted_unknown_token_changes_nothing_or_is_refused(
        index in any::<prop::sample::Index>(),
        place in any::<prop::sample::Index>(),
        token in unknown_token(),
    ) {
        let vectors = vectors();
        let (input, country, now) = &vectors[index.index(vectors.len())];
        let at = context(Some(country.as_str()), now);
        let original = dateline::parse(input, &at).unwrap();
        let mut words: Vec<&str> = input.split(' ').collect();
        let position = place.index(words.len() + 1);
        words.insert(position, &token);
        let text = words.join(" ");
        match dateline::parse(&text, &at) {
            Err(_) => {}
            Ok(resolved) => prop_assert!(
                resolved.utc == original.utc
                    || resolved.notes.iter().any(|note| !original.notes.contains(note))
                    || read_as_year(&token, resolved.utc),
                "{text:?} read as {} without a note, {input:?} as {}",
                resolved.utc,
                original.utc
            ),
        }
    }
}
