//! Feeds: RSS 0.9x, 1.0 and 2.0, Atom and JSON Feed become one [`Article`] per item.
//!
//! Owns the mapping from a feed item to an article; reads the raw bytes of one feed (decoded by
//! [`charset`]), parses them with feed-rs, writes articles in feed order:
//!
//! - `origin`: the feed's origin and the item's 1-based position, `feed.xml#3`;
//! - `title`: plain text (HTML titles rendered by [`html`]);
//! - `body`: the item's content, else its summary/description, as plain text lines ([`html`]);
//!   an item with a title and no text gets its title as body; an item with neither is skipped,
//!   and the first article's `notes` says how many were (`2 feed items skipped: ...`);
//! - `source`: the feed's title;
//! - `dateline`: the item's published (else updated) time as RFC 3339 **with the offset it was
//!   written with** (`2025-04-23T13:47:00+06:00`): a timestamp hook keeps feed-rs's own reading
//!   out of the way and the original text is read here as RFC 3339 or RFC 2822; text that is
//!   neither is kept as written for [`crate::dateline`] to try;
//! - `language`: the item's, else the feed's language metadata (RSS `<language>`, RSS 1.0
//!   `dc:language`, Atom `xml:lang`, JSON Feed `language`) with confidence 1.0, else detected by
//!   [`detect::language_of`] over title and body;
//! - `url`: the item's first link that is not a comments link, when [`clean::url`] keeps it;
//! - `key`: [`key::story_key`]; a guid shared by several items of the feed is not used.
//!
//! A feed that does not parse, or has no item with text, is a one-line error naming the origin
//! (and the line when feed-rs gives a position). Example:
//!
//! ```
//! let xml = br#"<rss version="2.0"><channel><title>Desk</title><language>en</language>
//!   <item><title>Rain</title><description>&lt;p&gt;Rain in Dhaka&amp;nbsp;today.&lt;/p&gt;</description>
//!   <pubDate>Wed, 23 Apr 2025 13:47:00 +0600</pubDate></item></channel></rss>"#;
//! let articles = newsdigest::ingest::feed::parse("f.xml", xml, None).unwrap();
//! assert_eq!(articles[0].body, "Rain in Dhaka today.");
//! assert_eq!(articles[0].dateline.as_deref(), Some("2025-04-23T13:47:00+06:00"));
//! assert_eq!((articles[0].origin.as_str(), articles[0].source.as_deref()), ("f.xml#1", Some("Desk")));
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use feed_rs::model::{Entry, Feed, Link, Text};
use feed_rs::parser::{ParseErrorKind, ParseFeedError};

use super::key::{self, Parts};
use super::{charset, clean, detect, html};
use crate::article::Article;
use crate::error::{Error, Result};

/// Reads one feed. `charset` is the one an HTTP `Content-Type` named, when there is one.
pub fn parse(origin: &str, bytes: &[u8], charset: Option<&str>) -> Result<Vec<Article>> {
    let text = charset::decode(bytes, charset);
    let times = TimeTexts::default();
    let parser = feed_rs::parser::Builder::new()
        .sanitize_content(false)
        // No invented ids: an empty id means the item has none (see `key`).
        .id_generator(|_, _, _| String::new())
        .timestamp_parser(times.hook())
        .build();
    let feed = parser
        .parse(text.as_bytes())
        .map_err(|e| feed_error(origin, &text, &e))?;
    drop(text);
    let channel = Channel::of(&feed);
    let shared = shared_guids(&feed.entries);
    let times = times.into_texts();
    let mut articles = Vec::with_capacity(feed.entries.len());
    for (index, entry) in feed.entries.iter().enumerate() {
        let item_origin = format!("{origin}#{}", index + 1);
        let guid = Some(entry.id.as_str()).filter(|id| !shared.contains_key(id));
        if let Some(article) = to_article(item_origin, entry, guid, &channel, &times) {
            articles.push(article);
        }
    }
    let skipped = feed.entries.len() - articles.len();
    match articles.first_mut() {
        Some(first) if skipped > 0 => first.notes.insert(
            0,
            format!("{skipped} feed item(s) skipped: no title and no text"),
        ),
        Some(_) => {}
        None if skipped == 0 => return Err(bad(origin, "feed has no items")),
        None => {
            let message = format!("feed has no item with a title or text ({skipped} skipped)");
            return Err(bad(origin, &message));
        }
    }
    Ok(articles)
}

