//! The `sendmail` gateway running a fake `sendmail`: a shell script in the test's temporary
//! folder that saves its arguments and standard input, writes a line to standard error and exits
//! with a chosen status, as Postfix's, Exim's or msmtp's `sendmail` would.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use newsdigest::bulletin::config::{SmtpSecurity, TargetConfig, TargetKind};
use newsdigest::bulletin::deliver::mail::{MailSettings, stable_message_id};
use newsdigest::bulletin::deliver::sendmail::SendmailGateway;
use newsdigest::bulletin::deliver::{Gateway, Outcome};
use newsdigest::bulletin::outbox::{Content, Message, Render};

/// Writes a fake sendmail to `dir` that runs `body` after saving its arguments (one a line) to
/// `args` and its standard input to `stdin`, both beside it.
fn fake_sendmail(dir: &Path, body: &str) -> PathBuf {
    let script = dir.join("sendmail");
    let text = format!(
        "#!/bin/sh\nhere=$(dirname \"$0\")\nprintf '%s\\n' \"$@\" > \"$here/args\"\ncat > \"$here/stdin\"\n{body}\n"
    );
    std::fs::write(&script, text).unwrap();
    script
}

/// A target running `sh SCRIPT EXTRA...` (through `sh`, so the script needs no exec bit).
fn target(script: &Path, extra: &[&str]) -> TargetConfig {
    let mut command = vec!["/bin/sh".to_string(), script.display().to_string()];
    command.extend(extra.iter().map(|arg| arg.to_string()));
    TargetConfig {
        name: "local".into(),
        kind: TargetKind::Sendmail,
        dir: None,
        url: None,
        from: None,
        username_env: None,
        password_env: None,
        token_env: None,
        host: None,
        port: None,
        security: SmtpSecurity::None,
        command: Some(command),
        rate: None,
        concurrency: None,
        batch: None,
        timeout: Some(5),
        report_url: None,
        report_token_env: None,
    }
}

fn settings() -> HashMap<String, MailSettings> {
    let settings = MailSettings {
        from: "Desk <news@desk.example>".parse().unwrap(),
        unsubscribe: None,
    };
    HashMap::from([("morning".to_string(), settings)])
}

fn message(address: &str) -> Message {
    Message {
        id: 1,
        bulletin: "morning".into(),
        slot: "2025-04-23T01:00:00Z".parse().unwrap(),
        address: address.into(),
        name: Some("রহিম".into()),
        target: "local".into(),
        attempts: 0,
        render: Arc::new(Render {
            locale: "bn".into(),
            zone: "Asia/Dhaka".into(),
            content: Content::Email {
                subject: "ঢাকায় ভারী বৃষ্টি".into(),
                text: "আজ ভারী বৃষ্টি হতে পারে।".into(),
                html: "<p>আজ ভারী বৃষ্টি হতে পারে।</p>".into(),
            },
        }),
        quiet: None,
    }
}

fn send(target: &TargetConfig, address: &str) -> Outcome {
    let gateway = SendmailGateway::open(target, settings()).unwrap();
    let mut outcomes = gateway.send(&[&message(address)]);
    assert_eq!(outcomes.len(), 1);
    outcomes.remove(0)
}

