//! Turning the parts of a dateline into one instant, and explaining every uncertain decision.
//!
//! Rules, in order (each decision that is not certain adds a note):
//! - Zone: an explicit offset (`GMT+6`) wins; then an abbreviation read through the outlet country
//!   ([`super::zones`]); then a phrase (`বাংলাদেশ সময়`); then the outlet's home zone; else UTC.
//!   An unknown abbreviation is an error, unless the country gives a home zone (then a note).
//! - Date: as written; without a year, the year that puts it at or just before the reference date;
//!   a weekday alone (`on Sunday`) is the latest such day at or before it; a time alone is on the
//!   reference date. The reference date is the reference time's date in the dateline's zone.
//! - Time: `12 AM` is 00:00; a 24-hour time with a stray `PM` (`15:12 PM`) keeps its hour.
//! - A local time that does not exist (spring-forward gap) is read with the offset in force before
//!   the change, so it lands after the gap (as java.time and RFC 5545 do); one that exists twice
//!   (fall-back overlap) takes the offset the abbreviation states, else the earlier one.
//! - An abbreviation whose stated offset differs from the zone's on that date (`EST` in July) keeps
//!   the zone and notes it; a GMT time in parentheses that disagrees is noted.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime,
    Offset, TimeZone, Utc,
};
use chrono_tz::Tz;

use super::scan::{DateParts, Scan, TimeParts, ZoneHint};
use super::words::Meridiem;
use super::zones::Zones;
use super::{Context, DatelineError, Resolved, Zone};

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

pub fn resolve(input: &str, scan: Scan, context: &Context) -> Result<Resolved, DatelineError> {
    let error = |reason: String| DatelineError::new(input, reason);
    let zones = Zones::get().map_err(error)?;
    let mut notes = Vec::new();
    if scan.time.is_none() && scan.date.is_none() && scan.weekday.is_none() {
        return Err(error("no date or time found".into()));
    }

    // The zone.
    let country = context.country.as_deref();
    let home = country.and_then(|c| zones.home(c));
    let mut stated_offset = None;
    let zone = match &scan.zone {
        Some(ZoneHint::Offset(offset)) => Zone::Fixed(*offset),
        Some(ZoneHint::Abbreviation(text)) => {
            let meaning = zones
                .abbreviation(text, country)
                .ok_or_else(|| error(format!("unknown zone abbreviation {text}")))?;
            stated_offset = meaning.stated_offset;
            meaning.zone
        }
        Some(ZoneHint::Phrase(tz)) => Zone::Named(*tz),
        None => match (&scan.unknown_abbreviation, home) {
            (Some(text), None) => {
                return Err(error(format!(
                    "unknown zone abbreviation {text} (give --country for the outlet's home zone)"
                )));
            }
            (Some(text), Some(home)) => {
                notes.push(format!(
                    "unknown zone abbreviation {text}: the outlet's home zone {} is used",
                    home.name()
                ));
                Zone::Named(home)
            }
            (None, Some(home)) => {
                if !scan.says_local_time && scan.time.is_some() {
                    notes.push(format!(
                        "no zone given: the outlet's home zone {} is used",
                        home.name()
                    ));
                }
                Zone::Named(home)
            }
            (None, None) => {
                if scan.time.is_some() {
                    notes.push("no zone given and no outlet country: UTC is assumed".into());
                }
                Zone::Named(Tz::UTC)
            }
        },
    };

    // The date.
    let reference = zone.local(context.now).date_naive();
    let date = match (scan.date, scan.weekday) {
        (Some(parts), _) => date_of(parts, reference, &mut notes).map_err(error)?,
        (None, Some(weekday)) => {
            let back = (reference.weekday().num_days_from_monday() + 7 - weekday) % 7;
            let date = reference - Duration::days(i64::from(back));
            notes.push(format!(
                "only a weekday was given: {} {date} (the latest at or before the reference date)",
                WEEKDAYS[weekday as usize]
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

    // The time.
    let time = match scan.time {
        Some(parts) => time_of(parts, &mut notes).map_err(error)?,
        None => NaiveTime::MIN,
    };
    let naive = date.and_time(time);
    let local = to_instant(naive, zone, stated_offset, &mut notes);

    if let (Some(stated), Zone::Named(tz)) = (stated_offset, zone)
        && local.offset().fix() != stated
        && let Some(ZoneHint::Abbreviation(text)) = &scan.zone
    {
        notes.push(format!(
            "{text} states UTC{stated} but {} is at UTC{} on {date}: the zone's offset is used",
            tz.name(),
            local.offset().fix()
        ));
    }
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
    Ok(Resolved {
        input: input.to_string(),
        utc: local.with_timezone(&Utc),
        local,
        zone,
        has_time: scan.time.is_some(),
        notes,
    })
}

/// The calendar date, with the year inferred when missing.
fn date_of(
    parts: DateParts,
    reference: NaiveDate,
    notes: &mut Vec<String>,
) -> Result<NaiveDate, String> {
    let DateParts { year, month, day } = parts;
    let name = MONTHS
        .get(month.wrapping_sub(1) as usize)
        .ok_or_else(|| format!("month {month} does not exist"))?;
    match year {
        Some(year) => NaiveDate::from_ymd_opt(year, month, day)
            .ok_or_else(|| format!("{name} {day}, {year} does not exist")),
        None => {
            let mut year = reference.year();
            let date = loop {
                match NaiveDate::from_ymd_opt(year, month, day) {
                    Some(date) if date <= reference => break date,
                    _ if reference.year() - year > 8 => {
                        return Err(format!("{name} {day} does not exist"));
                    }
                    _ => year -= 1,
                }
            };
            notes.push(format!(
                "no year given: {} is assumed (the latest at or before the reference date)",
                date.year()
            ));
            Ok(date)
        }
    }
}

/// The time of day, with AM/PM applied.
fn time_of(parts: TimeParts, notes: &mut Vec<String>) -> Result<NaiveTime, String> {
    let TimeParts {
        mut hour,
        minute,
        second,
        meridiem,
    } = parts;
    match meridiem {
        Some(Meridiem::Am) if hour == 12 => hour = 0,
        Some(Meridiem::Pm) if hour < 12 => hour += 12,
        Some(m) if hour > 12 => notes.push(format!(
            "{hour:02}:{minute:02} is a 24-hour time: the stray {} is ignored",
            if m == Meridiem::Am { "AM" } else { "PM" }
        )),
        Some(_) if hour == 0 => {
            return Err(format!(
                "hour 0 with AM/PM does not exist ({hour}:{minute:02})"
            ));
        }
        _ => {}
    }
    NaiveTime::from_hms_opt(hour, minute, second)
        .ok_or_else(|| format!("{:02}:{minute:02} is not a time of day", parts.hour))
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
