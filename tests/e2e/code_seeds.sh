#!/usr/bin/env bash
# e2e: `sitrep code` with the shipped dictionaries over the two seed reports
# in ../shared/seeds (read in place, never copied), asserting issue 3's bars:
#   - a Pakistani military -> Libyan military meeting or visit (CAMEO 04x);
#   - cooperation between Pakistan and Libya (03x/05x/06x);
#   - the multi-billion-dollar defence deal, marked "reported";
#   - no event whose source or target text is "Analysts"/"Experts".
# Skipped (77) when ../shared is not there.
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
shared=${SITREP_SHARED:-../shared}
dict=${SITREP_DICT:-}
seeds=("$shared"/seeds/*.txt)
[ -r "${seeds[0]}" ] || { echo "skipped: ../shared/seeds not found"; exit 77; }
args=(--date 2025-12-20 --format jsonl)
[ -n "$dict" ] && args+=(--dicts "$dict")
out=$("$sitrep" code "${args[@]}" "${seeds[@]}" 2>/dev/null)
[ $? -lt 2 ] || { echo "FAIL: sitrep code failed"; exit 1; }
fail=0
has() {  # has DESCRIPTION JQ-FILTER
  n=$(printf '%s\n' "$out" | jq -c "select($2)" | wc -l)
  if [ "$n" -gt 0 ]; then echo "ok: $1 ($n)"; else echo "FAIL: $1"; fail=1; fi
}
none() {
  n=$(printf '%s\n' "$out" | jq -c "select($2)" | wc -l)
  if [ "$n" -eq 0 ]; then echo "ok: $1"; else echo "FAIL: $1 ($n)"; fail=1; fi
}
has "PAKMIL -> LBYMIL meeting or visit (04x)" \
  '.source.code == "PAKMIL" and .target.code == "LBYMIL" and (.cameo | startswith("04"))'
has "cooperation between Pakistan and Libya (03x/05x/06x)" \
  '((.source.code | startswith("PAK")) and (.target.code // "" | startswith("LBY")) or (.source.code | startswith("LBY")) and (.target.code // "" | startswith("PAK"))) and (.root == "03" or .root == "05" or .root == "06")'
has "the defence deal, reported" \
  '(.verb.text | test("deal"; "i")) and .modality == "reported"'
none "no actor from Analysts/Experts" \
  '(.source.text | test("^(analysts?|experts?)$"; "i")) or (.target.text // "" | test("^(analysts?|experts?)$"; "i"))'
printf '%s\n' "$out" | jq -r '"  \(.source.code) -> \(.target.code // "-") \(.cameo) \(.modality): \(.verb.text)"'
exit $fail
