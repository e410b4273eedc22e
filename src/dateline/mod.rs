//! Datelines: the text a newsroom writes for when a story was filed, turned into an exact instant.
//!
//! [`parse`] reads `BDST: 1347 HRS, APR 23, 2025`, `প্রকাশিত: ৮:৩৮ পূর্বাহ্ণ, ডিসেম্বর ২৩, ২০২২`,
//! `23:09 IST, April 23rd 2023`, `新华社北京10月11日电`, RFC 3339 and RFC 2822 and the other forms of
//! DESIGN.md 3.2, with a note for every decision that was not certain, and refuses with a
//! [`DatelineError`] what it cannot read exactly (a year outside 1900..=2200, an offset outside
//! UTC-12:00..=UTC+14:00, an unknown zone abbreviation without a home zone, 31 April, 24:00).
//!
//! Owns the public surface and the order of the work; reads the text and a [`Context`]; writes a
//! [`Resolved`]. The files depend on each other one way only, bottom to top: `error` and `lex`
//! (tokens, folding, the phrase matcher); `words` (`locales/<lang>/dateline.toml`) and `zones`
//! (`data/zones.toml`, the [`Zone`] type) on `lex`; `scan` (text into parts) on those;
//! `resolve` (parts into an instant) on `scan`, `words`, `zones`; this file on top. Example:
//!
//! ```
//! use newsdigest::dateline::{parse, Context};
//! let context = Context { country: None, home: None, now: "2025-04-23T12:00:00Z".parse().unwrap() };
//! let resolved = parse("BDST: 1347 HRS, APR 23, 2025", &context).unwrap();
//! assert_eq!(resolved.utc.to_rfc3339(), "2025-04-23T07:47:00+00:00");
//! assert_eq!(resolved.zone.to_string(), "Asia/Dhaka");
//! ```

mod audit;
mod error;
mod lex;
mod order;
mod relative;
mod resolve;
mod scan;
mod words;
mod zones;

use chrono::{DateTime, Datelike, Utc};

pub use audit::Reading;
pub use error::DatelineError;
pub use resolve::{Context, Resolved, YEARS};
pub use zones::Zone;

/// The longest text read as a dateline; longer input is refused without being scanned.
const MAX_DATELINE_CHARS: usize = 300;

/// Reads a dateline.
pub fn parse(text: &str, context: &Context) -> Result<Resolved, DatelineError> {
    explain(text, context).result
}

/// A dateline read, with what every token was read as and the rule that decided.
#[derive(Debug, Clone)]
pub struct Explanation {
    pub readings: Vec<Reading>,
    pub result: Result<Resolved, DatelineError>,
}

/// Reads a dateline and says how: every token, what it was read as, and which rule decided
/// (`newsdigest time --explain`).
pub fn explain(text: &str, context: &Context) -> Explanation {
    let trimmed = text.trim();
    let refuse = |reason: String| Explanation {
        readings: Vec::new(),
        result: Err(DatelineError::new(text, reason)),
    };
    if trimmed.is_empty() {
        return refuse("empty dateline".into());
    }
    let length = trimmed.chars().count();
    if length > MAX_DATELINE_CHARS {
        return refuse(format!(
            "{length} characters is too long for a dateline (at most {MAX_DATELINE_CHARS})"
        ));
    }
    if let Some((rule, result)) = parse_rfc(trimmed, context) {
        let reading = Reading {
            token: trimmed.to_string(),
            read_as: "date, time and offset",
            rule,
        };
        return Explanation {
            readings: vec![reading],
            result,
        };
    }
    match scan::scan(trimmed) {
        Err(reason) => refuse(reason),
        Ok(mut found) => Explanation {
            readings: std::mem::take(&mut found.readings),
            result: resolve::resolve(trimmed, found, context),
        },
    }
}

