//! One subscriber's email: the RFC 5322 message an email gateway (`smtp`, `sendmail`) sends for
//! an outbox [`Message`] whose render is [`Content::Email`].
//!
//! Reads the message (bulletin, slot, subscriber, shared render) and its bulletin's
//! [`MailSettings`]; writes the bytes [`email::build`] makes, with headers that are the same on
//! every attempt so a server or a reader's mail client recognises a resend:
//!
//! - `From`: the bulletin's `from`; `To`: the subscriber, with their name if any (cleaned to one
//!   line: a name never brings a line break into a header);
//! - `Date`: the slot's instant, not the time of the attempt;
//! - `Message-ID`: `<{slot}.{hash}@{from domain}>`, the hash being XXH3-64 of (bulletin, slot,
//!   address) ([`stable_message_id`]);
//! - `List-Unsubscribe` when the bulletin has an `unsubscribe` URL, and with an `https:` URL also
//!   `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): large mailbox providers
//!   expect one-click unsubscription from bulk senders, so an `https:` URL must unsubscribe on a
//!   `POST` with the body `List-Unsubscribe=One-Click`, without a confirmation page. `http:` and
//!   `mailto:` URLs get `List-Unsubscribe` only (RFC 8058 requires HTTPS).
//!
//! The multipart boundary is random, so two builds differ in it and in nothing else.
//!
//! ```
//! use newsdigest::bulletin::deliver::mail::{message_bytes, MailSettings};
//! use newsdigest::bulletin::outbox::{Content, Message, Render};
//! let render = Render {
//!     locale: "en".into(),
//!     zone: "UTC".into(),
//!     content: Content::Email { subject: "Rain".into(), text: "Plain".into(), html: "<p>Html</p>".into() },
//! };
//! let message = Message {
//!     id: 1,
//!     bulletin: "morning".into(),
//!     slot: "2025-04-23T07:00:00Z".parse().unwrap(),
//!     address: "reader@example.com".into(),
//!     name: Some("Reader".into()),
//!     target: "mail".into(),
//!     attempts: 0,
//!     render: std::sync::Arc::new(render),
//!     quiet: None,
//! };
//! let settings = MailSettings { from: "News <news@example.com>".parse().unwrap(), unsubscribe: None };
//! let eml = String::from_utf8(message_bytes(&message, &settings).unwrap()).unwrap();
//! assert!(eml.contains("To: Reader <reader@example.com>\r\n"));
//! assert!(eml.contains("Date: Wed, 23 Apr 2025 07:00:00 +0000\r\n"));
//! ```

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use lettre::Address;
use lettre::message::Mailbox;

use super::Outcome;
use crate::bulletin::outbox::{Content, Message};
use crate::email::{self, EmailContent, Envelope, MAX_NAME_CHARS};
use crate::error::{Error, Result};
use crate::fingerprint;
use crate::text::normalize::clean_line;

/// The header added with an `https:` unsubscribe URL (RFC 8058).
const ONE_CLICK: &str = "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";

/// What one bulletin's emails share: the sender and the unsubscribe URL.
#[derive(Debug, Clone)]
pub struct MailSettings {
    pub from: Mailbox,
    /// The `List-Unsubscribe` URL (`https:`, `http:` or `mailto:`).
    pub unsubscribe: Option<String>,
}

impl MailSettings {
    /// Checks that the sender can go into a header and the URL into `List-Unsubscribe`, so a bad
    /// setting stops a gateway from opening instead of failing every message.
    pub fn ensure(&self) -> Result<()> {
        email::to_header_mailbox(&self.from, "from").map_err(|e| email_error(reason(e)))?;
        if let Some(url) = &self.unsubscribe {
            email::ensure_unsubscribe_url(url).map_err(|e| email_error(reason(e)))?;
        }
        Ok(())
    }
}

/// A message ready for a gateway: the envelope's sender and recipient (ASCII, punycode
/// domains) and the message bytes (CRLF line ends, ASCII).
#[derive(Debug, Clone)]
pub struct Mail {
    pub from: Address,
    pub to: Address,
    pub bytes: Vec<u8>,
}

/// The bytes of `message` as its subscriber receives it.
pub fn message_bytes(message: &Message, settings: &MailSettings) -> Result<Vec<u8>> {
    prepare(message, settings).map(|mail| mail.bytes)
}

