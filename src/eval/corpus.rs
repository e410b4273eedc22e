//! The four summary corpora `newsdigest eval` reads, each in its own published layout, as
//! documents with their reference summaries.
//!
//! Owns [`Corpus`], [`Document`] and [`load_all`]. Reads a corpora folder (`../shared/corpora`
//! by default; see its README.md):
//!
//! - `en-bbc-news-summary/`: `article/<topic>/NNN.txt` (the first line is the title, then the
//!   body) and the extractive reference `summary/<topic>/NNN.txt`;
//! - `bn-bnlpc/`: `Dataset1/` and `Dataset2/`, each `Documents/Document_N.txt` (`Title:` and the
//!   title, `Text:` and the body) and `Summaries/Document_N_Summary_K.txt` (three human
//!   summaries); a document identical to an earlier one (whitespace aside) is left out, with its
//!   summaries;
//! - `fr-orangesum/`: `source_documents.txt` and `gold.txt`, one article and its abstract per
//!   line; only the first [`ORANGESUM_ARTICLES`] lines are read, to keep the run short;
//! - `ru-ria20/`: `ria_20.json`, one JSON object per line, `text` (HTML, made plain text by
//!   [`crate::ingest::html`]) and `title`, the reference.
//!
//! Lines are cleaned as ingest cleans article text ([`crate::ingest::clean`]). What was left out
//! is said in [`Corpus::notes`]. A missing folder or file is [`Error::InputMissing`] naming it.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::ingest::{clean, html};

/// How many OrangeSum test articles are read (of 1,500).
pub const ORANGESUM_ARTICLES: usize = 300;

/// One article and the summaries it is scored against.
#[derive(Debug, Clone)]
pub struct Document {
    /// Where it came from (`article/tech/001.txt`, `source_documents.txt:12`).
    pub id: String,
    pub title: Option<String>,
    /// Paragraphs, one per line.
    pub body: String,
    /// At least one.
    pub references: Vec<String>,
}

/// One corpus: its folder name, language and documents.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub name: &'static str,
    /// BCP 47 language of every document.
    pub language: &'static str,
    pub documents: Vec<Document>,
    /// What was read and what was left out.
    pub notes: Vec<String>,
}

/// Every corpus under `dir`, in the order the report shows them.
pub fn load_all(dir: &Path) -> Result<Vec<Corpus>> {
    if !dir.is_dir() {
        return Err(Error::InputMissing {
            path: dir.to_path_buf(),
        });
    }
    Ok(vec![
        bbc(&dir.join("en-bbc-news-summary"))?,
        bnlpc(&dir.join("bn-bnlpc"))?,
        orangesum(&dir.join("fr-orangesum"))?,
        ria(&dir.join("ru-ria20"))?,
    ])
}

/// `en-bbc-news-summary/`.
fn bbc(dir: &Path) -> Result<Corpus> {
    let mut documents = Vec::new();
    let mut empty = 0;
    for topic in sorted_entries(&dir.join("article"))? {
        let name = file_name(&topic);
        for article in sorted_entries(&topic)? {
            let file = file_name(&article);
            let lines = clean::body_lines(&read_text(&article)?);
            let Some((title, body)) = lines.split_first() else {
                empty += 1;
                continue;
            };
            let summary = read_text(&dir.join("summary").join(&name).join(&file))?;
            documents.push(Document {
                id: format!("article/{name}/{file}"),
                title: Some(title.clone()),
                body: body.join("\n"),
                references: vec![clean::body_lines(&summary).join("\n")],
            });
        }
    }
    let mut notes = vec![format!(
        "{} articles, each scored against its extractive summary",
        documents.len()
    )];
    notes.extend(left_out(empty, "empty articles"));
    Ok(Corpus {
        name: "en-bbc-news-summary",
        language: "en",
        documents,
        notes,
    })
}

