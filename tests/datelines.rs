//! The shared dateline vectors (`tests/data/datelines.tsv`, copied from the team's testdata), and a
//! property that the parser never panics.
//!
//! Columns: input, outlet country (`--country`), reference date (`--now`, taken at 12:00 UTC,
//! which is the same calendar date in every zone from UTC-12 to UTC+11), local time, zone,
//! expected UTC instant, where it was seen. A country of `UTC` means a UTC outlet.

use chrono::{DateTime, Utc};
use newsdigest::dateline::{self, Context};
use proptest::prelude::*;

struct Row {
    input: String,
    country: String,
    reference: String,
    zone: String,
    expected: String,
}

fn rows() -> Vec<Row> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/datelines.tsv");
    std::fs::read_to_string(path)
        .expect("tests/data/datelines.tsv is in the repository")
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let columns: Vec<&str> = line.split('\t').collect();
            Row {
                input: columns[0].to_string(),
                country: columns[1].to_string(),
                reference: columns[2].to_string(),
                zone: columns[4].to_string(),
                expected: columns[5].to_string(),
            }
        })
        .collect()
}

fn context(country: &str, reference: &str) -> Context {
    let now: DateTime<Utc> = format!("{reference}T12:00:00Z").parse().unwrap();
    Context {
        country: Some(country.to_string()),
        now,
    }
}

#[test]
fn shared_datelines_give_the_expected_instant() {
    let rows = rows();
    assert_eq!(rows.len(), 27);
    let mut failures = Vec::new();
    for row in &rows {
        let expected: DateTime<Utc> = row.expected.parse().unwrap();
        match dateline::parse(&row.input, &context(&row.country, &row.reference)) {
            Ok(resolved) if resolved.utc == expected && resolved.zone.to_string() == row.zone => {}
            Ok(resolved) => failures.push(format!(
                "{:?}: got {} in {} ({:?}), expected {expected} in {}",
                row.input, resolved.utc, resolved.zone, resolved.notes, row.zone
            )),
            Err(error) => failures.push(format!("{:?}: {error}", row.input)),
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_arbitrary_text(text in "\\PC{0,80}") {
        let _ = dateline::parse(&text, &context("BD", "2025-04-23"));
        let _ = dateline::looks_like_dateline(&text);
    }

    #[test]
    fn never_panics_on_dateline_like_text(
        parts in prop::collection::vec(prop::sample::select(vec![
            "BDST", ":", " ", "1347", "HRS", ",", "APR", "23", "2025", "২৩", "এপ্রিল", "৮:৩৮", "পূর্বাহ্ণ",
            "(", ")", "GMT", "+", "-", "99", "0", "25:61", "12", "PM", "am", "IST", "EST", "Sunday",
            "月", "日", "年", "10", ".", "/", "99999999999999999999", "FEB", "30", "XYZT",
        ]), 0..20)
    ) {
        let text = parts.concat();
        let _ = dateline::parse(&text, &context("US", "2025-03-09"));
        let _ = dateline::parse(&text, &Context { country: None, now: "2025-11-02T06:00:00Z".parse().unwrap() });
    }
}
