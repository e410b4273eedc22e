//! The words of a sentence, as the ranker reads them, and the keys it knows words by.
//!
//! Owns [`WordScanner`] (runs of letters, digits and combining marks, found with a byte table) and
//! [`key`] (a word's, stem's or stopword's 64-bit key: its bytes read as numbers up to
//! [`MAX_SHORT_WORD`] bytes, xxh3 past that), and [`KeyMap`], the maps keyed by them. A short ASCII
//! word is keyed in lower case as it is read ([`lowered_key`]), without a folded copy: the ranker's
//! hottest loop. Reads nothing but the text it is given. Example (inside the crate):
//!
//! ```text
//! let mut scanner = WordScanner::new("The FLOODS, 2025.");
//! scanner.next_word() // Some(("The", Some(key(b"the"))))
//! ```

use std::collections::HashMap;

use crate::text::letters::is_word_char;

/// The longest word (in bytes) keyed by its bytes read as two 64-bit numbers ([`key`]); an ASCII
/// word up to this long is keyed as it is read, without a folded copy.
const MAX_SHORT_WORD: usize = 16;

/// The number a folded word, a stem or a stopword is known by ([`key`]); two different words
/// sharing a 64-bit key is far less likely than any error of the stemmer.
pub(crate) type Key = u64;

/// Reads the words of a sentence: runs of letters, digits and combining marks. Most words are
/// short and ASCII: such a word is also keyed as it is read ([`lowered_key`]), so it is looked up
/// without another pass or a folded copy. ASCII bytes are classified by a table, without decoding
/// a character.
pub(crate) struct WordScanner<'a> {
    text: &'a str,
    at: usize,
}

/// What each byte is to [`WordScanner`]: a letter or digit, a byte between words, or part of a
/// character that is not ASCII.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ByteClass {
    AsciiWord,
    AsciiOther,
    NotAscii,
}

const BYTE_CLASSES: [ByteClass; 256] = {
    let mut table = [ByteClass::NotAscii; 256];
    let mut byte = 0;
    while byte < 128 {
        table[byte] = if (byte as u8).is_ascii_alphanumeric() {
            ByteClass::AsciiWord
        } else {
            ByteClass::AsciiOther
        };
        byte += 1;
    }
    table
};

impl<'a> WordScanner<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        WordScanner { text, at: 0 }
    }

    /// Whether the character at byte `at` (not ASCII) belongs to a word, and its length.
    fn other_char_at(&self, at: usize) -> (bool, usize) {
        let c = self.text[at..].chars().next().unwrap_or_default();
        (is_word_char(c), c.len_utf8())
    }

    /// The next word, and the key of the word in lower case when it is ASCII and at most
    /// [`MAX_SHORT_WORD`] bytes long. Inlined into the loop over a sentence's words, the ranker's
    /// hottest.
    #[inline(always)]
    pub(crate) fn next_word(&mut self) -> Option<(&'a str, Option<Key>)> {
        let bytes = self.text.as_bytes();
        let mut at = self.at;
        let start = loop {
            let Some(&byte) = bytes.get(at) else {
                self.at = at;
                return None;
            };
            match BYTE_CLASSES[usize::from(byte)] {
                ByteClass::AsciiWord => break at,
                ByteClass::AsciiOther => at += 1,
                ByteClass::NotAscii => {
                    let (word, length) = self.other_char_at(at);
                    if word {
                        break at;
                    }
                    at += length;
                }
            }
        };
        let mut ascii = true;
        while let Some(&byte) = bytes.get(at) {
            match BYTE_CLASSES[usize::from(byte)] {
                ByteClass::AsciiWord => at += 1,
                ByteClass::AsciiOther => break,
                ByteClass::NotAscii => {
                    let (word, length) = self.other_char_at(at);
                    if !word {
                        break;
                    }
                    ascii = false;
                    at += length;
                }
            }
        }
        self.at = at;
        let lowered_key =
            (ascii && at - start <= MAX_SHORT_WORD).then(|| lowered_key(bytes, start, at));
        Some((&self.text[start..at], lowered_key))
    }
}

