//! Email messages: one digest as a standards-correct MIME message (RFC 5322, 2045-2047).
//!
//! Reads the rendered subject, text and HTML; writes the message bytes: multipart/alternative with
//! the plain part first, an RFC 2047-encoded subject when it is not ASCII, a `Date` from the
//! reference time and a `Message-ID` derived from the content (stable for the same digest, so a
//! re-run can be recognised). Header values pass through [`clean_line`], so no text from an
//! article can start a new header. Example: `build(&parts, &envelope)?` gives the bytes of an `.eml`.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use lettre::Message;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};

use crate::error::{Error, Result};
use crate::text::normalize::clean_line;

/// The rendered content of a digest email.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailContent {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Who the message is from and to, and when it is dated.
#[derive(Debug, Clone)]
pub struct Envelope {
    pub from: Mailbox,
    pub to: Vec<Mailbox>,
    pub date: DateTime<Utc>,
    /// Unsubscribe URL for `List-Unsubscribe` (RFC 2369), checked by [`ensure_unsubscribe_url`].
    pub unsubscribe: Option<String>,
}

/// Checks an unsubscribe URL: `https:`, `http:` or `mailto:`, one line, no spaces or angle brackets.
pub fn ensure_unsubscribe_url(url: &str) -> Result<()> {
    let scheme_ok = ["https://", "http://", "mailto:"]
        .iter()
        .any(|scheme| url.len() > scheme.len() && url[..scheme.len()].eq_ignore_ascii_case(scheme));
    let clean = url
        .chars()
        .all(|c| c.is_ascii_graphic() && c != '<' && c != '>');
    if scheme_ok && clean {
        Ok(())
    } else {
        Err(Error::Usage {
            option: "unsubscribe",
            message: format!("{url:?} is not an https:, http: or mailto: URL without spaces"),
        })
    }
}

/// The `List-Unsubscribe` header.
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(text: &str) -> std::result::Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(text.trim_matches(['<', '>']).to_string()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// Parses an address such as `Newsroom <news@example.com>`; `what` names the option in errors.
pub fn parse_mailbox(text: &str, what: &'static str) -> Result<Mailbox> {
    text.parse().map_err(|e| Error::Usage {
        option: what,
        message: format!("{text:?} is not an email address: {e}"),
    })
}

/// The subject as it goes into the header: one line, no control characters.
pub fn header_text(subject: &str) -> String {
    clean_line(subject)
}

/// Builds the message bytes.
pub fn build(content: &EmailContent, envelope: &Envelope) -> Result<Vec<u8>> {
    let subject = header_text(&content.subject);
    let mut builder = Message::builder()
        .from(envelope.from.clone())
        .subject(subject.clone())
        .date(SystemTime::from(envelope.date))
        .message_id(Some(message_id(content, envelope)))
        .user_agent(format!("newsdigest/{}", env!("CARGO_PKG_VERSION")));
    if let Some(url) = &envelope.unsubscribe {
        ensure_unsubscribe_url(url)?;
        builder = builder.header(ListUnsubscribe(url.clone()));
    }
    for to in &envelope.to {
        builder = builder.to(to.clone());
    }
    let message = builder
        .multipart(MultiPart::alternative_plain_html(
            content.text.clone(),
            content.html.clone(),
        ))
        .map_err(|e| Error::Email {
            message: e.to_string(),
        })?;
    Ok(message.formatted())
}

/// `<20250423T074700.1a2b3c4d5e6f7a8b@domain>`: the date and a hash of the content.
fn message_id(content: &EmailContent, envelope: &Envelope) -> String {
    let mut hasher = DefaultHasher::new();
    content.hash(&mut hasher);
    let domain = envelope.from.email.domain();
    format!(
        "<{}.{:016x}@{domain}>",
        envelope.date.format("%Y%m%dT%H%M%S"),
        hasher.finish()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_cannot_inject_headers() {
        assert_eq!(
            header_text("Rain\r\nBcc: victim@example.com"),
            "Rain Bcc: victim@example.com"
        );
    }

    #[test]
    fn builds_multipart_alternative() {
        let content = EmailContent {
            subject: "ঢাকায় বৃষ্টি".into(),
            text: "Plain".into(),
            html: "<p>Html</p>".into(),
        };
        let envelope = Envelope {
            from: parse_mailbox("News <news@example.com>", "from").unwrap(),
            to: vec![parse_mailbox("readers@example.com", "to").unwrap()],
            date: "2025-04-23T07:47:00Z".parse().unwrap(),
            unsubscribe: Some("https://news.example.com/unsubscribe?u=1".into()),
        };
        let bytes = build(&content, &envelope).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("Subject: =?utf-8?b?"), "{text}");
        assert!(text.contains("multipart/alternative"));
        assert!(text.contains("Message-ID: <20250423T074700."));
        assert!(text.contains("Date: Wed, 23 Apr 2025 07:47:00 +0000"));
        assert!(text.contains("List-Unsubscribe: <https://news.example.com/unsubscribe?u=1>"));
    }

    #[test]
    fn unsubscribe_urls_are_checked() {
        assert!(ensure_unsubscribe_url("https://x.example/u?id=1").is_ok());
        assert!(ensure_unsubscribe_url("mailto:leave@example.com").is_ok());
        for bad in [
            "javascript:alert(1)",
            "https://x.example/a b",
            "https://x>\r\nBcc: y",
            "https://",
        ] {
            assert!(ensure_unsubscribe_url(bad).is_err(), "{bad}");
        }
    }
}
