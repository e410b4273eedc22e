//! The Tera environment: loading templates, registering filters and functions, rendering views.
//!
//! Built-in templates (compiled in from `templates/`) are loaded first; files in `--templates DIR`
//! override them file by file (same relative path) or add new ones. Without `--templates`, a
//! built-in template is parsed the first time it is rendered (the built-in ones include no other),
//! so a command pays only for the templates it uses. Functions and filters are
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
//!   ellipsis that keeps the text's SMS encoding (`...` in GSM-7, `…` otherwise);
//! - `text | isolate(when=story.isolate)`: each line of `text` in a Unicode bidi isolate (U+2068
//!   FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL ISOLATE) when `when` is true, so an English
//!   line keeps its order inside an Arabic plain-text email (an isolate ends at a line break).
//!
//! Article text only ever enters as data in the view, never as template source. Templates whose
//! name ends in `.html.tera` (or `.html`) are HTML-escaped.
//!
//! ```
//! # use std::sync::Arc;
//! # use newsdigest::compose::{render::Renderer, view::DigestView};
//! # use newsdigest::{dateline, ingest, locale::Locale, story};
//! # let wire = "Heavy rain flooded parts of Dhaka on Wednesday. Traffic stopped on main roads.
//! # Source: Newsdesk
//! # BDST: 1347 HRS, APR 23, 2025";
//! # let now = "2025-04-23T09:00:00Z".parse().unwrap();
//! # let context = dateline::Context { country: None, home: None, now };
//! # let articles = ingest::parse_bytes("rain.txt", None, wire.as_bytes())?;
//! # let stories = story::prepare(articles, &context, story::SentenceLimit::ALL, &mut Vec::new());
//! let locale = Arc::new(Locale::load("en", None)?);
//! let view = DigestView::new(&stories, &[1], "sms", &locale, &[], now);
//! let text = Renderer::new(locale, None)?.render("sms/alert.txt.tera", &view)?;
//! assert_eq!(
//!     text,
//!     "Newsdesk Apr 23 13:47 GMT+6: Heavy rain flooded parts of Dhaka on Wednesday.\n"
//! );
//! # Ok::<(), newsdigest::Error>(())
//! ```

use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use serde::Serialize;
use tera::{Context, Kwargs, State, Tera, TeraResult};
use walkdir::WalkDir;

use chrono::{DateTime, Utc};

use crate::dateline::Zone;
use crate::error::{Error, Result};
use crate::locale::{Locale, MessageArg};
use crate::{sms, summarize};

/// Template suffixes that are HTML-escaped.
const ESCAPED_SUFFIXES: &[&str] = &[".html.tera", ".htm.tera", ".xml.tera", ".html", ".htm"];

/// Templates ready to render for one locale.
pub struct Renderer {
    /// Behind a lock so that [`Renderer::render`] (`&self`) can add a built-in template on first use.
    tera: RwLock<Tera>,
    locale: Arc<Locale>,
}

impl Renderer {
    /// Loads the built-in templates, then those in `user_dir` (which win), for `locale`. Without
    /// `user_dir`, built-in templates are parsed when first rendered.
    pub fn new(locale: Arc<Locale>, user_dir: Option<&Path>) -> Result<Renderer> {
        let mut tera = Tera::new();
        tera.autoescape_on(ESCAPED_SUFFIXES.iter().copied());
        register(&mut tera, &locale);
        let Some(dir) = user_dir else {
            let tera = RwLock::new(tera);
            return Ok(Renderer { tera, locale });
        };
        let mut templates: Vec<(String, String)> = crate::assets::templates()
            .into_iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        for (name, text) in read_user_templates(dir)? {
            match templates.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = text,
                None => templates.push((name, text)),
            }
        }
        tera.add_raw_templates(templates)
            .map_err(|e| template_error(&e, None))?;
        let tera = RwLock::new(tera);
        Ok(Renderer { tera, locale })
    }

    /// Adds (or replaces) the template `name` from `source`: a template a command owns rather
    /// than the built-in set (`newsdigest eval` renders the lead alone this way).
    pub fn add_template(&mut self, name: &str, source: &str) -> Result<()> {
        self.tera
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .add_raw_template(name, source)
            .map_err(|e| template_error(&e, Some(&self.locale.tag)))
    }

    /// The locale this renderer formats for.
    pub fn locale(&self) -> &Locale {
        &self.locale
    }

    /// Renders template `name` with `view` as its context.
    pub fn render(&self, name: &str, view: &impl Serialize) -> Result<String> {
        self.add_builtin_on_first_use(name)?;
        let tera = self.tera.read().unwrap_or_else(PoisonError::into_inner);
        if !tera.contains_template(name) {
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
        let mut output = CappedOutput::new();
        tera.render_to(name, &context, &mut output)
            .map_err(|e| template_error(&e, Some(&self.locale.tag)))?;
        String::from_utf8(output.bytes).map_err(|e| Error::Template {
            name: name.to_string(),
            line: None,
            locale: Some(self.locale.tag.clone()),
            message: format!("rendered text is not UTF-8: {e}"),
        })
    }
}

