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

/// Runs `digest --channel email` on the JSON article `article` (stdin) with `args`, printing the
/// message; returns the run.
fn email_from_stdin(article: &serde_json::Value, args: &[&str]) -> crate::Run {
    let mut all = vec!["digest", "--channel", "email", "--now", NOW];
    all.extend(args);
    crate::run_with_stdin(&all, article.to_string().as_bytes())
}

/// Every line of `eml` is at most 998 octets and ends in CRLF.
fn assert_lines_fit(eml: &str) {
    let body = eml.strip_suffix("\r\n").expect("ends in CRLF");
    for line in body.split("\r\n") {
        assert!(line.len() <= 998, "a line of {} octets", line.len());
        assert!(!line.contains(['\r', '\n']), "bare CR or LF in {line:?}");
    }
}

/// What Python's `email` package reads from `eml`: subject, from, List-Unsubscribe, one a line;
/// `None` where python3 is missing.
fn python_reads(eml: &str) -> Option<Vec<String>> {
    Command::new("python3").arg("--version").output().ok()?;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.eml");
    std::fs::write(&path, eml).unwrap();
    let script = r#"
import email, sys
from email import policy
msg = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)
assert not msg.defects, msg.defects
print(msg['subject']); print(msg['from']); print(msg['list-unsubscribe'])
"#;
    let output = Command::new("python3")
        .args(["-c", script])
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    Some(
        String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .map(String::from)
            .collect(),
    )
}

#[test]
fn non_ascii_near_the_unsubscribe_scheme_is_a_usage_error_not_a_panic() {
    for channel in ["sms", "email"] {
        for url in ["htt\u{e9}ps://x", "é", "mailt€:", "https€//x"] {
            let run = run(&[
                "digest",
                "samples/en-flood-sylhet.txt",
                "--channel",
                channel,
                "--unsubscribe",
                url,
            ]);
            assert_eq!(run.code, 2, "{channel} {url}: {}", run.stderr);
            assert_eq!(
                run.stderr,
                format!(
                    "error: --unsubscribe: {url:?} is not an https:, http: or mailto: URL without spaces\n"
                )
            );
        }
    }
}

#[test]
fn dates_an_email_cannot_carry_are_errors_not_panics() {
    for (now, shown) in [
        ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
    ] {
        let run = run(&[
            "digest",
            "samples/en-flood-sylhet.txt",
            "--channel",
            "email",
            "--now",
            now,
        ]);
        assert_eq!(run.code, 78, "{}", run.stderr);
        assert_eq!(
            run.stderr,
            format!(
                "error: email: the date {shown} is outside what an email Date header can carry (1970-01-01 to 9999-12-31 UTC)\n"
            )
        );
    }
}

