//! The SMS budget the baselines are held to: a summary's text cut to what fits in `max_segments`
//! segments, measured by [`crate::sms::measure`] as newsdigest's own messages are.
//!
//! Owns [`Budget`]. [`Budget::cut`] keeps the longest prefix that ends at a word boundary (before
//! a whitespace) and fits; it adds no ellipsis (an ellipsis carries no word ROUGE could count).
//! [`Budget::extract`] is how score-ordered baselines become text: sentences are taken in score
//! order until the next one would not fit, then that one too, shown in article order, and cut.
//!
//! ```
//! use newsdigest::eval::cut::Budget;
//! let budget = Budget { max_segments: 1, options: Default::default() };
//! let text = "word ".repeat(40); // 200 characters: more than one 160-septet segment
//! let cut = budget.cut(&text);
//! assert_eq!(cut.len(), 159); // 32 words and the 31 spaces between them
//! assert!(budget.fits(&cut) && !budget.fits(&text));
//! ```

use crate::sms;
use crate::story::Story;

/// At most `max_segments` SMS segments, measured with `options`.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub max_segments: usize,
    pub options: sms::Options,
}

impl Budget {
    /// Whether `text` fits the budget.
    pub fn fits(&self, text: &str) -> bool {
        sms::measure(text, &self.options).segments() <= self.max_segments
    }

    /// The longest prefix of `text` (trimmed) that ends before a whitespace, or at the end, and
    /// fits; empty when not even the first word fits.
    pub fn cut(&self, text: &str) -> String {
        let text = text.trim();
        if self.fits(text) {
            return text.to_string();
        }
        // Every word end, in order; the prefixes they end grow, and so does their measure.
        let ends: Vec<usize> = text
            .char_indices()
            .zip(text.chars().skip(1))
            .filter(|((_, c), next)| !c.is_whitespace() && next.is_whitespace())
            .map(|((at, c), _)| at + c.len_utf8())
            .collect();
        // The first word end whose prefix does not fit (binary search), then the one before it.
        let too_long = ends.partition_point(|&end| self.fits(&text[..end]));
        match too_long.checked_sub(1) {
            Some(last) => text[..ends[last]].to_string(),
            None => String::new(),
        }
    }

    /// `order`'s sentences of `story`, taken in that order until the text (in article order)
    /// no longer fits, that last sentence included, then cut (see the module documentation).
    pub fn extract(&self, story: &Story, order: &[usize]) -> String {
        let mut taken = Vec::new();
        for &index in order {
            taken.push(index);
            if !self.fits(&story.join(&taken)) {
                break;
            }
        }
        self.cut(&story.join(&taken))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;

    fn one_segment() -> Budget {
        Budget {
            max_segments: 1,
            options: sms::Options::default(),
        }
    }

    fn story(sentences: &[&str]) -> Story {
        let article = Article {
            language: "en".into(),
            ..Article::default()
        };
        Story {
            article,
            sentences: sentences.iter().map(|s| s.to_string()).collect(),
            order: Vec::new(),
            opener: None,
            published: None,
            notes: Vec::new(),
            also_from: Vec::new(),
        }
    }

    #[test]
    fn cuts_at_the_last_word_that_fits() {
        let budget = one_segment();
        assert_eq!(budget.cut("  short text  "), "short text");
        // 150 characters, then a 20-character word: the word does not fit and goes.
        let text = format!("{} {}", "a".repeat(150), "b".repeat(20));
        assert_eq!(budget.cut(&text), "a".repeat(150));
        // A single word longer than a segment leaves nothing.
        assert_eq!(budget.cut(&"c".repeat(200)), "");
    }

    #[test]
    fn ucs2_text_has_less_room() {
        // Cyrillic is UCS-2: 70 units in one segment. "ток " is 4 units: 17 words are 67 units.
        let text = "ток ".repeat(30);
        let cut = one_segment().cut(&text);
        assert_eq!(cut.chars().count(), 67);
    }

    #[test]
    fn extract_takes_score_order_and_shows_article_order() {
        let long = "x".repeat(150);
        let sentences = ["First one.", long.as_str(), "Third one."];
        let budget = one_segment();
        // The third, then the first: both fit; the second does not, and is cut away entirely
        // (its one word is longer than what is left).
        let text = budget.extract(&story(&sentences), &[2, 0, 1]);
        assert_eq!(text, "First one.");
        let text = budget.extract(&story(&sentences), &[2, 0]);
        assert_eq!(text, "First one. Third one.");
    }
}