/// `message` with its envelope and bytes, or why it cannot be an email (an SMS render, an
/// address that is not an email address, a slot no `Date` header can carry).
pub fn prepare(message: &Message, settings: &MailSettings) -> Result<Mail> {
    let Content::Email {
        subject,
        text,
        html,
    } = &message.render.content
    else {
        return Err(email_error(format!(
            "{}: the render is an SMS, not an email",
            message.address
        )));
    };
    let from =
        email::to_header_mailbox(&settings.from, "from").map_err(|e| email_error(reason(e)))?;
    let to = recipient(&message.address, message.name.as_deref())?;
    let envelope = Envelope {
        from: from.clone(),
        to: vec![to.clone()],
        date: message.slot,
        unsubscribe: settings.unsubscribe.clone(),
        message_id: Some(stable_message_id(message, from.email.domain())),
    };
    let content = EmailContent {
        subject: subject.clone(),
        text: text.clone(),
        html: html.clone(),
    };
    let mut bytes = email::build(&content, &envelope)?;
    if settings.unsubscribe.as_deref().is_some_and(is_https) {
        bytes = with_header(bytes, ONE_CLICK);
    }
    Ok(Mail {
        from: from.email,
        to: to.email,
        bytes,
    })
}

/// `<20250423T070000Z.1a2b3c4d5e6f7a8b@example.com>`: the slot, and XXH3-64 of the bulletin, the
/// slot and the address; `domain` must be ASCII (punycode).
pub fn stable_message_id(message: &Message, domain: &str) -> String {
    let slot = slot_text(message.slot);
    let hash = fingerprint::of_fields(&[
        message.bulletin.as_bytes(),
        slot.as_bytes(),
        message.address.as_bytes(),
    ]);
    format!("<{slot}.{}@{domain}>", fingerprint::to_hex(hash))
}

/// Prepares `message` with its bulletin's settings from `mail`, or says what becomes of it: a
/// bulletin without settings is a configuration problem worth retrying once fixed; a message
/// that cannot be an email will never be one.
pub(crate) fn prepare_for(
    mail: &HashMap<String, MailSettings>,
    message: &Message,
) -> std::result::Result<Mail, Outcome> {
    let Some(settings) = mail.get(&message.bulletin) else {
        return Err(Outcome::RetryLater(format!(
            "no email settings (from) for bulletin {}",
            message.bulletin
        )));
    };
    prepare(message, settings).map_err(|error| Outcome::Failed(error.to_string()))
}

/// Checks every bulletin's settings when a gateway opens, naming the target and bulletin.
pub(crate) fn ensure_all(target: &str, mail: &HashMap<String, MailSettings>) -> Result<()> {
    for (bulletin, settings) in mail {
        settings.ensure().map_err(|error| Error::Target {
            target: target.to_string(),
            message: format!("bulletin {bulletin}: {}", reason(error)),
        })?;
    }
    Ok(())
}

/// The subscriber as a `To` mailbox: the address checked and made ASCII, the name one line.
fn recipient(address: &str, name: Option<&str>) -> Result<Mailbox> {
    let email: Address = address
        .parse()
        .map_err(|e| email_error(format!("{address:?} is not an email address: {e}")))?;
    let mailbox = Mailbox::new(name.and_then(display_name), email);
    email::to_header_mailbox(&mailbox, "to")
        .map_err(|e| email_error(format!("{address}: {}", reason(e))))
}

/// A subscriber's name as a display name: one line without control characters, at most
/// [`MAX_NAME_CHARS`] characters; `None` when nothing is left.
fn display_name(name: &str) -> Option<String> {
    let line: String = clean_line(name).chars().take(MAX_NAME_CHARS).collect();
    let line = line.trim_end();
    (!line.is_empty()).then(|| line.to_string())
}

/// `header` (one complete line, ending in CRLF) added at the end of the message's header block.
fn with_header(mut bytes: Vec<u8>, header: &str) -> Vec<u8> {
    let end = bytes
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .map_or(bytes.len(), |position| position + 2);
    bytes.splice(end..end, header.bytes());
    bytes
}

fn is_https(url: &str) -> bool {
    url.get(..8)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
}