fn saved_args(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("args"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn header(mail: &mailparse::ParsedMail<'_>, name: &str) -> String {
    mail.headers
        .iter()
        .find(|h| h.get_key() == name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .get_value()
}

#[test]
fn exit_zero_is_sent_with_the_whole_message_on_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let script = fake_sendmail(dir.path(), "exit 0");
    let outcome = send(&target(&script, &["-t", "-i"]), "rahim@readers.example");
    assert_eq!(outcome, Outcome::Sent("/bin/sh: accepted".into()));
    assert_eq!(
        saved_args(dir.path()),
        ["-t", "-i", "-f", "news@desk.example"]
    );
    let stdin = std::fs::read(dir.path().join("stdin")).unwrap();
    assert!(!stdin.contains(&b'\r'), "LF line ends for a local command");
    let mail = mailparse::parse_mail(&stdin).unwrap();
    assert_eq!(header(&mail, "To"), "রহিম <rahim@readers.example>");
    assert_eq!(header(&mail, "Subject"), "ঢাকায় ভারী বৃষ্টি");
    assert_eq!(
        header(&mail, "Message-ID"),
        stable_message_id(&message("rahim@readers.example"), "desk.example")
    );
    assert_eq!(mail.subparts.len(), 2);
    assert_eq!(
        mail.subparts[0].get_body().unwrap().trim_end(),
        "আজ ভারী বৃষ্টি হতে পারে।"
    );
}

#[test]
fn without_t_the_recipient_is_an_argument() {
    let dir = tempfile::tempdir().unwrap();
    let script = fake_sendmail(dir.path(), "exit 0");
    let outcome = send(
        &target(&script, &["-i", "-fbounces@desk.example"]),
        "rahim@readers.example",
    );
    assert!(matches!(outcome, Outcome::Sent(_)), "{outcome:?}");
    assert_eq!(
        saved_args(dir.path()),
        [
            "-i",
            "-fbounces@desk.example",
            "--",
            "rahim@readers.example"
        ]
    );
}

#[test]
fn temporary_exit_statuses_are_retried() {
    let dir = tempfile::tempdir().unwrap();
    for (status, said) in [(75, "queue file write error"), (71, "cannot fork")] {
        let script = fake_sendmail(dir.path(), &format!("echo '{said}' >&2\nexit {status}"));
        assert_eq!(
            send(&target(&script, &["-t"]), "rahim@readers.example"),
            Outcome::RetryLater(format!("/bin/sh: exit {status} (temporary): {said}"))
        );
    }
}

#[test]
fn other_exit_statuses_fail_with_the_first_line_of_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let script = fake_sendmail(
        dir.path(),
        "printf '\\nsendmail: nosuch@readers.example... User unknown\\nmore\\n' >&2\nexit 67",
    );
    assert_eq!(
        send(&target(&script, &["-t"]), "nosuch@readers.example"),
        Outcome::Failed(
            "/bin/sh: exit 67: sendmail: nosuch@readers.example... User unknown".into()
        )
    );
    let script = fake_sendmail(dir.path(), "exit 1");
    assert_eq!(
        send(&target(&script, &["-t"]), "rahim@readers.example"),
        Outcome::Failed("/bin/sh: exit 1".into())
    );
}

#[test]
fn a_missing_command_is_retried() {
    let mut target = target(Path::new("unused"), &[]);
    target.command = Some(vec!["/nonexistent/sbin/sendmail".into(), "-t".into()]);
    match send(&target, "rahim@readers.example") {
        Outcome::RetryLater(why) => assert!(
            why.starts_with("cannot run /nonexistent/sbin/sendmail: No such file or directory"),
            "{why}"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_command_that_hangs_or_is_killed_is_retried() {
    let dir = tempfile::tempdir().unwrap();
    let script = fake_sendmail(dir.path(), "exec sleep 30");
    let mut slow = target(&script, &["-t"]);
    slow.timeout = Some(1);
    let started = Instant::now();
    assert_eq!(
        send(&slow, "rahim@readers.example"),
        Outcome::RetryLater("/bin/sh: still running after 1 s; stopped".into())
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    let script = fake_sendmail(dir.path(), "kill -9 $$");
    match send(&target(&script, &["-t"]), "rahim@readers.example") {
        Outcome::RetryLater(why) => assert!(why.contains("signal: 9"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_bad_address_fails_without_running_the_command() {
    let dir = tempfile::tempdir().unwrap();
    let script = fake_sendmail(dir.path(), "exit 0");
    match send(&target(&script, &["-t"]), "rahim at readers") {
        Outcome::Failed(why) => assert!(why.contains("is not an email address"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(!dir.path().join("stdin").exists());
}
