#!/usr/bin/env bash
# bench/run_text.sh BUILD_DIR: sentence-splitting MB/s per core over >= 50 MB
# of real article bodies, with ICU's BreakIterator timed in the same run as
# the reference (ratio), plus both splitters' golden-rule scores.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: bench/run_text.sh BUILD_DIR}
"$build/bench/bench_text" ../shared/data/extraction/scrapinghub/ground-truth.json 50 ../shared/data/sbd
