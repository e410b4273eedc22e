//! Converts built-in TOML data files that are read whole at start (`data/zones.toml`) into JSON at
//! build time: the same serde structs read it at run time, several times faster than TOML. Writes
//! `$OUT_DIR/<name>.json`; a file that does not parse fails the build with its name.

use std::path::Path;

/// Writes `source` (a TOML file) as JSON to `out`.
pub fn generate(source: &Path, out: &Path) {
    let name = source.display();
    let text = std::fs::read_to_string(source).unwrap_or_else(|e| panic!("{name}: {e}"));
    let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let json = serde_json::to_string(&table).unwrap_or_else(|e| panic!("{name}: {e}"));
    crate::write_if_changed(out, &json);
}
