#!/usr/bin/env bash
# e2e: `sitrep extract` over every file in ../shared/data/warc (real WARC,
# WARC.gz, WET/WAT samples and warcio/resiliparse edge cases, plus ARC and
# license files) and ../shared/data/feeds/gofeed (gofeed's RSS/Atom/JSON
# parser and translator test data, many of them deliberately broken).
# Nothing may crash or hang; every problem is one "sitrep: FILE[:RECORD]:
# reason" line; the summary's counts must be in a sane range; every
# document is one JSON object with the issue's fields.
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
shared=${SITREP_SHARED:-../shared}
warc=$shared/data/warc
feeds=$shared/data/feeds/gofeed
if [ ! -d "$warc" ] || [ ! -d "$feeds" ]; then
  echo "skipped: $warc or $feeds not found"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

summary_num() {  # summary_num ERRFILE FIELD: the number before FIELD
  sed -n "s/^extract: .*[^0-9]\([0-9][0-9]*\) $2.*/\1/p; s/^extract: \([0-9][0-9]*\) $2.*/\1/p" "$1" | head -1
}
between() {  # between NAME VALUE LO HI
  if [ -n "$2" ] && [ "$2" -ge "$3" ] && [ "$2" -le "$4" ]; then
    echo "ok: $1 = $2 (expected $3..$4)"
  else
    echo "FAIL: $1 = '${2}' not in $3..$4"; fail=1
  fi
}
run() {  # run NAME DIR: extract everything, check the shape of the output
  local name=$1 dir=$2
  timeout 120 "$sitrep" extract --format jsonl "$dir" > "$tmp/$name.out" 2> "$tmp/$name.err"
  local rc=$?
  echo "---- $name: exit $rc"
  grep '^extract:' "$tmp/$name.err"
  # 0 = all read, 1 = something skipped; anything else is a crash or a hang
  if [ $rc -gt 1 ]; then echo "FAIL: $name: exit status $rc"; fail=1; fi
  if grep -v -e '^sitrep: [^ ]*: ' -e '^extract: ' "$tmp/$name.err" | grep -q .; then
    echo "FAIL: $name: stderr lines not in the 'sitrep: FILE[:RECORD]: reason' form:"
    grep -v -e '^sitrep: [^ ]*: ' -e '^extract: ' "$tmp/$name.err" | head -5
    fail=1
  fi
  local docs
  docs=$(grep -c . "$tmp/$name.out")
  if [ "$docs" != "$(summary_num "$tmp/$name.err" documents)" ]; then
    echo "FAIL: $name: $docs lines of output but the summary says otherwise"; fail=1
  fi
  local fields='^\{"path":"[^"]*","record":[^,]*,"url":.*,"outlet":.*,"published":.*,"title":.*,"author":.*,"lang":.*,"text":"'
  if grep -v -E "$fields" "$tmp/$name.out" | grep -q .; then
    echo "FAIL: $name: documents without the path/url/outlet/published/title/author/lang/text fields"
    fail=1
  fi
  if grep -q '"text":""' "$tmp/$name.out"; then
    echo "FAIL: $name: a document with empty text"; fail=1
  fi
}

run warc "$warc"
between "warc: files" "$(summary_num "$tmp/warc.err" files)" 25 40
between "warc: documents" "$(summary_num "$tmp/warc.err" documents)" 80 200
between "warc: records skipped" "$(summary_num "$tmp/warc.err" 'records skipped')" 1 15
between "warc: WARC records" "$(summary_num "$tmp/warc.err" 'WARC records')" 150 400
# the cases the samples are there for
grep -q 'clipped.warc.gz:1: record 1: truncated' "$tmp/warc.err" \
  && echo "ok: clipped record reported" || { echo "FAIL: clipped record"; fail=1; }
grep -q 'example-trunc.warc:3: record 3: Content-Length does not match' "$tmp/warc.err" \
  && echo "ok: lying Content-Length reported" || { echo "FAIL: lying length"; fail=1; }
grep -q 'example.arc: ARC format not supported' "$tmp/warc.err" \
  && echo "ok: ARC reported" || { echo "FAIL: ARC"; fail=1; }
n=$(grep -c '"path":"[^"]*dolma/sample-000[01].warc.gz","record":"[0-9]*","url":"http' "$tmp/warc.out")
between "warc: CC-NEWS-style documents with a URL" "$n" 30 100
n=$(grep -c '"path":"[^"]*whirlwind.warc.wet.gz"' "$tmp/warc.out")
between "warc: WET conversion records" "$n" 1 5

run feeds "$feeds"
between "feeds: files" "$(summary_num "$tmp/feeds.err" files)" 1000 1200
between "feeds: documents" "$(summary_num "$tmp/feeds.err" documents)" 50 400
between "feeds: records skipped" "$(summary_num "$tmp/feeds.err" 'records skipped')" 300 900
grep -q 'has no text, only a link (http' "$tmp/feeds.err" \
  && echo "ok: link-only entries reported" || { echo "FAIL: link-only entries"; fail=1; }
n=$(grep -c '"path":"[^"]*\.xml","record":"[0-9]*"' "$tmp/feeds.out")
between "feeds: entries from RSS/Atom files" "$n" 40 400
exit $fail
