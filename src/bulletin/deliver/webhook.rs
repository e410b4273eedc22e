//! The `webhook` target: one JSON `POST` per message, for an SMS API or a program of the
//! newsroom's own.
//!
//! An SMS carries its text, encoding and our parts (header and payload in hex, as
//! `count --format json` shows them, so the receiver can send them as they are); an email its
//! subject, text and HTML. `id` is the message's outbox id, the same on every attempt, so the
//! receiver can recognise a resend.
//!
//! ```json
//! {"id": 17, "bulletin": "morning", "slot": "2025-04-23T01:00:00Z", "to": "+8801711000001",
//!  "text": "…", "encoding": "ucs2", "parts": [{"udh": "050003AB0201", "payload": "09A2…", "text": "…"}]}
//! ```
//!
//! With `token_env`, the request has `Authorization: Bearer <token>`; with `username_env` (and
//! `password_env`), HTTP Basic. A 2xx answer is success (the outcome keeps the status and the
//! first 200 characters of the body, on one line); 5xx, 408, 429, timeouts and connection
//! failures are retried later; any other status fails the message for good. Redirects are not
//! followed (the credentials stay with the configured host).

use std::time::Duration;

use chrono::SecondsFormat;
use serde_json::{Value, json};

use super::http::{self, checked_url, read_answer, transport_failure};
use super::reports::{self, Reports};
use super::{Gateway, Outcome, secret, target_error, timeout};
use crate::bulletin::config::TargetConfig;
use crate::bulletin::outbox::{Content, Message};
use crate::error::Result;
use crate::ingest::fetch::worth_retrying;

/// Where and how to POST.
#[derive(Clone)]
pub struct WebhookSettings {
    pub url: String,
    /// The whole `Authorization` header value (`Bearer …`, `Basic …`), if any.
    pub authorization: Option<String>,
    pub timeout: Duration,
    /// Where the receiver posts status callbacks (`status_url` in each body), if anywhere.
    pub reports: Option<Reports>,
}

impl std::fmt::Debug for WebhookSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookSettings")
            .field("url", &crate::ingest::fetch::redact(&self.url))
            .field("authorization", &self.authorization.as_ref().map(|_| "…"))
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Posts messages as JSON.
#[derive(Debug)]
pub struct WebhookGateway {
    settings: WebhookSettings,
    agent: ureq::Agent,
}

impl WebhookGateway {
    /// The gateway for a `webhook` target: `url` is required; `token_env` or `username_env`
    /// (not both) name the credentials' variables.
    pub fn open(target: &TargetConfig) -> Result<WebhookGateway> {
        let url = checked_url(target)?;
        let token = secret(target, "token_env", target.token_env.as_deref())?;
        let username = secret(target, "username_env", target.username_env.as_deref())?;
        let password = secret(target, "password_env", target.password_env.as_deref())?;
        let authorization = match (token, username, password) {
            (Some(_), Some(_), _) => {
                return Err(target_error(
                    target,
                    "token_env and username_env cannot both be set",
                ));
            }
            (None, None, Some(_)) => {
                return Err(target_error(target, "password_env needs username_env"));
            }
            (Some(token), None, None) => Some(format!("Bearer {token}")),
            (Some(_), None, Some(_)) => {
                return Err(target_error(
                    target,
                    "password_env goes with username_env, not token_env",
                ));
            }
            (None, Some(user), password) => Some(basic(&user, password.as_deref().unwrap_or(""))),
            (None, None, None) => None,
        };
        Ok(WebhookGateway::new(WebhookSettings {
            url,
            authorization,
            timeout: timeout(target)?,
            reports: reports::of(target)?,
        }))
    }

    pub fn new(settings: WebhookSettings) -> WebhookGateway {
        let agent = http::agent(settings.timeout);
        WebhookGateway { settings, agent }
    }

    fn deliver(&self, message: &Message) -> Outcome {
        let body = match serde_json::to_vec(&body(message, self.settings.reports.as_ref())) {
            Ok(body) => body,
            Err(error) => return Outcome::Failed(format!("cannot write the JSON body: {error}")),
        };
        let mut request = self
            .agent
            .post(&self.settings.url)
            .header("Content-Type", "application/json");
        if let Some(authorization) = &self.settings.authorization {
            request = request.header("Authorization", authorization);
        }
        match request.send(&body[..]) {
            Ok(response) => {
                let (status, text) = read_answer(response);
                classify(status, &text)
            }
            Err(error) => Outcome::RetryLater(transport_failure(&error, self.settings.timeout)),
        }
    }
}

