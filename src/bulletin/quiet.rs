//! Quiet hours: the daily window (`22:00-07:00`, read in each reader's own zone) in which a
//! bulletin is not sent, and when a message due inside it may go instead.
//!
//! Owns [`Window`] (a window's text, parsed), [`Setting`] (a subscriber's `quiet` cell: the
//! bulletin's window, none, or their own), [`Window::release`] (the first instant at or after a due time
//! that is outside the window) and [`decide`] (send now, wait until then, or drop a message that
//! would be older than the bulletin's `quiet_max_age`). Reads and writes nothing: `run` plans with
//! it, and the delivery step pushes a retry out of the window with it.
//!
//! A window crossing midnight (`22:00-07:00`) holds from its start to its end the next morning;
//! one that does not (`13:00-14:00`) holds within a day. The start is inside the window, the end
//! is not. When the end's wall time does not exist that day (a spring-forward gap) or exists twice
//! (a fall-back overlap), the earliest instant at or after it (and after the due time) is taken.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use newsdigest::bulletin::quiet::Window;
//! let window: Window = "22:00-07:00".parse()?;
//! let dhaka = chrono_tz::Asia::Dhaka;
//! // 23:00 in Dhaka (UTC+6) is 17:00 UTC; the window ends at 07:00 Dhaka, 01:00 UTC.
//! let due = Utc.with_ymd_and_hms(2025, 4, 23, 17, 0, 0).unwrap();
//! assert_eq!(window.release(due, dhaka), Utc.with_ymd_and_hms(2025, 4, 24, 1, 0, 0).unwrap());
//! // 17:00 UTC is 18:00 in London: not quiet there.
//! assert_eq!(window.release(due, chrono_tz::Europe::London), due);
//! # Ok::<(), String>(())
//! ```

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// What a window's text looks like, for error messages.
const FORM: &str = "write HH:MM-HH:MM, e.g. 22:00-07:00";

/// A daily quiet window, in wall time: from `start` (inside) to `end` (outside).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    start: NaiveTime,
    end: NaiveTime,
}

impl Window {
    /// A window from `start` to `end`; `None` when they are the same (no window, or the whole day).
    pub fn new(start: NaiveTime, end: NaiveTime) -> Option<Window> {
        (start != end).then_some(Window { start, end })
    }

    pub fn start(&self) -> NaiveTime {
        self.start
    }

    pub fn end(&self) -> NaiveTime {
        self.end
    }

    /// Whether the window crosses midnight (`22:00-07:00`).
    pub fn crosses_midnight(&self) -> bool {
        self.start > self.end
    }

    /// Whether wall time `time` is inside the window.
    pub fn contains(&self, time: NaiveTime) -> bool {
        if self.crosses_midnight() {
            time >= self.start || time < self.end
        } else {
            time >= self.start && time < self.end
        }
    }

    /// Whether `instant` is inside the window in `zone`.
    pub fn holds(&self, instant: DateTime<Utc>, zone: Tz) -> bool {
        self.contains(instant.with_timezone(&zone).time())
    }

    /// The earliest instant at or after `due` that is outside the window in `zone`: `due` itself
    /// when it is outside, else the window's end (resolved as the module says).
    pub fn release(&self, due: DateTime<Utc>, zone: Tz) -> DateTime<Utc> {
        let mut instant = due;
        // A gap can resolve an end into the next window only for a window of nearly a day; a few
        // turns settle every real zone.
        for _ in 0..4 {
            if !self.holds(instant, zone) {
                return instant;
            }
            let end = self.end_after(instant, zone);
            // Clocks turned back before the end may show a time before the window's start
            // (`01:01-02:00` on a night when 01:59 turns back to 01:00): that instant is outside.
            instant = match offset_change(instant, end, zone) {
                Some(change) if !self.holds(change, zone) => return change,
                _ => end,
            };
        }
        instant
    }

