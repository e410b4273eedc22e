//! Property tests for ingest: arbitrary bytes, wire-ish and JSON-ish text never panic the readers.
//!
//! Feeds generated input to `newsdigest::ingest::parse_bytes`, `wire::parse` and `json::parse` and
//! checks what every result must satisfy: an error starts with the origin name; an article has a
//! non-empty body, no bidi embedding/override/isolate control in any field, and a URL only when it
//! is `http(s)://`. 2000 cases per test unless `PROPTEST_CASES` says otherwise. Example:
//! `PROPTEST_CASES=20000 cargo test --release --test ingest_properties`.

use newsdigest::article::Article;
use newsdigest::ingest::{self, clean, json, wire};
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
}
