//! Fuzz target: arbitrary bytes as a JSON article file (one object or an array).
//!
//! Reads the fuzzer's bytes, writes nothing; any panic is a bug. Seeds: `fuzz/corpus/json_article/`.
//! Example: `cargo fuzz run json_article fuzz/corpus/json_article`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = newsdigest::ingest::parse_bytes("fuzz.json", Some("json".as_ref()), data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = newsdigest::ingest::json::parse("fuzz.json", text);
    }
});
