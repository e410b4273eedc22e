//! The terms of a sentence, as the ranker compares them: words lower-cased (and Bengali and
//! Devanagari nukta letters decomposed, so `য়` matches `য়`), stopwords dropped, stemmed (Snowball
//! through `rust-stemmers` where it has the language, else a light suffix stripper as data), and,
//! in scripts written without spaces, character pairs, less those that are a stopword or hold a
//! one-character stopword (`的`).
//!
//! Owns [`Vocabulary`] (one language's stopwords and stemmer, from `locales/<lang>/summary.toml`)
//! and [`Vocabulary::terms`] (and [`Vocabulary::tokens`]: the same terms in order, with repeats).
//! Reads the built-in locale data once per language; writes each sentence's terms as small numbers
//! ([`Term`]: the stems of one call numbered in order of first appearance), so sentences compare by
//! integer and a term indexes an array. Each distinct word is folded and stemmed once per process
//! (a bounded cache), and a word costs no allocation after that.
//! Example:
//!
//! ```
//! use newsdigest::rank::terms::Vocabulary;
//! let en = Vocabulary::for_language("en");
//! let terms = en.terms(&["The floods closed the schools.", "Schools were closed by flooding."]);
//! assert_eq!(terms[0], terms[1]); // flood, close, school: stopwords gone, stems equal
//! assert_eq!(terms[0].len(), 3);
//! ```

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex};

use rust_stemmers::{Algorithm, Stemmer};
use serde::Deserialize;

use super::words::{BuildKeyHasher, Key, KeyMap, WordScanner, key};
use crate::assets;
use crate::text::letters::is_caseless;

/// `locales/<lang>/summary.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SummaryFile {
    /// The default strategy for articles in this language, chosen by `newsdigest eval`.
    #[serde(default)]
    strategy: Option<String>,
    #[serde(default)]
    stopwords: Vec<String>,
    /// For languages Snowball lacks: suffixes stripped (longest first) while the stem keeps at
    /// least `min_stem` characters.
    #[serde(default)]
    suffixes: Vec<String>,
    #[serde(default)]
    min_stem: Option<usize>,
    /// `smart`: how much more the first sentence's centrality counts (a position prior).
    #[serde(default)]
    lead_weight: Option<f64>,
}

/// The most words (or stems) a vocabulary remembers before it starts over.
const MAX_CACHED_STEMS: usize = 200_000;

/// The lead's weight in a language without a measured `lead_weight`: the lead stays first unless
/// another sentence is twice as central. On the French and Russian corpora (whose default is
/// `lead`), `smart` with it scores within 0.9 ROUGE-1 of keeping the lead first.
pub const DEFAULT_LEAD_WEIGHT: f64 = 2.0;

/// A term: a stem (or a character pair) by its number within one call of [`Vocabulary::tokens`]
/// or [`Vocabulary::terms`]. The same stem has the same number throughout a call; the numbers are
/// 0, 1, 2... in order of first appearance, so the terms of a call index an array of as many
/// entries as there are distinct terms.
pub type Term = u32;

/// One language's stopwords and stemmer.
pub struct Vocabulary {
    /// The words already seen and their stems (cleared past [`MAX_CACHED_STEMS`] words).
    stems: Mutex<Stems>,
    /// The hashes of the stopwords, folded.
    stopwords: HashSet<Key, BuildKeyHasher>,
    stemmer: Option<Stemmer>,
    suffixes: Vec<String>,
    min_stem: usize,
    /// The strategy `summary.toml` names for this language, if any.
    pub strategy: Option<String>,
    /// How much more the first sentence's centrality counts than the others' in `smart`
    /// (`lead_weight`, measured with `newsdigest eval`; [`DEFAULT_LEAD_WEIGHT`] when not given).
    pub lead_weight: f64,
}

static CACHE: LazyLock<Mutex<HashMap<String, Arc<Vocabulary>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

impl Vocabulary {
    /// The built-in vocabulary of `lang` (`bn-BD` uses `bn`); empty (no stopwords, no stemming)
    /// for a language without data.
    pub fn for_language(lang: &str) -> Arc<Vocabulary> {
        let base = lang.split(['-', '_']).next().unwrap_or(lang);
        let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
        // A tag already in lower case is looked up without a copy.
        if let Some(vocabulary) = cache.get(base) {
            return vocabulary.clone();
        }
        let base = base.to_lowercase();
        cache
            .entry(base.clone())
            .or_insert_with(|| {
                Arc::new(Vocabulary::load(&base).unwrap_or_else(|_| Vocabulary::empty()))
            })
            .clone()
    }

