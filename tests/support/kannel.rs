//! A real Kannel for tests: bearerbox, smsbox and `fakesmsc` (Debian's `kannel-extras`) as the
//! SMSC, on free ports of 127.0.0.1, in a temporary folder that holds the configuration and the
//! logs. [`Kannel::start`] waits until the fake SMSC is online, smsbox is connected and `sendsms`
//! answers; dropping the value kills the three processes by pid, also when a test fails.
//!
//! `fakesmsc` prints every message it receives (`Got message 3: <NEWS +8801711000001 udh
//! %05%00%03%AB%02%01 data %09%A2...>`): sender, receiver, then `text <text>` for a 7-bit message
//! without header, `udh <url-encoded header> data <url-encoded data>` for one with a header (the
//! data is UTF-16BE for UCS-2, the text for GSM-7), `data`/`ucs-2 <url-encoded>` otherwise.
//! [`Kannel::received`] parses those lines; [`Kannel::sent`] reads bearerbox's access log, which
//! also has each message's data coding.
//!
//! When a program is missing the harness skips (returns `None`, saying why), unless `CI` is set:
//! then it panics, so a CI run without Kannel fails. Use it from another test binary with
//! `mod support;` (this folder's `mod.rs`) or `#[path = "support/kannel.rs"] mod kannel;`.

#![allow(dead_code)]

use std::fs::File;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// The sendsms user the configuration defines.
pub const USERNAME: &str = "newsdigest";
pub const PASSWORD: &str = "s3cret&pass";
const ADMIN_PASSWORD: &str = "admin";

/// How long Kannel may take to come up.
const STARTUP: Duration = Duration::from_secs(30);

/// Where the three programs are.
#[derive(Debug, Clone)]
pub struct Programs {
    pub bearerbox: PathBuf,
    pub smsbox: PathBuf,
    pub fakesmsc: PathBuf,
}

impl Programs {
    /// The installed programs, or what is missing.
    pub fn find() -> Result<Programs, String> {
        let existing = |path: &str| Some(PathBuf::from(path)).filter(|p| p.is_file());
        let bearerbox = existing("/usr/sbin/bearerbox").ok_or("/usr/sbin/bearerbox is missing")?;
        let smsbox = existing("/usr/sbin/smsbox").ok_or("/usr/sbin/smsbox is missing")?;
        let fakesmsc = existing("/usr/lib/kannel/test/fakesmsc")
            .or_else(fakesmsc_from_dpkg)
            .ok_or("fakesmsc is missing (package kannel-extras)")?;
        Ok(Programs {
            bearerbox,
            smsbox,
            fakesmsc,
        })
    }
}

/// `fakesmsc` as `dpkg -L kannel-extras` lists it.
fn fakesmsc_from_dpkg() -> Option<PathBuf> {
    let output = Command::new("dpkg")
        .args(["-L", "kannel-extras"])
        .output()
        .ok()?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find(|line| line.ends_with("/fakesmsc"))
        .map(PathBuf::from)
        .filter(|path| path.is_file())
}

/// One message as `fakesmsc` received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub from: String,
    pub to: String,
    /// `text`, `udh`, `data` or `ucs-2`.
    pub kind: String,
    /// The user-data header (empty without one).
    pub udh: Vec<u8>,
    /// The text's bytes for `text`, else the decoded data.
    pub data: Vec<u8>,
    /// The line as printed.
    pub line: String,
}

/// One `Sent SMS` line of bearerbox's access log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub to: String,
    /// The data coding: 0 GSM-7, 1 8-bit, 2 UCS-2.
    pub coding: i32,
    /// The user-data header in hex, as logged.
    pub udh: String,
}

/// A running Kannel.
pub struct Kannel {
    dir: tempfile::TempDir,
    /// smsbox, fakesmsc, bearerbox (killed in that order).
    children: Vec<(&'static str, Child)>,
    pub admin_port: u16,
    pub sendsms_port: u16,
    smsc_port: u16,
    fakesmsc: PathBuf,
    /// How many `fakesmsc` were started (each logs to its own file).
    fakesmsc_runs: usize,
}

impl Kannel {
    /// Starts Kannel, or `None` (with the reason printed) when its programs are missing and `CI`
    /// is not set. Panics, with the logs, when it does not come up.
    pub fn start() -> Option<Kannel> {
        Kannel::start_serving(None)
    }

