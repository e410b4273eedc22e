//! Lead selection under a budget: which sentences of each story a digest carries.
//!
//! Knows nothing about SMS or templates: the caller passes a `fits` predicate (render, measure,
//! compare). [`select_leads`] grows every story's lead one sentence at a time, round-robin, while the
//! digest still fits. [`shorten`] cuts a sentence that does not fit even alone, at a clause or word
//! boundary, never inside a word, a grapheme or a quotation.
//!
//! ```
//! use newsdigest::summarize::shorten;
//! let cut = shorten("Talks will resume in Geneva on Monday, officials said.", 30, "...");
//! assert_eq!(cut.as_deref(), Some("Talks will resume in Geneva..."));
//! ```

use unicode_segmentation::GraphemeCursor;

use crate::error::Result;

/// How many lead sentences each story gets: the most, round-robin, that `fits` accepts.
///
/// `available[i]` is how many sentences story `i` has; no story gets more than `max_per_story`.
/// Returns `None` when even one sentence per story does not fit.
pub fn select_leads(
    available: &[usize],
    max_per_story: usize,
    mut fits: impl FnMut(&[usize]) -> Result<bool>,
) -> Result<Option<Vec<usize>>> {
    let mut counts: Vec<usize> = available.iter().map(|&n| n.min(1)).collect();
    if !fits(&counts)? {
        return Ok(None);
    }
    let mut growing: Vec<bool> = available.iter().map(|&n| n > 1).collect();
    while growing.iter().any(|&g| g) {
        for story in 0..counts.len() {
            if !growing[story] {
                continue;
            }
            counts[story] += 1;
            if counts[story] > max_per_story.max(1)
                || counts[story] > available[story]
                || !fits(&counts)?
            {
                counts[story] -= 1;
                growing[story] = false;
            }
        }
    }
    Ok(Some(counts))
}

/// Punctuation after which a sentence may be cut as a clause.
const CLAUSE_ENDS: &[char] = &[',', ';', ':', '،', '؛', '，', '；', '：', '—', '–'];

/// Opening quotation marks: a cut never leaves one without its closing mark.
const OPENING_QUOTES: &[(char, char)] = &[
    ('"', '"'),
    ('“', '”'),
    ('‘', '’'),
    ('«', '»'),
    ('„', '“'),
    ('「', '」'),
    ('(', ')'),
];

/// `sentence` cut to at most `max_chars` characters including `ellipsis`, at a clause boundary if
/// one keeps most of the text, else at a word boundary, else (scripts without spaces) at a grapheme
/// boundary. Returns the sentence unchanged when it fits, and `None` when nothing fits.
pub fn shorten(sentence: &str, max_chars: usize, ellipsis: &str) -> Option<String> {
    // Byte offset just past the first `max_chars + 1` characters, if the sentence has that many.
    let Some((overflow, _)) = sentence.char_indices().nth(max_chars) else {
        return Some(sentence.to_string());
    };
    let room = max_chars.checked_sub(ellipsis.chars().count())?;
    let mut limit = sentence[..overflow]
        .char_indices()
        .nth(room)
        .map_or(overflow, |(offset, _)| offset);
    limit = grapheme_boundary_at_or_before(sentence, limit);
    let prefix = &sentence[..limit];
    let word_cut = word_boundary(sentence, limit);
    let clause_cut = clause_boundary(sentence, prefix).filter(|&i| i * 10 >= limit * 6);
    let cut = clause_cut.or(word_cut).unwrap_or(limit);
    let kept = balance_quotes(sentence[..cut].trim_end());
    let kept = kept.trim_end_matches(|c: char| CLAUSE_ENDS.contains(&c) || c.is_whitespace());
    if kept.is_empty() {
        return None;
    }
    Some(format!("{kept}{ellipsis}"))
}

