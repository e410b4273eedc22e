//! Header values of a digest email: Subject, To, Date, Message-ID and List-Unsubscribe.
//!
//! Reads the rendered subject, the reference time, the sender's domain and the `--unsubscribe`
//! URL; writes values that are one line each and fit RFC 5322's 998-octet line limit: the subject
//! is cleaned and shortened to [`MAX_SUBJECT_CHARS`], the date must lie in 1970..=9999 (all the
//! `Date` header code can carry), the Message-ID is ASCII and stable (XXH3-64 of the content).
//! Example:
//!
//! ```
//! use newsdigest::email::header_text;
//! assert_eq!(header_text(" Rain\r\nBcc: x@y "), "Rain Bcc: x@y");
//! ```

use chrono::{DateTime, Utc};
use lettre::message::header::{Header, HeaderName, HeaderValue, Headers, To};
use lettre::message::{Mailbox, Mailboxes};
use unicode_segmentation::UnicodeSegmentation;

use crate::error::{Error, Result};
use crate::fingerprint;
use crate::text::normalize::clean_line;

/// The longest subject kept, in characters, including the closing `…` of a shortened one.
pub const MAX_SUBJECT_CHARS: usize = 250;

/// The longest unsubscribe URL: `List-Unsubscribe: <URL>` must fit one 998-octet line, as a URL
/// has no whitespace at which the header could be folded.
pub const MAX_URL_LEN: usize = 998 - "List-Unsubscribe: <>".len();

/// The first and last instants a `Date` header can carry (the HTTP date code lettre uses).
const FIRST_DATE: i64 = 0;
const LAST_DATE: i64 = 253_402_300_799;

/// The subject as it goes into the header: one line, no control characters, and at most
/// [`MAX_SUBJECT_CHARS`] characters, shortened with `…` at a grapheme boundary.
pub fn header_text(subject: &str) -> String {
    let line = clean_line(subject);
    if line.chars().count() <= MAX_SUBJECT_CHARS {
        return line;
    }
    let mut out = String::new();
    let mut chars = 0;
    for grapheme in line.graphemes(true) {
        let n = grapheme.chars().count();
        if chars + n > MAX_SUBJECT_CHARS - 1 {
            break;
        }
        out.push_str(grapheme);
        chars += n;
    }
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// Checks an unsubscribe URL: `https:`, `http:` or `mailto:`, one line, no spaces or angle
/// brackets, and short enough for one header line ([`MAX_URL_LEN`]).
pub fn ensure_unsubscribe_url(url: &str) -> Result<()> {
    let scheme_ok = ["https://", "http://", "mailto:"].iter().any(|scheme| {
        url.len() > scheme.len()
            && url
                .as_bytes()
                .get(..scheme.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(scheme.as_bytes()))
    });
    let clean = url
        .chars()
        .all(|c| c.is_ascii_graphic() && c != '<' && c != '>');
    if !(scheme_ok && clean) {
        return Err(Error::Usage {
            option: "unsubscribe",
            message: format!("{url:?} is not an https:, http: or mailto: URL without spaces"),
        });
    }
    if url.len() > MAX_URL_LEN {
        return Err(Error::Usage {
            option: "unsubscribe",
            message: format!(
                "the URL is {} characters long; at most {MAX_URL_LEN} fit in the List-Unsubscribe header",
                url.len()
            ),
        });
    }
    Ok(())
}

/// Checks that `date` can be written in a `Date` header (1970-01-01 to 9999-12-31 UTC).
pub fn ensure_date(date: DateTime<Utc>) -> Result<()> {
    if (FIRST_DATE..=LAST_DATE).contains(&date.timestamp()) {
        Ok(())
    } else {
        Err(Error::Email {
            message: format!(
                "the date {} is outside what an email Date header can carry (1970-01-01 to 9999-12-31 UTC)",
                date.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
            ),
        })
    }
}

/// `<20250423T074700.1a2b3c4d5e6f7a8b@domain>`: the date and the XXH3-64 fingerprint of the
/// subject, text and HTML. `domain` must already be ASCII (punycode), so the whole value is an
/// RFC 5322 `msg-id` without encoded words.
pub fn message_id(
    date: DateTime<Utc>,
    subject: &str,
    text: &str,
    html: &str,
    domain: &str,
) -> String {
    let hash = fingerprint::of_fields(&[subject.as_bytes(), text.as_bytes(), html.as_bytes()]);
    format!(
        "<{}.{}@{domain}>",
        date.format("%Y%m%dT%H%M%S"),
        fingerprint::to_hex(hash)
    )
}

/// Checks a `Message-ID` given from outside: `<left@right>` in printable ASCII, with no space,
/// angle bracket or second `@` inside, short enough for one header line.
pub fn ensure_message_id(id: &str) -> Result<()> {
    const MAX_LEN: usize = 998 - "Message-ID: ".len();
    let part = |text: &str| {
        !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_graphic() && !matches!(c, '<' | '>' | '@'))
    };
    let well_formed = id
        .strip_prefix('<')
        .and_then(|rest| rest.strip_suffix('>'))
        .and_then(|inner| inner.split_once('@'))
        .is_some_and(|(left, right)| part(left) && part(right));
    if well_formed && id.len() <= MAX_LEN {
        Ok(())
    } else {
        Err(Error::Email {
            message: format!("{id:?} is not a Message-ID (<left@right> in printable ASCII)"),
        })
    }
}

