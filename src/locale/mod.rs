//! Locales: everything language-specific about a digest's chrome, loaded from `locales/<lang>/`.
//!
//! A locale folder holds `locale.toml` (name, text direction) and Fluent `*.ftl` message files. The
//! built-in folders are compiled in; `--locales DIR` adds folders or overrides messages file by file
//! without a rebuild. Dates, times and digits come from ICU4X (CLDR data) for the locale's tag.
//!
//! ```
//! use newsdigest::locale::Locale;
//! let instant = chrono::DateTime::parse_from_rfc3339("2025-04-23T13:47:00+06:00").unwrap();
//! assert_eq!(Locale::load("bn", None)?.time(&instant), "১৩:৪৭");
//! # Ok::<(), newsdigest::Error>(())
//! ```

mod datetime;
mod messages;
mod numbers;

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::assets;
use crate::error::{Error, Result};

pub use messages::MessageArg;

/// Writing direction of a locale's script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ltr,
    Rtl,
}

/// Languages written right to left (primary subtags), for [`Direction::of_language`].
const RTL_LANGUAGES: &[&str] = &[
    "ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "syr", "ug", "ur", "yi",
];

impl Direction {
    /// The direction of a BCP 47 language tag's script: a script subtag decides (`pa-Arab` is
    /// right to left), else the language; `None` when the tag names no language (empty, `und`).
    ///
    /// ```
    /// use newsdigest::locale::Direction;
    /// assert_eq!(Direction::of_language("ur"), Some(Direction::Rtl));
    /// assert_eq!(Direction::of_language("en-GB"), Some(Direction::Ltr));
    /// assert_eq!(Direction::of_language("und"), None);
    /// ```
    pub fn of_language(tag: &str) -> Option<Direction> {
        let mut subtags = tag.split(['-', '_']);
        let language = subtags.next()?.to_ascii_lowercase();
        if language.is_empty() || matches!(language.as_str(), "und" | "zxx" | "mul") {
            return None;
        }
        for subtag in subtags {
            match subtag.to_ascii_lowercase().as_str() {
                "arab" | "hebr" | "syrc" | "thaa" | "nkoo" | "adlm" | "rohg" => {
                    return Some(Direction::Rtl);
                }
                "latn" | "cyrl" | "beng" | "deva" | "hans" | "hant" => {
                    return Some(Direction::Ltr);
                }
                _ => {}
            }
        }
        Some(if RTL_LANGUAGES.contains(&language.as_str()) {
            Direction::Rtl
        } else {
            Direction::Ltr
        })
    }

    /// `ltr` or `rtl`, as HTML's `dir` attribute takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// `locale.toml`: facts about a locale that are not messages.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct LocaleInfo {
    /// The locale's own name for itself (`English`, `বাংলা`).
    name: String,
    direction: Direction,
}

/// A loaded locale: messages, date/time and number formatting.
pub struct Locale {
    /// The tag the user asked for (`bn`, `bn-BD`).
    pub tag: String,
    /// The folder it was loaded from (`bn`).
    pub folder: String,
    pub name: String,
    pub direction: Direction,
    messages: messages::Messages,
    dates: datetime::DateFormats,
    numbers: numbers::Numbers,
}

impl std::fmt::Debug for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Locale").field("tag", &self.tag).finish()
    }
}

/// One locale file: its name, where it came from (for errors), and its text.
struct LocaleFile {
    name: String,
    origin: PathBuf,
    text: String,
    user: bool,
}

impl Locale {
    /// Loads the locale `tag` from the built-in folders and, if given, `user_dir` (which wins).
    pub fn load(tag: &str, user_dir: Option<&Path>) -> Result<Locale> {
        let icu_locale: icu_locale_core::Locale = tag.parse().map_err(|_| Error::Locale {
            locale: tag.to_string(),
            message: "not a valid BCP 47 language tag".into(),
        })?;
        let (folder, files) = find_folder(tag, user_dir)?;
        let info = read_info(tag, &files)?;
        let messages = messages::Messages::load(tag, &files)?;
        let numbers = numbers::Numbers::new(tag, &icu_locale)?;
        let dates = datetime::DateFormats::new(tag, &icu_locale)?;
        Ok(Locale {
            tag: tag.to_string(),
            folder,
            name: info.name,
            direction: info.direction,
            messages,
            dates,
            numbers,
        })
    }

