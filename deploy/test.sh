#!/usr/bin/env bash
# The one test command: installs what is missing, builds Release and the ASan/UBSan Debug build,
# and runs every test in both. The tests start and stop their own redis-server processes
# (temp dirs, unix sockets), so nothing else needs to be running.
set -euo pipefail
cd "$(dirname "$0")/.."
deploy/install-deps.sh
# The browser test drives Debian's chromium through playwright-core (no browser download).
npm ci --prefix tests/e2e/browser --no-audit --no-fund --loglevel=error

# The sources as .clang-format has them, and no file or function outgrown its room, before
# anything is built.
deploy/format.sh --check
python3 deploy/tools/sizes.py

deploy/build.sh release
deploy/verify-units.sh build/release
ctest --test-dir build/release --output-on-failure -j2

deploy/build.sh asan
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_init_order=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build/asan --output-on-failure -j2

# libFuzzer on every parser (clang, ASan + UBSan), a bounded minute per target.
deploy/fuzz.sh 60
