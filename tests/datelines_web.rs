//! Datelines in the formats news sites publish (`tests/data/datelines-web.tsv`): every example is
//! constructed text in the format of a named kind of site, with the instant and zone worked out
//! by hand from the reader's rules. They cover the languages of `locales/` and the classes below.
//!
//! Columns: input, outlet country (`--country`, `-` for none), reference time (`--now`, RFC 3339
//! UTC), expected UTC instant (RFC 3339), the zone the dateline is read in (an IANA name, or
//! `+HH:MM` for a fixed offset), the class of format it stands for, and where the format was seen.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use newsdigest::dateline::{self, Context};

const CLASSES: [&str; 10] = [
    "dotted-time",
    "two-digit-year",
    "script-meridiem",
    "date-order",
    "generic-zone",
    "script-zone",
    "relative",
    "relative-day",
    "night",
    "oclock",
];

struct Row {
    line: usize,
    input: String,
    country: Option<String>,
    now: DateTime<Utc>,
    expected: DateTime<Utc>,
    zone: String,
    class: String,
}

fn rows() -> Vec<Row> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/datelines-web.tsv");
    let text =
        std::fs::read_to_string(path).expect("tests/data/datelines-web.tsv is in the repository");
    let mut lines = text.lines().enumerate();
    let header = lines.next().map(|(_, h)| h).unwrap_or_default();
    assert_eq!(
        header, "input\tcountry\tnow\texpected_utc\tzone\tclass\tsource",
        "the header of datelines-web.tsv"
    );
    lines
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            let line_number = index + 1;
            let columns: Vec<&str> = line.split('\t').collect();
            assert_eq!(columns.len(), 7, "line {line_number}: 7 columns: {line:?}");
            let instant = |text: &str| -> DateTime<Utc> {
                text.parse()
                    .unwrap_or_else(|e| panic!("line {line_number}: {text:?} is not RFC 3339: {e}"))
            };
            assert!(
                !columns[6].trim().is_empty(),
                "line {line_number}: every row says where its format was seen"
            );
            Row {
                line: line_number,
                input: columns[0].to_string(),
                country: (columns[1] != "-").then(|| columns[1].to_string()),
                now: instant(columns[2]),
                expected: instant(columns[3]),
                zone: columns[4].to_string(),
                class: columns[5].to_string(),
            }
        })
        .collect()
}

/// The language a row is written in, by its script and a few words that tell apart the languages
/// sharing one (Hindi and Nepali, Arabic and Urdu, Russian and Ukrainian, the Latin ones).
fn language(input: &str) -> &'static str {
    let has = |range: std::ops::RangeInclusive<char>| input.chars().any(|c| range.contains(&c));
    let lower = input.to_lowercase();
    let word = |words: &[&str]| {
        lower
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .any(|w| words.contains(&w))
            || words.iter().any(|w| w.contains(' ') && lower.contains(w))
    };
    if has('\u{0980}'..='\u{09ff}') {
        "bn"
    } else if has('\u{4e00}'..='\u{9fff}') {
        "zh"
    } else if has('\u{0900}'..='\u{097f}') {
        let nepali = [
            "अघि",
            "अगाडि",
            "हिजो",
            "बेलुका",
            "राति",
            "बिहान",
            "अप्रिल",
            "नेपाली",
        ];
        if word(&nepali) { "ne" } else { "hi" }
    } else if has('\u{0600}'..='\u{06ff}') {
        // Letters Urdu writes and Arabic does not: ے ہ ی ک گ ٹ ڈ ں, and Urdu digits.
        let urdu = ['ے', 'ہ', 'ی', 'ک', 'گ', 'ٹ', 'ڈ', 'ں', '۲', '۰'];
        if input.chars().any(|c| urdu.contains(&c)) || word(&["دن", "روز"]) {
            "ur"
        } else {
            "ar"
        }
    } else if has('\u{0400}'..='\u{04ff}') {
        if input.chars().any(|c| "іїєґІЇЄҐ".contains(c)) {
            "uk"
        } else {
            "ru"
        }
    } else if word(&["il y a", "hier", "à", "publié", "avril", "heures"]) {
        "fr"
    } else if word(&["vor", "gestern", "uhr", "stunde", "tagen"]) {
        "de"
    } else if word(&["hace", "ayer", "anteayer", "horas", "las"]) {
        "es"
    } else {
        "en"
    }
}

#[test]
fn web_datelines_cover_languages_and_classes() {
    let rows = rows();
    assert!(rows.len() >= 40, "only {} rows", rows.len());
    let languages: BTreeSet<&str> = rows.iter().map(|r| language(&r.input)).collect();
    assert!(
        languages.len() >= 8,
        "only {} languages: {languages:?}",
        languages.len()
    );
    let classes: BTreeSet<&str> = rows.iter().map(|r| r.class.as_str()).collect();
    for class in &classes {
        assert!(CLASSES.contains(class), "unknown class {class:?}");
    }
    for class in CLASSES {
        assert!(classes.contains(class), "no row of class {class:?}");
    }
}

#[test]
fn web_datelines_give_the_expected_instant_and_zone() {
    let rows = rows();
    let mut failures = Vec::new();
    for row in &rows {
        let context = Context {
            country: row.country.clone(),
            home: None,
            now: row.now,
        };
        let expected = row.expected.to_rfc3339();
        match dateline::parse(&row.input, &context) {
            Ok(resolved)
                if resolved.utc == row.expected && resolved.zone.to_string() == row.zone => {}
            Ok(resolved) => failures.push(format!(
                "line {} [{}] {:?}: got {} in {}, expected {expected} in {} (notes: {:?})",
                row.line,
                row.class,
                row.input,
                resolved.utc.to_rfc3339(),
                resolved.zone,
                row.zone,
                resolved.notes
            )),
            Err(error) => failures.push(format!(
                "line {} [{}] {:?}: refused ({}), expected {expected} in {}",
                row.line, row.class, row.input, error.reason, row.zone
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows fail:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}
