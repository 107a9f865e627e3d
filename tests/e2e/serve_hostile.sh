#!/usr/bin/env bash
# e2e: hostile requests against sitrep serve on a random loopback port (the
# cases are in serve_hostile.py): path traversal, %00 and broken
# percent-encoding, 100 KB query strings, SQL and FTS metacharacters in
# every parameter, negative and huge limits, bad dates, HTTP/1.0 and
# pipelining, 1,000 idle connections, a client sending one byte a second,
# a rate limit.  Each gets its 4xx or is cut off, the server stays up, its
# memory stays bounded, and the store is the same afterwards.
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
src=${SITREP_SRC:?SITREP_SRC must name the source tree}
command -v python3 >/dev/null || { echo "skipped: python3 not installed"; exit 77; }
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT
db=$tmp/example.db
"$sitrep" ingest -q --db "$db" "$src/examples/reports.jsonl" 2>/dev/null || { echo "FAIL: ingest"; exit 1; }
before=$(sha256sum < "$db")

start() {
  local name=$1; shift
  "$sitrep" serve --db "$db" --listen 127.0.0.1:0 --threads 2 "$@" > "$tmp/$name.url" 2> "$tmp/$name.err" &
  pids+=($!)
  for _ in $(seq 200); do [ -s "$tmp/$name.url" ] && return 0; sleep 0.05; done
  echo "FAIL: sitrep serve ($name) did not start"; cat "$tmp/$name.err"; exit 1
}
start main --timeout 2
main_pid=${pids[0]}
start rate --rate 5
port() { sed -E 's|.*:([0-9]+)/$|\1|' "$tmp/$1.url"; }

fail=0
# ASan's shadow memory and quarantine make every allocation cost more
mem=64; [ -n "${SITREP_SANITIZED:-}" ] && mem=256
SITREP_HOST=127.0.0.1 SITREP_PORT=$(port main) SITREP_PID=$main_pid SITREP_RATE_PORT=$(port rate) \
  SITREP_MEM_MB=$mem python3 "$src/tests/e2e/serve_hostile.py" || fail=1
for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || { echo "FAIL: a server died"; cat "$tmp"/*.err; fail=1; }; done
kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; pids=()
[ "$(sha256sum < "$db")" = "$before" ] && echo "ok: the store file is unchanged" || { echo "FAIL: the store changed"; fail=1; }
exit $fail
