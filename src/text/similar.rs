//! Near-duplicate fingerprints: a MinHash of a text's words plus its figures, and LSH grouping.
//!
//! Owns how two texts are judged to tell the same event. Reads plain text (the caller picks it:
//! [`crate::dedupe`] uses a story's title and first two sentences); writes [`Signature`]s, their
//! [`similarity`], and [`groups`] of similar signatures.
//!
//! 1. [`normalize`]: lower-case; punctuation and symbols dropped (`1,204` and `1204` are one
//!    number); whitespace collapsed; decimal digits of every script folded to ASCII (`৮৫` = `85`);
//!    letters, combining marks and ZWNJ/ZWJ of every script kept.
//! 2. Words: each word's first 5 characters (a light stem: `killed`/`killer`, `ঢাকায়`/`ঢাকার`) for
//!    scripts written with spaces; character bigrams for Han and kana and trigrams for Thai, Lao,
//!    Khmer and Myanmar, which are written without spaces. MinHash: each is hashed once with XXH3
//!    ([`crate::fingerprint`]), then remixed with [`HASHES`] fixed seeds (a bijective 64-bit
//!    finaliser per seed); the signature keeps the minimum per seed, and the share of equal
//!    minimums estimates the Jaccard similarity of the two word sets ([`word_similarity`],
//!    standard error about 0.04 at 0.3).
//! 3. Figures: the set of digit runs (`12`, `200000`, `1204`), compared exactly (Jaccard).
//! 4. [`similarity`] is the lower of the two: the same event needs shared words *and* agreeing
//!    figures. Two texts without any figure need twice the threshold in words.
//! 5. LSH: [`groups`] buckets each signature under [`BANDS`] bands of [`ROWS`] minimums and under
//!    each of its figures, and compares only signatures sharing a bucket (at most 32 per bucket,
//!    newest first), so grouping N stories costs O(N), not N² comparisons. Recall: a pair at the
//!    threshold either shares a figure (a figure similarity above 0 needs one), hence a bucket, or
//!    has no figures and a word similarity of at least 0.6, which shares a band with probability
//!    1 − (1 − 0.6³)⁴⁸ > 0.99999. Only the 32-leader scan limit of a figure as common as `24` can
//!    hide an earlier match, and then only when no band or rarer figure finds it.
//!
//! **Threshold** ([`THRESHOLD`] = 0.30), chosen on `tests/data/dedupe/pairs.json` (our own text):
//! 28 pairs of leads (title + first two sentences), 14 of the same event written by two outlets
//! (9 English, 5 Bengali; wire-style rewrites sharing names and numbers) and 14 of different events
//! on the same topic written from one template (two floods, two matches, two fires in one city, two
//! dengue bulletins, two rate decisions...; 9 English, 5 Bengali). [`similarity`]: same event
//! 0.333 to 0.701 (lowest: `en-fire-ashulia`, figures 7/14 spelt out in one lead), different events
//! 0.000 to 0.250 (11 of 14 at 0.000; highest: `en-dengue-different-days`). The threshold sits in
//! the gap nearer the positives than the midpoint (0.29), since merging two different events loses
//! a story while a missed duplicate only repeats one. Words alone do not separate these pairs:
//! word-pair shingles (k = 2) gave same event from 0.047 and different events up to 0.344; single
//! words 0.29 and 0.52; hence stems plus figures. `tests/dedupe.rs` asserts every pair (score and
//! LSH grouping) and prints the distribution. On the shared corpora (`benches/dedupe.rs`): 100 BBC
//! leads, 1 merge (two identical files); 200 Bengali leads, 7 merges: 6 repeated documents and 1
//! false (stock-market reports of two consecutive days sharing index figures, at 0.33). Daily
//! bulletins of one template remain the known weak spot.
//!
//! ```
//! use newsdigest::text::similar::{groups, signature, similarity, THRESHOLD};
//! let a = signature("Flash floods kill 12 in Sylhet; 200,000 people stranded on Tuesday.");
//! let b = signature("12 killed as flash floods hit Sylhet on Tuesday, 200000 stranded.");
//! let c = signature("Flash floods kill 5 in Sunamganj; 80,000 people stranded on Thursday.");
//! assert!(similarity(&a, &b) >= THRESHOLD && similarity(&a, &c) < THRESHOLD);
//! assert_eq!(groups(&[a, c, b], THRESHOLD).group_of, [0, 1, 0]);
//! ```

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use unicode_segmentation::UnicodeSegmentation;

use crate::fingerprint;

/// Minimum hashes per signature.
pub const HASHES: usize = 144;
/// Minimums per LSH band.
pub const ROWS: usize = 3;
/// LSH bands: `BANDS * ROWS == HASHES`.
pub const BANDS: usize = HASHES / ROWS;
/// [`similarity`] at and above which two leads tell the same event (see the module doc).
pub const THRESHOLD: f64 = 0.30;

