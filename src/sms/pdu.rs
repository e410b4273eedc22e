//! Gateway-ready parts: the user-data header and the encoded payload of each part (3GPP TS 23.040).
//!
//! Reads a [`Measurement`]; writes, per part, the UDH (concatenation IE 0x00 with an 8-bit or IE
//! 0x08 with a 16-bit reference; none for a single message; then the national language single
//! shift IE 0x24 and locking shift IE 0x25 when tables are used) and the payload: septets packed
//! into octets after the fill bits that align them to a septet boundary behind the UDH
//! (9.2.3.24), or UCS-2 big-endian. [`decode_part`] reverses it, so a test can show the bytes mean
//! the text. `hellohello` alone (no UDH) packs to `E8329BFD4697D9EC37`:
//!
//! ```
//! use newsdigest::sms::{measure, pdu, ConcatRef, Options};
//! let message = measure("hellohello", &Options::default());
//! let parts = pdu::encode(&message, ConcatRef::Eight, 0).unwrap();
//! assert!(parts[0].udh.is_empty());
//! assert_eq!(pdu::to_hex(&parts[0].payload), "E8329BFD4697D9EC37");
//! ```

use std::fmt::Write as _;

use super::national::{Language, Tables};
use super::{ConcatRef, Encoding, Measurement, TablePair, gsm7};

/// The default alphabet and its extension table.
const DEFAULT_PAIR: TablePair = TablePair {
    locking: Language::Default,
    single: Language::Default,
};

/// A part as an SMPP stack or a modem takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedPart {
    /// User-data header including its length octet (UDHL); empty for a single message.
    pub udh: Vec<u8>,
    /// Packed septets (with leading fill bits) or UCS-2 big-endian octets.
    pub payload: Vec<u8>,
    /// Septets (GSM-7) or UTF-16 units (UCS-2) of text in this part.
    pub units: usize,
}

/// Something that cannot be encoded or decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PduError {
    #[error("character {0:?} is not in the GSM 7-bit alphabet")]
    NotGsm(char),
    #[error("a message cannot have more than 255 parts ({0})")]
    TooManyParts(usize),
    #[error("the user-data header is malformed")]
    BadHeader,
    #[error("the payload is shorter than {0} septets")]
    ShortPayload(usize),
    #[error("the UCS-2 payload has an odd number of octets or an unpaired surrogate")]
    BadUcs2,
    #[error("septet {0:#04x} after an escape is not in the extension table")]
    BadExtension(u8),
    #[error("{0:?} is not hexadecimal")]
    NotHex(String),
    #[error("national language tables: {0}")]
    Tables(String),
    #[error("septet {0:#04x} is not in the national table in use")]
    NotInTable(u8),
}

/// Encodes every part of `measurement`; `reference` identifies the message across its parts.
pub fn encode(
    measurement: &Measurement,
    concat_ref: ConcatRef,
    reference: u16,
) -> Result<Vec<EncodedPart>, PduError> {
    let total = measurement.parts.len();
    if total > 255 {
        return Err(PduError::TooManyParts(total));
    }
    // The national tables are loaded only for a message that uses them.
    let tables = match measurement.tables {
        Some(_) => Some(Tables::get().map_err(PduError::Tables)?),
        None => None,
    };
    let pair = measurement.tables.unwrap_or(DEFAULT_PAIR);
    measurement
        .parts
        .iter()
        .enumerate()
        .map(|(index, part)| {
            let concat = (total > 1).then(|| (concat_ref, reference, total as u8, index as u8 + 1));
            let udh = header(concat, measurement.tables);
            let payload = match measurement.encoding {
                Encoding::Ucs2 => part
                    .text
                    .encode_utf16()
                    .flat_map(u16::to_be_bytes)
                    .collect(),
                Encoding::Gsm7 => {
                    let septets = match tables {
                        Some(tables) => table_septets(tables, &part.text, pair)?,
                        None => default_septets(&part.text)?,
                    };
                    pack_septets(&septets, fill_bits(udh.len()))
                }
            };
            Ok(EncodedPart {
                udh,
                payload,
                units: part.units,
            })
        })
        .collect()
}

