//! What `serve` answers to each request, once it is within the size and rate limits: the routes,
//! the token check, reading each route's parameters, and recording what they say.
//!
//! | Route | From | Parameters |
//! |---|---|---|
//! | `GET /health` | monitoring | none (no token either) |
//! | `GET` or `POST /kannel/dlr` | Kannel's `dlr-url` | `msg`, `part`, `type` (1, 2, 4, 8, 16), `to`, `reply` |
//! | `GET` or `POST /kannel/mo` | Kannel's `sms-service` `get-url` | `from`, `text` (`%b`), `coding` (`%c`), `charset` (`%C`) |
//! | `POST /webhook/status` | a webhook target's receiver | JSON `{"id", "status", "part"?, "to"?, "reason"?}` |
//!
//! Every route but `/health` needs the token, as `?token=` or `Authorization: Bearer`, compared
//! in constant time; without it the answer is 403 and nothing changes. Parameters come from the
//! query and, for a form `POST`, the body. Answers are plain text: 200 `ok`, 400 with what is
//! wrong, 403, 404 for an unknown route or message, 405, 503 when the state cannot be reached.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::replies::{Confirmation, Handled, Replies};
use crate::bulletin::deliver::one_line;
use crate::bulletin::delivery::{PartReport, PartStatus, Recorded};
use crate::bulletin::store::Store;

/// A request as the routes read it.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    pub method: &'a str,
    /// The path and query, as sent.
    pub url: &'a str,
    /// The `Authorization` header, if any.
    pub authorization: Option<&'a str>,
    /// The `Content-Type` header, if any.
    pub content_type: Option<&'a str>,
    pub body: &'a [u8],
}

/// The answer to one request, and a confirmation SMS to send after answering.
pub struct Answer {
    pub status: u16,
    pub body: String,
    /// What the request did, for the counters.
    pub kind: Kind,
    pub confirmation: Option<Confirmation>,
}

/// What a request did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Health,
    /// A delivery report that moved a part.
    Report,
    /// A delivery report that changed nothing (a repeat, or older news).
    StaleReport,
    /// A report on a message (or part) that does not exist.
    UnknownMessage,
    OptOut,
    OptIn,
    /// A reader's message that is not a keyword, or a keyword that changed nothing.
    Ignored,
    /// Wrong or missing token.
    Forbidden,
    /// Anything else refused (bad parameters, unknown route or method, state unavailable).
    Refused,
}

/// What the routes need: the token, and how to answer readers.
pub struct Routes {
    token: String,
    replies: Replies,
}

impl Routes {
    pub fn new(token: String, replies: Replies) -> Routes {
        Routes { token, replies }
    }

    /// The answer to `request`; `store` records what it says.
    pub fn handle(
        &self,
        request: &Incoming<'_>,
        store: &mut dyn Store,
        now: DateTime<Utc>,
    ) -> Answer {
        let (path, query) = request.url.split_once('?').unwrap_or((request.url, ""));
        let route = match path {
            "/health" => Route::Health,
            "/kannel/dlr" => Route::KannelReport,
            "/kannel/mo" => Route::KannelMessage,
            "/webhook/status" => Route::WebhookStatus,
            _ => return refused(404, "no such route"),
        };
        let allowed: &[&str] = match route {
            Route::Health => &["GET", "HEAD"],
            Route::KannelReport | Route::KannelMessage => &["GET", "POST"],
            Route::WebhookStatus => &["POST"],
        };
        if !allowed.contains(&request.method) {
            return refused(405, "method not allowed");
        }
        if route == Route::Health {
            return answer(200, "ok", Kind::Health);
        }
        let mut params = Params::parse(query.as_bytes());
        if !self.authorized(request, &params) {
            return answer(403, "forbidden", Kind::Forbidden);
        }
        let result = match route {
            Route::Health => Ok(answer(200, "ok", Kind::Health)),
            Route::KannelReport | Route::KannelMessage => {
                if request.method == "POST"
                    && request
                        .content_type
                        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"))
                {
                    params.extend(Params::parse(request.body));
                }
                if route == Route::KannelReport {
                    kannel_report(&params, store, now)
                } else {
                    self.kannel_message(&params, store, now)
                }
            }
            Route::WebhookStatus => webhook_status(request.body, store, now),
        };
        result.unwrap_or_else(|error| {
            tracing::warn!("serve: {error}");
            match error {
                crate::Error::State { .. } | crate::Error::StateUnavailable { .. } => {
                    refused(503, "the state cannot be reached; try again later")
                }
                _ => refused(500, "internal error (see serve's log)"),
            }
        })
    }

