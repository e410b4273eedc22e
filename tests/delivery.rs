//! `newsdigest run` delivering through real gateways started by the test on 127.0.0.1: Kannel
//! (bearerbox, smsbox, fakesmsc as the SMSC: `support/kannel.rs`) and an SMTP server (aiosmtpd:
//! `support/smtp.rs`). What arrives is compared with what `newsdigest count` computes for the text.

mod support;

use std::path::Path;
use std::process::{Command, Stdio};

use support::kannel::{Kannel, PASSWORD, USERNAME};
use support::smtp::{Server, python};

/// A configuration folder with one sample article as the wire and three subscribers.
fn setup(sample: &str, target: &str, bulletin: &str, subscribers: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("wire")).unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    std::fs::copy(samples.join(sample), dir.path().join("wire").join(sample)).unwrap();
    std::fs::write(dir.path().join("subscribers.csv"), subscribers).unwrap();
    let config = format!(
        "state = \"state.db\"\n\n[[source]]\nname = \"desk\"\npath = \"wire\"\ncountry = \"BD\"\n\n\
         {target}\n\n{bulletin}\nsources = [\"desk\"]\nschedule = \"0 7 * * *\"\nzone = \"Asia/Dhaka\"\n\
         since = \"48h\"\nsubscribers = \"subscribers.csv\"\ntarget = \"out\"\n"
    );
    std::fs::write(dir.path().join("newsdigest.toml"), config).unwrap();
    dir
}

/// Runs `newsdigest ARGS` with only `env` in the environment; returns stdout.
fn newsdigest(args: &[&str], env: &[(&str, &str)]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(args)
        .env_clear()
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "newsdigest {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn kannel_target(kannel: &Kannel) -> String {
    format!(
        "[[target]]\nname = \"out\"\nkind = \"kannel\"\nurl = \"{}\"\nfrom = \"NEWS\"\n\
         username_env = \"KANNEL_USER\"\npassword_env = \"KANNEL_PASSWORD\"\nbatch = 3",
        kannel.sendsms_url()
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

const SUBSCRIBERS_BN: &str = "address,locale,tz\n01711-000001,bn,Asia/Dhaka\n01811-000002,bn,Asia/Dhaka\n01911-000003,bn,Asia/Dhaka\n";

#[test]
fn a_bengali_two_segment_bulletin_arrives_as_the_parts_count_computed() {
    let Some(kannel) = Kannel::start() else {
        return;
    };
    let bulletin = "[[bulletin]]\nname = \"morning\"\nchannel = \"sms\"\nmax_segments = 2";
    let dir = setup(
        "bn-dhaka-rain.txt",
        &kannel_target(&kannel),
        bulletin,
        SUBSCRIBERS_BN,
    );
    let config = dir.path().join("newsdigest.toml");
    let config = config.to_str().unwrap();
    let env = [("KANNEL_USER", USERNAME), ("KANNEL_PASSWORD", PASSWORD)];
    newsdigest(
        &["run", "--config", config, "--now", "2025-04-23T09:00:00Z"],
        &env,
    );
    let received = kannel.wait_for(6);
    assert_eq!(received.len(), 6, "{}", kannel.logs());
    for to in ["+8801711000001", "+8801811000002", "+8801911000003"] {
        let parts: Vec<_> = received.iter().filter(|r| r.to == to).collect();
        assert_eq!(parts.len(), 2, "{to}: {parts:?}");
        // The text the reader sees, from the UCS-2 payloads; `count` of it must give these parts.
        let units: Vec<u16> = parts
            .iter()
            .flat_map(|p| p.data.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])))
            .collect();
        let text = String::from_utf16(&units).unwrap();
        let count: serde_json::Value =
            serde_json::from_str(&newsdigest(&["count", "--format", "json", &text], &[])).unwrap();
        assert_eq!(count["encoding"], "ucs2");
        assert_eq!(count["segments"], 2, "{count}");
        for (part, counted) in parts.iter().zip(count["parts"].as_array().unwrap()) {
            assert_eq!(part.kind, "udh", "{}", part.line);
            assert_eq!(
                hex(&part.udh),
                counted["udh"].as_str().unwrap().to_lowercase()
            );
            assert_eq!(
                hex(&part.data),
                counted["payload"].as_str().unwrap().to_lowercase()
            );
        }
    }
    assert!(
        kannel.sent().iter().all(|sent| sent.coding == 2),
        "{:?}",
        kannel.sent()
    );
    let history = newsdigest(&["history", "--config", config, "--format", "json"], &[]);
    let history: Vec<serde_json::Value> = serde_json::from_str(&history).unwrap();
    assert_eq!(history.len(), 3);
    assert!(
        history.iter().all(|row| row["status"] == "sent"),
        "{history:?}"
    );
}

