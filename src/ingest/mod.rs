//! Ingest: inputs named on the command line become [`Article`]s.
//!
//! Reads URLs (`http://`, `https://`: [`fetch`], conditional GET through [`http_cache`]), files, folders (`walk`: recursive, sorted, hidden entries skipped, symlinks followed
//! without looping, regular `.txt`/`.json` files only) and `-` for stdin; each file is read once
//! even when reached twice. No single input may be larger than [`MAX_INPUT_BYTES`] (64 MiB), and
//! reading stops there, so `/dev/zero` on stdin cannot grow memory. Detects the format of each
//! input (JSON when the file ends in `.json` in any case, wire text when it ends in `.txt`, and
//! for stdin JSON when it starts with `{`/`[`), hands the text to [`wire`] or [`json`], and every field comes out cleaned by
//! [`clean`]. Example:
//!
//! ```
//! let text = b"Rain in Dhaka today.\nSource: BSS\nBDST: 1347 HRS, APR 23, 2025\nRK\n";
//! let articles = newsdigest::ingest::read_inputs(&["-".into()], &mut &text[..]).unwrap();
//! assert_eq!(articles[0].source.as_deref(), Some("BSS"));
//! ```

pub mod clean;
pub mod fetch;
pub mod http_cache;
pub mod json;
mod walk;
pub mod wire;

use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use self::fetch::{FetchOptions, Fetched};
use crate::article::Article;
use crate::error::{Error, Result};

/// The largest input read, in bytes: 64 MiB. Real articles are far smaller (a 50 MB article was
/// handled before this limit existed, and still is); anything larger is refused with an error
/// naming the input rather than read without limit.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// The name of stdin in errors and in [`Article::origin`].
const STDIN: &str = "<stdin>";

/// Reads every input (`-` is stdin) into articles, in order; a file reached twice is read once.
/// URLs are fetched with the default [`ReadOptions`]; [`read_inputs_with`] also gives the notes.
pub fn read_inputs(inputs: &[String], stdin: &mut dyn Read) -> Result<Vec<Article>> {
    read_inputs_with(inputs, stdin, &ReadOptions::default()).map(|read| read.articles)
}

/// How inputs are read.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// How URLs are fetched: timeout, cache folder, size limit.
    pub fetch: FetchOptions,
}

/// What reading the inputs gave.
#[derive(Debug, Default)]
pub struct Inputs {
    pub articles: Vec<Article>,
    /// For the user: feeds not modified, validators that could not be saved.
    pub notes: Vec<String>,
    /// How many URLs answered `304 Not Modified`.
    pub not_modified: usize,
}

/// Reads every input (`-` is stdin, `http://` and `https://` are fetched) into articles, in
/// order; a file or URL named twice is read once.
pub fn read_inputs_with(
    inputs: &[String],
    stdin: &mut dyn Read,
    options: &ReadOptions,
) -> Result<Inputs> {
    let mut read = Inputs::default();
    let mut seen = HashSet::new();
    for input in inputs {
        if input == "-" {
            let bytes = read_capped(STDIN, stdin).map_err(|source| Error::Read {
                path: PathBuf::from(STDIN),
                source,
            })?;
            read.articles.extend(parse_bytes(STDIN, None, &bytes?)?);
            continue;
        }
        if fetch::is_url(input) {
            if seen.insert(PathBuf::from(input)) {
                read_url(input, &options.fetch, &mut read)?;
            }
            continue;
        }
        for path in walk::expand(Path::new(input))? {
            if !seen.insert(walk::identity(&path)) {
                continue;
            }
            let origin = path.display().to_string();
            let bytes = File::open(&path)
                .and_then(|mut file| read_capped(&origin, &mut file))
                .map_err(|source| read_error(&path, source))?;
            read.articles
                .extend(parse_bytes(&origin, path.extension(), &bytes?)?);
        }
    }
    Ok(read)
}

/// Fetches `url` and parses its body; its validators are saved only once the body parsed, so a
/// bad body is downloaded again next time rather than skipped as "not modified".
fn read_url(url: &str, options: &FetchOptions, read: &mut Inputs) -> Result<()> {
    let shown = fetch::redact(url);
    match fetch::fetch(url, options)? {
        Fetched::NotModified => {
            read.not_modified += 1;
            read.notes.push(format!(
                "{shown}: not modified since the last fetch (HTTP 304): no new stories"
            ));
        }
        Fetched::Body {
            bytes,
            content_type,
            validators,
        } => {
            read.articles
                .extend(parse_body(&shown, content_type.as_deref(), &bytes)?);
            let Some(dir) = &options.cache_dir else {
                return Ok(());
            };
            if let Err(error) = http_cache::save(dir, url, &validators) {
                read.notes.push(format!(
                    "{shown}: cannot save its validators in {} ({error}): the next run downloads it again",
                    dir.display()
                ));
            }
        }
    }
    Ok(())
}

/// Parses a fetched body. The one place that decides how: for now as a file without an extension
/// (JSON sniffed, else wire text).
// INTEGRATION: replace with `parse_fetched(origin, content_type, bytes)` once `ingest::feed` lands.
fn parse_body(origin: &str, content_type: Option<&str>, bytes: &[u8]) -> Result<Vec<Article>> {
    let _ = content_type;
    parse_bytes(origin, None, bytes)
}

/// Reads at most [`MAX_INPUT_BYTES`] + 1 bytes; the inner error says the input was larger.
fn read_capped(origin: &str, reader: &mut dyn Read) -> io::Result<Result<Vec<u8>>> {
    let mut bytes = Vec::new();
    reader.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Ok(Err(Error::BadArticle {
            origin: origin.to_string(),
            message: format!(
                "larger than {} MiB, the limit for one input",
                MAX_INPUT_BYTES / 1024 / 1024
            ),
        }));
    }
    Ok(Ok(bytes))
}

/// Parses one input's bytes: checks UTF-8, detects the format. `origin` names it in errors.
///
/// ```
/// use newsdigest::ingest::parse_bytes;
/// let articles = parse_bytes("a.JSON", Some("JSON".as_ref()), br#"{"body": "Rain."}"#).unwrap();
/// assert_eq!(articles[0].body, "Rain.");
/// let err = parse_bytes("b.txt", None, b"Source: X\nBDST: 1347 HRS, APR 23, 2025\nRK\n").unwrap_err();
/// assert_eq!(err.to_string(), "b.txt: no article body, only footer lines");
/// ```
pub fn parse_bytes(origin: &str, extension: Option<&OsStr>, bytes: &[u8]) -> Result<Vec<Article>> {
    let text = std::str::from_utf8(bytes).map_err(|e| Error::NotUtf8 {
        origin: origin.to_string(),
        offset: e.valid_up_to(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.trim_start().chars().next();
    // The extension decides; only input without one (stdin) is sniffed, so a `.txt` story that
    // opens with `{{` or `[` is still wire text.
    let is_json = match extension {
        Some(e) if e.eq_ignore_ascii_case("json") => true,
        Some(e) if e.eq_ignore_ascii_case("txt") => false,
        _ => matches!(first, Some('{' | '[')),
    };
    if is_json {
        json::parse(origin, text)
    } else {
        wire::parse(origin, text).map(|article| vec![article])
    }
}

/// An I/O error on `path` as ours: a missing file is [`Error::InputMissing`].
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
