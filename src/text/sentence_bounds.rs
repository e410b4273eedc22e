//! UAX #29 sentence boundaries, exactly as `unicode-segmentation` finds them, without running its
//! state machine over most of the text.
//!
//! Owns [`sentence_ends`]. `split_sentence_bound_indices` looks up the class of every character
//! (a table search) and checks every rule after it; in running text almost no character can start
//! or end a sentence. A break can only follow a terminator (`.`, `!`, `?`, `।`, `。`...) or a
//! paragraph separator, so the text is cut into windows at *cut points* -- between two ASCII letters
//! -- and only the windows that hold a byte that may be a terminator or separator (`.`, `!`, `?`,
//! CR, LF, or any non-ASCII character) are read for boundaries. Why that is exact:
//!
//! - Before a letter that follows a letter, no rule breaks (the state after a letter holds no
//!   terminator), so a cut point is never a boundary.
//! - After two letters the state machine's memory is the last letter alone: every rule that looks
//!   back stops at a letter (`SATerm Close* Sp*` and `(Upper | Lower) ATerm`). A window that starts
//!   at a cut point, as a fresh text, therefore decides every later position as the whole text does
//!   (its start-of-text break is not reported).
//! - The only rule that looks ahead (SB8: lower case after a period) stops at a letter, so it never
//!   reads past the window's end, the letter before the next cut point (whose end-of-text break is
//!   not reported either).
//! - A window without a terminator or separator has no boundary inside.
//!
//! A window of ASCII and the punctuation common in news text (curly quotes, dashes, the no-break
//! space...) is read by the same state machine restated for those characters' classes (no table
//! search); any other by `unicode-segmentation` itself. The equivalence is also checked against
//! `unicode-segmentation` on generated text (tests).

use unicode_segmentation::UnicodeSegmentation;

use crate::text::bytes::find_byte;

/// Appends to `ends` the end (byte offset) of each UAX #29 sentence of `text`, in order: the ends
/// of `text.split_sentence_bound_indices()`'s segments; the last is `text.len()` (none for an
/// empty text).
pub(crate) fn sentence_ends(text: &str, ends: &mut Vec<usize>) {
    let bytes = text.as_bytes();
    // Everything before `done` (0 or a cut point) is decided.
    let mut done = 0;
    while let Some(offset) = find_byte(&bytes[done..], may_end_sentence) {
        let at = done + offset;
        // The window: from the last cut point before `at`, to the first one after it.
        let start = bytes[done..at]
            .windows(2)
            .rposition(are_letters)
            .map_or(done, |i| done + i + 1);
        match bytes[at + 1..].windows(2).position(are_letters) {
            Some(i) => {
                let end = at + 2 + i;
                push_inner_ends(text, start, end, ends);
                done = end;
            }
            None => {
                push_window_ends(&text[start..], start, ends);
                return;
            }
        }
    }
    if !text.is_empty() {
        ends.push(text.len());
    }
}

/// Two ASCII letters: a cut point lies between them.
fn are_letters(pair: &[u8]) -> bool {
    pair[0].is_ascii_alphabetic() && pair[1].is_ascii_alphabetic()
}

/// The boundaries inside the window `start..end` (both cut points); the window's own end is not
/// one.
fn push_inner_ends(text: &str, start: usize, end: usize, ends: &mut Vec<usize>) {
    let first = ends.len();
    push_window_ends(&text[start..end], start, ends);
    if ends.len() > first {
        ends.pop();
    }
}

/// The ends of the sentences of `window` (which starts at byte `start` of the text): found by the
/// state machine when every character of the window has a class it knows ([`common_class`]),
/// else by `unicode-segmentation`.
fn push_window_ends(window: &str, start: usize, ends: &mut Vec<usize>) {
    if window.is_empty() {
        return;
    }
    let first = ends.len();
    if window.is_ascii() {
        let classes = window.bytes().enumerate();
        machine_sentence_ends(classes.map(|(at, byte)| (at, class(byte))), ends);
        ends.push(window.len());
    } else if window.chars().all(|c| common_class(c).is_some()) {
        let classes = window.char_indices();
        let classes = classes.map(|(at, c)| (at, common_class(c).unwrap_or(Class::Other)));
        machine_sentence_ends(classes, ends);
        ends.push(window.len());
    } else {
        ends.extend(
            window
                .split_sentence_bound_indices()
                .map(|(offset, segment)| offset + segment.len()),
        );
    }
    for end in &mut ends[first..] {
        *end += start;
    }
}

/// The UAX #29 sentence classes of the characters the state machine reads ([`common_class`]), as
/// `unicode-segmentation`'s table gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    ATerm,
    STerm,
    Close,
    Sp,
    Cr,
    Lf,
    SContinue,
    Numeric,
    Upper,
    Lower,
    Other,
}

/// The class of an ASCII byte.
fn class(byte: u8) -> Class {
    match byte {
        b'.' => Class::ATerm,
        b'!' | b'?' => Class::STerm,
        b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Class::Close,
        b'\t' | b'\x0b' | b'\x0c' | b' ' => Class::Sp,
        b'\r' => Class::Cr,
        b'\n' => Class::Lf,
        b',' | b'-' | b':' | b';' => Class::SContinue,
        b'0'..=b'9' => Class::Numeric,
        b'A'..=b'Z' => Class::Upper,
        b'a'..=b'z' => Class::Lower,
        _ => Class::Other,
    }
}

