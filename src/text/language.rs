//! Language detection, used when neither the input, the feed nor the user names the language.
//!
//! [`detect`] asks whatlang (trigram statistics, choosing among the languages of the built-in
//! locales and Japanese) and reports its confidence; when
//! whatlang has no answer (a few words, digits only) it falls back to [`guess`], which maps the
//! dominant script to a language: Bengali -> `bn`, Devanagari -> `hi`, Arabic -> `ar` (or `ur` when
//! Urdu-only letters appear), Cyrillic -> `ru` (or `uk` when Ukrainian-only letters appear), Han ->
//! `zh`, kana -> `ja`. Latin script is shared by English, French, German and Spanish: the guess is
//! the language whose function words the text uses most (`function_words` in
//! `locales/<lang>/language.toml`); on a tie English if it is among the leaders, else the leader
//! whatlang prefers when it may choose only among them (French and Spanish share `la`, `de`, `en`);
//! English when none appears. Short copy is where trigrams are unsure ("La Seine est en crue." is
//! French at 0.01, and was guessed English by its script), and a short sentence always has its
//! articles and prepositions. Tags are BCP 47 (ISO 639-1 where it has one).
//!
//! ```
//! use newsdigest::text::language::{detect, guess};
//! assert_eq!(guess("ঢাকায় বৃষ্টি"), "bn");
//! assert_eq!(guess("La Seine est en crue."), "fr");
//! let detected = detect("Les diplomates se réuniront mercredi à Londres pour discuter du cessez-le-feu.");
//! assert_eq!(detected.tag, "fr");
//! assert!(detected.confidence > 0.5);
//! ```

use std::collections::HashMap;
use std::sync::LazyLock;

/// A detected language and how sure the detector is (0 to 1; 0 when only the script was used).
#[derive(Debug, Clone, PartialEq)]
pub struct Detected {
    pub tag: String,
    pub confidence: f64,
}

/// The languages detection chooses among, with their tags: those of the built-in locales, plus
/// Japanese (its own script). Trigram statistics over all 69 languages mislabel plain English news often enough to
/// matter once stories in another language are left out of a bulletin (117 repeats of "Rain fell
/// again." come out as Welsh at 0.99); choosing among the languages newsdigest serves does not.
/// A story in another language needs feed metadata or `--language`.
const CANDIDATES: &[(whatlang::Lang, &str)] = {
    use whatlang::Lang::*;
    &[
        (Eng, "en"),
        (Ben, "bn"),
        (Hin, "hi"),
        (Nep, "ne"),
        (Urd, "ur"),
        (Ara, "ar"),
        (Rus, "ru"),
        (Ukr, "uk"),
        (Fra, "fr"),
        (Deu, "de"),
        (Spa, "es"),
        (Cmn, "zh"),
        (Jpn, "ja"),
    ]
};

/// The language of `text`: with confidence 1 when its script and function words leave no doubt
/// (a first pass without trigrams, for the usual news text), else whatlang's answer among the
/// candidates (above) with its confidence, else the script's language with confidence 0.
pub fn detect(text: &str) -> Detected {
    let sample = first_chars(text, SAMPLE_CHARS);
    if let Some(tag) = beyond_doubt(sample) {
        return Detected {
            tag: tag.to_string(),
            confidence: 1.0,
        };
    }
    match DETECTOR.detect(sample) {
        Some(info) => Detected {
            tag: bcp47(info.lang()),
            confidence: (info.confidence() * 100.0).round() / 100.0,
        },
        None => Detected {
            tag: guess(text).to_string(),
            confidence: 0.0,
        },
    }
}

/// whatlang, choosing among the [`CANDIDATES`].
static DETECTOR: LazyLock<whatlang::Detector> = LazyLock::new(|| {
    whatlang::Detector::with_allowlist(CANDIDATES.iter().map(|(lang, _)| *lang).collect())
});

/// How many characters of a sample's opening [`beyond_doubt`] reads for function words.
const FIRST_PASS_CHARS: usize = 500;

/// The fewest function words of one language only (among the Latin-script languages) that the
/// opening must have for [`beyond_doubt`] to name that language...
const FIRST_PASS_MIN_WORDS: usize = 8;