/// `bn-bnlpc/`.
fn bnlpc(dir: &Path) -> Result<Corpus> {
    let mut documents = Vec::new();
    let mut seen = HashSet::new();
    let mut read = 0;
    for dataset in ["Dataset1", "Dataset2"] {
        let folder = dir.join(dataset);
        let mut files = sorted_entries(&folder.join("Documents"))?;
        // Document_2 before Document_10.
        files.sort_by_key(|path| document_number(path));
        for path in files {
            let Some(number) = document_number(&path) else {
                continue;
            };
            read += 1;
            let (title, body) = title_and_text(&read_text(&path)?);
            let identity: Vec<&str> = title
                .iter()
                .chain([&body])
                .flat_map(|t| t.split_whitespace())
                .collect();
            if !seen.insert(identity.join(" ")) {
                continue;
            }
            let mut references = Vec::new();
            for k in 1.. {
                let summary = folder
                    .join("Summaries")
                    .join(format!("Document_{number}_Summary_{k}.txt"));
                if k > 1 && !summary.exists() {
                    break;
                }
                references.push(clean::body_lines(&read_text(&summary)?).join("\n"));
            }
            documents.push(Document {
                id: format!("{dataset}/Documents/{}", file_name(&path)),
                title,
                body,
                references,
            });
        }
    }
    let counts = documents.iter().map(|d| d.references.len());
    let (fewest, most) = (counts.clone().min().unwrap_or(0), counts.max().unwrap_or(0));
    let summaries = if fewest == most {
        most.to_string()
    } else {
        format!("{fewest} to {most}")
    };
    let notes = vec![format!(
        "{read} documents, {} unique (a duplicate is left out with its summaries); {summaries} human summaries each, scores averaged over them",
        documents.len()
    )];
    Ok(Corpus {
        name: "bn-bnlpc",
        language: "bn",
        documents,
        notes,
    })
}

/// `N` in `Document_N.txt`.
fn document_number(path: &Path) -> Option<u32> {
    file_name(path)
        .strip_prefix("Document_")?
        .strip_suffix(".txt")?
        .parse()
        .ok()
}

/// The title (after `Title:`) and the body (after `Text:`) of a BNLPC document.
fn title_and_text(text: &str) -> (Option<String>, String) {
    let lines = clean::body_lines(text);
    let Some(at) = lines.iter().position(|line| line.starts_with("Text:")) else {
        return (None, lines.join("\n"));
    };
    let title: Vec<&str> = lines[..at]
        .iter()
        .map(|line| line.strip_prefix("Title:").unwrap_or(line).trim())
        .filter(|line| !line.is_empty())
        .collect();
    let mut body: Vec<&str> = Vec::new();
    let first = lines[at].trim_start_matches("Text:").trim();
    if !first.is_empty() {
        body.push(first);
    }
    body.extend(lines[at + 1..].iter().map(String::as_str));
    let title = (!title.is_empty()).then(|| title.join(" "));
    (title, body.join("\n"))
}

/// `fr-orangesum/`.
fn orangesum(dir: &Path) -> Result<Corpus> {
    let sources_path = dir.join("source_documents.txt");
    let sources = read_text(&sources_path)?;
    let gold = read_text(&dir.join("gold.txt"))?;
    let total = sources.lines().count();
    let mut documents = Vec::new();
    let mut empty = 0;
    for (number, (source, abstract_)) in sources.lines().zip(gold.lines()).enumerate() {
        if documents.len() == ORANGESUM_ARTICLES {
            break;
        }
        let body = clean::body_lines(source).join("\n");
        let reference = clean::body_lines(abstract_).join("\n");
        if body.is_empty() || reference.is_empty() {
            empty += 1;
            continue;
        }
        documents.push(Document {
            id: format!("source_documents.txt:{}", number + 1),
            title: None,
            body,
            references: vec![reference],
        });
    }
    let mut notes = vec![format!(
        "the first {} of {total} test articles (to keep the run short), each scored against its gold abstract",
        documents.len()
    )];
    notes.extend(left_out(empty, "lines with an empty article or abstract"));
    let abstracts = gold.lines().count();
    if abstracts != total {
        notes.push(format!(
            "{total} articles but {abstracts} abstracts: lines paired in order"
        ));
    }
    Ok(Corpus {
        name: "fr-orangesum",
        language: "fr",
        documents,
        notes,
    })
}

