//! The `smtp` gateway against a real SMTP server: Python's aiosmtpd (`python3 -m aiosmtpd`,
//! Debian package python3-aiosmtpd) on 127.0.0.1, with a small handler written to the test's
//! temporary folder that saves each message to a Maildir, counts connections (EHLO), answers
//! `550` for `nosuch@` recipients and `451` for `busy@` ones.
//!
//! Where python3 with aiosmtpd is missing the tests fail under CI (`CI` set: `.ci/run` installs
//! it) and elsewhere print a visible skip line.

mod support;

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use newsdigest::bulletin::config::{SmtpSecurity, TargetConfig, TargetKind};
use newsdigest::bulletin::deliver::mail::{MailSettings, message_bytes, stable_message_id};
use newsdigest::bulletin::deliver::smtp::SmtpGateway;
use newsdigest::bulletin::deliver::{Gateway, Outcome};
use newsdigest::bulletin::outbox::{Content, Message, Render};
use std::env::VarError;
use support::smtp::{Server, free_port, python};

/// The packaged aiosmtpd test certificate and key (self-signed: no client trusts it).
fn test_certificate(python: &str) -> (PathBuf, PathBuf) {
    let output = Command::new(python)
        .args([
            "-c",
            "import aiosmtpd, os; print(os.path.dirname(aiosmtpd.__file__))",
        ])
        .output()
        .unwrap();
    let dir = Path::new(String::from_utf8(output.stdout).unwrap().trim()).join("tests/certs");
    let pair = (dir.join("server.crt"), dir.join("server.key"));
    assert!(
        pair.0.exists() && pair.1.exists(),
        "no test certificate in {}",
        dir.display()
    );
    pair
}

fn target(port: u16, security: SmtpSecurity) -> TargetConfig {
    TargetConfig {
        name: "relay".into(),
        kind: TargetKind::Smtp,
        dir: None,
        url: None,
        from: None,
        username_env: None,
        password_env: None,
        token_env: None,
        host: Some("127.0.0.1".into()),
        port: Some(port),
        security,
        command: None,
        rate: None,
        concurrency: Some(2),
        batch: None,
        timeout: Some(5),
        report_url: None,
        report_token_env: None,
    }
}

fn settings() -> HashMap<String, MailSettings> {
    let settings = MailSettings {
        from: "Desk News <news@desk.example>".parse().unwrap(),
        unsubscribe: Some("https://desk.example/leave?list=morning".into()),
    };
    HashMap::from([("morning".to_string(), settings)])
}

fn render(locale: &str, subject: &str, text: &str) -> Arc<Render> {
    Arc::new(Render {
        locale: locale.into(),
        zone: "Asia/Dhaka".into(),
        content: Content::Email {
            subject: subject.into(),
            text: text.into(),
            html: format!("<p>{text}</p>"),
        },
    })
}

fn message(id: i64, address: &str, name: Option<&str>, render: &Arc<Render>) -> Message {
    Message {
        id,
        bulletin: "morning".into(),
        slot: "2025-04-23T01:00:00Z".parse().unwrap(),
        address: address.into(),
        name: name.map(str::to_string),
        target: "relay".into(),
        attempts: 0,
        render: Arc::clone(render),
        quiet: None,
    }
}

fn header(mail: &mailparse::ParsedMail<'_>, name: &str) -> String {
    mail.headers
        .iter()
        .find(|h| h.get_key().eq_ignore_ascii_case(name))
        .unwrap_or_else(|| panic!("no {name} header"))
        .get_value()
}

/// The single `To` mailbox: (display name, address).
fn recipient(mail: &mailparse::ParsedMail<'_>) -> (Option<String>, String) {
    let to = mail.headers.iter().find(|h| h.get_key() == "To").unwrap();
    match &mailparse::addrparse_header(to).unwrap()[..] {
        [mailparse::MailAddr::Single(single)] => (single.display_name.clone(), single.addr.clone()),
        other => panic!("one mailbox, not {other:?}"),
    }
}

/// Three subscribers in three languages: (message, subject, text).
fn subscribers() -> Vec<(Message, &'static str, &'static str)> {
    let cases = [
        (
            "en",
            "ada@readers.example",
            Some("Ada Lovelace"),
            "Rain in Dhaka",
            "Heavy rain is expected.",
        ),
        (
            "bn",
            "rahim@readers.example",
            Some("রহিম উদ্দিন"),
            "ঢাকায় ভারী বৃষ্টি",
            "আজ ভারী বৃষ্টি হতে পারে।",
        ),
        (
            "ar",
            "layla@readers.example",
            None,
            "أمطار غزيرة في دكا",
            "يتوقع هطول أمطار غزيرة.",
        ),
    ];
    cases
        .into_iter()
        .enumerate()
        .map(|(i, (locale, address, name, subject, text))| {
            let render = render(locale, subject, text);
            (message(i as i64, address, name, &render), subject, text)
        })
        .collect()
}

