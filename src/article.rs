//! `Article`: the value ingest produces and every later stage reads.
//!
//! An article is the text of one story plus what its footer or metadata said about it. Nothing here
//! is interpreted yet: the dateline stays text until [`crate::dateline`] reads it. Ingest has
//! already cleaned every field: no control characters, no bidi embedding/override/isolate
//! controls, and a `url` only when it is `http(s)://`. Example:
//!
//! ```
//! let article = newsdigest::ingest::wire::parse("a.txt", "Rain in Dhaka.\nSource: BSS").unwrap();
//! assert_eq!((article.body.as_str(), article.source.as_deref()), ("Rain in Dhaka.", Some("BSS")));
//! ```

use serde::Serialize;

/// One story as read from a file, stdin or a feed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Article {
    /// Where it came from: a path, `-` for stdin, or a URL.
    pub origin: String,
    pub title: Option<String>,
    /// The body: paragraphs separated by newlines.
    pub body: String,
    /// The outlet or agency (`Source: BBC`).
    pub source: Option<String>,
    /// The dateline or publication time as written (`BDST: 1347 HRS, APR 23, 2025`, or RFC 3339).
    pub dateline: Option<String>,
    /// Editor initials from the wire footer (`SMS`).
    pub editor: Option<String>,
    /// BCP 47 language tag: from the article's or the feed's metadata, else detected.
    pub language: String,
    /// How sure ingest is of `language`: 1.0 when metadata named it, whatlang's confidence when
    /// detected, 0.0 when only the script guess was used.
    pub language_confidence: f64,
    /// The story's identity (`guid:…`, `link:…` or `hash:…`, see [`crate::ingest::key`]): the same
    /// story read twice, or from two feeds linking the same page, has the same key.
    pub key: String,
    /// An `http://` or `https://` link; ingest drops any other scheme (and says so in `notes`).
    pub url: Option<String>,
    /// What ingest changed or dropped while reading this article (`url dropped: ...`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Article {
    /// Sets the language the user gave (`--language`): it is certain, so its confidence is 1.
    pub fn force_language(&mut self, tag: &str) {
        tag.clone_into(&mut self.language);
        self.language_confidence = 1.0;
    }
}
