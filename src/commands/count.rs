//! `newsdigest count`: measure a text as an SMS.
//!
//! Reads the text from the argument or stdin (one trailing newline dropped), measures it with
//! [`newsdigest::sms::measure`] and prints encoding, units, segments and parts. Example:
//! `newsdigest count "Trump’s Ukraine envoy" --smart-encoding` reports GSM-7, 21 septets, 1 segment.

use std::hash::{DefaultHasher, Hash, Hasher};

use serde::Serialize;

use super::{Io, print};
use crate::cli::{CountArgs, Format};
use newsdigest::error::{Error, Result};
use newsdigest::sms::{self, Encoding, Finding, TablePair, pdu};

#[derive(Serialize)]
struct Counted<'a> {
    text: &'a str,
    encoding: Encoding,
    units: usize,
    segments: usize,
    /// National language tables, when the text is 7-bit thanks to them.
    #[serde(skip_serializing_if = "Option::is_none")]
    tables: Option<TablePair>,
    parts: Vec<PartOutput<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explain: Option<Vec<Finding>>,
}

#[derive(Serialize)]
struct PartOutput<'a> {
    units: usize,
    text: &'a str,
    /// User-data header, hex (empty for a single message; absent beyond 255 parts).
    #[serde(skip_serializing_if = "Option::is_none")]
    udh: Option<String>,
    /// Packed GSM-7 septets or UCS-2 big-endian octets, hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    payload: Option<String>,
}

pub fn run(args: CountArgs, io: &mut Io<'_>) -> Result<()> {
    let text = match args.text {
        Some(text) => text,
        None => read_stdin(io)?,
    };
    let options = super::sms_options(&args.sms, args.smart_encoding)?;
    let measurement = sms::measure(&text, &options);
    // A text of more than 255 parts cannot be sent as one message: no headers to show for it.
    let encoded = pdu::encode(
        &measurement,
        options.concat_ref,
        concat_reference(&measurement.text),
    )
    .ok();
    let findings = args
        .explain
        .then(|| sms::explain(&text, args.smart_encoding));
    match args.format {
        Format::Json => print(
            io,
            &super::to_json(&Counted {
                text: &measurement.text,
                encoding: measurement.encoding,
                units: measurement.units,
                segments: measurement.segments(),
                tables: measurement.tables,
                parts: measurement
                    .parts
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let encoded = encoded.as_ref().and_then(|e| e.get(i));
                        PartOutput {
                            units: p.units,
                            text: &p.text,
                            udh: encoded.map(|e| pdu::to_hex(&e.udh)),
                            payload: encoded.map(|e| pdu::to_hex(&e.payload)),
                        }
                    })
                    .collect(),
                explain: findings,
            }),
        ),
        Format::Text => {
            let parts: Vec<String> = measurement
                .parts
                .iter()
                .map(|p| p.units.to_string())
                .collect();
            let encoding = match measurement.encoding {
                Encoding::Gsm7 => "gsm7",
                Encoding::Ucs2 => "ucs2",
            };
            let mut text = format!(
                "encoding: {encoding}\nunits: {}\nsegments: {}\nparts: {}\n",
                measurement.units,
                measurement.segments(),
                parts.join(" ")
            );
            if let Some(pair) = measurement.tables {
                text.push_str(&format!(
                    "tables: locking {:?}, single shift {:?}\n",
                    pair.locking, pair.single
                ));
            }
            if measurement.danda_kept_ucs2 {
                text.push_str(&format!("note: {}\n", sms::DANDA_NOTE));
            }
            for finding in findings.iter().flatten() {
                text.push_str(&explain_line(finding));
            }
            print(io, &text)
        }
    }
}

/// The concatenation reference for a message: derived from its text, so the same text always
/// gets the same reference (a gateway that assigns its own can ignore it).
fn concat_reference(text: &str) -> u16 {
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish() as u16
}

/// One `--explain` line: position, code point, character, and what happened to it.
fn explain_line(finding: &Finding) -> String {
    match finding {
        Finding::ForcesUcs2 {
            position,
            character,
            code_point,
        } => format!("{position}: {code_point} {character:?} not in GSM-7: forces UCS-2\n"),
        Finding::Replaced {
            position,
            character,
            code_point,
            replacement,
            reason,
        } => format!(
            "{position}: {code_point} {character:?} replaced by {replacement:?} ({reason})\n"
        ),
        Finding::Kept {
            position,
            character,
            code_point,
            reason,
        } => format!(
            "{position}: {code_point} {character:?} kept ({reason}): the message stays UCS-2 anyway\n"
        ),
    }
}

fn read_stdin(io: &mut Io<'_>) -> Result<String> {
    let mut bytes = Vec::new();
    io.stdin
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Read {
            path: "<stdin>".into(),
            source,
        })?;
    let mut text = String::from_utf8(bytes).map_err(|e| Error::NotUtf8 {
        origin: "<stdin>".into(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    Ok(text)
}
