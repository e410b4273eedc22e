//! JSON articles: one object, or an array of objects, with the fields
//! `{"title", "body", "source", "published", "language", "url"}`; only `body` is required.
//!
//! `published` is RFC 3339 or dateline text; it is kept as text for [`crate::dateline`]. Example:
//! `{"title": "Rain", "body": "Dhaka will see rain.", "published": "2025-04-23T13:47:00+06:00"}`.

use serde::Deserialize;

use crate::article::Article;
use crate::error::{Error, Result};
use crate::text::{language, normalize};

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Document {
    One(JsonArticle),
    Many(Vec<JsonArticle>),
}

#[derive(Debug, Deserialize)]
struct JsonArticle {
    title: Option<String>,
    body: String,
    source: Option<String>,
    published: Option<String>,
    language: Option<String>,
    url: Option<String>,
    editor: Option<String>,
}

/// Reads a JSON article file. `origin` names it in errors.
pub fn parse(origin: &str, text: &str) -> Result<Vec<Article>> {
    let document: Document = serde_json::from_str(text).map_err(|e| Error::BadArticleLine {
        origin: origin.to_string(),
        line: e.line(),
        message: format!("not a JSON article: {e}"),
    })?;
    let items = match document {
        Document::One(item) => vec![item],
        Document::Many(items) => items,
    };
    if items.is_empty() {
        return Err(Error::BadArticle {
            origin: origin.to_string(),
            message: "empty JSON array: no articles".into(),
        });
    }
    items
        .into_iter()
        .enumerate()
        .map(|(index, item)| to_article(origin, index, item))
        .collect()
}

fn to_article(origin: &str, index: usize, item: JsonArticle) -> Result<Article> {
    let body = item
        .body
        .lines()
        .map(normalize::clean_line)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    if body.is_empty() {
        return Err(Error::BadArticle {
            origin: origin.to_string(),
            message: format!("article {}: empty \"body\"", index + 1),
        });
    }
    let clean = |field: Option<String>| {
        field
            .map(|value| normalize::clean_line(&value))
            .filter(|value| !value.is_empty())
    };
    let language = clean(item.language).unwrap_or_else(|| language::guess(&body).to_string());
    Ok(Article {
        origin: origin.to_string(),
        title: clean(item.title),
        body,
        source: clean(item.source),
        dateline: clean(item.published),
        editor: clean(item.editor),
        language,
        url: clean(item.url),
    })
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
}
