//! HTTP/1.1 for `serve`, with every resource bounded: requests are read and answered here, and
//! handed as [`Exchange`]s to a fixed number of handlers.
//!
//! Owns connections: an accept loop hands each connection to a thread of its own, at most
//! [`MAX_CONNECTIONS`] at once (one more is answered 503 and closed). A connection thread reads
//! requests (headers parsed by `httparse`, at most [`MAX_HEADER_BYTES`]; a body only with
//! `Content-Length`, at most `max_body`, else 411 or 413 without reading it), one after the other
//! on a kept-alive connection, and closes it after [`IDLE`] without a request, or when a request
//! takes longer than [`READ_TIMEOUT`] to arrive whole (a slow client cannot hold a thread for
//! long). Each request goes through a bounded queue to the handlers; a full queue is answered 503.
//! When `stop` is set, no new connection is taken, each connection finishes the request in hand,
//! and [`serve`] returns once every thread is done.

use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, Shutdown, TcpListener, TcpStream};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::time::{Duration, Instant};

/// Connections open at once at most.
pub const MAX_CONNECTIONS: usize = 256;
/// The request line and headers, at most.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// How long a kept-alive connection may wait for its next request.
pub const IDLE: Duration = Duration::from_secs(30);
/// How long one request may take to arrive whole, once it has begun.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How often waiting threads look at the stop flag.
const POLL: Duration = Duration::from_millis(100);

/// One request as read off the wire.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The path and query, as sent.
    pub target: String,
    /// Header names in lower case, values as sent (not UTF-8: left out).
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub client: IpAddr,
}

impl Request {
    /// The first header named `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
    }
}

/// An answer: status, plain-text body, and extra headers.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub body: String,
    pub headers: Vec<(&'static str, String)>,
}

impl Response {
    pub fn text(status: u16, body: impl Into<String>) -> Response {
        Response {
            status,
            body: body.into(),
            headers: Vec::new(),
        }
    }
}

/// A request waiting for its handler, and where its answer goes.
pub struct Exchange {
    pub request: Request,
    answer: mpsc::Sender<Response>,
}

impl Exchange {
    /// Gives the answer to the connection that waits for it.
    pub fn answer(self, response: Response) {
        // The connection may be gone (its client left): nothing to answer then.
        let _ = self.answer.send(response);
    }
}

/// Limits of one server.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_body: usize,
    /// Requests queued for the handlers at most.
    pub queue: usize,
}

/// What a connection thread asks before queueing a request: `Some(response)` answers it at
/// once (429 from the rate limiter, say).
pub type Gate<'a> = dyn Fn(&Request) -> Option<Response> + Sync + 'a;

/// Makes one handler thread's handler (with state of its own, such as a store connection).
pub type MakeHandler<'a> = dyn Fn() -> Box<dyn FnMut(Exchange) + 'a> + Sync + 'a;

/// Accepts connections on `listener` until `stop` is set; requests that pass `gate` go to
/// `handlers` threads, each with a handler from `make_handler`. Returns when every thread is
/// done.
pub fn serve(
    listener: &TcpListener,
    limits: Limits,
    stop: &AtomicBool,
    gate: &Gate<'_>,
    handlers: usize,
    make_handler: &MakeHandler<'_>,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let (queue, taken) = mpsc::sync_channel::<Exchange>(limits.queue.max(1));
    let taken = Mutex::new(taken);
    let open = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..handlers.max(1) {
            let taken = &taken;
            scope.spawn(move || {
                let mut handle = make_handler();
                loop {
                    // Handlers share one queue: each takes the next exchange in turn.
                    let next = taken.lock().unwrap_or_else(|p| p.into_inner()).recv();
                    match next {
                        Ok(exchange) => handle(exchange),
                        Err(_) => break,
                    }
                }
            });
        }
        while !stop.load(Ordering::Relaxed) {
            match listener.accept() {
                Ok((stream, address)) => {
                    if open.load(Ordering::Acquire) >= MAX_CONNECTIONS {
                        refuse(stream, Response::text(503, "too many connections"));
                        continue;
                    }
                    open.fetch_add(1, Ordering::AcqRel);
                    let queue = queue.clone();
                    let open = &open;
                    scope.spawn(move || {
                        connection(stream, address.ip(), limits, stop, gate, &queue);
                        open.fetch_sub(1, Ordering::AcqRel);
                    });
                }
                Err(error) if error.kind() == ErrorKind::WouldBlock => {
                    std::thread::sleep(POLL / 10)
                }
                Err(error) if error.kind() == ErrorKind::Interrupted => {}
                Err(error) => {
                    tracing::warn!("serve: accept: {error}");
                    std::thread::sleep(POLL);
                }
            }
        }
        // The handlers stop once every connection thread has let go of the queue.
        drop(queue);
    });
    Ok(())
}