/// The closest grapheme cluster boundary at or before byte `offset` of `text`.
fn grapheme_boundary_at_or_before(text: &str, offset: usize) -> usize {
    let mut cursor = GraphemeCursor::new(offset, text.len(), true);
    match cursor.is_boundary(text, 0) {
        Ok(true) => offset,
        _ => cursor.prev_boundary(text, 0).ok().flatten().unwrap_or(0),
    }
}

/// The last clause boundary in `prefix` of `sentence`: clause punctuation that ends a clause, so
/// not the comma of `40,000` or the colon of `13:47` (ASCII marks must be followed by a space).
fn clause_boundary(sentence: &str, prefix: &str) -> Option<usize> {
    prefix
        .char_indices()
        .filter(|&(i, c)| {
            CLAUSE_ENDS.contains(&c)
                && (!c.is_ascii()
                    || sentence[i + c.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_whitespace))
        })
        .map(|(i, _)| i)
        .next_back()
}

/// The last word boundary at or before byte `limit`, if the text has spaces to cut at.
fn word_boundary(sentence: &str, limit: usize) -> Option<usize> {
    if sentence[limit..]
        .chars()
        .next()
        .is_none_or(char::is_whitespace)
    {
        return Some(limit);
    }
    sentence[..limit]
        .rfind(char::is_whitespace)
        .filter(|&i| i > 0)
}

/// `text` cut before its last unclosed opening quotation mark, if it has one.
fn balance_quotes(text: &str) -> &str {
    let mut open: Vec<(usize, char)> = Vec::new();
    for (i, c) in text.char_indices() {
        if let Some(&(_, close)) = open.last()
            && c == close
        {
            open.pop();
            continue;
        }
        if let Some(&(_, close)) = OPENING_QUOTES.iter().find(|(o, _)| *o == c) {
            open.push((i, close));
        }
    }
    match open.first() {
        Some(&(i, _)) => text[..i].trim_end(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_at_boundaries() {
        let cases: &[(&str, usize, &str, Option<&str>)] = &[
            ("Short.", 10, "...", Some("Short.")),
            (
                "Families fled as more than 40,000 homes flooded overnight.",
                44,
                "...",
                Some("Families fled as more than 40,000 homes..."),
            ),
            (
                "Talks will resume in Geneva on Monday, officials said.",
                30,
                "...",
                Some("Talks will resume in Geneva..."),
            ),
            (
                "Talks will resume in Geneva on Monday, officials said.",
                45,
                "...",
                Some("Talks will resume in Geneva on Monday..."),
            ),
            (
                "He said \"we will never agree to this deal\" on Monday.",
                30,
                "...",
                Some("He said..."),
            ),
            (
                "外交官将于周三在伦敦会面并讨论停火。",
                10,
                "…",
                Some("外交官将于周三在伦…"),
            ),
            ("Supercalifragilistic", 5, "...", Some("Su...")),
            ("Anything", 2, "...", None),
        ];
        for (sentence, max, ellipsis, expected) in cases {
            assert_eq!(
                shorten(sentence, *max, ellipsis).as_deref(),
                *expected,
                "{sentence} / {max}"
            );
        }
    }

    #[test]
    fn never_splits_a_grapheme() {
        // "কি" is one grapheme (consonant + vowel sign): it is kept whole or dropped whole.
        let cut = shorten("কিকিকিকিকি", 6, "…").unwrap();
        assert_eq!(cut, "কিকি…");
    }

    #[test]
    fn selects_round_robin() {
        // Budget of 5 sentences in total across stories with 4, 1 and 3 sentences.
        let counts = select_leads(&[4, 1, 3], 10, |c| Ok(c.iter().sum::<usize>() <= 5))
            .unwrap()
            .unwrap();
        assert_eq!(counts, vec![2, 1, 2]);
        let capped = select_leads(&[4, 4], 2, |_| Ok(true)).unwrap().unwrap();
        assert_eq!(capped, vec![2, 2]);
        assert_eq!(select_leads(&[2], 3, |_| Ok(false)).unwrap(), None);
    }
}
