#!/usr/bin/env bash
# Sets up and builds Charter (tools/setup.sh), then runs the whole test suite: unit tests, golden
# files through the real binary, the limits tests, the examples' tests. Then the same suite again
# in a second build under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/), and in a
# third under ThreadSanitizer (build-tsan/). The last line says how many passed and failed, all
# runs together.
#
#   CHARTER_SANITIZE=0 bash tools/test.sh    skip the ASan+UBSan run
#   CHARTER_TSAN=0     bash tools/test.sh    skip the ThreadSanitizer run
# (docs/reliability.md says what each run covers and how long it takes.)
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
passed=0
failed=0
status=0

# Runs ctest in build dir $1 (further arguments go to ctest) and adds its counts to the totals.
run_ctest() {
  local dir=$1
  shift
  local log summary
  log=$(mktemp)
  ctest --test-dir "$dir" --output-on-failure -j"$jobs" "$@" </dev/null 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1)
  rm -f "$log"
  if [[ $summary =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
    failed=$((failed + BASH_REMATCH[1]))
    passed=$((passed + BASH_REMATCH[2] - BASH_REMATCH[1]))
  else
    failed=$((failed + 1))
    rc=1
  fi
  ((rc == 0)) || status=1
}

# A build that fails counts as one failed test (and its tests are not run).
build() {
  local dir=$1
  shift
  if ! cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHARTER_WERROR=ON "$@" >/dev/null ||
     ! cmake --build "$dir" -j"$jobs"; then
    echo "test.sh: building $dir failed"
    failed=$((failed + 1))
    status=1
    return 1
  fi
}

if bash tools/setup.sh -DCHARTER_WERROR=ON; then
  run_ctest build
else
  failed=$((failed + 1))
  status=1
fi

if [[ ${CHARTER_SANITIZE:-1} != 0 ]]; then
  # halt_on_error: the first report fails the test; detect_leaks: LeakSanitizer too.
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  echo "test.sh: the suite again under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan)"
  # The embedding test builds examples/embed against the installed (instrumented) library: CMake
  # reads these for that build, so that it links the sanitizer runtimes too.
  build build-asan -DCHARTER_SANITIZE=ON &&
    CXXFLAGS="-fsanitize=address,undefined" LDFLAGS="-fsanitize=address,undefined" run_ctest build-asan
fi

if [[ ${CHARTER_TSAN:-1} != 0 ]]; then
  # The whole suite again under ThreadSanitizer: the API's threads test, and `charter diff`,
  # which loads its two models on two threads.
  echo "test.sh: the suite again under ThreadSanitizer (build-tsan)"
  export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
  build build-tsan -DCHARTER_TSAN=ON &&
    CXXFLAGS="-fsanitize=thread" LDFLAGS="-fsanitize=thread" run_ctest build-tsan
fi

echo "$passed passed, $failed failed"
exit "$status"
