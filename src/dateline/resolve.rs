//! Turning the parts of a dateline into one instant, and explaining every uncertain decision.
//!
//! Owns [`Context`], [`Resolved`] and the accepted years. Reads a [`Scan`] and the zone data of
//! [`super::zones`]; writes a [`Resolved`] or a [`DatelineError`]. Three phases, each a function,
//! each decision that is not certain adding a note:
//! - [`resolve_zone`]: an explicit offset (`GMT+6`) wins (one out of UTC-12:00..=UTC+14:00 is an
//!   error); then an abbreviation read through the outlet country; then a phrase (`বাংলাদেশ সময়`);
//!   then the outlet's home zone; else UTC. An unknown abbreviation is an error, unless the country
//!   gives a home zone (then a note).
//! - [`resolve_date`]: as written; without a year, the year that puts it at or just before the
//!   reference date; a weekday alone (`on Sunday`) is the latest such day at or before it; a time
//!   alone is on the reference date, the reference time's date in the dateline's zone. A year
//!   outside [`YEARS`] (1900 to 2200: news datelines, four digits, no wrapping) is an error, as is a
//!   day that does not exist (31 April, 29 February 2025, day 0 or -1).
//! - [`resolve_instant`]: `12 AM` is 00:00; a 24-hour time with a stray `PM` (`15:12 PM`) keeps its
//!   hour; hour 24 or more and minute or second 60 or more are errors. A local time that does not
//!   exist (spring-forward gap) is read with the offset in force before the change, so it lands
//!   after the gap (as java.time and RFC 5545 do); one that exists twice (fall-back overlap) takes
//!   the offset the abbreviation states, else the earlier one. An abbreviation whose stated offset
//!   differs from the zone's on that date (`EST` in July) keeps the zone and notes it; a GMT time
//!   in parentheses that disagrees is noted.
//!
//! Example: `EST` in July keeps New York's summer offset, with a note:
//!
//! ```
//! use newsdigest::dateline::{parse, Context};
//! let context = Context { country: None, home: None, now: "2025-07-01T12:00:00Z".parse().unwrap() };
//! let resolved = parse("1:47 PM EST, July 1, 2025", &context).unwrap();
//! assert_eq!(resolved.utc.to_rfc3339(), "2025-07-01T17:47:00+00:00");
//! assert!(resolved.notes[0].starts_with("EST states UTC-05:00"));
//! ```

use std::ops::RangeInclusive;

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime,
    Offset, TimeZone, Utc,
};
use chrono_tz::Tz;

use super::error::DatelineError;
use super::order::{DateOrder, full_year, numeric_date};
use super::relative::Relative;
use super::scan::{DateParts, Scan, TimeParts, ZoneHint};
use super::words::Meridiem;
use super::zones::{Zone, Zones};

/// The years a dateline may name: news copy, printed with four digits, far inside what chrono can
/// represent. Anything else is refused, never wrapped or replaced.
pub const YEARS: RangeInclusive<i32> = 1900..=2200;

/// What the parser needs besides the text.
#[derive(Debug, Clone)]
pub struct Context {
    /// ISO 3166 alpha-2 code of the outlet's country (`BD`, `IN`...), upper case.
    pub country: Option<String>,
    /// The zone of datelines that name none, when it is not the country's home zone (a source's
    /// `zone` in newsdigest.toml: an outlet in a country with several zones).
    pub home: Option<Tz>,
    /// The reference time: a date without a year takes the year that puts it at or before this.
    pub now: DateTime<Utc>,
}

/// A dateline understood: the instant, the zone it was written in, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The dateline text as given.
    pub input: String,
    pub utc: DateTime<Utc>,
    /// The wall-clock time the text states, with its offset.
    pub local: DateTime<FixedOffset>,
    pub zone: Zone,
    /// Whether the text gave a time of day (false for date-only datelines: midnight is assumed).
    pub has_time: bool,
    /// Every decision that was not certain: assumed year, DST gap, mismatched abbreviation...
    pub notes: Vec<String>,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The zone a dateline was written in, and the offset its abbreviation states (if any).
struct ZoneChoice {
    zone: Zone,
    stated_offset: Option<FixedOffset>,
}

/// Refuses a year outside [`YEARS`]; `shown` is the year as the text gives it.
pub fn ensure_year(year: Option<i32>, shown: &dyn std::fmt::Display) -> Result<i32, String> {
    year.filter(|y| YEARS.contains(y)).ok_or_else(|| {
        format!(
            "year {shown} is out of range (datelines are read from {} to {})",
            YEARS.start(),
            YEARS.end()
        )
    })
}

