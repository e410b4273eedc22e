//! Property tests for ingest: arbitrary bytes, wire-ish and JSON-ish text never panic the readers.
//!
//! Feeds generated input to `newsdigest::ingest::parse_bytes`, `wire::parse`, `json::parse` and
//! `feed::parse` (arbitrary bytes, and the feed fixtures with bytes flipped, cut and spliced) and
//! checks what every result must satisfy: an error starts with the origin name; an article has a
//! non-empty body, no bidi embedding/override/isolate control in any field, and a URL only when it
//! is `http(s)://`. 2000 cases per test unless `PROPTEST_CASES` says otherwise. Example:
//! `PROPTEST_CASES=20000 cargo test --release --test ingest_properties`.

use newsdigest::article::Article;
use newsdigest::ingest::{self, clean, feed, json, wire};
use proptest::prelude::*;

const ORIGIN: &str = "prop/in.txt";

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

/// Checks one reader's result against the invariants in the module documentation.
fn check(result: newsdigest::Result<Vec<Article>>) -> Result<(), TestCaseError> {
    match result {
        Err(err) => {
            let text = err.to_string();
            prop_assert!(text.starts_with(ORIGIN), "error without origin: {text}");
        }
        Ok(articles) => {
            prop_assert!(!articles.is_empty());
            for article in articles {
                prop_assert!(!article.body.trim().is_empty(), "empty body: {article:?}");
                let fields = [
                    Some(&article.body),
                    article.title.as_ref(),
                    article.source.as_ref(),
                    article.dateline.as_ref(),
                    article.editor.as_ref(),
                    Some(&article.language),
                    article.url.as_ref(),
                ];
                for field in fields.into_iter().flatten() {
                    prop_assert!(
                        !field.chars().any(clean::is_bidi_control),
                        "bidi control left in {field:?}"
                    );
                }
                if let Some(url) = &article.url {
                    let lower = url.to_ascii_lowercase();
                    prop_assert!(lower.starts_with("http://") || lower.starts_with("https://"));
                }
            }
        }
    }
    Ok(())
}

/// Pieces of wire copy, footers, separators and hostile characters.
fn wire_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Rain in Dhaka today.".to_string()),
        Just("ঢাকায় আজ বৃষ্টি।".to_string()),
        Just("Source: Desk".to_string()),
        Just("সূত্র: বাসস".to_string()),
        Just("BDST: 1347 HRS, APR 23, 2025".to_string()),
        Just("RK".to_string()),
        Just("\n".to_string()),
        Just("\r".to_string()),
        Just("\r\n".to_string()),
        Just("\u{2028}".to_string()),
        Just("\u{2029}".to_string()),
        Just("\u{202e}".to_string()),
        Just("\u{2066}".to_string()),
        Just("\u{200f}".to_string()),
        Just("\0".to_string()),
        Just("\u{feff}".to_string()),
        Just(" ".to_string()),
        any::<String>(),
    ]
}

fn wire_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(wire_piece(), 0..24).prop_map(|pieces| pieces.concat())
}

/// Pieces of JSON: structure, keys, values of every type, hostile strings.
fn json_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just(":".to_string()),
        Just(",".to_string()),
        Just("\"body\"".to_string()),
        Just("\"title\"".to_string()),
        Just("\"url\"".to_string()),
        Just("\"source\"".to_string()),
        Just("\"Rain \\u202e in Dhaka.\\r\\nMore.\"".to_string()),
        Just("\"javascript:alert(1)\"".to_string()),
        Just("\"HTTPS://x.example/\"".to_string()),
        Just("5".to_string()),
        Just("null".to_string()),
        Just("true".to_string()),
        Just("\n".to_string()),
        "\"[^\"\\\\]{0,12}\"".prop_map(String::from),
    ]
}

fn json_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(json_piece(), 0..32).prop_map(|pieces| pieces.concat())
}

/// Well-formed article objects with arbitrary field values, alone or in an array.
fn json_articles() -> impl Strategy<Value = String> {
    let article = (
        any::<String>(),
        proptest::option::of(any::<String>()),
        proptest::option::of(any::<String>()),
    )
        .prop_map(
            |(body, title, url)| serde_json::json!({"body": body, "title": title, "url": url}),
        );
    (proptest::collection::vec(article, 0..4), any::<bool>()).prop_map(|(items, one)| {
        match (one, items.first()) {
            (true, Some(first)) => first.to_string(),
            _ => serde_json::Value::Array(items).to_string(),
        }
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check(ingest::parse_bytes(ORIGIN, None, &bytes))?;
        check(ingest::parse_bytes(ORIGIN, Some("JSON".as_ref()), &bytes))?;
    }

    #[test]
    fn wire_ish_text(text in wire_text()) {
        check(wire::parse(ORIGIN, &text).map(|a| vec![a]))?;
        check(ingest::parse_bytes(ORIGIN, None, text.as_bytes()))?;
    }

    #[test]
    fn json_ish_text(text in json_text()) {
        check(json::parse(ORIGIN, &text))?;
        check(ingest::parse_bytes(ORIGIN, Some("json".as_ref()), text.as_bytes()))?;
    }

    #[test]
    fn json_articles_with_arbitrary_fields(text in json_articles()) {
        check(json::parse(ORIGIN, &text))?;
    }

    #[test]
    fn feed_bytes_never_panic(
        fixture in proptest::sample::select(FEED_FIXTURES),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..4), 0..12),
        cut in any::<prop::sample::Index>(),
        noise in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut bytes = std::fs::read(fixture_path(fixture)).unwrap();
        for (at, byte, kind) in edits {
            let at = at.index(bytes.len().max(1)).min(bytes.len());
            match kind {
                0 if at < bytes.len() => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                2 if at < bytes.len() => { bytes.remove(at); }
                _ => bytes.splice(at..at, noise.iter().copied()).for_each(drop),
            }
        }
        let whole = bytes.clone();
        bytes.truncate(cut.index(bytes.len() + 1));
        check(feed::parse(ORIGIN, &whole, None))?;
        check(feed::parse(ORIGIN, &bytes, Some("windows-1252")))?;
        check(ingest::parse_bytes(ORIGIN, Some("xml".as_ref()), &bytes))?;
        check(ingest::parse_fetched(ORIGIN, Some("application/json"), &whole))?;
    }

    #[test]
    fn arbitrary_bytes_as_a_feed(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check(feed::parse(ORIGIN, &bytes, None))?;
        check(feed::parse(ORIGIN, &bytes, Some("utf-16le")))?;
    }
}

/// The feed fixtures mutated by `feed_bytes_never_panic`.
const FEED_FIXTURES: &[&str] = &[
    "rss2-guid.xml",
    "rss2-noguid.xml",
    "rss1.rdf",
    "rss091.xml",
    "atom.xml",
    "feed.json",
    "latin1.xml",
    "win1252.xml",
    "html-entities.xml",
    "bengali.xml",
    "mixed-en-bn.xml",
];

fn fixture_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/feeds")
        .join(name)
}
