//! National language shift tables (3GPP TS 23.038 annex A): Bengali, Hindi, Urdu and ten other
//! languages written in 7 bits instead of UCS-2, at the cost of a header naming the tables.
//!
//! Reads `data/national/NN-language-{locking,single}.tsv` (the standard's tables as data; see the
//! header of each file) once. A message is encoded with one locking-shift table (replacing the
//! default alphabet) and one single-shift table (replacing the extension table, one character at a
//! time behind the escape). [`Tables::cheapest`] picks the pair that sends a text in the fewest segments,
//! then septets, as Android's `GsmAlphabet` does. With Bengali enabled, `ঢাকায় আজ বৃষ্টি` is 7-bit
//! with the Bengali locking table; `।` (danda) is in neither Bengali table:
//!
//! ```
//! use newsdigest::sms::ConcatRef;
//! use newsdigest::sms::national::{Language::Bengali, Tables};
//! let tables = Tables::get().unwrap();
//! let choice = tables.cheapest("ঢাকায় আজ বৃষ্টি", &[Bengali], ConcatRef::Eight).unwrap();
//! assert_eq!(choice.locking, Bengali);
//! assert!(tables.septets("।", Bengali, Bengali).is_none());
//! ```

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

use super::ConcatRef;
use crate::assets;

/// A national language identifier (TS 23.038 6.2.1.2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Default = 0,
    Turkish = 1,
    Spanish = 2,
    Portuguese = 3,
    Bengali = 4,
    Gujarati = 5,
    Hindi = 6,
    Kannada = 7,
    Malayalam = 8,
    Oriya = 9,
    Punjabi = 10,
    Tamil = 11,
    Telugu = 12,
    Urdu = 13,
}

const ALL: [Language; 14] = [
    Language::Default,
    Language::Turkish,
    Language::Spanish,
    Language::Portuguese,
    Language::Bengali,
    Language::Gujarati,
    Language::Hindi,
    Language::Kannada,
    Language::Malayalam,
    Language::Oriya,
    Language::Punjabi,
    Language::Tamil,
    Language::Telugu,
    Language::Urdu,
];

/// ISO 639-1 codes users name the tables by.
const CODES: [(&str, Language); 13] = [
    ("tr", Language::Turkish),
    ("es", Language::Spanish),
    ("pt", Language::Portuguese),
    ("bn", Language::Bengali),
    ("gu", Language::Gujarati),
    ("hi", Language::Hindi),
    ("kn", Language::Kannada),
    ("ml", Language::Malayalam),
    ("or", Language::Oriya),
    ("pa", Language::Punjabi),
    ("ta", Language::Tamil),
    ("te", Language::Telugu),
    ("ur", Language::Urdu),
];

impl Language {
    /// The identifier sent in the shift IEs.
    pub fn id(self) -> u8 {
        self as u8
    }

    /// The language for an ISO 639-1 code (`bn`), if it has national tables.
    pub fn from_code(code: &str) -> Option<Language> {
        CODES.iter().find(|(c, _)| *c == code).map(|&(_, l)| l)
    }

    /// The language for an identifier from a received header.
    pub fn from_id(id: u8) -> Option<Language> {
        ALL.get(usize::from(id)).copied()
    }

    /// Every code `from_code` accepts, for error messages.
    pub fn codes() -> Vec<&'static str> {
        CODES.iter().map(|(c, _)| *c).collect()
    }

    fn file_stem(self) -> String {
        format!("{:02}-{}", self.id(), format!("{self:?}").to_lowercase())
    }
}

/// One table: septet -> character and back.
#[derive(Debug, Default)]
struct Table {
    to_char: HashMap<u8, char>,
    from_char: HashMap<char, u8>,
}

/// Every table of the standard.
#[derive(Debug)]
pub struct Tables {
    locking: HashMap<Language, Table>,
    single: HashMap<Language, Table>,
}

static TABLES: LazyLock<Result<Tables, String>> = LazyLock::new(Tables::load);

