//! Language guessing from the script of a text, used when neither the input nor the user names it.
//!
//! Counts letters per script and maps the dominant one to a language: Bengali -> `bn`,
//! Devanagari -> `hi`, Arabic -> `ar` (or `ur` when Urdu-only letters appear), Cyrillic -> `ru`
//! (or `uk` when Ukrainian-only letters appear), Han -> `zh`, kana -> `ja`, otherwise `en`.
//! Latin-script languages are not told apart here.
//!
//! ```
//! use newsdigest::text::language::guess;
//! assert_eq!(guess("ঢাকায় বৃষ্টি"), "bn");
//! ```

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
    use super::guess;

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
