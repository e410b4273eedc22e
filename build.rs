//! Rebuilds the crate when a built-in template, locale or data file changes: they are compiled into
//! the binary with `include_dir!`, which cargo does not track on its own.

fn main() {
    for dir in ["templates", "locales", "data"] {
        println!("cargo:rerun-if-changed={dir}");
    }
}
