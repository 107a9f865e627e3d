#!/usr/bin/env bash
# Golden-case runner: tests/golden/<suite>/<name>.txt
#
# A case file is plain text a domain expert can extend without writing C:
#
#   # comments start with '#'
#   # command: sentences --format text        <- what to run (sitrep argv)
#
#   === short name of the case
#   input text, any number of lines
#   ---
#   expected output, any number of lines
#
# Each case's input is written to a file and `sitrep <command> FILE` runs on
# it; its stdout must equal the expected lines (trailing blank lines ignored).
# A case may override the command with a line "# command: ..." right after
# its "===" line.  {input} in the command stands for the input file (else the
# file is appended).  Exits 0 if every case passes, 1 otherwise.
set -uo pipefail
file=$1
sitrep=${SITREP:?SITREP must name the sitrep binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Split the file into numbered cases: NNN.name, NNN.cmd, NNN.in, NNN.exp
awk -v dir="$tmp" '
  BEGIN { n = 0; part = ""; gcmd = "" }
  /^=== / { n++; part = "in"; name = substr($0, 5); id = sprintf("%s/%03d", dir, n)
            print name > (id ".name"); close(id ".name")
            printf "" > (id ".in"); printf "" > (id ".exp")
            print gcmd > (id ".cmd"); close(id ".cmd"); fresh = 1; next }
  n == 0 && /^# command: / { gcmd = substr($0, 12); next }
  n == 0 { next }
  fresh && /^# command: / { print substr($0, 12) > (id ".cmd"); close(id ".cmd"); next }
  { fresh = 0 }
  part == "in" && $0 == "---" { part = "exp"; next }
  part == "in"  { print >> (id ".in"); next }
  part == "exp" { print >> (id ".exp"); next }
' "$file"

# The input of a case ends with its last line: drop the newline awk added,
# unless the case text itself ends with an empty line.
strip_trailing_blank() { sed -e ':a' -e '/^\n*$/{$d;N;ba' -e '}' "$1"; }

pass=0; fail=0
for name in "$tmp"/*.name; do
  [ -e "$name" ] || { echo "golden: $file has no cases"; exit 1; }
  id=${name%.name}
  cmd=$(cat "$id.cmd")
  [ -n "$cmd" ] || { echo "golden: $file: no '# command:' line"; exit 1; }
  if [[ "$cmd" == *"{input}"* ]]; then cmdline=${cmd//\{input\}/$id.in}; else cmdline="$cmd $id.in"; fi
  # shellcheck disable=SC2086
  (cd "$tmp" && eval "\"$sitrep\" $cmdline") > "$id.out" 2> "$id.err"
  rc=$?
  if [ $rc -ge 2 ]; then
    echo "FAIL [$(cat "$name")]: sitrep exited $rc: $(head -3 "$id.err")"
    fail=$((fail + 1)); continue
  fi
  if diff -u <(strip_trailing_blank "$id.exp") <(strip_trailing_blank "$id.out") > "$id.diff"; then
    pass=$((pass + 1))
  else
    echo "FAIL [$(cat "$name")]:"; sed 's/^/    /' "$id.diff" | tail -n +3
    fail=$((fail + 1))
  fi
done
echo "$(basename "$file"): $pass passed, $fail failed"
[ $fail -eq 0 ]
