//! The preview page and the email's HTML part in a real browser: headless Chromium lays them out.
//!
//! Writes, under `target/browser-artifacts/`, the page `preview --format html` makes for en, bn,
//! ar and zh and each of those locales' email HTML; takes a screenshot of each (kept as CI
//! artifacts); then loads a test copy of each with a small inline script added (never in what
//! newsdigest writes) that measures the layout with `getBoundingClientRect()` and leaves the
//! results in a `data-results` attribute, read back from `--dump-dom`. It checks what only a
//! real layout shows:
//!
//! - in the `ar` email an English story's lead ends at its right end (LTR inside RTL);
//! - the SMS bubbles do not overflow a 360 px wide phone;
//! - each locale's own name (`বাংলা`, `العربية`, `中文`) is not drawn with the fallback box glyph
//!   (`.notdef`) where a Noto font for its script is installed: drawn on a canvas in its own font,
//!   its pixels differ from as many characters that no font has.
//!
//! Needs Debian's `chromium`, `fonts-noto-core` and `fonts-noto-cjk` (`.ci/run` installs them).
//! Without Chromium the test fails under CI (`CI=true`) and is skipped with a note otherwise.
//! Chromium is stopped by its process id when it overruns its time, and on any failure.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const NOW: &str = "2025-04-23T09:00:00Z";
const LOCALES: [&str; 4] = ["en", "bn", "ar", "zh"];
const INPUTS: [&str; 3] = [
    "samples/en-flood-sylhet.txt",
    "samples/bn-dhaka-rain.txt",
    "samples/en-metro-rail.json",
];
/// Longest one Chromium run may take before it is killed.
const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(90);

/// Measures the page: bubbles against the viewport, each locale name against `.notdef` boxes.
const PAGE_PROBE: &str = r#"<script>
// Headless Chromium keeps its window at least 500 px wide: the page's root is made as wide as
// the 360 px phone instead (the page has no media query nor viewport unit that would differ).
document.documentElement.style.width = '360px';
addEventListener('load', () => document.fonts.ready.then(() => {
  const results = { width: document.documentElement.getBoundingClientRect().width, bubbles: [], names: [] };
  for (const bubble of document.querySelectorAll('.bubble')) {
    const r = bubble.getBoundingClientRect();
    results.bubbles.push({ left: r.left, right: r.right, scroll: bubble.scrollWidth, client: bubble.clientWidth });
  }
  // A character no font has is drawn as the first family's .notdef box: draw the name and as
  // many such characters in the name's own font; identical pixels mean the name is boxes.
  const draw = (font, text) => {
    const canvas = document.createElement('canvas');
    canvas.width = 400; canvas.height = 60;
    const g = canvas.getContext('2d');
    g.font = font; g.fillStyle = '#000'; g.fillText(text, 4, 44);
    return Array.from(g.getImageData(0, 0, 400, 60).data).join(',');
  };
  for (const name of document.querySelectorAll('.locale h2 .name')) {
    const lang = name.closest('section').lang;
    const style = getComputedStyle(name);
    const font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = name.textContent;
    const boxes = '\u0378'.repeat([...text].length);
    results.names.push({ lang, text, font, blank: draw(font, text) === draw(font, ''),
      boxes: draw(font, text) === draw(font, boxes) });
  }
  document.documentElement.dataset.results = JSON.stringify(results);
}));
</script>"#;

/// Measures the email: for each story marked `lang="en"`, where its lead's last character lies
/// among the characters on its last line.
const EMAIL_PROBE: &str = r#"<script>
addEventListener('load', () => document.fonts.ready.then(() => {
  const results = { stories: [] };
  for (const story of document.querySelectorAll('[lang="en"]')) {
    const lead = [...story.querySelectorAll('p')].pop();
    const node = lead && lead.firstChild;
    if (!node || node.nodeType !== 3) continue;
    const text = node.textContent.trimEnd();
    const rect = (i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1); return r.getBoundingClientRect(); };
    const last = rect(text.length - 1);
    let lineLeft = Infinity, lineRight = -Infinity;
    for (let i = 0; i < text.length; i++) {
      const r = rect(i);
      if (r.width > 0 && Math.abs(r.top - last.top) < 2) { lineLeft = Math.min(lineLeft, r.left); lineRight = Math.max(lineRight, r.right); }
    }
    results.stories.push({ last: text[text.length - 1], lastLeft: last.left, lastRight: last.right, lineLeft, lineRight,
      dir: getComputedStyle(lead).direction });
  }
  document.documentElement.dataset.results = JSON.stringify(results);
}));
</script>"#;

