//! `newsdigest serve` against hostile callers: a wrong or missing token, unknown messages and
//! parts, repeated and out-of-order reports, oversized and malformed requests, a flood of 1,000
//! requests a second, too many requests from one address; and a webhook receiver's status
//! callbacks. The state is prepared by a real `run` to a files target; serve runs as its own
//! process, stopped by SIGTERM (or killed by pid when a test fails).

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::postgres::{Cluster, PASSWORD};
use support::serve::{Serve, TOKEN, TOKEN_ENV, request};

const READERS: [&str; 3] = ["+8801711000001", "+8801711000002", "+8801711000003"];

/// A folder with one story, three readers, a files target and a `[serve]` section allowing
/// `rate` requests a second; its configuration, after one `run` has sent the slot.
fn prepared(dir: &Path, rate: u32) -> PathBuf {
    prepared_on(dir, rate, "state.db", &[])
}

/// As [`prepared`], with the state `state` (a file or a PostgreSQL URL) and more environment
/// for the commands.
fn prepared_on(dir: &Path, rate: u32, state: &str, env: &[(&str, &str)]) -> PathBuf {
    std::fs::create_dir_all(dir.join("wire")).unwrap();
    std::fs::write(
        dir.join("wire/rain.txt"),
        "Heavy rain flooded parts of Dhaka on Wednesday. Traffic stopped on main roads.\n\
         Source: Newsdesk\nBDST: 1347 HRS, APR 23, 2025\n",
    )
    .unwrap();
    let mut csv = String::from("address,locale,tz\n");
    for reader in READERS {
        csv.push_str(&format!("{reader},en,Asia/Dhaka\n"));
    }
    std::fs::write(dir.join("readers.csv"), csv).unwrap();
    let config = format!(
        r#"state = "{state}"

[serve]
listen = "127.0.0.1:0"
token_env = "{TOKEN_ENV}"
rate = {rate}

[[source]]
name = "desk"
path = "wire"
country = "BD"

[[target]]
name = "spool"
kind = "files"
dir = "spool"

[[bulletin]]
name = "hourly"
channel = "sms"
sources = ["desk"]
schedule = "0 * * * *"
stories = 1
since = "2h"
subscribers = "readers.csv"
target = "spool"
"#
    );
    let path = dir.join("newsdigest.toml");
    std::fs::write(&path, config).unwrap();
    newsdigest(&path, &["run", "--now", "2025-04-23T08:00:30Z"], env);
    path
}

/// `newsdigest ARGS --config CONFIG` with `env`, which must succeed; its stdout.
fn newsdigest(config: &Path, args: &[&str], env: &[(&str, &str)]) -> Vec<u8> {
    let run = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(args)
        .arg("--config")
        .arg(config)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    run.stdout
}

/// One message's address, delivery and (part, status) reports.
type Delivered = (String, Value, Vec<(u64, String)>);

/// Every message's delivery and part reports, by address.
fn deliveries(config: &Path) -> Vec<Delivered> {
    deliveries_with(config, &[])
}

