#!/usr/bin/env bash
# Builds the Debian package: the release binary, its man pages and shell completions, then
# `cargo deb --no-build`. Prints the .deb's path. Needs cargo-deb (`cargo install --locked
# cargo-deb`). Usage: pkg/deb/build.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

cargo build --release --locked
bin=target/release/newsdigest
out=target/pkg
rm -rf "$out"
mkdir -p "$out/man" "$out/completions"
# Dated by SOURCE_DATE_EPOCH when set (reproducible builds), else today.
"$bin" man --out "$out/man"
gzip -9n "$out"/man/*.1
"$bin" completions bash >"$out/completions/newsdigest.bash"
"$bin" completions zsh >"$out/completions/_newsdigest"
"$bin" completions fish >"$out/completions/newsdigest.fish"
cargo deb --no-build --locked --output target/debian/ -q
ls target/debian/newsdigest_*.deb | tail -n 1
