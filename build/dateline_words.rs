//! Compiles `locales/<lang>/dateline.toml` of every built-in language into Rust tables, at build
//! time: the words folded and split into tokens by the very code the dateline reader uses
//! (`src/dateline/lex.rs`), merged, sorted and checked, so that start-up parses no TOML and folds
//! no word. Owns the schema of `dateline.toml`; writes `$OUT_DIR/dateline_words.rs`, which
//! `src/dateline/words.rs` includes. Bad data fails the build with the file's name.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

use crate::lex::{fold, token_texts};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WordsFile {
    months: Vec<Vec<String>>,
    weekdays: Vec<Vec<String>>,
    am: Vec<String>,
    pm: Vec<String>,
    #[serde(default)]
    night: Vec<String>,
    hours: Vec<String>,
    #[serde(default)]
    oclock: Vec<String>,
    ordinals: Vec<String>,
    fillers: Vec<String>,
    #[serde(default)]
    zone_words: Vec<String>,
    #[serde(default)]
    era: Vec<String>,
    #[serde(default)]
    labels: Vec<String>,
    #[serde(default)]
    relative: RelativeFile,
}

/// `[relative]`: how the language writes a time relative to now (`3 hours ago`, `yesterday`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RelativeFile {
    #[serde(default)]
    ago_after: Vec<String>,
    #[serde(default)]
    ago_before: Vec<String>,
    #[serde(default)]
    one: Vec<String>,
    #[serde(default)]
    seconds: Vec<String>,
    #[serde(default)]
    minutes: Vec<String>,
    #[serde(default)]
    hours: Vec<String>,
    #[serde(default)]
    days: Vec<String>,
    #[serde(default)]
    weeks: Vec<String>,
    #[serde(default)]
    months: Vec<String>,
    #[serde(default)]
    years: Vec<String>,
    #[serde(default)]
    now: Vec<String>,
    #[serde(default)]
    today: Vec<String>,
    #[serde(default)]
    yesterday: Vec<String>,
    #[serde(default)]
    day_before_yesterday: Vec<String>,
    /// Words that carry their own count (Arabic duals): `"ساعتين" = "2 hours"`.
    #[serde(default)]
    counted: BTreeMap<String, String>,
}

/// A phrase of folded tokens and its meaning, written as a Rust expression
/// (`Phrase::Month(4)`, `RelativeWord::Unit(Unit::Hour)`).
type Entry = (Vec<String>, String);

/// Every language's words, merged, as the runtime tables hold them.
#[derive(Default)]
struct Tables {
    /// One-token names: folded word to meaning; a later language's entry wins, as it did in the
    /// `HashMap` these replace.
    months: BTreeMap<String, u32>,
    weekdays: BTreeMap<String, u32>,
    meridiems: BTreeMap<String, &'static str>,
    lists: BTreeMap<&'static str, Vec<String>>,
    phrases: Vec<Entry>,
    relative: Vec<Entry>,
    relative_by_language: Vec<Vec<Entry>>,
}

/// Reads `locales/<lang>/dateline.toml` of each of `languages` (sorted) and writes the tables to
/// `out`.
pub fn generate(locales: &Path, languages: &[String], out: &Path) {
    let mut tables = Tables::default();
    for lang in languages {
        let Some(file) = crate::parse_locale_file::<WordsFile>(locales, lang, "dateline.toml")
        else {
            continue;
        };
        tables
            .add_file(file)
            .unwrap_or_else(|e| panic!("locales/{lang}/dateline.toml: {e}"));
    }
    // Longest phrases first, so `a.m.` wins over `a` (a stable sort: ties keep file order).
    let longest_first = |entries: &mut Vec<Entry>| {
        entries.sort_by_key(|(tokens, _)| std::cmp::Reverse(tokens.len()));
    };
    longest_first(&mut tables.phrases);
    longest_first(&mut tables.relative);
    tables
        .relative_by_language
        .iter_mut()
        .for_each(longest_first);
    crate::write_if_changed(out, &tables.to_rust());
}

impl Tables {
    fn add_file(&mut self, file: WordsFile) -> Result<(), String> {
        if !file.months.is_empty() && file.months.len() != 12 {
            return Err("months must list 12 months".into());
        }
        if !file.weekdays.is_empty() && file.weekdays.len() != 7 {
            return Err("weekdays must list 7 days".into());
        }
        for (month, names) in (1u32..).zip(&file.months) {
            for name in names {
                self.add(name, Named::Month(month));
            }
        }
        for (weekday, names) in (0u32..).zip(&file.weekdays) {
            for name in names {
                self.add(name, Named::Weekday(weekday));
            }
        }
        for (names, meridiem) in [
            (&file.am, "Meridiem::Am"),
            (&file.pm, "Meridiem::Pm"),
            (&file.night, "Meridiem::Night"),
        ] {
            for name in names {
                self.add(name, Named::Meridiem(meridiem));
            }
        }
        for (list, names) in [
            ("HOURS", &file.hours),
            ("OCLOCK", &file.oclock),
            ("ORDINALS", &file.ordinals),
            ("FILLERS", &file.fillers),
            ("ZONE_WORDS", &file.zone_words),
            ("ERA", &file.era),
            ("LABELS", &file.labels),
        ] {
            let folded = names.iter().map(|name| fold(name));
            self.lists.entry(list).or_default().extend(folded);
        }
        self.add_relative(file.relative)
    }

    fn add(&mut self, name: &str, meaning: Named) {
        let folded = fold(name);
        let tokens = token_texts(&folded);
        if tokens.len() > 1 {
            self.phrases.push((tokens, meaning.phrase()));
            return;
        }
        match meaning {
            Named::Month(m) => self.months.insert(folded, m).map(drop),
            Named::Weekday(d) => self.weekdays.insert(folded, d).map(drop),
            Named::Meridiem(x) => self.meridiems.insert(folded, x).map(drop),
        };
    }

