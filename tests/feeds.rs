//! Feed reading: the fixtures in `tests/data/feeds/` through `newsdigest::ingest`, and through
//! the binary (`inspect` on a feed file and on a feed piped to stdin).
//!
//! Each fixture is checked for item count, titles, plain bodies, decoded charsets, sources,
//! datelines that `dateline::parse` reads, keys (stable, distinct, blind to tracking parameters)
//! and languages with their confidence. Example: `cargo test --test feeds`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use newsdigest::article::Article;
use newsdigest::dateline::{self, Context};
use newsdigest::ingest::{self, feed};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/feeds")
        .join(name)
}

/// The articles of one fixture, read the way the CLI reads a file.
fn read(name: &str) -> Vec<Article> {
    let path = fixture(name);
    ingest::read_inputs(&[path.display().to_string()], &mut &b""[..])
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn titles(articles: &[Article]) -> Vec<&str> {
    articles
        .iter()
        .map(|a| a.title.as_deref().unwrap_or(""))
        .collect()
}

fn context() -> Context {
    Context {
        country: None,
        home: None,
        now: "2025-04-23T09:00:00Z".parse().unwrap(),
    }
}

/// Checks what every feed article must satisfy: plain body, readable dateline, a key.
fn check_common(articles: &[Article]) {
    let mut keys = HashSet::new();
    for a in articles {
        assert!(!a.body.is_empty(), "{}", a.origin);
        for bad in ['<', '>', '\u{a0}'] {
            assert!(
                !a.body.contains(bad),
                "{}: {bad:?} in {:?}",
                a.origin,
                a.body
            );
        }
        assert!(
            !a.body.contains("&nbsp;") && !a.body.contains("&amp;"),
            "{}",
            a.origin
        );
        if let Some(text) = &a.dateline {
            dateline::parse(text, &context())
                .unwrap_or_else(|e| panic!("{}: dateline {text:?}: {e}", a.origin));
        }
        let (kind, hex) = a.key.split_once(':').expect("key has a kind");
        assert!(["guid", "link", "hash"].contains(&kind), "{}", a.key);
        assert_eq!(hex.len(), 16, "{}", a.key);
        assert!(keys.insert(a.key.clone()), "duplicate key {}", a.key);
        assert!((0.0..=1.0).contains(&a.language_confidence));
    }
}

#[test]
fn rss2_with_guids() {
    let articles = read("rss2-guid.xml");
    check_common(&articles);
    assert_eq!(
        titles(&articles),
        [
            "Ferry timetable changes from Monday",
            "Fish market reopens after repairs",
            "Lighthouse keepers honoured",
            "Sea wall plan approved a year ago",
        ]
    );
    let first = &articles[0];
    assert!(
        first.origin.ends_with("rss2-guid.xml#1"),
        "{}",
        first.origin
    );
    assert_eq!(first.source.as_deref(), Some("Harbour Gazette"));
    assert_eq!(
        first.body,
        "The harbour authority will run two extra morning crossings from Monday. Officials said \
         the change follows a rise in commuter traffic since March.\nEvening services stay as they are."
    );
    assert_eq!(first.dateline.as_deref(), Some("2025-04-23T08:15:00+01:00"));
    assert_eq!(
        (first.language.as_str(), first.language_confidence),
        ("en-GB", 1.0)
    );
    assert!(first.key.starts_with("guid:"), "{}", first.key);
    // A URL guid is a link: its key is the page's, tracking parameter dropped.
    assert!(articles[1].key.starts_with("link:"), "{}", articles[1].key);
    let fish = ingest::key::story_key(&ingest::key::Parts {
        link: Some("https://gazette.example/news/fish-market"),
        ..Default::default()
    });
    assert_eq!(articles[1].key, fish);
    // isPermaLink="true" on a guid that is not a URL: used as an opaque id, never as a link.
    assert!(articles[2].key.starts_with("guid:"), "{}", articles[2].key);
    assert_eq!(
        articles[2].url.as_deref(),
        Some("https://gazette.example/news/lighthouse")
    );
    // The year-old item keeps its year.
    let old = dateline::parse(articles[3].dateline.as_deref().unwrap(), &context()).unwrap();
    assert_eq!(old.utc.to_rfc3339(), "2024-04-20T08:30:00+00:00");
}

#[test]
fn keys_are_stable_across_reads() {
    let once: Vec<String> = read("rss2-guid.xml").into_iter().map(|a| a.key).collect();
    let twice: Vec<String> = read("rss2-guid.xml").into_iter().map(|a| a.key).collect();
    assert_eq!(once, twice);
}

#[test]
fn rss2_without_guids_keys_ignore_tracking() {
    let articles = read("rss2-noguid.xml");
    check_common(&articles);
    assert_eq!(articles.len(), 3);
    assert!(articles.iter().all(|a| a.key.starts_with("link:")));
    let link_key = |url: &str| {
        ingest::key::story_key(&ingest::key::Parts {
            link: Some(url),
            ..Default::default()
        })
    };
    assert_eq!(
        articles[0].key,
        link_key("https://courier.example/2025/04/bridge?id=41")
    );
    assert_eq!(
        articles[1].key,
        link_key("https://courier.example/2025/04/choir")
    );
    // The URL itself is kept as the feed wrote it.
    assert_eq!(
        articles[1].url.as_deref(),
        Some("https://courier.example/2025/04/choir?fbclid=XYZ123#comments")
    );
    // No language metadata: detected, with whatlang's confidence.
    assert_eq!(articles[0].language, "en");
    assert!(articles[0].language_confidence >= 0.5 && articles[0].language_confidence <= 1.0);
    assert_eq!(
        articles[0].dateline.as_deref(),
        Some("2025-04-23T06:30:00+00:00")
    );
}

#[test]
fn rss1_and_rss091() {
    let rdf = read("rss1.rdf");
    check_common(&rdf);
    assert_eq!(
        titles(&rdf),
        [
            "Late frost warning for orchards",
            "Rain returns after dry fortnight"
        ]
    );
    assert_eq!(rdf[0].source.as_deref(), Some("Hill Almanac"));
    assert_eq!(
        rdf[0].dateline.as_deref(),
        Some("2025-04-23T05:20:00+02:00")
    );
    assert_eq!(
        (rdf[0].language.as_str(), rdf[0].language_confidence),
        ("en", 1.0)
    );
    let old = read("rss091.xml");
    check_common(&old);
    assert_eq!(
        titles(&old),
        [
            "Library extends opening hours",
            "New bus shelter on Mill Road"
        ]
    );
    assert_eq!(old[0].dateline, None);
    assert_eq!(old[0].language, "en-US");
    assert_eq!(old[1].url.as_deref(), Some("https://crier.example/shelter"));
}

#[test]
fn atom() {
    let articles = read("atom.xml");
    check_common(&articles);
    assert_eq!(
        titles(&articles),
        [
            "Seals return to the sandbank",
            "Tide gauge upgraded",
            "Kelp survey begins"
        ]
    );
    assert_eq!(articles[0].source.as_deref(), Some("Coastal Science Notes"));
    // published wins over updated, and keeps its offset.
    assert_eq!(
        articles[0].dateline.as_deref(),
        Some("2025-04-23T06:45:00-04:00")
    );
    assert_eq!(
        articles[1].dateline.as_deref(),
        Some("2025-04-22T14:20:00+00:00")
    );
    // The alternate link, not the comments link.
    assert_eq!(
        articles[0].url.as_deref(),
        Some("https://science.example/seals")
    );
    assert_eq!(
        articles[2].body,
        "Divers began a month-long survey of the kelp beds off the point.\nThe last survey was made in 2019."
    );
    assert!(articles.iter().all(|a| a.key.starts_with("guid:")));
    assert_eq!(
        (
            articles[0].language.as_str(),
            articles[0].language_confidence
        ),
        ("en", 1.0)
    );
}

#[test]
fn json_feed() {
    let articles = read("feed.json");
    check_common(&articles);
    assert_eq!(
        titles(&articles),
        [
            "Tram line extension opens",
            "Cycle lanes painted on High Street",
            "Night market returns"
        ]
    );
    assert_eq!(articles[0].source.as_deref(), Some("Metro Desk"));
    assert_eq!(
        articles[0].body,
        "The first trams ran on the eastern extension on Wednesday morning.\nThe line adds four stops and a park-and-ride."
    );
    assert_eq!(
        articles[1].body,
        "Crews painted new cycle lanes on High Street overnight.\nThe work finished two days early."
    );
    assert_eq!(
        articles[2].dateline.as_deref(),
        Some("2025-04-22T12:00:00+01:00")
    );
    assert!(articles[0].key.starts_with("guid:"));
    assert_eq!(articles[0].language_confidence, 1.0);
}

#[test]
fn charsets_are_decoded() {
    let latin = read("latin1.xml");
    check_common(&latin);
    assert_eq!(
        titles(&latin),
        ["Le café du port rouvre", "Fête de la mer à la fin du mois"]
    );
    assert!(
        latin[1].body.contains("prévoit un défilé"),
        "{}",
        latin[1].body
    );
    assert_eq!(latin[0].language, "fr");
    let cp1252 = read("win1252.xml");
    check_common(&cp1252);
    assert_eq!(
        titles(&cp1252),
        [
            "\u{201c}Fair price\u{201d} pledge at the bakery",
            "Fuel up 3 cents \u{2013} again"
        ]
    );
    assert!(cp1252[0].body.contains("€2"), "{}", cp1252[0].body);
    assert!(
        cp1252[0].body.contains("won\u{2019}t"),
        "{}",
        cp1252[0].body
    );
    // The same bytes with the charset given by the caller (an HTTP Content-Type).
    let bytes = std::fs::read(fixture("win1252.xml")).unwrap();
    let fetched = ingest::parse_fetched(
        "https://watch.example/feed",
        Some("application/rss+xml; charset=windows-1252"),
        &bytes,
    )
    .unwrap();
    assert_eq!(fetched[1].body, cp1252[1].body);
}

#[test]
fn html_is_made_plain() {
    let articles = read("html-entities.xml");
    check_common(&articles);
    assert_eq!(
        articles[0].source.as_deref(),
        Some("The Evening Lamp & Post")
    );
    assert_eq!(
        titles(&articles),
        ["Café owners & council agree", "Night bus trial extended"]
    );
    assert_eq!(
        articles[0].body,
        "Café owners and the council reached a deal on outdoor seating on Wednesday.\n\
         Tables may stay out until 10 pm.\nThe fee drops by a ½."
    );
    assert_eq!(
        articles[1].body,
        "The night bus trial will run until September. Ridership doubled in March.\n\
         Fares stay at £2…\nTickets are sold on board."
    );
    for a in &articles {
        for hidden in ["tracking", "document.write", "alert", "color", "display"] {
            assert!(!a.body.contains(hidden), "{hidden} in {:?}", a.body);
        }
    }
}

#[test]
fn bengali_with_offsets() {
    let articles = read("bengali.xml");
    check_common(&articles);
    assert_eq!(titles(&articles), ["রাজধানীতে বৃষ্টি", "নতুন সেতুর কাজ শুরু"]);
    assert_eq!(articles[0].source.as_deref(), Some("নদী বার্তা"));
    assert_eq!(
        articles[0].dateline.as_deref(),
        Some("2025-04-23T13:47:00+06:00")
    );
    let read = dateline::parse(articles[0].dateline.as_deref().unwrap(), &context()).unwrap();
    assert_eq!(read.utc.to_rfc3339(), "2025-04-23T07:47:00+00:00");
    assert!(
        articles
            .iter()
            .all(|a| a.language == "bn" && a.language_confidence == 1.0)
    );
}

#[test]
fn mixed_languages_are_detected_per_item() {
    let articles = read("mixed-en-bn.xml");
    check_common(&articles);
    let languages: Vec<&str> = articles.iter().map(|a| a.language.as_str()).collect();
    assert_eq!(languages, ["en", "bn"]);
    for a in &articles {
        assert!(
            a.language_confidence >= 0.5 && a.language_confidence < 1.0 + f64::EPSILON,
            "{}: {}",
            a.origin,
            a.language_confidence
        );
    }
}

#[test]
fn wire_folder_gets_keys_and_detected_language() {
    let articles = read("wire-dir");
    check_common(&articles);
    assert_eq!(articles.len(), 3);
    assert!(
        articles
            .iter()
            .all(|a| a.key.starts_with("hash:") && a.language == "en")
    );
    assert_eq!(
        articles[0].dateline.as_deref(),
        Some("BDST: 1347 HRS, APR 23, 2025")
    );
}

#[test]
fn folder_walk_picks_up_feeds() {
    let articles = read("");
    let origins: HashSet<String> = articles
        .iter()
        .map(|a| {
            a.origin
                .rsplit_once('#')
                .map_or(a.origin.clone(), |(f, _)| f.to_string())
        })
        .collect();
    assert_eq!(origins.len(), 12 + 3, "{origins:?}");
}

#[test]
fn malformed_feed_names_the_file() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/feed-errors/malformed.xml");
    let err = ingest::read_inputs(&[path.display().to_string()], &mut &b""[..]).unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("{}: not a valid feed", path.display())),
        "{text}"
    );
    assert!(text.contains("</title>"), "{text}");
    assert!(!text.contains('\n'));
    assert_eq!(err.exit_code(), 65);
}

