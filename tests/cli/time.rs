//! `newsdigest time`: datelines to instants in reader zones.

use crate::{run, run_json};

#[test]
fn seed_format_in_london() {
    let json = run_json(&[
        "time",
        "BDST: 1347 HRS, APR 23, 2025",
        "--tz",
        "Europe/London",
        "--tz",
        "America/New_York",
        "--format",
        "json",
    ]);
    assert_eq!(json["input"], "BDST: 1347 HRS, APR 23, 2025");
    assert_eq!(json["utc"], "2025-04-23T07:47:00Z");
    assert_eq!(json["local"], "2025-04-23T13:47:00+06:00");
    assert_eq!(json["zone"], "Asia/Dhaka");
    assert_eq!(json["converted"][0]["zone"], "Europe/London");
    assert_eq!(json["converted"][0]["time"], "2025-04-23T08:47:00+01:00");
    assert_eq!(json["converted"][1]["time"], "2025-04-23T03:47:00-04:00");
}

#[test]
fn text_output() {
    let run = run(&[
        "time",
        "BDST: 1347 HRS, APR 23, 2025",
        "--tz",
        "Europe/London",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("utc:   2025-04-23T07:47:00Z\nlocal: 2025-04-23T13:47:00+06:00 (Asia/Dhaka)\nEurope/London: 2025-04-23T08:47:00+01:00\n"), "{}", run.stdout);
}

#[test]
fn bengali_dateline() {
    let json = run_json(&[
        "time",
        "বাংলাদেশ সময়: ১৩৪৭ ঘণ্টা, এপ্রিল ২৩, ২০২৫",
        "--format",
        "json",
    ]);
    assert_eq!(json["utc"], "2025-04-23T07:47:00Z");
}

#[test]
fn bst_depends_on_the_country() {
    let london = run(&["time", "10:00 am BST, April 23, 2025", "--format", "json"]);
    let dhaka = run(&[
        "time",
        "10:00 am BST, April 23, 2025",
        "--country",
        "BD",
        "--format",
        "json",
    ]);
    let london: serde_json::Value = serde_json::from_str(&london.stdout).unwrap();
    let dhaka: serde_json::Value = serde_json::from_str(&dhaka.stdout).unwrap();
    assert_eq!(london["utc"], "2025-04-23T09:00:00Z");
    assert_eq!(dhaka["utc"], "2025-04-23T04:00:00Z");
}

#[test]
fn localized_text_output() {
    let run = run(&[
        "time",
        "BDST: 1347 HRS, APR 23, 2025",
        "--tz",
        "Europe/London",
        "--tz",
        "Asia/Dhaka",
        "--locale",
        "bn",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("Europe/London: ২৩ এপ্রি, ২০২৫ ০৮:৪৭ BST\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("Asia/Dhaka: ২৩ এপ্রি, ২০২৫ ১৩:৪৭ GMT+৬\n"),
        "{}",
        run.stdout
    );
}
