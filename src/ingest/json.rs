//! JSON articles: one object, or an array of objects, with the fields
//! `{"title", "body", "source", "published", "language", "url", "editor"}`; only `body` is required,
//! other keys are ignored.
//!
//! Owns the JSON reader: reads the text of one input, writes [`Article`]s or an error naming the
//! file, the line, the article (1-based) and the field. Object or array is decided from the first
//! non-space character (after a BOM); serde_json's recursion limit (128) stays on and unknown
//! fields are skipped without recursion, so deep nesting never overflows the stack. `published` is
//! RFC 3339 or dateline text; it is kept as text for [`crate::dateline`]. Example:
//!
//! ```
//! use newsdigest::ingest::json;
//! let articles = json::parse("a.json", r#"{"title": "Rain", "body": "Dhaka will see rain."}"#).unwrap();
//! assert_eq!(articles[0].title.as_deref(), Some("Rain"));
//! let err = json::parse("b.json", "[{\"body\": \"One.\"},\n {\"title\": \"Two\"}]").unwrap_err();
//! assert_eq!(err.to_string(), "b.json:2: article 2: missing field \"body\"");
//! ```

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::error::Category;

use super::{clean, detect, key};
use crate::article::Article;
use crate::error::{Error, Result};

/// The fields read from an article object, as written.
#[derive(Debug, Default)]
struct JsonArticle {
    title: Option<String>,
    body: Option<String>,
    source: Option<String>,
    published: Option<String>,
    language: Option<String>,
    url: Option<String>,
    editor: Option<String>,
}

/// Where the reader is, so an error can name the article and the field it came from.
#[derive(Debug, Default)]
struct Cursor {
    /// 1-based number of the article being read.
    article: Cell<usize>,
    /// The field whose value is being read.
    field: Cell<Option<&'static str>>,
}

/// Reads a JSON article file: one article object or an array of them. `origin` names it in errors.
pub fn parse(origin: &str, text: &str) -> Result<Vec<Article>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let start = text.len() - text.trim_start().len();
    let cursor = Cursor::default();
    cursor.article.set(1);
    let mut de = serde_json::Deserializer::from_str(text);
    let items = match text.as_bytes().get(start) {
        None => {
            return Err(Error::BadArticle {
                origin: origin.to_string(),
                message: "empty article: no text".into(),
            });
        }
        Some(b'{') => ArticleSeed(&cursor)
            .deserialize(&mut de)
            .map(|item| vec![item]),
        Some(b'[') => ArticlesSeed(&cursor).deserialize(&mut de),
        Some(_) => {
            return Err(Error::BadArticleLine {
                origin: origin.to_string(),
                line: text[..start].matches('\n').count() + 1,
                message: "not a JSON article: expected an object or an array".into(),
            });
        }
    };
    let items = items
        .and_then(|items| de.end().map(|()| items))
        .map_err(|e| to_error(origin, &e, &cursor))?;
    if items.is_empty() {
        return Err(Error::BadArticle {
            origin: origin.to_string(),
            message: "empty JSON array: no articles".into(),
        });
    }
    // Articles of an array are told apart as feed items are: `stories.json#2`.
    let several = items.len() > 1;
    items
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            let mut article = to_article(origin, index, item)?;
            if several {
                article.origin = format!("{origin}#{}", index + 1);
            }
            Ok(article)
        })
        .collect()
}

/// A serde_json error as ours: syntax errors are "not a JSON article", data errors name the
/// article and the field. serde_json's own " at line L column C" suffix is replaced by `origin:L`.
fn to_error(origin: &str, e: &serde_json::Error, cursor: &Cursor) -> Error {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let text = text.strip_suffix(&suffix).unwrap_or(&text);
    let article = cursor.article.get();
    let message = match (e.classify(), cursor.field.get()) {
        (Category::Data, Some(field)) => format!("article {article}: field \"{field}\": {text}"),
        (Category::Data, None) => format!("article {article}: {text}"),
        _ => format!("not a JSON article: {text}"),
    };
    Error::BadArticleLine {
        origin: origin.to_string(),
        line: e.line(),
        message,
    }
}