fn deliveries_with(config: &Path, env: &[(&str, &str)]) -> Vec<Delivered> {
    let output = newsdigest(config, &["history", "--full", "--format", "json"], env);
    let rows: Vec<Value> = serde_json::from_slice(&output).unwrap();
    let mut found: Vec<_> = rows
        .iter()
        .map(|row| {
            let parts = row["parts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    let part = p["part"].as_u64().unwrap();
                    (part, p["status"].as_str().unwrap().to_string())
                })
                .collect();
            let address = row["address"].as_str().unwrap().to_string();
            (address, row["delivery"].clone(), parts)
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// How far along a part status is (as the reports' order goes).
fn rank(status: &str) -> u8 {
    match status {
        "buffered" => 1,
        "accepted" => 2,
        _ => 3,
    }
}

fn dlr(serve: &Serve, query: &str) -> (u16, String) {
    request(
        "GET",
        &format!("{}/kannel/dlr?{query}", serve.url),
        None,
        None,
    )
    .expect("serve answers")
}

/// Sends raw bytes on a new connection and returns the status of the answer (0: none).
fn raw(serve: &Serve, bytes: &[u8]) -> u16 {
    let address = serve.url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    // The server may answer and close before reading everything: a write error is fine.
    let _ = stream.write_all(bytes);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer);
    text.split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

#[test]
fn hostile_callbacks_change_nothing_and_reports_never_go_backwards() {
    let dir = tempfile::tempdir().unwrap();
    let config = prepared(dir.path(), 10_000);
    let serve = Serve::start(&config);
    let before = deliveries(&config);
    let token = format!("token={TOKEN}");

    // No token, a wrong one, one of another length: 403, nothing recorded.
    for query in [
        "msg=1&part=1&type=1".to_string(),
        "token=wrong&msg=1&part=1&type=1".to_string(),
        format!("token={TOKEN}x&msg=1&part=1&type=1"),
        format!("token={}&msg=1&part=1&type=1", &TOKEN[..TOKEN.len() - 1]),
    ] {
        assert_eq!(dlr(&serve, &query).0, 403, "{query}");
    }
    let bearer = format!("Bearer {TOKEN}x");
    let webhook = format!("{}/webhook/status", serve.url);
    let body = br#"{"id": 1, "status": "delivered"}"#;
    let wrong = request(
        "POST",
        &webhook,
        Some(("application/json", body)),
        Some(&bearer),
    );
    assert_eq!(wrong.unwrap().0, 403);
    assert_eq!(deliveries(&config), before, "nothing changed");

    // Unknown messages, parts and types; bad numbers.
    assert_eq!(
        dlr(&serve, &format!("{token}&msg=999&part=1&type=1")).0,
        404
    );
    assert_eq!(dlr(&serve, &format!("{token}&msg=1&part=2&type=1")).0, 400);
    assert_eq!(dlr(&serve, &format!("{token}&msg=1&part=0&type=1")).0, 400);
    assert_eq!(dlr(&serve, &format!("{token}&msg=1&part=1&type=3")).0, 400);
    assert_eq!(dlr(&serve, &format!("{token}&msg=x&part=1&type=1")).0, 400);
    assert_eq!(dlr(&serve, &format!("{token}&msg=-1&part=1&type=1")).0, 400);
    assert_eq!(
        dlr(
            &serve,
            &format!("{token}&msg=1&part=1&type=1&to=%2B15550000000")
        )
        .0,
        404
    );
    assert_eq!(deliveries(&config), before, "nothing changed");

    // Delivered, then a late SMSC acceptance, a repeat and a contrary report: still delivered.
    for (kind, status) in [(1, 200), (8, 200), (1, 200), (2, 200), (4, 200)] {
        let query = format!("{token}&msg=1&part=1&type={kind}&reply=late%0D%0Aheader");
        assert_eq!(dlr(&serve, &query).0, status, "type {kind}");
    }
    let after = deliveries(&config);
    assert_eq!(after[0].1, "delivered", "{after:?}");
    assert_eq!(after[0].2, [(1, "delivered".to_string())]);

    // A webhook receiver's status callback, with the token as a bearer.
    let bearer = format!("Bearer {TOKEN}");
    let status = br#"{"id": 2, "status": "failed", "reason": "absent subscriber"}"#;
    let answer = request(
        "POST",
        &webhook,
        Some(("application/json", status)),
        Some(&bearer),
    );
    assert_eq!(answer.unwrap().0, 200);
    let bad = request(
        "POST",
        &webhook,
        Some(("application/json", b"{not json")),
        Some(&bearer),
    );
    assert_eq!(bad.unwrap().0, 400);
    let unknown = br#"{"id": 2, "status": "teleported"}"#;
    let answer = request(
        "POST",
        &webhook,
        Some(("application/json", unknown)),
        Some(&bearer),
    );
    assert_eq!(answer.unwrap().0, 400);
    let after = deliveries(&config);
    assert_eq!(after[1].1, "failed", "{after:?}");

    // Routes and methods.
    assert_eq!(
        request("GET", &format!("{}/nowhere", serve.url), None, None)
            .unwrap()
            .0,
        404
    );
    assert_eq!(
        request("GET", &webhook, None, Some(&bearer)).unwrap().0,
        405
    );
    assert_eq!(
        request("GET", &format!("{}/health", serve.url), None, None)
            .unwrap()
            .0,
        200
    );

    // Oversized and malformed requests are refused without being read into memory.
    let megabyte = vec![b'x'; 1 << 20];
    let big = request(
        "POST",
        &webhook,
        Some(("application/json", &megabyte)),
        Some(&bearer),
    );
    assert_eq!(big.map(|answer| answer.0).unwrap_or(413), 413);
    let mut chunked =
        b"POST /webhook/status HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\
                        100000\r\n"
            .to_vec();
    chunked.extend_from_slice(&megabyte);
    assert_eq!(raw(&serve, &chunked), 411);
    let mut long_headers = b"GET /health HTTP/1.1\r\n".to_vec();
    for n in 0..500 {
        long_headers.extend_from_slice(format!("X-Filler-{n}: {}\r\n", "y".repeat(40)).as_bytes());
    }
    long_headers.extend_from_slice(b"\r\n");
    assert_eq!(raw(&serve, &long_headers), 431);
    assert_eq!(raw(&serve, b"NONSENSE\r\n\r\n"), 400);
    assert_eq!(
        raw(
            &serve,
            b"GET /health HTTP/1.1\r\nContent-Length: -5\r\n\r\n"
        ),
        400
    );

    // Idle connections do not stop others from being served.
    let idle: Vec<TcpStream> = (0..20)
        .map(|_| TcpStream::connect(serve.url.trim_start_matches("http://")).unwrap())
        .collect();
    assert_eq!(dlr(&serve, &format!("{token}&msg=3&part=1&type=8")).0, 200);
    drop(idle);

    let (code, summary, log) = serve.stop();
    assert_eq!(code, Some(0), "{log}");
    assert!(summary["forbidden"].as_u64().unwrap() >= 5, "{summary}");
    assert!(!log.contains("panicked"), "{log}");
}

#[test]
fn a_flood_of_a_thousand_requests_a_second_is_answered_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let config = prepared(dir.path(), 100_000);
    let mut serve = Serve::start(&config);
    let token = format!("token={TOKEN}");
    // Message 1 delivered before the flood: no report in it may undo that.
    assert_eq!(dlr(&serve, &format!("{token}&msg=1&part=1&type=1")).0, 200);
    let before = deliveries(&config);

    let answered = Arc::new(AtomicU64::new(0));
    let unanswered = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let seconds = 5;
    let threads = 8;
    let per_thread_each_second = 1000 / threads;
    std::thread::scope(|scope| {
        for thread in 0..threads {
            let (answered, unanswered, url) = (&answered, &unanswered, &serve.url);
            let token = &token;
            scope.spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(10)))
                    .build()
                    .into();
                let total = per_thread_each_second * seconds;
                for n in 0..total {
                    // Paced: request n leaves at n / rate seconds.
                    let due = Duration::from_secs_f64(n as f64 / per_thread_each_second as f64);
                    if let Some(wait) = due.checked_sub(started.elapsed()) {
                        std::thread::sleep(wait);
                    }
                    let kinds = [1, 2, 4, 8, 16];
                    let query = match (n + thread) % 5 {
                        0 => "kannel/dlr?token=wrong&msg=1&part=1&type=2".to_string(),
                        1 => format!("kannel/dlr?{token}&msg={}&part=1&type=1", 1000 + n),
                        2 => format!("kannel/mo?{token}&from=%2B8801711999999&text=hello"),
                        _ => format!(
                            "kannel/dlr?{token}&msg={}&part=1&type={}",
                            1 + n % 3,
                            kinds[(n / 3) % 5]
                        ),
                    };
                    match agent.get(&format!("{url}/{query}")).call() {
                        Ok(_) => answered.fetch_add(1, Ordering::Relaxed),
                        Err(_) => unanswered.fetch_add(1, Ordering::Relaxed),
                    };
                }
            });
        }
    });
    let elapsed = started.elapsed().as_secs_f64();
    let answered = answered.load(Ordering::Relaxed);
    assert!(serve.alive(), "serve survived the flood");
    let peak = serve.peak_rss_kib();
    println!(
        "flood: {answered} requests answered in {elapsed:.1} s ({:.0}/s), {} unanswered; \
         serve's peak RSS {} KiB",
        answered as f64 / elapsed,
        unanswered.load(Ordering::Relaxed),
        peak
    );
    assert_eq!(
        unanswered.load(Ordering::Relaxed),
        0,
        "every request answered"
    );
    assert_eq!(
        answered,
        (per_thread_each_second * seconds * threads) as u64
    );
    assert!(peak < 100 * 1024, "peak RSS {peak} KiB");

    let after = deliveries(&config);
    assert_eq!(
        after[0].1, "delivered",
        "message 1 stays delivered: {after:?}"
    );
    for ((_, _, parts_before), (address, _, parts_after)) in before.iter().zip(&after) {
        for (part, status) in parts_before {
            let now = parts_after.iter().find(|(p, _)| p == part).unwrap();
            assert!(
                rank(&now.1) >= rank(status),
                "{address} part {part}: {status} -> {}",
                now.1
            );
        }
    }
    assert_eq!(
        request("GET", &format!("{}/health", serve.url), None, None)
            .unwrap()
            .0,
        200
    );
    let (code, summary, log) = serve.stop();
    assert_eq!(code, Some(0), "{log}");
    assert_eq!(summary["opted_out"], 0, "{summary}");
}