#[test]
fn three_subscribers_each_get_their_own_message_over_one_connection() {
    let Some(python) = python() else { return };
    let server = Server::start(&python, &[]);
    let gateway = SmtpGateway::open(&target(server.port, SmtpSecurity::None), settings()).unwrap();
    let cases = subscribers();
    for (message, _, _) in &cases {
        let outcomes = gateway.send(&[message]);
        assert_eq!(outcomes.len(), 1);
        match &outcomes[0] {
            Outcome::Sent(reply) => {
                assert!(reply.starts_with("250 2.0.0 OK queued as "), "{reply}")
            }
            other => panic!("{}: {other:?}: {}", message.address, server.log()),
        }
    }
    assert_eq!(server.connections(), 1, "one connection reused for the run");
    let stored = server.messages();
    assert_eq!(stored.len(), 3);
    for (message, subject, text) in &cases {
        let matching: Vec<_> = stored
            .iter()
            .map(|bytes| mailparse::parse_mail(bytes).unwrap())
            .filter(|mail| header(mail, "X-Envelope-To") == message.address)
            .collect();
        assert_eq!(matching.len(), 1, "{}", message.address);
        let mail = &matching[0];
        assert_eq!(header(mail, "X-Envelope-From"), "news@desk.example");
        assert_eq!(
            recipient(mail),
            (message.name.clone(), message.address.clone())
        );
        assert_eq!(header(mail, "From"), "\"Desk News\" <news@desk.example>");
        assert_eq!(header(mail, "Subject"), *subject);
        assert_eq!(header(mail, "Date"), "Wed, 23 Apr 2025 01:00:00 +0000");
        let id = stable_message_id(message, "desk.example");
        assert_eq!(header(mail, "Message-ID"), id);
        let again = mailparse::parse_mail(&message_bytes(message, &settings()["morning"]).unwrap())
            .map(|rebuilt| header(&rebuilt, "Message-ID"))
            .unwrap();
        assert_eq!(again, id, "the same Message-ID when built again");
        assert_eq!(
            header(mail, "List-Unsubscribe"),
            "<https://desk.example/leave?list=morning>"
        );
        assert_eq!(
            header(mail, "List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click"
        );
        assert_eq!(mail.ctype.mimetype, "multipart/alternative");
        assert_eq!(mail.subparts.len(), 2);
        assert_eq!(mail.subparts[0].ctype.mimetype, "text/plain");
        assert_eq!(mail.subparts[0].get_body().unwrap().trim_end(), *text);
        assert_eq!(mail.subparts[1].ctype.mimetype, "text/html");
        assert_eq!(
            mail.subparts[1].get_body().unwrap().trim_end(),
            format!("<p>{text}</p>")
        );
    }
}

#[test]
fn refusals_fail_or_wait_by_reply_class() {
    let Some(python) = python() else { return };
    let server = Server::start(&python, &[]);
    let gateway = SmtpGateway::open(&target(server.port, SmtpSecurity::None), settings()).unwrap();
    let render = render("en", "Rain", "Heavy rain.");
    let nosuch = message(1, "nosuch@readers.example", None, &render);
    let busy = message(2, "busy@readers.example", None, &render);
    let good = message(3, "ada@readers.example", None, &render);
    let outcomes = gateway.send(&[&nosuch]);
    assert_eq!(
        outcomes,
        [Outcome::Failed(
            "550 5.1.1 <nosuch@readers.example>: Recipient address rejected: no such user".into()
        )]
    );
    let outcomes = gateway.send(&[&busy]);
    assert_eq!(
        outcomes,
        [Outcome::RetryLater(
            "451 4.3.0 <busy@readers.example>: mailbox busy, try again later".into()
        )]
    );
    let outcomes = gateway.send(&[&good]);
    assert!(matches!(&outcomes[0], Outcome::Sent(_)), "{outcomes:?}");
    let stored = server.messages();
    assert_eq!(stored.len(), 1, "only the accepted message is stored");
    let mail = mailparse::parse_mail(&stored[0]).unwrap();
    assert_eq!(header(&mail, "To"), "ada@readers.example");
}

#[test]
fn a_server_that_is_down_is_retried() {
    let port = free_port();
    let gateway = SmtpGateway::open(&target(port, SmtpSecurity::None), settings()).unwrap();
    let render = render("en", "Rain", "Heavy rain.");
    let outcomes = gateway.send(&[&message(1, "ada@readers.example", None, &render)]);
    match &outcomes[..] {
        [Outcome::RetryLater(why)] => assert!(why.contains("Connection refused"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_server_that_never_answers_is_retried_after_the_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut config = target(port, SmtpSecurity::None);
    config.timeout = Some(1);
    let gateway = SmtpGateway::open(&config, settings()).unwrap();
    let render = render("en", "Rain", "Heavy rain.");
    let started = Instant::now();
    let outcomes = gateway.send(&[&message(1, "ada@readers.example", None, &render)]);
    let took = started.elapsed();
    assert_eq!(
        outcomes,
        [Outcome::RetryLater(
            "no answer from the server within 1 s".into()
        )]
    );
    assert!(took < Duration::from_secs(5), "took {took:?}");
    drop(listener);
}

#[test]
fn required_starttls_against_a_plain_server_is_retried_and_sends_nothing() {
    let Some(python) = python() else { return };
    let server = Server::start(&python, &[]);
    let gateway =
        SmtpGateway::open(&target(server.port, SmtpSecurity::Starttls), settings()).unwrap();
    let render = render("en", "Rain", "Heavy rain.");
    let outcomes = gateway.send(&[&message(1, "ada@readers.example", None, &render)]);
    match &outcomes[..] {
        [Outcome::RetryLater(why)] => assert!(why.contains("STARTTLS"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(server.messages().is_empty());
}

#[test]
fn an_untrusted_certificate_is_retried_and_sends_nothing() {
    let Some(python) = python() else { return };
    let (cert, key) = test_certificate(&python);
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());
    let starttls = Server::start(&python, &["--tlscert", cert, "--tlskey", key]);
    let implicit = Server::start(&python, &["--smtpscert", cert, "--smtpskey", key]);
    let render = render("en", "Rain", "Heavy rain.");
    let message = message(1, "ada@readers.example", None, &render);
    for (server, security) in [
        (&starttls, SmtpSecurity::Starttls),
        (&implicit, SmtpSecurity::Tls),
    ] {
        let gateway = SmtpGateway::open(&target(server.port, security), settings()).unwrap();
        match &gateway.send(&[&message])[..] {
            [Outcome::RetryLater(why)] => {
                assert!(
                    why.to_lowercase().contains("certificate"),
                    "{security:?}: {why}"
                )
            }
            other => panic!("{security:?}: {other:?}"),
        }
        assert!(server.messages().is_empty());
    }
}

#[test]
fn concurrent_sends_share_the_pool() {
    let Some(python) = python() else { return };
    let server = Server::start(&python, &[]);
    let gateway = SmtpGateway::open(&target(server.port, SmtpSecurity::None), settings()).unwrap();
    let render = render("en", "Rain", "Heavy rain.");
    let messages: Vec<Message> = (0..8)
        .map(|i| message(i, &format!("reader{i}@readers.example"), None, &render))
        .collect();
    std::thread::scope(|scope| {
        for half in messages.chunks(4) {
            let gateway = &gateway;
            scope.spawn(move || {
                for message in half {
                    let outcomes = gateway.send(&[message]);
                    assert!(matches!(&outcomes[..], [Outcome::Sent(_)]), "{outcomes:?}");
                }
            });
        }
    });
    assert_eq!(server.messages().len(), 8);
    let connections = server.connections();
    assert!((1..=2).contains(&connections), "{connections} connections");
}

#[test]
fn credentials_from_the_environment_log_in_and_a_refused_login_is_retried() {
    let Some(python) = python() else { return };
    let server = Server::start_authenticating(&python);
    let mut config = target(server.port, SmtpSecurity::None);
    config.username_env = Some("ND_SMTP_USER".into());
    config.password_env = Some("ND_SMTP_PASSWORD".into());
    let render = render("en", "Rain", "Heavy rain.");
    let message = message(1, "ada@readers.example", None, &render);
    for (password, sent) in [("s3cret", true), ("wrong", false)] {
        let env = |name: &str| match name {
            "ND_SMTP_USER" => Ok("desk".to_string()),
            "ND_SMTP_PASSWORD" => Ok(password.to_string()),
            _ => Err(VarError::NotPresent),
        };
        let gateway = SmtpGateway::open_with_env(&config, settings(), env).unwrap();
        let outcomes = gateway.send(&[&message]);
        match (&outcomes[..], sent) {
            ([Outcome::Sent(_)], true) => {}
            ([Outcome::RetryLater(why)], false) => {
                assert!(why.starts_with("535 "), "{why}");
                assert!(!why.contains(password), "{why}");
            }
            (other, _) => panic!("{password}: {other:?}: {}", server.log()),
        }
    }
    assert_eq!(server.messages().len(), 1);
}
