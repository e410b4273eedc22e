//! The `smtp` target: each subscriber's message (built by [`mail`]) submitted to an
//! SMTP server with lettre's blocking transport.
//!
//! Reads the target's `host`, `port` (default 587 with `security = "starttls"`, 465 with `tls`,
//! 25 with `none`), `security`, `timeout` (default 30 s), `concurrency` (default 4: the most
//! connections the pool keeps) and the names of the environment variables holding the user name
//! and password (`username_env`, `password_env`: both or neither; an unset one is a
//! configuration error naming the variable, never showing a value). Connections are reused for
//! the whole run.
//!
//! ```toml
//! [[target]]
//! name = "relay"
//! kind = "smtp"
//! host = "smtp.example.com"
//! security = "starttls"
//! username_env = "NEWSDIGEST_SMTP_USER"
//! password_env = "NEWSDIGEST_SMTP_PASSWORD"
//! ```
//!
//! What becomes of a message ([`Outcome`]):
//! - a 2xx reply to the message: `Sent("250 ...")`, the server's reply;
//! - a 5xx reply (`550` no such user, `553` mailbox name not allowed, `554` refused):
//!   `Failed` with the reply, since sending it again unchanged cannot work;
//! - a 4xx reply (`451`, `421`), and refused authentication (`530`, `534`, `535`, `538`: a
//!   problem with the target, not with the message): `RetryLater` with the reply;
//! - no reply at all (connection refused, timeout, unknown host), and TLS failures (a server
//!   without the required STARTTLS, an untrusted certificate): `RetryLater`. These are problems
//!   with the target's settings or the network, and the same for every message; retrying keeps
//!   the messages until the target is fixed (each attempt counts towards `max_attempts`).

use std::collections::HashMap;
use std::time::Duration;

use lettre::Transport;
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::response::{Response, Severity};
use lettre::transport::smtp::{
    Error as SmtpError, PoolConfig, SmtpTransport, SmtpTransportBuilder,
};

use super::mail::{self, MailSettings};
use super::{Gateway, Outcome};
use crate::bulletin::config::{SmtpSecurity, TargetConfig};
use crate::bulletin::outbox::Message;
use crate::error::{Error, Result};
use crate::text::normalize::clean_line;

/// Seconds to wait for the server when the target sets no `timeout`.
const DEFAULT_TIMEOUT: u64 = 30;
/// Connections at most when the target sets no `concurrency`.
const DEFAULT_CONCURRENCY: usize = 4;
/// Permanent replies that refuse the login, not the message (RFC 4954).
const AUTHENTICATION_REPLIES: [u16; 4] = [530, 534, 535, 538];

/// An SMTP server, with the sender settings of every bulletin it delivers for.
pub struct SmtpGateway {
    transport: SmtpTransport,
    timeout: Duration,
    mail: HashMap<String, MailSettings>,
}

impl SmtpGateway {
    /// Opens the target (no connection is made until the first message); `mail` holds each
    /// bulletin's sender settings, by bulletin name.
    pub fn open(target: &TargetConfig, mail: HashMap<String, MailSettings>) -> Result<SmtpGateway> {
        SmtpGateway::open_with_env(target, mail, |name| std::env::var(name))
    }

