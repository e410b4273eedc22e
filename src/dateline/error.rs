//! The error of a dateline that cannot be read: the text (shortened for display) and the reason.
//!
//! Owns [`DatelineError`]. Reads the text and a reason from the other dateline modules; writes
//! nothing. Every reason is one line naming what is wrong in the text. Example:
//!
//! ```
//! use newsdigest::dateline::{parse, Context};
//! let context = Context { country: None, home: None, now: "2025-04-23T12:00:00Z".parse().unwrap() };
//! let error = parse("FEB 30, 2025", &context).unwrap_err();
//! assert_eq!(error.to_string(), "cannot read dateline \"FEB 30, 2025\": February 30, 2025 does not exist");
//! ```

/// A dateline that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read dateline \"{input}\": {reason}")]
pub struct DatelineError {
    /// The text, shortened to at most 60 characters for display.
    pub input: String,
    pub reason: String,
}

impl DatelineError {
    pub fn new(input: &str, reason: impl Into<String>) -> Self {
        let input = crate::text::normalize::clean_line(input);
        let mut shown: String = input.chars().take(60).collect();
        if shown.len() < input.len() {
            shown.push_str("...");
        }
        DatelineError {
            input: shown,
            reason: reason.into(),
        }
    }
}
