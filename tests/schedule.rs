//! Schedules across daylight-saving transitions: each fixed-time slot runs exactly once per day,
//! whether `run` asks once a minute (as cron starts it) or the machine was down.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use newsdigest::bulletin::schedule::Schedule;

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// The first instant of local day `day` in `zone` (midnight, or the first instant after a gap).
fn start_of_day(zone: Tz, day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap();
    (0..180)
        .find_map(|minutes| {
            zone.from_local_datetime(&(midnight + TimeDelta::minutes(minutes)))
                .earliest()
        })
        .unwrap()
        .to_utc()
}

/// Slots from the start of local day `first` to the start of the day after `last`, by local day.
fn slots_by_local_day(
    schedule: &Schedule,
    first: NaiveDate,
    last: NaiveDate,
) -> BTreeMap<NaiveDate, Vec<DateTime<Utc>>> {
    let zone = schedule.zone();
    let start = start_of_day(zone, first) - TimeDelta::seconds(1);
    let end = start_of_day(zone, last.succ_opt().unwrap());
    let mut days: BTreeMap<NaiveDate, Vec<DateTime<Utc>>> = BTreeMap::new();
    let mut after = start;
    loop {
        let batch = schedule.next_slots(after, 64);
        let Some(&latest) = batch.last() else { break };
        for slot in batch.into_iter().filter(|slot| *slot < end) {
            days.entry(slot.with_timezone(&zone).date_naive())
                .or_default()
                .push(slot);
        }
        if latest >= end {
            break;
        }
        after = latest;
    }
    days
}

/// What cron does: start `run` at every minute from `from` to `to`, each planning the slot
/// [`Schedule::due_slot`] gives and remembering it. Returns the planned slots with the minute
/// each was planned at.
fn simulate_cron(
    schedule: &Schedule,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    // The last slot before the simulation started counts as planned already.
    let mut last_planned = schedule.due_slot(None, from - TimeDelta::minutes(1));
    let mut runs = Vec::new();
    let mut now = from;
    while now < to {
        // cron starts a few hundred milliseconds into the minute.
        let started = now + TimeDelta::milliseconds(350);
        if let Some(slot) = schedule.due_slot(last_planned, started) {
            runs.push((slot, started));
            last_planned = Some(slot);
        }
        now += TimeDelta::minutes(1);
    }
    runs
}

#[test]
fn new_york_2_30_runs_once_on_both_transition_days() {
    let schedule = Schedule::parse("30 2 * * *", "America/New_York").unwrap();
    let days = slots_by_local_day(&schedule, date("2025-03-08"), date("2025-03-10"));
    // 02:30 does not exist on 2025-03-09 (02:00 EST -> 03:00 EDT): croner runs it at the first
    // instant after the gap, 03:00 EDT.
    assert_eq!(
        days[&date("2025-03-09")],
        [utc("2025-03-09T03:00:00-04:00")]
    );
    assert_eq!(
        days[&date("2025-03-08")],
        [utc("2025-03-08T02:30:00-05:00")]
    );
    assert_eq!(
        days[&date("2025-03-10")],
        [utc("2025-03-10T02:30:00-04:00")]
    );
    // 02:30 exists once on 2025-11-02 (02:00 EDT -> 01:00 EST): after the repeated hour.
    let days = slots_by_local_day(&schedule, date("2025-11-01"), date("2025-11-03"));
    assert_eq!(
        days[&date("2025-11-02")],
        [utc("2025-11-02T02:30:00-05:00")]
    );
    assert_eq!(days.values().map(Vec::len).sum::<usize>(), 3);
    assert!(!schedule.is_as_written(utc("2025-03-09T03:00:00-04:00")));
    assert!(schedule.is_as_written(utc("2025-03-10T02:30:00-04:00")));
    assert!(schedule.is_as_written(utc("2025-11-02T02:30:00-05:00")));
}

#[test]
fn new_york_1_30_runs_once_when_the_hour_repeats() {
    let schedule = Schedule::parse("30 1 * * *", "America/New_York").unwrap();
    let days = slots_by_local_day(&schedule, date("2025-11-01"), date("2025-11-03"));
    // 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST): once, at the first.
    assert_eq!(
        days[&date("2025-11-02")],
        [utc("2025-11-02T01:30:00-04:00")]
    );
    assert_eq!(days.values().map(Vec::len).sum::<usize>(), 3);
}

