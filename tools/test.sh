#!/usr/bin/env bash
# Sets up and builds Charter (tools/setup.sh), then runs the whole test suite: unit tests, golden
# files through the real binary, the examples' tests. The last line says how many passed and failed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh -DCHARTER_WERROR=ON || { echo "0 passed, 1 failed"; exit 1; }
log=$(mktemp)
ctest --test-dir build --output-on-failure -j"$(nproc)" </dev/null 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1)
rm -f "$log"
if [[ $summary =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
  failed=${BASH_REMATCH[1]}
  total=${BASH_REMATCH[2]}
  echo "$((total - failed)) passed, $failed failed"
else
  echo "0 passed, 1 failed"
  status=1
fi
exit "$status"
