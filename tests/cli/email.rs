//! Email output: the `.eml` written by `--out` parses as MIME, with a decoded subject and both parts.

use std::path::PathBuf;
use std::process::Command;

use crate::run;

const NOW: &str = "2025-04-23T09:00:00Z";

/// Writes the email digest of `inputs` into a temporary directory and returns the `.eml` path.
fn write_eml(dir: &tempfile::TempDir, args: &[&str]) -> PathBuf {
    let out = dir.path().to_str().unwrap();
    let mut all = vec!["digest", "--channel", "email", "--now", NOW, "--out", out];
    all.extend(args);
    let run = run(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = PathBuf::from(run.stdout.trim());
    assert_eq!(path.extension().unwrap(), "eml");
    path
}

#[test]
fn english_eml_parses_with_both_parts() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_eml(
        &dir,
        &["samples/en-flood-sylhet.txt", "--tz", "Europe/London"],
    );
    let bytes = std::fs::read(&path).unwrap();
    let mail = mailparse::parse_mail(&bytes).unwrap();
    assert_eq!(mail.ctype.mimetype, "multipart/alternative");
    let subject = crate::header(&mail, "Subject");
    assert!(
        subject.starts_with("Floodwaters rose across three northeastern districts"),
        "{subject}"
    );
    assert!(mail.headers.iter().any(|h| h.get_key() == "Message-ID"));
    assert_eq!(
        crate::header(&mail, "Date"),
        "Wed, 23 Apr 2025 09:00:00 +0000"
    );
    assert_eq!(mail.subparts.len(), 2);
    assert_eq!(mail.subparts[0].ctype.mimetype, "text/plain");
    assert_eq!(mail.subparts[1].ctype.mimetype, "text/html");
    let text = mail.subparts[0].get_body().unwrap();
    assert!(text.contains("Published: Apr 23 08:47 BST"), "{text}");
    let html = mail.subparts[1].get_body().unwrap();
    assert!(html.contains("<html lang=\"en\" dir=\"ltr\">"), "{html}");
}

#[test]
fn bengali_subject_is_rfc2047_encoded_and_decodes() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_eml(&dir, &["samples/bn-dhaka-rain.txt", "--locale", "bn"]);
    let raw = std::fs::read_to_string(&path).unwrap();
    let subject_line = raw.lines().find(|l| l.starts_with("Subject:")).unwrap();
    assert!(
        subject_line.is_ascii() && subject_line.contains("=?utf-8?"),
        "{subject_line}"
    );
    let mail = mailparse::parse_mail(raw.as_bytes()).unwrap();
    let subject = crate::header(&mail, "Subject");
    assert!(
        subject.starts_with("রাজধানীসহ দেশের বিভিন্ন এলাকায়"),
        "{subject}"
    );
    let text = mail.subparts[0].get_body().unwrap();
    assert!(text.contains("প্রকাশিত: ২৩ এপ্রি ১৩:৪৭"), "{text}");
}

#[test]
fn python_email_package_reads_the_message() {
    // Python's `email` package is an independent MIME parser; skip only where python3 is missing.
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("skipped: python3 is not installed, so the independent MIME check cannot run");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write_eml(&dir, &["samples/bn-dhaka-rain.txt", "--locale", "bn"]);
    let script = r#"
import email, sys
from email import policy
msg = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)
assert msg.get_content_type() == 'multipart/alternative', msg.get_content_type()
parts = [p.get_content_type() for p in msg.iter_parts()]
assert parts == ['text/plain', 'text/html'], parts
assert not msg.defects, msg.defects
print(msg['subject'])
"#;
    let output = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("রাজধানীসহ"));
}

#[test]
fn list_unsubscribe_header_and_link() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_eml(
        &dir,
        &[
            "samples/en-flood-sylhet.txt",
            "--unsubscribe",
            "https://news.example.com/u?id=7",
        ],
    );
    let bytes = std::fs::read(&path).unwrap();
    let mail = mailparse::parse_mail(&bytes).unwrap();
    let header = mail
        .headers
        .iter()
        .find(|h| h.get_key() == "List-Unsubscribe")
        .unwrap();
    assert_eq!(header.get_value(), "<https://news.example.com/u?id=7>");
    assert!(
        mail.subparts[1]
            .get_body()
            .unwrap()
            .contains("href=\"https://news.example.com/u?id=7\"")
    );
    assert!(
        mail.subparts[0]
            .get_body()
            .unwrap()
            .contains("Unsubscribe: https://news.example.com/u?id=7")
    );
}

#[test]
fn bad_unsubscribe_url_is_refused() {
    let run = run(&[
        "digest",
        "samples/en-flood-sylhet.txt",
        "--channel",
        "email",
        "--unsubscribe",
        "javascript:alert(1)",
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: --unsubscribe: \"javascript:alert(1)\" is not an https:, http: or mailto: URL without spaces\n"
    );
}

#[test]
fn html_mail_has_no_remote_resources() {
    let json = crate::run_json(&[
        "digest",
        "samples/en-metro-rail.json",
        "--channel",
        "email",
        "--now",
        NOW,
        "--format",
        "json",
    ]);
    let html = json["html"].as_str().unwrap();
    for remote in ["<img", "<link", "<script", "@import", "url("] {
        assert!(!html.contains(remote), "{remote} in {html}");
    }
    assert!(html.contains("style=\""));
}
