# shellcheck shell=bash
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

wait_for() {  # wait_for TEST-EXPRESSION what; up to 60 s (an engine under ASan on a busy machine)
  for _ in $(seq 1200); do eval "$1" && return 0; sleep 0.05; done
  echo "$(basename "$0"): $2 did not come up" >&2
  exit 1
}

# The engine on CPU 0 with CONFIG-JSON and more arguments of `serve` (where Redis is); sets $port.
port=
start_engine() {  # start_engine CONFIG-JSON [ARGS...]
  echo "$1" >"$tmp/engine.json"
  shift
  taskset -c 0 "$build/dispatcher/halfhour" --config "$tmp/engine.json" serve --port 0 "$@" >"$tmp/engine.log" 2>&1 &
  engine_pid=$!
  pids+=("$engine_pid")
  wait_for "grep -q 'serving on' $tmp/engine.log" "the engine"
  port=$(sed -n 's/.*serving on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/engine.log" | head -1)
  wait_for "curl -sf http://127.0.0.1:$port/readyz >/dev/null" "the engine's readiness"
}
stop_engine() {
  kill "$engine_pid"
  wait "$engine_pid" 2>/dev/null || true
}

# The load generator on CPU 1 against $port: closed loop at RATE 0, else open loop at RATE/s.
run=0
load() {  # load RATE -> prints the generator's line
  run=$((run + 1))
  taskset -c 1 "$bench/halfhour_bench_load" --port "$port" --connections "$conns" --seconds "$secs" --rate "$1" \
    --prefix "L$run-$$"
}
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
