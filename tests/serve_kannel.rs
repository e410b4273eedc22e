//! Delivery reports and STOP through a real Kannel (bearerbox, smsbox and `fakesmsc` as the SMSC;
//! see `support/kannel.rs`) and `newsdigest serve`: each part asks Kannel for reports
//! (`dlr-mask=27`) at serve's `/kannel/dlr`, and Kannel's `sms-service` hands readers' messages
//! to serve's `/kannel/mo`. The fake SMSC reports every part it takes (SMSC accepted, then
//! delivered) and injects readers' messages.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::kannel::{Kannel, PASSWORD, USERNAME};
use support::serve::{Serve, TOKEN, TOKEN_ENV, free_port};

const READERS: [&str; 3] = ["+8801711000001", "+8801711000002", "+8801711000003"];

/// A Bengali wire story of our own, dated `hhmm` Dhaka time on 23 April 2025, long enough for
/// two UCS-2 parts.
fn article(number: usize, hhmm: &str) -> String {
    let digits: String = hhmm
        .chars()
        .map(|c| char::from_u32(0x09E6 + c.to_digit(10).unwrap()).unwrap())
        .collect();
    format!(
        "খবর {number}: রাজধানীসহ দেশের বিভিন্ন এলাকায় বুধবার ভোর থেকে ভারী বৃষ্টি হয়েছে, এতে ঢাকার \
         অনেক সড়কে হাঁটুপানি জমে যানজট তৈরি হয়েছে বলে ট্রাফিক পুলিশ জানিয়েছে।\n\
         আবহাওয়া অধিদপ্তর জানিয়েছে, আগামী দুই দিন বৃষ্টি অব্যাহত থাকতে পারে।\n\
         সূত্র: বার্তাকক্ষ\n\
         বাংলাদেশ সময়: {digits} ঘণ্টা, এপ্রিল ২৩, ২০২৫\n"
    )
}

/// The folder with the wire, the subscribers and `newsdigest.toml`.
fn setup(dir: &Path, sendsms: &str, serve_port: u16) -> PathBuf {
    std::fs::create_dir_all(dir.join("wire")).unwrap();
    let mut csv = String::from("address,locale,tz\n");
    for reader in READERS {
        csv.push_str(&format!("{reader},bn,Asia/Dhaka\n"));
    }
    std::fs::write(dir.join("subscribers.csv"), csv).unwrap();
    let config = format!(
        r#"state = "state.db"

[serve]
listen = "127.0.0.1:{serve_port}"
token_env = "{TOKEN_ENV}"
reply_target = "kannel"
rate = 1000

[[source]]
name = "desk"
path = "wire"
country = "BD"
language = "bn"

[[target]]
name = "kannel"
kind = "kannel"
url = "{sendsms}"
from = "NEWS"
username_env = "NEWSDIGEST_KANNEL_USER"
password_env = "NEWSDIGEST_KANNEL_PASSWORD"
batch = 3
timeout = 10
report_url = "http://127.0.0.1:{serve_port}"
report_token_env = "{TOKEN_ENV}"

[[bulletin]]
name = "hourly"
channel = "sms"
sources = ["desk"]
schedule = "0 * * * *"
zone = "UTC"
stories = 1
max_segments = 2
since = "2h"
subscribers = "subscribers.csv"
target = "kannel"
"#
    );
    let path = dir.join("newsdigest.toml");
    std::fs::write(&path, config).unwrap();
    path
}

