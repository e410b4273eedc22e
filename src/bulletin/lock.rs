//! The run lock: one `newsdigest run` (or `retry`) at a time per state database.
//!
//! A [`RunLock`] holds an exclusive advisory lock (`flock` on Unix, `LockFileEx` on Windows,
//! through [`File::try_lock`]) on `<state>.lock` beside the state database. The operating system
//! releases it when the process ends, however it ends, so a killed run never leaves a stale lock.
//! A second run that finds it held stops at once with [`Error::Locked`] (exit 75: cron tries
//! again at the next tick) rather than waiting behind the first.
//!
//! ```no_run
//! # use std::path::Path;
//! # use newsdigest::bulletin::lock::RunLock;
//! let lock = RunLock::acquire(Path::new("/var/lib/newsdigest/state.db"))?;
//! // ... read and write the state database ...
//! drop(lock); // or let it go out of scope
//! # Ok::<(), newsdigest::error::Error>(())
//! ```

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// An exclusive lock on a state database, held until dropped.
#[derive(Debug)]
pub struct RunLock {
    /// Kept open: closing it releases the lock.
    _file: File,
    path: PathBuf,
}

impl RunLock {
    /// Locks `<state_path>.lock`, creating it and its folder if missing. Fails with
    /// [`Error::Locked`] when another process (or another handle in this one) holds it.
    pub fn acquire(state_path: &Path) -> Result<RunLock> {
        let path = lock_path(state_path);
        let cannot = |message: String| Error::State {
            path: path.clone(),
            message,
        };
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(folder)
                .map_err(|e| cannot(format!("cannot create {}: {e}", folder.display())))?;
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| cannot(format!("cannot open the lock file: {e}")))?;
        match file.try_lock() {
            Ok(()) => Ok(RunLock { _file: file, path }),
            Err(TryLockError::WouldBlock) => Err(Error::Locked { path }),
            Err(TryLockError::Error(e)) => Err(cannot(format!("cannot lock: {e}"))),
        }
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The lock file of the state database at `state_path`: the same name with `.lock` added.
pub fn lock_path(state_path: &Path) -> PathBuf {
    let mut name = OsString::from(state_path.as_os_str());
    name.push(".lock");
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_file_sits_beside_the_state() {
        assert_eq!(
            lock_path(Path::new("/var/lib/newsdigest/state.db")),
            Path::new("/var/lib/newsdigest/state.db.lock")
        );
    }

    #[test]
    fn a_second_handle_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("nested/folder/state.db");
        let first = RunLock::acquire(&state).unwrap();
        assert_eq!(first.path(), dir.path().join("nested/folder/state.db.lock"));
        match RunLock::acquire(&state) {
            Err(error @ Error::Locked { .. }) => {
                assert_eq!(error.exit_code(), 75);
                assert!(error.to_string().contains("state.db.lock"), "{error}");
            }
            other => panic!("expected Locked, got {other:?}"),
        }
        drop(first);
        RunLock::acquire(&state).expect("free again once dropped");
    }

    #[test]
    fn an_unusable_folder_is_a_state_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plain-file");
        std::fs::write(&file, "x").unwrap();
        let error = RunLock::acquire(&file.join("state.db")).unwrap_err();
        assert!(matches!(error, Error::State { .. }), "{error:?}");
        assert_eq!(error.exit_code(), 74);
    }
}
