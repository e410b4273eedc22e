//! The hostile-input suite: one table of cases, each run as a user would run the binary, under a
//! time limit and an address-space limit. Every case checks the exact exit code; a failure must be
//! one line starting `error: ` that names the input; nothing may panic (exit 101), hang, grow
//! without bound, or leave a partial file in an output folder.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest a case may run (debug build, shared 2-core machine: generous, but finite).
const TIME_LIMIT: Duration = Duration::from_secs(60);
/// Address space a case may use: no input may grow memory without bound.
const ADDRESS_SPACE: &str = "4294967296";

/// A file the case needs: relative path and content; `Fifo`/`Link` make special files.
enum Fixture {
    File(&'static str, Vec<u8>),
    Fifo(&'static str),
    Link(&'static str, &'static str),
    Dir(&'static str),
}

struct Case {
    name: &'static str,
    /// Arguments; `{dir}` is replaced by the case's folder.
    args: &'static [&'static str],
    stdin: Vec<u8>,
    fixtures: Vec<Fixture>,
    code: i32,
    /// Text that stderr (on failure) or stdout (on success) must contain.
    expect: &'static str,
    /// Text that neither stdout nor stderr may contain.
    reject: &'static str,
}

fn case(
    name: &'static str,
    args: &'static [&'static str],
    code: i32,
    expect: &'static str,
) -> Case {
    Case {
        name,
        args,
        stdin: Vec::new(),
        fixtures: Vec::new(),
        code,
        expect,
        reject: "",
    }
}

impl Case {
    fn file(mut self, path: &'static str, content: impl Into<Vec<u8>>) -> Case {
        self.fixtures.push(Fixture::File(path, content.into()));
        self
    }
    fn fixture(mut self, fixture: Fixture) -> Case {
        self.fixtures.push(fixture);
        self
    }
    fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Case {
        self.stdin = bytes.into();
        self
    }
    fn reject(mut self, text: &'static str) -> Case {
        self.reject = text;
        self
    }
}

const WIRE: &str = "Floodwaters rose across three districts on Wednesday after heavy rain.\nOfficials said more rain was expected.\nSource: Newsdesk\nBDST: 1347 HRS, APR 23, 2025\nRK\n";
const NOW: &str = "2025-04-23T09:00:00Z";

fn wire_with_dateline(dateline: &str) -> String {
    format!("Rain fell across the city on Wednesday.\nSource: Desk\n{dateline}\n")
}

fn json_article(fields: &str) -> String {
    format!("{{{fields}}}")
}

fn cases() -> Vec<Case> {
    let mut cases = input_cases();
    cases.extend(json_cases());
    cases.extend(dateline_cases());
    cases.extend(flag_cases());
    cases.extend(template_and_output_cases());
    cases.extend(feed_cases());
    cases
}

fn input_cases() -> Vec<Case> {
    vec![
        case("empty file", &["digest", "{dir}/a.txt"], 65, "a.txt").file("a.txt", ""),
        case("whitespace only", &["digest", "{dir}/a.txt"], 65, "a.txt").file("a.txt", " \n\t\n"),
        case(
            "invalid UTF-8",
            &["digest", "{dir}/a.txt"],
            65,
            "not valid UTF-8",
        )
        .file("a.txt", b"Rain \xff\xfe fell.\n".to_vec()),
        case("UTF-16 with BOM", &["digest", "{dir}/a.txt"], 65, "a.txt")
            .file("a.txt", b"\xff\xfeR\0a\0i\0n\0".to_vec()),
        case(
            "missing file",
            &["digest", "{dir}/nope.txt"],
            66,
            "nope.txt",
        ),
        case(
            "folder without articles",
            &["digest", "{dir}/empty"],
            66,
            "no articles",
        )
        .fixture(Fixture::Dir("empty")),
        case("stdin empty", &["digest"], 65, "<stdin>"),
        case("stdin invalid UTF-8", &["digest"], 65, "<stdin>").stdin(b"\xc3\x28".to_vec()),
        case(
            "NUL bytes in the body",
            &["digest", "{dir}/a.txt", "--now", NOW],
            0,
            "Floodwaters",
        )
        .file("a.txt", WIRE.replace("three", "th\0ree")),
        case(
            "FIFO named on the command line",
            &["digest", "{dir}/pipe.txt"],
            65,
            "pipe.txt",
        )
        .fixture(Fixture::Fifo("pipe.txt")),
        case(
            "FIFO in a folder is skipped",
            &["digest", "{dir}/in", "--now", NOW],
            0,
            "Floodwaters",
        )
        .fixture(Fixture::Fifo("in/pipe.txt"))
        .file("in/a.txt", WIRE),
        case(
            "device named on the command line",
            &["digest", "/dev/zero"],
            65,
            "/dev/zero",
        ),
        case(
            "symlink to a device in a folder is skipped",
            &["digest", "{dir}/in", "--now", NOW],
            0,
            "Floodwaters",
        )
        .fixture(Fixture::Link("in/zero.txt", "/dev/zero"))
        .file("in/a.txt", WIRE),
        case(
            "folder with two symlinks to itself",
            &["inspect", "{dir}/in", "--now", NOW],
            0,
            "Floodwaters",
        )
        .file("in/a.txt", WIRE)
        .fixture(Fixture::Link("in/self", "."))
        .fixture(Fixture::Link("in/again", "..")),
        case(
            "upper-case extensions",
            &["inspect", "{dir}/in", "--now", NOW],
            0,
            "Metro",
        )
        .file("in/A.TXT", WIRE)
        .file(
            "in/B.JSON",
            json_article(r#""title":"Metro","body":"The metro opened today.""#),
        ),
        case(
            "lone CR line endings",
            &["digest", "{dir}/a.txt", "--now", NOW, "--format", "json"],
            0,
            "Newsdesk",
        )
        .file("a.txt", WIRE.replace('\n', "\r"))
        .reject("BDST"),
        case(
            "CRLF line endings",
            &["digest", "{dir}/a.txt", "--now", NOW, "--format", "json"],
            0,
            "Newsdesk",
        )
        .file("a.txt", WIRE.replace('\n', "\r\n"))
        .reject("BDST"),
        case("only footer lines", &["digest", "{dir}/a.txt"], 65, "a.txt").file(
            "a.txt",
            "Source: Newsdesk\nBDST: 1347 HRS, APR 23, 2025\nRK\n",
        ),
        case(
            "bidi override in the source",
            &["digest", "{dir}/a.txt", "--now", NOW],
            0,
            "Newsdesk",
        )
        .file(
            "a.txt",
            WIRE.replace("Source: Newsdesk", "Source: Newsdesk\u{202e}"),
        )
        .reject("\u{202e}"),
        case(
            "bidi isolate in the body",
            &["digest", "{dir}/a.txt", "--now", NOW],
            0,
            "Floodwaters",
        )
        .file("a.txt", WIRE.replace("Floodwaters", "Floodwaters\u{2066}"))
        .reject("\u{2066}"),
        case(
            "a 440-character source",
            &["digest", "{dir}/a.txt", "--now", NOW],
            0,
            "Floodwaters",
        )
        .file(
            "a.txt",
            WIRE.replace(
                "Source: Newsdesk",
                &format!("Source: {}", "Police ".repeat(63)),
            ),
        ),
        case(
            "a 1 MB line without spaces",
            &["digest", "{dir}/a.txt", "--now", NOW],
            0,
            "...",
        )
        .file("a.txt", format!("{}\nSource: Desk\n", "x".repeat(1 << 20))),
        case(
            "2 MB article",
            &["digest", "{dir}/a.txt", "--now", NOW],
            0,
            "Newsdesk Apr 23 13:47 GMT+6: Rain fell again.",
        )
        .file(
            "a.txt",
            format!("{}{WIRE}", "Rain fell again. ".repeat(120_000)),
        )
        .reject("BDST"),
        case(
            "a folder named like an article",
            &["digest", "{dir}/x.txt"],
            66,
            "no articles",
        )
        .fixture(Fixture::Dir("x.txt")),
    ]
}

fn json_cases() -> Vec<Case> {
    vec![
        case("JSON without body", &["digest", "{dir}/a.json"], 65, "body").file("a.json", "{\n  \"title\": \"Rain\"\n}\n"),
        case("JSON body of the wrong type", &["digest", "{dir}/a.json"], 65, "body").file("a.json", "{\"body\": 5}"),
        case("JSON empty body", &["digest", "{dir}/a.json"], 65, "a.json").file("a.json", "{\"body\": \"  \"}"),
        case("JSON array without articles", &["digest", "{dir}/a.json"], 65, "no articles").file("a.json", "[]"),
        case("JSON array with null", &["digest", "{dir}/a.json"], 65, "a.json").file("a.json", "[null]"),
        case("JSON trailing garbage", &["digest", "{dir}/a.json"], 65, "a.json").file("a.json", "{\"body\": \"Rain.\"} trailing"),
        case("JSON nested 100k deep", &["digest", "{dir}/a.json"], 65, "a.json").file("a.json", format!("{}{}", "[".repeat(100_000), "]".repeat(100_000))),
        case("JSON a string, not an article", &["digest", "{dir}/a.json"], 65, "a.json").file("a.json", "\"Rain\""),
        case("JSON javascript: URL is no link", &["digest", "{dir}/a.json", "--channel", "email", "--now", NOW], 0, "Rain fell").file("a.json", json_article(r#""title":"Rain","body":"Rain fell today.","url":"javascript:alert(1)""#)).reject("javascript:"),
        case("JSON data: URL is no link", &["digest", "{dir}/a.json", "--channel", "email", "--now", NOW], 0, "Rain fell").file("a.json", json_article(r#""title":"Rain","body":"Rain fell today.","url":"data:text/html,<script>x</script>""#)).reject("data:text"),
        case("JSON https URL is kept", &["digest", "{dir}/a.json", "--channel", "email", "--now", NOW], 0, "https://news.example/rain").file("a.json", json_article(r#""title":"Rain","body":"Rain fell today.","url":"https://news.example/rain""#)),
        case("JSON 20 KB title in the subject", &["digest", "{dir}/a.json", "--channel", "email", "--now", NOW], 0, "Subject:").file("a.json", json_article(&format!(r#""title":"{}","body":"Rain fell today.""#, "Rain ".repeat(4000)))),
        case("JSON title with CR LF", &["digest", "{dir}/a.json", "--channel", "email", "--now", NOW], 0, "Subject:").file("a.json", json_article(r#""title":"Rain\r\nBcc: victim@example.com","body":"Rain fell.""#)).reject("\nBcc:"),
    ]
}

fn dateline_cases() -> Vec<Case> {
    vec![
        case(
            "year beyond 9999",
            &["time", "12:00 UTC, Apr 23, 99999"],
            65,
            "99999",
        ),
        case(
            "huge year",
            &["time", "12:00 UTC, Apr 23, 18446744073709551617"],
            65,
            "error: ",
        ),
        case(
            "offset GMT+99",
            &["time", "13:47 GMT+99, Apr 23, 2025"],
            65,
            "error: ",
        ),
        case(
            "offset GMT+15",
            &["time", "13:47 GMT+15, Apr 23, 2025"],
            65,
            "error: ",
        ),
        case(
            "unknown abbreviation as a label",
            &["time", "XYZT: 1347 HRS, APR 23, 2025"],
            65,
            "XYZT",
        ),
        case(
            "unknown abbreviation with a home zone",
            &["time", "XYZT: 1347 HRS, APR 23, 2025", "--country", "BD"],
            0,
            "2025-04-23T07:47:00Z",
        ),
        case(
            "February 30",
            &["time", "13:47 UTC, Feb 30, 2025"],
            65,
            "error: ",
        ),
        case(
            "hour 25",
            &["time", "25:10 UTC, Apr 23, 2025"],
            65,
            "error: ",
        ),
        case(
            "1360 HRS",
            &["time", "BDST: 1360 HRS, APR 23, 2025"],
            65,
            "error: ",
        ),
        case("empty dateline", &["time", ""], 65, "error: "),
        case(
            "bad dateline in digest is a warning",
            &["digest", "{dir}/a.txt", "--now", NOW],
            0,
            "Rain fell",
        )
        .file("a.txt", wire_with_dateline("XYZT: 1347 HRS, APR 23, 99999")),
        case(
            "dateline without a zone",
            &["time", "1347 HRS, APR 23, 2025"],
            0,
            "2025-04-23",
        ),
    ]
}

fn flag_cases() -> Vec<Case> {
    vec![
        case("--now before 1970 in email", &["digest", "{dir}/a.txt", "--channel", "email", "--now", "1969-12-31T23:59:59Z"], 78, "1969").file("a.txt", WIRE),
        case("--now in year 1 in email", &["digest", "{dir}/a.txt", "--channel", "email", "--now", "0001-01-01T00:00:00Z"], 78, "email").file("a.txt", WIRE),
        case("--unsubscribe non-ASCII near the scheme", &["digest", "{dir}/a.txt", "--unsubscribe", "mailt€:x"], 2, "--unsubscribe").file("a.txt", WIRE),
        case("--unsubscribe non-ASCII, email", &["digest", "{dir}/a.txt", "--channel", "email", "--unsubscribe", "https€//x"], 2, "--unsubscribe").file("a.txt", WIRE),
        case("--unsubscribe 2,000 characters", &["digest", "{dir}/a.txt", "--channel", "email", "--unsubscribe", "https://news.example/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"], 2, "--unsubscribe").file("a.txt", WIRE),
        case("--from with a line break", &["digest", "{dir}/a.txt", "--from", "Desk <d@news.example>\nBcc: x@y"], 2, "--from").file("a.txt", WIRE),
        case("--from with an IDN domain", &["digest", "{dir}/a.txt", "--channel", "email", "--now", NOW, "--from", "news@bücher.example"], 0, "xn--bcher-kva.example").file("a.txt", WIRE),
        case("--tz unknown", &["digest", "{dir}/a.txt", "--tz", "Mars/Olympus"], 2, "--tz").file("a.txt", WIRE),
        case("--max-segments 0", &["digest", "{dir}/a.txt", "--max-segments", "0"], 2, "max-segments").file("a.txt", WIRE),
        case("--max-segments 256", &["digest", "{dir}/a.txt", "--max-segments", "256"], 2, "max-segments").file("a.txt", WIRE),
        case("--stories 0", &["digest", "{dir}/a.txt", "--stories", "0"], 2, "stories").file("a.txt", WIRE),
        case("--national-tables unknown", &["count", "abc", "--national-tables", "xx"], 2, "--national-tables"),
        case("--country of three letters", &["time", "13:47 BST", "--country", "GBR"], 2, "--country"),
        case("--locale unknown", &["digest", "{dir}/a.txt", "--locale", "xx"], 78, "xx").file("a.txt", WIRE),
        case("--locales missing", &["digest", "{dir}/a.txt", "--locales", "{dir}/none"], 78, "none").file("a.txt", WIRE),
        case("--templates missing", &["digest", "{dir}/a.txt", "--templates", "{dir}/none"], 78, "none").file("a.txt", WIRE),
        case("preview --locale empty", &["preview", "{dir}/a.txt", "--locale", ","], 2, "--locale").file("a.txt", WIRE),
        case("preview --locale unknown", &["preview", "{dir}/a.txt", "--locale", "en,xx"], 78, "xx").file("a.txt", WIRE),
        case("count of 1 MB", &["count"], 0, "segments").stdin("Rain fell. ".repeat(100_000)),
        case("count of invalid UTF-8", &["count"], 65, "<stdin>").stdin(b"\xff".to_vec()),
    ]
}

fn template_and_output_cases() -> Vec<Case> {
    vec![
        case("template syntax error", &["digest", "{dir}/a.txt", "--templates", "{dir}/t"], 78, "alert.txt.tera").file("a.txt", WIRE).file("t/sms/alert.txt.tera", "{% if %}"),
        case("template runaway loop", &["digest", "{dir}/a.txt", "--templates", "{dir}/t"], 78, "runaway").file("a.txt", WIRE).file("t/sms/alert.txt.tera", "{% for a in range(end=100000) %}{% for b in range(end=100000) %}xxxxxxxx{% endfor %}{% endfor %}"),
        case("template including itself", &["digest", "{dir}/a.txt", "--templates", "{dir}/t"], 78, "alert.txt.tera").file("a.txt", WIRE).file("t/sms/alert.txt.tera", "{% include \"sms/alert.txt.tera\" %}"),
        case("template that does not fit", &["digest", "{dir}/a.txt", "--templates", "{dir}/t"], 78, "does not fit").file("a.txt", WIRE).file("t/sms/alert.txt.tera", &*"x".repeat(200)),
        case("article text is never template code", &["digest", "{dir}/a.txt", "--now", NOW], 0, "{{ 7 * 7 }}").file("a.txt", WIRE.replace("Floodwaters", "{{ 7 * 7 }} Floodwaters")),
        case("--out is a file", &["digest", "{dir}/a.txt", "--out", "{dir}/a.txt"], 73, "a.txt").file("a.txt", WIRE),
        case("templates dump into a file", &["templates", "dump", "{dir}/a.txt"], 73, "a.txt").file("a.txt", WIRE),
        case("templates dump twice", &["templates", "dump", "{dir}/t"], 73, "--force").file("t/sms/alert.txt.tera", "mine"),
        case("inspect hostile JSON", &["inspect", "{dir}/a.json", "--now", NOW], 0, "\"sentences\"").file("a.json", json_article(r#""title":"<script>","body":"{% raw %} \u202e Rain.","source":"\u0000""#)),
    ]
}

/// An RSS 2.0 feed with one item titled `title` (raw XML), after `doctype`, and `more` items.
fn rss(doctype: &str, title: &str, more: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{doctype}<rss version=\"2.0\"><channel><title>Desk</title>{}{more}</channel></rss>",
        rss_item(
            title,
            "https://news.example/rain",
            "Rain fell across the city on Wednesday and the river rose."
        )
    )
}

fn rss_item(title: &str, link: &str, description: &str) -> String {
    format!(
        "<item><title>{title}</title><link>{link}</link><pubDate>Wed, 23 Apr 2025 08:00:00 +0000</pubDate><description>{description}</description></item>"
    )
}

/// `lol1` is "lol", every next entity ten of the one before: `&lol10;` would be 3 GB expanded.
fn billion_laughs() -> String {
    let mut entities = String::from("<!ENTITY lol1 \"lol\">");
    for level in 2..=10 {
        let previous = format!("&lol{};", level - 1).repeat(10);
        entities.push_str(&format!("<!ENTITY lol{level} \"{previous}\">"));
    }
    rss(
        &format!("<!DOCTYPE rss [{entities}]>"),
        "Laughs &lol10;",
        "",
    )
}

fn feed_cases() -> Vec<Case> {
    let xxe = "<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>";
    let xxe_parameter = "<!DOCTYPE rss [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>";
    let javascript = rss_item(
        "Prize draw",
        "javascript:alert(1)",
        "Prize draw winners were named at the fair on Tuesday.",
    );
    let deep = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>D</title>{}{}</channel></rss>",
        "<a>".repeat(100_000),
        "</a>".repeat(100_000)
    );
    let json_feed = |items: &str| {
        format!(
            "{{\"version\": \"https://jsonfeed.org/version/1.1\", \"title\": \"Desk\", \"items\": {items}}}"
        )
    };
    vec![
        case("feed: billion laughs is not expanded", &["inspect", "{dir}/lolz.xml", "--now", NOW], 0, "Laughs &lol10;").file("lolz.xml", billion_laughs()).reject("lollollol"),
        case("feed: billion laughs in a digest", &["digest", "{dir}/lolz.xml", "--channel", "email", "--now", NOW], 0, "Rain fell").file("lolz.xml", billion_laughs()).reject("lollollol"),
        case("feed: external entity is never read", &["inspect", "{dir}/xxe.xml", "--now", NOW], 0, "Flood &xxe; warning").file("xxe.xml", rss(xxe, "Flood &xxe; warning", "")).reject("root:"),
        case("feed: external entity in an email", &["digest", "{dir}/xxe.xml", "--channel", "email", "--now", NOW], 0, "Rain fell").file("xxe.xml", rss(xxe, "Flood &xxe; warning", "")).reject("root:"),
        case("feed: external parameter entity is never read", &["inspect", "{dir}/pe.xml", "--now", NOW], 0, "Rain fell").file("pe.xml", rss(xxe_parameter, "Rain", "")).reject("root:"),
        case("feed: elements nested 100k deep", &["digest", "{dir}/deep.xml"], 65, "deep.xml").file("deep.xml", deep),
        case("feed: javascript: link is dropped and noted", &["inspect", "{dir}/js.xml", "--now", NOW], 0, "url dropped: only http:// and https:// links are kept").file("js.xml", rss("", "Rain", &javascript)).reject("javascript:"),
        case("feed: javascript: link is no link in email", &["digest", "{dir}/js.xml", "--channel", "email", "--now", NOW], 0, "Prize draw winners").file("js.xml", rss("", "Rain", &javascript)).reject("javascript:"),
        case("feed: title with CR LF is one line", &["digest", "{dir}/crlf.xml", "--channel", "email", "--now", NOW], 0, "Subject: Rain Bcc: victim@example.com").file("crlf.xml", rss("", "Rain\r\nBcc: victim@example.com", "")).reject("\nBcc:"),
        case("feed: title with bidi controls is cleaned", &["inspect", "{dir}/bidi.xml", "--now", NOW], 0, "\"Rain evil warning\"").file("bidi.xml", rss("", "Rain \u{202e}evil\u{2066} warning", "")).reject("\u{202e}"),
        case("feed: bidi isolate in the title is cleaned", &["digest", "{dir}/bidi.xml", "--channel", "email", "--now", NOW], 0, "Rain evil warning").file("bidi.xml", rss("", "Rain \u{202e}evil\u{2066} warning", "")).reject("\u{2066}"),
        case("feed: declared UTF-16 but UTF-8 bytes", &["inspect", "{dir}/utf16.xml", "--now", NOW], 0, "Café reopens").file("utf16.xml", rss("", "Café reopens", "").replace("UTF-8", "UTF-16")),
        case("feed: RSS with no items", &["digest", "{dir}/empty.xml"], 65, "empty.xml").file("empty.xml", "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Quiet</title></channel></rss>"),
        case("feed: Atom with no entries", &["digest", "{dir}/empty.atom.xml"], 65, "empty.atom.xml").file("empty.atom.xml", "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Quiet</title></feed>"),
        case("feed: truncated RSS", &["digest", "{dir}/cut.xml"], 65, "cut.xml").file("cut.xml", "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>M</title><item><title>Rain</title><description>Rain fell"),
        case("feed: XML that is no feed", &["digest", "{dir}/page.xml"], 65, "page.xml").file("page.xml", "<?xml version=\"1.0\"?><html><body>Rain fell.</body></html>"),
        case("JSON Feed items not an array", &["digest", "{dir}/feed.json"], 65, "feed.json").file("feed.json", json_feed("{\"a\": 1}")),
        case("JSON Feed items a string", &["digest", "{dir}/feed.json"], 65, "feed.json").file("feed.json", json_feed("\"Rain\"")),
        case("JSON Feed with no items", &["digest", "{dir}/feed.json"], 65, "feed.json").file("feed.json", json_feed("[]")),
    ]
}

fn make_fixtures(dir: &Path, fixtures: &[Fixture]) {
    for fixture in fixtures {
        let (path, parent) = match fixture {
            Fixture::File(p, _) | Fixture::Fifo(p) | Fixture::Link(p, _) | Fixture::Dir(p) => {
                (dir.join(p), dir.join(p).parent().unwrap().to_path_buf())
            }
        };
        fs::create_dir_all(parent).unwrap();
        match fixture {
            Fixture::File(_, content) => fs::write(&path, content).unwrap(),
            Fixture::Dir(_) => fs::create_dir_all(&path).unwrap(),
            Fixture::Link(_, target) => std::os::unix::fs::symlink(target, &path).unwrap(),
            Fixture::Fifo(_) => {
                let made = Command::new("mkfifo").arg(&path).status().unwrap();
                assert!(made.success(), "mkfifo {}", path.display());
            }
        }
    }
}

/// What a run gave, or `None` if it outlived [`TIME_LIMIT`] (then it is killed).
fn run_case(dir: &Path, case: &Case) -> Option<(i32, String, String)> {
    let args: Vec<String> = case
        .args
        .iter()
        .map(|a| a.replace("{dir}", dir.to_str().unwrap()))
        .collect();
    let mut child = Command::new("prlimit")
        .arg(format!("--as={ADDRESS_SPACE}"))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_newsdigest"))
        .args(&args)
        .current_dir(dir)
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("prlimit (util-linux) runs the binary");
    let mut stdin = child.stdin.take().unwrap();
    let input = case.stdin.clone();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let readers = [
        read_all(child.stdout.take().unwrap()),
        read_all(child.stderr.take().unwrap()),
    ];
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let _ = feeder.join();
    let [stdout, stderr] = readers.map(|r| r.join().unwrap());
    status.map(|s| (s.code().unwrap_or(-1), stdout, stderr))
}

/// Reads `stream` to its end on a thread, so a chatty child never blocks on a full pipe.
fn read_all(mut stream: impl std::io::Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Files under `dir` that look like partial output (staged temporaries left behind).
fn leftovers(dir: &Path) -> Vec<String> {
    walk(dir)
        .into_iter()
        .filter(|name| name.contains(".newsdigest-") || name.ends_with(".tmp"))
        .collect()
}

fn walk(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            names.extend(walk(&path));
        }
        names.push(path.display().to_string());
    }
    names
}

fn check(case: &Case) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    make_fixtures(dir.path(), &case.fixtures);
    let Some((code, stdout, stderr)) = run_case(dir.path(), case) else {
        return Err(format!("did not finish within {TIME_LIMIT:?}"));
    };
    let fail = |why: String| {
        Err(format!(
            "{why}\n  exit {code}\n  stderr: {stderr:?}\n  stdout: {:?}",
            stdout.chars().take(400).collect::<String>()
        ))
    };
    if code == 101 || stderr.contains("panicked") {
        return fail("panicked".into());
    }
    if code != case.code {
        return fail(format!("exit {code}, expected {}", case.code));
    }
    if code == 0 {
        if !stdout.contains(case.expect) {
            return fail(format!("stdout lacks {:?}", case.expect));
        }
    } else {
        if !stderr.starts_with("error: ") || stderr.lines().count() != 1 {
            return fail("not a one-line error".into());
        }
        if !stderr.contains(case.expect) {
            return fail(format!("the error does not name {:?}", case.expect));
        }
        if !stdout.is_empty() {
            return fail("output printed although the run failed".into());
        }
    }
    if !case.reject.is_empty() && (stdout.contains(case.reject) || stderr.contains(case.reject)) {
        return fail(format!("the output contains {:?}", case.reject));
    }
    let left = leftovers(dir.path());
    if !left.is_empty() {
        return fail(format!("partial files left: {left:?}"));
    }
    Ok(())
}

#[test]
fn hostile_inputs_are_handled() {
    let cases = cases();
    assert!(cases.len() >= 60, "the suite has {} cases", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| check(case).err().map(|e| format!("{}: {e}", case.name)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
