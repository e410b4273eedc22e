//! Stories: articles with their sentences split and their dateline read, ready for any channel.
//!
//! Reads [`Article`]s, writes [`Story`]s and notes. A dateline that cannot be read does not stop the
//! digest: the story goes out without a time and the problem becomes a note.
//!
//! ```
//! use newsdigest::{dateline, ingest, story};
//! let wire = "Heavy rain flooded parts of Dhaka on Wednesday. Traffic stopped on main roads.
//! Source: Newsdesk
//! BDST: 1347 HRS, APR 23, 2025";
//! let articles = ingest::parse_bytes("rain.txt", None, wire.as_bytes())?;
//! let context = dateline::Context { country: None, home: None, now: "2025-04-23T09:00:00Z".parse().unwrap() };
//! let mut notes = Vec::new();
//! let stories = story::prepare(articles, &context, story::SentenceLimit::ALL, &mut notes);
//! let published = stories[0].published.as_ref().unwrap().utc;
//! assert_eq!((stories.len(), stories[0].sentences.len(), notes.len()), (1, 2, 0));
//! assert_eq!(published.to_rfc3339(), "2025-04-23T07:47:00+00:00");
//! # Ok::<(), newsdigest::Error>(())
//! ```

use crate::article::Article;
use crate::dateline::{self, Resolved};
use crate::text::sentences::SentenceSplitter;

/// An article with what later stages need already worked out.
#[derive(Debug, Clone)]
pub struct Story {
    pub article: Article,
    /// The body's sentences, in order.
    pub sentences: Vec<String>,
    /// The order in which sentences enter the summary ([`crate::rank`]): the summary of `n`
    /// sentences is the first `n` of it, shown in article order. Empty: the article's order.
    pub order: Vec<usize>,
    /// The dateline read as an instant, when the article had a readable one.
    pub published: Option<Resolved>,
    /// What was noticed while reading this story (ingest notes, dateline problems), each prefixed
    /// with its origin; a digest reports the notes of the stories it carries.
    pub notes: Vec<String>,
    /// Other sources (source, else origin) that told the same event; filled by [`crate::dedupe`].
    pub also_from: Vec<String>,
}

impl Story {
    /// The summary of `count` sentences (the first `count` of [`Story::order`], in article
    /// order), joined as the language writes them (no spaces in zh/ja).
    pub fn lead(&self, count: usize) -> String {
        self.lead_with(count, None)
    }

    /// [`Story::lead`] followed by `tail` (a cut of the next sentence in [`Story::order`]).
    pub fn lead_with(&self, count: usize, tail: Option<&str>) -> String {
        let count = count.min(self.sentences.len());
        let mut chosen: Vec<usize> = if self.order.is_empty() {
            (0..count).collect()
        } else {
            self.order.iter().copied().take(count).collect()
        };
        chosen.sort_unstable();
        let mut parts: Vec<&str> = chosen
            .iter()
            .filter_map(|&i| self.sentences.get(i).map(String::as_str))
            .collect();
        if let Some(tail) = tail {
            parts.push(tail);
        }
        parts.join(self.joiner())
    }

    /// The sentences at `indices` (any order, out-of-range ones ignored), in article order,
    /// joined as the language writes them.
    pub fn join(&self, indices: &[usize]) -> String {
        let mut chosen = indices.to_vec();
        chosen.sort_unstable();
        chosen.dedup();
        let parts: Vec<&str> = chosen
            .iter()
            .filter_map(|&i| self.sentences.get(i).map(String::as_str))
            .collect();
        parts.join(self.joiner())
    }

    /// The sentence that enters the summary after `count` of them, if any.
    pub fn next_sentence(&self, count: usize) -> Option<&str> {
        let index = if self.order.is_empty() {
            count
        } else {
            *self.order.get(count)?
        };
        self.sentences.get(index).map(String::as_str)
    }

    /// What goes between sentences: nothing in zh and ja, else a space.
    fn joiner(&self) -> &'static str {
        let language = self.article.language.split('-').next().unwrap_or("");
        if matches!(language, "zh" | "ja") {
            ""
        } else {
            " "
        }
    }
}

