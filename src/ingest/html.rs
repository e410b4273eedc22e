//! HTML to plain text, for feed item bodies and titles.
//!
//! Owns how markup becomes the body lines later stages read: one paragraph per line. Uses
//! html2text's trivial decorator (no `*emphasis*`, no `[link]` brackets or `[1]` footnotes, no
//! `#` heading, `>` quote or `*` list markers, no table borders) with a width so large that nothing is wrapped; `<p>`, `<br>` and other block ends
//! become line breaks, `<script>` and `<style>` disappear with their text, entities are decoded,
//! and every line is cleaned by [`super::clean::body_lines`] (NBSP and other spaces made one
//! space, bidi controls removed, empty lines dropped). Example:
//!
//! ```
//! use newsdigest::ingest::html::to_lines;
//! let lines = to_lines("<p>Rain&nbsp;in <b>Dhaka</b>.</p><script>alert(1)</script><p>More&hellip;<br>Later.</p>");
//! assert_eq!(lines, ["Rain in Dhaka.", "More…", "Later."]);
//! ```

use html2text::render::TrivialDecorator;

use super::clean;

/// The render width: wide enough that no line of a real feed is ever wrapped.
const NO_WRAP_WIDTH: usize = 1 << 20;

/// The lines of plain text in an HTML fragment (see the module documentation).
///
/// Markup html2text cannot render (it reports an error, never panics) falls back to the text with
/// tags cut out, so a body is never lost.
pub fn to_lines(html: &str) -> Vec<String> {
    let rendered = html2text::config::with_decorator(TrivialDecorator::new())
        .link_footnotes(false)
        .raw_mode(true)
        .no_link_wrapping()
        .allow_width_overflow()
        .string_from_read(html.as_bytes(), NO_WRAP_WIDTH);
    match rendered {
        Ok(text) => clean::body_lines(&text.replace('\u{a0}', " ")),
        Err(_) => clean::body_lines(&strip_tags(html)),
    }
}

/// One line of plain text from an HTML fragment (a title): the lines joined by spaces.
pub fn to_line(html: &str) -> Option<String> {
    clean::field(&to_lines(html).join(" "))
}

/// `html` with everything between `<` and `>` removed: the last resort.
fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_become_lines() {
        let html = "<div><p>First paragraph of the story.</p>\n<p>Second one,<br/>with a break.</p>\
                    <ul><li>one</li><li>two</li></ul><h2>Heading</h2><blockquote>Quote.</blockquote></div>";
        let lines = to_lines(html);
        assert_eq!(
            lines[..3],
            [
                "First paragraph of the story.",
                "Second one,",
                "with a break."
            ]
        );
        assert_eq!(lines[3..5], ["one", "two"]);
        assert!(lines.iter().any(|l| l == "Heading"), "{lines:?}");
        assert!(lines.iter().any(|l| l == "Quote."), "{lines:?}");
    }

    #[test]
    fn no_decorations_no_footnotes_no_wrapping() {
        let long = "word ".repeat(400);
        let html = format!(
            "<p><em>Big</em> <strong>news</strong> from <a href=\"https://x.example/a\">the desk</a>. {long}</p>"
        );
        let lines = to_lines(&html);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(
            lines[0].starts_with("Big news from the desk. word"),
            "{lines:?}"
        );
        assert!(!lines[0].contains("x.example"));
    }

    #[test]
    fn scripts_styles_entities() {
        let html = "<style>p { color: red }</style><p>Caf&eacute; &amp; bar&nbsp;&nbsp;open &#8364;5 &lt;b&gt;</p><script>var x = '<p>hidden</p>';</script>";
        assert_eq!(to_lines(html), ["Café & bar open €5 <b>"]);
        assert_eq!(
            to_line("<b>Rain</b>\n in <i>Dhaka</i>").as_deref(),
            Some("Rain in Dhaka")
        );
        assert_eq!(to_line("<p> </p>"), None);
    }

    #[test]
    fn plain_text_survives() {
        assert_eq!(to_lines("Just text, no tags."), ["Just text, no tags."]);
        assert_eq!(strip_tags("a<b>c</b>d"), "acd");
    }
}
