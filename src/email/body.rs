//! Message bodies as MIME wants them: CRLF line endings only, no NUL octets.
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
    fn a_megabyte_of_short_lines_converts_in_one_pass() {
        let body = "abcd\n".repeat(200_000);
        let out = to_crlf(&body);
        assert_eq!(out.len(), body.len() + 200_000);
        assert_eq!(out.matches("\r\n").count(), 200_000);
    }
}
