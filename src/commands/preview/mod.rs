//! `newsdigest preview`: each locale's digest as readers will see it, side by side.
//!
//! Composes the digest exactly as `digest` does (same [`Composer`]) once per locale, then shows
//! each SMS wrapped to a phone's width (display columns from `unicode-width`) with its encoding,
//! units, segments and a line where each part ends; or each email's subject and plain-text part.
//! Colour only on a terminal (`--color auto`, unless `NO_COLOR` is set). `--format json` gives the same for scripts;
//! `--format html` composes both channels for each locale into one page ([`page`]), to stdout
//! or `--out FILE`; `--watch` rewrites `--out` whenever an input, template or locale file changes
//! ([`watch`]).
//! Example: `newsdigest preview story.txt --locale en,bn --tz Asia/Dhaka`.

mod page;
mod watch;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use newsdigest::compose::fair::DroppedStory;
use newsdigest::compose::view::TimeView;
use newsdigest::compose::{Channel, SmsDigest};
use newsdigest::error::{Error, Result};
use newsdigest::locale;
use newsdigest::sms::Encoding;
use newsdigest::sms::report::Report;
use serde::Serialize;

use super::{Composed, Feeds, Io, compose, load_locale, prepare_stories, select_for_locale};
use crate::cli::{Color, PreviewArgs, PreviewFormat};
use crate::output::{self, Existing, print, warn};
use crate::screen;
use crate::settings::Settings;

#[derive(Serialize)]
struct Preview {
    locale: String,
    channel: Channel,
    #[serde(skip_serializing_if = "Option::is_none")]
    sms: Option<Report>,
    /// SMS only: stories left out to fit, each with its reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    dropped: Option<Vec<DroppedStory>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dropped_count: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<EmailPreview>,
}

impl Preview {
    fn new(tag: &str, settings: &Settings, composed: Composed) -> Preview {
        let mut preview = Preview {
            locale: tag.to_string(),
            channel: settings.channel,
            sms: None,
            dropped: None,
            dropped_count: None,
            email: None,
        };
        match composed {
            Composed::Sms(SmsDigest {
                measurement,
                dropped,
            }) => {
                preview.sms = Some(Report::new(&measurement, settings.sms.concat_ref));
                preview.dropped_count = Some(dropped.len());
                preview.dropped = Some(dropped);
            }
            Composed::Email { content, .. } => {
                preview.email = Some(EmailPreview {
                    subject: newsdigest::email::header_text(&content.subject),
                    text: content.text,
                });
            }
        }
        preview
    }
}

#[derive(Serialize)]
struct EmailPreview {
    subject: String,
    text: String,
}

#[derive(Serialize)]
struct PreviewOutput {
    previews: Vec<Preview>,
    notes: Vec<String>,
}

pub fn run(args: PreviewArgs, io: &mut Io<'_>, clock: DateTime<Utc>) -> Result<()> {
    let target = Target {
        format: args.format,
        layout: Layout {
            color: io.color,
            width: args.width,
            page_width: args.page_width,
        },
        out: args.out,
        locale: args.locale,
    };
    let settings = Settings::new(args.stories, args.message, args.channel, clock)?;
    let tags = locale_tags(&target.locale, settings.locales.as_deref())?;
    if !args.watch {
        return once(&target, &settings, &tags, io);
    }
    let Some(out) = &target.out else {
        return Err(Error::Usage {
            option: "watch",
            message: "--watch rewrites a file: give it with --out FILE".into(),
        });
    };
    let mut watched: Vec<PathBuf> = settings
        .inputs
        .iter()
        .filter(|input| *input != "-" && !input.contains("://"))
        .map(PathBuf::from)
        .collect();
    watched.extend(settings.templates.iter().cloned());
    watched.extend(settings.locales.iter().cloned());
    watch::run(&watched, out, io, |io| once(&target, &settings, &tags, io))
}

/// Where and how one preview is written: `--format`, the text layout, `--out`, `--locale`.
struct Target {
    format: PreviewFormat,
    layout: Layout,
    out: Option<PathBuf>,
    locale: String,
}

