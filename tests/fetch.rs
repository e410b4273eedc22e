//! Fetching feeds over HTTP against an in-process HTTP/1.1 server on 127.0.0.1 (no other network):
//! conditional GET and its cache, gzip, timeouts, refusals, statuses, redirects, size limits,
//! credentials in URLs; then the same through the `newsdigest` binary.
//!
//! Each test starts its own [`Server`], which answers one connection at a time from a script
//! (a closure from request to [`Reply`]) and records every request; dropping it stops the thread,
//! also when the test fails.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use newsdigest::error::Error;
use newsdigest::ingest::fetch::FetchOptions;
use newsdigest::ingest::http_cache;
use newsdigest::ingest::{Inputs, ReadOptions, read_inputs_with};

// ---------------------------------------------------------------------------------------------
// The scripted server.

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Request {
    path: String,
    /// Header names lowercased, values trimmed.
    headers: Vec<(String, String)>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// What the server does with one connection.
enum Reply {
    /// These bytes, then the connection is closed.
    Raw(Vec<u8>),
    /// Nothing: the connection stays open and silent until the server stops.
    Silent,
    /// These bytes (headers), then silence with the connection open.
    HeadersThenSilent(Vec<u8>),
    /// A chunked 200 whose body never ends, until the client hangs up.
    EndlessChunked,
}

/// A complete response with `Content-Length` and `Connection: close`.
fn respond(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut head = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    Reply::Raw(bytes)
}

type Script = Box<dyn Fn(&Request) -> Reply + Send>;

struct Server {
    port: u16,
    requests: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    fn start(script: impl Fn(&Request) -> Reply + Send + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (seen, stopped) = (Arc::clone(&requests), Arc::clone(&stop));
        let script: Script = Box::new(script);
        let thread = thread::spawn(move || serve(&listener, &*script, &seen, &stopped));
        Server {
            port,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Accepts connections one at a time until told to stop; silent ones are held open until then.
fn serve(
    listener: &TcpListener,
    script: &dyn Fn(&Request) -> Reply,
    seen: &Mutex<Vec<Request>>,
    stop: &AtomicBool,
) {
    let mut held = Vec::new();
    while !stop.load(Ordering::SeqCst) {
        let Ok((mut stream, _)) = listener.accept() else {
            thread::sleep(Duration::from_millis(5));
            continue;
        };
        stream.set_nonblocking(false).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        stream
            .set_write_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        let Some(request) = read_request(&stream) else {
            continue;
        };
        let reply = script(&request);
        seen.lock().unwrap().push(request);
        match reply {
            Reply::Raw(bytes) => {
                let _ = stream.write_all(&bytes);
            }
            Reply::Silent => held.push(stream),
            Reply::HeadersThenSilent(bytes) => {
                let _ = stream.write_all(&bytes);
                held.push(stream);
            }
            Reply::EndlessChunked => write_endless(&mut stream, stop),
        }
    }
}

/// Reads the request line and headers (the client sends no body).
fn read_request(stream: &TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let path = line.split_whitespace().nth(1)?.to_string();
    let mut headers = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 || line.trim().is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    Some(Request { path, headers })
}

/// A chunked body of 8 KiB chunks until the client stops reading (at most 256 MiB).
fn write_endless(stream: &mut TcpStream, stop: &AtomicBool) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    let mut chunk = b"2000\r\n".to_vec();
    chunk.extend(std::iter::repeat_n(b' ', 0x2000));
    chunk.extend_from_slice(b"\r\n");
    for _ in 0..32 * 1024 {
        if stop.load(Ordering::SeqCst) || stream.write_all(&chunk).is_err() {
            return;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers.

const ARTICLE: &str = r#"{"title":"Rain in Dhaka","body":"Rain in Dhaka. Roads closed.","source":"BSS","published":"2025-04-23T13:47:00+06:00"}"#;
const ETAG: &str = "\"v1\"";
const LAST_MODIFIED: &str = "Wed, 23 Apr 2025 07:47:00 GMT";

/// A 200 with the article and both validators.
fn article_reply() -> Reply {
    respond(
        "200 OK",
        &[
            ("Content-Type", "application/json"),
            ("ETag", ETAG),
            ("Last-Modified", LAST_MODIFIED),
        ],
        ARTICLE.as_bytes(),
    )
}

/// 304 when the request carries our ETag, else the article.
fn conditional_script(request: &Request) -> Reply {
    if request.header("if-none-match") == Some(ETAG) {
        return respond("304 Not Modified", &[("ETag", ETAG)], b"");
    }
    article_reply()
}

fn options(cache: &Path, timeout_seconds: u64) -> ReadOptions {
    ReadOptions {
        fetch: FetchOptions {
            timeout: Duration::from_secs(timeout_seconds),
            cache_dir: Some(cache.to_path_buf()),
            max_bytes: newsdigest::ingest::MAX_INPUT_BYTES,
        },
        ..ReadOptions::default()
    }
}

/// Reads `url` as `digest` does when its output is out: the validators are then saved.
fn read(url: &str, options: &ReadOptions) -> Result<Inputs, Error> {
    let mut inputs = read_inputs_with(&[url.to_string()], &mut std::io::empty(), options)?;
    let pending = std::mem::take(&mut inputs.validators);
    inputs.notes.extend(pending.save());
    Ok(inputs)
}

/// The error of reading `url`, checked to be one line naming it.
fn read_error(url: &str, options: &ReadOptions) -> Error {
    let error = read(url, options).expect_err("the fetch fails");
    let text = error.to_string();
    assert!(text.starts_with(&format!("{url}: ")), "{text}");
    assert!(!text.contains('\n'), "{text}");
    error
}

/// A port nobody listens on (bound, then closed).
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// `data` gzip-encoded with stored (uncompressed) deflate blocks: valid gzip without a compressor.
fn gzip_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    let chunks: Vec<&[u8]> = data.chunks(0xffff).collect();
    for (i, chunk) in chunks.iter().enumerate() {
        out.push(u8::from(i + 1 == chunks.len()));
        let len = chunk.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

// ---------------------------------------------------------------------------------------------
// The library.

#[test]
fn ok_with_validators_gives_articles_and_names_newsdigest() {
    let server = Server::start(|_| article_reply());
    let cache = tempfile::tempdir().unwrap();
    let url = server.url("/a.json");
    let read = read(&url, &options(cache.path(), 5)).unwrap();
    assert_eq!(read.articles.len(), 1);
    assert_eq!(read.articles[0].title.as_deref(), Some("Rain in Dhaka"));
    assert_eq!(read.articles[0].origin, url);
    assert_eq!(read.not_modified, 0);
    assert!(read.notes.is_empty(), "{:?}", read.notes);

    let request = &server.requests()[0];
    let agent = request.header("user-agent").unwrap();
    let version = format!("newsdigest/{}", env!("CARGO_PKG_VERSION"));
    assert!(agent.starts_with(&version), "{agent}");
    let encodings = request.header("accept-encoding").unwrap();
    assert!(encodings.contains("gzip"), "{encodings}");
    let accept = request.header("accept").unwrap();
    assert!(accept.starts_with("application/rss+xml"), "{accept}");
    assert!(request.header("if-none-match").is_none());

    let saved = http_cache::load(cache.path(), &url);
    assert_eq!(saved.etag.as_deref(), Some(ETAG));
    assert_eq!(saved.last_modified.as_deref(), Some(LAST_MODIFIED));
}

#[test]
fn gzip_body_is_decoded() {
    let server = Server::start(|_| {
        let body = gzip_stored(ARTICLE.as_bytes());
        respond(
            "200 OK",
            &[
                ("Content-Type", "application/json"),
                ("Content-Encoding", "gzip"),
            ],
            &body,
        )
    });
    let cache = tempfile::tempdir().unwrap();
    let read = read(&server.url("/z"), &options(cache.path(), 5)).unwrap();
    assert_eq!(read.articles[0].body, "Rain in Dhaka. Roads closed.");
}

#[test]
fn second_fetch_is_conditional_and_not_modified_gives_no_articles() {
    let server = Server::start(conditional_script);
    let cache = tempfile::tempdir().unwrap();
    let url = server.url("/feed");
    let options = options(cache.path(), 5);
    assert_eq!(read(&url, &options).unwrap().articles.len(), 1);
    let second = read(&url, &options).unwrap();
    assert!(second.articles.is_empty());
    assert_eq!(second.not_modified, 1);
    assert_eq!(
        second.notes,
        [format!(
            "{url}: not modified since the last fetch (HTTP 304): no new stories"
        )]
    );
    let request = &server.requests()[1];
    assert_eq!(request.header("if-none-match"), Some(ETAG));
    assert_eq!(request.header("if-modified-since"), Some(LAST_MODIFIED));
}

#[test]
fn corrupt_cache_file_is_ignored_and_replaced() {
    let server = Server::start(conditional_script);
    let cache = tempfile::tempdir().unwrap();
    let url = server.url("/feed");
    let file = http_cache::file_for(cache.path(), &url);
    std::fs::write(&file, b"\x00{\"etag\": trunc").unwrap();
    let read = read(&url, &options(cache.path(), 5)).unwrap();
    assert_eq!(read.articles.len(), 1);
    assert!(server.requests()[0].header("if-none-match").is_none());
    assert_eq!(
        http_cache::load(cache.path(), &url).etag.as_deref(),
        Some(ETAG)
    );
}

#[test]
fn validators_of_a_body_that_fails_to_parse_are_not_saved() {
    let server = Server::start(|_| respond("200 OK", &[("ETag", ETAG)], b"\xff\xfe not text"));
    let cache = tempfile::tempdir().unwrap();
    let url = server.url("/bad");
    let error = read_error(&url, &options(cache.path(), 5));
    assert_eq!(error.exit_code(), 65);
    assert!(!http_cache::file_for(cache.path(), &url).exists());
}

#[test]
fn uncreatable_cache_folder_still_fetches_with_a_note() {
    let server = Server::start(|_| article_reply());
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, b"").unwrap();
    let read = read(&server.url("/a"), &options(&blocker.join("cache"), 5)).unwrap();
    assert_eq!(read.articles.len(), 1);
    assert_eq!(read.notes.len(), 1);
    assert!(
        read.notes[0].contains("cannot save its validators"),
        "{:?}",
        read.notes
    );
}

#[test]
fn silent_server_times_out_worth_retrying() {
    let server = Server::start(|_| Reply::Silent);
    let cache = tempfile::tempdir().unwrap();
    let url = server.url("/slow");
    let started = Instant::now();
    let error = read_error(&url, &options(cache.path(), 1));
    let elapsed = started.elapsed();
    assert_eq!(error.exit_code(), 75, "{error}");
    assert_eq!(
        error.to_string(),
        format!("{url}: timed out after 1 s (waiting for the response)")
    );
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");
}

#[test]
fn refused_connection_is_worth_retrying() {
    let url = format!("http://127.0.0.1:{}/feed", closed_port());
    let cache = tempfile::tempdir().unwrap();
    let error = read_error(&url, &options(cache.path(), 5));
    assert_eq!(error.exit_code(), 75);
    assert_eq!(error.to_string(), format!("{url}: connection refused"));
}

#[test]
fn server_errors_and_too_many_requests_are_worth_retrying() {
    let server = Server::start(|request| match request.path.as_str() {
        "/busy" => respond("429 Too Many Requests", &[("Retry-After", "120")], b""),
        _ => respond("500 Internal Server Error", &[], b"oops"),
    });
    let cache = tempfile::tempdir().unwrap();
    let url = server.url("/broken");
    let error = read_error(&url, &options(cache.path(), 5));
    assert_eq!(error.exit_code(), 75);
    assert_eq!(
        error.to_string(),
        format!("{url}: HTTP 500 Internal Server Error")
    );
    let busy = read_error(&server.url("/busy"), &options(cache.path(), 5));
    assert_eq!(busy.exit_code(), 75);
    assert!(
        busy.to_string().contains("HTTP 429 Too Many Requests"),
        "{busy}"
    );
    assert!(busy.to_string().contains("retry after 120"), "{busy}");
}

#[test]
fn not_found_and_gone_are_not_worth_retrying() {
    let server = Server::start(|request| match request.path.as_str() {
        "/gone" => respond("410 Gone", &[], b""),
        _ => respond("404 Not Found", &[], b"no"),
    });
    let cache = tempfile::tempdir().unwrap();
    let url = server.url("/missing");
    let error = read_error(&url, &options(cache.path(), 5));
    assert_eq!(error.exit_code(), 69);
    assert_eq!(error.to_string(), format!("{url}: HTTP 404 Not Found"));
    let gone = read_error(&server.url("/gone"), &options(cache.path(), 5));
    assert_eq!(gone.exit_code(), 69);
    assert!(gone.to_string().ends_with("HTTP 410 Gone"), "{gone}");
}

/// `/a` redirects to `/b` and `/b` back to `/a`.
fn redirect_loop(request: &Request) -> Reply {
    let to = if request.path == "/a" { "/b" } else { "/a" };
    respond("302 Found", &[("Location", to)], b"")
}

#[test]
fn redirect_loop_is_not_worth_retrying() {
    let server = Server::start(redirect_loop);
    let cache = tempfile::tempdir().unwrap();
    let url = server.url("/a");
    let error = read_error(&url, &options(cache.path(), 5));
    assert_eq!(error.exit_code(), 69);
    assert_eq!(
        error.to_string(),
        format!("{url}: redirect loop (more than 5 redirects)")
    );
    assert!(server.requests().len() <= 7, "{}", server.requests().len());
}

#[test]
fn redirects_are_followed() {
    let server = Server::start(|request| match request.path.as_str() {
        "/old" => respond("301 Moved Permanently", &[("Location", "/new")], b""),
        _ => article_reply(),
    });
    let cache = tempfile::tempdir().unwrap();
    let read = read(&server.url("/old"), &options(cache.path(), 5)).unwrap();
    assert_eq!(read.articles.len(), 1);
    assert_eq!(server.requests()[1].path, "/new");
}

fn small_cap(cache: &Path, max_bytes: u64) -> ReadOptions {
    let mut options = options(cache, 5);
    options.fetch.max_bytes = max_bytes;
    options
}

#[test]
fn declared_length_over_the_cap_fails_before_reading() {
    // The body never comes: reading it would wait for the 5 s timeout.
    let head = "HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n";
    let server = Server::start(move |_| Reply::HeadersThenSilent(head.into()));
    let cache = tempfile::tempdir().unwrap();
    let url = server.url("/huge");
    let started = Instant::now();
    let error = read_error(&url, &small_cap(cache.path(), 1000));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(error.exit_code(), 65);
    assert_eq!(
        error.to_string(),
        format!("{url}: larger than 1000 bytes, the limit for one input")
    );
}

#[test]
fn chunked_body_stops_at_the_cap() {
    let server = Server::start(|_| Reply::EndlessChunked);
    let cache = tempfile::tempdir().unwrap();
    let url = server.url("/endless");
    let error = read_error(&url, &small_cap(cache.path(), 64 * 1024));
    assert_eq!(error.exit_code(), 65);
    assert!(
        error.to_string().contains("larger than 65536 bytes"),
        "{error}"
    );
}

#[test]
fn body_exactly_at_the_cap_is_read() {
    let server = Server::start(|_| article_reply());
    let cache = tempfile::tempdir().unwrap();
    let options = small_cap(cache.path(), ARTICLE.len() as u64);
    assert_eq!(read(&server.url("/a"), &options).unwrap().articles.len(), 1);
}

#[test]
fn credentials_never_reach_messages_or_origins() {
    let server = Server::start(|request| match request.path.as_str() {
        "/ok" => article_reply(),
        _ => respond("404 Not Found", &[], b""),
    });
    let cache = tempfile::tempdir().unwrap();
    let with_credentials =
        |path: &str| format!("http://reader:s3cret@127.0.0.1:{}{path}", server.port);
    let error = read(&with_credentials("/missing"), &options(cache.path(), 5)).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("{}: HTTP 404 Not Found", server.url("/missing"))
    );
    let refused = format!("http://reader:s3cret@127.0.0.1:{}/", closed_port());
    let error = read(&refused, &options(cache.path(), 5)).unwrap_err();
    assert!(!error.to_string().contains("s3cret"), "{error}");
    assert!(!error.to_string().contains("reader"), "{error}");
    let read = read(&with_credentials("/ok"), &options(cache.path(), 5)).unwrap();
    assert_eq!(read.articles[0].origin, server.url("/ok"));
}

// ---------------------------------------------------------------------------------------------
// The binary.

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `newsdigest ARGS` in a clean environment whose cache folder is `cache`.
fn newsdigest(args: &[&str], cache: &Path) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(args)
        .env_clear()
        .env("NEWSDIGEST_CACHE_DIR", cache)
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn cli_inspect_reads_a_url() {
    let server = Server::start(|_| article_reply());
    let cache = tempfile::tempdir().unwrap();
    let url = server.url("/a.json");
    let run = newsdigest(&["inspect", &url], cache.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json[0]["origin"], url.as_str());
    assert_eq!(json[0]["title"], "Rain in Dhaka");
}

#[test]
fn cli_digest_twice_says_nothing_new_the_second_time() {
    let server = Server::start(conditional_script);
    let cache = tempfile::tempdir().unwrap();
    let url = server.url("/feed.json");
    let args = ["digest", url.as_str(), "--now", "2025-04-23T09:00:00Z"];
    let first = newsdigest(&args, cache.path());
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stdout.contains("Rain in Dhaka"), "{}", first.stdout);
    let second = newsdigest(&args, cache.path());
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_eq!(second.stdout, "");
    assert_eq!(
        second.stderr,
        format!(
            "warning: {url}: not modified since the last fetch (HTTP 304): no new stories\n\
             warning: nothing to send: no story left to digest\n"
        )
    );
}

#[test]
fn cli_timeout_against_a_silent_server_exits_75() {
    let server = Server::start(|_| Reply::Silent);
    let cache = tempfile::tempdir().unwrap();
    let url = server.url("/slow");
    let started = Instant::now();
    let run = newsdigest(&["digest", &url, "--timeout", "1"], cache.path());
    assert_eq!(run.code, 75, "{}", run.stderr);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        run.stderr,
        format!("error: {url}: timed out after 1 s (waiting for the response)\n")
    );
}

#[test]
fn cli_server_error_exits_75() {
    let server = Server::start(|_| respond("500 Internal Server Error", &[], b""));
    let cache = tempfile::tempdir().unwrap();
    let url = server.url("/feed");
    let run = newsdigest(&["digest", &url], cache.path());
    assert_eq!(run.code, 75, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!("error: {url}: HTTP 500 Internal Server Error\n")
    );
}

#[test]
fn cli_redirect_loop_exits_69() {
    let server = Server::start(redirect_loop);
    let cache = tempfile::tempdir().unwrap();
    let url = server.url("/a");
    let run = newsdigest(&["inspect", &url], cache.path());
    assert_eq!(run.code, 69, "{}", run.stderr);
    assert!(run.stderr.contains("redirect loop"), "{}", run.stderr);
}

#[test]
fn validators_wait_until_every_feed_was_read() {
    let server = Server::start(|request| match request.path.as_str() {
        "/down" => respond("503 Service Unavailable", &[], b""),
        _ => conditional_script(request),
    });
    let cache = tempfile::tempdir().unwrap();
    let (good, down) = (server.url("/feed.json"), server.url("/down"));
    let error = read_inputs_with(
        &[good.clone(), down],
        &mut std::io::empty(),
        &options(cache.path(), 5),
    )
    .expect_err("the second feed is down");
    assert_eq!(error.exit_code(), 75);
    // Nothing was saved for the first feed, so the next run gets its stories again, not a 304.
    let again = read(&good, &options(cache.path(), 5)).unwrap();
    assert_eq!((again.articles.len(), again.not_modified), (1, 0));
}

#[test]
fn cli_inspect_and_preview_neither_use_nor_save_validators() {
    let server = Server::start(conditional_script);
    let cache = tempfile::tempdir().unwrap();
    let url = server.url("/feed.json");
    let now = ["--now", "2025-04-23T09:00:00Z"];
    for command in ["inspect", "preview", "inspect"] {
        let run = newsdigest(&[&[command, url.as_str()][..], &now].concat(), cache.path());
        assert_eq!(run.code, 0, "{command}: {}", run.stderr);
        assert!(
            run.stdout.contains("Roads closed"),
            "{command}: {}",
            run.stdout
        );
    }
    // The digest after them still sends the story; only the one after that hears 304.
    let digest = [&["digest", url.as_str()][..], &now].concat();
    let first = newsdigest(&digest, cache.path());
    assert!(first.stdout.contains("Rain in Dhaka"), "{}", first.stderr);
    let second = newsdigest(&digest, cache.path());
    assert_eq!(second.stdout, "");
    assert!(second.stderr.contains("HTTP 304"), "{}", second.stderr);
}

#[test]
fn cli_a_digest_that_cannot_be_written_does_not_save_validators() {
    let server = Server::start(conditional_script);
    let cache = tempfile::tempdir().unwrap();
    let url = server.url("/feed.json");
    // --out names a regular file, not a folder: the digest cannot be written.
    let not_a_folder = cache.path().join("not-a-folder");
    std::fs::write(&not_a_folder, "").unwrap();
    let failed = newsdigest(
        &[
            "digest",
            &url,
            "--now",
            "2025-04-23T09:00:00Z",
            "--out",
            not_a_folder.to_str().unwrap(),
        ],
        cache.path(),
    );
    assert_ne!(failed.code, 0, "{}", failed.stderr);
    let next = newsdigest(
        &["digest", &url, "--now", "2025-04-23T09:00:00Z"],
        cache.path(),
    );
    assert!(next.stdout.contains("Rain in Dhaka"), "{}", next.stderr);
}
