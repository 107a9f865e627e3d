#!/usr/bin/env bash
# The geoparsing golden suite: every case of cases.tsv is one document;
# `sitrep places --find` runs once over all of them and each expected place
# is looked for among what it found (same words, country, GDELT type and
# entry name).  Prints the accuracy by category and every miss; a place
# found where no case expects one is an invention.
# Passes when the accuracy is at least 95% and nothing is invented.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sitrep=${SITREP:?SITREP must name the sitrep binary}
cases=${1:-$here/cases.tsv}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# one JSON Lines document per case (the texts hold no tab or newline)
awk -F'\t' '!/^#/ && NF >= 3 {
  t = $2; gsub(/\\/, "\\\\", t); gsub(/"/, "\\\"", t)
  printf "{\"outlet\":\"golden\",\"text\":\"%s\"}\n", t }' "$cases" > "$tmp/docs.jsonl"
"$sitrep" places --find --format tsv "$tmp/docs.jsonl" > "$tmp/found.tsv" 2> "$tmp/err"
rc=$?
if [ $rc -ge 2 ]; then
  echo "geo golden: sitrep places exited $rc: $(head -3 "$tmp/err")"
  exit 1
fi
awk -F'\t' -v found="$tmp/found.tsv" '
  BEGIN {
    # found: record, sentence, surface, role, type, country, full name, conf
    while ((getline line < found) > 0) {
      split(line, f, "\t")
      n = ++nf[f[1]]
      fs[f[1], n] = f[3]; fc[f[1], n] = f[6]; ft[f[1], n] = f[5]; fname[f[1], n] = f[7]
    }
  }
  /^#/ || NF < 3 { next }
  {
    doc++
    cat = $1; cats[cat] = 1
    m = $3 == "-" ? 0 : split($3, items, / ; /)
    for (k = 1; k <= nf[doc]; k++) used[k] = 0
    for (i = 1; i <= m; i++) {
      split(items[i], x, "|")
      total[cat]++
      ok = 0
      for (k = 1; k <= nf[doc] && !ok; k++) {
        if (used[k] || fs[doc, k] != x[1]) continue
        nm = fname[doc, k]
        if (fc[doc, k] == x[2] && ft[doc, k] == x[3] &&
            (nm == x[4] || index(nm, x[4] ", ") == 1)) { ok = 1; used[k] = 1 }
      }
      if (ok) right[cat]++
      else {
        got = "nothing"
        for (k = 1; k <= nf[doc]; k++)
          if (fs[doc, k] == x[1]) got = fc[doc, k] " type " ft[doc, k] " " fname[doc, k]
        printf "MISS [%s %d] %s: expected %s %s type %s, got %s\n", cat, doc, x[1], x[4], x[2], x[3], got
      }
    }
    for (k = 1; k <= nf[doc]; k++) {
      matched = 0
      for (i = 1; i <= m; i++) { split(items[i], x, "|"); if (x[1] == fs[doc, k]) matched = 1 }
      if (!matched) {
        invented[cat]++
        printf "INVENTED [%s %d] %s -> %s (%s)\n", cat, doc, fs[doc, k], fname[doc, k], fc[doc, k]
      }
    }
    docs[cat]++
  }
  END {
    for (c in cats) {
      acc = total[c] ? 100.0 * right[c] / total[c] : 100.0
      printf "geo golden: %-10s %3d docs, %3d/%3d places right (%.1f%%), %d invented\n", c, docs[c], right[c] + 0, total[c] + 0, acc, invented[c] + 0
      T += total[c]; R += right[c]; I += invented[c]
    }
    acc = T ? 100.0 * R / T : 0
    printf "geo golden: all        %3d docs, %3d/%3d places right (%.1f%%), %d invented\n", doc, R, T, acc, I
    pass = acc >= 95.0 && I == 0
    printf "%d passed, %d failed\n", pass ? 1 : 0, pass ? 0 : 1
    exit pass ? 0 : 1
  }' "$cases"
