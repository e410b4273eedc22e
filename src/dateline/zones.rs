//! Zone abbreviations, outlet home zones and zone phrases, as data (`data/zones.toml`).
//!
//! An abbreviation resolves through the outlet's country (`BST` is London, but Dhaka for `BD`;
//! `IST` is Kolkata, Dublin for `IE`, Jerusalem for `IL`) to an IANA zone, never a fixed offset,
//! except `GMT`/`UTC`/`Z`, which are +00:00. Abbreviations are never parsed by chrono-tz (`EST`
//! there is a fixed -05:00 zone). Example: `Zones::get()?.abbreviation("BST", Some("BD"))` is
//! Asia/Dhaka with a stated offset of +06:00.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::LazyLock;

use chrono::FixedOffset;
use chrono_tz::Tz;
use serde::Deserialize;

use super::Zone;
use super::words::fold;
use crate::assets;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ZonesFile {
    abbreviations: HashMap<String, AbbreviationEntry>,
    countries: HashMap<String, String>,
    phrases: HashMap<String, String>,
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
}

static ZONES: LazyLock<Result<Zones, String>> = LazyLock::new(|| {
    let text = assets::data_file("zones.toml").ok_or("data/zones.toml is missing")?;
    Zones::parse(text).map_err(|e| format!("data/zones.toml: {e}"))
});

impl Zones {
    /// The built-in data; an error names the data file.
    pub fn get() -> Result<&'static Zones, String> {
        ZONES.as_ref().map_err(Clone::clone)
    }

    fn parse(text: &str) -> Result<Zones, String> {
        let file: ZonesFile = toml::from_str(text).map_err(|e| e.message().to_string())?;
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
            .map(|(phrase, zone)| {
                let words = fold(&phrase).split(' ').map(str::to_string).collect();
                Ok((words, parse_tz(&zone)?))
            })
            .collect::<Result<_, String>>()?;
        phrases.sort_by_key(|(phrase, _)| std::cmp::Reverse(phrase.len()));
        Ok(Zones {
            abbreviations,
            countries,
            phrases,
        })
    }

    /// What `text` (exactly as written, e.g. `BST`, `BdST`) means for an outlet in `country`.
    pub fn abbreviation(&self, text: &str, country: Option<&str>) -> Option<Abbreviation> {
        let (default, by_country) = self.abbreviations.get(text).or_else(|| {
            self.abbreviations
                .get(&text.to_ascii_uppercase())
                .filter(|_| is_upper(text))
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

fn stated(local: bool, offset: Option<&str>) -> Result<Option<FixedOffset>, String> {
    match (local, offset) {
        (true, _) | (false, None) => Ok(None),
        (false, Some(offset)) => parse_offset(offset).map(Some),
    }
}

fn parse_tz(name: &str) -> Result<Tz, String> {
    Tz::from_str(name).map_err(|_| format!("unknown IANA zone {name:?}"))
}

/// `+06:00`, `-04:00`, `+05:45`.
pub fn parse_offset(text: &str) -> Result<FixedOffset, String> {
    let error = || format!("{text:?} is not an offset like +06:00");
    let (sign, rest) = match text.as_bytes().first() {
        Some(b'+') => (1, &text[1..]),
        Some(b'-') => (-1, &text[1..]),
        _ => return Err(error()),
    };
    let (hours, minutes) = rest.split_once(':').ok_or_else(error)?;
    let hours: i32 = hours.parse().map_err(|_| error())?;
    let minutes: i32 = minutes.parse().map_err(|_| error())?;
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60)).ok_or_else(error)
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
        assert_eq!(zones.home("BD"), Some(chrono_tz::Asia::Dhaka));
    }
}
