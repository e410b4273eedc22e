//! Ingest: inputs named on the command line become [`Article`]s.
//!
//! Reads feed URLs (`http://`, `https://`: [`fetch`], with conditional GET through
//! [`http_cache`]), files, folders (`walk`: recursive, sorted, hidden entries skipped, symlinks followed
//! without looping, regular `.txt`/`.json`/`.xml`/`.rss`/`.atom`/`.rdf` files only) and `-` for
//! stdin; each file is read once even when reached twice. No single input may be larger than
//! [`MAX_INPUT_BYTES`] (64 MiB), and reading stops there, so `/dev/zero` on stdin cannot grow
//! memory. Detects the format of each input ([`Format`]: by extension, else sniffed), hands it to
//! [`wire`], [`json`] or [`feed`], and every field comes out cleaned by [`clean`]. Example:
//!
//! ```
//! let text = b"Rain in Dhaka today.\nSource: BSS\nBDST: 1347 HRS, APR 23, 2025\nRK\n";
//! let articles = newsdigest::ingest::read_inputs(&["-".into()], &mut &text[..]).unwrap();
//! assert_eq!(articles[0].source.as_deref(), Some("BSS"));
//! ```

pub mod charset;
pub mod clean;
pub mod detect;
pub mod feed;
pub mod fetch;
pub mod html;
pub mod http_cache;
pub mod json;
mod json_feed;
pub mod key;
mod walk;
pub mod wire;

use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use self::fetch::{FetchOptions, Fetched};
use self::http_cache::Validators;
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
    let read = read_inputs_with(inputs, stdin, &ReadOptions::default())?;
    read.validators.save();
    Ok(read.articles)
}

/// How inputs are read.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// How URLs are fetched: timeout, cache folder, size limit.
    pub fetch: FetchOptions,
    /// Told of each input and file read, and each URL fetched.
    pub progress: crate::progress::Watch,
}

/// What reading the inputs gave.
#[derive(Debug, Default)]
pub struct Inputs {
    pub articles: Vec<Article>,
    /// For the user: feeds not modified, validators that could not be saved.
    pub notes: Vec<String>,
    /// How many URLs answered `304 Not Modified`.
    pub not_modified: usize,
    /// The validators of the feeds read, not saved yet: see [`PendingValidators`].
    pub validators: PendingValidators,
}

/// Validators (`ETag`, `Last-Modified`) of the feeds a run read, kept until the run's output is
/// safe. Saved earlier, a run that fails later (another feed down, the output not written) would
/// make the next run's feeds answer `304 Not Modified`, and their stories would never go out.
#[derive(Debug, Default)]
pub struct PendingValidators {
    feeds: Vec<(PathBuf, String, Validators)>,
}

impl PendingValidators {
    /// Saves every feed's validators; returns a note for each that could not be saved.
    pub fn save(self) -> Vec<String> {
        let mut notes = Vec::new();
        for (dir, url, validators) in self.feeds {
            if let Err(error) = http_cache::save(&dir, &url, &validators) {
                notes.push(format!(
                    "{}: cannot save its validators in {} ({error}): the next run downloads it again",
                    fetch::redact(&url),
                    dir.display()
                ));
            }
        }
        notes
    }
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
    let progress = &options.progress;
    // One unit per input, then one per file of a directory.
    progress.add(inputs.len() as u64);
    for input in inputs {
        if input == "-" {
            progress.working_on(STDIN);
            let bytes = read_capped(STDIN, stdin).map_err(|source| Error::Read {
                path: PathBuf::from(STDIN),
                source,
            })?;
            read.articles.extend(parse_bytes(STDIN, None, &bytes?)?);
            progress.done(1);
            continue;
        }
        if fetch::is_url(input) {
            if seen.insert(PathBuf::from(input)) {
                progress.working_on(&fetch::redact(input));
                read_url(input, &options.fetch, &mut read)?;
            }
            progress.done(1);
            continue;
        }
        let paths = walk::expand(Path::new(input))?;
        progress.add((paths.len() as u64).saturating_sub(1));
        if paths.is_empty() {
            progress.done(1);
        }
        for path in paths {
            if !seen.insert(walk::identity(&path)) {
                progress.done(1);
                continue;
            }
            let origin = path.display().to_string();
            progress.working_on(&origin);
            let bytes = File::open(&path)
                .and_then(|mut file| read_capped(&origin, &mut file))
                .map_err(|source| read_error(&path, source))?;
            read.articles
                .extend(parse_bytes(&origin, path.extension(), &bytes?)?);
            progress.done(1);
        }
    }
    Ok(read)
}

