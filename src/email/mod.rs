//! Email messages: one digest as a standards-correct MIME message (RFC 5322, 2045-2047).
//!
//! Reads the rendered subject, text and HTML and an [`Envelope`]; writes the message bytes:
//! multipart/alternative with the plain part first (unencoded `8bit` when its lines allow, see
//! [`body::plain_body`]), an RFC 2047-encoded subject when it is not ASCII, a `Date` from the
//! reference time and a `Message-ID` derived from the content (stable for the same digest on
//! every build, so a re-run can be recognised) unless the [`Envelope`] gives one (a bulletin
//! names each subscriber's message itself). No header takes a line break from any text, every
//! line has at most 998 octets and ends in CRLF. Example:
//!
//! ```
//! use newsdigest::email::{build, parse_mailbox, EmailContent, Envelope};
//! let content = EmailContent { subject: "Rain".into(), text: "Plain".into(), html: "<p>Html</p>".into() };
//! let envelope = Envelope {
//!     from: parse_mailbox("News <news@example.com>", "from").unwrap(),
//!     to: vec![parse_mailbox("readers@example.com", "to").unwrap()],
//!     date: "2025-04-23T07:47:00Z".parse().unwrap(),
//!     unsubscribe: None,
//!     message_id: None,
//! };
//! let eml = String::from_utf8(build(&content, &envelope).unwrap()).unwrap();
//! assert!(eml.contains("Subject: Rain\r\n"));
//! ```

mod address;
pub mod body;
mod headers;

use std::time::SystemTime;

use chrono::{DateTime, Utc};
use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};

use crate::error::{Error, Result};

pub use address::{MAX_NAME_CHARS, parse_mailbox, to_header_mailbox};
pub use headers::{
    MAX_SUBJECT_CHARS, MAX_URL_LEN, ensure_date, ensure_message_id, ensure_unsubscribe_url,
    header_text, message_id,
};

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
    /// The `Message-ID` (`<left@right>`, checked by [`ensure_message_id`]); `None` derives one
    /// from the content with [`message_id`].
    pub message_id: Option<String>,
}

/// Builds the message bytes, or says which value cannot go into an email.
pub fn build(content: &EmailContent, envelope: &Envelope) -> Result<Vec<u8>> {
    ensure_date(envelope.date)?;
    let from = to_header_mailbox(&envelope.from, "from")?;
    let to = envelope
        .to
        .iter()
        .map(|to| to_header_mailbox(to, "to"))
        .collect::<Result<Vec<_>>>()?;
    if to.is_empty() {
        return Err(email_error("no recipient (--to)".into()));
    }
    let subject = header_text(&content.subject);
    let text = body::to_crlf(&content.text);
    let html = body::to_crlf(&content.html);
    let id = match &envelope.message_id {
        Some(id) => {
            ensure_message_id(id)?;
            id.clone()
        }
        None => message_id(
            envelope.date,
            &content.subject,
            &content.text,
            &content.html,
            from.email.domain(),
        ),
    };
    let mut builder = Message::builder().from(from);
    builder = if headers::EncodedSubject::needed(&subject) {
        builder.header(headers::EncodedSubject(subject))
    } else {
        builder.subject(subject)
    };
    builder = builder
        .date(SystemTime::from(envelope.date))
        .message_id(Some(id))
        .user_agent(format!("newsdigest/{}", env!("CARGO_PKG_VERSION")));
    if let Some(url) = &envelope.unsubscribe {
        ensure_unsubscribe_url(url)?;
        builder = builder.header(headers::ListUnsubscribe(url.clone()));
    }
    // One `To` header from all recipients: lettre's `.to()` re-parses the header on every call.
    builder = builder.header(headers::Recipients(to));
    let message = builder
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(body::plain_body(text)),
                )
                .singlepart(SinglePart::html(html)),
        )
        .map_err(|e| email_error(format!("cannot build the message: {e}")))?;
    Ok(message.formatted())
}

