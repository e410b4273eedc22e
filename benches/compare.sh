#!/usr/bin/env bash
# Every performance figure of BENCHMARKS.md, in one run on the same inputs, with ratios:
#
#   1. our criterion benches (pipeline and SMS measurement);
#   2. our CLI as a whole process: one article (`digest`), a 1,000-article folder and a
#      10,000-item RSS feed (`inspect`), with hyperfine (median and spread) and peak RSS
#      (/usr/bin/time), and the CPU of one `digest` above an empty process (perf stat);
#   3. the peers from the registries on the same text: sumy's TextRank as a command (pip) against
#      `newsdigest digest` on the same article, and Twilio's `sms-segments-calculator` and
#      `split-sms` (npm) against our SMS measure on the same mixed English/Bengali text.
#
# Inputs are generated here from our own samples (samples/); nothing third-party is copied. The
# peers install into a temporary directory; a peer that cannot install is reported as skipped.
# Run by hand (not by CI):   benches/compare.sh            RUNS=20 benches/compare.sh
# SKIP_CRITERION=1 leaves out step 1 (the slowest).
# Needs: cargo, python3, hyperfine (apt-get install hyperfine), node and npm, perf (optional).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
runs=${RUNS:-10}
now=2025-04-23T09:00:00Z
bin="$repo/target/release/newsdigest"

echo "== machine"
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
rustc --version

cargo build --release --quiet --bin newsdigest --example measure_throughput
echo "binary: $(stat -c %s "$bin") bytes ($(du -h "$bin" | cut -f1))"

# -- inputs, from our samples ----------------------------------------------------------------
python3 - "$work" "$repo/samples" <<'PY'
import html, os, sys
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
work, samples = sys.argv[1], sys.argv[2]
en = open(f"{samples}/en-flood-sylhet.txt", encoding="utf-8").read()
bn = open(f"{samples}/bn-dhaka-rain.txt", encoding="utf-8").read()
open(f"{work}/article.txt", "w").write(en)
# The body alone, for sumy (which has no footer to read).
body = "\n".join(l for l in en.splitlines() if l and not l.startswith(("Source:", "BDST:")))
open(f"{work}/article-body.txt", "w").write(body + "\n")

def paragraphs(text):
    lines = [l for l in text.splitlines() if l.strip()]
    return [l for l in lines if not l.startswith(("Source:", "BDST:", "সূত্র:"))]

paras = paragraphs(en) + paragraphs(bn)
os.makedirs(f"{work}/folder")
for i in range(1000):
    k = i % len(paras)
    body = "\n".join(paras[k:] + paras[:k])
    open(f"{work}/folder/{i:04}.txt", "w").write(
        f"Story {i}. {body}\nSource: Newsdesk\nBDST: {1000 + i % 1400:04} HRS, APR 23, 2025\n")

