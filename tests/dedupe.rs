//! Near-duplicate stories: the fixture pairs (`tests/data/dedupe/pairs.json`, our own text) are
//! classified at the documented threshold, and merging keeps the earliest story, names the other
//! sources, keeps input order, is idempotent and stays near-linear on 10,000 stories.

use std::time::Instant;

use newsdigest::article::Article;
use newsdigest::dateline;
use newsdigest::dedupe::{lead_text, merge_near_duplicates};
use newsdigest::story::{self, Story};
use newsdigest::text::similar::{self, THRESHOLD};
use proptest::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Lead {
    title: String,
    body: String,
}

#[derive(Deserialize)]
struct Pair {
    name: String,
    language: String,
    same_event: bool,
    a: Lead,
    b: Lead,
}

fn pairs() -> Vec<Pair> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/dedupe/pairs.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect(path)).expect(path)
}

/// `(origin, source, dateline, language, title, body)`; an empty title is none.
type Spec<'a> = (
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    &'a str,
    &'a str,
    &'a str,
);

/// `(language, dateline, body)` of a generated story.
type Made = (String, Option<String>, String);

fn stories(specs: &[Spec]) -> Vec<Story> {
    let articles = specs
        .iter()
        .map(|&(origin, source, time, language, title, body)| Article {
            origin: origin.into(),
            source: source.map(Into::into),
            dateline: time.map(Into::into),
            language: language.into(),
            title: (!title.is_empty()).then(|| title.into()),
            body: body.into(),
            ..Default::default()
        })
        .collect();
    let context = dateline::Context {
        country: None,
        home: None,
        now: "2025-04-23T12:00:00Z".parse().unwrap(),
    };
    story::prepare(
        articles,
        &context,
        story::SentenceLimit::ALL,
        &mut Vec::new(),
    )
}

/// The pair's similarity, and whether LSH grouping put the two in one group.
fn pair_similarity(pair: &Pair) -> (f64, bool) {
    let both = stories(&[
        ("a", None, None, &pair.language, &pair.a.title, &pair.a.body),
        ("b", None, None, &pair.language, &pair.b.title, &pair.b.body),
    ]);
    let a = similar::signature(&lead_text(&both[0]));
    let b = similar::signature(&lead_text(&both[1]));
    let score = similar::similarity(&a, &b);
    (
        score,
        similar::groups(&[a, b], THRESHOLD).group_of == [0, 0],
    )
}

#[test]
fn every_fixture_pair_is_classified_at_the_threshold() {
    let pairs = pairs();
    let positives = pairs.iter().filter(|pair| pair.same_event).count();
    let bengali = |same: bool| {
        pairs
            .iter()
            .filter(|p| p.same_event == same && p.language == "bn")
            .count()
    };
    assert!(positives >= 12 && pairs.len() - positives >= 12 && bengali(true) >= 4);
    assert!(bengali(false) >= 4);
    let mut scored: Vec<(f64, bool, &Pair)> = pairs
        .iter()
        .map(|p| {
            let (score, grouped) = pair_similarity(p);
            (score, grouped, p)
        })
        .collect();
    scored.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut wrong = Vec::new();
    for (score, grouped, pair) in &scored {
        let label = if pair.same_event { "same" } else { "different" };
        println!("{score:.3}  {label:9}  {}", pair.name);
        if (*score >= THRESHOLD) != pair.same_event || *grouped != pair.same_event {
            wrong.push(format!("{} ({label}) at {score:.3}", pair.name));
        }
    }
    let extreme = |same: bool| scored.iter().filter(move |(_, _, p)| p.same_event == same);
    let min_positive = extreme(true).map(|(s, _, _)| *s).fold(f64::MAX, f64::min);
    let max_negative = extreme(false).map(|(s, _, _)| *s).fold(0.0, f64::max);
    println!(
        "{positives} same-event pairs, lowest {min_positive:.3}; {} different-event pairs, highest \
         {max_negative:.3}; threshold {THRESHOLD}",
        pairs.len() - positives
    );
    assert!(wrong.is_empty(), "misclassified: {wrong:#?}");
}

#[test]
fn merge_keeps_the_earliest_and_names_both_sources() {
    let pair = &pairs()[0];
    let merged = {
        let input = stories(&[
            (
                "unb/1.txt",
                Some("UNB"),
                Some("2025-04-23T08:10:00Z"),
                "en",
                &pair.a.title,
                &pair.a.body,
            ),
            (
                "bss/1.txt",
                Some("BSS"),
                Some("2025-04-23T07:47:00Z"),
                "en",
                &pair.b.title,
                &pair.b.body,
            ),
        ]);
        let mut notes = Vec::new();
        let merged = merge_near_duplicates(input, &mut notes);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].starts_with("bss/1.txt: same event as unb/1.txt (similarity 0."));
        assert!(notes[0].ends_with("); kept the earliest, naming both sources"));
        merged
    };
    assert_eq!(merged.len(), 1);
    assert_eq!(merged[0].article.origin, "bss/1.txt");
    assert_eq!(merged[0].also_from, ["UNB"]);
}