/// The three phases: zone, date, instant; then the cross-checks.
pub fn resolve(input: &str, scan: Scan, context: &Context) -> Result<Resolved, DatelineError> {
    let error = |reason: String| DatelineError::new(input, reason);
    if !scan.unread.is_empty() {
        let reasons: Vec<String> = scan.unread.iter().map(|u| u.reason()).collect();
        return Err(error(reasons.join("; ")));
    }
    let nothing = scan.time.is_none() && scan.date.is_none() && scan.weekday.is_none();
    if nothing && scan.relative.is_none() {
        return Err(error("no date or time found".into()));
    }
    let mut notes = Vec::new();
    let choice = resolve_zone(&scan, context, &mut notes).map_err(error)?;
    if let Some((Relative::Span(seconds), text)) = &scan.relative {
        return relative_instant(input, &scan, *seconds, text, choice.zone, context, notes)
            .map_err(error);
    }
    let date = resolve_date(&scan, choice.zone, context, &mut notes).map_err(error)?;
    let local = resolve_instant(&scan, date, &choice, &mut notes).map_err(error)?;
    check_stated_offset(&scan, &choice, local, &mut notes);
    check_gmt_time(&scan, local, &mut notes);
    note_later_parts(&scan, &mut notes);
    Ok(Resolved {
        input: input.to_string(),
        utc: local.with_timezone(&Utc),
        local,
        zone: choice.zone,
        has_time: scan.time.is_some(),
        notes,
    })
}

/// `3 hours ago`: the reference instant minus the span, shown in the dateline's zone. A time or a
/// date written as well contradicts it and is refused.
fn relative_instant(
    input: &str,
    scan: &Scan,
    seconds: u64,
    text: &str,
    zone: Zone,
    context: &Context,
    mut notes: Vec<String>,
) -> Result<Resolved, String> {
    if scan.time.is_some() || scan.date.is_some() || scan.weekday.is_some() {
        return Err(format!(
            "\"{text}\" is a time relative to now, and a date or time is written as well"
        ));
    }
    let utc = i64::try_from(seconds)
        .ok()
        .and_then(Duration::try_seconds)
        .and_then(|span| context.now.checked_sub_signed(span))
        .filter(|utc| YEARS.contains(&utc.year()))
        .ok_or_else(|| {
            format!(
                "\"{text}\" is too long ago (datelines are read from {})",
                YEARS.start()
            )
        })?;
    notes.push(format!(
        "\"{text}\" is relative: read as {} before the reference time {}",
        span_words(seconds),
        context.now.format("%Y-%m-%d %H:%M UTC")
    ));
    Ok(Resolved {
        input: input.to_string(),
        utc,
        local: zone.local(utc),
        zone,
        has_time: true,
        notes,
    })
}

/// `3 h 20 min`, for notes.
fn span_words(seconds: u64) -> String {
    let (hours, minutes, rest) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    let mut parts = Vec::new();
    if hours > 0 {
        parts.push(format!("{hours} h"));
    }
    if minutes > 0 {
        parts.push(format!("{minutes} min"));
    }
    if rest > 0 || parts.is_empty() {
        parts.push(format!("{rest} s"));
    }
    parts.join(" ")
}

/// Times and dates written after the first (`April 24, 2023 07:04 pm | Updated 08:10 pm IST`):
/// the first is used; a later one that differs is noted.
fn note_later_parts(scan: &Scan, notes: &mut Vec<String>) {
    for (time, text) in &scan.later_times {
        if Some(*time) != scan.time {
            notes.push(format!(
                "a later time \"{text}\" is also written: the first time is used"
            ));
        }
    }
    for (date, text) in &scan.later_dates {
        let same = scan.date.is_some_and(|first| {
            (first.year, first.month, first.day) == (date.year, date.month, date.day)
        });
        if !same {
            notes.push(format!(
                "a later date \"{text}\" is also written: the first date is used"
            ));
        }
    }
}

