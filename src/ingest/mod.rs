//! Ingest: inputs named on the command line become [`Article`]s.
//!
//! Reads files, directories (recursively, sorted, hidden entries skipped) and `-` for stdin; detects
//! the format of each (JSON when the file ends in `.json` or starts with `{`/`[`, wire text
//! otherwise) and hands the text to [`wire`] or [`json`]. Example:
//! `read_inputs(&["story.txt".into()], &mut std::io::stdin())` gives one `Article`.

pub mod json;
pub mod wire;

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::article::Article;
use crate::error::{Error, Result};

/// File extensions read when walking a directory.
const ARTICLE_EXTENSIONS: &[&str] = &["txt", "json"];

/// Reads every input (`-` is stdin) into articles, in order.
pub fn read_inputs(inputs: &[String], stdin: &mut dyn Read) -> Result<Vec<Article>> {
    let mut articles = Vec::new();
    for input in inputs {
        if input == "-" {
            let mut bytes = Vec::new();
            stdin
                .read_to_end(&mut bytes)
                .map_err(|source| Error::Read {
                    path: PathBuf::from("<stdin>"),
                    source,
                })?;
            articles.extend(parse_bytes("<stdin>", None, &bytes)?);
            continue;
        }
        for path in expand(Path::new(input))? {
            let bytes = fs::read(&path).map_err(|source| read_error(&path, source))?;
            let origin = path.display().to_string();
            articles.extend(parse_bytes(&origin, path.extension(), &bytes)?);
        }
    }
    Ok(articles)
}

/// Parses one input's bytes: checks UTF-8, detects the format.
pub fn parse_bytes(
    origin: &str,
    extension: Option<&std::ffi::OsStr>,
    bytes: &[u8],
) -> Result<Vec<Article>> {
    let text = std::str::from_utf8(bytes).map_err(|e| Error::NotUtf8 {
        origin: origin.to_string(),
        offset: e.valid_up_to(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.trim_start().chars().next();
    let is_json = extension.is_some_and(|e| e == "json") || matches!(first, Some('{' | '['));
    if is_json {
        json::parse(origin, text)
    } else {
        wire::parse(origin, text).map(|article| vec![article])
    }
}

/// A path, or the article files under a directory (recursive, sorted, hidden entries skipped).
fn expand(path: &Path) -> Result<Vec<PathBuf>> {
    let meta = fs::metadata(path).map_err(|source| read_error(path, source))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut entries: Vec<PathBuf> = fs::read_dir(path)
        .map_err(|source| read_error(path, source))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<io::Result<_>>()
        .map_err(|source| read_error(path, source))?;
    entries.sort();
    let mut files = Vec::new();
    for entry in entries {
        let hidden = entry
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if entry.is_dir() {
            files.extend(expand(&entry)?);
        } else if entry
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ARTICLE_EXTENSIONS.contains(&e))
        {
            files.push(entry);
        }
    }
    Ok(files)
}

fn read_error(path: &Path, source: io::Error) -> Error {
    if source.kind() == io::ErrorKind::NotFound {
        Error::InputMissing {
            path: path.to_path_buf(),
        }
    } else {
        Error::Read {
            path: path.to_path_buf(),
            source,
        }
    }
}
