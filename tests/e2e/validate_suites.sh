#!/usr/bin/env bash
# e2e/conformance: `sitrep validate` over the TABARI and PETRARCH suites in
# ../shared, asserting from the closing "total:" line the no-regression bars
# of issue 9 (the counts before news coding began, in per mille):
#   TABARI    correct/expected >= 916 (373/407), extra/records <= 67
#   PETRARCH  correct/expected >= 874 (314/359), extra/records <= 113
# Skipped (77) when ../shared is not there.
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
shared=${SITREP_SHARED:-../shared}
tab=$shared/data/validation/tabari/Validate.text
pet=$shared/data/validation/petrarch/PETR.UnitTest.records.xml
[ -r "$tab" ] && [ -r "$pet" ] || { echo "skipped: ../shared validation suites not found"; exit 77; }
fail=0
check() {  # check NAME FILE MIN_CORRECT_PERMILLE MAX_EXTRA_PERMILLE
  out=$("$sitrep" validate --quiet "$2" 2>/dev/null)
  rc=$?
  if [ $rc -ge 2 ]; then echo "FAIL: $1: sitrep validate exited $rc"; fail=1; return; fi
  total=$(printf '%s\n' "$out" | tail -1)
  if ! [[ $total =~ ^total:\ records=([0-9]+)\ expected=([0-9]+)\ correct=([0-9]+)\ uncoded=([0-9]+)\ extra=([0-9]+)$ ]]; then
    echo "FAIL: $1: bad closing line: $total"; fail=1; return
  fi
  r=${BASH_REMATCH[1]} e=${BASH_REMATCH[2]} c=${BASH_REMATCH[3]} u=${BASH_REMATCH[4]} x=${BASH_REMATCH[5]}
  [ $((c + u)) -eq "$e" ] || { echo "FAIL: $1: correct+uncoded != expected"; fail=1; }
  [ "$r" -gt 0 ] && [ "$e" -gt 0 ] || { echo "FAIL: $1: no records read"; fail=1; return; }
  echo "$1: $total (correct $((100 * c / e))%, extra/records $((100 * x / r))%)"
  if [ $((1000 * c)) -lt $(($3 * e)) ]; then echo "FAIL: $1: correct below $3 per mille"; fail=1; fi
  if [ $((1000 * x)) -gt $(($4 * r)) ]; then echo "FAIL: $1: extra above $4 per mille"; fail=1; fi
}
check TABARI "$tab" 916 67
check PETRARCH "$pet" 874 113
exit $fail
