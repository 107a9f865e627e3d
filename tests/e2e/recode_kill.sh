#!/usr/bin/env bash
# e2e: `sitrep recode` killed with SIGKILL at random moments, on a store of
# generated documents whose coding is an older coder's (every third document
# coded nothing, every other one a different event code; no coder recorded).
# After every kill: the store passes integrity_check; every document the
# store says was re-coded (doc_coder) has exactly its new mentions and every
# other one exactly its old ones (nothing lost, nothing twice); no
# committed document is un-done; event and actor counts match the mentions.
# Then a TERM stops a run cleanly (exit 1, committed), a final run finishes,
# and the store equals a fresh ingest.  Last, a `recode --all` killed
# mid-run is resumed after its last committed document by the next one.
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
src=${SITREP_SRC:?SITREP_SRC must name the source tree}
command -v sqlite3 >/dev/null || { echo "skipped: sqlite3 (the CLI) not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $1"; fail=1; }
n=4000
[ -n "${SITREP_SANITIZED:-}" ] && n=1400   # the sanitizers are ~10x slower
batch=$(sed -n 's/^#define SR_RECODE_BATCH *\([0-9]*\).*/\1/p' "$src/include/sitrep/store.h")
awk -v N=$n -f "$src/tests/e2e/gen_reports.awk" > docs.jsonl
q() { sqlite3 -cmd '.timeout 5000' "$1" "$2"; }

# the reference: a fresh ingest with this sitrep
"$sitrep" ingest -q --db ref.db docs.jsonl 2>/dev/null || { echo "FAIL: reference ingest"; exit 1; }
# the "old" store: the same documents as an older coder coded them
cp ref.db old.db
q old.db "
  DELETE FROM mention_geo WHERE mention_id IN (SELECT id FROM mentions WHERE doc_id % 3 = 0);
  DELETE FROM mentions WHERE doc_id % 3 = 0;
  UPDATE mentions SET cameo = '010' WHERE doc_id % 2 = 1;
  DELETE FROM events;
  INSERT INTO events(day, source, target, cameo, root, quad, goldstein, num_mentions, num_articles,
                     num_sources, added)
    SELECT d.day, m.source, m.target, m.cameo, substr(m.cameo, 1, 2), 1, 0.0, count(*),
           count(DISTINCT m.doc_id), count(DISTINCT m.outlet_id), 'old'
    FROM mentions m JOIN documents d ON d.id = m.doc_id GROUP BY 1, 2, 3, 4;
  UPDATE mentions SET event_id = (SELECT e.id FROM events e JOIN documents d ON d.id = mentions.doc_id
    WHERE e.day = d.day AND e.source = mentions.source AND e.target = mentions.target
      AND e.cameo = mentions.cameo);
  DELETE FROM actors;
  INSERT INTO actors(code, text, known, mentions, first_doc)
    SELECT code, text, 1, count(*), min(doc_id) FROM (
      SELECT source AS code, source_text AS text, doc_id FROM mentions
      UNION ALL SELECT target, target_text, doc_id FROM mentions WHERE target <> '') GROUP BY 1, 2;
  DELETE FROM issues; DELETE FROM doc_coder; DELETE FROM coders;" || { echo "FAIL: making the old store"; exit 1; }
cp old.db t.db
# each document's coding as one line, new (ref) and old
sig="SELECT doc_id, group_concat(k, '|') AS s FROM (SELECT doc_id, sentence || ',' || source || ',' || target
       || ',' || cameo || ',' || verb_text AS k FROM mentions ORDER BY doc_id, k) GROUP BY doc_id"
q ref.db "CREATE TABLE sig_new AS $sig" && q old.db "CREATE TABLE sig_old AS $sig"
check="ATTACH 'ref.db' AS r; ATTACH 'old.db' AS o;
  CREATE TEMP TABLE now_sig(doc_id INTEGER PRIMARY KEY, s TEXT);
  INSERT INTO now_sig $sig;
  SELECT count(*) FROM documents d WHERE
    coalesce((SELECT s FROM now_sig WHERE doc_id = d.id), '') <>
    CASE WHEN d.id IN (SELECT doc_id FROM doc_coder)
         THEN coalesce((SELECT s FROM r.sig_new WHERE doc_id = d.id), '')
         ELSE coalesce((SELECT s FROM o.sig_old WHERE doc_id = d.id), '') END;"
consistent() {  # events and actors agree with the mentions, no event without one
  q t.db "SELECT (SELECT count(*) FROM events e WHERE num_mentions <> (SELECT count(*) FROM mentions WHERE event_id = e.id)
             OR num_articles <> (SELECT count(DISTINCT doc_id) FROM mentions WHERE event_id = e.id)
             OR num_mentions = 0)
    + (SELECT count(*) FROM actors a WHERE mentions <>
         (SELECT count(*) FROM mentions WHERE source = a.code AND source_text = a.text)
       + (SELECT count(*) FROM mentions WHERE target = a.code AND target_text = a.text))"
}
nold=$(q old.db "SELECT count(*) FROM mentions"); nnew=$(q ref.db "SELECT count(*) FROM mentions")
echo "old coding: $nold mentions; new coding: $nnew mentions; $n documents, batches of $batch"

