//! PostgreSQL's password file, as libpq reads it: `$PGPASSFILE`, else `~/.pgpass`; one
//! `hostname:port:database:username:password` per line, `*` matching anything in the first four
//! fields, `\:` and `\\` escaping, `#` starting a comment; the first matching line wins. Like
//! libpq, a file that others may read is ignored.
//!
//! ```
//! # let dir = tempfile::tempdir().unwrap();
//! # let path = dir.path().join("pgpass");
//! std::fs::write(&path, "db1:*:news:editor:s3cret\n").unwrap();
//! # #[cfg(unix)] { use std::os::unix::fs::PermissionsExt;
//! # std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap(); }
//! use newsdigest::bulletin::store::pgpass;
//! assert_eq!(pgpass::lookup(&path, "db1", 5432, "news", "editor").as_deref(), Some("s3cret"));
//! ```

use std::path::{Path, PathBuf};

/// The password file: `PGPASSFILE`, else `$HOME/.pgpass`.
pub fn file(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    if let Some(path) = env("PGPASSFILE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    env("HOME").map(|home| PathBuf::from(home).join(".pgpass"))
}

/// The password `path` holds for this connection, if a line matches.
pub fn lookup(path: &Path, host: &str, port: u16, database: &str, user: &str) -> Option<String> {
    if !private(path) {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let port = port.to_string();
    let wanted = [host, port.as_str(), database, user];
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .map(fields)
        .filter(|fields| fields.len() == 5)
        .find(|fields| {
            fields[..4]
                .iter()
                .zip(wanted)
                .all(|(field, value)| field == "*" || field == value)
        })
        .map(|fields| fields[4].clone())
}

/// Whether only its owner may read `path` (libpq ignores the file otherwise).
#[cfg(unix)]
fn private(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .map(|meta| meta.permissions().mode() & 0o077 == 0)
        .unwrap_or(false)
}

#[cfg(not(unix))]
fn private(path: &Path) -> bool {
    path.is_file()
}

/// A line's fields, split at unescaped `:`.
fn fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    fields.last_mut().expect("one field").push(next);
                }
            }
            ':' => fields.push(String::new()),
            _ => fields.last_mut().expect("one field").push(c),
        }
    }
    fields
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn write(text: &str, mode: u32) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pgpass");
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        (dir, path)
    }

    #[test]
    fn the_first_matching_line_wins_with_wildcards_and_escapes() {
        let text =
            "# comment\nother:5432:news:editor:no\n*:5432:news:editor:pa\\:ss\\\\1\n*:*:*:*:any\n";
        let (_dir, path) = write(text, 0o600);
        let found = |host, port, db, user| lookup(&path, host, port, db, user);
        assert_eq!(
            found("db1", 5432, "news", "editor").as_deref(),
            Some("pa:ss\\1")
        );
        assert_eq!(found("db1", 5433, "news", "editor").as_deref(), Some("any"));
        assert_eq!(
            found("other", 5432, "news", "editor").as_deref(),
            Some("no")
        );
    }

    #[test]
    fn a_file_others_may_read_is_ignored() {
        let (_dir, path) = write("*:*:*:*:secret\n", 0o644);
        assert_eq!(lookup(&path, "db1", 5432, "news", "editor"), None);
    }
}
