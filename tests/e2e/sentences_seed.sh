#!/usr/bin/env bash
# The hard-wrapped seed report (../shared/seeds/004_*.txt): no sentence is
# cut at a hard line break, no bullet stands as a sentence, and "Field
# Marshal Syed Asim Munir" stays inside its sentence.  JSONL offsets must
# point at the sentence's first and last bytes in the original file.
set -uo pipefail
seed=$(ls "${SITREP_SHARED:-../shared}"/seeds/004_*.txt 2>/dev/null | head -1)
[ -n "$seed" ] || { echo "skipped: ../shared not found (no seeds/004_*.txt)"; exit 77; }
out=$(mktemp); js=$(mktemp); trap 'rm -f "$out" "$js"' EXIT
"$SITREP" sentences "$seed" > "$out" || { echo "FAIL: exit $?"; exit 1; }
"$SITREP" sentences --format jsonl "$seed" > "$js" || { echo "FAIL: jsonl exit $?"; exit 1; }
fail=0; pass=0
check() { if eval "$2"; then pass=$((pass+1)); else echo "FAIL: $1"; fail=$((fail+1)); fi; }

# every sentence that does not end in . ! ? : must be a heading (checked with --kinds)
bad=$("$SITREP" sentences --kinds "$seed" | grep -v '^\[heading\]' | grep -vE '[.!?:]["”’)]?$' || true)
check "sentences cut at a line break: $bad" '[ -z "$bad" ]'
check "a bullet stands as a sentence" '! grep -qE "^[[:space:]]*(·|•)?[[:space:]]*$" "$out"'
check "a bullet character left in the text" '! grep -q "·" "$out"'
check "Field Marshal Syed Asim Munir split" 'grep -q "Chief of Army Staff, Field Marshal Syed Asim Munir, to Libya\." "$out"'
check "no sentence starts in lower case" '! grep -qE "^[a-z]" "$out"'
n=$(wc -l < "$out")
check "too few sentences ($n)" '[ "$n" -ge 40 ]'
# offsets: the first word of each sentence is at its start offset
python3 - "$seed" "$js" <<'PY' || { echo "FAIL: offsets"; fail=$((fail+1)); }
import json, sys
data = open(sys.argv[1], 'rb').read()
for line in open(sys.argv[2]):
    s = json.loads(line)
    span = data[s['start']:s['end']].decode('utf-8')
    first = s['text'].split()[0]
    last = s['text'].split()[-1]
    assert span.startswith(first), (span[:40], first)
    assert span.endswith(last), (span[-40:], last)
PY
[ $fail -eq 0 ] && pass=$((pass+1))
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