/// Phase 1, the zone: an explicit offset, an abbreviation, a phrase, the home zone, else UTC.
fn resolve_zone(
    scan: &Scan,
    context: &Context,
    notes: &mut Vec<String>,
) -> Result<ZoneChoice, String> {
    let zones = Zones::get()?;
    let country = context.country.as_deref();
    let fixed = |zone| ZoneChoice {
        zone,
        stated_offset: None,
    };
    match &scan.zone {
        Some(ZoneHint::Offset(offset)) => Ok(fixed(Zone::Fixed(*offset))),
        Some(ZoneHint::BadOffset(reason)) => Err(reason.clone()),
        Some(ZoneHint::Abbreviation(text)) => {
            let meaning = zones
                .abbreviation(text, country)
                .ok_or_else(|| format!("unknown zone abbreviation {text}"))?;
            Ok(ZoneChoice {
                zone: meaning.zone,
                stated_offset: meaning.stated_offset,
            })
        }
        Some(ZoneHint::Phrase(tz)) => Ok(fixed(Zone::Named(*tz))),
        None => {
            let home = context.home.or_else(|| country.and_then(|c| zones.home(c)));
            default_zone(scan, home, notes).map(fixed)
        }
    }
}

/// The zone of a dateline that names none we know: the outlet's home zone, else UTC; an unknown
/// abbreviation without a home zone is an error.
fn default_zone(scan: &Scan, home: Option<Tz>, notes: &mut Vec<String>) -> Result<Zone, String> {
    match (&scan.unknown_abbreviation, home) {
        (Some(text), None) => Err(format!(
            "unknown zone abbreviation {text} (give --country for the outlet's home zone)"
        )),
        (Some(text), Some(home)) => {
            notes.push(format!(
                "unknown zone abbreviation {text}: the outlet's home zone {} is used",
                home.name()
            ));
            Ok(Zone::Named(home))
        }
        (None, Some(home)) => {
            if !scan.says_local_time && scan.time.is_some() {
                notes.push(format!(
                    "no zone given: the outlet's home zone {} is used",
                    home.name()
                ));
            }
            Ok(Zone::Named(home))
        }
        (None, None) => {
            if scan.time.is_some() {
                notes.push("no zone given and no outlet country: UTC is assumed".into());
            }
            Ok(Zone::Named(Tz::UTC))
        }
    }
}

/// Phase 2, the calendar date: as written, by weekday, or the reference date.
fn resolve_date(
    scan: &Scan,
    zone: Zone,
    context: &Context,
    notes: &mut Vec<String>,
) -> Result<NaiveDate, String> {
    let now_year = context.now.year();
    if !(YEARS.start() - 1..=YEARS.end() + 1).contains(&now_year) {
        return Err(format!(
            "the reference time {} is out of range (datelines are read from {} to {})",
            context.now,
            YEARS.start(),
            YEARS.end()
        ));
    }
    let reference = zone.local(context.now).date_naive();
    if let Some((Relative::Calendar { days, months }, text)) = &scan.relative {
        let date = relative_date(reference, *days, *months)
            .ok_or_else(|| format!("\"{text}\" is too long ago"))?;
        ensure_year(Some(date.year()), &date.year())?;
        if let Some(parts) = scan.date {
            let written = date_of(parts, reference, context, &mut Vec::new())?;
            if written != date {
                return Err(format!(
                    "\"{text}\" is {date} in {zone} but the date written is {written}"
                ));
            }
        }
        if let Some(weekday) = scan
            .weekday
            .filter(|w| *w != date.weekday().num_days_from_monday())
        {
            let name = usize::try_from(weekday).ok().and_then(|w| WEEKDAYS.get(w));
            return Err(format!(
                "\"{text}\" is {date} in {zone} but the weekday written is {}",
                name.unwrap_or(&"another day")
            ));
        }
        notes.push(format!(
            "\"{text}\" is relative: read as {date}, counted back from the reference date {reference} in {zone}"
        ));
        return Ok(date);
    }
    let date = match (scan.date, scan.weekday) {
        (Some(parts), _) => date_of(parts, reference, context, notes)?,
        (None, Some(weekday)) => {
            let back = (reference.weekday().num_days_from_monday() + 7 - weekday) % 7;
            let date = reference - Duration::days(i64::from(back));
            let name = usize::try_from(weekday).ok().and_then(|w| WEEKDAYS.get(w));
            notes.push(format!(
                "only a weekday was given: {} {date} (the latest at or before the reference date)",
                name.unwrap_or(&"weekday")
            ));
            date
        }
        (None, None) => {
            notes.push(format!(
                "no date given: the reference date {reference} is assumed"
            ));
            reference
        }
    };
    ensure_year(Some(date.year()), &date.year())?;
    note_date_doubts(scan, date, notes);
    Ok(date)
}

