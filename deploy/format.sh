#!/usr/bin/env bash
# The C++ sources in the project's format (.clang-format): deploy/format.sh rewrites them,
# deploy/format.sh --check only names the files that differ and fails (as CI runs it).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files -- '*.cpp' '*.hpp' '*.h' ':!:build/**')
if [[ "${1:-}" == "--check" ]]; then
  clang-format --dry-run --Werror "${files[@]}" 2>/tmp/halfhour-format.$$ || {
    grep -o '^[^:]*:[0-9]*:[0-9]*: error' /tmp/halfhour-format.$$ | cut -d: -f1 | sort -u |
      sed 's/^/not in the format: /' >&2
    rm -f /tmp/halfhour-format.$$
    echo "deploy/format.sh rewrites them." >&2
    exit 1
  }
  rm -f /tmp/halfhour-format.$$
  echo "format: ${#files[@]} files as .clang-format has them"
else
  clang-format -i "${files[@]}"
fi