#[test]
fn long_title_from_and_unsubscribe_fit_the_line_limit_and_read_back() {
    let title = format!("{} {}", "Flood ".repeat(2_000), "x".repeat(10_000));
    let article = serde_json::json!({"title": title, "body": "Rain fell. More later."});
    let name = "N".repeat(200);
    let url = format!("https://x.example/{}", "u".repeat(960));
    let from = format!("{name} <news@example.com>");
    let run = email_from_stdin(&article, &["--from", &from, "--unsubscribe", &url]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_lines_fit(&run.stdout);
    let mail = mailparse::parse_mail(run.stdout.as_bytes()).unwrap();
    let subject = crate::header(&mail, "Subject");
    // The composer shortens headlines before the email module's own 250-character limit.
    assert!(subject.chars().count() <= 250, "{subject}");
    assert!(subject.starts_with("Flood Flood"), "{subject}");
    assert_eq!(crate::header(&mail, "From"), from);
    assert_eq!(crate::header(&mail, "List-Unsubscribe"), format!("<{url}>"));
    if let Some(read) = python_reads(&run.stdout) {
        assert_eq!(read, [subject, from, format!("<{url}>")]);
    }
}

#[test]
fn too_long_from_name_and_unsubscribe_url_are_usage_errors() {
    let article = serde_json::json!({"body": "Rain fell."});
    let from = format!("{} <news@example.com>", "N".repeat(2_000));
    let run = email_from_stdin(&article, &["--from", &from]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: --from: the name is 2000 characters long; at most 200 are accepted\n"
    );
    let url = format!("https://x.example/{}", "u".repeat(2_000));
    let run = email_from_stdin(&article, &["--unsubscribe", &url]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: --unsubscribe: the URL is 2018 characters long; at most 978 fit in the List-Unsubscribe header\n"
    );
}

#[test]
fn international_from_domain_is_punycode_everywhere() {
    let article = serde_json::json!({"title": "Rain", "body": "Rain fell."});
    for (from, domain) in [
        ("news@bücher.example", "xn--bcher-kva.example"),
        ("Дайджест <news@пример.рф>", "xn--e1afmkfd.xn--p1ai"),
    ] {
        let run = email_from_stdin(&article, &["--from", from]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let headers = run.stdout.split("\r\n\r\n").next().unwrap();
        assert!(headers.is_ascii(), "{headers}");
        let mail = mailparse::parse_mail(run.stdout.as_bytes()).unwrap();
        assert!(
            crate::header(&mail, "From").ends_with(&format!("news@{domain}>"))
                || crate::header(&mail, "From") == format!("news@{domain}")
        );
        let id = crate::header(&mail, "Message-ID");
        assert!(
            id.starts_with("<20250423T090000.") && id.ends_with(&format!("@{domain}>")),
            "{id}"
        );
    }
    let run = email_from_stdin(&article, &["--from", "news@xn--a.example"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: --from: \"xn--a.example\" is not a valid domain name (IDNA)\n"
    );
}

#[test]
fn header_options_with_line_breaks_are_refused() {
    let article = serde_json::json!({"body": "Rain fell."});
    for c in ['\r', '\n', '\u{85}', '\u{2028}', '\u{2029}', '\u{1b}'] {
        for option in ["--from", "--to"] {
            let value = format!("News{c}Bcc: victim@example.com <news@example.com>");
            let run = email_from_stdin(&article, &[option, &value]);
            assert_eq!(run.code, 2, "{option} {c:?}: {}", run.stderr);
            assert!(
                run.stderr.starts_with(&format!("error: {option}: ")),
                "{}",
                run.stderr
            );
            assert!(!run.stdout.contains("Bcc"));
        }
        let run = email_from_stdin(&article, &["--unsubscribe", &format!("https://x{c}Bcc: v")]);
        assert_eq!(run.code, 2, "{c:?}");
    }
}

#[test]
fn hostile_title_and_many_recipients_give_a_valid_message() {
    let title = "\u{2028}=?utf-8?b?QQ==?=\r\nBcc: victim@example.com\0\u{85}";
    let body = "Rain </html> fell.\0\r\rMore\u{2029}later.";
    let article = serde_json::json!({"title": title, "body": body});
    let mut args = vec![];
    let recipients: Vec<String> = (0..10_000).map(|i| format!("r{i}@example.com")).collect();
    for to in &recipients {
        args.extend(["--to", to.as_str()]);
    }
    let run = email_from_stdin(&article, &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_lines_fit(&run.stdout);
    assert!(!run.stdout.contains('\0'));
    let mail = mailparse::parse_mail(run.stdout.as_bytes()).unwrap();
    assert!(mail.headers.iter().all(|h| h.get_key() != "Bcc"));
    assert_eq!(
        crate::header(&mail, "Subject"),
        "=?utf-8?b?QQ==?= Bcc: victim@example.com"
    );
    let to = mail.headers.iter().find(|h| h.get_key() == "To").unwrap();
    assert_eq!(mailparse::addrparse_header(to).unwrap().len(), 10_000);
}

#[test]
fn group_syntax_in_to_is_a_usage_error() {
    let article = serde_json::json!({"body": "Rain fell."});
    let run = email_from_stdin(&article, &["--to", "Team: a@example.com, b@example.com;"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: --to: \"Team: a@example.com, b@example.com;\" is a group; give each address in its own --to\n"
    );
}

#[test]
fn an_english_story_in_an_arabic_digest_keeps_its_direction() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_eml(
        &dir,
        &[
            "samples/en-flood-sylhet.txt",
            "--locale",
            "ar",
            "--any-language",
        ],
    );
    let raw = std::fs::read_to_string(&path).unwrap();
    // The plain part is readable as it is in the raw message: 8bit, the story in a bidi isolate.
    let plain = raw.split("Content-Type: text/plain").nth(1).unwrap();
    let plain = plain.split("\r\n--").next().unwrap();
    assert!(
        plain.contains("Content-Transfer-Encoding: 8bit\r\n"),
        "{plain}"
    );
    assert!(plain.contains(". \u{2068}Floodwaters rose"), "{plain}");
    assert!(!plain.contains("format=flowed"));
    for line in plain.lines().filter(|l| l.contains("Floodwaters")) {
        assert!(line.ends_with('\u{2069}'), "{line:?}");
    }
    let mail = mailparse::parse_mail(raw.as_bytes()).unwrap();
    let html = mail.subparts[1].get_body().unwrap();
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"), "{html}");
    assert!(html.contains("<div lang=\"en\" dir=\"ltr\">"), "{html}");
}

#[test]
fn a_story_whose_title_repeats_its_text_shows_it_once() {
    for title in ["Rain fell on Dhaka today.", "Rain fell on Dhaka…"] {
        let article = serde_json::json!({
            "title": title, "body": "Rain fell on Dhaka today. Streets flooded.", "language": "en"
        });
        let run = email_from_stdin(&article, &["--format", "json"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        for part in ["text", "html"] {
            let body = json[part].as_str().unwrap();
            assert_eq!(
                body.matches("Rain fell on Dhaka").count(),
                1,
                "{title}: {body}"
            );
        }
    }
}
