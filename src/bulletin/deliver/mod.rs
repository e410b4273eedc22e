//! Delivery: one [`Gateway`] per configured target, built by [`open`] from its
//! [`TargetConfig`].
//!
//! A gateway is given a batch of messages that share one render (so a gateway that takes several
//! recipients in one request, as Kannel does, can use it) and answers one [`Outcome`] per message,
//! in order. Rate limits and concurrency are applied by [`Pacer`](rate::Pacer), around the gateway
//! ([`rate::send_all`]).
//!
//! | `kind` | Module | What it does |
//! |---|---|---|
//! | `files` | [`files`] | one file per message under `dir` (`.txt` for SMS, `.eml` for email) |
//! | `stdout` | [`stdout`] | prints each message with a one-line header |
//! | `kannel` | [`kannel`] | Kannel's HTTP `sendsms`, one request per SMS part, our own UDH |
//! | `webhook` | [`webhook`] | one JSON `POST` per message |
//! | `smtp` | [`smtp`] | one message per subscriber over one reused SMTP connection (lettre) |
//! | `sendmail` | [`sendmail`] | one message per subscriber piped to a local MTA's `sendmail` |
//!
//! ```
//! use newsdigest::bulletin::config::Config;
//! use newsdigest::bulletin::deliver;
//! let config = Config::parse("[[target]]\nname = \"screen\"\nkind = \"stdout\"\n").unwrap();
//! let gateway = deliver::open(&config.targets[0], deliver::MailBook::new()).unwrap();
//! assert_eq!(gateway.batch_size(), 1);
//! ```

pub mod files;
mod http;
pub use http::one_line;
pub mod kannel;
pub mod mail;
pub mod rate;
pub mod reports;
pub mod sendmail;
pub mod smtp;
pub mod stdout;
pub mod webhook;

use std::time::Duration;

use std::collections::HashMap;

use super::config::{ChannelConfig, Config, TargetConfig, TargetKind};
use super::outbox::Message;
use crate::email;
use crate::error::{Error, Result};
use mail::MailSettings;

/// How long a gateway may take to answer, unless the target's `timeout` says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// What became of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted; the gateway's answer (`202 Sent.`, `250 OK queued as ...`, a file path).
    Sent(String),
    /// Not accepted, and worth trying again later: the gateway is down or slow, or answered
    /// "try later" (HTTP 5xx, 408, 429; SMTP 4xx; sendmail EX_TEMPFAIL).
    RetryLater(String),
    /// Refused for good (a bad number: HTTP 4xx; SMTP 5xx): trying again will not help.
    Failed(String),
}

impl Outcome {
    /// The answer or the reason, whichever the outcome carries.
    pub fn text(&self) -> &str {
        match self {
            Outcome::Sent(text) | Outcome::RetryLater(text) | Outcome::Failed(text) => text,
        }
    }
}

/// A delivery target.
pub trait Gateway: Send + Sync {
    /// How many messages (sharing one render) one call may take.
    fn batch_size(&self) -> usize {
        1
    }

    /// Sends `messages` (at most [`Gateway::batch_size`], all with the same render); one outcome
    /// per message, in order.
    fn send(&self, messages: &[&Message]) -> Vec<Outcome>;
}

/// The gateway `target` describes, ready to send; a configuration error names the target and
/// the key (or environment variable) at fault.
/// `mail` holds the sender and unsubscribe URL of each email bulletin sent through it
/// ([`mail_book`]).
pub fn open(target: &TargetConfig, mail: MailBook) -> Result<Box<dyn Gateway>> {
    Ok(match target.kind {
        TargetKind::Files => Box::new(files::FilesGateway::open(target, mail)?),
        TargetKind::Stdout => Box::new(stdout::StdoutGateway),
        TargetKind::Kannel => Box::new(kannel::KannelGateway::open(target)?),
        TargetKind::Webhook => Box::new(webhook::WebhookGateway::open(target)?),
        TargetKind::Smtp => Box::new(smtp::SmtpGateway::open(target, mail)?),
        TargetKind::Sendmail => Box::new(sendmail::SendmailGateway::open(target, mail)?),
    })
}

