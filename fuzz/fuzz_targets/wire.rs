//! Fuzz target: arbitrary bytes as a wire-copy article (and through format detection).
//!
//! Reads the fuzzer's bytes, writes nothing; any panic is a bug. Seeds: `fuzz/corpus/wire/`.
//! Example: `cargo fuzz run wire fuzz/corpus/wire`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = newsdigest::ingest::parse_bytes("fuzz", None, data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = newsdigest::ingest::wire::parse("fuzz", text);
    }
});
