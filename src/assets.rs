//! Files compiled into the binary: the built-in `templates/`, `locales/` and `data/` folders.
//!
//! Reads nothing at run time; every other module asks here for the built-in copy of a file. User
//! overrides (`--templates DIR`) are layered on top by the modules that own those files.
//!
//! ```
//! assert!(newsdigest::assets::locale_file("bn", "dateline.toml").is_some());
//! ```

use include_dir::{Dir, include_dir};

static LOCALES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/locales");
static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");
static DATA: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/data");

/// The built-in file `locales/<lang>/<name>`, if there is one.
pub fn locale_file(lang: &str, name: &str) -> Option<&'static str> {
    LOCALES
        .get_file(format!("{lang}/{name}"))
        .and_then(|file| file.contents_utf8())
}

/// The languages that have a built-in folder under `locales/`, sorted.
pub fn locale_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = LOCALES
        .dirs()
        .filter_map(|dir| dir.path().to_str())
        .collect();
    names.sort_unstable();
    names
}

/// Every built-in file directly in `locales/<lang>/` as (file name, contents), sorted by name.
pub fn locale_files(lang: &str) -> Vec<(&'static str, &'static str)> {
    let Some(dir) = LOCALES.get_dir(lang) else {
        return Vec::new();
    };
    let mut files: Vec<(&'static str, &'static str)> = dir
        .files()
        .filter_map(|file| {
            let name = file.path().file_name()?.to_str()?;
            Some((name, file.contents_utf8()?))
        })
        .collect();
    files.sort_unstable();
    files
}

/// The built-in file `data/<name>`, if there is one.
pub fn data_file(name: &str) -> Option<&'static str> {
    DATA.get_file(name).and_then(|file| file.contents_utf8())
}

/// The built-in template `name` (a path relative to `templates/`, like `sms/alert.txt.tera`).
pub fn template(name: &str) -> Option<&'static str> {
    TEMPLATES
        .get_file(name)
        .and_then(|file| file.contents_utf8())
}

/// Every built-in template as (path relative to `templates/`, contents), sorted by path.
pub fn templates() -> Vec<(&'static str, &'static str)> {
    fn walk(dir: &'static Dir<'static>, out: &mut Vec<(&'static str, &'static str)>) {
        for file in dir.files() {
            if let (Some(path), Some(text)) = (file.path().to_str(), file.contents_utf8()) {
                out.push((path, text));
            }
        }
        for sub in dir.dirs() {
            walk(sub, out);
        }
    }
    let mut out = Vec::new();
    walk(&TEMPLATES, &mut out);
    out.sort_unstable();
    out
}