impl Renderer {
    /// Parses the built-in template `name` if it is not loaded yet (a template loaded from
    /// `--templates` or added by the command is never replaced).
    fn add_builtin_on_first_use(&self, name: &str) -> Result<()> {
        let loaded = |tera: &Tera| tera.contains_template(name);
        if loaded(&self.tera.read().unwrap_or_else(PoisonError::into_inner)) {
            return Ok(());
        }
        let Some(source) = crate::assets::template(name) else {
            return Ok(());
        };
        let mut tera = self.tera.write().unwrap_or_else(PoisonError::into_inner);
        if !loaded(&tera) {
            tera.add_raw_template(name, source)
                .map_err(|e| template_error(&e, None))?;
        }
        Ok(())
    }
}

/// Most bytes one template may render: far above any digest, low enough to stop a runaway loop.
const MAX_RENDERED_BYTES: usize = 16 << 20;
/// Longest one template may keep writing output.
const MAX_RENDER_TIME: Duration = Duration::from_secs(10);

/// Where a template renders: refuses output past [`MAX_RENDERED_BYTES`] or [`MAX_RENDER_TIME`], so a
/// template with runaway loops fails with an error instead of growing without bound.
struct CappedOutput {
    bytes: Vec<u8>,
    deadline: Instant,
}

impl CappedOutput {
    fn new() -> Self {
        CappedOutput {
            bytes: Vec::new(),
            deadline: Instant::now() + MAX_RENDER_TIME,
        }
    }
}

impl Write for CappedOutput {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.bytes.len() + data.len() > MAX_RENDERED_BYTES {
            return Err(io::Error::other(format!(
                "output exceeds {} MiB (a runaway loop?)",
                MAX_RENDERED_BYTES >> 20
            )));
        }
        if Instant::now() > self.deadline {
            return Err(io::Error::other(format!(
                "rendering took over {} s (a runaway loop?)",
                MAX_RENDER_TIME.as_secs()
            )));
        }
        self.bytes.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Registers every function and filter, each holding the locale.
fn register(tera: &mut Tera, locale: &Arc<Locale>) {
    let messages = Arc::clone(locale);
    tera.register_function(
        "t",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let key: &str = kwargs.must_get("key")?;
            let args = message_args(&kwargs);
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
    tera.register_filter(
        "isolate",
        |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let when: Option<bool> = kwargs.get("when")?;
            Ok(if when.unwrap_or(true) {
                isolate(value)
            } else {
                value.to_string()
            })
        },
    );
}

/// Each non-empty line of `text` between U+2068 (FSI) and U+2069 (PDI).
fn isolate(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            if line.trim().is_empty() {
                line.to_string()
            } else {
                format!("\u{2068}{line}\u{2069}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The arguments of a `t(key=..., ...)` call other than `key`, as Fluent arguments.
fn message_args(kwargs: &Kwargs) -> Vec<(String, MessageArg)> {
    kwargs
        .iter()
        .filter(|(name, _)| name.to_string() != "key")
        .map(|(name, value)| {
            let arg = if let Some(n) = value.as_f64() {
                MessageArg::Number(n)
            } else if let Some(s) = value.as_str() {
                MessageArg::Text(s.to_string())
            } else {
                MessageArg::Text(value.to_string())
            };
            (name.to_string(), arg)
        })
        .collect()
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
    let mut out = Vec::new();
    // Symlinks are followed (a templates folder may link shared files); loops are errors.
    for entry in WalkDir::new(dir).follow_links(true).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::Config {
            path: e.path().unwrap_or(dir).to_path_buf(),
            message: format!("cannot read the templates folder: {e}"),
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let text = fs::read_to_string(path).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            message: format!("cannot read template: {e}"),
        })?;
        let name = path
            .strip_prefix(dir)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        out.push((name, text));
    }
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
    fn every_built_in_template_parses() {
        // Built-in templates are parsed on first render: a syntax error must still fail a test.
        let renderer = Renderer::new(Arc::new(Locale::load("en", None).unwrap()), None).unwrap();
        let templates = crate::assets::templates();
        assert!(templates.len() >= 7);
        for (name, _) in templates {
            renderer
                .add_builtin_on_first_use(name)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(
                renderer.tera.read().unwrap().contains_template(name),
                "{name}"
            );
        }
    }

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
            (
                "{{ text | isolate(when=true) }}|{{ iso | isolate(when=false) }}",
                "\u{2068}Rain <b>&</b> wind in Dhaka today\u{2069}|2025-04-23T07:47:00Z",
            ),
        ];
        for (template, expected) in cases {
            let rendered = renderer_with(template)
                .render("probe.txt.tera", &PROBE)
                .unwrap();
            assert_eq!(rendered, expected, "{template}");
        }
    }

    #[test]
    fn isolates_each_line_that_has_text() {
        assert_eq!(
            super::isolate("a\n\nb c"),
            "\u{2068}a\u{2069}\n\n\u{2068}b c\u{2069}"
        );
    }

    #[test]
    fn a_command_adds_its_own_template() {
        let mut renderer = renderer_with("{{ text }}");
        renderer
            .add_template("own.txt.tera", "[{{ text | sms_truncate(max=12) }}]")
            .unwrap();
        assert_eq!(
            renderer.render("own.txt.tera", &PROBE).unwrap(),
            "[Rain...]"
        );
        let error = renderer
            .add_template("bad.txt.tera", "{% if %}")
            .unwrap_err();
        assert!(
            error.to_string().starts_with("template bad.txt.tera:1: "),
            "{error}"
        );
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
