//! Zones: the [`Zone`] type, and zone abbreviations, outlet home zones and zone phrases as data
//! (`data/zones.toml`).
//!
//! Owns [`Zone`], [`Zones`] and the range of offsets a dateline may state. Looks `data/zones.toml`
//! up in the tables the build compiles it into (`build/zones.rs`; phrases split into tokens by
//! [`super::lex`], the tokenizer that reads datelines); parses and writes nothing. An abbreviation resolves through the outlet's country (`BST` is London, but
//! Dhaka for `BD`; `IST` is Kolkata, Dublin for `IE`, Jerusalem for `IL`) to an IANA zone, never a
//! fixed offset, except `GMT`/`UTC`/`Z`, which are +00:00. Abbreviations are never parsed by
//! chrono-tz (`EST` there is a fixed -05:00 zone). Example: `BST` is Asia/Dhaka for an outlet in
//! Bangladesh:
//!
//! ```
//! use newsdigest::dateline::{parse, Context};
//! let context = Context { country: Some("BD".into()), home: None, now: "2025-04-23T12:00:00Z".parse().unwrap() };
//! let resolved = parse("10:00 am BST, April 23, 2025", &context).unwrap();
//! assert_eq!(resolved.zone.to_string(), "Asia/Dhaka");
//! assert_eq!(resolved.utc.to_rfc3339(), "2025-04-23T04:00:00+00:00");
//! ```

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;

use super::error::DatelineError;

/// The westernmost offset a dateline may state: UTC-12:00 (Baker Island).
pub const MIN_OFFSET_SECONDS: i32 = -12 * 3600;
/// The easternmost offset a dateline may state: UTC+14:00 (Kiribati's Line Islands).
pub const MAX_OFFSET_SECONDS: i32 = 14 * 3600;

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

/// The offset `sign` `hours`:`minutes` as written in a dateline, refused outside UTC-12:00 to
/// UTC+14:00 or with minutes over 59. The error says why, for the reason of a [`DatelineError`].
pub fn offset_from_parts(negative: bool, hours: u64, minutes: u64) -> Result<FixedOffset, String> {
    let sign = if negative { '-' } else { '+' };
    let shown = format!("{sign}{hours:02}:{minutes:02}");
    if minutes > 59 {
        return Err(format!("UTC{shown} is not an offset: minutes over 59"));
    }
    let seconds = i32::try_from(hours)
        .ok()
        .and_then(|h| h.checked_mul(3600))
        .and_then(|s| s.checked_add(i32::try_from(minutes).ok()? * 60))
        .map(|s| if negative { -s } else { s });
    seconds
        .filter(|s| (MIN_OFFSET_SECONDS..=MAX_OFFSET_SECONDS).contains(s))
        .and_then(FixedOffset::east_opt)
        .ok_or_else(|| {
            format!("UTC{shown} is out of range (offsets run from UTC-12:00 to UTC+14:00)")
        })
}

/// What an abbreviation means, as the build compiles it (`build/zones.rs`): a fixed offset in
/// seconds east of UTC, or a zone and the offset in seconds the abbreviation states, if any.
#[derive(Debug, Clone, Copy)]
enum Meaning {
    Fixed(i32),
    Named(Tz, Option<i32>),
}

/// `data/zones.toml` as tables, compiled at build time (`build/zones.rs`): `ABBREVIATIONS` (with
/// their meanings per country), `COUNTRIES` and `ALIASES` sorted by name, `PHRASES` as folded
/// tokens, longest first.
mod compiled {
    use super::{Meaning, Row};
    use chrono_tz::Tz;
    include!(concat!(env!("OUT_DIR"), "/zones.rs"));
}

/// An abbreviation, its default meaning and its meanings per outlet country (sorted by country).
type Row = (&'static str, Meaning, &'static [(&'static str, Meaning)]);

/// What an abbreviation means for one outlet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Abbreviation {
    pub zone: Zone,
    /// The offset the abbreviation itself states (`EST` = -05:00), when it states one.
    pub stated_offset: Option<FixedOffset>,
}

impl Meaning {
    fn abbreviation(self) -> Option<Abbreviation> {
        Some(match self {
            Meaning::Fixed(seconds) => Abbreviation {
                zone: Zone::Fixed(FixedOffset::east_opt(seconds)?),
                stated_offset: None,
            },
            Meaning::Named(tz, stated) => Abbreviation {
                zone: Zone::Named(tz),
                stated_offset: match stated {
                    Some(seconds) => Some(FixedOffset::east_opt(seconds)?),
                    None => None,
                },
            },
        })
    }
}

/// The zone data (`data/zones.toml`), compiled into the binary: lookups only, nothing to parse.
#[derive(Debug)]
pub struct Zones(());

static ZONES: Zones = Zones(());

impl Zones {
    /// The built-in data. Never an error: the build checks the data file (bad data fails the
    /// build, naming it); the `Result` is kept for the callers that report it.
    pub fn get() -> Result<&'static Zones, String> {
        Ok(&ZONES)
    }

    /// Phrases as folded words -> zone, longest first, for [`super::lex::match_phrase`].
    pub fn phrases(&self) -> &'static [(&'static [&'static str], Tz)] {
        compiled::PHRASES
    }

    /// What `text` (exactly as written, e.g. `BST`, `BdST`) means for an outlet in `country`.
    /// Written in another script, it is read through `[aliases]` or, in Cyrillic capitals,
    /// transliterated (`МСК` is `MSK`) or taken as the Latin look-alike (`ЕЕТ` is `EET`).
    pub fn abbreviation(&self, text: &str, country: Option<&str>) -> Option<Abbreviation> {
        let (default, by_country) = abbreviation_row(text)
            .or_else(|| abbreviation_row(&text.to_ascii_uppercase()).filter(|_| is_upper(text)))
            .or_else(|| abbreviation_row(lookup(compiled::ALIASES, text)?))
            .or_else(|| {
                let (sounds, looks) = cyrillic_capitals(text)?;
                abbreviation_row(&sounds).or_else(|| abbreviation_row(&looks))
            })?;
        country
            .and_then(|c| lookup(by_country, c))
            .unwrap_or(default)
            .abbreviation()
    }

    /// The home zone of an outlet country.
    pub fn home(&self, country: &str) -> Option<Tz> {
        lookup(compiled::COUNTRIES, country)
    }
}

/// The default meaning of the abbreviation `name` and its meanings per country.
fn abbreviation_row(name: &str) -> Option<(Meaning, &'static [(&'static str, Meaning)])> {
    let table = compiled::ABBREVIATIONS;
    let index = table
        .binary_search_by(|(entry, ..)| (*entry).cmp(name))
        .ok()?;
    let (_, default, by_country) = table[index];
    Some((default, by_country))
}

