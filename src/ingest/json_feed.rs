//! Recognising JSON Feed: a serde visitor that reads a top-level object only as far as its
//! `version` key and records whether it names JSON Feed (`https://jsonfeed.org/version/...`).
//!
//! Reads JSON through serde, writes one flag; the rest of the document is never read, so a large
//! feed is not parsed twice. Used by [`super::Format`] detection.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, IgnoredAny, MapAccess, Visitor};

/// The prefix of every JSON Feed version URL.
pub const JSON_FEED_VERSION_PREFIX: &str = "https://jsonfeed.org/version/";

/// Sets the flag when the object's `version` is a JSON Feed version. It stops reading with an
/// error once `version` is seen (the error is expected and ignored by the caller).
pub struct VersionProbe<'a>(pub &'a Cell<bool>);

impl<'de> Visitor<'de> for VersionProbe<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "version" {
                let version = map.next_value::<String>()?;
                self.0.set(version.starts_with(JSON_FEED_VERSION_PREFIX));
                return Err(de::Error::custom("version read"));
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}
