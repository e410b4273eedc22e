//! Checks of one `[[source]]`: exactly one of `path` and `url`, a readable path or an http(s)
//! URL, an ISO 3166 country, a zone, a language tag, a timeout.

use std::path::Path;
use std::str::FromStr;

use super::{Problems, ensure_http_url};
use crate::bulletin::config::SourceConfig;
use crate::dateline::Zone;

/// The longest a feed server may be waited for, as `--timeout` allows.
const MAX_TIMEOUT_SECONDS: u64 = 600;

pub(super) fn check(source: &SourceConfig, problems: &mut Problems) {
    let place = format!("source {}", source.name);
    let found = match (&source.path, &source.url) {
        (Some(_), Some(_)) => Err("give path or url, not both".to_string()),
        (None, None) => Err("no path or url: give one".to_string()),
        (Some(path), None) => ensure_readable(path),
        (None, Some(url)) => ensure_http_url(url),
    };
    if let Err(message) = found {
        problems.add(&place, message);
    }
    if let Some(country) = &source.country
        && let Err(message) = ensure_country(country)
    {
        problems.add(&place, message);
    }
    if let Some(zone) = &source.zone
        && let Err(error) = zone.parse::<Zone>()
    {
        problems.add(&place, format!("zone {zone:?}: {}", error.reason));
    }
    if let Some(language) = &source.language
        && language.parse::<unic_langid::LanguageIdentifier>().is_err()
    {
        problems.add(
            &place,
            format!("language {language:?} is not a BCP 47 language tag (such as bn or en-GB)"),
        );
    }
    if let Some(timeout) = source.timeout
        && !(1..=MAX_TIMEOUT_SECONDS).contains(&timeout)
    {
        problems.add(
            &place,
            format!("timeout must be 1 to {MAX_TIMEOUT_SECONDS} seconds, not {timeout}"),
        );
    }
}

/// A file that can be opened or a folder that can be listed.
fn ensure_readable(path: &Path) -> Result<(), String> {
    let shown = path.display();
    let metadata = std::fs::metadata(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => format!("path {shown}: no such file or folder"),
        _ => format!("path {shown}: {error}"),
    })?;
    let opened = match metadata.is_dir() {
        true => std::fs::read_dir(path).map(drop),
        false => std::fs::File::open(path).map(drop),
    };
    opened.map_err(|error| format!("path {shown}: cannot read: {error}"))
}

/// A two-letter ISO 3166 code (any case) that phone numbers can be read in.
pub(super) fn ensure_country(text: &str) -> Result<(), String> {
    let upper = text.to_ascii_uppercase();
    let known = upper.len() == 2
        && upper.bytes().all(|b| b.is_ascii_uppercase())
        && phonenumber::country::Id::from_str(&upper).is_ok();
    if known {
        Ok(())
    } else {
        Err(format!(
            "country {text:?} is not an ISO 3166 alpha-2 country code (such as BD or GB)"
        ))
    }
}