/// ...and how many times as many as any other language has.
const FIRST_PASS_LEAD: usize = 4;

/// The language of a sample, without trigrams, when it leaves no doubt; `None` sends it to
/// whatlang. Trigram statistics over 2,000 characters cost more than the rest of an article's
/// pipeline, and on a news text they only confirm what its script and function words already say
/// (whatlang answers every article of the evaluation corpora, and the first 300 characters of
/// each, with confidence 1.0):
///
/// - nine in ten of the sample's letters are Bengali: `bn` (whatlang names the language of a
///   script with one language without trigrams, also at 1.0);
/// - nine in ten are Latin, and the first [`FIRST_PASS_CHARS`] characters hold at least
///   [`FIRST_PASS_MIN_WORDS`] function words of one language only, [`FIRST_PASS_LEAD`] times as
///   many as any other language (French and Spanish share `la`, `de`, `en`, which count for
///   neither): that language.
fn beyond_doubt(sample: &str) -> Option<&'static str> {
    let (mut latin, mut bengali, mut other) = (0usize, 0usize, 0usize);
    for c in sample.chars() {
        if c.is_ascii() {
            latin += usize::from(c.is_ascii_alphabetic());
        } else if is_bengali(c) {
            // Letters and signs; not the block's digits and numerals (`c.is_numeric()`).
            bengali += usize::from(!matches!(c, '\u{09E6}'..='\u{09EF}' | '\u{09F4}'..='\u{09F9}'));
        } else if ('\u{00C0}'..='\u{024F}').contains(&c) {
            latin += 1;
        } else if c.is_alphabetic() {
            other += 1;
        }
    }
    let dominant = |count: usize, rest: usize| count >= FIRST_PASS_MIN_WORDS && count >= 9 * rest;
    if dominant(bengali, latin + other) {
        return Some("bn");
    }
    if !dominant(latin, bengali + other) {
        return None;
    }
    let latin = LATIN_WORDS.as_ref().ok()?;
    let counts = latin.count_exclusive(first_chars(sample, FIRST_PASS_CHARS));
    let (leader, best) = counts
        .iter()
        .copied()
        .enumerate()
        .max_by_key(|(_, count)| *count)?;
    let runner_up = counts
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != leader)
        .map(|(_, count)| *count)
        .max()
        .unwrap_or(0);
    (best >= FIRST_PASS_MIN_WORDS && best >= FIRST_PASS_LEAD * runner_up)
        .then(|| latin.languages[leader])
}

/// The first `count` characters of `text` (all of it when it is shorter), borrowed.
pub fn first_chars(text: &str, count: usize) -> &str {
    let bytes = text.as_bytes();
    let is_start = |byte: &&u8| **byte & 0xC0 != 0x80;
    let (mut end, mut chars) = (0, 0);
    // Every character has at least one byte, so the next `count - chars` bytes hold at most the
    // characters still wanted: counted a block at a time, without decoding.
    while chars < count {
        let step = (count - chars).min(bytes.len() - end);
        if step == 0 {
            return text;
        }
        chars += bytes[end..end + step].iter().filter(is_start).count();
        end += step;
    }
    // `end` may be inside the last character counted: move past its continuation bytes.
    end += bytes[end..]
        .iter()
        .take_while(|byte| !is_start(byte))
        .count();
    &text[..end]
}

/// The script a language is written in, for the languages [`guess`] can give: `Latin`,
/// `Bengali`, `Devanagari`, `Arabic`, `Cyrillic`, `Han`, `Japanese`; `None` for others.
///
/// ```
/// use newsdigest::text::language::script_of;
/// assert_eq!((script_of("es"), script_of("ne"), script_of("ta")), (Some("Latin"), Some("Devanagari"), None));
/// ```
pub fn script_of(language: &str) -> Option<&'static str> {
    Some(match primary(language).as_str() {
        "en" | "fr" | "de" | "es" | "pt" | "it" | "nl" | "ca" | "pl" | "cs" | "sk" | "sl"
        | "hr" | "ro" | "hu" | "fi" | "et" | "lv" | "lt" | "sv" | "da" | "nb" | "tr" | "az"
        | "uz" | "id" | "ms" | "vi" | "tl" | "sw" => "Latin",
        "bn" | "as" => "Bengali",
        "hi" | "ne" | "mr" => "Devanagari",
        "ar" | "ur" | "fa" => "Arabic",
        "ru" | "uk" | "be" | "bg" | "sr" | "mk" => "Cyrillic",
        "zh" => "Han",
        "ja" => "Japanese",
        _ => return None,
    })
}

