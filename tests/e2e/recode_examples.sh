#!/usr/bin/env bash
# e2e: `sitrep recode` brings a store's coding up to date.
#  - right after ingest the documents are already coded by this coder: a
#    recode does nothing, --all re-codes them into the same store;
#  - a store whose coding was damaged (mentions deleted, a bogus mention and
#    event, a wrong Goldstein score, lost issue rows, an inflated actor
#    count) is, after recode --all, what a fresh ingest makes: same
#    mentions, events and counts, places, actors, issues;
#  - the schema-1 store an older sitrep wrote (tests/e2e/store_v1.sql) is
#    migrated and re-coded into what a fresh ingest makes, keeping its
#    documents, their ids, stories and search index;
#  - the command's conventions: --help, usage errors, no store.
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
src=${SITREP_SRC:?SITREP_SRC must name the source tree}
command -v sqlite3 >/dev/null || { echo "skipped: sqlite3 (the CLI) not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
coding() { sqlite3 "$1" < "$src/tests/e2e/recode_coding.sql"; }
kept() {  # what recode must not change: documents, their stories, the search index
  sqlite3 "$1" "SELECT id, hash, story_id, coalesce(copy_of, 0), outlet_id, day FROM documents ORDER BY id;
                SELECT id, title, ndocs, coalesce(merged_into, 0), hex(centroid) FROM stories ORDER BY id;
                SELECT rowid FROM doc_fts WHERE doc_fts MATCH 'defence' ORDER BY rowid;"
}
summary() { grep '^recode: .* re-coded' "$1"; }

"$sitrep" ingest -q --db ref.db "$src/examples/" 2>/dev/null || { echo "FAIL: reference ingest"; exit 1; }
"$sitrep" ingest -q --db t.db "$src/examples/" 2>/dev/null || { echo "FAIL: ingest"; exit 1; }
ndocs=$(sqlite3 t.db "SELECT count(*) FROM documents")
nment=$(sqlite3 t.db "SELECT count(*) FROM mentions")
[ "$nment" -gt 0 ] || { echo "FAIL: the examples gave no mentions"; exit 1; }
coding ref.db > ref.coding
kept t.db > t.kept

# 1. just ingested: nothing to do
"$sitrep" recode --db t.db 2> err; rc=$?
[ $rc -eq 0 ] && summary err | grep -q "^recode: 0 documents re-coded, 0 skipped, $ndocs already coded by this coder" \
  && ok "after ingest every document is current: nothing re-coded" || { bad "recode after ingest: exit $rc"; cat err; }
[ "$(sqlite3 t.db "SELECT count(*) FROM doc_coder")" = "$ndocs" ] && ok "ingest recorded the coder of each document" \
  || bad "doc_coder rows"
# --all re-codes everything into the same coding
"$sitrep" recode --all --db t.db 2> err; rc=$?
[ $rc -eq 0 ] && summary err | grep -q "^recode: $ndocs documents re-coded, 0 skipped.*mentions $nment -> $nment" \
  && ok "--all re-codes all $ndocs documents ($nment mentions before and after)" || { bad "recode --all: exit $rc"; cat err; }
coding t.db | diff -q - ref.coding >/dev/null && ok "--all leaves the same coding" || bad "--all changed the coding"

# 2. damage the coding, then recode --all
sqlite3 t.db "
  DELETE FROM mention_geo WHERE mention_id IN (SELECT id FROM mentions WHERE doc_id IN (2, 5));
  DELETE FROM mentions WHERE doc_id IN (2, 5);
  INSERT INTO events(day, source, target, cameo, root, quad, goldstein, num_mentions, num_articles,
                     num_sources, added) VALUES(20250303, 'XXX', 'YYY', '190', '19', 4, -10, 1, 1, 1, 'x');
  INSERT INTO mentions(doc_id, event_id, sentence, source, target, cameo, modality, verb_text, outlet_id)
    VALUES(3, last_insert_rowid(), 0, 'XXX', 'YYY', '190', 'asserted', 'fought', 3);
  INSERT INTO actors(code, text, known, mentions, first_doc) VALUES('XXX', 'bogus', 1, 1, 3);
  UPDATE events SET goldstein = 9.9, num_mentions = 42 WHERE id = (SELECT min(id) FROM events);
  UPDATE actors SET mentions = mentions + 5 WHERE rowid = (SELECT min(rowid) FROM actors);
  DELETE FROM issues;"
coding t.db | diff -q - ref.coding >/dev/null && bad "the damage did not change the coding"
"$sitrep" recode --all --db t.db 2> err; rc=$?
[ $rc -eq 0 ] && summary err | grep -q "^recode: $ndocs documents re-coded" && ok "recode --all on the damaged store: $(summary err)" \
  || { bad "recode --all (damaged): exit $rc"; cat err; }
coding t.db > t.coding
diff t.coding ref.coding > d && ok "damaged store re-coded = fresh ingest ($(grep -c '^mention' t.coding) mentions, $(grep -c '^event' t.coding) events, $(grep -c '^place' t.coding) places, $(grep -c '^actor' t.coding) actors)" \
  || { bad "re-coded store differs from a fresh ingest"; head -20 d; }
kept t.db | diff -q - t.kept >/dev/null && ok "documents, ids, stories and the search index kept" \
  || bad "recode changed documents, stories or the search index"
[ "$(sqlite3 t.db "SELECT count(*) FROM events WHERE num_mentions = 0")" = 0 ] && ok "no event left without mentions" \
  || bad "events without mentions"
[ "$(sqlite3 t.db "SELECT count(*) FROM recode_state")" = 0 ] && ok "a finished run leaves no recode_state" \
  || bad "recode_state left behind"
[ "$(sqlite3 t.db "PRAGMA integrity_check")" = ok ] && ok "integrity" || bad "integrity"

# 3. a store an older sitrep wrote (schema 1): migrated, re-coded = fresh ingest
sqlite3 v1.db < "$src/tests/e2e/store_v1.sql" || { echo "FAIL: cannot load the v1 fixture"; exit 1; }
"$sitrep" ingest -q --db fresh.db "$src/examples/reports.jsonl" 2>/dev/null || bad "fresh ingest of reports.jsonl"
kept v1.db > v1.kept
n1=$(sqlite3 v1.db "SELECT count(*) FROM documents")
"$sitrep" recode --db v1.db 2> err; rc=$?
[ $rc -eq 0 ] && summary err | grep -q "^recode: $n1 documents re-coded" && ok "v1 store: $(summary err)" \
  || { bad "recode of the v1 store: exit $rc"; cat err; }
schema=$(sed -n 's/^#define SR_STORE_SCHEMA \([0-9]*\).*/\1/p' "$src/include/sitrep/store.h")
[ "$(sqlite3 v1.db 'PRAGMA user_version')" = "$schema" ] && ok "v1 store migrated to schema $schema" || bad "not migrated"
diff <(coding v1.db) <(coding fresh.db) > d && ok "v1 store re-coded = a fresh ingest of the same reports" \
  || { bad "v1 store re-coded differs from a fresh ingest"; head -20 d; }
kept v1.db | diff -q - v1.kept >/dev/null && ok "v1 documents, ids, stories and search index kept" \
  || bad "v1 documents or stories changed"
"$sitrep" recode --db v1.db 2> err && summary err | grep -q "^recode: 0 documents re-coded" \
  && ok "a second recode of the v1 store has nothing to do" || { bad "second recode"; cat err; }
"$sitrep" events --db v1.db > out 2>/dev/null && [ -s out ] && ok "the re-coded store answers queries" \
  || bad "events after recode"

# 4. conventions
"$sitrep" recode --help > out; rc=$?
miss=""
for o in --db --since --all --dicts --no-places --quiet --help; do grep -q -- "$o" out || miss="$miss $o"; done
[ $rc -eq 0 ] && [ -z "$miss" ] && ok "--help explains every option" || bad "--help: exit $rc, missing$miss"
"$sitrep" recode --db missing.db 2> err; rc=$?
[ $rc -eq 3 ] && grep -q "no store at 'missing.db'" err && [ ! -e missing.db ] \
  && ok "no store: exit 3, and none is made" || { bad "missing store: exit $rc"; cat err; }
"$sitrep" recode --bogus 2>/dev/null; [ $? -eq 2 ] && ok "unknown option: exit 2" || bad "unknown option"
"$sitrep" recode --db t.db some.txt 2>/dev/null; [ $? -eq 2 ] && ok "a FILE argument: exit 2" || bad "FILE argument"
"$sitrep" --help | grep -q "^  recode " && ok "listed in sitrep --help" || bad "not in sitrep --help"
exit $fail
