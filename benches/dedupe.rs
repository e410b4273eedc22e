//! Near-duplicate grouping: signatures and LSH grouping of 1,000 and 10,000 distinct stories.
//!
//! The stories are generated (45 words each from 5,000 three-letter words, the day `24` in every
//! one and one figure of 700), so nothing is merged and every comparison is LSH overhead. When the
//! shared corpora are beside the repository (`../shared/corpora/`, third-party text, read in place
//! and never copied), the BBC and Bengali leads are grouped once and the merges counted: the BBC
//! articles are distinct and the Bengali set holds 5 repeated documents (200 files, 195 unique),
//! so any other merge there is a false positive. Skipped with a message when they are absent.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use newsdigest::text::similar::{self, THRESHOLD};

const CORPORA: &str = "../shared/corpora";

fn generated_text(seed: u64) -> String {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut words: Vec<String> = (0..45)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mut n = state % 5_000;
            (0..3)
                .map(|_| {
                    let letter = char::from(b'a' + (n % 26) as u8);
                    n /= 26;
                    letter
                })
                .collect()
        })
        .collect();
    words.insert(3, format!("{} people on the 24th", seed % 700));
    words.join(" ")
}

fn grouping(c: &mut Criterion) {
    for count in [1_000u64, 10_000] {
        let texts: Vec<String> = (0..count).map(generated_text).collect();
        let signatures: Vec<_> = texts.iter().map(|t| similar::signature(t)).collect();
        let mut group = c.benchmark_group(format!("dedupe_{count}"));
        group.throughput(Throughput::Elements(count));
        group.sample_size(10);
        group.bench_function("signatures", |b| {
            b.iter(|| {
                texts
                    .iter()
                    .map(|t| similar::signature(black_box(t)))
                    .collect::<Vec<_>>()
            })
        });
        group.bench_function("groups", |b| {
            b.iter(|| similar::groups(black_box(&signatures), THRESHOLD))
        });
        group.finish();
    }
    report_corpora();
}

/// (file, lead: its first lines) of the corpus files whose path contains `within`, when present.
fn corpus_leads(folder: &str, within: &str, lead_lines: usize) -> Option<Vec<(String, String)>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(CORPORA)
        .join(folder);
    let mut leads = Vec::new();
    let files = walk(&root)?;
    for file in files
        .iter()
        .filter(|f| f.to_string_lossy().contains(within))
    {
        let text = String::from_utf8_lossy(&std::fs::read(file).ok()?).into_owned();
        // Like `dedupe::lead_text`: the first lines (labels such as `Title:` skipped), 60 words.
        let lines = text.lines().map(str::trim);
        let lines = lines.filter(|l| !l.is_empty() && !l.ends_with(':'));
        let words: Vec<&str> = lines
            .take(lead_lines)
            .flat_map(str::split_whitespace)
            .collect();
        let lead = words[..words.len().min(60)].join(" ");
        let name = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .display()
            .to_string();
        leads.push((name, lead));
    }
    Some(leads)
}

fn walk(root: &Path) -> Option<Vec<std::path::PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).ok()?.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                files.push(path);
            }
        }
    }
    files.sort();
    Some(files)
}

fn report_corpora() {
    let corpora = [
        ("en-bbc-news-summary", "/article/", 3),
        ("bn-bnlpc", "/Documents/", 3),
    ];
    for (folder, within, lines) in corpora {
        let Some(leads) = corpus_leads(folder, within, lines) else {
            eprintln!("dedupe corpus check skipped: {CORPORA}/{folder} is absent");
            continue;
        };
        let signatures: Vec<_> = leads.iter().map(|(_, l)| similar::signature(l)).collect();
        let grouping = similar::groups(&signatures, THRESHOLD);
        let mut merged = 0;
        for (member, &first) in grouping.group_of.iter().enumerate() {
            if member != first {
                merged += 1;
                let score = similar::similarity(&signatures[member], &signatures[first]);
                eprintln!("  {} ~ {} ({score:.2})", leads[first].0, leads[member].0);
            }
        }
        eprintln!(
            "dedupe corpus check {folder}: {} leads, {merged} merged at {THRESHOLD}, {} comparisons",
            leads.len(),
            grouping.comparisons
        );
    }
}

criterion_group!(benches, grouping);
criterion_main!(benches);
