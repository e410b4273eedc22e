//! Several hosts and workers on one PostgreSQL state, with the real binary against a throwaway
//! cluster (`support/postgres.rs`) and a fake gateway that records every message it accepts:
//!
//! - three workers deliver a 20,000-subscriber bulletin while one of them is killed with SIGKILL
//!   halfway: every subscriber gets exactly one message, except those `history` reports
//!   `uncertain` (at most one each), which `retry` then sends; prints the throughput of all
//!   workers together and the number of uncertain messages;
//! - two hosts run the same schedule (twice a day) for a week of slots (`--now` stepping, both at
//!   once for each slot): every slot is planned exactly once, and every subscriber gets each slot
//!   once;
//! - three workers share a target's rate limit: together they never send faster than it;
//! - the password is never printed, and a wrong one is refused in one line.
//!
//! Skipped (saying why) without PostgreSQL, unless `CI` is set: then they fail.

mod support;

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use support::postgres::{Cluster, PASSWORD};
use support::recorder::Recorder;

/// A folder with a configuration on a database of `cluster`, a wire folder and subscribers.
struct Setup {
    dir: tempfile::TempDir,
    config: PathBuf,
}

impl Setup {
    fn new(
        cluster: &Cluster,
        database: &str,
        gateway: &str,
        schedule: &str,
        subscribers: usize,
        extra: &str,
    ) -> Setup {
        cluster.create_database(database);
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("wire")).unwrap();
        let mut csv = String::from("address,locale,tz\n");
        for i in 0..subscribers {
            let zone = if i % 2 == 0 {
                "Asia/Dhaka"
            } else {
                "Europe/London"
            };
            csv.push_str(&format!("+8801711{i:06},en,{zone}\n"));
        }
        std::fs::write(dir.path().join("subscribers.csv"), csv).unwrap();
        let config = format!(
            r#"state = "{url}"
lease = "2s"

[[source]]
name = "desk"
path = "wire"
country = "BD"
language = "en"

[[target]]
name = "gateway"
kind = "webhook"
url = "{gateway}"
concurrency = 4
timeout = 10
{extra}
[[bulletin]]
name = "national"
channel = "sms"
sources = ["desk"]
schedule = "{schedule}"
zone = "UTC"
stories = 1
since = "6h"
subscribers = "subscribers.csv"
target = "gateway"
uncertain = "hold"
"#,
            url = cluster.url(database)
        );
        let path = dir.path().join("newsdigest.toml");
        std::fs::write(&path, config).unwrap();
        Setup { dir, config: path }
    }

    /// `newsdigest ARGS --config FILE` in a clean environment holding only the password.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_newsdigest"));
        command
            .args(args)
            .arg("--config")
            .arg(&self.config)
            .env_clear()
            .env("PGPASSWORD", PASSWORD)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    fn spawn(&self, args: &[&str]) -> Child {
        self.command(args).spawn().unwrap()
    }

    /// Runs to the end; fails the test unless it exits 0. Returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let output = self.command(args).output().unwrap();
        assert_ok(&output, args);
        String::from_utf8(output.stdout).unwrap()
    }

    /// A story published `at`, in the wire format, with words unlike any other slot's.
    fn write_story(&self, number: usize, at: DateTime<Utc>) {
        const SYLLABLES: &[&str] = &[
            "ka", "lo", "ri", "ma", "ne", "tu", "sa", "pi", "do", "ve", "gu", "ha", "zo", "bi",
        ];
        let mut seed = (number as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut word = || {
            (0..4)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    SYLLABLES[(seed % SYLLABLES.len() as u64) as usize]
                })
                .collect::<String>()
        };
        let words: Vec<String> = (0..14).map(|_| word()).collect();
        let dhaka = at.with_timezone(&chrono_tz::Asia::Dhaka);
        let text = format!(
            "Report {number}: {} today.\nSource: Newsdesk\nBDST: {} HRS, {}\n",
            words.join(" "),
            dhaka.format("%H%M"),
            dhaka.format("%b %d, %Y").to_string().to_uppercase()
        );
        let path = self.dir.path().join(format!("wire/{number:04}.txt"));
        std::fs::write(path, text).unwrap();
    }
}

fn assert_ok(output: &Output, args: &[&str]) {
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert!(
        !stdout.contains(PASSWORD) && !stderr.contains(PASSWORD),
        "the password was printed by {args:?}"
    );
    assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
}

