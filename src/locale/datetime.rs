//! Dates and times in a locale, through ICU4X (CLDR month names, patterns and digits).
//!
//! Times are always on a 24-hour clock (`-u-hc-h23`), which is what SMS bulletins print and is
//! shorter than `1:47 PM` with its narrow no-break space. The wall-clock fields of a chrono time
//! are copied into ICU4X's ISO types (the stable path). For `bn`, 2025-04-23 13:47 gives date
//! `২৩ এপ্রি` and time `১৩:৪৭` (through the public [`crate::locale::Locale`]):
//!
//! ```
//! use newsdigest::locale::Locale;
//! let bn = Locale::load("bn", None).unwrap();
//! let at = chrono::DateTime::parse_from_rfc3339("2025-04-23T13:47:00+06:00").unwrap();
//! assert_eq!([bn.date(&at), bn.time(&at)], ["২৩ এপ্রি", "১৩:৪৭"]);
//! ```

use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use icu_calendar::{Date, Iso};
use icu_datetime::DateTimeFormatter;
use icu_datetime::fieldsets::{MD, T, YMD};
use icu_locale_core::extensions::unicode::{key, value};
use icu_time::{DateTime as IcuDateTime, Time};

use crate::error::{Error, Result};

/// Date and time formatters for one locale.
pub struct DateFormats {
    day_month: DateTimeFormatter<MD>,
    full_date: DateTimeFormatter<YMD>,
    time: DateTimeFormatter<T>,
}

impl DateFormats {
    pub fn new(tag: &str, locale: &icu_locale_core::Locale) -> Result<DateFormats> {
        let error = |e: icu_datetime::DateTimeFormatterLoadError| Error::Locale {
            locale: tag.to_string(),
            message: format!("no date format: {e}"),
        };
        let mut locale = locale.clone();
        // Gregorian dates and a 24-hour clock whatever the locale's defaults.
        locale
            .extensions
            .unicode
            .keywords
            .set(key!("ca"), value!("gregory"));
        locale
            .extensions
            .unicode
            .keywords
            .set(key!("hc"), value!("h23"));
        let prefs = (&locale).into();
        Ok(DateFormats {
            day_month: DateTimeFormatter::try_new(prefs, MD::medium()).map_err(error)?,
            full_date: DateTimeFormatter::try_new(prefs, YMD::medium()).map_err(error)?,
            time: DateTimeFormatter::try_new(prefs, T::hm()).map_err(error)?,
        })
    }

    pub fn date(&self, time: &DateTime<FixedOffset>) -> String {
        self.day_month.format(&to_icu(time)).to_string()
    }

    pub fn full_date(&self, time: &DateTime<FixedOffset>) -> String {
        self.full_date.format(&to_icu(time)).to_string()
    }

    pub fn time(&self, time: &DateTime<FixedOffset>) -> String {
        self.time.format(&to_icu(time)).to_string()
    }
}

/// The wall-clock fields of `time` as an ICU4X ISO date-time.
fn to_icu(time: &DateTime<FixedOffset>) -> IcuDateTime<Iso> {
    // chrono's fields are always in range for ICU4X (years within +-262143, months 1-12...),
    // except a leap second, which is folded into the second before it.
    let date = Date::try_new_iso(time.year(), time.month() as u8, time.day() as u8)
        .unwrap_or_else(|_| Date::try_new_iso(1970, 1, 1).expect("1970-01-01 is a valid date"));
    let clock = Time::try_new(
        time.hour() as u8,
        time.minute() as u8,
        time.second().min(59) as u8,
        time.nanosecond() % 1_000_000_000,
    )
    .unwrap_or(Time::start_of_day());
    IcuDateTime { date, time: clock }
}
