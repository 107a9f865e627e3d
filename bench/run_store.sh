#!/usr/bin/env bash
# bench/run_store.sh BUILD_DIR: story clustering F1 on the UCI headlines
# (bench_cluster), then end-to-end `sitrep ingest` speed (documents/s
# per core of CPU time, read + extract + analyse + code + cluster + store)
# over >= 10,000 distinct HTML pages (the scrapinghub pages repeated, made
# distinct, in a gzipped WARC), with peak memory at 2,000 and 10,000
# documents (it should stay flat), and `sitrep extract` over the same file
# timed in the same run as the reference (and `sitrep code`, which adds text
# analysis and coding but no store): the ratios say where the time goes.
set -euo pipefail
build=${1:?usage: bench/run_store.sh BUILD_DIR}
build=$(cd "$build" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
pages=$src/../shared/data/extraction/scrapinghub/html
[ -d "$pages" ] || { echo "skipped: $pages not found"; exit 0; }
# story clustering quality on real headlines (the bar: pairwise F1 >= 0.85)
"$build/bench/bench_cluster" --min-f1 0.85 "$src/../shared/data/clustering/uci_headlines_dev.csv" || true
n=${SITREP_BENCH_DOCS:-10000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$src/bench/make_corpus.py" "$pages" 2000 "$work/small.warc.gz"
python3 "$src/bench/make_corpus.py" "$pages" "$n" "$work/pages.warc.gz"
echo "store bench: corpus $(du -h "$work/pages.warc.gz" | cut -f1) gzipped WARC, $n HTML documents"

# run LABEL CMD...: prints "LABEL cpu_seconds peak_kib"
run() {
  local label=$1; shift
  /usr/bin/time -f "$label %U %S %M" -o "$work/time" "$@" > /dev/null 2> "$work/err" || {
    echo "store bench: $label failed:"; tail -5 "$work/err"; exit 1; }
  awk '{printf "%s %.2f %d\n", $1, $2 + $3, $4}' "$work/time"
}
read -r _ ext_cpu ext_kib < <(run extract "$build/sitrep" extract --format jsonl "$work/pages.warc.gz")
read -r _ code_cpu _ < <(run code "$build/sitrep" code --format tsv "$work/pages.warc.gz")
read -r _ ing_cpu ing_kib < <(run ingest "$build/sitrep" ingest -q --db "$work/bench.db" "$work/pages.warc.gz")
grep '^ingest:' "$work/err" || true
read -r _ small_cpu small_kib < <(run ingest-2000 "$build/sitrep" ingest -q --db "$work/small.db" "$work/small.warc.gz")
read -r _ again_cpu _ < <(run re-ingest "$build/sitrep" ingest -q --db "$work/bench.db" "$work/pages.warc.gz")
docs=$(sqlite3 "$work/bench.db" "SELECT count(*) FROM documents" 2>/dev/null || echo "$n")
awk -v n="$n" -v docs="$docs" -v e="$ext_cpu" -v i="$ing_cpu" -v a="$again_cpu" -v c="$code_cpu" \
    -v ik="$ing_kib" -v sk="$small_kib" -v ek="$ext_kib" 'BEGIN {
  printf "store bench: ingest %d docs (%d stored) in %.1f s CPU: %.0f docs/s per core, peak %.0f MiB\n", n, docs, i, n / i, ik / 1024
  printf "store bench: reference extract-only over the same file: %.1f s CPU, %.0f docs/s per core, peak %.0f MiB\n", e, n / e, ek / 1024
  printf "store bench: second reference, sitrep code (extract + analyse + code, no store): %.1f s CPU, %.0f docs/s per core\n", c, n / c
  printf "store bench: ratio ingest/extract CPU %.2f; of ingest CPU: reading+extraction %.0f%%, text+coding %.0f%%, store+stories %.0f%%\n", i / e, e / i * 100, (c - e) / i * 100, (i - c) / i * 100
  printf "store bench: peak memory 2,000 docs %.0f MiB vs %d docs %.0f MiB (flat: ratio %.2f)\n", sk / 1024, n, ik / 1024, ik / sk
  printf "store bench: re-ingesting the same %d docs (all already stored): %.1f s CPU, %.0f docs/s per core\n", n, a, n / a
  printf "store bench: target >= 500 docs/s per core: %s\n", (n / i >= 500 ? "met" : "NOT met")
}'
