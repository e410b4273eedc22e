//! UAX #29 sentence boundaries, exactly as `unicode-segmentation` finds them, without running its
//! state machine over most of the text.
//!
//! Owns [`sentence_ends`]. `split_sentence_bound_indices` looks up the class of every character
//! (a table search) and checks every rule after it; in running text almost no character can start
//! or end a sentence. A break can only follow a terminator (`.`, `!`, `?`, `।`, `。`...) or a
//! paragraph separator, so the text is cut into windows at *cut points* -- between two ASCII letters
//! -- and only the windows that hold a byte that may be a terminator or separator (`.`, `!`, `?`,
//! CR, LF, or any non-ASCII character) are given to `unicode-segmentation`. Why that is exact:
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
//! The equivalence is also checked against `unicode-segmentation` on generated text (tests).

use unicode_segmentation::UnicodeSegmentation;

/// Appends to `ends` the end (byte offset) of each UAX #29 sentence of `text`, in order: the ends
/// of `text.split_sentence_bound_indices()`'s segments; the last is `text.len()` (none for an
/// empty text).
pub(crate) fn sentence_ends(text: &str, ends: &mut Vec<usize>) {
    let mut window_start = 0;
    let mut pending = false;
    let mut previous_letter = false;
    for (at, &byte) in text.as_bytes().iter().enumerate() {
        let letter = byte.is_ascii_alphabetic();
        if letter && previous_letter {
            if pending {
                push_inner_ends(text, window_start, at, ends);
                pending = false;
            }
            window_start = at;
        }
        pending |= may_end_sentence(byte);
        previous_letter = letter;
    }
    if pending {
        let window = &text[window_start..];
        ends.extend(
            window
                .split_sentence_bound_indices()
                .map(|(offset, segment)| window_start + offset + segment.len()),
        );
    } else if !text.is_empty() {
        ends.push(text.len());
    }
}

/// The boundaries inside the window `start..end` (both cut points), found by `unicode-segmentation`;
/// the window's own end is not one.
fn push_inner_ends(text: &str, start: usize, end: usize, ends: &mut Vec<usize>) {
    let mut segments = text[start..end].split_sentence_bound_indices().peekable();
    while let Some((offset, segment)) = segments.next() {
        if segments.peek().is_some() {
            ends.push(start + offset + segment.len());
        }
    }
}

/// Whether `byte` may belong to a sentence terminator or a paragraph separator: in ASCII, `.`, `!`,
/// `?`, CR and LF (UAX #29's ATerm, STerm, CR and LF); any byte of a non-ASCII character, whose
/// class is left to `unicode-segmentation`.
fn may_end_sentence(byte: u8) -> bool {
    !byte.is_ascii() || matches!(byte, b'.' | b'!' | b'?' | b'\r' | b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn generated_text_has_the_same_ends() {
        // Short strings over characters of every sentence-break class, terminators and the
        // letters that make cut points, from a fixed pseudo-random sequence.
        let alphabet: Vec<char> = "aAbBzZ .!?,;:-\"'()[]{}\r\n\t\u{85}\u{2028}\u{2029}19\u{a0}\
                                   \u{ad}\u{301}\u{200d}éÉ“”’«»।؟۔。！…ক\u{9be}漢ab cd Mr. U.S. eBay"
            .chars()
            .collect();
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..200_000 {
            let length = (next() % 20) as usize;
            let text: String = (0..length)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            assert_eq!(ends(&text), reference(&text), "{text:?}");
        }
    }
}
