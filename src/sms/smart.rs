//! Smart encoding: GSM-safe substitutions for characters that would force a message into UCS-2.
//!
//! One table, as data: each character, what replaces it, and why. [`smart_encode`] applies it when,
//! and only when, the whole result is GSM-7; otherwise the text is returned untouched (so ZWNJ/ZWJ
//! in Bengali, and every character of a message that stays UCS-2, are never changed).
//! [`explain`] lists every character that forces UCS-2 or is replaced, with its position.
//!
//! ```
//! assert_eq!(newsdigest::sms::smart_encode("Trump’s envoy"), "Trump's envoy");
//! ```

use std::borrow::Cow;

use serde::Serialize;

use super::gsm7;

/// One substitution: a character, its GSM-safe replacement, and the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Substitution {
    pub from: char,
    pub to: &'static str,
    pub reason: &'static str,
}

const fn sub(from: char, to: &'static str, reason: &'static str) -> Substitution {
    Substitution { from, to, reason }
}

/// Every substitution smart encoding makes.
pub const SUBSTITUTIONS: &[Substitution] = &[
    sub('‘', "'", "left single quotation mark"),
    sub('’', "'", "right single quotation mark (apostrophe)"),
    sub('‚', "'", "single low-9 quotation mark"),
    sub('‛', "'", "single high-reversed-9 quotation mark"),
    sub('′', "'", "prime"),
    sub('“', "\"", "left double quotation mark"),
    sub('”', "\"", "right double quotation mark"),
    sub('„', "\"", "double low-9 quotation mark"),
    sub('‟', "\"", "double high-reversed-9 quotation mark"),
    sub('″', "\"", "double prime"),
    sub('«', "\"", "left-pointing double angle quotation mark"),
    sub('»', "\"", "right-pointing double angle quotation mark"),
    sub('‐', "-", "hyphen"),
    sub('‑', "-", "non-breaking hyphen"),
    sub('‒', "-", "figure dash"),
    sub('–', "-", "en dash"),
    sub('—', "-", "em dash"),
    sub('―', "-", "horizontal bar"),
    sub('−', "-", "minus sign"),
    sub('…', "...", "horizontal ellipsis"),
    sub('\u{a0}', " ", "no-break space"),
    sub('\u{2000}', " ", "en quad"),
    sub('\u{2001}', " ", "em quad"),
    sub('\u{2002}', " ", "en space"),
    sub('\u{2003}', " ", "em space"),
    sub('\u{2004}', " ", "three-per-em space"),
    sub('\u{2005}', " ", "four-per-em space"),
    sub('\u{2006}', " ", "six-per-em space"),
    sub('\u{2007}', " ", "figure space"),
    sub('\u{2008}', " ", "punctuation space"),
    sub('\u{2009}', " ", "thin space"),
    sub('\u{200a}', " ", "hair space"),
    sub(
        '\u{202f}',
        " ",
        "narrow no-break space (ICU4X puts it in `1:47 PM`)",
    ),
    sub('\u{205f}', " ", "medium mathematical space"),
    sub('\u{3000}', " ", "ideographic space"),
    sub('\t', " ", "tab"),
    sub('\u{200b}', "", "zero width space"),
    sub('\u{feff}', "", "byte order mark"),
    sub(
        '\u{200e}',
        "",
        "left-to-right mark (bidi mark in localized dates)",
    ),
    sub(
        '\u{200f}',
        "",
        "right-to-left mark (bidi mark in localized dates)",
    ),
    sub(
        '\u{061c}',
        "",
        "Arabic letter mark (bidi mark in localized dates)",
    ),
    sub('\u{2068}', "", "first strong isolate (Fluent placeable)"),
    sub('\u{2069}', "", "pop directional isolate (Fluent placeable)"),
];

/// The substitution for `c`, if there is one.
pub fn substitution(c: char) -> Option<&'static Substitution> {
    if c.is_ascii() && c != '\t' {
        return None;
    }
    SUBSTITUTIONS.iter().find(|s| s.from == c)
}

