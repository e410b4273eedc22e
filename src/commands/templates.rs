//! `newsdigest templates list|dump DIR`: the built-in templates, as files to read and edit.
//!
//! `dump` writes every built-in template under `DIR` with its relative path (`DIR/sms/alert.txt.tera`),
//! refusing to overwrite existing files unless `--force`; the result is ready for `--templates DIR`.
//! The set is written all or none: a full disk leaves no partial set behind.

use std::path::Path;

use super::Io;
use crate::cli::TemplatesAction;
use crate::output::{self, Existing, print};
use newsdigest::assets;
use newsdigest::error::Result;

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

/// Writes every built-in template under `dir`, all or none.
fn dump(dir: &Path, force: bool, io: &mut Io<'_>) -> Result<()> {
    let templates: Vec<(&str, &[u8])> = assets::templates()
        .into_iter()
        .map(|(name, text)| (name, text.as_bytes()))
        .collect();
    let existing = if force {
        Existing::Replace
    } else {
        Existing::Refuse
    };
    let written = output::write_tree(dir, &templates, existing)?;
    let listing: String = written
        .iter()
        .map(|path| format!("{}\n", path.display()))
        .collect();
    print(io, &listing)
}
