//! The shared sentence-boundary cases (`tests/data/sentences.json`, copied from the team's
//! testdata): each case's sentences, joined as the language writes them, must split back exactly.

use newsdigest::text::sentences::SentenceSplitter;
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    id: String,
    lang: String,
    sents: Vec<String>,
    joiner: String,
}

#[test]
fn every_shared_case_splits_exactly() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sentences.json");
    let cases: Vec<Case> =
        serde_json::from_str(&std::fs::read_to_string(path).expect("tests/data/sentences.json"))
            .unwrap();
    assert_eq!(cases.len(), 33);
    let mut failures = Vec::new();
    for case in &cases {
        let text = case.sents.join(&case.joiner);
        let got = SentenceSplitter::for_language(&case.lang).split(&text);
        if got != case.sents {
            failures.push(format!("{} ({}): {got:#?}", case.id, case.lang));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