impl Gateway for WebhookGateway {
    fn send(&self, messages: &[&Message]) -> Vec<Outcome> {
        messages
            .iter()
            .map(|message| self.deliver(message))
            .collect()
    }
}

/// The JSON body posted for `message`; with `reports`, the `status_url` to post its status to.
pub fn body(message: &Message, reports: Option<&Reports>) -> Value {
    let mut body = json!({
        "id": message.id,
        "bulletin": message.bulletin,
        "slot": message.slot.to_rfc3339_opts(SecondsFormat::Secs, true),
        "to": message.address,
    });
    if let (Some(reports), Value::Object(body)) = (reports, &mut body) {
        body.insert("status_url".into(), reports.webhook_status_url().into());
    }
    let fields = match &message.render.content {
        Content::Sms {
            text,
            encoding,
            parts,
        } => json!({"text": text, "encoding": encoding, "parts": parts}),
        Content::Email {
            subject,
            text,
            html,
        } => json!({"subject": subject, "text": text, "html": html}),
    };
    if let (Value::Object(body), Value::Object(fields)) = (&mut body, fields) {
        body.extend(fields);
    }
    body
}

/// The outcome of an answer: 2xx sent; 5xx, 408, 429 later; anything else failed.
pub fn classify(status: u16, body: &str) -> Outcome {
    let answer = format!("{status} {body}").trim_end().to_string();
    match status {
        200..=299 => Outcome::Sent(answer),
        _ if worth_retrying(status) => Outcome::RetryLater(answer),
        _ => Outcome::Failed(answer),
    }
}

/// `Basic base64(user:password)` (RFC 7617).
fn basic(user: &str, password: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = format!("{user}:{password}").into_bytes();
    let mut encoded = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                encoded.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                encoded.push('=');
            }
        }
    }
    format!("Basic {encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulletin::deliver::tests::{email_content, message, target};

    #[test]
    fn statuses_are_sorted() {
        assert_eq!(
            classify(202, "queued id=7"),
            Outcome::Sent("202 queued id=7".into())
        );
        assert_eq!(classify(204, ""), Outcome::Sent("204".into()));
        for status in [500, 502, 503, 408, 429] {
            assert!(
                matches!(classify(status, "x"), Outcome::RetryLater(_)),
                "{status}"
            );
        }
        for status in [400, 401, 403, 404, 410, 422, 301, 100] {
            assert!(
                matches!(classify(status, "x"), Outcome::Failed(_)),
                "{status}"
            );
        }
    }

    #[test]
    fn basic_credentials_are_base64() {
        // RFC 7617's example.
        assert_eq!(
            basic("Aladdin", "open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(basic("a", ""), "Basic YTo=");
        assert_eq!(basic("ab", "c"), "Basic YWI6Yw==");
    }

    #[test]
    fn email_bodies_carry_subject_text_and_html() {
        let body = body(&message(9, "reader@example.com", email_content()), None);
        assert_eq!(
            body,
            json!({"id": 9, "bulletin": "morning", "slot": "2025-04-23T01:00:00Z",
                   "to": "reader@example.com", "subject": "ঢাকায় বৃষ্টি",
                   "text": "Rain in Dhaka.", "html": "<p>Rain in Dhaka.</p>"})
        );
    }

    #[test]
    fn credentials_come_from_named_variables() {
        let base = "kind = \"webhook\"\nurl = \"https://hooks.example/sms\"";
        let open = |keys: &str| WebhookGateway::open(&target(&format!("{base}\n{keys}")));
        let bearer = open("token_env = \"PATH\"").unwrap();
        let path = std::env::var("PATH").unwrap();
        assert_eq!(
            bearer.settings.authorization,
            Some(format!("Bearer {path}"))
        );
        assert!(!format!("{bearer:?}").contains(&path));
        assert_eq!(open("").unwrap().settings.authorization, None);
        let error = |keys: &str| open(keys).unwrap_err().to_string();
        assert_eq!(
            error("token_env = \"PATH\"\nusername_env = \"PATH\""),
            "target t: token_env and username_env cannot both be set"
        );
        assert_eq!(
            error("token_env = \"NEWSDIGEST_UNSET_TOKEN\""),
            "target t: the environment variable NEWSDIGEST_UNSET_TOKEN (token_env) is not set"
        );
        assert_eq!(
            error("password_env = \"PATH\""),
            "target t: password_env needs username_env"
        );
    }
}