/// The value of `key` in a compiled table sorted by key.
fn lookup<T: Copy>(table: &[(&str, T)], key: &str) -> Option<T> {
    let index = table
        .binary_search_by(|(entry, _)| (*entry).cmp(key))
        .ok()?;
    Some(table[index].1)
}

fn is_upper(text: &str) -> bool {
    text.chars().all(|c| c.is_ascii_uppercase())
}

/// A word of Cyrillic capitals in Latin letters: as it sounds (`МСК` -> `MSK`) and as it looks
/// (`СЕТ` -> `CET`). `None` for anything else.
fn cyrillic_capitals(text: &str) -> Option<(String, String)> {
    const CAPITALS: &str = "АБВГДЕЗИЙКЛМНОПРСТУФХ";
    const SOUNDS: &str = "ABVGDEZIJKLMNOPRSTUFH";
    const LOOKS: &str = "A6BГДE3NЙKЛMHOПPCTYФX";
    let (mut sounds, mut looks) = (String::new(), String::new());
    for c in text.chars() {
        let index = CAPITALS.chars().position(|capital| capital == c)?;
        sounds.push(SOUNDS.chars().nth(index)?);
        looks.push(LOOKS.chars().nth(index)?);
    }
    (!sounds.is_empty()).then_some((sounds, looks))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_parses_and_resolves_by_country() {
        let zones = Zones::get().unwrap();
        let tz = |a: Abbreviation| match a.zone {
            Zone::Named(tz) => tz.name().to_string(),
            Zone::Fixed(o) => o.to_string(),
        };
        let cases = [
            ("BST", None, "Europe/London"),
            ("BST", Some("BD"), "Asia/Dhaka"),
            ("IST", None, "Asia/Kolkata"),
            ("IST", Some("IE"), "Europe/Dublin"),
            ("IST", Some("IL"), "Asia/Jerusalem"),
            ("CST", Some("CN"), "Asia/Shanghai"),
            ("BdST", None, "Asia/Dhaka"),
            ("BDST", Some("GB"), "Asia/Dhaka"),
            ("GMT", None, "+00:00"),
            ("EET", Some("GR"), "Europe/Athens"),
        ];
        for (text, country, expected) in cases {
            assert_eq!(
                tz(zones.abbreviation(text, country).unwrap()),
                expected,
                "{text} {country:?}"
            );
        }
        assert!(
            zones.abbreviation("est", None).is_none(),
            "lower case is not an abbreviation"
        );
        assert!(zones.abbreviation("XYZT", None).is_none());
        for (other_script, latin) in [
            ("МСК", "MSK"),
            ("ЕЕТ", "EET"),
            ("СЕТ", "CET"),
            ("आईएसटी", "IST"),
        ] {
            assert_eq!(
                zones.abbreviation(other_script, None),
                zones.abbreviation(latin, None),
                "{other_script}"
            );
        }
        assert_eq!(zones.home("BD"), Some(chrono_tz::Asia::Dhaka));
    }

    #[test]
    fn offsets_outside_minus_12_to_plus_14_are_refused() {
        assert!(offset_from_parts(false, 14, 0).is_ok());
        assert!(offset_from_parts(true, 12, 0).is_ok());
        assert!(offset_from_parts(false, 5, 45).is_ok());
        for (negative, hours, minutes) in [
            (false, 15, 0),
            (true, 13, 0),
            (false, 14, 1),
            (false, 99, 99),
            (false, u64::MAX, 0),
            (false, 5, 60),
        ] {
            assert!(
                offset_from_parts(negative, hours, minutes).is_err(),
                "{hours}:{minutes}"
            );
        }
        assert_eq!(
            offset_from_parts(false, 99, 0).unwrap_err(),
            "UTC+99:00 is out of range (offsets run from UTC-12:00 to UTC+14:00)"
        );
    }
}
