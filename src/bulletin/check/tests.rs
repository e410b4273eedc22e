//! Each class of problem, and all of them reported together.

use std::path::Path;

use super::*;

const WIRE: &str = "Heavy rain flooded parts of Dhaka on Wednesday. Traffic stopped on main roads.\n\
                    Source: Newsdesk\nBDST: 1347 HRS, APR 23, 2025\n";

/// A folder with a wire story (`wire/`), a subscribers list (`morning.csv`) and a
/// `newsdigest.toml` holding `config` (`$DIR` replaced by the folder); the loaded config.
fn setup(config: &str, subscribers: &str) -> (tempfile::TempDir, Config) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("wire")).unwrap();
    std::fs::write(dir.path().join("wire/rain.txt"), WIRE).unwrap();
    std::fs::write(dir.path().join("morning.csv"), subscribers).unwrap();
    let path = dir.path().join("newsdigest.toml");
    let text = config.replace("$DIR", &dir.path().display().to_string());
    std::fs::write(&path, text).unwrap();
    let config = Config::load(&path).unwrap();
    (dir, config)
}

/// The problems as `place: message`, with the folder written `$DIR`.
fn shown(report: &Report, dir: &Path) -> Vec<String> {
    let dir = dir.display().to_string();
    report
        .problems
        .iter()
        .map(|p| p.to_string().replace(&dir, "$DIR"))
        .collect()
}

fn environment(variables: &[&str]) -> Environment {
    Environment {
        variables: variables.iter().map(|v| v.to_string()).collect(),
        path: Some("/usr/bin:/bin".into()),
    }
}

const VALID: &str = r#"
state = "state/state.db"

[[source]]
name = "desk"
path = "wire"
country = "BD"
zone = "Asia/Dhaka"

[[source]]
name = "feed"
url = "https://news.example.org/feed.xml"
language = "en"

[[target]]
name = "spool"
kind = "files"
dir = "spool"

[[target]]
name = "gateway"
kind = "kannel"
url = "http://127.0.0.1:13013/cgi-bin/sendsms"
from = "Newsdesk"
username_env = "KANNEL_USER"
password_env = "KANNEL_PASSWORD"

[[target]]
name = "mail"
kind = "smtp"
host = "127.0.0.1"
port = 2525
security = "none"

[[bulletin]]
name = "morning"
channel = "sms"
sources = ["desk", "feed"]
schedule = "0 7 * * *"
zone = "Asia/Dhaka"
max_segments = 2
since = "24h"
quiet = "22:00-07:00"
quiet_max_age = "12h"
subscribers = "morning.csv"
target = "gateway"

[[bulletin]]
name = "evening"
channel = "email"
sources = ["feed"]
schedule = "0 30 18 * * Mon-Fri"
from = "Newsdesk <news@example.org>"
unsubscribe = "https://example.org/unsubscribe"
retry_after = "2m"
target = "mail"
subscribers = [
    { address = "rahim@example.org", locale = "bn", tz = "Asia/Dhaka" },
    { address = "ann@example.org", locale = "en-GB", tz = "Europe/London", name = "Ann", quiet = "none" },
]
"#;

const SUBSCRIBERS: &str = "address,locale,tz,name\n\
                           01712-345678,bn,Asia/Dhaka,Rahim\n\
                           +44 20 7946 0958,en,Europe/London,\n\
                           +91 98765 43210,hi,Asia/Kolkata,\n";

#[test]
fn a_valid_configuration_has_no_problems() {
    let (dir, config) = setup(VALID, SUBSCRIBERS);
    let report = check(&config, &environment(&["KANNEL_USER", "KANNEL_PASSWORD"]));
    assert_eq!(shown(&report, dir.path()), Vec::<String>::new());
    assert_eq!(report.subscribers, 5);
    assert!(!dir.path().join("spool").exists(), "check creates nothing");
}

