//! A fake HTTP gateway for tests: accepts every POST on 127.0.0.1, records its body, answers
//! `200 OK` (or what the test asks for), optionally after a delay. It stands in for any webhook
//! gateway, so tests can count exactly what a gateway accepted.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// A running recorder; stops accepting when dropped.
pub struct Recorder {
    pub port: u16,
    bodies: Arc<Mutex<Vec<String>>>,
    status: Arc<AtomicU16>,
    stop: Arc<AtomicBool>,
}

impl Recorder {
    /// Starts a recorder that waits `delay` before answering each request.
    pub fn start(delay: Duration) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local address").port();
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let status = Arc::new(AtomicU16::new(200));
        let stop = Arc::new(AtomicBool::new(false));
        let (shared, code, stopping) =
            (Arc::clone(&bodies), Arc::clone(&status), Arc::clone(&stop));
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (shared, code) = (Arc::clone(&shared), Arc::clone(&code));
                thread::spawn(move || serve(stream, &shared, &code, delay));
            }
        });
        Recorder {
            port,
            bodies,
            status,
            stop,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/send", self.port)
    }

    /// Every body accepted so far (only bodies answered 2xx are recorded).
    pub fn bodies(&self) -> Vec<String> {
        self.bodies.lock().expect("recorder lock").clone()
    }

    /// How many bodies were accepted so far (without copying them).
    pub fn count(&self) -> usize {
        self.bodies.lock().expect("recorder lock").len()
    }

    /// Answers `status` from now on (bodies are recorded only for 2xx).
    pub fn answer(&self, status: u16) {
        self.status.store(status, Ordering::SeqCst);
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve(stream: TcpStream, bodies: &Mutex<Vec<String>>, status: &AtomicU16, delay: Duration) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(clone) => clone,
        Err(_) => return,
    });
    let mut length = 0usize;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    thread::sleep(delay);
    let code = status.load(Ordering::SeqCst);
    if (200..300).contains(&code) {
        bodies
            .lock()
            .expect("recorder lock")
            .push(String::from_utf8_lossy(&body).into_owned());
    }
    let answer =
        format!("HTTP/1.1 {code} Status\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
    let mut stream = stream;
    let _ = stream.write_all(answer.as_bytes());
}