/// Characters of a word compared (a light stem: `killed`/`kills`, `ঢাকায়`/`ঢাকার`).
const STEM_CHARS: usize = 5;
/// Figures kept per text.
const MAX_FIGURES: usize = 16;
/// Leaders read per LSH bucket, newest first: a bucket shared by thousands (a figure such as
/// `24`) costs a bounded number of comparisons.
const BUCKET_SCAN: usize = 32;

/// The fingerprint of one text: a MinHash of its words and the set of its figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    minimums: [u64; HASHES],
    /// Distinct word stems (or character grams) hashed; 0 for a text without letters or digits.
    words: usize,
    /// Hashes of the distinct digit runs (`12`, `200000`, `1204`), sorted.
    figures: Vec<u64>,
}

impl Signature {
    /// Whether the text had nothing to compare (no letters or digits): such a text matches nothing.
    pub fn is_empty(&self) -> bool {
        self.words == 0
    }

    fn band_key(&self, band: usize) -> u64 {
        let rows = &self.minimums[band * ROWS..(band + 1) * ROWS];
        rows.iter()
            .fold(band as u64, |key, &row| mix(key.rotate_left(17) ^ row))
    }

    /// LSH bucket keys: one per band of minimums, one per figure.
    fn bucket_keys(&self) -> Vec<u64> {
        let bands = (0..BANDS).map(|band| self.band_key(band));
        let figures = self.figures.iter().map(|&figure| mix(figure ^ FIGURE_KEY));
        bands.chain(figures).collect()
    }
}

/// The signature of `text` (any length, any script).
pub fn signature(text: &str) -> Signature {
    let normalized = normalize(text);
    let mut hashes = word_hashes(&normalized);
    hashes.sort_unstable();
    hashes.dedup();
    let mut minimums = [u64::MAX; HASHES];
    for hash in &hashes {
        for (minimum, seed) in minimums.iter_mut().zip(SEEDS.iter()) {
            *minimum = (*minimum).min(mix(hash ^ seed));
        }
    }
    Signature {
        minimums,
        words: hashes.len(),
        figures: figure_hashes(&normalized),
    }
}

/// How alike two texts are, 0.0 to 1.0: the lower of their [`word_similarity`] and their figure
/// similarity (Jaccard of their sets of digit runs). Two texts without figures have nothing to
/// confirm their words: their figure similarity counts as half their word similarity. 0.0 when
/// either text is empty.
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    let words = word_similarity(a, b);
    let figures = if a.figures.is_empty() && b.figures.is_empty() {
        words / 2.0
    } else {
        let shared = a
            .figures
            .iter()
            .filter(|f| b.figures.binary_search(f).is_ok());
        let shared = shared.count();
        shared as f64 / (a.figures.len() + b.figures.len() - shared) as f64
    };
    words.min(figures)
}

/// Estimated Jaccard similarity of the two texts' word stems (character grams in scripts written
/// without spaces); 0.0 when either is empty.
pub fn word_similarity(a: &Signature, b: &Signature) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let equal = a
        .minimums
        .iter()
        .zip(b.minimums.iter())
        .filter(|(x, y)| x == y)
        .count();
    equal as f64 / HASHES as f64
}

/// The result of [`groups`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grouping {
    /// For each signature, the index of its group's first member (itself when it leads a group).
    pub group_of: Vec<usize>,
    /// Signature pairs compared: at most `(BANDS + 16) * 32` per signature, never all N² pairs.
    pub comparisons: usize,
}

/// Groups signatures at `threshold`, in order: each one joins the most similar earlier group leader
/// (ties: the earliest) it shares an LSH bucket with, at `threshold` or above; otherwise it leads a
/// new group. Every member is thus within `threshold` of its group's first member, and chains of
/// weak resemblances do not merge. Empty signatures stay alone.
pub fn groups(signatures: &[Signature], threshold: f64) -> Grouping {
    let mut buckets = Buckets::default();
    let mut group_of = Vec::with_capacity(signatures.len());
    let mut last_compared_with = vec![usize::MAX; signatures.len()];
    let mut comparisons = 0;
    for (index, current) in signatures.iter().enumerate() {
        group_of.push(index);
        if current.is_empty() {
            continue;
        }
        let keys = current.bucket_keys();
        let mut best: Option<(f64, usize)> = None;
        for &key in &keys {
            for leader in buckets.newest(key) {
                if last_compared_with[leader] == index {
                    continue;
                }
                last_compared_with[leader] = index;
                comparisons += 1;
                let score = similarity(current, &signatures[leader]);
                let better =
                    best.is_none_or(|(top, at)| score > top || (score == top && leader < at));
                if score >= threshold && better {
                    best = Some((score, leader));
                }
            }
        }
        match best {
            Some((_, leader)) => group_of[index] = leader,
            None => keys.into_iter().for_each(|key| buckets.add(key, index)),
        }
    }
    Grouping {
        group_of,
        comparisons,
    }
}

