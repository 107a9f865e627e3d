#!/usr/bin/env bash
# e2e: story clustering does not depend on how the documents were split into
# batches and processes.  The same documents, in the same order, ingested by
# one `sitrep ingest` and by one process per file (the store closed and
# reopened in between, as `sitrep watch` cycles do) give
#  - the same grouping of documents into stories, and
#  - the same stored state of every live story (documents, first/last seen,
#    the clusterer's blob), byte for byte,
# where the late documents are the hard part: a report dated before the newest
# story by more than the clusterer's window (its story has left memory at the
# end of the batch) must still find its story, and a near-copy of a report
# whose story has left memory must not bring that story back empty.
#  - a store whose story states are in the previous format (version 2 blobs)
#    keeps working: the late report still joins its story.
# With ../shared's headlines (uci_headlines_dev.csv), also shuffled so that
# dates come in any order: one process and 97-document files agree.
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
src=${SITREP_SRC:?SITREP_SRC must name the source tree}
command -v sqlite3 >/dev/null || { echo "skipped: sqlite3 not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

# Three happenings months apart (a radar deal in May, military talks in
# March, a naval exercise in June); batch 1 ends in June, so the other two
# leave the clusterer's memory.  Batch 2 brings a late report of the radar
# deal, a near-copy of a March report and another March report; batch 3 one
# more of each.
mkdir in
j() { printf '{"outlet":"%s","published":"%s","title":"%s","text":"%s"}\n' "$@"; }
{
  j "Harbour Post" 2025-05-12T03:30:00Z "Japan to hand coastal radars to the Philippines" \
    "MANILA - Japan will transfer coastal surveillance radars to the Philippines, the two defence ministers said after talks in Manila on Monday. The radars will watch the West Philippine Sea."
  j "Island Courier" 2025-05-12T08:10:00Z "Philippines and Japan agree radar transfer in Manila" \
    "The Philippine defence secretary and the Japanese defence minister agreed in Manila on the transfer of coastal radars, officials said. Japan will also train Philippine radar crews."
  j "Pacific Ledger" 2025-05-12T11:20:00Z "Manila, Tokyo sign coastal radar transfer deal" \
    "Japan and the Philippines signed a deal in Manila on Monday for the transfer of coastal radars, the Japanese defence minister said. The radars are to be delivered next year."
  j "Capital Review" 2025-03-03T09:10:00Z "Turkish army chief meets Indonesian commanders in Jakarta" \
    "JAKARTA - Turkey's chief of general staff met Indonesia's armed forces commander in Jakarta on Monday to discuss joint training and naval cooperation, the Indonesian military said."
  j "Straits Observer" 2025-03-03T14:45:00Z "Indonesia and Turkey to deepen military ties after Jakarta talks" \
    "Indonesia and Turkey will deepen military ties after the Turkish chief of general staff held talks with Indonesian commanders in Jakarta, officials said on Monday."
  j "Daily Ledger" 2025-03-04T06:00:00Z "Turkish general's Jakarta visit brings armoured vehicle deal closer" \
    "The visit of Turkey's chief of general staff to Jakarta has brought an armoured vehicle deal between Turkey and Indonesia closer, Indonesian officials said on Tuesday."
  j "Nile Wire" 2025-06-20T08:00:00Z "Egypt and France hold naval exercise off Alexandria" \
    "ALEXANDRIA - Egyptian and French warships held a joint naval exercise off Alexandria on Friday, the Egyptian navy said. The drill covered air defence and mine clearing."
  j "Mediterranean Today" 2025-06-20T10:15:00Z "French and Egyptian navies drill off Alexandria" \
    "The French and Egyptian navies carried out a joint exercise off Alexandria on Friday, with frigates practising air defence and mine clearing, a French navy statement said."
  j "Coastal Times" 2025-06-20T16:40:00Z "Egypt, France end Alexandria naval drill" \
    "Egypt and France ended their naval exercise off Alexandria on Friday evening. The Egyptian navy said the frigates had practised air defence and mine clearing together."
} > in/1.jsonl
{
  j "Northern Wire" 2025-05-13T07:00:00Z "Japan and Philippines radar transfer deal signed in Manila" \
    "Japan and the Philippines have signed a deal on the transfer of coastal radars, the Japanese defence minister said in Manila. Japan will train Philippine crews on the radars."
  j "Reposted News" 2025-03-03T09:10:00Z "Turkish army chief meets Indonesian commanders in Jakarta" \
    "JAKARTA - Turkey's chief of general staff met Indonesia's armed forces commander in Jakarta on Monday to discuss joint training and naval cooperation, the Indonesian military said. (Reposted News)"
  j "Harbour Post" 2025-03-04T09:30:00Z "Turkey and Indonesia near armoured vehicle deal after Jakarta talks" \
    "Turkey and Indonesia are close to an armoured vehicle deal after talks in Jakarta between Turkey's chief of general staff and Indonesian commanders, officials said."
} > in/2.jsonl
{
  j "Island Courier" 2025-05-13T12:00:00Z "Japan to train Philippine crews on transferred coastal radars" \
    "Japan will train Philippine crews on the coastal radars it is transferring to the Philippines under the deal signed in Manila, the Japanese defence minister said."
  j "Straits Observer" 2025-03-04T18:00:00Z "Indonesia, Turkey close in on armoured vehicle deal" \
    "Indonesia and Turkey are closing in on an armoured vehicle deal after the Jakarta visit of Turkey's chief of general staff, Indonesian officials said on Tuesday."
} > in/3.jsonl
cat in/1.jsonl in/2.jsonl in/3.jsonl > all.jsonl

groups="SELECT group_concat(hash) FROM (SELECT story_id, hash FROM documents ORDER BY story_id, hash) GROUP BY story_id ORDER BY 1"
# (a story merged away keeps whatever state was last written before the
# merge: history, not clustering state, and it depends on the batches)
state="SELECT id, first_time, last_time, ndocs, hex(centroid) FROM stories WHERE merged_into IS NULL ORDER BY id"
q() { sqlite3 "$1" "$2"; }
"$sitrep" ingest -q --db one.db all.jsonl 2> err || { bad "ingest in one process"; cat err; }
for f in in/1.jsonl in/2.jsonl in/3.jsonl; do
  "$sitrep" ingest -q --db many.db "$f" 2> err || { bad "ingest $f"; cat err; }
done
n=$(q one.db "SELECT count(*) FROM documents")
[ "$n" = 14 ] && [ "$(q many.db 'SELECT count(*) FROM documents')" = 14 ] \
  && ok "14 documents stored both ways" || bad "documents: $n / $(q many.db 'SELECT count(*) FROM documents')"
# the grouping itself: the late radar report with the radar deal, the March
# reports (and the near-copy) together, the exercise apart
sizes=$(q one.db "SELECT count(*) FROM documents GROUP BY story_id ORDER BY 1" | tr '\n' ' ')
[ "$sizes" = "3 5 6 " ] && ok "one process: stories of 3, 5 and 6 documents" || bad "one process: story sizes $sizes"
if [ "$(q one.db "$groups")" = "$(q many.db "$groups")" ]; then
  ok "one process per file: the same stories"
else
  bad "one process per file: stories differ"
  diff <(q one.db "$groups") <(q many.db "$groups") | head -6
fi
if [ "$(q one.db "$state")" = "$(q many.db "$state")" ]; then
  ok "one process per file: the same stored story state, byte for byte"
else
  bad "stored story state differs"
  diff <(q one.db "SELECT id, first_time, last_time, ndocs, length(centroid) FROM stories") \
       <(q many.db "SELECT id, first_time, last_time, ndocs, length(centroid) FROM stories") | head -6
fi
if [ "$(q one.db "SELECT * FROM story_joins")" = "$(q many.db "SELECT * FROM story_joins")" ]; then
  ok "and the same reasons: every join's score and nearest document"
else
  bad "story_joins differ"
fi

# ---- a store with the previous version's story states (SRSTORS2: no
# counters, no cached norm, no members' arrival numbers) still loads, and a
# late report still finds its story
if command -v python3 >/dev/null; then
  "$sitrep" ingest -q --db old.db in/1.jsonl 2> err || bad "ingest for the old store"
  python3 - old.db <<'PY' || bad "rewriting the store as the previous version"
import sqlite3, struct, sys
db = sqlite3.connect(sys.argv[1])
for sid, blob in db.execute("SELECT id, centroid FROM stories WHERE centroid IS NOT NULL").fetchall():
    assert blob[:8] == b"SRSTORS3", blob[:8]
    cap, n = struct.unpack_from("<II", blob, 40)
    off = 48 + 12 * n
    out = b"SRSTORS2" + struct.pack("<I", n) + blob[48:off]
    nm, = struct.unpack_from("<I", blob, off); off += 4
    out += struct.pack("<I", nm)
    for _ in range(nm):
        doc, t, seq, k = struct.unpack_from("<qqQI", blob, off); off += 28
        out += struct.pack("<qqI", doc, t, k) + blob[off:off + 12 * k]; off += 12 * k
    assert off == len(blob)
    db.execute("UPDATE stories SET centroid=? WHERE id=?", (out, sid))
db.execute("DELETE FROM meta WHERE key='cluster_seq'")
db.execute("DROP INDEX stories_last")
db.execute("PRAGMA user_version=7")
db.commit()
PY
  "$sitrep" ingest -q --db old.db in/2.jsonl 2> err || { bad "ingest into the old store"; cat err; }
  [ "$(q old.db 'PRAGMA user_version')" = "$(q one.db 'PRAGMA user_version')" ] \
    && ok "a schema-7 store is migrated" || bad "schema: $(q old.db 'PRAGMA user_version')"
  late=$(q old.db "SELECT story_id FROM documents WHERE title LIKE 'Japan and Philippines radar%'")
  first=$(q old.db "SELECT story_id FROM documents WHERE title LIKE 'Japan to hand%'")
  [ -n "$late" ] && [ "$late" = "$first" ] && ok "version-2 story states load: the late report joins its story" \
    || bad "old store: late report in story '$late', its story '$first'"
  [ "$(q old.db "SELECT count(*) FROM stories WHERE centroid IS NOT NULL AND substr(centroid,1,8) <> CAST('SRSTORS3' AS BLOB)")" -lt \
    "$(q old.db "SELECT count(*) FROM stories WHERE centroid IS NOT NULL")" ] \
    && ok "stories written again are in the new version" || bad "no story rewritten as SRSTORS3"
else
  echo "skipped: python3 not installed (previous-version store)"
fi

# ---- a real stream: the aggregator's headlines, in their order and shuffled
shared=${SITREP_SHARED:-$src/../shared}
csv=$shared/data/clustering/uci_headlines_dev.csv
if [ -f "$csv" ] && command -v python3 >/dev/null; then
  python3 "$src/bench/cluster_ingest.py" jsonl "$csv" h.jsonl
  python3 -c 'import random, sys; l = open(sys.argv[1]).readlines(); random.Random(5).shuffle(l); open(sys.argv[2], "w").writelines(l)' \
    h.jsonl s.jsonl
  for f in h s; do
    "$sitrep" ingest -q --db "$f-one.db" "$f.jsonl" 2> err || bad "ingest $f.jsonl"
    split -l 97 -d -a 3 --additional-suffix=.jsonl "$f.jsonl" "part-$f-"
    for p in part-"$f"-*; do "$sitrep" ingest -q --db "$f-many.db" "$p" 2> err || bad "ingest $p"; done
    what=$([ $f = h ] && echo "in their order" || echo "shuffled")
    if [ "$(q "$f-one.db" "$groups")" = "$(q "$f-many.db" "$groups")" ] &&
       [ "$(q "$f-one.db" "$state")" = "$(q "$f-many.db" "$state")" ]; then
      ok "$(wc -l < "$f.jsonl") headlines $what: one process and $(ls part-"$f"-* | wc -l) give the same stories and state"
    else
      bad "headlines $what: one process and one per 97 differ"
      diff <(q "$f-one.db" "$groups") <(q "$f-many.db" "$groups") | head -4
    fi
  done
else
  echo "skipped: $csv or python3 not found (the headline stream)"
fi
exit $fail