/// Reads an array of articles, numbering them in the [`Cursor`].
struct ArticlesSeed<'c>(&'c Cursor);

impl<'de> DeserializeSeed<'de> for ArticlesSeed<'_> {
    type Value = Vec<JsonArticle>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ArticlesSeed<'_> {
    type Value = Vec<JsonArticle>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of article objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        loop {
            self.0.article.set(items.len() + 1);
            match seq.next_element_seed(ArticleSeed(self.0))? {
                Some(item) => items.push(item),
                None => return Ok(items),
            }
        }
    }
}

/// Reads one article object, recording each field in the [`Cursor`] while its value is read.
struct ArticleSeed<'c>(&'c Cursor);

impl<'de> DeserializeSeed<'de> for ArticleSeed<'_> {
    type Value = JsonArticle;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ArticleSeed<'_> {
    type Value = JsonArticle;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an article object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut item = JsonArticle::default();
        while let Some(key) = map.next_key::<String>()? {
            let (name, slot) = match key.as_str() {
                "title" => ("title", &mut item.title),
                "body" => ("body", &mut item.body),
                "source" => ("source", &mut item.source),
                "published" => ("published", &mut item.published),
                "language" => ("language", &mut item.language),
                "url" => ("url", &mut item.url),
                "editor" => ("editor", &mut item.editor),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            if slot.is_some() {
                return Err(de::Error::custom(format!("duplicate field \"{name}\"")));
            }
            self.0.field.set(Some(name));
            // `body` must be a string; the other fields may also be null.
            *slot = if name == "body" {
                Some(map.next_value::<String>()?)
            } else {
                map.next_value::<Option<String>>()?
            };
            self.0.field.set(None);
        }
        if item.body.is_none() {
            return Err(de::Error::custom("missing field \"body\""));
        }
        Ok(item)
    }
}

