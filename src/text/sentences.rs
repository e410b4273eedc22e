//! Sentence splitting for every script a newsroom publishes in.
//!
//! UAX #29 (unicode-segmentation) finds every candidate break in any script (`.`, `?`, `!`, `।`,
//! `؟`, `۔`, `。`...); a period before a number or a brand, which UAX #29 reads as going on
//! (`last year. 2025 will…`, `online. eBay said…`), is one more. A thin layer then removes the
//! false ones, reading the word before the period (or `!`) and the word after it:
//!
//! - a lowercase word goes on with the sentence; a brand (`eBay`, `iPhone`) counts as capitalised;
//! - a number goes on after an abbreviation or an initial (`No. 10`, `p. 12`, `U.S. 10-year`);
//! - a title never ends a sentence (`Mr.`, `Gen.`, `vgl.`);
//! - an initial, unlisted letters with periods (`J. K.`, `J.K.`, `ড.`) and an abbreviation that
//!   seldom ends a sentence (`Ill.`, `No.`, `г.`) end one only before a sentence starter
//!   (`Malcolm X. He`, `Springfield, Ill. The`; not `Art. I`); one capital letter after a designator
//!   also before any capitalised word (`World War I. Later`);
//! - an abbreviation that may end a sentence (`U.S.`, `Inc.`, `p.m.`, `etc.`) ends it before any
//!   capitalised word but a continuation (`U.S. President`, `5 p.m. Monday`);
//! - a day number ends none before a month, nor after an article before a noun (`am 3. Oktober`,
//!   `der 2. Weltkrieg`); a name with `!` none before a non-starter (`Yahoo! Japan`);
//! - a period just inside a closing parenthesis counts as the last (`Gen. (ret.) John Smith`);
//! - after any other word the break stands.
//!
//! The word lists are data, per language, in `locales/<lang>/sentences.toml`. An entry that starts
//! with a capital matches only as written (`Ill.` the state, not `ill.` the word); one that starts in
//! lowercase matches in any case (`vgl.` also opens a sentence as `Vgl.`), but a single letter only
//! as written (`v.`, not the initial `V.`). Before a number any case matches (`no. 1`, `vol. 3`).
//!
//! ```
//! use newsdigest::text::sentences::SentenceSplitter;
//! let en = SentenceSplitter::for_language("en");
//! assert_eq!(
//!     en.split("The company is based in the U.S. It employs 500 people."),
//!     ["The company is based in the U.S.", "It employs 500 people."]
//! );
//! assert_eq!(en.split("the U.S. President said").len(), 1);
//! assert_eq!(en.split("He was ill. The doctor came.").len(), 2);
//! ```

use std::borrow::Cow;
use std::iter;

use unicode_segmentation::UnicodeSegmentation;

use crate::text::sentence_bounds;

/// The built-in languages' rules, sorted by language, compiled from
/// `locales/<lang>/sentences.toml` into the binary at build time (`build/sentence_rules.rs`).
mod compiled {
    use super::{Rules, Words};
    include!(concat!(env!("OUT_DIR"), "/sentence_rules.rs"));
}

/// One word list, without final periods or exclamation marks: an entry that starts with a capital
/// matches only as written, one that starts in lowercase (or in a script without case) in any case,
/// except a single letter (`v.` is not `V.`, an initial). The build splits each list so
/// (`build/sentence_rules.rs`); every part is sorted, for binary search.
#[derive(Debug)]
struct Words {
    /// The entries that start with a capital and single letters, as written.
    exact: &'static [&'static str],
    /// The other entries, lower-cased.
    any_case: &'static [&'static str],
    /// Every entry, lower-cased.
    folded: &'static [&'static str],
    /// The ASCII entries of `folded`, as a filter ([`AsciiFilter`]).
    ascii: AsciiFilter,
}

impl Words {
    const EMPTY: Words = Words::new(&[], &[], &[]);