#[test]
fn dhaka_runs_once_a_day_through_its_2009_summer_time() {
    // Bangladesh: 2009-06-19 23:00 -> 24:00 (+07), back at the end of 2009-12-31 (+06).
    let schedule = Schedule::parse("30 0 * * *", "Asia/Dhaka").unwrap();
    let (first, last) = (date("2009-01-01"), date("2010-03-31"));
    let days = slots_by_local_day(&schedule, first, last);
    let expected_days = first.iter_days().take_while(|day| *day <= last).count();
    assert_eq!(days.len(), expected_days, "a day without a slot");
    for (day, slots) in &days {
        assert_eq!(slots.len(), 1, "{day}: {slots:?}");
        let local = slots[0].with_timezone(&schedule.zone());
        assert_eq!(local.format("%H:%M").to_string(), "00:30", "{day}");
    }
    assert_eq!(
        days[&date("2009-06-19")],
        [utc("2009-06-19T00:30:00+06:00")]
    );
    assert_eq!(
        days[&date("2009-06-20")],
        [utc("2009-06-20T00:30:00+07:00")]
    );
    assert_eq!(
        days[&date("2009-12-31")],
        [utc("2009-12-31T00:30:00+07:00")]
    );
    assert_eq!(
        days[&date("2010-01-01")],
        [utc("2010-01-01T00:30:00+06:00")]
    );
}

#[test]
fn dhaka_23_30_inside_the_gap_and_the_repeated_hour() {
    let schedule = Schedule::parse("30 23 * * *", "Asia/Dhaka").unwrap();
    // 2009-06-19 23:30 does not exist: it runs at the first instant after the gap, which is
    // midnight of the next day on the local calendar. Nothing is skipped or doubled in time.
    let slots = schedule.next_slots(utc("2009-06-18T12:00:00Z"), 3);
    assert_eq!(
        slots,
        [
            utc("2009-06-18T23:30:00+06:00"),
            utc("2009-06-20T00:00:00+07:00"),
            utc("2009-06-20T23:30:00+07:00"),
        ]
    );
    // 2009-12-31 23:30 happens twice (+07, then +06): once, at the first.
    let slots = schedule.next_slots(utc("2009-12-30T12:00:00Z"), 3);
    assert_eq!(
        slots,
        [
            utc("2009-12-30T23:30:00+07:00"),
            utc("2009-12-31T23:30:00+07:00"),
            utc("2010-01-01T23:30:00+06:00"),
        ]
    );
}

/// Runs cron every minute from the start of the local day before `day` to the end of the day
/// after, and checks that each of `expressions` in `zone` planned one slot a day, each in its
/// own minute, and the same slots `next_slots` shows.
fn assert_cron_plans_once_a_day(zone: &str, day: &str, expressions: &[&str]) {
    for expression in expressions {
        let schedule = Schedule::parse(expression, zone).unwrap();
        let tz = schedule.zone();
        let day = date(day);
        let from = start_of_day(tz, day.pred_opt().unwrap());
        let to = start_of_day(tz, day.succ_opt().unwrap().succ_opt().unwrap());
        let runs = simulate_cron(&schedule, from, to);
        let case = format!("{expression} in {zone} around {day}");
        assert_eq!(runs.len(), 3, "{case}: {runs:?}");
        for (slot, planned_at) in &runs {
            assert!(*slot <= *planned_at, "{case}: {slot} planned early");
            let late = *planned_at - *slot;
            assert!(late < TimeDelta::minutes(1), "{case}: {slot} planned late");
        }
        let shown = schedule.next_slots(from - TimeDelta::seconds(1), 3);
        let planned: Vec<_> = runs.iter().map(|(slot, _)| *slot).collect();
        assert_eq!(planned, shown, "{case}");
    }
}

#[test]
fn cron_every_minute_plans_once_a_day_in_new_york() {
    let spring = ["30 2 * * *", "30 1 * * *", "0 3 * * *", "0 7 * * *"];
    assert_cron_plans_once_a_day("America/New_York", "2025-03-09", &spring);
    let fall = ["30 2 * * *", "30 1 * * *", "0 1 * * *", "0 7 * * *"];
    assert_cron_plans_once_a_day("America/New_York", "2025-11-02", &fall);
}

#[test]
fn cron_every_minute_plans_once_a_day_in_london() {
    assert_cron_plans_once_a_day("Europe/London", "2025-03-30", &["30 1 * * *", "0 7 * * *"]);
    assert_cron_plans_once_a_day("Europe/London", "2025-10-26", &["30 1 * * *", "0 1 * * *"]);
}

