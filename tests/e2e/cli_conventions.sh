#!/usr/bin/env bash
# The command-line conventions every command follows (docs/cli.md):
# --help/--version, exit codes 0/1/2, results on stdout, one-line skips on
# stderr naming the file, '-' and no FILE read stdin.
set -uo pipefail
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
expect() { # name, expected rc, command...
  local name=$1 want=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ "$rc" -eq "$want" ]; then pass=$((pass+1)); else echo "FAIL: $name: exit $rc, want $want"; cat "$tmp/err"; fail=$((fail+1)); fi
}
expect "--help" 0 "$SITREP" --help
grep -q "^  sentences" "$tmp/out" || { echo "FAIL: --help lists no commands"; fail=$((fail+1)); }
expect "--version" 0 "$SITREP" --version
grep -qE '^sitrep [0-9]+\.[0-9]+' "$tmp/out" || { echo "FAIL: --version"; fail=$((fail+1)); }
expect "no command" 2 "$SITREP"
expect "unknown command" 2 "$SITREP" frobnicate
expect "sentences --help" 0 "$SITREP" sentences --help
expect "tokens --help" 0 "$SITREP" tokens --help
expect "unknown option" 2 "$SITREP" sentences --bogus
expect "bad format" 2 "$SITREP" sentences --format xml
printf 'One sentence. Two sentences.' > "$tmp/a.txt"
expect "a good file" 0 "$SITREP" sentences "$tmp/a.txt"
[ "$(wc -l < "$tmp/out")" -eq 2 ] || { echo "FAIL: two sentences expected"; fail=$((fail+1)); }
expect "a missing file is skipped, the rest done" 1 "$SITREP" sentences "$tmp/missing.txt" "$tmp/a.txt"
grep -q "^sitrep: $tmp/missing.txt: " "$tmp/err" || { echo "FAIL: skip line names the file"; cat "$tmp/err"; fail=$((fail+1)); }
[ "$(wc -l < "$tmp/out")" -eq 2 ] || { echo "FAIL: the good file after a skip"; fail=$((fail+1)); }
expect "stdin with -" 0 bash -c "printf 'A. B.' | '$SITREP' sentences -"
expect "stdin with no FILE" 0 bash -c "printf 'A. B.' | '$SITREP' tokens"
expect "an HTML page on stdin" 0 bash -c "printf '<html><body><article><p>The navy chief met his counterpart on Monday. They agreed to hold drills.</p></article></body></html>' | '$SITREP' sentences"
[ "$(wc -l < "$tmp/out")" -eq 2 ] || { echo "FAIL: HTML on stdin: two sentences expected"; cat "$tmp/out"; fail=$((fail+1)); }
printf 'caf\xe9 au lait. Fine.' > "$tmp/bad.txt"
expect "invalid UTF-8 is repaired, not skipped" 0 "$SITREP" sentences "$tmp/bad.txt"
grep -q "invalid UTF-8" "$tmp/err" || { echo "FAIL: no warning for invalid UTF-8"; fail=$((fail+1)); }
expect "jsonl" 0 "$SITREP" sentences --format jsonl "$tmp/a.txt"
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$tmp/out" || { echo "FAIL: jsonl does not parse"; fail=$((fail+1)); }
expect "closed pipe is not an error" 0 bash -c "yes 'A sentence here.' | head -c 5000000 | '$SITREP' sentences | head -1 >/dev/null"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
