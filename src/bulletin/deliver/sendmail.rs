//! The `sendmail` target: each subscriber's message (built by [`mail`]) handed to
//! the local mail system's `sendmail` command (Postfix, Exim, msmtp, nullmailer all provide one).
//!
//! Reads the target's `command`, an argument list run without a shell (default
//! `["/usr/sbin/sendmail", "-t", "-i"]`), and `timeout` (default 30 s). The message goes to the
//! command's standard input with LF line ends, as local programs expect. To the arguments given
//! it adds `-f <from>` (the bulletin's sender, so bounces reach it) unless an argument already
//! starts with `-f` or `-r`, and `-- <address>` (the subscriber) unless an argument is `-t`
//! (recipients read from the `To` header).
//!
//! ```toml
//! [[target]]
//! name = "local"
//! kind = "sendmail"
//! command = ["/usr/bin/msmtp", "-t", "-i"]
//! ```
//!
//! What becomes of a message ([`Outcome`]), reading exit statuses as Postfix does
//! (`sys_exits_softerror`):
//! - exit 0: `Sent`;
//! - `EX_TEMPFAIL` (75) and `EX_OSERR` (71), a command killed by a signal or still running
//!   after `timeout` (then killed), and a command that cannot be started (missing, not
//!   executable: a configuration problem that `check` reports; retrying loses nothing):
//!   `RetryLater`;
//! - any other status (`EX_NOUSER` 67, `EX_DATAERR` 65, `1`, ...): `Failed`, with the first line
//!   the command wrote to standard error.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use super::mail::{self, Mail, MailSettings};
use super::{Gateway, Outcome};
use crate::bulletin::config::TargetConfig;
use crate::bulletin::outbox::Message;
use crate::error::{Error, Result};
use crate::text::normalize::clean_line;

/// The command when the target names none.
pub const DEFAULT_COMMAND: [&str; 3] = ["/usr/sbin/sendmail", "-t", "-i"];
/// Seconds to wait for the command when the target sets no `timeout`.
const DEFAULT_TIMEOUT: u64 = 30;
/// Exit statuses worth retrying: `EX_OSERR` and `EX_TEMPFAIL` (sysexits.h).
const TEMPORARY_STATUSES: [i32; 2] = [71, 75];
/// The most of the command's standard error kept for the answer.
const MAX_STDERR: u64 = 4096;

/// A local `sendmail` command, with the sender settings of every bulletin it delivers for.
pub struct SendmailGateway {
    command: Vec<String>,
    timeout: Duration,
    mail: HashMap<String, MailSettings>,
}

impl SendmailGateway {
    /// Opens the target (the command is not run, nor looked for, until the first message);
    /// `mail` holds each bulletin's sender settings, by bulletin name.
    pub fn open(
        target: &TargetConfig,
        mail: HashMap<String, MailSettings>,
    ) -> Result<SendmailGateway> {
        let config_error = |message: &str| Error::Target {
            target: target.name.clone(),
            message: message.to_string(),
        };
        mail::ensure_all(&target.name, &mail)?;
        let command = match &target.command {
            Some(command) => command.clone(),
            None => DEFAULT_COMMAND.iter().map(|arg| arg.to_string()).collect(),
        };
        if command.first().is_none_or(|program| program.is_empty()) {
            return Err(config_error("`command` needs at least the program to run"));
        }
        let timeout = target.timeout.unwrap_or(DEFAULT_TIMEOUT);
        if timeout == 0 {
            return Err(config_error("`timeout` must be at least 1 second"));
        }
        Ok(SendmailGateway {
            command,
            timeout: Duration::from_secs(timeout),
            mail,
        })
    }

    /// The program and arguments run for `mail`.
    fn arguments(&self, mail: &Mail) -> Vec<String> {
        let mut arguments = self.command.clone();
        let sets_sender = self.command[1..]
            .iter()
            .any(|arg| arg.starts_with("-f") || arg.starts_with("-r"));
        if !sets_sender {
            arguments.extend(["-f".to_string(), mail.from.to_string()]);
        }
        if !self.command[1..].iter().any(|arg| arg == "-t") {
            arguments.extend(["--".to_string(), mail.to.to_string()]);
        }
        arguments
    }

    fn send_one(&self, message: &Message) -> Outcome {
        let prepared = match mail::prepare_for(&self.mail, message) {
            Ok(prepared) => prepared,
            Err(outcome) => return outcome,
        };
        let arguments = self.arguments(&prepared);
        match run(&arguments, &to_lf(&prepared.bytes), self.timeout) {
            Ok(outcome) => outcome,
            Err(error) => Outcome::RetryLater(format!("cannot run {}: {error}", arguments[0])),
        }
    }
}

impl Gateway for SendmailGateway {
    fn send(&self, messages: &[&Message]) -> Vec<Outcome> {
        messages
            .iter()
            .map(|message| self.send_one(message))
            .collect()
    }
}