fn email_error(message: String) -> Error {
    Error::Email { message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope() -> Envelope {
        Envelope {
            from: parse_mailbox("News <news@example.com>", "from").unwrap(),
            to: vec![parse_mailbox("readers@example.com", "to").unwrap()],
            date: "2025-04-23T07:47:00Z".parse().unwrap(),
            unsubscribe: Some("https://news.example.com/unsubscribe?u=1".into()),
            message_id: None,
        }
    }

    fn content(subject: &str, text: &str, html: &str) -> EmailContent {
        EmailContent {
            subject: subject.into(),
            text: text.into(),
            html: html.into(),
        }
    }

    fn build_text(content: &EmailContent, envelope: &Envelope) -> String {
        String::from_utf8(build(content, envelope).unwrap()).unwrap()
    }

    /// Every line at most 998 octets, ending in CRLF, with no bare CR or LF anywhere.
    fn assert_well_formed(eml: &str) {
        assert!(eml.ends_with("\r\n"));
        for line in eml.split("\r\n") {
            assert!(line.len() <= 998, "line of {} octets", line.len());
            assert!(!line.contains(['\r', '\n']), "bare CR or LF in {line:?}");
        }
    }

    /// The header block of `eml`, unfolded into (name, raw value) lines.
    fn header_block(eml: &str) -> &str {
        eml.split("\r\n\r\n").next().unwrap()
    }

    #[test]
    fn builds_multipart_alternative() {
        let text = build_text(&content("ঢাকায় বৃষ্টি", "Plain", "<p>Html</p>"), &envelope());
        assert!(text.contains("Subject: =?utf-8?b?"), "{text}");
        assert!(text.contains("multipart/alternative"));
        assert!(text.contains("Message-ID: <20250423T074700."));
        assert!(text.contains("Date: Wed, 23 Apr 2025 07:47:00 +0000"));
        assert!(text.contains("List-Unsubscribe: <https://news.example.com/unsubscribe?u=1>"));
        assert_well_formed(&text);
    }

    #[test]
    fn long_headers_fit_998_octets_and_read_back() {
        let title = "Flood ".repeat(3_500) + &"x".repeat(20_000);
        let mut env = envelope();
        env.from =
            parse_mailbox(&format!("{} <news@example.com>", "N".repeat(200)), "from").unwrap();
        env.unsubscribe = Some(format!(
            "https://x.example/{}",
            "u".repeat(MAX_URL_LEN - 18)
        ));
        for subject in [title.clone(), "ক্ষ ".repeat(5_000), "y".repeat(20_000)] {
            let eml = build_text(&content(&subject, "t", "h"), &env);
            assert_well_formed(&eml);
            let mail = mailparse::parse_mail(eml.as_bytes()).unwrap();
            let get = |name: &str| {
                mail.headers
                    .iter()
                    .find(|h| h.get_key() == name)
                    .unwrap()
                    .get_value()
            };
            assert_eq!(get("Subject"), header_text(&subject));
            assert_eq!(
                get("From"),
                format!("{} <news@example.com>", "N".repeat(200))
            );
            assert_eq!(
                get("List-Unsubscribe"),
                format!("<{}>", env.unsubscribe.as_deref().unwrap())
            );
        }
    }

    #[test]
    fn international_domain_gives_an_ascii_message_id() {
        let mut env = envelope();
        env.from = parse_mailbox("Дайджест <news@пример.рф>", "from").unwrap();
        env.to = vec![parse_mailbox("readers@bücher.example", "to").unwrap()];
        let eml = build_text(&content("Rain", "t", "h"), &env);
        let headers = header_block(&eml);
        assert!(headers.is_ascii(), "{headers}");
        assert!(headers.contains("@xn--e1afmkfd.xn--p1ai>\r\n"), "{headers}");
        assert!(
            headers.contains("To: readers@xn--bcher-kva.example\r\n"),
            "{headers}"
        );
        let id = headers
            .lines()
            .find(|l| l.starts_with("Message-ID: "))
            .unwrap();
        let id = id.trim_start_matches("Message-ID: ");
        assert!(!id.contains("=?"), "{id}");
        let (left, right) = id
            .trim_start_matches('<')
            .trim_end_matches('>')
            .split_once('@')
            .unwrap();
        let atext = |s: &str| {
            s.split('.')
                .all(|a| !a.is_empty() && a.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        };
        assert!(
            id.starts_with('<') && id.ends_with('>') && atext(left) && atext(right),
            "{id}"
        );
    }

    #[test]
    fn message_id_is_stable_for_the_same_digest() {
        let eml = build_text(&content("Rain", "Plain", "<p>Html</p>"), &envelope());
        assert!(
            eml.contains("Message-ID: <20250423T074700.2dc0f6e18d1981c2@example.com>\r\n"),
            "{eml}"
        );
    }

    #[test]
    fn an_explicit_message_id_is_used_and_checked() {
        let mut env = envelope();
        env.message_id = Some("<20250423T074700Z.00000000000000ab@example.com>".into());
        let eml = build_text(&content("Rain", "Plain", "<p>Html</p>"), &env);
        assert!(
            eml.contains("Message-ID: <20250423T074700Z.00000000000000ab@example.com>\r\n"),
            "{eml}"
        );
        env.message_id = Some("<a@x>\r\nBcc: victim@example.com".into());
        let error = build(&content("Rain", "t", "h"), &env).unwrap_err();
        assert!(error.to_string().contains("is not a Message-ID"), "{error}");
    }

    #[test]
    fn dates_a_header_cannot_carry_are_errors_not_panics() {
        for date in [
            "1969-12-31T23:59:59Z",
            "0001-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z",
        ] {
            let mut env = envelope();
            env.date = date.parse().unwrap();
            let error = build(&content("Rain", "t", "h"), &env).unwrap_err();
            assert!(error.to_string().starts_with("email: the date "), "{error}");
            assert_eq!(error.exit_code(), crate::error::EXIT_CONFIG);
        }
    }

    #[test]
    fn a_megabyte_body_of_200k_lines_builds_with_crlf_only() {
        let body = "line\n".repeat(100_000) + &"row\r".repeat(100_000);
        let eml = build_text(&content("Rain", &body, &body), &envelope());
        assert_well_formed(&eml);
    }

    #[test]
    fn hostile_bodies_and_subjects_build() {
        let html = "<html>\0</html></body>\r--boundary\n.\r\nFrom x\u{2028}";
        for subject in ["", "   ", "\r\n\t\0\u{85}\u{2028}", "=?utf-8?b?QQ==?= x"] {
            let eml = build_text(&content(subject, "\0text\r", html), &envelope());
            assert_well_formed(&eml);
            assert!(!eml.contains('\0'));
            let mail = mailparse::parse_mail(eml.as_bytes()).unwrap();
            let got = mail
                .headers
                .iter()
                .find(|h| h.get_key() == "Subject")
                .unwrap()
                .get_value();
            assert_eq!(got, header_text(subject), "{subject:?}");
            assert_eq!(mail.subparts.len(), 2);
        }
    }

    #[test]
    fn ten_thousand_recipients_build() {
        let mut env = envelope();
        env.to = (0..10_000)
            .map(|i| match i % 2 {
                0 => parse_mailbox(&format!("r{i}@example.com"), "to").unwrap(),
                _ => parse_mailbox(&format!("Reader {i} <r{i}@example.com>"), "to").unwrap(),
            })
            .collect();
        let eml = build_text(&content("Rain", "t", "h"), &env);
        assert_well_formed(&eml);
        let mail = mailparse::parse_mail(eml.as_bytes()).unwrap();
        let to =
            mailparse::addrparse_header(mail.headers.iter().find(|h| h.get_key() == "To").unwrap())
                .unwrap();
        assert_eq!(to.len(), 10_000);
    }

    #[test]
    fn no_recipient_is_an_error() {
        let mut env = envelope();
        env.to.clear();
        let error = build(&content("Rain", "t", "h"), &env).unwrap_err();
        assert_eq!(error.to_string(), "email: no recipient (--to)");
    }
}
