//! The logger: `tracing` events become lines on stderr, as text for people (`warning: ...`, the
//! form warnings have always had) or as one JSON object per line for journald and log collectors
//! (`--log-format json`).
//!
//! Reads each event's level, message and fields; writes one line per event, whole, while any
//! progress bar is hidden. Text: `info: planned bulletin=morning stories=3`. JSON:
//! `{"time":"2025-04-23T07:47:00.000Z","level":"info","message":"planned","bulletin":"morning",
//! "counts":{"stories":3}}`: text fields (bulletin, slot, target, path) are top-level keys,
//! numbers go under `counts`. A stderr that cannot be written never stops the work.

use std::fmt::{self, Write as _};
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

use super::Bars;
use crate::cli::LogFormat;

/// The filter: `-q` shows errors only, `-v` info, `-vv` debug, `-vvv` trace; without them
/// `env` (the first of `NEWSDIGEST_LOG`, `RUST_LOG` that is set: name and value), else warnings.
/// Returns the reason when `env` does not parse as a filter (warnings are used then).
pub fn filter(
    quiet: bool,
    verbose: u8,
    env: Option<(&str, String)>,
) -> (EnvFilter, Option<String>) {
    let level = match (quiet, verbose) {
        (true, _) => Some("error"),
        (false, 0) => None,
        (false, 1) => Some("info"),
        (false, 2) => Some("debug"),
        (false, _) => Some("trace"),
    };
    if let Some(level) = level {
        return (EnvFilter::new(level), None);
    }
    match env {
        Some((name, value)) => match EnvFilter::try_new(&value) {
            Ok(filter) => (filter, None),
            Err(error) => (
                EnvFilter::new("warn"),
                Some(format!(
                    "{name}={value:?} is not a log filter ({error}); showing warnings and errors"
                )),
            ),
        },
        None => (EnvFilter::new("warn"), None),
    }
}

/// Installs `filter` and a logger writing to `sink` as the process's subscriber.
pub fn install(filter: EnvFilter, sink: Sink) {
    let subscriber = tracing_subscriber::registry()
        .with(filter)
        .with(Logger { sink });
    // Only `main` installs one; a second call (never made) would keep the first.
    let _ = tracing::subscriber::set_global_default(subscriber);
}

/// Where and how lines are written.
#[derive(Clone)]
pub struct Sink {
    pub format: LogFormat,
    /// Colour the level word (text format only).
    pub color: bool,
    /// Hidden while a line is written, so a bar never cuts a line.
    pub bars: Bars,
}

impl Sink {
    /// Writes `line` to stderr in one write, best effort.
    pub fn write(&self, line: &Line) {
        let text = match self.format {
            LogFormat::Text => line.to_text(self.color),
            LogFormat::Json => line.to_json(&chrono::Utc::now()),
        };
        self.bars.suspend(|| {
            let mut stderr = io::stderr().lock();
            let _ = stderr
                .write_all(text.as_bytes())
                .and_then(|()| stderr.flush());
        });
    }
}

/// One event, ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub level: Level,
    pub message: String,
    /// In the order the event gave them.
    pub fields: Vec<(String, Value)>,
}

/// A field's value: numbers are counts.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Count(i64),
    Flag(bool),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Text(text) => f.write_str(text),
            Value::Count(n) => write!(f, "{n}"),
            Value::Flag(b) => write!(f, "{b}"),
        }
    }
}

impl Line {
    /// `warning: message key=value ...`, the level word coloured when `color`.
    pub fn to_text(&self, color: bool) -> String {
        let (word, style) = match self.level {
            Level::ERROR => ("error", AnsiColor::Red),
            Level::WARN => ("warning", AnsiColor::Yellow),
            Level::INFO => ("info", AnsiColor::Green),
            Level::DEBUG => ("debug", AnsiColor::Blue),
            Level::TRACE => ("trace", AnsiColor::Magenta),
        };
        let style = Style::new().bold().fg_color(Some(style.into()));
        let mut text = if color {
            format!("{}{word}:{} ", style.render(), style.render_reset())
        } else {
            format!("{word}: ")
        };
        text.push_str(&self.message);
        for (key, value) in &self.fields {
            // The final error's exit code is told by the exit status, not on its line.
            if key != "exit_code" {
                let _ = write!(text, " {key}={value}");
            }
        }
        text.push('\n');
        text
    }

