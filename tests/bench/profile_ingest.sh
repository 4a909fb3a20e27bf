#!/usr/bin/env bash
# Where the engine's CPU goes per durable ticket: the engine under `perf record` (software clock
# sampling: this machine's virtual CPUs have no hardware counters) while the ingest load generator
# runs closed loop, then the engine's CPU seconds per ticket and its hottest places, by library and
# by function. Redis runs with appendfsync always, as in production.
# Usage: tests/bench/profile_ingest.sh BUILD_DIR [SECONDS=10] [CONNECTIONS=16]
# Needs perf (Debian: linux-perf) and a kernel that lets this user profile its own processes
# (kernel.perf_event_paranoid <= 2).
set -euo pipefail
# shellcheck source=tests/bench/common.sh
source "$(dirname "$0")/common.sh" "$@"
secs=${2:-10}

redis_dir=$(mktemp -d -p "$tmp")
taskset -c 1 redis-server --port 0 --unixsocket "$redis_dir/redis.sock" --dir "$redis_dir" --appendonly yes \
  --appendfsync always --save "" --hash-max-listpack-value 4096 --loglevel warning >"$redis_dir/log" 2>&1 &
pids+=($!)
wait_for "[ -S $redis_dir/redis.sock ]" redis-server
start_engine '{}' --redis-socket "$redis_dir/redis.sock"

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$engine_pid/stat"; }  # utime + stime, in clock ticks
perf record -q -e cpu-clock -F 999 -g --call-graph dwarf,16384 -p "$engine_pid" -o "$tmp/perf.data" \
  >"$tmp/perf.log" 2>&1 &
perf_pid=$!
sleep 0.5
before=$(cpu_ticks)
line=$(load 0)
after=$(cpu_ticks)
kill -INT "$perf_pid"
wait "$perf_pid" 2>/dev/null || true

tickets=$(field ok "$line")
[ -n "$tickets" ] || tickets=$(awk -v r="$(field rate "$line")" -v s="$secs" 'BEGIN { printf "%d", r * s }')
hz=$(getconf CLK_TCK)
echo "load: $line"
awk -v t="$((after - before))" -v hz="$hz" -v n="$tickets" \
  'BEGIN { printf "engine CPU: %.2f s for %d tickets, %.1f us per ticket\n", t / hz, n, t / hz / n * 1e6 }'
echo
echo "by library (self time):"
perf report -i "$tmp/perf.data" --no-children --sort dso --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -12
echo
# Coroutines resume on a fresh stack, so a part's samples do not all show its caller: each share is
# of the samples with that function on the stack, and parts do not add up to their callers.
echo "samples with each part of the ticket's path on the stack (share of the engine's CPU):"
perf report -i "$tmp/perf.data" --children --sort sym --stdio -g none 2>"$tmp/children.err" >"$tmp/children.txt" || { echo "perf report failed:"; tail -3 "$tmp/children.err"; }
while IFS='|' read -r pattern label; do
  share=$(grep -F -m1 "$pattern" "$tmp/children.txt" | awk '{ print $1 }' || true)
  printf '  %-8s %s\n' "${share:-<0.5%}" "$label"
done <<'PARTS'
halfhour::post_hotline_ticket|the hotline ticket route, all of it
halfhour::channels::parse_hotline_ticket|parsing the ticket's JSON
halfhour::engine::report_of|classify, resolve and look for the job it repeats
halfhour::sla::classifier::classify|the classifier (rules and the second opinion)
halfhour::sla::resolver::resolve|the resolver
redis_store::accepted_for|reading the community's recent jobs (16 shards)
halfhour::engine::ingest|storing the new job (lease, key, create script, release)
halfhour::responses::order|rendering the answer (the work order as JSON)
redisProcessCallbacks|hiredis reading replies
operator new|allocation (operator new, with malloc)
PARTS
echo
echo "by function (self time, 1 % and over):"
perf report -i "$tmp/perf.data" --no-children --sort dso,sym --percent-limit 1 --stdio -g none 2>/dev/null |
  grep -E '^ +[0-9]' | head -40
