//! newsdigest: turns news articles into short, localized SMS and email digests.
//!
//! Data flows one way: [`ingest`] reads files into [`article::Article`]s, [`text`] splits their bodies
//! into sentences, [`summarize`] picks the lead, [`dateline`] turns the dateline into an instant,
//! [`locale`] and [`render`] turn a digest into text through Tera templates, [`fit`] shrinks it into the
//! SMS budget measured by [`sms`], and [`email`] wraps it into a MIME message. The binary's
//! [`commands`] wire the stages together.

pub mod article;
pub mod assets;
pub mod cli;
pub mod commands;
pub mod compose;
pub mod dateline;
pub mod digest;
pub mod email;
pub mod fingerprint;
pub mod error;
pub mod fit;
pub mod ingest;
pub mod locale;
pub mod render;
pub mod screen;
pub mod sms;
pub mod summarize;
pub mod text;
pub mod view;

pub use error::{Error, Result};