/// The sender and unsubscribe URL of each email bulletin, by bulletin name.
pub type MailBook = HashMap<String, MailSettings>;

/// The [`MailBook`] of the email bulletins `config` sends through `target`.
pub fn mail_book(config: &Config, target: &str) -> Result<MailBook> {
    let mut book = MailBook::new();
    for bulletin in &config.bulletins {
        if bulletin.channel != ChannelConfig::Email || bulletin.target != target {
            continue;
        }
        let from = bulletin.from.as_deref().unwrap_or(PLACEHOLDER_FROM);
        let from = email::parse_mailbox(from, "from").map_err(|error| Error::Config {
            path: config.path.clone(),
            message: format!("bulletin {}: {error}", bulletin.name),
        })?;
        let settings = MailSettings {
            from,
            unsubscribe: bulletin.unsubscribe.clone(),
        };
        book.insert(bulletin.name.clone(), settings);
    }
    Ok(book)
}

/// A configuration error about `target`.
pub(crate) fn target_error(target: &TargetConfig, message: impl Into<String>) -> Error {
    Error::Target {
        target: target.name.clone(),
        message: message.into(),
    }
}

/// The value of the environment variable named by the target's `key` (`variable`), which must be
/// set and not empty; errors name the variable, never a value. `None` when `key` is not set.
pub(crate) fn secret(
    target: &TargetConfig,
    key: &str,
    variable: Option<&str>,
) -> Result<Option<String>> {
    let Some(variable) = variable else {
        return Ok(None);
    };
    match std::env::var(variable) {
        Ok(value) if !value.is_empty() => Ok(Some(value)),
        Ok(_) => Err(target_error(
            target,
            format!("the environment variable {variable} ({key}) is empty"),
        )),
        Err(std::env::VarError::NotPresent) => Err(target_error(
            target,
            format!("the environment variable {variable} ({key}) is not set"),
        )),
        Err(std::env::VarError::NotUnicode(_)) => Err(target_error(
            target,
            format!("the environment variable {variable} ({key}) is not valid UTF-8"),
        )),
    }
}

/// The target's `timeout`, in seconds, or [`DEFAULT_TIMEOUT`]; zero is a configuration error.
pub(crate) fn timeout(target: &TargetConfig) -> Result<Duration> {
    match target.timeout {
        None => Ok(DEFAULT_TIMEOUT),
        Some(0) => Err(target_error(target, "timeout must be at least 1 second")),
        Some(seconds) => Ok(Duration::from_secs(seconds)),
    }
}

/// The sender of emails written by targets that do not know the bulletin's `from`.
pub const PLACEHOLDER_FROM: &str = "newsdigest@localhost";