/// `text` with every substitution applied, if the result is GSM-7; else `text` unchanged.
pub fn smart_encode(text: &str) -> Cow<'_, str> {
    if gsm7::is_gsm7(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match substitution(c) {
            Some(s) => out.push_str(s.to),
            None if gsm7::cost(c).is_some() => out.push(c),
            // A character with no GSM form: the message stays UCS-2 and nothing is replaced.
            None => return Cow::Borrowed(text),
        }
    }
    Cow::Owned(out)
}

/// What happened to one character.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// Not in GSM-7 and with no substitution: the message is UCS-2 because of it.
    ForcesUcs2 {
        /// Position in characters (Unicode scalar values) from 0.
        position: usize,
        character: char,
        code_point: String,
    },
    /// Replaced by smart encoding (only when the result is GSM-7).
    Replaced {
        position: usize,
        character: char,
        code_point: String,
        replacement: &'static str,
        reason: &'static str,
    },
    /// Would be replaced, but the message stays UCS-2 because of another character.
    Kept {
        position: usize,
        character: char,
        code_point: String,
        reason: &'static str,
    },
}

/// Every character of `text` that forces UCS-2 or that smart encoding replaces (or would).
pub fn explain(text: &str, smart_encoding: bool) -> Vec<Finding> {
    let replaced = smart_encoding && matches!(smart_encode(text), Cow::Owned(_));
    let code_point = |c: char| format!("U+{:04X}", c as u32);
    text.chars()
        .enumerate()
        .filter_map(|(position, character)| {
            if gsm7::cost(character).is_some() {
                return None;
            }
            let found = match substitution(character) {
                Some(s) if replaced => Finding::Replaced {
                    position,
                    character,
                    code_point: code_point(character),
                    replacement: s.to,
                    reason: s.reason,
                },
                Some(s) if smart_encoding => Finding::Kept {
                    position,
                    character,
                    code_point: code_point(character),
                    reason: s.reason,
                },
                _ => Finding::ForcesUcs2 {
                    position,
                    character,
                    code_point: code_point(character),
                },
            };
            Some(found)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_only_when_the_result_is_gsm7() {
        let cases = [
            ("Trump’s Ukraine envoy", "Trump's Ukraine envoy"),
            (
                "UN: “Ceasefire holds” – talks resume…",
                "UN: \"Ceasefire holds\" - talks resume...",
            ),
            ("1:47\u{202f}PM", "1:47 PM"),
            ("\u{2068}3\u{2069} stories", "3 stories"),
            // Bengali stays UCS-2: nothing is touched, ZWNJ included.
            ("ঢাকা’য় র\u{200c}য়", "ঢাকা’য় র\u{200c}য়"),
            ("Plain text", "Plain text"),
        ];
        for (input, expected) in cases {
            assert_eq!(smart_encode(input), expected, "{input}");
        }
    }

    #[test]
    fn table_replacements_are_gsm7_and_unique() {
        for (i, s) in SUBSTITUTIONS.iter().enumerate() {
            assert!(gsm7::is_gsm7(s.to), "{:?}", s.from);
            assert!(gsm7::cost(s.from).is_none(), "{:?} is already GSM", s.from);
            assert!(
                SUBSTITUTIONS[..i].iter().all(|o| o.from != s.from),
                "{:?} twice",
                s.from
            );
        }
    }

    #[test]
    fn explains_positions() {
        let findings = explain("a’b ক", true);
        assert_eq!(
            findings,
            vec![
                Finding::Kept {
                    position: 1,
                    character: '’',
                    code_point: "U+2019".into(),
                    reason: "right single quotation mark (apostrophe)"
                },
                Finding::ForcesUcs2 {
                    position: 4,
                    character: 'ক',
                    code_point: "U+0995".into()
                },
            ]
        );
        let findings = explain("a’b", true);
        assert!(matches!(
            findings[0],
            Finding::Replaced {
                position: 1,
                replacement: "'",
                ..
            }
        ));
        let findings = explain("a’b", false);
        assert!(matches!(
            findings[0],
            Finding::ForcesUcs2 { position: 1, .. }
        ));
    }
}
