//! The Tera environment: loading templates, registering filters and functions, rendering views.
//!
//! Built-in templates (compiled in from `templates/`) are loaded first; files in `--templates DIR`
//! override them file by file (same relative path) or add new ones. Functions and filters are
//! registered before any template is added (Tera 2 checks names when it parses), each holding the
//! locale it formats for:
//!
//! - `t(key="stories", count=3)`: the locale's Fluent message `key`, other arguments passed through;
//! - `value | digits`: ASCII digits in the locale's digits (`13:47` -> `১৩:৪৭` in bn);
//! - `value | number`: an integer with the locale's grouping and digits;
//! - `iso | localdate(tz="Europe/London", style="time")`: an RFC 3339 time in a zone (default: its own
//!   offset), as `date` (`Apr 23`), `full` (`Apr 23, 2025`), `time` (`08:47`) or `datetime`;
//! - `plural(count=3)`: the locale's CLDR plural category (`one`, `few`, `many`, `other`...);
//! - `text | sms_truncate(max=60)`: at most `max` characters, cut at a clause or word boundary with an
//!   ellipsis that keeps the text's SMS encoding (`...` in GSM-7, `…` otherwise).
//!
//! Article text only ever enters as data in the view, never as template source. Templates whose
//! name ends in `.html.tera` (or `.html`) are HTML-escaped. Example:
//! `Renderer::new(locale, None)?.render("sms/alert.txt.tera", &view)`.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use tera::{Context, Kwargs, State, Tera, TeraResult};

use chrono::{DateTime, Utc};

use crate::dateline::Zone;
use crate::error::{Error, Result};
use crate::locale::{Locale, MessageArg};
use crate::{sms, summarize};

/// Template suffixes that are HTML-escaped.
const ESCAPED_SUFFIXES: &[&str] = &[".html.tera", ".htm.tera", ".xml.tera", ".html", ".htm"];

/// Templates ready to render for one locale.
pub struct Renderer {
    tera: Tera,
    locale: Arc<Locale>,
}

impl Renderer {
    /// Loads the built-in templates, then those in `user_dir` (which win), for `locale`.
    pub fn new(locale: Arc<Locale>, user_dir: Option<&Path>) -> Result<Renderer> {
        let mut tera = Tera::new();
        tera.autoescape_on(ESCAPED_SUFFIXES.iter().copied());
        register(&mut tera, &locale);
        let mut templates: Vec<(String, String)> = crate::assets::templates()
            .into_iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        if let Some(dir) = user_dir {
            for (name, text) in read_user_templates(dir)? {
                match templates.iter_mut().find(|(n, _)| *n == name) {
                    Some(slot) => slot.1 = text,
                    None => templates.push((name, text)),
                }
            }
        }
        tera.add_raw_templates(templates)
            .map_err(|e| template_error(&e, None))?;
        Ok(Renderer { tera, locale })
    }

    /// The locale this renderer formats for.
    pub fn locale(&self) -> &Locale {
        &self.locale
    }

    /// Renders template `name` with `view` as its context.
    pub fn render(&self, name: &str, view: &impl Serialize) -> Result<String> {
        if !self.tera.contains_template(name) {
            return Err(Error::Template {
                name: name.to_string(),
                line: None,
                locale: Some(self.locale.tag.clone()),
                message: "no such template".into(),
            });
        }
        let context = Context::from_serialize(view).map_err(|e| Error::Template {
            name: name.to_string(),
            line: None,
            locale: Some(self.locale.tag.clone()),
            message: format!("cannot build the template context: {e}"),
        })?;
        self.tera
            .render(name, &context)
            .map_err(|e| template_error(&e, Some(&self.locale.tag)))
    }
}

/// Registers every function and filter, each holding the locale.
fn register(tera: &mut Tera, locale: &Arc<Locale>) {
    let messages = Arc::clone(locale);
    tera.register_function(
        "t",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let key: &str = kwargs.must_get("key")?;
            let mut args = Vec::new();
            for (name, value) in kwargs.iter() {
                let name = name.to_string();
                if name == "key" {
                    continue;
                }
                let arg = if let Some(n) = value.as_f64() {
                    MessageArg::Number(n)
                } else if let Some(s) = value.as_str() {
                    MessageArg::Text(s.to_string())
                } else {
                    MessageArg::Text(value.to_string())
                };
                args.push((name, arg));
            }
            let args: Vec<(&str, MessageArg)> = args
                .iter()
                .map(|(name, arg)| (name.as_str(), arg.clone()))
                .collect();
            messages
                .message(key, &args)
                .map_err(|e| tera::Error::message(e.to_string()))
        },
    );
    let digits = Arc::clone(locale);
    tera.register_filter(
        "digits",
        move |value: &tera::Value, _: Kwargs, _: &State| -> String {
            match value.as_str() {
                Some(text) => digits.digits(text),
                None => digits.digits(&value.to_string()),
            }
        },
    );
    let numbers = Arc::clone(locale);
    tera.register_filter(
        "number",
        move |value: i64, _: Kwargs, _: &State| -> String { numbers.number(value) },
    );
    let dates = Arc::clone(locale);
    tera.register_filter(
        "localdate",
        move |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let tz: Option<&str> = kwargs.get("tz")?;
            let style: Option<&str> = kwargs.get("style")?;
            local_date(&dates, value, tz, style.unwrap_or("datetime"))
        },
    );
    let plurals = Arc::clone(locale);
    tera.register_function(
        "plural",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let count: f64 = kwargs.must_get("count")?;
            Ok(plurals.plural(count).to_string())
        },
    );
    tera.register_filter(
        "sms_truncate",
        |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let max: usize = kwargs.must_get("max")?;
            let ellipsis = if sms::is_gsm7(value) { "..." } else { "…" };
            Ok(summarize::shorten(value, max, ellipsis).unwrap_or_default())
        },
    );
}

