#!/usr/bin/env bash
# bench/run_cluster.sh BUILD_DIR: story clustering on the aggregator's
# headlines (../shared/data/clustering/uci_headlines_dev.csv):
#  1. bench_cluster: two-fold cross-validation by story id (settings chosen
#     on one half, scored on the other, both ways), the shipped defaults on
#     each half and the whole file, without times, the largest stories with
#     their purity, speed per core against term bags alone, and memory over
#     a longer stream;
#  2. robustness: the shipped defaults on 100 pseudo-random halves of the
#     gold stories (files the defaults were not fitted to, as a held-out
#     file is not); with SITREP_CLUSTER_CV=N also the cross-validation
#     itself on N random splits (about 12 s a split);
#  3. the same file through `sitrep ingest` (JSON Lines, headline as title
#     and text, the timestamp as the published date), scored from the store.
# Bars: every fold's pairwise and B-cubed F1 >= 0.88, no story mixing gold
# stories at purity < 0.8; >= 5,000 headlines/s.
set -euo pipefail
build=${1:?usage: bench/run_cluster.sh BUILD_DIR}
build=$(cd "$build" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
csv=${SITREP_CLUSTER_FILE:-$src/../shared/data/clustering/uci_headlines_dev.csv}
[ -f "$csv" ] || { echo "skipped: $csv not found"; exit 0; }
"$build/bench/bench_cluster" --min-f1 0.88 "$csv" || echo "cluster bench: below the bar"
"$build/bench/bench_cluster" --halves 100 "$csv" | tail -1
[ -z "${SITREP_CLUSTER_CV:-}" ] || "$build/bench/bench_cluster" --cv-halves "$SITREP_CLUSTER_CV" "$csv" | tail -1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$src/bench/cluster_ingest.py" jsonl "$csv" "$work/h.jsonl"
/usr/bin/time -f "%U %S" -o "$work/time" "$build/sitrep" ingest -q --db "$work/h.db" "$work/h.jsonl" 2> "$work/err" \
  || { echo "cluster bench: ingest failed"; tail -3 "$work/err"; exit 1; }
python3 "$src/bench/cluster_ingest.py" score "$csv" "$work/h.db"
awk -v n="$(wc -l < "$work/h.jsonl")" '{ printf "cluster via ingest: %d headlines in %.2f s CPU (read, code, store and cluster)\n", n, $1 + $2 }' "$work/time"