/// `days` and `months` before `reference`.
fn relative_date(reference: NaiveDate, days: u64, months: u64) -> Option<NaiveDate> {
    let months = chrono::Months::new(u32::try_from(months).ok()?);
    reference
        .checked_sub_months(months)?
        .checked_sub_days(chrono::Days::new(days))
}

/// A date whose weekday is not the weekday written (`Sunday, April 23, 2025`): the date is kept,
/// with a note.
fn note_date_doubts(scan: &Scan, date: NaiveDate, notes: &mut Vec<String>) {
    if scan.date.is_none() {
        return;
    }
    let weekday = date.weekday().num_days_from_monday();
    if let Some(written) = scan.weekday.filter(|w| *w != weekday) {
        let name = |d: u32| {
            usize::try_from(d)
                .ok()
                .and_then(|d| WEEKDAYS.get(d))
                .copied()
        };
        let meant = name(written).unwrap_or("a weekday");
        let shown = match scan.weekday_text.as_deref() {
            Some(text) if text != meant => format!("{text} ({meant})"),
            _ => meant.to_string(),
        };
        notes.push(format!(
            "{shown} was written but {date} is a {}: the date is used",
            name(weekday).unwrap_or("weekday")
        ));
    }
}

/// Phase 3, the instant: the time of day on `date` in the chosen zone.
fn resolve_instant(
    scan: &Scan,
    date: NaiveDate,
    choice: &ZoneChoice,
    notes: &mut Vec<String>,
) -> Result<DateTime<FixedOffset>, String> {
    let time = match scan.time {
        Some(parts) => time_of(parts, notes)?,
        None => NaiveTime::MIN,
    };
    let local = to_instant(
        date.and_time(time),
        choice.zone,
        choice.stated_offset,
        notes,
    );
    ensure_year(Some(local.with_timezone(&Utc).year()), &local.year())?;
    Ok(local)
}

/// An abbreviation whose stated offset is not the zone's on that date (`EST` in July): noted.
fn check_stated_offset(
    scan: &Scan,
    choice: &ZoneChoice,
    local: DateTime<FixedOffset>,
    notes: &mut Vec<String>,
) {
    if let (Some(stated), Zone::Named(tz)) = (choice.stated_offset, choice.zone)
        && local.offset().fix() != stated
        && let Some(ZoneHint::Abbreviation(text)) = &scan.zone
    {
        notes.push(format!(
            "{text} states UTC{stated} but {} is at UTC{} on {}: the zone's offset is used",
            tz.name(),
            local.offset().fix(),
            local.date_naive()
        ));
    }
}

/// A GMT time in parentheses that disagrees with the instant read: noted.
fn check_gmt_time(scan: &Scan, local: DateTime<FixedOffset>, notes: &mut Vec<String>) {
    if let Some(check) = scan.gmt_check
        && let Ok(gmt_time) = time_of(check, &mut Vec::new())
    {
        let utc = local.with_timezone(&Utc);
        if utc.time() != gmt_time {
            notes.push(format!(
                "the GMT time in parentheses ({}) disagrees with {} GMT read from the local time",
                gmt_time.format("%H:%M"),
                utc.format("%H:%M")
            ));
        }
    }
}

/// The calendar date, with the year inferred when missing.
fn date_of(
    parts: DateParts,
    reference: NaiveDate,
    context: &Context,
    notes: &mut Vec<String>,
) -> Result<NaiveDate, String> {
    if let Some(written) = parts.numeric {
        let order = DateOrder::of(context.country.as_deref())?;
        return numeric_date(written, order, reference.year(), notes);
    }
    let DateParts {
        year,
        month,
        day,
        year_digits,
        ..
    } = parts;
    let year = year.map(|y| full_year(y, year_digits, reference.year(), notes));
    let name = usize::try_from(month)
        .ok()
        .and_then(|m| m.checked_sub(1))
        .and_then(|m| MONTHS.get(m))
        .ok_or_else(|| format!("month {month} does not exist"))?;
    let month = u32::try_from(month).map_err(|_| format!("month {month} does not exist"))?;
    let day_of_month = u32::try_from(day).ok().filter(|d| *d >= 1);
    let missing = |year: &dyn std::fmt::Display| format!("{name} {day}, {year} does not exist");
    match year {
        Some(written) => {
            let year = ensure_year(i32::try_from(written).ok(), &written)?;
            day_of_month
                .and_then(|d| NaiveDate::from_ymd_opt(year, month, d))
                .ok_or_else(|| missing(&year))
        }
        None => {
            let day = day_of_month.ok_or_else(|| format!("{name} {day} does not exist"))?;
            let date = latest_date(reference, month, day)
                .ok_or_else(|| format!("{name} {day} does not exist"))?;
            notes.push(format!(
                "no year given: {} is assumed (the latest at or before the reference date)",
                date.year()
            ));
            Ok(date)
        }
    }
}