    /// Starts Kannel with an `sms-service` that hands every mobile-originated message to
    /// `mo_url` (a `get-url` with Kannel's placeholders), or none.
    pub fn start_serving(mo_url: Option<&str>) -> Option<Kannel> {
        let programs = match Programs::find() {
            Ok(programs) => programs,
            Err(missing) if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) => {
                panic!("{missing}, and CI is set: install kannel and kannel-extras")
            }
            Err(missing) => {
                eprintln!("skipping the Kannel test: {missing}");
                return None;
            }
        };
        Some(Kannel::start_with(&programs, mo_url))
    }

    /// Starts Kannel from `programs`, with an `sms-service` calling `mo_url` if given.
    pub fn start_with(programs: &Programs, mo_url: Option<&str>) -> Kannel {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let [admin, smsbox, smsc, sendsms] = free_ports();
        let config = dir.path().join("kannel.conf");
        std::fs::write(
            &config,
            configuration(dir.path(), admin, smsbox, smsc, sendsms, mo_url),
        )
        .expect("kannel.conf written");
        let mut kannel = Kannel {
            dir,
            children: Vec::new(),
            admin_port: admin,
            sendsms_port: sendsms,
            smsc_port: smsc,
            fakesmsc: programs.fakesmsc.clone(),
            fakesmsc_runs: 0,
        };
        let deadline = Instant::now() + STARTUP;
        kannel.spawn("bearerbox", &programs.bearerbox, &[config.as_os_str()]);
        kannel.wait_until(deadline, "bearerbox's admin port", |k| {
            TcpStream::connect(("127.0.0.1", k.admin_port)).is_ok()
        });
        kannel.connect_fakesmsc(None, deadline);
        kannel.spawn("smsbox", &programs.smsbox, &[config.as_os_str()]);
        kannel.wait_until(deadline, "smsbox connected and sendsms answering", |k| {
            let status = k.status();
            status.contains("smsbox:") && status.contains("on-line") && k.sendsms_answers()
        });
        kannel
    }

    /// The sendsms URL (no query).
    pub fn sendsms_url(&self) -> String {
        format!("http://127.0.0.1:{}/cgi-bin/sendsms", self.sendsms_port)
    }

