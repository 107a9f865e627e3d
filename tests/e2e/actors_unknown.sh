#!/usr/bin/env bash
# e2e: `sitrep actors --unknown` lists people no dictionary knows who were
# introduced with a title and a country, with counts and a suggested entry
# in dictionary syntax; a longer form of a name ("Ahmed Yasser Atta") is the
# same person and becomes a synonym line.
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/report.txt" <<'X'
Sudan's army commander, General Yasser Atta, visited Pakistan on Monday.
General Yasser Atta later met Pakistani officials in Rawalpindi.
Egypt's defence minister, General Abdel Mageed Saqr, met Libyan officials in Cairo.
Sudan's army commander, General Ahmed Yasser Atta, flew to Tripoli.
X
out=$("$sitrep" actors --unknown --date 2025-12-20 "$tmp/report.txt" 2>/dev/null)
rc=$?
fail=0
[ $rc -lt 2 ] || { echo "FAIL: exit $rc"; exit 1; }
expect() { if grep -qF -- "$1" <<<"$out"; then echo "ok: $1"; else echo "FAIL: no '$1'"; fail=1; fi; }
expect "YASSER_ATTA [SDNMIL >251220]"
expect "ABDEL_MAGEED_SAQR [EGYGOV >251220]"
expect "2	Yasser Atta	army commander	SDNMIL"
expect "+AHMED_YASSER_ATTA"   # the longer name is the same person
printf '%s\n' "$out"
exit $fail
