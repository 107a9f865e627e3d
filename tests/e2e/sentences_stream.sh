#!/usr/bin/env bash
# Memory stays bounded on a huge input streamed in: 1 GiB of report text
# (256 MiB under the sanitizers, which are ~10x slower) piped through
# `sitrep sentences`; peak RSS must stay under 64 MiB and every sentence
# must come out.
set -uo pipefail
size=$((1024 << 20))
[ -n "${SITREP_SANITIZED:-}" ] && size=$((256 << 20))
para='Pakistan and Libya agreed on Tuesday to expand military training, the army said. The deal, worth $2.5 billion, was signed by Gen. Asim Munir.'
rss_file=$(mktemp); trap 'rm -f "$rss_file"' EXIT
count=$( { yes "$para" | head -c "$size"; } | /usr/bin/env bash -c '
  "$1" sentences - <&0 & pid=$!
  peak=0
  while kill -0 $pid 2>/dev/null; do
    r=$(awk "/VmHWM/ {print \$2}" /proc/$pid/status 2>/dev/null || echo 0)
    [ -n "$r" ] && [ "$r" -gt "$peak" ] && peak=$r
    sleep 0.2
  done
  wait $pid; echo "rc=$?" >&2
  echo "$peak" > "$2"
' _ "$SITREP" "$rss_file" | wc -l)
peak=$(cat "$rss_file")
lines=$(( size / (${#para} + 1) ))
echo "streamed $((size >> 20)) MiB: $count sentences, peak RSS ${peak} KiB"
fail=0
[ "$peak" -gt 0 ] && [ "$peak" -lt 65536 ] || { echo "FAIL: peak RSS ${peak} KiB (cap 65536)"; fail=1; }
# two sentences per line; the last line may be cut short
[ "$count" -ge $(( 2 * lines - 2 )) ] || { echo "FAIL: $count sentences, expected about $((2 * lines))"; fail=1; }
echo "$(( 2 - fail )) passed, $fail failed"
[ $fail -eq 0 ]