/// The class of a character the state machine reads without a table search: any ASCII character,
/// and the quotation marks, dashes, spaces and symbols common in news text that is otherwise ASCII
/// (`“ ” ‘ ’ « » – — …`, the no-break space). `None` for any other character.
fn common_class(c: char) -> Option<Class> {
    if c.is_ascii() {
        return Some(class(c as u8));
    }
    match c {
        '\u{a0}' | '\u{2009}' | '\u{202f}' => Some(Class::Sp),
        '«' | '»' | '\u{2018}'..='\u{201f}' | '‹' | '›' => Some(Class::Close),
        '–' | '—' => Some(Class::SContinue),
        '…' | '•' | '·' | '°' | '€' | '£' | '§' | '©' | '®' | '™' | '′' | '″' => {
            Some(Class::Other)
        }
        _ => None,
    }
}

/// One part of the state (the last four are kept): the class of a character, with a run of
/// Close or of Sp as one part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Sot,
    Other,
    Cr,
    Lf,
    ATerm,
    UpperLower,
    ClosePlus,
    SpPlus,
    STerm,
}

/// The part a character of `class` adds to the state.
fn part(class: Class) -> Part {
    match class {
        Class::Cr => Part::Cr,
        Class::Lf => Part::Lf,
        Class::ATerm => Part::ATerm,
        Class::Upper | Class::Lower => Part::UpperLower,
        Class::Close => Part::ClosePlus,
        Class::Sp => Part::SpPlus,
        Class::STerm => Part::STerm,
        _ => Part::Other,
    }
}

/// ATerm or STerm (UAX #29's SATerm).
fn is_sa_term(part: Part) -> bool {
    matches!(part, Part::ATerm | Part::STerm)
}

/// The part before `SATerm Close*` (`Sp*` too with `spaces`) at the end of `parts`, where the
/// terminator would be.
fn terminator_before(parts: &[Part; 4], spaces: bool) -> Part {
    let mut index = if spaces && parts[3] == Part::SpPlus {
        2
    } else {
        3
    };
    if parts[index] == Part::ClosePlus {
        index -= 1;
    }
    parts[index]
}

/// Appends the ends of the UAX #29 sentences of a text given as its characters' byte offsets and
/// classes, all but the text's own end: `unicode-segmentation`'s state machine (`sentence::fwd`,
/// rules SB1-SB11), restated for the classes of [`common_class`], which need no table search.
fn machine_sentence_ends<I>(classes: I, ends: &mut Vec<usize>)
where
    I: Iterator<Item = (usize, Class)> + Clone,
{
    let mut parts = [Part::Sot; 4];
    let mut rest = classes;
    loop {
        // The text from this character on, for SB8's look ahead.
        let ahead = rest.clone();
        let Some((at, class)) = rest.next() else {
            break;
        };
        let before = parts;
        let collapses = matches!(
            (before[3], class),
            (Part::ClosePlus, Class::Close) | (Part::SpPlus, Class::Sp)
        );
        if !collapses {
            parts = [before[1], before[2], before[3], part(class)];
        }
        // The rules in `unicode-segmentation`'s order; the first that applies decides.
        let breaks = match class {
            // SB1: the start of the text, which is not an end.
            _ if before[3] == Part::Sot => false,
            // SB3, SB4
            Class::Lf if before[3] == Part::Cr => false,
            _ if matches!(before[3], Part::Cr | Part::Lf) => true,
            // SB6, SB7
            Class::Numeric if before[3] == Part::ATerm => false,
            Class::Upper if before[2] == Part::UpperLower && before[3] == Part::ATerm => false,
            // SB8
            _ if terminator_before(&before, true) == Part::ATerm && lower_ahead(ahead) => false,
            // SB8a, SB9, SB10
            Class::SContinue | Class::STerm | Class::ATerm
                if is_sa_term(terminator_before(&before, true)) =>
            {
                false
            }
            Class::Close | Class::Sp | Class::Cr | Class::Lf
                if is_sa_term(terminator_before(&before, false)) =>
            {
                false
            }
            Class::Sp | Class::Cr | Class::Lf if is_sa_term(terminator_before(&before, true)) => {
                false
            }
            // SB11: after `SATerm Close* Sp* ParaSep?`.
            _ => {
                let mut index = if matches!(before[3], Part::Cr | Part::Lf) {
                    2
                } else {
                    3
                };
                if before[index] == Part::SpPlus {
                    index -= 1;
                }
                if before[index] == Part::ClosePlus {
                    index -= 1;
                }
                is_sa_term(before[index])
            }
        };
        if breaks {
            ends.push(at);
        }
    }
}

