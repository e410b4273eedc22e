//! `preview --format html`: one self-contained HTML page showing each locale as readers get it.
//!
//! Reads the composed [`Section`]s (one per locale: its SMS report, the characters that forced
//! UCS-2 as `count --explain` finds them, its email's subject and parts, its notes); writes one
//! page with inline CSS and nothing else: no script, no remote font, image or style sheet. Each
//! locale's section carries its `lang` and `dir`; a font stack per script names fonts Debian ships
//! (`fonts-noto-core`, `fonts-noto-cjk`). The SMS is a bubble on a phone-wide card, a rule where
//! each billed segment ends; the email's HTML part is shown in `<iframe sandbox srcdoc>` (no script,
//! no same-origin), its plain-text part behind a `<details>` toggle.
//!
//! Every value that can come from an article is escaped by [`escape`] (text and attribute values
//! alike), so article text stays text. The page's own words are English (it is for editors).

use chrono::{DateTime, Utc};
use newsdigest::compose::fair::DroppedStory;
use newsdigest::locale::Direction;
use newsdigest::sms::report::Report;
use newsdigest::sms::{Encoding, Finding};

/// One locale on the page.
pub struct Section {
    pub tag: String,
    /// The locale's name for itself (`বাংলা`).
    pub name: String,
    pub direction: Direction,
    /// The reference time in each reader zone (`13:47 Asia/Dhaka (GMT+6)`).
    pub clocks: Vec<String>,
    /// Notes about the locale as a whole (stories not in its language).
    pub notes: Vec<String>,
    pub sms: Option<SmsSection>,
    pub email: Option<EmailSection>,
}

/// The SMS of one locale.
pub struct SmsSection {
    pub report: Report,
    /// Per part, what `count --explain` finds in it (empty for a GSM-7 message).
    pub findings: Vec<Vec<Finding>>,
    pub dropped: Vec<DroppedStory>,
    pub notes: Vec<String>,
}

/// The email of one locale.
pub struct EmailSection {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub notes: Vec<String>,
}

/// How many of the characters that forced UCS-2 the facts line names (all are marked in the bubble).
const FORCING_SHOWN: usize = 8;

/// Font stacks per script: fonts from Debian's `fonts-noto-core` and `fonts-noto-cjk`, then the
/// generic family. Nothing is downloaded.
const CSS: &str = r#"
:root { color-scheme: light; }
body { margin: 0; padding: 12px; background: #eef0f3; color: #1d2430;
  font-family: "Noto Sans", "DejaVu Sans", sans-serif; line-height: 1.45; }
