//! One JSON shape for a measured SMS, the same in `digest`, `preview` and `count`.
//!
//! Reads a [`Measurement`] and the concatenation-reference size; writes a serialisable [`Report`]:
//! text, encoding, units, segments, national tables, and per part its units, text, user-data
//! header and encoded payload (hex), ready for an SMPP stack or a modem. The concatenation
//! reference is derived from the text with a fixed hash, so the same text always gets the same
//! headers.
//!
//! ```
//! use newsdigest::sms::{self, report::Report, ConcatRef, Options};
//! let report = Report::new(&sms::measure("Dhaka rain alert.", &Options::default()), ConcatRef::Eight);
//! assert_eq!((report.units, report.segments, report.parts[0].udh.as_deref()), (17, 1, Some("")));
//! ```

use serde::Serialize;

use super::{ConcatRef, Encoding, Measurement, TablePair, pdu};
use crate::fingerprint;

/// A measured SMS as every command reports it.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub text: String,
    pub encoding: Encoding,
    pub units: usize,
    pub segments: usize,
    /// National language tables, when the text is 7-bit thanks to them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tables: Option<TablePair>,
    pub parts: Vec<PartReport>,
}

/// One part of a [`Report`].
#[derive(Debug, Clone, Serialize)]
pub struct PartReport {
    pub units: usize,
    pub text: String,
    /// User-data header, hex (empty for a single message; absent beyond 255 parts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub udh: Option<String>,
    /// Packed GSM-7 septets or UCS-2 big-endian octets, hex (absent beyond 255 parts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
}

impl Report {
    /// The report of `measurement`, its parts encoded with a `concat_ref` header.
    pub fn new(measurement: &Measurement, concat_ref: ConcatRef) -> Report {
        // More than 255 parts cannot be sent as one message: no headers to show for it.
        let encoded =
            pdu::encode(measurement, concat_ref, concat_reference(&measurement.text)).ok();
        let parts = measurement
            .parts
            .iter()
            .enumerate()
            .map(|(i, part)| {
                let encoded = encoded.as_ref().and_then(|e| e.get(i));
                PartReport {
                    units: part.units,
                    text: part.text.clone(),
                    udh: encoded.map(|e| pdu::to_hex(&e.udh)),
                    payload: encoded.map(|e| pdu::to_hex(&e.payload)),
                }
            })
            .collect();
        Report {
            text: measurement.text.clone(),
            encoding: measurement.encoding,
            units: measurement.units,
            segments: measurement.segments(),
            tables: measurement.tables,
            parts,
        }
    }
}

/// The concatenation reference for a message: derived from its text with XXH3 (the low 16 bits),
/// so the same text gets the same reference on every build (a gateway may assign its own).
pub fn concat_reference(text: &str) -> u16 {
    (fingerprint::of(text.as_bytes()) & 0xFFFF) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_is_pinned() {
        // Must never change between builds: a resent part must carry the same reference.
        assert_eq!(concat_reference(""), 0x94c2);
        assert_eq!(
            concat_reference("Dhaka rain alert."),
            concat_reference("Dhaka rain alert.")
        );
    }
}
