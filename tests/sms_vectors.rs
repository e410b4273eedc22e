//! The shared SMS test vectors (`tests/data/sms-vectors.jsonl`, copied from the team's testdata):
//! encoding, parts and segments under both split policies, and the encoding smart encoding reaches.

use newsdigest::sms::{self, Encoding, Options, SplitPolicy};
use serde::Deserialize;

#[derive(Deserialize)]
struct Vector {
    name: String,
    text: String,
    encoding: String,
    parts: Vec<usize>,
    segments: usize,
    parts_grapheme_safe: Vec<usize>,
    segments_grapheme_safe: usize,
    smart_encoded_peer_encoding: String,
    smart_encoded_peer_segments: usize,
}

fn vectors() -> Vec<Vector> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sms-vectors.jsonl");
    std::fs::read_to_string(path)
        .expect("tests/data/sms-vectors.jsonl is in the repository")
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).expect("each line is a vector"))
        .collect()
}

fn encoding_name(encoding: Encoding) -> &'static str {
    match encoding {
        Encoding::Gsm7 => "gsm7",
        Encoding::Ucs2 => "ucs2",
    }
}

fn part_units(text: &str, options: &Options) -> (Encoding, Vec<usize>, usize) {
    let m = sms::measure(text, options);
    assert_eq!(m.parts.concat_text(), m.text, "parts join back to the text");
    (
        m.encoding,
        m.parts.iter().map(|p| p.units).collect(),
        m.segments(),
    )
}

trait Concat {
    fn concat_text(&self) -> String;
}

impl Concat for Vec<sms::Part> {
    fn concat_text(&self) -> String {
        self.iter().map(|p| p.text.as_str()).collect()
    }
}

#[test]
fn every_vector_passes_under_both_policies() {
    let vectors = vectors();
    assert_eq!(vectors.len(), 18);
    let mut failures = Vec::new();
    for v in &vectors {
        let code_units = Options {
            split: SplitPolicy::CodeUnits,
            ..Options::default()
        };
        let (encoding, parts, segments) = part_units(&v.text, &code_units);
        if encoding_name(encoding) != v.encoding || parts != v.parts || segments != v.segments {
            failures.push(format!(
                "{}: code units gave {} {parts:?} {segments}",
                v.name,
                encoding_name(encoding)
            ));
        }
        let graphemes = Options::default();
        let (encoding, parts, segments) = part_units(&v.text, &graphemes);
        if encoding_name(encoding) != v.encoding
            || parts != v.parts_grapheme_safe
            || segments != v.segments_grapheme_safe
        {
            failures.push(format!(
                "{}: graphemes gave {} {parts:?} {segments}",
                v.name,
                encoding_name(encoding)
            ));
        }
        let smart = Options {
            smart_encoding: true,
            ..Options::default()
        };
        let (encoding, _, segments) = part_units(&v.text, &smart);
        let expected = match v.smart_encoded_peer_encoding.as_str() {
            "GSM-7" => Encoding::Gsm7,
            "UCS-2" => Encoding::Ucs2,
            other => panic!("{}: unknown encoding {other}", v.name),
        };
        if encoding != expected || segments != v.smart_encoded_peer_segments {
            failures.push(format!(
                "{}: smart encoding gave {} {segments}",
                v.name,
                encoding_name(encoding)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