    /// The end of the window `instant` is in: the first instant at or after it whose wall time in
    /// `zone` is the end's on the day the window ends.
    fn end_after(&self, instant: DateTime<Utc>, zone: Tz) -> DateTime<Utc> {
        let local = instant.with_timezone(&zone).naive_local();
        let day = if self.crosses_midnight() && local.time() >= self.start {
            local.date().succ_opt().unwrap_or(local.date())
        } else {
            local.date()
        };
        earliest_at_or_after(day.and_time(self.end), zone, instant)
    }
}

/// The earliest instant at or after `floor` whose wall time in `zone` is `wall`, or the first
/// after it when `wall` falls in a gap.
fn earliest_at_or_after(wall: NaiveDateTime, zone: Tz, floor: DateTime<Utc>) -> DateTime<Utc> {
    let at = |instant: DateTime<Tz>| instant.with_timezone(&Utc);
    match zone.from_local_datetime(&wall) {
        LocalResult::Single(instant) => at(instant).max(floor),
        LocalResult::Ambiguous(first, second) => {
            let (first, second) = (at(first).min(at(second)), at(first).max(at(second)));
            if first >= floor {
                first
            } else {
                second.max(floor)
            }
        }
        LocalResult::None => first_instant_showing(wall, zone).max(floor),
    }
}

/// The first instant after `from` and before `to` (less than a day apart) at which `zone`'s offset
/// differs from its offset at `from`, found to the second; `None` when it does not change.
fn offset_change(from: DateTime<Utc>, to: DateTime<Utc>, zone: Tz) -> Option<DateTime<Utc>> {
    let offset_at = |seconds: i64| {
        use chrono::Offset;
        let instant = DateTime::from_timestamp(seconds, 0).unwrap_or(DateTime::<Utc>::MAX_UTC);
        zone.offset_from_utc_datetime(&instant.naive_utc())
            .fix()
            .local_minus_utc()
    };
    let (mut low, mut high) = (from.timestamp(), to.timestamp());
    let start = offset_at(low);
    if high <= low || offset_at(high) == start {
        return None;
    }
    // Invariant: `low` has the offset at `from`, `high` another.
    while high - low > 1 {
        let middle = low + (high - low) / 2;
        if offset_at(middle) == start {
            low = middle;
        } else {
            high = middle;
        }
    }
    DateTime::from_timestamp(high, 0).filter(|&change| change < to)
}

/// The first instant whose wall time in `zone` is at or after `wall`, for a `wall` in a gap: the
/// transition that skips it. Read with the offset after the gap, `wall` is an instant before the
/// transition; with the offset before it, one after; the transition is found between them to the
/// second.
fn first_instant_showing(wall: NaiveDateTime, zone: Tz) -> DateTime<Utc> {
    let offset_at = |instant: NaiveDateTime| {
        use chrono::Offset;
        zone.offset_from_utc_datetime(&instant)
            .fix()
            .local_minus_utc()
    };
    // The offsets a day either side of the gap, as if `wall` were UTC (gaps are under a day).
    let before = offset_at(wall - Duration::days(1));
    let after = offset_at(wall + Duration::days(1));
    // Unix seconds: the transition is found to the second.
    let mut low = (wall - Duration::seconds(i64::from(after)))
        .and_utc()
        .timestamp();
    let mut high = (wall - Duration::seconds(i64::from(before)))
        .and_utc()
        .timestamp();
    if low > high {
        std::mem::swap(&mut low, &mut high);
    }
    let instant =
        |seconds: i64| DateTime::from_timestamp(seconds, 0).unwrap_or(DateTime::<Utc>::MAX_UTC);
    let shows = |seconds: i64| instant(seconds).with_timezone(&zone).naive_local() >= wall;
    if shows(low) {
        return instant(low);
    }
    // Invariant: `low` shows an earlier wall time, `high` a later or equal one.
    while high - low > 1 {
        let middle = low + (high - low) / 2;
        if shows(middle) {
            high = middle;
        } else {
            low = middle;
        }
    }
    instant(high)
}

