#!/usr/bin/env bash
# e2e: sitrep serve's JSON API over the example store (examples/), on a
# random loopback port: every route against its golden JSON
# (tests/e2e/serve_golden/, rewritten with SITREP_UPDATE_GOLDEN=1 after a
# deliberate change), the brief route byte for byte equal to `sitrep brief
# --format json`, the lists and exports equal to the CLI's, ETag/304, gzip,
# cursor paging that hands out every row exactly once, HEAD, the bearer
# token, and `sitrep dyad`.  The checks are in serve_api.py.
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

# start NAME ARGS...: sitrep serve on a free port; its URL in $tmp/NAME.url
start() {
  local name=$1; shift
  "$sitrep" serve --db "${store:-$db}" --listen 127.0.0.1:0 --threads 2 "$@" > "$tmp/$name.url" 2> "$tmp/$name.err" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$tmp/$name.url" ] && return 0; sleep 0.05; done
  echo "FAIL: sitrep serve ($name) did not start"; cat "$tmp/$name.err"; exit 1
}
start main
printf 'a-test-token-0123456789\n' > "$tmp/token"; chmod 600 "$tmp/token"
start token --token "$tmp/token"
# a store that goes away under a running server (its workers open their
# connections on their first request)
cp "$db" "$tmp/moving.db"
store=$tmp/moving.db start moving

fail=0
# a public address without a token is refused before anything listens
"$sitrep" serve --db "$db" --listen 0.0.0.0:0 > /dev/null 2> "$tmp/public.err"; rc=$?
if [ $rc -eq 2 ] && grep -q 'needs --token' "$tmp/public.err"; then echo "ok: 0.0.0.0 without --token: exit 2"
else echo "FAIL: 0.0.0.0 without --token: exit $rc"; cat "$tmp/public.err"; fail=1; fi
"$sitrep" serve --db "$tmp/none.db" --listen 127.0.0.1:0 > /dev/null 2>&1; rc=$?
[ $rc -eq 3 ] && echo "ok: a missing store: exit 3" || { echo "FAIL: a missing store: exit $rc"; fail=1; }

SITREP_URL=$(head -1 "$tmp/main.url") SITREP_TOKEN_URL=$(head -1 "$tmp/token.url") \
  SITREP_TOKEN_FILE=$tmp/token SITREP_DB=$db SITREP_TMP=$tmp \
  SITREP_MOVING_URL=$(head -1 "$tmp/moving.url") SITREP_MOVING_DB=$tmp/moving.db \
  python3 "$src/tests/e2e/serve_api.py" || fail=1
for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || { echo "FAIL: a server died"; fail=1; }; done
exit $fail
