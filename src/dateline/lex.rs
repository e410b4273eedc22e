//! The bottom of the dateline reader: text into tokens, words folded for comparison, and the one
//! phrase matcher every multi-word list (month names of two words, `a.m.`, `বাংলাদেশ সময়`) uses.
//!
//! Owns [`Token`], [`fold`], [`digit_value`], [`tokenize`] and [`match_phrase`]. Reads only the
//! text it is given; writes nothing. Numbers are made of any script's digits (their value saturates
//! instead of wrapping), each Han character is a word of its own, everything else that is not a
//! letter or a space is one punctuation token, and each token knows whether it sits inside
//! parentheses. Example: `BDST: ১৩৪৭ HRS` is the word `BDST`, the punctuation `:`, the number
//! 1347 and the word `HRS`, so Bengali digits read like ASCII ones:
//!
//! ```
//! use newsdigest::dateline::{parse, Context};
//! let context = Context { country: None, home: None, now: "2025-04-23T12:00:00Z".parse().unwrap() };
//! let resolved = parse("BDST: ১৩৪৭ HRS, APR ২৩, ২০২৫", &context).unwrap();
//! assert_eq!(resolved.utc.to_rfc3339(), "2025-04-23T07:47:00+00:00");
//! ```

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Number,
    Word,
    Punct,
}

/// One token of a dateline.
#[derive(Debug, Clone)]
pub struct Token {
    pub kind: Kind,
    /// As written, with digits made ASCII (a number keeps at most its first 20 digits here).
    pub raw: String,
    /// As written, digits in their own script (at most 20 of them): for messages.
    pub written: String,
    /// Folded for comparison with word lists.
    pub folded: String,
    /// Value of a number (saturating at `u64::MAX`, never wrapping), else 0.
    pub value: u64,
    /// The number of digits as written (0 for words and punctuation), however long.
    pub digits: usize,
    /// Inside parentheses.
    pub in_parens: bool,
    /// Whitespace (or the start of the text) comes right before it: `APR -1` vs `Apr-23`.
    pub spaced: bool,
}

impl Token {
    fn new(kind: Kind, raw: String, folded: String, in_parens: bool) -> Token {
        Token {
            kind,
            written: raw.clone(),
            raw,
            folded,
            value: 0,
            digits: 0,
            in_parens,
            spaced: false,
        }
    }
}

/// The value of a digit in any script newsrooms use (ASCII, Bengali, Devanagari, Arabic-Indic,
/// Extended Arabic-Indic, fullwidth).
pub fn digit_value(c: char) -> Option<u8> {
    let zero = match c {
        '0'..='9' => '0',
        '০'..='৯' => '০',
        '०'..='९' => '०',
        '٠'..='٩' => '٠',
        '۰'..='۹' => '۰',
        '０'..='９' => '０',
        _ => return None,
    };
    u8::try_from(u32::from(c) - u32::from(zero)).ok()
}

/// The ASCII digit of a value 0..=9.
fn ascii_digit(d: u8) -> char {
    char::from(b'0' + d)
}

/// Text as words are compared: lower case, ASCII digits, nukta letters decomposed, Arabic short
/// vowels and tatweel dropped (`مساءً` is `مساء`).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if let Some(d) = digit_value(c) {
            out.push(ascii_digit(d));
            continue;
        }
        if crate::text::normalize::push_decomposed_nukta(c, &mut out) {
            continue;
        }
        match c {
            'ʼ' | '’' => out.push('\''),
            '\u{64b}'..='\u{652}' | '\u{640}' => {}
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// Letters and the marks that belong to words in Indic and Arabic scripts.
fn is_word_char(c: char) -> bool {
    c.is_alphabetic()
        || matches!(c, '_' | '\'' | 'ʼ' | '\u{200c}' | '\u{200d}' | '\u{0670}')
        || ('\u{0300}'..='\u{036f}').contains(&c)
        || ('\u{0610}'..='\u{061a}').contains(&c)
        || ('\u{064b}'..='\u{065f}').contains(&c)
        || ('\u{06d6}'..='\u{06ed}').contains(&c)
        || (('\u{0900}'..='\u{0dff}').contains(&c)
            && digit_value(c).is_none()
            && !matches!(c, '।' | '॥'))
}

/// The tokens of `text`. Work is linear in its length.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    let mut depth: u32 = 0;
    let mut chars = text.chars().peekable();
    let mut spaced = true;
    while let Some(c) = chars.next() {
        let in_parens = depth > 0;
        if c.is_whitespace() {
            spaced = true;
            continue;
        }
        let first = tokens.len();
        if let Some(d) = digit_value(c) {
            tokens.push(number_token(c, d, &mut chars, in_parens));
        } else if is_han(c) {
            tokens.push(Token::new(
                Kind::Word,
                c.to_string(),
                c.to_string(),
                in_parens,
            ));
        } else if is_word_char(c) {
            let mut raw = c.to_string();
            while let Some(&next) = chars.peek() {
                if !is_word_char(next) || is_han(next) || digit_value(next).is_some() {
                    break;
                }
                chars.next();
                raw.push(next);
            }
            let folded = fold(&raw);
            tokens.push(Token::new(Kind::Word, raw, folded, in_parens));
        } else {
            match c {
                '(' | '[' | '（' => depth = depth.saturating_add(1),
                ')' | ']' | '）' => depth = depth.saturating_sub(1),
                _ => {}
            }
            tokens.push(Token::new(
                Kind::Punct,
                c.to_string(),
                c.to_string(),
                in_parens,
            ));
        }
        if let Some(token) = tokens.get_mut(first) {
            token.spaced = spaced;
        }
        spaced = false;
    }
    tokens
}