impl FromStr for Window {
    type Err = String;

    /// `HH:MM-HH:MM` (spaces around the dash allowed), 24-hour clock.
    fn from_str(text: &str) -> Result<Window, String> {
        let trimmed = text.trim();
        let Some((start, end)) = trimmed.split_once('-') else {
            return Err(format!("{text:?}: not a window ({FORM})"));
        };
        let time = |part: &str| {
            let part = part.trim();
            let ok = part.len() == 5 && part.as_bytes()[2] == b':';
            ok.then(|| NaiveTime::parse_from_str(part, "%H:%M").ok())
                .flatten()
                .ok_or_else(|| {
                    format!("{text:?}: {part:?} is not a time from 00:00 to 23:59 ({FORM})")
                })
        };
        let (start, end) = (time(start)?, time(end)?);
        Window::new(start, end).ok_or_else(|| {
            format!("{text:?}: starts and ends at the same time (for no quiet hours write none)")
        })
    }
}

impl fmt::Display for Window {
    /// `22:00-07:00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

/// A subscriber's `quiet` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Setting {
    /// The bulletin's window (an empty cell, or no `quiet` column).
    #[default]
    Bulletin,
    /// No quiet hours for this reader (`none` or `off`).
    Off,
    /// The reader's own window.
    Own(Window),
}

impl Setting {
    /// A `quiet` cell: empty, `none`/`off` (any case), or a window.
    pub fn parse(text: &str) -> Result<Setting, String> {
        let text = text.trim();
        if text.is_empty() {
            Ok(Setting::Bulletin)
        } else if text.eq_ignore_ascii_case("none") || text.eq_ignore_ascii_case("off") {
            Ok(Setting::Off)
        } else {
            text.parse()
                .map(Setting::Own)
                .map_err(|message| format!("quiet {message}"))
        }
    }

    /// The window that applies, given the bulletin's.
    pub fn window(self, bulletin: Option<Window>) -> Option<Window> {
        match self {
            Setting::Bulletin => bulletin,
            Setting::Off => None,
            Setting::Own(window) => Some(window),
        }
    }
}

/// What quiet hours make of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Outside the window: at the time asked.
    Now,
    /// Inside it: at this instant, the window's end.
    After(DateTime<Utc>),
    /// Inside it, and it would be older than `quiet_max_age` at the end: not sent, for this reason
    /// (starting `quiet hours`).
    Drop(String),
}

/// What `window` (in `zone`) makes of a message asked for at `due`, of a slot at `slot`: dropped
/// when the window's end is more than `max_age` after `slot` (`None`: never dropped).
pub fn decide(
    window: Window,
    zone: Tz,
    due: DateTime<Utc>,
    slot: DateTime<Utc>,
    max_age: Option<Duration>,
) -> Decision {
    let release = window.release(due, zone);
    if release <= due {
        return Decision::Now;
    }
    match max_age {
        Some(max_age) if release - slot > max_age => Decision::Drop(format!(
            "quiet hours {window} ({zone}) end at {}, past quiet_max_age {}",
            release.with_timezone(&zone).format("%Y-%m-%d %H:%M %Z"),
            humantime::format_duration(max_age.to_std().unwrap_or_default()),
        )),
        _ => Decision::After(release),
    }
}

