#!/usr/bin/env bash
# Sets up and builds Charter (tools/setup.sh), then runs it on the bundled example organisation,
# Region Syddanmark's health agreement: its consistency check, and a few questions.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
charter=build/charter
model=examples/syddanmark/model.charter
run() { echo; echo "\$ charter $*"; "$charter" "$@" || true; }
run check "$model"
run query "$model" -e '? reports_to+(FKØ, ?up)'
run query "$model" -e 'who approves revision_track3'
run test examples/syddanmark/tests.charter
