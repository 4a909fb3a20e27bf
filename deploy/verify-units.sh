#!/usr/bin/env bash
# Checks the systemd units with systemd-analyze verify, pointing ExecStart at the binary just
# built (verify insists that the executable exists). deploy/verify-units.sh [build dir]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=$(realpath "${1:-build/release}/dispatcher/halfhour")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed "s#/usr/local/bin/halfhour#$binary#" deploy/systemd/halfhour.service > "$tmp/halfhour.service"
cp deploy/systemd/halfhour-redis.service "$tmp/"
systemd-analyze verify "$tmp/halfhour.service" "$tmp/halfhour-redis.service"
echo "systemd units verified"
