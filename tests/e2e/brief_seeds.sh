#!/usr/bin/env bash
# e2e: the founding example.  The two seed reports (two outlets, one event)
# ingested together must give one story with 2 documents and 2 outlets, and
# its brief must list
#   - the Pakistani-Libyan military meeting/visit and their cooperation as
#     claims asserted by both outlets,
#   - the multi-billion-dollar defence deal as one outlet's claim, reported
#     rather than asserted,
#   - a contradiction on Asim Munir's title: "General" vs "Field Marshal".
# The seeds are plain text with no outlet in them: each is ingested with
# --outlet, as a user who knows the source would; a second store takes the
# default (the file name) and must count two outlets too.
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
shared=${SITREP_SHARED:-../shared}
seeds="$shared/seeds"
[ -d "$seeds" ] || { echo "skipped: ../shared not found (no seeds)"; exit 77; }
command -v python3 >/dev/null || { echo "skipped: python3 not installed"; exit 77; }
mapfile -t files < <(ls "$seeds"/*.txt | sort)
[ ${#files[@]} -eq 2 ] || { echo "FAIL: expected 2 seed files, found ${#files[@]}"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
db="$tmp/seeds.db"
"$sitrep" ingest -q --db "$db" --outlet "Outlet A" "${files[0]}" 2>"$tmp/err" || { cat "$tmp/err"; fail=1; }
"$sitrep" ingest -q --db "$db" --outlet "Outlet B" "${files[1]}" 2>"$tmp/err" || { cat "$tmp/err"; fail=1; }
"$sitrep" stories --db "$db" --format jsonl > "$tmp/stories.jsonl" || fail=1
"$sitrep" brief --db "$db" --latest > "$tmp/brief.txt" || fail=1
"$sitrep" brief --db "$db" --latest --format json > "$tmp/brief.json" || fail=1
cat "$tmp/brief.txt"
python3 - "$tmp/stories.jsonl" "$tmp/brief.json" <<'PY' || fail=1
import json, sys
stories = [json.loads(l) for l in open(sys.argv[1])]
b = json.load(open(sys.argv[2]))
bad = []
def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok: bad.append(what)
check(len(stories) == 1, "one story (got %d)" % len(stories))
if stories:
    s = stories[0]
    check(s["documents"] == 2 and s["outlets"] == 2,
          "2 documents and 2 outlets (got %s, %s)" % (s["documents"], s["outlets"]))
check(sorted(b["outlets"]) == ["Outlet A", "Outlet B"], "brief outlets are A and B: %s" % b["outlets"])
for k in ("story", "outlets", "claims", "contradictions"):
    check(k in b, "JSON key %s" % k)
both = {"Outlet A", "Outlet B"}
def events(root_set):
    return [c for c in b["claims"] if c["kind"] == "event" and c["event"]
            and c["event"]["cameo"][:2] in root_set
            and {c["event"]["source"][:3], c["event"]["target"][:3]} == {"PAK", "LBY"}]
meet = [c for c in events({"04"}) if set(c["outlets"]) == both and c["modality"] == "asserted"]
check(bool(meet), "PAK-LBY meeting/visit (CAMEO 04) asserted by both outlets")
coop = [c for c in events({"03", "05", "06"}) if set(c["outlets"]) == both]
check(bool(coop), "PAK-LBY cooperation (CAMEO 03/05/06) claimed by both outlets")
deal = [c for c in b["claims"] if c["kind"] == "amount" and "billion" in c["text"]
        and "deal" in c["text"]]
check(len(deal) == 1 and len(deal[0]["outlets"]) == 1 and deal[0]["modality"] == "reported",
      "the multi-billion-dollar deal: one outlet, reported: %s" %
      [(c["text"], c["outlets"], c["modality"]) for c in deal])
munir = [c for c in b["contradictions"] if "Munir" in c["subject"]]
vals = {v["value"]: v["outlets"] for c in munir for v in c["values"]}
check("General" in vals and "Field Marshal" in vals and vals["General"] != vals["Field Marshal"],
      "contradiction on Asim Munir's title, General vs Field Marshal: %s" % vals)
sys.exit(1 if bad else 0)
PY
# default outlets for plain text: the file names, still two outlets
db2="$tmp/default.db"
"$sitrep" ingest -q --db "$db2" "${files[@]}" 2>/dev/null || fail=1
n=$("$sitrep" stories --db "$db2" --format jsonl | python3 -c 'import json,sys; r=[json.loads(l) for l in sys.stdin]; print(len(r), r[0]["outlets"] if r else 0)')
[ "$n" = "1 2" ] && echo "ok: without --outlet, file names give one story and 2 outlets" \
  || { echo "FAIL: without --outlet: stories/outlets = $n"; fail=1; }
exit $fail
