//! Lead selection under a budget: which sentences of each story a digest carries.
//!
//! Knows nothing about SMS or templates: the caller passes a `fits` predicate (render, measure,
//! compare). [`select_leads`] grows every story's lead one sentence at a time, round-robin, while the
//! digest still fits. [`shorten`] cuts a sentence that does not fit even alone, at a clause or word
//! boundary, never inside a word or a grapheme; a cut inside a quotation closes it after the ellipsis
//! when that keeps more words than stopping before the quotation opens. [`lead_clause`] and [`first_words`] give
//! a story's readable minimum in a multi-story SMS: at least `min_words` words, cut at the first
//! clause (or word) boundary after them.
//!
//! Words are counted by [`word_count`]: whitespace-separated runs holding a letter or digit; in
//! scripts written without spaces (Han, Hiragana, Katakana) every two characters count as a word.
//!
//! ```
//! use newsdigest::summarize::{lead_clause, shorten};
//! let cut = shorten("Talks will resume in Geneva on Monday, officials said.", 30, "...");
//! assert_eq!(cut.as_deref(), Some("Talks will resume in Geneva..."));
//! let sentence = "Talks between the two sides will resume in Geneva on Monday, officials said.";
//! assert_eq!(
//!     lead_clause(sentence, 6, "..."),
//!     "Talks between the two sides will resume in Geneva on Monday..."
//! );
//! assert_eq!(lead_clause("Fares will not change.", 6, "..."), "Fares will not change.");
//! ```

use std::ops::ControlFlow;

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

/// A cut at a clause boundary is preferred to one at a word boundary when it keeps at least this
/// many tenths of the room: 8 measured better than 6 and 10 with `newsdigest eval` (BENCHMARKS.md).
const CLAUSE_SHARE_TENTHS: usize = 8;

/// ... and drops at most this many words that a cut at a word boundary would keep: at 3 SMS
/// segments 20% of the room is a dozen words. 2 measured best with `newsdigest eval` (no limit lost
/// 0.14 ROUGE-1 on French at 1 segment, 0 and 1 lost on Russian at 3; BENCHMARKS.md).
const CLAUSE_DROPS_AT_MOST: usize = 2;

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
/// boundary. A cut that falls inside a quotation either stops before the quotation opens or cuts
/// it and closes it after the ellipsis (`said "we cannot..."`), whichever keeps more words (a
/// sentence that is one long quotation is always cut inside it). Returns the sentence unchanged
/// when it fits, and `None` when nothing fits.
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
    let clause_cut = clause_boundary(sentence, prefix).filter(|&i| {
        i * 10 >= limit * CLAUSE_SHARE_TENTHS
            && words_up_to(
                &sentence[i..word_cut.unwrap_or(limit).max(i)],
                CLAUSE_DROPS_AT_MOST + 1,
            ) <= CLAUSE_DROPS_AT_MOST
    });
    let cut = clause_cut.or(word_cut).unwrap_or(limit);
    let kept = balance_quotes(sentence[..cut].trim_end());
    let kept = kept.trim_end_matches(|c: char| CLAUSE_ENDS.contains(&c) || c.is_whitespace());
    // A cut inside a quotation: the quotation cut and closed, when that keeps more words than
    // stopping before it opens.
    let inside = (kept.len() < cut)
        .then(|| shorten_inside_quotes(sentence, max_chars, ellipsis))
        .flatten()
        .filter(|closed| word_count(closed) > word_count(kept));
    if let Some(closed) = inside {
        return Some(closed);
    }
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
        .filter(|&(i, c)| ends_clause(sentence, i, c))
        .map(|(i, _)| i)
        .next_back()
}

/// Whether `c`, at byte `i` of `sentence`, ends a clause (ASCII marks must be followed by a space).
fn ends_clause(sentence: &str, i: usize, c: char) -> bool {
    CLAUSE_ENDS.contains(&c)
        && (!c.is_ascii()
            || sentence[i + c.len_utf8()..]
                .chars()
                .next()
                .is_some_and(char::is_whitespace))
}