    fn add_relative(&mut self, file: RelativeFile) -> Result<(), String> {
        let mut language = Vec::new();
        let lists = [
            (file.ago_after, "RelativeWord::AgoAfter"),
            (file.ago_before, "RelativeWord::AgoBefore"),
            (file.one, "RelativeWord::One"),
            (file.seconds, "RelativeWord::Unit(Unit::Second)"),
            (file.minutes, "RelativeWord::Unit(Unit::Minute)"),
            (file.hours, "RelativeWord::Unit(Unit::Hour)"),
            (file.days, "RelativeWord::Unit(Unit::Day)"),
            (file.weeks, "RelativeWord::Unit(Unit::Week)"),
            (file.months, "RelativeWord::Unit(Unit::Month)"),
            (file.years, "RelativeWord::Unit(Unit::Year)"),
            (file.now, "RelativeWord::Now"),
            (file.today, "RelativeWord::DaysBack(0)"),
            (file.yesterday, "RelativeWord::DaysBack(1)"),
            (file.day_before_yesterday, "RelativeWord::DaysBack(2)"),
        ];
        for (names, meaning) in lists {
            for name in names {
                language.push((token_texts(&fold(&name)), meaning.to_string()));
            }
        }
        for (name, amount) in file.counted {
            let meaning = amount
                .split_once(' ')
                .and_then(|(count, unit)| Some((count.parse::<u64>().ok()?, unit_name(unit)?)))
                .map(|(count, unit)| format!("RelativeWord::Counted({count}, Unit::{unit})"))
                .ok_or_else(|| {
                    format!(
                        "relative.counted: {amount:?} is not a count and a unit like \"2 hours\""
                    )
                })?;
            language.push((token_texts(&fold(&name)), meaning));
        }
        self.relative.extend(language.iter().cloned());
        self.relative_by_language.push(language);
        Ok(())
    }

    fn to_rust(&self) -> String {
        let mut out =
            String::from("// Generated by build/dateline_words.rs from locales/*/dateline.toml.\n");
        let map = |out: &mut String, name: &str, ty: &str, entries: Vec<(&String, String)>| {
            let _ = writeln!(out, "pub(super) static {name}: &[(&str, {ty})] = &[");
            for (word, meaning) in entries {
                let _ = writeln!(out, "    ({word:?}, {meaning}),");
            }
            out.push_str("];\n");
        };
        fn numbers(m: &BTreeMap<String, u32>) -> Vec<(&String, String)> {
            m.iter().map(|(w, n)| (w, n.to_string())).collect()
        }
        map(&mut out, "MONTHS", "u32", numbers(&self.months));
        map(&mut out, "WEEKDAYS", "u32", numbers(&self.weekdays));
        let meridiems = self
            .meridiems
            .iter()
            .map(|(w, m)| (w, m.to_string()))
            .collect();
        map(&mut out, "MERIDIEMS", "Meridiem", meridiems);
        for (name, words) in &self.lists {
            let _ = writeln!(out, "pub(super) static {name}: &[&str] = &{words:?};");
        }
        let entries = |out: &mut String, entries: &[Entry]| {
            out.push_str("&[\n");
            for (tokens, meaning) in entries {
                let _ = writeln!(out, "    (&{tokens:?}, {meaning}),");
            }
            out.push(']');
        };
        out.push_str("pub(super) static PHRASES: &[(&[&str], Phrase)] = ");
        entries(&mut out, &self.phrases);
        out.push_str(";\npub(super) static RELATIVE: &[(&[&str], RelativeWord)] = ");
        entries(&mut out, &self.relative);
        out.push_str(
            ";\npub(super) static RELATIVE_BY_LANGUAGE: &[&[(&[&str], RelativeWord)]] = &[\n",
        );
        for language in &self.relative_by_language {
            entries(&mut out, language);
            out.push_str(",\n");
        }
        out.push_str("];\n");
        // The first token of every relative-time phrase and the languages (bit `i` for the
        // `i`th of RELATIVE_BY_LANGUAGE, past the 64th the last bit) whose phrases start with it.
        let mut first_tokens: BTreeMap<&str, u64> = BTreeMap::new();
        for (index, language) in self.relative_by_language.iter().enumerate() {
            for (tokens, _) in language {
                if let Some(first) = tokens.first() {
                    *first_tokens.entry(first.as_str()).or_default() |= 1 << index.min(63);
                }
            }
        }
        out.push_str("pub(super) static FIRST_TOKENS: &[(&str, u64)] = &[\n");
        for (token, languages) in first_tokens {
            let _ = writeln!(out, "    ({token:?}, {languages:#x}),");
        }
        out.push_str("];\n");
        out
    }
}

/// A one-token name's meaning, before it is known whether the name is one token.
enum Named {
    Month(u32),
    Weekday(u32),
    Meridiem(&'static str),
}

impl Named {
    fn phrase(&self) -> String {
        match self {
            Named::Month(m) => format!("Phrase::Month({m})"),
            Named::Weekday(d) => format!("Phrase::Weekday({d})"),
            Named::Meridiem(x) => format!("Phrase::Meridiem({x})"),
        }
    }
}

/// The `Unit` variant named by `text` (`hours` or `hour`).
fn unit_name(text: &str) -> Option<&'static str> {
    Some(match text.trim_end_matches('s') {
        "second" => "Second",
        "minute" => "Minute",
        "hour" => "Hour",
        "day" => "Day",
        "week" => "Week",
        "month" => "Month",
        "year" => "Year",
        _ => return None,
    })
}
