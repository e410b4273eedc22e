//! Ingest from the command line: folders, special files, size limits, hostile articles.
//!
//! Runs the built binary on files made in temporary folders and checks exit codes and error messages
//! word for word. Every run has a deadline, so a read that blocks (a FIFO) fails the test instead of
//! hanging it. Example: `newsdigest inspect DIR` over a folder with a symlink to itself lists each
//! article once.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What a run of the binary gave.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// How long one run may take before the test fails as a hang.
const DEADLINE: Duration = Duration::from_secs(30);

/// Runs `newsdigest ARGS` with `stdin`, killing it (and failing) if it outlives [`DEADLINE`].
fn run_with_stdin(args: &[&str], stdin: Vec<u8>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    // The binary may stop reading early (a size limit): a broken pipe here is not a failure.
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&stdin);
    });
    // Drained while the child runs: a full pipe would block it and look like a hang.
    let mut out = child.stdout.take().expect("stdout is piped");
    let mut err = child.stderr.take().expect("stderr is piped");
    let stdout = std::thread::spawn(move || read_all(&mut out));
    let stderr = std::thread::spawn(move || read_all(&mut err));
    let started = Instant::now();
    while child.try_wait().expect("the child can be polled").is_none() {
        if started.elapsed() > DEADLINE {
            child.kill().expect("the hung child can be killed");
            panic!("newsdigest {args:?} did not finish within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    writer.join().expect("the stdin writer finishes");
    let status = child.wait().expect("the child has finished");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: stdout.join().expect("stdout is read"),
        stderr: stderr.join().expect("stderr is read"),
    }
}

fn read_all(pipe: &mut dyn Read) -> String {
    let mut bytes = Vec::new();
    pipe.read_to_end(&mut bytes).expect("the pipe can be read");
    String::from_utf8_lossy(&bytes).into_owned()
}

fn run(args: &[&str]) -> Run {
    run_with_stdin(args, Vec::new())
}

/// `newsdigest inspect ARGS` as JSON, failing with stderr if the run failed.
fn inspect(args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["inspect"];
    all.extend_from_slice(args);
    let run = run(&all);
    assert_eq!(run.code, 0, "newsdigest {all:?} failed: {}", run.stderr);
    serde_json::from_str(&run.stdout).expect("stdout is a JSON array")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

fn wire(body: &str) -> Vec<u8> {
    format!("{body}\nSource: Desk\nBDST: 1347 HRS, APR 23, 2025\nRK\n").into_bytes()
}

fn origins(articles: &[serde_json::Value]) -> Vec<String> {
    articles
        .iter()
        .map(|a| {
            let origin = a["origin"].as_str().unwrap();
            Path::new(origin)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

#[test]
fn folder_with_symlink_loops_reads_each_article_once() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", &wire("Rain in Dhaka today."));
    write(dir.path(), "sub/b.txt", &wire("Floods in Sylhet."));
    std::os::unix::fs::symlink(".", dir.path().join("self")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("sub/up")).unwrap();
    std::os::unix::fs::symlink("../a.txt", dir.path().join("sub/again.txt")).unwrap();
    let articles = inspect(&[dir.path().to_str().unwrap()]);
    assert_eq!(origins(&articles), ["a.txt", "b.txt"]);
}

#[test]
fn same_file_named_twice_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", &wire("Rain in Dhaka today."));
    let articles = inspect(&[&a, dir.path().to_str().unwrap()]);
    assert_eq!(origins(&articles), ["a.txt"]);
}

#[test]
fn folder_walk_is_sorted_and_skips_hidden_entries() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "b.txt", &wire("Second story here."));
    write(dir.path(), "a/z.txt", &wire("First story here."));
    write(dir.path(), ".hidden.txt", &wire("Hidden story."));
    write(dir.path(), ".git/c.txt", &wire("Hidden folder story."));
    write(dir.path(), "notes.md", b"not an article");
    let articles = inspect(&[dir.path().to_str().unwrap()]);
    assert_eq!(origins(&articles), ["z.txt", "b.txt"]);
}

#[test]
fn upper_and_mixed_case_extensions_are_read() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "A.TXT", &wire("Upper case wire story."));
    write(
        dir.path(),
        "b.Json",
        br#"{"body": "Mixed case JSON story."}"#,
    );
    write(
        dir.path(),
        "c.JSON",
        br#"[{"body": "Upper case JSON story."}]"#,
    );
    let articles = inspect(&[dir.path().to_str().unwrap()]);
    assert_eq!(origins(&articles), ["A.TXT", "b.Json", "c.JSON"]);
}