    /// The message `key` with its arguments, e.g. `message("stories", &[("count", 3.into())])`.
    pub fn message(&self, key: &str, args: &[(&str, MessageArg)]) -> Result<String> {
        self.messages.format(&self.tag, key, args)
    }

    /// The CLDR plural category of `n` in this locale (`one`, `few`, `other`...).
    pub fn plural(&self, n: f64) -> &'static str {
        self.messages.plural(n)
    }

    /// Every message key the locale defines, sorted.
    pub fn message_keys(&self) -> Vec<String> {
        self.messages.keys()
    }

    /// Day and month of `time` in the locale (`23 Apr`, `২৩ এপ্রি`).
    pub fn date(&self, time: &DateTime<FixedOffset>) -> String {
        self.dates.date(time)
    }

    /// Day, month and year of `time` (`23 Apr 2025`).
    pub fn full_date(&self, time: &DateTime<FixedOffset>) -> String {
        self.dates.full_date(time)
    }

    /// Hours and minutes of `time` on a 24-hour clock in the locale's digits (`08:47`, `১৩:৪৭`).
    pub fn time(&self, time: &DateTime<FixedOffset>) -> String {
        self.dates.time(time)
    }

    /// `text` with its ASCII digits written in the locale's digits.
    pub fn digits(&self, text: &str) -> String {
        self.numbers.digits(text)
    }

    /// An integer formatted for the locale, with grouping and the locale's digits.
    pub fn number(&self, value: i64) -> String {
        self.numbers.integer(value)
    }
}

/// The locales that can be loaded (folders with a `locale.toml`): built-in ones plus those in
/// `user_dir`, sorted.
pub fn available(user_dir: Option<&Path>) -> Vec<String> {
    let mut names: Vec<String> = assets::locale_names()
        .into_iter()
        .filter(|name| assets::locale_file(name, "locale.toml").is_some())
        .map(str::to_string)
        .collect();
    if let Some(dir) = user_dir
        && let Ok(entries) = fs::read_dir(dir)
    {
        for entry in entries.flatten() {
            if entry.path().join("locale.toml").is_file()
                && let Some(name) = entry.file_name().to_str()
                && !names.iter().any(|n| n == name)
            {
                names.push(name.to_string());
            }
        }
    }
    names.sort();
    names
}

/// The folder for `tag` (`bn-BD` falls back to `bn`) and its files, built-in first.
fn find_folder(tag: &str, user_dir: Option<&Path>) -> Result<(String, Vec<LocaleFile>)> {
    let mut candidates = vec![tag.to_string()];
    if let Some((language, _)) = tag.split_once('-') {
        candidates.push(language.to_string());
    }
    for folder in candidates {
        let mut files: Vec<LocaleFile> = assets::locale_files(&folder)
            .into_iter()
            .map(|(name, text)| LocaleFile {
                name: name.to_string(),
                origin: PathBuf::from(format!("locales/{folder}/{name} (built-in)")),
                text: text.to_string(),
                user: false,
            })
            .collect();
        if let Some(dir) = user_dir {
            files.extend(read_user_folder(&dir.join(&folder))?);
        }
        if !files.is_empty() {
            return Ok((folder, files));
        }
    }
    Err(Error::Locale {
        locale: tag.to_string(),
        message: format!(
            "no such locale (available: {})",
            available(user_dir).join(", ")
        ),
    })
}

/// The `locale.toml` and `*.ftl` files of a user locale folder; none when it does not exist.
fn read_user_folder(dir: &Path) -> Result<Vec<LocaleFile>> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !(name.ends_with(".ftl") || name == "locale.toml") {
            continue;
        }
        let text = fs::read_to_string(&path).map_err(|e| Error::Config {
            path: path.clone(),
            message: format!("cannot read: {e}"),
        })?;
        files.push(LocaleFile {
            name: name.to_string(),
            origin: path,
            text,
            user: true,
        });
    }
    Ok(files)
}

/// The last `locale.toml` among `files` (a user's wins over the built-in one).
fn read_info(tag: &str, files: &[LocaleFile]) -> Result<LocaleInfo> {
    let file = files
        .iter()
        .rev()
        .find(|f| f.name == "locale.toml")
        .ok_or_else(|| Error::Locale {
            locale: tag.to_string(),
            message: "the locale folder has no locale.toml".into(),
        })?;
    toml::from_str(&file.text).map_err(|e| Error::Config {
        path: file.origin.clone(),
        message: e.message().to_string(),
    })
}