/// Reads the inputs, composes each locale and writes the preview once.
fn once(target: &Target, settings: &Settings, tags: &[String], io: &mut Io<'_>) -> Result<()> {
    let mut notes = Vec::new();
    let (stories, _) = prepare_stories(settings, io, Feeds::Unconditional, &mut notes)?;
    if stories.is_empty() {
        // Nothing new (every feed answered 304, or nothing is recent enough): not a failure.
        notes.push("nothing to preview: no story left".into());
        warn(io, &notes);
        return Ok(());
    }

    if target.format == PreviewFormat::Html {
        return html(target.out.as_deref(), settings, tags, &stories, notes, io);
    }
    let mut previews = Vec::with_capacity(tags.len());
    let mut story_notes = Vec::new();
    for tag in tags {
        let mut locale_notes = Vec::new();
        let chosen =
            select_for_locale(settings, &stories, tag, &mut locale_notes, &mut story_notes);
        let locale = load_locale(settings, tag)?;
        if chosen.is_empty() {
            locale_notes.push("no story in this locale's language".into());
            notes.extend(locale_notes.into_iter().map(|n| format!("{tag}: {n}")));
            continue;
        }
        let composed = compose(settings, &chosen, locale, &mut locale_notes)?;
        let preview = Preview::new(tag, settings, composed);
        notes.extend(locale_notes.into_iter().map(|n| format!("{tag}: {n}")));
        previews.push(preview);
    }

    notes.splice(0..0, story_notes);
    if previews.is_empty() {
        warn(io, &notes);
        return Err(Error::NoStoryInLanguage {
            locale: target.locale.clone(),
        });
    }
    let text = match target.format {
        PreviewFormat::Json => output::to_json(&PreviewOutput { previews, notes }),
        PreviewFormat::Text | PreviewFormat::Html => {
            warn(io, &notes);
            let colored = io.stdout_color && target.out.is_none();
            side_by_side(&previews, target.layout, colored)
        }
    };
    write(io, target.out.as_deref(), &text)
}

/// `text` to `out`, or to stdout.
fn write(io: &mut Io<'_>, out: Option<&Path>, text: &str) -> Result<()> {
    match out {
        None => print(io, text),
        Some(path) => {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .ok_or(Error::Usage {
                    option: "out",
                    message: format!("{} is not a file name", path.display()),
                })?;
            let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
            output::write_new(
                dir.unwrap_or(Path::new(".")),
                name,
                text.as_bytes(),
                Existing::Replace,
            )?;
            Ok(())
        }
    }
}

/// `--format html`: each locale's SMS and email, composed as `digest` would send them, on one page.
fn html(
    out: Option<&Path>,
    settings: &Settings,
    tags: &[String],
    stories: &[newsdigest::story::Story],
    mut notes: Vec<String>,
    io: &mut Io<'_>,
) -> Result<()> {
    let mut sms_settings = settings.clone();
    sms_settings.channel = Channel::Sms;
    let mut email_settings = settings.clone();
    email_settings.channel = Channel::Email;
    let mut sections = Vec::with_capacity(tags.len());
    let mut story_notes = Vec::new();
    for tag in tags {
        let mut locale_notes = Vec::new();
        let chosen = select_for_locale(settings, stories, tag, &mut locale_notes, &mut story_notes);
        let locale = load_locale(settings, tag)?;
        let mut section = page::Section {
            tag: tag.clone(),
            name: locale.name.clone(),
            direction: locale.direction,
            clocks: clocks(settings, &locale),
            notes: Vec::new(),
            sms: None,
            email: None,
        };
        if chosen.is_empty() {
            locale_notes.push("no story in this locale's language".into());
            section.notes = locale_notes;
            sections.push(section);
            continue;
        }
        let mut sms_notes = Vec::new();
        if let Composed::Sms(SmsDigest {
            measurement,
            dropped,
        }) = compose(&sms_settings, &chosen, locale.clone(), &mut sms_notes)?
        {
            let report = Report::new(&measurement, settings.sms.concat_ref);
            let findings = match report.encoding {
                Encoding::Gsm7 => vec![Vec::new(); report.parts.len()],
                Encoding::Ucs2 => report
                    .parts
                    .iter()
                    .map(|part| newsdigest::sms::explain(&part.text, settings.sms.smart_encoding))
                    .collect(),
            };
            section.sms = Some(page::SmsSection {
                report,
                findings,
                dropped,
                notes: sms_notes,
            });
        }
        let mut email_notes = Vec::new();
        if let Composed::Email { content, .. } =
            compose(&email_settings, &chosen, locale, &mut email_notes)?
        {
            section.email = Some(page::EmailSection {
                subject: newsdigest::email::header_text(&content.subject),
                text: content.text,
                html: content.html,
                notes: email_notes,
            });
        }
        section.notes = locale_notes;
        sections.push(section);
    }
    notes.splice(0..0, story_notes);
    let page = page::render(&sections, &notes, settings.now());
    write(io, out, &page)
}