/// The UDH with its length octet: the concatenation IE (0x00 with an 8-bit reference, 0x08 with
/// a 16-bit one) and the national single-shift (0x24) and locking-shift (0x25) IEs; empty when
/// there is no IE to send.
fn header(concat: Option<(ConcatRef, u16, u8, u8)>, tables: Option<TablePair>) -> Vec<u8> {
    let mut ies = Vec::new();
    match concat {
        Some((ConcatRef::Eight, reference, total, sequence)) => {
            ies.extend([0x00, 0x03, reference as u8, total, sequence]);
        }
        Some((ConcatRef::Sixteen, reference, total, sequence)) => {
            let [high, low] = reference.to_be_bytes();
            ies.extend([0x08, 0x04, high, low, total, sequence]);
        }
        None => {}
    }
    if let Some(pair) = tables {
        if pair.single != Language::Default {
            ies.extend([0x24, 0x01, pair.single.id()]);
        }
        if pair.locking != Language::Default {
            ies.extend([0x25, 0x01, pair.locking.id()]);
        }
    }
    if ies.is_empty() {
        return ies;
    }
    let mut udh = vec![ies.len() as u8];
    udh.extend(ies);
    udh
}

/// The septets of `text` with a pair of tables, single-shift characters as escape + code.
fn table_septets(tables: &Tables, text: &str, pair: TablePair) -> Result<Vec<u8>, PduError> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let (escape, code) = tables
            .encode_char(c, pair.locking, pair.single)
            .ok_or(PduError::NotGsm(c))?;
        out.extend(escape);
        out.push(code);
    }
    Ok(out)
}

/// The septets of `text` in the default alphabet and its extension table (escape + code).
fn default_septets(text: &str) -> Result<Vec<u8>, PduError> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let (escape, code) = gsm7::encode_char(c).ok_or(PduError::NotGsm(c))?;
        out.extend(escape);
        out.push(code);
    }
    Ok(out)
}

/// The national tables a received UDH names (the default for those it does not name).
fn tables_in(udh: &[u8]) -> Result<TablePair, PduError> {
    let mut pair = DEFAULT_PAIR;
    let mut ies = udh.get(1..).unwrap_or_default();
    while let [iei, length, rest @ ..] = ies {
        let length = usize::from(*length);
        let data = rest.get(..length).ok_or(PduError::BadHeader)?;
        match (iei, data) {
            (0x24, [id]) => pair.single = Language::from_id(*id).ok_or(PduError::BadHeader)?,
            (0x25, [id]) => pair.locking = Language::from_id(*id).ok_or(PduError::BadHeader)?,
            _ => {}
        }
        ies = &rest[length..];
    }
    if !ies.is_empty() {
        return Err(PduError::BadHeader);
    }
    Ok(pair)
}

/// Fill bits after a UDH of `udh_octets` so that the first septet starts on a septet boundary.
fn fill_bits(udh_octets: usize) -> usize {
    (7 - (udh_octets * 8) % 7) % 7
}

/// The septets of GSM-7 `text` in the default alphabet, extension characters as escape + code.
pub fn septets(text: &str) -> Result<Vec<u8>, PduError> {
    default_septets(text)
}

/// Packs septets LSB first into octets, after `fill` zero bits.
pub fn pack_septets(septets: &[u8], fill: usize) -> Vec<u8> {
    let bits = fill + septets.len() * 7;
    let mut out = vec![0u8; bits.div_ceil(8)];
    for (index, &septet) in septets.iter().enumerate() {
        let position = fill + index * 7;
        let (byte, shift) = (position / 8, position % 8);
        let value = u16::from(septet & 0x7f) << shift;
        out[byte] |= value as u8;
        if shift > 1 {
            out[byte + 1] |= (value >> 8) as u8;
        }
    }
    out
}