    /// One JSON object and a newline, keys in this order: `time`, `level`, `message`, the text
    /// fields as the event gave them, then `counts`.
    pub fn to_json(&self, time: &chrono::DateTime<chrono::Utc>) -> String {
        let time = time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let mut pairs: Vec<(&str, serde_json::Value)> = vec![
            ("time", time.into()),
            ("level", self.level.as_str().to_lowercase().into()),
            ("message", self.message.clone().into()),
        ];
        let mut counts = serde_json::Map::new();
        for (key, value) in &self.fields {
            match value {
                Value::Text(text) => pairs.push((key, text.clone().into())),
                Value::Flag(flag) => pairs.push((key, (*flag).into())),
                Value::Count(n) if key == "exit_code" => pairs.push((key, (*n).into())),
                Value::Count(n) => {
                    counts.insert(key.clone(), (*n).into());
                }
            }
        }
        if !counts.is_empty() {
            pairs.push(("counts", counts.into()));
        }
        // Written by hand to keep the order (serde_json's maps sort their keys).
        let mut text = String::from("{");
        for (index, (key, value)) in pairs.iter().enumerate() {
            if index > 0 {
                text.push(',');
            }
            let key = serde_json::Value::from(*key);
            let _ = write!(text, "{key}:{value}");
        }
        text.push_str("}\n");
        text
    }
}

/// The layer that turns events into [`Line`]s.
struct Logger {
    sink: Sink,
}

impl<S: Subscriber> Layer<S> for Logger {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut line = Line {
            level: *event.metadata().level(),
            message: String::new(),
            fields: Vec::new(),
        };
        event.record(&mut line);
        self.sink.write(&line);
    }
}

impl Visit for Line {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.record(field, Value::Text(value.to_string()));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.record(field, Value::Count(value));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.record(
            field,
            Value::Count(i64::try_from(value).unwrap_or(i64::MAX)),
        );
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.record(field, Value::Flag(value));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        // `message` and `%display` fields arrive here, already formatted as the user reads them.
        self.record(field, Value::Text(format!("{value:?}")));
    }
}

impl Line {
    fn record(&mut self, field: &Field, value: Value) {
        match (field.name(), value) {
            ("message", value) => self.message = value.to_string(),
            (name, value) => self.fields.push((name.to_string(), value)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(level: Level, fields: &[(&str, Value)]) -> Line {
        Line {
            level,
            message: "planned".into(),
            fields: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        }
    }

    #[test]
    fn text_lines_keep_the_warning_form_and_append_fields() {
        assert_eq!(line(Level::WARN, &[]).to_text(false), "warning: planned\n");
        let info = line(
            Level::INFO,
            &[
                ("bulletin", Value::Text("morning".into())),
                ("stories", Value::Count(3)),
            ],
        );
        assert_eq!(
            info.to_text(false),
            "info: planned bulletin=morning stories=3\n"
        );
        let error = line(Level::ERROR, &[("exit_code", Value::Count(65))]);
        assert_eq!(error.to_text(false), "error: planned\n");
    }

    #[test]
    fn colour_is_only_an_escape_around_the_level_word() {
        let text = line(Level::WARN, &[]).to_text(true);
        assert!(text.starts_with("\u{1b}["), "{text:?}");
        assert!(text.ends_with("warning:\u{1b}[0m planned\n"), "{text:?}");
    }

    #[test]
    fn json_lines_put_text_fields_on_top_and_numbers_under_counts() {
        let time = chrono::DateTime::parse_from_rfc3339("2025-04-23T07:47:00Z")
            .unwrap()
            .to_utc();
        let json = line(
            Level::INFO,
            &[
                ("bulletin", Value::Text("morning".into())),
                ("slot", Value::Text("2025-04-23T07:00:00Z".into())),
                ("stories", Value::Count(3)),
                ("messages", Value::Count(10)),
            ],
        )
        .to_json(&time);
        assert!(json.ends_with("}\n") && json.matches('\n').count() == 1);
        assert!(
            json.starts_with(r#"{"time":"2025-04-23T07:47:00.000Z","level":"info","#),
            "{json}"
        );
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            value,
            serde_json::json!({
                "time": "2025-04-23T07:47:00.000Z",
                "level": "info",
                "message": "planned",
                "bulletin": "morning",
                "slot": "2025-04-23T07:00:00Z",
                "counts": {"stories": 3, "messages": 10},
            })
        );
    }

    #[test]
    fn flags_beat_the_environment_and_a_bad_filter_is_reported() {
        let env = || Some(("NEWSDIGEST_LOG", "debug".to_string()));
        assert_eq!(filter(true, 0, env()).0.to_string(), "error");
        assert_eq!(filter(false, 1, env()).0.to_string(), "info");
        assert_eq!(filter(false, 2, None).0.to_string(), "debug");
        assert_eq!(filter(false, 0, env()).0.to_string(), "debug");
        assert_eq!(filter(false, 0, None).0.to_string(), "warn");
        let (bad, problem) = filter(false, 0, Some(("RUST_LOG", "[[".to_string())));
        assert_eq!(bad.to_string(), "warn");
        assert!(
            problem
                .unwrap()
                .starts_with("RUST_LOG=\"[[\" is not a log filter")
        );
    }
}
