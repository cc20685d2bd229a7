#!/usr/bin/env bash
# Builds the libFuzzer harness (clang-22, ASan + UBSan) and fuzzes tl-opt's
# whole path (parse, tl-verify, legalize, infer, lower, NVVM, PTX) for the
# given number of seconds (default 45), starting from the tests and
# examples. Exits non-zero on any crash, abort, sanitizer report or leak;
# the reproducer is saved in build-fuzz/artifacts/ (beside $TL_BUILD_DIR:
# <it>-fuzz, or $TL_FUZZ_BUILD_DIR).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-45}
build=${TL_FUZZ_BUILD_DIR:-${TL_BUILD_DIR:-$root/build}-fuzz}
bash "$root/scripts/setup.sh" clang-22 libclang-rt-22-dev
if [ ! -f "$build/build.ninja" ]; then
  CC=clang-22 cmake -S "$root" -B "$build" -G Ninja -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DTL_FUZZ=ON -DTL_SANITIZE=ON >/dev/null
fi
cmake --build "$build" --target tl-fuzz-ir >/dev/null
corpus="$build/corpus"
rm -rf "$corpus"
bash "$root/fuzz/seed.sh" "$corpus" >/dev/null
mkdir -p "$build/artifacts"
ASAN_OPTIONS=detect_leaks=1 "$build/fuzz/tl-fuzz-ir" "$corpus" -max_total_time="$seconds" \
  -dict="$root/fuzz/ir.dict" \
  -rss_limit_mb=4096 -artifact_prefix="$build/artifacts/" -print_final_stats=1 \
  > "$build/fuzz.log" 2>&1 || { tail -40 "$build/fuzz.log"; echo "fuzz: FAILED"; exit 1; }
runs=$(grep -m1 'stat::number_of_executed_units' "$build/fuzz.log" | awk '{print $2}')
echo "fuzz: ${runs:-?} inputs in ${seconds}s, no crash"
