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

use std::borrow::Cow;
use std::ops::Range;

use unicode_segmentation::GraphemeCursor;

use super::national::{self, Language, Tables};
use super::{
    ConcatRef, Count, Encoding, Measurement, Options, Part, SplitPolicy, TablePair, gsm7, smart,
};

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
            Coding::Default => match gsm7::ascii_septets(text.as_bytes()) {
                Some(septets) => septets,
                None => text.chars().map(|c| self.units(c)).sum(),
            },
            // UTF-16 units: one per character, two for those outside the BMP (4-byte UTF-8).
            Coding::Ucs2 => utf16_units(text.as_bytes()),
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

/// A message's text as it will be sent (after smart encoding and, when asked, dandas written as
/// periods) and how it is coded.
struct Plan<'a> {
    text: Cow<'a, str>,
    coding: Coding,
    /// The text's length in units of the coding.
    units: usize,
    danda_kept_ucs2: bool,
}

/// Decides how `text` is sent. Borrows the text unless smart encoding or `--danda-as-period`
/// changes it.
fn plan<'a>(text: &'a str, options: &Options) -> Plan<'a> {
    let mut text = if options.smart_encoding {
        smart::smart_encode(text)
    } else {
        Cow::Borrowed(text)
    };
    let mut danda_kept_ucs2 = false;
    // ASCII text of the default alphabet, the common case, is checked and counted in one pass.
    let ascii_septets = gsm7::ascii_septets(text.as_bytes());
    let coding = if ascii_septets.is_some() || gsm7::is_gsm7(&text) {
        Coding::Default
    } else {
        match national_coding(&text, options) {
            Some(coding) => coding,
            None if !options.national.is_empty() && text.contains('।') => {
                let with_periods = text.replace('।', ".");
                match national_coding(&with_periods, options) {
                    Some(coding) if options.danda_as_period => {
                        text = Cow::Owned(with_periods);
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
    Plan {
        units: ascii_septets.unwrap_or_else(|| coding.units_of(&text)),
        text,
        coding,
        danda_kept_ucs2,
    }
}

impl Coding {
    fn encoding(self) -> Encoding {
        match self {
            Coding::Ucs2 => Encoding::Ucs2,
            _ => Encoding::Gsm7,
        }
    }

    fn tables(self) -> Option<TablePair> {
        match self {
            Coding::National(_, pair) => Some(pair),
            _ => None,
        }
    }
}

/// Counts `text` as an SMS: encoding, units and segments, without building the parts. It gives
/// the same figures as [`measure`] and copies nothing unless smart encoding or
/// `--danda-as-period` changes the text; [`crate::compose::fit`] calls it for every candidate.
pub fn count(text: &str, options: &Options) -> Count {
    let plan = plan(text, options);
    let units = plan.units;
    let (single, per_part) = plan.coding.limits(options.concat_ref);
    let segments = if units <= single {
        1
    } else {
        let mut segments = 0;
        cuts(&plan, per_part, options.split, |_, _| segments += 1);
        segments
    };
    Count {
        encoding: plan.coding.encoding(),
        units,
        segments,
        tables: plan.coding.tables(),
        danda_kept_ucs2: plan.danda_kept_ucs2,
    }
}

/// Measures `text` as an SMS: [`count`], plus the text as sent and each part's text.
pub fn measure(text: &str, options: &Options) -> Measurement {
    let plan = plan(text, options);
    let units = plan.units;
    let (single, per_part) = plan.coding.limits(options.concat_ref);
    let parts = if units <= single {
        vec![Part {
            text: plan.text.to_string(),
            units,
        }]
    } else {
        let mut parts = Vec::with_capacity(plan.text.len() / per_part + 1);
        cuts(&plan, per_part, options.split, |range, units| {
            parts.push(Part {
                text: plan.text[range].to_string(),
                units,
            })
        });
        parts
    };
    Measurement {
        encoding: plan.coding.encoding(),
        tables: plan.coding.tables(),
        text: plan.text.into_owned(),
        units,
        parts,
        danda_kept_ucs2: plan.danda_kept_ucs2,
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

/// Cuts `text` into parts of at most `per_part` units at the boundaries `policy` allows, calling
/// `part` with each part's byte range and units, in order.
///
/// Characters are added greedily; only where a part is full is the grapheme rule consulted, by
/// moving the cut back to the previous cluster boundary. A cluster longer than a whole part cannot
/// stay whole and is cut between characters. In text the default alphabet carries, every character
/// boundary is a grapheme boundary but CR LF (TS 23.038 has no combining characters), so no cluster
/// search is needed there.
fn cuts(
    plan: &Plan,
    per_part: usize,
    policy: SplitPolicy,
    mut part: impl FnMut(Range<usize>, usize),
) {
    let (text, coding) = (&*plan.text, plan.coding);
    let bytes = text.as_bytes();
    let ascii = matches!(coding, Coding::Default) && text.is_ascii();
    // Every character one septet: any run of `room` bytes is `room` septets.
    let plain = ascii && plan.units == bytes.len();
    let mut start = 0;
    let mut used = 0;
    let mut offset = 0;
    while offset < bytes.len() {
        // A run of whole characters that certainly fits in the room left is taken at once,
        // counted a block of bytes at a time; no cut can fall inside it.
        let room = per_part.saturating_sub(used);
        if room >= SKIP_AT_LEAST
            && let Some((length, units)) = run_that_fits(bytes, offset, room, coding, ascii, plain)
        {
            offset += length;
            used += units;
            continue;
        }
        let (length, cost) = match coding {
            _ if ascii => (1, usize::from(gsm7::ascii_cost(bytes[offset]))),
            Coding::Ucs2 => {
                let lead = bytes[offset];
                (utf8_length(lead), 1 + usize::from(lead >= 0xf0))
            }
            _ => {
                let c = text[offset..].chars().next().unwrap_or_default();
                (c.len_utf8(), coding.units(c))
            }
        };
        if used + cost > per_part && used > 0 {
            let cut = match (policy, coding) {
                (SplitPolicy::CodeUnits, _) => offset,
                (SplitPolicy::Graphemes, Coding::Default) => crlf_cut(text, start, offset),
                (SplitPolicy::Graphemes, _) => grapheme_cut(text, start, offset),
            };
            let carried = if cut == offset {
                0
            } else {
                coding.units_of(&text[cut..offset])
            };
            part(start..cut, used - carried);
            start = cut;
            used = carried;
        }
        used += cost;
        offset += length;
    }
    part(start..text.len(), used);
}

/// Below this much room, characters are taken one by one.
const SKIP_AT_LEAST: usize = 8;

/// The longest run of whole characters from `offset` whose units are sure to fit in `room`, and
/// those units; `None` when the coding is read by characters. In UCS-2 every unit takes at least
/// one byte (a 4-byte character is 2 units), so `room` bytes never hold more than `room` units; in
/// ASCII GSM-7 a character is at most 2 septets, so `room / 2` bytes always fit, and `room` bytes
/// when none of them is an extension character (and in `plain` text, where none is, without
/// looking).
fn run_that_fits(
    bytes: &[u8],
    offset: usize,
    room: usize,
    coding: Coding,
    ascii: bool,
    plain: bool,
) -> Option<(usize, usize)> {
    let end = (offset + room).min(bytes.len());
    if plain {
        return Some((end - offset, end - offset));
    }
    if ascii {
        let septets = gsm7::ascii_septets(&bytes[offset..end])?;
        if septets <= room {
            return Some((end - offset, septets));
        }
        let end = offset + room / 2;
        return Some((room / 2, gsm7::ascii_septets(&bytes[offset..end])?));
    }
    if !matches!(coding, Coding::Ucs2) {
        return None;
    }
    // Back to the start of the character the window would cut.
    let mut end = end;
    while end > offset && end < bytes.len() && is_continuation(bytes[end]) {
        end -= 1;
    }
    (end > offset).then(|| (end - offset, utf16_units(&bytes[offset..end])))
}

/// UTF-16 code units of whole UTF-8 characters: one per character, two for those outside the BMP
/// (4-byte sequences). Counted in blocks with byte-wide sums, which the compiler vectorises.
fn utf16_units(bytes: &[u8]) -> usize {
    const BLOCK: usize = 64;
    let units = |block: &[u8]| -> u8 {
        // At most 64 starts and 16 four-byte leads in a block: the sum fits a byte.
        block.iter().fold(0u8, |sum, &b| {
            sum + u8::from(!is_continuation(b)) + u8::from(b >= 0xf0)
        })
    };
    let mut blocks = bytes.chunks_exact(BLOCK);
    let mut total = 0;
    for block in &mut blocks {
        total += usize::from(units(block));
    }
    total + usize::from(units(blocks.remainder()))
}

/// Bytes of the UTF-8 character that starts with `lead`.
#[inline]
fn utf8_length(lead: u8) -> usize {
    match lead {
        0..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

/// Whether `byte` continues a UTF-8 sequence (is not the start of a character).
#[inline]
fn is_continuation(byte: u8) -> bool {
    byte & 0xc0 == 0x80
}

/// In GSM-7 text, the grapheme boundary at or before byte `offset`: `offset`, or the CR before it
/// when it falls between CR and LF (and that CR is after `start`).
fn crlf_cut(text: &str, start: usize, offset: usize) -> usize {
    let bytes = text.as_bytes();
    if offset > start + 1 && bytes[offset - 1] == b'\r' && bytes.get(offset) == Some(&b'\n') {
        offset - 1
    } else {
        offset
    }
}

/// The grapheme cluster boundary at or before byte `offset`, if it is after `start`; else `offset`.
fn grapheme_cut(text: &str, start: usize, offset: usize) -> usize {
    let bytes = text.as_bytes();
    // Between two ASCII characters there is a boundary, but inside CR LF (UAX #29 GB3-GB9c).
    if let (Some(&before), Some(&after)) = (bytes.get(offset.wrapping_sub(1)), bytes.get(offset))
        && before.is_ascii()
        && after.is_ascii()
        && !(before == b'\r' && after == b'\n')
    {
        return offset;
    }
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
    fn utf16_units_match_the_standard_library() {
        let pieces = ["a", "ক্ষ", "😀", "é", "👨\u{200d}👩", "\r\n", "中"];
        for n in 0..300 {
            let text: String = (0..n).map(|i| pieces[(i * 7 + n) % pieces.len()]).collect();
            assert_eq!(
                utf16_units(text.as_bytes()),
                text.encode_utf16().count(),
                "{n}"
            );
        }
    }

    #[test]
    fn a_cut_never_falls_inside_crlf() {
        let text = format!("{}\r\n{}", "a".repeat(152), "b".repeat(10));
        let m = measure(&text, &Options::default());
        let parts: Vec<&str> = m.parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(parts, [&text[..152], &text[152..]]);
        assert_eq!(count(&text, &Options::default()).segments, 2);
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
