#!/usr/bin/env bash
# e2e: the shipped dictionaries are what scripts/convert-dicts makes from
# ../shared (no hand edits, no stale copy), and the raw Phoenix files would
# not load cleanly without that conversion (so the conversion is doing work
# the readers need).  Skipped without ../shared or python3.
set -uo pipefail
src=${SITREP_SRC:?SITREP_SRC must name the source tree}
shared=${SITREP_SHARED:-$src/../shared}
sitrep=${SITREP:?SITREP must name the sitrep binary}
[ -d "$shared/data/dicts/phoenix" ] || { echo "skipped: ../shared not found"; exit 77; }
command -v python3 >/dev/null || { echo "skipped: python3 not found (scripts/convert-dicts)"; exit 77; }
fail=0

if python3 "$src/scripts/convert-dicts" --shared "$shared" --out "$src/dict" --check; then
  echo "ok: dict/ matches scripts/convert-dicts output"
else
  echo "FAIL: dict/ differs from scripts/convert-dicts output (rerun it)"; fail=1
fi

# The untouched Phoenix verb file gives FILE:LINE skips; the shipped one none.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "Pakistan's army chief visited Libya." > "$tmp/s.txt"
"$sitrep" code --dicts "$shared/data/dicts/phoenix/CAMEO.verbpatterns.150430.txt" "$tmp/s.txt" \
  >/dev/null 2>"$tmp/raw.err"
raw=$(grep -c 'CAMEO.verbpatterns.150430.txt:[0-9]*: ' "$tmp/raw.err")
if [ "$raw" -gt 0 ]; then echo "ok: raw Phoenix verb file: $raw skipped entries"; else
  echo "FAIL: the raw verb file loaded without skips: is the conversion still needed?"; fail=1; fi
"$sitrep" code --dicts "$src/dict" "$tmp/s.txt" >/dev/null 2>"$tmp/shipped.err"
if [ -s "$tmp/shipped.err" ]; then
  echo "FAIL: the shipped dictionaries print diagnostics:"; head -5 "$tmp/shipped.err"; fail=1
else echo "ok: shipped dictionaries load silently"; fi

# Every event code sitrep's own verb file gives is in the codebook (the
# readers check a code's form only: "[1612]" looks like a code and is none).
bad=$(grep -o '\[[0-9]\{2,4\}\(:[0-9]\{2,4\}\)\?\]' "$src/dict/sitrep.verbpatterns.txt" |
      tr -d '[]' | tr ':' '\n' | sort -u |
      while read -r code; do
        cut -f1 "$src/dict/cameo/codebook.tsv" | grep -qx "$code" || echo "$code"
      done)
if [ -n "$bad" ]; then
  echo "FAIL: dict/sitrep.verbpatterns.txt gives codes the codebook lacks: $(echo $bad)"; fail=1
else echo "ok: every code in dict/sitrep.verbpatterns.txt is in the codebook"; fi
exit $fail
