//! When a bulletin is sent: a cron expression read in a named zone, and the slots it gives.
//!
//! A [`Schedule`] is a cron expression (5 fields, or 6 with seconds first; or a nickname such as
//! `@daily`, `@hourly`) evaluated by croner in an IANA zone, so `0 7 * * *` in `Asia/Dhaka`
//! means 07:00 on Dhaka's clock whatever the machine's zone. `newsdigest run` is started by cron
//! every minute and asks [`Schedule::due_slot`] whether a slot is due; `newsdigest schedule`
//! shows [`Schedule::next_slots`].
//!
//! Daylight saving time, as croner resolves it (the tests pin each case down):
//! - a fixed time of day (one second, minute and hour, such as `30 2 * * *`) that falls in a
//!   spring-forward gap runs once, at the first instant after the gap (02:30 on 2025-03-09 in
//!   New York runs at 03:00 EDT, 07:00 UTC);
//! - a fixed time of day repeated by a fall-back overlap runs once, at the earlier instant;
//! - an interval (`*/15 * * * *`, `0 2,14 * * *`) skips the wall-clock times a gap removes and
//!   runs at both instants of a repeated one, as its interval says.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use newsdigest::bulletin::schedule::Schedule;
//!
//! let schedule = Schedule::parse("0 7 * * *", "Asia/Dhaka").unwrap();
//! let now = Utc.with_ymd_and_hms(2025, 4, 24, 3, 0, 0).unwrap(); // 09:00 in Dhaka
//! let slot = schedule.due_slot(None, now).unwrap();
//! assert_eq!(slot, Utc.with_ymd_and_hms(2025, 4, 24, 1, 0, 0).unwrap()); // 07:00 in Dhaka
//! assert_eq!(schedule.due_slot(Some(slot), now), None); // already planned
//! ```

use std::str::FromStr;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use croner::Cron;
use croner::parser::{CronParser, Seconds, Year};

/// A cron expression in a zone.
#[derive(Debug, Clone)]
pub struct Schedule {
    cron: Cron,
    zone: Tz,
    expression: String,
}

impl Schedule {
    /// Parses `expression` (5 fields, 6 with seconds first, or `@hourly`, `@daily`, `@weekly`,
    /// `@monthly`, `@yearly`) to be read in `zone` (an IANA name such as `Asia/Dhaka`, or `UTC`).
    /// The error is one line naming what is wrong; the caller adds the file and the bulletin.
    pub fn parse(expression: &str, zone: &str) -> Result<Schedule, String> {
        let zone = parse_zone(zone)?;
        let cron = parser().parse(expression).map_err(|error| {
            let reason = blame_field(expression).unwrap_or_else(|| error.to_string());
            format!("cron expression {expression:?}: {reason}")
        })?;
        let schedule = Schedule {
            cron,
            zone,
            expression: expression.to_string(),
        };
        schedule.ensure_it_fires(expression)?;
        Ok(schedule)
    }

    /// The slot to plan now, if any: the latest slot at or before `now` that is later than
    /// `last_planned` (any slot when `None`). Slots missed while the machine was down are caught
    /// up once, with the latest of them, never once each.
    pub fn due_slot(
        &self,
        last_planned: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let latest = self
            .cron
            .find_previous_occurrence(&now.with_timezone(&self.zone), true)
            .ok()?
            .with_timezone(&Utc);
        match last_planned {
            Some(last) if latest <= last => None,
            _ => Some(latest),
        }
    }

    /// The next `count` slots strictly after `after`, earliest first (fewer only for a schedule
    /// whose slots run out before the year 5000).
    pub fn next_slots(&self, after: DateTime<Utc>, count: usize) -> Vec<DateTime<Utc>> {
        let mut slots = Vec::with_capacity(count.min(1000));
        let mut cursor = after.with_timezone(&self.zone);
        while slots.len() < count {
            match self.cron.find_next_occurrence(&cursor, false) {
                Ok(slot) => {
                    slots.push(slot.with_timezone(&Utc));
                    cursor = slot;
                }
                Err(_) => break,
            }
        }
        slots
    }

