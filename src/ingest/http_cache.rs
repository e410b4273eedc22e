//! The conditional-GET cache: the validators (`ETag`, `Last-Modified`) a feed server sent last time,
//! so the next fetch can ask "changed since?" and a `304 Not Modified` costs no download.
//!
//! The folder is `$NEWSDIGEST_CACHE_DIR` when set, else `$XDG_CACHE_HOME/newsdigest`, else
//! `$HOME/.cache/newsdigest` ([`default_dir`]). Each URL has one small JSON file named by the
//! XXH3-64 of the URL, `http-<16 hex digits>.json`, holding `{url, etag, last_modified,
//! fetched_at}`; the URL stored is the one shown to users, without credentials. Files are written
//! atomically (a temporary file in the same folder, then renamed), so a crash leaves the old file
//! or the new one. A file that cannot be read or parsed, or that names another URL, is ignored: the
//! fetch is then unconditional, never an error. Validators are saved by the caller ([`save`]) only
//! once the run's output is out (see [`crate::ingest::PendingValidators`]), so a body that fails to
//! parse, or a run that fails later, downloads the feed again next time.
//!
//! ```
//! use newsdigest::ingest::http_cache::{self, Validators};
//! let dir = tempfile::tempdir().unwrap();
//! let url = "https://example.org/feed.xml";
//! assert_eq!(http_cache::load(dir.path(), url), Validators::default());
//! let validators = Validators { etag: Some("\"v1\"".into()), last_modified: None };
//! http_cache::save(dir.path(), url, &validators).unwrap();
//! assert_eq!(http_cache::load(dir.path(), url), validators);
//! ```

use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::fetch::redact;
use crate::fingerprint;

/// What a server said about a response so that a later request can be conditional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// The `ETag` header, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// The `Last-Modified` header, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
}

impl Validators {
    /// Whether there is nothing to send back.
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// One cache file.
#[derive(Serialize, Deserialize)]
struct Entry {
    url: String,
    etag: Option<String>,
    last_modified: Option<String>,
    fetched_at: String,
}

/// The cache folder from the process environment (see the module documentation); `None` when
/// neither `NEWSDIGEST_CACHE_DIR`, `XDG_CACHE_HOME` nor `HOME` is set.
pub fn default_dir() -> Option<PathBuf> {
    dir_from(|name| std::env::var_os(name))
}

/// The cache folder given a way to read environment variables. Empty and (for XDG) relative
/// values are ignored, as the XDG base directory specification says.
pub fn dir_from(var: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let set = |name: &str| {
        var(name)
            .filter(|value| !value.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = set("NEWSDIGEST_CACHE_DIR") {
        return Some(dir);
    }
    if let Some(xdg) = set("XDG_CACHE_HOME").filter(|dir| dir.is_absolute()) {
        return Some(xdg.join("newsdigest"));
    }
    set("HOME").map(|home| home.join(".cache").join("newsdigest"))
}

/// The cache file of `url` in `dir`.
pub fn file_for(dir: &Path, url: &str) -> PathBuf {
    let hash = fingerprint::to_hex(fingerprint::of(url.as_bytes()));
    dir.join(format!("http-{hash}.json"))
}

/// The validators saved for `url`, or none when there is no usable cache file.
pub fn load(dir: &Path, url: &str) -> Validators {
    let Ok(text) = fs::read(file_for(dir, url)) else {
        return Validators::default();
    };
    match serde_json::from_slice::<Entry>(&text) {
        Ok(entry) if entry.url == redact(url) => Validators {
            etag: entry.etag.filter(|v| header_safe(v)),
            last_modified: entry.last_modified.filter(|v| header_safe(v)),
        },
        _ => Validators::default(),
    }
}

/// Saves the validators of `url` (atomically), creating `dir` if needed; with no validators it
/// removes the file instead, so stale ones are never sent.
pub fn save(dir: &Path, url: &str, validators: &Validators) -> io::Result<()> {
    let path = file_for(dir, url);
    if validators.is_empty() {
        return match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        };
    }
    let entry = Entry {
        url: redact(url),
        etag: validators.etag.clone(),
        last_modified: validators.last_modified.clone(),
        fetched_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    let json = serde_json::to_vec_pretty(&entry).map_err(io::Error::other)?;
    fs::create_dir_all(dir)?;
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(&json)?;
    file.persist(&path).map_err(|e| e.error)?;
    Ok(())
}

/// Whether `value` can be sent as a header value (a hand-edited file might hold anything).
fn header_safe(value: &str) -> bool {
    !value.is_empty()
        && value
            .bytes()
            .all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| OsString::from(value))
        }
    }

    #[test]
    fn folder_follows_the_environment_in_order() {
        let all = [
            ("NEWSDIGEST_CACHE_DIR", "/n"),
            ("XDG_CACHE_HOME", "/x"),
            ("HOME", "/h"),
        ];
        assert_eq!(dir_from(env(&all)), Some(PathBuf::from("/n")));
        assert_eq!(
            dir_from(env(&all[1..])),
            Some(PathBuf::from("/x/newsdigest"))
        );
        assert_eq!(
            dir_from(env(&all[2..])),
            Some(PathBuf::from("/h/.cache/newsdigest"))
        );
        let relative_xdg = [("XDG_CACHE_HOME", "x"), ("HOME", "/h")];
        assert_eq!(
            dir_from(env(&relative_xdg)),
            Some(PathBuf::from("/h/.cache/newsdigest"))
        );
        assert_eq!(dir_from(env(&[("NEWSDIGEST_CACHE_DIR", "")])), None);
    }

    #[test]
    fn file_name_is_the_url_hash() {
        let name = file_for(Path::new("/c"), "https://a/b");
        let name = name.file_name().unwrap().to_str().unwrap();
        assert!(
            name.starts_with("http-") && name.ends_with(".json"),
            "{name}"
        );
        assert_eq!(name.len(), "http-".len() + 16 + ".json".len());
    }

    #[test]
    fn corrupt_or_foreign_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let url = "http://127.0.0.1/a.json";
        fs::write(file_for(dir.path(), url), b"{not json").unwrap();
        assert!(load(dir.path(), url).is_empty());
        let foreign =
            r#"{"url":"http://other/","etag":"\"x\"","last_modified":null,"fetched_at":""}"#;
        fs::write(file_for(dir.path(), url), foreign).unwrap();
        assert!(load(dir.path(), url).is_empty());
        let bad_header = r#"{"url":"http://127.0.0.1/a.json","etag":"a\nb","last_modified":null,"fetched_at":""}"#;
        fs::write(file_for(dir.path(), url), bad_header).unwrap();
        assert!(load(dir.path(), url).is_empty());
    }

    #[test]
    fn credentials_are_not_stored_and_empty_validators_remove_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let url = "https://user:secret@example.org/feed";
        let validators = Validators {
            etag: None,
            last_modified: Some("Wed, 23 Apr 2025 07:47:00 GMT".into()),
        };
        save(dir.path(), url, &validators).unwrap();
        let text = fs::read_to_string(file_for(dir.path(), url)).unwrap();
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("fetched_at"), "{text}");
        assert_eq!(load(dir.path(), url), validators);
        save(dir.path(), url, &Validators::default()).unwrap();
        assert!(!file_for(dir.path(), url).exists());
    }

    #[test]
    fn an_uncreatable_folder_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        fs::write(&blocker, b"").unwrap();
        let validators = Validators {
            etag: Some("\"1\"".into()),
            last_modified: None,
        };
        assert!(save(&blocker.join("cache"), "http://a/", &validators).is_err());
    }
}
