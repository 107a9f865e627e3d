#!/usr/bin/env bash
# bench/run_dict.sh BUILD_DIR: load time and memory of the shipped
# dictionaries (dict/), with a read-and-split reference timed in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: bench/run_dict.sh BUILD_DIR}
"$build/bench/bench_dict" dict 5
