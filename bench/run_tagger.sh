#!/usr/bin/env bash
# bench/run_tagger.sh BUILD_DIR: part-of-speech tagging speed (tokens/s per
# core) with the shipped model over >= 50,000 real sentences (scrapinghub
# article bodies, repeated), model load time, with the text pipeline alone
# timed in the same run as the reference, and the event coder with the
# shipped dictionaries over the same sentences (text + coder with and
# without tagging).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: bench/run_tagger.sh BUILD_DIR}
"$build/bench/bench_tagger" dict/pos/en-ewt.model ../shared/data/extraction/scrapinghub/ground-truth.json 50000 dict