#[test]
fn page_and_email_lay_out_in_chromium() {
    let Some(chromium) = chromium() else {
        let reason =
            "chromium is not installed (apt-get install chromium fonts-noto-core fonts-noto-cjk)";
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{reason}");
        eprintln!("skipped: {reason}");
        return;
    };
    let dir = artifacts();
    let page = dir.join("preview.html");
    let mut args = vec!["preview"];
    args.extend(INPUTS);
    let locales = LOCALES.join(",");
    args.extend([
        "--locale",
        &locales,
        "--any-language",
        "--now",
        NOW,
        "--tz",
        "Asia/Dhaka",
    ]);
    args.extend(["--format", "html", "--out", page.to_str().unwrap()]);
    newsdigest(&args);

    screenshot(&chromium, &page, &dir.join("preview-1280.png"), "1280,2400");
    screenshot(&chromium, &page, &dir.join("preview-360.png"), "360,2400");
    let results = measure(&chromium, &page, PAGE_PROBE, "360,800");
    let width = results["width"].as_f64().unwrap();
    assert_eq!(width, 360.0, "{results}");
    let bubbles = results["bubbles"].as_array().unwrap();
    assert_eq!(bubbles.len(), LOCALES.len(), "{results}");
    for bubble in bubbles {
        let f = |k: &str| bubble[k].as_f64().unwrap();
        assert!(
            f("left") >= 0.0 && f("right") <= width,
            "bubble overflows the phone: {bubble}"
        );
        assert!(
            f("scroll") <= f("client"),
            "bubble content overflows: {bubble}"
        );
    }
    for name in results["names"].as_array().unwrap() {
        let lang = name["lang"].as_str().unwrap();
        if !noto_installed(lang) {
            eprintln!("{lang}: no Noto font for its script here, glyphs not checked");
            continue;
        }
        assert_eq!(name["blank"], false, "{lang}: nothing drawn: {name}");
        assert_eq!(
            name["boxes"], false,
            "{lang}: drawn as .notdef boxes: {name}"
        );
    }

    for locale in LOCALES {
        let mut args = vec!["digest"];
        args.extend(INPUTS);
        args.extend([
            "--locale",
            locale,
            "--any-language",
            "--now",
            NOW,
            "--tz",
            "Asia/Dhaka",
        ]);
        args.extend(["--channel", "email", "--format", "json"]);
        let json: serde_json::Value = serde_json::from_str(&newsdigest(&args)).unwrap();
        let email = dir.join(format!("email-{locale}.html"));
        std::fs::write(&email, json["html"].as_str().unwrap()).unwrap();
        screenshot(
            &chromium,
            &email,
            &dir.join(format!("email-{locale}.png")),
            "800,1600",
        );
        if locale != "ar" {
            continue;
        }
        let results = measure(&chromium, &email, EMAIL_PROBE, "600,1600");
        let stories = results["stories"].as_array().unwrap();
        assert!(
            !stories.is_empty(),
            "no English story in the ar email: {results}"
        );
        for story in stories {
            let f = |k: &str| story[k].as_f64().unwrap();
            assert_eq!(story["dir"], "ltr", "{story}");
            assert!(
                f("lastRight") >= f("lineRight") - 0.5 && f("lastLeft") > f("lineLeft"),
                "the English lead's last character is not at its right end: {story}"
            );
        }
    }
}

/// `target/browser-artifacts/`, emptied of earlier runs' files.
fn artifacts() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap();
    let dir = target.join("browser-artifacts");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs newsdigest from the repository root; its stdout, or a failure with its stderr.
fn newsdigest(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "newsdigest {args:?}: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}

/// The Chromium binary on PATH, if any.
fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser"]
        .into_iter()
        .find_map(|name| {
            let path = std::env::var_os("PATH")?;
            std::env::split_paths(&path)
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
        })
}

/// Whether fontconfig knows a Noto font for `lang`'s script.
fn noto_installed(lang: &str) -> bool {
    let family = match lang {
        "bn" => "Noto Sans Bengali",
        "ar" => "Noto Naskh Arabic",
        "zh" => "Noto Sans CJK SC",
        _ => "Noto Sans",
    };
    Command::new("fc-list")
        .args([":", "family"])
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains(family))
}

/// A PNG of `file` at `size` (`width,height`).
fn screenshot(chromium: &Path, file: &Path, png: &Path, size: &str) {
    let shot = format!("--screenshot={}", png.display());
    let window = format!("--window-size={size}");
    run_chromium(chromium, &[&shot, &window, &url(file)]);
    assert!(png.is_file(), "no screenshot {}", png.display());
}

/// Loads a copy of `file` with `probe` added before `</body>`; the probe's `data-results`.
fn measure(chromium: &Path, file: &Path, probe: &str, size: &str) -> serde_json::Value {
    let html = std::fs::read_to_string(file).unwrap();
    let at = html.rfind("</body>").expect("a </body>");
    let copy = file.with_extension("probe.html");
    std::fs::write(&copy, format!("{}{probe}{}", &html[..at], &html[at..])).unwrap();
    let window = format!("--window-size={size}");
    let dom = run_chromium(chromium, &["--dump-dom", &window, &url(&copy)]);
    let value = dom
        .split("data-results=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no data-results in the DOM of {}", copy.display()));
    let json = value
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap()
}

fn url(file: &Path) -> String {
    format!("file://{}", file.canonicalize().unwrap().display())
}

/// Kills and reaps Chromium when dropped, so a failing test leaves no browser behind.
struct Browser(Child);

impl Drop for Browser {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

/// Runs headless Chromium with `args`, killed after [`CHROMIUM_TIMEOUT`]; its stdout.
fn run_chromium(chromium: &Path, args: &[&str]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut command = Command::new(chromium);
    command
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
            "--disable-extensions",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut browser = Browser(command.spawn().expect("chromium starts"));
    let mut stdout = browser.0.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        let _ = stdout.read_to_string(&mut out);
        out
    });
    let deadline = Instant::now() + CHROMIUM_TIMEOUT;
    loop {
        if let Some(status) = browser.0.try_wait().unwrap() {
            assert!(status.success(), "chromium {args:?}: {status}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "chromium {args:?} overran {CHROMIUM_TIMEOUT:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    reader.join().unwrap()
}