/// SB8: a lower-case letter comes before any letter, separator or terminator.
fn lower_ahead(mut classes: impl Iterator<Item = (usize, Class)>) -> bool {
    classes
        .find_map(|(_, class)| match class {
            Class::Lower => Some(true),
            Class::Upper | Class::Cr | Class::Lf | Class::STerm | Class::ATerm => Some(false),
            _ => None,
        })
        .unwrap_or(false)
}

/// Whether `byte` may belong to a sentence terminator or a paragraph separator: in ASCII, `.`, `!`,
/// `?`, CR and LF (UAX #29's ATerm, STerm, CR and LF); any byte of a non-ASCII character, whose
/// class is looked at in its window.
fn may_end_sentence(byte: u8) -> bool {
    // Without short-circuits, so that a block of bytes is tested at once (`find_byte`).
    (byte >= 0x80)
        | (byte == b'.')
        | (byte == b'!')
        | (byte == b'?')
        | (byte == b'\r')
        | (byte == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::xorshift;

    fn reference(text: &str) -> Vec<usize> {
        text.split_sentence_bound_indices()
            .map(|(offset, segment)| offset + segment.len())
            .collect()
    }

    fn ends(text: &str) -> Vec<usize> {
        let mut ends = Vec::new();
        sentence_ends(text, &mut ends);
        ends
    }

    /// `texts` texts of fewer than `lengths` characters drawn from `alphabet` (a fixed sequence
    /// from `seed`) have the same ends as `unicode-segmentation` finds.
    fn same_ends_on_generated_text(alphabet: &[char], seed: u64, texts: usize, lengths: u64) {
        let mut next = xorshift(seed);
        for _ in 0..texts {
            let length = (next() % lengths) as usize;
            let text: String = (0..length)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            assert_eq!(ends(&text), reference(&text), "{text:?}");
        }
    }

    #[test]
    fn the_same_ends_as_unicode_segmentation() {
        for text in [
            "",
            "Hello",
            "Hello. World",
            "It fell 3.5 percent. Then it rose.",
            "He said. the end",
            "U.S. President spoke.\r\nNext para\u{2029}and more",
            "“Why?” he asked. Nobody knew.",
            "ডা. মো. রফিকুল ইসলাম বলেন। তিনি যান।",
            "谈判将继续。他说：“好。”",
            "Wait...   (really?)  Yes!  ok",
        ] {
            assert_eq!(ends(text), reference(text), "{text:?}");
        }
    }

    #[test]
    fn the_ascii_state_machine_gives_the_same_ends() {
        let alphabet = b"aAbBzZ .!?,;:-\"'()[]{}\r\n\t\x0b\x0c19#$&*+/<=>@\\^_`|~ ab Mr. U.S. eBay";
        let mut next = xorshift(0x2545_f491_4f6c_dd1d);
        for _ in 0..200_000 {
            let length = (next() % 16) as usize;
            let text: String = (0..length)
                .map(|_| char::from(alphabet[(next() % alphabet.len() as u64) as usize]))
                .collect();
            let mut found = Vec::new();
            push_window_ends(&text, 0, &mut found);
            assert_eq!(found, reference(&text), "{text:?}");
        }
    }

    #[test]
    fn the_state_machine_reads_the_common_characters_as_unicode_segmentation() {
        // Every character the machine knows beyond ASCII, among ASCII of every class.
        let common = "\u{a0}\u{2009}\u{202f}«»‘’‚‛“”„‟‹›–—…•·°€£§©®™′″";
        assert!(common.chars().all(|c| common_class(c).is_some()));
        assert!(['é', 'ক', '\u{301}', '\u{ad}', '।', '\u{2028}'].map(common_class) == [None; 6]);
        let alphabet: Vec<char> = format!("aAbB .!?,-\"()\r\n19{common}").chars().collect();
        let mut next = xorshift(0x3c6e_f372_fe94_f82b);
        for _ in 0..200_000 {
            let length = (next() % 12) as usize;
            let text: String = (0..length)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let mut found = Vec::new();
            push_window_ends(&text, 0, &mut found);
            assert_eq!(found, reference(&text), "{text:?}");
        }
    }

    #[test]
    fn generated_text_has_the_same_ends() {
        // Short strings over characters of every sentence-break class, terminators and the
        // letters that make cut points, from a fixed pseudo-random sequence.
        let alphabet: Vec<char> = "aAbBzZ .!?,;:-\"'()[]{}\r\n\t\u{85}\u{2028}\u{2029}19\u{a0}\
                                   \u{ad}\u{301}\u{200d}éÉ“”’«»।؟۔。！…ক\u{9be}漢ab cd Mr. U.S. eBay"
            .chars()
            .collect();
        same_ends_on_generated_text(&alphabet, 0x9e37_79b9_7f4a_7c15, 200_000, 20);
    }

    #[test]
    fn long_generated_text_has_the_same_ends() {
        // Mostly letters and spaces, so that whole blocks hold no terminator and are passed over.
        let letters = "abcdefghij klmnop qrstu vwxyz ABC DEF abc def ghi ".repeat(4);
        let alphabet: Vec<char> = (letters + ".!?\né।").chars().collect();
        same_ends_on_generated_text(&alphabet, 0x6a09_e667_f3bc_c908, 20_000, 300);
    }
}