/// The reference time as the reader's phone shows it, in each reader zone (UTC when none).
fn clocks(settings: &Settings, locale: &newsdigest::locale::Locale) -> Vec<String> {
    let zones = if settings.zones.is_empty() {
        vec![newsdigest::dateline::Zone::Named(chrono_tz::UTC)]
    } else {
        settings.zones.clone()
    };
    zones
        .into_iter()
        .map(|zone| {
            let time = TimeView::new(settings.now(), zone, locale);
            format!("{} {} ({})", time.time, time.zone, time.label)
        })
        .collect()
}

/// How text output is laid out: `--color`, `--width`, `--page-width`.
#[derive(Clone, Copy)]
struct Layout {
    color: Color,
    width: u16,
    page_width: u16,
}

/// The previews as panels side by side, as wide as `--width` and `--page-width` allow; `colored`
/// is `--color auto`'s answer for where the preview goes.
fn side_by_side(previews: &[Preview], args: Layout, colored: bool) -> String {
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => colored,
    };
    let width = usize::from(args.width);
    let style = Style { color };
    let panels: Vec<Vec<(String, usize)>> =
        previews.iter().map(|p| panel(p, width, style)).collect();
    let per_row = (usize::from(args.page_width) + 3) / (width + 5);
    screen::side_by_side(&panels, width + 2, per_row, 3)
}

/// The locales to preview: every available one for `all`, else the comma-separated list.
fn locale_tags(list: &str, user_dir: Option<&Path>) -> Result<Vec<String>> {
    if list == "all" {
        return Ok(locale::available(user_dir));
    }
    let tags: Vec<String> = list
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    if tags.is_empty() {
        return Err(Error::Usage {
            option: "locale",
            message: "no locale given: use `all` or a list such as `en,bn`".into(),
        });
    }
    Ok(tags)
}

/// ANSI styling, or none.
#[derive(Clone, Copy)]
struct Style {
    color: bool,
}

impl Style {
    fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// One preview as lines of (text with styling, visible width), `width` columns inside a frame.
fn panel(preview: &Preview, width: usize, style: Style) -> Vec<(String, usize)> {
    let mut lines = Vec::new();
    let push_plain = |lines: &mut Vec<(String, usize)>, text: String, styled: String| {
        let visible = screen::width(&text);
        lines.push((styled, visible));
    };
    match (&preview.sms, &preview.email) {
        (Some(sms), _) => sms_panel(&mut lines, &preview.locale, sms, width, style),
        (None, Some(email)) => {
            let header = format!("{} · email", preview.locale);
            push_plain(&mut lines, header.clone(), style.bold(&header));
            for line in screen::wrap(&format!("Subject: {}", email.subject), width + 2) {
                push_plain(&mut lines, line.clone(), style.bold(&line));
            }
            let top = rule(width, '─', "", '─');
            push_plain(&mut lines, top.clone(), style.dim(&top));
            for line in screen::wrap(email.text.trim_end(), width + 2) {
                push_plain(&mut lines, line.clone(), line);
            }
        }
        (None, None) => {}
    }
    lines
}

/// The SMS part of a panel: header, then each part wrapped, closed by a rule where it ends.
fn sms_panel(
    lines: &mut Vec<(String, usize)>,
    locale: &str,
    sms: &Report,
    width: usize,
    style: Style,
) {
    let mut push = |text: String, styled: String| {
        let visible = screen::width(&text);
        lines.push((styled, visible));
    };
    let encoding = match sms.encoding {
        Encoding::Gsm7 => "GSM-7",
        Encoding::Ucs2 => "UCS-2",
    };
    let header = format!(
        "{locale} · SMS · {encoding} · {} units · {} segment{}",
        sms.units,
        sms.segments,
        if sms.segments == 1 { "" } else { "s" }
    );
    push(header.clone(), style.bold(&header));
    let top = rule(width, '┌', "", '┐');
    push(top.clone(), style.dim(&top));
    let count = sms.parts.len();
    for (index, part) in sms.parts.iter().enumerate() {
        for line in screen::wrap(&part.text, width) {
            let text = format!("│{}│", screen::pad(&line, width));
            push(text.clone(), text);
        }
        let label = format!("part {}/{count} ends · {} units", index + 1, part.units);
        let (left, right) = if index + 1 == count {
            ('└', '┘')
        } else {
            ('├', '┤')
        };
        let divider = rule(width, left, &label, right);
        push(divider.clone(), style.dim(&divider));
    }
}

/// A horizontal rule `width + 2` columns wide with an optional label.
fn rule(width: usize, left: char, label: &str, right: char) -> String {
    let label = if label.is_empty() {
        String::new()
    } else {
        format!(" {label} ")
    };
    let fill = (width + 2).saturating_sub(2 + screen::width(&label) + 1);
    format!("{left}─{label}{}{right}", "─".repeat(fill))
}
