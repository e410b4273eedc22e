//! Which files an input path stands for: the path itself when it is a regular file, or the article
//! files under it when it is a folder.
//!
//! Reads directory entries (with `walkdir`), writes a sorted list of paths; never opens a file.
//! Folders are walked recursively, sorted by name, hidden entries (`.git`, `.draft.txt`) skipped,
//! symlinks followed, each folder entered once (so symlink loops end), and only regular files
//! ending in `.txt`, `.json`, or a feed's `.xml`, `.rss`, `.atom`, `.rdf` (any case) kept: FIFOs, sockets and devices in a folder are skipped
//! silently. A path named explicitly that is not a regular file or a folder is an error.
//! Example: `expand(Path::new("inbox"))` gives `["inbox/a.txt", "inbox/world/b.JSON"]`.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use walkdir::{DirEntry, WalkDir};

use super::read_error;
use crate::error::{Error, Result};

/// File extensions read when walking a folder, compared case-insensitively.
const ARTICLE_EXTENSIONS: &[&str] = &["txt", "json", "xml", "rss", "atom", "rdf"];

/// A path, or the article files under a folder (see the module documentation).
pub fn expand(path: &Path) -> Result<Vec<PathBuf>> {
    let meta = fs::metadata(path).map_err(|source| read_error(path, source))?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    if !meta.is_dir() {
        return Err(Error::BadArticle {
            origin: path.display().to_string(),
            message: format!("not a regular file ({})", kind(&meta.file_type())),
        });
    }
    let mut folders = HashSet::new();
    let walker = WalkDir::new(path)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            let hidden = entry.depth() > 0 && is_hidden(entry);
            // A folder reached again through a symlink is not walked twice.
            !hidden && (!entry.file_type().is_dir() || folders.insert(identity(entry.path())))
        });
    let mut files = Vec::new();
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() && is_article(entry.path()) => {
                files.push(entry.into_path());
            }
            Ok(_) => {}
            Err(err) => {
                if let Some(error) = walk_error(err) {
                    return Err(error);
                }
            }
        }
    }
    Ok(files)
}

/// The canonical path of a file, so one reached twice (named twice, or through a symlink) is read
/// once; the path itself when it cannot be resolved.
pub fn identity(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn is_hidden(entry: &DirEntry) -> bool {
    entry.file_name().to_string_lossy().starts_with('.')
}

fn is_article(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ARTICLE_EXTENSIONS.iter().any(|a| e.eq_ignore_ascii_case(a)))
}

/// The error a walk problem becomes, or `None` for one to skip: a symlink loop, or a dangling
/// symlink that would not have been read anyway (not an article or feed extension).
fn walk_error(err: walkdir::Error) -> Option<Error> {
    if err.loop_ancestor().is_some() {
        return None;
    }
    let path = err.path().map(Path::to_path_buf).unwrap_or_default();
    let is_link = path
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink());
    if is_link && !is_article(&path) {
        return None;
    }
    let source = err
        .into_io_error()
        .unwrap_or_else(|| io::Error::other("cannot walk the folder"));
    Some(read_error(&path, source))
}

/// What a path that is neither a regular file nor a folder is, for error messages.
#[cfg(unix)]
fn kind(file_type: &fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_fifo() {
        "a FIFO"
    } else if file_type.is_char_device() {
        "a character device"
    } else if file_type.is_block_device() {
        "a block device"
    } else if file_type.is_socket() {
        "a socket"
    } else {
        "not a file or a folder"
    }
}

#[cfg(not(unix))]
fn kind(_: &fs::FileType) -> &'static str {
    "not a file or a folder"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_in_any_case() {
        for name in [
            "a.txt", "a.TXT", "a.Txt", "a.json", "a.JSON", "a.jSoN", "f.xml", "f.RSS", "f.atom",
            "f.rdf",
        ] {
            assert!(is_article(Path::new(name)), "{name}");
        }
        for name in ["a.md", "a", "txt", "a.txt.bak", "a.jsonl"] {
            assert!(!is_article(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn symlink_loops_end_and_files_come_once() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("a.txt"), "A.").unwrap();
        fs::write(dir.path().join("sub/b.txt"), "B.").unwrap();
        std::os::unix::fs::symlink(".", dir.path().join("self")).unwrap();
        std::os::unix::fs::symlink("..", dir.path().join("sub/up")).unwrap();
        std::os::unix::fs::symlink("sub", dir.path().join("twin")).unwrap();
        std::os::unix::fs::symlink("missing", dir.path().join("dangling.lock")).unwrap();
        let files = expand(dir.path()).unwrap();
        let names: Vec<_> = files
            .iter()
            .map(|f| f.strip_prefix(dir.path()).unwrap().to_str().unwrap())
            .collect();
        assert_eq!(names, ["a.txt", "sub/b.txt"]);
    }

    #[test]
    fn device_named_explicitly_is_an_error() {
        let err = expand(Path::new("/dev/null")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "/dev/null: not a regular file (a character device)"
        );
        assert_eq!(err.exit_code(), 65);
    }
}
