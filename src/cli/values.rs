//! Typed command-line values: each parser turns one flag's text into the value the stages use.
//!
//! clap calls these through `value_parser`, so a bad value is refused before any command runs and
//! every command receives `DateTime<Utc>`, [`Zone`], [`Language`] or [`Mailbox`], never raw text.
//! Their messages are what `main` prints after `error: --FLAG: `. Example: `zone("Asia/Dhaka")` is
//! `Zone::Named(Asia/Dhaka)`; `instant("yesterday")` is an error naming RFC 3339.

use chrono::{DateTime, Utc};
use lettre::message::Mailbox;
use newsdigest::bulletin::outbox::Status;
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

/// `history --since`: an instant, or a span of time back from now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    At(DateTime<Utc>),
    Ago(std::time::Duration),
}

impl Since {
    /// The instant meant, `now` being the current time.
    pub fn resolve(self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Since::At(instant) => instant,
            Since::Ago(span) => chrono::Duration::from_std(span)
                .ok()
                .and_then(|span| now.checked_sub_signed(span))
                .unwrap_or(DateTime::<Utc>::MIN_UTC),
        }
    }
}

/// `history --since`: an RFC 3339 time, or a duration back from now such as `24h` or `7d`.
pub fn since(text: &str) -> Result<Since, String> {
    if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
        return Ok(Since::At(instant.with_timezone(&Utc)));
    }
    humantime::parse_duration(text)
        .map(Since::Ago)
        .map_err(|_| {
            format!("{text:?} is neither an RFC 3339 time (2025-04-23T07:00:00Z) nor a duration (24h, 7d)")
        })
}

/// `history --status`: a message status.
pub fn status(text: &str) -> Result<Status, String> {
    Status::parse(&text.to_ascii_lowercase())
        .ok_or_else(|| format!("{text:?} is not one of pending, sending, sent, failed, uncertain"))
}

/// `--language`: a BCP 47 tag such as `bn` or `en-GB`, kept as written in lower case.
pub fn language_tag(text: &str) -> Result<String, String> {
    let tag: unic_langid::LanguageIdentifier = text
        .parse()
        .map_err(|_| format!("{text:?} is not a BCP 47 language tag"))?;
    Ok(tag.to_string())
}

/// A share of a budget: a number from 0 to 1.
pub fn share(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|share| (0.0..=1.0).contains(share))
        .ok_or_else(|| format!("{text:?} is not a share from 0 to 1"))
}

/// `--poll`: seconds between looks for due messages, from 0.05 to 3600.
pub fn poll(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|seconds| (0.05..=3600.0).contains(seconds))
        .ok_or_else(|| format!("{text:?} is not a number of seconds from 0.05 to 3600"))
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
        let now = instant("2025-04-23T07:00:00Z").unwrap();
        assert_eq!(
            since("7d").unwrap().resolve(now).to_rfc3339(),
            "2025-04-16T07:00:00+00:00"
        );
        assert_eq!(
            since("2025-04-01T00:00:00+06:00")
                .unwrap()
                .resolve(now)
                .to_rfc3339(),
            "2025-03-31T18:00:00+00:00"
        );
        assert!(since("yesterday").unwrap_err().contains("neither"));
        assert_eq!(
            since("100000000y").unwrap().resolve(now),
            DateTime::<Utc>::MIN_UTC
        );
        assert_eq!(status("Failed").unwrap(), Status::Failed);
        assert!(status("lost").unwrap_err().contains("one of pending"));
    }
}
