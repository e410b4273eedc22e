//! Merging stories that tell the same event (two outlets' rewrites of one wire story).
//!
//! Reads [`Story`]s; writes fewer of them, plus one note per merge. Each story is compared by its
//! [`lead_text`] (title and first two sentences) with [`crate::text::similar`], only against
//! stories in the same language (primary subtag). In each group of near-duplicates the earliest
//! published story is kept (stories without a time count as latest; ties go to the first in input
//! order) and the others' sources are named in its [`Story::also_from`]. Survivors keep their
//! input order. Merging is idempotent: rounds repeat until no two survivors match.
//!
//! ```
//! use newsdigest::{article::Article, dateline, dedupe, story};
//! let article = |origin: &str, source: &str, time: &str, body: &str| Article {
//!     origin: origin.into(),
//!     source: Some(source.into()),
//!     dateline: Some(time.into()),
//!     body: body.into(),
//!     language: "en".into(),
//!     ..Default::default()
//! };
//! let articles = vec![
//!     article("unb.txt", "UNB", "2025-04-23T08:00:00Z",
//!         "Flash floods killed at least 12 people in Sylhet and Sunamganj on Tuesday."),
//!     article("bss.txt", "BSS", "2025-04-23T07:00:00Z",
//!         "At least 12 people were killed by flash floods in Sylhet and Sunamganj on Tuesday."),
//! ];
//! let context = dateline::Context { country: None, home: None, now: "2025-04-23T09:00:00Z".parse().unwrap() };
//! let mut notes = Vec::new();
//! let stories = story::prepare(articles, &context, story::SentenceLimit::ALL, &mut notes);
//! let merged = dedupe::merge_near_duplicates(stories, &mut notes);
//! assert_eq!(merged.len(), 1);
//! assert_eq!((merged[0].article.origin.as_str(), merged[0].also_from.as_slice()), ("bss.txt", &["UNB".to_string()][..]));
//! assert!(notes[0].starts_with("bss.txt: same event as unb.txt (similarity 0."));
//! ```

use std::collections::BTreeMap;

use crate::story::Story;
use crate::text::language;
use crate::text::similar::{self, Signature};

/// Sentences of the body compared, after the title.
const LEAD_SENTENCES: usize = 2;
/// At most this many whitespace-separated words of those sentences are compared.
const LEAD_WORDS: usize = 60;

/// Merges near-duplicate stories, keeping the earliest of each group; one note per story merged.
pub fn merge_near_duplicates(stories: Vec<Story>, notes: &mut Vec<String>) -> Vec<Story> {
    let mut stories = stories;
    loop {
        let before = stories.len();
        // A single story has nothing to be a duplicate of: no signature is worth computing.
        if before < 2 {
            return stories;
        }
        stories = merge_round(stories, notes);
        if stories.len() == before {
            return stories;
        }
    }
}

/// What a story is compared by: its title, then its first two sentences (at most 60 words).
pub fn lead_text(story: &Story) -> String {
    let mut lead = story.article.title.clone().unwrap_or_default();
    let sentences = if story.sentences.is_empty() {
        story.article.body.clone()
    } else {
        story.lead(LEAD_SENTENCES)
    };
    for word in sentences.split_whitespace().take(LEAD_WORDS) {
        lead.push(' ');
        lead.push_str(word);
    }
    lead
}

/// One pass of grouping and merging.
fn merge_round(mut stories: Vec<Story>, notes: &mut Vec<String>) -> Vec<Story> {
    let signatures: Vec<Signature> = stories
        .iter()
        .map(|story| similar::signature(&lead_text(story)))
        .collect();
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (index, leader) in group_within_languages(&stories, &signatures)
        .into_iter()
        .enumerate()
    {
        members.entry(leader).or_default().push(index);
    }
    let mut dropped = vec![false; stories.len()];
    for group in members.values().filter(|group| group.len() > 1) {
        let kept = earliest(&stories, group);
        let others: Vec<usize> = group.iter().copied().filter(|&i| i != kept).collect();
        let names = sources_to_add(&stories, kept, &others);
        stories[kept].also_from.extend(names);
        for &other in &others {
            dropped[other] = true;
            notes.push(format!(
                "{}: same event as {} (similarity {:.2}); kept the earliest, naming both sources",
                stories[kept].article.origin,
                stories[other].article.origin,
                similar::similarity(&signatures[kept], &signatures[other]),
            ));
        }
    }
    stories
        .into_iter()
        .zip(dropped)
        .filter_map(|(story, dropped)| (!dropped).then_some(story))
        .collect()
}

/// For each story, the index of its group's first member; stories of different languages never
/// share a group.
fn group_within_languages(stories: &[Story], signatures: &[Signature]) -> Vec<usize> {
    let mut by_language: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, story) in stories.iter().enumerate() {
        by_language
            .entry(language::primary(&story.article.language))
            .or_default()
            .push(index);
    }
    let mut group_of: Vec<usize> = (0..stories.len()).collect();
    for indices in by_language.values() {
        let subset: Vec<Signature> = indices.iter().map(|&i| signatures[i].clone()).collect();
        let grouping = similar::groups(&subset, similar::THRESHOLD);
        for (position, leader) in grouping.group_of.into_iter().enumerate() {
            group_of[indices[position]] = indices[leader];
        }
    }
    group_of
}

/// The earliest published member (no time counts as latest; ties: first in input order).
fn earliest(stories: &[Story], group: &[usize]) -> usize {
    group
        .iter()
        .copied()
        .min_by_key(|&i| {
            let published = stories[i].published.as_ref().map(|resolved| resolved.utc);
            (published.is_none(), published, i)
        })
        .unwrap_or(group[0])
}

/// The names to add to the kept story's `also_from`: each other member's name and its own
/// `also_from`, in input order, without repeats and without the kept story's own name.
fn sources_to_add(stories: &[Story], kept: usize, others: &[usize]) -> Vec<String> {
    let own = name(&stories[kept]);
    let mut names: Vec<String> = Vec::new();
    for &other in others {
        let candidates = std::iter::once(name(&stories[other]))
            .chain(stories[other].also_from.iter().map(String::as_str));
        for candidate in candidates {
            let known = candidate == own
                || stories[kept].also_from.iter().any(|name| name == candidate)
                || names.iter().any(|name| name == candidate);
            if !known {
                names.push(candidate.to_string());
            }
        }
    }
    names
}

/// How a story's outlet is named: its source, else its origin.
fn name(story: &Story) -> &str {
    story
        .article
        .source
        .as_deref()
        .map(str::trim)
        .filter(|source| !source.is_empty())
        .unwrap_or(&story.article.origin)
}