/// The `List-Unsubscribe` header (RFC 2369), holding a URL checked by [`ensure_unsubscribe_url`].
#[derive(Debug, Clone)]
pub(crate) struct ListUnsubscribe(pub(crate) String);

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

/// The `To` header with one recipient per line: lettre folds a mailbox only inside a display
/// name, so thousands of bare addresses would make one line of hundreds of kilobytes.
#[derive(Debug, Clone)]
pub(crate) struct Recipients(pub(crate) Vec<Mailbox>);

impl Header for Recipients {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("To")
    }

    fn parse(text: &str) -> std::result::Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        let mailboxes: Mailboxes = text.parse()?;
        Ok(Recipients(mailboxes.into_iter().collect()))
    }

    fn display(&self) -> HeaderValue {
        let encoded: Vec<String> = self.0.iter().map(encoded_mailbox).collect();
        let raw: Vec<String> = self.0.iter().map(Mailbox::to_string).collect();
        HeaderValue::dangerous_new_pre_encoded(Self::name(), raw.join(", "), encoded.join(",\r\n "))
    }
}

/// One mailbox as lettre encodes and folds it in a `To` header, without the name and line end.
fn encoded_mailbox(mailbox: &Mailbox) -> String {
    let mut headers = Headers::new();
    headers.set(To::from(Mailboxes::from(mailbox.clone())));
    let line = headers.to_string();
    let value = line.strip_prefix("To: ").unwrap_or(&line);
    value.strip_suffix("\r\n").unwrap_or(value).to_string()
}

/// A `Subject` whose every word is an RFC 2047 encoded word, for subjects that contain `=?`:
/// written as plain ASCII, such text would be decoded by readers as if it were an encoded word.
#[derive(Debug, Clone)]
pub(crate) struct EncodedSubject(pub(crate) String);

impl EncodedSubject {
    /// Whether `subject` must be written as encoded words to read back as itself.
    pub(crate) fn needed(subject: &str) -> bool {
        subject.contains("=?")
    }
}

impl Header for EncodedSubject {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Subject")
    }

    fn parse(text: &str) -> std::result::Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(EncodedSubject(text.to_string()))
    }

    fn display(&self) -> HeaderValue {
        let encoded = encoded_words(&self.0);
        HeaderValue::dangerous_new_pre_encoded(Self::name(), self.0.clone(), encoded)
    }
}

/// `text` as `=?utf-8?b?...?=` words of at most 39 bytes of UTF-8 each (so a line stays within
/// 78 characters), split at character boundaries and folded onto continuation lines.
fn encoded_words(text: &str) -> String {
    const CHUNK: usize = 39;
    let mut words = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let mut end = (start + CHUNK).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        words.push(format!(
            "=?utf-8?b?{}?=",
            base64(&text.as_bytes()[start..end])
        ));
        start = end;
    }
    words.join("\r\n ")
}

