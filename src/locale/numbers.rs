//! Numbers and digits in a locale, through ICU4X's decimal formatter (CLDR numbering systems).
//!
//! The locale's ten digits are read off the formatter itself (formatting 0..=9), so `bn` gets
//! Bengali digits, `bn-IN` and `ar` Latin ones, `ar-EG` Arabic-Indic, exactly as CLDR says.
//! For `bn`, `digits("13:47")` is `"১৩:৪৭"` and `integer(12345)` is `"১২,৩৪৫"` (public as
//! [`crate::locale::Locale::digits`] and [`crate::locale::Locale::number`]):
//!
//! ```
//! let bn = newsdigest::locale::Locale::load("bn", None).unwrap();
//! assert_eq!([bn.digits("13:47"), bn.number(12345)], ["১৩:৪৭", "১২,৩৪৫"]);
//! ```

use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;

use crate::error::{Error, Result};

/// Number formatting for one locale.
pub struct Numbers {
    formatter: DecimalFormatter,
    /// The locale's digits for 0..=9; `None` when they are the ASCII digits.
    native_digits: Option<[char; 10]>,
}

impl Numbers {
    pub fn new(tag: &str, locale: &icu_locale_core::Locale) -> Result<Numbers> {
        let formatter =
            DecimalFormatter::try_new(locale.into(), Default::default()).map_err(|e| {
                Error::Locale {
                    locale: tag.to_string(),
                    message: format!("no number format: {e}"),
                }
            })?;
        let mut digits = ['0'; 10];
        for (value, slot) in (0u8..10).zip(digits.iter_mut()) {
            let text = formatter.format(&Decimal::from(value)).to_string();
            *slot = text.chars().next().unwrap_or(char::from(b'0' + value));
        }
        let native_digits =
            (digits != ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']).then_some(digits);
        Ok(Numbers {
            formatter,
            native_digits,
        })
    }

    /// `text` with ASCII digits replaced by the locale's digits.
    pub fn digits(&self, text: &str) -> String {
        match &self.native_digits {
            None => text.to_string(),
            Some(digits) => text
                .chars()
                .map(|c| match c.to_digit(10) {
                    Some(d) if c.is_ascii_digit() => digits[d as usize],
                    _ => c,
                })
                .collect(),
        }
    }

    /// An integer with the locale's grouping and digits.
    pub fn integer(&self, value: i64) -> String {
        self.formatter.format(&Decimal::from(value)).to_string()
    }
}