    /// Whether `slot` falls at a wall-clock time the expression names: false for a slot moved to
    /// the end of a spring-forward gap (`30 2 * * *` run at 03:00 on the day 02:30 is skipped).
    pub fn is_as_written(&self, slot: DateTime<Utc>) -> bool {
        self.cron
            .is_time_matching(&slot.with_timezone(&self.zone))
            .unwrap_or(true)
    }

    /// The zone the expression is read in.
    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// The expression as written.
    pub fn expression(&self) -> &str {
        &self.expression
    }

    /// Refuses an expression that names no real date, such as `0 0 30 2 *` (February 30th):
    /// it would never send, and searching for its slots would walk to the year 5000 each run.
    fn ensure_it_fires(&self, expression: &str) -> Result<(), String> {
        // Every pattern repeats within 400 years of the Gregorian calendar (with `+` joining a
        // day of the month and a weekday, within 28 years of 400); start where chrono-tz's
        // rules are settled so the search is over wall-clock days, not zone history.
        let start = DateTime::<Utc>::from_timestamp(946_684_800, 0) // 2000-01-01T00:00:00Z
            .map(|start| start.with_timezone(&self.zone));
        match start.map(|start| self.cron.find_next_occurrence(&start, true)) {
            Some(Ok(_)) => Ok(()),
            _ => Err(format!(
                "cron expression {expression:?} names no date that exists, so it never runs"
            )),
        }
    }
}

/// Five fields, or six with seconds first; no year field.
fn parser() -> CronParser {
    CronParser::builder()
        .seconds(Seconds::Optional)
        .year(Year::Disallowed)
        .build()
}

/// Which field of a refused expression is wrong and why, found by parsing each field alone
/// with every other field `*` (croner's own message does not say which field).
fn blame_field(expression: &str) -> Option<String> {
    const FIVE: [&str; 5] = ["minute", "hour", "day of month", "month", "day of week"];
    const SIX: [&str; 6] = [
        "second",
        "minute",
        "hour",
        "day of month",
        "month",
        "day of week",
    ];
    let fields: Vec<&str> = expression.split_whitespace().collect();
    let names: &[&str] = match fields.len() {
        5 => &FIVE,
        6 => &SIX,
        _ => return None,
    };
    names.iter().enumerate().find_map(|(index, name)| {
        let probe: Vec<&str> = (0..fields.len())
            .map(|i| if i == index { fields[i] } else { "*" })
            .collect();
        let error = parser().parse(&probe.join(" ")).err()?;
        Some(format!("{name} field {:?}: {error}", fields[index]))
    })
}