/// `iso` (RFC 3339) in `tz` (or its own offset), formatted as `style`.
fn local_date(locale: &Locale, iso: &str, tz: Option<&str>, style: &str) -> TeraResult<String> {
    let time = DateTime::parse_from_rfc3339(iso)
        .map_err(|e| tera::Error::message(format!("localdate: {iso:?} is not RFC 3339: {e}")))?;
    let time = match tz {
        None => time,
        Some(name) => {
            let zone: Zone = name.parse().map_err(|e: crate::dateline::DatelineError| {
                tera::Error::message(format!("localdate: {e}"))
            })?;
            zone.local(time.with_timezone(&Utc))
        }
    };
    match style {
        "date" => Ok(locale.date(&time)),
        "full" => Ok(locale.full_date(&time)),
        "time" => Ok(locale.time(&time)),
        "datetime" => Ok(format!("{} {}", locale.date(&time), locale.time(&time))),
        other => Err(tera::Error::message(format!(
            "localdate: style {other:?} is not one of date, full, time, datetime"
        ))),
    }
}

/// Every file under `dir` as (path relative to `dir` with `/` separators, contents).
fn read_user_templates(dir: &Path) -> Result<Vec<(String, String)>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> Result<()> {
        let entries = fs::read_dir(dir).map_err(|e| Error::Config {
            path: dir.to_path_buf(),
            message: format!("cannot read the templates folder: {e}"),
        })?;
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            if path.is_dir() {
                walk(root, &path, out)?;
                continue;
            }
            let text = fs::read_to_string(&path).map_err(|e| Error::Config {
                path: path.clone(),
                message: format!("cannot read template: {e}"),
            })?;
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((name, text));
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    Ok(out)
}

/// A Tera error as ours, with the template's name and line when Tera knows them.
fn template_error(error: &tera::Error, locale: Option<&str>) -> Error {
    let (name, line, message) = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => (
            report.filename().to_string(),
            Some(report.span().start_line),
            report.message().to_string(),
        ),
        other => (String::from("?"), None, other.to_string()),
    };
    let mut message = message;
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    Error::Template {
        name,
        line,
        locale: locale.map(str::to_string),
        message: message.replace('\n', " "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renderer_with(template: &str) -> Renderer {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("probe.txt.tera"), template).unwrap();
        std::fs::write(dir.path().join("probe.html.tera"), template).unwrap();
        let locale = Arc::new(Locale::load("bn", None).unwrap());
        Renderer::new(locale, Some(dir.path())).unwrap()
    }

    #[derive(Serialize)]
    struct Probe {
        iso: &'static str,
        text: &'static str,
    }

    const PROBE: Probe = Probe {
        iso: "2025-04-23T07:47:00Z",
        text: "Rain <b>&</b> wind in Dhaka today",
    };

    #[test]
    fn helpers_format_for_the_locale() {
        let cases = [
            (
                r#"{{ iso | localdate(tz="Asia/Dhaka", style="time") }}"#,
                "১৩:৪৭",
            ),
            (
                r#"{{ iso | localdate(tz="Europe/London", style="time") }}"#,
                "০৮:৪৭",
            ),
            (r#"{{ "10:05" | digits }}"#, "১০:০৫"),
            ("{{ 12345 | number }}", "১২,৩৪৫"),
            ("{{ plural(count=0) }} {{ plural(count=5) }}", "one other"),
            (r#"{{ t(key="stories", count=3) }}"#, "৩টি সংবাদ"),
            ("{{ text | sms_truncate(max=12) }}", "Rain..."),
        ];
        for (template, expected) in cases {
            let rendered = renderer_with(template)
                .render("probe.txt.tera", &PROBE)
                .unwrap();
            assert_eq!(rendered, expected, "{template}");
        }
    }

    #[test]
    fn html_templates_escape_data() {
        let rendered = renderer_with("{{ text }}")
            .render("probe.html.tera", &PROBE)
            .unwrap();
        assert_eq!(
            rendered,
            "Rain &lt;b&gt;&amp;&lt;/b&gt; wind in Dhaka today"
        );
    }

    #[test]
    fn errors_name_template_line_and_locale() {
        let error = renderer_with("a\n{{ iso | localdate(style=\"weekly\") }}")
            .render("probe.txt.tera", &PROBE)
            .unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with("template probe.txt.tera:2: "),
            "{message}"
        );
        assert!(
            message.contains("weekly") && message.ends_with("(locale bn)"),
            "{message}"
        );
    }
}