/// Whether `c` belongs to a script written without spaces between words (Han, kana).
fn writes_without_spaces(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

/// Byte offsets at which the words of `text` end, in order. A word is a whitespace-separated run
/// holding a letter or digit; in scripts without spaces every two characters end a word.
fn word_ends(text: &str) -> Vec<usize> {
    let mut ends = Vec::new();
    each_word_end(text, |end| {
        ends.push(end);
        ControlFlow::Continue(())
    });
    ends
}

/// Calls `found` with each offset [`word_ends`] lists, without collecting them, until it breaks.
/// A run is known to be a word at its first letter or digit: the rest of it is not classified
/// (the Unicode letter tables are slow for most scripts but Latin).
fn each_word_end(text: &str, mut found: impl FnMut(usize) -> ControlFlow<()>) {
    let (mut in_word, mut unspaced) = (false, 0);
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if in_word && found(i).is_break() {
                return;
            }
            (in_word, unspaced) = (false, 0);
        } else if writes_without_spaces(c) {
            unspaced += 1;
            in_word = unspaced < 2;
            if unspaced == 2 {
                if found(i + c.len_utf8()).is_break() {
                    return;
                }
                unspaced = 0;
            }
        } else if !in_word {
            in_word = c.is_alphanumeric();
        }
    }
    if in_word {
        let _ = found(text.len());
    }
}

/// How many words `text` has (see the module documentation for what counts as a word).
pub fn word_count(text: &str) -> usize {
    words_up_to(text, usize::MAX)
}

/// `word_count(text).min(most)`, reading no further than the word that makes `most`: what a test
/// against a minimum needs.
pub fn words_up_to(text: &str, most: usize) -> usize {
    let mut count = 0;
    if most > 0 {
        each_word_end(text, |_| {
            count += 1;
            if count < most {
                ControlFlow::Continue(())
            } else {
                ControlFlow::Break(())
            }
        });
    }
    count
}

/// A sentence's lead clause, the readable minimum of a story without a title: `sentence` cut (with
/// `ellipsis`) at its first clause boundary after at least `min_words` words (and within twice
/// that, so a long first clause does not crowd out other stories), else at the first word boundary
/// after `min_words` words; the whole sentence when it has no more than `min_words` words or no
/// cut keeps them (never inside a quotation).
pub fn lead_clause(sentence: &str, min_words: usize, ellipsis: &str) -> String {
    cut_after_words(sentence, min_words, ellipsis, true)
}

/// `text` cut (with `ellipsis`) at the first word boundary after `min_words` words, or whole: the
/// readable minimum of a title too long to fit whole.
pub fn first_words(text: &str, min_words: usize, ellipsis: &str) -> String {
    cut_after_words(text, min_words, ellipsis, false)
}

fn cut_after_words(text: &str, min_words: usize, ellipsis: &str, clauses: bool) -> String {
    let min_words = min_words.max(1);
    let ends = word_ends(text);
    if ends.len() <= min_words {
        return text.to_string();
    }
    let enough = ends[min_words - 1];
    // A clause may end at most `2 * min_words` words in, and must leave some words after it.
    let clause_limit = ends[(2 * min_words).min(ends.len()) - 1].min(ends[ends.len() - 1]);
    let clause_cuts = text
        .char_indices()
        .filter(|&(i, c)| clauses && i >= enough && i < clause_limit && ends_clause(text, i, c))
        .map(|(i, _)| i);
    let word_cuts = ends[min_words - 1..ends.len() - 1].iter().copied();
    clause_cuts
        .chain(word_cuts)
        .find_map(|cut| kept_before(text, cut, min_words))
        .map_or_else(|| text.to_string(), |kept| format!("{kept}{ellipsis}"))
}

/// `text` before byte `cut`, without an unclosed quotation or trailing clause marks, if that still
/// holds `min_words` words.
fn kept_before(text: &str, cut: usize, min_words: usize) -> Option<&str> {
    let kept = balance_quotes(text[..cut].trim_end())
        .trim_end_matches(|c: char| CLAUSE_ENDS.contains(&c) || c.is_whitespace());
    (words_up_to(kept, min_words) >= min_words).then_some(kept)
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
    match unclosed_quotes(text).first() {
        Some(&(i, _)) => text[..i].trim_end(),
        None => text,
    }
}

/// Whether `text` may hold a quotation mark of [`OPENING_QUOTES`]: each of them is `"`, `(`, `)`
/// or starts with the byte 0xC2 (`«`, `»`), 0xE2 (`‘` to `„`) or 0xE3 (`「`, `」`). Text without any
/// of these bytes (most Bengali text, for one) is not decoded.
fn may_quote(text: &str) -> bool {
    text.bytes()
        .any(|b| matches!(b, b'"' | b'(' | b')' | 0xC2 | 0xE2 | 0xE3))
}

/// The quotations `text` opens and does not close: where each opens, and its closing mark.
fn unclosed_quotes(text: &str) -> Vec<(usize, char)> {
    let mut open: Vec<(usize, char)> = Vec::new();
    if !may_quote(text) {
        return open;
    }
    for (i, c) in text.char_indices() {
        if let Some(&(_, close)) = open.last()
            && c == close
        {
            open.pop();
            continue;
        }
        // Letters, digits and spaces, most of a text, open nothing.
        if c.is_ascii_alphanumeric() || c == ' ' {
            continue;
        }
        if let Some(&(_, close)) = OPENING_QUOTES.iter().find(|(o, _)| *o == c) {
            open.push((i, close));
        }
    }
    open
}

