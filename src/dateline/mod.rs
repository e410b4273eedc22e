//! Datelines: the text a newsroom writes for when a story was filed, turned into an exact instant.
//!
//! PLACEHOLDER: the real parser (`parse.rs`: every format in DESIGN.md 3.2) and zone table
//! (`zones.rs`, data in `data/zones.toml`) replace this. The public surface is the contract.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// What the parser needs besides the text.
#[derive(Debug, Clone)]
pub struct Context {
    /// ISO 3166 alpha-2 code of the outlet's country (`BD`, `IN`...), upper case.
    pub country: Option<String>,
    /// The reference time: a date without a year takes the year that puts it at or before this.
    pub now: DateTime<Utc>,
}

/// A time zone: an IANA zone, or a fixed offset when the text gave one explicitly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Named(Tz),
    Fixed(FixedOffset),
}

impl Zone {
    /// The wall-clock time of `instant` in this zone.
    pub fn local(&self, instant: DateTime<Utc>) -> DateTime<FixedOffset> {
        match self {
            Zone::Named(tz) => instant.with_timezone(tz).fixed_offset(),
            Zone::Fixed(offset) => instant.with_timezone(offset),
        }
    }
}

impl fmt::Display for Zone {
    /// `Asia/Dhaka`, or `+06:00` for a fixed offset.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::Named(tz) => f.write_str(tz.name()),
            Zone::Fixed(offset) => write!(f, "{offset}"),
        }
    }
}

impl FromStr for Zone {
    type Err = DatelineError;

    /// A zone a user names on the command line: an IANA name (`Europe/London`), `UTC`, or an
    /// offset (`+06:00`). Abbreviations such as `EST` are refused: they are ambiguous.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text == "UTC" {
            return Ok(Zone::Named(Tz::UTC));
        }
        if text.contains('/') {
            return Tz::from_str(text)
                .map(Zone::Named)
                .map_err(|_| DatelineError::new(text, "unknown IANA time zone"));
        }
        DateTime::parse_from_str(&format!("2000-01-01 00:00 {text}"), "%Y-%m-%d %H:%M %:z")
            .map(|dt| Zone::Fixed(*dt.offset()))
            .map_err(|_| DatelineError::new(text, "not an IANA time zone name or a UTC offset"))
    }
}

/// A dateline understood: the instant, the zone it was written in, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The dateline text as given.
    pub input: String,
    pub utc: DateTime<Utc>,
    /// The wall-clock time the text states, with its offset.
    pub local: DateTime<FixedOffset>,
    pub zone: Zone,
    /// Whether the text gave a time of day (false for date-only datelines: midnight is assumed).
    pub has_time: bool,
    /// Every decision that was not certain: assumed year, DST gap, mismatched abbreviation...
    pub notes: Vec<String>,
}

/// A dateline that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read dateline {input:?}: {reason}")]
pub struct DatelineError {
    /// The text, shortened to at most 60 characters for display.
    pub input: String,
    pub reason: String,
}

impl DatelineError {
    pub fn new(input: &str, reason: impl Into<String>) -> Self {
        let mut shown: String = input.chars().take(60).collect();
        if shown.len() < input.len() {
            shown.push_str("...");
        }
        DatelineError {
            input: shown,
            reason: reason.into(),
        }
    }
}

/// Reads a dateline.
pub fn parse(text: &str, context: &Context) -> Result<Resolved, DatelineError> {
    let _ = &context.country;
    let naive = NaiveDateTime::parse_from_str(text.trim(), "BDST: %H%M HRS, %b %d, %Y")
        .map_err(|e| DatelineError::new(text, e.to_string()))?;
    let tz: Tz = chrono_tz::Asia::Dhaka;
    let local = tz
        .from_local_datetime(&naive)
        .single()
        .ok_or_else(|| DatelineError::new(text, "ambiguous local time"))?;
    Ok(Resolved {
        input: text.to_string(),
        utc: local.with_timezone(&Utc),
        local: local.fixed_offset(),
        zone: Zone::Named(tz),
        has_time: true,
        notes: Vec::new(),
    })
}

/// The home zone of an outlet country (`BD` -> Asia/Dhaka), if the country has a single one.
pub fn home_zone(country: &str) -> Option<Zone> {
    match country {
        "BD" => Some(Zone::Named(chrono_tz::Asia::Dhaka)),
        "GB" => Some(Zone::Named(chrono_tz::Europe::London)),
        _ => None,
    }
}

/// Whether a footer line is an attempt at a dateline (has a date or time in it).
pub fn looks_like_dateline(line: &str) -> bool {
    line.chars().any(|c| c.is_numeric()) && line.chars().count() <= 80
}
