//! `newsdigest time`: read one dateline and show the instant in other zones.
//!
//! Prints the UTC instant, the local time as written with its zone, the instant in each `--tz`
//! zone, and the reason for every uncertain decision. Example:
//! `newsdigest time "BDST: 1347 HRS, APR 23, 2025" --tz Europe/London` shows 08:47 BST.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use super::Io;
use crate::cli::{Format, TimeArgs};
use crate::output::{self, print};
use crate::settings::ensure_folder;
use newsdigest::compose::view::TimeView;
use newsdigest::dateline;
use newsdigest::error::Result;
use newsdigest::locale::Locale;

#[derive(Serialize)]
struct TimeOutput {
    #[serde(skip_serializing_if = "Option::is_none")]
    tokens: Option<Vec<dateline::Reading>>,
    input: String,
    utc: String,
    local: String,
    zone: String,
    converted: Vec<Converted>,
    notes: Vec<String>,
}

#[derive(Serialize)]
struct Converted {
    zone: String,
    time: String,
}

pub fn run(args: TimeArgs, io: &mut Io<'_>, clock: DateTime<Utc>) -> Result<()> {
    ensure_folder("locales", args.locales.as_deref())?;
    let context = dateline::Context {
        country: args.country.clone(),
        home: None,
        now: args.now.unwrap_or(clock),
    };
    let zones = &args.zones;
    let explanation = dateline::explain(&args.text, &context);
    let resolved = match explanation.result {
        Ok(resolved) => resolved,
        Err(error) if args.explain => {
            print_readings(io, &explanation.readings, args.format)?;
            return Err(error.into());
        }
        Err(error) => return Err(error.into()),
    };
    let output = TimeOutput {
        tokens: args.explain.then(|| explanation.readings.clone()),
        input: resolved.input.clone(),
        utc: resolved.utc.to_rfc3339_opts(SecondsFormat::Secs, true),
        local: resolved.local.to_rfc3339(),
        zone: resolved.zone.to_string(),
        converted: zones
            .iter()
            .map(|zone| Converted {
                zone: zone.to_string(),
                time: zone.local(resolved.utc).to_rfc3339(),
            })
            .collect(),
        notes: resolved.notes.clone(),
    };
    match args.format {
        Format::Json => print(io, &output::to_json(&output)),
        Format::Text => {
            if args.explain {
                print_readings(io, &explanation.readings, Format::Text)?;
            }
            let mut text = format!(
                "utc:   {}\nlocal: {} ({})\n",
                output.utc, output.local, output.zone
            );
            match &args.locale {
                None => {
                    for converted in &output.converted {
                        text.push_str(&format!("{}: {}\n", converted.zone, converted.time));
                    }
                }
                Some(tag) => {
                    let locale = Locale::load(tag, args.locales.as_deref())?;
                    let shown = if zones.is_empty() {
                        vec![resolved.zone]
                    } else {
                        zones.clone()
                    };
                    for zone in shown {
                        let view = TimeView::new(resolved.utc, zone, &locale);
                        let date = locale.full_date(&zone.local(resolved.utc));
                        text.push_str(&format!(
                            "{}: {date} {} {}\n",
                            view.zone, view.time, view.label
                        ));
                    }
                }
            }
            for note in &output.notes {
                text.push_str(&format!("note: {note}\n"));
            }
            print(io, &text)
        }
    }
}

/// The readings of `time --explain`: a table of token, reading and rule, or JSON.
fn print_readings(io: &mut Io<'_>, readings: &[dateline::Reading], format: Format) -> Result<()> {
    if format == Format::Json {
        #[derive(Serialize)]
        struct Tokens<'a> {
            tokens: &'a [dateline::Reading],
        }
        return print(io, &output::to_json(&Tokens { tokens: readings }));
    }
    let width = readings
        .iter()
        .map(|r| unicode_width::UnicodeWidthStr::width(r.token.as_str()))
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for reading in readings {
        let pad = width - unicode_width::UnicodeWidthStr::width(reading.token.as_str());
        text.push_str(&format!(
            "{}{}  {}: {}\n",
            reading.token,
            " ".repeat(pad),
            reading.read_as,
            reading.rule
        ));
    }
    text.push('\n');
    print(io, &text)
}