#[test]
fn fifo_in_a_folder_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", &wire("Rain in Dhaka today."));
    if !mkfifo(&dir.path().join("x.txt")) {
        println!("skipped: mkfifo is not available");
        return;
    }
    let articles = inspect(&[dir.path().to_str().unwrap()]);
    assert_eq!(origins(&articles), ["a.txt"]);
}

#[test]
fn fifo_named_on_the_command_line_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("x.txt");
    if !mkfifo(&fifo) {
        println!("skipped: mkfifo is not available");
        return;
    }
    let fifo = fifo.to_str().unwrap();
    let run = run(&["digest", fifo]);
    assert_eq!(run.code, 65);
    assert_eq!(
        run.stderr,
        format!("error: {fifo}: not a regular file (a FIFO)\n")
    );
}

#[test]
fn device_named_on_the_command_line_is_an_error() {
    let run = run(&["digest", "/dev/zero"]);
    assert_eq!(run.code, 65);
    assert_eq!(
        run.stderr,
        "error: /dev/zero: not a regular file (a character device)\n"
    );
}

#[test]
fn txt_symlink_to_a_device_in_a_folder_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", &wire("Rain in Dhaka today."));
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.txt")).unwrap();
    let articles = inspect(&[dir.path().to_str().unwrap()]);
    assert_eq!(origins(&articles), ["a.txt"]);
}

#[test]
fn file_over_the_size_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.txt");
    let file = std::fs::File::create(&path).unwrap();
    // Sparse: 64 MiB of zeros plus one byte, without writing them.
    file.set_len(64 * 1024 * 1024 + 1).unwrap();
    let path = path.to_str().unwrap();
    let run = run(&["digest", path]);
    assert_eq!(run.code, 65);
    assert_eq!(
        run.stderr,
        format!("error: {path}: larger than 64 MiB, the limit for one input\n")
    );
}

#[test]
fn stdin_over_the_size_limit_is_refused() {
    let run = run_with_stdin(&["digest", "-"], vec![b'a'; 64 * 1024 * 1024 + 1]);
    assert_eq!(run.code, 65);
    assert_eq!(
        run.stderr,
        "error: <stdin>: larger than 64 MiB, the limit for one input\n"
    );
}

#[test]
fn json_missing_body_names_file_line_article_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "story.json",
        b"[{\"body\": \"One.\"},\n {\"title\": \"Two\"},\n {\"title\": \"Three\"}\n]\n",
    );
    let run = run(&["digest", &path]);
    assert_eq!(run.code, 65);
    assert_eq!(
        run.stderr,
        format!("error: {path}:2: article 2: missing field \"body\"\n")
    );
}

#[test]
fn json_on_stdin_with_a_mistyped_body() {
    let run = run_with_stdin(&["digest", "-"], b"{\n  \"body\": 5\n}".to_vec());
    assert_eq!(run.code, 65);
    assert_eq!(
        run.stderr,
        "error: <stdin>:2: article 1: field \"body\": invalid type: integer `5`, expected a string\n"
    );
}

#[test]
fn footer_only_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "footer.txt",
        b"Source: X\nBDST: 1347 HRS, APR 23, 2025\nRK\n",
    );
    let run = run(&["digest", &path]);
    assert_eq!(run.code, 65);
    assert_eq!(
        run.stderr,
        format!("error: {path}: no article body, only footer lines\n")
    );
}

