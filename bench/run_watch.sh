#!/usr/bin/env bash
# bench/run_watch.sh BUILD_DIR: `sitrep watch` over 1,000 article pages
# served from loopback through 10 RSS feeds (tests/http_fixture/server.py,
# the scrapinghub pages repeated and made distinct as bench/make_corpus.py
# does), against `sitrep ingest` of the same 1,000 pages from disk in the
# same run.  Reported: documents/s (CPU of sitrep itself, and wall clock),
# the ratio watch/ingest CPU (target: fetching costs <= 25% over ingesting
# from disk), peak memory at 300 and 1,000 pages (flat), and the most
# requests the server ever saw in flight to the host (never above
# --per-host 2).  Each command runs twice on a fresh store; the better run
# is the figure.
set -euo pipefail
build=${1:?usage: bench/run_watch.sh BUILD_DIR}
build=$(cd "$build" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
pages=$src/../shared/data/extraction/scrapinghub/html
[ -d "$pages" ] || { echo "skipped: $pages not found"; exit 0; }
n=${SITREP_BENCH_PAGES:-1000}
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

python3 "$src/tests/http_fixture/server.py" --reports "$src/examples/reports.jsonl" \
    --port-file "$work/port" --log "$work/log" --lifetime 900 --pages "$pages:$n" &
server=$!
for _ in $(seq 600); do [ -s "$work/port" ] && break; sleep 0.05; done
base="http://127.0.0.1:$(cat "$work/port")"
feeds=$(( (n + 99) / 100 ))
for k in $(seq 0 $((feeds - 1))); do echo "$base/bench/feed$k.xml Bench"; done > "$work/SOURCES"
head -3 "$work/SOURCES" > "$work/SOURCES300"
# the same pages on disk, byte for byte what the server sends
python3 - "$base" "$n" "$work/pages" <<'EOF'
import os, sys, urllib.request
base, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.makedirs(out)
for i in range(n):
    with open(os.path.join(out, "p%05d.html" % i), "wb") as f:
        f.write(urllib.request.urlopen("%s/bench/p%d.html" % (base, i)).read())
EOF
: > "$work/log"
echo "watch bench: $n pages, $(du -sh "$work/pages" | cut -f1) of HTML, $feeds feeds, one host on loopback"

# run LABEL CMD...: "LABEL cpu_s wall_s peak_kib"
run() {
  local label=$1; shift
  rm -f "$work"/*.db "$work"/*.db-*
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f "%U %S %M" -o "$work/time" "$@" > /dev/null 2> "$work/err" || {
    echo "watch bench: $label failed:"; tail -5 "$work/err"; exit 1; }
  t1=$(date +%s.%N)
  awk -v l="$label" -v t0="$t0" -v t1="$t1" '{printf "%s %.2f %.2f %d\n", l, $1 + $2, t1 - t0, $3}' "$work/time"
}
best() {
  local a b
  a=$(run "$@"); b=$(run "$@")
  printf '%s\n%s\n' "$a" "$b" | sort -k2 -g | head -1
}
watch=("$build/sitrep" watch --once -q --allow-private=127.0.0.0/8 --delay 0 --db "$work/w.db")
read -r _ ing_cpu ing_wall ing_kib < <(best ingest "$build/sitrep" ingest -q --db "$work/w.db" "$work/pages")
ing_docs=$(sqlite3 "$work/w.db" "SELECT count(*) FROM documents")
read -r _ w_cpu w_wall w_kib < <(best watch "${watch[@]}" "$work/SOURCES")
w_docs=$(sqlite3 "$work/w.db" "SELECT count(*) FROM documents")
read -r _ _ _ w3_kib < <(run watch-300 "${watch[@]}" "$work/SOURCES300")
maxhost=$(awk '{print $2}' "$work/log.max" | sort -n | tail -1)
awk -v n="$n" -v ic="$ing_cpu" -v iw="$ing_wall" -v ik="$ing_kib" -v id="$ing_docs" \
    -v wc="$w_cpu" -v ww="$w_wall" -v wk="$w_kib" -v wd="$w_docs" -v w3="$w3_kib" -v mh="$maxhost" 'BEGIN {
  printf "watch bench: reference, sitrep ingest of the %d pages from disk: %.2f s CPU = %.0f docs/s per core, %.2f s wall, peak %.0f MiB, %d documents stored\n", n, ic, n / ic, iw, ik / 1024, id
  printf "watch bench: sitrep watch --once over loopback: %.2f s CPU = %.0f docs/s per core, %.2f s wall = %.0f docs/s fetched and ingested, peak %.0f MiB, %d documents stored\n", wc, n / wc, ww, n / ww, wk / 1024, wd
  printf "watch bench: ratio watch/ingest CPU %.2f (fetching costs %+.0f%%); target <= 1.25: %s\n", wc / ic, (wc / ic - 1) * 100, (wc / ic <= 1.25 ? "met" : "NOT met")
  printf "watch bench: peak memory 300 pages %.0f MiB, %d pages %.0f MiB (flat: %s)\n", w3 / 1024, n, wk / 1024, (wk < w3 * 1.25 + 8192 ? "yes" : "NO")
  printf "watch bench: most requests in flight to the host: %d (limit 2: %s)\n", mh, (mh <= 2 ? "kept" : "EXCEEDED")
  printf "watch bench: same documents as ingest: %s\n", (wd == id ? "yes" : "NO")
}'
