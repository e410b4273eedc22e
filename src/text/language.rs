//! Language detection, used when neither the input, the feed nor the user names the language.
//!
//! [`detect`] asks whatlang (trigram statistics, choosing among the languages of the built-in
//! locales and Japanese) and reports its confidence; when
//! whatlang has no answer (a few words, digits only) it falls back to [`guess`], which maps the
//! dominant script to a language: Bengali -> `bn`, Devanagari -> `hi`, Arabic -> `ar` (or `ur` when
//! Urdu-only letters appear), Cyrillic -> `ru` (or `uk` when Ukrainian-only letters appear), Han ->
//! `zh`, kana -> `ja`, otherwise `en`. Tags are BCP 47 (ISO 639-1 where it has one).
//!
//! ```
//! use newsdigest::text::language::{detect, guess};
//! assert_eq!(guess("ঢাকায় বৃষ্টি"), "bn");
//! let detected = detect("Les diplomates se réuniront mercredi à Londres pour discuter du cessez-le-feu.");
//! assert_eq!(detected.tag, "fr");
//! assert!(detected.confidence > 0.5);
//! ```

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

/// The language of `text`: whatlang's answer among the candidates (above) with its confidence,
/// else the script's language with confidence 0.
pub fn detect(text: &str) -> Detected {
    let sample: String = text.chars().take(SAMPLE_CHARS).collect();
    let detector =
        whatlang::Detector::with_allowlist(CANDIDATES.iter().map(|(lang, _)| *lang).collect());
    match detector.detect(&sample) {
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

/// The language a text is most likely written in, judged by the script of its opening.
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
    scripts
        .iter()
        .filter(|(count, _)| *count > 0)
        .max_by_key(|(count, _)| *count)
        .map_or("en", |(_, lang)| lang)
}

#[cfg(test)]
mod tests {
    use super::{detect, guess};

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
