#!/usr/bin/env bash
# e2e: `sitrep ingest` over every kind of input in one store: a folder of
# plain-text reports (outlets from file names), a gzipped HTML page, JSON
# Lines on stdin, --outlet and --date for documents without them; then the
# same inputs again change nothing; Ctrl-C stops and commits; a progress
# line appears only on a terminal (checked with script(1) when installed).
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
command -v sqlite3 >/dev/null || { echo "skipped: sqlite3 (the CLI) not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
q() { sqlite3 t.db "$1"; }

mkdir reports
printf 'Egypt and France hold naval drill\n\nThe navies of Egypt and France began a joint exercise off Alexandria on Friday.\n' > reports/nile-wire.txt
printf 'French frigates in Alexandria\n\nFrench and Egyptian frigates practised air defence off Alexandria, the Egyptian navy said.\n' > reports/cairo-daily.txt
printf '<html><head><title>Japan pledges radars</title></head><body><article><p>Japan pledged coastal radars to the Philippine navy on Monday as defence ministers met in Manila.</p><p>The two ministers agreed to hold joint patrols.</p></article></body></html>' | gzip > radar.html.gz
printf 'Turkey and Indonesia agreed to expand military training after talks in Jakarta.\n' > plain.txt

"$sitrep" ingest -q --db t.db reports 2>err; rc=$?
[ $rc -eq 0 ] && ok "a folder: exit 0" || { bad "folder: exit $rc"; cat err; }
[ "$(q "SELECT group_concat(name, ',') FROM (SELECT name FROM outlets ORDER BY name)")" = "cairo-daily,nile-wire" ] \
  && ok "plain-text outlets from file names" || bad "outlets: $(q 'SELECT group_concat(name) FROM outlets')"
"$sitrep" ingest -q --db t.db --outlet "Manila Herald" --date 2025-05-12 radar.html.gz plain.txt 2>err; rc=$?
[ $rc -eq 0 ] && ok "gzipped HTML and text: exit 0" || { bad "html: exit $rc"; cat err; }
[ "$(q "SELECT count(*) FROM documents d JOIN outlets o ON o.id = d.outlet_id WHERE o.name = 'Manila Herald'")" -ge 1 ] \
  && ok "--outlet names documents that carry no outlet" || bad "--outlet"
[ "$(q "SELECT count(*) FROM documents WHERE published = '2025-05-12' AND day = 20250512")" -ge 1 ] \
  && ok "--date fills the published date and the event day" || bad "--date: $(q 'SELECT published, day FROM documents')"
printf '{"outlet":"Straits Observer","published":"2025-03-03","title":"Jakarta talks","text":"Indonesia and Turkey will deepen military cooperation, officials said on Monday."}\n' \
  | "$sitrep" ingest -q --db t.db - 2>err; rc=$?
[ $rc -eq 0 ] && ok "JSON Lines on stdin" || { bad "stdin: exit $rc"; cat err; }
before=$(q "SELECT (SELECT count(*) FROM documents),(SELECT count(*) FROM mentions),(SELECT count(*) FROM stories),(SELECT sum(num_mentions) FROM events)")
[ "$(echo "$before" | cut -d'|' -f1)" = 5 ] && ok "5 documents stored" || bad "documents: $before"
"$sitrep" ingest -q --db t.db reports radar.html.gz plain.txt 2>err; rc=$?
after=$(q "SELECT (SELECT count(*) FROM documents),(SELECT count(*) FROM mentions),(SELECT count(*) FROM stories),(SELECT sum(num_mentions) FROM events)")
[ $rc -eq 0 ] && [ "$before" = "$after" ] && grep -q '0 added' err && ok "the same inputs again: nothing changes" \
  || bad "re-ingest changed $before -> $after"
"$sitrep" stories --db t.db --format jsonl | grep -E 'Alexandria|naval drill' | grep -q '"documents":2,"outlets":2' \
  && ok "the two Alexandria reports are one story of two outlets" || bad "stories: $("$sitrep" stories --db t.db)"
# Ctrl-C: stops after the current document, commits, says so, exit 1
if [ -n "${SITREP_SRC:-}" ]; then
  awk -v N=20000 -f "$SITREP_SRC/tests/e2e/gen_reports.awk" > many.jsonl
  "$sitrep" ingest --db int.db many.jsonl 2> int.err &
  pid=$!
  for _ in $(seq 200); do
    [ "$(sqlite3 int.db 'SELECT count(*) FROM documents' 2>/dev/null || echo 0)" -gt 0 ] && break
    sleep 0.02
  done
  kill -INT "$pid" 2>/dev/null
  wait "$pid"; rc=$?
  read_n=$(sed -n 's/^ingest: \([0-9]*\) documents read, \([0-9]*\) added.*/\2/p' int.err)
  stored=$(sqlite3 int.db 'SELECT count(*) FROM documents')
  if [ $rc -eq 1 ] && grep -q 'interrupted' int.err && [ "$read_n" = "$stored" ] && [ "$stored" -lt 20000 ]; then
    ok "Ctrl-C: stopped, every document read was committed ($stored), exit 1"
  else
    bad "Ctrl-C: exit $rc, added ${read_n:-?}, stored $stored: $(tail -2 int.err)"
  fi
fi
if command -v script >/dev/null; then
  script -qc "\"$sitrep\" ingest --db tty.db reports plain.txt" /dev/null > tty.out 2>&1
  grep -aq $'\r''ingest: ' tty.out && ok "progress line on a terminal" || bad "no progress line on a terminal: $(head -c 200 tty.out)"
  "$sitrep" ingest --db notty.db reports 2> notty.err
  grep -q $'\r' notty.err && bad "progress line off a terminal" || ok "no progress line off a terminal"
else
  echo "note: script(1) not installed; terminal progress not checked"
fi
exit $fail