/// Answers `response` on a connection that will not be served, and closes it.
fn refuse(mut stream: TcpStream, response: Response) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let _ = write_response(&mut stream, &response, false);
    let _ = stream.shutdown(Shutdown::Both);
}

/// Serves one connection's requests until it closes, idles, errs or `stop` is set.
fn connection(
    mut stream: TcpStream,
    client: IpAddr,
    limits: Limits,
    stop: &AtomicBool,
    gate: &Gate<'_>,
    queue: &SyncSender<Exchange>,
) {
    if stream.set_nonblocking(false).is_err()
        || stream.set_read_timeout(Some(POLL)).is_err()
        || stream.set_write_timeout(Some(READ_TIMEOUT)).is_err()
    {
        return;
    }
    let mut buffer: Vec<u8> = Vec::new();
    loop {
        let read = match read_request(&mut stream, &mut buffer, client, limits, stop) {
            Ok(Some(read)) => read,
            Ok(None) => return,
            Err(response) => {
                let _ = write_response(&mut stream, &response, false);
                let _ = stream.shutdown(Shutdown::Both);
                return;
            }
        };
        let keep_alive = read.keep_alive && !stop.load(Ordering::Relaxed);
        let response = match gate(&read.request) {
            Some(response) => response,
            None => {
                let (answer, answered) = mpsc::channel();
                let exchange = Exchange {
                    request: read.request,
                    answer,
                };
                match queue.try_send(exchange) {
                    Ok(()) => answered
                        .recv()
                        .unwrap_or_else(|_| Response::text(500, "internal error")),
                    Err(TrySendError::Full(_)) => {
                        Response::text(503, "busy; try again later").retry_after(1)
                    }
                    Err(TrySendError::Disconnected(_)) => {
                        Response::text(503, "shutting down").retry_after(1)
                    }
                }
            }
        };
        if write_response(&mut stream, &response, keep_alive).is_err() || !keep_alive {
            let _ = stream.shutdown(Shutdown::Both);
            return;
        }
    }
}

impl Response {
    /// With `Retry-After: seconds`.
    pub fn retry_after(mut self, seconds: u32) -> Response {
        self.headers.push(("Retry-After", seconds.to_string()));
        self
    }
}

/// A request read whole, and whether the connection stays open after it.
struct ReadRequest {
    request: Request,
    keep_alive: bool,
}

