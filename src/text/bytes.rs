//! Searching text for the first byte of a kind, a block of bytes at a time: the scans that pass
//! over running text looking for the few bytes that matter (line breaks, sentence terminators).

/// The offset of the first byte of `bytes` that is `wanted`. Blocks of 32 bytes without one are
/// passed over with one test of the whole block, which the compiler vectorises.
pub(crate) fn find_byte(bytes: &[u8], wanted: impl Fn(u8) -> bool) -> Option<usize> {
    let blocks = bytes.chunks_exact(32);
    let tail = blocks.remainder();
    for (index, block) in blocks.enumerate() {
        if block
            .iter()
            .fold(0u8, |found, &b| found | u8::from(wanted(b)))
            != 0
        {
            return block
                .iter()
                .position(|&b| wanted(b))
                .map(|i| index * 32 + i);
        }
    }
    let start = bytes.len() - tail.len();
    tail.iter().position(|&b| wanted(b)).map(|i| start + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_wanted_byte_in_a_block_or_the_tail() {
        // Every length across two blocks and a tail, with the wanted byte at every place and
        // with none: the same answer as a plain search.
        let wanted = |b: u8| (b == b'.') | (b >= 0x80);
        for length in 0..100 {
            let plain = vec![b'a'; length];
            assert_eq!(find_byte(&plain, wanted), None, "{length}");
            for at in 0..length {
                for byte in [b'.', 0xC3] {
                    let mut bytes = plain.clone();
                    bytes[at] = byte;
                    // A second one later does not count.
                    if at + 5 < length {
                        bytes[at + 5] = b'.';
                    }
                    assert_eq!(find_byte(&bytes, wanted), Some(at), "{length} {at}");
                }
            }
        }
    }
}