/// Runs `arguments` with `input` on standard input, and reads what its exit means. Standard
/// input and error are files, not pipes: nothing can block on a full pipe, and a mail system
/// that leaves a background process holding standard error does not make us wait for it.
fn run(arguments: &[String], input: &[u8], timeout: Duration) -> std::io::Result<Outcome> {
    let mut stdin = tempfile::tempfile()?;
    stdin.write_all(input)?;
    stdin.rewind()?;
    let mut stderr = tempfile::tempfile()?;
    let mut child = Command::new(&arguments[0])
        .args(&arguments[1..])
        .stdin(stdin)
        .stdout(Stdio::null())
        .stderr(stderr.try_clone()?)
        .spawn()?;
    let program = &arguments[0];
    let Some(status) = wait(&mut child, timeout)? else {
        return Ok(Outcome::RetryLater(format!(
            "{program}: still running after {} s; stopped",
            timeout.as_secs()
        )));
    };
    let said = first_line(&mut stderr);
    Ok(outcome_of(program, status, &said))
}

/// The child's exit status, or `None` when it ran past `timeout` (it is then killed).
fn wait(child: &mut Child, timeout: Duration) -> std::io::Result<Option<ExitStatus>> {
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(1);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            child.kill()?;
            child.wait()?;
            return Ok(None);
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(50));
    }
}

/// What an exit status means for the message; `said` is the first line of standard error.
fn outcome_of(program: &str, status: ExitStatus, said: &str) -> Outcome {
    let with_said = |head: String| match said {
        "" => head,
        said => format!("{head}: {said}"),
    };
    match status.code() {
        Some(0) => Outcome::Sent(with_said(format!("{program}: accepted"))),
        Some(code) if TEMPORARY_STATUSES.contains(&code) => {
            Outcome::RetryLater(with_said(format!("{program}: exit {code} (temporary)")))
        }
        Some(code) => Outcome::Failed(with_said(format!("{program}: exit {code}"))),
        None => Outcome::RetryLater(with_said(format!("{program}: {status}"))),
    }
}

/// The first non-empty line of what was written to `file`, cleaned to one line.
fn first_line(file: &mut File) -> String {
    let mut text = Vec::new();
    let read = file
        .rewind()
        .and_then(|()| file.take(MAX_STDERR).read_to_end(&mut text));
    if read.is_err() {
        return String::new();
    }
    String::from_utf8_lossy(&text)
        .lines()
        .map(clean_line)
        .find(|line| !line.is_empty())
        .unwrap_or_default()
}

/// `bytes` with CRLF line ends made LF, the convention of a local command's input.
fn to_lf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut iter = bytes.iter().peekable();
    while let Some(&byte) = iter.next() {
        if byte == b'\r' && iter.peek() == Some(&&b'\n') {
            continue;
        }
        out.push(byte);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulletin::config::{SmtpSecurity, TargetKind};

    fn target(command: Option<&[&str]>) -> TargetConfig {
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
            security: SmtpSecurity::Starttls,
            command: command.map(|c| c.iter().map(|a| a.to_string()).collect()),
            rate: None,
            concurrency: None,
            batch: None,
            timeout: None,
            report_url: None,
            report_token_env: None,
        }
    }

    fn mail() -> Mail {
        Mail {
            from: "news@example.com".parse().unwrap(),
            to: "-reader@example.com".parse().unwrap(),
            bytes: Vec::new(),
        }
    }

    fn arguments(command: Option<&[&str]>) -> Vec<String> {
        SendmailGateway::open(&target(command), HashMap::new())
            .unwrap()
            .arguments(&mail())
    }

    #[test]
    fn sender_and_recipient_are_added_unless_given() {
        assert_eq!(
            arguments(None),
            ["/usr/sbin/sendmail", "-t", "-i", "-f", "news@example.com"]
        );
        assert_eq!(
            arguments(Some(&["msmtp", "-i"])),
            [
                "msmtp",
                "-i",
                "-f",
                "news@example.com",
                "--",
                "-reader@example.com"
            ]
        );
        assert_eq!(
            arguments(Some(&["sendmail", "-fbounces@example.com", "-t"])),
            ["sendmail", "-fbounces@example.com", "-t"]
        );
        assert_eq!(
            arguments(Some(&["sendmail", "-r", "bounces@example.com"])),
            [
                "sendmail",
                "-r",
                "bounces@example.com",
                "--",
                "-reader@example.com"
            ]
        );
    }

    #[test]
    fn an_empty_command_is_a_configuration_error() {
        for command in [&[][..], &[""][..]] {
            let error = SendmailGateway::open(&target(Some(command)), HashMap::new())
                .err()
                .unwrap();
            assert_eq!(
                error.to_string(),
                "target local: `command` needs at least the program to run"
            );
        }
    }

    #[test]
    fn line_ends_become_lf() {
        assert_eq!(to_lf(b"a\r\nb\r\n\r\nc\rd\n"), b"a\nb\n\nc\rd\n");
        assert_eq!(to_lf(b"\r"), b"\r");
    }
}
