#!/usr/bin/env bash
# Durable ingest on Redis Cluster against one Redis, one run, one machine: the engine's closed-loop
# maximum (POST /v1/hotline/tickets, each answered once in Redis) with
#   (1) one redis-server on a loopback port,
#   (2) a cluster of three primaries (no replicas) made by redis-cli --cluster create,
# both appendfsync always, the engine on CPU 0 and Redis with the load generator on CPU 1, so the
# ratio shows what the cluster layer costs (routing, per-node pipelines), not what more machines
# would buy: here the three primaries share one CPU.
# Usage: tests/bench/cluster_ingest.sh BUILD_DIR [SECONDS=5] [CONNECTIONS=16]
set -euo pipefail
# shellcheck source=tests/bench/common.sh
source "$(dirname "$0")/common.sh"

free_port() {  # a free loopback port whose cluster-bus port (10000 above) is free too
  python3 -c "import sys; sys.path.insert(0, '$(dirname "$0")/../e2e'); from test_cluster import free_cluster_port; print(free_cluster_port())"
}

start_node() {  # start_node PORT [cluster]
  local dir
  dir=$(mktemp -d -p "$tmp")
  local extra=()
  [ "${2:-}" = cluster ] && extra=(--cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 5000)
  taskset -c 1 redis-server --port "$1" --bind 127.0.0.1 --dir "$dir" --appendonly yes --appendfsync always \
    --save "" --loglevel warning "${extra[@]}" >"$dir/log" 2>&1 &
  pids+=("$!")
  wait_for "redis-cli -p $1 PING >/dev/null 2>&1" "redis on $1"
}


echo "cluster ingest benchmark: $secs s per measurement, $conns connections, $(nproc) CPUs, appendfsync always"

single=$(free_port)
start_node "$single"
start_engine '{}' --redis "127.0.0.1:$single"
one=$(load 0)
stop_engine
echo "(1) one Redis:                 $one"

nodes=()
for _ in 1 2 3; do
  p=$(free_port)
  start_node "$p" cluster
  nodes+=("127.0.0.1:$p")
done
redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >"$tmp/create.log" 2>&1
wait_for "redis-cli -p ${nodes[0]#*:} CLUSTER INFO | grep -q cluster_state:ok" "the cluster"
list=$(printf '"%s",' "${nodes[@]}")
start_engine "{\"redis_cluster_nodes\": [${list%,}]}"
three=$(load 0)
stop_engine
echo "(2) cluster of three primaries: $three"

echo
printf 'summary: cluster / one Redis = %s (the same CPUs: the cost of the cluster layer)\n' \
  "$(awk -v a="$(field rate "$three")" -v b="$(field rate "$one")" 'BEGIN { printf "%.2f", a / b }')"
# A smoke run fails on a failed request, never on a timing.
for r in "$one" "$three"; do
  [ "$(field failed "$r")" = 0 ] || { echo "cluster_ingest: requests failed: $r" >&2; exit 1; }
done
