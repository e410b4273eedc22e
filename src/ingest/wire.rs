//! The wire-copy text format: body paragraphs, then footer lines read bottom-up.
//!
//! The footer, from the last line up: editor initials (a short line of capitals, Latin or Bengali
//! script), a dateline, `Source: NAME`. Any of them may be missing. For example
//!
//! ```text
//! Diplomats will meet in London on Wednesday.
//! Source: BBC
//! BDST: 1347 HRS, APR 23, 2025
//! SMS
//! ```
//!
//! gives body "Diplomats will meet...", source "BBC", dateline "BDST: 1347 HRS, APR 23, 2025", editor "SMS".

use super::{clean, detect, key};
use crate::article::Article;
use crate::dateline;
use crate::error::{Error, Result};
use crate::text::language;

/// Labels that introduce the source line, compared case-insensitively.
const SOURCE_LABELS: &[&str] = &["source:", "sources:", "সূত্র:", "स्रोत:"];

/// The longest line (in characters) taken as editor initials.
const MAX_INITIALS_CHARS: usize = 8;

/// Reads one wire-format article. `origin` names it in errors.
///
/// Lines end at LF, CR LF, a lone CR, or any other [`clean::is_line_break`]; every line is cleaned
/// with [`clean::field`] (bidi controls and control characters removed) before the footer is read.
pub fn parse(origin: &str, text: &str) -> Result<Article> {
    let cleaned = clean::body_lines(text);
    let lines: Vec<&str> = cleaned.iter().map(String::as_str).collect();
    if lines.is_empty() {
        return Err(bad(origin, "empty article: no text"));
    }
    let footer = Footer::read(&lines);
    let body_lines = &lines[..lines.len() - footer.lines];
    if body_lines.is_empty() || is_only_footer(body_lines) {
        return Err(bad(origin, "no article body, only footer lines"));
    }
    let body = body_lines.join("\n");
    let (language, language_confidence) = detect::language_of(None, &body);
    let mut article = Article {
        origin: origin.to_string(),
        title: None,
        language,
        language_confidence,
        body,
        source: footer.source,
        dateline: footer.dateline,
        editor: footer.editor,
        url: None,
        notes: Vec::new(),
        key: String::new(),
    };
    article.key = key::of_article(&article);
    Ok(article)
}

fn bad(origin: &str, message: &str) -> Error {
    Error::BadArticle {
        origin: origin.to_string(),
        message: message.to_string(),
    }
}

/// Whether what is left for the body is itself footer lines, at least one of them a source or
/// a dateline (`Source: X` over a dateline and initials). A lone line of capitals stays a body.
fn is_only_footer(lines: &[&str]) -> bool {
    let labelled = |line: &&str| source_name(line).is_some() || dateline::looks_like_dateline(line);
    lines.iter().all(|line| labelled(line) || is_initials(line)) && lines.iter().any(labelled)
}

/// What the footer lines said, and how many lines they took.
#[derive(Debug, Default, PartialEq, Eq)]
struct Footer {
    source: Option<String>,
    dateline: Option<String>,
    editor: Option<String>,
    lines: usize,
}

impl Footer {
    /// Reads the footer from the bottom of `lines`, never taking the first line (the body).
    fn read(lines: &[&str]) -> Footer {
        let mut footer = Footer::default();
        for line in lines.iter().skip(1).rev() {
            if let Some(name) = source_name(line) {
                footer.source = clean::field(name);
                footer.lines += 1;
                break;
            } else if footer.dateline.is_none() && dateline::looks_like_dateline(line) {
                footer.dateline = Some((*line).to_string());
            } else if footer.lines == 0 && is_initials(line) {
                footer.editor = Some((*line).to_string());
            } else {
                break;
            }
            footer.lines += 1;
        }
        footer
    }
}

/// `Some("BBC")` for a line `Source: BBC`.
fn source_name(line: &str) -> Option<&str> {
    SOURCE_LABELS.iter().find_map(|label| {
        let head = line.get(..label.len())?;
        head.eq_ignore_ascii_case(label)
            .then(|| line[label.len()..].trim())
            .filter(|name| !name.is_empty())
    })
}

