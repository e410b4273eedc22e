//! SMS: how a text is encoded on the air, what it costs, and the parts a gateway sends.
//!
//! The exact rules of 3GPP TS 23.038/23.040: GSM-7 septets (extension characters cost two) or UCS-2
//! code units, 160/153 and 70/67 units per message/part, parts that never split an escape pair, a
//! surrogate pair or (by default) a grapheme cluster, and smart encoding of typographic characters
//! when that keeps a message GSM-7. Everything that counts SMS in newsdigest goes through
//! [`measure()`], or [`count()`] where only the figures are needed (no part is built). For example:
//!
//! ```
//! use newsdigest::sms::{measure, Encoding, Options};
//! let m = measure("Dhaka rain alert.", &Options::default());
//! assert_eq!((m.encoding, m.units, m.segments()), (Encoding::Gsm7, 17, 1));
//! ```

mod gsm7;
mod measure;
pub mod national;
pub mod pdu;
pub mod report;
mod smart;

use std::borrow::Cow;

use serde::Serialize;

pub use gsm7::{DEFAULT_ALPHABET, ESCAPE, EXTENSION};
pub use measure::{count, limits, measure};
pub use smart::{Finding, SUBSTITUTIONS, Substitution, explain};

/// How the message is encoded on the air.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    Gsm7,
    Ucs2,
}

impl Encoding {
    /// `gsm7` or `ucs2`, as JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Gsm7 => "gsm7",
            Encoding::Ucs2 => "ucs2",
        }
    }
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
    /// National language tables the recipients' operators support (off by default).
    pub national: NationalTables,
    /// Write the danda `।` as `.` when that lets a national table send the text in 7 bits.
    pub danda_as_period: bool,
}

/// A set of enabled national languages (3GPP TS 23.038 annex A).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NationalTables(u16);

impl NationalTables {
    /// The set of `languages`.
    pub fn of(languages: &[national::Language]) -> Self {
        NationalTables(languages.iter().fold(0, |bits, l| bits | 1 << l.id()))
    }

    /// The enabled languages, in identifier order.
    pub fn languages(self) -> Vec<national::Language> {
        (1..14)
            .filter(|id| self.0 & (1 << id) != 0)
            .filter_map(national::Language::from_id)
            .collect()
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// The national tables a message is encoded with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TablePair {
    pub locking: national::Language,
    pub single: national::Language,
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
    /// National tables, when the message is 7-bit thanks to them.
    pub tables: Option<TablePair>,
    /// The danda `।` is what kept this message in UCS-2 with the enabled national tables.
    pub danda_kept_ucs2: bool,
}

impl Measurement {
    pub fn segments(&self) -> usize {
        self.parts.len().max(1)
    }
}

/// What a message costs, without its text: [`measure()`]'s figures, from [`count()`], which builds
/// no part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub encoding: Encoding,
    /// Septets for GSM-7, UTF-16 code units for UCS-2.
    pub units: usize,
    /// Parts the message is sent in (1 for a message that needs no concatenation).
    pub segments: usize,
    /// National tables, when the message is 7-bit thanks to them.
    pub tables: Option<TablePair>,
    /// The danda `।` is what kept this message in UCS-2 with the enabled national tables.
    pub danda_kept_ucs2: bool,
}

/// Why a message stayed UCS-2 although a Bengali national table was enabled
/// ([`Measurement::danda_kept_ucs2`]).
pub const DANDA_NOTE: &str = "the danda (।) is in no Bengali national table and kept this message in UCS-2; --danda-as-period sends it in 7 bits";

/// Whether every character of `text` is in the GSM-7 default alphabet or its extension table.
pub fn is_gsm7(text: &str) -> bool {
    gsm7::is_gsm7(text)
}

/// Septets `c` costs in GSM-7 (1 or 2), or `None` when it is not in the alphabet.
pub fn gsm7_cost(c: char) -> Option<u8> {
    gsm7::cost(c)
}

/// `text` with GSM-safe substitutions applied, when and only when the result is GSM-7.
pub fn smart_encode(text: &str) -> Cow<'_, str> {
    smart::smart_encode(text)
}