/// RFC 3339 (`2025-04-23T13:47:00+06:00`) or RFC 2822 (`Wed, 23 Apr 2025 13:47:00 +0600`). The
/// zone is the outlet's home zone when its offset matches at that instant, else the fixed offset.
/// A year outside [`YEARS`] is an error here too.
fn parse_rfc(
    text: &str,
    context: &Context,
) -> Option<(&'static str, Result<Resolved, DatelineError>)> {
    let (rule, local) = match DateTime::parse_from_rfc3339(text) {
        Ok(local) => ("RFC 3339", local),
        Err(_) => ("RFC 2822", DateTime::parse_from_rfc2822(text).ok()?),
    };
    let utc = local.with_timezone(&Utc);
    if let Err(reason) = resolve::ensure_year(Some(utc.year()), &local.year())
        .and_then(|_| resolve::ensure_year(Some(local.year()), &local.year()))
    {
        return Some((rule, Err(DatelineError::new(text, reason))));
    }
    let home = match context.home {
        Some(tz) => Some(Zone::Named(tz)),
        None => context.country.as_deref().and_then(home_zone),
    };
    let zone = match home {
        Some(zone) if zone.local(utc).offset() == local.offset() => zone,
        _ => Zone::Fixed(*local.offset()),
    };
    Some((
        rule,
        Ok(Resolved {
            input: text.to_string(),
            utc,
            local,
            zone,
            has_time: true,
            notes: Vec::new(),
        }),
    ))
}

/// The home zone of an outlet country (`BD` -> Asia/Dhaka), from `data/zones.toml`.
pub fn home_zone(country: &str) -> Option<Zone> {
    zones::Zones::get().ok()?.home(country).map(Zone::Named)
}

/// The most plain words (labels, places, agencies) a footer line holds and still is a dateline:
/// `Last modified on 23 April 2025` has three; `Rescue began 3 days ago.` is a sentence.
const MAX_DATELINE_PROSE_WORDS: usize = 3;

/// Whether a footer line is an attempt at a dateline: short, with a time, a day and month or a
/// relative time in it (valid or not, so that `BDST: 2547 HRS, APR 23, 2025` is still reported as
/// a bad dateline), and few other words.
pub fn looks_like_dateline(line: &str) -> bool {
    let line = line.trim();
    if line.is_empty() || line.chars().count() > 100 {
        return false;
    }
    if DateTime::parse_from_rfc3339(line).is_ok() || DateTime::parse_from_rfc2822(line).is_ok() {
        return true;
    }
    scan::scan(line).is_ok_and(|found| {
        let prose = found
            .readings
            .iter()
            // Han text is a token per character: `新华社北京10月11日电` is a dateline.
            .filter(|reading| reading.read_as == "text" && !reading.token.chars().all(lex::is_han))
            .count();
        (found.time.is_some() || found.date.is_some() || found.relative.is_some())
            && prose <= MAX_DATELINE_PROSE_WORDS
    })
}