    /// Checks that a language's `summary.toml` parses; the error names the file.
    pub fn validate(lang: &str) -> Result<(), String> {
        Vocabulary::load(lang).map(drop)
    }

    fn empty() -> Vocabulary {
        Vocabulary {
            stems: Mutex::new(Stems::default()),
            stopwords: HashSet::default(),
            stemmer: None,
            suffixes: Vec::new(),
            min_stem: 3,
            strategy: None,
            lead_weight: DEFAULT_LEAD_WEIGHT,
        }
    }

    fn load(lang: &str) -> Result<Vocabulary, String> {
        Vocabulary::parse(
            lang,
            assets::locale_file(lang, "summary.toml").unwrap_or(""),
        )
    }

    /// The vocabulary `text` (a `summary.toml` of `lang`) describes.
    fn parse(lang: &str, text: &str) -> Result<Vocabulary, String> {
        let file: SummaryFile = toml::from_str(text)
            .map_err(|e| format!("locales/{lang}/summary.toml: {}", e.message()))?;
        if let Some(weight) = file.lead_weight
            && !(weight.is_finite() && weight > 0.0)
        {
            return Err(format!(
                "locales/{lang}/summary.toml: lead_weight must be a positive number, not {weight}"
            ));
        }
        let mut suffixes: Vec<String> = file.suffixes.iter().map(|s| fold(s)).collect();
        suffixes.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
        suffixes.dedup();
        Ok(Vocabulary {
            stems: Mutex::new(Stems::default()),
            stopwords: file
                .stopwords
                .iter()
                .map(|w| key(fold(w).as_bytes()))
                .collect(),
            stemmer: snowball(lang).map(Stemmer::create),
            suffixes,
            min_stem: file.min_stem.unwrap_or(3),
            strategy: file.strategy,
            lead_weight: file.lead_weight.unwrap_or(DEFAULT_LEAD_WEIGHT),
        })
    }

    /// Each sentence's sorted, distinct terms.
    pub fn terms(&self, sentences: &[&str]) -> Vec<Vec<Term>> {
        self.tokens(sentences)
            .into_iter()
            .map(|mut terms| {
                terms.sort_unstable();
                terms.dedup();
                terms
            })
            .collect()
    }

    /// Each sentence's terms in reading order, repeated as often as they occur (term
    /// frequencies).
    pub fn tokens(&self, sentences: &[&str]) -> Vec<Vec<Term>> {
        let mut stems = self.stems.lock().unwrap_or_else(|e| e.into_inner());
        stems.begin_call();
        let mut folded = String::new();
        sentences
            .iter()
            .map(|sentence| {
                let mut terms = Vec::with_capacity(sentence.len() / 4);
                let mut scanner = WordScanner::new(sentence);
                while let Some((word, lowered_key)) = scanner.next_word() {
                    // A short ASCII word seen before: keyed while it was read, one lookup.
                    if let Some(lowered_key) = lowered_key
                        && let Some(&stem) = stems.words.get(&lowered_key)
                    {
                        if let Some(stem) = stem {
                            terms.push(stems.term(stem));
                        }
                        continue;
                    }
                    self.add_terms(word, &mut folded, &mut stems, &mut terms);
                }
                terms
            })
            .collect()
    }

    /// The terms of one word (a stem, or a script without spaces' character pairs), if it is not
    /// a stopword or a number. `folded` is scratch space.
    fn add_terms(&self, word: &str, folded: &mut String, stems: &mut Stems, terms: &mut Vec<Term>) {
        if !word.is_ascii() && word.chars().any(writes_without_spaces) {
            let mut pairs = word.char_indices().peekable();
            while let Some((at, _)) = pairs.next() {
                let Some(&(next, second)) = pairs.peek() else {
                    break;
                };
                let pair = &word[at..next + second.len_utf8()];
                if !self.is_stopword_pair(pair) {
                    let stem = stems.stem_number(key(pair.as_bytes()));
                    terms.push(stems.term(stem));
                }
            }
            return;
        }
        fold_into(word, folded);
        let word_key = key(folded.as_bytes());
        // Stemming is most of the cost of ranking: each distinct word is looked at once, and a
        // word seen before costs one lookup.
        let stem = match stems.words.get(&word_key) {
            Some(&stem) => stem,
            None => {
                let no_term =
                    self.stopwords.contains(&word_key) || folded.chars().all(char::is_numeric);
                let stem = (!no_term).then(|| stems.stem_number(key(self.stem(folded).as_bytes())));
                stems.words.insert(word_key, stem);
                stem
            }
        };
        if let Some(stem) = stem {
            terms.push(stems.term(stem));
        }
    }

