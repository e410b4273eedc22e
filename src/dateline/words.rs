//! The words datelines are written with, in every language: month and weekday names, AM/PM words,
//! "hours" words (`1347 HRS`, `১৩৪৭ ঘণ্টা`), ordinal suffixes (`23rd`) and filler words between
//! the parts of a date (`23 de abril de 2025`).
//!
//! The words of `locales/<lang>/dateline.toml` of every built-in language are merged: copy does
//! not say which language its dateline is in (`APR 23` in Bangla copy, `এপ্রিল ২৩` in English copy).
//! The build does the merging, folding and checking (`build/dateline_words.rs`), so start-up reads
//! no TOML. Words are compared after [`super::lex::fold`]: lower case, every script's digits as
//! ASCII, Bengali and Devanagari nukta letters decomposed; entries of several tokens (`a.m.`)
//! become phrases split by the dateline tokenizer ([`super::lex`]). Owns [`Words`]; writes nothing. Example: `এপ্রিল` is
//! April and `পূর্বাহ্ণ` is AM, in Bengali copy or any other:
//!
//! ```
//! use newsdigest::dateline::{parse, Context};
//! let context = Context { country: Some("BD".into()), home: None, now: "2022-12-23T12:00:00Z".parse().unwrap() };
//! let resolved = parse("প্রকাশিত: ৮:৩৮ পূর্বাহ্ণ, ডিসেম্বর ২৩, ২০২২", &context).unwrap();
//! assert_eq!(resolved.local.to_rfc3339(), "2022-12-23T08:38:00+06:00");
//! ```

/// The tables `build/dateline_words.rs` compiles from `locales/*/dateline.toml` at build time:
/// every word already folded, multi-token entries split by [`super::lex::token_texts`].
mod compiled {
    use super::{Meridiem, Phrase, RelativeWord, Unit};
    include!(concat!(env!("OUT_DIR"), "/dateline_words.rs"));
}

/// AM, PM, or "at night" (`রাত ১১টা` is 23:00, `রাত ২টা` is 02:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meridiem {
    Am,
    Pm,
    Night,
}

/// A unit of a relative time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

/// A word of a relative time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelativeWord {
    /// After the amount: `ago`, `আগে`, `назад`, `前`.
    AgoAfter,
    /// Before the amount: `hace`, `il y a`, `vor`, `منذ`.
    AgoBefore,
    /// A count of one written as a word: `an`, `una`, `einer`.
    One,
    Unit(Unit),
    /// A word with its own count: `ساعتين` (two hours).
    Counted(u64, Unit),
    /// `just now`.
    Now,
    /// `today` (0), `yesterday` (1), `the day before yesterday` (2).
    DaysBack(u64),
}

/// Every language's dateline words, folded. One-token words are looked up in the compiled tables
/// (sorted, binary search); multi-token entries are held as token lists for
/// [`super::lex::match_phrase`].
#[derive(Debug)]
pub struct Words {
    /// Entries of several tokens (`a.m.`, `كانون الثاني`, `上午`), as folded token texts.
    phrases: &'static [(&'static [&'static str], Phrase)],
    /// Every relative-time word, as folded token texts, longest first.
    relative: &'static [(&'static [&'static str], RelativeWord)],
    /// The same, per language: a relative time is read in one language at a time, so that a word
    /// that means one thing in one language and another elsewhere (`год`: hours in Ukrainian, year
    /// in Russian; `قبل`: before the amount in Arabic, after it in Urdu) keeps each meaning.
    relative_by_language: &'static [&'static [(&'static [&'static str], RelativeWord)]],
}

/// What a multi-token phrase means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phrase {
    Month(u32),
    Weekday(u32),
    Meridiem(Meridiem),
}

static WORDS: Words = Words {
    phrases: compiled::PHRASES,
    relative: compiled::RELATIVE,
    relative_by_language: compiled::RELATIVE_BY_LANGUAGE,
};

