#!/usr/bin/env bash
# e2e: `sitrep extract` over hostile and broken inputs, all in one run.
# Each bad input must give one "sitrep: FILE[:RECORD]: reason" line, the
# run must go on to the good document at the end, and the exit status must
# be 1 (done, something skipped).  Inputs are generated here, not committed.
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
check() {  # check DESCRIPTION PATTERN: PATTERN must be in stderr
  if grep -q -- "$2" err; then echo "ok: $1"; else echo "FAIL: $1: no '$2' in stderr"; fail=1; fi
}

: > empty.txt
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10' > image.html
# a page that is markup for its first 8 KiB, then 101 MiB long (sparse: no disk used)
{ printf '<html><head><title>Huge</title></head><body>'; for i in $(seq 120); do printf '<p>Paragraph %d of a page that goes on and on.</p>\n' "$i"; done; } > huge.html
truncate -s 101M huge.html
printf 'Talks resume in Geneva\n\nDelegates met again on Monday.\n' | gzip > cut.txt.gz
head -c $(( $(stat -c %s cut.txt.gz) - 8 )) cut.txt.gz > truncated.txt.gz
printf '\x1f\x8b\x08\0\0\0\0\0\0\x03not deflate data at all' > corrupt.gz
{ printf '<html><body><p>'; head -c $((8 << 20)) /dev/zero | tr '\0' ' '; } | gzip -1 > bomb.html.gz
cat > laughs.xml <<'X'
<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<rss version="2.0"><channel><title>x</title><item><description>&e;</description></item></channel></rss>
X
cat > xxe.xml <<'X'
<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY secret SYSTEM "file:///etc/hostname"> ]>
<rss version="2.0"><channel><item><title>t</title><description>&secret;</description></item></channel></rss>
X
cat > linkonly.xml <<'X'
<rss version="2.0"><channel><title>Wire</title>
<item><title>Only a headline</title><link>http://wire.example/1</link></item>
</channel></rss>
X
# 1,000,000 nested elements, as a page and as a feed entry
{ printf '<html><body>'; head -c 1000000 /dev/zero | sed 's/\x0/<div>/g'; printf 'deep'; } > nested.html
{ printf '<rss><channel><item><description>'; head -c 1000000 /dev/zero | sed 's/\x0/<a>/g'; } > nested.xml
printf '<html><head><title>Unclosed\n<body><p>Broken <b>markup <div><p>never closed' > broken.html
printf '<html><head><meta charset="utf-8"></head><body><p>Caf\xe9 cr\xe8me, labelled UTF-8 but Latin-1.</p></body></html>' > mislabelled.html
printf '<html><head><meta charset="iso-8859-1"></head><body><p>Caf\xc3\xa9 cr\xc3\xa8me, labelled Latin-1 but UTF-8.</p></body></html>' > mislabelled2.html
printf '<html><head><meta charset="shift_jis"></head><body><p>\x93\x8c\x8b\x9e\x82\xc5\x89\xef\x92\x6b\x82\xaa\x8a\x4a\x82\xa9\x82\xea\x82\xbd\x81\x42 Talks opened in Tokyo on Monday, officials said.</p></body></html>' > sjis.html
printf 'Caf\xe9 owners protest\n\nThe owners of the caf\xe9 marched.\n' > latin1.txt
printf 'WARC/1.0\r\nWARC-Type: conversion\r\nContent-Type: text/plain\r\nContent-Length: 9999\r\n\r\nshort block\r\n\r\n' > lying.warc
printf '{"text":"fine"}\n{"text": broken\n' > docs.jsonl
printf 'Good report\n\nTroops withdrew from the border town on Tuesday.\n' > zz_good.txt

"$sitrep" extract --format jsonl empty.txt image.html huge.html truncated.txt.gz corrupt.gz \
  laughs.xml xxe.xml linkonly.xml nested.html nested.xml broken.html mislabelled.html \
  mislabelled2.html sjis.html \
  latin1.txt lying.warc docs.jsonl zz_good.txt > out 2> err