fn slot_text(slot: DateTime<Utc>) -> String {
    slot.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The message of an error from the email module, without the command-line option it names.
fn reason(error: Error) -> String {
    match error {
        Error::Usage { message, .. } | Error::Email { message } => message,
        other => other.to_string(),
    }
}

fn email_error(message: String) -> Error {
    Error::Email { message }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::bulletin::outbox::{Render, SmsPart};

    fn message(address: &str, name: Option<&str>, subject: &str) -> Message {
        Message {
            id: 7,
            bulletin: "morning".into(),
            slot: "2025-04-23T07:00:00Z".parse().unwrap(),
            address: address.into(),
            name: name.map(str::to_string),
            target: "mail".into(),
            attempts: 2,
            render: Arc::new(Render {
                locale: "en".into(),
                zone: "Asia/Dhaka".into(),
                content: Content::Email {
                    subject: subject.into(),
                    text: "Plain".into(),
                    html: "<p>Html</p>".into(),
                },
            }),
            quiet: None,
        }
    }

    fn settings(unsubscribe: Option<&str>) -> MailSettings {
        MailSettings {
            from: "News <news@example.com>".parse().unwrap(),
            unsubscribe: unsubscribe.map(str::to_string),
        }
    }

    fn parsed(bytes: &[u8]) -> mailparse::ParsedMail<'_> {
        mailparse::parse_mail(bytes).unwrap()
    }

    fn header(mail: &mailparse::ParsedMail<'_>, name: &str) -> Option<String> {
        mail.headers
            .iter()
            .find(|h| h.get_key().eq_ignore_ascii_case(name))
            .map(|h| h.get_value())
    }

    #[test]
    fn headers_are_the_same_on_every_attempt() {
        let first = message("reader@example.com", Some("Reader"), "Rain");
        let mut retry = first.clone();
        retry.attempts = 3;
        retry.id = 99;
        let a = message_bytes(&first, &settings(None)).unwrap();
        let b = message_bytes(&retry, &settings(None)).unwrap();
        let (a, b) = (parsed(&a), parsed(&b));
        for name in ["Message-ID", "Date", "From", "To", "Subject"] {
            assert_eq!(header(&a, name), header(&b, name), "{name}");
        }
        assert_eq!(
            header(&a, "Message-ID").unwrap(),
            "<20250423T070000Z.4902d30c5547a185@example.com>"
        );
        assert_eq!(
            header(&a, "Date").unwrap(),
            "Wed, 23 Apr 2025 07:00:00 +0000"
        );
        assert_eq!(header(&a, "To").unwrap(), "Reader <reader@example.com>");
        assert_eq!(header(&a, "From").unwrap(), "News <news@example.com>");
        assert_eq!(a.ctype.mimetype, "multipart/alternative");
        assert_eq!(a.subparts[0].get_body().unwrap().trim_end(), "Plain");
        assert_eq!(a.subparts[1].get_body().unwrap().trim_end(), "<p>Html</p>");
    }

    #[test]
    fn each_subscriber_and_slot_has_its_own_message_id() {
        let base = message("reader@example.com", None, "Rain");
        let id = |m: &Message| stable_message_id(m, "example.com");
        let mut other = base.clone();
        other.address = "other@example.com".into();
        assert_ne!(id(&base), id(&other));
        other = base.clone();
        other.slot = "2025-04-23T07:00:01Z".parse().unwrap();
        assert_ne!(id(&base), id(&other));
        other = base.clone();
        other.bulletin = "evening".into();
        assert_ne!(id(&base), id(&other));
        assert!(email::ensure_message_id(&id(&base)).is_ok());
    }

    #[test]
    fn hostile_names_and_subjects_cannot_add_headers() {
        let hostile = message(
            "reader@example.com",
            Some("Eve\r\nBcc: victim@example.com\u{2028}"),
            "Rain\nBcc: victim@example.com",
        );
        let bytes = message_bytes(&hostile, &settings(None)).unwrap();
        let mail = parsed(&bytes);
        assert_eq!(header(&mail, "Bcc"), None);
        assert_eq!(
            header(&mail, "Subject").unwrap(),
            "Rain Bcc: victim@example.com"
        );
        let to =
            mailparse::addrparse_header(mail.headers.iter().find(|h| h.get_key() == "To").unwrap())
                .unwrap();
        match &to[0] {
            mailparse::MailAddr::Single(single) => {
                assert_eq!(
                    single.display_name.as_deref(),
                    Some("Eve Bcc: victim@example.com")
                );
                assert_eq!(single.addr, "reader@example.com");
            }
            group => panic!("one mailbox, not {group:?}"),
        }
    }

    #[test]
    fn names_are_optional_and_international_domains_become_punycode() {
        let bytes = message_bytes(
            &message("reader@bücher.example", Some(" \t "), "Rain"),
            &settings(None),
        )
        .unwrap();
        let mail = parsed(&bytes);
        assert_eq!(header(&mail, "To").unwrap(), "reader@xn--bcher-kva.example");
        let prepared = prepare(
            &message("reader@bücher.example", None, "Rain"),
            &settings(None),
        )
        .unwrap();
        assert_eq!(prepared.to.to_string(), "reader@xn--bcher-kva.example");
        assert_eq!(prepared.from.to_string(), "news@example.com");
    }

    #[test]
    fn one_click_unsubscribe_only_with_https() {
        let https = "https://news.example.com/u?id=1";
        let bytes = message_bytes(
            &message("r@example.com", None, "Rain"),
            &settings(Some(https)),
        )
        .unwrap();
        let mail = parsed(&bytes);
        assert_eq!(
            header(&mail, "List-Unsubscribe").unwrap(),
            format!("<{https}>")
        );
        assert_eq!(
            header(&mail, "List-Unsubscribe-Post").unwrap(),
            "List-Unsubscribe=One-Click"
        );
        assert_eq!(mail.subparts.len(), 2);
        for url in ["http://news.example.com/u", "mailto:leave@example.com"] {
            let bytes = message_bytes(
                &message("r@example.com", None, "Rain"),
                &settings(Some(url)),
            )
            .unwrap();
            let mail = parsed(&bytes);
            assert_eq!(
                header(&mail, "List-Unsubscribe").unwrap(),
                format!("<{url}>")
            );
            assert_eq!(header(&mail, "List-Unsubscribe-Post"), None, "{url}");
        }
    }

    #[test]
    fn what_cannot_be_an_email_is_an_error() {
        let error =
            message_bytes(&message("not an address", None, "Rain"), &settings(None)).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("email: \"not an address\" is not an email address"),
            "{error}"
        );
        let error = message_bytes(&message("новости@пример.рф", None, "Rain"), &settings(None))
            .unwrap_err();
        assert!(error.to_string().contains("must be ASCII"), "{error}");
        let mut sms = message("r@example.com", None, "Rain");
        sms.render = Arc::new(Render {
            locale: "en".into(),
            zone: "UTC".into(),
            content: Content::Sms {
                text: "Rain".into(),
                encoding: "gsm7".into(),
                parts: vec![SmsPart {
                    udh: String::new(),
                    payload: String::new(),
                    text: "Rain".into(),
                }],
            },
        });
        assert_eq!(
            message_bytes(&sms, &settings(None))
                .unwrap_err()
                .to_string(),
            "email: r@example.com: the render is an SMS, not an email"
        );
    }

    #[test]
    fn settings_are_checked_with_the_target_and_bulletin() {
        let mut mail = HashMap::new();
        mail.insert("morning".to_string(), settings(Some("javascript:alert(1)")));
        let error = ensure_all("relay", &mail).unwrap_err();
        assert_eq!(
            error.to_string(),
            "target relay: bulletin morning: \"javascript:alert(1)\" is not an https:, http: or mailto: URL without spaces"
        );
        assert_eq!(error.exit_code(), crate::error::EXIT_CONFIG);
        mail.insert("morning".to_string(), settings(None));
        assert!(ensure_all("relay", &mail).is_ok());
    }

    #[test]
    fn missing_settings_retry_and_bad_messages_fail() {
        let mail = HashMap::from([("morning".to_string(), settings(None))]);
        let mut other = message("r@example.com", None, "Rain");
        other.bulletin = "evening".into();
        assert_eq!(
            prepare_for(&mail, &other).unwrap_err(),
            Outcome::RetryLater("no email settings (from) for bulletin evening".into())
        );
        let bad = message("bad", None, "Rain");
        assert!(matches!(prepare_for(&mail, &bad), Err(Outcome::Failed(_))));
    }
}
