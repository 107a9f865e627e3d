#!/usr/bin/env bash
# e2e: what `sitrep watch` refuses.  Without --allow-private a source on
# 127.0.0.1 (by address or by a name that resolves there) is never
# connected to, and the sources table says why; only http and https are
# followed; a SOURCES file's bad lines are reported with their numbers and
# skipped; bad options are usage errors.
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
export SITREP_SRC=${SITREP_SRC:?SITREP_SRC must name the source tree}
. "$SITREP_SRC/tests/http_fixture/lib.sh"
tmp=$(mktemp -d)
FIXTURE_DIR=$tmp
trap 'fixture_stop; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fixture_start "$tmp"

# ---- loopback refused unless allowed
printf '%s/feed.xml Wire\nhttp://localhost:%s/atom.xml Local\n' "$BASE" "$PORT" > SOURCES
"$sitrep" watch --db t.db --once --no-places --retry-wait 0.05 SOURCES 2> err; rc=$?
[ $rc -eq 1 ] && ok "loopback sources: exit 1" || { bad "exit $rc"; cat err; }
[ ! -s log ] && ok "not one request reached the server" || { bad "requests were made:"; cat log; }
"$sitrep" sources --db t.db --format jsonl > s
grep '"name":"Wire"' s | grep -q '"failures":1,"last_error":"refused: 127.0.0.1 is a loopback (127.0.0.0/8) address' \
  && ok "literal 127.0.0.1: refused before any lookup, and sources says why" || { bad "literal: $(cat s)"; }
grep '"name":"Local"' s | grep -q '"failures":1,"last_error":"robots.txt could not be fetched (refused to connect: the host resolves to a loopback' \
  && ok "localhost: refused after DNS, at connect time" || { bad "localhost: $(grep Local s)"; }
grep -q "^sitrep: $BASE/feed.xml: poll failed: refused" err && ok "one line on stderr says so" || bad "stderr: $(cat err)"

# ---- allowed only where --allow-private says
"$sitrep" watch --db t2.db --once --no-places --allow-private=10.0.0.0/8 --retry-wait 0.05 SOURCES 2>/dev/null
[ ! -s log ] && ok "--allow-private=10.0.0.0/8 still refuses 127.0.0.1" || bad "a range let loopback through"
"$sitrep" watch --db t3.db --once --no-places --allow-private --delay 0.02 SOURCES 2> err3; rc=$?
[ $rc -eq 0 ] && [ "$(q t3.db 'SELECT count(*) FROM documents')" -gt 0 ] && ok "--allow-private (all) fetches" \
  || { bad "allow all: exit $rc"; cat err3; }

# ---- SOURCES lines
cat > BAD <<EOF
# comment line, then a blank one

ftp://example.org/feed.xml   FTP Outlet
not a url at all
$BASE/feed.xml Wire 0m
$BASE/feed.xml Wire 15
$BASE/feed.xml "Unclosed
$BASE/atom.xml   Good Name   30m   # trailing comment
HTTP://127.0.0.1:$PORT/feed.xml#x  Same URL again
javascript:alert(1)
$BASE/sitemap.xml
EOF
"$sitrep" watch --db t4.db --once --no-places --allow-private=127.0.0.0/8 --delay 0.02 BAD 2> err4; rc=$?
[ $rc -eq 1 ] && ok "bad SOURCES lines: exit 1, good lines still watched" || { bad "exit $rc"; cat err4; }
for want in "BAD:3: 'ftp://example.org/feed.xml' is not an http or https URL" \
            "BAD:4: 'not' is not an absolute URL" \
            "BAD:5: poll interval '0m' is zero" \
            "BAD:7: unbalanced double quote" \
            "BAD:9: $BASE/feed.xml is listed on an earlier line" \
            "BAD:10: 'javascript:alert(1)' is not an http or https URL"; do
  grep -qF "sitrep: $want" err4 && ok "reported: $want" || bad "not reported: $want"
done
"$sitrep" sources --db t4.db --format jsonl > s4
[ "$(wc -l < s4)" = 3 ] && ok "3 sources kept (lines 6, 8, 11)" || bad "sources: $(cat s4)"
grep -q '"url":"'"$BASE"'/feed.xml","name":"Wire 15","active":true,"interval":900' s4 \
  && ok "line 6: a bare '15' ends the name, it is not an interval" || bad "line 6: $(grep feed.xml s4)"
grep -q '"url":"'"$BASE"'/atom.xml","name":"Good Name","active":true,"interval":1800' s4 \
  && ok "line 8: name and interval, trailing comment dropped" || bad "line 8: $(grep atom s4)"

# ---- a source removed from SOURCES stays, inactive
printf '%s/sitemap.xml\n' "$BASE" > ONE
"$sitrep" watch --db t4.db --once --no-places --allow-private=127.0.0.0/8 --delay 0.02 ONE 2>/dev/null
"$sitrep" sources --db t4.db > s5
grep -q "(inactive: not in SOURCES)" s5 && ok "a source dropped from SOURCES is kept, marked inactive" || { bad "inactive"; cat s5; }

# ---- usage errors
for args in "--per-host 0 ONE" "--delay x ONE" "--max-page 1 ONE" "--allow-private=300.1.1.1 ONE" \
            "" "ONE ONE" "missing-file" "--retry-wait 0 ONE"; do
  # shellcheck disable=SC2086
  "$sitrep" watch --db u.db $args 2>/dev/null; rc=$?
  [ $rc -eq 2 ] && ok "usage error (exit 2): watch $args" || bad "watch $args: exit $rc"
done
"$sitrep" sources --db nowhere.db >/dev/null 2>&1; [ $? -eq 3 ] && ok "sources on a missing store: exit 3" || bad "sources missing store"
exit $fail