/// Editor initials: a short line of capital letters (`SMS`, `AK/JD`) or Bengali letters (`এমএইচ`).
fn is_initials(line: &str) -> bool {
    let count = line.chars().count();
    if count == 0 || count > MAX_INITIALS_CHARS {
        return false;
    }
    let mut letters = 0;
    for c in line.chars() {
        if c.is_ascii_uppercase() || language::is_bengali(c) && !c.is_numeric() {
            letters += 1;
        } else if !matches!(c, '/' | '.' | '-') {
            return false;
        }
    }
    letters > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_full_footer() {
        let article = parse(
            "a.txt",
            "First paragraph.\nSecond one.\nSource: BBC\nBDST: 1347 HRS, APR 23, 2025\nSMS",
        )
        .unwrap();
        assert_eq!(article.body, "First paragraph.\nSecond one.");
        assert_eq!(article.source.as_deref(), Some("BBC"));
        assert_eq!(
            article.dateline.as_deref(),
            Some("BDST: 1347 HRS, APR 23, 2025")
        );
        assert_eq!(article.editor.as_deref(), Some("SMS"));
        assert_eq!(article.language, "en");
    }

    /// Input, then the expected source, dateline and editor.
    type FooterCase = (
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
    );

    #[test]
    fn footer_lines_may_be_missing() {
        let cases: &[FooterCase] = &[
            ("Body.\nSource: AFP", Some("AFP"), None, None),
            (
                "Body.\nBDST: 1347 HRS, APR 23, 2025",
                None,
                Some("BDST: 1347 HRS, APR 23, 2025"),
                None,
            ),
            ("Body.\nSource: AFP\nAK", Some("AFP"), None, Some("AK")),
            (
                "Body.\nBDST: 1347 HRS, APR 23, 2025\nAK/JD",
                None,
                Some("BDST: 1347 HRS, APR 23, 2025"),
                Some("AK/JD"),
            ),
            ("Body only.\nAnother paragraph.", None, None, None),
        ];
        for (text, source, dateline, editor) in cases {
            let article = parse("x", text).unwrap();
            assert_eq!(article.source.as_deref(), *source, "{text}");
            assert_eq!(article.dateline.as_deref(), *dateline, "{text}");
            assert_eq!(article.editor.as_deref(), *editor, "{text}");
        }
    }

    #[test]
    fn bengali_footer() {
        let text = "ঢাকায় আজ বৃষ্টি হতে পারে।\nসূত্র: বাসস\nবাংলাদেশ সময়: ১৩৪৭ ঘণ্টা, এপ্রিল ২৩, ২০২৫\nএমএইচ";
        let article = parse("bn.txt", text).unwrap();
        assert_eq!(article.source.as_deref(), Some("বাসস"));
        assert_eq!(article.editor.as_deref(), Some("এমএইচ"));
        assert_eq!(article.language, "bn");
    }

    #[test]
    fn empty_article_is_an_error() {
        let err = parse("empty.txt", " \n\n").unwrap_err();
        assert_eq!(err.to_string(), "empty.txt: empty article: no text");
    }

    #[test]
    fn sentence_of_body_is_not_initials() {
        assert!(!is_initials("He left."));
        assert!(is_initials("SMS"));
    }

    #[test]
    fn lone_cr_and_unicode_separators_break_lines() {
        for text in [
            "Rain today.\rMore.\rSource: BBC\rBDST: 1347 HRS, APR 23, 2025\rSMS\r",
            "Rain today.\r\nMore.\r\nSource: BBC\r\nBDST: 1347 HRS, APR 23, 2025\r\nSMS",
            "Rain today.\u{2029}More.\u{2028}Source: BBC\u{2028}BDST: 1347 HRS, APR 23, 2025\u{2028}SMS",
        ] {
            let article = parse("mac.txt", text).unwrap();
            assert_eq!(article.body, "Rain today.\nMore.", "{text:?}");
            assert_eq!(article.source.as_deref(), Some("BBC"));
            assert_eq!(article.editor.as_deref(), Some("SMS"));
        }
    }

    #[test]
    fn only_footer_lines_is_an_error() {
        for text in [
            "Source: X\nBDST: 1347 HRS, APR 23, 2025\nRK\n",
            "Source: X\n",
            "BDST: 1347 HRS, APR 23, 2025\nRK",
            "Source: X\nSource: Y",
        ] {
            let err = parse("f.txt", text).unwrap_err();
            assert_eq!(err.to_string(), "f.txt: no article body, only footer lines");
            assert_eq!(err.exit_code(), 65);
        }
        // A lone line of capitals is a (short) body, as before.
        assert_eq!(parse("x", "BREAKING").unwrap().body, "BREAKING");
    }

    #[test]
    fn bidi_controls_are_stripped_marks_kept() {
        let text = "Rain\u{202e} in \u{2066}Dhaka\u{2069}.\u{200f}\nSource: Police\u{202e}\nBDST: 1347 HRS, APR 23, 2025\u{202d}\nRK\u{202a}";
        let article = parse("b.txt", text).unwrap();
        assert_eq!(article.body, "Rain in Dhaka.\u{200f}");
        assert_eq!(article.source.as_deref(), Some("Police"));
        assert_eq!(
            article.dateline.as_deref(),
            Some("BDST: 1347 HRS, APR 23, 2025")
        );
        assert_eq!(article.editor.as_deref(), Some("RK"));
    }

    #[test]
    fn hostile_text_does_not_crash() {
        let long_source = format!("Source: {}", "Agency ".repeat(80));
        let text = format!(
            "Rain\0 in Dhaka.\n{}\n{long_source}\nRK",
            "x".repeat(1 << 20)
        );
        let article = parse("h.txt", &text).unwrap();
        assert!(article.body.starts_with("Rain in Dhaka.\n"));
        assert_eq!(article.source.as_deref(), Some(long_source[8..].trim()));
        let err = parse("nul.txt", "\0\0\n\0").unwrap_err();
        assert_eq!(err.to_string(), "nul.txt: empty article: no text");
    }
}