/// What the feed says about all its items.
struct Channel {
    source: Option<String>,
    language: Option<String>,
}

impl Channel {
    fn of(feed: &Feed) -> Channel {
        Channel {
            source: feed.title.as_ref().and_then(title_text),
            language: feed.language.as_deref().and_then(language_tag),
        }
    }
}

/// One item as an article, or `None` when it has neither title nor text.
fn to_article(
    origin: String,
    entry: &Entry,
    guid: Option<&str>,
    channel: &Channel,
    times: &[String],
) -> Option<Article> {
    let title = entry.title.as_ref().and_then(title_text);
    let body = item_body(entry);
    let body = match (body.is_empty(), &title) {
        (false, _) => body,
        (true, Some(title)) => title.clone(),
        (true, None) => return None,
    };
    let mut notes = Vec::new();
    let url = item_link(&entry.links).and_then(|href| {
        let kept = clean::url(&href);
        if kept.is_none() && clean::field(&href).is_some() {
            notes.push("url dropped: only http:// and https:// links are kept".to_string());
        }
        kept
    });
    let dateline = entry
        .published
        .or(entry.updated)
        .and_then(|instant| recorded_time(times, instant));
    let metadata = entry.language.as_deref().and_then(language_tag);
    let (language, language_confidence) = match metadata.or_else(|| channel.language.clone()) {
        Some(tag) => (tag, 1.0),
        None => detect::language_of(title.as_deref(), &body),
    };
    let key = key::story_key(&Parts {
        guid,
        link: url.as_deref(),
        source: channel.source.as_deref(),
        title: title.as_deref(),
        published: dateline.as_deref(),
        body: &body,
    });
    Some(Article {
        origin,
        title,
        body,
        source: channel.source.clone(),
        dateline,
        editor: None,
        language,
        language_confidence,
        key,
        url,
        notes,
    })
}

/// The item's text: its content, else its summary, as plain lines joined by newlines.
fn item_body(entry: &Entry) -> String {
    let content = entry.content.as_ref().and_then(|content| {
        let body = content.body.as_deref()?;
        Some(text_lines(body, content.content_type.as_str()))
    });
    match content.filter(|lines| !lines.is_empty()) {
        Some(lines) => lines.join("\n"),
        None => entry
            .summary
            .as_ref()
            .map(|summary| text_lines(&summary.content, summary.content_type.as_str()).join("\n"))
            .unwrap_or_default(),
    }
}

/// The lines of a text of some media type: plain text as written, anything else as HTML.
fn text_lines(text: &str, media_type: &str) -> Vec<String> {
    if media_type.eq_ignore_ascii_case("text/plain") && !looks_like_markup(text) {
        clean::body_lines(text)
    } else {
        html::to_lines(text)
    }
}

/// A title as one plain line; titles with markup or entities are rendered as HTML.
fn title_text(text: &Text) -> Option<String> {
    if text
        .content_type
        .as_str()
        .eq_ignore_ascii_case("text/plain")
        && !looks_like_markup(&text.content)
    {
        clean::field(&text.content)
    } else {
        html::to_line(&text.content)
    }
}

/// Whether plain text still carries markup or entities (`&amp;` escaped twice, `<b>`).
fn looks_like_markup(text: &str) -> bool {
    text.contains('<') || text.contains('&')
}

/// The item's link: the first that is not a comments link (RSS `<comments>`, `wfw:commentRss`)
/// and has no `rel` other than `alternate`.
fn item_link(links: &[Link]) -> Option<String> {
    links
        .iter()
        .find(|link| {
            link.target.is_none() && link.rel.as_deref().is_none_or(|rel| rel == "alternate")
        })
        .map(|link| link.href.clone())
}

