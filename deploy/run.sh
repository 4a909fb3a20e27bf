#!/usr/bin/env bash
# The one run command: installs what is missing, builds, starts a local redis-server with its
# data in var/redis, and serves on 127.0.0.1:8080 with the built-in Dongming directory.
# Extra arguments go to `halfhour serve` (for example --port 9090). Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/install-deps.sh
deploy/build.sh release halfhour  # the engine only; deploy/test.sh builds the tests

data=$PWD/var/redis
mkdir -p "$data"
socket=$data/redis.sock
if ! redis-cli -s "$socket" ping >/dev/null 2>&1; then
  # AOF with fsync on every write: a ticket answered 201 survives a power cut.
  redis-server deploy/redis.conf --dir "$data" --unixsocket "$socket" --pidfile "$data/redis.pid" \
    --logfile "$data/redis.log" --daemonize yes
  for _ in $(seq 100); do redis-cli -s "$socket" ping >/dev/null 2>&1 && break; sleep 0.05; done
  trap 'redis-cli -s "$socket" shutdown >/dev/null 2>&1 || true' EXIT
fi
build/release/dispatcher/halfhour serve --listen 127.0.0.1 --port 8080 --redis-socket "$socket" "$@"