/// The whole RFC 5322 message for an email `message`, from its bulletin's sender in `book` (else
/// [`PLACEHOLDER_FROM`]), dated at its slot, to its address; an SMS message or a bad address is an
/// error.
pub fn email_bytes(message: &Message, book: &MailBook) -> std::result::Result<Vec<u8>, String> {
    let placeholder;
    let settings = match book.get(&message.bulletin) {
        Some(settings) => settings,
        None => {
            placeholder = MailSettings {
                from: email::parse_mailbox(PLACEHOLDER_FROM, "from").map_err(|e| e.to_string())?,
                unsubscribe: None,
            };
            &placeholder
        }
    };
    mail::message_bytes(message, settings).map_err(|e| e.to_string())
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::bulletin::outbox::{Content, Render, SmsPart};

    /// A message to `address` carrying `content`, in bulletin `morning`, slot 2025-04-23 01:00 UTC.
    pub(crate) fn message(id: i64, address: &str, content: Content) -> Message {
        Message {
            id,
            bulletin: "morning".into(),
            slot: "2025-04-23T01:00:00Z".parse().unwrap(),
            address: address.into(),
            name: None,
            target: "t".into(),
            attempts: 0,
            render: Arc::new(Render {
                locale: "en".into(),
                zone: "UTC".into(),
                content,
            }),
            quiet: None,
        }
    }

    /// A one-part GSM-7 SMS.
    pub(crate) fn sms(text: &str) -> Content {
        Content::Sms {
            text: text.into(),
            encoding: "gsm7".into(),
            parts: vec![SmsPart {
                udh: String::new(),
                payload: String::new(),
                text: text.into(),
            }],
        }
    }

    pub(crate) fn email_content() -> Content {
        Content::Email {
            subject: "ঢাকায় বৃষ্টি".into(),
            text: "Rain in Dhaka.".into(),
            html: "<p>Rain in Dhaka.</p>".into(),
        }
    }

    /// The first target of a configuration with one `[[target]]` made of `keys`.
    pub(crate) fn target(keys: &str) -> TargetConfig {
        let text = format!("[[target]]\nname = \"t\"\n{keys}\n");
        Config::parse(&text).unwrap().targets.remove(0)
    }

    #[test]
    fn an_smtp_target_without_a_host_is_a_configuration_error() {
        let error = open(&target("kind = \"smtp\""), MailBook::new())
            .err()
            .unwrap();
        assert_eq!(error.exit_code(), 78);
        assert!(error.to_string().starts_with("target t: "), "{error}");
    }

    #[test]
    fn the_mail_book_holds_the_email_bulletins_of_a_target() {
        let config = Config::parse(
            "[[bulletin]]\nname = \"m\"\nchannel = \"email\"\nsources = []\nschedule = \"0 7 * * *\"\n\
             subscribers = []\ntarget = \"t\"\nfrom = \"Desk <desk@news.example>\"\n\
             [[bulletin]]\nname = \"s\"\nchannel = \"sms\"\nsources = []\nschedule = \"0 7 * * *\"\n\
             subscribers = []\ntarget = \"t\"\n",
        )
        .unwrap();
        let book = mail_book(&config, "t").unwrap();
        assert_eq!(book.len(), 1);
        assert_eq!(book["m"].from.email.to_string(), "desk@news.example");
        assert!(mail_book(&config, "other").unwrap().is_empty());
    }

    #[test]
    fn secrets_name_the_variable_never_the_value() {
        let kannel = target("kind = \"kannel\"");
        let unset = "NEWSDIGEST_TEST_VARIABLE_THAT_IS_NEVER_SET";
        let error = secret(&kannel, "password_env", Some(unset)).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("target t: the environment variable {unset} (password_env) is not set")
        );
        assert_eq!(error.exit_code(), 78);
        let path = std::env::var("PATH").unwrap();
        let found = secret(&kannel, "username_env", Some("PATH")).unwrap();
        assert_eq!(found.as_deref(), Some(path.as_str()));
        assert_eq!(secret(&kannel, "token_env", None).unwrap(), None);
    }

    #[test]
    fn timeouts_default_to_30_seconds_and_zero_is_refused() {
        assert_eq!(
            timeout(&target("kind = \"stdout\"")).unwrap(),
            DEFAULT_TIMEOUT
        );
        let five = target("kind = \"stdout\"\ntimeout = 5");
        assert_eq!(timeout(&five).unwrap(), Duration::from_secs(5));
        assert!(timeout(&target("kind = \"stdout\"\ntimeout = 0")).is_err());
    }

    #[test]
    fn email_bytes_build_a_dated_message_to_the_subscriber() {
        let eml = email_bytes(
            &message(1, "reader@example.com", email_content()),
            &MailBook::new(),
        )
        .unwrap();
        let eml = String::from_utf8(eml).unwrap();
        assert!(eml.contains("From: newsdigest@localhost\r\n"), "{eml}");
        assert!(eml.contains("To: reader@example.com\r\n"), "{eml}");
        assert!(
            eml.contains("Date: Wed, 23 Apr 2025 01:00:00 +0000\r\n"),
            "{eml}"
        );
        assert!(eml.contains("Subject: =?utf-8?b?"), "{eml}");
        let sms = email_bytes(&message(1, "+8801711000001", sms("hi")), &MailBook::new());
        assert!(
            sms.unwrap_err()
                .contains("the render is an SMS, not an email")
        );
        let bad = email_bytes(
            &message(1, "not an address", email_content()),
            &MailBook::new(),
        )
        .unwrap_err();
        assert!(bad.contains("not an email address"), "{bad}");
    }
}
