#!/usr/bin/env bash
# e2e: the shipped part-of-speech model is what scripts/train-tagger makes
# from ../shared and WordNet (no stale or hand-made model).  Skipped without
# ../shared or WordNet, and under the sanitizers (training takes minutes
# there; the release run checks the same bytes).
set -uo pipefail
src=${SITREP_SRC:?SITREP_SRC must name the source tree}
sitrep=${SITREP:?SITREP must name the sitrep binary}
shared=${SITREP_SHARED:-$src/../shared}
[ -f "$shared/data/treebank/en_ewt-ud-dev.conllu" ] || { echo "skipped: ../shared not found"; exit 77; }
[ -f /usr/share/wordnet/index.noun ] || { echo "skipped: WordNet not installed (wordnet-base)"; exit 77; }
[ -z "${SITREP_SANITIZED:-}" ] || { echo "skipped: training under the sanitizers is too slow"; exit 77; }
tool="$(dirname "$sitrep")/tools/train_tagger"
[ -x "$tool" ] || { echo "FAIL: no training tool at $tool"; exit 1; }
TRAIN_TAGGER="$tool" "$src/scripts/train-tagger" --check 2>&1 | grep -v '^  epoch' | tail -3
exit "${PIPESTATUS[0]}"