/// Guids that appear on more than one item: placeholders, not identities.
fn shared_guids(entries: &[Entry]) -> HashMap<&str, usize> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for entry in entries {
        *counts.entry(entry.id.as_str()).or_default() += 1;
    }
    counts.retain(|_, count| *count > 1);
    counts
}

/// A BCP 47 tag from language metadata (`en-us` -> `en-US`, `bn_BD` -> `bn-BD`), or `None` when
/// the value does not start with a 2- or 3-letter language subtag.
pub fn language_tag(raw: &str) -> Option<String> {
    let raw = clean::field(raw)?;
    let raw = raw.split([' ', ',', ';']).next()?.replace('_', "-");
    let mut subtags = raw.split('-');
    let primary = subtags.next()?;
    if !(2..=3).contains(&primary.len()) || !primary.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut tag = primary.to_ascii_lowercase();
    for subtag in subtags.filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        tag.push('-');
        match subtag.len() {
            2 => tag.push_str(&subtag.to_ascii_uppercase()),
            4 => {
                tag.push_str(&subtag[..1].to_ascii_uppercase());
                tag.push_str(&subtag[1..].to_ascii_lowercase());
            }
            _ => tag.push_str(&subtag.to_ascii_lowercase()),
        }
    }
    Some(tag)
}

/// The texts of every timestamp in the feed, as written. feed-rs reads timestamps into UTC and
/// so loses their offset; the hook records each text and hands feed-rs a stand-in instant (the
/// text's index as seconds after the epoch) that [`recorded_time`] turns back into the text.
#[derive(Default)]
struct TimeTexts(Arc<Mutex<Vec<String>>>);

impl TimeTexts {
    fn hook(&self) -> impl Fn(&str) -> Option<DateTime<Utc>> + Send + Sync + 'static {
        let texts = Arc::clone(&self.0);
        move |text: &str| {
            let mut texts = texts.lock().unwrap_or_else(PoisonError::into_inner);
            let index = i64::try_from(texts.len()).ok()?;
            texts.push(text.to_string());
            DateTime::from_timestamp(index, 0)
        }
    }

    fn into_texts(self) -> Vec<String> {
        let mutex = Arc::try_unwrap(self.0).unwrap_or_else(|shared| {
            Mutex::new(
                shared
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .clone(),
            )
        });
        mutex.into_inner().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The timestamp text behind a stand-in instant, as RFC 3339 when it can be read.
fn recorded_time(texts: &[String], stand_in: DateTime<Utc>) -> Option<String> {
    let text = texts.get(usize::try_from(stand_in.timestamp()).ok()?)?;
    let text = clean::field(text)?;
    Some(rfc3339(&text).unwrap_or(text))
}

/// An RFC 3339 or RFC 2822 timestamp as RFC 3339 with its own offset. RFC 2822 is read leniently:
/// the weekday is ignored (feeds get it wrong) and `UTC` is taken for `+0000`.
pub fn rfc3339(text: &str) -> Option<String> {
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time.to_rfc3339());
    }
    let without_weekday = match text.split_once(',') {
        Some((weekday, rest)) if weekday.chars().all(|c| c.is_ascii_alphabetic()) => rest.trim(),
        _ => text,
    };
    let fixed = match without_weekday.strip_suffix("UTC") {
        Some(rest) => format!("{rest}+0000"),
        None => without_weekday.to_string(),
    };
    DateTime::parse_from_rfc2822(&fixed)
        .ok()
        .map(|time| time.to_rfc3339())
}

