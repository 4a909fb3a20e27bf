#!/usr/bin/env bash
# Builds one configuration: deploy/build.sh release | asan [TARGET…]. Out of tree, under build/.
# With targets, only those (the run command builds the engine alone, not every test).
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-release}
shift || true
targets=()
for t in "$@"; do targets+=(--target "$t"); done
case "$kind" in
  release) flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  asan) flags=(-DCMAKE_BUILD_TYPE=Debug -DHALFHOUR_SANITIZE=ON) ;;
  *) echo "usage: deploy/build.sh release|asan" >&2; exit 2 ;;
esac
cmake -S . -B "build/$kind" -G Ninja "${flags[@]}" >/dev/null
# Two cores and Beast-heavy units of ~0.5 GB each: two jobs is the machine's measure.
cmake --build "build/$kind" -j2 "${targets[@]}"
