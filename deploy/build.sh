#!/usr/bin/env bash
# Builds one configuration: deploy/build.sh release | asan. Out of tree, under build/.
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-release}
case "$kind" in
  release) flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  asan) flags=(-DCMAKE_BUILD_TYPE=Debug -DHALFHOUR_SANITIZE=ON) ;;
  *) echo "usage: deploy/build.sh release|asan" >&2; exit 2 ;;
esac
cmake -S . -B "build/$kind" -G Ninja "${flags[@]}" >/dev/null
# Two cores and Beast-heavy units of ~0.5 GB each: two jobs is the machine's measure.
cmake --build "build/$kind" -j2