    /// [`SmtpGateway::open`], reading the credential variables through `env` instead of the
    /// process environment.
    pub fn open_with_env(
        target: &TargetConfig,
        mail: HashMap<String, MailSettings>,
        env: impl Fn(&str) -> std::result::Result<String, std::env::VarError>,
    ) -> Result<SmtpGateway> {
        let config_error = |message: String| Error::Target {
            target: target.name.clone(),
            message,
        };
        mail::ensure_all(&target.name, &mail)?;
        let host = target
            .host
            .as_deref()
            .map(str::trim)
            .filter(|host| !host.is_empty())
            .ok_or_else(|| config_error("an smtp target needs a `host`".into()))?;
        let timeout = target.timeout.unwrap_or(DEFAULT_TIMEOUT);
        if timeout == 0 {
            return Err(config_error("`timeout` must be at least 1 second".into()));
        }
        let concurrency = target.concurrency.unwrap_or(DEFAULT_CONCURRENCY).max(1);
        let mut builder = builder(host, target.security)
            .map_err(|e| config_error(format!("cannot use {host:?}: {e}")))?
            .timeout(Some(Duration::from_secs(timeout)))
            .pool_config(
                PoolConfig::new().max_size(u32::try_from(concurrency).unwrap_or(u32::MAX)),
            );
        if let Some(port) = target.port {
            builder = builder.port(port);
        }
        if let Some(credentials) = credentials(target, env).map_err(config_error)? {
            builder = builder.credentials(credentials);
        }
        Ok(SmtpGateway {
            transport: builder.build(),
            timeout: Duration::from_secs(timeout),
            mail,
        })
    }

    fn send_one(&self, message: &Message) -> Outcome {
        let prepared = match mail::prepare_for(&self.mail, message) {
            Ok(prepared) => prepared,
            Err(outcome) => return outcome,
        };
        let envelope = match Envelope::new(Some(prepared.from), vec![prepared.to]) {
            Ok(envelope) => envelope,
            Err(error) => return Outcome::Failed(format!("no envelope: {error}")),
        };
        match self.transport.send_raw(&envelope, &prepared.bytes) {
            Ok(response) => Outcome::Sent(reply_text(&response)),
            Err(error) if timed_out(&error) => Outcome::RetryLater(format!(
                "no answer from the server within {} s",
                self.timeout.as_secs()
            )),
            Err(error) => outcome_of(&error),
        }
    }
}

impl Gateway for SmtpGateway {
    fn send(&self, messages: &[&Message]) -> Vec<Outcome> {
        messages
            .iter()
            .map(|message| self.send_one(message))
            .collect()
    }
}

/// The transport for `security`, on its default port.
fn builder(
    host: &str,
    security: SmtpSecurity,
) -> std::result::Result<SmtpTransportBuilder, SmtpError> {
    match security {
        SmtpSecurity::Starttls => SmtpTransport::starttls_relay(host),
        SmtpSecurity::Tls => SmtpTransport::relay(host),
        SmtpSecurity::None => Ok(SmtpTransport::builder_dangerous(host)),
    }
}

/// The user name and password from the variables the target names: both or neither.
fn credentials(
    target: &TargetConfig,
    env: impl Fn(&str) -> std::result::Result<String, std::env::VarError>,
) -> std::result::Result<Option<Credentials>, String> {
    let (user_var, password_var) = match (&target.username_env, &target.password_env) {
        (None, None) => return Ok(None),
        (Some(user), Some(password)) => (user, password),
        _ => {
            return Err(
                "`username_env` and `password_env` go together: set both or neither".into(),
            );
        }
    };
    let read = |key: &str, variable: &str| match env(variable) {
        Ok(value) if !value.is_empty() => Ok(value),
        Ok(_) | Err(std::env::VarError::NotPresent) => Err(format!(
            "the environment variable {variable} ({key}) is not set or empty"
        )),
        Err(std::env::VarError::NotUnicode(_)) => Err(format!(
            "the environment variable {variable} ({key}) is not valid UTF-8"
        )),
    };
    let user = read("username_env", user_var)?;
    let password = read("password_env", password_var)?;
    Ok(Some(Credentials::new(user, password)))
}

/// What the failure of one message means for it. Texts are cleaned to one line: a server's
/// reply never brings a line break into the outbox.
fn outcome_of(error: &SmtpError) -> Outcome {
    let Some(code) = error.status() else {
        return Outcome::RetryLater(clean_line(&error_chain(error)));
    };
    let reply = clean_line(&format!("{code} {}", source_text(error)));
    let number = u16::from(code);
    match code.severity {
        Severity::PermanentNegativeCompletion if !AUTHENTICATION_REPLIES.contains(&number) => {
            Outcome::Failed(reply)
        }
        _ => Outcome::RetryLater(reply),
    }
}