rc=$?
cat err
[ $rc -eq 1 ] && echo "ok: exit status 1" || { echo "FAIL: exit status $rc, want 1"; fail=1; }
check "empty file" "sitrep: empty.txt: empty file"
check "binary named .html" "sitrep: image.html: binary data"
check "100 MB page" "sitrep: huge.html: file is 101 MiB, over the 100 MiB --max-size cap"
check "truncated gzip" "sitrep: truncated.txt.gz: gzip data truncated"
check "corrupt gzip" "sitrep: corrupt.gz: corrupt gzip data"
check "billion laughs refused" "sitrep: laughs.xml: feed declares XML entities"
check "external entity refused" "sitrep: xxe.xml: feed declares XML entities"
check "entry with only a link" "sitrep: linkonly.xml:1: entry 1 has no text, only a link (http://wire.example/1)"
check "nested feed elements" "sitrep: nested.xml: XML error"
check "WARC length that lies" "sitrep: lying.warc:1: record 1: truncated: "
check "bad JSONL line" "sitrep: docs.jsonl:2: line 2 is not valid JSON"
check "latin-1 text repaired" "sitrep: latin1.txt: not valid UTF-8; read as windows-1252"
check "summary line" "^extract: [0-9]* documents from 18 files, [0-9]* records skipped"
check "1,000,000 nested elements flattened" "sitrep: nested.html: elements nested deeper than 256 levels were flattened"
check "UTF-8 label on Latin-1 bytes" "sitrep: mislabelled.html: declared charset does not fit the bytes"
check "Latin-1 label on UTF-8 bytes" "sitrep: mislabelled2.html: declared charset does not fit the bytes"
if grep -q "$(cat /etc/hostname 2>/dev/null || echo no-such-hostname-here)" out; then
  echo "FAIL: the external entity was resolved"; fail=1
fi
grep -q '"text":"Troops withdrew from the border town on Tuesday."' out \
  && echo "ok: the run went on to the good file" || { echo "FAIL: good file missing"; fail=1; }
grep -q $'"text":"The owners of the caf\xc3\xa9 marched."' out \
  && echo "ok: latin-1 text converted" || { echo "FAIL: latin-1 text"; fail=1; }
grep -q '"text":"fine"' out && echo "ok: good JSONL line kept" || { echo "FAIL: JSONL"; fail=1; }
expect() {  # expect DESCRIPTION PATTERN: PATTERN must be in stdout
  if grep -q -- "$2" out; then echo "ok: $1"; else echo "FAIL: $1: no '$2' in stdout"; fail=1; fi
}
expect "mislabelled UTF-8 read as windows-1252" $'"path":"mislabelled.html".*"text":"Caf\xc3\xa9 cr\xc3\xa8me, labelled UTF-8'
expect "mislabelled Latin-1 read as UTF-8" $'"path":"mislabelled2.html".*"text":"Caf\xc3\xa9 cr\xc3\xa8me, labelled Latin-1'
expect "Shift_JIS converted" $'"path":"sjis.html".*"text":"\xe6\x9d\xb1\xe4\xba\xac\xe3\x81\xa7'
expect "broken HTML: unclosed title recovered" '"path":"broken.html".*"title":"Unclosed"'
expect "broken HTML: unclosed elements' text kept" '"path":"broken.html".*"text":"Broken markup\\n\\nnever closed"'
expect "1,000,000 nested elements: the text inside kept" '"path":"nested.html".*"text":"deep"'
if grep -q '"path":"huge.html"' out; then echo "FAIL: the 101 MiB page was read"; fail=1; fi

# a gzip bomb: the inflated-size cap (lowered here to keep the test fast)
"$sitrep" extract --max-size 2 bomb.html.gz > /dev/null 2> err
rc=$?
[ $rc -eq 1 ] || { echo "FAIL: bomb exit status $rc"; fail=1; }
check "gzip bomb capped" "sitrep: bomb.html.gz: inflated size larger than the 2 MiB --max-size cap (gzip bomb?)"
exit $fail
