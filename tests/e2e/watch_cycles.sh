#!/usr/bin/env bash
# e2e: `sitrep watch --once` twice over unchanged feeds on a test server
# (tests/http_fixture/server.py on 127.0.0.1).  Four sources list the same
# seven article pages (RSS, Atom with #fragments, JSON Feed with utm_*
# parameters and fragments, a news sitemap): the first cycle fetches each
# page once and stores exactly what `sitrep ingest` stores from the same
# pages on disk; the second cycle gets a 304 for every source and fetches
# no page.  `sitrep sources` says so.
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
export SITREP_SRC=${SITREP_SRC:?SITREP_SRC must name the source tree}
. "$SITREP_SRC/tests/http_fixture/lib.sh"
tmp=$(mktemp -d)
FIXTURE_DIR=$tmp
trap 'fixture_stop; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fixture_start "$tmp"

cat > SOURCES <<EOF
# the fixture's feeds, all listing the same reports
$BASE/feed.xml      Fixture Wire   1s
$BASE/atom.xml      "Fixture Atom" 1s
$BASE/feed.json     1s
$BASE/sitemap.xml   Fixture News 1s
EOF
# places are left out on both sides (watch_replay.sh compares them)
w() { "$sitrep" watch --db t.db --once --no-places --allow-private=127.0.0.0/8 --delay 0.02 SOURCES; }

# ---- cycle 1
w 2> err1; rc=$?
[ $rc -eq 0 ] && ok "cycle 1: exit 0" || { bad "cycle 1: exit $rc"; cat err1; }
once=0
for i in 0 1 2 3 4 5 6; do
  [ "$(hits /a/$i.html)" = 1 ] && once=$((once + 1)) || bad "page $i fetched $(hits /a/$i.html) times in cycle 1 (want 1)"
done
[ $once = 7 ] && ok "cycle 1: each of the 7 pages fetched once, though 4 feeds list it (URLs normalised)"
[ "$(hits /robots.txt)" = 1 ] && ok "robots.txt fetched once" || bad "robots.txt fetched $(hits /robots.txt) times"
[ "$(q t.db "SELECT count(*) FROM watch_urls WHERE state=1")" = 7 ] && ok "7 URLs settled as done" \
  || bad "watch_urls: $(q t.db 'SELECT url, state, note FROM watch_urls')"
[ "$(q t.db "SELECT count(*) FROM watch_urls WHERE url LIKE '%utm_%' OR url LIKE '%#%'")" = 0 ] \
  && ok "no tracking parameters or fragments in stored URLs" || bad "URLs not normalised"

# the same pages from disk through `sitrep ingest`: the same documents
mkdir pages
for i in 0 1 2 3 4 5 6; do
  python3 -c "import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1]).read())" \
      "$BASE/a/$i.html" > "pages/$i.html"
done
"$sitrep" ingest -q --no-places --db disk.db pages 2>/dev/null
docs="SELECT hash, title, published, (SELECT name FROM outlets o WHERE o.id=outlet_id), body FROM documents ORDER BY hash"
[ "$(q t.db "$docs" | md5sum)" = "$(q disk.db "$docs" | md5sum)" ] \
  && ok "documents equal sitrep ingest of the same pages from disk ($(q t.db 'SELECT count(*) FROM documents'))" \
  || bad "documents differ from ingest: $(q t.db 'SELECT count(*) FROM documents') vs $(q disk.db 'SELECT count(*) FROM documents')"
ev="SELECT day, source, target, cameo, num_mentions, num_articles, num_sources FROM events ORDER BY 1,2,3,4"
[ "$(q t.db "$ev" | md5sum)" = "$(q disk.db "$ev" | md5sum)" ] && ok "events equal ingest's ($(q t.db 'SELECT count(*) FROM events'))" \
  || bad "events differ from ingest"
[ "$(q t.db "SELECT count(*) FROM events")" -gt 0 ] || bad "no events coded"

mx=$(awk '{print $2}' log.max | sort -n | tail -1)
[ "${mx:-0}" -le 2 ] && ok "the server never saw more than $mx requests at once (--per-host 2)" || bad "per-host: $(cat log.max)"
"$sitrep" sources --db t.db --format jsonl > s1
[ "$(grep -c '"status":200' s1)" = 4 ] && ok "sources: 4 sources, status 200" || { bad "sources after cycle 1"; cat s1; }
grep -q '"name":"Fixture Wire".*"kind":"feed"' s1 && grep -q '"kind":"sitemap"' s1 \
  && ok "sources: feed and sitemap kinds" || bad "kinds: $(cat s1)"
grep -q '"name":"Fixture Atom"' s1 && ok "quoted name read" || bad "quoted name"

# ---- cycle 2: nothing changed
before=$(wc -l < log)
sleep 1.1
w 2> err2; rc=$?
[ $rc -eq 0 ] && ok "cycle 2: exit 0" || { bad "cycle 2: exit $rc"; cat err2; }
tail -n +$((before + 1)) log > log2
[ "$(wc -l < log2)" = 4 ] && [ "$(awk '$5 == 304' log2 | wc -l)" = 4 ] \
  && ok "cycle 2: 4 requests, all 304 (conditional GET), no page fetched" || { bad "cycle 2 requests:"; cat log2; }
awk '$5 == 304 && $6 == "-"' log2 | grep -q . && bad "a 304 without If-None-Match" || true
"$sitrep" sources --db t.db --format jsonl > s2
[ "$(grep -c '"status":304' s2)" = 4 ] && [ "$(grep -c '"not_modified":1' s2)" = 4 ] \
  && ok "sources: status 304, one not-modified poll each" || { bad "sources after cycle 2"; cat s2; }
[ "$(q t.db 'SELECT count(*) FROM documents')" = "$(q disk.db 'SELECT count(*) FROM documents')" ] \
  && ok "cycle 2 stored nothing new" || bad "cycle 2 changed the documents"
"$sitrep" sources --db t.db > s3
grep -q "^Fixture Wire  $BASE/feed.xml" s3 && grep -q "status 304" s3 && ok "sources text lists name, URL, status" \
  || { bad "sources text:"; cat s3; }
exit $fail