    /// The lists as the build splits them (see [`Words`]); the filter is computed when the
    /// program is compiled.
    const fn new(
        exact: &'static [&'static str],
        any_case: &'static [&'static str],
        folded: &'static [&'static str],
    ) -> Words {
        Words {
            exact,
            any_case,
            folded,
            ascii: AsciiFilter::of(folded),
        }
    }

    /// Whether `word` (with or without its final period) is an entry, by the case rule above.
    fn contains(&self, word: &str) -> bool {
        let word = word.trim_end_matches('.');
        self.may_hold(word) && (has(self.exact, word) || has(self.any_case, &lowercase(word)))
    }

    /// Whether `word` is an entry in any case: `no` before a number is `No.`.
    fn contains_ignoring_case(&self, word: &str) -> bool {
        let word = word.trim_end_matches('.');
        self.may_hold(word) && has(self.folded, &lowercase(word))
    }

    /// False when `word` is surely no entry in any case: most words a split looks up are ASCII
    /// and in no list, and the filter says so without a search.
    fn may_hold(&self, word: &str) -> bool {
        !word.is_ascii() || self.ascii.may_hold(word.as_bytes())
    }
}

/// A set of ASCII words, lower-cased, by two bits each of a hash (a Bloom filter): a word it does
/// not hold is surely not in the set; one it holds may be (about 3 in 100 other words pass for a
/// list of a hundred words, 8 in 100 for the longest built-in list, 166).
#[derive(Debug)]
struct AsciiFilter([u64; AsciiFilter::WORDS]);

impl AsciiFilter {
    /// 1024 bits.
    const WORDS: usize = 16;

    /// The filter of the ASCII words of `list` (lower-cased); words that are not ASCII are left
    /// out.
    const fn of(list: &[&str]) -> AsciiFilter {
        let mut bits = [0; AsciiFilter::WORDS];
        let mut index = 0;
        while index < list.len() {
            let word = list[index].as_bytes();
            if word.is_ascii() {
                let [first, second] = AsciiFilter::bits(word);
                bits[first / 64] |= 1 << (first % 64);
                bits[second / 64] |= 1 << (second % 64);
            }
            index += 1;
        }
        AsciiFilter(bits)
    }

    /// Whether an ASCII `word` may be in the set, in any case.
    fn may_hold(&self, word: &[u8]) -> bool {
        let [first, second] = AsciiFilter::bits(word);
        (self.0[first / 64] >> (first % 64)) & (self.0[second / 64] >> (second % 64)) & 1 == 1
    }

    /// The two bits of an ASCII word, in lower case: from the FNV-1a hash of its lower-cased
    /// bytes.
    const fn bits(word: &[u8]) -> [usize; 2] {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut index = 0;
        while index < word.len() {
            hash ^= word[index].to_ascii_lowercase() as u64;
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            index += 1;
        }
        let bits = (AsciiFilter::WORDS * 64) as u64;
        [
            ((hash >> 32) % bits) as usize,
            ((hash >> 48) % bits) as usize,
        ]
    }
}

/// Whether the sorted `list` holds `word`.
fn has(list: &[&str], word: &str) -> bool {
    list.binary_search(&word).is_ok()
}

/// `word` in lower case, copied only when it has an upper-case letter or is not ASCII.
fn lowercase(word: &str) -> Cow<'_, str> {
    if word
        .bytes()
        .all(|byte| byte.is_ascii() && !byte.is_ascii_uppercase())
    {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(word.to_lowercase())
    }
}

/// A language's word lists: the keys of `locales/<lang>/sentences.toml`.
#[derive(Debug)]
struct Rules {
    /// Abbreviations that never end a sentence (`Mr.`, `Gen.`, `vgl.`).
    titles: Words,
    /// Abbreviations that end one only before a sentence starter (`Ill.`, `No.`, `г.`).
    seldom_end: Words,
    /// Abbreviations that end one before any capitalised word but a continuation (`Inc.`, `U.S.`).
    may_end: Words,
    /// Words that usually open a sentence (`It`, `The`): `sentence_starters` in the file.
    starters: Words,
    /// Capitalised words that go on with a sentence after a `may_end` abbreviation (`President`).
    continuations: Words,
    /// Words after which one letter is a designation, not an initial (`War`, `Plan`, `vitamin`).
    designators: Words,
    /// Names written with an exclamation mark (`Yahoo!`).
    exclamation_names: Words,
    /// Words before a day number that make it an ordinal (`am`, `der`).
    ordinal_articles: Words,
    /// Words that make the number and period before them an ordinal (`Oktober`).
    ordinal_nouns: Words,
}

