//! Stories: articles with their sentences split and their dateline read, ready for any channel.
//!
//! Reads [`Article`]s, writes [`Story`]s and notes. A dateline that cannot be read does not stop the
//! digest: the story goes out without a time and the problem becomes a note. An opener dateline at
//! the start of the body (`LONDON, April 23 (Reuters) -`, [`opener`]) is taken off before the body
//! is split, so it never enters a summary, and kept on the story; when the article has no readable
//! dateline of its own, the opener's date, read with the same context, is the story's time (noted).
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
use crate::rank::Strategy;
use crate::text::opener::{self, Opener};
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
    /// The dateline read as an instant, when the article had a readable one; else the date of
    /// its opener, when that is readable.
    pub published: Option<Resolved>,
    /// The opener dateline taken off the start of the body (`WASHINGTON (AP) —`).
    pub opener: Option<Opener>,
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
        || crate::summarize::words_up_to(&sentences[0], MIN_FIRST_SENTENCE_WORDS)
            >= MIN_FIRST_SENTENCE_WORDS
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
    /// ...or once the sentences split hold this many characters...
    pub chars: usize,
    /// ...or this many instead, for an article whose language's strategy ranks its sentences
    /// (`auto`: the language decides); `None` when `chars` holds for every article.
    pub chars_when_ranked: Option<usize>,
}

impl SentenceLimit {
    /// Split the whole body.
    pub const ALL: SentenceLimit = SentenceLimit {
        sentences: usize::MAX,
        chars: usize::MAX,
        chars_when_ranked: None,
    };

    /// What an SMS digest of at most `max_segments` segments reads with `strategy`: no more text
    /// than fits (every character costs at least one unit, and a message holds at most 160 of
    /// them, 153 per part when concatenated), and for an article whose sentences are ranked at
    /// least the sentences it ranks ([`crate::rank::WINDOW_CHARS`]).
    pub fn sms(strategy: Strategy, max_segments: usize) -> SentenceLimit {
        let fits = max_segments.saturating_mul(153).max(160);
        let ranked = fits.max(crate::rank::WINDOW_CHARS);
        let (chars, chars_when_ranked) = match strategy {
            Strategy::Lead => (fits, None),
            Strategy::Smart => (ranked, None),
            Strategy::ByLanguage => (fits, Some(ranked)),
        };
        SentenceLimit {
            sentences: usize::MAX,
            chars,
            chars_when_ranked,
        }
    }

    /// How many characters of an article in `language` are read.
    pub fn chars_for(&self, language: &str) -> usize {
        match self.chars_when_ranked {
            Some(ranked) if Strategy::ByLanguage.for_language(language) == Strategy::Smart => {
                ranked
            }
            _ => self.chars,
        }
    }
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
    let (opener, body) = match opener::split(&article.body, context) {
        Some((opener, rest)) => (Some(opener), rest),
        None => (None, article.body.as_str()),
    };
    let chars_limit = limit.chars_for(&article.language);
    let mut sentences: Vec<String> = Vec::new();
    let mut chars = 0;
    for paragraph in body.lines() {
        if sentences.len() >= limit.sentences || chars >= chars_limit {
            break;
        }
        for sentence in splitter.split(paragraph) {
            chars += sentence.chars().count();
            sentences.push(sentence.to_string());
        }
    }
    join_short_first_sentence(&mut sentences, &article.language);
    let published = published(&article, opener.as_ref(), context, &mut notes);
    Story {
        article,
        sentences,
        order: Vec::new(),
        published,
        opener,
        notes,
        also_from: Vec::new(),
    }
}

