#!/usr/bin/env bash
# e2e: where events happen.  The example corpus and the two seed reports are
# ingested; the GDELT export must give ActionGeo to every event whose
# sentence names a place, within 50 km of that place's point, with the
# FIPS country code; known places land where they are on the map; the
# seeds' visit is placed in Libya; actor names are the codes' names, never
# the text's words; SOURCEURL is a URL or an absolute file:// path;
# `events --near/--country` and `sitrep places` read the stored places.
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
src=${SITREP_SRC:?SITREP_SRC must name the source tree}
shared=${SITREP_SHARED:-$src/../shared}
command -v python3 >/dev/null || { echo "skipped: python3 not installed"; exit 77; }
[ -d "$shared/seeds" ] || { echo "skipped: ../shared not found"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
export SITREP_DB="$tmp/geo.db"

"$sitrep" ingest -q "$src/examples/reports.jsonl" "$shared/seeds" 2> err; rc=$?
[ $rc -eq 0 ] && ok "ingest exit 0" || { bad "ingest exit $rc"; cat err; }
"$sitrep" events --format gdelt > gdelt.tsv || bad "gdelt export"
"$sitrep" events --format jsonl > events.jsonl || bad "jsonl export"
"$sitrep" events --format csv > events.csv || bad "csv export"
# each event's sentence, alone, through the geoparser
python3 - events.jsonl > sentences.jsonl <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    print(json.dumps({"outlet": "check", "text": e["sentence"]}))
EOF
"$sitrep" places --find --format jsonl sentences.jsonl > found.jsonl 2> err || bad "places --find"

python3 - gdelt.tsv events.jsonl found.jsonl events.csv <<'EOF' || fail=1
import csv, json, math, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
events = [json.loads(l) for l in open(sys.argv[2])]
found = {}
for l in open(sys.argv[3]):
    f = json.loads(l)
    if f["role"] != "dateline":
        found.setdefault(int(f["record"]), []).append(f)
bad = 0
def fail(msg):
    global bad
    print("FAIL: " + msg); bad = 1
def km(a, b, c, d):
    r = math.pi / 180
    h = math.sin((c - a) * r / 2) ** 2 + math.cos(a * r) * math.cos(c * r) * math.sin((d - b) * r / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))
if any(len(r) != 61 for r in rows):
    fail("a GDELT row without 61 columns")
if len(rows) != len(events):
    fail("GDELT and JSONL exports differ in length")
named = placed = 0
for i, (r, e) in enumerate(zip(rows, events), 1):
    places = found.get(i, [])
    # ActionGeo: columns 52-59 (1-based), i.e. 51..58
    t, name, cc, adm1, adm2, lat, lon, fid = r[51:59]
    if places:
        named += 1
        if t in ("", "0"):
            fail(f"event {r[0]}: its sentence names {places[0]['text']} but ActionGeo is empty")
            continue
        near = min(km(float(lat), float(lon), p["lat"], p["lon"]) for p in places)
        if near > 50:
            fail(f"event {r[0]}: ActionGeo {name} is {near:.0f} km from every place the sentence names")
        else:
            placed += 1
        if len(cc) != 2:
            fail(f"event {r[0]}: ActionGeo country '{cc}' is not a FIPS code")
    for col in (6, 16):
        if r[col] in ("THEY", "IT", "HE", "SHE", "WE") or r[col] != r[col].upper():
            fail(f"event {r[0]}: actor name '{r[col]}' is no dictionary name")
    src = r[60]
    if not (src.startswith("http") or src.startswith("file:///")):
        fail(f"event {r[0]}: SOURCEURL '{src}' is neither a URL nor an absolute file:// path")
print(f"ok: {placed} of {named} events whose sentence names a place have an ActionGeo within 50 km")
if named < 20:
    fail(f"only {named} events name a place: the corpus lost its places")
# places we know: the map agrees with them
known = {"Jakarta": (-6.2, 106.85), "Manila": (14.6, 120.98), "Alexandria": (31.2, 29.92)}
for town, (la, lo) in known.items():
    hits = [r for r in rows if r[52].startswith(town)]
    if not hits:
        fail(f"no event placed in {town}")
    for r in hits:
        if km(float(r[56]), float(r[57]), la, lo) > 50:
            fail(f"{town} placed at {r[56]},{r[57]}")
# the seeds' visit (CAMEO 042/043 between Pakistan and Libya, in a sentence
# about the visit: Libyan officers' courses in Pakistan are another matter)
visits = [r for r, e in zip(rows, events) if r[26] in ("042", "043")
          and {r[7], r[17]} == {"PAK", "LBY"} and "visit" in e["sentence"]]
if not visits:
    fail("the seeds' visit was not coded")
for r in visits:
    if r[53] != "LY":
        fail(f"the visit (event {r[0]}) is placed in '{r[53]}', not Libya")
# JSON carries ISO codes, CSV the same places
for e in events:
    a = e["action_geo"]
    if a and len(a["country"]) != 3:
        fail(f"JSON action_geo country '{a['country']}' is not ISO alpha-3")
with open(sys.argv[4]) as f:
    rd = list(csv.DictReader(f))
if len(rd) != len(events) or any((r["action_geo_name"] or None) != (e["action_geo"] or {}).get("name") for r, e in zip(rd, events)):
    fail("CSV action_geo_name differs from JSON")
if not bad:
    print("ok: known places, the visit in Libya, actor names, SOURCEURL, JSON and CSV")
sys.exit(bad)
EOF

# queries over the stored places
n_ly=$("$sitrep" events --country LBY | wc -l)
n_ly2=$("$sitrep" events --country LY | wc -l)
[ "$n_ly" -gt 0 ] && [ "$n_ly" = "$n_ly2" ] && ok "--country LBY = --country LY ($n_ly events)" || bad "--country: $n_ly vs $n_ly2"
n_jkt=$("$sitrep" events --near -6.2,106.85,50 | wc -l)
n_far=$("$sitrep" events --near -6.2,106.85,1 | wc -l)
n_all=$("$sitrep" events | wc -l)
[ "$n_jkt" -gt 0 ] && [ "$n_jkt" -lt "$n_all" ] && [ "$n_far" -eq 0 ] \
  && ok "--near Jakarta 50 km: $n_jkt of $n_all events, 1 km: none" || bad "--near: $n_jkt / $n_far / $n_all"
"$sitrep" events --near 91,0,10 > /dev/null 2>&1; [ $? -eq 2 ] && ok "bad --near: exit 2" || bad "bad --near accepted"
"$sitrep" places --format tsv > places.tsv; rc=$?
[ $rc -eq 0 ] && head -1 places.tsv | grep -q $'\t' && ok "sitrep places lists $(wc -l < places.tsv) places" || bad "sitrep places exit $rc"
grep -q $'\tLBY\t' places.tsv && ok "Libya among the places" || bad "no place in Libya"
exit $fail
