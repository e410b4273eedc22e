//! Story keys: a stable identity for each article, so the same story read twice (from two runs of
//! a feed, or from two feeds linking the same page) is recognised as one.
//!
//! Owns the rules below; reads what an item says about itself, writes `guid:<16 hex>`,
//! `link:<16 hex>` or `hash:<16 hex>` (XXH3-64 via [`crate::fingerprint`], so keys never change
//! between builds). In order:
//!
//! 1. **guid / id**, when it is a real identifier. An `http(s)://` guid is a link and is keyed like
//!    one (rule 2), whatever its `isPermaLink` says. A guid that is *not* a URL is an opaque id
//!    even when RSS claims `isPermaLink` (true by default): that flag is often a lie, so such a
//!    guid is never used as a link, only as an id, and an opaque id is keyed together with the
//!    source (`guid:` of source + id), because ids like `123` repeat across outlets. A guid is
//!    ignored (next rule) when it is empty, a placeholder (`0`, `-`, `null`, `none`, `undefined`,
//!    `guid`, `id`, `n/a`, `#`), or shared by several items of the same feed ([`Parts::guid`] is
//!    then `None`: the feed reader decides that).
//! 2. **link**, normalized by [`normalize_link`]: scheme and host lower case, default port and
//!    fragment dropped, tracking parameters (`utm_*`, `fbclid`, `gclid`, ...) dropped, the other
//!    parameters sorted; path and trailing slash kept as written.
//! 3. **hash** of source, title and published text, plus the opening of the body when there is no
//!    title (wire copy has none).
//!
//! ```
//! use newsdigest::ingest::key::{story_key, Parts};
//! let a = Parts { link: Some("https://News.example/a?utm_source=x&id=7"), ..Parts::default() };
//! let b = Parts { link: Some("https://news.example:443/a?id=7#top"), ..Parts::default() };
//! assert_eq!(story_key(&a), story_key(&b));
//! assert!(story_key(&a).starts_with("link:"));
//! ```

use crate::article::Article;
use crate::fingerprint;

/// What a key is made from; all optional but the body.
#[derive(Debug, Clone, Copy, Default)]
pub struct Parts<'a> {
    /// The RSS guid, Atom id or JSON Feed id, when the item has a usable one.
    pub guid: Option<&'a str>,
    /// The item's link.
    pub link: Option<&'a str>,
    pub source: Option<&'a str>,
    pub title: Option<&'a str>,
    /// The publication time as text (RFC 3339 or a dateline).
    pub published: Option<&'a str>,
    pub body: &'a str,
}

/// Query parameters that only track the reader, compared case-insensitively; `utm_*` too.
const TRACKING_PARAMETERS: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "ref",
    "ref_src",
    "ref_url",
    "cmpid",
    "ocid",
    "_ga",
    "_gl",
    "yclid",
    "msclkid",
    "twclid",
    "li_fat_id",
    "mkt_tok",
    "oly_anon_id",
    "oly_enc_id",
    "vero_id",
    "wt_mc",
    "s_cid",
    "smid",
    "cid_source",
];

/// Guids that stand for "no id" in real feeds, compared case-insensitively.
const PLACEHOLDER_GUIDS: &[&str] = &[
    "0",
    "-",
    "null",
    "none",
    "undefined",
    "guid",
    "id",
    "n/a",
    "#",
];

/// How much of the body is hashed when there is no title.
const BODY_OPENING_CHARS: usize = 200;

/// The key of a story (see the module documentation for the rules).
pub fn story_key(parts: &Parts) -> String {
    if let Some(guid) = parts.guid.map(str::trim).filter(|g| is_usable_guid(g)) {
        if let Some(link) = normalize_link(guid) {
            return format!("link:{}", hex(&[link.as_bytes()]));
        }
        let source = parts.source.unwrap_or_default();
        return format!("guid:{}", hex(&[source.as_bytes(), guid.as_bytes()]));
    }
    if let Some(link) = parts.link.and_then(normalize_link) {
        return format!("link:{}", hex(&[link.as_bytes()]));
    }
    let opening: String = match parts.title {
        Some(_) => String::new(),
        None => parts.body.chars().take(BODY_OPENING_CHARS).collect(),
    };
    let fields: [&[u8]; 4] = [
        parts.source.unwrap_or_default().as_bytes(),
        parts.title.unwrap_or_default().as_bytes(),
        parts.published.unwrap_or_default().as_bytes(),
        opening.as_bytes(),
    ];
    format!("hash:{}", hex(&fields))
}

/// The key of an article read from wire text or JSON (no guid): its URL, else the hash rule.
pub fn of_article(article: &Article) -> String {
    story_key(&Parts {
        guid: None,
        link: article.url.as_deref(),
        source: article.source.as_deref(),
        title: article.title.as_deref(),
        published: article.dateline.as_deref(),
        body: &article.body,
    })
}

/// Whether a guid identifies anything: not empty and not a placeholder.
pub fn is_usable_guid(guid: &str) -> bool {
    let guid = guid.trim();
    !guid.is_empty()
        && !PLACEHOLDER_GUIDS
            .iter()
            .any(|p| p.eq_ignore_ascii_case(guid))
}

