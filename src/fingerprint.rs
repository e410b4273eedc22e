//! Stable fingerprints of content: the same bytes give the same value on every build and release.
//!
//! `std`'s `DefaultHasher` may change between Rust releases, so identifiers that outlive a run
//! (email `Message-ID`, the SMS concatenation reference, output file names) use XXH3-64, a fixed,
//! published algorithm.
//!
//! ```
//! assert_eq!(newsdigest::fingerprint::of(b"abc"), 0x78af5f94892f3950);
//! ```

use xxhash_rust::xxh3::xxh3_64;

/// The 64-bit fingerprint of `bytes` (XXH3-64, seed 0).
pub fn of(bytes: &[u8]) -> u64 {
    xxh3_64(bytes)
}

/// The fingerprint of several fields, each length-prefixed so `("ab", "c")` and `("a", "bc")` differ.
pub fn of_fields(fields: &[&[u8]]) -> u64 {
    let mut joined = Vec::with_capacity(fields.iter().map(|f| f.len() + 8).sum());
    for field in fields {
        joined.extend_from_slice(&(field.len() as u64).to_le_bytes());
        joined.extend_from_slice(field);
    }
    of(&joined)
}

/// `value` as 16 lowercase hex digits.
pub fn to_hex(value: u64) -> String {
    format!("{value:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_pinned() {
        // XXH3-64 test vector: these values must never change (they name files and messages).
        assert_eq!(of(b""), 0x2d06800538d394c2);
        assert_eq!(to_hex(of(b"")), "2d06800538d394c2");
    }

    #[test]
    fn fields_are_separated() {
        assert_ne!(of_fields(&[b"ab", b"c"]), of_fields(&[b"a", b"bc"]));
    }
}