/// A `quiet_max_age` (`12h`, `90m`): longer than zero.
pub fn max_age_of(text: &str) -> Result<Duration, String> {
    match humantime::parse_duration(text) {
        Ok(age) if age.is_zero() => Err(format!("{text:?}: must be longer than zero")),
        Ok(age) => Ok(Duration::from_std(age).unwrap_or(Duration::MAX)),
        Err(error) => Err(format!("{text:?}: {error} (write e.g. 12h, 90m)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America, Asia, Australia, Europe, Pacific};
    use proptest::prelude::*;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn window(text: &str) -> Window {
        text.parse().unwrap()
    }

    #[test]
    fn windows_parse_and_show_as_written() {
        let table = [
            ("22:00-07:00", "22:00-07:00", true),
            ("13:00-14:00", "13:00-14:00", false),
            (" 23:30 - 06:15 ", "23:30-06:15", true),
            ("00:00-06:00", "00:00-06:00", false),
            ("18:00-00:00", "18:00-00:00", true),
        ];
        for (text, shown, crosses) in table {
            let parsed = window(text);
            assert_eq!(parsed.to_string(), shown, "{text}");
            assert_eq!(parsed.crosses_midnight(), crosses, "{text}");
        }
    }

    #[test]
    fn bad_windows_say_what_is_wrong() {
        let table = [
            (
                "22:00",
                "\"22:00\": not a window (write HH:MM-HH:MM, e.g. 22:00-07:00)",
            ),
            (
                "25:00-07:00",
                "\"25:00-07:00\": \"25:00\" is not a time from 00:00 to 23:59 (write HH:MM-HH:MM, e.g. 22:00-07:00)",
            ),
            (
                "10pm-7am",
                "\"10pm-7am\": \"10pm\" is not a time from 00:00 to 23:59 (write HH:MM-HH:MM, e.g. 22:00-07:00)",
            ),
            (
                "22:00-7:00",
                "\"22:00-7:00\": \"7:00\" is not a time from 00:00 to 23:59 (write HH:MM-HH:MM, e.g. 22:00-07:00)",
            ),
            (
                "07:00-07:00",
                "\"07:00-07:00\": starts and ends at the same time (for no quiet hours write none)",
            ),
            (
                "",
                "\"\": not a window (write HH:MM-HH:MM, e.g. 22:00-07:00)",
            ),
        ];
        for (text, message) in table {
            assert_eq!(text.parse::<Window>().unwrap_err(), message, "{text}");
        }
    }

    #[test]
    fn settings_inherit_turn_off_or_replace_the_bulletins_window() {
        let bulletin = Some(window("22:00-07:00"));
        let table = [
            ("", bulletin),
            ("none", None),
            ("OFF", None),
            ("13:00-14:00", Some(window("13:00-14:00"))),
        ];
        for (cell, expected) in table {
            assert_eq!(
                Setting::parse(cell).unwrap().window(bulletin),
                expected,
                "{cell}"
            );
        }
        assert_eq!(
            Setting::parse("never").unwrap_err(),
            "quiet \"never\": not a window (write HH:MM-HH:MM, e.g. 22:00-07:00)"
        );
    }

    #[test]
    fn releases_in_and_out_of_windows() {
        let night = window("22:00-07:00");
        let lunch = window("13:00-14:00");
        let dhaka = Asia::Dhaka;
        let table = [
            // 23:00 Dhaka waits until 07:00 Dhaka.
            (night, dhaka, "2025-04-23T17:00:00Z", "2025-04-24T01:00:00Z"),
            // 03:00 Dhaka: the window that began the evening before ends this morning.
            (night, dhaka, "2025-04-23T21:00:00Z", "2025-04-24T01:00:00Z"),
            // 22:00 sharp is quiet; 07:00 sharp is not.
            (night, dhaka, "2025-04-23T16:00:00Z", "2025-04-24T01:00:00Z"),
            (night, dhaka, "2025-04-24T01:00:00Z", "2025-04-24T01:00:00Z"),
            (night, dhaka, "2025-04-23T15:59:59Z", "2025-04-23T15:59:59Z"),
            // A window within a day.
            (lunch, dhaka, "2025-04-23T07:30:00Z", "2025-04-23T08:00:00Z"),
            (lunch, dhaka, "2025-04-23T08:00:00Z", "2025-04-23T08:00:00Z"),
            (lunch, dhaka, "2025-04-23T06:59:00Z", "2025-04-23T06:59:00Z"),
        ];
        for (window, zone, due, release) in table {
            assert_eq!(
                window.release(utc(due), zone),
                utc(release),
                "{window} {due}"
            );
        }
    }

    #[test]
    fn clocks_turned_back_to_before_the_start_release_at_the_turn() {
        // London, 27 October 2024: at 01:00 UTC, 01:59:59 BST turns back to 01:00 GMT, a minute
        // before `01:01-02:00` starts again. Found by `releases_around_transitions`.
        let late_night = window("01:01-02:00");
        let london = Europe::London;
        let release = late_night.release(utc("2024-10-27T00:59:00Z"), london);
        assert_eq!(release, utc("2024-10-27T01:00:00Z"));
        // Turned back into the window, it waits for the window's end.
        let release = late_night.release(utc("2024-10-27T01:01:00Z"), london);
        assert_eq!(release, utc("2024-10-27T02:00:00Z"));
        let release = window("00:30-02:00").release(utc("2024-10-27T00:45:00Z"), london);
        assert_eq!(release, utc("2024-10-27T02:00:00Z"));
    }

    #[test]
    fn an_end_in_a_spring_forward_gap_is_the_transition() {
        // London, 2025-03-30: 01:00 GMT becomes 02:00 BST; 01:30 does not exist.
        let release = window("22:00-01:30").release(utc("2025-03-29T23:00:00Z"), Europe::London);
        assert_eq!(release, utc("2025-03-30T01:00:00Z"));
        // The end 07:00 that morning is BST: 06:00 UTC.
        let release = window("22:00-07:00").release(utc("2025-03-29T23:00:00Z"), Europe::London);
        assert_eq!(release, utc("2025-03-30T06:00:00Z"));
        // Lord Howe moves by half an hour: 02:00 becomes 02:30 on 2025-10-05.
        let release =
            window("23:00-02:15").release(utc("2025-10-04T13:00:00Z"), Australia::Lord_Howe);
        assert_eq!(release, utc("2025-10-04T15:30:00Z"));
        assert_eq!(
            release.with_timezone(&Australia::Lord_Howe).time(),
            NaiveTime::from_hms_opt(2, 30, 0).unwrap()
        );
    }

    #[test]
    fn an_end_in_a_fall_back_overlap_is_the_earliest_after_the_due_time() {
        // London, 2025-10-26: 02:00 BST becomes 01:00 GMT; 01:00-02:00 happens twice.
        let window = window("00:00-01:30");
        // First pass (BST): ends at 01:30 BST.
        assert_eq!(
            window.release(utc("2025-10-26T00:10:00Z"), Europe::London),
            utc("2025-10-26T00:30:00Z")
        );
        // Second pass (GMT, 01:10 again): ends at 01:30 GMT.
        assert_eq!(
            window.release(utc("2025-10-26T01:10:00Z"), Europe::London),
            utc("2025-10-26T01:30:00Z")
        );
    }

    #[test]
    fn a_skipped_day_is_crossed() {
        // Samoa skipped 2011-12-30 entirely (UTC-10 to UTC+14).
        let release = window("22:00-07:00").release(utc("2011-12-30T08:30:00Z"), Pacific::Apia);
        assert!(release > utc("2011-12-30T08:30:00Z"));
        assert!(!window("22:00-07:00").holds(release, Pacific::Apia));
        assert_eq!(
            release,
            utc("2011-12-30T17:00:00Z"),
            "07:00 on the 31st, UTC+14"
        );
    }

    #[test]
    fn decisions_wait_or_drop_past_the_max_age() {
        let night = window("22:00-07:00");
        let slot = utc("2025-04-23T17:00:00Z");
        assert_eq!(
            decide(night, Asia::Dhaka, slot, slot, None),
            Decision::After(utc("2025-04-24T01:00:00Z"))
        );
        assert_eq!(
            decide(night, Asia::Dhaka, slot, slot, Some(Duration::hours(8))),
            Decision::After(utc("2025-04-24T01:00:00Z")),
            "exactly the age is kept"
        );
        assert_eq!(
            decide(night, Asia::Dhaka, slot, slot, Some(Duration::hours(6))),
            Decision::Drop(
                "quiet hours 22:00-07:00 (Asia/Dhaka) end at 2025-04-24 07:00 +06, past quiet_max_age 6h"
                    .into()
            )
        );
        assert_eq!(
            decide(night, Europe::London, slot, slot, Some(Duration::hours(1))),
            Decision::Now
        );
    }

    #[test]
    fn max_ages_parse() {
        assert_eq!(max_age_of("12h"), Ok(Duration::hours(12)));
        assert_eq!(
            max_age_of("0s").unwrap_err(),
            "\"0s\": must be longer than zero"
        );
        assert!(max_age_of("soon").unwrap_err().starts_with("\"soon\": "));
    }

    const ZONES: [Tz; 7] = [
        Asia::Dhaka,
        Europe::London,
        America::New_York,
        Australia::Lord_Howe,
        Asia::Kathmandu,
        Pacific::Apia,
        America::Santiago,
    ];

    proptest! {
        /// The release is never before the due time, never inside the window, and every instant
        /// between them (sampled by the minute) is inside it: it is the earliest.
        #[test]
        fn releases_are_outside_the_window_and_earliest(
            start in 0u32..1440,
            end in 0u32..1440,
            zone in 0..ZONES.len(),
            // 2010 to 2030, to the second.
            due in 1_262_304_000i64..1_893_456_000,
        ) {
            let time = |minutes: u32| NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0).unwrap();
            prop_assume!(start != end);
            let window = Window::new(time(start), time(end)).unwrap();
            let zone = ZONES[zone];
            let due = DateTime::from_timestamp(due, 0).unwrap();
            let release = window.release(due, zone);
            prop_assert!(release >= due);
            prop_assert!(!window.holds(release, zone), "{window} {due} -> {release}");
            prop_assert!(release - due <= Duration::hours(48), "{window} {due} -> {release}");
            let mut instant = due;
            while instant < release {
                prop_assert!(window.holds(instant, zone), "{window} {due}: {instant} is not quiet, release {release}");
                instant += Duration::minutes(1);
            }
        }

        /// Around every DST change of London and Lord Howe in a few years, by the minute.
        #[test]
        fn releases_around_transitions(
            start in 0u32..1440,
            end in 0u32..1440,
            zone in 0..2usize,
            offset in -1800i64..1800,
            transition in 0..10usize,
        ) {
            let time = |minutes: u32| NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0).unwrap();
            prop_assume!(start != end);
            let window = Window::new(time(start), time(end)).unwrap();
            let (zone, transitions) = [
                (Europe::London, ["2024-03-31T01:00:00Z", "2024-10-27T01:00:00Z", "2025-03-30T01:00:00Z", "2025-10-26T01:00:00Z", "2026-03-29T01:00:00Z"]),
                (Australia::Lord_Howe, ["2024-04-06T15:00:00Z", "2024-10-05T15:30:00Z", "2025-04-05T15:00:00Z", "2025-10-04T15:30:00Z", "2026-04-04T15:00:00Z"]),
            ][zone];
            let due = utc(transitions[transition % 5]) + Duration::minutes(offset);
            let release = window.release(due, zone);
            prop_assert!(release >= due);
            prop_assert!(!window.holds(release, zone), "{window} {due} -> {release}");
            let mut instant = due;
            while instant < release {
                prop_assert!(window.holds(instant, zone), "{window} {due}: {instant} is not quiet, release {release}");
                instant += Duration::minutes(1);
            }
        }
    }
}
