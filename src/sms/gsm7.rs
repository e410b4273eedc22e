//! The GSM 7-bit default alphabet and its extension table (3GPP TS 23.038 6.2.1, 6.2.1.1).
//!
//! Owns the character -> septet mapping and each character's cost: 1 septet in the default
//! alphabet, 2 (escape + code) in the extension table, none outside both. Reads nothing; the tables
//! are the standard's. The costs are public as [`crate::sms::gsm7_cost`]:
//!
//! ```
//! use newsdigest::sms::gsm7_cost;
//! assert_eq!((gsm7_cost('A'), gsm7_cost('€'), gsm7_cost('’')), (Some(1), Some(2), None));
//! ```

/// The default alphabet, indexed by septet. `\u{1b}` at 0x1B is the escape to the extension table.
pub const DEFAULT_ALPHABET: [char; 128] = [
    '@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å', //
    'Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', '\u{1b}', 'Æ', 'æ', 'ß', 'É', //
    ' ', '!', '"', '#', '¤', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/', //
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?', //
    '¡', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', //
    'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ä', 'Ö', 'Ñ', 'Ü', '§', //
    '¿', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', //
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à', //
];

/// The extension table: (septet after the escape, character).
pub const EXTENSION: [(u8, char); 10] = [
    (0x0A, '\u{c}'),
    (0x14, '^'),
    (0x28, '{'),
    (0x29, '}'),
    (0x2F, '\\'),
    (0x3C, '['),
    (0x3D, '~'),
    (0x3E, ']'),
    (0x40, '|'),
    (0x65, '€'),
];

/// The escape septet that switches to the extension table for one character.
pub const ESCAPE: u8 = 0x1B;

/// Cost of each ASCII character in septets (0 = not encodable), built from the tables above.
const ASCII_COST: [u8; 128] = ascii_costs();

const fn ascii_costs() -> [u8; 128] {
    let mut costs = [0u8; 128];
    let mut code = 0;
    while code < 128 {
        let c = DEFAULT_ALPHABET[code] as u32;
        if c < 128 && code != ESCAPE as usize {
            costs[c as usize] = 1;
        }
        code += 1;
    }
    let mut i = 0;
    while i < EXTENSION.len() {
        let c = EXTENSION[i].1 as u32;
        if c < 128 {
            costs[c as usize] = 2;
        }
        i += 1;
    }
    costs
}

/// Septets an ASCII byte costs (0 when it is not in the alphabet).
#[inline]
pub fn ascii_cost(byte: u8) -> u8 {
    ASCII_COST[usize::from(byte & 0x7f)]
}

/// Septets `c` costs in GSM-7: 1, 2 (extension table), or `None` if it is not in the alphabet.
#[inline]
pub fn cost(c: char) -> Option<u8> {
    if c.is_ascii() {
        return match ASCII_COST[c as usize] {
            0 => None,
            n => Some(n),
        };
    }
    match c {
        '€' => Some(2),
        '£' | '¥' | 'è' | 'é' | 'ù' | 'ì' | 'ò' | 'Ç' | 'Ø' | 'ø' | 'Å' | 'å' | 'Δ' | 'Φ' | 'Γ'
        | 'Λ' | 'Ω' | 'Π' | 'Ψ' | 'Σ' | 'Θ' | 'Ξ' | 'Æ' | 'æ' | 'ß' | 'É' | '¤' | '¡' | 'Ä'
        | 'Ö' | 'Ñ' | 'Ü' | '§' | '¿' | 'ä' | 'ö' | 'ñ' | 'ü' | 'à' => Some(1),
        _ => None,
    }
}

/// The septets of `c` in the default alphabet: its code, after the escape when it is in the
/// extension table; `None` when it is in neither. Reads only the tables above, so a message in the
/// default alphabet is encoded without loading the national tables.
pub fn encode_char(c: char) -> Option<(Option<u8>, u8)> {
    if let Some(code) = DEFAULT_ALPHABET
        .iter()
        .position(|&d| d == c && code_is_not_escape(d))
    {
        return Some((None, code as u8));
    }
    EXTENSION
        .iter()
        .find(|&&(_, e)| e == c)
        .map(|&(code, _)| (Some(ESCAPE), code))
}

fn code_is_not_escape(c: char) -> bool {
    c != '\u{1b}'
}