/// The language subtag of a BCP 47 tag, lower-cased: `en-GB` → `en`, `zh_Hans` → `zh`.
///
/// ```
/// assert_eq!(newsdigest::text::language::primary("EN-gb"), "en");
/// ```
pub fn primary(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The BCP 47 tag of one of the [`CANDIDATES`] (its ISO 639-3 code should another ever appear).
fn bcp47(lang: whatlang::Lang) -> String {
    CANDIDATES
        .iter()
        .find(|(candidate, _)| *candidate == lang)
        .map_or_else(|| lang.code().to_string(), |(_, tag)| tag.to_string())
}

/// Whether `c` is in the Bengali block.
pub fn is_bengali(c: char) -> bool {
    ('\u{0980}'..='\u{09FF}').contains(&c)
}

#[derive(Default)]
struct ScriptCounts {
    latin: usize,
    bengali: usize,
    devanagari: usize,
    arabic: usize,
    urdu_only: usize,
    cyrillic: usize,
    ukrainian_only: usize,
    han: usize,
    kana: usize,
}

/// How many characters of a text are looked at: the opening of an article is enough.
const SAMPLE_CHARS: usize = 2000;

/// The language a text is most likely written in, judged by the script of its opening and, in
/// Latin script, by its function words (see the module documentation).
pub fn guess(text: &str) -> &'static str {
    let mut counts = ScriptCounts::default();
    for c in text.chars().take(SAMPLE_CHARS) {
        match c {
            'a'..='z' | 'A'..='Z' | '\u{00C0}'..='\u{024F}' => counts.latin += 1,
            c if is_bengali(c) => counts.bengali += 1,
            '\u{0900}'..='\u{097F}' => counts.devanagari += 1,
            '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' => {
                counts.arabic += 1;
                if matches!(c, 'ٹ' | 'ڈ' | 'ڑ' | 'ں' | 'ے' | 'ۓ' | '۔' | 'ھ' | 'ہ' | 'ۂ')
                {
                    counts.urdu_only += 1;
                }
            }
            '\u{0400}'..='\u{04FF}' => {
                counts.cyrillic += 1;
                if matches!(c, 'і' | 'ї' | 'є' | 'ґ' | 'І' | 'Ї' | 'Є' | 'Ґ') {
                    counts.ukrainian_only += 1;
                }
            }
            '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' => counts.han += 1,
            '\u{3040}'..='\u{30FF}' => counts.kana += 1,
            _ => {}
        }
    }
    let scripts = [
        (counts.latin, "en"),
        (counts.bengali, "bn"),
        (counts.devanagari, "hi"),
        (
            counts.arabic,
            if counts.urdu_only > 0 { "ur" } else { "ar" },
        ),
        (
            counts.cyrillic,
            if counts.ukrainian_only > 0 {
                "uk"
            } else {
                "ru"
            },
        ),
        (
            counts.han + counts.kana,
            if counts.kana > 0 { "ja" } else { "zh" },
        ),
    ];
    let script = scripts
        .iter()
        .filter(|(count, _)| *count > 0)
        .max_by_key(|(count, _)| *count)
        .map_or("en", |(_, lang)| lang);
    if script == "en" {
        latin_by_function_words(text)
    } else {
        script
    }
}

/// The function words of `locales/<lang>/language.toml` of every language that has the file,
/// sorted by language, each list lower-cased and sorted: compiled at build time
/// (`build/function_words.rs`), which also checks the files.
mod compiled {
    include!(concat!(env!("OUT_DIR"), "/function_words.rs"));
}

/// The function words of the built-in Latin-script languages (lower case), each with the set of
/// languages that use it: one hash look-up a word of the text, which every article's detection
/// makes hundreds of (built once from the compiled lists, a few hundred words).
#[derive(Debug, Default)]
struct LatinWords {
    /// The languages, in locale order.
    languages: Vec<&'static str>,
    /// Each word, and the languages (bit `i` for `languages[i]`) whose list has it.
    words: HashMap<&'static str, u32>,
}

