//! Typed command-line values: each parser turns one flag's text into the value the stages use.
//!
//! clap calls these through `value_parser`, so a bad value is refused before any command runs and
//! every command receives `DateTime<Utc>`, [`Zone`], [`Language`] or [`Mailbox`], never raw text.
//! Their messages are what `main` prints after `error: --FLAG: `. Example: `zone("Asia/Dhaka")` is
//! `Zone::Named(Asia/Dhaka)`; `instant("yesterday")` is an error naming RFC 3339.

use chrono::{DateTime, Utc};
use lettre::message::Mailbox;
use newsdigest::dateline::Zone;
use newsdigest::email;
use newsdigest::sms::national::Language;

/// `--now`: an RFC 3339 time.
pub fn instant(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("{text:?} is not an RFC 3339 time ({e}), e.g. 2025-04-23T07:47:00Z"))
}

/// `--tz`: an IANA zone name or a UTC offset.
pub fn zone(text: &str) -> Result<Zone, String> {
    text.parse()
        .map_err(|e: newsdigest::dateline::DatelineError| format!("{text:?}: {}", e.reason))
}

/// `--country`: a two-letter ISO 3166 code (or `UTC`), upper-cased.
pub fn country(text: &str) -> Result<String, String> {
    let upper = text.to_ascii_uppercase();
    let valid = upper == "UTC" || upper.len() == 2 && upper.bytes().all(|b| b.is_ascii_uppercase());
    if valid {
        Ok(upper)
    } else {
        Err(format!(
            "{text:?} is not a two-letter ISO 3166 country code"
        ))
    }
}

/// `--national-tables`: one language with a national table (the list is split on commas first).
pub fn national_language(text: &str) -> Result<Language, String> {
    Language::from_code(text.trim()).ok_or_else(|| {
        format!(
            "{text:?} has no national language table (one of: {})",
            Language::codes().join(", ")
        )
    })
}

/// `--from`: an address such as `Newsroom <news@example.com>`.
pub fn from_mailbox(text: &str) -> Result<Mailbox, String> {
    mailbox(text, "from")
}

/// `--to`: an address such as `Readers <readers@example.com>`.
pub fn to_mailbox(text: &str) -> Result<Mailbox, String> {
    mailbox(text, "to")
}

fn mailbox(text: &str, option: &'static str) -> Result<Mailbox, String> {
    email::parse_mailbox(text, option).map_err(|e| match e {
        newsdigest::Error::Usage { message, .. } => message,
        other => other.to_string(),
    })
}

/// `--unsubscribe`: an `https:`, `http:` or `mailto:` URL.
pub fn unsubscribe_url(text: &str) -> Result<String, String> {
    email::ensure_unsubscribe_url(text)
        .map(|()| text.to_string())
        .map_err(|e| match e {
            newsdigest::Error::Usage { message, .. } => message,
            other => other.to_string(),
        })
}

/// `--since`: a duration such as `24h`, `90m`, `1h 30m` or `2days` (humantime syntax).
pub fn duration(text: &str) -> Result<std::time::Duration, String> {
    let duration = humantime::parse_duration(text).map_err(|e| format!("{text:?}: {e}"))?;
    if duration.is_zero() {
        return Err(format!("{text:?}: must be longer than zero"));
    }
    Ok(duration)
}

/// `--language`: a BCP 47 tag such as `bn` or `en-GB`, kept as written in lower case.
pub fn language_tag(text: &str) -> Result<String, String> {
    let tag: unic_langid::LanguageIdentifier = text
        .parse()
        .map_err(|_| format!("{text:?} is not a BCP 47 language tag"))?;
    Ok(tag.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_or_explain() {
        assert_eq!(zone("Asia/Dhaka").unwrap().to_string(), "Asia/Dhaka");
        assert_eq!(
            zone("Mars/Olympus").unwrap_err(),
            "\"Mars/Olympus\": unknown IANA time zone"
        );
        assert!(instant("yesterday").unwrap_err().contains("RFC 3339"));
        assert_eq!(country("bd").unwrap(), "BD");
        assert!(country("BGD").is_err());
        assert!(national_language("bn").is_ok());
        assert!(national_language("xx").unwrap_err().contains("one of"));
        assert!(unsubscribe_url("javascript:alert(1)").is_err());
    }
}
