#!/usr/bin/env bash
# bench/run_store.sh BUILD_DIR: the story and store side.
#  1. story clustering on real headlines (bench_cluster: pairwise and
#     B-cubed F1 against the aggregator's story ids; the bar is pairwise
#     F1 >= 0.85), with term-bag building alone as the speed reference;
#  2. a store of 2,000 distinct pages (see run_ingest.sh for the corpus):
#     re-ingesting it (every document already stored: the idempotent path),
#     exporting its events as GDELT rows, searching it and briefing its
#     latest story, with `sitrep extract` of the same file as the reference.
# End-to-end ingest speed is bench/run_ingest.sh.
set -euo pipefail
build=${1:?usage: bench/run_store.sh BUILD_DIR}
build=$(cd "$build" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
"$build/bench/bench_cluster" --min-f1 0.85 "$src/../shared/data/clustering/uci_headlines_dev.csv" || true
pages=$src/../shared/data/extraction/scrapinghub/html
[ -d "$pages" ] || { echo "skipped: $pages not found"; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$src/bench/make_corpus.py" "$pages" 2000 "$work/pages.warc.gz"
run() {
  local label=$1; shift
  /usr/bin/time -f "$label %e %U %S %M" -o "$work/time" "$@" > "$work/out" 2> "$work/err" || {
    echo "store bench: $label failed:"; tail -5 "$work/err"; exit 1; }
  awk '{printf "%s %.3f %.3f %d\n", $1, $2, $3 + $4, $5}' "$work/time"
}
db="$work/s.db"
read -r _ _ ing _ < <(run ingest "$build/sitrep" ingest -q --db "$db" "$work/pages.warc.gz")
read -r _ _ ext _ < <(run extract "$build/sitrep" extract "$work/pages.warc.gz")
read -r _ _ again _ < <(run re-ingest "$build/sitrep" ingest -q --db "$db" "$work/pages.warc.gz")
read -r _ gwall _ _ < <(run gdelt "$build/sitrep" events --db "$db" --format gdelt)
rows=$(wc -l < "$work/out")
read -r _ swall _ _ < <(run search "$build/sitrep" search --db "$db" --limit 100 defence)
read -r _ bwall _ _ < <(run brief "$build/sitrep" brief --db "$db" --latest --format json)
awk -v i="$ing" -v e="$ext" -v a="$again" -v g="$gwall" -v rows="$rows" -v s="$swall" -v b="$bwall" 'BEGIN {
  printf "store bench: 2,000 pages ingested in %.1f s CPU; re-ingest (all stored, nothing written) %.1f s CPU = %.2f x extract-only (%.1f s)\n", i, a, a / e, e
  printf "store bench: events --format gdelt: %d rows in %.2f s; search (100 hits): %.2f s; brief --latest: %.2f s (wall)\n", rows, g, s, b
}'