#[test]
fn an_english_bulletin_arrives_as_gsm7() {
    let Some(kannel) = Kannel::start() else {
        return;
    };
    let bulletin = "[[bulletin]]\nname = \"morning\"\nchannel = \"sms\"\nmax_segments = 1";
    let subscribers =
        "address,locale,tz\n01711-000001,en,Asia/Dhaka\n01811-000002,en,Europe/London\n";
    let dir = setup(
        "en-flood-sylhet.txt",
        &kannel_target(&kannel),
        bulletin,
        subscribers,
    );
    let config = dir.path().join("newsdigest.toml");
    let env = [("KANNEL_USER", USERNAME), ("KANNEL_PASSWORD", PASSWORD)];
    newsdigest(
        &[
            "run",
            "--config",
            config.to_str().unwrap(),
            "--now",
            "2025-04-23T09:00:00Z",
        ],
        &env,
    );
    let received = kannel.wait_for(2);
    assert_eq!(received.len(), 2, "{}", kannel.logs());
    for part in &received {
        assert_eq!(part.kind, "text", "{}", part.line);
        let text = String::from_utf8(part.data.clone()).unwrap();
        assert!(text.starts_with("Newsdesk Apr 23 "), "{text}");
    }
    assert!(
        kannel.sent().iter().all(|sent| sent.coding == 0),
        "{:?}",
        kannel.sent()
    );
}

#[test]
fn an_email_bulletin_reaches_each_subscriber_once_through_smtp() {
    let Some(python) = python() else {
        return;
    };
    let server = Server::start(&python, &[]);
    let target = format!(
        "[[target]]\nname = \"out\"\nkind = \"smtp\"\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"",
        server.port
    );
    let bulletin = "[[bulletin]]\nname = \"evening\"\nchannel = \"email\"\n\
                    from = \"Newsdesk <desk@news.example>\"\nunsubscribe = \"https://news.example/u\"\n\
                    any_language = true";
    let subscribers = "address,locale,tz,name\nreader@example.com,en,Europe/London,A. Reader\n\
                       pathok@example.com,bn,Asia/Dhaka,\nqari@example.com,ar,Asia/Dubai,\n";
    let dir = setup("en-flood-sylhet.txt", &target, bulletin, subscribers);
    let config = dir.path().join("newsdigest.toml");
    let config = config.to_str().unwrap();
    newsdigest(
        &["run", "--config", config, "--now", "2025-04-23T09:00:00Z"],
        &[],
    );
    let messages = server.messages();
    assert_eq!(messages.len(), 3, "{}", server.log());
    let mut recipients = Vec::new();
    for raw in &messages {
        let mail = mailparse::parse_mail(raw).unwrap();
        let to = mail
            .headers
            .iter()
            .find(|h| h.get_key() == "To")
            .unwrap()
            .get_value();
        let id = mail
            .headers
            .iter()
            .find(|h| h.get_key() == "Message-ID")
            .unwrap()
            .get_value();
        assert!(id.ends_with("@news.example>"), "{id}");
        let unsubscribe = mail
            .headers
            .iter()
            .any(|h| h.get_key() == "List-Unsubscribe");
        assert!(unsubscribe, "List-Unsubscribe");
        assert_eq!(mail.subparts.len(), 2, "text and HTML");
        recipients.push(to);
    }
    recipients.sort();
    assert_eq!(
        recipients,
        [
            "\"A. Reader\" <reader@example.com>",
            "pathok@example.com",
            "qari@example.com"
        ]
    );
    // A second run in the same slot sends nothing more.
    newsdigest(
        &["run", "--config", config, "--now", "2025-04-23T09:05:00Z"],
        &[],
    );
    assert_eq!(server.messages().len(), 3);
}