/// A feed-rs error as ours: one line naming the origin, and the line when feed-rs says where.
fn feed_error(origin: &str, text: &str, error: &ParseFeedError) -> Error {
    let position = match error {
        ParseFeedError::ParseError(
            ParseErrorKind::UnknownMimeType { position, .. }
            | ParseErrorKind::MissingContent { position, .. }
            | ParseErrorKind::UnknownEnumVariant { position, .. }
            | ParseErrorKind::IllegalState { position, .. },
        ) => usize::try_from(*position).ok(),
        _ => None,
    };
    let line = match error {
        ParseFeedError::JsonSerde(e) => Some(e.line()),
        _ => position.map(|at| line_of(text, at)),
    };
    let message = match error {
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => {
            "not a feed: no RSS, Atom or JSON Feed root element".to_string()
        }
        _ => format!("not a valid feed: {}", one_line(&error.to_string())),
    };
    match line {
        Some(line) => Error::BadArticleLine {
            origin: origin.to_string(),
            line,
            message,
        },
        None => bad(origin, &message),
    }
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn bad(origin: &str, message: &str) -> Error {
    Error::BadArticle {
        origin: origin.to_string(),
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        let cases = [
            ("en-us", Some("en-US")),
            ("bn_BD", Some("bn-BD")),
            (" EN ", Some("en")),
            ("zh-hant-tw", Some("zh-Hant-TW")),
            ("english", None),
            ("", None),
            ("e1", None),
        ];
        for (raw, tag) in cases {
            assert_eq!(language_tag(raw).as_deref(), tag, "{raw:?}");
        }
    }

    #[test]
    fn timestamps_keep_their_offset() {
        let cases = [
            (
                "2025-04-23T13:47:00+06:00",
                Some("2025-04-23T13:47:00+06:00"),
            ),
            (
                "Wed, 23 Apr 2025 13:47:00 +0600",
                Some("2025-04-23T13:47:00+06:00"),
            ),
            (
                "Mon, 23 Apr 2025 07:47:00 GMT",
                Some("2025-04-23T07:47:00+00:00"),
            ),
            (
                "Wednesday, 23 Apr 2025 07:47:00 UTC",
                Some("2025-04-23T07:47:00+00:00"),
            ),
            (
                "23 Apr 2025 07:47:00 -0400",
                Some("2025-04-23T07:47:00-04:00"),
            ),
            ("yesterday", None),
        ];
        for (text, expected) in cases {
            assert_eq!(rfc3339(text).as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn errors_name_origin_and_line() {
        let err = parse(
            "bad.xml",
            b"<rss version=\"2.0\"><channel><title>x</channel></rss>",
            None,
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("bad.xml"), "{err}");
        assert!(err.to_string().contains("not a valid feed"), "{err}");
        assert_eq!(err.exit_code(), 65);
        let err = parse(
            "j.json",
            b"{\"version\": \"https://jsonfeed.org/version/1.1\",\n\"items\": [}",
            None,
        )
        .unwrap_err();
        assert!(
            err.to_string().starts_with("j.json:2: not a valid feed"),
            "{err}"
        );
        let err = parse("e.xml", b"<html><body>hi</body></html>", None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "e.xml: not a feed: no RSS, Atom or JSON Feed root element"
        );
        let err = parse(
            "n.xml",
            b"<rss version=\"2.0\"><channel><title>x</title></channel></rss>",
            None,
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "n.xml: feed has no items");
    }

    #[test]
    fn shared_guids_and_empty_items() {
        let xml = br#"<rss version="2.0"><channel><title>Desk</title>
            <item><guid>same</guid><title>One</title><link>https://x.example/1</link></item>
            <item><guid>same</guid><title>Two</title><link>https://x.example/2</link></item>
            <item><guid>other</guid><description>  </description></item>
            </channel></rss>"#;
        let articles = parse("s.xml", xml, None).unwrap();
        assert_eq!(articles.len(), 2);
        assert!(articles[0].key.starts_with("link:"), "{}", articles[0].key);
        assert_ne!(articles[0].key, articles[1].key);
        assert_eq!(articles[0].body, "One");
        assert_eq!(
            articles[0].notes,
            ["1 feed item(s) skipped: no title and no text"]
        );
        assert_eq!(articles[1].origin, "s.xml#2");
    }
}
