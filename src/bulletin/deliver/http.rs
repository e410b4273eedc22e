//! What the HTTP gateways ([`kannel`](super::kannel), [`webhook`](super::webhook)) share: the
//! agent (timeouts, no redirects, statuses as answers), the check of a configured URL, the
//! reading of an answer into one short line, and the wording of transport failures.
//!
//! Every transport failure (refused, reset, timed out, unknown host, TLS) is worth retrying: it
//! says nothing about the message, and a gateway that is down or misnamed comes back once a
//! person fixes it. Only the gateway's own refusal (a 4xx) fails a message for good. Messages
//! never quote the URL, which may carry credentials (Kannel's are in its query).

use std::io;
use std::time::Duration;

use ureq::Timeout;
use ureq::http::Response;

use super::target_error;
use crate::bulletin::config::TargetConfig;
use crate::error::Result;
use crate::ingest::fetch::{USER_AGENT, timed_out_after};

/// Most characters of a gateway's answer kept in an outcome.
pub const ANSWER_CHARS: usize = 200;

/// Most bytes of an answer's body read.
const MAX_ANSWER_BYTES: u64 = 64 * 1024;

/// Bytes of each connection's input and output buffers: a gateway's request line and headers,
/// and its answer's headers, are far smaller. (ureq's default, 128 KiB each, is zeroed for every
/// new connection: a third of a worker's time on a gateway that closes each connection, in a
/// debug build.) Bodies stream through it in pieces.
const BUFFER_BYTES: usize = 32 * 1024;

/// An agent that waits at most `timeout` per phase (three times that in all), follows no
/// redirect (credentials stay with the configured host) and returns every status as an answer.
pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .user_agent(USER_AGENT)
        .input_buffer_size(BUFFER_BYTES)
        .output_buffer_size(BUFFER_BYTES)
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_resolve(Some(timeout))
        .timeout_connect(Some(timeout))
        .timeout_send_request(Some(timeout))
        .timeout_send_body(Some(timeout))
        .timeout_recv_response(Some(timeout))
        .timeout_recv_body(Some(timeout))
        .timeout_global(Some(timeout * 3))
        .build()
        .into()
}

/// The target's `url`, which must be an `http://` or `https://` URL with a host.
pub fn checked_url(target: &TargetConfig) -> Result<String> {
    let Some(text) = target.url.as_deref() else {
        return Err(target_error(target, "url is missing"));
    };
    let url = url::Url::parse(text)
        .map_err(|e| target_error(target, format!("url is not a valid URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(target_error(
            target,
            "url must be an http:// or https:// URL with a host",
        ));
    }
    if url.fragment().is_some() {
        return Err(target_error(target, "url must not have a #fragment"));
    }
    Ok(text.to_string())
}

/// The status and the first [`ANSWER_CHARS`] characters of the body, on one line.
pub fn read_answer(response: Response<ureq::Body>) -> (u16, String) {
    let status = response.status().as_u16();
    let body = response
        .into_body()
        .into_with_config()
        .limit(MAX_ANSWER_BYTES)
        .read_to_vec()
        .unwrap_or_default();
    (
        status,
        one_line(&String::from_utf8_lossy(&body), ANSWER_CHARS),
    )
}

/// `text` with every run of whitespace and control characters made one space, trimmed, and cut
/// to `max` characters (with `…` when cut).
pub fn one_line(text: &str, max: usize) -> String {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| !word.is_empty())
        .collect();
    let line = words.join(" ");
    if line.chars().count() <= max {
        return line;
    }
    let mut cut: String = line.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// What went wrong with a request that got no answer, in a few words.
pub fn transport_failure(error: &ureq::Error, timeout: Duration) -> String {
    use ureq::Error as E;
    match error {
        E::Timeout(phase) => timed_out(*phase, timeout),
        E::Io(io) => io_failure(io),
        E::HostNotFound => "unknown host".into(),
        E::ConnectionFailed => "connection failed".into(),
        E::Tls(message) => format!("TLS: {message}"),
        E::Rustls(tls) => format!("TLS: {tls}"),
        E::Protocol(protocol) => format!("the answer is not valid HTTP ({protocol})"),
        E::BadUri(_) | E::Http(_) => "not a valid http(s) URL".into(),
        other => format!("request failed: {}", one_line(&other.to_string(), 120)),
    }
}

/// `timed out after 30 s (connecting)`, naming the phase.
fn timed_out(phase: Timeout, timeout: Duration) -> String {
    let (limit, what) = match phase {
        Timeout::Resolve => (timeout, "looking up the host"),
        Timeout::Connect => (timeout, "connecting"),
        Timeout::SendRequest | Timeout::SendBody => (timeout, "sending the request"),
        Timeout::RecvResponse => (timeout, "waiting for the answer"),
        Timeout::RecvBody => (timeout, "reading the answer"),
        _ => (timeout * 3, "in all"),
    };
    timed_out_after(limit, what)
}

fn io_failure(error: &io::Error) -> String {
    use io::ErrorKind as K;
    match error.kind() {
        K::ConnectionRefused => "connection refused".into(),
        K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe => "connection reset".into(),
        K::UnexpectedEof => "connection closed before the answer was complete".into(),
        K::TimedOut | K::WouldBlock => "timed out".into(),
        K::NetworkUnreachable | K::HostUnreachable | K::NetworkDown => "network unreachable".into(),
        _ => format!("network error: {}", one_line(&error.to_string(), 120)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulletin::deliver::tests::target;

    #[test]
    fn answers_are_one_short_line() {
        assert_eq!(
            one_line("  0: Accepted\r\n for\tdelivery\n", 200),
            "0: Accepted for delivery"
        );
        assert_eq!(one_line("a\u{0}b\u{1b}[31mc", 200), "a b [31mc");
        let long = "x".repeat(300);
        let cut = one_line(&long, ANSWER_CHARS);
        assert_eq!(cut.chars().count(), ANSWER_CHARS);
        assert!(cut.ends_with('…'));
        assert_eq!(one_line("", 10), "");
    }

    #[test]
    fn urls_must_be_http_with_a_host() {
        let ok = target("kind = \"webhook\"\nurl = \"https://hooks.example/sms?x=1\"");
        assert_eq!(checked_url(&ok).unwrap(), "https://hooks.example/sms?x=1");
        for (url, expected) in [
            (
                "ftp://host/x",
                "url must be an http:// or https:// URL with a host",
            ),
            ("http://host/x#frag", "url must not have a #fragment"),
            (
                "not a url",
                "url is not a valid URL (relative URL without a base)",
            ),
        ] {
            let bad = target(&format!("kind = \"webhook\"\nurl = \"{url}\""));
            assert_eq!(
                checked_url(&bad).unwrap_err().to_string(),
                format!("target t: {expected}")
            );
        }
        let missing = target("kind = \"webhook\"");
        assert_eq!(
            checked_url(&missing).unwrap_err().to_string(),
            "target t: url is missing"
        );
    }

    #[test]
    fn timeouts_name_the_phase() {
        let thirty = Duration::from_secs(30);
        let error = ureq::Error::Timeout(Timeout::Connect);
        assert_eq!(
            transport_failure(&error, thirty),
            "timed out after 30 s (connecting)"
        );
        let error = ureq::Error::Timeout(Timeout::Global);
        assert_eq!(
            transport_failure(&error, thirty),
            "timed out after 90 s (in all)"
        );
        let refused = ureq::Error::Io(io::ErrorKind::ConnectionRefused.into());
        assert_eq!(transport_failure(&refused, thirty), "connection refused");
    }
}