impl Tables {
    /// The built-in tables; an error names the data file that does not parse.
    pub fn get() -> Result<&'static Tables, String> {
        TABLES.as_ref().map_err(Clone::clone)
    }

    fn load() -> Result<Tables, String> {
        let mut tables = Tables {
            locking: HashMap::new(),
            single: HashMap::new(),
        };
        for language in ALL {
            for (kind, map) in [
                ("locking", &mut tables.locking),
                ("single", &mut tables.single),
            ] {
                let name = format!("national/{}-{kind}.tsv", language.file_stem());
                if let Some(text) = assets::data_file(&name) {
                    map.insert(
                        language,
                        parse_table(text).map_err(|e| format!("data/{name}: {e}"))?,
                    );
                }
            }
        }
        if !tables.locking.contains_key(&Language::Default)
            || !tables.single.contains_key(&Language::Default)
        {
            return Err("data/national/: the default alphabet tables are missing".into());
        }
        Ok(tables)
    }

    /// Whether `language` has a locking-shift table (Spanish has only a single-shift table).
    pub fn has_locking(&self, language: Language) -> bool {
        self.locking.contains_key(&language)
    }

    /// Septets `c` costs with this pair: 1 in the locking table, 2 behind the escape, else `None`.
    pub fn cost(&self, c: char, locking: Language, single: Language) -> Option<u8> {
        if self.locking.get(&locking)?.from_char.contains_key(&c) {
            Some(1)
        } else if self.single.get(&single)?.from_char.contains_key(&c) {
            Some(2)
        } else {
            None
        }
    }

    /// The septets of `c`: its code in the locking table, or the escape and its single-shift code.
    pub fn encode_char(
        &self,
        c: char,
        locking: Language,
        single: Language,
    ) -> Option<(Option<u8>, u8)> {
        if let Some(&code) = self.locking.get(&locking)?.from_char.get(&c) {
            return Some((None, code));
        }
        self.single
            .get(&single)?
            .from_char
            .get(&c)
            .map(|&code| (Some(super::ESCAPE), code))
    }

    /// The character for a septet (after an escape when `escaped`), if the table defines one.
    pub fn decode(
        &self,
        septet: u8,
        escaped: bool,
        locking: Language,
        single: Language,
    ) -> Option<char> {
        let table = if escaped {
            self.single.get(&single)?
        } else {
            self.locking.get(&locking)?
        };
        table.to_char.get(&septet).copied()
    }

    /// Septets of `text` with this pair, if every character is in it.
    pub fn septets(&self, text: &str, locking: Language, single: Language) -> Option<usize> {
        text.chars()
            .map(|c| self.cost(c, locking, single).map(usize::from))
            .sum()
    }

    /// The pair that sends `text` in the fewest segments, then septets, then tables; `None` when no
    /// pair of the default alphabet and the `enabled` languages encodes it.
    pub fn cheapest(
        &self,
        text: &str,
        enabled: &[Language],
        concat_ref: ConcatRef,
    ) -> Option<Choice> {
        let mut candidates = vec![Language::Default];
        candidates.extend(enabled.iter().copied().filter(|&l| l != Language::Default));
        let mut best: Option<Choice> = None;
        for &locking in candidates.iter().filter(|&&l| self.has_locking(l)) {
            for &single in &candidates {
                let Some(septets) = self.septets(text, locking, single) else {
                    continue;
                };
                let (single_limit, per_part) = limits(locking, single, concat_ref);
                let segments = if septets <= single_limit {
                    1
                } else {
                    septets.div_ceil(per_part)
                };
                let choice = Choice {
                    locking,
                    single,
                    septets,
                    segments,
                };
                if best.is_none_or(|b| choice.rank() < b.rank()) {
                    best = Some(choice);
                }
            }
        }
        best
    }
}

/// A pair of tables chosen for a text, and what the text costs with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub locking: Language,
    pub single: Language,
    pub septets: usize,
    /// An estimate from the septet count (splitting may need one more for escapes and clusters).
    pub segments: usize,
}

impl Choice {
    fn rank(&self) -> (usize, usize, usize) {
        let tables = usize::from(self.locking != Language::Default)
            + usize::from(self.single != Language::Default);
        (self.segments, self.septets, tables)
    }
}

/// Octets of the national-language IEs (3 each) that a pair adds to the user-data header.
pub fn national_ie_octets(locking: Language, single: Language) -> usize {
    3 * (usize::from(locking != Language::Default) + usize::from(single != Language::Default))
}

