//! Crash test for `newsdigest run`: kill it with SIGKILL at random points, at least 100 times,
//! against a fake gateway that records every message it accepts, run it again each time, and
//! check that every subscriber got every message exactly once, except where the kill fell between
//! the gateway's acceptance and the record: those are `uncertain` in `history`, and the policy
//! (`hold` or `resend`) says what happened to them. Prints the number of kills and of uncertain
//! messages.

mod support;

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use support::recorder::Recorder;

const SUBSCRIBERS: usize = 12;

/// A small deterministic generator (xorshift), seeded per run and printed, so a failure can be
/// replayed with `NEWSDIGEST_CRASH_SEED`.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Syllables of made-up words: two random articles share almost none of their words, so none is
/// taken for a near-duplicate of another.
const SYLLABLES: &[&str] = &[
    "ka", "lo", "ri", "ma", "ne", "tu", "sa", "pi", "do", "ve", "gu", "ha", "zo", "bi", "fe", "ru",
];

/// An article in the wire format of the seed, published `at`, with words unlike any other's.
fn article(random: &mut Random, number: usize, at: DateTime<Utc>) -> String {
    let mut sentence = || {
        let words: Vec<String> = (0..12)
            .map(|_| {
                (0..4)
                    .map(|_| SYLLABLES[random.below(SYLLABLES.len() as u64) as usize])
                    .collect()
            })
            .collect();
        let mut text = words.join(" ");
        text[..1].make_ascii_uppercase();
        text
    };
    let (first, second) = (sentence(), sentence());
    let dhaka = at.with_timezone(&chrono_tz::Asia::Dhaka);
    format!(
        "Report {number}: {first} today. {second} as well.\nSource: Newsdesk\nBDST: {} HRS, {}\n",
        dhaka.format("%H%M"),
        dhaka.format("%b %d, %Y").to_string().to_uppercase()
    )
}

fn write_config(dir: &Path, gateway: &str, policy: &str) -> std::path::PathBuf {
    std::fs::create_dir_all(dir.join("wire")).unwrap();
    let mut csv = String::from("address,locale,tz\n");
    for i in 0..SUBSCRIBERS {
        let zone = if i % 2 == 0 {
            "Asia/Dhaka"
        } else {
            "Europe/London"
        };
        csv.push_str(&format!("+8801711{:06},en,{zone}\n", 100_000 + i));
    }
    std::fs::write(dir.join("subscribers.csv"), csv).unwrap();
    let config = format!(
        r#"state = "state/state.db"

[[source]]
name = "desk"
path = "wire"
country = "BD"
language = "en"

[[target]]
name = "gateway"
kind = "webhook"
url = "{gateway}"
concurrency = 2
timeout = 5

[[bulletin]]
name = "minute"
channel = "sms"
sources = ["desk"]
schedule = "* * * * *"
zone = "UTC"
stories = 1
since = "2h"
subscribers = "subscribers.csv"
target = "gateway"
uncertain = "{policy}"
"#
    );
    let path = dir.join("newsdigest.toml");
    std::fs::write(&path, config).unwrap();
    path
}

