#!/usr/bin/env bash
# e2e: `sitrep watch --warc DIR --export DIR` against the test server.
#  - the WARC capture (small files, so it rotates) is WARC/1.1 with a
#    request and a response record per fetch and one gzip member per
#    record, every digest right, and the project's WARC reader (sitrep
#    extract) reads it with no record skipped;
#  - `sitrep ingest DIR` of the capture into a fresh store gives the same
#    documents, events and stories as the watch stored (pages, and the feed
#    entries' texts that stood in for pages that could not be had);
#  - each cycle's export holds the events first seen in it, as 61 GDELT
#    columns and as JSONL, and lastupdate.txt lists both with their size and
#    SHA-256; a cycle that saw nothing new writes nothing.
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
export SITREP_SRC=${SITREP_SRC:?SITREP_SRC must name the source tree}
. "$SITREP_SRC/tests/http_fixture/lib.sh"
tmp=$(mktemp -d)
FIXTURE_DIR=$tmp
trap 'fixture_stop; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fixture_start "$tmp" --many 30

cat > SOURCES <<EOF
$BASE/feed.xml        Fixture Wire 1s
$BASE/feed.json       1s
$BASE/many/feed.xml   Many 1s
$BASE/faults.xml      Fault Wire 1s
EOF
w() { "$sitrep" watch --db t.db --once --allow-private=127.0.0.0/8 --delay 0 --timeout 2 \
        --retry-wait 0.05 --max-page 1M --warc warc --warc-size 64K --export exp SOURCES; }