    /// Whether the request carries the token (query or bearer), compared in constant time.
    fn authorized(&self, request: &Incoming<'_>, params: &Params) -> bool {
        let bearer = request
            .authorization
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(|token| token.trim().as_bytes());
        let given = params.bytes("token").or(bearer);
        given.is_some_and(|given| bool::from(given.ct_eq(self.token.as_bytes())))
    }

    /// A reader's message: STOP, START, or something else (ignored).
    fn kannel_message(
        &self,
        params: &Params,
        store: &mut dyn Store,
        now: DateTime<Utc>,
    ) -> crate::Result<Answer> {
        let Some(from) = params.text("from") else {
            return Ok(refused(400, "from is missing"));
        };
        let text = decode_text(
            params.bytes("text").unwrap_or_default(),
            params.text("coding").as_deref(),
            params.text("charset").as_deref(),
        );
        let (handled, confirmation) = self.replies.handle(store, &from, &text, now)?;
        let kind = match &handled {
            Handled::OptedOut { changed: true, .. } => Kind::OptOut,
            Handled::OptedIn { changed: true, .. } => Kind::OptIn,
            _ => Kind::Ignored,
        };
        match &handled {
            Handled::OptedOut { address, changed } | Handled::OptedIn { address, changed } => {
                let what = match handled {
                    Handled::OptedOut { .. } => "opted out",
                    _ => "opted in",
                };
                let already = if *changed { "" } else { " (already)" };
                tracing::info!(
                    "serve: {} {what}{already}",
                    crate::bulletin::mask::address(address)
                );
            }
            Handled::Ignored => tracing::debug!("serve: a reader's message that is no keyword"),
        }
        // The body is empty: the confirmation goes through the reply target, not as Kannel's
        // reply (the sms-service has `max-messages = 0`).
        Ok(Answer {
            status: 200,
            body: String::new(),
            kind,
            confirmation,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Health,
    KannelReport,
    KannelMessage,
    WebhookStatus,
}

/// A report from Kannel's `dlr-url` on one part.
fn kannel_report(
    params: &Params,
    store: &mut dyn Store,
    now: DateTime<Utc>,
) -> crate::Result<Answer> {
    let number = |name: &str| params.text(name).and_then(|v| v.trim().parse::<i64>().ok());
    let Some(message) = number("msg").filter(|&id| id > 0) else {
        return Ok(refused(400, "msg must be a message id"));
    };
    let Some(part) = number("part").and_then(|n| u32::try_from(n).ok()) else {
        return Ok(refused(400, "part must be a part number"));
    };
    let status = number("type")
        .and_then(|n| u32::try_from(n).ok())
        .and_then(PartStatus::from_kannel);
    let Some(status) = status else {
        return Ok(refused(400, "type must be 1, 2, 4, 8 or 16"));
    };
    let report = PartReport {
        message,
        address: params.text("to").map(|to| to.trim().to_string()),
        part: Some(part),
        status,
        reason: params.text("reply").map(|r| one_line(&r, 200)),
    };
    record(store, &report, now)
}

/// A webhook receiver's JSON status callback.
fn webhook_status(body: &[u8], store: &mut dyn Store, now: DateTime<Utc>) -> crate::Result<Answer> {
    #[derive(Deserialize)]
    struct Callback {
        id: i64,
        status: String,
        part: Option<u32>,
        to: Option<String>,
        reason: Option<String>,
    }
    let callback: Callback = match serde_json::from_slice(body) {
        Ok(callback) => callback,
        Err(error) => {
            let why = one_line(&error.to_string(), 120);
            return Ok(refused(400, &format!("not a status callback: {why}")));
        }
    };
    let status = match callback.status.to_ascii_lowercase().as_str() {
        "delivered" => PartStatus::Delivered,
        "undelivered" | "failed" => PartStatus::Undelivered,
        "rejected" => PartStatus::Rejected,
        "accepted" | "sent" => PartStatus::Accepted,
        "buffered" | "queued" => PartStatus::Buffered,
        _ => {
            return Ok(refused(
                400,
                "status must be delivered, undelivered, failed, rejected, accepted, sent, \
                 buffered or queued",
            ));
        }
    };
    let report = PartReport {
        message: callback.id,
        address: callback.to,
        part: callback.part,
        status,
        reason: callback.reason.map(|r| one_line(&r, 200)),
    };
    record(store, &report, now)
}

/// Records `report`; the answer says what became of it.
fn record(store: &mut dyn Store, report: &PartReport, now: DateTime<Utc>) -> crate::Result<Answer> {
    Ok(match store.record_report(report, now)? {
        Recorded::Unknown => answer(404, "no such message", Kind::UnknownMessage),
        Recorded::NoSuchPart { parts } => answer(
            400,
            &format!("no such part: the message has {parts}"),
            Kind::UnknownMessage,
        ),
        Recorded::Unchanged { .. } => answer(200, "ok", Kind::StaleReport),
        Recorded::Updated { message, delivery } => {
            tracing::debug!(message, delivery = delivery.as_str(), "serve: report");
            answer(200, "ok", Kind::Report)
        }
    })
}

/// The reader's text: UTF-16BE for UCS-2 (`coding=2`), else in `charset` (UTF-8 when unknown).
pub fn decode_text(bytes: &[u8], coding: Option<&str>, charset: Option<&str>) -> String {
    let label = match coding.map(str::trim) {
        Some("2") => "UTF-16BE",
        _ => charset.map(str::trim).unwrap_or("UTF-8"),
    };
    let encoding = encoding_rs::Encoding::for_label(label.as_bytes()).unwrap_or(encoding_rs::UTF_8);
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    text.into_owned()
}

fn answer(status: u16, body: &str, kind: Kind) -> Answer {
    Answer {
        status,
        body: body.to_string(),
        kind,
        confirmation: None,
    }
}

fn refused(status: u16, body: &str) -> Answer {
    answer(status, body, Kind::Refused)
}

/// A query's (or form body's) parameters, each value's bytes percent-decoded (`+` a space).
#[derive(Debug, Default)]
struct Params(HashMap<String, Vec<u8>>);

impl Params {
    fn parse(query: &[u8]) -> Params {
        let mut params = HashMap::new();
        for pair in query.split(|&b| b == b'&').filter(|pair| !pair.is_empty()) {
            let (key, value) = match pair.iter().position(|&b| b == b'=') {
                Some(at) => (&pair[..at], &pair[at + 1..]),
                None => (pair, &[][..]),
            };
            let key = String::from_utf8_lossy(&decode(key)).into_owned();
            // The first of a repeated parameter counts.
            params.entry(key).or_insert_with(|| decode(value));
        }
        Params(params)
    }

    fn extend(&mut self, other: Params) {
        for (key, value) in other.0 {
            self.0.entry(key).or_insert(value);
        }
    }

    fn bytes(&self, name: &str) -> Option<&[u8]> {
        self.0.get(name).map(Vec::as_slice)
    }

    fn text(&self, name: &str) -> Option<Cow<'_, str>> {
        self.bytes(name).map(String::from_utf8_lossy)
    }
}

/// Percent-decoding, with `+` as a space.
fn decode(bytes: &[u8]) -> Vec<u8> {
    let spaced: Vec<u8> = bytes
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    percent_encoding::percent_decode(&spaced).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_percent_decoded_bytes() {
        let params = Params::parse(b"from=%2B8801711000001&text=%09%AC%09%A8&coding=2&x&text=no");
        assert_eq!(params.text("from").as_deref(), Some("+8801711000001"));
        assert_eq!(params.bytes("text"), Some(&[0x09, 0xAC, 0x09, 0xA8][..]));
        assert_eq!(params.bytes("x"), Some(&[][..]));
        assert_eq!(params.text("missing"), None);
    }

    #[test]
    fn text_is_decoded_by_its_coding_and_charset() {
        let utf16: Vec<u8> = "বন্ধ".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode_text(&utf16, Some("2"), Some("UTF-16BE")), "বন্ধ");
        assert_eq!(decode_text(b"STOP", Some("0"), Some("UTF-8")), "STOP");
        assert_eq!(decode_text(b"STOP", None, None), "STOP");
        assert_eq!(
            decode_text(b"\xE9t\xE9", Some("0"), Some("ISO-8859-1")),
            "été"
        );
        assert_eq!(
            decode_text(b"\xFF", None, Some("no-such-charset")),
            "\u{FFFD}"
        );
    }
}