    /// A character pair that is a stopword (`我们`) or holds a one-character stopword (`的`).
    fn is_stopword_pair(&self, pair: &str) -> bool {
        self.stopwords.contains(&key(pair.as_bytes()))
            || pair.chars().any(|c| {
                self.stopwords
                    .contains(&key(c.encode_utf8(&mut [0; 4]).as_bytes()))
            })
    }

    /// The stem of a lower-cased `word`: Snowball's where it has the language, else the word
    /// without the longest listed suffix that leaves `min_stem` characters.
    pub fn stem(&self, word: &str) -> String {
        if let Some(stemmer) = &self.stemmer {
            return stemmer.stem(word).into_owned();
        }
        let length = word.chars().count();
        for suffix in &self.suffixes {
            let suffix_length = suffix.chars().count();
            if length >= suffix_length + self.min_stem
                && let Some(stem) = word.strip_suffix(suffix.as_str())
            {
                return stem.to_string();
            }
        }
        word.to_string()
    }
}

/// The words a vocabulary has seen and the stems it has numbered, kept between calls; and the
/// numbering of the stems in the current call.
#[derive(Default)]
struct Stems {
    /// Each word seen, folded, by its key: the number of its stem, or none for a stopword or a
    /// number.
    words: KeyMap<Option<u32>>,
    /// Each stem (or character pair) by its key: its number, an index into `met`.
    numbers: KeyMap<u32>,
    /// By stem number: the last call that met the stem, and its term in that call.
    met: Vec<(u32, Term)>,
    /// The current call (from 1).
    call: u32,
    /// The term the next stem met in this call gets.
    next_term: Term,
}

impl Stems {
    /// Starts the terms of a new call at 0, and forgets everything past [`MAX_CACHED_STEMS`]
    /// words or stems (character pairs are numbered without a word), or after 4 billion calls,
    /// when the call numbers would repeat.
    fn begin_call(&mut self) {
        let full = self.words.len().max(self.numbers.len()) > MAX_CACHED_STEMS;
        if full || self.call == u32::MAX {
            *self = Stems::default();
        }
        self.call += 1;
        self.next_term = 0;
    }

    /// The number of the stem (or character pair) with `key`, given it when first met.
    fn stem_number(&mut self, key: Key) -> u32 {
        let next = self.met.len() as u32;
        *self.numbers.entry(key).or_insert_with(|| {
            self.met.push((0, 0));
            next
        })
    }

    /// The term of stem number `stem` in this call: the next free one when first met in it.
    fn term(&mut self, stem: u32) -> Term {
        let met = &mut self.met[stem as usize];
        if met.0 != self.call {
            *met = (self.call, self.next_term);
            self.next_term += 1;
        }
        met.1
    }
}

