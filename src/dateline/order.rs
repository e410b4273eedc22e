//! Numeric dates whose order depends on the country: `04/21/2025` is month first in the United
//! States, `21/04/2025` day first in most of the world, `25/04/21` year first in China or Japan.
//!
//! Owns [`DateOrder`] and [`numeric_date`]. Reads `data/date_order.toml` once (the countries that
//! write month first, year first, or both); writes the calendar date, or the reason none can be
//! read. A date valid only in the other order is read in that order with a note (`04/21/2025` from
//! a British outlet); with no country (or a mixed one) a date valid both ways is read day first
//! with a note naming the other reading. Two-digit years take the year nearest the reference year
//! (within 50 years, the past on a tie), noted. Example:
//!
//! ```
//! use newsdigest::dateline::{parse, Context};
//! let us = Context { country: Some("US".into()), home: None, now: "2025-04-23T12:00:00Z".parse().unwrap() };
//! assert_eq!(parse("04/05/2025", &us).unwrap().local.date_naive().to_string(), "2025-04-05");
//! let gb = Context { country: Some("GB".into()), ..us };
//! assert_eq!(parse("04/05/2025", &gb).unwrap().local.date_naive().to_string(), "2025-05-04");
//! ```

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::assets;

/// How an outlet country writes numeric dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    DayFirst,
    MonthFirst,
    YearFirst,
    /// No country, or a country where both orders are common.
    Unknown,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OrderFile {
    month_first: Vec<String>,
    year_first: Vec<String>,
    mixed: Vec<String>,
}

static ORDERS: LazyLock<Result<OrderFile, String>> = LazyLock::new(|| {
    let text = assets::data_file("date_order.toml").ok_or("data/date_order.toml is missing")?;
    toml::from_str(text).map_err(|e| format!("data/date_order.toml: {}", e.message()))
});

impl DateOrder {
    /// The order of `country` (ISO 3166 alpha-2, upper case).
    pub fn of(country: Option<&str>) -> Result<DateOrder, String> {
        let file = ORDERS.as_ref().map_err(Clone::clone)?;
        let listed = |list: &[String], c: &str| list.iter().any(|x| x == c);
        Ok(match country {
            None => DateOrder::Unknown,
            Some(c) if listed(&file.mixed, c) => DateOrder::Unknown,
            Some(c) if listed(&file.month_first, c) => DateOrder::MonthFirst,
            Some(c) if listed(&file.year_first, c) => DateOrder::YearFirst,
            Some(_) => DateOrder::DayFirst,
        })
    }
}

/// A numeric date as written: three numbers, their digit counts, and the separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumericDate {
    pub parts: [u64; 3],
    pub digits: [usize; 3],
    pub separator: char,
}

impl NumericDate {
    fn shown(&self) -> String {
        let [a, b, c] = self.parts;
        let [da, db, dc] = self.digits;
        let s = self.separator;
        format!("{a:0da$}{s}{b:0db$}{s}{c:0dc$}")
    }
}

/// The year a two-digit year means: the one nearest `reference_year`, the past on a tie.
pub fn pivot_year(two_digits: u64, reference_year: i32) -> i32 {
    let yy = i32::try_from(two_digits % 100).unwrap_or(0);
    let century = reference_year - reference_year.rem_euclid(100);
    [century - 100 + yy, century + yy, century + 100 + yy]
        .into_iter()
        .min_by_key(|year| ((year - reference_year).abs(), *year > reference_year))
        .unwrap_or(century + yy)
}

/// The year as written, or a two-digit year pivoted (with a note).
pub fn full_year(year: u64, digits: usize, reference_year: i32, notes: &mut Vec<String>) -> u64 {
    if digits != 2 {
        return year;
    }
    let full = pivot_year(year, reference_year);
    notes.push(format!(
        "two-digit year {year:02} is read as {full} (the nearest to the reference year {reference_year})"
    ));
    u64::try_from(full).unwrap_or(0)
}