start = datetime(2025, 4, 23, 9, 0, tzinfo=timezone.utc)
with open(f"{work}/feed.xml", "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            "<title>Bench</title><link>https://example.org/</link><description>generated</description>\n")
    for i in range(10000):
        k = i % len(paras)
        text = " ".join(paras[k:k + 3])
        title = paras[k].split(". ")[0][:80]
        f.write(f"<item><title>{html.escape(title)} {i}</title><link>https://example.org/{i}</link>"
                f"<guid>bench-{i}</guid><pubDate>{format_datetime(start - timedelta(minutes=i))}</pubDate>"
                f"<description>{html.escape(text)}</description></item>\n")
    f.write("</channel></rss>\n")

# The SMS texts: the same sentences as benches/sms.rs, alternated up to each size.
en_s = "Floodwaters rose across three districts on Wednesday, officials said. "
bn_s = "রাজধানীসহ দেশের বিভিন্ন এলাকায় বুধবার ভোর থেকে ভারী বৃষ্টি হয়েছে। "
for size in (16384, 65536, 1 << 20):
    text = ""
    unit = en_s + bn_s
    while len((text + unit).encode()) <= size:
        text += unit
    open(f"{work}/text-{size}.txt", "w").write(text)
PY

# -- 1. criterion ---------------------------------------------------------------------------------
if [ -z "${SKIP_CRITERION:-}" ]; then
  echo "== criterion (median [low high] of the 95% interval; thrpt for SMS)"
  cargo bench --quiet --bench pipeline --bench sms 2>&1 | tee "$work/criterion.txt" |
    grep -E '^(pipeline|stage|sms_measure)|time:|thrpt:' || true
fi

# -- 2. the CLI as a whole process ---------------------------------------------------------------
echo "== CLI, whole process ($runs runs each; median, min-max)"
hyperfine -N --warmup 2 --runs "$runs" --export-json "$work/cli.json" \
  -n "digest 1 article" "$bin digest $work/article.txt --now $now" \
  -n "inspect 1,000 articles" "$bin inspect $work/folder --now $now -q" \
  -n "inspect 10,000-item feed" "$bin inspect $work/feed.xml --now $now -q" \
  -n "empty process" "true" >/dev/null
for cmd in "digest $work/article.txt" "inspect $work/folder" "inspect $work/feed.xml"; do
  rss=$(/usr/bin/time -f %M "$bin" $cmd --now $now -q 2>&1 >/dev/null | tail -1)
  echo "peak RSS ${cmd%% *} ${cmd##*/}: ${rss} KiB" | tee -a "$work/rss.txt"
done
if command -v perf >/dev/null && perf stat -e task-clock true >/dev/null 2>&1; then
  cpu() { perf stat -x, -e task-clock -r 30 "$@" 2>&1 >/dev/null | grep task-clock | cut -d, -f1; }
  digest_ms=$(cpu "$bin" digest "$work/article.txt" --now $now)
  empty_ms=$(cpu true)
  awk -v d="$digest_ms" -v e="$empty_ms" 'BEGIN { printf "cold digest CPU: %.2f ms, empty process %.2f ms, above empty %.2f ms (target 3 ms)\n", d, e, d - e }' |
    tee "$work/cold.txt"
else
  echo "cold digest CPU: perf is not usable here, skipped"
fi

# -- 3. peers ---------------------------------------------------------------------------------------
echo "== sumy TextRank (pip) against newsdigest digest, same article, whole process"
# `sumy text-rank` needs nltk's punkt data, which is downloaded from outside the registries. Where
# that fails, the same summarizer (TextRankSummarizer, English stemmer and stop words, 3 sentences)
# runs as a command with a regex sentence and word tokenizer instead, and the run says so.
cat > "$work/sumy_textrank.py" <<'EOF'
import re, sys
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.nlp.stemmers import Stemmer
from sumy.utils import get_stop_words

class RegexTokenizer:
    language = "english"
    def to_sentences(self, paragraph):
        return [s for s in re.split(r"(?<=[.!?])\s+", paragraph) if s]
    def to_words(self, sentence):
        return re.findall(r"\w+", sentence)

parser = PlaintextParser.from_string(open(sys.argv[1], encoding="utf-8").read(), RegexTokenizer())
summarizer = TextRankSummarizer(Stemmer("english"))
summarizer.stop_words = get_stop_words("english")
for sentence in summarizer(parser.document, 3):
    print(sentence)
EOF
if python3 -m venv "$work/venv" >/dev/null 2>&1 &&
   "$work/venv/bin/pip" install --quiet sumy==0.13.0 nltk numpy >/dev/null 2>&1; then
  "$work/venv/bin/python" -c "import nltk; nltk.download('punkt', quiet=True); nltk.download('punkt_tab', quiet=True)" >/dev/null 2>&1 || true
  if "$work/venv/bin/sumy" text-rank --length=3 --language=english --file="$work/article-body.txt" >/dev/null 2>&1; then
    sumy_name="sumy text-rank"
    sumy_cmd="$work/venv/bin/sumy text-rank --length=3 --language=english --file=$work/article-body.txt"
  else
    echo "sumy: nltk's punkt data is unreachable; sumy's TextRank runs with a regex tokenizer"
    sumy_name="sumy TextRank (regex tokenizer)"
    sumy_cmd="$work/venv/bin/python $work/sumy_textrank.py $work/article-body.txt"
  fi
  hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/sumy.json" \
    -n "$sumy_name" "$sumy_cmd" \
    -n "newsdigest digest --strategy smart" "$bin digest $work/article.txt --now $now --strategy smart" >/dev/null
else
  echo "sumy: could not install from PyPI: skipped"
fi

echo "== SMS measurement against sms-segments-calculator and split-sms (npm), same text, in process"
if (cd "$work" && npm init -y >/dev/null && npm install --silent sms-segments-calculator@1.3.0 split-sms@0.1.7 >/dev/null 2>&1); then
  cat > "$work/peers.js" <<'JS'
const fs = require('fs');
const [tool, file, rounds] = [process.argv[2], process.argv[3], Number(process.argv[4] || 3)];
const text = fs.readFileSync(file, 'utf8');
const run = tool === 'split-sms'
  ? (() => { const s = require('split-sms'); return () => s.split(text).parts.length; })()
  : (() => { const { SegmentedMessage } = require('sms-segments-calculator'); return () => new SegmentedMessage(text).segmentsCount; })();
let segments = run();
const start = process.hrtime.bigint();
for (let i = 0; i < rounds; i++) segments = run();
const seconds = Number(process.hrtime.bigint() - start) / 1e9 / rounds;
const bytes = Buffer.byteLength(text);
console.log(JSON.stringify({ tool, bytes, seconds, mb_per_s: +(bytes / seconds / 1e6).toFixed(3), segments }));
JS
  for size in 16384 65536 1048576; do
    target/release/examples/measure_throughput "$work/text-$size.txt" 50 >> "$work/sms.jsonl"
    # Twilio's calculator grows with the square of the length: 1 MiB does not finish in minutes.
    if [ "$size" -le 65536 ]; then
      NODE_PATH="$work/node_modules" node "$work/peers.js" sms-segments-calculator "$work/text-$size.txt" 3 >> "$work/sms.jsonl"
    fi
    NODE_PATH="$work/node_modules" node "$work/peers.js" split-sms "$work/text-$size.txt" 5 >> "$work/sms.jsonl"
  done
else
  echo "npm peers: could not install: skipped"
fi

# -- summary: ratios ----------------------------------------------------------------------------
python3 - "$work" <<'PY'
import json, os, statistics, sys
work = sys.argv[1]
def show(path, base=None):
    results = json.load(open(path))["results"]
    by = {r["command"]: r for r in results}
    for r in results:
        t = r["times"]
        line = f"  {r['command']:<38} median {statistics.median(t)*1e3:9.2f} ms  (min {min(t)*1e3:.2f}, max {max(t)*1e3:.2f})"
        if base and r["command"] != base and base in by:
            line += f"   {statistics.median(t) / statistics.median(by[base]['times']):.1f}x {base}"
        print(line)
print("== summary")
print("CLI:")
show(f"{work}/cli.json")
if os.path.exists(f"{work}/sumy.json"):
    print("sumy against newsdigest (ratio = time / newsdigest's):")
    show(f"{work}/sumy.json", "newsdigest digest --strategy smart")
if os.path.exists(f"{work}/sms.jsonl"):
    rows = [json.loads(l) for l in open(f"{work}/sms.jsonl")]
    ours = {r["bytes"]: r for r in rows if r["tool"] == "newsdigest"}
    print("SMS measurement, mixed en/bn text (ratio = peer time / ours):")
    for r in rows:
        o = ours[r["bytes"]]
        ratio = "" if r["tool"] == "newsdigest" else f"   newsdigest {r['seconds'] / o['seconds']:.0f}x faster"
        print(f"  {r['bytes']:>8} bytes {r['tool']:<24} {r['mb_per_s']:10.2f} MB/s  segments {r['segments']}{ratio}")
PY
