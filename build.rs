//! Rebuilds the crate when a built-in template, locale or data file changes: they are compiled into
//! the binary with `include_dir!`, which cargo does not track on its own. Compiles the built-in
//! word lists that every run would otherwise parse from TOML at start into Rust tables in
//! `$OUT_DIR`: the dateline words of every language (`build/dateline_words.rs`, folded with the
//! dateline reader's own code, `src/dateline/lex.rs`, included here as is), the opener words
//! (`build/opener_words.rs`), the sentence rules (`build/sentence_rules.rs`), the function words
//! that guess a Latin-script language (`build/function_words.rs`) and the zone data
//! `data/zones.toml` (`build/zones.rs`).

use std::path::Path;

#[path = "build/dateline_words.rs"]
mod dateline_words;
#[path = "build/function_words.rs"]
mod function_words;
#[path = "build/opener_words.rs"]
mod opener_words;
#[path = "build/sentence_rules.rs"]
mod sentence_rules;
#[path = "build/zones.rs"]
mod zones;

// `lex` folds and tokenizes exactly as the binary does; it calls `crate::text::normalize`.
#[allow(dead_code)]
#[path = "src/dateline/lex.rs"]
mod lex;
#[allow(dead_code)]
#[path = "src/text/normalize.rs"]
mod normalize;
mod text {
    pub(crate) use super::normalize;
}

fn main() {
    for dir in ["templates", "locales", "data"] {
        println!("cargo:rerun-if-changed={dir}");
    }
    for file in ["build", "src/dateline/lex.rs", "src/text/normalize.rs"] {
        println!("cargo:rerun-if-changed={file}");
    }
    let locales = Path::new("locales");
    // The built-in languages, sorted (as `assets::locale_names` lists them).
    let mut languages: Vec<String> = std::fs::read_dir(locales)
        .expect("locales/ is readable")
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_dir())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .collect();
    languages.sort_unstable();
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out_dir);
    dateline_words::generate(locales, &languages, &out.join("dateline_words.rs"));
    opener_words::generate(locales, &languages, &out.join("opener_words.rs"));
    sentence_rules::generate(locales, &languages, &out.join("sentence_rules.rs"));
    function_words::generate(locales, &languages, &out.join("function_words.rs"));
    zones::generate(Path::new("data/zones.toml"), &out.join("zones.rs"));
}

/// Writes `text` to `path` unless it holds `text` already: an unchanged table keeps its time
/// stamp, so the crate is not compiled again for nothing.
fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return;
    }
    std::fs::write(path, text).expect("OUT_DIR is writable");
}

/// `locales/<lang>/<file>` parsed, or `None` when the language has no such file; a file that cannot
/// be read (unreadable, not UTF-8) or does not parse fails the build, naming it.
fn parse_locale_file<T: serde::de::DeserializeOwned>(
    locales: &Path,
    lang: &str,
    file: &str,
) -> Option<T> {
    let text = match std::fs::read_to_string(locales.join(lang).join(file)) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => panic!("locales/{lang}/{file}: {e}"),
    };
    Some(toml::from_str(&text).unwrap_or_else(|e| panic!("locales/{lang}/{file}: {}", e.message())))
}
