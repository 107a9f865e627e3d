#!/usr/bin/env bash
# e2e: sitrep serve answers while `sitrep ingest` writes to the same store
# (WAL; each worker its own read-only connection).  Clients keep asking for
# health, stories, a brief, an event export, the network and a timeline
# during the ingest: every answer must be whole and a 200, the counts must
# only grow, the new story must appear without a restart, and ingest must
# not be held up by the readers.  The client is serve_ingest.py.
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
src=${SITREP_SRC:?SITREP_SRC must name the source tree}
command -v python3 >/dev/null || { echo "skipped: python3 not installed"; exit 77; }
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }; rm -rf "$tmp"; }
trap cleanup EXIT
db=$tmp/store.db
"$sitrep" ingest -q --db "$db" "$src/examples/reports.jsonl" 2>/dev/null || { echo "FAIL: ingest"; exit 1; }
n=1200; [ -n "${SITREP_SANITIZED:-}" ] && n=400
awk -v N=$n -f "$src/tests/e2e/gen_reports.awk" > "$tmp/more.jsonl"
"$sitrep" serve --db "$db" --listen 127.0.0.1:0 --threads 2 > "$tmp/url" 2> "$tmp/serve.err" &
pid=$!
for _ in $(seq 200); do [ -s "$tmp/url" ] && break; sleep 0.05; done
[ -s "$tmp/url" ] || { echo "FAIL: sitrep serve did not start"; cat "$tmp/serve.err"; exit 1; }
fail=0
SITREP_URL=$(head -1 "$tmp/url") SITREP_DB=$db SITREP_MORE=$tmp/more.jsonl SITREP_N=$n \
  python3 "$src/tests/e2e/serve_ingest.py" || fail=1
kill -0 "$pid" 2>/dev/null || { echo "FAIL: sitrep serve died"; cat "$tmp/serve.err"; fail=1; }
exit $fail