static LATIN_WORDS: LazyLock<Result<LatinWords, String>> = LazyLock::new(load_latin_words);

/// Keeps the Latin-script languages of the compiled lists; an error names the file of a 33rd.
fn load_latin_words() -> Result<LatinWords, String> {
    let mut latin = LatinWords::default();
    for &(lang, words) in compiled::FUNCTION_WORDS {
        if script_of(lang) != Some("Latin") {
            continue;
        }
        if latin.languages.len() >= 32 {
            return Err(format!(
                "locales/{lang}/language.toml: more than 32 languages"
            ));
        }
        let bit = 1u32 << latin.languages.len();
        latin.languages.push(lang);
        for &word in words {
            *latin.words.entry(word).or_default() |= bit;
        }
    }
    Ok(latin)
}

impl LatinWords {
    /// Calls `each` with the languages (bit `i` for `languages[i]`) of every function word of
    /// `text`, in order; words are compared in lower case, each as a whole word.
    fn each_word(&self, text: &str, mut each: impl FnMut(u32)) {
        let mut lower = String::new();
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if word.is_empty() {
                continue;
            }
            lower.clear();
            if word.is_ascii() {
                lower.push_str(word);
                lower.make_ascii_lowercase();
            } else {
                lower.push_str(&word.to_lowercase());
            }
            if let Some(&languages) = self.words.get(lower.as_str()) {
                each(languages);
            }
        }
    }

    /// How many function words of each language `text` has (a word shared by several languages
    /// counts for each), in the order of [`LatinWords::languages`].
    fn count(&self, text: &str) -> Vec<usize> {
        let mut counts = vec![0usize; self.languages.len()];
        self.each_word(text, |languages| {
            for (i, count) in counts.iter_mut().enumerate() {
                *count += usize::from(languages & (1 << i) != 0);
            }
        });
        counts
    }

    /// How many function words of each language only `text` has (shared words count for none).
    fn count_exclusive(&self, text: &str) -> Vec<usize> {
        let mut counts = vec![0usize; self.languages.len()];
        self.each_word(text, |languages| {
            if languages.is_power_of_two() {
                counts[languages.trailing_zeros() as usize] += 1;
            }
        });
        counts
    }
}

/// Checks that the built-in language guessing data parses; the error names the file.
pub fn validate_data() -> Result<(), String> {
    LATIN_WORDS.as_ref().map(drop).map_err(Clone::clone)
}

/// The Latin-script language whose function words `text` uses most; English on a tie or none.
fn latin_by_function_words(text: &str) -> &'static str {
    let Ok(latin) = LATIN_WORDS.as_ref() else {
        return "en";
    };
    let sample = first_chars(text, SAMPLE_CHARS);
    let counts = latin.count(sample);
    let best = counts.iter().copied().max().unwrap_or(0);
    let leaders: Vec<&'static str> = latin
        .languages
        .iter()
        .zip(&counts)
        .filter(|(_, count)| best > 0 && **count == best)
        .map(|(lang, _)| *lang)
        .collect();
    match leaders.as_slice() {
        [] => "en",
        [only] => only,
        _ if leaders.contains(&"en") => "en",
        _ => trigrams_among(sample, &leaders).unwrap_or(leaders[0]),
    }
}

