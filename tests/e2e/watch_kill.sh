#!/usr/bin/env bash
# e2e: `sitrep watch` killed with SIGKILL in the middle of a cycle, three
# times (twice under the sanitizers), then run to the end.  The test server
# serves 240 (160) distinct article pages through one feed, 20 ms each, so a
# cycle lasts long enough to be interrupted.  After every kill the store passes integrity_check and
# still holds every document committed before it; the final store has the
# same documents, mentions and event counts as one uninterrupted run, no
# document twice, and no URL still pending.  Then SIGTERM: the watch
# finishes its document, commits and exits 1 ("run again to go on").
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
export SITREP_SRC=${SITREP_SRC:?SITREP_SRC must name the source tree}
. "$SITREP_SRC/tests/http_fixture/lib.sh"
tmp=$(mktemp -d)
FIXTURE_DIR=$tmp
trap 'fixture_stop; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
n=240
kills=3
if [ -n "${SITREP_SANITIZED:-}" ]; then n=160; kills=2; fi   # slower under the sanitizers
fixture_start "$tmp" --many $n
printf '%s/many/feed.xml Many 1s\n' "$BASE" > SOURCES
opts=(--once -q --no-places --allow-private=127.0.0.0/8 --delay 0 --per-host 2 SOURCES)
w() { "$sitrep" watch --db "$1" "${opts[@]}"; }

w ref.db 2>/dev/null
[ "$(q ref.db 'SELECT count(*) FROM documents')" -ge $n ] || bad "reference run: $(q ref.db 'SELECT count(*) FROM documents') documents"

: > committed
RANDOM=$$
for k in $(seq $kills); do
  "$sitrep" watch --db t.db "${opts[@]}" 2>/dev/null &
  pid=$!
  have=$(wc -l < committed)
  target=$(( have + 5 + RANDOM % 40 ))
  while kill -0 "$pid" 2>/dev/null; do
    c=$(q t.db "SELECT count(*) FROM documents" 2>/dev/null || echo 0)
    [ "${c:-0}" -ge "$target" ] && break
    sleep 0.02
  done
  sleep "0.0$(( RANDOM % 10 ))"
  if kill -KILL "$pid" 2>/dev/null; then live=yes; else live=no; fi
  wait "$pid" 2>/dev/null
  ic=$(q t.db "PRAGMA integrity_check")
  [ "$ic" = ok ] || bad "kill $k: integrity_check: $ic"
  q t.db "SELECT hash FROM documents" | LC_ALL=C sort > now
  lost=$(comm -23 committed now | wc -l)
  [ "$lost" -eq 0 ] || bad "kill $k: $lost committed documents lost"
  echo "kill $k (running: $live, aimed past $target documents): $(wc -l < now) documents committed," \
       "$(q t.db 'SELECT count(*) FROM watch_urls WHERE state=0') URLs pending, integrity $ic"
  mv now committed
  sleep 1   # the feed's interval, so the next run polls it again (it answers 304)
done
w t.db 2>/dev/null; rc=$?
[ $rc -eq 0 ] && ok "the run after the kills finishes (exit 0)" || bad "final run: exit $rc"
counts="SELECT (SELECT count(*) FROM documents), (SELECT count(DISTINCT hash) FROM documents),
  (SELECT count(*) FROM mentions), (SELECT count(*) FROM events),
  (SELECT sum(num_mentions) FROM events), (SELECT sum(num_articles) FROM events),
  (SELECT sum(num_sources) FROM events)"
got=$(q t.db "$counts"); want=$(q ref.db "$counts")
echo "final: docs|distinct|mentions|events|sum mentions|sum articles|sum outlets = $got (uninterrupted: $want)"
[ "$got" = "$want" ] && ok "final store equals an uninterrupted run" || bad "final counts differ"
hashes="SELECT hash FROM documents ORDER BY hash"
[ "$(q t.db "$hashes" | md5sum)" = "$(q ref.db "$hashes" | md5sum)" ] && ok "the same documents" || bad "documents differ"
[ "$(q t.db 'SELECT count(*) FROM watch_urls WHERE state != 1')" = 0 ] && ok "every URL settled, none pending" \
  || bad "unsettled: $(q t.db 'SELECT url, state FROM watch_urls WHERE state != 1' | head -3)"
fetched=$(awk '$4 ~ /^\/many\/p/' log | wc -l)
echo "page requests: $fetched for 2 x $n pages (the reference and the killed store): $((fetched - 2 * n)) fetched again after a kill (the uncommitted tail)"

# ---- SIGTERM: finish the document, commit, exit 1
"$sitrep" watch --db term.db "${opts[@]}" 2>/dev/null &
pid=$!
while kill -0 "$pid" 2>/dev/null && [ "$(q term.db 'SELECT count(*) FROM documents' 2>/dev/null || echo 0)" -lt 10 ]; do
  sleep 0.02
done
kill -TERM "$pid"
wait "$pid"; rc=$?
docs=$(q term.db 'SELECT count(*) FROM documents')
[ $rc -eq 1 ] && [ "$docs" -ge 10 ] && [ "$docs" -lt $n ] && ok "SIGTERM: stopped with $docs documents committed, exit 1" \
  || bad "SIGTERM: exit $rc, $docs documents"
[ "$(q term.db 'SELECT count(*) FROM watch_urls u LEFT JOIN documents d ON d.id = u.doc_id WHERE u.state = 1 AND d.id IS NULL')" = 0 ] \
  && ok "SIGTERM: every URL marked done has its document" || bad "SIGTERM: done URLs without documents"
exit $fail
