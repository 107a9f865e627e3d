#!/usr/bin/env bash
# e2e: `sitrep recode --since D` re-codes only the documents dated on or
# after D (an undated one is left out), leaving the others' old coding as it
# was; a later run without --since re-codes the rest, and the store then
# equals a fresh ingest.  --since must be a real calendar date.
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
q() { sqlite3 "$1" "$2"; }
awk -v N=400 -f "$src/tests/e2e/gen_reports.awk" > docs.jsonl
# one report with no date at all (from standard input: a file would lend it
# its modification date)
printf 'The defence minister of Japan met the army chief of India in Tokyo. The two sides agreed to hold joint exercises.\n' > undated.txt
"$sitrep" ingest -q --db ref.db docs.jsonl - < undated.txt 2>/dev/null || { echo "FAIL: ingest"; exit 1; }
[ "$(q ref.db "SELECT count(*) FROM documents WHERE day = 0")" = 1 ] || { echo "FAIL: the undated report"; exit 1; }
# an older coder's store: nothing coded, no coder recorded
cp ref.db t.db
q t.db "DELETE FROM mention_geo; DELETE FROM mentions; DELETE FROM events; DELETE FROM actors;
        DELETE FROM issues; DELETE FROM doc_coder; DELETE FROM coders;"

for d in 2025-02-29 2025-13-01 2025-04-31 2025-1-01 20250701 tomorrow ""; do
  "$sitrep" recode --db t.db --since "$d" 2> err; rc=$?
  [ $rc -eq 2 ] && grep -q "since" err || bad "--since '$d': exit $rc, want 2"
done
[ "$(q t.db "SELECT count(*) FROM doc_coder")" = 0 ] && ok "--since that is no calendar date: exit 2, nothing done" \
  || bad "a bad --since re-coded something"

since=2025-07-01
want=$(q t.db "SELECT count(*) FROM documents WHERE day >= 20250701")
"$sitrep" recode --db t.db --since $since 2> err; rc=$?
[ $rc -eq 0 ] && grep -q "^recode: $want documents re-coded" err && ok "--since $since: $(grep '^recode:' err)" \
  || { bad "--since $since: exit $rc, want $want re-coded"; cat err; }
outside=$(q t.db "SELECT count(*) FROM mentions m JOIN documents d ON d.id = m.doc_id WHERE d.day < 20250701")
inside=$(q t.db "SELECT count(*) FROM mentions m JOIN documents d ON d.id = m.doc_id WHERE d.day >= 20250701")
inside_ref=$(q ref.db "SELECT count(*) FROM mentions m JOIN documents d ON d.id = m.doc_id WHERE d.day >= 20250701")
[ "$outside" = 0 ] && [ "$inside" = "$inside_ref" ] && [ "$inside" -gt 0 ] \
  && ok "only documents from $since on were re-coded ($inside mentions, as a fresh ingest has; 0 before it)" \
  || bad "--since: $outside mentions before $since, $inside from it (fresh ingest: $inside_ref)"
[ "$(q t.db "SELECT count(*) FROM doc_coder c JOIN documents d ON d.id = c.doc_id WHERE d.day < 20250701")" = 0 ] \
  && ok "the undated report and the earlier ones are left out" || bad "documents before --since recorded as re-coded"
"$sitrep" recode --db t.db --since 2025-12-01 2> err
grep -q "^recode: 0 documents re-coded" err && ok "a later --since inside what is done: nothing to do" \
  || { bad "second --since run"; cat err; }

rest=$(q t.db "SELECT count(*) FROM documents WHERE day < 20250701")
"$sitrep" recode --db t.db 2> err; rc=$?
[ $rc -eq 0 ] && grep -q "^recode: $rest documents re-coded, 0 skipped, $want already coded" err \
  && ok "then recode without --since does the other $rest" || { bad "recode of the rest: exit $rc"; cat err; }
diff <(sqlite3 t.db < "$src/tests/e2e/recode_coding.sql") <(sqlite3 ref.db < "$src/tests/e2e/recode_coding.sql") > d \
  && ok "the store now equals a fresh ingest" || { bad "store differs from a fresh ingest"; head -10 d; }
exit $fail
