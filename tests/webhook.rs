//! The webhook gateway against an in-process HTTP/1.1 server on 127.0.0.1 that records each
//! request and answers from a script: the JSON body and headers, and how 2xx, 4xx, 5xx, 408, 429,
//! redirects, silence and a closed port become outcomes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use newsdigest::bulletin::deliver::webhook::{WebhookGateway, WebhookSettings};
use newsdigest::bulletin::deliver::{Gateway, Outcome};
use newsdigest::bulletin::outbox::{Content, Message, Render, SmsPart};
use serde_json::{Value, json};

/// One request as the server read it.
#[derive(Debug, Clone)]
struct Request {
    method: String,
    path: String,
    /// Names lowercased.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// What the server does with a request.
enum Reply {
    /// This status line and body, then the connection is closed.
    Status(&'static str, String),
    /// Nothing, with the connection held open until the server stops.
    Silent,
}

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
        let thread = thread::spawn(move || {
            let mut held = Vec::new();
            while !stopped.load(Ordering::SeqCst) {
                let Ok((stream, _)) = listener.accept() else {
                    thread::sleep(Duration::from_millis(5));
                    continue;
                };
                stream.set_nonblocking(false).unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_secs(2)))
                    .unwrap();
                let Some(request) = read_request(&stream) else {
                    continue;
                };
                let reply = script(&request);
                seen.lock().unwrap().push(request);
                match reply {
                    Reply::Status(status, body) => respond(stream, status, &body),
                    Reply::Silent => held.push(stream),
                }
            }
        });
        Server {
            port,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hooks/sms", self.port)
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

fn read_request(stream: &TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut words = line.split_whitespace();
    let method = words.next()?.to_string();
    let path = words.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 || line.trim().is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let length = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        path,
        headers,
        body,
    })
}

fn respond(mut stream: TcpStream, status: &str, body: &str) {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
}

fn gateway(url: &str, timeout: Duration) -> WebhookGateway {
    WebhookGateway::new(WebhookSettings {
        url: url.into(),
        authorization: Some("Bearer t0ken".into()),
        timeout,
        reports: None,
    })
}

fn sms_message() -> Message {
    Message {
        id: 17,
        bulletin: "morning".into(),
        slot: "2025-04-23T01:00:00Z".parse().unwrap(),
        address: "+8801711000001".into(),
        name: Some("Rahim".into()),
        target: "hook".into(),
        attempts: 2,
        render: Arc::new(Render {
            locale: "bn".into(),
            zone: "Asia/Dhaka".into(),
            content: Content::Sms {
                text: "ঢাকায় বৃষ্টি".into(),
                encoding: "ucs2".into(),
                parts: vec![SmsPart {
                    udh: String::new(),
                    payload: "09A209BE099509BE09AF09BC002009AC09C309B709CD099F09BF".into(),
                    text: "ঢাকায় বৃষ্টি".into(),
                }],
            },
        }),
        quiet: None,
    }
}

/// The outcome of one message sent to a server answering `status` and `body`.
fn outcome_of(status: &'static str, body: &str) -> Outcome {
    let body = body.to_string();
    let server = Server::start(move |_| Reply::Status(status, body.clone()));
    let outcome = gateway(&server.url(), Duration::from_secs(5)).send(&[&sms_message()]);
    assert_eq!(
        server.requests().len(),
        1,
        "one request, no retry inside the gateway"
    );
    outcome.into_iter().next().unwrap()
}

#[test]
fn posts_the_json_body_with_the_bearer_token() {
    let server = Server::start(|_| Reply::Status("202 Accepted", "queued\r\nid=42\n".into()));
    let outcomes = gateway(&server.url(), Duration::from_secs(5)).send(&[&sms_message()]);
    assert_eq!(outcomes, [Outcome::Sent("202 queued id=42".into())]);
    let requests = server.requests();
    let request = &requests[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/hooks/sms")
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("authorization"), Some("Bearer t0ken"));
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        body,
        json!({
            "id": 17,
            "bulletin": "morning",
            "slot": "2025-04-23T01:00:00Z",
            "to": "+8801711000001",
            "text": "ঢাকায় বৃষ্টি",
            "encoding": "ucs2",
            "parts": [{
                "udh": "",
                "payload": "09A209BE099509BE09AF09BC002009AC09C309B709CD099F09BF",
                "text": "ঢাকায় বৃষ্টি"
            }]
        })
    );
}

#[test]
fn two_hundreds_are_sent_with_a_short_one_line_answer() {
    assert_eq!(outcome_of("200 OK", "ok"), Outcome::Sent("200 ok".into()));
    assert_eq!(
        outcome_of("204 No Content", ""),
        Outcome::Sent("204".into())
    );
    let long = format!("accepted\n{}", "x".repeat(500));
    let Outcome::Sent(answer) = outcome_of("200 OK", &long) else {
        panic!("sent")
    };
    assert!(answer.starts_with("200 accepted xxx"), "{answer}");
    assert_eq!(answer.chars().count(), "200 ".len() + 200);
    assert!(!answer.contains('\n'));
}

#[test]
fn client_errors_fail_for_good() {
    assert_eq!(
        outcome_of("422 Unprocessable Entity", "{\"error\":\"bad number\"}"),
        Outcome::Failed("422 {\"error\":\"bad number\"}".into())
    );
    assert_eq!(
        outcome_of("401 Unauthorized", ""),
        Outcome::Failed("401".into())
    );
    assert_eq!(
        outcome_of("404 Not Found", "no such hook"),
        Outcome::Failed("404 no such hook".into())
    );
}

#[test]
fn server_errors_408_and_429_are_retried_later() {
    assert_eq!(
        outcome_of("503 Service Unavailable", "maintenance"),
        Outcome::RetryLater("503 maintenance".into())
    );
    assert_eq!(
        outcome_of("500 Internal Server Error", ""),
        Outcome::RetryLater("500".into())
    );
    assert_eq!(
        outcome_of("429 Too Many Requests", "slow down"),
        Outcome::RetryLater("429 slow down".into())
    );
    assert_eq!(
        outcome_of("408 Request Timeout", ""),
        Outcome::RetryLater("408".into())
    );
}

#[test]
fn redirects_are_not_followed() {
    let outcome = outcome_of("302 Found", "elsewhere");
    assert_eq!(outcome, Outcome::Failed("302 elsewhere".into()));
}

#[test]
fn a_silent_server_times_out_and_is_retried_later() {
    let server = Server::start(|_| Reply::Silent);
    let started = Instant::now();
    let outcomes = gateway(&server.url(), Duration::from_secs(1)).send(&[&sms_message()]);
    let waited = started.elapsed();
    println!("a silent server: gave up after {waited:?}");
    assert_eq!(
        outcomes,
        [Outcome::RetryLater(
            "timed out after 1 s (waiting for the answer)".into()
        )]
    );
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(4),
        "{waited:?}"
    );
}

#[test]
fn a_closed_port_is_retried_later() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/hooks/sms");
    let outcomes = gateway(&url, Duration::from_secs(2)).send(&[&sms_message(), &sms_message()]);
    let later = Outcome::RetryLater("connection refused".into());
    assert_eq!(outcomes, [later.clone(), later]);
}