:lang(ar) { font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "Noto Sans", sans-serif; }
:lang(ur) { font-family: "Noto Nastaliq Urdu", "Noto Naskh Arabic", "Noto Sans", sans-serif; line-height: 2.1; }
:lang(bn) { font-family: "Noto Sans Bengali", "Noto Serif Bengali", "Noto Sans", sans-serif; }
:lang(hi), :lang(ne) { font-family: "Noto Sans Devanagari", "Noto Serif Devanagari", "Noto Sans", sans-serif; }
:lang(zh) { font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", "Noto Sans", sans-serif; }
:lang(en), :lang(de), :lang(es), :lang(fr), :lang(ru), :lang(uk) { font-family: "Noto Sans", "DejaVu Sans", sans-serif; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 8px; }
h3 { font-size: 14px; margin: 0 0 6px; color: #4a5568; }
.meta { color: #4a5568; font-size: 13px; margin: 0 0 8px; }
.notes { margin: 4px 0 8px; padding: 0 1.2em; color: #8a4b00; font-size: 13px; }
.locale { background: #fff; border-radius: 8px; padding: 12px; margin: 0 0 16px; }
.channels { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.phone { box-sizing: border-box; width: 340px; max-width: 100%; background: #f6f7f9;
  border: 1px solid #cfd5dd; border-radius: 18px; padding: 10px; }
.status { display: flex; justify-content: space-between; font-size: 12px; color: #4a5568; margin: 0 4px 8px; }
.bubble { box-sizing: border-box; max-width: 100%; background: #dcf1ff; border-radius: 16px;
  padding: 8px 12px; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 15px; }
.cut { display: block; border-top: 2px dashed #5a7fa6; margin: 6px 0 4px; padding-top: 2px;
  font-size: 11px; color: #2c4f75; white-space: normal; }
.cut.end { border-top-style: solid; }
mark.forced { background: #ffd666; border-radius: 2px; }
mark.kept { background: #ffeeb3; }
.facts { font-size: 12px; color: #4a5568; margin: 8px 4px 0; }
.mail { box-sizing: border-box; flex: 1 1 420px; min-width: 0; max-width: 640px; }
.subject { font-weight: bold; margin: 0 0 6px; overflow-wrap: anywhere; }
iframe { box-sizing: border-box; width: 100%; height: 480px; border: 1px solid #cfd5dd;
  border-radius: 6px; background: #fff; }
details { margin: 6px 0; }
summary { cursor: pointer; font-size: 13px; color: #1a4f8b; }
pre.plain { white-space: pre-wrap; overflow-wrap: anywhere; unicode-bidi: plaintext;
  background: #fafafa; border: 1px solid #e2e5ea; padding: 8px; font-size: 13px; }
"#;

/// The whole page for `sections`, with the notes about stories (datelines not read) on top.
pub fn render(sections: &[Section], story_notes: &[String], now: DateTime<Utc>) -> String {
    let mut page = String::with_capacity(64 * 1024);
    let tags: Vec<&str> = sections.iter().map(|s| s.tag.as_str()).collect();
    page.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">\n<head>\n<meta charset=\"utf-8\">\n",
    );
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    page.push_str("<title>newsdigest preview</title>\n<style>");
    page.push_str(CSS);
    page.push_str("</style>\n</head>\n<body>\n<header>\n<h1>newsdigest preview</h1>\n");
    page.push_str(&format!(
        "<p class=\"meta\">{} · reference time {}</p>\n",
        escape(&tags.join(", ")),
        escape(&now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    ));
    notes(&mut page, story_notes);
    page.push_str("</header>\n");
    for section in sections {
        locale_section(&mut page, section);
    }
    page.push_str("</body>\n</html>\n");
    page
}

/// One locale: its heading and notes, then the phone with its SMS beside the email.
fn locale_section(page: &mut String, section: &Section) {
    let (tag, dir) = (escape(&section.tag), section.direction.as_str());
    page.push_str(&format!(
        "<section class=\"locale\" id=\"locale-{tag}\" lang=\"{tag}\" dir=\"{dir}\">\n"
    ));
    page.push_str(&format!(
        "<h2><span lang=\"en\" dir=\"ltr\">{tag}</span> · <span class=\"name\">{}</span></h2>\n",
        escape(&section.name)
    ));
    notes(page, &section.notes);
    page.push_str("<div class=\"channels\">\n");
    if let Some(sms) = &section.sms {
        sms_card(page, sms, &section.clocks);
    }
    if let Some(email) = &section.email {
        email_card(page, email, &section.tag);
    }
    page.push_str("</div>\n</section>\n");
}

/// The phone: reader-zone clock, the message bubble with a rule where each segment ends, its facts.
fn sms_card(page: &mut String, sms: &SmsSection, clocks: &[String]) {
    let report = &sms.report;
    page.push_str("<div class=\"phone\">\n<div class=\"status\" lang=\"en\" dir=\"ltr\">");
    page.push_str("<span>SMS</span>");
    for clock in clocks {
        page.push_str(&format!("<span class=\"clock\">{}</span>", escape(clock)));
    }
    page.push_str("</div>\n<div class=\"bubble\">");
    let count = report.parts.len();
    for (index, part) in report.parts.iter().enumerate() {
        let findings = sms.findings.get(index).map(Vec::as_slice).unwrap_or(&[]);
        page.push_str(&marked(&part.text, findings));
        let last = index + 1 == count;
        page.push_str(&format!(
            "<span class=\"cut{}\" lang=\"en\" dir=\"ltr\">segment {}/{count} ends · {} units</span>",
            if last { " end" } else { "" },
            index + 1,
            part.units
        ));
    }
    page.push_str("</div>\n");
    let encoding = match report.encoding {
        Encoding::Gsm7 => "GSM-7",
        Encoding::Ucs2 => "UCS-2",
    };
    page.push_str(&format!(
        "<p class=\"facts\" lang=\"en\" dir=\"ltr\">{encoding} · {} units · {} segment{}",
        report.units,
        report.segments,
        if report.segments == 1 { "" } else { "s" }
    ));
    if let Some(tables) = report.tables {
        page.push_str(&format!(
            " · national tables {}",
            escape(&format!("{tables:?}"))
        ));
    }
    let forcing = forcing_characters(&sms.findings);
    if !forcing.is_empty() {
        page.push_str(" · UCS-2 forced by ");
        let shown: Vec<String> = forcing
            .iter()
            .take(FORCING_SHOWN)
            .map(|c| {
                format!(
                    "<mark class=\"forced\">{}</mark> U+{:04X}",
                    escape(&c.to_string()),
                    u32::from(*c)
                )
            })
            .collect();
        page.push_str(&shown.join(", "));
        if forcing.len() > FORCING_SHOWN {
            page.push_str(&format!(" and {} more", forcing.len() - FORCING_SHOWN));
        }
    }
    page.push_str("</p>\n");
    let mut sms_notes: Vec<String> = sms
        .dropped
        .iter()
        .map(|d| format!("dropped {}: {}", d.story, d.reason))
        .collect();
    sms_notes.extend(sms.notes.iter().cloned());
    notes(page, &sms_notes);
    page.push_str("</div>\n");
}

/// The email: subject, the HTML part as a mail client shows it, the plain-text part on demand.
fn email_card(page: &mut String, email: &EmailSection, tag: &str) {
    page.push_str("<div class=\"mail\">\n");
    page.push_str(&format!(
        "<p class=\"subject\"><span lang=\"en\" dir=\"ltr\">Subject:</span> <bdi>{}</bdi></p>\n",
        escape(&email.subject)
    ));
    page.push_str(&format!(
        "<iframe sandbox=\"\" referrerpolicy=\"no-referrer\" title=\"HTML part, {}\" srcdoc=\"{}\"></iframe>\n",
        escape(tag),
        escape(&email.html)
    ));
    page.push_str("<details><summary lang=\"en\" dir=\"ltr\">Plain-text part</summary>\n");
    page.push_str(&format!(
        "<pre class=\"plain\">{}</pre>\n</details>\n",
        escape(&email.text)
    ));
    notes(page, &email.notes);
    page.push_str("</div>\n");
}

/// A list of notes, or nothing.
fn notes(page: &mut String, notes: &[String]) {
    if notes.is_empty() {
        return;
    }
    page.push_str("<ul class=\"notes\" lang=\"en\" dir=\"ltr\">");
    for note in notes {
        page.push_str(&format!("<li><bdi>{}</bdi></li>", escape(note)));
    }
    page.push_str("</ul>\n");
}

/// `text` escaped, each character `count --explain` names wrapped in a `<mark>`: `forced` when it
/// forces UCS-2, `kept` when smart encoding could replace it but the message stays UCS-2 anyway.
fn marked(text: &str, findings: &[Finding]) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut findings = findings.iter().peekable();
    for (position, character) in text.chars().enumerate() {
        let class = match findings.peek() {
            Some(Finding::ForcesUcs2 { position: p, .. }) if *p == position => Some("forced"),
            Some(Finding::Kept { position: p, .. }) if *p == position => Some("kept"),
            Some(Finding::Replaced { position: p, .. }) if *p == position => None,
            _ => {
                out.push_str(&escape(&character.to_string()));
                continue;
            }
        };
        findings.next();
        match class {
            Some(class) => out.push_str(&format!(
                "<mark class=\"{class}\">{}</mark>",
                escape(&character.to_string())
            )),
            None => out.push_str(&escape(&character.to_string())),
        }
    }
    out
}

/// The distinct characters that forced UCS-2, in order of first appearance.
fn forcing_characters(findings: &[Vec<Finding>]) -> Vec<char> {
    let mut seen = Vec::new();
    for finding in findings.iter().flatten() {
        if let Finding::ForcesUcs2 { character, .. } = finding
            && !seen.contains(character)
        {
            seen.push(*character);
        }
    }
    seen
}

/// `text` safe as HTML text and as a double- or single-quoted attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\0' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attribute_values() {
        assert_eq!(
            escape("<script>\"x\" & 'y'</script>\0"),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;\u{fffd}"
        );
    }

    #[test]
    fn marks_the_characters_that_force_ucs2() {
        let text = "Rain “now” <b>ক";
        let findings = newsdigest::sms::explain(text, true);
        assert_eq!(
            marked(text, &findings),
            "Rain <mark class=\"kept\">“</mark>now<mark class=\"kept\">”</mark> &lt;b&gt;<mark class=\"forced\">ক</mark>"
        );
        assert_eq!(forcing_characters(&[findings]), vec!['ক']);
    }
}
