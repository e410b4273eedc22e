//! Which characters belong to a word: letters, digits, and the combining marks written with them
//! (Indic vowel signs and virama, Arabic harakat, joiners). Shared by every reader of words (the
//! ranker's terms, the opener's names).

/// Whether `c` is in a block of combining marks that belong to a word.
fn in_mark_blocks(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}' | '\u{0610}'..='\u{061a}' | '\u{064b}'..='\u{065f}' | '\u{0670}'
        | '\u{06d6}'..='\u{06ed}' | '\u{0900}'..='\u{0dff}' | '\u{200c}' | '\u{200d}')
}

/// The Indic sentence ends: in a block of marks, but never part of a word.
fn is_danda(c: char) -> bool {
    matches!(c, '।' | '॥')
}

/// A combining mark that belongs to a word (Indic vowel signs and virama, Arabic harakat); the
/// danda and digits do not.
pub(crate) fn is_mark(c: char) -> bool {
    in_mark_blocks(c) && !c.is_alphanumeric() && !is_danda(c)
}

/// A letter, a digit or a mark ([`is_mark`]): `c.is_alphanumeric() || is_mark(c)`. In the blocks
/// of marks every character but the danda is one or the other, so Indic text is decided without
/// a search of Unicode's tables (about 100 instructions a character).
pub(crate) fn is_word_char(c: char) -> bool {
    if in_mark_blocks(c) {
        !is_danda(c)
    } else {
        c.is_alphanumeric()
    }
}

/// A character of a script without case, Hebrew to Myanmar (U+0590 to U+109F, Arabic and the
/// Indic scripts among them): its lower case is itself.
pub(crate) fn is_caseless(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{109f}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_char_is_a_letter_a_digit_or_a_mark() {
        // Every character of the Basic Multilingual Plane below the surrogates, and the next
        // planes' first characters.
        for c in ('\0'..='\u{d7ff}').chain('\u{e000}'..='\u{1ffff}') {
            assert_eq!(
                is_word_char(c),
                c.is_alphanumeric() || is_mark(c),
                "U+{:04X}",
                u32::from(c)
            );
        }
        assert!(is_word_char('ক') && is_word_char('\u{9be}') && is_word_char('৫'));
        assert!(!is_word_char('।') && !is_word_char('॥') && !is_word_char(' '));
        assert!(is_mark('\u{301}') && !is_mark('ক') && !is_mark('।'));
    }

    #[test]
    fn caseless_characters_lower_to_themselves() {
        for c in ('\0'..='\u{d7ff}').filter(|&c| is_caseless(c)) {
            assert!(
                c.to_lowercase().eq([c]) && c.to_uppercase().eq([c]),
                "U+{:04X}",
                u32::from(c)
            );
        }
        assert!(is_caseless('ক') && is_caseless('ب') && !is_caseless('Я') && !is_caseless('Ⴀ'));
    }
}
