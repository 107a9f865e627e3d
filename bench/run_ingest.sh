#!/usr/bin/env bash
# bench/run_ingest.sh BUILD_DIR: ingestion is measured end to end, into the
# store, by bench/run_store.sh (same corpus, same reference).
exec "$(dirname "$0")/run_store.sh" "$@"
