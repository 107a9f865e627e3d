#!/usr/bin/env bash
# e2e: the store commands over the example corpus (examples/reports.jsonl):
# ingest is idempotent and quiet off a terminal, the store is WAL at the
# current schema version, stories group the three happenings, near-copies
# count once, events filter and export (text, jsonl, csv, GDELT's 61
# columns), search finds documents, and bad use gives the documented exit
# codes.
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
src=${SITREP_SRC:?SITREP_SRC must name the source tree}
# the schema this sitrep writes (sitrep/store.h)
schema=$(sed -n 's/^#define SR_STORE_SCHEMA \([0-9]*\).*/\1/p' "$src/include/sitrep/store.h")
command -v sqlite3 >/dev/null || { echo "skipped: sqlite3 (the CLI) not installed"; exit 77; }
command -v python3 >/dev/null || { echo "skipped: python3 not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
corpus="$src/examples/reports.jsonl"
export SITREP_DB="$tmp/env.db"

"$sitrep" ingest "$corpus" > out 2> err; rc=$?
[ $rc -eq 0 ] && ok "ingest exit 0" || bad "ingest exit $rc"
[ -f env.db ] && ok "\$SITREP_DB names the store" || bad "no store at \$SITREP_DB"
grep -q $'\r' err && bad "progress line printed off a terminal" || ok "no progress line off a terminal"
grep -q '^ingest: 7 documents read, 7 added (1 near-copies)' err && ok "summary: 7 added, 1 near-copy" || { bad "summary"; cat err; }
[ ! -s out ] && ok "nothing on stdout" || bad "ingest wrote to stdout"
before=$(sqlite3 env.db "SELECT (SELECT count(*) FROM documents),(SELECT count(*) FROM mentions),(SELECT sum(num_mentions) FROM events),(SELECT count(*) FROM stories)")
"$sitrep" ingest "$corpus" 2> err2; rc=$?
after=$(sqlite3 env.db "SELECT (SELECT count(*) FROM documents),(SELECT count(*) FROM mentions),(SELECT sum(num_mentions) FROM events),(SELECT count(*) FROM stories)")
[ $rc -eq 0 ] && [ "$before" = "$after" ] && grep -q '0 added.*7 already stored' err2 \
  && ok "re-ingesting changes nothing ($after)" || bad "re-ingest changed the store: $before -> $after"
[ "$(sqlite3 env.db 'PRAGMA journal_mode')" = wal ] && ok "WAL journal" || bad "not WAL"
[ "$(sqlite3 env.db 'PRAGMA user_version')" = "$schema" ] && ok "schema version $schema" || bad "schema version"
[ "$(sqlite3 env.db 'PRAGMA integrity_check')" = ok ] && ok "integrity" || bad "integrity"

"$sitrep" stories --format jsonl > stories.jsonl || bad "stories"
python3 - stories.jsonl <<'PY' || fail=1
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
shape = sorted((s["documents"], s["outlets"]) for s in r)
ok = shape == [(2, 2), (2, 2), (3, 3)]
print(("ok" if ok else "FAIL") + ": three stories of 3, 2 and 2 documents: %s" % shape)
sys.exit(0 if ok else 1)
PY
"$sitrep" brief --format json 3 > b3.json 2>/dev/null || "$sitrep" brief --format json --latest > b3.json
python3 -c 'import json,sys; b=json.load(open("b3.json")); s=b["story"]; sys.exit(0 if s["documents"]==2 and s["independent_reports"]==1 and len(b["outlets"])==2 else 1)' \
  && ok "a near-copy is one independent report, both outlets listed" || bad "near-copy story: $(head -c 300 b3.json)"

"$sitrep" events --actor TUR > ev.txt || bad "events --actor"
[ -s ev.txt ] && ! grep -v 'TUR' ev.txt | grep -q . && ok "events --actor TUR: only TUR rows" || bad "events --actor TUR"
"$sitrep" events --format gdelt > ev.tsv || bad "events --format gdelt"
awk -F'\t' 'NF != 61 { bad = 1 } END { exit bad || NR == 0 }' ev.tsv && ok "gdelt: 61 columns on $(wc -l < ev.tsv) rows" || bad "gdelt column count"
awk -F'\t' '$2 !~ /^2025[0-9][0-9][0-9][0-9]$/ { bad = 1 } END { exit bad }' ev.tsv && ok "gdelt SQLDATE from the documents' dates" || bad "gdelt SQLDATE"
"$sitrep" events --format csv | head -1 | grep -q '^id,day,source,target,cameo' && ok "csv header" || bad "csv header"
"$sitrep" events --format jsonl | python3 -c 'import json,sys; [json.loads(l) for l in sys.stdin]' && ok "jsonl parses" || bad "jsonl"
n_all=$("$sitrep" events | wc -l); n_since=$("$sitrep" events --since 2025-05-01 | wc -l)
[ "$n_since" -gt 0 ] && [ "$n_since" -lt "$n_all" ] && ok "--since narrows ($n_all -> $n_since)" || bad "--since: $n_all -> $n_since"
"$sitrep" events --modality reported --format jsonl | python3 -c 'import sys; sys.exit(0)' || bad "--modality"

"$sitrep" search radar > hits.txt 2>/dev/null || bad "search"
grep -q 'radar' hits.txt && ok "search finds the radar reports" || bad "search radar: $(cat hits.txt)"
"$sitrep" search 'AND OR (' > /dev/null 2>&1; rc=$?
[ $rc -eq 0 ] || [ $rc -eq 2 ] && ok "a query FTS5 cannot parse is retried or a usage error ($rc)" || bad "bad query exit $rc"

"$sitrep" events --root 4 >/dev/null 2>&1; [ $? -eq 2 ] && ok "bad --root: exit 2" || bad "bad --root exit"
"$sitrep" brief >/dev/null 2>&1; [ $? -eq 2 ] && ok "brief without a story: exit 2" || bad "brief usage exit"
"$sitrep" stories --db "$tmp/none.db" >/dev/null 2>&1; [ $? -eq 3 ] && ok "missing store: exit 3" || bad "missing store exit"
"$sitrep" brief 999 >/dev/null 2>&1; [ $? -eq 3 ] && ok "unknown story: exit 3" || bad "unknown story exit"
printf '{"outlet":"X","text":"Officials met in Cairo on Monday."}\n{"text": broken\n' > broken.jsonl
"$sitrep" ingest broken.jsonl 2> err3; rc=$?
[ $rc -eq 1 ] && grep -q '^sitrep: broken.jsonl:2: ' err3 && ok "a bad record: skipped, exit 1" || bad "bad record: exit $rc: $(cat err3)"
sqlite3 env.db "CREATE TABLE IF NOT EXISTS x(a)" && sqlite3 env.db "PRAGMA user_version=99"
"$sitrep" ingest "$corpus" > /dev/null 2>&1; [ $? -eq 3 ] && ok "a newer schema is refused (exit 3)" || bad "newer schema accepted"
"$sitrep" stories > /dev/null 2> err4; rc=$?
[ $rc -eq 3 ] && grep -q "schema version 99; this sitrep knows up to $schema" err4 \
  && ok "reading a newer store is refused and says why" || bad "newer store read: exit $rc: $(cat err4)"
exit $fail
