//! Fetching a feed over HTTP(S): one GET with bounded time, size and redirects, made conditional
//! by the validators [`http_cache`] saved last time.
//!
//! The request names newsdigest and its version in `User-Agent` ([`USER_AGENT`]), asks for feeds
//! first ([`ACCEPT`]) and accepts gzip, which is decoded. At most [`MAX_REDIRECTS`] redirects are
//! followed; only `http://` and `https://` URLs are fetched. Proxies come from the usual environment
//! variables (`HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`; ureq reads them). The body may be no larger than
//! [`FetchOptions::max_bytes`] (by default [`MAX_INPUT_BYTES`], as for a file): a `Content-Length`
//! above it fails before anything is read, and a body without one (chunked) stops at the limit.
//!
//! Time: connecting (the name lookup, then TCP and TLS), waiting for the response headers and
//! reading the body may each take up to [`FetchOptions::timeout`] (`--timeout`, 30 s by default);
//! the whole fetch, redirects included, at most three times that (the three phases of one request).
//!
//! A `304 Not Modified` gives [`Fetched::NotModified`]; any other status but 2xx is an error.
//! Errors are one line naming the URL, never its credentials (`user:pass@` is removed by
//! [`redact`] from every message and origin), and their exit code says whether retrying later
//! makes sense, so a cron job or a queue can decide:
//!
//! | What happened | Exit | Why |
//! |---|---|---|
//! | timeout (connecting, waiting, reading), connection refused, reset or closed early, network unreachable | 75 `EX_TEMPFAIL` | the server or the network is down or slow now |
//! | temporary DNS failure (`EAI_AGAIN`: no answer from the resolver) | 75 | the resolver, not the name, failed |
//! | HTTP 5xx, 408 Request Timeout, 429 Too Many Requests | 75 | the server says "not now" |
//! | other HTTP 4xx (401, 403, 404, 410, ...) and 3xx that cannot be followed | 69 `EX_UNAVAILABLE` | the same request will get the same answer |
//! | unknown host (the resolver answered: no such name) | 69 | a typo or a retired domain does not fix itself; an unreachable resolver is `EAI_AGAIN` above |
//! | more than 5 redirects (a loop), TLS certificate or handshake failure, invalid URL, not HTTP | 69 | needs a person to fix the URL or the server |
//! | body over the size limit, body that cannot be decoded (gzip) | 65 `EX_DATAERR` | as for a file that is too large or damaged |
//!
//! Messages look like `https://host/feed.xml: HTTP 500 Internal Server Error`,
//! `...: timed out after 2 s (waiting for the response)`, `...: redirect loop (more than 5
//! redirects)` and `...: connection refused`.
//!
//! ```
//! use newsdigest::ingest::fetch::{fetch, redact, FetchOptions};
//! assert_eq!(redact("https://me:secret@example.org/feed"), "https://example.org/feed");
//! let error = fetch("ftp://example.org/feed", &FetchOptions::default()).unwrap_err();
//! assert_eq!(error.exit_code(), 69);
//! ```

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use ureq::http::{Response, StatusCode};
use ureq::{Body, Timeout};

use super::MAX_INPUT_BYTES;
use super::http_cache::{self, Validators};
use crate::error::{Error, Result};

/// The `User-Agent` header: the program, its version and where it comes from.
pub const USER_AGENT: &str = concat!(
    "newsdigest/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/newsdigest)"
);