/// `newsdigest ARGS --config CONFIG` with the gateway's and serve's secrets; its stdout.
fn newsdigest(config: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(args)
        .arg("--config")
        .arg(config)
        .env(TOKEN_ENV, TOKEN)
        .env("NEWSDIGEST_KANNEL_USER", USERNAME)
        .env("NEWSDIGEST_KANNEL_PASSWORD", PASSWORD)
        .stdin(Stdio::null())
        .output()
        .expect("newsdigest runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "newsdigest {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The slot's history rows, by address.
fn history(config: &Path, slot: &str) -> Vec<Value> {
    let json = newsdigest(config, &["history", "--full", "--format", "json"]);
    let rows: Vec<Value> = serde_json::from_str(&json).unwrap();
    rows.into_iter().filter(|row| row["slot"] == slot).collect()
}

/// Waits (at most 30 s) until every row of `slot` for `readers` has delivery `delivered`.
fn wait_delivered(
    config: &Path,
    slot: &str,
    readers: &[&str],
    kannel: &Kannel,
    serve: &Serve,
) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let rows = history(config, slot);
        let delivered = readers.iter().all(|reader| {
            rows.iter()
                .any(|row| row["address"] == *reader && row["delivery"] == "delivered")
        });
        if delivered {
            return rows;
        }
        assert!(
            Instant::now() < deadline,
            "not every message of {slot} was reported delivered: {rows:#?}\n{}\n---- serve\n{}",
            kannel.logs(),
            serve.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Messages the fake SMSC received for `to`, from `first` on.
fn received_by(kannel: &Kannel, first: usize, to: &str) -> Vec<support::kannel::Received> {
    kannel.received()[first..]
        .iter()
        .filter(|message| message.to == to)
        .cloned()
        .collect()
}

/// UTF-16BE bytes as text.
fn utf16(data: &[u8]) -> String {
    let units: Vec<u16> = data
        .chunks(2)
        .map(|pair| u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]))
        .collect();
    String::from_utf16_lossy(&units)
}

/// Injects `text` from `reader` and waits (at most 20 s) for the one confirmation Kannel
/// delivers to them; returns its text.
fn confirmed(kannel: &mut Kannel, reader: &str, text: &str) -> String {
    let before = kannel.received().len();
    kannel.inject(reader, text);
    let deadline = Instant::now() + Duration::from_secs(20);
    while received_by(kannel, before, reader).is_empty() {
        assert!(
            Instant::now() < deadline,
            "no confirmation of {text:?} reached {reader}\n{}",
            kannel.logs()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // Any second answer would come within this time.
    std::thread::sleep(Duration::from_millis(700));
    let answers = received_by(kannel, before, reader);
    assert_eq!(answers.len(), 1, "one confirmation: {answers:#?}");
    utf16(&answers[0].data)
}

#[test]
fn a_two_part_bengali_bulletin_is_delivered_when_both_parts_are_and_stop_is_honoured() {
    let serve_port = free_port();
    let mo_url = format!(
        "http://127.0.0.1:{serve_port}/kannel/mo?token={TOKEN}&from=%p&to=%P&text=%b&coding=%c\
         &charset=%C"
    );
    let Some(mut kannel) = Kannel::start_serving(Some(&mo_url)) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = setup(dir.path(), &kannel.sendsms_url(), serve_port);
    let serve = Serve::start(&config);

    // Slot 1: two parts to each of three readers, batched in one request per part.
    std::fs::write(dir.path().join("wire/1.txt"), article(1, "1347")).unwrap();
    newsdigest(&config, &["run", "--now", "2025-04-23T08:00:30Z"]);
    let slot1 = "2025-04-23T08:00:00Z";
    let rows = wait_delivered(&config, slot1, &READERS, &kannel, &serve);
    assert_eq!(kannel.wait_for(6).len(), 6, "2 parts x 3 readers");
    for row in &rows {
        let parts: Vec<(u64, &str)> = row["parts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["part"].as_u64().unwrap(), p["status"].as_str().unwrap()))
            .collect();
        assert_eq!(
            parts,
            [(1, "delivered"), (2, "delivered")],
            "{}: delivered only with both parts' reports",
            row["address"]
        );
        assert_eq!(row["delivery_note"], "2 of 2 parts delivered");
    }

    // Two readers say STOP, one in English and one in Bengali (UCS-2): one confirmation each,
    // in their locale (Bengali: they are Bengali subscribers).
    let stop = confirmed(&mut kannel, READERS[0], "STOP");
    assert!(stop.contains("আর কোনো বার্তা পাঠানো হবে না"), "{stop}");
    let stop = confirmed(&mut kannel, READERS[1], "বন্ধ");
    assert!(stop.contains("আর কোনো বার্তা পাঠানো হবে না"), "{stop}");

    // Slot 2: only the third reader gets it; the others are recorded skipped.
    let before = kannel.received().len();
    std::fs::write(dir.path().join("wire/2.txt"), article(2, "1447")).unwrap();
    newsdigest(&config, &["run", "--now", "2025-04-23T09:00:30Z"]);
    let slot2 = "2025-04-23T09:00:00Z";
    let rows = wait_delivered(&config, slot2, &READERS[2..], &kannel, &serve);
    for reader in &READERS[..2] {
        let row = rows.iter().find(|row| row["address"] == *reader).unwrap();
        assert_eq!(row["status"], "skipped", "{row}");
        assert_eq!(row["answer"], "opted out", "{row}");
        assert!(received_by(&kannel, before, reader).is_empty(), "{reader}");
    }
    assert_eq!(received_by(&kannel, before, READERS[2]).len(), 2);

    // START brings the first reader back for slot 3.
    let start = confirmed(&mut kannel, READERS[0], "start");
    assert!(start.contains("আবার বার্তা পাবেন"), "{start}");
    let before = kannel.received().len();
    std::fs::write(dir.path().join("wire/3.txt"), article(3, "1547")).unwrap();
    newsdigest(&config, &["run", "--now", "2025-04-23T10:00:30Z"]);
    let slot3 = "2025-04-23T10:00:00Z";
    wait_delivered(&config, slot3, &[READERS[0], READERS[2]], &kannel, &serve);
    assert_eq!(received_by(&kannel, before, READERS[0]).len(), 2);
    assert!(received_by(&kannel, before, READERS[1]).is_empty());

    let status = newsdigest(&config, &["status", "--format", "json"]);
    let status: Value = serde_json::from_str(&status).unwrap();
    let hourly = &status["bulletins"][0];
    assert_eq!(hourly["delivered"], 6, "3 + 1 + 2: {hourly}");
    assert_eq!(hourly["opted_out"], 3, "{hourly}");
    assert_eq!(hourly["slots"][0]["delivered"], 2, "{hourly}");
    assert_eq!(hourly["slots"][0]["opted_out"], 1, "{hourly}");

    let (code, summary, log) = serve.stop();
    assert_eq!(code, Some(0), "a graceful stop on SIGTERM\n{log}");
    assert_eq!(summary["opted_out"], 2, "{summary}");
    assert_eq!(summary["opted_in"], 1, "{summary}");
    assert_eq!(summary["confirmations"], 3, "{summary}");
    assert_eq!(summary["forbidden"], 0, "{summary}");
}