/// `1 story`, `3 stories`: how notes and reasons count stories.
///
/// ```
/// assert_eq!((newsdigest::story::count(1), newsdigest::story::count(3)), ("1 story".into(), "3 stories".into()));
/// ```
pub fn count(n: usize) -> String {
    format!("{n} stor{}", if n == 1 { "y" } else { "ies" })
}

/// Fewest words a first sentence has alone; a shorter one (`"Calomnie".`, `Breaking.`) is joined
/// with the next, so that a summary never consists of it alone.
const MIN_FIRST_SENTENCE_WORDS: usize = 3;

/// Joins a first sentence of fewer than [`MIN_FIRST_SENTENCE_WORDS`] words with the next.
fn join_short_first_sentence(sentences: &mut Vec<String>, language: &str) {
    if sentences.len() < 2
        || crate::summarize::word_count(&sentences[0]) >= MIN_FIRST_SENTENCE_WORDS
    {
        return;
    }
    let second = sentences.remove(1);
    let joiner = if matches!(language.split('-').next(), Some("zh" | "ja")) {
        ""
    } else {
        " "
    };
    sentences[0] = format!("{}{joiner}{second}", sentences[0]);
}

/// How much of a body to split: a channel that can carry only so much text needs no more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceLimit {
    /// Stop once this many sentences are split...
    pub sentences: usize,
    /// ...or once the sentences split hold this many characters.
    pub chars: usize,
}

impl SentenceLimit {
    /// Split the whole body.
    pub const ALL: SentenceLimit = SentenceLimit {
        sentences: usize::MAX,
        chars: usize::MAX,
    };
}

/// Splits each article's body (paragraph by paragraph, up to `limit`) and reads its dateline;
/// problems are added to `notes`.
pub fn prepare(
    articles: Vec<Article>,
    context: &dateline::Context,
    limit: SentenceLimit,
    notes: &mut Vec<String>,
) -> Vec<Story> {
    let stories = prepare_each(articles, context, limit);
    notes.extend(stories.iter().flat_map(|story| story.notes.iter().cloned()));
    stories
}

/// Like [`prepare`], but each story keeps its own notes (in [`Story::notes`]), so a caller that
/// selects some stories reports only theirs.
pub fn prepare_each(
    articles: Vec<Article>,
    context: &dateline::Context,
    limit: SentenceLimit,
) -> Vec<Story> {
    articles
        .into_iter()
        .map(|article| prepare_one(article, context, limit))
        .collect()
}

fn prepare_one(article: Article, context: &dateline::Context, limit: SentenceLimit) -> Story {
    let mut notes = Vec::new();
    notes.extend(
        article
            .notes
            .iter()
            .map(|note| format!("{}: {note}", article.origin)),
    );
    let splitter = SentenceSplitter::for_language(&article.language);
    let mut sentences: Vec<String> = Vec::new();
    let mut chars = 0;
    for paragraph in article.body.lines() {
        if sentences.len() >= limit.sentences || chars >= limit.chars {
            break;
        }
        for sentence in splitter.split(paragraph) {
            chars += sentence.chars().count();
            sentences.push(sentence.to_string());
        }
    }
    join_short_first_sentence(&mut sentences, &article.language);
    let published = match article.dateline.as_deref() {
        None => {
            notes.push(format!(
                "{}: no dateline; the story has no time",
                article.origin
            ));
            None
        }
        Some(text) => match dateline::parse(text, context) {
            Ok(resolved) => {
                notes.extend(
                    resolved
                        .notes
                        .iter()
                        .map(|note| format!("{}: {note}", article.origin)),
                );
                Some(resolved)
            }
            Err(error) => {
                notes.push(format!(
                    "{}: {error}; the story has no time",
                    article.origin
                ));
                None
            }
        },
    };
    Story {
        article,
        sentences,
        order: Vec::new(),
        published,
        notes,
        also_from: Vec::new(),
    }
}