#[test]
fn different_events_on_one_topic_are_not_merged() {
    let pairs = pairs();
    for pair in pairs.iter().filter(|pair| !pair.same_event) {
        let input = stories(&[
            (
                "a",
                Some("A"),
                None,
                &pair.language,
                &pair.a.title,
                &pair.a.body,
            ),
            (
                "b",
                Some("B"),
                None,
                &pair.language,
                &pair.b.title,
                &pair.b.body,
            ),
        ]);
        let mut notes = Vec::new();
        let merged = merge_near_duplicates(input, &mut notes);
        assert_eq!((merged.len(), notes.len()), (2, 0), "{}", pair.name);
        assert!(merged.iter().all(|story| story.also_from.is_empty()));
    }
}

const FLOOD_A: &str = "At least 12 people died after flash floods swept through Sylhet and Sunamganj on Tuesday, officials said. The Surma rose 40 centimetres above the danger mark at Kanaighat.";
const FLOOD_B: &str = "Flash floods killed at least 12 people in Sylhet and Sunamganj on Tuesday, officials said. The Surma flowed 40 centimetres above the danger mark at Kanaighat.";
const FLOOD_C: &str = "At least 12 people died as flash floods swept through Sylhet and Sunamganj on Tuesday, district officials said. The Surma rose 40 cm above the danger mark at Kanaighat.";
const CRICKET: &str = "Bangladesh beat Zimbabwe by five wickets in the first ODI at Chattogram on Friday, chasing 231 with 11 balls left.";
const FIRE: &str = "Seven workers were killed when a fire broke out at a garment factory in Ashulia early on Sunday.";

#[test]
fn three_outlets_make_one_story_naming_the_other_two() {
    let input = stories(&[
        (
            "reuters.txt",
            Some("Reuters"),
            Some("2025-04-23T09:00:00Z"),
            "en",
            "",
            FLOOD_A,
        ),
        (
            "cricket.txt",
            Some("BSS"),
            Some("2025-04-23T06:00:00Z"),
            "en",
            "",
            CRICKET,
        ),
        (
            "unb.txt",
            Some("UNB"),
            Some("2025-04-23T07:00:00Z"),
            "en",
            "",
            FLOOD_B,
        ),
        (
            "bss.txt",
            Some("BSS"),
            Some("2025-04-23T08:00:00Z"),
            "en-BD",
            "",
            FLOOD_C,
        ),
    ]);
    let mut notes = Vec::new();
    let merged = merge_near_duplicates(input, &mut notes);
    let origins: Vec<&str> = merged.iter().map(|s| s.article.origin.as_str()).collect();
    assert_eq!(origins, ["cricket.txt", "unb.txt"]);
    assert_eq!(merged[1].also_from, ["Reuters", "BSS"]);
    assert!(merged[0].also_from.is_empty());
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(notes[0].starts_with("unb.txt: same event as reuters.txt (similarity "));
    assert!(notes[1].starts_with("unb.txt: same event as bss.txt (similarity "));
}

#[test]
fn stories_without_a_time_count_as_latest_and_ties_go_to_the_first() {
    let untimed_first = stories(&[
        ("untimed.txt", Some("UNB"), None, "en", "", FLOOD_A),
        (
            "timed.txt",
            Some("BSS"),
            Some("2025-04-23T09:00:00Z"),
            "en",
            "",
            FLOOD_B,
        ),
    ]);
    let merged = merge_near_duplicates(untimed_first, &mut Vec::new());
    assert_eq!(merged.len(), 1);
    assert_eq!(
        (merged[0].article.origin.as_str(), &merged[0].also_from[..]),
        ("timed.txt", &["UNB".to_string()][..])
    );

    let both_untimed = stories(&[
        ("first.txt", None, None, "en", "", FLOOD_A),
        ("second.txt", None, None, "en", "", FLOOD_B),
    ]);
    let merged = merge_near_duplicates(both_untimed, &mut Vec::new());
    assert_eq!(merged[0].article.origin, "first.txt");
    assert_eq!(
        merged[0].also_from,
        ["second.txt"],
        "no source: the origin names it"
    );

    let same_time = stories(&[
        (
            "first.txt",
            Some("UNB"),
            Some("2025-04-23T09:00:00Z"),
            "en",
            "",
            FLOOD_A,
        ),
        (
            "second.txt",
            Some("UNB"),
            Some("2025-04-23T09:00:00Z"),
            "en",
            "",
            FLOOD_B,
        ),
    ]);
    let merged = merge_near_duplicates(same_time, &mut Vec::new());
    assert_eq!(merged[0].article.origin, "first.txt");
    assert!(
        merged[0].also_from.is_empty(),
        "the kept story's own source is not repeated"
    );
}

