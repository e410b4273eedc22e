//! Which stories a bulletin carries, and in what order.
//!
//! Reads prepared [`Story`]s, the reference time and the reader's choices; writes the stories to
//! compose and a note for everything left out. The steps, in order:
//! 1. [`recent`] keeps the stories published within `--since` of the reference time (a story with
//!    no time cannot be judged, so it is kept, last, with a note);
//! 2. [`order`] puts the newest first by published time, stories without a time last, unless the
//!    inputs' own order (`--order feed`) is wanted;
//! 3. [`for_locale`] keeps, for one locale, the stories in its language (unless any language will
//!    do; a story whose language was only guessed from its script is kept where the locale writes
//!    that script) and at most the number wanted.
//!
//! ```
//! use newsdigest::select::{self, Order};
//! use newsdigest::{dateline, ingest, story};
//! let json = r#"[
//!   {"body": "Old news.", "published": "2025-04-20T10:00:00Z", "language": "en"},
//!   {"body": "Newer news.", "published": "2025-04-23T08:00:00Z", "language": "en"},
//!   {"body": "Newest news.", "published": "2025-04-23T08:30:00Z", "language": "en"}
//! ]"#;
//! let now = "2025-04-23T09:00:00Z".parse().unwrap();
//! let context = dateline::Context { country: None, home: None, now };
//! let articles = ingest::parse_bytes("feed.json", None, json.as_bytes())?;
//! let stories = story::prepare_each(articles, &context, story::SentenceLimit::ALL);
//! let mut notes = Vec::new();
//! let mut stories = select::recent(stories, Some(chrono::Duration::hours(24)), now, &mut notes);
//! select::order(&mut stories, Order::Newest, &mut notes);
//! let bodies: Vec<&str> = stories.iter().map(|s| s.article.body.as_str()).collect();
//! assert_eq!(bodies, ["Newest news.", "Newer news."]);
//! assert_eq!(notes, ["1 story published before 2025-04-22T09:00:00Z left out (--since 1day)"]);
//! # Ok::<(), newsdigest::Error>(())
//! ```

use chrono::{DateTime, Duration, SecondsFormat, Utc};

use crate::story::{self, Story};
use crate::text::language;

/// The order of a multi-story bulletin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Newest first by published time; stories without a time last, in input order.
    Newest,
    /// As the inputs list them: files in the order given, feed items as the feed lists them.
    AsGiven,
}

/// The stories published no earlier than `since` before `now`; the rest are left out, with one
/// note. Stories without a time are kept (nothing says they are old) and noted.
pub fn recent(
    stories: Vec<Story>,
    since: Option<Duration>,
    now: DateTime<Utc>,
    notes: &mut Vec<String>,
) -> Vec<Story> {
    let Some(since) = since else {
        return stories;
    };
    let cutoff = now
        .checked_sub_signed(since)
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let total = stories.len();
    let mut undated = 0;
    let kept: Vec<Story> = stories
        .into_iter()
        .filter(|story| match &story.published {
            Some(published) => published.utc >= cutoff,
            None => {
                undated += 1;
                true
            }
        })
        .collect();
    let since_label = humantime::format_duration(since.to_std().unwrap_or_default());
    let left_out = total - kept.len();
    if left_out > 0 {
        notes.push(format!(
            "{} published before {} left out (--since {since_label})",
            story::count(left_out),
            cutoff.to_rfc3339_opts(SecondsFormat::Secs, true)
        ));
    }
    if undated > 0 {
        notes.push(format!(
            "{} without a time kept: --since {since_label} cannot judge {}",
            story::count(undated),
            if undated == 1 { "it" } else { "them" }
        ));
    }
    kept
}

/// Sorts `stories` for the bulletin: newest first (a stable sort, so equal times keep their input
/// order, and stories without a time come last), or leaves them as given.
pub fn order(stories: &mut [Story], order: Order, notes: &mut Vec<String>) {
    if order == Order::AsGiven {
        return;
    }
    stories.sort_by_key(|story| std::cmp::Reverse(story.published.as_ref().map(|p| p.utc)));
    let undated = stories.iter().filter(|s| s.published.is_none()).count();
    if undated > 0 && undated < stories.len() {
        notes.push(format!(
            "{} without a time placed after the dated ones",
            story::count(undated)
        ));
    }
}

