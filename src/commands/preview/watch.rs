//! `preview --watch`: render again whenever a watched file changes, for editors working on
//! templates, locales or stories.
//!
//! Reads the size and modification time of every file under the watched paths (inputs,
//! `--templates DIR`, `--locales DIR`) twice a second; writes nothing itself: it calls the render
//! once at the start and again after each change, saying on stderr when the page was rewritten or
//! why it could not be (a template error is shown and watching goes on, so the editor can fix it).
//! Polling needs no platform watcher and sees files created inside watched folders. Runs until
//! the process is stopped.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use newsdigest::error::Result;
use walkdir::WalkDir;

use crate::commands::Io;

/// How often the watched files are looked at.
const POLL: Duration = Duration::from_millis(500);

/// Calls `render` now and after every change under `paths`, forever; `out` is named in messages.
pub fn run(
    paths: &[PathBuf],
    out: &Path,
    io: &mut Io<'_>,
    mut render: impl FnMut(&mut Io<'_>) -> Result<()>,
) -> Result<()> {
    let mut seen = snapshot(paths);
    let result = render(io);
    report(io, out, result);
    loop {
        std::thread::sleep(POLL);
        let now = snapshot(paths);
        if now != seen {
            seen = now;
            let result = render(io);
            report(io, out, result);
        }
    }
}

/// Says on stderr that `out` was written, or logs why not (an error, not the end of the run).
fn report(io: &mut Io<'_>, out: &Path, result: Result<()>) {
    match result {
        Ok(()) => {
            let line = format!("wrote {} (watching for changes)", out.display());
            // Best effort, like every note on stderr.
            let _ = writeln!(io.stderr, "{line}").and_then(|()| io.stderr.flush());
        }
        Err(error) => tracing::error!("{error} (watching for changes)"),
    }
}

/// Every file under `paths` with its size and modification time, sorted.
fn snapshot(paths: &[PathBuf]) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    let mut files: Vec<_> = paths
        .iter()
        .flat_map(|path| WalkDir::new(path).into_iter().filter_map(|e| e.ok()))
        .filter_map(|entry| {
            let meta = entry.metadata().ok()?;
            meta.is_file()
                .then(|| (entry.into_path(), meta.len(), meta.modified().ok()))
        })
        .collect();
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::snapshot;

    #[test]
    fn a_changed_or_new_file_changes_the_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "Rain.").unwrap();
        let paths = [dir.path().to_path_buf()];
        let first = snapshot(&paths);
        assert_eq!(first.len(), 1);
        assert_eq!(snapshot(&paths), first);
        std::fs::write(&file, "Heavy rain.").unwrap();
        assert_ne!(snapshot(&paths), first);
        std::fs::write(dir.path().join("b.txt"), "More.").unwrap();
        assert_eq!(snapshot(&paths).len(), 2);
    }
}
