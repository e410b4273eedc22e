//! `newsdigest templates list|dump DIR`: the built-in templates, as files to read and edit.
//!
//! `dump` writes every built-in template under `DIR` with its relative path (`DIR/sms/alert.txt.tera`),
//! refusing to overwrite existing files unless `--force`; the result is ready for `--templates DIR`.

use std::path::Path;

use super::{Io, print, write_atomically};
use crate::cli::TemplatesAction;
use newsdigest::assets;
use newsdigest::error::{Error, Result};

pub fn run(action: TemplatesAction, io: &mut Io<'_>) -> Result<()> {
    match action {
        TemplatesAction::List => {
            let names: Vec<&str> = assets::templates()
                .into_iter()
                .map(|(name, _)| name)
                .collect();
            print(io, &format!("{}\n", names.join("\n")))
        }
        TemplatesAction::Dump { dir, force } => dump(&dir, force, io),
    }
}

fn dump(dir: &Path, force: bool, io: &mut Io<'_>) -> Result<()> {
    let templates = assets::templates();
    if !force && let Some((name, _)) = templates.iter().find(|(name, _)| dir.join(name).exists()) {
        return Err(Error::Write {
            path: dir.join(name),
            source: std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "file exists (use --force to overwrite)",
            ),
        });
    }
    let mut written = String::new();
    for (name, text) in templates {
        let path = dir.join(name);
        let parent = path.parent().unwrap_or(dir);
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or(name);
        let path = write_atomically(parent, file_name, text.as_bytes())?;
        written.push_str(&format!("{}\n", path.display()));
    }
    print(io, &written)
}
