//! Measuring a message: encoding, length in units, and the parts it is sent in.
//!
//! Reads the text and [`Options`]; writes a [`Measurement`]. GSM-7 when every character is in the
//! default alphabet or its extension table (extension characters cost 2 septets), UCS-2 otherwise
//! (UTF-16 code units). A message longer than the single-message limit is cut into parts of at most
//! the per-part limit, never inside an escape pair or a surrogate pair (a character is the smallest
//! unit), and by default never inside a grapheme cluster. 161 GSM characters are 2 parts, 153 + 8
//! septets:
//!
//! ```
//! use newsdigest::sms::{measure, Encoding, Options};
//! let m = measure(&"a".repeat(161), &Options::default());
//! let units: Vec<usize> = m.parts.iter().map(|p| p.units).collect();
//! assert_eq!((m.encoding, m.units, units), (Encoding::Gsm7, 161, vec![153, 8]));
//! ```

use unicode_segmentation::GraphemeCursor;

use super::national::{self, Language, Tables};
use super::{ConcatRef, Encoding, Measurement, Options, Part, SplitPolicy, TablePair, gsm7, smart};

/// Octets of user data in one SMS.
const USER_DATA_OCTETS: usize = 140;

/// Octets of user-data header for concatenation: UDHL + the concatenation IE (8- or 16-bit ref).
fn concat_header_octets(concat_ref: ConcatRef) -> usize {
    match concat_ref {
        ConcatRef::Eight => 1 + 5,
        ConcatRef::Sixteen => 1 + 6,
    }
}

/// Units available in a single message and in each part of a concatenated one.
///
/// GSM-7: 160 septets alone; with an 8-bit reference header (6 octets) 133.7 octets' worth of
/// septets round down to 153; with a 16-bit reference (7 octets) to 152. UCS-2: 70, 67 and 66.
pub fn limits(encoding: Encoding, concat_ref: ConcatRef) -> (usize, usize) {
    let payload_octets = USER_DATA_OCTETS - concat_header_octets(concat_ref);
    match encoding {
        Encoding::Gsm7 => (USER_DATA_OCTETS * 8 / 7, payload_octets * 8 / 7),
        Encoding::Ucs2 => (USER_DATA_OCTETS / 2, payload_octets / 2),
    }
}

/// How characters are counted: the default alphabet, a pair of national tables, or UCS-2.
#[derive(Clone, Copy)]
enum Coding {
    Default,
    National(&'static Tables, TablePair),
    Ucs2,
}

impl Coding {
    /// Units `c` costs. Only called with characters the coding can carry.
    #[inline]
    fn units(self, c: char) -> usize {
        match self {
            Coding::Default => usize::from(gsm7::cost(c).unwrap_or(1)),
            Coding::National(tables, pair) => {
                usize::from(tables.cost(c, pair.locking, pair.single).unwrap_or(1))
            }
            Coding::Ucs2 => c.len_utf16(),
        }
    }

    fn units_of(self, text: &str) -> usize {
        match self {
            Coding::Default if text.is_ascii() => {
                text.bytes().map(|b| usize::from(gsm7::ascii_cost(b))).sum()
            }
            // UTF-16 units: one per character, two for those outside the BMP (4-byte UTF-8).
            Coding::Ucs2 => text
                .bytes()
                .map(|b| usize::from(!is_continuation(b)) + usize::from(b >= 0xf0))
                .sum(),
            _ => text.chars().map(|c| self.units(c)).sum(),
        }
    }

    fn limits(self, concat_ref: ConcatRef) -> (usize, usize) {
        match self {
            Coding::Default => limits(Encoding::Gsm7, concat_ref),
            Coding::National(_, pair) => national::limits(pair.locking, pair.single, concat_ref),
            Coding::Ucs2 => limits(Encoding::Ucs2, concat_ref),
        }
    }
}

/// Measures `text` as an SMS.
pub fn measure(text: &str, options: &Options) -> Measurement {
    let mut text = if options.smart_encoding {
        smart::smart_encode(text).into_owned()
    } else {
        text.to_string()
    };
    let mut danda_kept_ucs2 = false;
    let coding = if gsm7::is_gsm7(&text) {
        Coding::Default
    } else {
        match national_coding(&text, options) {
            Some(coding) => coding,
            None if !options.national.is_empty() && text.contains('।') => {
                let with_periods = text.replace('।', ".");
                match national_coding(&with_periods, options) {
                    Some(coding) if options.danda_as_period => {
                        text = with_periods;
                        coding
                    }
                    Some(_) => {
                        danda_kept_ucs2 = true;
                        Coding::Ucs2
                    }
                    None => Coding::Ucs2,
                }
            }
            None => Coding::Ucs2,
        }
    };
    let total = coding.units_of(&text);
    let (single, per_part) = coding.limits(options.concat_ref);
    let parts = if total <= single {
        vec![Part {
            text: text.clone(),
            units: total,
        }]
    } else {
        split(&text, coding, per_part, options.split)
    };
    Measurement {
        encoding: match coding {
            Coding::Ucs2 => Encoding::Ucs2,
            _ => Encoding::Gsm7,
        },
        tables: match coding {
            Coding::National(_, pair) => Some(pair),
            _ => None,
        },
        text,
        units: total,
        parts,
        danda_kept_ucs2,
    }
}

/// The cheapest pair of enabled national tables that carries `text`, if any.
fn national_coding(text: &str, options: &Options) -> Option<Coding> {
    if options.national.is_empty() {
        return None;
    }
    let tables = Tables::get().ok()?;
    let choice = tables.cheapest(text, &options.national.languages(), options.concat_ref)?;
    let pair = TablePair {
        locking: choice.locking,
        single: choice.single,
    };
    (pair.locking != Language::Default || pair.single != Language::Default)
        .then_some(Coding::National(tables, pair))
}

/// Cuts `text` into parts of at most `per_part` units at the boundaries `policy` allows.
///
/// Characters are added greedily; only where a part is full is the grapheme rule consulted, by
/// moving the cut back to the previous cluster boundary. A cluster longer than a whole part cannot
/// stay whole and is cut between characters.
fn split(text: &str, coding: Coding, per_part: usize, policy: SplitPolicy) -> Vec<Part> {
    // Byte loops for the two common cases; characters otherwise. Each yields (offset, cost) for
    // every character.
    match coding {
        Coding::Default if text.is_ascii() => cut(
            text,
            coding,
            per_part,
            policy,
            text.bytes()
                .enumerate()
                .map(|(i, b)| (i, usize::from(gsm7::ascii_cost(b)))),
        ),
        Coding::Ucs2 => cut(
            text,
            coding,
            per_part,
            policy,
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| !is_continuation(b))
                .map(|(i, b)| (i, 1 + usize::from(b >= 0xf0))),
        ),
        _ => cut(
            text,
            coding,
            per_part,
            policy,
            text.char_indices().map(|(i, c)| (i, coding.units(c))),
        ),
    }
}

