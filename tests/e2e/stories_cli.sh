#!/usr/bin/env bash
# e2e: `sitrep stories` and `sitrep story` over the example corpus plus one
# single page with no event: the default view leaves that page out (and
# says so), --all lists it, --min-outlets/--min-events/--actor/--until/
# --limit filter, stories come by last activity; `sitrep story ID` and
# `sitrep stories --docs ID` list a story's documents with the near-copy
# marked, --explain says why each joined; bad use exits 2, an unknown story 3.
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
src=${SITREP_SRC:?SITREP_SRC must name the source tree}
command -v python3 >/dev/null || { echo "skipped: python3 not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
export SITREP_DB="$tmp/s.db"

"$sitrep" ingest -q "$src/examples/reports.jsonl" 2>err || { bad "ingest"; cat err; }
printf '{"outlet":"Old Town Crier","published":"2025-07-01","title":"Bakery wins bread prize","text":"A bakery in the old town won a regional bread prize on Tuesday."}\n' \
  | "$sitrep" ingest -q - 2>err || { bad "ingest the page"; cat err; }

ids() { python3 -c 'import json,sys; print(" ".join(str(json.loads(l)["id"]) for l in sys.stdin))'; }
"$sitrep" stories --format jsonl > def.jsonl 2> def.err || bad "stories"
[ "$(wc -l < def.jsonl)" -eq 3 ] && ok "default view: the 3 stories with events" || bad "default view: $(cat def.jsonl)"
grep -q "1 more with no event and one outlet" def.err && ok "it says one story is left out" || bad "hidden note: $(cat def.err)"
"$sitrep" stories --all --format jsonl > all.jsonl || bad "stories --all"
[ "$(wc -l < all.jsonl)" -eq 4 ] && head -1 all.jsonl | grep -q 'Bakery' \
  && ok "--all: 4 stories, the latest activity first" || bad "--all: $(cat all.jsonl)"
python3 - def.jsonl <<'PY' || fail=1
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
last = [s["last_seen"] for s in r]
ok = last == sorted(last, reverse=True)
print(("ok" if ok else "FAIL") + ": sorted by last activity: %s" % last)
sys.exit(0 if ok else 1)
PY
[ "$("$sitrep" stories --min-outlets 3 --format jsonl | ids)" = "1" ] && ok "--min-outlets 3: the Jakarta story" || bad "--min-outlets"
[ "$("$sitrep" stories --min-events 0 --format jsonl | wc -l)" -eq 4 ] && ok "--min-events 0 replaces the default view" || bad "--min-events 0"
[ "$("$sitrep" stories --actor TUR --format jsonl | ids)" = "1" ] && ok "--actor TUR" || bad "--actor TUR"
[ "$("$sitrep" stories --actor JPN --format jsonl | ids)" = "2" ] && ok "--actor JPN" || bad "--actor JPN"
[ "$("$sitrep" stories --until 2025-04-01 --format jsonl | ids)" = "1" ] && ok "--until" || bad "--until"
[ "$("$sitrep" stories --since 2025-05-01 --limit 1 --format jsonl | ids)" = "3" ] && ok "--since with --limit 1" || bad "--limit"

"$sitrep" story 3 > s3.txt || bad "story 3"
grep -q 'near-copy of #' s3.txt && [ "$(grep -c '^  #' s3.txt)" -eq 2 ] \
  && ok "story 3: two documents, the near-copy marked" || bad "story 3: $(cat s3.txt)"
"$sitrep" stories --docs 3 > d3.txt || bad "stories --docs 3"
cmp -s s3.txt d3.txt && ok "stories --docs ID is story ID" || bad "--docs differs"
"$sitrep" story --explain 1 > e1.txt || bad "story --explain"
grep -q 'why: opened the story' e1.txt && grep -q 'why: joined at score' e1.txt && grep -q 'shares .*jakarta' e1.txt \
  && ok "--explain: opened, then joined with the shared words" || bad "--explain: $(cat e1.txt)"
"$sitrep" story --explain --format jsonl 2 > e2.jsonl || bad "story --explain jsonl"
python3 - e2.jsonl <<'PY' || fail=1
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
j = [d for d in r if d.get("how") == "joined"]
ok = len(r) == 2 and len(j) == 1 and j[0]["nearest"] == r[0]["id"] and "radar" in j[0]["shared_words"] \
     and 0 < j[0]["score"] <= 2 and "JPN" in j[0]["shared_actors"]
print(("ok" if ok else "FAIL") + ": jsonl explanation: %s" % (j[0] if j else r))
sys.exit(0 if ok else 1)
PY

"$sitrep" story 999 > /dev/null 2> err; [ $? -eq 3 ] && grep -q 'no story 999' err && ok "unknown story: exit 3" || bad "unknown story"
for args in "stories --limit 0" "stories --min-outlets x" "stories --actor T%" \
            "stories --explain" "story" "story abc" "stories --since 2025-05-02 --until 2025-05-01"; do
  "$sitrep" $args > /dev/null 2>&1; [ $? -eq 2 ] && ok "$args: exit 2" || bad "$args: not a usage error"
done
"$sitrep" stories --help | grep -q -- '--min-outlets' && "$sitrep" story --help | grep -q -- '--explain' \
  && ok "--help names the options" || bad "help"
exit $fail