/// The latest `month`/`day` at or before `reference`, looking back at most 8 years (so that
/// February 29 finds a leap year).
fn latest_date(reference: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    (0..=8)
        .filter_map(|back| reference.year().checked_sub(back))
        .filter_map(|year| NaiveDate::from_ymd_opt(year, month, day))
        .find(|date| *date <= reference)
}

/// The time of day, with AM/PM applied. Hours of 24 or more, minutes or seconds of 60 or more,
/// hour 0 or over 12 with AM/PM written (except the stray PM of a 24-hour time) are errors.
fn time_of(parts: TimeParts, notes: &mut Vec<String>) -> Result<NaiveTime, String> {
    let TimeParts {
        hour,
        minute,
        second,
        meridiem,
    } = parts;
    let not_a_time = || match second {
        0 => format!("{hour:02}:{minute:02} is not a time of day"),
        _ => format!("{hour:02}:{minute:02}:{second:02} is not a time of day"),
    };
    let (Ok(written), Ok(minute32), Ok(second32)) = (
        u32::try_from(hour),
        u32::try_from(minute),
        u32::try_from(second),
    ) else {
        return Err(not_a_time());
    };
    let hour24 = match meridiem {
        Some(_) if written >= 24 => return Err(not_a_time()),
        Some(Meridiem::Am) if written == 12 => 0,
        Some(Meridiem::Pm) if written < 12 => written + 12,
        // At night: 11 is 23:00, 12 is midnight, 2 is 02:00.
        Some(Meridiem::Night) if written == 12 => 0,
        Some(Meridiem::Night) if (6..12).contains(&written) => written + 12,
        Some(Meridiem::Night) if written < 12 => written,
        Some(m) if written > 12 => {
            let word = match m {
                Meridiem::Am => "AM",
                Meridiem::Pm => "PM",
                Meridiem::Night => "night",
            };
            notes.push(format!(
                "{written:02}:{minute:02} is a 24-hour time: the stray {word} is ignored"
            ));
            written
        }
        Some(_) if written == 0 => {
            return Err(format!(
                "hour 0 with AM/PM does not exist ({written}:{minute:02})"
            ));
        }
        _ => written,
    };
    NaiveTime::from_hms_opt(hour24, minute32, second32).ok_or_else(not_a_time)
}

/// The instant of a wall-clock time in `zone`, with gaps and overlaps resolved and noted.
fn to_instant(
    naive: NaiveDateTime,
    zone: Zone,
    stated: Option<FixedOffset>,
    notes: &mut Vec<String>,
) -> DateTime<FixedOffset> {
    let tz = match zone {
        Zone::Fixed(offset) => {
            return offset
                .from_local_datetime(&naive)
                .single()
                .unwrap_or_else(|| offset.from_utc_datetime(&naive));
        }
        Zone::Named(tz) => tz,
    };
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(time) => time.fixed_offset(),
        LocalResult::Ambiguous(earlier, later) => {
            let chosen = match stated {
                Some(offset) if later.offset().fix() == offset => later,
                _ => earlier,
            };
            notes.push(format!(
                "{naive} happens twice in {} (clocks fell back): read as UTC{}",
                tz.name(),
                chosen.offset().fix()
            ));
            chosen.fixed_offset()
        }
        LocalResult::None => {
            // The offset in force before the gap: that of a moment a day earlier.
            let before = tz
                .offset_from_utc_datetime(&(naive - Duration::days(1)))
                .fix();
            let instant = before.from_utc_datetime(
                &(naive - Duration::seconds(i64::from(before.local_minus_utc()))),
            );
            let local = instant.with_timezone(&tz);
            notes.push(format!(
                "{naive} does not exist in {} (clocks sprang forward): read with the earlier offset UTC{before}, which is {}",
                tz.name(),
                local.format("%H:%M %Z")
            ));
            local.fixed_offset()
        }
    }
}
