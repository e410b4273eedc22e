//! Normalisation of untrusted article text before any stage reads it.
//!
//! Removes control characters (a title must never carry a line break into a header or an SMS),
//! collapses runs of whitespace to one space, and trims. Keeps every printable character, including
//! ZWNJ/ZWJ, which change how Bengali and Hindi words are written. Example:
//! `clean_line("  Rain\tin\u{7}Dhaka ")` is `"Rain in Dhaka"`.

/// One line of text with control characters removed and whitespace collapsed.
pub fn clean_line(text: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::clean_line;

    #[test]
    fn cleans() {
        let cases = [
            ("  Rain\tin\u{7}Dhaka ", "Rain in Dhaka"),
            ("Title\r\nInjected: header", "Title Injected: header"),
            ("a\u{a0}\u{a0}b", "a b"),
            ("ক্\u{200c}ষ", "ক্\u{200c}ষ"),
            ("\u{feff}x", "x"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(clean_line(input), expected, "{input:?}");
        }
    }
}
