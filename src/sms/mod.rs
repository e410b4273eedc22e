//! SMS measurement: encoding choice (GSM-7 or UCS-2), units, segments and the parts a gateway sends.
//!
//! PLACEHOLDER: the real engine (extension table, grapheme-safe splitting, smart encoding) replaces
//! this file. The public surface below is the contract the rest of the crate uses.

use std::borrow::Cow;

use serde::Serialize;

/// How the message is encoded on the air.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    Gsm7,
    Ucs2,
}

/// Where a long message may be cut into parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SplitPolicy {
    /// Never split a grapheme cluster (Android, Twilio). The default.
    #[default]
    Graphemes,
    /// Split at any code unit that does not break an escape or surrogate pair.
    CodeUnits,
}

/// Size of the concatenation reference in the user-data header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConcatRef {
    #[default]
    Eight,
    Sixteen,
}

/// Measurement options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    pub split: SplitPolicy,
    pub concat_ref: ConcatRef,
    /// Replace curly quotes, dashes, unusual spaces... when that makes the text GSM-7.
    pub smart_encoding: bool,
}

/// One part of a (possibly concatenated) message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    pub text: String,
    pub units: usize,
}

/// The text as it will be sent, its encoding, its length in units and its parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Measurement {
    /// The text after smart encoding (if enabled).
    pub text: String,
    pub encoding: Encoding,
    /// Septets for GSM-7, UTF-16 code units for UCS-2.
    pub units: usize,
    pub parts: Vec<Part>,
}

impl Measurement {
    pub fn segments(&self) -> usize {
        self.parts.len().max(1)
    }
}

/// Measures `text` as an SMS.
pub fn measure(text: &str, options: &Options) -> Measurement {
    let text = if options.smart_encoding {
        smart_encode(text).into_owned()
    } else {
        text.to_string()
    };
    let gsm = is_gsm7(&text);
    let (encoding, units) = if gsm {
        (Encoding::Gsm7, text.chars().count())
    } else {
        (Encoding::Ucs2, text.encode_utf16().count())
    };
    let (single, per_part) = if gsm { (160, 153) } else { (70, 67) };
    let parts = if units <= single {
        vec![Part {
            text: text.clone(),
            units,
        }]
    } else {
        let chars: Vec<char> = text.chars().collect();
        chars
            .chunks(per_part)
            .map(|chunk| {
                let text: String = chunk.iter().collect();
                let units = text.encode_utf16().count();
                Part { text, units }
            })
            .collect()
    };
    Measurement {
        text,
        encoding,
        units,
        parts,
    }
}

/// Whether every character of `text` is in the GSM-7 default alphabet or its extension table.
pub fn is_gsm7(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_ascii() && (c == '\n' || c == '\r' || !c.is_ascii_control()))
}

/// `text` with GSM-safe substitutions applied, when and only when the result is GSM-7.
pub fn smart_encode(text: &str) -> Cow<'_, str> {
    Cow::Borrowed(text)
}
