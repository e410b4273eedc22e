//! `newsdigest count`: measure a text as an SMS.
//!
//! Reads the text from the argument or stdin (one trailing newline dropped), measures it with
//! [`newsdigest::sms::measure`] and prints encoding, units, segments and parts. Example:
//! `newsdigest count "Trump’s Ukraine envoy" --smart-encoding` reports GSM-7, 21 septets, 1 segment.

use serde::Serialize;

use super::Io;
use crate::cli::{CountArgs, Format};
use crate::output::{self, print};
use crate::settings::sms_options;
use newsdigest::error::{Error, Result};
use newsdigest::sms::report::Report;
use newsdigest::sms::{self, Finding};

/// The JSON output: the shared SMS report, plus `--explain`'s findings.
#[derive(Serialize)]
struct Counted {
    #[serde(flatten)]
    report: Report,
    #[serde(skip_serializing_if = "Option::is_none")]
    explain: Option<Vec<Finding>>,
}

pub fn run(args: CountArgs, io: &mut Io<'_>) -> Result<()> {
    let text = match args.text {
        Some(text) => text,
        None => read_stdin(io)?,
    };
    let options = sms_options(&args.sms, args.smart_encoding);
    let measurement = sms::measure(&text, &options);
    let findings = args
        .explain
        .then(|| sms::explain(&text, args.smart_encoding));
    match args.format {
        Format::Json => print(
            io,
            &output::to_json(&Counted {
                report: Report::new(&measurement, options.concat_ref),
                explain: findings,
            }),
        ),
        Format::Text => {
            let parts: Vec<String> = measurement
                .parts
                .iter()
                .map(|p| p.units.to_string())
                .collect();
            let encoding = measurement.encoding.as_str();
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