/// `word` folded (see [`fold`]) into `out`, which is cleared first.
fn fold_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
        return;
    }
    for c in word.chars() {
        if crate::text::normalize::push_decomposed_nukta(c, out) {
            continue;
        }
        if is_caseless(c) {
            // Indic, Arabic, Hebrew...: no search of the case tables.
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// A word as terms compare it: lower case, Bengali `ড় ঢ় য়` and Devanagari `क़..य़` decomposed
/// (base letter and nukta), as both forms are written.
fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_into(word, &mut out);
    out
}

/// The Snowball algorithm for a language, where `rust-stemmers` has one.
fn snowball(lang: &str) -> Option<Algorithm> {
    Some(match lang {
        "en" => Algorithm::English,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "es" => Algorithm::Spanish,
        "ru" => Algorithm::Russian,
        "ar" => Algorithm::Arabic,
        _ => return None,
    })
}

/// Han and kana: no spaces between words, so terms are character pairs.
fn writes_without_spaces(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every language with a built-in `summary.toml`.
    fn languages() -> Vec<&'static str> {
        assets::locale_names()
            .into_iter()
            .filter(|lang| assets::locale_file(lang, "summary.toml").is_some())
            .collect()
    }

    #[test]
    fn every_built_in_summary_file_parses() {
        let languages = languages();
        assert_eq!(
            languages,
            [
                "ar", "bn", "de", "en", "es", "fr", "hi", "ne", "ru", "uk", "ur", "zh"
            ]
        );
        for lang in languages {
            Vocabulary::validate(lang).unwrap_or_else(|e| panic!("{e}"));
            let vocabulary = Vocabulary::load(lang).unwrap();
            // Chosen with `newsdigest eval` (BENCHMARKS.md): smart where it measured better.
            let measured = if matches!(lang, "en" | "bn") {
                "smart"
            } else {
                "lead"
            };
            assert_eq!(vocabulary.strategy.as_deref(), Some(measured), "{lang}");
            let count = vocabulary.stopwords.len();
            assert!((100..=250).contains(&count), "{lang}: {count} stopwords");
            // A language Snowball lacks strips suffixes instead (zh: character pairs, no stems).
            let light = vocabulary.stemmer.is_none() && lang != "zh";
            assert_eq!(light, !vocabulary.suffixes.is_empty(), "{lang}: suffixes");
        }
    }

    #[test]
    fn lead_weight_is_a_positive_number() {
        assert_eq!(Vocabulary::for_language("en").lead_weight, 1.15);
        assert_eq!(
            Vocabulary::for_language("fr").lead_weight,
            DEFAULT_LEAD_WEIGHT
        );
        for bad in ["lead_weight = 0", "lead_weight = -1.5", "lead_weight = nan"] {
            let error = Vocabulary::parse("xx", bad).err().unwrap();
            assert!(
                error.starts_with("locales/xx/summary.toml: lead_weight must be a positive"),
                "{error}"
            );
        }
    }

    #[test]
    fn a_word_is_the_same_term_in_every_sentence_and_spelling() {
        let terms = Vocabulary::for_language("en").terms(&[
            "Schools CLOSED.",
            "closing schools",
            "The school closes, 2025.",
        ]);
        assert_eq!(terms[0], terms[1]);
        assert_eq!(terms[1], terms[2]); // "2025" is a number: no term
    }

    #[test]
    fn terms_are_numbered_from_0_in_each_call_in_order_of_appearance() {
        let en = Vocabulary::for_language("en");
        let first = en.tokens(&["Floods closed schools.", "Schools reopened after floods."]);
        assert_eq!(first, [vec![0, 1, 2], vec![2, 3, 0]]);
        // A later call numbers its own terms from 0, whatever the stems' order before.
        let second = en.tokens(&["Schools, rivers.", "Floods, schools and floods."]);
        assert_eq!(second, [vec![0, 1], vec![2, 0, 2]]);
    }

    /// The terms of one sentence, numbered on their own.
    fn terms(lang: &str, sentence: &str) -> Vec<Term> {
        Vocabulary::for_language(lang).terms(&[sentence]).remove(0)
    }

    #[test]
    fn inflected_forms_share_a_stem() {
        let cases: &[(&str, &[&str])] = &[
            ("en", &["floods", "flooded", "flooding"]),
            ("fr", &["élection", "élections"]),
            ("de", &["Regierung", "Regierungen"]),
            ("es", &["elección", "elecciones"]),
            ("es", &["presidente", "presidentes", "presidenta"]),
            ("ru", &["правительство", "правительства", "правительству"]),
            ("ar", &["الحكومة", "حكومة"]),
            ("bn", &["শিক্ষার্থীরা", "শিক্ষার্থীদের", "শিক্ষার্থীকে", "শিক্ষার্থী"]),
            ("bn", &["দেশের", "দেশে", "দেশ"]),
            ("bn", &["সরকার", "সরকারের", "সরকারকে"]),
            // য় written precomposed (U+09DF) and decomposed.
            ("bn", &["ঢাকা", "ঢাকা\u{9df}", "ঢাকা\u{9af}\u{9bc}"]),
            ("hi", &["लड़का", "लड़के", "लड़कों"]),
            ("hi", &["लड़की", "लड़कियाँ", "लड़कियों"]),
            ("hi", &["सड़क", "सड़कों", "सड़कें"]),
            (
                "ne",
                &["विद्यार्थी", "विद्यार्थीहरू", "विद्यार्थीहरूलाई", "विद्यार्थीहरूको"],
            ),
            ("ne", &["नेपाल", "नेपालको", "नेपालमा"]),
            ("ne", &["सरकार", "सरकारले", "सरकारलाई"]),
            ("ur", &["لڑکا", "لڑکے", "لڑکوں"]),
            ("ur", &["لڑکی", "لڑکیاں", "لڑکیوں"]),
            (
                "uk",
                &["Україна", "України", "Україні", "Україну", "Україною"],
            ),
            (
                "uk",
                &["український", "українського", "українських", "українська"],
            ),
            ("uk", &["уряд", "уряду", "урядом"]),
        ];
        let mut problems = Vec::new();
        for (lang, forms) in cases {
            let vocabulary = Vocabulary::for_language(lang);
            let stems: Vec<String> = forms.iter().map(|f| vocabulary.stem(&fold(f))).collect();
            if stems.iter().any(|stem| *stem != stems[0]) {
                problems.push(format!("{lang}: {forms:?} stem to {stems:?}"));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn stopwords_are_left_out_in_every_language() {
        let cases = [
            ("en", "The mayor of the city said he would leave.", 3),
            ("fr", "Le maire de la ville a dit qu'il partira.", 3),
            ("es", "El alcalde de la ciudad dijo que se irá.", 3),
            (
                "de",
                "Der Bürgermeister der Stadt sagte, er werde gehen.",
                3,
            ),
            ("ru", "Мэр города сообщил, что он уйдёт.", 3),
            ("uk", "Мер міста заявив, що він піде.", 3),
            ("ar", "وقال رئيس البلدية إنه سيغادر.", 3),
            ("bn", "মেয়র বলেন যে তিনি চলে যাবেন।", 3),
            ("hi", "महापौर ने कहा कि वह चले जाएंगे।", 3),
            ("ne", "मेयरले आफू जाने बताए।", 3),
            ("ur", "میئر نے کہا کہ وہ چلے جائیں گے۔", 3),
        ];
        for (lang, sentence, expected) in cases {
            let found = terms(lang, sentence).len();
            assert_eq!(found, expected, "{lang}: {sentence}");
        }
    }

    #[test]
    fn han_pairs_leave_out_stopwords() {
        // 北京的天气: 北京 and 天气; 京的 and 的天 hold 的. 我们: a stopword pair.
        assert_eq!(terms("zh", "北京的天气").len(), 2);
        assert_eq!(terms("zh", "我们").len(), 0);
        assert_eq!(terms("zh", "北京天气").len(), 3);
    }

    #[test]
    fn words_that_open_and_close_alike_are_distinct_terms() {
        // Past eight bytes a word's key reads its first and last eight bytes (`words::key`), which
        // the words of a repeated syllable share.
        for syllable in ["ha", "bla", "abcd", "ab1", "xyzzy"] {
            let words: Vec<String> = (1..=40).map(|n| syllable.repeat(n)).collect();
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            let terms = Vocabulary::for_language("en").tokens(&[&words.join(" ")]);
            let distinct: HashSet<&Term> = terms[0].iter().collect();
            assert_eq!(distinct.len(), terms[0].len(), "{syllable}: {terms:?}");
        }
    }

    #[test]
    fn stems_are_forgotten_past_the_limit_and_before_call_numbers_repeat() {
        let mut stems = Stems::default();
        stems.begin_call();
        let flood = stems.stem_number(key(b"flood"));
        assert_eq!((stems.term(flood), stems.term(flood)), (0, 0));
        stems.call = u32::MAX;
        stems.begin_call();
        assert_eq!(
            (stems.call, stems.numbers.len(), stems.met.len()),
            (1, 0, 0)
        );
        // Character pairs are numbered without a word: the stems alone can fill the table.
        for pair in 0..=MAX_CACHED_STEMS as Key {
            stems.stem_number(pair);
        }
        stems.begin_call();
        assert_eq!((stems.numbers.len(), stems.met.len()), (0, 0));
    }
}
