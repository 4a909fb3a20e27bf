#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for a bounded time from
# its seed corpus: deploy/fuzz.sh [seconds per target, default 60]. Prints executions and
# coverage per target; fails on any crash, leak, hang or sanitizer report.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHALFHOUR_FUZZ=ON >/dev/null
cmake --build build/fuzz -j2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for target in channels domain config sms; do
  # A scratch corpus: what the run finds stays out of the repository.
  mkdir -p "$work/$target"
  cp tests/fuzz/corpus/$target/* "$work/$target/"
  build/fuzz/tests/fuzz/fuzz_$target -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 "$work/$target" >"$work/$target.log" 2>&1 || {
      tail -60 "$work/$target.log"
      echo "fuzz_$target FAILED"
      exit 1
    }
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/$target.log" | grep -o '[0-9]*$')
  cov=$(grep -o 'cov: [0-9]*' "$work/$target.log" | tail -1 | grep -o '[0-9]*')
  echo "fuzz_$target: $runs executions in ${seconds} s, coverage $cov edges, corpus $(ls "$work/$target" | wc -l) inputs"
done
