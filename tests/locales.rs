//! The built-in locales: every one loads, has the same message keys as `en`, formats every message,
//! selects CLDR plural categories through ICU4X, and formats dates and times.

use std::collections::BTreeSet;
use std::fs;

use chrono::{DateTime, FixedOffset};
use fluent_syntax::ast::{Entry, Expression, PatternElement, VariantKey};
use newsdigest::assets;
use newsdigest::locale::{self, Direction, Locale, MessageArg};

/// Counts that reach every CLDR plural category of the built-in languages.
const COUNTS: [i64; 11] = [0, 1, 2, 3, 5, 11, 21, 101, 103, 111, 1_000_000];

/// The locales this branch adds, besides the model `en` and `bn`.
const ADDED: [&str; 10] = ["hi", "ur", "ar", "ne", "ru", "uk", "fr", "de", "es", "zh"];

/// Built-in locale folders that are locales (other folders may hold only dateline data).
fn built_in() -> Vec<String> {
    locale::available(None)
        .into_iter()
        .filter(|lang| {
            assets::locale_files(lang)
                .iter()
                .any(|(name, _)| *name == "locale.toml")
        })
        .collect()
}

fn load(lang: &str) -> Locale {
    Locale::load(lang, None).unwrap_or_else(|e| panic!("locale {lang} does not load: {e}"))
}

fn stories(locale: &Locale, count: i64) -> String {
    locale
        .message("stories", &[("count", MessageArg::from(count))])
        .unwrap_or_else(|e| panic!("{}: stories with count {count}: {e}", locale.tag))
}

fn instant() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2025-04-23T13:47:00+06:00").unwrap()
}

