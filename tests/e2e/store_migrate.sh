#!/usr/bin/env bash
# e2e: a store written by schema version 1 (tests/e2e/store_v1.sql, the
# example corpus as sitrep stored it before version 2) is migrated forward by
# the first command that opens it (here a reading one): nothing is lost or
# recounted differently, the near-copy bands are covering indexes, every
# mention carries its document's outlet, and the migrated store takes new
# documents and answers queries.
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
src=${SITREP_SRC:?SITREP_SRC must name the source tree}
# the schema this sitrep writes (sitrep/store.h)
schema=$(sed -n 's/^#define SR_STORE_SCHEMA \([0-9]*\).*/\1/p' "$src/include/sitrep/store.h")
command -v sqlite3 >/dev/null || { echo "skipped: sqlite3 (the CLI) not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

sqlite3 v1.db < "$src/tests/e2e/store_v1.sql" || { echo "FAIL: cannot load the v1 fixture"; exit 1; }
[ "$(sqlite3 v1.db 'PRAGMA user_version')" = 1 ] && ok "fixture is schema 1" || bad "fixture version"
counts() {
  sqlite3 v1.db "SELECT (SELECT count(*) FROM documents),(SELECT count(*) FROM mentions),
    (SELECT group_concat(id||':'||num_mentions||'/'||num_articles||'/'||num_sources, ' ')
       FROM (SELECT * FROM events ORDER BY id)),
    (SELECT count(*) FROM stories),(SELECT group_concat(id||':'||story_id, ' ') FROM documents)"
}
before=$(counts)

# the first command to open it, even a reading one, migrates it
"$sitrep" stories --db v1.db > out 2> err; rc=$?
[ $rc -eq 0 ] && [ -s out ] && ok "sitrep stories opens the old store" || { bad "old store read: exit $rc"; cat err; }
[ "$(sqlite3 v1.db 'PRAGMA user_version')" = "$schema" ] && ok "migrated to schema $schema" || bad "not migrated"
# re-ingesting the same corpus changes nothing
"$sitrep" ingest --db v1.db "$src/examples/reports.jsonl" 2> err; rc=$?
[ $rc -eq 0 ] && grep -q '0 added.*7 already stored' err && ok "re-ingest into the migrated store is a no-op" \
  || { bad "re-ingest: exit $rc"; cat err; }
after=$(counts)
[ "$before" = "$after" ] && ok "documents, mentions, event counts and stories unchanged" \
  || bad "migration changed the data: $before -> $after"
[ "$(sqlite3 v1.db 'PRAGMA integrity_check')" = ok ] && ok "integrity" || bad "integrity"
n=$(sqlite3 v1.db "SELECT count(*) FROM mentions m JOIN documents d ON d.id=m.doc_id
                   WHERE m.outlet_id IS NOT d.outlet_id")
[ "$n" = 0 ] && ok "every mention carries its document's outlet" || bad "$n mentions with a wrong outlet"
plan=$(sqlite3 v1.db "EXPLAIN QUERY PLAN SELECT id, simhash, coalesce(copy_of, id), story_id
                      FROM documents WHERE sh3=1 ORDER BY id DESC LIMIT 32")
echo "$plan" | grep -q "COVERING INDEX documents_sh3" && ! echo "$plan" | grep -q "TEMP B-TREE" \
  && ok "near-copy bands are covering indexes in id order" || bad "band plan: $plan"

cfg=$(sqlite3 v1.db "SELECT group_concat(k||'='||v, ' ') FROM (SELECT k, v FROM doc_fts_config
                     WHERE k IN ('automerge','crisismerge','hashsize') ORDER BY k)")
[ "$cfg" = "automerge=16 crisismerge=64 hashsize=8388608" ] && ok "search index merge settings ($cfg)" \
  || bad "search index settings: $cfg"

# the migrated store goes on working: a new report joins, queries answer
cat > new.jsonl <<'J'
{"url":"https://harbour-gazette.example/2026/03/09/ceasefire-talks","outlet":"Harbour Gazette","published":"2026-03-09T08:00:00Z","title":"Negotiators return to ceasefire talks","text":"Negotiators from both sides returned to the ceasefire talks on Monday, officials said. The United Nations envoy met the delegations in Geneva."}
J
"$sitrep" ingest --db v1.db new.jsonl 2> err; rc=$?
[ $rc -eq 0 ] && grep -q '1 added' err && ok "a new document is added after the migration" \
  || { bad "ingest after migration: exit $rc"; cat err; }
"$sitrep" stories --db v1.db > out 2> err && [ -s out ] && ok "stories answers" || bad "stories after migration"
"$sitrep" search --db v1.db ceasefire > out 2> err && grep -qi "ceasefire" out && ok "search finds the new document" \
  || bad "search after migration"
exit $fail
