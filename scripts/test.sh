#!/usr/bin/env bash
# The whole test suite: set up, build, then run every lit test (FileCheck,
# verify-diagnostics, C API tests). GPU tests run only where a GPU is found.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TL_BUILD_DIR:-$root/build}
bash "$root/scripts/build.sh"
cmake --build "$build" --target check-tl