/// The key of a word (folded), a stem or a stopword. Up to [`MAX_SHORT_WORD`] bytes, from the
/// bytes read as little-endian 64-bit numbers (the first eight bytes, zeros past the end, and the
/// last eight when there are more) and the length ([`short_key`]), which is much cheaper than
/// hashing them; longer, xxh3.
pub(crate) fn key(bytes: &[u8]) -> Key {
    let length = bytes.len();
    if length > MAX_SHORT_WORD {
        return xxhash_rust::xxh3::xxh3_64(bytes);
    }
    let mut first = [0; 8];
    let mut last = [0; 8];
    if length <= 8 {
        first[..length].copy_from_slice(bytes);
    } else {
        first.copy_from_slice(&bytes[..8]);
        last.copy_from_slice(&bytes[length - 8..]);
    }
    short_key(u64::from_le_bytes(first), u64::from_le_bytes(last), length)
}

/// The [`key`] of `text[start..end]` in lower case: a word of ASCII letters and digits of at
/// most [`MAX_SHORT_WORD`] bytes, read from `text` in place. Bit 5 set in every byte lowers a
/// letter and leaves a digit as it is.
fn lowered_key(text: &[u8], start: usize, end: usize) -> Key {
    const LOWER: u64 = 0x2020_2020_2020_2020;
    let length = end - start;
    let number_at = |at: usize| {
        let mut eight = [0; 8];
        eight.copy_from_slice(&text[at..at + 8]);
        u64::from_le_bytes(eight) | LOWER
    };
    if length > 8 {
        return short_key(number_at(start), number_at(end - 8), length);
    }
    // The eight bytes from the word's start, or, near the text's end, the eight up to the word's
    // end shifted down; the bytes past the word are cleared.
    let first = if start + 8 <= text.len() {
        number_at(start)
    } else if end >= 8 {
        number_at(end - 8) >> (8 * (8 - length))
    } else {
        let mut eight = [0; 8];
        eight[..length].copy_from_slice(&text[start..end]);
        u64::from_le_bytes(eight) | LOWER
    };
    short_key(first & (u64::MAX >> (8 * (8 - length))), 0, length)
}

/// The key of a word of `length` bytes (at most [`MAX_SHORT_WORD`]) from its first and last eight
/// bytes (`last` unused up to eight). Up to eight bytes, the first eight mixed by murmur3's 64-bit
/// finaliser, a bijection: no word holds a zero byte, so the number is the word, and two such words
/// never share a key. Past eight, the two numbers (one with the length folded in, as the same bytes
/// can open and close words of different lengths: `blablabla`, `blablablabla`) multiplied to 128
/// bits, the halves folded together and mixed: wyhash's way with short input.
fn short_key(first: u64, last: u64, length: usize) -> Key {
    let mix = |mut x: u64| {
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^= x >> 33;
        x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        x ^ (x >> 33)
    };
    if length <= 8 {
        return mix(first);
    }
    let product = u128::from(first ^ 0xa076_1d64_78bd_642f)
        * u128::from(last ^ 0xe703_7ed1_a0b4_28db ^ length as u64);
    mix(product as u64 ^ (product >> 64) as u64)
}

/// Maps keyed by [`Key`]s, whose bits are mixed already: the key is its own hash.
pub(crate) type KeyMap<V> = HashMap<Key, V, BuildKeyHasher>;
pub(crate) type BuildKeyHasher = std::hash::BuildHasherDefault<KeyHasher>;