#[test]
fn survivors_keep_input_order_at_the_kept_story_position() {
    let input = stories(&[
        ("fire.txt", None, None, "en", "", FIRE),
        (
            "late.txt",
            None,
            Some("2025-04-23T10:00:00Z"),
            "en",
            "",
            FLOOD_A,
        ),
        ("cricket.txt", None, None, "en", "", CRICKET),
        (
            "early.txt",
            None,
            Some("2025-04-23T05:00:00Z"),
            "en",
            "",
            FLOOD_B,
        ),
    ]);
    let merged = merge_near_duplicates(input, &mut Vec::new());
    let origins: Vec<&str> = merged.iter().map(|s| s.article.origin.as_str()).collect();
    assert_eq!(origins, ["fire.txt", "cricket.txt", "early.txt"]);
}

#[test]
fn only_stories_in_the_same_language_are_compared() {
    let input = stories(&[
        ("en.txt", None, None, "en-GB", "", FLOOD_A),
        ("fr.txt", None, None, "fr", "", FLOOD_A),
        ("en-us.txt", None, None, "EN-us", "", FLOOD_A),
    ]);
    let merged = merge_near_duplicates(input, &mut Vec::new());
    let origins: Vec<&str> = merged.iter().map(|s| s.article.origin.as_str()).collect();
    assert_eq!(origins, ["en.txt", "fr.txt"]);
}

/// A story of `words` letter-only words drawn from 5,000, with the day (`24`, in every story) and
/// one figure of 700 (each shared by about 14 stories): distinct stories, as a big feed brings.
fn generated_text(seed: u64, words: usize) -> String {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut text: Vec<String> = (0..words)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mut n = state % 5_000;
            let mut word = String::new();
            for _ in 0..3 {
                word.push(char::from(b'a' + (n % 26) as u8));
                n /= 26;
            }
            word
        })
        .collect();
    text.insert(3, format!("{} people on the 24th", seed % 700));
    text.join(" ")
}

#[test]
fn ten_thousand_distinct_stories_group_without_quadratic_comparisons() {
    let count = 10_000;
    let started = Instant::now();
    let texts: Vec<String> = (0..count).map(|i| generated_text(i, 45)).collect();
    let signatures: Vec<_> = texts.iter().map(|text| similar::signature(text)).collect();
    let signed = started.elapsed();
    let grouping = similar::groups(&signatures, THRESHOLD);
    println!(
        "{count} distinct stories (debug build): signatures {signed:?}, grouping {:?}, {} comparisons",
        started.elapsed() - signed,
        grouping.comparisons
    );
    assert!(grouping.group_of.iter().enumerate().all(|(i, &g)| i == g));
    // Each story reads at most 32 leaders per bucket key: here the `24` bucket (32), its figure's
    // (about 14), and a few band collisions; all pairs would be 50 million.
    assert!(
        grouping.comparisons < 60 * count as usize,
        "{}",
        grouping.comparisons
    );

    // The same stories plus a near copy of each (last word dropped): every copy joins its original.
    let mut doubled = signatures;
    doubled.extend(
        texts
            .iter()
            .map(|text| similar::signature(&text[..text.rfind(' ').unwrap()])),
    );
    let grouping = similar::groups(&doubled, THRESHOLD);
    let joined = (0..count as usize)
        .filter(|&i| grouping.group_of[count as usize + i] == i)
        .count();
    assert_eq!(joined, count as usize);
    assert!(
        grouping.comparisons < 120 * count as usize,
        "{}",
        grouping.comparisons
    );
}

fn event_story(choice: (usize, usize, Option<u8>, bool)) -> Made {
    let (event, variant, hour, bengali) = choice;
    let bodies = [FLOOD_A, FLOOD_B, FLOOD_C, CRICKET, FIRE];
    let body = match (event % 2, variant % 3) {
        (0, v) => bodies[v].to_string(),
        (_, v) => format!(
            "{} {}",
            bodies[3 + v % 2],
            ["", "Officials said.", "More later."][v]
        ),
    };
    let time = hour.map(|h| format!("2025-04-23T{:02}:00:00Z", h % 24));
    let language = if bengali { "bn" } else { "en" };
    (language.to_string(), time, body)
}

proptest! {
    #[test]
    fn merging_never_adds_stories_and_is_idempotent(
        choices in proptest::collection::vec((0usize..4, 0usize..3, proptest::option::of(0u8..24), any::<bool>()), 0..12)
    ) {
        let made: Vec<_> = choices.into_iter().map(event_story).collect();
        let specs: Vec<(String, Made)> = made
            .into_iter()
            .enumerate()
            .map(|(i, story)| (format!("{i}.txt"), story))
            .collect();
        let borrowed: Vec<_> = specs
            .iter()
            .map(|(origin, (language, time, body))| {
                (origin.as_str(), None, time.as_deref(), language.as_str(), "", body.as_str())
            })
            .collect();
        let input = stories(&borrowed);
        let count = input.len();
        let once = merge_near_duplicates(input, &mut Vec::new());
        prop_assert!(once.len() <= count);
        let summary = |stories: &[Story]| -> Vec<(String, Vec<String>)> {
            stories.iter().map(|s| (s.article.origin.clone(), s.also_from.clone())).collect()
        };
        let first = summary(&once);
        let mut notes = Vec::new();
        let twice = merge_near_duplicates(once, &mut notes);
        prop_assert_eq!(summary(&twice), first);
        prop_assert!(notes.is_empty());
    }
}
