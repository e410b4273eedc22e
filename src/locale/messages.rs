//! Fluent messages of one locale: loading `*.ftl` files and formatting a message with arguments.
//!
//! Numbers in messages go through ICU4X (grouping and the locale's digits), and the `PLURAL($n)`
//! function selects CLDR plural categories with ICU4X, because Fluent's own rules are wrong for
//! Arabic above 102 (docs/DESIGN.md, "Fluent for words, ICU4X for numbers and plural
//! categories"). Isolation marks are off: SMS text must not carry U+2068/U+2069. The built-in `en`
//! message is `stories = { PLURAL($count) -> [one] { $count } story *[other] { $count } stories }`:
//!
//! ```
//! use newsdigest::locale::{Locale, MessageArg};
//! let en = Locale::load("en", None).unwrap();
//! let three = en.message("stories", &[("count", MessageArg::from(3_i64))]).unwrap();
//! assert_eq!(three, "3 stories");
//! ```

use std::sync::Arc;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentError, FluentResource, FluentValue};
use icu_plurals::{PluralCategory, PluralRules};
use intl_memoizer::concurrent::IntlLangMemoizer;
use unic_langid::LanguageIdentifier;

use super::LocaleFile;
use crate::error::{Error, Result};

/// A message argument.
#[derive(Debug, Clone, PartialEq)]
pub enum MessageArg {
    Number(f64),
    Text(String),
}

impl From<i64> for MessageArg {
    fn from(value: i64) -> Self {
        MessageArg::Number(value as f64)
    }
}

impl From<usize> for MessageArg {
    fn from(value: usize) -> Self {
        MessageArg::Number(value as f64)
    }
}

impl From<&str> for MessageArg {
    fn from(value: &str) -> Self {
        MessageArg::Text(value.to_string())
    }
}

impl From<String> for MessageArg {
    fn from(value: String) -> Self {
        MessageArg::Text(value)
    }
}

/// The messages of one locale.
pub struct Messages {
    bundle: FluentBundle<FluentResource>,
    keys: Vec<String>,
    plural_rules: Arc<PluralRules>,
}

impl Messages {
    /// Builds the bundle from the locale's `.ftl` files; user files override built-in messages.
    pub fn load(tag: &str, files: &[LocaleFile]) -> Result<Messages> {
        let language: LanguageIdentifier = tag.parse().map_err(|_| Error::Locale {
            locale: tag.to_string(),
            message: "Fluent does not accept this language tag".into(),
        })?;
        let mut bundle = FluentBundle::new_concurrent(vec![language]);
        bundle.set_use_isolating(false);
        bundle.set_formatter(Some(format_number));
        let plural_rules = Arc::new(plural_rules(tag)?);
        let rules = Arc::clone(&plural_rules);
        bundle
            .add_function("PLURAL", move |positional, _named| {
                match positional.first() {
                    Some(FluentValue::Number(n)) => {
                        FluentValue::from(category_name(plural_category(&rules, n.value)))
                    }
                    _ => FluentValue::Error,
                }
            })
            .map_err(|e| fluent_error(tag, &e))?;

        let mut keys = Vec::new();
        for file in files.iter().filter(|f| f.name.ends_with(".ftl")) {
            let resource = FluentResource::try_new(file.text.clone()).map_err(|(_, errors)| {
                let first = &errors[0];
                Error::Config {
                    path: file.origin.clone(),
                    message: format!(
                        "line {}: {}",
                        line_of(&file.text, first.pos.start),
                        first.kind
                    ),
                }
            })?;
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(message) = entry {
                    keys.push(message.id.name.to_string());
                }
            }
            if file.user {
                bundle.add_resource_overriding(resource);
            } else {
                bundle
                    .add_resource(resource)
                    .map_err(|errors| Error::Config {
                        path: file.origin.clone(),
                        message: errors.first().map(ToString::to_string).unwrap_or_default(),
                    })?;
            }
        }
        keys.sort();
        keys.dedup();
        Ok(Messages {
            bundle,
            keys,
            plural_rules,
        })
    }

    /// The CLDR plural category of `n` (`one`, `few`, `other`...).
    pub fn plural(&self, n: f64) -> &'static str {
        category_name(plural_category(&self.plural_rules, n))
    }

    /// Every message key, sorted.
    pub fn keys(&self) -> Vec<String> {
        self.keys.clone()
    }

    /// Formats the message `key`; a missing message or argument is an error naming it.
    pub fn format(&self, tag: &str, key: &str, args: &[(&str, MessageArg)]) -> Result<String> {
        let message = self.bundle.get_message(key).ok_or_else(|| Error::Locale {
            locale: tag.to_string(),
            message: format!("no message {key:?}"),
        })?;
        let pattern = message.value().ok_or_else(|| Error::Locale {
            locale: tag.to_string(),
            message: format!("message {key:?} has no value"),
        })?;
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            match value {
                MessageArg::Number(n) => fluent_args.set(*name, FluentValue::from(*n)),
                MessageArg::Text(text) => fluent_args.set(*name, FluentValue::from(text.as_str())),
            }
        }
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors);
        if let Some(error) = errors.first() {
            return Err(Error::Locale {
                locale: tag.to_string(),
                message: format!("message {key:?}: {error}"),
            });
        }
        Ok(text.into_owned())
    }
}

/// The line (1-based) of byte offset `pos` in `text`.
fn line_of(text: &str, pos: usize) -> usize {
    text.as_bytes()[..pos.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn fluent_error(tag: &str, error: &FluentError) -> Error {
    Error::Locale {
        locale: tag.to_string(),
        message: error.to_string(),
    }
}

fn plural_rules(tag: &str) -> Result<PluralRules> {
    let locale: icu_locale_core::Locale = tag.parse().map_err(|_| Error::Locale {
        locale: tag.to_string(),
        message: "not a valid BCP 47 language tag".into(),
    })?;
    PluralRules::try_new_cardinal((&locale).into()).map_err(|e| Error::Locale {
        locale: tag.to_string(),
        message: format!("no plural rules: {e}"),
    })
}

/// The CLDR plural category of `n`, integers and decimals alike.
fn plural_category(rules: &PluralRules, n: f64) -> PluralCategory {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        return rules.category_for(n.abs() as u64);
    }
    match format!("{}", n.abs()).parse::<icu_decimal::input::Decimal>() {
        Ok(decimal) => rules.category_for(&decimal),
        Err(_) => PluralCategory::Other,
    }
}

fn category_name(category: PluralCategory) -> &'static str {
    match category {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

/// ICU4X decimal formatting for numbers placed in messages.
struct IcuNumberFormat(icu_decimal::DecimalFormatter);

impl intl_memoizer::Memoizable for IcuNumberFormat {
    type Args = ();
    type Error = String;

    fn construct(language: LanguageIdentifier, _: ()) -> std::result::Result<Self, String> {
        let locale: icu_locale_core::Locale =
            language.to_string().parse().map_err(|e| format!("{e}"))?;
        icu_decimal::DecimalFormatter::try_new((&locale).into(), Default::default())
            .map(IcuNumberFormat)
            .map_err(|e| e.to_string())
    }
}

fn format_number(value: &FluentValue, memoizer: &IntlLangMemoizer) -> Option<String> {
    let FluentValue::Number(number) = value else {
        return None;
    };
    let decimal: icu_decimal::input::Decimal = number.as_string().parse().ok()?;
    memoizer
        .with_try_get::<IcuNumberFormat, _, _>((), |f| f.0.format(&decimal).to_string())
        .ok()
}
