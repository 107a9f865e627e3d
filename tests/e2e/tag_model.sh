#!/usr/bin/env bash
# e2e: `sitrep tag` with the shipped model (text, jsonl and conllu output
# agree), and a missing, truncated or damaged model is one clear line naming
# the file and the reason, with exit status 3.
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
src=${SITREP_SRC:?SITREP_SRC must name the source tree}
model="$src/dict/pos/en-ewt.model"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if [ "$1" = ok ]; then echo "ok: $2"; else echo "FAIL: $2"; fail=1; fi; }

printf 'The embassy was attacked by Iranian protesters. Russia said Ukraine must withdraw.\n' > "$tmp/in.txt"
"$sitrep" tag --model "$model" "$tmp/in.txt" > "$tmp/text" 2> "$tmp/err"; rc=$?
[ $rc -eq 0 ] && [ ! -s "$tmp/err" ] && [ "$(wc -l < "$tmp/text")" -eq 2 ] \
  && grep -q '^The/DT embassy/NN was/VBD attacked/VBN by/IN' "$tmp/text"; r=$?
check "$([ $r -eq 0 ] && echo ok)" "text: one sentence a line, word/TAG"
"$sitrep" tag --model "$model" --format jsonl "$tmp/in.txt" > "$tmp/jsonl"
python3 - "$tmp/jsonl" "$tmp/text" <<'PY' && check ok "jsonl: the same tags, spans into the input" || check no "jsonl"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
text = open(sys.argv[2]).read().split()
inp = open(sys.argv[1].replace('jsonl', 'in.txt')).read()
assert [r["text"] + "/" + r["pos"] for r in rows] == text, "tags differ"
assert all(inp[r["start"]:r["end"]] == r["text"] for r in rows), "spans"
assert rows[3]["upos"] == "VERB" and rows[0]["upos"] == "DET"
PY
"$sitrep" tag --model "$model" --format conllu "$tmp/in.txt" > "$tmp/conllu"
[ "$(grep -c '^# sent_id' "$tmp/conllu")" -eq 2 ] && grep -qP '^4\tattacked\t_\tVERB\tVBN\t' "$tmp/conllu"
check "$([ $? -eq 0 ] && echo ok)" "conllu: ID FORM _ UPOS XPOS"
"$sitrep" tag --model "$model" --info | grep -q '^tags: 51$'
check "$([ $? -eq 0 ] && echo ok)" "--info names the tag count"
SITREP_DICT="$src/dict" "$sitrep" tag "$tmp/in.txt" | cmp -s - "$tmp/text"
check "$([ $? -eq 0 ] && echo ok)" "the default model is DICT/pos/en-ewt.model"

# broken models: FILE: reason, exit 3, nothing on stdout
bad() {  # name path expected-reason
  "$sitrep" tag --model "$2" "$tmp/in.txt" > "$tmp/out" 2> "$tmp/err"; rc=$?
  if [ $rc -eq 3 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l < "$tmp/err")" -eq 1 ] \
     && grep -q "^sitrep: $2: .*$3" "$tmp/err"; then check ok "$1: $(cat "$tmp/err")"
  else check no "$1 (exit $rc): $(cat "$tmp/err")"; fi
}
bad "missing model" "$tmp/none.model" "cannot read"
head -c 1000 "$model" > "$tmp/short.model"
bad "truncated model" "$tmp/short.model" "truncated"
cp "$model" "$tmp/flip.model"
printf '\x55' | dd of="$tmp/flip.model" bs=1 seek=200000 conv=notrunc 2>/dev/null
bad "damaged model" "$tmp/flip.model" "checksum mismatch"
printf 'not a model at all\n' > "$tmp/text.model"
bad "not a model" "$tmp/text.model" "not a sitrep tagger model"
exit $fail