/// An `http(s)` link in normal form (see the module documentation), or `None` when `text` is not
/// an absolute `http://` or `https://` URL with a host.
///
/// ```
/// use newsdigest::ingest::key::normalize_link;
/// assert_eq!(
///     normalize_link("HTTPS://Example.COM:443/News/?utm_medium=rss&b=2&a=1#c").as_deref(),
///     Some("https://example.com/News/?a=1&b=2")
/// );
/// assert_eq!(normalize_link("tag:example.com,2025:1"), None);
/// ```
pub fn normalize_link(text: &str) -> Option<String> {
    let mut url = url::Url::parse(text.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return None;
    }
    url.set_fragment(None);
    let raw_query = url.query().unwrap_or_default().to_string();
    let mut kept: Vec<&str> = raw_query
        .split('&')
        .filter(|pair| !pair.is_empty() && !is_tracking(pair))
        .collect();
    kept.sort_unstable();
    let query = kept.join("&");
    url.set_query((!query.is_empty()).then_some(query.as_str()));
    Some(url.to_string())
}

/// Whether a `name=value` query pair is a tracking parameter.
fn is_tracking(pair: &str) -> bool {
    let name = pair.split('=').next().unwrap_or_default();
    let lower = name.to_ascii_lowercase();
    lower.starts_with("utm_") || TRACKING_PARAMETERS.contains(&lower.as_str())
}

fn hex(fields: &[&[u8]]) -> String {
    fingerprint::to_hex(fingerprint::of_fields(fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(url: &str) -> String {
        story_key(&Parts {
            link: Some(url),
            ..Parts::default()
        })
    }

    fn guid(id: &str) -> String {
        story_key(&Parts {
            guid: Some(id),
            link: Some("https://example.com/same"),
            source: Some("Desk"),
            ..Parts::default()
        })
    }

    #[test]
    fn tracking_parameters_do_not_change_the_key() {
        let plain = link("https://news.example/world/talks?id=7");
        for tracked in [
            "https://news.example/world/talks?id=7&utm_source=rss&utm_medium=feed",
            "https://NEWS.example:443/world/talks?fbclid=abc&id=7#comments",
            "https://news.example/world/talks?gclid=1&id=7&ref=homepage&mc_cid=x&mc_eid=y",
            "https://news.example/world/talks?UTM_Campaign=spring&id=7&_ga=2.1",
        ] {
            assert_eq!(link(tracked), plain, "{tracked}");
        }
        assert_ne!(link("https://news.example/world/talks?id=8"), plain);
        assert_ne!(link("https://news.example/World/talks?id=7"), plain);
        assert_ne!(link("https://news.example/world/talks/?id=7"), plain);
        assert_ne!(link("http://news.example/world/talks?id=7"), plain);
    }

    #[test]
    fn parameters_are_sorted() {
        assert_eq!(
            normalize_link("http://a.example:80/p?b=2&a=1&utm_x=&").as_deref(),
            Some("http://a.example/p?a=1&b=2")
        );
        assert_eq!(
            normalize_link("https://a.example/p?utm_source=x").as_deref(),
            Some("https://a.example/p")
        );
        assert_eq!(normalize_link("javascript:alert(1)"), None);
        assert_eq!(normalize_link("urn:uuid:1234"), None);
        assert_eq!(normalize_link("/relative"), None);
    }

    #[test]
    fn guids() {
        assert_ne!(guid("story-1"), guid("story-2"));
        assert!(guid("story-1").starts_with("guid:"));
        // A URL guid is a link: the same page through a guid or a link has one key.
        assert_eq!(
            guid("https://news.example/a?utm_source=rss"),
            link("https://news.example/a")
        );
        // Placeholders fall through to the link.
        for placeholder in ["", "  ", "0", "NULL", "undefined", "-"] {
            assert_eq!(
                guid(placeholder),
                link("https://example.com/same"),
                "{placeholder:?}"
            );
        }
    }

    #[test]
    fn hash_without_guid_or_link() {
        let base = Parts {
            source: Some("BSS"),
            title: Some("Rain"),
            published: Some("2025-04-23T13:47:00+06:00"),
            body: "Rain in Dhaka.",
            ..Parts::default()
        };
        let key = story_key(&base);
        assert!(key.starts_with("hash:"));
        // With a title the body does not count (a corrected typo keeps the key)...
        assert_eq!(
            story_key(&Parts {
                body: "Rain in Dhaka!",
                ..base
            }),
            key
        );
        // ...without one it does.
        let untitled = Parts {
            title: None,
            ..base
        };
        assert_ne!(
            story_key(&untitled),
            story_key(&Parts {
                body: "Sun in Dhaka.",
                ..untitled
            })
        );
    }

    #[test]
    fn values_are_pinned() {
        // These values are printed and compared across runs: they must never change.
        assert_eq!(
            link("https://news.example/a?utm_source=x"),
            format!(
                "link:{}",
                fingerprint::to_hex(fingerprint::of_fields(&[b"https://news.example/a"]))
            )
        );
        assert_eq!(link("https://news.example/a"), "link:4822ac32f2c24021");
        assert_eq!(guid("story-1"), "guid:9e35066edbd64e35");
    }
}