#[test]
fn serve_and_report_keys_are_checked() {
    let with_serve = VALID.replace(
        "[[target]]\nname = \"mail\"",
        "report_url = \"http://127.0.0.1:8088\"\nreport_token_env = \"SERVE_TOKEN\"\n\n\
         [serve]\nlisten = \"127.0.0.1:8088\"\ntoken_env = \"SERVE_TOKEN\"\n\
         reply_target = \"gateway\"\n\n[[target]]\nname = \"mail\"",
    );
    let (dir, config) = setup(&with_serve, SUBSCRIBERS);
    let all = ["KANNEL_USER", "KANNEL_PASSWORD", "SERVE_TOKEN"];
    let report = check(&config, &environment(&all));
    assert_eq!(shown(&report, dir.path()), Vec::<String>::new());
    let broken = with_serve
        .replace(
            "listen = \"127.0.0.1:8088\"",
            "listen = \"localhost\"\nthreads = 0",
        )
        .replace("reply_target = \"gateway\"", "reply_target = \"mail\"")
        .replace("report_url = \"http://127.0.0.1:8088\"\n", "");
    let (dir, config) = setup(&broken, SUBSCRIBERS);
    let report = check(&config, &environment(&all[..2]));
    assert_eq!(
        shown(&report, dir.path()),
        [
            "target gateway: the environment variable SERVE_TOKEN (report_token_env) is not set",
            "target gateway: report_token_env needs report_url",
            "serve: listen \"localhost\" is not an address and port such as 127.0.0.1:8088",
            "serve: the environment variable SERVE_TOKEN (token_env) is not set",
            "serve: threads must be between 1 and 64",
            "serve: reply_target \"mail\" sends email, not SMS confirmations",
        ]
    );
}

#[test]
fn credentials_are_named_never_shown() {
    let (dir, config) = setup(VALID, SUBSCRIBERS);
    let report = check(&config, &environment(&["KANNEL_USER"]));
    assert_eq!(
        shown(&report, dir.path()),
        ["target gateway: the environment variable KANNEL_PASSWORD (password_env) is not set"]
    );
}

const BROKEN: &str = r#"
state = "wire/rain.txt/state.db"

[[source]]
name = "desk"
path = "wire"
url = "https://news.example.org/feed.xml"
country = "bd"

[[source]]
name = "desk"
path = "missing"
country = "Bangladesh"
zone = "Dhaka"

[[source]]
name = "ftp feed"
url = "ftp://news.example.org/feed.xml"
language = "not a tag"
timeout = 0

[[target]]
name = "spool"
kind = "files"
dir = "wire/rain.txt/spool"
url = "https://example.org"

[[target]]
name = "gateway"
kind = "kannel"
url = "http://kannel:secret@127.0.0.1:13013/cgi-bin/sendsms"
from = "The Daily Newsdesk"
password_env = "KANNEL_PASSWORD"
rate = 0.0

[[target]]
name = "mail"
kind = "smtp"
username_env = "SMTP_USER"

[[target]]
name = "relay"
kind = "sendmail"
command = ["no-such-sendmail", "-t"]

[[bulletin]]
name = "morning"
channel = "sms"
sources = ["desk", "wires"]
schedule = "0 25 * * *"
zone = "Asia/Dacca City"
max_segments = 256
stories = 0
since = "soon"
retry_after = "0s"
strategy = "best"
fill = 1.5
from = "news@example.org"
subscribers = "morning.csv"
target = "mail"

[[bulletin]]
name = "evening"
channel = "email"
sources = []
schedule = "0 18 * * *"
unsubscribe = "javascript:alert(1)"
templates = "no-templates"
subscribers = "missing.csv"
target = "nowhere"

[[bulletin]]
name = "noon"
channel = "email"
sources = ["desk"]
schedule = "0 12 * * *"
from = "Newsdesk <news@example.org>"
subscribers = [{ address = "a@example.org\r\nBcc: all@example.org", locale = "en", tz = "UTC" }]
target = "relay"
"#;