/// One line of `ria_20.json`.
#[derive(Deserialize)]
struct RiaItem {
    text: String,
    title: String,
}

/// `ru-ria20/`.
fn ria(dir: &Path) -> Result<Corpus> {
    let path = dir.join("ria_20.json");
    let mut documents = Vec::new();
    let mut empty = 0;
    for (number, line) in read_text(&path)?.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let item: RiaItem = serde_json::from_str(line).map_err(|e| Error::BadArticleLine {
            origin: path.display().to_string(),
            line: number + 1,
            message: e.to_string(),
        })?;
        let Some(title) = clean::field(&item.title) else {
            empty += 1;
            continue;
        };
        documents.push(Document {
            id: format!("ria_20.json:{}", number + 1),
            title: None,
            body: html::to_lines(&item.text).join("\n"),
            references: vec![title],
        });
    }
    let mut notes = vec![format!(
        "{} news items (HTML made plain text), each scored against its headline",
        documents.len()
    )];
    notes.extend(left_out(empty, "items without a headline"));
    Ok(Corpus {
        name: "ru-ria20",
        language: "ru",
        documents,
        notes,
    })
}

/// A note that `count` `what` were left out, when there were any.
fn left_out(count: usize, what: &str) -> Option<String> {
    (count > 0).then(|| format!("{count} {what} left out"))
}

/// The entries of folder `dir`, sorted by name, hidden ones left out.
fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = fs::read_dir(dir).map_err(|e| read_error(dir, e))?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| read_error(dir, e))?.path();
        if !file_name(&path).starts_with('.') {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

/// The whole file `path` as UTF-8 text.
fn read_text(path: &Path) -> Result<String> {
    let bytes = fs::read(path).map_err(|e| read_error(path, e))?;
    String::from_utf8(bytes).map_err(|e| Error::NotUtf8 {
        origin: path.display().to_string(),
        offset: e.utf8_error().valid_up_to(),
    })
}

/// A failed read as our error: a missing file or folder is [`Error::InputMissing`].
fn read_error(path: &Path, error: io::Error) -> Error {
    match error.kind() {
        io::ErrorKind::NotFound => Error::InputMissing {
            path: path.to_path_buf(),
        },
        _ => Error::Read {
            path: path.to_path_buf(),
            source: error,
        },
    }
}

/// The last component of `path` as text.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bnlpc_title_and_text_in_any_line_ending() {
        let (title, body) =
            title_and_text("Title: \r\nA made-up title \n\rText: \n  First line.\r\nSecond line.");
        assert_eq!(title.as_deref(), Some("A made-up title"));
        assert_eq!(body, "First line.\nSecond line.");
        let (title, body) = title_and_text("Title: Short\nText: Body here.");
        assert_eq!(
            (title.as_deref(), body.as_str()),
            (Some("Short"), "Body here.")
        );
        assert_eq!(title_and_text("Only a body.").1, "Only a body.");
    }

    #[test]
    fn document_numbers_sort_numerically() {
        assert_eq!(document_number(Path::new("x/Document_10.txt")), Some(10));
        assert_eq!(document_number(Path::new("x/notes.txt")), None);
    }

    #[test]
    fn a_missing_folder_is_named() {
        let error = load_all(Path::new("/nonexistent/corpora")).unwrap_err();
        assert_eq!(error.exit_code(), crate::error::EXIT_NO_INPUT);
        assert_eq!(
            error.to_string(),
            "/nonexistent/corpora: no such file or directory"
        );
    }
}
