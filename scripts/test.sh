#!/usr/bin/env bash
# The whole test suite: set up, build, then run every lit test (FileCheck,
# verify-diagnostics, C API tests, runtime tests); then build again with
# AddressSanitizer + UndefinedBehaviorSanitizer + LeakSanitizer and run the
# suite once more; then a short libFuzzer smoke run (scripts/fuzz.sh). GPU
# tests run only where a GPU is found.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TL_BUILD_DIR:-$root/build}
# Every build folder follows TL_BUILD_DIR: <it>-asan, <it>-fuzz beside it.
asan=${TL_ASAN_BUILD_DIR:-$build-asan}
bash "$root/scripts/build.sh"
export PATH="$PATH:/usr/local/cuda/bin"
echo "== tests"
cmake --build "$build" --target check-tl
if [ "${TL_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== tests under ASan + UBSan + LSan"
  if [ ! -f "$asan/build.ninja" ]; then
    cmake -S "$root" -B "$asan" -G Ninja -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir -DTL_SANITIZE=ON >/dev/null
  fi
  cmake --build "$asan"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    cmake --build "$asan" --target check-tl
fi
if [ "${TL_SKIP_FUZZ:-0}" != 1 ]; then
  echo "== fuzz smoke run (45 s)"
  bash "$root/scripts/fuzz.sh" 45
fi