/// Hashes a [`Key`] to itself (its bits are mixed already).
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used for keys; any other key is folded in bytewise.
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::text::letters::is_mark;

    /// The words of `sentence` by their definition, one character at a time.
    fn reference_words(sentence: &str) -> Vec<&str> {
        let mut words = Vec::new();
        let mut start = None;
        for (at, c) in sentence.char_indices().chain([(sentence.len(), ' ')]) {
            let in_word = at < sentence.len() && (c.is_alphanumeric() || is_mark(c));
            match (start, in_word) {
                (None, true) => start = Some(at),
                (Some(from), false) => {
                    words.push(&sentence[from..at]);
                    start = None;
                }
                _ => {}
            }
        }
        words
    }

    /// The words `WordScanner` reads from `sentence`, checking the key of each short ASCII one
    /// against the key of its folded copy.
    fn scanned_words(sentence: &str) -> Vec<&str> {
        let mut scanner = WordScanner::new(sentence);
        let mut words = Vec::new();
        while let Some((word, lowered_key)) = scanner.next_word() {
            let expected = (word.is_ascii() && word.len() <= MAX_SHORT_WORD)
                .then(|| key(word.to_ascii_lowercase().as_bytes()));
            assert_eq!(lowered_key, expected, "{word:?}");
            words.push(word);
        }
        words
    }

    #[test]
    fn the_scanner_reads_words_and_lowers_short_ascii_ones() {
        let long = "A".repeat(MAX_SHORT_WORD);
        let longer = "B".repeat(MAX_SHORT_WORD + 1);
        for sentence in [
            "",
            "  ,. ",
            "The FLOODS closed 12 schools.",
            "Café crème, naïve Zürich-Bern; a\u{301}b",
            "ঢাকায় বৃষ্টি হয়েছে। নতুন",
            "北京的天气 and Tokyo",
            "x",
            &format!("{long} {longer} {long}s {long}é"),
        ] {
            assert_eq!(
                scanned_words(sentence),
                reference_words(sentence),
                "{sentence:?}"
            );
        }
    }

    #[test]
    fn a_word_of_any_length_is_keyed_in_place_anywhere_in_the_text() {
        // Lengths 1 to 17, alone, first, last, after a long and a short run: every way
        // `lowered_key` reads the bytes (in place, up to the end, or copied).
        let letters = "AbCdEfGhIjKlMnOpQr";
        for length in 1..=MAX_SHORT_WORD + 1 {
            let word = &letters[..length];
            for sentence in [
                word.to_string(),
                format!("{word}."),
                format!("{word} and more words"),
                format!("Some longer text, {word}"),
                format!("a {word}"),
                format!("The rivers rose; {word}. Then 7 {word}!"),
            ] {
                assert_eq!(
                    scanned_words(&sentence),
                    reference_words(&sentence),
                    "{sentence:?}"
                );
            }
        }
    }

    #[test]
    fn short_words_have_distinct_keys() {
        // Every word of one to three letters or digits (about 240 thousand): up to eight bytes,
        // a key is the word's bytes, mixed by a bijection.
        let alphabet: Vec<char> = ('a'..='z').chain('0'..='9').collect();
        let mut words: Vec<String> = alphabet.iter().map(char::to_string).collect();
        for _ in 0..2 {
            let longer: Vec<String> = words
                .iter()
                .filter(|word| word.len() == words.last().unwrap().len())
                .flat_map(|word| alphabet.iter().map(move |c| format!("{word}{c}")))
                .collect();
            words.extend(longer);
        }
        let keys: HashSet<Key> = words.iter().map(|word| key(word.as_bytes())).collect();
        assert_eq!(keys.len(), words.len());
        // Longer words too, of 12 to 16 bytes (two numbers).
        let long: Vec<String> = (0..50_000).map(|i| format!("information{i}")).collect();
        let keys: HashSet<Key> = long.iter().map(|word| key(word.as_bytes())).collect();
        assert_eq!(keys.len(), long.len());
    }

    #[test]
    fn words_that_open_and_close_alike_have_distinct_keys() {
        // Past eight bytes a key reads the first and the last eight: the length tells apart the
        // words of a repeated syllable, which share both.
        for syllable in ["a", "ha", "bla", "abcd", "ab1", "xyzzy"] {
            let words: Vec<String> = (1..=40).map(|n| syllable.repeat(n)).collect();
            let mut lengths: Vec<&str> = words.iter().map(|word| &word[..]).collect();
            lengths.extend((1..=40).map(|n| &words[39][..n]));
            lengths.sort_unstable();
            lengths.dedup();
            let keys: HashSet<Key> = lengths.iter().map(|word| key(word.as_bytes())).collect();
            assert_eq!(keys.len(), lengths.len(), "{syllable}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_scanner_finds_the_words_of_any_text(
            sentence in "[a-zA-Z0-9 .,'\u{301}é\u{9be}ক漢—।’-]{0,80}"
        ) {
            proptest::prop_assert_eq!(scanned_words(&sentence), reference_words(&sentence));
        }
    }
}
