//! Where command output goes: stdout, warnings (through the logger, on stderr), and files
//! written whole or not at all.
//!
//! Reads finished bytes; writes them. Files are staged in an exclusively created temporary file
//! with an unpredictable name in the target folder (never through a planted symlink), flushed to
//! disk, then linked into place only if no file of that name exists (so concurrent runs never
//! replace each other's output), and the folder is synced. A reader or a crash never sees half a
//! file. Example: `write_new(dir, "digest-….txt", bytes, false)` returns the path written.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use newsdigest::error::{Error, Result};

use crate::commands::Io;

/// Writes `text` to stdout; only a closed stdout is reported as a broken pipe (exit 0 in `main`).
pub fn print(io: &mut Io<'_>, text: &str) -> Result<()> {
    io.stdout
        .write_all(text.as_bytes())
        .and_then(|()| io.stdout.flush())
        .map_err(Error::Output)
}

/// Logs notes as warnings (`warning: ...` on stderr unless `-q`; see [`crate::console::log`]).
/// Best effort: a stderr that is closed or full must not stop the digest nor be mistaken for a
/// closed stdout.
pub fn warn(_io: &mut Io<'_>, notes: &[String]) {
    for note in notes {
        tracing::warn!("{note}");
    }
}

/// Serialises `value` as pretty JSON with a final newline.
pub fn to_json(value: &impl serde::Serialize) -> String {
    let mut text =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

/// How [`write_new`] treats a file that already has the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Keep it if it has the same bytes, else fail.
    Refuse,
    /// Replace it.
    Replace,
}

/// Writes `bytes` to `dir/name` whole or not at all; creates `dir` if needed. An existing file
/// with the same bytes is left as it is (a rerun is harmless).
pub fn write_new(dir: &Path, name: &str, bytes: &[u8], existing: Existing) -> Result<PathBuf> {
    fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
    let path = dir.join(name);
    let staged = stage(dir, bytes).map_err(|e| write_error(&path, e))?;
    let placed = match existing {
        Existing::Replace => staged.persist(&path).map(drop),
        Existing::Refuse => staged.persist_noclobber(&path).map(drop),
    };
    if let Err(failure) = placed {
        // The staged file is removed when `failure.file` drops.
        if failure.error.kind() == io::ErrorKind::AlreadyExists
            && fs::read(&path).is_ok_and(|old| old == bytes)
        {
            return Ok(path);
        }
        let error = if failure.error.kind() == io::ErrorKind::AlreadyExists {
            io::Error::new(
                io::ErrorKind::AlreadyExists,
                "a different file of this name exists (use --force to replace it)",
            )
        } else {
            failure.error
        };
        return Err(write_error(&path, error));
    }
    sync_folder(dir).map_err(|e| write_error(dir, e))?;
    Ok(path)
}

/// `bytes` in a new temporary file in `dir`, flushed to disk.
fn stage(dir: &Path, bytes: &[u8]) -> io::Result<tempfile::NamedTempFile> {
    let mut file = tempfile::Builder::new()
        .prefix(".newsdigest-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    Ok(file)
}

/// Makes the folder's entries durable (a renamed file survives a crash).
fn sync_folder(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Writes `files` (relative name, bytes) under `dir` all or none: every file is staged first, in a
/// temporary folder inside `dir`; only when all are written are they moved into place. With
/// `existing == Refuse`, nothing is written if any of the names exists.
pub fn write_tree(dir: &Path, files: &[(&str, &[u8])], existing: Existing) -> Result<Vec<PathBuf>> {
    if existing == Existing::Refuse
        && let Some((name, _)) = files.iter().find(|(name, _)| dir.join(name).exists())
    {
        return Err(write_error(
            &dir.join(name),
            io::Error::new(
                io::ErrorKind::AlreadyExists,
                "file exists (use --force to overwrite)",
            ),
        ));
    }
    fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
    let staging = tempfile::Builder::new()
        .prefix(".newsdigest-")
        .tempdir_in(dir)
        .map_err(|e| write_error(dir, e))?;
    for (name, bytes) in files {
        let path = staging.path().join(name);
        let written = path
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::write(&path, bytes))
            .and_then(|()| File::open(&path)?.sync_all());
        // On failure `staging` drops and removes everything written so far.
        written.map_err(|e| write_error(&dir.join(name), e))?;
    }
    let mut placed = Vec::with_capacity(files.len());
    for (name, _) in files {
        let target = dir.join(name);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| write_error(parent, e))?;
        }
        fs::rename(staging.path().join(name), &target).map_err(|e| write_error(&target, e))?;
        placed.push(target);
    }
    sync_folder(dir).map_err(|e| write_error(dir, e))?;
    Ok(placed)
}

fn write_error(path: &Path, source: io::Error) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source,
    }
}