/// An IANA zone name (`Asia/Dhaka`, `Etc/GMT-6`) or `UTC`. Abbreviations such as `EST` are
/// refused even where tzdata has a legacy zone of that name: `EST` there is a fixed -05:00 with
/// no summer time, never what a user writing it for New York means.
fn parse_zone(name: &str) -> Result<Tz, String> {
    if name == "UTC" {
        return Ok(Tz::UTC);
    }
    if !name.contains('/') {
        return Err(format!(
            "zone {name:?} is not an IANA zone name (such as America/New_York or Asia/Dhaka)"
        ));
    }
    Tz::from_str(name).map_err(|_| format!("unknown time zone {name:?} (not an IANA zone name)"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn expressions_and_zones_parse_or_say_why_not() {
        for ok in [
            "0 7 * * *",
            "30 0 7 * * *",
            "@daily",
            "@hourly",
            "0 7 * * MON-FRI",
            "*/5 * * * *",
        ] {
            assert!(Schedule::parse(ok, "Asia/Dhaka").is_ok(), "{ok}");
        }
        let cases = [
            (
                "61 7 * * *",
                "UTC",
                "cron expression \"61 7 * * *\": minute field \"61\"",
            ),
            ("30 25 * * *", "UTC", "hour field \"25\""),
            ("0 0 7 * * MOON", "UTC", "day of week field \"MOON\""),
            ("0 7 * 13 *", "UTC", "month field \"13\""),
            ("0 7 * *", "UTC", "cron expression \"0 7 * *\""),
            ("0 0 7 * * * 2030", "UTC", "5 or 6 fields"),
            ("0 0 30 2 *", "UTC", "never runs"),
            ("", "UTC", "cron expression \"\""),
            (
                "0 7 * * *",
                "Mars/Olympus",
                "unknown time zone \"Mars/Olympus\"",
            ),
            ("0 7 * * *", "EST", "zone \"EST\" is not an IANA zone name"),
            ("0 7 * * *", "", "zone \"\" is not an IANA zone name"),
        ];
        for (expression, zone, expected) in cases {
            let error = Schedule::parse(expression, zone).unwrap_err();
            assert!(error.contains(expected), "{expression} {zone}: {error}");
            assert!(!error.contains('\n'), "{error}");
        }
    }

    #[test]
    fn accessors_give_back_what_was_parsed() {
        let schedule = Schedule::parse("0 7 * * *", "America/New_York").unwrap();
        assert_eq!(schedule.zone(), chrono_tz::America::New_York);
        assert_eq!(schedule.expression(), "0 7 * * *");
        assert_eq!(Schedule::parse("@daily", "UTC").unwrap().zone(), Tz::UTC);
    }

    #[test]
    fn seconds_are_optional_and_count() {
        let schedule = Schedule::parse("15 0 7 * * *", "UTC").unwrap();
        let slots = schedule.next_slots(utc("2025-01-01T00:00:00Z"), 2);
        assert_eq!(
            slots,
            [utc("2025-01-01T07:00:15Z"), utc("2025-01-02T07:00:15Z")]
        );
    }

    #[test]
    fn next_slots_are_strictly_after() {
        let schedule = Schedule::parse("0 7 * * *", "UTC").unwrap();
        let at_slot = utc("2025-01-01T07:00:00Z");
        assert_eq!(
            schedule.next_slots(at_slot, 1),
            [utc("2025-01-02T07:00:00Z")]
        );
        let just_before = utc("2025-01-01T06:59:59.900Z");
        assert_eq!(schedule.next_slots(just_before, 1), [at_slot]);
        assert!(schedule.next_slots(at_slot, 0).is_empty());
    }

    #[test]
    fn a_slot_is_due_from_its_first_second() {
        let schedule = Schedule::parse("0 7 * * *", "Asia/Dhaka").unwrap();
        let slot = utc("2025-04-24T01:00:00Z");
        assert_eq!(
            schedule.due_slot(None, utc("2025-04-24T00:59:59.999Z")),
            Some(utc("2025-04-23T01:00:00Z"))
        );
        assert_eq!(schedule.due_slot(None, slot), Some(slot));
        assert_eq!(
            schedule.due_slot(Some(utc("2025-04-23T01:00:00Z")), slot),
            Some(slot)
        );
        assert_eq!(schedule.due_slot(Some(slot), slot), None);
        // A clock set back behind the last planned slot plans nothing.
        assert_eq!(
            schedule.due_slot(Some(slot), utc("2025-04-23T12:00:00Z")),
            None
        );
    }

    #[test]
    fn missed_slots_are_caught_up_once_with_the_latest() {
        let schedule = Schedule::parse("0 7 * * *", "Europe/London").unwrap();
        let monday = Utc.with_ymd_and_hms(2025, 6, 2, 6, 0, 0).unwrap(); // 07:00 BST
        let thursday_noon = utc("2025-06-05T12:00:00+01:00");
        let thursday = utc("2025-06-05T07:00:00+01:00");
        assert_eq!(
            schedule.due_slot(Some(monday), thursday_noon),
            Some(thursday)
        );
        assert_eq!(schedule.due_slot(Some(thursday), thursday_noon), None);
    }
}
