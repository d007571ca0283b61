#!/usr/bin/env bash
# Builds the libFuzzer targets (clang++, ASan + UBSan, build-fuzz/), seeds their corpora from the
# examples, golden inputs and stdlib (fuzz/seed.sh), then runs each target for SECONDS on every
# core (libFuzzer's fork mode). Corpora grow in build-fuzz/corpus/TARGET across runs; a crash,
# hang or leak is written to build-fuzz/artifacts/TARGET/ and makes the script exit 1.
#
#   bash fuzz/run.sh SECONDS [TARGET…]       TARGET: parse, session (default: both)
set -uo pipefail
seconds=${1:?usage: fuzz/run.sh SECONDS [parse|session]…}
shift
targets=("$@")
((${#targets[@]})) || targets=(parse session)
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-fuzz"
jobs=$(nproc)

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCHARTER_FUZZ=ON -DCHARTER_BUILD_TESTS=OFF >/dev/null || exit 2
# Only the targets asked for: fuzzing the parser needs no link of the whole library.
cmake --build "$build" -j"$jobs" --target "${targets[@]/#/fuzz_}" || exit 2
bash "$root/fuzz/seed.sh" "$build/seeds"

status=0
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"
  artifacts="$build/artifacts/$target"
  log="$build/fuzz_$target.log"
  mkdir -p "$corpus" "$artifacts"
  echo "fuzz: $target for ${seconds}s on $jobs cores (log: $log)"
  # -timeout: one input taking longer is a hang (evaluation's own limit is 500 ms there).
  # -rss_limit_mb: the default; one input using more is reported as out of memory.
  # -max_len: models bigger than this add little; long-line and deep-nesting cases are in
  # tests/golden/limits. Fork mode keeps going after a crash only with -ignore_crashes=1: a crash
  # stops the run, which is what we want.
  (cd "$build" && "$build/fuzz/fuzz_$target" -fork="$jobs" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -max_len=8192 -dict="$root/fuzz/charter.dict" \
        -artifact_prefix="$artifacts/" -print_final_stats=1 \
        "$corpus" "$build/seeds/$target") >"$log" 2>&1
  rc=$?
  grep -E '^#[0-9]+: cov' "$log" | tail -1
  grep -E 'ERROR: |SUMMARY: |Test unit written|==[0-9]+==' "$log" | head -20
  if ((rc != 0)); then
    echo "fuzz: $target exited $rc; artifacts in $artifacts" && status=1
  fi
done
exit "$status"