impl Words {
    /// The merged built-in words. Never an error: the build checks the data files (a bad one
    /// fails the build, naming the file); the `Result` is kept for the callers that report it.
    pub fn get() -> Result<&'static Words, String> {
        Ok(&WORDS)
    }

    /// Entries of several tokens, longest first, for [`super::lex::match_phrase`].
    pub fn phrases(&self) -> &'static [(&'static [&'static str], Phrase)] {
        self.phrases
    }

    /// Relative-time words of every language, longest first, for [`super::lex::match_phrase`].
    pub fn relative(&self) -> &'static [(&'static [&'static str], RelativeWord)] {
        self.relative
    }

    /// Relative-time words, one list per language, each longest first.
    pub fn relative_by_language(
        &self,
    ) -> &'static [&'static [(&'static [&'static str], RelativeWord)]] {
        self.relative_by_language
    }

    /// The languages (bit `i` for the `i`th of [`Words::relative_by_language`], languages past
    /// the 64th sharing the last bit) that have a relative-time phrase starting with `folded`.
    pub fn first_token_languages(folded: &str) -> Option<u64> {
        lookup(compiled::FIRST_TOKENS, folded)
    }

    /// Whether `folded` is any dateline word (month, weekday, AM/PM, hours, ordinal, filler).
    pub fn is_known(&self, folded: &str) -> bool {
        self.month(folded).is_some()
            || self.weekday(folded).is_some()
            || self.meridiem(folded).is_some()
            || self.is_hours_word(folded)
            || self.is_oclock(folded)
            || self.is_ordinal(folded)
            || self.is_filler(folded)
            || compiled::LABELS.contains(&folded)
    }

    /// A word after an hour of one or two digits that means "o'clock": `৮টা`, `8 बजे`, `16 Uhr`.
    pub fn is_oclock(&self, folded: &str) -> bool {
        compiled::OCLOCK.contains(&folded)
    }

    /// An era word after a year (`٢٠٢٥ م`, Common Era), which may also be an AM/PM word.
    pub fn is_era(&self, folded: &str) -> bool {
        compiled::ERA.contains(&folded)
    }

    /// A word that names a zone only with another (`time` in `Eastern Time`): left unread, it is
    /// refused rather than ignored.
    pub fn is_zone_word(&self, folded: &str) -> bool {
        compiled::ZONE_WORDS.contains(&folded)
    }

    pub fn month(&self, folded: &str) -> Option<u32> {
        lookup(compiled::MONTHS, folded)
    }

    pub fn weekday(&self, folded: &str) -> Option<u32> {
        lookup(compiled::WEEKDAYS, folded)
    }

    pub fn meridiem(&self, folded: &str) -> Option<Meridiem> {
        lookup(compiled::MERIDIEMS, folded)
    }

    pub fn is_hours_word(&self, folded: &str) -> bool {
        compiled::HOURS.contains(&folded)
    }

    pub fn is_filler(&self, folded: &str) -> bool {
        compiled::FILLERS.contains(&folded)
    }

    pub fn is_ordinal(&self, folded: &str) -> bool {
        compiled::ORDINALS.contains(&folded)
    }
}

/// The meaning of `folded` in a compiled table sorted by word.
fn lookup<T: Copy>(table: &[(&str, T)], folded: &str) -> Option<T> {
    table
        .binary_search_by(|(word, _)| (*word).cmp(folded))
        .ok()
        .map(|index| table[index].1)
}

#[cfg(test)]
mod tests {
    use super::super::lex::fold;
    use super::*;

    #[test]
    fn builtin_words_load() {
        let words = Words::get().unwrap();
        assert_eq!(words.month("apr"), Some(4));
        assert_eq!(words.month(&fold("এপ্রিল")), Some(4));
        assert_eq!(words.month(&fold("апреля")), Some(4));
        assert_eq!(words.month(&fold("फ़रवरी")), Some(2));
        assert_eq!(words.month(&fold("फरवरी")), Some(2));
        assert_eq!(words.weekday("sunday"), Some(6));
        assert_eq!(words.meridiem(&fold("পূর্বাহ্ণ")), Some(Meridiem::Am));
        assert!(words.is_hours_word(&fold("ঘণ্টা")));
        assert!(
            words
                .phrases
                .iter()
                .any(|(t, p)| t.join("") == "a.m." && *p == Phrase::Meridiem(Meridiem::Am))
        );
    }
}