RANDOM=$$
kills=5 live=0 have=0 k=0
while [ $live -lt $kills ] && [ $k -lt $((3 * kills)) ]; do
  k=$((k + 1))
  if [ "$have" -eq "$n" ]; then
    # a loaded machine let a run finish before its kill: start again
    echo "all $n re-coded before a kill landed: again from the old store"
    cp old.db t.db; rm -f t.db-wal t.db-shm; have=0
  fi
  "$sitrep" recode -q --db t.db 2>/dev/null &
  pid=$!
  # wait until this run has committed a batch (so the kill is mid-run,
  # never in start-up), then a random 0-40 ms more, so the kill lands
  # anywhere inside the next batch; each kill leaves at least a batch done
  target=$(( have + 1 ))
  while kill -0 "$pid" 2>/dev/null; do
    c=$(q t.db "SELECT count(*) FROM doc_coder" 2>/dev/null || echo 0)
    [ "${c:-0}" -ge "$target" ] && break
    sleep 0.005
  done
  delay_ms=$(( RANDOM % 41 ))
  sleep "$(printf '0.%03d' "$delay_ms")"
  hit=finished
  if kill -KILL "$pid" 2>/dev/null; then live=$((live + 1)); hit=killed; fi
  wait "$pid" 2>/dev/null
  ic=$(q t.db "PRAGMA integrity_check")
  [ "$ic" = ok ] || bad "run $k: integrity_check: $ic"
  done_now=$(q t.db "SELECT count(*) FROM doc_coder")
  [ "$done_now" -ge "$have" ] || bad "run $k: $((have - done_now)) committed documents un-done"
  [ $((done_now % batch)) -eq 0 ] || [ "$done_now" -eq "$n" ] || bad "run $k: $done_now re-coded is not whole batches"
  wrong=$(q t.db "$check")
  [ "$wrong" = 0 ] || bad "run $k: $wrong documents whose mentions are neither all old nor all new"
  stale=$(consistent)
  [ "$stale" = 0 ] || bad "run $k: $stale events or actors that disagree with the mentions"
  echo "run $k $hit (after a commit past $have documents, +${delay_ms} ms): $done_now re-coded, $(q t.db "SELECT count(*) FROM mentions") mentions; integrity $ic, $wrong mixed documents, $stale stale counts"
  have=$done_now
done
[ "$live" -eq "$kills" ] || bad "only $live of $k kills hit a running recode"

# TERM: stops after the current document, commits it, says so, exit 1
"$sitrep" recode --db t.db 2> term.err &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  c=$(q t.db "SELECT count(*) FROM doc_coder" 2>/dev/null || echo 0)
  [ "${c:-0}" -gt "$have" ] && break
  sleep 0.005
done
kill -TERM "$pid" 2>/dev/null
wait "$pid"; rc=$?
if grep -q "interrupted" term.err; then
  [ $rc -eq 1 ] && echo "ok: TERM stops a run: exit 1, $(grep 'documents re-coded' term.err)" || bad "TERM: exit $rc"
  [ "$(q t.db "$check")" = 0 ] || bad "after TERM: mixed documents"
elif [ $rc -ne 0 ]; then
  bad "TERM: exit $rc"; cat term.err
fi

"$sitrep" recode -q --db t.db 2> final.err; rc=$?
[ $rc -eq 0 ] || { bad "final run: exit $rc"; cat final.err; }
diff <(sqlite3 t.db < "$src/tests/e2e/recode_coding.sql") <(sqlite3 ref.db < "$src/tests/e2e/recode_coding.sql") > d \
  && echo "ok: after $live kills and a final run the store equals a fresh ingest ($(q t.db "SELECT count(*) FROM mentions") mentions, $(q t.db "SELECT count(*) FROM events") events)" \
  || { bad "final store differs from a fresh ingest"; head -10 d; }
[ "$(q t.db "SELECT count(*) FROM doc_coder")" = "$n" ] || bad "not every document recorded as re-coded"

# --all: what a killed run did is not done again by the next
killed=0
for try in 1 2 3; do   # a loaded machine may let a run finish first: again
  "$sitrep" recode -q --all --db t.db 2>/dev/null &
  pid=$!
  target=$(( n / 3 ))
  while kill -0 "$pid" 2>/dev/null; do
    c=$(q t.db "SELECT coalesce((SELECT last_doc FROM recode_state), 0)" 2>/dev/null || echo 0)
    [ "${c:-0}" -ge "$target" ] && break
    sleep 0.005
  done
  kill -KILL "$pid" 2>/dev/null && killed=1
  wait "$pid" 2>/dev/null
  [ $killed -eq 1 ] && break
done
[ $killed -eq 1 ] || bad "three --all runs ended before their kill"
last=$(q t.db "SELECT last_doc FROM recode_state")
"$sitrep" recode --all --db t.db 2> all.err; rc=$?
left=$(q t.db "SELECT count(*) FROM documents WHERE id > ${last:-0}")
if [ $rc -eq 0 ] && grep -q "after document $last$" all.err && grep -q "^recode: $left documents re-coded" all.err; then
  echo "ok: --all killed after document $last; the next run went on from there and re-coded the $left left"
else
  bad "--all resume (last $last, $left left): exit $rc"; cat all.err
fi
diff <(sqlite3 t.db < "$src/tests/e2e/recode_coding.sql") <(sqlite3 ref.db < "$src/tests/e2e/recode_coding.sql") > d \
  || { bad "after the --all resume the store differs from a fresh ingest"; head -10 d; }
[ "$(q t.db "PRAGMA integrity_check")" = ok ] || bad "final integrity_check"
[ $fail -eq 0 ] && echo "ok: nothing committed was lost or coded twice"
exit $fail