#[test]
fn every_problem_is_reported_at_once() {
    let list = "address,locale,tz\n01712345678,bn,Asia/Dhaka\n0171,xx,Asia/Dhaka\n01712-345678,bn,Asia/Dhaka\n";
    let (dir, config) = setup(BROKEN, list);
    let report = check(&config, &environment(&[]));
    let expected = [
        "source desk: another source is named \"desk\"",
        "source \"ftp feed\": a name is letters, digits, '-', '_' and '.' (not first)",
        "state: $DIR/wire/rain.txt/state.db: $DIR/wire/rain.txt is not a folder",
        "source desk: give path or url, not both",
        "source desk: path $DIR/missing: no such file or folder",
        "source desk: country \"Bangladesh\" is not an ISO 3166 alpha-2 country code (such as BD or GB)",
        "source desk: zone \"Dhaka\": not an IANA time zone name or a UTC offset",
        "source ftp feed: url is not an http:// or https:// URL",
        "source ftp feed: language \"not a tag\" is not a BCP 47 language tag (such as bn or en-GB)",
        "source ftp feed: timeout must be 1 to 600 seconds, not 0",
        "target spool: url does not apply to a files target",
        "target spool: dir $DIR/wire/rain.txt/spool: $DIR/wire/rain.txt is not a folder",
        "target gateway: url holds a password: put it in an environment variable named by password_env",
        "target gateway: a kannel target needs username_env",
        "target gateway: from \"The Daily Newsdesk\" is not an SMS sender: up to 11 ASCII letters and digits, or a number of up to 15 digits",
        "target gateway: the environment variable KANNEL_PASSWORD (password_env) is not set",
        "target gateway: rate must be a number of messages per second above 0",
        "target mail: a smtp target needs host",
        "target mail: give both username_env and password_env, or neither",
        "target mail: the environment variable SMTP_USER (username_env) is not set",
        "target relay: command no-such-sendmail: not found in PATH",
        "bulletin morning: no source is named \"wires\"",
        "bulletin morning: target mail is a smtp target, which cannot send SMS (use files, stdout, kannel or webhook)",
        "bulletin morning: schedule: unknown time zone \"Asia/Dacca City\" (not an IANA zone name)",
        "bulletin morning: schedule: cron expression \"0 25 * * *\": hour field \"25\": Component error: Number out of bounds.",
        "bulletin morning: since \"soon\": expected number at 0 (write e.g. 24h, 90m)",
        "bulletin morning: retry_after \"0s\": must be longer than zero",
        "bulletin morning: stories must be at least 1",
        "bulletin morning: max_segments must be 1 to 255, not 256",
        "bulletin morning: strategy \"best\": must be lead, smart or auto",
        "bulletin morning: fill 1.5: must be a share from 0 to 1",
        "bulletin morning: from applies to email bulletins only",
        "bulletin morning: $DIR/morning.csv:3: 0171 is not a valid phone number for BD; \"xx\" is not a known locale",
        "bulletin morning: $DIR/morning.csv:4: +8801712345678 is a duplicate of line 2",
        "bulletin evening: sources is empty: name at least one [[source]]",
        "bulletin evening: no target is named \"nowhere\"",
        "bulletin evening: an email bulletin needs from (\"Newsroom <news@example.org>\")",
        "bulletin evening: unsubscribe: \"javascript:alert(1)\" is not an https:, http: or mailto: URL without spaces",
        "bulletin evening: templates: $DIR/no-templates is not a folder",
        "bulletin evening: subscribers: $DIR/missing.csv: no such file or directory",
        "bulletin noon: subscriber 1: \"a@example.org\\r\\nBcc: all@example.org\" contains the control character '\\r'",
    ];
    let found = shown(&report, dir.path());
    for (found, expected) in found.iter().zip(expected) {
        assert_eq!(found, expected);
    }
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    assert_eq!(report.subscribers, 1);
}

#[test]
fn bad_quiet_hours_name_the_bulletin_or_the_line() {
    let config = VALID
        .replace("quiet = \"22:00-07:00\"", "quiet = \"22:00-7\"")
        .replace("quiet_max_age = \"12h\"", "quiet_max_age = \"overnight\"")
        .replace("quiet = \"none\"", "quiet = \"nope\"");
    let list = "address,locale,tz,quiet\n\
                01712-345678,bn,Asia/Dhaka,\n\
                01812-345678,bn,Asia/Dhaka,off\n\
                01912-345678,bn,Asia/Dhaka,21:00-21:00\n";
    let (dir, config) = setup(&config, list);
    let report = check(&config, &environment(&["KANNEL_USER", "KANNEL_PASSWORD"]));
    assert_eq!(
        shown(&report, dir.path()),
        [
            "bulletin morning: quiet \"22:00-7\": \"7\" is not a time from 00:00 to 23:59 (write HH:MM-HH:MM, e.g. 22:00-07:00)",
            "bulletin morning: quiet_max_age \"overnight\": expected number at 0 (write e.g. 12h, 90m)",
            "bulletin morning: $DIR/morning.csv:4: quiet \"21:00-21:00\": starts and ends at the same time (for no quiet hours write none)",
            "bulletin evening: subscriber 2: quiet \"nope\": not a window (write HH:MM-HH:MM, e.g. 22:00-07:00)",
        ]
    );
}

#[test]
fn a_bulletin_names_its_missing_pieces() {
    let text = r#"
[[target]]
name = "spool"
kind = "stdout"
host = "smtp.example.org"
"#;
    let (dir, config) = setup(text, "");
    let report = check(&config, &environment(&[]));
    assert_eq!(
        shown(&report, dir.path()),
        [
            "configuration: no [[bulletin]]: nothing would be sent",
            "target spool: host does not apply to a stdout target",
        ]
    );
}