/// The rules of a language without data: the initial and lowercase rules only.
static NO_RULES: Rules = Rules {
    titles: Words::EMPTY,
    seldom_end: Words::EMPTY,
    may_end: Words::EMPTY,
    starters: Words::EMPTY,
    continuations: Words::EMPTY,
    designators: Words::EMPTY,
    exclamation_names: Words::EMPTY,
    ordinal_articles: Words::EMPTY,
    ordinal_nouns: Words::EMPTY,
};

impl Rules {
    /// The built-in rules of `lang` (`bn-BD` falls back to `bn`); empty for unknown languages.
    fn builtin(lang: &str) -> Result<&'static Rules, String> {
        let base = lang.split(['-', '_']).next().unwrap_or(lang);
        let lists = |lang: &str| {
            let builtin = compiled::BUILTIN;
            let found = builtin.binary_search_by(|(name, _)| (*name).cmp(lang));
            found.ok().map(|index| &builtin[index].1)
        };
        // The build checked every file; the `Result` is kept for the callers that report it.
        Ok(lists(lang).or_else(|| lists(base)).unwrap_or(&NO_RULES))
    }

    /// Whether `word` usually opens a sentence; `A.` and `I.` are initials, not `A` and `I`.
    fn opens(&self, word: &str) -> bool {
        !word.ends_with('.') && self.starters.contains(word)
    }
}

/// Splits running text into sentences for one language.
#[derive(Debug, Clone)]
pub struct SentenceSplitter {
    rules: &'static Rules,
}

impl SentenceSplitter {
    /// The splitter for `lang` (a BCP 47 tag such as `en` or `bn-BD`), with its built-in data.
    /// A language without data still splits, with the initial and lowercase rules only.
    pub fn for_language(lang: &str) -> Self {
        SentenceSplitter {
            rules: Rules::builtin(lang).unwrap_or(&NO_RULES),
        }
    }

    /// Checks that the built-in data of `lang` parses; the error names the file.
    pub fn validate(lang: &str) -> Result<(), String> {
        Rules::builtin(lang).map(|_| ())
    }

    /// The sentences of `text`, trimmed, in order.
    pub fn split<'a>(&self, text: &'a str) -> Vec<&'a str> {
        let mut sentences = Vec::new();
        let mut start = 0;
        for end in candidate_ends(text) {
            if end < text.len() && self.continues(&text[start..end], &text[end..]) {
                continue;
            }
            let sentence = text[start..end].trim();
            if !sentence.is_empty() {
                sentences.push(sentence);
            }
            start = end;
        }
        sentences
    }

    /// Whether the candidate break between `current` and `next` is a false one.
    fn continues(&self, current: &str, next: &str) -> bool {
        let rules = &self.rules;
        let word = first_word(next);
        let Some(first) = word.chars().next() else {
            return false;
        };
        let capital = first.is_uppercase() || is_brand(word);
        if first.is_lowercase() && !capital {
            return true;
        }
        // `Gen. (ret.) John`: the period inside the parenthesis is the one that counts.
        let body = current.trim_end().trim_end_matches([')', ']']);
        if let Some(before) = body.strip_suffix('!') {
            return rules.exclamation_names.contains(last_word(before)) && !rules.opens(word);
        }
        let Some(before) = body.strip_suffix('.') else {
            return false;
        };
        let token = last_word(before);
        let number = first.is_numeric();
        if token.is_empty() || token.ends_with('.') {
            // An ellipsis (`on and on...`) ends the sentence before anything but a number.
            return number;
        }
        if rules.titles.contains(token) || (number && rules.titles.contains_ignoring_case(token)) {
            return true;
        }
        let previous = last_word(before[..before.len() - token.len()].trim_end());
        if is_initial(token) && token.starts_with(char::is_uppercase) {
            let designation = capital && rules.designators.contains(previous);
            return number || !(rules.opens(word) || designation);
        }
        if rules.seldom_end.contains(token)
            || (number && rules.seldom_end.contains_ignoring_case(token))
        {
            return number || is_roman(word) || !rules.opens(word);
        }
        if rules.may_end.contains(token) {
            return number
                || if capital {
                    rules.continuations.contains(word)
                } else {
                    !rules.opens(word)
                };
        }
        if is_initial(token) || is_acronym(token) {
            // `p. 12`, `ড. ইউনূস`, `J.K. Rowling`.
            return number || !rules.opens(word);
        }
        if token.chars().all(char::is_numeric) {
            return rules.ordinal_nouns.contains(word)
                || (capital && rules.ordinal_articles.contains(previous));
        }
        false
    }
}

