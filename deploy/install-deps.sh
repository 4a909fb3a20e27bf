#!/usr/bin/env bash
# Installs what halfhour needs to build, run and test on Debian 12, and nothing when it is all
# there already. Run as root.
set -euo pipefail

packages=(
  g++ cmake ninja-build ccache pkg-config clang clang-format libclang-rt-14-dev
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libhiredis-dev libprotobuf-dev protobuf-compiler libssl-dev libxlsxwriter-dev libzstd-dev zstd
  libfmt-dev libspdlog-dev libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev fasttext libfasttext-dev
  redis-server redis-tools python3 curl systemd nginx-light openssl
  chromium fonts-wqy-microhei nodejs
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "halfhour: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Some nodejs builds carry npm inside; Debian's own ships it apart.
if ! command -v npm >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