/// A templates folder whose SMS alert template is `source`, beside the config.
fn with_alert_template(source: &str) -> (tempfile::TempDir, Config) {
    let text = VALID.replace(
        "subscribers = \"morning.csv\"",
        "subscribers = \"morning.csv\"\ntemplates = \"templates\"",
    );
    let (dir, config) = setup(&text, SUBSCRIBERS);
    std::fs::create_dir_all(dir.path().join("templates/sms")).unwrap();
    std::fs::write(dir.path().join("templates/sms/alert.txt.tera"), source).unwrap();
    (dir, config)
}

#[test]
fn templates_render_in_every_locale_the_subscribers_use() {
    let (dir, config) = with_alert_template("{{ missing.field }}\n");
    let report = check(&config, &environment(&["KANNEL_USER", "KANNEL_PASSWORD"]));
    let found = shown(&report, dir.path());
    assert_eq!(found.len(), 3, "{found:#?}");
    for (problem, locale) in found.iter().zip(["bn", "en", "hi"]) {
        assert!(
            problem.starts_with("bulletin morning: template sms/alert.txt.tera")
                && problem.ends_with(&format!("(locale {locale})")),
            "{problem}"
        );
    }
}

#[test]
fn a_template_that_does_not_parse_is_reported_once() {
    let (dir, config) = with_alert_template("{% if %}\n");
    let report = check(&config, &environment(&["KANNEL_USER", "KANNEL_PASSWORD"]));
    let found = shown(&report, dir.path());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("bulletin morning: template sms/alert.txt.tera"),
        "{found:?}"
    );
}

#[test]
fn locales_come_from_the_bulletin_folder_too() {
    let text = VALID.replace(
        "subscribers = \"morning.csv\"",
        "subscribers = \"morning.csv\"\nlocales = \"locales\"",
    );
    let list = "address,locale,tz\n01712345678,bn-BD,Asia/Dhaka\n01812345678,xx,Asia/Dhaka\n";
    let (dir, config) = setup(&text, list);
    let locale = dir.path().join("locales/xx");
    std::fs::create_dir_all(&locale).unwrap();
    std::fs::copy("locales/en/locale.toml", locale.join("locale.toml")).unwrap();
    std::fs::write(locale.join("digest.ftl"), "stories = { $count ->\n").unwrap();
    let report = check(&config, &environment(&["KANNEL_USER", "KANNEL_PASSWORD"]));
    let found = shown(&report, dir.path());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].starts_with("bulletin morning: "), "{found:?}");
    assert!(found[0].contains("xx"), "{found:?}");
}

#[test]
fn known_locales_are_built_in_or_in_the_folder() {
    let known = known_locale(None);
    assert!(known("bn") && known("en-GB") && known("zh"));
    assert!(!known("xx") && !known("") && !known("en GB") && !known("bn-"));
    // Fluent (unic-langid) refuses private-use subtags, which ICU would take.
    assert!(!known("bn-x-desk"));
}

#[test]
fn a_state_server_is_read_but_never_with_a_password() {
    let config = VALID.replace(
        "state = \"state/state.db\"",
        "state = \"postgres://news:hunter2@db1/news\"\nlease = \"0s\"",
    );
    let (dir, config) = setup(&config, "address,locale,tz\n+8801711000001,en,Asia/Dhaka\n");
    let problems = shown(&check(&config, &environment(&[])), dir.path());
    let state: Vec<&String> = problems
        .iter()
        .filter(|p| p.starts_with("state") || p.starts_with("lease"))
        .collect();
    assert_eq!(state.len(), 2, "{problems:?}");
    assert!(
        state[0].contains("write no password in the state URL"),
        "{state:?}"
    );
    assert!(!state[0].contains("hunter2"), "{state:?}");
    assert!(state[1].contains("at least one second"), "{state:?}");
    let fine = VALID.replace(
        "state = \"state/state.db\"",
        "state = \"postgres://news@db1/news\"\nlease = \"90s\"",
    );
    let (_dir, config) = setup(&fine, "address,locale,tz\n+8801711000001,en,Asia/Dhaka\n");
    assert_eq!(
        config.state.as_deref(),
        Some(Path::new("postgres://news@db1/news")),
        "not a path"
    );
    let problems = check(&config, &environment(&[])).problems;
    assert!(
        !problems.iter().any(|p| p.to_string().starts_with("state")),
        "{problems:?}"
    );
}