/// Fetches `url` and parses its body; its validators wait in `read.validators` (only once the body
/// parsed, so a bad body is downloaded again next time rather than skipped as "not modified").
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
                .extend(parse_fetched(&shown, content_type.as_deref(), &bytes)?);
            if let Some(dir) = &options.cache_dir {
                read.validators
                    .feeds
                    .push((dir.clone(), url.to_string(), validators));
            }
        }
    }
    Ok(())
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

/// Parses one input's bytes: detects the format by `extension` (see [`Format`]), decodes, reads.
/// `origin` names it in errors.
///
/// ```
/// use newsdigest::ingest::parse_bytes;
/// let articles = parse_bytes("a.JSON", Some("JSON".as_ref()), br#"{"body": "Rain."}"#).unwrap();
/// assert_eq!(articles[0].body, "Rain.");
/// let err = parse_bytes("b.txt", None, b"Source: X\nBDST: 1347 HRS, APR 23, 2025\nRK\n").unwrap_err();
/// assert_eq!(err.to_string(), "b.txt: no article body, only footer lines");
/// let feed = br#"<rss version="2.0"><channel><item><title>Rain</title></item></channel></rss>"#;
/// assert_eq!(parse_bytes("-", None, feed).unwrap()[0].origin, "-#1");
/// ```
pub fn parse_bytes(origin: &str, extension: Option<&OsStr>, bytes: &[u8]) -> Result<Vec<Article>> {
    parse_as(origin, Format::of_extension(extension, bytes), bytes, None)
}

/// Parses a document fetched over HTTP: the `Content-Type` (with its `charset=`) decides the
/// format, else the bytes are sniffed like stdin (see [`Format`]). `origin` is the URL.
///
/// ```
/// use newsdigest::ingest::parse_fetched;
/// let xml = b"<rss version=\"2.0\"><channel><item><title>Caf\xe9</title></item></channel></rss>";
/// let articles = parse_fetched("https://x.example/f", Some("application/rss+xml; charset=ISO-8859-1"), xml).unwrap();
/// assert_eq!(articles[0].title.as_deref(), Some("Café"));
/// ```
pub fn parse_fetched(
    origin: &str,
    content_type: Option<&str>,
    bytes: &[u8],
) -> Result<Vec<Article>> {
    let (media_type, charset) = content_type.map(split_content_type).unwrap_or_default();
    let format = Format::of_media_type(&media_type, bytes);
    parse_as(origin, format, bytes, charset.as_deref())
}

/// How much of a UTF-16 input is decoded to see whether it is XML.
const SNIFF_UTF16_BYTES: usize = 1024;

/// Which reader an input goes to.
///
/// By extension, in any case: `.xml`, `.rss`, `.atom`, `.rdf` are feeds; `.json` is a JSON Feed
/// when its top-level object has a `version` starting with `https://jsonfeed.org/version/`, else
/// article JSON; `.txt` is always wire text. Without an extension (stdin, URLs), or with another
/// one, the bytes are sniffed: after a BOM (UTF-8 or UTF-16) and whitespace, `<` is a feed, `{`
/// with a JSON Feed version is a feed, `{` or `[` is article JSON, anything else wire text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Wire,
    Json,
    Feed,
}

