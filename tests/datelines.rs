//! The shared dateline vectors (`tests/data/datelines.tsv`, copied from the team's testdata), and
//! hostile datelines that must be refused word for word (or read with a note), never turned into a
//! silently wrong instant. Properties over arbitrary text live in `dateline_properties.rs`.
//!
//! Columns: input, outlet country (`--country`), reference date (`--now`, taken at 12:00 UTC,
//! which is the same calendar date in every zone from UTC-12 to UTC+11), local time, zone,
//! expected UTC instant, where it was seen. A country of `UTC` means a UTC outlet.

use chrono::{DateTime, Utc};
use newsdigest::dateline::{self, Context};

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
        home: None,
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

fn reference() -> Context {
    Context {
        country: None,
        home: None,
        now: "2025-04-23T12:00:00Z".parse().unwrap(),
    }
}

/// Hostile datelines and the exact reason each is refused with.
#[test]
fn hostile_datelines_are_refused_word_for_word() {
    let cases: &[(&str, &str)] = &[
        // Years: refused outside 1900..=2200, never wrapped or replaced by the reference year.
        (
            "APR 23, 99999",
            "year 99999 is out of range (datelines are read from 1900 to 2200)",
        ),
        (
            "APR 23, 12000",
            "year 12000 is out of range (datelines are read from 1900 to 2200)",
        ),
        (
            "APR 23, 4294969296",
            "year 4294969296 is out of range (datelines are read from 1900 to 2200)",
        ),
        (
            "99999999999年4月23日",
            "year 99999999999 is out of range (datelines are read from 1900 to 2200)",
        ),
        (
            "APR 23, 0999",
            "year 999 is out of range (datelines are read from 1900 to 2200)",
        ),
        (
            "23 April 1899",
            "year 1899 is out of range (datelines are read from 1900 to 2200)",
        ),
        (
            "April 23, 2201 13:47",
            "year 2201 is out of range (datelines are read from 1900 to 2200)",
        ),
        (
            "12000-04-23 13:47",
            "year 12000 is out of range (datelines are read from 1900 to 2200)",
        ),
        (
            "+12000-04-23T13:47:00+06:00",
            "year 12000 is out of range (datelines are read from 1900 to 2200)",
        ),
        (
            "9999-12-31T23:59:59Z",
            "year 9999 is out of range (datelines are read from 1900 to 2200)",
        ),
        (
            "Fri, 31 Dec 9999 23:59:59 +0000",
            "year 9999 is out of range (datelines are read from 1900 to 2200)",
        ),
        (
            "13.12.20251",
            "year 20251 is out of range (datelines are read from 1900 to 2200)",
        ),
        // Offsets: refused outside UTC-12:00..=UTC+14:00, never dropped in favour of bare GMT.
        (
            "April 23, 2025 13:47 GMT+99",
            "UTC+99:00 is out of range (offsets run from UTC-12:00 to UTC+14:00)",
        ),
        (
            "April 23, 2025 13:47 GMT+15",
            "UTC+15:00 is out of range (offsets run from UTC-12:00 to UTC+14:00)",
        ),
        (
            "April 23, 2025 13:47 GMT-13",
            "UTC-13:00 is out of range (offsets run from UTC-12:00 to UTC+14:00)",
        ),
        (
            "April 23, 2025 13:47 UTC+25:00",
            "UTC+25:00 is out of range (offsets run from UTC-12:00 to UTC+14:00)",
        ),
        (
            "April 23, 2025 13:47 GMT+99999999999999999999",
            "UTC+18446744073709551615:00 is out of range (offsets run from UTC-12:00 to UTC+14:00)",
        ),
        (
            "April 23, 2025 13:47 +9999",
            "UTC+99:99 is not an offset: minutes over 59",
        ),
        (
            "April 23, 2025 13:47 +1500",
            "UTC+15:00 is out of range (offsets run from UTC-12:00 to UTC+14:00)",
        ),
        (
            "April 23, 2025 13:47 GMT+5:99",
            "UTC+05:99 is not an offset: minutes over 59",
        ),
        (
            "13:47 (GMT+99), April 23, 2025",
            "UTC+99:00 is out of range (offsets run from UTC-12:00 to UTC+14:00)",
        ),
        // An unknown abbreviation as a prefix label or next to the time, without a home zone.
        (
            "XYZT: 1347 HRS, APR 23, 2025",
            "unknown zone abbreviation XYZT (give --country for the outlet's home zone)",
        ),
        (
            "QQT: 13:47, APR 23, 2025",
            "unknown zone abbreviation QQT (give --country for the outlet's home zone)",
        ),
        (
            "13:47 XYZT, April 23, 2025",
            "unknown zone abbreviation XYZT (give --country for the outlet's home zone)",
        ),
        // Days that do not exist.
        ("APR 31, 2025", "April 31, 2025 does not exist"),
        ("JUN 31, 2025", "June 31, 2025 does not exist"),
        ("FEB 29, 2025", "February 29, 2025 does not exist"),
        ("FEB 29, 2100", "February 29, 2100 does not exist"),
        ("APR 0, 2025", "April 0, 2025 does not exist"),
        ("APR -1, 2025", "April -1, 2025 does not exist"),
        ("2025-02-30 10:00", "February 30, 2025 does not exist"),
        ("2025-13-01", "month 13 does not exist"),
        ("2025-00-10", "month 0 does not exist"),
        ("32.01.2025", "January 32, 2025 does not exist"),
        ("2025年2月30日", "February 30, 2025 does not exist"),
        ("FEB 30", "February 30 does not exist"),
        // Times that do not exist.
        ("24:00, APR 23, 2025", "24:00 is not a time of day"),
        ("25:10, APR 23, 2025", "25:10 is not a time of day"),
        ("2460 HRS, APR 23, 2025", "24:60 is not a time of day"),
        ("2547 HRS, APR 23, 2025", "25:47 is not a time of day"),
        ("24601 HRS, APR 23, 2025", "246:01 is not a time of day"),
        ("13:60, APR 23, 2025", "13:60 is not a time of day"),
        ("13:47:60, APR 23, 2025", "13:47:60 is not a time of day"),
        ("99999:00 APR 23 2025", "99999:00 is not a time of day"),
        (
            "4294967297:00 APR 23 2025",
            "4294967297:00 is not a time of day",
        ),
        ("25 PM APR 23 2025", "25:00 is not a time of day"),
        (
            "0:30 AM, APR 23, 2025",
            "hour 0 with AM/PM does not exist (0:30)",
        ),
        ("১৩:৬০, এপ্রিল ২৩, ২০২৫", "13:60 is not a time of day"),
    ];
    assert!(cases.len() >= 20);
    let mut failures = Vec::new();
    for (input, reason) in cases {
        match dateline::parse(input, &reference()) {
            Err(error) if error.reason == *reason => {
                assert_eq!(
                    error.to_string(),
                    format!("cannot read dateline \"{input}\": {reason}")
                );
            }
            Err(error) => failures.push(format!(
                "{input:?}: got {:?}, expected {reason:?}",
                error.reason
            )),
            Ok(resolved) => failures.push(format!(
                "{input:?}: read as {} ({:?})",
                resolved.utc, resolved.notes
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Hostile datelines that are readable, but only with a note saying what was decided.
#[test]
fn doubtful_datelines_carry_a_note() {
    let bd = |now: &str| Context {
        country: Some("BD".into()),
        home: None,
        now: now.parse().unwrap(),
    };
    let cases: &[(&str, Context, &str, &str)] = &[
        (
            "XYZT: 1347 HRS, APR 23, 2025",
            bd("2025-04-23T12:00:00Z"),
            "2025-04-23T07:47:00Z",
            "unknown zone abbreviation XYZT: the outlet's home zone Asia/Dhaka is used",
        ),
        (
            "FEB 29",
            reference(),
            "2024-02-29T00:00:00Z",
            "no year given: 2024 is assumed (the latest at or before the reference date)",
        ),
        (
            "13 PM, APR 23, 2025",
            reference(),
            "2025-04-23T13:00:00Z",
            "13:00 is a 24-hour time: the stray PM is ignored",
        ),
        (
            "13:47",
            reference(),
            "2025-04-23T13:47:00Z",
            "no date given: the reference date 2025-04-23 is assumed",
        ),
        (
            "04/05/2025",
            reference(),
            "2025-05-04T00:00:00Z",
            "04/05/2025 is read day first, as 4 May 2025; month first it would be 5 April 2025 (give the outlet country to decide)",
        ),
        (
            "Sunday, April 23, 2025",
            reference(),
            "2025-04-23T00:00:00Z",
            "Sunday was written but 2025-04-23 is a Wednesday: the date is used",
        ),
        (
            "রবিবার, ২৩ এপ্রিল ২০২৫",
            reference(),
            "2025-04-23T00:00:00Z",
            "রবিবার (Sunday) was written but 2025-04-23 is a Wednesday: the date is used",
        ),
        (
            "13:47 XYZT, April 23, 2025",
            bd("2025-04-23T12:00:00Z"),
            "2025-04-23T07:47:00Z",
            "unknown zone abbreviation XYZT: the outlet's home zone Asia/Dhaka is used",
        ),
        (
            "March 9, 2025 2:30 AM",
            Context {
                country: Some("US".into()),
                home: None,
                ..reference()
            },
            "2025-03-09T07:30:00Z",
            "2025-03-09 02:30:00 does not exist in America/New_York (clocks sprang forward): read with the earlier offset UTC-05:00, which is 03:30 EDT",
        ),
    ];
    for (input, context, utc, note) in cases {
        let resolved = dateline::parse(input, context).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            resolved.utc,
            utc.parse::<DateTime<Utc>>().unwrap(),
            "{input}"
        );
        assert!(
            resolved.notes.iter().any(|n| n == note),
            "{input}: {:?}",
            resolved.notes
        );
    }
}

/// Prefix labels that are not unknown zones keep working.
#[test]
fn legitimate_prefix_labels_still_read() {
    let cases: &[(&str, Option<&str>, &str, &str)] = &[
        (
            "BDST: 1347 HRS, APR 23, 2025",
            None,
            "2025-04-23T07:47:00Z",
            "Asia/Dhaka",
        ),
        (
            "বাংলাদেশ সময়: ১৩৪৭ ঘণ্টা, এপ্রিল ২৩, ২০২৫",
            None,
            "2025-04-23T07:47:00Z",
            "Asia/Dhaka",
        ),
        (
            "Updated: 13:47, April 23, 2025",
            Some("BD"),
            "2025-04-23T07:47:00Z",
            "Asia/Dhaka",
        ),
        (
            "Published: April 23, 2025 13:47 GMT",
            None,
            "2025-04-23T13:47:00Z",
            "+00:00",
        ),
        (
            "প্রকাশিত: ১:৪৭ অপরাহ্ণ, এপ্রিল ২৩, ২০২৫",
            Some("BD"),
            "2025-04-23T07:47:00Z",
            "Asia/Dhaka",
        ),
        (
            "UPDATED: 13:47 IST, April 23, 2025",
            None,
            "2025-04-23T08:17:00Z",
            "Asia/Kolkata",
        ),
        (
            "IST: 13:47, April 23, 2025",
            None,
            "2025-04-23T08:17:00Z",
            "Asia/Kolkata",
        ),
        (
            "APR 23, 2025: 13:47 GMT+14",
            None,
            "2025-04-22T23:47:00Z",
            "+14:00",
        ),
        (
            "Apr-23-2025 13:47 GMT-12",
            None,
            "2025-04-24T01:47:00Z",
            "-12:00",
        ),
        (
            "13:47 (GMT+6), April 23, 2025",
            None,
            "2025-04-23T07:47:00Z",
            "+06:00",
        ),
        (
            "1:47 PM EST (GMT-5), January 23, 2025",
            None,
            "2025-01-23T18:47:00Z",
            "America/New_York",
        ),
    ];
    for (input, country, utc, zone) in cases {
        let context = Context {
            country: country.map(str::to_string),
            home: None,
            ..reference()
        };
        let resolved = dateline::parse(input, &context).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            resolved.utc,
            utc.parse::<DateTime<Utc>>().unwrap(),
            "{input}: {:?}",
            resolved.notes
        );
        assert_eq!(resolved.zone.to_string(), *zone, "{input}");
    }
}

/// A reference time outside the accepted years is refused, not used to pick a year.
#[test]
fn reference_time_out_of_range_is_refused() {
    let context = Context {
        country: None,
        home: None,
        now: "+12000-01-01T00:00:00Z".parse().unwrap(),
    };
    let error = dateline::parse("APR 23", &context).unwrap_err();
    assert!(error.reason.starts_with("the reference time"), "{error}");
}
