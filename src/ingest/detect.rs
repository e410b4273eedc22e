//! The language of an article whose input does not name one.
//!
//! Owns one rule: whatlang's answer ([`language::detect`]) is taken when its confidence is at least
//! [`MIN_CONFIDENCE`]; below that (short texts: whatlang calls "Rain in Dhaka today." Spanish at
//! 0.03) the guess ([`language::guess`]: the script, and in Latin script the function words) is
//! used, with confidence 0.0. Reads title and body, writes a tag and a confidence. Example:
//!
//! ```
//! use newsdigest::ingest::detect::language_of;
//! assert_eq!(language_of(None, "Rain in Dhaka today."), ("en".to_string(), 0.0));
//! assert_eq!(language_of(None, "La Seine est en crue."), ("fr".to_string(), 0.0));
//! let (tag, confidence) = language_of(Some("Talks"), "Diplomats will meet in London on Wednesday to discuss the ceasefire.");
//! assert_eq!((tag.as_str(), confidence), ("en", 1.0));
//! ```

use std::borrow::Cow;

use crate::text::language;

/// The least whatlang confidence trusted over the script guess.
pub const MIN_CONFIDENCE: f64 = 0.5;

/// The language of a title and body, and how sure the answer is (see the module documentation).
pub fn language_of(title: Option<&str>, body: &str) -> (String, f64) {
    // The detector reads only the start of a text; a 60 MB body is not copied for it.
    let text = match title {
        Some(title) => Cow::Owned(format!("{title}\n{}", language::first_chars(body, 4000))),
        None => Cow::Borrowed(body),
    };
    let detected = language::detect(&text);
    if detected.confidence >= MIN_CONFIDENCE {
        (detected.tag, detected.confidence)
    } else {
        (language::guess(&text).to_string(), 0.0)
    }
}
