//! libFuzzer target for the dateline reader: any bytes that are UTF-8 are read as a dateline with a
//! fixed context (a Bangladeshi outlet, 2025-04-23 12:00 UTC, and no outlet country). It must never
//! panic; a dateline it reads must name a year in `dateline::YEARS`, an offset within
//! UTC-12:00..=UTC+14:00 and one-line notes; an error must be one line.
//! The property twin is `tests/dateline_properties.rs`. Run: `cargo fuzz run dateline`.

#![no_main]

use chrono::{Datelike, Utc};
use libfuzzer_sys::fuzz_target;
use newsdigest::dateline::{self, Context};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let now = "2025-04-23T12:00:00Z"
        .parse()
        .expect("a valid RFC 3339 instant");
    for country in [Some("BD".to_string()), None] {
        let context = Context { country, home: None, now };
        match dateline::parse(text, &context) {
            Ok(resolved) => {
                assert!(
                    dateline::YEARS.contains(&resolved.utc.year()),
                    "{}",
                    resolved.utc
                );
                assert!(
                    dateline::YEARS.contains(&resolved.local.year()),
                    "{}",
                    resolved.local
                );
                assert_eq!(resolved.local.with_timezone(&Utc), resolved.utc);
                let offset = resolved.local.offset().local_minus_utc();
                assert!((-12 * 3600..=14 * 3600).contains(&offset), "{offset}");
                assert!(
                    resolved
                        .notes
                        .iter()
                        .all(|n| !n.is_empty() && !n.contains('\n'))
                );
            }
            Err(error) => assert!(!error.to_string().contains('\n'), "{error}"),
        }
    }
    let _ = dateline::looks_like_dateline(text);
});
