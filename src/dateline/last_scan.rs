//! The last dateline scanned on this thread, kept so that one line is scanned once.
//!
//! Ingest asks [`super::looks_like_dateline`] of a footer line, and the story built from the
//! article then reads the same line with [`super::explain`]: both scan it. A scan depends only on
//! the text and on the built-in words and zones (read once per process), so the second scan of the
//! same text is the first one's copy. One entry: the line read right after it was recognised.

use std::cell::RefCell;

use super::scan::{self, Scan};

thread_local! {
    static LAST: RefCell<Option<(String, Result<Scan, String>)>> = const { RefCell::new(None) };
}

/// [`scan::scan`] of `text`, from the last scan on this thread when it was of the same text.
pub(super) fn scan(text: &str) -> Result<Scan, String> {
    LAST.with_borrow_mut(|last| {
        if let Some((seen, found)) = last.as_ref()
            && seen == text
        {
            return found.clone();
        }
        let found = scan::scan(text);
        *last = Some((text.to_string(), found.clone()));
        found
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_as_a_fresh_scan() {
        for text in [
            "BDST: 1347 HRS, APR 23, 2025",
            "BDST: 1347 HRS, APR 23, 2025",
            "RK",
            "BDST: 1347 HRS, APR 23, 2025",
            "3 hours ago",
        ] {
            assert_eq!(scan(text), scan::scan(text), "{text}");
        }
    }
}