/// Checks that the built-in dateline data (words and zones) parses; the error names the file.
pub fn validate_data() -> Result<(), String> {
    words::Words::get()?;
    zones::Zones::get()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_home_zone_overrides_the_country_for_datelines_without_a_zone() {
        let mut context = context(Some("US"), "2025-07-01T12:00:00Z");
        context.home = Some(chrono_tz::America::Los_Angeles);
        let resolved = parse("1347 HRS, JUL 1, 2025", &context).unwrap();
        assert_eq!(resolved.utc.to_rfc3339(), "2025-07-01T20:47:00+00:00");
        let stated = parse("1347 HRS EDT, JUL 1, 2025", &context).unwrap();
        assert_eq!(stated.utc.to_rfc3339(), "2025-07-01T17:47:00+00:00");
    }

    fn context(country: Option<&str>, now: &str) -> Context {
        Context {
            country: country.map(str::to_string),
            home: None,
            now: now.parse().unwrap(),
        }
    }

    /// (input, country, reference time, expected UTC, expected zone, a note that must appear)
    type Case = (
        &'static str,
        Option<&'static str>,
        &'static str,
        &'static str,
        &'static str,
        Option<&'static str>,
    );

    #[test]
    fn rules() {
        let cases: &[Case] = &[
            // The seed's format, in and out of Bangladesh's 2009 daylight-saving period (+07:00).
            (
                "BDST: 1347 HRS, APR 23, 2025",
                None,
                "2025-04-23T12:00:00Z",
                "2025-04-23T07:47:00Z",
                "Asia/Dhaka",
                None,
            ),
            (
                "BDST: 1347 HRS, JUL 23, 2009",
                None,
                "2009-07-23T12:00:00Z",
                "2009-07-23T06:47:00Z",
                "Asia/Dhaka",
                None,
            ),
            (
                "BDST: 1347 HRS, JAN 23, 2010",
                None,
                "2010-01-23T12:00:00Z",
                "2010-01-23T07:47:00Z",
                "Asia/Dhaka",
                None,
            ),
            // Bengali digits, month and hours word; the Bengali AM word.
            (
                "বাংলাদেশ সময়: ১৩৪৭ ঘণ্টা, এপ্রিল ২৩, ২০২৫",
                None,
                "2025-04-23T12:00:00Z",
                "2025-04-23T07:47:00Z",
                "Asia/Dhaka",
                None,
            ),
            (
                "প্রকাশিত: ৮:৩৮ পূর্বাহ্ণ, ডিসেম্বর ২৩, ২০২২",
                Some("BD"),
                "2022-12-23T12:00:00Z",
                "2022-12-23T02:38:00Z",
                "Asia/Dhaka",
                None,
            ),
            // Devanagari, Arabic-Indic and Extended Arabic-Indic digits; month names in several languages.
            (
                "२३ अप्रैल २०२५, १३:४७",
                Some("IN"),
                "2025-04-23T12:00:00Z",
                "2025-04-23T08:17:00Z",
                "Asia/Kolkata",
                None,
            ),
            (
                "٢٣ أبريل ٢٠٢٥ ١٣:٤٧",
                Some("EG"),
                "2025-04-23T12:00:00Z",
                "2025-04-23T11:47:00Z",
                "Africa/Cairo",
                None,
            ),
            (
                "۲۳ اپریل ۲۰۲۵، ۱۳:۴۷",
                Some("PK"),
                "2025-04-23T12:00:00Z",
                "2025-04-23T08:47:00Z",
                "Asia/Karachi",
                None,
            ),
            (
                "23 квітня 2025, 13:47",
                Some("UA"),
                "2025-04-23T12:00:00Z",
                "2025-04-23T10:47:00Z",
                "Europe/Kyiv",
                None,
            ),
            (
                "23 avril 2025 à 13h47",
                Some("FR"),
                "2025-04-23T12:00:00Z",
                "2025-04-23T11:47:00Z",
                "Europe/Paris",
                None,
            ),
            (
                "23. April 2025, 13:47 Uhr",
                Some("DE"),
                "2025-04-23T12:00:00Z",
                "2025-04-23T11:47:00Z",
                "Europe/Berlin",
                None,
            ),
            (
                "23 de abril de 2025, 13:47",
                Some("ES"),
                "2025-04-23T12:00:00Z",
                "2025-04-23T11:47:00Z",
                "Europe/Madrid",
                None,
            ),
            (
                "2025年4月23日 13:47",
                Some("CN"),
                "2025-04-23T12:00:00Z",
                "2025-04-23T05:47:00Z",
                "Asia/Shanghai",
                None,
            ),
            // Ordinals, Sept, date only, numeric dates.
            (
                "28 Sept 2025",
                Some("GB"),
                "2025-09-28T12:00:00Z",
                "2025-09-27T23:00:00Z",
                "Europe/London",
                None,
            ),
            (
                "May 19th, 2025, 01:46 PM",
                Some("UTC"),
                "2025-05-19T12:00:00Z",
                "2025-05-19T13:46:00Z",
                "UTC",
                None,
            ),
            (
                "2025-04-23 13:47",
                Some("BD"),
                "2025-04-23T12:00:00Z",
                "2025-04-23T07:47:00Z",
                "Asia/Dhaka",
                None,
            ),
            // 24-hour time with a stray PM.
            (
                "7 June 2022, 15:12 PM",
                Some("BD"),
                "2022-06-07T12:00:00Z",
                "2022-06-07T09:12:00Z",
                "Asia/Dhaka",
                Some("stray PM"),
            ),
            (
                "12:30 AM, April 23, 2025",
                Some("US"),
                "2025-04-23T12:00:00Z",
                "2025-04-23T04:30:00Z",
                "America/New_York",
                None,
            ),
            // RFC 3339 and RFC 2822.
            (
                "2025-04-23T13:47:00+06:00",
                Some("BD"),
                "2025-04-23T12:00:00Z",
                "2025-04-23T07:47:00Z",
                "Asia/Dhaka",
                None,
            ),
            (
                "2025-04-23T13:47:00+06:00",
                None,
                "2025-04-23T12:00:00Z",
                "2025-04-23T07:47:00Z",
                "+06:00",
                None,
            ),
            (
                "Wed, 23 Apr 2025 13:47:00 +0100",
                Some("GB"),
                "2025-04-23T12:00:00Z",
                "2025-04-23T12:47:00Z",
                "Europe/London",
                None,
            ),
            // Explicit offsets win over abbreviations and home zones.
            (
                "April 23, 2025 13:47 UTC+05:30",
                Some("BD"),
                "2025-04-23T12:00:00Z",
                "2025-04-23T08:17:00Z",
                "+05:30",
                None,
            ),
            (
                "April 23, 2025 13:47 +0600",
                None,
                "2025-04-23T12:00:00Z",
                "2025-04-23T07:47:00Z",
                "+06:00",
                None,
            ),
            (
                "April 23, 2025 13:47 GMT",
                None,
                "2025-04-23T12:00:00Z",
                "2025-04-23T13:47:00Z",
                "+00:00",
                None,
            ),
            // Abbreviations through the outlet country.
            (
                "10:00 am BST, April 23, 2025",
                None,
                "2025-04-23T12:00:00Z",
                "2025-04-23T09:00:00Z",
                "Europe/London",
                None,
            ),
            (
                "10:00 am BST, April 23, 2025",
                Some("BD"),
                "2025-04-23T12:00:00Z",
                "2025-04-23T04:00:00Z",
                "Asia/Dhaka",
                None,
            ),
            (
                "10:00 CST, April 23, 2025",
                Some("CN"),
                "2025-04-23T12:00:00Z",
                "2025-04-23T02:00:00Z",
                "Asia/Shanghai",
                None,
            ),
            // EST written in July: New York keeps its real offset, with a note.
            (
                "1:47 PM EST, July 1, 2025",
                None,
                "2025-07-01T12:00:00Z",
                "2025-07-01T17:47:00Z",
                "America/New_York",
                Some("EST states UTC-05:00"),
            ),
            // No year: the latest at or before the reference date.
            (
                "December 31, 23:00",
                Some("BD"),
                "2026-01-02T12:00:00Z",
                "2025-12-31T17:00:00Z",
                "Asia/Dhaka",
                Some("no year given: 2025"),
            ),
            (
                "January 2, 10:00",
                Some("BD"),
                "2026-01-02T12:00:00Z",
                "2026-01-02T04:00:00Z",
                "Asia/Dhaka",
                Some("no year given: 2026"),
            ),
            // A weekday instead of a date.
            (
                "8:00 am on Sunday",
                Some("BD"),
                "2023-03-21T12:00:00Z",
                "2023-03-19T02:00:00Z",
                "Asia/Dhaka",
                Some("Sunday 2023-03-19"),
            ),
            // The GMT time in parentheses: agreeing, and disagreeing (noted).
            (
                "8:00 am (0200 GMT) on Sunday",
                Some("BD"),
                "2023-03-19T12:00:00Z",
                "2023-03-19T02:00:00Z",
                "Asia/Dhaka",
                None,
            ),
            (
                "8:00 am (0300 GMT) on Sunday",
                Some("BD"),
                "2023-03-19T12:00:00Z",
                "2023-03-19T02:00:00Z",
                "Asia/Dhaka",
                Some("disagrees"),
            ),
            // New York's 2025 gap (02:30 does not exist) and overlap (01:30 happens twice).
            (
                "March 9, 2025 2:30 AM",
                Some("US"),
                "2025-03-09T12:00:00Z",
                "2025-03-09T07:30:00Z",
                "America/New_York",
                Some("sprang forward"),
            ),
            (
                "November 2, 2025 1:30 AM",
                Some("US"),
                "2025-11-02T12:00:00Z",
                "2025-11-02T05:30:00Z",
                "America/New_York",
                Some("happens twice"),
            ),
            (
                "November 2, 2025 1:30 AM EST",
                None,
                "2025-11-02T12:00:00Z",
                "2025-11-02T06:30:00Z",
                "America/New_York",
                Some("happens twice"),
            ),
            // An unknown abbreviation is a note when the outlet has a home zone.
            (
                "13:47 XYZT, April 23, 2025",
                Some("BD"),
                "2025-04-23T12:00:00Z",
                "2025-04-23T07:47:00Z",
                "Asia/Dhaka",
                Some("unknown zone abbreviation XYZT"),
            ),
        ];
        for (input, country, now, utc, zone, note) in cases {
            let resolved =
                parse(input, &context(*country, now)).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(
                resolved.utc.to_rfc3339(),
                utc.replace('Z', "+00:00"),
                "{input}: {:?}",
                resolved.notes
            );
            assert_eq!(resolved.zone.to_string(), *zone, "{input}");
            if let Some(note) = note {
                assert!(
                    resolved.notes.iter().any(|n| n.contains(note)),
                    "{input}: {:?} lacks {note:?}",
                    resolved.notes
                );
            }
        }
    }

    #[test]
    fn reads_dates_in_every_language() {
        let cases = [
            ("APR 23, 2025", (Some(2025), 4, 23)),
            ("২৩ এপ্রিল ২০২৫", (Some(2025), 4, 23)),
            ("२३ अप्रैल २०२५", (Some(2025), 4, 23)),
            ("۲۳ اپریل ۲۰۲۵", (Some(2025), 4, 23)),
            ("٢٣ أبريل ٢٠٢٥", (Some(2025), 4, 23)),
            ("23 апреля 2025", (Some(2025), 4, 23)),
            ("23 квітня 2025", (Some(2025), 4, 23)),
            ("23 avril 2025", (Some(2025), 4, 23)),
            ("23. April 2025", (Some(2025), 4, 23)),
            ("23 de abril de 2025", (Some(2025), 4, 23)),
            ("2025年4月23日", (Some(2025), 4, 23)),
            ("April 23rd 2023", (Some(2023), 4, 23)),
            ("the 23rd of April, 2023", (Some(2023), 4, 23)),
            ("13.12.2025", (Some(2025), 12, 13)),
            ("Oct. 15", (None, 10, 15)),
        ];
        for (input, (year, month, day)) in cases {
            let date = scan::scan(input)
                .unwrap()
                .date
                .unwrap_or_else(|| panic!("{input}: no date"));
            assert_eq!(
                (date.year, date.month, date.day),
                (year, month, day),
                "{input}"
            );
        }
    }

    #[test]
    fn bad_datelines_are_clear_errors() {
        let digits = "9".repeat(10_000);
        let cases: &[(&str, &str)] = &[
            ("BDST: 2547 HRS, APR 23, 2025", "25:47 is not a time of day"),
            ("FEB 30, 2025", "February 30, 2025 does not exist"),
            ("", "empty dateline"),
            ("   ", "empty dateline"),
            (&digits, "10000 characters is too long for a dateline"),
            ("Source: BBC", "no date or time found"),
            (
                "13:47 XYZT, April 23, 2025",
                "unknown zone abbreviation XYZT",
            ),
            ("13:61, April 23, 2025", "13:61 is not a time of day"),
        ];
        for (input, reason) in cases {
            let error = parse(input, &context(None, "2025-04-23T12:00:00Z")).unwrap_err();
            assert!(error.reason.starts_with(reason), "{input:.40}: {error}");
            assert!(error.input.chars().count() <= 63);
        }
    }

    #[test]
    fn footer_lines_that_look_like_datelines() {
        for line in [
            "BDST: 1347 HRS, APR 23, 2025",
            "BDST: 2547 HRS, APR 23, 2025",
            "বাংলাদেশ সময়: ১৩৪৭ ঘণ্টা, এপ্রিল ২৩, ২০২৫",
            "MOSCOW, September 23. /TASS/.",
            "新华社北京10月11日电",
            "2025-04-23T13:47:00+06:00",
            "Updated 3 hours ago",
            "Last modified on 23 April 2025 9.30am BST",
        ] {
            assert!(looks_like_dateline(line), "{line}");
        }
        for line in [
            "Source: BBC",
            "SMS",
            "The talks went on.",
            "আরকে",
            "He scored 3 goals in 2024 and left for good.",
            "Rescue teams began the search 3 days ago.",
        ] {
            assert!(!looks_like_dateline(line), "{line}");
        }
    }

    #[test]
    fn reader_zones_refuse_abbreviations() {
        assert!("Europe/London".parse::<Zone>().is_ok());
        assert_eq!("+06:00".parse::<Zone>().unwrap().to_string(), "+06:00");
        assert!("EST".parse::<Zone>().is_err());
        assert!("Mars/Olympus".parse::<Zone>().is_err());
    }

    #[test]
    fn built_in_data_parses() {
        validate_data().unwrap();
    }
}