impl Format {
    fn of_extension(extension: Option<&OsStr>, bytes: &[u8]) -> Format {
        let extension = extension
            .and_then(OsStr::to_str)
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("xml" | "rss" | "atom" | "rdf") => Format::Feed,
            Some("txt") => Format::Wire,
            Some("json") if is_json_feed(bytes) => Format::Feed,
            Some("json") => Format::Json,
            _ => Format::sniff(bytes),
        }
    }

    fn of_media_type(media_type: &str, bytes: &[u8]) -> Format {
        match media_type {
            "application/rss+xml"
            | "application/atom+xml"
            | "application/rdf+xml"
            | "application/xml"
            | "text/xml"
            | "application/feed+json" => Format::Feed,
            "application/json" if is_json_feed(bytes) => Format::Feed,
            "application/json" => Format::Json,
            _ => Format::sniff(bytes),
        }
    }

    /// The format of bytes without a name (see the type documentation).
    pub fn sniff(bytes: &[u8]) -> Format {
        if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
            let head = &bytes[..bytes.len().min(SNIFF_UTF16_BYTES)];
            return match charset::decode(head, None).trim_start().starts_with('<') {
                true => Format::Feed,
                false => Format::Wire,
            };
        }
        let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        match text.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'<') => Format::Feed,
            Some(b'{') if is_json_feed(bytes) => Format::Feed,
            Some(b'{' | b'[') => Format::Json,
            _ => Format::Wire,
        }
    }
}

/// Whether `bytes` are a JSON object whose top-level `version` names JSON Feed. Reading stops at
/// that key; anything unreadable before it means "no".
fn is_json_feed(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let found = std::cell::Cell::new(false);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let _ = serde::Deserializer::deserialize_map(&mut de, json_feed::VersionProbe(&found));
    found.get()
}

/// `("application/rss+xml", Some("iso-8859-1"))` from `application/RSS+xml; charset="ISO-8859-1"`.
fn split_content_type(content_type: &str) -> (String, Option<String>) {
    let mut parts = content_type.split(';');
    let media_type = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let charset = parts.find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_ascii_lowercase())
    });
    (media_type, charset.filter(|c| !c.is_empty()))
}

/// Reads bytes in a known format. Wire text and article JSON must be UTF-8 unless a `charset`
/// (from HTTP) names another encoding.
fn parse_as(
    origin: &str,
    format: Format,
    bytes: &[u8],
    charset: Option<&str>,
) -> Result<Vec<Article>> {
    if format == Format::Feed {
        return feed::parse(origin, bytes, charset);
    }
    let decoded;
    let text = match charset.filter(|c| !matches!(*c, "utf-8" | "utf8")) {
        Some(label) => {
            decoded = charset::decode(bytes, Some(label));
            decoded.as_str()
        }
        None => std::str::from_utf8(bytes).map_err(|e| Error::NotUtf8 {
            origin: origin.to_string(),
            offset: e.valid_up_to(),
        })?,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        Format::Json => json::parse(origin, text),
        _ => wire::parse(origin, text).map(|article| vec![article]),
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

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::progress::{Progress, Watch};

    /// Records what it is told: units added, units done, labels.
    #[derive(Default)]
    struct Recorder(Mutex<(u64, u64, Vec<String>)>);

    impl Progress for Arc<Recorder> {
        fn add(&self, items: u64) {
            self.0.lock().unwrap().0 += items;
        }
        fn working_on(&self, label: &str) {
            self.0.lock().unwrap().2.push(label.to_string());
        }
        fn done(&self, items: u64) {
            self.0.lock().unwrap().1 += items;
        }
    }

    #[test]
    fn progress_counts_each_file_once_and_ends_complete() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.txt", "b.txt"] {
            std::fs::write(dir.path().join(name), "A story.\nSource: Desk\n").unwrap();
        }
        let folder = dir.path().display().to_string();
        let again = dir.path().join("a.txt").display().to_string();
        let recorder = Arc::new(Recorder::default());
        let options = ReadOptions {
            progress: Watch::new(Arc::clone(&recorder)),
            ..ReadOptions::default()
        };
        let inputs = [folder, again, "-".to_string()];
        let mut stdin: &[u8] = b"From stdin.\nSource: Desk\n";
        let read = read_inputs_with(&inputs, &mut stdin, &options).unwrap();
        assert_eq!(read.articles.len(), 3);
        let (added, done, labels) = recorder.0.lock().unwrap().clone();
        // The folder's two files, the file named again (done at once), stdin.
        assert_eq!((added, done), (4, 4));
        assert_eq!(labels.len(), 3, "{labels:?}");
        assert_eq!(labels[2], STDIN);
    }
}
