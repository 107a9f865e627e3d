#!/usr/bin/env bash
# e2e: `sitrep ingest` killed with SIGKILL at ten random moments over a run
# of 4,000 generated documents.  After every kill the store must pass
# PRAGMA integrity_check and still hold every document that was committed
# before it; a final run must finish the work with no duplicate documents,
# mentions or event counts: the same counts as one clean run.
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
src=${SITREP_SRC:?SITREP_SRC must name the source tree}
command -v sqlite3 >/dev/null || { echo "skipped: sqlite3 (the CLI) not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
n=4000
awk -v N=$n -f "$src/tests/e2e/gen_reports.awk" > docs.jsonl

q() { sqlite3 "$1" "$2"; }

# a clean run: the reference
"$sitrep" ingest -q --db ref.db docs.jsonl 2>/dev/null || { echo "FAIL: clean run"; exit 1; }

: > committed
live=0
RANDOM=$$
for k in $(seq 10); do
  "$sitrep" ingest -q --db t.db docs.jsonl 2>/dev/null &
  pid=$!
  # a random moment within the run: wait until the store holds a random
  # number of documents between what it had and the end (so the kill lands
  # mid-run however fast or loaded the machine is), then a random 0-40 ms
  # more, so it lands anywhere inside the next batch
  have=$(wc -l < committed)
  share=$(( (n - 1000 - have) / (11 - k) ))  # keep the last batches for later kills
  [ "$share" -ge 1 ] || share=1
  target=$(( have + RANDOM % share ))
  while kill -0 "$pid" 2>/dev/null; do
    c=$(q t.db "SELECT count(*) FROM documents" 2>/dev/null || echo 0)
    [ "${c:-0}" -ge "$target" ] && break
    sleep 0.005
  done
  delay_ms=$(( RANDOM % 41 ))
  sleep "$(printf '0.%03d' "$delay_ms")"
  if kill -KILL "$pid" 2>/dev/null; then live=$((live + 1)); fi
  wait "$pid" 2>/dev/null
  [ -f t.db ] || continue
  ic=$(q t.db "PRAGMA integrity_check")
  if [ "$ic" != "ok" ]; then echo "FAIL: kill $k: integrity_check: $ic"; fail=1; fi
  q t.db "SELECT hash FROM documents" | LC_ALL=C sort > now
  lost=$(comm -23 committed now | wc -l)
  if [ "$lost" -ne 0 ]; then echo "FAIL: kill $k: $lost committed documents lost"; fail=1; fi
  echo "kill $k (aimed past $target documents, +${delay_ms} ms): $(wc -l < now) documents committed, integrity $ic"
  mv now committed
done

[ "$live" -eq 10 ] || { echo "FAIL: only $live of 10 kills hit a running ingest"; fail=1; }
"$sitrep" ingest -q --db t.db docs.jsonl 2>/dev/null
rc=$?
[ $rc -eq 0 ] || { echo "FAIL: final run exit $rc"; fail=1; }
counts="SELECT (SELECT count(*) FROM documents), (SELECT count(DISTINCT hash) FROM documents),
  (SELECT count(*) FROM mentions), (SELECT count(*) FROM events),
  (SELECT sum(num_mentions) FROM events), (SELECT sum(num_articles) FROM events),
  (SELECT sum(num_sources) FROM events)"
got=$(q t.db "$counts"); want=$(q ref.db "$counts")
echo "final: docs|distinct|mentions|events|sum mentions|sum articles|sum outlets = $got (clean run: $want)"
[ "$got" = "$want" ] || { echo "FAIL: final counts differ from a clean run"; fail=1; }
case "$got" in "$n|$n|"*) ;; *) echo "FAIL: expected $n documents"; fail=1 ;; esac
# counts are recounted from the mentions, never left stale
stale=$(q t.db "SELECT count(*) FROM events e WHERE num_mentions != (SELECT count(*) FROM mentions WHERE event_id = e.id)
  OR num_articles != (SELECT count(DISTINCT doc_id) FROM mentions WHERE event_id = e.id)")
[ "$stale" = 0 ] || { echo "FAIL: $stale events with stale counts"; fail=1; }
dups=$(q t.db "SELECT count(*) FROM (SELECT 1 FROM mentions GROUP BY doc_id, sentence, source, target, cameo, verb_text HAVING count(*) > 1)")
[ "$dups" = 0 ] || { echo "FAIL: $dups duplicated mentions"; fail=1; }
[ "$(q t.db "PRAGMA integrity_check")" = ok ] || { echo "FAIL: final integrity_check"; fail=1; }
[ $fail -eq 0 ] && echo "ok: $live kills mid-run, nothing committed was lost, final store equals a clean run"
exit $fail