    /// The temporary folder with `kannel.conf` and the logs.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Every message the `fakesmsc` runs received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        (0..self.fakesmsc_runs)
            .flat_map(|run| {
                let log = std::fs::read_to_string(self.dir.path().join(fakesmsc_log(run)))
                    .unwrap_or_default();
                log.lines().filter_map(parse_received).collect::<Vec<_>>()
            })
            .collect()
    }

    /// A reader's message from `from` to the short code `1234`, sent by the fake SMSC: a new
    /// `fakesmsc` (the SMSC takes one client at a time) sends it once, then stays connected and
    /// prints what it receives, as the first did. ASCII text goes as `text`, any other as UCS-2.
    pub fn inject(&mut self, from: &str, text: &str) {
        let message = if text.is_ascii() {
            format!("{from} 1234 text {text}")
        } else {
            let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
            let encoded: String = utf16.iter().map(|b| format!("%{b:02X}")).collect();
            format!("{from} 1234 ucs2 {encoded}")
        };
        self.kill("fakesmsc");
        // Wait until bearerbox has noticed, so "online" below is the new fakesmsc.
        let noticed = Instant::now() + Duration::from_secs(5);
        while self.status().contains("(online ") && Instant::now() < noticed {
            thread::sleep(Duration::from_millis(50));
        }
        self.connect_fakesmsc(Some(&message), Instant::now() + STARTUP);
    }

    /// Waits until `fakesmsc` received at least `count` messages (at most 20 s), then a little
    /// longer to catch any extra one; returns them all.
    pub fn wait_for(&self, count: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.received().len() < count && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(50));
        }
        thread::sleep(Duration::from_millis(300));
        self.received()
    }

    /// The `Sent SMS` lines of bearerbox's access log, in order.
    pub fn sent(&self) -> Vec<Sent> {
        let log = std::fs::read_to_string(self.dir.path().join("access.log")).unwrap_or_default();
        log.lines().filter_map(parse_sent).collect()
    }

    /// The lines of Kannel's log `name` (`smsbox.log`, `bearerbox.log`) that contain `what`.
    pub fn log_lines(&self, name: &str, what: &str) -> Vec<String> {
        let log = std::fs::read_to_string(self.dir.path().join(name)).unwrap_or_default();
        log.lines()
            .filter(|line| line.contains(what))
            .map(str::to_string)
            .collect()
    }

    /// The end of every log, to explain a failure.
    pub fn logs(&self) -> String {
        let mut text = String::new();
        let fakesmsc = (0..self.fakesmsc_runs).map(fakesmsc_log);
        let others = ["bearerbox.log", "smsbox.log", "access.log"].map(String::from);
        for name in fakesmsc.chain(others) {
            let log = std::fs::read_to_string(self.dir.path().join(&name)).unwrap_or_default();
            let lines: Vec<&str> = log.lines().collect();
            let tail = &lines[lines.len().saturating_sub(30)..];
            text.push_str(&format!("---- {name}\n{}\n", tail.join("\n")));
        }
        text
    }

    /// bearerbox's `status.txt` ("" when it does not answer).
    fn status(&self) -> String {
        let url = format!(
            "http://127.0.0.1:{}/status.txt?password={ADMIN_PASSWORD}",
            self.admin_port
        );
        http_get(&url).map(|(_, body)| body).unwrap_or_default()
    }

    /// Whether smsbox's sendsms answers (403 without credentials).
    fn sendsms_answers(&self) -> bool {
        http_get(&self.sendsms_url()).is_some_and(|(status, _)| status == 403)
    }

    /// Starts `fakesmsc` until it stays connected and bearerbox shows the SMSC online; it sends
    /// `message` once, or nothing (`-m 0`), and prints what arrives.
    fn connect_fakesmsc(&mut self, message: Option<&str>, deadline: Instant) {
        let port = self.smsc_port.to_string();
        let program = self.fakesmsc.clone();
        loop {
            let (count, message) = match message {
                Some(message) => ("1", message),
                None => ("0", "0 0 text nothing"),
            };
            let args = [
                "-H",
                "127.0.0.1",
                "-r",
                &port,
                "-i",
                "0.2",
                "-m",
                count,
                message,
            ];
            let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
            let log = fakesmsc_log(self.fakesmsc_runs);
            self.fakesmsc_runs += 1;
            self.spawn_logged("fakesmsc", &log, &program, &args);
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(2) {
                if self.status().contains("(online ") {
                    return;
                }
                if self.exited("fakesmsc") {
                    break;
                }
                thread::sleep(Duration::from_millis(50));
            }
            self.kill("fakesmsc");
            assert!(
                Instant::now() < deadline,
                "fakesmsc did not connect to bearerbox\n{}",
                self.logs()
            );
        }
    }

    fn spawn(&mut self, name: &'static str, program: &Path, args: &[&std::ffi::OsStr]) {
        self.spawn_logged(name, &format!("{name}.log"), program, args);
    }

    fn spawn_logged(
        &mut self,
        name: &'static str,
        log: &str,
        program: &Path,
        args: &[&std::ffi::OsStr],
    ) {
        let output = File::create(self.dir.path().join(log)).expect("a log file for the program");
        let errors = output.try_clone().expect("the log file shared");
        let child = Command::new(program)
            .args(args)
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .stdout(output)
            .stderr(errors)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
        self.children.push((name, child));
    }

    fn exited(&mut self, name: &str) -> bool {
        self.children
            .iter_mut()
            .filter(|(n, _)| *n == name)
            .any(|(_, child)| !matches!(child.try_wait(), Ok(None)))
    }

    fn kill(&mut self, name: &str) {
        for (_, child) in self.children.iter_mut().filter(|(n, _)| *n == name) {
            let _ = child.kill();
            let _ = child.wait();
        }
        self.children.retain(|(n, _)| *n != name);
    }

    fn wait_until(&self, deadline: Instant, what: &str, ready: impl Fn(&Kannel) -> bool) {
        while !ready(self) {
            assert!(
                Instant::now() < deadline,
                "Kannel did not come up: waiting for {what}\n{}",
                self.logs()
            );
            thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Kannel {
    fn drop(&mut self) {
        for name in ["smsbox", "fakesmsc", "bearerbox"] {
            self.kill(name);
        }
    }
}

/// The log of the `run`th `fakesmsc` started (from 0).
fn fakesmsc_log(run: usize) -> String {
    if run == 0 {
        "fakesmsc.log".into()
    } else {
        format!("fakesmsc-{run}.log")
    }
}

/// Four distinct free ports on 127.0.0.1 (held together while chosen, then released).
fn free_ports() -> [u16; 4] {
    let listeners: Vec<TcpListener> = (0..4)
        .map(|_| TcpListener::bind("127.0.0.1:0").expect("a free port"))
        .collect();
    let port = |i: usize| listeners[i].local_addr().unwrap().port();
    [port(0), port(1), port(2), port(3)]
}

/// `kannel.conf`: bearerbox with one fake SMSC, smsbox with sendsms, one sendsms user.
fn configuration(
    dir: &Path,
    admin: u16,
    smsbox: u16,
    smsc: u16,
    sendsms: u16,
    mo_url: Option<&str>,
) -> String {
    let dir = dir.display();
    // Readers' messages go to `mo_url`; its answer is not sent back (`max-messages = 0`):
    // newsdigest sends its confirmation itself.
    let service = match mo_url {
        Some(url) => format!(
            "\ngroup = sms-service\nkeyword = default\ncatch-all = true\nmax-messages = 0\n\
             get-url = \"{url}\"\n"
        ),
        None => String::new(),
    };
    format!(
        "group = core\n\
         admin-port = {admin}\n\
         admin-interface = 127.0.0.1\n\
         admin-password = {ADMIN_PASSWORD}\n\
         smsbox-port = {smsbox}\n\
         box-allow-ip = 127.0.0.1\n\
         log-file = \"{dir}/bearerbox.log\"\n\
         log-level = 0\n\
         access-log = \"{dir}/access.log\"\n\
         dlr-storage = internal\n\
         \n\
         group = smsc\n\
         smsc = fake\n\
         smsc-id = fake\n\
         port = {smsc}\n\
         connect-allow-ip = 127.0.0.1\n\
         \n\
         group = smsbox\n\
         bearerbox-host = 127.0.0.1\n\
         bearerbox-port = {smsbox}\n\
         sendsms-port = {sendsms}\n\
         sendsms-interface = 127.0.0.1\n\
         log-file = \"{dir}/smsbox.log\"\n\
         log-level = 0\n\
         \n\
         group = sendsms-user\n\
         username = {USERNAME}\n\
         password = \"{PASSWORD}\"\n\
         max-messages = 1\n\
         {service}"
    )
}

/// A GET with a short timeout: the status and body, or `None` when nothing answered.
fn http_get(url: &str) -> Option<(u16, String)> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(2)))
        .build()
        .into();
    let mut response = agent.get(url).call().ok()?;
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string().unwrap_or_default();
    Some((status, body))
}

