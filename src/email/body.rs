//! Message bodies as MIME wants them: CRLF line endings only, no NUL octets, and the plain-text
//! part in a transfer encoding a person can read in the raw message.
//!
//! [`plain_body`] sends the plain-text part as it is (`7bit` when ASCII, `8bit` otherwise: RFC 2045
//! allows any UTF-8 in lines of at most 998 octets), and only when a line is longer than that
//! lets lettre pick `quoted-printable` (mostly ASCII) or `base64`. Lines are never re-wrapped, so
//! no `format=flowed` is claimed.
//!
//! Reads a rendered text or HTML part; writes a new string in one linear pass (lettre's own
//! conversion inserts each `\r` in place, which is quadratic in the number of lines). Every line
//! ending (`\r\n`, a bare `\n`, a bare `\r`) becomes `\r\n`; a NUL, which no MIME part may carry
//! unencoded, becomes U+FFFD as an HTML parser would read it. Example:
//!
//! ```
//! use newsdigest::email::body::to_crlf;
//! assert_eq!(to_crlf("a\nb\rc\r\nd\0"), "a\r\nb\r\nc\r\nd\u{fffd}");
//! ```

use lettre::message::{Body, header::ContentTransferEncoding};

/// The longest line `7bit` and `8bit` bodies may carry, in octets without the CRLF (RFC 5322 2.1.1).
pub const MAX_LINE_OCTETS: usize = 998;

/// The plain-text part of `text` (already [`to_crlf`]): unencoded when every line fits
/// [`MAX_LINE_OCTETS`], else quoted-printable or base64 as lettre finds shorter.
///
/// ```
/// use lettre::message::header::ContentTransferEncoding;
/// use newsdigest::email::body::plain_body;
/// assert_eq!(plain_body("Rain\r\n".into()).encoding(), ContentTransferEncoding::SevenBit);
/// assert_eq!(plain_body("বৃষ্টি\r\n".into()).encoding(), ContentTransferEncoding::EightBit);
/// assert_eq!(plain_body("বৃষ্টি".repeat(100)).encoding(), ContentTransferEncoding::Base64);
/// ```
pub fn plain_body(text: String) -> Body {
    let fits = text.split("\r\n").all(|line| line.len() <= MAX_LINE_OCTETS);
    if !fits || !crlf_only(&text) {
        return Body::new(text);
    }
    let encoding = if text.is_ascii() {
        ContentTransferEncoding::SevenBit
    } else {
        ContentTransferEncoding::EightBit
    };
    Body::dangerous_pre_encoded(text.into_bytes(), encoding)
}

/// Whether `text` has no NUL and every CR and LF is part of a CRLF.
fn crlf_only(text: &str) -> bool {
    !text.contains('\0')
        && text
            .split("\r\n")
            .all(|line| !line.contains(['\r', '\n'].as_slice()))
}

/// `text` with every line ending as CRLF and every NUL as U+FFFD.
pub fn to_crlf(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut rest = text;
    while let Some(at) = rest.find(['\r', '\n', '\0']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        rest = if let Some(after) = tail.strip_prefix("\r\n") {
            out.push_str("\r\n");
            after
        } else if let Some(after) = tail.strip_prefix('\0') {
            out.push('\u{fffd}');
            after
        } else {
            // A bare `\r` or `\n`: one ASCII byte, so `[1..]` is a char boundary.
            out.push_str("\r\n");
            tail.get(1..).unwrap_or_default()
        };
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::to_crlf;

    #[test]
    fn every_line_ending_becomes_crlf() {
        assert_eq!(to_crlf(""), "");
        assert_eq!(to_crlf("\n"), "\r\n");
        assert_eq!(to_crlf("\r"), "\r\n");
        assert_eq!(to_crlf("\r\r\n\n"), "\r\n\r\n\r\n");
        assert_eq!(to_crlf("ঢাকা\nবৃষ্টি"), "ঢাকা\r\nবৃষ্টি");
    }

    #[test]
    fn plain_text_stays_readable_unless_a_line_is_too_long() {
        use super::{ContentTransferEncoding as Cte, MAX_LINE_OCTETS, plain_body};
        let long_line = "A lead sentence that goes on. ".repeat(20);
        assert!(long_line.len() > 76 && long_line.len() <= MAX_LINE_OCTETS);
        assert_eq!(plain_body(long_line.clone()).encoding(), Cte::SevenBit);
        let arabic = format!("١. \u{2068}{long_line}\u{2069}\r\nأمطار\r\n");
        let body = plain_body(arabic.clone());
        assert_eq!(body.encoding(), Cte::EightBit);
        assert_eq!(body.as_ref(), arabic.as_bytes());
        let too_long = "x".repeat(MAX_LINE_OCTETS + 1);
        assert_eq!(plain_body(too_long).encoding(), Cte::QuotedPrintable);
        assert_eq!(
            plain_body("ক".repeat(MAX_LINE_OCTETS)).encoding(),
            Cte::Base64
        );
        assert_ne!(plain_body("a\nb".into()).encoding(), Cte::EightBit);
    }

    #[test]
    fn a_megabyte_of_short_lines_converts_in_one_pass() {
        let body = "abcd\n".repeat(200_000);
        let out = to_crlf(&body);
        assert_eq!(out.len(), body.len() + 200_000);
        assert_eq!(out.matches("\r\n").count(), 200_000);
    }
}