/// Whether `error` is a read or write that waited `timeout` (Linux reports `WouldBlock`).
fn timed_out(error: &SmtpError) -> bool {
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        if let Some(io) = inner.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            );
        }
        cause = inner.source();
    }
    false
}

/// `250 2.0.0 Ok: queued as 1234`: the reply's code and lines, on one line.
fn reply_text(response: &Response) -> String {
    let lines: Vec<&str> = response.message().collect();
    clean_line(&format!("{} {}", response.code(), lines.join(" ")))
}

/// The text of an error's cause (a reply's lines), without lettre's description of its kind.
fn source_text(error: &SmtpError) -> String {
    std::error::Error::source(error)
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// The error and each of its causes, as `a: b: c` (lettre's own text shows only the first).
fn error_chain(error: &SmtpError) -> String {
    let mut text = error.to_string();
    let mut cause = std::error::Error::source(error).and_then(std::error::Error::source);
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulletin::config::TargetKind;

    fn target() -> TargetConfig {
        TargetConfig {
            name: "relay".into(),
            kind: TargetKind::Smtp,
            dir: None,
            url: None,
            from: None,
            username_env: Some("ND_USER".into()),
            password_env: Some("ND_PASSWORD".into()),
            token_env: None,
            host: Some("smtp.example.com".into()),
            port: None,
            security: SmtpSecurity::Starttls,
            command: None,
            rate: None,
            concurrency: None,
            batch: None,
            timeout: None,
            report_url: None,
            report_token_env: None,
        }
    }

    fn open(target: &TargetConfig, vars: &[(&str, &str)]) -> Result<SmtpGateway> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        SmtpGateway::open_with_env(target, HashMap::new(), |name| {
            vars.get(name)
                .cloned()
                .ok_or(std::env::VarError::NotPresent)
        })
    }

    #[test]
    fn credentials_come_from_the_named_variables() {
        let gateway = open(&target(), &[("ND_USER", "u"), ("ND_PASSWORD", "s3cret")]);
        assert!(gateway.is_ok());
        let error = open(&target(), &[("ND_USER", "u")]).err().unwrap();
        assert_eq!(
            error.to_string(),
            "target relay: the environment variable ND_PASSWORD (password_env) is not set or empty"
        );
        assert_eq!(error.exit_code(), crate::error::EXIT_CONFIG);
        let error = open(&target(), &[("ND_USER", ""), ("ND_PASSWORD", "s3cret")])
            .err()
            .unwrap();
        assert!(!error.to_string().contains("s3cret"));
        assert!(
            error.to_string().contains("ND_USER (username_env)"),
            "{error}"
        );
    }

    #[test]
    fn half_the_credentials_or_no_host_are_configuration_errors() {
        let mut half = target();
        half.password_env = None;
        assert_eq!(
            open(&half, &[("ND_USER", "u")]).err().unwrap().to_string(),
            "target relay: `username_env` and `password_env` go together: set both or neither"
        );
        let mut none = target();
        none.username_env = None;
        none.password_env = None;
        assert!(open(&none, &[]).is_ok());
        none.host = Some(" ".into());
        assert_eq!(
            open(&none, &[]).err().unwrap().to_string(),
            "target relay: an smtp target needs a `host`"
        );
        none.host = Some("smtp.example.com".into());
        none.timeout = Some(0);
        assert_eq!(
            open(&none, &[]).err().unwrap().to_string(),
            "target relay: `timeout` must be at least 1 second"
        );
    }

    #[test]
    fn every_security_opens() {
        for security in [
            SmtpSecurity::Starttls,
            SmtpSecurity::Tls,
            SmtpSecurity::None,
        ] {
            let mut plain = target();
            plain.security = security;
            plain.username_env = None;
            plain.password_env = None;
            assert!(open(&plain, &[]).is_ok(), "{security:?}");
        }
    }
}