/// Reads the next request on `stream` (bytes already read in `buffer`). `Ok(None)`: the
/// connection closed, idled out or the server stops between requests; `Err(response)`: the
/// request is refused and the connection closes.
fn read_request(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
    client: IpAddr,
    limits: Limits,
    stop: &AtomicBool,
) -> Result<Option<ReadRequest>, Response> {
    let waiting_since = Instant::now();
    let mut started: Option<Instant> = (!buffer.is_empty()).then(Instant::now);
    let header_end = loop {
        if let Some(end) = find_header_end(buffer) {
            break end;
        }
        if buffer.len() > MAX_HEADER_BYTES {
            return Err(Response::text(431, "request headers too large"));
        }
        match fill(stream, buffer) {
            Fill::Data => {
                started.get_or_insert_with(Instant::now);
            }
            Fill::Closed => {
                return if buffer.is_empty() {
                    Ok(None)
                } else {
                    Err(Response::text(400, "incomplete request"))
                };
            }
            Fill::Waiting => match started {
                Some(at) if at.elapsed() > READ_TIMEOUT => {
                    return Err(Response::text(408, "request timeout"));
                }
                Some(_) => {}
                None if stop.load(Ordering::Relaxed) || waiting_since.elapsed() > IDLE => {
                    return Ok(None);
                }
                None => {}
            },
            Fill::Failed => return Ok(None),
        }
    };
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut parsed = httparse::Request::new(&mut headers);
    match parsed.parse(&buffer[..header_end]) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) | Err(_) => {
            return Err(Response::text(400, "malformed request"));
        }
    }
    let method = parsed.method.unwrap_or("").to_string();
    let target = parsed.path.unwrap_or("").to_string();
    let version = parsed.version.unwrap_or(0);
    let headers: Vec<(String, String)> = parsed
        .headers
        .iter()
        .filter_map(|header| {
            let value = std::str::from_utf8(header.value).ok()?;
            Some((header.name.to_ascii_lowercase(), value.trim().to_string()))
        })
        .collect();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
    };
    if header("transfer-encoding").is_some() {
        return Err(Response::text(411, "a body needs Content-Length"));
    }
    let length = match header("content-length") {
        None => 0,
        Some(value) => value
            .parse::<usize>()
            .map_err(|_| Response::text(400, "bad Content-Length"))?,
    };
    if length > limits.max_body {
        return Err(Response::text(413, "request body too large"));
    }
    let connection = header("connection").map(str::to_ascii_lowercase);
    let keep_alive = match (version, connection.as_deref()) {
        (_, Some(value)) if value.contains("close") => false,
        (0, Some(value)) => value.contains("keep-alive"),
        (0, None) => false,
        _ => true,
    };
    buffer.drain(..header_end);
    let started = started.unwrap_or_else(Instant::now);
    while buffer.len() < length {
        match fill(stream, buffer) {
            Fill::Data => {}
            Fill::Closed | Fill::Failed => return Err(Response::text(400, "incomplete body")),
            Fill::Waiting if started.elapsed() > READ_TIMEOUT => {
                return Err(Response::text(408, "request timeout"));
            }
            Fill::Waiting => {}
        }
    }
    let body: Vec<u8> = buffer.drain(..length).collect();
    Ok(Some(ReadRequest {
        request: Request {
            method,
            target,
            headers,
            body,
            client,
        },
        keep_alive,
    }))
}

/// What one read gave.
enum Fill {
    Data,
    Closed,
    /// Nothing yet (the read timed out).
    Waiting,
    Failed,
}

/// Reads what has arrived into `buffer`.
fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Fill {
    let mut chunk = [0u8; 8192];
    match stream.read(&mut chunk) {
        Ok(0) => Fill::Closed,
        Ok(n) => {
            buffer.extend_from_slice(&chunk[..n]);
            Fill::Data
        }
        Err(error)
            if matches!(
                error.kind(),
                ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
            ) =>
        {
            Fill::Waiting
        }
        Err(_) => Fill::Failed,
    }
}

/// Where the headers end (after the blank line), if they have.
fn find_header_end(buffer: &[u8]) -> Option<usize> {
    buffer
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .map(|at| at + 4)
}

/// Writes `response` (closing the connection after it unless `keep_alive`).
fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    keep_alive: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n",
        response.status,
        reason(response.status),
        response.body.len()
    );
    if !keep_alive {
        head.push_str("Connection: close\r\n");
    }
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(response.body.as_bytes())?;
    stream.flush()
}

/// The reason phrase of the statuses `serve` answers with.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_end_at_the_blank_line() {
        assert_eq!(
            find_header_end(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nbody"),
            Some(27)
        );
        assert_eq!(find_header_end(b"GET / HTTP/1.1\r\nHost: x\r\n"), None);
    }

    #[test]
    fn reasons_are_known_for_every_status_served() {
        for status in [200, 400, 403, 404, 405, 408, 411, 413, 429, 431, 500, 503] {
            assert!(!reason(status).is_empty(), "{status}");
        }
    }
}