/// LSH buckets as chains in one vector (no allocation per bucket), newest leader first.
#[derive(Default)]
struct Buckets {
    /// Bucket key → its newest entry.
    heads: HashMap<u64, usize, BuildHasherDefault<KeyHasher>>,
    /// (leader, the entry before it in the same bucket, or `usize::MAX`).
    entries: Vec<(usize, usize)>,
}

impl Buckets {
    fn add(&mut self, key: u64, leader: usize) {
        let before = self.heads.insert(key, self.entries.len());
        self.entries.push((leader, before.unwrap_or(usize::MAX)));
    }

    /// Up to [`BUCKET_SCAN`] leaders of the bucket, newest first.
    fn newest(&self, key: u64) -> impl Iterator<Item = usize> + '_ {
        let mut at = self.heads.get(&key).copied().unwrap_or(usize::MAX);
        std::iter::from_fn(move || {
            let &(leader, before) = self.entries.get(at)?;
            at = before;
            Some(leader)
        })
        .take(BUCKET_SCAN)
    }
}

/// Bucket keys are already well-mixed 64-bit values: hashing them again would only cost time.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = mix(self.0 ^ u64::from(byte));
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

/// The text as compared: lower-case words of letters, marks and ASCII digits, one space apart.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for segment in text.split_word_bounds() {
        if !segment.chars().any(char::is_alphanumeric) {
            continue;
        }
        let mut word = String::with_capacity(segment.len());
        for c in segment.chars().filter(|&c| !is_punctuation_or_symbol(c)) {
            match fold_digit(c) {
                Some(digit) => word.push(digit),
                None => word.extend(c.to_lowercase()),
            }
        }
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word);
    }
    out
}

/// The hash of every word stem of normalized text (character grams for scripts written without
/// spaces), duplicates included.
fn word_hashes(normalized: &str) -> Vec<u64> {
    let mut hashes = Vec::new();
    let mut run = String::new();
    let mut run_width = 0;
    for word in normalized.split(' ').filter(|word| !word.is_empty()) {
        match spaceless_gram(word) {
            Some(width) => {
                run.push_str(word);
                run_width = width;
            }
            None => {
                push_char_grams(&run, run_width, &mut hashes);
                run.clear();
                let stem_end = word
                    .char_indices()
                    .nth(STEM_CHARS)
                    .map_or(word.len(), |(at, _)| at);
                hashes.push(fingerprint::of(&word.as_bytes()[..stem_end]));
            }
        }
    }
    push_char_grams(&run, run_width, &mut hashes);
    hashes
}

/// Hashes of the distinct runs of ASCII digits (leading zeros dropped), at most [`MAX_FIGURES`].
fn figure_hashes(normalized: &str) -> Vec<u64> {
    let mut figures: Vec<u64> = normalized
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| !run.is_empty())
        .map(|run| {
            let digits = run.trim_start_matches('0');
            fingerprint::of(if digits.is_empty() {
                b"0"
            } else {
                digits.as_bytes()
            })
        })
        .take(MAX_FIGURES)
        .collect();
    figures.sort_unstable();
    figures.dedup();
    figures
}

fn push_char_grams(run: &str, width: usize, hashes: &mut Vec<u64>) {
    let chars: Vec<char> = run.chars().collect();
    if chars.is_empty() {
        return;
    }
    let mut gram = String::new();
    for window in chars.windows(width.min(chars.len())) {
        gram.clear();
        gram.extend(window);
        hashes.push(fingerprint::of(gram.as_bytes()));
    }
}

/// The character n-gram width for a word in a script written without spaces, or `None`.
fn spaceless_gram(word: &str) -> Option<usize> {
    let first = word.chars().next()?;
    match u32::from(first) {
        // Han (unified, extension A, compatibility, extensions B+), kana, halfwidth kana.
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF => Some(2),
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9D => Some(2),
        // Thai, Lao, Myanmar, Khmer: syllables span several characters.
        0x0E00..=0x0EFF | 0x1000..=0x109F | 0x1780..=0x17FF => Some(3),
        _ => None,
    }
}

/// Characters UAX #29 leaves inside words that do not change what the word says (`'`, `.`, `,`,
/// `’`, `·`, `_`...), plus symbols. Letters, marks and ZWNJ/ZWJ are kept.
fn is_punctuation_or_symbol(c: char) -> bool {
    match u32::from(c) {
        0x200C | 0x200D => false,
        0x00B7 | 0x060C | 0x060D | 0x066B | 0x066C | 0x2000..=0x206F => true,
        0xFE10..=0xFE6F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 => true,
        _ => c.is_ascii_punctuation() || (!c.is_alphanumeric() && is_symbol_block(c)),
    }
}