#[test]
fn every_locale_has_the_keys_of_en() {
    let langs = built_in();
    for lang in ["en", "bn"].iter().chain(ADDED.iter()) {
        assert!(
            langs.iter().any(|l| l == lang),
            "built-in locale {lang} missing from {langs:?}"
        );
    }
    let reference: BTreeSet<String> = load("en").message_keys().into_iter().collect();
    assert!(!reference.is_empty(), "en has no messages");
    let mut problems = Vec::new();
    for lang in &langs {
        let keys: BTreeSet<String> = load(lang).message_keys().into_iter().collect();
        let missing: Vec<&String> = reference.difference(&keys).collect();
        let extra: Vec<&String> = keys.difference(&reference).collect();
        if !missing.is_empty() || !extra.is_empty() {
            problems.push(format!("{lang}: missing {missing:?}, extra {extra:?}"));
        }
    }
    assert!(
        problems.is_empty(),
        "locales whose message keys differ from en:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_message_formats_in_every_locale() {
    let mut problems = Vec::new();
    for lang in built_in() {
        let locale = load(&lang);
        for key in locale.message_keys() {
            for count in COUNTS {
                match locale.message(&key, &[("count", MessageArg::from(count))]) {
                    Ok(text) if text.trim().is_empty() => {
                        problems.push(format!("{lang} {key} (count {count}): empty"));
                    }
                    Ok(_) => {}
                    Err(e) => problems.push(format!("{lang} {key} (count {count}): {e}")),
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `stories` shows the number itself (no literal "1" in a [one] variant that also covers 0),
/// except Arabic 1 and 2, whose [one] and [two] forms ("خبر واحد", "خبران") are the number.
#[test]
fn stories_shows_the_count() {
    let mut problems = Vec::new();
    for lang in built_in() {
        let locale = load(&lang);
        for count in COUNTS {
            if lang == "ar" && (count == 1 || count == 2) {
                continue;
            }
            let text = stories(&locale, count);
            let number = locale.number(count);
            if !text.contains(&number) {
                problems.push(format!("{lang} {count}: {text:?} lacks {number:?}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The variant keys of the `stories` selector in the built-in `.ftl` files of `lang`.
fn stories_variants(lang: &str) -> BTreeSet<String> {
    let mut variants = BTreeSet::new();
    let files = assets::locale_files(lang);
    let entries = files
        .iter()
        .filter(|(name, _)| name.ends_with(".ftl"))
        .flat_map(|(name, text)| {
            fluent_syntax::parser::parse(*text)
                .unwrap_or_else(|(_, errors)| panic!("{lang}/{name} does not parse: {errors:?}"))
                .body
        });
    for entry in entries {
        let Entry::Message(message) = entry else {
            continue;
        };
        if message.id.name != "stories" {
            continue;
        }
        for element in message.value.into_iter().flat_map(|p| p.elements) {
            if let PatternElement::Placeable {
                expression:
                    Expression::Select {
                        selector,
                        variants: list,
                    },
            } = element
            {
                assert!(
                    matches!(&selector, fluent_syntax::ast::InlineExpression::FunctionReference { id, .. } if id.name == "PLURAL"),
                    "{lang}: stories must select on PLURAL($count), not {selector:?}"
                );
                for variant in list {
                    variants.insert(match variant.key {
                        VariantKey::Identifier { name } => name.to_string(),
                        VariantKey::NumberLiteral { value } => value.to_string(),
                    });
                }
            }
        }
    }
    variants
}

/// The CLDR plural categories ICU4X gives for `lang` over integers up to 1200, exact millions and
/// a few decimals, read through `PLURAL()` from a probe message in a user locale folder.
fn icu_categories(lang: &str) -> BTreeSet<String> {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(lang)).unwrap();
    fs::write(
        dir.path().join(lang).join("probe.ftl"),
        "plural-category = { PLURAL($count) }\n",
    )
    .unwrap();
    let locale = Locale::load(lang, Some(dir.path())).unwrap();
    let numbers = (0..=1200)
        .map(|n| n as f64)
        .chain([1e6, 2e6, 0.5, 1.5, 2.5, 1.1, 21.5]);
    numbers
        .map(|n| {
            locale
                .message("plural-category", &[("count", MessageArg::Number(n))])
                .unwrap()
        })
        .collect()
}

/// `stories` has a variant for exactly the categories ICU4X can select in the language: none is
/// missing (it would silently fall back to `other`) and none is unreachable or misspelled.
#[test]
fn stories_variants_are_the_cldr_categories() {
    let expected: &[(&str, &[&str])] = &[
        ("ar", &["few", "many", "one", "other", "two", "zero"]),
        ("bn", &["one", "other"]),
        ("de", &["one", "other"]),
        ("en", &["one", "other"]),
        ("es", &["many", "one", "other"]),
        ("fr", &["many", "one", "other"]),
        ("hi", &["one", "other"]),
        ("ne", &["one", "other"]),
        ("ru", &["few", "many", "one", "other"]),
        ("uk", &["few", "many", "one", "other"]),
        ("ur", &["one", "other"]),
        ("zh", &["other"]),
    ];
    let mut problems = Vec::new();
    for lang in built_in() {
        let variants = stories_variants(&lang);
        let categories = icu_categories(&lang);
        if variants != categories {
            problems.push(format!(
                "{lang}: stories has variants {variants:?}, ICU4X categories are {categories:?}"
            ));
        }
        if let Some((_, list)) = expected.iter().find(|(l, _)| *l == lang) {
            let list: BTreeSet<String> = list.iter().map(|s| s.to_string()).collect();
            if categories != list {
                problems.push(format!(
                    "{lang}: ICU4X gives {categories:?}, expected {list:?}"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn arabic_plurals_follow_icu4x() {
    let ar = load("ar");
    assert_eq!(stories(&ar, 0), "0 خبر");
    assert_eq!(stories(&ar, 1), "خبر واحد");
    assert_eq!(stories(&ar, 2), "خبران");
    // [few]: n % 100 in 3..=10, also above 102, where Fluent's own rules say "other".
    assert_eq!(stories(&ar, 3), "3 أخبار");
    assert_eq!(stories(&ar, 103), "103 أخبار");
    // [many]: n % 100 in 11..=99.
    assert_eq!(stories(&ar, 11), "11 خبرًا");
    assert_eq!(stories(&ar, 111), "111 خبرًا");
    // [other]: 100, 101, 102...
    assert_eq!(stories(&ar, 101), "101 خبر");
}

#[test]
fn russian_and_ukrainian_plurals() {
    let ru = load("ru");
    assert_eq!(stories(&ru, 1), "1 новость");
    assert_eq!(stories(&ru, 21), "21 новость");
    assert_eq!(stories(&ru, 22), "22 новости");
    assert_eq!(stories(&ru, 25), "25 новостей");
    assert_eq!(stories(&ru, 11), "11 новостей");
    assert_eq!(stories(&ru, 111), "111 новостей");
    let uk = load("uk");
    assert_eq!(stories(&uk, 21), "21 новина");
    assert_eq!(stories(&uk, 22), "22 новини");
    assert_eq!(stories(&uk, 25), "25 новин");
}

#[test]
fn zero_and_one_share_a_form_where_cldr_says_so() {
    let bn = load("bn");
    assert!(stories(&bn, 0).contains('০'), "{}", stories(&bn, 0));
    let fr = load("fr");
    assert_eq!(stories(&fr, 0), "0 article");
    assert_eq!(stories(&fr, 2), "2 articles");
    let hi = load("hi");
    assert_eq!(stories(&hi, 0), "0 ख़बर");
    assert_eq!(stories(&hi, 5), "5 ख़बरें");
    let de = load("de");
    assert_eq!(stories(&de, 0), "0 Meldungen");
    assert_eq!(stories(&de, 1), "1 Meldung");
    let es = load("es");
    assert_eq!(stories(&es, 0), "0 noticias");
    assert_eq!(stories(&es, 1), "1 noticia");
}

#[test]
fn directions() {
    for lang in built_in() {
        let expected = if lang == "ar" || lang == "ur" {
            Direction::Rtl
        } else {
            Direction::Ltr
        };
        assert_eq!(load(&lang).direction, expected, "direction of {lang}");
    }
}

#[test]
fn dates_and_times_in_every_locale() {
    let time = instant();
    for lang in built_in() {
        let locale = load(&lang);
        assert!(!locale.date(&time).trim().is_empty(), "{lang}: empty date");
        assert!(!locale.time(&time).trim().is_empty(), "{lang}: empty time");
        assert!(!locale.name.trim().is_empty(), "{lang}: empty name");
    }
    assert_eq!(load("bn").time(&time), "১৩:৪৭");
    let ne = load("ne");
    for text in [ne.date(&time), ne.time(&time)] {
        let digits: Vec<char> = text.chars().filter(|c| c.is_numeric()).collect();
        assert!(!digits.is_empty(), "ne: no digits in {text:?}");
        assert!(
            digits.iter().all(|c| ('०'..='९').contains(c)),
            "ne: not Devanagari digits in {text:?}"
        );
    }
    assert_eq!(ne.time(&time), "१३:४७");
}