/// A `Got message N: <from to kind ...>` line of `fakesmsc`.
fn parse_received(line: &str) -> Option<Received> {
    let start = line.find("Got message ")?;
    let rest = &line[start..];
    let inner = &rest[rest.find(": <")? + 3..rest.rfind('>')?];
    let mut fields = inner.splitn(4, ' ');
    let from = fields.next()?.to_string();
    let to = fields.next()?.to_string();
    let kind = fields.next()?.to_string();
    let rest = fields.next().unwrap_or("");
    let (udh, data) = match kind.as_str() {
        "text" => (Vec::new(), rest.as_bytes().to_vec()),
        "udh" => {
            let (udh, data) = rest.split_once(" data ")?;
            (url_decode(udh), url_decode(data))
        }
        _ => (Vec::new(), url_decode(rest)),
    };
    Some(Received {
        from,
        to,
        kind,
        udh,
        data,
        line: inner.to_string(),
    })
}

/// A `Sent SMS ... [to:X] [flags:m:c:...] ... [udh:n:HEX]` line of the access log.
fn parse_sent(line: &str) -> Option<Sent> {
    if !line.contains("Sent SMS") {
        return None;
    }
    let field = |name: &str| {
        let start = line.find(&format!("[{name}:"))? + name.len() + 2;
        let end = start + line[start..].find(']')?;
        Some(&line[start..end])
    };
    let coding = field("flags")?.split(':').nth(1)?.parse().ok()?;
    let udh = field("udh")?.split_once(':')?.1.to_string();
    Some(Sent {
        to: field("to")?.to_string(),
        coding,
        udh,
    })
}

/// Kannel's URL decoding: `+` is a space, `%XX` a byte.
fn url_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => decoded.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(byte) => {
                        decoded.push(byte);
                        i += 2;
                    }
                    Err(_) => decoded.push(b'%'),
                }
            }
            byte => decoded.push(byte),
        }
        i += 1;
    }
    decoded
}