/// Standard base64 with padding (RFC 4648).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
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
        for c in [
            '\r', '\n', '\u{85}', '\u{2028}', '\u{2029}', '\0', '\u{1b}', '\u{7f}',
        ] {
            assert_eq!(header_text(&format!("a{c}b")), "a b", "{c:?}");
        }
    }

    #[test]
    fn long_subjects_are_shortened_at_a_grapheme() {
        let long = "ক্ষ".repeat(20_000);
        let short = header_text(&long);
        assert!(short.chars().count() <= MAX_SUBJECT_CHARS, "{short}");
        assert!(short.ends_with("ক্ষ…"), "{short}");
        assert_eq!(header_text(&"a".repeat(MAX_SUBJECT_CHARS)).len(), 250);
        let words = header_text(&"word ".repeat(100));
        assert_eq!(words.chars().count(), 250);
        assert!(words.ends_with("word…"), "{words}");
    }

    #[test]
    fn unsubscribe_urls_are_checked() {
        assert!(ensure_unsubscribe_url("https://x.example/u?id=1").is_ok());
        assert!(ensure_unsubscribe_url("HTTPS://x.example/u?id=1").is_ok());
        assert!(ensure_unsubscribe_url("mailto:leave@example.com").is_ok());
        for bad in [
            "javascript:alert(1)",
            "https://x.example/a b",
            "https://x>\r\nBcc: y",
            "https://",
            "htt\u{e9}ps://x",
            "é",
            "mailt€:",
            "ht€",
            "https://€",
            "",
        ] {
            assert!(ensure_unsubscribe_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unsubscribe_urls_fit_one_header_line() {
        let longest = format!("https://x.example/{}", "a".repeat(MAX_URL_LEN - 18));
        assert!(ensure_unsubscribe_url(&longest).is_ok());
        let error = ensure_unsubscribe_url(&format!("{longest}a")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "--unsubscribe: the URL is 979 characters long; at most 978 fit in the List-Unsubscribe header"
        );
    }

    #[test]
    fn dates_outside_the_header_range_are_errors() {
        for ok in ["1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z"] {
            assert!(ensure_date(ok.parse().unwrap()).is_ok(), "{ok}");
        }
        let error = ensure_date("1969-12-31T23:59:59Z".parse().unwrap()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "email: the date 1969-12-31T23:59:59Z is outside what an email Date header can carry (1970-01-01 to 9999-12-31 UTC)"
        );
        assert!(ensure_date("+10000-01-01T00:00:00Z".parse().unwrap()).is_err());
        assert!(ensure_date("0001-01-01T00:00:00Z".parse().unwrap()).is_err());
    }

    #[test]
    fn base64_matches_rfc_4648() {
        for (input, output) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), output);
        }
        assert_eq!(encoded_words("A"), "=?utf-8?b?QQ==?=");
        assert!(
            encoded_words(&"ক".repeat(30))
                .lines()
                .all(|l| l.len() <= 78)
        );
    }

    #[test]
    fn message_ids_from_outside_are_checked() {
        assert!(ensure_message_id("<20250423T074700Z.2dc0f6e18d1981c2@example.com>").is_ok());
        let longest = format!("<{}@x>", "a".repeat(998 - 12 - 4));
        assert!(ensure_message_id(&longest).is_ok());
        for bad in [
            "",
            "<>",
            "<@x>",
            "<a@>",
            "a@x",
            "<a@x",
            "<a b@x>",
            "<a@x>\r\nBcc: y@z",
            "<a@b@x>",
            "<a<@x>",
            "<\u{e9}@x>",
            &format!("<{}@x>", "a".repeat(998 - 12 - 3)),
        ] {
            assert!(ensure_message_id(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn message_id_is_pinned() {
        let date = "2025-04-23T07:47:00Z".parse().unwrap();
        assert_eq!(
            message_id(date, "Rain", "Plain", "<p>Html</p>", "example.com"),
            "<20250423T074700.2dc0f6e18d1981c2@example.com>"
        );
    }
}