/// Where a sentence may end: after each UAX #29 sentence, and inside one where a period is
/// followed by a number or a brand (`last year. 2025 will…`), which UAX #29 reads as going on.
fn candidate_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    let mut segment_ends = Vec::new();
    sentence_bounds::sentence_ends(text, &mut segment_ends);
    let mut start = 0;
    segment_ends.into_iter().flat_map(move |end| {
        let offset = std::mem::replace(&mut start, end);
        let segment = &text[offset..end];
        segment
            .match_indices('.')
            .filter_map(move |(i, _)| {
                let rest = segment[i + 1..].trim_start_matches(is_closing);
                let next = rest.trim_start();
                let word = first_word(next);
                let opens = word.starts_with(char::is_numeric) || is_brand(word);
                (opens && next.len() < rest.len()).then(|| offset + segment.len() - next.len())
            })
            .chain(iter::once(end))
    })
}

/// Characters that open a quotation or parenthesis before a word.
fn is_opening(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '‘' | '«' | '„' | '(' | '[' | '「' | '『' | '¿' | '¡'
    )
}

/// Characters that close a quotation or parenthesis after a sentence's last word.
fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '」' | '』')
}

/// The first word of `text`, after spaces and opening quotes or brackets, up to an apostrophe
/// (`It’s` is `It`).
fn first_word(text: &str) -> &str {
    let text = text.trim_start_matches(|c: char| c.is_whitespace() || is_opening(c));
    let end = text
        .find(|c: char| {
            c.is_whitespace() || c == '’' || (c.is_ascii_punctuation() && c != '.' && c != '-')
        })
        .unwrap_or(text.len());
    &text[..end]
}

/// The last word of `text` (which ends just before a period), without opening punctuation.
fn last_word(text: &str) -> &str {
    let start = text
        .rfind(|c: char| c.is_whitespace() || is_opening(c))
        .map_or(0, |i| {
            i + text[i..].chars().next().map_or(1, char::len_utf8)
        });
    &text[start..]
}

/// One letter (a single grapheme cluster, any script): `J`, `В`, `ড`, `डॉ`.
fn is_initial(token: &str) -> bool {
    if token.is_ascii() {
        // Every ASCII character is a cluster of its own (but CR LF, which is not a letter).
        return token.len() == 1 && token.as_bytes()[0].is_ascii_alphabetic();
    }
    let mut graphemes = token.graphemes(true);
    matches!(
        (graphemes.next(), graphemes.next()),
        (Some(g), None) if g.chars().next().is_some_and(char::is_alphabetic)
    )
}

/// Letters separated by periods: `U.S`, `J.K` (the final period already removed).
fn is_acronym(token: &str) -> bool {
    token.contains('.') && token.split('.').all(is_initial)
}

/// A word that starts in lowercase with a capital before any other character, as brands are
/// written (`eBay`, `iPhone`, `eToro`, not `al-Qaeda`): it can open a sentence as it is.
fn is_brand(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_lowercase)
        && chars
            .take_while(|c| c.is_alphabetic())
            .any(char::is_uppercase)
}

