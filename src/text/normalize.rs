//! Normalisation of untrusted article text before any stage reads it.
//!
//! Removes control characters (a title must never carry a line break into a header or an SMS),
//! collapses runs of whitespace to one space, and trims. Keeps every printable character, including
//! ZWNJ/ZWJ, which change how Bengali and Hindi words are written. Also owns the one decomposition
//! of nukta letters ([`push_decomposed_nukta`]) that every word comparison uses.
//!
//! ```
//! use newsdigest::text::normalize::clean_line;
//! assert_eq!(clean_line("  Rain\tin\u{7}Dhaka "), "Rain in Dhaka");
//! ```

/// One line of text with control characters removed and whitespace collapsed.
pub fn clean_line(text: &str) -> String {
    let trimmed = text.trim_matches(is_separator);
    if is_clean(trimmed) {
        return trimmed.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() {
            // Control characters separate words as a space would; format characters such as
            // ZWNJ/ZWJ are not whitespace and are kept.
            pending_space = !out.is_empty();
        } else if c == '\u{feff}' {
            continue;
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Characters that separate words and never survive cleaning as themselves.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || c.is_control() || c == '\u{feff}'
}

/// Whether `text` (already trimmed) has nothing to clean: no separator but single ASCII spaces.
///
/// Works on bytes: every separator is an ASCII control or starts with one of a few lead bytes
/// (C1 controls, NBSP, the U+2000 spaces, U+3000, BOM...), and only the characters starting with
/// those are decoded (curly quotes and dashes start with 0xE2 too, and are common).
fn is_clean(text: &str) -> bool {
    if text.contains("  ") {
        return false;
    }
    let may_separate = |b: u8| b < 0x20 || matches!(b, 0x7f | 0xc2 | 0xe1 | 0xe2 | 0xe3 | 0xef);
    // A byte that may separate is ASCII or a lead byte: a character starts there.
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| may_separate(b))
        .all(|(at, _)| !text[at..].chars().next().is_some_and(is_separator))
}

/// Pushes the decomposed form (base letter and nukta) of Bengali `ড় ঢ় য়` and Devanagari `क़..य़`,
/// which are written both precomposed and decomposed; false (nothing pushed) for any other `c`.
pub fn push_decomposed_nukta(c: char, out: &mut String) -> bool {
    const DEVANAGARI_NUKTA_BASES: [char; 8] = ['क', 'ख', 'ग', 'ज', 'ड', 'ढ', 'फ', 'य'];
    match c {
        '\u{9dc}' => out.push_str("\u{9a1}\u{9bc}"),
        '\u{9dd}' => out.push_str("\u{9a2}\u{9bc}"),
        '\u{9df}' => out.push_str("\u{9af}\u{9bc}"),
        '\u{958}'..='\u{95f}' => {
            let index = usize::try_from(u32::from(c) - 0x958).unwrap_or(0);
            out.push(DEVANAGARI_NUKTA_BASES[index]);
            out.push('\u{93c}');
        }
        _ => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use super::{clean_line, is_clean, is_separator};

    /// [`is_clean`] the slow way, decoding every character.
    fn is_clean_by_chars(text: &str) -> bool {
        let mut after_space = false;
        for c in text.chars() {
            if c == ' ' {
                if after_space {
                    return false;
                }
                after_space = true;
            } else if is_separator(c) {
                return false;
            } else {
                after_space = false;
            }
        }
        true
    }

    #[test]
    fn is_clean_decodes_only_what_may_separate() {
        let pieces = [
            "a", " ", "  ", "\u{a0}", "\u{85}", "\u{9f}", "é", "“", "”", "’", "—", "\u{2009}",
            "\u{2028}", "\u{202f}", "\u{205f}", "\u{1680}", "ᚁ", "\u{3000}", "、", "\u{feff}",
            "\u{fffd}", "ক", "\u{200c}", "\t", "\u{7f}", "x y",
        ];
        for first in pieces {
            for second in pieces {
                for third in pieces {
                    let text = format!("{first}{second}{third}");
                    assert_eq!(is_clean(&text), is_clean_by_chars(&text), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn cleans() {
        let cases = [
            ("  Rain\tin\u{7}Dhaka ", "Rain in Dhaka"),
            ("Title\r\nInjected: header", "Title Injected: header"),
            ("a\u{a0}\u{a0}b", "a b"),
            ("ক্\u{200c}ষ", "ক্\u{200c}ষ"),
            ("\u{feff}x", "x"),
            ("", ""),
            ("a  b", "a b"),
            ("already clean", "already clean"),
            ("curly ’quote’  twice", "curly ’quote’ twice"),
            ("nbsp\u{a0}here", "nbsp here"),
        ];
        for (input, expected) in cases {
            assert_eq!(clean_line(input), expected, "{input:?}");
        }
    }
}