w 2> err1
nwarc=$(ls warc/*.warc.gz 2>/dev/null | wc -l)
[ "$nwarc" -gt 1 ] && ok "capture rotated into $nwarc files of about 64 KiB" || bad "WARC files: $nwarc"

# ---- the capture itself
python3 - warc > warccheck <<'EOF' || bad "WARC check: $(cat warccheck)"
import base64, glob, hashlib, re, sys, zlib
types, members, bad = {}, 0, []
for path in sorted(glob.glob(sys.argv[1] + "/*.warc.gz")):
    data = open(path, "rb").read()
    while data:
        d = zlib.decompressobj(31)
        rec = d.decompress(data)
        if not d.eof:
            bad.append(path + ": a cut gzip member")
            break
        data = d.unused_data
        members += 1
        head, _, rest = rec.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        if lines[0] != b"WARC/1.1":
            bad.append("not WARC/1.1: %r" % lines[0])
        f = dict(l.split(b": ", 1) for l in lines[1:])
        n = int(f[b"Content-Length"])
        block = rest[:n]
        if rest[n:] != b"\r\n\r\n":
            bad.append("a member holds more or less than one record")
        t = f[b"WARC-Type"].decode()
        types[t] = types.get(t, 0) + 1
        want = b"sha256:" + base64.b32encode(hashlib.sha256(block).digest()).rstrip(b"=")
        if f.get(b"WARC-Block-Digest") != want:
            bad.append("block digest of a %s record" % t)
        if t == "response":
            payload = block.split(b"\r\n\r\n", 1)[1]
            want = b"sha256:" + base64.b32encode(hashlib.sha256(payload).digest()).rstrip(b"=")
            if f.get(b"WARC-Payload-Digest") != want:
                bad.append("payload digest")
            if re.search(rb"(?im)^content-encoding:", block.split(b"\r\n\r\n", 1)[0]):
                bad.append("a decoded payload still says Content-Encoding")
print(" ".join("%s=%d" % kv for kv in sorted(types.items())), "members=%d" % members)
if bad:
    print("; ".join(bad[:5]))
    sys.exit(1)
sys.exit(0 if types.get("request") == types.get("response") and members == sum(types.values()) else 1)
EOF
ok "WARC/1.1, one gzip member per record, digests right, a request per response: $(head -1 warccheck)"
"$sitrep" extract --format jsonl warc > extracted 2> xerr; rc=$?
[ $rc -eq 0 ] && ok "the project's WARC reader reads the capture with no record skipped: $(tail -1 xerr)" \
  || { bad "sitrep extract of the capture: exit $rc"; cat xerr; }

# ---- replay
"$sitrep" ingest -q --db replay.db warc 2> ierr || bad "ingest of the capture: $(cat ierr)"
docs="SELECT d.hash, d.url, d.title, d.published, o.name, d.body FROM documents d JOIN outlets o ON o.id = d.outlet_id ORDER BY d.hash"
ev="SELECT day, source, target, cameo, quad, goldstein, num_mentions, num_articles, num_sources FROM events ORDER BY 1,2,3,4"
stories="SELECT group_concat(hash) FROM (SELECT story_id, hash FROM documents ORDER BY story_id, hash) GROUP BY story_id ORDER BY 1"
n=$(q t.db 'SELECT count(*) FROM documents')
ff=$(q t.db "SELECT count(*) FROM watch_urls WHERE state=2")
for what in docs ev stories; do
  if [ "$(q t.db "${!what}" | md5sum)" = "$(q replay.db "${!what}" | md5sum)" ]; then
    ok "replay: the same $what"
  else
    bad "replay: $what differ"
    diff <(q t.db "${!what}") <(q replay.db "${!what}") | head -5
  fi
done
[ "$ff" -gt 0 ] && ok "$n documents ($ff of them feed-entry texts), $(q t.db 'SELECT count(*) FROM events') events, $(q t.db 'SELECT count(DISTINCT story_id) FROM documents') stories: all replayed" || bad "no feed-text documents in the test"

# ---- export after cycle 1
[ -f exp/lastupdate.txt ] || bad "no exp/lastupdate.txt"
ok_list=1
while read -r size sha name; do
  [ -f "exp/$name" ] || { bad "lastupdate lists a missing $name"; ok_list=0; continue; }
  [ "$(stat -c %s "exp/$name")" = "$size" ] || { bad "$name: size"; ok_list=0; }
  [ "$(sha256sum "exp/$name" | cut -d' ' -f1)" = "$sha" ] || { bad "$name: sha256"; ok_list=0; }
done < exp/lastupdate.txt
[ $ok_list = 1 ] && [ "$(wc -l < exp/lastupdate.txt)" = 2 ] && ok "lastupdate.txt: 2 files, sizes and SHA-256 right" \
  || bad "lastupdate: $(cat exp/lastupdate.txt)"
csv=$(awk '/export.CSV/ {print $3}' exp/lastupdate.txt)
jl=$(awk '/events.jsonl/ {print $3}' exp/lastupdate.txt)
nev=$(q t.db 'SELECT count(*) FROM events WHERE num_mentions > 0')
[ "$(wc -l < "exp/$csv")" = "$nev" ] && [ "$(wc -l < "exp/$jl")" = "$nev" ] \
  && ok "cycle 1 export: all $nev events, in both files" || bad "export counts: $(wc -l < "exp/$csv") / $nev"
[ "$(awk -F'\t' '{print NF}' "exp/$csv" | sort -u)" = 61 ] && ok "every GDELT line has 61 columns" || bad "GDELT columns"
python3 -c "import json,sys; [json.loads(l) for l in open(sys.argv[1])]" "exp/$jl" && ok "JSONL parses" || bad "JSONL"
ls exp | grep -q '^\.' && bad "temporary files left in exp/" || ok "no temporary files left"

# ---- cycle 2: nothing new, nothing exported; cycle 3: one new event batch only
sleep 1.1
cp exp/lastupdate.txt lu1
w 2> err2
cmp -s lu1 exp/lastupdate.txt && [ "$(ls exp | wc -l)" = 3 ] && ok "cycle 2 saw no new event: no new export" \
  || bad "cycle 2 exported: $(ls exp)"
exit $fail