/// A sentence that is one long quotation (`"Calomnie, a dit le ministre..."`) has no cut outside
/// it: it is cut inside, and the quotation closed after the ellipsis (`"Calomnie, a dit…"`).
fn shorten_inside_quotes(sentence: &str, max_chars: usize, ellipsis: &str) -> Option<String> {
    // Without a quotation mark no cut is inside one.
    if !may_quote(sentence) {
        return None;
    }
    for closers in 1..=3 {
        let room = max_chars.checked_sub(closers)?;
        let (overflow, _) = sentence.char_indices().nth(room)?;
        let text_room = room.checked_sub(ellipsis.chars().count())?;
        let limit = sentence[..overflow]
            .char_indices()
            .nth(text_room)
            .map_or(overflow, |(offset, _)| offset);
        let limit = grapheme_boundary_at_or_before(sentence, limit);
        let cut = word_boundary(sentence, limit).unwrap_or(limit);
        let kept = sentence[..cut]
            .trim_end()
            .trim_end_matches(|c: char| CLAUSE_ENDS.contains(&c) || c.is_whitespace());
        let open = unclosed_quotes(kept);
        if open.is_empty()
            || open.len() > closers
            || open.first().is_some_and(|&(i, _)| i == kept.len())
        {
            continue;
        }
        let closing: String = open.iter().rev().map(|&(_, close)| close).collect();
        let words = &kept[open[0].0..];
        if words.chars().any(char::is_alphanumeric) {
            return Some(format!("{kept}{ellipsis}{closing}"));
        }
    }
    None
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
                Some("He said \"we will never...\""),
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
    fn a_sentence_opening_with_a_long_quotation_is_cut_inside_it_only_as_a_last_resort() {
        let sentence =
            "\"We cannot reopen the bridge before the end of the month\", the mayor said.";
        assert_eq!(
            shorten(sentence, 31, "...").as_deref(),
            Some("\"We cannot reopen the...\"")
        );
        // With room for the whole quotation, the cut stays after it.
        assert_eq!(
            shorten(sentence, 70, "...").as_deref(),
            Some("\"We cannot reopen the bridge before the end of the month\"...")
        );
        // A quotation after other words is cut and closed when that keeps more words...
        let later = "The mayor said \"we cannot reopen the bridge before the end of the month\".";
        assert_eq!(
            shorten(later, 30, "...").as_deref(),
            Some("The mayor said \"we cannot...\"")
        );
        // ... and gives way to them when its first word does not fit.
        let long_word = "The mayor said \"unquestionably not before the end of the month\".";
        assert_eq!(
            shorten(long_word, 24, "...").as_deref(),
            Some("The mayor said...")
        );
        // The French guillemets close too.
        assert_eq!(
            shorten(
                "Le maire a dit « nous ne rouvrirons pas le pont ce mois-ci ».",
                34,
                "…"
            )
            .as_deref(),
            Some("Le maire a dit « nous ne…»")
        );
    }

    #[test]
    fn a_clause_cut_drops_at_most_two_words() {
        let sentence =
            "Rain fell across the northern districts all night, so we all went home early.";
        // The clause ends two words before the word cut: it is preferred.
        assert_eq!(
            shorten(sentence, 60, "...").as_deref(),
            Some("Rain fell across the northern districts all night...")
        );
        // Three words: the word cut keeps them.
        assert_eq!(
            shorten(sentence, 63, "...").as_deref(),
            Some("Rain fell across the northern districts all night, so we all...")
        );
    }

    #[test]
    fn never_splits_a_grapheme() {
        // "কি" is one grapheme (consonant + vowel sign): it is kept whole or dropped whole.
        let cut = shorten("কিকিকিকিকি", 6, "…").unwrap();
        assert_eq!(cut, "কিকি…");
    }

    #[test]
    fn lead_clauses_keep_the_minimum() {
        let en = "Floodwaters rose across three districts on Wednesday, forcing families into \
                  shelters, officials said.";
        let bn = "রাজধানীসহ দেশের বিভিন্ন এলাকায় বুধবার ভোর থেকে ভারী বৃষ্টি হয়েছে, এতে ঢাকার অনেক সড়কে \
                  হাঁটুপানি জমে যানজট তৈরি হয়।";
        let zh = "铁路部门周三宣布，京沪高铁将从下月起增开夜间列车。";
        let cases: &[(&str, usize, &str, &str)] = &[
            (
                en,
                6,
                "...",
                "Floodwaters rose across three districts on Wednesday...",
            ),
            (en, 3, "...", "Floodwaters rose across..."),
            (
                en,
                4,
                "...",
                "Floodwaters rose across three districts on Wednesday...",
            ),
            (
                en,
                9,
                "...",
                "Floodwaters rose across three districts on Wednesday, forcing families into \
                 shelters...",
            ),
            (
                bn,
                6,
                "…",
                "রাজধানীসহ দেশের বিভিন্ন এলাকায় বুধবার ভোর থেকে ভারী বৃষ্টি হয়েছে…",
            ),
            (zh, 6, "…", "铁路部门周三宣布，京沪高铁…"),
            (zh, 3, "…", "铁路部门周三宣布…"),
            ("Fares will not change.", 6, "...", "Fares will not change."),
            (
                "He said \"we will never agree to this deal\" on Monday, again.",
                4,
                "...",
                "He said \"we will never agree to this deal\"...",
            ),
        ];
        for (sentence, min, ellipsis, expected) in cases {
            let cut = lead_clause(sentence, *min, ellipsis);
            assert_eq!(cut, *expected, "{sentence} / {min}");
            assert!(
                word_count(&cut) >= (*min).min(word_count(sentence)),
                "{cut}"
            );
        }
    }

    #[test]
    fn counts_words_by_script() {
        assert_eq!(word_count("Dhaka's metro rail — will run."), 5);
        assert_eq!(word_count("ভারী বৃষ্টি হয়েছে।"), 3);
        assert_eq!(word_count("京沪高铁增开夜间列车"), 5);
        assert_eq!(word_count("新列车 10 点发车"), 5);
        assert_eq!(word_count(""), 0);
        for text in [
            "Dhaka's metro rail — will run.",
            "ভারী বৃষ্টি হয়েছে।",
            "京沪高铁增开夜间列车",
            "新列车 10 点发车",
            "",
            " a ",
        ] {
            for most in 0..8 {
                assert_eq!(
                    words_up_to(text, most),
                    word_count(text).min(most),
                    "{text} {most}"
                );
            }
        }
        assert!(!may_quote("ভারী বৃষ্টি হয়েছে।") && may_quote("a «b»") && may_quote("「b」"));
        // Every mark a quotation opens or closes with passes the byte test.
        for &(open, close) in OPENING_QUOTES {
            for mark in [open, close] {
                assert!(may_quote(&format!("ক{mark}ক")), "{mark}");
            }
        }
    }

    #[test]
    fn titles_are_cut_at_words() {
        let title = "Metro rail to run until midnight from next month";
        assert_eq!(
            first_words(title, 6, "..."),
            "Metro rail to run until midnight..."
        );
        assert_eq!(first_words(title, 20, "..."), title);
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

#[cfg(test)]
mod quotation_tests {
    use super::{shorten, unclosed_quotes};
    use proptest::prelude::*;

    /// A sentence of words with quotations and parentheses opened (and perhaps closed) anywhere.
    fn sentence() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            6 => "[a-z]{1,9}",
            1 => prop::sample::select(vec!["\"", "«", "»", "“", "”", "(", ")", ",", "ঢাকা", "дождь"])
                .prop_map(String::from),
        ];
        prop::collection::vec(piece, 1..40).prop_map(|pieces| pieces.join(" "))
    }

    proptest! {
        #[test]
        fn a_cut_fits_and_leaves_no_quotation_open_that_the_sentence_closed(
            sentence in sentence(),
            max in 4usize..80,
            ellipsis in prop::sample::select(vec!["...", "…"]),
        ) {
            let Some(cut) = shorten(&sentence, max, ellipsis) else {
                return Ok(());
            };
            prop_assert!(cut.chars().count() <= max, "{cut:?} is longer than {max}");
            if cut != sentence {
                // Whatever the cut opened, it closed (quotations the sentence itself never closes
                // aside: the cut keeps them as the sentence has them).
                let unclosed_in_sentence = unclosed_quotes(&sentence).len();
                prop_assert!(
                    unclosed_quotes(&cut).len() <= unclosed_in_sentence,
                    "{sentence:?} cut to {cut:?}"
                );
            }
        }
    }

    #[test]
    fn a_sentence_that_is_one_quotation_is_cut_inside_and_closed() {
        let sentence = "\"Calomnie, a dit le ministre devant les deputes du groupe.\"";
        let cut = shorten(sentence, 24, "...").unwrap();
        assert_eq!(cut, "\"Calomnie, a dit le...\"");
        assert!(cut.chars().count() <= 24);
        assert_eq!(
            shorten("«Calomnie», a dit le ministre devant les députés.", 24, "…").unwrap(),
            "«Calomnie», a dit le…"
        );
    }
}
