//! Language detection over the summary corpora and the samples, for checking that a change to
//! detection keeps its answers: prints one line per text (where it came from, the corpus language,
//! the detected tag and confidence as the wire format detects them) and a count of misses.
//!
//! Texts: every document of the corpora `newsdigest eval` reads (`../shared/corpora` unless a
//! folder is given), all 1,500 OrangeSum articles, the first 300 characters of each of them (short
//! items, as feeds carry), and `samples/*.txt` (expected: their name's language prefix).
//!
//! ```sh
//! cargo run --release --example language_probe > before.tsv   # then after a change:
//! cargo run --release --example language_probe > after.tsv && diff before.tsv after.tsv
//! ```

use std::path::{Path, PathBuf};

use newsdigest::eval::corpus;
use newsdigest::ingest::detect::language_of;
use newsdigest::text::language::first_chars;

fn main() {
    let corpora: PathBuf = std::env::args().nth(1).map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora"),
        PathBuf::from,
    );
    let mut texts: Vec<(String, String, String)> = Vec::new();
    for corpus in corpus::load_all(&corpora).expect("the corpora") {
        for document in &corpus.documents {
            let id = format!("{}/{}", corpus.name, document.id);
            texts.push((id, corpus.language.to_string(), document.body.clone()));
        }
    }
    let orangesum = std::fs::read_to_string(corpora.join("fr-orangesum/source_documents.txt"))
        .expect("OrangeSum");
    for (n, line) in orangesum.lines().enumerate() {
        texts.push((format!("orangesum/{n}"), "fr".into(), line.to_string()));
    }
    let short: Vec<_> = texts
        .iter()
        .map(|(id, language, body)| {
            let start = first_chars(body, 300).to_string();
            (format!("{id}[..300]"), language.clone(), start)
        })
        .collect();
    texts.extend(short);
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&samples)
        .expect("samples")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let language = name.split('-').next().unwrap_or("").to_string();
        let body = std::fs::read_to_string(&path).expect("a sample");
        texts.push((format!("samples/{name}"), language, body));
    }
    let mut misses = 0;
    for (id, expected, body) in &texts {
        let (tag, confidence) = language_of(None, body);
        if tag != *expected {
            misses += 1;
        }
        println!("{id}\t{expected}\t{tag}\t{confidence:.2}");
    }
    eprintln!(
        "{} texts, {misses} not in their corpus language",
        texts.len()
    );
}