/// A number starting with digit `first`, reading the digits that follow it.
fn number_token(
    written_first: char,
    first: u8,
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    in_parens: bool,
) -> Token {
    let mut raw = String::from(ascii_digit(first));
    let mut written = String::from(written_first);
    let mut value = u64::from(first);
    let mut digits = 1usize;
    while let Some((c, d)) = chars
        .peek()
        .copied()
        .and_then(|c| Some((c, digit_value(c)?)))
    {
        chars.next();
        digits = digits.saturating_add(1);
        if raw.len() < 20 {
            raw.push(ascii_digit(d));
            written.push(c);
        }
        value = value.saturating_mul(10).saturating_add(u64::from(d));
    }
    Token {
        kind: Kind::Number,
        folded: raw.clone(),
        raw,
        written,
        value,
        digits,
        in_parens,
        spaced: false,
    }
}

/// Folded texts of the tokens of `text`: how a word-list or zone phrase becomes a token sequence,
/// with the very tokenizer that reads the dateline. The build splits the built-in phrases with it
/// (`build/dateline_words.rs`, `build/zones.rs`); the binary itself does not call it.
#[cfg_attr(not(test), allow(dead_code))]
pub fn token_texts(text: &str) -> Vec<String> {
    tokenize(text).into_iter().map(|t| t.folded).collect()
}

/// The phrase of `phrases` (folded token texts, longest first) that starts at token `i`: its
/// length in tokens and its meaning. The one matcher for every multi-token phrase.
pub fn match_phrase<P: AsRef<[S]>, S: AsRef<str>, T: Copy>(
    tokens: &[Token],
    i: usize,
    phrases: &[(P, T)],
) -> Option<(usize, T)> {
    phrases.iter().find_map(|(phrase, meaning)| {
        let phrase = phrase.as_ref();
        let window = tokens.get(i..i.checked_add(phrase.len())?)?;
        (!phrase.is_empty()
            && window
                .iter()
                .zip(phrase)
                .all(|(t, p)| t.folded == p.as_ref()))
        .then_some((phrase.len(), *meaning))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_digits_and_nukta() {
        assert_eq!(fold("১৩৪৭"), "1347");
        assert_eq!(fold("२०२५"), "2025");
        assert_eq!(fold("٢٣"), "23");
        assert_eq!(fold("۲۳"), "23");
        assert_eq!(fold("সম\u{9df}"), "সম\u{9af}\u{9bc}");
        assert_eq!(fold("\u{95b}"), "ज\u{93c}");
        assert_eq!(fold("APR"), "apr");
        assert_eq!(fold("مساءً"), "مساء");
        assert_eq!(fold("صباحًا"), "صباحا");
    }

    #[test]
    fn numbers_saturate_and_count_their_digits() {
        let tokens = tokenize(&"9".repeat(40));
        assert_eq!(tokens.len(), 1);
        assert_eq!(tokens[0].value, u64::MAX);
        assert_eq!(tokens[0].digits, 40);
        assert_eq!(tokens[0].raw.len(), 20);
    }

    #[test]
    fn tokens_know_what_is_spaced_and_parenthesised() {
        let tokens = tokenize("APR -1 Apr-23 (GMT+6)");
        let shape: Vec<(&str, bool, bool)> = tokens
            .iter()
            .map(|t| (t.raw.as_str(), t.spaced, t.in_parens))
            .collect();
        assert_eq!(
            shape,
            [
                ("APR", true, false),
                ("-", true, false),
                ("1", false, false),
                ("Apr", true, false),
                ("-", false, false),
                ("23", false, false),
                ("(", true, false),
                ("GMT", false, true),
                ("+", false, true),
                ("6", false, true),
                (")", false, true),
            ]
        );
    }

    #[test]
    fn one_matcher_for_phrases() {
        let phrases = [(token_texts("বাংলাদেশ সময়"), 1), (token_texts("a.m."), 2)];
        let tokens = tokenize("বাংলাদেশ সময়: 8 a.m.");
        assert_eq!(match_phrase(&tokens, 0, &phrases), Some((2, 1)));
        assert_eq!(match_phrase(&tokens, 4, &phrases), Some((4, 2)));
        assert_eq!(match_phrase(&tokens, 5, &phrases), None);
        assert_eq!(match_phrase(&tokens, 99, &phrases), None);
    }
}
