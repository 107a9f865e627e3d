#!/usr/bin/env bash
# tests/browser/run.sh: the dashboard in a real browser.  Debian's chromium,
# driven by playwright-core (installed at build time with the dashboard; it
# downloads no browser), against `sitrep serve` on a random loopback port
# over the example store: the stories, a brief with its contradictions, the
# dyad timeline, the network, search, the live refresh while `sitrep
# ingest` adds documents, keyboard use, a phone-sized screen, and no console
# errors.  Screenshots of every view go to $SITREP_SCREENSHOTS.
set -uo pipefail
sitrep=${SITREP:?SITREP must name the sitrep binary}
src=${SITREP_SRC:?SITREP_SRC must name the source tree}
modules=${SITREP_NODE_MODULES:-}
shots=${SITREP_SCREENSHOTS:-$PWD/screenshots}
chromium=${SITREP_CHROMIUM:-/usr/bin/chromium}

[ -x "$chromium" ] || { echo "skipped: $chromium not installed (scripts/install-deps.sh installs Debian's chromium)"; exit 77; }
command -v node >/dev/null || { echo "skipped: node not installed (npm was not available to build the dashboard)"; exit 77; }
if [ "${SITREP_DASHBOARD_BUILT:-0}" != 1 ]; then
  why=${SITREP_DASHBOARD_MISSING:-unknown}
  case $why in
    *DASHBOARD=OFF*|*"npm was not found"*)
      echo "skipped: the dashboard is not built ($why): no dashboard, no playwright-core"; exit 77 ;;
  esac
  echo "FAIL: the dashboard is not built: $why"; exit 1
fi
[ -f "$modules/playwright-core/package.json" ] || { echo "FAIL: playwright-core missing under $modules (the build's npm ci)"; exit 1; }

tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
db=$tmp/example.db
"$sitrep" ingest -q --db "$db" "$src/examples/reports.jsonl" || { echo "FAIL: ingest of the examples"; exit 1; }
awk -v N=150 -f "$src/tests/e2e/gen_reports.awk" > "$tmp/more.jsonl"

"$sitrep" serve --db "$db" --listen 127.0.0.1:0 --threads 2 > "$tmp/url" 2> "$tmp/serve.err" &
pid=$!
for _ in $(seq 100); do [ -s "$tmp/url" ] && break; sleep 0.1; done
url=$(head -1 "$tmp/url")
[ -n "$url" ] || { echo "FAIL: sitrep serve did not start"; cat "$tmp/serve.err"; exit 1; }
mkdir -p "$shots"
SITREP_URL=$url SITREP_DB=$db SITREP_MORE=$tmp/more.jsonl SITREP_SHOTS=$shots \
  SITREP_CHROMIUM=$chromium SITREP_NODE_MODULES=$modules SITREP_PROFILE=$tmp/profile \
  node "$src/tests/browser/dashboard.mjs"
rc=$?
kill -0 "$pid" 2>/dev/null || { echo "FAIL: sitrep serve died"; cat "$tmp/serve.err"; rc=1; }
exit $rc
