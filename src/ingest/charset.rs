//! Character sets of feeds: raw bytes in, UTF-8 text out.
//!
//! Owns the order in which the encoding is chosen: a byte order mark (UTF-8, UTF-16 LE/BE), then
//! the charset the caller got from an HTTP `Content-Type`, then the `encoding=` of the XML
//! declaration, else UTF-8. Labels are read by encoding_rs with the WHATWG rules, so
//! `ISO-8859-1` and `latin1` decode as Windows-1252 (byte 0x80 is `€`, as browsers do), and an
//! unknown label is ignored. Decoding is lossy: a byte that is not valid in the chosen encoding
//! becomes U+FFFD rather than failing the whole feed. The `encoding` attribute of every XML
//! declaration in the result is renamed `x-encoding`, so the XML parser neither decodes the text
//! a second time nor switches encodings mid-stream. Example:
//!
//! ```
//! use newsdigest::ingest::charset::decode;
//! let bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>caf\xe9 \x80</t>";
//! assert_eq!(decode(bytes, None), "<?xml version=\"1.0\" x-encoding=\"ISO-8859-1\"?><t>café €</t>");
//! assert_eq!(decode(b"<t>\xe9</t>", Some("windows-1252")), "<t>é</t>");
//! ```

use encoding_rs::{Encoding, UTF_8};

/// How far into the input the XML declaration is looked for.
const DECLARATION_SEARCH_BYTES: usize = 1024;

/// `bytes` decoded to UTF-8 by the rules in the module documentation.
pub fn decode(bytes: &[u8], charset: Option<&str>) -> String {
    let (encoding, bom_length) = match Encoding::for_bom(bytes) {
        Some((encoding, length)) => (encoding, length),
        None => (chosen_encoding(bytes, charset), 0),
    };
    let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
    neutralize_declarations(text.into_owned())
}

/// The encoding named by the caller, else by the XML declaration, else UTF-8.
fn chosen_encoding(bytes: &[u8], charset: Option<&str>) -> &'static Encoding {
    if let Some(encoding) = charset.and_then(|label| Encoding::for_label(label.trim().as_bytes())) {
        return encoding;
    }
    declared_label(bytes)
        .and_then(Encoding::for_label)
        // A document readable as ASCII cannot be UTF-16: a declared UTF-16 means UTF-8 (WHATWG).
        .map(Encoding::output_encoding)
        .unwrap_or(UTF_8)
}

/// The value of `encoding=` in an XML declaration at the start of `bytes`, if any.
fn declared_label(bytes: &[u8]) -> Option<&[u8]> {
    let head = &bytes[..bytes.len().min(DECLARATION_SEARCH_BYTES)];
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = head[start..].strip_prefix(b"<?xml")?;
    let end = find(head, b"?>")?;
    let (value_start, value_end) = encoding_value(&head[..end])?;
    Some(&head[value_start..value_end])
}

/// The byte range of the quoted value of `encoding=` in the text of a declaration.
fn encoding_value(declaration: &[u8]) -> Option<(usize, usize)> {
    let name = find(declaration, b"encoding")?;
    let mut at = name + b"encoding".len();
    while declaration.get(at)?.is_ascii_whitespace() {
        at += 1;
    }
    (*declaration.get(at)? == b'=').then_some(())?;
    at += 1;
    while declaration.get(at)?.is_ascii_whitespace() {
        at += 1;
    }
    let quote = *declaration.get(at)?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let length = declaration[at + 1..].iter().position(|&b| b == quote)?;
    Some((at + 1, at + 1 + length))
}

/// `text` with the `encoding` attribute of every XML declaration renamed `x-encoding`.
///
/// The text is UTF-8 now; a declaration still naming another encoding would make the XML parser
/// decode it again, and quick-xml panics when a declaration that is not at the very start (junk
/// before it, or a second one) names an encoding. Renaming the attribute in every `<?xml ...?>`
/// (wherever it is, up to its `?>`) leaves the parser nothing to switch to.
fn neutralize_declarations(text: String) -> String {
    if !text.contains("<?xml") {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text.as_str();
    while let Some(at) = rest.find("<?xml") {
        let after = &rest[at + "<?xml".len()..];
        let end = after.find("?>").map_or(after.len(), |e| e + 2);
        out.push_str(&rest[..at + "<?xml".len()]);
        if after.starts_with(|c: char| c.is_ascii_whitespace()) || after.starts_with("?>") {
            out.push_str(&after[..end].replace("encoding", "x-encoding"));
        } else {
            out.push_str(&after[..end]);
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_bom_caller_declaration() {
        // A BOM wins over everything.
        assert_eq!(
            decode(b"\xef\xbb\xbf<a>\xc3\xa9</a>", Some("latin1")),
            "<a>é</a>"
        );
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("<a>€</a>".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&utf16, None), "<a>€</a>");
        // The caller's charset wins over the declaration.
        let declared = b"<?xml version='1.0' encoding='utf-8'?><a>\xe9</a>";
        assert_eq!(
            decode(declared, Some("ISO-8859-1")),
            "<?xml version='1.0' x-encoding='utf-8'?><a>é</a>"
        );
        // Windows-1252 from the declaration: curly quotes and the euro sign.
        assert_eq!(
            decode(
                b"<?xml version=\"1.0\" encoding = \"windows-1252\" ?><a>\x93\x80\x94</a>",
                None
            ),
            "<?xml version=\"1.0\" x-encoding = \"windows-1252\" ?><a>\u{201c}€\u{201d}</a>"
        );
    }

    #[test]
    fn unknown_or_missing_labels_mean_utf8() {
        assert_eq!(
            decode(b"<a>\xc3\xa9</a>", Some("no-such-charset")),
            "<a>é</a>"
        );
        assert_eq!(
            decode(
                b"<?xml version=\"1.0\" encoding=\"bogus\"?><a>\xc3\xa9</a>",
                None
            ),
            "<?xml version=\"1.0\" x-encoding=\"bogus\"?><a>é</a>"
        );
        assert_eq!(
            decode(
                b"<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>\xc3\xa9</a>",
                None
            ),
            "<?xml version=\"1.0\" x-encoding=\"UTF-16\"?><a>é</a>"
        );
        // Declarations after junk, or a second one, are neutralized too.
        assert_eq!(
            decode(
                b"\x00<?xml encoding='latin1'?><a/><?xml\tencoding='koi8-r'",
                None
            ),
            "\u{0}<?xml x-encoding='latin1'?><a/><?xml\tx-encoding='koi8-r'"
        );
        assert_eq!(
            decode(b"<?xml-stylesheet encoding='x'?>", None),
            "<?xml-stylesheet encoding='x'?>"
        );
        assert_eq!(decode(b"<a>\xff</a>", None), "<a>\u{fffd}</a>");
        assert_eq!(decode(b"<?xml encoding=", None), "<?xml x-encoding=");
    }
}
