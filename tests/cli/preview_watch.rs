//! `newsdigest preview --watch`: the page is rewritten when an input or template changes.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills and reaps the watcher when dropped, so a failing test leaves no process behind.
struct Watcher(Child);

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits up to 30 s for `check` to hold.
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn watch_rewrites_the_page_when_a_story_or_template_changes() {
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("rain.json");
    std::fs::write(
        &story,
        r#"{"title": "Rain in Dhaka", "body": "Rain fell on Dhaka today."}"#,
    )
    .unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(templates.join("email")).unwrap();
    let page = dir.path().join("page.html");
    let watcher = Watcher(
        Command::new(env!("CARGO_BIN_EXE_newsdigest"))
            .args([
                "preview",
                story.to_str().unwrap(),
                "--locale",
                "en",
                "--format",
                "html",
            ])
            .args([
                "--now",
                "2025-04-23T09:00:00Z",
                "--watch",
                "--out",
                page.to_str().unwrap(),
            ])
            .args(["--templates", templates.to_str().unwrap()])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_clear()
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts"),
    );
    let read = || std::fs::read_to_string(&page).unwrap_or_default();
    eventually("the first page", || read().contains("Rain in Dhaka"));
    std::fs::write(
        &story,
        r#"{"title": "Floods in Sylhet", "body": "Rivers rose in Sylhet."}"#,
    )
    .unwrap();
    eventually("the page after the story changed", || {
        read().contains("Floods in Sylhet")
    });
    std::fs::write(templates.join("email/subject.txt.tera"), "Edited subject").unwrap();
    eventually("the page after a template was added", || {
        read().contains("Edited subject")
    });
    drop(watcher);
}

#[test]
fn watch_needs_out() {
    let run = crate::run(&["preview", "samples/en-flood-sylhet.txt", "--watch"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--out"), "{}", run.stderr);
}