/// Capital letters that read as a Roman numeral (`I`, `IV`, `XII`): a number after `Art.`, not
/// the pronoun `I`.
fn is_roman(word: &str) -> bool {
    !word.is_empty()
        && word
            .chars()
            .all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C' | 'D' | 'M'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(lang: &str, text: &str) -> Vec<String> {
        SentenceSplitter::for_language(lang)
            .split(text)
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn rules() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "en",
                "Author J. K. Rowling spoke. She left.",
                &["Author J. K. Rowling spoke.", "She left."],
            ),
            (
                "en",
                "Gen. Keith Kellogg spoke.",
                &["Gen. Keith Kellogg spoke."],
            ),
            (
                "en",
                "It is based in the U.S. It grew.",
                &["It is based in the U.S.", "It grew."],
            ),
            ("en", "The U.S. Senate voted.", &["The U.S. Senate voted."]),
            (
                "en",
                "GDP grew 3.5 percent. Prices fell.",
                &["GDP grew 3.5 percent.", "Prices fell."],
            ),
            (
                "en",
                "They talked... and talked. Then left.",
                &["They talked... and talked.", "Then left."],
            ),
            (
                "en",
                "It went on... Finally it ended.",
                &["It went on...", "Finally it ended."],
            ),
            (
                "en",
                "“Why?” he asked. Nobody knew.",
                &["“Why?” he asked.", "Nobody knew."],
            ),
            (
                "en",
                "He lives at No. 10 now.",
                &["He lives at No. 10 now."],
            ),
            (
                "bn",
                "ডা. মো. রফিকুল ইসলাম বলেন। তিনি যান।",
                &["ডা. মো. রফিকুল ইসলাম বলেন।", "তিনি যান।"],
            ),
            ("bn", "বৃদ্ধি ২৮.৫ শতাংশ। ভালো?", &["বৃদ্ধি ২৮.৫ শতাংশ।", "ভালো?"]),
            ("hi", "डॉ. सिंह आए। वे गए।", &["डॉ. सिंह आए।", "वे गए।"]),
            (
                "ur",
                "اجلاس ہوا۔ کیا یہ درست ہے؟",
                &["اجلاس ہوا۔", "کیا یہ درست ہے؟"],
            ),
            ("ar", "هل سيصمد؟ لا أحد يعلم.", &["هل سيصمد؟", "لا أحد يعلم."]),
            (
                "zh",
                "谈判将继续。他说：“好。”",
                &["谈判将继续。", "他说：“好。”"],
            ),
            (
                "ru",
                "В 2025 г. рост составил 3,5%. Это много.",
                &["В 2025 г. рост составил 3,5%.", "Это много."],
            ),
            (
                "xx",
                "Unknown language. Still splits.",
                &["Unknown language.", "Still splits."],
            ),
        ];
        for (lang, text, expected) in cases {
            assert_eq!(split(lang, text), *expected, "{lang}: {text}");
        }
    }

    #[test]
    fn error_classes() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "en",
                "He was ill. The doctor came.",
                &["He was ill.", "The doctor came."],
            ),
            (
                "en",
                "Peoria, Ill. The city grew.",
                &["Peoria, Ill.", "The city grew."],
            ),
            (
                "en",
                "He was ranked no. 1 again.",
                &["He was ranked no. 1 again."],
            ),
            ("en", "Read Art. I today.", &["Read Art. I today."]),
            (
                "en",
                "After World War I. Later on.",
                &["After World War I.", "Later on."],
            ),
            ("en", "At 5 p.m. Shops shut.", &["At 5 p.m.", "Shops shut."]),
            (
                "en",
                "At 5 p.m. Monday it ended.",
                &["At 5 p.m. Monday it ended."],
            ),
            (
                "en",
                "It grew last year. 2025 is next.",
                &["It grew last year.", "2025 is next."],
            ),
            (
                "en",
                "It went online. eBay said so.",
                &["It went online.", "eBay said so."],
            ),
            (
                "en",
                "Yahoo! Japan grew. Wow! It did.",
                &["Yahoo! Japan grew.", "Wow!", "It did."],
            ),
            (
                "en",
                "Gen. (ret.) Jo Lee spoke.",
                &["Gen. (ret.) Jo Lee spoke."],
            ),
            (
                "de",
                "Am 3. Oktober wählt Berlin.",
                &["Am 3. Oktober wählt Berlin."],
            ),
            (
                "de",
                "Im 3. Quartal stieg er.",
                &["Im 3. Quartal stieg er."],
            ),
            ("hi", "डॉ. एम. सिंह आए। वे गए।", &["डॉ. एम. सिंह आए।", "वे गए।"]),
        ];
        for (lang, text, expected) in cases {
            assert_eq!(split(lang, text), *expected, "{lang}: {text}");
        }
    }

    #[test]
    fn word_lists_follow_the_case_rule() {
        // As the build splits `["Ill.", "vgl.", "v."]`.
        let words = Words::new(&["Ill", "v"], &["vgl"], &["ill", "v", "vgl"]);
        assert!(words.contains("Ill") && words.contains("Ill."));
        assert!(!words.contains("ill") && !words.contains("ILL"));
        assert!(words.contains("vgl") && words.contains("Vgl"));
        assert!(words.contains("v") && !words.contains("V"));
        assert!(words.contains_ignoring_case("ill"));
    }

    #[test]
    fn every_entry_of_every_list_passes_the_filter() {
        for (lang, rules) in compiled::BUILTIN {
            for words in [
                &rules.titles,
                &rules.seldom_end,
                &rules.may_end,
                &rules.starters,
                &rules.continuations,
                &rules.designators,
                &rules.exclamation_names,
                &rules.ordinal_articles,
                &rules.ordinal_nouns,
            ] {
                for entry in words.exact.iter().chain(words.any_case) {
                    assert!(words.contains(entry), "{lang}: {entry}");
                    assert!(words.contains(&format!("{entry}.")), "{lang}: {entry}.");
                }
                for entry in words.folded {
                    assert!(words.contains_ignoring_case(entry), "{lang}: {entry}");
                    // (`außerdem` is `AUSSERDEM` in capitals, which lowers to another word.)
                    let upper = entry.to_uppercase();
                    if upper.to_lowercase() == *entry {
                        assert!(words.contains_ignoring_case(&upper), "{lang}: {upper}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_filter_turns_most_other_words_away() {
        let titles = &Rules::builtin("en").unwrap().titles;
        let words = "the floods closed schools across sylhet as rivers rose above danger mark \
                     officials said monday water levels fell slowly villagers waited boats food";
        let passed = words
            .split_whitespace()
            .filter(|word| titles.ascii.may_hold(word.as_bytes()))
            .count();
        // About one in ten passes; none of these is a title.
        assert!(
            passed <= 5,
            "{passed} of {}",
            words.split_whitespace().count()
        );
        assert!(words.split_whitespace().all(|word| !titles.contains(word)));
    }

    #[test]
    fn brands_numerals_and_words() {
        assert!(is_brand("eBay") && is_brand("iPhone") && is_brand("eToro"));
        assert!(!is_brand("ebay") && !is_brand("EBay") && !is_brand("al-Qaeda"));
        assert!(is_roman("I") && is_roman("XIV") && !is_roman("It") && !is_roman(""));
        assert_eq!(first_word(" “It’s over”"), "It");
        assert_eq!(first_word("(ret.) John"), "ret.");
    }

    #[test]
    fn candidates_include_periods_before_numbers_and_brands() {
        let ends = |text| candidate_ends(text).collect::<Vec<_>>();
        // UAX #29 alone reads each of these as one sentence.
        assert_eq!(ends("It fell. 2025 will."), [9, 19]);
        assert_eq!(ends("It fell. eBay said."), [9, 19]);
        assert_eq!(ends("It fell 3.5 percent."), [20]);
        assert_eq!(ends("It fell. it said."), [17]);
    }

    #[test]
    fn builtin_data_parses() {
        for lang in crate::assets::locale_names() {
            SentenceSplitter::validate(lang).unwrap();
        }
    }
}