#[test]
fn cron_every_minute_plans_once_a_day_in_dhaka_2009() {
    assert_cron_plans_once_a_day("Asia/Dhaka", "2009-06-19", &["30 23 * * *", "30 0 * * *"]);
    assert_cron_plans_once_a_day("Asia/Dhaka", "2009-12-31", &["30 23 * * *", "0 23 * * *"]);
}

#[test]
fn cron_every_minute_plans_once_a_day_on_lord_howe_half_hour_shifts() {
    // 02:00 -> 02:30 in October, 02:00 -> 01:30 in April.
    assert_cron_plans_once_a_day("Australia/Lord_Howe", "2025-10-05", &["15 2 * * *"]);
    assert_cron_plans_once_a_day("Australia/Lord_Howe", "2025-04-06", &["45 1 * * *"]);
}

#[test]
fn intervals_follow_the_clock_through_transitions() {
    let hourly = Schedule::parse("0 * * * *", "America/New_York").unwrap();
    // 23 hours on 2025-03-09 (02:00 never happens), 25 on 2025-11-02 (01:00 happens twice).
    for (day, hours) in [("2025-03-09", 23), ("2025-11-02", 25)] {
        let day = date(day);
        let runs = simulate_cron(
            &hourly,
            start_of_day(hourly.zone(), day),
            start_of_day(hourly.zone(), day.succ_opt().unwrap()),
        );
        assert_eq!(runs.len(), hours, "{day}: {runs:?}");
        let runs = simulate_cron(
            &Schedule::parse("*/15 * * * *", "America/New_York").unwrap(),
            start_of_day(hourly.zone(), day),
            start_of_day(hourly.zone(), day.succ_opt().unwrap()),
        );
        assert_eq!(runs.len(), hours * 4, "{day}");
    }
}

#[test]
fn a_machine_down_for_days_catches_up_once() {
    let schedule = Schedule::parse("0 7 * * *", "America/New_York").unwrap();
    let monday = utc("2025-03-03T07:00:00-05:00");
    let thursday_noon = utc("2025-03-06T12:00:00-05:00");
    let thursday = utc("2025-03-06T07:00:00-05:00");
    assert_eq!(
        schedule.due_slot(Some(monday), thursday_noon),
        Some(thursday)
    );
    assert_eq!(schedule.due_slot(Some(thursday), thursday_noon), None);
    // Down across the spring-forward weekend: the latest slot, in EDT.
    let tuesday_noon = utc("2025-03-11T12:00:00-04:00");
    assert_eq!(
        schedule.due_slot(Some(thursday), tuesday_noon),
        Some(utc("2025-03-11T07:00:00-04:00"))
    );
}

/// Average time of one `due_slot` over `calls` calls.
fn time_due_slot(schedule: &Schedule, last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Duration {
    let calls = 200;
    let started = Instant::now();
    for i in 0..calls {
        let now = now + TimeDelta::seconds(i * 7);
        assert!(schedule.due_slot(last, now).is_some());
    }
    started.elapsed() / calls as u32
}

#[test]
fn due_slot_is_fast_for_frequent_and_rare_schedules() {
    let now = utc("2025-06-05T12:34:56Z");
    // A last slot far back: the search still starts at `now` and walks back to one slot.
    let years_ago = Some(now - TimeDelta::days(5 * 365));
    for (expression, expected) in [
        ("* * * * *", "2025-06-05T12:34:00Z"),
        ("*/5 * * * *", "2025-06-05T12:30:00Z"),
        ("0 0 1 1 *", "2025-01-01T00:00:00Z"),
        ("0 0 29 2 *", "2024-02-29T00:00:00Z"),
    ] {
        let schedule = Schedule::parse(expression, "UTC").unwrap();
        assert_eq!(
            schedule.due_slot(None, now),
            Some(utc(expected)),
            "{expression}"
        );
        for last in [None, years_ago] {
            let each = time_due_slot(&schedule, last, now);
            println!("{expression} (last {last:?}): {each:?} per due_slot");
            assert!(each < Duration::from_millis(20), "{expression}: {each:?}");
        }
    }
}

#[test]
fn refusing_an_expression_that_never_runs_is_quick() {
    let started = Instant::now();
    assert!(Schedule::parse("0 0 31 2 *", "Asia/Dhaka").is_err());
    assert!(Schedule::parse("0 0 31 4,6,9,11 *", "UTC").is_err());
    let took = started.elapsed();
    println!("two never-running expressions refused in {took:?}");
    assert!(took < Duration::from_secs(5), "{took:?}");
    // Rare but real: February 29th on a Monday (2044, 2072, ...).
    assert!(Schedule::parse("0 0 29 2 +MON", "UTC").is_ok());
}
