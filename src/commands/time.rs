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
    let resolved = dateline::parse(&args.text, &context)?;
    let output = TimeOutput {
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
