#!/usr/bin/env bash
# e2e (issue 14, item 14): undated documents joined stories across years
# ("seen 2007-02-03 .. 2026-02-03").  Now
#   - a document without a date of its own takes its file's date (its
#     modification time), and says so in its metadata;
#   - a feed entry without one takes the feed's date;
#   - a document with no date at all (standard input) joins nothing outside
#     its own batch: two stories of 2007 and 2026 stay two, and it neither
#     joins nor merges them.
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
command -v python3 >/dev/null || { echo "skipped: python3 not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
export SITREP_DB="$tmp/t.db"

# two reports of a port strike, one of 2007 and one of 2026, one run each
cat > y2007.jsonl <<'EOF'
{"outlet":"Harbour Post","published":"2007-02-03","title":"Dock workers strike at Port Kelang","text":"Dock workers at Port Kelang walked out on Saturday over pay, halting container traffic at the Malaysian port."}
EOF
cat > y2026.jsonl <<'EOF'
{"outlet":"Straits Observer","published":"2026-02-03","title":"Port Kelang dock workers strike over pay","text":"Container traffic at Port Kelang stopped as dock workers went on strike over pay, the port operator said."}
EOF
"$sitrep" ingest -q y2007.jsonl 2>err || { bad "ingest 2007"; cat err; }
"$sitrep" ingest -q y2026.jsonl 2>err || { bad "ingest 2026"; cat err; }
# the same happening again, undated and from standard input: no file date
printf '{"outlet":"Wire","title":"Strike at Port Kelang docks","text":"Dock workers at Port Kelang are on strike over pay, stopping container traffic."}\n' \
  | "$sitrep" ingest -q - 2>err || { bad "ingest stdin"; cat err; }
"$sitrep" stories --all --format jsonl > stories.jsonl 2>err || "$sitrep" stories --format jsonl > stories.jsonl
python3 - stories.jsonl <<'PY' || fail=1
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
spans = [(s["first_seen"] or "", s["last_seen"] or "", s["documents"]) for s in r]
years = [s for s in spans if s[0][:4] != s[1][:4] and s[0] and s[1]]
ok = len(r) == 3 and not years
print(("ok" if ok else "FAIL") + ": three stories, none across years: %s" % spans)
sys.exit(0 if ok else 1)
PY

# a text file without a date takes its file's date
printf 'Port Kelang dock workers return to work\n\nDock workers at Port Kelang ended their strike on Monday after a pay deal.\n' > deal.txt
touch -d '2007-02-05 10:00:00 UTC' deal.txt
"$sitrep" extract --format jsonl deal.txt > deal.jsonl 2>/dev/null
python3 -c 'import json,sys; d=json.load(open("deal.jsonl")); sys.exit(0 if d["published"].startswith("2007-02-05") and d["meta"]["published_from"]=="file date" else 1)' \
  && ok "an undated file takes its modification date, and says so" || bad "file date: $(cat deal.jsonl)"
"$sitrep" ingest -q deal.txt 2>err || { bad "ingest deal.txt"; cat err; }
"$sitrep" stories --all --format jsonl 2>/dev/null | grep -q '"first_seen":"2007-02-0' \
  && ok "its story is seen in 2007" || bad "stories: $("$sitrep" stories --all 2>&1)"

# a feed entry without a date takes the feed's
cat > feed.xml <<'EOF'
<?xml version="1.0"?>
<rss version="2.0"><channel><title>Harbour Post</title>
<pubDate>Sat, 03 Feb 2007 09:00:00 GMT</pubDate>
<item><title>Strike spreads to Penang port</title><description>Dock workers in Penang joined the strike on Saturday.</description></item>
</channel></rss>
EOF
"$sitrep" extract --format jsonl feed.xml > feed.jsonl 2>/dev/null
python3 -c 'import json,sys; d=json.load(open("feed.jsonl")); sys.exit(0 if d["published"].startswith("2007-02-03") and d["meta"]["published_from"]=="feed date" else 1)' \
  && ok "an undated feed entry takes the feed's date" || bad "feed date: $(cat feed.jsonl)"
exit $fail
