#!/usr/bin/env bash
# Measures newsdigest's SMS measurement against Twilio's calculator (npm `sms-segments-calculator`)
# on the same mixed English and Bengali text, in the same run, and prints the ratio. Twilio's time grows
# with the square of the length (1 MB did not finish in 5 minutes here), so the texts are 16 and 64 KiB.
# Needs node and npm (the package is installed into a temporary directory). Not run by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The same sentences as benches/sms.rs, alternated up to each size.
python3 - "$work" <<'PY'
import sys
en = "Floodwaters rose across three districts on Wednesday, officials said. "
bn = "রাজধানীসহ দেশের বিভিন্ন এলাকায় বুধবার ভোর থেকে ভারী বৃষ্টি হয়েছে। "
for size in (16384, 65536):
    text = ""
    while len((text + en + bn).encode()) <= size:
        text += en + bn
    open(f"{sys.argv[1]}/text-{size}.txt", "w").write(text)
PY

(cd "$work" && npm init -y >/dev/null && npm install --silent sms-segments-calculator@1.3.0 >/dev/null)
cat > "$work/twilio.js" <<'JS'
const { SegmentedMessage } = require('sms-segments-calculator');
const text = require('fs').readFileSync(process.argv[2], 'utf8');
const rounds = Number(process.argv[3] || 3);
let segments = 0;
const start = process.hrtime.bigint();
for (let i = 0; i < rounds; i++) segments = new SegmentedMessage(text).segmentsCount;
const seconds = Number(process.hrtime.bigint() - start) / 1e9 / rounds;
const bytes = Buffer.byteLength(text);
console.log(JSON.stringify({ tool: 'sms-segments-calculator', bytes, seconds, mb_per_s: +(bytes / seconds / 1e6).toFixed(3), segments }));
JS

cargo build --release --quiet --example measure_throughput
for size in 16384 65536; do
  ours=$(target/release/examples/measure_throughput "$work/text-$size.txt" 200)
  theirs=$(NODE_PATH="$work/node_modules" node "$work/twilio.js" "$work/text-$size.txt" 3)
  echo "$ours"
  echo "$theirs"
  python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours, theirs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"{ours['bytes']} bytes: newsdigest is {theirs['seconds'] / ours['seconds']:.0f}x faster "
      f"({ours['mb_per_s']} MB/s vs {theirs['mb_per_s']} MB/s); segments {ours['segments']} vs {theirs['segments']}")
PY
done