#[test]
fn one_address_over_the_rate_is_told_to_wait() {
    let dir = tempfile::tempdir().unwrap();
    let config = prepared(dir.path(), 5);
    let serve = Serve::start(&config);
    let statuses: Vec<u16> = (0..30)
        .map(|_| {
            request("GET", &format!("{}/health", serve.url), None, None)
                .unwrap()
                .0
        })
        .collect();
    let limited = statuses.iter().filter(|&&s| s == 429).count();
    assert!(
        statuses[..10].iter().all(|&s| s == 200),
        "a burst of twice the rate: {statuses:?}"
    );
    assert!(limited >= 15, "{statuses:?}");
    let (code, summary, _) = serve.stop();
    assert_eq!(code, Some(0));
    assert_eq!(
        summary["limited"].as_u64().unwrap() as usize,
        limited,
        "{summary}"
    );
}

#[test]
fn reports_and_stops_are_recorded_on_a_postgresql_state() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    cluster.create_database("serve");
    let env = [("PGPASSWORD", PASSWORD)];
    let dir = tempfile::tempdir().unwrap();
    let config = prepared_on(dir.path(), 1000, &cluster.url("serve"), &env);
    let serve = Serve::start_with(&config, &env);
    let token = format!("token={TOKEN}");
    for kind in [1, 8] {
        assert_eq!(
            dlr(&serve, &format!("{token}&msg=1&part=1&type={kind}")).0,
            200
        );
    }
    assert_eq!(
        dlr(&serve, &format!("{token}&msg=2&part=1&type=2&reply=absent")).0,
        200
    );
    let found = deliveries_with(&config, &env);
    assert_eq!(
        (&found[0].1, &found[1].1),
        (&"delivered".into(), &"failed".into())
    );
    let stop = format!(
        "{}/kannel/mo?{token}&from=%2B8801711000003&text=Stop",
        serve.url
    );
    assert_eq!(request("GET", &stop, None, None).unwrap().0, 200);
    // The next slot skips the reader who stopped.
    std::fs::write(
        dir.path().join("wire/more.txt"),
        "Schools reopened in Sylhet on Thursday after the floods. Classes resumed in 40 schools.\n\
         Source: Newsdesk\nBDST: 1447 HRS, APR 23, 2025\n",
    )
    .unwrap();
    newsdigest(&config, &["run", "--now", "2025-04-23T09:00:30Z"], &env);
    let history = newsdigest(&config, &["history", "--full", "--format", "json"], &env);
    let rows: Vec<Value> = serde_json::from_slice(&history).unwrap();
    let stopped = rows
        .iter()
        .find(|row| row["slot"] == "2025-04-23T09:00:00Z" && row["address"] == READERS[2])
        .unwrap();
    assert_eq!(
        (&stopped["status"], &stopped["answer"]),
        (&"skipped".into(), &"opted out".into())
    );
    let (code, summary, log) = serve.stop();
    assert_eq!(code, Some(0), "{log}");
    let counts = (
        &summary["reports"],
        &summary["stale_reports"],
        &summary["opted_out"],
    );
    assert_eq!(
        counts,
        (&2.into(), &1.into(), &1.into()),
        "the late accept is stale: {summary}"
    );
}
