//! A real SMTP server for tests: Python's aiosmtpd (`python3 -m aiosmtpd`, Debian package
//! python3-aiosmtpd) on 127.0.0.1, with a small handler written to the test's temporary folder
//! that saves each message to a Maildir, counts connections (EHLO), answers `550` for `nosuch@`
//! recipients and `451` for `busy@` ones. Stopped by pid when dropped.
//!
//! Where python3 with aiosmtpd is missing, [`python`] fails under CI (`CI` set: `.ci/run` installs
//! it) and elsewhere prints a visible skip line.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The aiosmtpd handler: a Maildir sink with refusals by recipient, counting EHLOs.
pub const HANDLER: &str = r#"
import mailbox, os

class Picky:
    def __init__(self, maildir):
        self.box = mailbox.Maildir(maildir, create=True)
        self.log = os.path.join(os.path.dirname(maildir), "ehlo.log")

    @classmethod
    def from_cli(cls, parser, *args):
        return cls(args[0])

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with open(self.log, "a") as log:
            log.write(hostname + "\n")
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nosuch@"):
            return "550 5.1.1 <%s>: Recipient address rejected: no such user" % address
        if address.startswith("busy@"):
            return "451 4.3.0 <%s>: mailbox busy, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        head = "X-Envelope-From: %s\r\nX-Envelope-To: %s\r\n" % (
            envelope.mail_from, ",".join(envelope.rcpt_tos))
        key = self.box.add(head.encode() + envelope.original_content)
        return "250 2.0.0 OK queued as %s" % key
"#;

/// A server with the [`HANDLER`] that requires `AUTH` (argv: port, Maildir).
pub const AUTH_SERVER: &str = r#"
import sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from picky import Picky

def check(server, session, envelope, mechanism, auth_data):
    ok = (auth_data.login, auth_data.password) == (b"desk", b"s3cret")
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535

controller = Controller(Picky(sys.argv[2]), hostname="127.0.0.1", port=int(sys.argv[1]),
                        authenticator=check, auth_required=True, auth_require_tls=False)
controller.start()
while True:
    time.sleep(3600)
"#;

/// A python3 that can run aiosmtpd, or `None` (after a visible skip line) outside CI.
pub fn python() -> Option<String> {
    for candidate in ["python3", "/usr/bin/python3"] {
        let works = Command::new(candidate)
            .args(["-c", "import aiosmtpd"])
            .output()
            .is_ok_and(|output| output.status.success());
        if works {
            return Some(candidate.to_string());
        }
    }
    let reason =
        "python3 with aiosmtpd is not installed (Debian python3-aiosmtpd; .ci/run installs it)";
    assert!(std::env::var_os("CI").is_none(), "under CI: {reason}");
    let _ = writeln!(std::io::stderr(), "SKIP smtp tests: {reason}");
    None
}

/// A free TCP port on 127.0.0.1 (free when this returns; the server binds it next).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// An aiosmtpd process, stopped by pid when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    pub dir: tempfile::TempDir,
}

impl Server {
    /// Starts aiosmtpd with the [`HANDLER`] and `extra` options; waits until the port answers.
    pub fn start(python: &str, extra: &[&str]) -> Server {
        Server::launch(python, |port, maildir| {
            let mut args = vec!["-m", "aiosmtpd", "-n", "-l"]
                .into_iter()
                .map(String::from)
                .collect::<Vec<_>>();
            args.push(format!("127.0.0.1:{port}"));
            args.extend(extra.iter().map(|arg| arg.to_string()));
            args.extend([
                "-c".to_string(),
                "picky.Picky".to_string(),
                maildir.display().to_string(),
            ]);
            args
        })
    }

    /// Starts the [`HANDLER`] in a server that requires `AUTH` as `desk` / `s3cret` (the
    /// aiosmtpd command line cannot ask for authentication).
    pub fn start_authenticating(python: &str) -> Server {
        Server::launch(python, |port, maildir| {
            vec![
                "-c".to_string(),
                AUTH_SERVER.to_string(),
                port.to_string(),
                maildir.display().to_string(),
            ]
        })
    }

    /// Runs `python ARGS` (given the port and the Maildir) in a new temporary folder holding
    /// the handler, and waits until the port answers.
    pub fn launch(python: &str, args: impl FnOnce(u16, &Path) -> Vec<String>) -> Server {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("picky.py"), HANDLER).unwrap();
        let port = free_port();
        let log = std::fs::File::create(dir.path().join("server.log")).unwrap();
        let child = Command::new(python)
            .args(args(port, &dir.path().join("Maildir")))
            .env("PYTHONPATH", dir.path())
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let mut server = Server { child, port, dir };
        server.wait_until_listening();
        server
    }

    pub fn wait_until_listening(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("aiosmtpd exited ({status}): {}", self.log());
            }
            assert!(
                Instant::now() < deadline,
                "aiosmtpd did not listen: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// Every message the server stored, as raw bytes.
    pub fn messages(&self) -> Vec<Vec<u8>> {
        let new = self.dir.path().join("Maildir/new");
        let Ok(entries) = std::fs::read_dir(new) else {
            return Vec::new();
        };
        entries
            .map(|entry| std::fs::read(entry.unwrap().path()).unwrap())
            .collect()
    }

    /// How many connections greeted the server (EHLO).
    pub fn connections(&self) -> usize {
        std::fs::read_to_string(self.dir.path().join("ehlo.log"))
            .map(|log| log.lines().count())
            .unwrap_or(0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
