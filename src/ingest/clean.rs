//! Cleaning of untrusted article fields, shared by the [`super::wire`] and [`super::json`] readers.
//!
//! Owns three rules: which characters break lines, which bidi controls are removed, and which URLs
//! are kept. Reads field text, writes cleaned text (or nothing). Example:
//!
//! ```
//! use newsdigest::ingest::clean;
//! assert_eq!(clean::field("Police\u{202e} "), Some("Police".to_string()));
//! assert_eq!(clean::body_lines("One.\rTwo.\r\nThree.\u{2028}"), ["One.", "Two.", "Three."]);
//! assert_eq!(clean::url("javascript:alert(1)"), None);
//! ```

use std::borrow::Cow;

use crate::text::bytes::find_byte;
use crate::text::normalize;

/// Whether `c` ends a line: LF, CR (alone or before LF), and the other mandatory breaks of
/// UAX #14 (VT, FF, NEL, LINE SEPARATOR U+2028, PARAGRAPH SEPARATOR U+2029).
///
/// Old Mac files end lines with a lone CR, and word processors paste U+2028/U+2029 between
/// paragraphs; all of them are line breaks in a body, so a footer after them is still a footer.
pub fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Bidi embedding, override and isolate controls (U+202A..U+202E, U+2066..U+2069).
///
/// Left in a field they run on into the template text around it (`Source: Police` + U+202E
/// reverses the time that follows on a phone). The marks LRM, RLM and ALM (U+200E, U+200F,
/// U+061C) do not run on and are kept: Arabic and Urdu text needs them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` without bidi embedding, override and isolate controls.
pub fn strip_bidi_controls(text: &str) -> String {
    without_bidi_controls(text).into_owned()
}

/// [`strip_bidi_controls`], borrowing `text` when it has none (the usual case): every bidi
/// control is encoded with the lead byte 0xE2, so text without that byte is not decoded.
fn without_bidi_controls(text: &str) -> Cow<'_, str> {
    if !text.as_bytes().contains(&0xE2) || !text.contains(is_bidi_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().filter(|&c| !is_bidi_control(c)).collect())
}

/// A one-line field (title, source, dateline, editor, language) cleaned: bidi controls removed,
/// control characters and runs of whitespace made one space, trimmed. `None` when nothing is left.
pub fn field(text: &str) -> Option<String> {
    Some(normalize::clean_line(&without_bidi_controls(text))).filter(|value| !value.is_empty())
}

/// The non-empty lines of a body, each cleaned like a [`field`]; any [`is_line_break`] splits.
pub fn body_lines(text: &str) -> Vec<String> {
    lines(text).filter_map(field).collect()
}

/// `text.split(is_line_break)`, looking at bytes: a line break is an ASCII control or starts
/// with the lead byte 0xC2 (NEL) or 0xE2 (U+2028, U+2029), so other text is not decoded.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let line = rest?;
        let bytes = line.as_bytes();
        let mut start = 0;
        // Every ASCII line break is below 0x0E; other controls there are looked at and passed.
        while let Some(offset) =
            find_byte(&bytes[start..], |b| (b < 0x0E) | (b == 0xC2) | (b == 0xE2))
        {
            let at = start + offset;
            let c = line[at..].chars().next().unwrap_or_default();
            if is_line_break(c) {
                rest = Some(&line[at + c.len_utf8()..]);
                return Some(&line[..at]);
            }
            start = at + c.len_utf8();
        }
        rest = None;
        Some(line)
    })
}

/// A URL kept only when it is an absolute `http://` or `https://` link (scheme in any case) with
/// something after the `//` and no whitespace or control character; bidi controls are removed
/// first. Anything else (`javascript:`, `data:`, `file:`, `vbscript:`, relative paths) is `None`.
pub fn url(text: &str) -> Option<String> {
    let url = without_bidi_controls(text);
    let url = url.trim();
    let rest = ["http://", "https://"].iter().find_map(|scheme| {
        let head = url.get(..scheme.len())?;
        head.eq_ignore_ascii_case(scheme)
            .then(|| &url[scheme.len()..])
    })?;
    let clean = !url.chars().any(|c| c.is_whitespace() || c.is_control());
    (clean && !rest.is_empty()).then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_as_line_breaks_do() {
        for text in [
            "",
            "a",
            "\n",
            "a\r\nb\u{85}c\u{2028}d\u{2029}e\u{b}f\u{c}g\rh\n",
            "é\u{a0}ü\u{2027}\u{202a}x\u{2030}y\u{84}z\u{86}",
        ] {
            let expected: Vec<&str> = text.split(is_line_break).collect();
            assert_eq!(lines(text).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }

    #[test]
    fn line_breaks() {
        let cases: &[(&str, &[&str])] = &[
            ("a\nb", &["a", "b"]),
            ("a\r\nb\r\n", &["a", "b"]),
            ("a\rb\r", &["a", "b"]),
            ("a\u{2028}b\u{2029}c", &["a", "b", "c"]),
            ("a\u{85}b\u{c}c", &["a", "b", "c"]),
            ("\n\r\n \r", &[]),
            ("a\tb\0c", &["a b c"]),
        ];
        for (text, lines) in cases {
            assert_eq!(body_lines(text), *lines, "{text:?}");
        }
    }

    #[test]
    fn bidi_controls_go_marks_stay() {
        assert_eq!(
            field(
                "\u{202a}a\u{202b}b\u{202c}c\u{202d}d\u{202e}e\u{2066}f\u{2067}g\u{2068}h\u{2069}"
            ),
            Some("abcdefgh".to_string())
        );
        assert_eq!(
            field("\u{200e}x\u{200f}y\u{61c}z"),
            Some("\u{200e}x\u{200f}y\u{61c}z".to_string())
        );
        assert_eq!(field("\u{202e} \u{2069}"), None);
    }

    #[test]
    fn urls() {
        let cases: &[(&str, Option<&str>)] = &[
            ("https://example.com/a", Some("https://example.com/a")),
            (" HTTP://Example.com ", Some("HTTP://Example.com")),
            ("hTTpS://x\u{202e}.example", Some("hTTpS://x.example")),
            ("https://", None),
            ("https://a b", None),
            ("https://a\tb", None),
            ("https://a\u{0}b", None),
            ("javascript:alert(1)", None),
            ("JAVASCRIPT:alert(1)", None),
            (" javascript:alert(1)", None),
            ("data:text/html,<b>x</b>", None),
            ("file:///etc/passwd", None),
            ("vbscript:msgbox", None),
            ("/relative/path", None),
            ("//example.com/a", None),
            ("ftp://example.com", None),
            ("", None),
            ("ht\u{e9}tp://x", None),
        ];
        for (text, expected) in cases {
            assert_eq!(url(text).as_deref(), *expected, "{text:?}");
        }
    }
}