/// The calendar date of a numeric date, by the outlet's order; notes say what was uncertain.
pub fn numeric_date(
    written: NumericDate,
    order: DateOrder,
    reference_year: i32,
    notes: &mut Vec<String>,
) -> Result<NaiveDate, String> {
    let [a, b, c] = written.parts;
    let shown = written.shown();
    // 2025-04-23, 2025/04/23: a year of three or more digits first is always year/month/day;
    // 23.04.2025 with dots is always day first.
    if written.digits[0] >= 3 {
        let year = full_year(a, written.digits[0], reference_year, notes);
        return date(year, b, c).ok_or_else(|| why_not(year, b, c));
    }
    let year_last = written.digits[2] != 2 || order != DateOrder::YearFirst;
    let mut year_notes = Vec::new();
    let (year, first, second) = if year_last {
        (
            full_year(c, written.digits[2], reference_year, &mut year_notes),
            a,
            b,
        )
    } else {
        (
            full_year(a, written.digits[0], reference_year, &mut year_notes),
            b,
            c,
        )
    };
    // (month, day) in the country's order, then the other.
    let preferred_month_first = match order {
        DateOrder::MonthFirst => true,
        DateOrder::YearFirst => year_last,
        DateOrder::DayFirst | DateOrder::Unknown => false,
    } && written.separator != '.';
    let (preferred, other) = if preferred_month_first {
        ((first, second), (second, first))
    } else {
        ((second, first), (first, second))
    };
    let read = |(month, day): (u64, u64)| date(year, month, day);
    let describe = |d: NaiveDate| d.format("%-d %B %Y").to_string();
    let first_named = if preferred_month_first {
        "month"
    } else {
        "day"
    };
    let other_named = if preferred_month_first {
        "day"
    } else {
        "month"
    };
    // Dots are day first everywhere: no other reading is tried.
    let other_reading = if written.separator == '.' {
        None
    } else {
        read(other)
    };
    let result = match (read(preferred), other_reading) {
        (Some(date), Some(alternative)) => {
            if order == DateOrder::Unknown && date != alternative {
                notes.push(format!(
                    "{shown} is read {first_named} first, as {}; {other_named} first it would be {} (give the outlet country to decide)",
                    describe(date),
                    describe(alternative)
                ));
            }
            Ok(date)
        }
        (Some(date), None) => Ok(date),
        (None, Some(date)) => {
            notes.push(format!(
                "{shown} is not a date {first_named} first: read {other_named} first, as {}",
                describe(date)
            ));
            Ok(date)
        }
        (None, None) if written.separator == '.' => Err(why_not(year, preferred.0, preferred.1)),
        (None, None) => Err(format!(
            "{} ({shown} is not a date {other_named} first either)",
            why_not(year, preferred.0, preferred.1)
        )),
    };
    notes.append(&mut year_notes);
    result
}

/// Why `year`-`month`-`day` is not a date: `month 13 does not exist`, `February 30, 2025 does
/// not exist`.
fn why_not(year: u64, month: u64, day: u64) -> String {
    match u32::try_from(month)
        .ok()
        .and_then(|m| NaiveDate::from_ymd_opt(2000, m, 1))
    {
        Some(first) => format!("{} {day}, {year} does not exist", first.format("%B")),
        None => format!("month {month} does not exist"),
    }
}

fn date(year: u64, month: u64, day: u64) -> Option<NaiveDate> {
    let year = i32::try_from(year).ok()?;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
        .filter(|d| d.year() == year)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(parts: [u64; 3], digits: [usize; 3], separator: char) -> NumericDate {
        NumericDate {
            parts,
            digits,
            separator,
        }
    }

    #[test]
    fn orders_by_country() {
        let us = DateOrder::of(Some("US")).unwrap();
        let bd = DateOrder::of(Some("BD")).unwrap();
        let cn = DateOrder::of(Some("CN")).unwrap();
        assert_eq!(us, DateOrder::MonthFirst);
        assert_eq!(bd, DateOrder::DayFirst);
        assert_eq!(cn, DateOrder::YearFirst);
        assert_eq!(DateOrder::of(Some("CA")).unwrap(), DateOrder::Unknown);
        let mut notes = Vec::new();
        let slash = written([4, 21, 2025], [2, 2, 4], '/');
        let read = |w, o, n: &mut Vec<String>| numeric_date(w, o, 2025, n).map(|d| d.to_string());
        assert_eq!(read(slash, us, &mut notes).unwrap(), "2025-04-21");
        assert!(notes.is_empty());
        assert_eq!(read(slash, bd, &mut notes).unwrap(), "2025-04-21");
        assert!(notes[0].contains("not a date day first"), "{notes:?}");
        let both = written([4, 5, 2025], [2, 2, 4], '/');
        assert_eq!(read(both, bd, &mut Vec::new()).unwrap(), "2025-05-04");
        let mut notes = Vec::new();
        assert_eq!(
            read(both, DateOrder::Unknown, &mut notes).unwrap(),
            "2025-05-04"
        );
        assert!(notes[0].contains("month first it would be 5 April 2025"));
        let short = written([25, 4, 21], [2, 2, 2], '/');
        assert_eq!(read(short, cn, &mut Vec::new()).unwrap(), "2025-04-21");
        let short = written([21, 4, 25], [2, 2, 2], '.');
        assert_eq!(read(short, us, &mut Vec::new()).unwrap(), "2025-04-21");
        let bad = written([13, 33, 2025], [2, 2, 4], '/');
        assert!(read(bad, bd, &mut Vec::new()).is_err());
    }

    #[test]
    fn two_digit_years_take_the_nearest_century() {
        assert_eq!(pivot_year(25, 2026), 2025);
        assert_eq!(pivot_year(99, 2026), 1999);
        assert_eq!(pivot_year(76, 2026), 1976);
        assert_eq!(pivot_year(75, 2026), 2075);
        assert_eq!(pivot_year(5, 1998), 2005);
    }
}