/// Unpacks `count` septets from `payload` after `fill` bits.
pub fn unpack_septets(payload: &[u8], fill: usize, count: usize) -> Result<Vec<u8>, PduError> {
    if payload.len() * 8 < fill + count * 7 {
        return Err(PduError::ShortPayload(count));
    }
    Ok((0..count)
        .map(|index| {
            let position = fill + index * 7;
            let (byte, shift) = (position / 8, position % 8);
            let low = u16::from(payload[byte]);
            let high = payload.get(byte + 1).copied().map_or(0, u16::from);
            (((high << 8 | low) >> shift) & 0x7f) as u8
        })
        .collect())
}

/// The text of one part, from its UDH (possibly empty), payload and length in septets or units.
pub fn decode_part(
    udh: &[u8],
    payload: &[u8],
    encoding: Encoding,
    units: usize,
) -> Result<String, PduError> {
    if !udh.is_empty() && usize::from(udh[0]) + 1 != udh.len() {
        return Err(PduError::BadHeader);
    }
    match encoding {
        Encoding::Gsm7 => {
            let pair = tables_in(udh)?;
            let tables = Tables::get().map_err(PduError::Tables)?;
            let septets = unpack_septets(payload, fill_bits(udh.len()), units)?;
            let mut text = String::with_capacity(units);
            let mut escaped = false;
            for septet in septets {
                if septet == gsm7::ESCAPE && !escaped {
                    escaped = true;
                    continue;
                }
                let c = tables
                    .decode(septet, escaped, pair.locking, pair.single)
                    .ok_or(match escaped {
                        true => PduError::BadExtension(septet),
                        false => PduError::NotInTable(septet),
                    })?;
                text.push(c);
                escaped = false;
            }
            Ok(text)
        }
        Encoding::Ucs2 => {
            if !payload.len().is_multiple_of(2) {
                return Err(PduError::BadUcs2);
            }
            let units: Vec<u16> = payload
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                .collect();
            String::from_utf16(&units).map_err(|_| PduError::BadUcs2)
        }
    }
}

/// Upper-case hexadecimal.
pub fn to_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02X}");
    }
    out
}

