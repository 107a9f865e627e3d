#!/usr/bin/env bash
# e2e/conformance: `sitrep evaluate --plover` on the human-coded PLOVER dev
# sentences in ../shared, holding the news coding where it stands so a
# change that loses events on news shows here (issue 9 asks for
# F1 and precision >= 0.65, extras <= 0.20 a record, no mutual pair; the
# figures here are where the coder stands, a little below, so that a change
# that loses ground fails).
#   category + actor roots  F1 >= 0.750, precision >= 0.785
#   extras per record <= 0.200 (the issue's bar);  no A>B + B>A pair on a
#   directional code
# Skipped (77) when ../shared is not there.
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
shared=${SITREP_SHARED:-../shared}
gold=$shared/data/validation/plover/PLOVER_GSR_dev.json
[ -r "$gold" ] || { echo "skipped: $gold not found"; exit 77; }
out=$("$sitrep" evaluate --quiet --plover "$gold" 2>&1)
rc=$?
printf '%s\n' "$out"
[ $rc -lt 2 ] || { echo "FAIL: sitrep evaluate exited $rc"; exit 1; }
fail=0
row=$(printf '%s\n' "$out" | grep -E '^ +category \+ actor roots ')
extras=$(printf '%s\n' "$out" | sed -n 's/^ *extras per record: \([0-9.]*\).*/\1/p')
mutual=$(printf '%s\n' "$out" | sed -n 's/^ *mutual pairs on directional codes: \([0-9]*\)$/\1/p')
[ -n "$row" ] && [ -n "$extras" ] && [ -n "$mutual" ] || { echo "FAIL: evaluator output lacks a level"; exit 1; }
read -r p r f <<<"$(printf '%s\n' "$row" | awk '{print $5, $6, $7}')"
awk -v f="$f" 'BEGIN { exit !(f >= 0.750) }' || { echo "FAIL: F1 $f below 0.750"; fail=1; }
awk -v p="$p" 'BEGIN { exit !(p >= 0.785) }' || { echo "FAIL: precision $p below 0.785"; fail=1; }
awk -v x="$extras" 'BEGIN { exit !(x <= 0.200) }' || { echo "FAIL: extras $extras above 0.200"; fail=1; }
[ "$mutual" -eq 0 ] || { echo "FAIL: $mutual mutual pairs on directional codes"; fail=1; }
exit $fail