/// whatlang's answer when it may choose only among `languages` (tags of [`CANDIDATES`]), however
/// unsure: French and Spanish share `la`, `de`, `en`, and their trigrams tell them apart.
fn trigrams_among(text: &str, languages: &[&'static str]) -> Option<&'static str> {
    let allowed: Vec<whatlang::Lang> = CANDIDATES
        .iter()
        .filter(|(_, tag)| languages.contains(tag))
        .map(|(lang, _)| *lang)
        .collect();
    let info = whatlang::Detector::with_allowlist(allowed).detect(text)?;
    languages
        .iter()
        .copied()
        .find(|tag| CANDIDATES.contains(&(info.lang(), tag)))
}

#[cfg(test)]
mod tests {
    use super::{detect, guess, validate_data};
    use crate::ingest::detect::language_of;

    #[test]
    fn built_in_data_parses() {
        validate_data().unwrap();
    }

    /// Short news sentences, too short for trigrams to be sure: whatlang gives most of these
    /// French ones below 0.5 (some as Spanish or German), and the script alone said English.
    #[test]
    fn short_latin_text_is_told_apart_by_its_function_words() {
        let cases = [
            ("Le train de nuit est en retard.", "fr"),
            ("Nouvelle hausse du prix du gaz.", "fr"),
            ("Le Premier ministre sera a Lyon mardi.", "fr"),
            ("Le maire en visite au port.", "fr"),
            ("La bourse de Paris finit en baisse.", "fr"),
            ("Il pleut sur la capitale.", "fr"),
            ("La Garonne est en crue.", "fr"),
            ("Une usine va fermer en juin.", "fr"),
            ("Hausse des prix en mars.", "fr"),
            ("Les taxis manifestent.", "fr"),
            ("Record de chaleur en juillet.", "fr"),
            ("Un accord sur les salaires.", "fr"),
            ("Rain in Dhaka today.", "en"),
            ("Rain fell again.", "en"),
            ("Two die in crash.", "en"),
            ("No injuries were reported.", "en"),
            ("Shooting in Las Vegas.", "en"),
            ("The mayor is in Paris.", "en"),
            ("Talks end without a deal.", "en"),
            ("El tren llega tarde hoy.", "es"),
            ("Sube el precio de la luz.", "es"),
            ("Lluvias en el norte del país.", "es"),
            ("Nuevo récord de calor en julio.", "es"),
            ("Der Zug ist heute zu spät.", "de"),
        ];
        let mut wrong = Vec::new();
        for (text, expected) in cases {
            let (tag, confidence) = language_of(None, text);
            if tag != expected {
                wrong.push(format!("{text}: {tag} ({confidence}), not {expected}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        // Nothing to go by: English, as before.
        assert_eq!(
            (guess("Breaking"), guess("12345"), guess("")),
            ("en", "en", "en")
        );
    }

    #[test]
    fn detects_languages_with_confidence() {
        let cases = [
            (
                "Diplomats will meet in London on Wednesday to discuss the ceasefire.",
                "en",
            ),
            (
                "রাজধানীসহ দেশের বিভিন্ন এলাকায় বুধবার ভোর থেকে ভারী বৃষ্টি হয়েছে।",
                "bn",
            ),
            (
                "दिल्ली में आज भीषण गर्मी पड़ी और तापमान पैंतालीस डिग्री तक पहुंच गया।",
                "hi",
            ),
            (
                "Дипломаты встретятся в Лондоне в среду, чтобы обсудить перемирие.",
                "ru",
            ),
            (
                "Die Diplomaten treffen sich am Mittwoch in London, um über die Waffenruhe zu sprechen.",
                "de",
            ),
            (
                "Los diplomáticos se reunirán el miércoles en Londres para hablar del alto el fuego.",
                "es",
            ),
        ];
        for (text, tag) in cases {
            let detected = detect(text);
            assert_eq!(detected.tag, tag, "{text}");
            assert!(
                detected.confidence > 0.0 && detected.confidence <= 1.0,
                "{detected:?}"
            );
        }
        assert_eq!(detect("12345").confidence, 0.0);
    }

    #[test]
    fn guesses_by_script() {
        let cases = [
            ("Diplomats will meet in London.", "en"),
            ("ঢাকায় আজ বৃষ্টি হতে পারে। BBC", "bn"),
            ("दिल्ली में आज बारिश हो सकती है।", "hi"),
            ("اجتماع وزراء الخارجية في لندن", "ar"),
            ("لندن میں وزرائے خارجہ کا اجلاس ہوا۔", "ur"),
            ("Дипломаты встретятся в Лондоне.", "ru"),
            ("Дипломати зустрінуться в Лондоні.", "uk"),
            ("外交官将于周三在伦敦会面。", "zh"),
            ("", "en"),
        ];
        for (text, lang) in cases {
            assert_eq!(guess(text), lang, "{text}");
        }
    }
}