/// Whether `byte` continues a UTF-8 sequence (is not the start of a character).
#[inline]
fn is_continuation(byte: u8) -> bool {
    byte & 0xc0 == 0x80
}

/// Cuts `text` into parts, given each character's byte offset and cost.
fn cut(
    text: &str,
    coding: Coding,
    per_part: usize,
    policy: SplitPolicy,
    characters: impl Iterator<Item = (usize, usize)>,
) -> Vec<Part> {
    let mut parts = Vec::with_capacity(text.len() / per_part + 1);
    let mut start = 0;
    let mut used = 0;
    for (offset, cost) in characters {
        if used + cost > per_part && used > 0 {
            let cut = match policy {
                SplitPolicy::CodeUnits => offset,
                SplitPolicy::Graphemes => grapheme_cut(text, start, offset),
            };
            let carried = coding.units_of(&text[cut..offset]);
            parts.push(Part {
                text: text[start..cut].to_string(),
                units: used - carried,
            });
            start = cut;
            used = carried;
        }
        used += cost;
    }
    parts.push(Part {
        text: text[start..].to_string(),
        units: used,
    });
    parts
}

/// The grapheme cluster boundary at or before byte `offset`, if it is after `start`; else `offset`.
fn grapheme_cut(text: &str, start: usize, offset: usize) -> usize {
    let mut cursor = GraphemeCursor::new(offset, text.len(), true);
    if let Ok(true) = cursor.is_boundary(text, 0) {
        return offset;
    }
    match cursor.prev_boundary(text, 0) {
        Ok(Some(boundary)) if boundary > start => boundary,
        _ => offset,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(text: &str) -> usize {
        measure(text, &Options::default()).segments()
    }

    #[test]
    fn android_gsm_lengths() {
        let lengths = [0, 1, 2, 80, 159, 160, 161, 240, 305, 306, 307, 320];
        let messages = [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3];
        for (length, expected) in lengths.into_iter().zip(messages) {
            assert_eq!(
                segments(&"a".repeat(length)),
                expected,
                "GSM length {length}"
            );
        }
    }

    #[test]
    fn android_ucs2_lengths() {
        let lengths = [0, 1, 2, 35, 69, 70, 71, 100, 133, 134, 135, 160];
        let messages = [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3];
        for (length, expected) in lengths.into_iter().zip(messages) {
            let text = format!("ক{}", "a".repeat(length.max(1) - 1));
            let text = if length == 0 { String::new() } else { text };
            let m = measure(&text, &Options::default());
            assert_eq!(m.units, length);
            assert_eq!(m.segments(), expected, "UCS-2 length {length}");
        }
    }

    #[test]
    fn limits_by_reference_size() {
        assert_eq!(limits(Encoding::Gsm7, ConcatRef::Eight), (160, 153));
        assert_eq!(limits(Encoding::Gsm7, ConcatRef::Sixteen), (160, 152));
        assert_eq!(limits(Encoding::Ucs2, ConcatRef::Eight), (70, 67));
        assert_eq!(limits(Encoding::Ucs2, ConcatRef::Sixteen), (70, 66));
    }

    #[test]
    fn extension_characters_cost_two_and_never_split() {
        let text = format!("{}€{}", "A".repeat(152), "B".repeat(152));
        let m = measure(&text, &Options::default());
        assert_eq!(m.units, 306);
        let parts: Vec<usize> = m.parts.iter().map(|p| p.units).collect();
        assert_eq!(parts, vec![152, 153, 1]);
        assert!(m.parts[1].text.starts_with('€'));
    }

    #[test]
    fn empty_text_is_one_empty_part() {
        let m = measure("", &Options::default());
        assert_eq!(
            (m.units, m.segments(), m.parts[0].text.as_str()),
            (0, 1, "")
        );
    }
}