fn to_article(origin: &str, index: usize, item: JsonArticle) -> Result<Article> {
    let body = clean::body_lines(item.body.as_deref().unwrap_or_default()).join("\n");
    if body.is_empty() {
        return Err(Error::BadArticle {
            origin: origin.to_string(),
            message: format!("article {}: empty \"body\"", index + 1),
        });
    }
    let mut notes = Vec::new();
    let url = item.url.as_deref().and_then(|raw| {
        let kept = clean::url(raw);
        if kept.is_none() && clean::field(raw).is_some() {
            notes.push("url dropped: only http:// and https:// links are kept".to_string());
        }
        kept
    });
    let field = |value: Option<String>| value.as_deref().and_then(clean::field);
    let title = field(item.title);
    let (language, language_confidence) = match field(item.language) {
        Some(tag) => (tag, 1.0),
        None => detect::language_of(title.as_deref(), &body),
    };
    let mut article = Article {
        origin: origin.to_string(),
        title,
        body,
        source: field(item.source),
        dateline: field(item.published),
        editor: field(item.editor),
        language,
        language_confidence,
        url,
        notes,
        key: String::new(),
    };
    article.key = key::of_article(&article);
    Ok(article)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_article() {
        let articles = parse(
            "a.json",
            r#"{"title":"Rain","body":"Dhaka will see rain.\n\nMore later.","source":"BSS","published":"2025-04-23T13:47:00+06:00","url":"https://example.com/rain"}"#,
        )
        .unwrap();
        assert_eq!(articles.len(), 1);
        let a = &articles[0];
        assert_eq!(a.title.as_deref(), Some("Rain"));
        assert_eq!(a.body, "Dhaka will see rain.\nMore later.");
        assert_eq!(a.dateline.as_deref(), Some("2025-04-23T13:47:00+06:00"));
        assert_eq!(a.language, "en");
    }

    #[test]
    fn reads_an_array() {
        let articles = parse(
            "a.json",
            r#"[{"body":"One."},{"body":"দুই।","language":"bn"}]"#,
        )
        .unwrap();
        assert_eq!(articles.len(), 2);
        assert_eq!(articles[1].language, "bn");
    }

    #[test]
    fn errors_name_the_line() {
        let err = parse("bad.json", "{\n\"title\": \"x\",\n}").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("bad.json:3: not a JSON article"),
            "{err}"
        );
        let err = parse("nobody.json", r#"{"title":"x","body":"  "}"#).unwrap_err();
        assert_eq!(err.to_string(), "nobody.json: article 1: empty \"body\"");
    }

    #[test]
    fn errors_name_line_article_and_field() {
        let cases: &[(&str, &str)] = &[
            (
                "[{\"body\": \"One.\"},\n {\"title\": \"Two\"}]",
                "s.json:2: article 2: missing field \"body\"",
            ),
            (
                "{\"body\": 5}",
                "s.json:1: article 1: field \"body\": invalid type: integer `5`, expected a string",
            ),
            (
                "{\"body\": null}",
                "s.json:1: article 1: field \"body\": invalid type: null, expected a string",
            ),
            (
                "{\"body\": \"x\",\n\"title\": [1]}",
                "s.json:2: article 1: field \"title\": invalid type: sequence, expected a string",
            ),
            (
                "{\"body\": \"x\", \"body\": \"y\"}",
                "s.json:1: article 1: duplicate field \"body\"",
            ),
            (
                "[{\"body\": \"x\"}, 7]",
                "s.json:1: article 2: invalid type: integer `7`, expected an article object",
            ),
            (
                "{\"body\": \"x\"} trailing",
                "s.json:1: not a JSON article: trailing characters",
            ),
            (
                "{\"body\": \"x\"",
                "s.json:1: not a JSON article: EOF while parsing an object",
            ),
            (
                "\n\n\"text\"",
                "s.json:3: not a JSON article: expected an object or an array",
            ),
            ("[]", "s.json: empty JSON array: no articles"),
            (" \n ", "s.json: empty article: no text"),
            (
                "{\"body\": \"\\u202e \\r\\n\"}",
                "s.json: article 1: empty \"body\"",
            ),
            (
                "[".repeat(100_000).leak(),
                "s.json:1: article 1: invalid type: sequence, expected an article object",
            ),
        ];
        for (text, expected) in cases {
            let err = parse("s.json", text).unwrap_err();
            assert_eq!(err.to_string(), *expected, "{text:?}");
            assert_eq!(err.exit_code(), 65);
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let deep = format!(
            "{{\"body\": \"x\", \"extra\": {}{}}}",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        // An unknown field is skipped without recursion: deep nesting there is no stack overflow.
        assert_eq!(parse("s.json", &deep).unwrap()[0].body, "x");
    }

    #[test]
    fn fields_are_cleaned_and_unsafe_urls_dropped() {
        let text = r#"{"title": "\u2066Rain\u2069", "body": "One.\rTwo.\u2028Three\u202e.", "source": "Police\u202e",
            "language": null, "url": "javascript:alert(1)", "unknown": {"deep": [1, 2]}}"#;
        let article = &parse("c.json", text).unwrap()[0];
        assert_eq!(article.title.as_deref(), Some("Rain"));
        assert_eq!(article.body, "One.\nTwo.\nThree.");
        assert_eq!(article.source.as_deref(), Some("Police"));
        assert_eq!(article.url, None);
        assert_eq!(
            article.notes,
            ["url dropped: only http:// and https:// links are kept"]
        );
        let kept = &parse(
            "d.json",
            "\u{feff}{\"body\": \"x\", \"url\": \"HTTPS://a.example/\"}",
        )
        .unwrap()[0];
        assert_eq!(kept.url.as_deref(), Some("HTTPS://a.example/"));
        assert!(kept.notes.is_empty());
    }
}