fn newsdigest(config: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_newsdigest"));
    command
        .args(args)
        .arg("--config")
        .arg(config)
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn run_to_end(config: &Path, now: &str) {
    let output = newsdigest(config, &["run", "--now", now]).output().unwrap();
    assert!(
        output.status.code() == Some(0),
        "run --now {now}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Starts `run`, kills it with SIGKILL after a random delay (unless it finished first), and
/// says whether the kill happened.
fn run_and_kill(config: &Path, now: &str, random: &mut Random, longest: Duration) -> bool {
    let mut child = newsdigest(config, &["run", "--now", now]).spawn().unwrap();
    // Half the kills anywhere in the run, half in its second half, where messages are sent.
    let span = longest.as_micros() as u64;
    let delay = match random.below(2) {
        0 => Duration::from_micros(random.below(span)),
        _ => Duration::from_micros(span / 2 + random.below(span / 2)),
    };
    let started = Instant::now();
    while started.elapsed() < delay {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let killed = child.try_wait().unwrap().is_none() && child.kill().is_ok();
    let _ = child.wait();
    killed
}

/// (slot as an instant, address) -> how many times the gateway accepted it.
fn accepted(recorder: &Recorder) -> HashMap<(DateTime<Utc>, String), usize> {
    let mut counts = HashMap::new();
    for body in recorder.bodies() {
        let value: serde_json::Value = serde_json::from_str(&body).expect("webhook JSON");
        let slot: DateTime<Utc> = value["slot"].as_str().unwrap().parse().unwrap();
        let to = value["to"].as_str().unwrap().to_string();
        *counts.entry((slot, to)).or_insert(0) += 1;
    }
    counts
}

struct Tally {
    kills: usize,
    uncertain: usize,
    /// Uncertain messages that the gateway had in fact accepted before the kill.
    accepted_before_kill: usize,
    messages: usize,
}

/// Runs the kill loop, one slot a minute, until `wanted` kills (at most four times as many slots),
/// and checks every message against the gateway.
fn crash_loop(policy: &str, wanted: usize) -> Tally {
    let dir = tempfile::tempdir().unwrap();
    let recorder = Recorder::start(Duration::from_millis(10));
    let config = write_config(dir.path(), &recorder.url(), policy);
    let seed = std::env::var("NEWSDIGEST_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| Utc::now().timestamp_subsec_nanos() as u64 | 1);
    eprintln!("crash test ({policy}): seed {seed}");
    let mut random = Random(seed);
    let base: DateTime<Utc> = "2025-04-23T06:00:00Z".parse().unwrap();
    // How long a whole run of one slot takes here (timed on the first slot): kills fall anywhere
    // in it, from start-up through planning to the last message.
    let mut longest = Duration::ZERO;
    let mut kills = 0;
    let mut slots = 0;
    while kills < wanted && slots < wanted * 4 {
        let i = slots;
        slots += 1;
        let now = base + chrono::Duration::minutes(i as i64);
        let text = article(&mut random, i, now - chrono::Duration::minutes(1));
        std::fs::write(dir.path().join(format!("wire/{i:04}.txt")), text).unwrap();
        let stamp = now.to_rfc3339();
        if longest.is_zero() {
            let started = Instant::now();
            run_to_end(&config, &stamp);
            longest = started.elapsed();
            eprintln!("crash test ({policy}): a whole run takes {longest:?}");
            continue;
        }
        if run_and_kill(&config, &stamp, &mut random, longest) {
            kills += 1;
        }
        run_to_end(&config, &stamp);
    }
    let tally = check(&config, &recorder, policy, slots);
    Tally { kills, ..tally }
}

/// Every planned message against what the gateway accepted.
fn check(config: &Path, recorder: &Recorder, policy: &str, slots: usize) -> Tally {
    let output = newsdigest(config, &["history", "--format", "json", "--full"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let history: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    let accepted = accepted(recorder);
    let mut uncertain = 0;
    let mut accepted_before_kill = 0;
    let mut seen = 0;
    for row in &history {
        let slot: DateTime<Utc> = row["slot"].as_str().unwrap().parse().unwrap();
        let address = row["address"].as_str().unwrap().to_string();
        let count = accepted.get(&(slot, address.clone())).copied().unwrap_or(0);
        seen += count;
        let status = row["status"].as_str().unwrap();
        let resent = row["last_error"]
            .as_str()
            .unwrap_or("")
            .contains("uncertain");
        match (status, policy) {
            ("sent", "hold") => assert_eq!(count, 1, "{row}"),
            ("sent", _) if resent => {
                uncertain += 1;
                accepted_before_kill += usize::from(count == 2);
                assert!((1..=2).contains(&count), "{row}: accepted {count} times")
            }
            ("sent", _) => assert_eq!(count, 1, "{row}"),
            ("uncertain", "hold") => {
                uncertain += 1;
                accepted_before_kill += count;
                assert!(count <= 1, "{row}: accepted {count} times")
            }
            _ => panic!("{row}: status {status} after a completed run (accepted {count} times)"),
        }
    }
    assert_eq!(
        history.len(),
        slots * SUBSCRIBERS,
        "one message per slot and subscriber"
    );
    let total: usize = accepted.values().sum();
    assert_eq!(
        total, seen,
        "the gateway accepted a message that history does not show"
    );
    Tally {
        kills: 0,
        uncertain,
        accepted_before_kill,
        messages: history.len(),
    }
}

#[test]
fn killed_runs_neither_lose_nor_silently_repeat_messages_hold() {
    let tally = crash_loop("hold", 100);
    eprintln!(
        "crash test (hold): {} kills, {} messages, {} uncertain (held; {} of them had reached the gateway)",
        tally.kills, tally.messages, tally.uncertain, tally.accepted_before_kill
    );
    assert!(tally.kills >= 100, "only {} kills", tally.kills);
}

#[test]
fn killed_runs_resend_uncertain_messages_under_resend() {
    let tally = crash_loop("resend", 30);
    eprintln!(
        "crash test (resend): {} kills, {} messages, {} uncertain (resent; {} of them reached the reader twice)",
        tally.kills, tally.messages, tally.uncertain, tally.accepted_before_kill
    );
}
