#!/usr/bin/env bash
# bench/run_html.sh BUILD_DIR - article extraction on the scrapinghub
# benchmark (181 real pages, ../shared/data/extraction/scrapinghub):
#  1. bench_extract: the benchmark's metric (P, R, F1) and our pages/s per
#     core next to libxml2's bare htmlReadMemory parse of the same pages,
#     timed in the same run, with the ratio;
#  2. Mozilla's Readability.js on jsdom, the extractor users know, on the
#     same pages in the same run (npm packages installed once into
#     BUILD_DIR/readability-js; skipped with a note if node/npm are missing
#     or the install fails): its speed, our speed as a multiple of it, and
#     its F1 under the same metric.
# Set SITREP_BENCH_NO_JS=1 to skip step 2 (it takes about a minute).
set -euo pipefail
build=${1:?usage: bench/run_html.sh BUILD_DIR}
build=$(cd "$build" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
data=$src/../shared/data/extraction/scrapinghub
if [ ! -f "$data/ground-truth.json" ]; then
  echo "skipped: $data not found"
  exit 0
fi
out=$("$build/bench/bench_extract" "$data" --passes 5)
echo "$out"
ours=$(echo "$out" | sed -n 's/^extract speed: \([0-9.]*\) pages\/s.*/\1/p')

if [ "${SITREP_BENCH_NO_JS:-0}" = 1 ]; then
  exit 0
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "readability.js: node/npm not installed; reference skipped"
  exit 0
fi
rj=$build/readability-js
if [ ! -d "$rj/node_modules/jsdom" ] || [ ! -d "$rj/node_modules/@mozilla/readability" ]; then
  mkdir -p "$rj"
  echo '{"private":true}' > "$rj/package.json"
  if ! (cd "$rj" && npm install --silent --no-audit --no-fund \
          @mozilla/readability@0.6.0 jsdom@29.1.1 >/dev/null 2>&1); then
    echo "readability.js: npm install failed (offline?); reference skipped"
    exit 0
  fi
fi
ref=$(node "$src/bench/readability_bench.cjs" "$rj/node_modules" "$data" "$rj/predictions.json")
echo "$ref"
"$build/bench/bench_extract" "$data" --score "$rj/predictions.json" | sed 's|^[^ ]*predictions.json|readability.js|' 
theirs=$(echo "$ref" | sed -n 's/^readability.js speed: \([0-9.]*\) pages\/s.*/\1/p')
if [ -n "$ours" ] && [ -n "$theirs" ]; then
  awk -v a="$ours" -v b="$theirs" \
    'BEGIN { printf "extract vs readability.js: %.0f vs %.1f pages/s per core, ratio %.0fx\n", a, b, a / b }'
fi
