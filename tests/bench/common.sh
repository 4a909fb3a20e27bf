# Shared by the shell benchmarks: their arguments, a temporary directory, the processes they start
# (stopped on exit) and a bounded wait. Usage, after `set -euo pipefail`: source it with the
# script's arguments (BUILD_DIR [SECONDS=5] [CONNECTIONS=16]).
build=$(cd "$1" && pwd)
secs=${2:-5}
conns=${3:-16}
bench=$build/tests/bench
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

wait_for() {  # wait_for TEST-EXPRESSION what
  for _ in $(seq 400); do eval "$1" && return 0; sleep 0.05; done
  echo "$(basename "$0"): $2 did not come up" >&2
  exit 1
}
