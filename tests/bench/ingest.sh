#!/usr/bin/env bash
# Durable ingest against its baselines, one run, one machine:
#   (a) a bare Beast keep-alive server answering a constant (halfhour_bench_constant_server),
#   (b) the engine's Redis command mix per ticket sent straight through hiredis (halfhour_bench_redis_mix),
#   (c) the floor: the three writes any durable design needs per ticket (an 800-byte record, its
#       deadline, its event) pipelined, 16 in flight (halfhour_bench_redis_mix --floor) — unlike (b),
#       independent of the engine's design,
#   the engine: POST /v1/hotline/tickets, each answered after its ticket is in Redis.
# The same load generator, connections and pinning for (a) and the engine: the server under test
# on CPU 0, the load generator and redis-server on CPU 1. Each measurement gets a fresh Redis.
# Usage: tests/bench/ingest.sh BUILD_DIR [SECONDS=5] [CONNECTIONS=16]
set -euo pipefail
# shellcheck source=tests/bench/common.sh
source "$(dirname "$0")/common.sh"

redis_dir=
start_redis() {  # start_redis everysec|always
  redis_dir=$(mktemp -d -p "$tmp")
  taskset -c 1 redis-server --port 0 --unixsocket "$redis_dir/redis.sock" --dir "$redis_dir" --appendonly yes \
    --appendfsync "$1" --save "" --hash-max-listpack-value 4096 --loglevel warning >"$redis_dir/log" 2>&1 &
  redis_pid=$!
  pids+=("$redis_pid")
  wait_for "[ -S $redis_dir/redis.sock ]" redis-server
}
stop_redis() {
  kill "$redis_pid"
  wait "$redis_pid" 2>/dev/null || true
}

port=
start_constant() {
  taskset -c 0 "$bench/halfhour_bench_constant_server" >"$tmp/constant.out" &
  constant_pid=$!
  pids+=("$constant_pid")
  wait_for "grep -q port= $tmp/constant.out" "the constant server"
  port=$(sed -n 's/^port=//p' "$tmp/constant.out")
}

start_engine_here() { start_engine '{}' --redis-socket "$redis_dir/redis.sock"; }

echo "ingest benchmark: $secs s per measurement, $conns connections, $(nproc) CPUs; server on CPU 0, load and redis on CPU 1"

# (a) the bare HTTP server
start_constant
a_port=$port
a_max=$(load 0)
echo "(a) bare Beast server, closed loop:        $a_max"

# (b) the engine's Redis mix without the engine, appendfsync everysec and always
start_redis everysec
b_max=$(taskset -c 0 "$bench/halfhour_bench_redis_mix" --redis-socket "$redis_dir/redis.sock" --inflight "$conns" --seconds "$secs")
stop_redis
echo "(b) Redis mix through hiredis, everysec:   $b_max"
start_redis always
b_always=$(taskset -c 0 "$bench/halfhour_bench_redis_mix" --redis-socket "$redis_dir/redis.sock" --inflight "$conns" --seconds "$secs")
stop_redis
echo "(b) Redis mix through hiredis, always:     $b_always"

# (c) the floor, appendfsync always (everysec and always: the same)
start_redis always
c_always=$(taskset -c 0 "$bench/halfhour_bench_redis_mix" --redis-socket "$redis_dir/redis.sock" --inflight "$conns" --seconds "$secs" --floor)
stop_redis
echo "(c) floor, three writes pipelined, always: $c_always"

# The engine, everysec: its maximum, then open loop at half of it beside (a) at the same rate.
start_redis everysec
start_engine_here
e_max=$(load 0)
echo "engine, everysec, closed loop:             $e_max"
stop_engine
stop_redis
half=$(awk -v r="$(field rate "$e_max")" 'BEGIN { printf "%d", r / 2 }')
start_redis everysec
start_engine_here
e_half=$(load "$half")
echo "engine, everysec, open loop at $half/s:    $e_half"
stop_engine
stop_redis
port=$a_port
a_half=$(load "$half")
echo "(a) bare Beast server, open loop at $half/s: $a_half"

# The engine with appendfsync always: concurrent requests share Redis's fsync.
start_redis always
start_engine_here
e_always=$(load 0)
echo "engine, always, closed loop:               $e_always"
stop_engine
stop_redis
# Open loop at half the engine's durable maximum: the engine and the floor at the same rate.
half_always=$(awk -v r="$(field rate "$e_always")" 'BEGIN { printf "%d", r / 2 }')
start_redis always
start_engine_here
e_half_always=$(load "$half_always")
echo "engine, always, open loop at $half_always/s:    $e_half_always"
stop_engine
stop_redis
start_redis always
c_half_always=$(taskset -c 0 "$bench/halfhour_bench_redis_mix" --redis-socket "$redis_dir/redis.sock" --inflight "$conns" --seconds "$secs" --floor --rate "$half_always")
stop_redis
echo "(c) floor, always, open loop at $half_always/s: $c_half_always"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "summary"
printf '  engine / (a) bare HTTP:            %s (goal >= 0.5)\n' "$(ratio "$(field rate "$e_max")" "$(field rate "$a_max")")"
printf '  engine / (b) Redis mix, everysec:  %s (goal >= 0.6)\n' "$(ratio "$(field rate "$e_max")" "$(field rate "$b_max")")"
printf '  engine / (b) Redis mix, always:    %s\n' "$(ratio "$(field rate "$e_always")" "$(field rate "$b_always")")"
printf '  engine / (c) floor, always:        %s (goal >= 0.5; at least 0.3)\n' "$(ratio "$(field rate "$e_always")" "$(field rate "$c_always")")"
printf '  p99 at %s/s, always: engine %s ms, (c) floor %s ms, difference %s ms (goal <= 3 ms)\n' "$half_always" \
  "$(field p99 "$e_half_always")" "$(field p99 "$c_half_always")" \
  "$(awk -v e="$(field p99 "$e_half_always")" -v c="$(field p99 "$c_half_always")" 'BEGIN { printf "%.2f", e - c }')"
printf '  engine always / engine everysec:   %s (durability cost: a fraction, not a multiple)\n' \
  "$(ratio "$(field rate "$e_always")" "$(field rate "$e_max")")"
printf '  p99 at %s/s: engine %s ms, (a) %s ms, difference %s ms (goal <= 3 ms)\n' "$half" "$(field p99 "$e_half")" \
  "$(field p99 "$a_half")" "$(awk -v e="$(field p99 "$e_half")" -v a="$(field p99 "$a_half")" 'BEGIN { printf "%.2f", e - a }')"
