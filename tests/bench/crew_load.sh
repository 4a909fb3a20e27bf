#!/usr/bin/env bash
# A small load run of the crew API against the engine's own /healthz on the same run, same
# connections, same machine: requests/s and latency percentiles for each, and the ratio.
# Usage: tests/bench/crew_load.sh [build dir (default build/release)] [seconds per run (default 5)]
# Needs wrk (apt-get install wrk). Loopback only; every run is bounded in time.
# HALFHOUR_WRAP="perf record -g --" runs the engine under a profiler.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
secs=${2:-5}
bin=$build/dispatcher/halfhour
command -v wrk >/dev/null || { echo "crew_load: needs wrk (apt-get install wrk)" >&2; exit 2; }

work=$(mktemp -d /tmp/halfhour-load-XXXXXX)
cleanup() {
  set +e  # every step runs, whatever the one before returned (the engine exits with 143)
  [[ -n ${engine:-} ]] && kill "$engine" 2>/dev/null && wait "$engine" 2>/dev/null
  redis-cli -s "$work/redis.sock" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 130" INT TERM  # run the cleanup on Ctrl-C or a timeout too

redis-server --port 0 --unixsocket "$work/redis.sock" --dir "$work" --appendonly yes --appendfsync always \
  --save "" --daemonize yes --logfile "$work/redis.log"
for _ in $(seq 100); do redis-cli -s "$work/redis.sock" ping >/dev/null 2>&1 && break; sleep 0.05; done

code=$("$bin" crew add --phone 13900000001 --name 压测 --org 临客嘉物业 --redis-socket "$work/redis.sock" 2>/dev/null |
       sed 's/.*: //')
${HALFHOUR_WRAP:-} "$bin" serve --port 18099 --redis-socket "$work/redis.sock" >"$work/engine.log" 2>&1 &
engine=$!
for _ in $(seq 100); do curl -sf localhost:18099/readyz >/dev/null && break; sleep 0.05; done

# 20 open jobs for the crew's firm: the list a crew sees on a busy morning.
for i in $(seq 20); do
  curl -sf -o /dev/null -X POST localhost:18099/v1/hotline/tickets -H 'Content-Type: application/json' \
    -d "{\"ticket_no\":\"LOAD$i\",\"content\":\"门禁坏了\",\"address\":\"丹桂苑${i}号\"}"
done
token=$(curl -sf -X POST localhost:18099/v1/auth/login -H 'Content-Type: application/json' \
  -d "{\"phone\":\"13900000001\",\"code\":\"$code\"}" | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/')
job=$(curl -sf localhost:18099/v1/crew/jobs -H "Authorization: Bearer $token" | sed 's/.*"id":"\(W[0-9-]*\)".*/\1/' | head -1)

# Each POST a fresh request id: every one is a real, durable 已联系 (contact) on one job.
cat >"$work/contact.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, string.format('{"request_id":"%d-%d","method":"电话"}', math.random(1e9), n))
end
LUA

names=()
rates=()
run() {  # name, then wrk arguments
  local name=$1; shift
  local out=$work/run${#names[@]}.txt
  wrk -t2 -c16 -d"${secs}s" --latency "$@" >"$out"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$out")
  p50=$(awk '$1=="50%" {print $2}' "$out")
  p99=$(awk '$1=="99%" {print $2}' "$out")
  printf '%-36s %10s req/s   p50 %8s   p99 %8s\n' "$name" "$rps" "$p50" "$p99"
  names+=("$name")
  rates+=("$rps")
}

echo "crew API load: wrk -t2 -c16 -d${secs}s, loopback, Redis AOF appendfsync always"
run "baseline GET /healthz" http://127.0.0.1:18099/healthz
run "GET /v1/crew/jobs (20 jobs)" -H "Authorization: Bearer $token" http://127.0.0.1:18099/v1/crew/jobs
run "GET /v1/crew/jobs/{id}" -H "Authorization: Bearer $token" "http://127.0.0.1:18099/v1/crew/jobs/$job"
run "POST /v1/crew/jobs/{id}/contact" -s "$work/contact.lua" "http://127.0.0.1:18099/v1/crew/jobs/$job/contact"
for i in 1 2 3; do
  awk -v a="${rates[$i]}" -v b="${rates[0]}" -v n="${names[$i]}" \
    'BEGIN { printf "ratio %-32s %.3f of the /healthz baseline\n", n, a / b }'
done