/// The `Accept` header: feed formats first, any XML next, anything else last.
pub const ACCEPT: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
                          application/xml;q=0.9, */*;q=0.8";

/// Redirects followed before giving up (a loop is caught here).
pub const MAX_REDIRECTS: u32 = 5;

/// How long each phase of a fetch may take unless `--timeout` says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How a URL is fetched.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Longest wait for each phase: connecting, the response headers, the body.
    pub timeout: Duration,
    /// Where validators are kept between runs; `None` makes every fetch unconditional.
    pub cache_dir: Option<PathBuf>,
    /// Largest body accepted, in bytes, after decoding.
    pub max_bytes: u64,
}

impl FetchOptions {
    /// `timeout` per phase, the cache folder from the environment, the usual size limit.
    pub fn new(timeout: Duration) -> FetchOptions {
        FetchOptions {
            timeout,
            cache_dir: http_cache::default_dir(),
            max_bytes: MAX_INPUT_BYTES,
        }
    }
}

impl Default for FetchOptions {
    fn default() -> FetchOptions {
        FetchOptions::new(DEFAULT_TIMEOUT)
    }
}

/// What a fetch gave.
#[derive(Debug)]
pub enum Fetched {
    /// The server answered `304 Not Modified` to a conditional request.
    NotModified,
    /// A 2xx answer, decoded.
    Body {
        bytes: Vec<u8>,
        /// The `Content-Type` header, as sent.
        content_type: Option<String>,
        /// To pass to [`http_cache::save`] once the body was parsed.
        validators: Validators,
    },
}

/// Whether `input` is a URL to fetch rather than a path (`http://` or `https://`, any case).
pub fn is_url(input: &str) -> bool {
    let lower = input.get(..8).unwrap_or(input).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// `url` without the credentials of its authority (`https://user:pass@host/` → `https://host/`).
pub fn redact(url: &str) -> String {
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let rest = &url[start..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => format!("{}{}", &url[..start], &rest[at + 1..]),
        None => url.to_string(),
    }
}

/// GETs `url`, conditionally when validators were saved for it.
pub fn fetch(url: &str, options: &FetchOptions) -> Result<Fetched> {
    let shown = redact(url);
    if !is_url(url) {
        return Err(Error::FetchUnavailable {
            url: shown,
            message: "only http:// and https:// URLs can be fetched".into(),
        });
    }
    let saved = options
        .cache_dir
        .as_deref()
        .map(|dir| http_cache::load(dir, url))
        .unwrap_or_default();
    let mut request = agent(options.timeout).get(url);
    if let Some(etag) = &saved.etag {
        request = request.header("If-None-Match", etag);
    }
    if let Some(date) = &saved.last_modified {
        request = request.header("If-Modified-Since", date);
    }
    let response = request
        .call()
        .map_err(|error| failure(&shown, &error, options))?;
    let status = response.status();
    if status == StatusCode::NOT_MODIFIED {
        return Ok(Fetched::NotModified);
    }
    if !status.is_success() {
        return Err(status_error(&shown, &response));
    }
    read_body(response, &shown, options)
}

/// An agent with our headers, limits and timeouts; HTTP errors are answers, not `Err`s.
fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .user_agent(USER_AGENT)
        .accept(ACCEPT)
        .http_status_as_error(false)
        .max_redirects(MAX_REDIRECTS)
        .timeout_resolve(Some(timeout))
        .timeout_connect(Some(timeout))
        .timeout_recv_response(Some(timeout))
        .timeout_recv_body(Some(timeout))
        .timeout_global(Some(timeout * 3))
        .build()
        .into()
}

/// The decoded body of a 2xx answer, within the size limit.
fn read_body(response: Response<Body>, shown: &str, options: &FetchOptions) -> Result<Fetched> {
    let header = |name: &str| {
        let value = response.headers().get(name)?.to_str().ok()?;
        Some(value.trim().to_string()).filter(|v| !v.is_empty())
    };
    let validators = Validators {
        etag: header("etag"),
        last_modified: header("last-modified"),
    };
    let content_type = header("content-type");
    let declared = header("content-length").and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > options.max_bytes) {
        return Err(too_large(shown, options.max_bytes));
    }
    let bytes = response
        .into_body()
        .into_with_config()
        .limit(options.max_bytes)
        .read_to_vec()
        .map_err(|error| failure(shown, &error, options))?;
    Ok(Fetched::Body {
        bytes,
        content_type,
        validators,
    })
}

/// The error for a non-2xx, non-304 answer.
fn status_error(shown: &str, response: &Response<Body>) -> Error {
    let status = response.status();
    let mut message = format!(
        "HTTP {} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    )
    .trim_end()
    .to_string();
    let retry_after = response.headers().get("retry-after");
    if let Some(after) = retry_after.and_then(|v| v.to_str().ok()) {
        message.push_str(&format!(
            " (the server asks to retry after {})",
            after.trim()
        ));
    }
    if worth_retrying(status.as_u16()) {
        Error::FetchRetryLater {
            url: shown.to_string(),
            message,
        }
    } else {
        Error::FetchUnavailable {
            url: shown.to_string(),
            message,
        }
    }
}

/// Whether an HTTP status says "not now" rather than "no": 5xx, 408 and 429.
pub fn worth_retrying(status: u16) -> bool {
    status >= 500 || status == 408 || status == 429
}

/// The error for a body over the limit, worded as for a file (exit 65).
fn too_large(shown: &str, limit: u64) -> Error {
    const MIB: u64 = 1024 * 1024;
    let limit = if limit.is_multiple_of(MIB) {
        format!("{} MiB", limit / MIB)
    } else {
        format!("{limit} bytes")
    };
    Error::BadArticle {
        origin: shown.to_string(),
        message: format!("larger than {limit}, the limit for one input"),
    }
}

/// How a failed request is reported: a message, and whether retrying makes sense.
enum Failure {
    RetryLater(String),
    Unavailable(String),
    BadData(String),
}

/// Our error for a ureq error on `shown`.
fn failure(shown: &str, error: &ureq::Error, options: &FetchOptions) -> Error {
    if let ureq::Error::BodyExceedsLimit(_) = error {
        return too_large(shown, options.max_bytes);
    }
    let url = shown.to_string();
    match classify(error, options.timeout) {
        Failure::RetryLater(message) => Error::FetchRetryLater { url, message },
        Failure::Unavailable(message) => Error::FetchUnavailable { url, message },
        Failure::BadData(message) => Error::BadArticle {
            origin: url,
            message,
        },
    }
}

/// Sorts a ureq error into the table of the module documentation. Messages never quote the URL
/// (ureq's `BadUri` does, with its credentials), only what went wrong.
fn classify(error: &ureq::Error, timeout: Duration) -> Failure {
    use ureq::Error as E;
    match error {
        E::Timeout(phase) => Failure::RetryLater(timed_out(*phase, timeout)),
        E::Io(io) => classify_io(io),
        E::HostNotFound => Failure::Unavailable("unknown host".into()),
        E::TooManyRedirects => Failure::Unavailable(format!(
            "redirect loop (more than {MAX_REDIRECTS} redirects)"
        )),
        E::RedirectFailed => Failure::Unavailable("a redirect could not be followed".into()),
        E::BadUri(_) | E::Http(_) => Failure::Unavailable("not a valid http(s) URL".into()),
        E::Tls(message) => Failure::Unavailable(format!("TLS: {message}")),
        E::Rustls(tls) => Failure::Unavailable(format!("TLS: {tls}")),
        E::Pem(_) | E::TlsRequired => Failure::Unavailable("TLS could not be set up".into()),
        E::Protocol(protocol) => {
            Failure::Unavailable(format!("the answer is not valid HTTP ({protocol})"))
        }
        E::LargeResponseHeader(..) => Failure::Unavailable("response headers too large".into()),
        E::Decompress(format, io) => {
            Failure::BadData(format!("the {format} body cannot be decoded: {io}"))
        }
        E::ConnectionFailed => Failure::RetryLater("connection failed".into()),
        other => Failure::Unavailable(other.to_string()),
    }
}

/// `timed out after 2 s (connecting)`, naming the phase that took too long.
fn timed_out(phase: Timeout, timeout: Duration) -> String {
    let (limit, what) = match phase {
        Timeout::Resolve => (timeout, "looking up the host"),
        Timeout::Connect => (timeout, "connecting"),
        Timeout::SendRequest | Timeout::SendBody | Timeout::RecvResponse => {
            (timeout, "waiting for the response")
        }
        Timeout::RecvBody => (timeout, "reading the response"),
        _ => (timeout * 3, "in all"),
    };
    timed_out_after(limit, what)
}

/// `timed out after 2 s (connecting)`: `limit` in whole seconds, else tenths.
pub(crate) fn timed_out_after(limit: Duration, what: &str) -> String {
    let seconds = if limit.subsec_millis() == 0 {
        limit.as_secs().to_string()
    } else {
        format!("{:.1}", limit.as_secs_f64())
    };
    format!("timed out after {seconds} s ({what})")
}

/// An I/O error on the connection: the network, the resolver or the peer.
fn classify_io(error: &io::Error) -> Failure {
    use io::ErrorKind as K;
    let text = error.to_string();
    if text.contains("failed to lookup address") {
        let lower = text.to_ascii_lowercase();
        return if lower.contains("temporary failure") || lower.contains("try again") {
            Failure::RetryLater("host name lookup failed for now (temporary DNS failure)".into())
        } else {
            Failure::Unavailable("unknown host".into())
        };
    }
    let message = match error.kind() {
        K::ConnectionRefused => "connection refused",
        K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe => "connection reset",
        K::UnexpectedEof => "connection closed before the answer was complete",
        K::TimedOut | K::WouldBlock => "timed out",
        K::NetworkUnreachable | K::HostUnreachable | K::NetworkDown => "network unreachable",
        _ => return Failure::RetryLater(format!("network error: {text}")),
    };
    Failure::RetryLater(message.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_removed_from_urls() {
        assert_eq!(redact("https://u:p@host/feed"), "https://host/feed");
        assert_eq!(redact("http://u@host:8080?q=a@b"), "http://host:8080?q=a@b");
        assert_eq!(redact("https://host/a@b"), "https://host/a@b");
        assert_eq!(redact("not a url"), "not a url");
    }

    #[test]
    fn only_http_and_https_are_urls() {
        assert!(is_url("http://a/") && is_url("HTTPS://a/"));
        assert!(!is_url("ftp://a/") && !is_url("http:/a") && !is_url("feeds/a.json"));
    }

    #[test]
    fn statuses_worth_retrying() {
        for status in [500, 502, 503, 504, 408, 429] {
            assert!(worth_retrying(status), "{status}");
        }
        for status in [400, 401, 403, 404, 410, 300] {
            assert!(!worth_retrying(status), "{status}");
        }
    }

    #[test]
    fn timeouts_name_the_phase() {
        let two = Duration::from_secs(2);
        assert_eq!(
            timed_out(Timeout::Connect, two),
            "timed out after 2 s (connecting)"
        );
        assert_eq!(
            timed_out(Timeout::RecvResponse, two),
            "timed out after 2 s (waiting for the response)"
        );
        assert_eq!(
            timed_out(Timeout::Global, two),
            "timed out after 6 s (in all)"
        );
    }

    #[test]
    fn dns_failures_are_sorted() {
        let lookup = |detail: &str| {
            io::Error::other(format!("failed to lookup address information: {detail}"))
        };
        let temporary = classify_io(&lookup("Temporary failure in name resolution"));
        assert!(matches!(temporary, Failure::RetryLater(_)));
        let unknown = classify_io(&lookup("Name or service not known"));
        assert!(matches!(unknown, Failure::Unavailable(m) if m == "unknown host"));
        let refused = classify_io(&io::ErrorKind::ConnectionRefused.into());
        assert!(matches!(refused, Failure::RetryLater(m) if m == "connection refused"));
    }
}