#[test]
fn detection_by_extension_and_sniffing() {
    let xml = std::fs::read(fixture("atom.xml")).unwrap();
    let json = std::fs::read(fixture("feed.json")).unwrap();
    // Sniffed without an extension (stdin, URLs).
    assert_eq!(ingest::parse_bytes("-", None, &xml).unwrap().len(), 3);
    assert_eq!(ingest::parse_bytes("-", None, &json).unwrap().len(), 3);
    let mut bom = b"\xef\xbb\xbf \n".to_vec();
    bom.extend_from_slice(&xml);
    assert_eq!(ingest::parse_bytes("-", None, &bom).unwrap().len(), 3);
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(
            String::from_utf8(xml.clone())
                .unwrap()
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    assert_eq!(ingest::parse_bytes("-", None, &utf16).unwrap().len(), 3);
    // `.json` is a JSON Feed only with a JSON Feed version; article JSON keeps working.
    assert_eq!(
        ingest::parse_bytes("f.json", Some("json".as_ref()), &json).unwrap()[0].origin,
        "f.json#1"
    );
    let article = br#"{"body": "Rain in Dhaka.", "version": "2"}"#;
    assert_eq!(
        ingest::parse_bytes("a.json", Some("json".as_ref()), article).unwrap()[0].origin,
        "a.json"
    );
    // `.txt` is always wire text, even when it looks like XML.
    let wire =
        ingest::parse_bytes("a.txt", Some("txt".as_ref()), b"<b>Rain</b> in Dhaka.").unwrap();
    assert_eq!(wire[0].body, "<b>Rain</b> in Dhaka.");
    // Content types decide for fetched documents, else sniffing.
    assert_eq!(
        ingest::parse_fetched("u", Some("application/feed+json"), &json)
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        ingest::parse_fetched("u", Some("text/html"), &xml)
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        ingest::parse_fetched("u", None, b"Rain in Dhaka.\nSource: X").unwrap()[0]
            .source
            .as_deref(),
        Some("X")
    );
    let err = ingest::parse_fetched(
        "https://x.example/",
        Some("text/html"),
        b"<html><body>no</body></html>",
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "https://x.example/: not a feed: no RSS, Atom or JSON Feed root element"
    );
}

#[test]
fn ten_thousand_items() {
    let mut xml = String::from("<rss version=\"2.0\"><channel><title>Bulk</title>");
    for i in 0..10_000 {
        xml.push_str(&format!(
            "<item><title>Item {i}</title><link>https://bulk.example/{i}?utm_source=x</link>\
             <description>&lt;p&gt;Story number {i} in the bulk feed.&lt;/p&gt;</description>\
             <pubDate>Wed, 23 Apr 2025 08:{:02}:{:02} +0000</pubDate></item>",
            i / 60 % 60,
            i % 60
        ));
    }
    xml.push_str("</channel></rss>");
    let articles = feed::parse("bulk.xml", xml.as_bytes(), None).unwrap();
    assert_eq!(articles.len(), 10_000);
    assert_eq!(articles[9_999].origin, "bulk.xml#10000");
    assert_eq!(articles[9_999].body, "Story number 9999 in the bulk feed.");
    let keys: HashSet<&str> = articles.iter().map(|a| a.key.as_str()).collect();
    assert_eq!(keys.len(), 10_000);
}

/// Runs the binary with `args` and `stdin`, returning (exit code, stdout, stderr).
fn run(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin);
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn binary_inspects_a_feed_file_and_stdin() {
    let now = "2025-04-23T09:00:00Z";
    let (code, stdout, stderr) = run(&["inspect", "--now", now, "tests/data/feeds/atom.xml"], b"");
    assert_eq!(code, 0, "{stderr}");
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value.as_array().unwrap().len(), 3);
    assert_eq!(value[0]["origin"], "tests/data/feeds/atom.xml#1");
    assert_eq!(value[0]["title"], "Seals return to the sandbank");
    assert_eq!(value[0]["published_utc"], "2025-04-23T10:45:00Z");
    let bytes = std::fs::read(fixture("bengali.xml")).unwrap();
    let (code, stdout, stderr) = run(&["inspect", "--now", now, "-"], &bytes);
    assert_eq!(code, 0, "{stderr}");
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value[1]["origin"], "<stdin>#2");
    assert_eq!(value[0]["language"], "bn");
    let (code, _, stderr) = run(&["inspect", "tests/data/feed-errors/malformed.xml"], b"");
    assert_eq!(code, 65);
    assert!(
        stderr.contains("tests/data/feed-errors/malformed.xml: not a valid feed"),
        "{stderr}"
    );
}