/// The article's dateline read; else its opener's date; with a note for every problem and every
/// decision that was not certain.
fn published(
    article: &Article,
    opener: Option<&Opener>,
    context: &dateline::Context,
    notes: &mut Vec<String>,
) -> Option<Resolved> {
    let origin = &article.origin;
    let problem = match article.dateline.as_deref() {
        None => "no dateline".to_string(),
        Some(text) => match dateline::parse(text, context) {
            Ok(resolved) => {
                notes.extend(
                    resolved
                        .notes
                        .iter()
                        .map(|note| format!("{origin}: {note}")),
                );
                return Some(resolved);
            }
            Err(error) => error.to_string(),
        },
    };
    let Some((opener, date)) = opener.and_then(|o| o.date.as_deref().map(|date| (o, date))) else {
        notes.push(format!("{origin}: {problem}; the story has no time"));
        return None;
    };
    match dateline::parse(date, context) {
        Ok(resolved) => {
            notes.push(format!(
                "{origin}: {problem}; the time is from the opener dateline \"{}\"",
                opener.text
            ));
            notes.extend(
                resolved
                    .notes
                    .iter()
                    .map(|note| format!("{origin}: {note}")),
            );
            Some(resolved)
        }
        Err(error) => {
            notes.push(format!(
                "{origin}: {problem}, and the opener's date \"{date}\" cannot be read ({}); the story \
                 has no time",
                error.reason
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(body: &str, dateline: Option<&str>, language: &str) -> Article {
        Article {
            origin: "a.txt".into(),
            body: body.into(),
            dateline: dateline.map(str::to_string),
            language: language.into(),
            ..Default::default()
        }
    }

    fn context() -> dateline::Context {
        dateline::Context {
            country: Some("BD".into()),
            home: None,
            now: "2025-04-25T12:00:00Z".parse().unwrap(),
        }
    }

    fn story(article: Article) -> Story {
        prepare_one(article, &context(), SentenceLimit::ALL)
    }

    #[test]
    fn the_opener_leaves_the_lead_and_dates_a_story_without_a_dateline() {
        let story = story(article(
            "SYLHET, April 22 (UNB) - Three bridges reopened. Traffic moved again.\nMore later.",
            None,
            "en",
        ));
        assert_eq!(
            story.sentences,
            [
                "Three bridges reopened.",
                "Traffic moved again.",
                "More later."
            ]
        );
        assert_eq!(story.lead(1), "Three bridges reopened.");
        let opener = story.opener.as_ref().unwrap();
        assert_eq!(opener.text, "SYLHET, April 22 (UNB) -");
        assert_eq!(opener.agency.as_deref(), Some("UNB"));
        let published = story.published.as_ref().unwrap();
        // Read with the same context: Bangladesh's zone, the year before the reference time.
        assert_eq!(published.utc.to_rfc3339(), "2025-04-21T18:00:00+00:00");
        assert!(!published.has_time);
        assert_eq!(
            story.notes[0],
            "a.txt: no dateline; the time is from the opener dateline \"SYLHET, April 22 (UNB) -\""
        );
        assert!(
            story.notes[1].contains("no year given"),
            "{:?}",
            story.notes
        );
    }

    #[test]
    fn a_readable_dateline_wins_over_the_opener_date() {
        let story = story(article(
            "SYLHET, April 22 (UNB) - Three bridges reopened.\nMore later.",
            Some("BDST: 1347 HRS, APR 23, 2025"),
            "en",
        ));
        assert_eq!(story.sentences[0], "Three bridges reopened.");
        assert!(story.opener.is_some());
        assert_eq!(
            story.published.unwrap().utc.to_rfc3339(),
            "2025-04-23T07:47:00+00:00"
        );
        assert!(story.notes.is_empty(), "{:?}", story.notes);
    }

    #[test]
    fn an_unreadable_dateline_falls_back_to_the_opener_date() {
        let story = story(article(
            "SYLHET, April 22 (UNB) - Three bridges reopened.\nMore later.",
            Some("BDST: 2547 HRS, APR 23, 2025"),
            "en",
        ));
        assert_eq!(
            story.published.unwrap().utc.to_rfc3339(),
            "2025-04-21T18:00:00+00:00"
        );
        assert!(
            story.notes[0]
                .starts_with("a.txt: cannot read dateline \"BDST: 2547 HRS, APR 23, 2025\"")
                && story.notes[0].ends_with(
                    "; the time is from the opener dateline \"SYLHET, April 22 (UNB) -\""
                ),
            "{:?}",
            story.notes
        );
    }

    #[test]
    fn an_opener_date_the_reader_cannot_read_is_noted() {
        let story = story(article(
            "पोखरा, २२ वैशाख (रासस) । तालमा डुङ्गा सेवा फेरि सुरु भयो।\nथप विवरण आउँदैछ।",
            None,
            "ne",
        ));
        assert_eq!(story.sentences[0], "तालमा डुङ्गा सेवा फेरि सुरु भयो।");
        assert_eq!(story.opener.unwrap().date.as_deref(), Some("२२ वैशाख"));
        assert!(story.published.is_none());
        assert!(
            story.notes[0].starts_with(
                "a.txt: no dateline, and the opener's date \"२२ वैशाख\" cannot be read ("
            ) && story.notes[0].ends_with("); the story has no time"),
            "{:?}",
            story.notes
        );
    }

    #[test]
    fn a_body_without_an_opener_is_split_as_before() {
        let story = story(article(
            "Paris, the capital, said talks would resume. More later.",
            None,
            "en",
        ));
        assert!(story.opener.is_none());
        assert_eq!(story.sentences.len(), 2);
        assert_eq!(story.notes, ["a.txt: no dateline; the story has no time"]);
    }

    #[test]
    fn an_sms_reads_what_fits_and_what_is_ranked() {
        let chars = |strategy, segments, language| {
            SentenceLimit::sms(strategy, segments).chars_for(language)
        };
        let window = crate::rank::WINDOW_CHARS;
        for language in ["en", "fr"] {
            assert_eq!(chars(Strategy::Lead, 1, language), 160);
            assert_eq!(chars(Strategy::Lead, 3, language), 459);
            assert_eq!(chars(Strategy::Smart, 1, language), window);
            assert_eq!(chars(Strategy::Smart, 20, language), 3060);
        }
        // `auto` reads the window only for a language whose strategy ranks (English, not French).
        assert_eq!(chars(Strategy::ByLanguage, 3, "en"), window);
        assert_eq!(chars(Strategy::ByLanguage, 3, "en-GB"), window);
        assert_eq!(chars(Strategy::ByLanguage, 3, "fr"), 459);
        assert_eq!(chars(Strategy::ByLanguage, 20, "fr"), 3060);
        assert_eq!(SentenceLimit::sms(Strategy::Smart, 1).sentences, usize::MAX);
    }
}
