#!/usr/bin/env bash
# bench/run_geo.sh BUILD_DIR: the geo stage - gazetteer load time and memory,
# and text + coder + geo against text + coder (the reference, timed in the
# same run) over >= 20,000 real sentences (scrapinghub article bodies).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: bench/run_geo.sh BUILD_DIR}
"$build/bench/bench_geo" dict ../shared/data/extraction/scrapinghub/ground-truth.json 20000
