//! Fuzz target: arbitrary bytes as a feed (RSS, Atom, JSON Feed), with and without a charset.
//!
//! Reads the fuzzer's bytes, writes nothing; any panic is a bug. Seeds: `fuzz/seeds/feed/`.
//! Example: `cargo fuzz run feed fuzz/seeds/feed`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = newsdigest::ingest::feed::parse("fuzz.xml", data, None);
    let _ = newsdigest::ingest::feed::parse("fuzz.xml", data, Some("windows-1252"));
    let _ = newsdigest::ingest::parse_fetched("fuzz", Some("application/json"), data);
});