/// (slot, address) -> how many times the gateway accepted it.
fn accepted(recorder: &Recorder) -> HashMap<(String, String), usize> {
    let mut counts = HashMap::new();
    for body in recorder.bodies() {
        let value: serde_json::Value = serde_json::from_str(&body).expect("webhook JSON");
        let slot = value["slot"].as_str().unwrap().to_string();
        let to = value["to"].as_str().unwrap().to_string();
        *counts.entry((slot, to)).or_insert(0) += 1;
    }
    counts
}

fn history(setup: &Setup) -> Vec<serde_json::Value> {
    let out = setup.ok(&["history", "--format", "json", "--full"]);
    serde_json::from_str(&out).unwrap()
}

fn status(setup: &Setup) -> serde_json::Value {
    serde_json::from_str(&setup.ok(&["status", "--format", "json"])).unwrap()
}

/// Whether a slot is recorded yet (before the first run migrates, there is no table).
fn planned(database: &mut postgres::Client) -> bool {
    database
        .query_one("SELECT count(*) FROM slots", &[])
        .map(|row| row.get::<_, i64>(0) > 0)
        .unwrap_or(false)
}

const SUBSCRIBERS: usize = 20_000;

#[test]
fn three_workers_deliver_once_to_each_subscriber_though_one_is_killed() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let recorder = Recorder::start(Duration::ZERO);
    let setup = Setup::new(
        &cluster,
        "kill",
        &recorder.url(),
        "0 7 * * *",
        SUBSCRIBERS,
        "",
    );
    let now: DateTime<Utc> = "2025-04-23T07:00:30Z".parse().unwrap();
    setup.write_story(0, now - chrono::Duration::minutes(30));
    let mut database = cluster.client("kill").unwrap();
    let stamp = now.to_rfc3339();

    // Host 1 plans the slot and delivers; hosts 2 and 3 only deliver, from when it is planned.
    let started = Instant::now();
    let mut one = setup.spawn(&[
        "run", "--now", &stamp, "--worker", "host-1", "--format", "json",
    ]);
    while !planned(&mut database) {
        assert!(
            one.try_wait().unwrap().is_none(),
            "run ended before planning"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let planned = started.elapsed();
    let delivering = Instant::now();
    let work = |name: &str| {
        setup.spawn(&[
            "work",
            "--until-idle",
            "--poll",
            "0.1",
            "--worker",
            name,
            "--format",
            "json",
        ])
    };
    let mut two = work("host-2");
    let mut three = work("host-3");
    // Halfway, host 2 dies without a word.
    while recorder.count() < SUBSCRIBERS / 2 {
        assert!(
            two.try_wait().unwrap().is_none(),
            "host 2 ended before halfway"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let during = status(&setup);
    // Killed while it holds a window, as a crash would most likely find it.
    let holding = |database: &mut postgres::Client| {
        let sql =
            "SELECT count(*) FROM messages WHERE status = 'sending' AND claimed_by = 'host-2'";
        database.query_one(sql, &[]).unwrap().get::<_, i64>(0) > 0
    };
    let aiming = Instant::now();
    while !holding(&mut database) && aiming.elapsed() < Duration::from_secs(5) {}
    two.kill().unwrap();
    two.wait().unwrap();
    let held_at_kill: i64 = database
        .query_one(
            "SELECT count(*) FROM messages WHERE status = 'sending' AND claimed_by = 'host-2'",
            &[],
        )
        .unwrap()
        .get(0);
    let at_kill = recorder.count();
    for (name, child) in [("host-1", &mut one), ("host-3", &mut three)] {
        let output = child.wait_with_output_ref();
        assert_ok(&output, &[name]);
    }
    let elapsed = delivering.elapsed();
    let delivered = recorder.count();

    // Host 2's window is still `sending` under its lease; once the lease runs out, the next
    // worker applies the policy (hold: uncertain).
    std::thread::sleep(Duration::from_millis(2500));
    setup.ok(&["work", "--until-idle", "--worker", "host-4"]);

    let rows = history(&setup);
    assert_eq!(rows.len(), SUBSCRIBERS, "one message per subscriber");
    let counts = accepted(&recorder);
    let mut uncertain = 0;
    let mut uncertain_reached = 0;
    for row in &rows {
        let key = (
            row["slot"].as_str().unwrap().to_string(),
            row["address"].as_str().unwrap().to_string(),
        );
        let count = counts.get(&key).copied().unwrap_or(0);
        match row["status"].as_str().unwrap() {
            "sent" => assert_eq!(count, 1, "{row}"),
            "uncertain" => {
                uncertain += 1;
                uncertain_reached += count;
                assert!(count <= 1, "{row}: accepted {count} times");
            }
            other => panic!("{row}: {other} after every worker finished"),
        }
    }
    assert_eq!(
        counts.values().sum::<usize>(),
        delivered,
        "nothing unknown reached the gateway"
    );
    let window = 4;
    assert!(
        uncertain <= window,
        "the killed worker held at most one window: {uncertain} uncertain"
    );
    assert_eq!(
        uncertain as i64, held_at_kill,
        "what it held, and only that"
    );
    let sending: u64 = during["bulletins"][0]["sending"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    let after = status(&setup);
    let national = &after["bulletins"][0];
    assert_eq!(national["planned_by"], "host-1");
    assert_eq!(national["uncertain"].as_u64(), Some(uncertain as u64));
    assert_eq!(
        national["sent"].as_u64(),
        Some((SUBSCRIBERS - uncertain) as u64)
    );
    eprintln!(
        "3 workers, {SUBSCRIBERS} subscribers: planned in {planned:.2?}; {delivered} delivered in \
         {elapsed:.2?} = {:.0} messages/s across all workers (debug build, fsync {fsync}); \
         host 2 killed after {at_kill} messages while {sending} were sending, holding \
         {held_at_kill}; {uncertain} uncertain ({uncertain_reached} of them had reached the \
         gateway)",
        delivered as f64 / elapsed.as_secs_f64(),
        fsync = std::env::var("NEWSDIGEST_TEST_PG_FSYNC").unwrap_or_else(|_| "off".into()),
    );

    // The policy's answer for held messages: a person runs `retry`, and any worker sends them.
    assert_eq!(
        setup.ok(&["retry"]),
        format!(
            "{uncertain} message{} will be tried on the next run\n",
            if uncertain == 1 { "" } else { "s" }
        )
    );
    setup.ok(&["work", "--until-idle", "--worker", "host-4"]);
    let counts = accepted(&recorder);
    for row in history(&setup) {
        assert_eq!(row["status"], "sent", "{row}");
        let key = (
            row["slot"].as_str().unwrap().to_string(),
            row["address"].as_str().unwrap().to_string(),
        );
        assert!((1..=2).contains(&counts[&key]), "{row}");
    }
}

/// `wait_with_output` for a child borrowed mutably.
trait WaitRef {
    fn wait_with_output_ref(&mut self) -> Output;
}

impl WaitRef for Child {
    fn wait_with_output_ref(&mut self) -> Output {
        use std::io::Read;
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        if let Some(mut out) = self.stdout.take() {
            out.read_to_end(&mut stdout).unwrap();
        }
        if let Some(mut err) = self.stderr.take() {
            err.read_to_end(&mut stderr).unwrap();
        }
        let status = self.wait().unwrap();
        Output {
            status,
            stdout,
            stderr,
        }
    }
}

#[test]
fn two_hosts_on_one_schedule_plan_every_slot_of_a_week_once() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let recorder = Recorder::start(Duration::ZERO);
    let subscribers = 3;
    // A morning and an evening bulletin, every day of a week.
    let setup = Setup::new(
        &cluster,
        "week",
        &recorder.url(),
        "0 7,19 * * *",
        subscribers,
        "",
    );
    let first: DateTime<Utc> = "2025-04-21T07:00:00Z".parse().unwrap();
    let slots = 7 * 2;
    let mut planners: HashMap<String, Vec<String>> = HashMap::new();
    let started = Instant::now();
    for n in 0..slots {
        let slot = first + chrono::Duration::hours(12 * n as i64);
        setup.write_story(n, slot - chrono::Duration::minutes(20));
        // Both hosts' cron fire within the slot's first minute, at the same moment.
        let stamp = (slot + chrono::Duration::seconds(20)).to_rfc3339();
        let hosts: Vec<(&str, Child)> = ["host-a", "host-b"]
            .into_iter()
            .map(|host| {
                let args = ["run", "--now", &stamp, "--worker", host, "--format", "json"];
                (host, setup.spawn(&args))
            })
            .collect();
        for (host, mut child) in hosts {
            let output = child.wait_with_output_ref();
            assert_ok(&output, &[host]);
            let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
            let bulletin = &summary["bulletins"][0];
            if bulletin["planned"] == true {
                let slot = bulletin["slot"].as_str().unwrap().to_string();
                planners.entry(slot).or_default().push(host.to_string());
            }
        }
    }
    let elapsed = started.elapsed();
    assert_eq!(planners.len(), slots, "every slot planned: {planners:?}");
    for (slot, hosts) in &planners {
        assert_eq!(hosts.len(), 1, "slot {slot} planned by {hosts:?}");
    }
    let mut database = cluster.client("week").unwrap();
    let rows = database
        .query(
            "SELECT planned_by, count(*) FROM slots GROUP BY 1 ORDER BY 1",
            &[],
        )
        .unwrap();
    let by_host: Vec<(String, i64)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    assert_eq!(by_host.iter().map(|(_, n)| n).sum::<i64>(), slots as i64);
    let counts = accepted(&recorder);
    assert_eq!(
        counts.len(),
        slots * subscribers,
        "every subscriber, every slot"
    );
    assert!(counts.values().all(|&n| n == 1), "nobody got a slot twice");
    eprintln!(
        "two hosts, {slots} slots of a week: every slot planned once (by host: {by_host:?}), \
         {} messages each delivered once, in {elapsed:.1?}",
        counts.len()
    );
}

#[test]
fn the_password_is_never_printed_and_a_wrong_one_is_refused() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let setup = Setup::new(
        &cluster,
        "secret",
        "http://127.0.0.1:9/",
        "0 7 * * *",
        1,
        "",
    );
    let shown = format!("postgres://newsdigest@127.0.0.1:{}/secret", cluster.port);
    let text = setup.ok(&["status"]);
    assert!(text.starts_with(&format!("state: {shown}\n")), "{text}");
    assert!(text.contains("national"), "{text}");
    let output = setup
        .command(&["status"])
        .env("PGPASSWORD", "wrong-Pa55word")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(74), "{stderr}");
    assert_eq!(
        stderr,
        format!("error: {shown}: state: password authentication failed for user \"newsdigest\"\n")
    );
    // In the configuration file, a password is refused before anything connects.
    let config = std::fs::read_to_string(&setup.config).unwrap();
    let with_password = config.replace("newsdigest@", &format!("newsdigest:{PASSWORD}@"));
    std::fs::write(&setup.config, with_password).unwrap();
    let output = setup.command(&["history"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(78), "{stderr}");
    assert!(!stderr.contains(PASSWORD), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("write no password in the state URL"),
        "{stderr}"
    );
    // In NEWSDIGEST_STATE it is allowed, and still never shown.
    std::fs::write(&setup.config, config).unwrap();
    let url = format!(
        "postgres://newsdigest:{PASSWORD}@127.0.0.1:{}/secret",
        cluster.port
    );
    let output = setup
        .command(&["status"])
        .env_remove("PGPASSWORD")
        .env("NEWSDIGEST_STATE", url)
        .output()
        .unwrap();
    assert_ok(&output, &["status with NEWSDIGEST_STATE"]);
}

#[test]
fn a_rate_limit_holds_across_workers() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let recorder = Recorder::start(Duration::ZERO);
    let setup = Setup::new(
        &cluster,
        "paced",
        &recorder.url(),
        "0 7 * * *",
        120,
        "rate = 60\n",
    );
    let now: DateTime<Utc> = "2025-04-23T07:00:30Z".parse().unwrap();
    setup.write_story(0, now - chrono::Duration::minutes(30));
    let mut database = cluster.client("paced").unwrap();
    let mut planner = setup.spawn(&["run", "--now", &now.to_rfc3339(), "--worker", "host-1"]);
    while !planned(&mut database) {
        assert!(
            planner.try_wait().unwrap().is_none(),
            "run ended before planning"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let started = Instant::now();
    let helpers: Vec<Child> = ["host-2", "host-3"]
        .iter()
        .map(|name| setup.spawn(&["work", "--until-idle", "--poll", "0.1", "--worker", name]))
        .collect();
    for mut child in std::iter::once(planner).chain(helpers) {
        let output = child.wait_with_output_ref();
        assert_ok(&output, &["paced worker"]);
    }
    let elapsed = started.elapsed();
    assert_eq!(recorder.count(), 120);
    let senders: Vec<(String, i64)> = database
        .query(
            "SELECT claimed_by, count(*) FROM messages GROUP BY 1 ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    // 120 messages at 60/s take at least (120 - 1) / 60 s whoever sends them.
    assert!(
        elapsed >= Duration::from_millis(1900),
        "3 workers sent 120 messages at 60/s in {elapsed:?}: {senders:?}"
    );
    assert!(senders.len() >= 2, "the work was shared: {senders:?}");
    eprintln!("3 workers, rate 60/s: 120 messages in {elapsed:.2?}, sent by {senders:?}");
}