fn is_symbol_block(c: char) -> bool {
    matches!(u32::from(c), 0x00A0..=0x00BF | 0x20A0..=0x2BFF | 0x09F2..=0x09FB)
}

/// Decimal digits of every script with a contiguous 0-9 block, as ASCII.
fn fold_digit(c: char) -> Option<char> {
    const ZEROS: [u32; 22] = [
        0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
        0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x19D0, 0xFF10,
    ];
    let code = u32::from(c);
    ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&code))
        .and_then(|zero| char::from_digit(code - zero, 10))
}

/// A bijective 64-bit finaliser (splitmix64's): every input bit changes about half the output bits.
const fn mix(mut value: u64) -> u64 {
    value = (value ^ (value >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    value ^ (value >> 31)
}

/// Keeps figure bucket keys apart from band keys.
const FIGURE_KEY: u64 = 0x6669_6775_7265_7321;

/// One fixed seed per minimum: never change them (signatures would stop matching stored ones).
const SEEDS: [u64; HASHES] = {
    let mut seeds = [0; HASHES];
    let mut i = 0;
    while i < HASHES {
        seeds[i] = mix((i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        i += 1;
    }
    seeds
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_case_punctuation_and_digits() {
        assert_eq!(
            normalize("  Flash-floods: 1,204 DEAD!! "),
            "flash floods 1204 dead"
        );
        assert_eq!(normalize("ঢাকায় ৮৫ মিলিমিটার।"), "ঢাকায় 85 মিলিমিটার");
        assert_eq!(normalize("Tk 4.8 crore, ৳5"), "tk 48 crore 5");
        assert_eq!(normalize("it’s “Remal”"), "its remal");
        assert_eq!(normalize("¡¿ — …"), "");
    }

    #[test]
    fn normalize_keeps_marks_and_joiners() {
        // Virama (U+09CD) and ZWNJ are not letters but change the word.
        assert_eq!(normalize("র‌্যাব"), "র‌্যাব");
        assert_eq!(normalize("Ἀθῆναι"), "ἀθῆναι");
    }

    #[test]
    fn spaceless_scripts_use_character_grams() {
        let hashes = word_hashes(&normalize("東京で地震"));
        assert_eq!(hashes.len(), 4);
        assert_eq!(word_hashes(&normalize("ฝนตกหนักในกรุงเทพ")).len(), 15);
        assert_eq!(word_hashes("rain in dhaka").len(), 3);
        assert_eq!(word_hashes("killed"), word_hashes("killer"));
    }

    #[test]
    fn identical_texts_are_identical_and_empty_matches_nothing() {
        let a = signature("Rain in Dhaka on Wednesday.");
        let b = signature("rain in DHAKA on wednesday");
        assert_eq!((word_similarity(&a, &b), similarity(&a, &b)), (1.0, 0.5));
        let empty = signature("!!! ...");
        assert!(empty.is_empty());
        assert_eq!(similarity(&empty, &signature("")), 0.0);
        assert_eq!(groups(&[empty.clone(), empty], 0.0).group_of, [0, 1]);
    }

    #[test]
    fn estimate_follows_exact_jaccard() {
        // Words 0..=80 and 40..=120: 41 shared out of 121, Jaccard 0.34.
        let words: Vec<String> = (0..=120).map(|i| format!("w{i}")).collect();
        let a = signature(&words[..=80].join(" "));
        let b = signature(&words[40..].join(" "));
        let estimate = word_similarity(&a, &b);
        assert!((estimate - 41.0 / 121.0).abs() < 0.12, "{estimate}");
    }

    #[test]
    fn figures_must_agree_and_texts_without_figures_need_twice_the_words() {
        let a = signature("Fire kills 7 workers and injures 23 in Ashulia");
        let same = signature("Fire kills 7 workers and injures 23 in Ashulia");
        let other_figures = signature("Fire kills 2 workers and injures 9 in Ashulia");
        assert_eq!(similarity(&a, &same), 1.0);
        assert_eq!(similarity(&a, &other_figures), 0.0);
        let words = signature("Fire kills workers in Ashulia");
        assert_eq!(
            similarity(&words, &signature("fire kills workers in ashulia")),
            0.5
        );
        let digits = signature("ঢাকায় ৮৫ মিলিমিটার");
        assert_eq!(similarity(&digits, &signature("ঢাকায় 85 মিলিমিটার")), 1.0);
        assert_eq!(figure_hashes("a 007 7 0 00"), figure_hashes("7 0"));
    }

    #[test]
    fn seeds_are_distinct() {
        let mut seeds = SEEDS.to_vec();
        seeds.sort_unstable();
        seeds.dedup();
        assert_eq!(seeds.len(), HASHES);
    }
}