/// Whether every character of `text` is in the default alphabet or the extension table.
pub fn is_gsm7(text: &str) -> bool {
    if ascii_septets(text.as_bytes()).is_some() {
        return true;
    }
    text.chars().all(|c| cost(c).is_some())
}

/// Whether ASCII `byte` is in the extension table (`\f ^ { } \\ [ ~ ] |`: 2 septets).
#[inline]
fn is_extension_byte(byte: u8) -> bool {
    matches!(
        byte,
        0x0c | b'^' | b'{' | b'}' | b'\\' | b'[' | b'~' | b']' | b'|'
    )
}

/// Whether `byte` is not a GSM-7 ASCII character: a control other than LF, CR and FF, the
/// backquote, DEL, or any byte of a non-ASCII character.
#[inline]
fn is_foreign_byte(byte: u8) -> bool {
    (byte < 0x20 && !matches!(byte, b'\n' | b'\r' | 0x0c)) || byte == b'`' || byte >= 0x7f
}

/// Septets of `bytes` when every byte is an ASCII character of the default alphabet or the
/// extension table; `None` otherwise. The same figures as [`ascii_cost`], by comparisons the
/// compiler runs 16 or 32 bytes at a time (no table lookup, no early exit inside a block).
pub fn ascii_septets(bytes: &[u8]) -> Option<usize> {
    const BLOCK: usize = 64;
    let mut septets = bytes.len();
    let mut blocks = bytes.chunks_exact(BLOCK);
    for block in &mut blocks {
        let (mut extension, mut foreign) = (0u8, 0u8);
        for &byte in block {
            extension += u8::from(is_extension_byte(byte));
            foreign |= u8::from(is_foreign_byte(byte));
        }
        if foreign != 0 {
            return None;
        }
        septets += usize::from(extension);
    }
    for &byte in blocks.remainder() {
        if is_foreign_byte(byte) {
            return None;
        }
        septets += usize::from(is_extension_byte(byte));
    }
    Some(septets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_follow_the_tables() {
        for (code, &c) in DEFAULT_ALPHABET.iter().enumerate() {
            let expected = if code == ESCAPE as usize {
                None
            } else {
                Some(1)
            };
            assert_eq!(cost(c), expected, "{c:?} at {code:#04x}");
        }
        for (_, c) in EXTENSION {
            assert_eq!(cost(c), Some(2), "{c:?}");
        }
        for c in [
            '`', '’', '“', '–', '…', '\u{a0}', 'ç', 'ক', '😀', '\t', '\u{7f}', '\u{0}',
        ] {
            assert_eq!(cost(c), None, "{c:?}");
        }
    }

    #[test]
    fn byte_parallel_septets_match_the_table() {
        for b in 0u8..=255 {
            let expected = match b {
                0..=127 => match ASCII_COST[usize::from(b)] {
                    0 => None,
                    n => Some(usize::from(n)),
                },
                _ => None,
            };
            assert_eq!(ascii_septets(&[b]), expected, "{b:#04x}");
            // The same byte inside a 64-byte block.
            let mut block = vec![b'a'; 70];
            block[3] = b;
            assert_eq!(
                ascii_septets(&block),
                expected.map(|n| n + 69),
                "{b:#04x} in a block"
            );
        }
        assert_eq!(ascii_septets(b""), Some(0));
        assert!(is_gsm7("") && is_gsm7("a{b") && !is_gsm7("a`b") && !is_gsm7("ক"));
    }

    #[test]
    fn encodes_both_tables() {
        assert_eq!(encode_char('@'), Some((None, 0)));
        assert_eq!(encode_char('a'), Some((None, 0x61)));
        assert_eq!(encode_char('€'), Some((Some(ESCAPE), 0x65)));
        assert_eq!(encode_char('\u{1b}'), None);
        assert_eq!(encode_char('’'), None);
    }

    #[test]
    fn every_ascii_cost_matches_the_slow_lookup() {
        for b in 0u8..128 {
            let c = b as char;
            let in_alphabet = DEFAULT_ALPHABET.iter().any(|&d| d == c && c != '\u{1b}');
            let in_extension = EXTENSION.iter().any(|&(_, e)| e == c);
            let slow = match (in_alphabet, in_extension) {
                (true, _) => Some(1),
                (false, true) => Some(2),
                (false, false) => None,
            };
            assert_eq!(cost(c), slow, "{c:?}");
        }
    }
}