#[test]
fn lone_cr_line_endings_keep_the_footer_out_of_the_story() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "mac.txt",
        b"Rain in Dhaka today.\rMore tomorrow.\rSource: Desk\rBDST: 1347 HRS, APR 23, 2025\rRK\r",
    );
    let articles = inspect(&[&path]);
    assert_eq!(articles[0]["source"], "Desk");
    assert_eq!(articles[0]["editor"], "RK");
    assert_eq!(
        articles[0]["sentences"],
        serde_json::json!(["Rain in Dhaka today.", "More tomorrow."])
    );
}

#[test]
fn bidi_overrides_are_stripped_from_wire_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let txt = write(
        dir.path(),
        "a.txt",
        "Rain\u{202e} in Dhaka today.\nSource: Police\u{202e}\nBDST: 1347 HRS, APR 23, 2025\n"
            .as_bytes(),
    );
    let json = write(
        dir.path(),
        "b.json",
        r#"{"title": "\u2066Rain\u2069", "body": "Rain\u202d in Dhaka.", "source": "Police\u202e", "url": "https://x.example/\u202a"}"#.as_bytes(),
    );
    for article in inspect(&[&txt, &json]) {
        let text = article.to_string();
        for c in ['\u{202a}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2069}'] {
            assert!(!text.contains(c), "{c:?} left in {text}");
        }
        assert_eq!(article["source"], "Police");
    }
}

#[test]
fn empty_and_whitespace_only_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("empty.txt", &b""[..]),
        ("blank.txt", b" \t\r\n\r \n"),
        ("nul.txt", b"\0\0\0"),
    ] {
        let path = write(dir.path(), name, bytes);
        let run = run(&["digest", &path]);
        assert_eq!(run.code, 65, "{name}");
        assert_eq!(
            run.stderr,
            format!("error: {path}: empty article: no text\n")
        );
    }
}

#[test]
fn nul_bytes_and_long_lines_do_not_crash() {
    let dir = tempfile::tempdir().unwrap();
    let long_source = "Desk ".repeat(100);
    let long_line = "word ".repeat(200_000);
    let text = format!("Rain\0 in Dhaka.\n{long_line}\nSource: {long_source}\nRK\n");
    let path = write(dir.path(), "odd.txt", text.as_bytes());
    let articles = inspect(&[&path]);
    assert_eq!(articles[0]["source"], long_source.trim());
}

#[test]
fn directory_named_like_an_article_is_walked() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "x.txt/inner.txt", &wire("Rain in Dhaka today."));
    let articles = inspect(&[dir.path().join("x.txt").to_str().unwrap()]);
    assert_eq!(origins(&articles), ["inner.txt"]);
}

#[test]
fn unreadable_file_is_an_io_error() {
    if is_root() {
        println!("skipped: running as root, so chmod 000 does not stop reads");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "secret.txt", &wire("Rain."));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let run = run(&["digest", &path]);
    assert_eq!(run.code, 74);
    assert!(
        run.stderr
            .starts_with(&format!("error: {path}: cannot read: ")),
        "{}",
        run.stderr
    );
}

#[test]
fn unsafe_urls_are_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (i, url) in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,x",
        "file:///etc/passwd",
        "vbscript:x",
        "/relative/path",
        "https://ok.example/a b",
    ]
    .iter()
    .enumerate()
    {
        let json = serde_json::json!({"body": "Rain in Dhaka.", "url": url}).to_string();
        paths.push(write(dir.path(), &format!("{i}.json"), json.as_bytes()));
    }
    let json = r#"{"body": "Rain.", "url": "HTTPS://ok.example/a"}"#;
    let kept = write(dir.path(), "kept.json", json.as_bytes());
    let mut args: Vec<&str> = paths.iter().map(String::as_str).collect();
    args.push(&kept);
    let articles = inspect(&args);
    for article in &articles[..articles.len() - 1] {
        assert!(article["url"].is_null(), "{article}");
    }
    assert_eq!(articles[articles.len() - 1]["url"], "HTTPS://ok.example/a");
}
