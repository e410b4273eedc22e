//! newsdigest: turns news articles into short, localized SMS and email digests.
//!
//! Data flows one way, stage by stage; each stage takes what it needs as arguments (clock, zones,
//! locale, templates) and none reads the command line, the environment or the wall clock:
//!
//! ```text
//! files, stdin ──ingest──▶ Article ──story──▶ Story ──compose──▶ SMS Measurement
//!                  │                  │           │    (view → render → fit,     │
//!                  │                  │           │     measured by sms)         ▼
//!          wire, JSON        text (sentences),    │                      text / JSON / .txt
//!                            dateline (instant)   └──────────▶ EmailContent ──email──▶ .eml
//! ```
//!
//! 1. [`ingest`] reads wire copy and JSON articles into [`article::Article`]s.
//! 2. [`story`] takes the opener dateline off each body and splits the rest into sentences
//!    ([`text`]), and reads its dateline (else the opener's date) into an instant ([`dateline`]),
//!    giving [`story::Story`]s; [`dedupe`] merges stories telling the same event.
//! 3. [`compose`] builds the template view ([`compose::view`]), renders it through Tera with the
//!    reader's [`locale`] ([`compose::render`]) and, for SMS, fits the leads chosen by
//!    [`summarize`] into the segment budget measured by [`sms`] ([`compose::fit`]).
//! 4. [`email`] wraps rendered email content into an RFC 5322 message.
//!
//! [`eval`] measures the summaries (ROUGE on four corpora, against baselines and an oracle).
//!
//! The `newsdigest` binary (`src/main.rs`, with its `cli`, `commands` and `screen` modules) parses
//! the command line into one resolved settings value and runs these stages.

pub mod article;
pub mod assets;
pub mod bulletin;
pub mod compose;
pub mod dateline;
pub mod dedupe;
pub mod email;
pub mod error;
pub mod eval;
pub mod fingerprint;
pub mod ingest;
pub mod locale;
pub mod progress;
pub mod rank;
pub mod select;
pub mod serve;
pub mod sms;
pub mod story;
pub mod summarize;
#[cfg(test)]
mod test_support;
pub mod text;

pub use error::{Error, Result};
