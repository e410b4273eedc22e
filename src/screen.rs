//! Text laid out for a screen: wrapping to a display width and panels side by side.
//!
//! Widths are terminal columns from `unicode-width`, so Bengali vowel signs take none, CJK and emoji
//! take two, and columns of different scripts line up. Reads strings, writes lines. Example:
//! `wrap("Rain in Dhaka today", 8)` is `["Rain in", "Dhaka", "today"]`.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Display width of `text` in terminal columns.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `text` word-wrapped to lines of at most `max` columns; words wider than a line are broken
/// between grapheme clusters. Line breaks in the text are kept; control characters are dropped.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let paragraph: String = paragraph.chars().filter(|c| !c.is_control()).collect();
        let mut line = String::new();
        for word in paragraph.split(' ') {
            let needed = if line.is_empty() {
                width(word)
            } else {
                width(&line) + 1 + width(word)
            };
            if needed <= max {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for grapheme in word.graphemes(true) {
                if width(&line) + width(grapheme) > max && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                line.push_str(grapheme);
            }
        }
        lines.push(line);
    }
    lines
}

/// `line` padded with spaces to `columns` display columns.
pub fn pad(line: &str, columns: usize) -> String {
    let mut padded = line.to_string();
    padded.extend(std::iter::repeat_n(
        ' ',
        columns.saturating_sub(width(line)),
    ));
    padded
}

/// Panels of `columns` width laid out side by side, `per_row` to a row, separated by `gap` spaces.
/// Lines of a panel must already fit `columns`; they may carry ANSI colour codes, which is why the
/// caller passes the visible width of each line along with it.
pub fn side_by_side(
    panels: &[Vec<(String, usize)>],
    columns: usize,
    per_row: usize,
    gap: usize,
) -> String {
    let mut out = String::new();
    for row in panels.chunks(per_row.max(1)) {
        let height = row.iter().map(Vec::len).max().unwrap_or(0);
        for index in 0..height {
            let mut line = String::new();
            for (n, panel) in row.iter().enumerate() {
                let (text, visible) = panel.get(index).map_or(("", 0), |(t, w)| (t.as_str(), *w));
                line.push_str(text);
                if n + 1 < row.len() {
                    line.extend(std::iter::repeat_n(
                        ' ',
                        columns.saturating_sub(visible) + gap,
                    ));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_by_display_width() {
        assert_eq!(
            wrap("Rain in Dhaka today", 8),
            vec!["Rain in", "Dhaka", "today"]
        );
        // CJK characters are two columns wide.
        assert_eq!(wrap("外交官将于周三", 6), vec!["外交官", "将于周", "三"]);
        // A Bengali consonant with its vowel sign is one grapheme and is never split.
        let lines = wrap("কিকিকি", 2);
        assert!(
            lines
                .iter()
                .all(|l| width(l) <= 2 && l.graphemes(true).all(|g| g == "কি")),
            "{lines:?}"
        );
        assert_eq!(lines.concat(), "কিকিকি");
        assert_eq!(wrap("a\nb", 5), vec!["a", "b"]);
        assert_eq!(wrap("", 5), vec![""]);
    }

    #[test]
    fn pads_and_lays_out() {
        assert_eq!(width(&pad("ঢাকা", 6)), 6);
        assert_eq!(pad("ab", 4), "ab  ");
        let panels = vec![
            vec![("ab".to_string(), 2)],
            vec![("c".to_string(), 1), ("d".to_string(), 1)],
        ];
        assert_eq!(side_by_side(&panels, 3, 2, 1), "ab  c\n    d\n\n");
    }
}
