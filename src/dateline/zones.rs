//! Zones: the [`Zone`] type, and zone abbreviations, outlet home zones and zone phrases as data
//! (`data/zones.toml`).
//!
//! Owns [`Zone`], [`Zones`] and the range of offsets a dateline may state. Reads `data/zones.toml`
//! once, as the JSON the build converts it into (phrases are split into tokens by [`super::lex`],
//! the tokenizer that reads datelines); writes nothing. An abbreviation resolves through the outlet's country (`BST` is London, but
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

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::error::DatelineError;
use super::lex::token_texts;

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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ZonesFile {
    abbreviations: HashMap<String, AbbreviationEntry>,
    countries: HashMap<String, String>,
    phrases: HashMap<String, String>,
    #[serde(default)]
    aliases: HashMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AbbreviationEntry {
    zone: Option<String>,
    offset: Option<String>,
    fixed: Option<String>,
    #[serde(default)]
    local: bool,
    #[serde(default)]
    countries: HashMap<String, CountryEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CountryEntry {
    zone: String,
    offset: Option<String>,
}

/// What an abbreviation means for one outlet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Abbreviation {
    pub zone: Zone,
    /// The offset the abbreviation itself states (`EST` = -05:00), when it states one.
    pub stated_offset: Option<FixedOffset>,
}

/// The parsed zone data.
#[derive(Debug)]
pub struct Zones {
    /// Abbreviation -> (default meaning, meaning per country).
    abbreviations: HashMap<String, (Abbreviation, HashMap<String, Abbreviation>)>,
    countries: HashMap<String, Tz>,
    /// Phrases as folded words -> zone.
    pub phrases: Vec<(Vec<String>, Tz)>,
    /// An abbreviation in another script -> the Latin abbreviation (`आईएसटी` -> `IST`).
    aliases: HashMap<String, String>,
}

/// `data/zones.toml` as JSON: the build converts it (`build/data_json.rs`), as JSON parses several
/// times faster than TOML. The same structs read it.
static ZONES_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/zones.json"));

static ZONES: LazyLock<Result<Zones, String>> =
    LazyLock::new(|| Zones::parse(ZONES_JSON).map_err(|e| format!("data/zones.toml: {e}")));

impl Zones {
    /// The built-in data; an error names the data file.
    pub fn get() -> Result<&'static Zones, String> {
        ZONES.as_ref().map_err(Clone::clone)
    }

    /// The zones `json` (`data/zones.toml` as JSON) describes.
    fn parse(json: &str) -> Result<Zones, String> {
        let file: ZonesFile = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let mut abbreviations = HashMap::new();
        for (name, entry) in file.abbreviations {
            let default = match (&entry.fixed, &entry.zone) {
                (Some(fixed), _) => Abbreviation {
                    zone: Zone::Fixed(parse_offset(fixed)?),
                    stated_offset: None,
                },
                (None, Some(zone)) => Abbreviation {
                    zone: Zone::Named(parse_tz(zone)?),
                    stated_offset: stated(entry.local, entry.offset.as_deref())?,
                },
                (None, None) => return Err(format!("{name}: needs `zone` or `fixed`")),
            };
            let mut by_country = HashMap::new();
            for (country, over) in entry.countries {
                by_country.insert(
                    country,
                    Abbreviation {
                        zone: Zone::Named(parse_tz(&over.zone)?),
                        stated_offset: stated(false, over.offset.as_deref())?,
                    },
                );
            }
            abbreviations.insert(name, (default, by_country));
        }
        let countries = file
            .countries
            .into_iter()
            .map(|(country, zone)| Ok((country, parse_tz(&zone)?)))
            .collect::<Result<_, String>>()?;
        let mut phrases: Vec<(Vec<String>, Tz)> = file
            .phrases
            .into_iter()
            .map(|(phrase, zone)| Ok((token_texts(&phrase), parse_tz(&zone)?)))
            .collect::<Result<_, String>>()?;
        phrases.sort_by_key(|(phrase, _)| std::cmp::Reverse(phrase.len()));
        for (alias, latin) in &file.aliases {
            if !abbreviations.contains_key(latin) {
                return Err(format!(
                    "aliases: {alias} names {latin}, which is not an abbreviation"
                ));
            }
        }
        Ok(Zones {
            abbreviations,
            countries,
            phrases,
            aliases: file.aliases,
        })
    }

    /// What `text` (exactly as written, e.g. `BST`, `BdST`) means for an outlet in `country`.
    /// Written in another script, it is read through `[aliases]` or, in Cyrillic capitals,
    /// transliterated (`МСК` is `MSK`) or taken as the Latin look-alike (`ЕЕТ` is `EET`).
    pub fn abbreviation(&self, text: &str, country: Option<&str>) -> Option<Abbreviation> {
        let (default, by_country) = self
            .abbreviations
            .get(text)
            .or_else(|| {
                self.abbreviations
                    .get(&text.to_ascii_uppercase())
                    .filter(|_| is_upper(text))
            })
            .or_else(|| self.abbreviations.get(self.aliases.get(text)?))
            .or_else(|| {
                let (sounds, looks) = cyrillic_capitals(text)?;
                self.abbreviations
                    .get(&sounds)
                    .or_else(|| self.abbreviations.get(&looks))
            })?;
        Some(
            country
                .and_then(|c| by_country.get(c))
                .copied()
                .unwrap_or(*default),
        )
    }

    /// The home zone of an outlet country.
    pub fn home(&self, country: &str) -> Option<Tz> {
        self.countries.get(country).copied()
    }
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

fn stated(local: bool, offset: Option<&str>) -> Result<Option<FixedOffset>, String> {
    match (local, offset) {
        (true, _) | (false, None) => Ok(None),
        (false, Some(offset)) => parse_offset(offset).map(Some),
    }
}

fn parse_tz(name: &str) -> Result<Tz, String> {
    Tz::from_str(name).map_err(|_| format!("unknown IANA zone {name:?}"))
}

/// `+06:00`, `-04:00`, `+05:45` in the data file.
pub fn parse_offset(text: &str) -> Result<FixedOffset, String> {
    let error = || format!("{text:?} is not an offset like +06:00");
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'+') => (false, &text[1..]),
        Some(b'-') => (true, &text[1..]),
        _ => return Err(error()),
    };
    let (hours, minutes) = rest.split_once(':').ok_or_else(error)?;
    let hours: u64 = hours.parse().map_err(|_| error())?;
    let minutes: u64 = minutes.parse().map_err(|_| error())?;
    offset_from_parts(negative, hours, minutes).map_err(|e| format!("{text:?}: {e}"))
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
