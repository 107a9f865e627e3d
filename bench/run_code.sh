#!/usr/bin/env bash
# bench/run_code.sh BUILD_DIR: event-coding speed (sentences/s per core) with
# the shipped dictionaries over >= 20,000 real sentences (scrapinghub article
# bodies, repeated), dictionary load time and peak memory, with the text
# pipeline alone timed in the same run as the reference.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: bench/run_code.sh BUILD_DIR}
"$build/bench/bench_code" dict ../shared/data/extraction/scrapinghub/ground-truth.json 20000