/// Septets in a single message and in each part of a concatenated one, with this pair.
///
/// 140 octets of user data, less the header (its length octet, the concatenation IE of 5 or 6
/// octets when concatenated, 3 octets per national table), in whole septets: 160/153 with no
/// tables (152 with a 16-bit reference), 155/149 with one, 152/146 with two.
pub fn limits(locking: Language, single: Language, concat_ref: ConcatRef) -> (usize, usize) {
    let national = national_ie_octets(locking, single);
    let septets = |header: usize| ((140 - header) * 8) / 7;
    let single_header = if national == 0 { 0 } else { 1 + national };
    let concat = match concat_ref {
        ConcatRef::Eight => 5,
        ConcatRef::Sixteen => 6,
    };
    (septets(single_header), septets(1 + concat + national))
}

fn parse_table(text: &str) -> Result<Table, String> {
    let mut table = Table::default();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let error = || format!("line {}: expected `0xNN<TAB>U+XXXX<TAB>name`", number + 1);
        let mut columns = line.split('\t');
        let code = columns
            .next()
            .and_then(|c| c.strip_prefix("0x"))
            .ok_or_else(error)?;
        let code = u8::from_str_radix(code, 16).map_err(|_| error())?;
        let point = columns
            .next()
            .and_then(|c| c.strip_prefix("U+"))
            .ok_or_else(error)?;
        let point = u32::from_str_radix(point, 16)
            .ok()
            .and_then(char::from_u32)
            .ok_or_else(error)?;
        if code > 0x7f || code == super::ESCAPE {
            return Err(format!(
                "line {}: septet {code:#04x} cannot be in a table",
                number + 1
            ));
        }
        if table.to_char.insert(code, point).is_some() {
            return Err(format!("line {}: septet {code:#04x} twice", number + 1));
        }
        // The first position of a character is the one encoders use.
        table.from_char.entry(point).or_insert(code);
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_follow_the_header_size() {
        use Language::{Bengali, Default};
        assert_eq!(limits(Default, Default, ConcatRef::Eight), (160, 153));
        assert_eq!(limits(Default, Default, ConcatRef::Sixteen), (160, 152));
        assert_eq!(limits(Bengali, Default, ConcatRef::Eight), (155, 149));
        assert_eq!(limits(Default, Bengali, ConcatRef::Eight), (155, 149));
        assert_eq!(limits(Bengali, Bengali, ConcatRef::Eight), (152, 146));
        assert_eq!(limits(Bengali, Bengali, ConcatRef::Sixteen), (152, 145));
    }

    #[test]
    fn tables_load_and_match_the_default_alphabet() {
        let tables = Tables::get().unwrap();
        for (code, &c) in super::super::DEFAULT_ALPHABET.iter().enumerate() {
            if code == usize::from(super::super::ESCAPE) {
                continue;
            }
            assert_eq!(
                tables.decode(code as u8, false, Language::Default, Language::Default),
                Some(c)
            );
        }
        for (code, c) in super::super::EXTENSION {
            assert_eq!(
                tables.decode(code, true, Language::Default, Language::Default),
                Some(c)
            );
        }
        assert!(!tables.has_locking(Language::Spanish));
        assert_eq!(tables.locking.len(), 13);
        assert_eq!(tables.single.len(), 14);
    }

    #[test]
    fn picks_the_cheapest_pair() {
        let tables = Tables::get().unwrap();
        let bengali = tables
            .cheapest(
                "ঢাকায় আজ বৃষ্টি হতে পারে",
                &[Language::Bengali],
                ConcatRef::Eight,
            )
            .unwrap();
        assert_eq!(
            (bengali.locking, bengali.single),
            (Language::Bengali, Language::Default)
        );
        let english = tables
            .cheapest("Rain in Dhaka", &[Language::Bengali], ConcatRef::Eight)
            .unwrap();
        assert_eq!(
            (english.locking, english.single),
            (Language::Default, Language::Default)
        );
        // The danda is in no Bengali table.
        assert!(
            tables
                .cheapest("বৃষ্টি হবে।", &[Language::Bengali], ConcatRef::Eight)
                .is_none()
        );
        // Hindi's single-shift table has it.
        let hindi = tables
            .cheapest("बारिश होगी।", &[Language::Hindi], ConcatRef::Eight)
            .unwrap();
        assert_eq!(
            (hindi.locking, hindi.single),
            (Language::Hindi, Language::Hindi)
        );
    }
}