/// Bytes from hexadecimal (either case).
pub fn from_hex(text: &str) -> Result<Vec<u8>, PduError> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return Err(PduError::NotHex(text.chars().take(20).collect()));
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            u8::from_str_radix(&text[i..i + 2], 16)
                .map_err(|_| PduError::NotHex(text.chars().take(20).collect()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sms::{Options, measure};

    #[test]
    fn encodes_characters() {
        assert_eq!(septets("@").unwrap(), vec![0x00]);
        assert_eq!(septets("€").unwrap(), vec![gsm7::ESCAPE, 0x65]);
        assert_eq!(septets("à").unwrap(), vec![0x7F]);
        assert_eq!(septets("`"), Err(PduError::NotGsm('`')));
    }

    #[test]
    fn packs_the_classic_example() {
        // 3GPP TS 23.038 / the well-known SMS-SUBMIT example: "hellohello" -> E8 32 9B FD 46 97 D9 EC 37.
        let packed = pack_septets(&septets("hellohello").unwrap(), 0);
        assert_eq!(to_hex(&packed), "E8329BFD4697D9EC37");
        assert_eq!(
            decode_part(&[], &packed, Encoding::Gsm7, 10).unwrap(),
            "hellohello"
        );
    }

    #[test]
    fn concatenated_parts_have_headers_and_fill_bits() {
        let text = "Dhaka rain alert. ".repeat(10);
        let m = measure(&text, &Options::default());
        let parts = encode(&m, ConcatRef::Eight, 0xCC).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(to_hex(&parts[0].udh), "050003CC0201");
        assert_eq!(to_hex(&parts[1].udh), "050003CC0202");
        // A 6-octet UDH is 48 bits: one fill bit brings the text to the 49th bit, septet 7.
        assert_eq!(fill_bits(6), 1);
        // 'D' = 0x44 shifted left by the fill bit: first payload octet 0x88.
        assert_eq!(parts[0].payload[0], 0x88);
        let joined: String = parts
            .iter()
            .map(|p| decode_part(&p.udh, &p.payload, Encoding::Gsm7, p.units).unwrap())
            .collect();
        assert_eq!(joined, text);
        let sixteen = encode(&m, ConcatRef::Sixteen, 0x1234).unwrap();
        assert_eq!(to_hex(&sixteen[0].udh), "06080412340201");
        assert_eq!(fill_bits(7), 0);
    }

    #[test]
    fn extension_and_ucs2_round_trip() {
        for text in ["€ [x] {y} ~ | ^ \\", "ঢাকায় আজ বৃষ্টি 😀", ""]
        {
            let m = measure(text, &Options::default());
            let parts = encode(&m, ConcatRef::Eight, 1).unwrap();
            let decoded: String = parts
                .iter()
                .map(|p| decode_part(&p.udh, &p.payload, m.encoding, p.units).unwrap())
                .collect();
            assert_eq!(decoded, text);
        }
        assert_eq!(
            to_hex(
                &encode(&measure("ক", &Options::default()), ConcatRef::Eight, 1).unwrap()[0]
                    .payload
            ),
            "0995"
        );
    }

    #[test]
    fn national_tables_round_trip_with_their_headers() {
        let options = Options {
            national: crate::sms::NationalTables::of(&[Language::Bengali]),
            ..Options::default()
        };
        let text = "ঢাকায় আজ বৃষ্টি হতে পারে, সতর্ক থাকুন ".repeat(5);
        let m = measure(&text, &options);
        assert_eq!(m.encoding, Encoding::Gsm7);
        assert_eq!(m.tables.unwrap().locking, Language::Bengali);
        let parts = encode(&m, ConcatRef::Eight, 7).unwrap();
        assert!(parts.len() > 1);
        // UDHL 8: concatenation IE (5 octets) and the locking shift IE 25 01 04.
        assert_eq!(to_hex(&parts[0].udh[..1]), "08");
        assert_eq!(to_hex(&parts[0].udh[6..]), "250104");
        let decoded: String = parts
            .iter()
            .map(|p| decode_part(&p.udh, &p.payload, Encoding::Gsm7, p.units).unwrap())
            .collect();
        assert_eq!(decoded, text);
        assert!(parts.iter().all(|p| p.units <= 149));
    }

    #[test]
    fn hostile_input_is_an_error_not_a_panic() {
        assert_eq!(
            decode_part(&[3, 0x25, 0x01, 0x63], &[0], Encoding::Gsm7, 1),
            Err(PduError::BadHeader)
        );
        assert_eq!(
            decode_part(&[2, 0x25, 0x05], &[0], Encoding::Gsm7, 1),
            Err(PduError::BadHeader)
        );
        assert_eq!(
            decode_part(&[9, 0], &[], Encoding::Gsm7, 0),
            Err(PduError::BadHeader)
        );
        assert_eq!(
            decode_part(&[], &[0x41], Encoding::Gsm7, 5),
            Err(PduError::ShortPayload(5))
        );
        assert_eq!(
            decode_part(&[], &[0xD8, 0x00], Encoding::Ucs2, 1),
            Err(PduError::BadUcs2)
        );
        assert_eq!(
            decode_part(&[], &[0x1B, 0x00], Encoding::Gsm7, 2),
            Err(PduError::BadExtension(0))
        );
        assert!(from_hex("zz").is_err());
        assert!(from_hex("ঢা").is_err());
        assert_eq!(from_hex("0aFF").unwrap(), vec![0x0A, 0xFF]);
    }
}