/// What [`for_locale`] keeps.
#[derive(Debug, Clone, Copy)]
pub struct LocaleChoice<'a> {
    /// The bulletin's locale tag (`bn`, `en-GB`): stories are matched on its language subtag.
    pub locale: &'a str,
    /// Keep stories in any language (`--any-language`).
    pub any_language: bool,
    /// The most stories to keep (`--stories`).
    pub most: usize,
}

/// The first `choice.most` stories in the locale's language (or in any language), cloned, with
/// notes for those left out.
///
/// ```
/// use newsdigest::select::{for_locale, LocaleChoice};
/// use newsdigest::{article::Article, story::Story};
/// let story = |language: &str| Story {
///     article: Article { language: language.into(), ..Default::default() },
///     sentences: vec![], order: vec![], published: None, opener: None, notes: vec![],
///     also_from: vec![],
/// };
/// let stories = [story("en"), story("bn"), story("en-GB")];
/// let mut notes = Vec::new();
/// let choice = LocaleChoice { locale: "en", any_language: false, most: 5 };
/// assert_eq!(for_locale(&stories, choice, &mut notes).len(), 2);
/// assert_eq!(notes, ["1 story in another language left out (bn: 1); --any-language keeps it"]);
/// ```
pub fn for_locale(
    stories: &[Story],
    choice: LocaleChoice<'_>,
    notes: &mut Vec<String>,
) -> Vec<Story> {
    let wanted = language::primary(choice.locale);
    let mut other_languages: Vec<(String, usize)> = Vec::new();
    let mut matching = Vec::new();
    for story in stories {
        let language = language::primary(&story.article.language);
        if choice.any_language || language == wanted || unsure_but_same_script(story, &wanted) {
            matching.push(story);
            continue;
        }
        match other_languages.iter_mut().find(|(l, _)| *l == language) {
            Some((_, count)) => *count += 1,
            None => other_languages.push((language.to_string(), 1)),
        }
    }
    let other: usize = other_languages.iter().map(|(_, n)| n).sum();
    if other > 0 {
        let languages: Vec<String> = other_languages
            .iter()
            .map(|(language, n)| format!("{language}: {n}"))
            .collect();
        notes.push(format!(
            "{} in another language left out ({}); --any-language keeps {}",
            story::count(other),
            languages.join(", "),
            if other == 1 { "it" } else { "them" }
        ));
    }
    if matching.len() > choice.most {
        notes.push(format!(
            "{} of {} stories left out (--stories {})",
            matching.len() - choice.most,
            matching.len(),
            choice.most
        ));
    }
    matching.into_iter().take(choice.most).cloned().collect()
}

/// Whether the story's language was only guessed from its script (confidence 0: too short for the
/// detector) and that script is the locale's: a short Spanish story guessed `en` still belongs in a
/// Spanish bulletin, a Bengali one never in an English bulletin.
fn unsure_but_same_script(story: &Story, locale_language: &str) -> bool {
    story.article.language_confidence == 0.0
        && language::script_of(&story.article.language).is_some()
        && language::script_of(&story.article.language) == language::script_of(locale_language)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;

    fn story(language: &str, confidence: f64) -> Story {
        Story {
            article: Article {
                language: language.into(),
                language_confidence: confidence,
                ..Default::default()
            },
            sentences: vec![],
            order: Vec::new(),
            published: None,
            opener: None,
            notes: vec![],
            also_from: vec![],
        }
    }

    #[test]
    fn a_guessed_language_counts_as_its_script() {
        let stories = [
            story("en", 0.0),
            story("en", 0.9),
            story("bn", 0.0),
            story("ru", 0.0),
        ];
        let choice = |locale| LocaleChoice {
            locale,
            any_language: false,
            most: 10,
        };
        let kept = |locale| for_locale(&stories, choice(locale), &mut Vec::new()).len();
        // es: the guessed en story (Latin script) stays, the detected en story does not.
        assert_eq!(
            (kept("en"), kept("es"), kept("bn"), kept("uk"), kept("ta")),
            (2, 1, 1, 1, 0)
        );
    }
}
