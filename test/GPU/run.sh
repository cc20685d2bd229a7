#!/usr/bin/env bash
# Runs the GPU suite of a bundle made by scripts/gpu-bundle.sh: builds every
# case with the C compiler (no MLIR, no nvcc needed: libtlrt dlopens
# libcuda), runs it, prints a pass/fail table and exits non-zero on any
# failure. Logs go to logs/ beside this script (or $TL_GPU_LOGS).
set -u
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
cc=${CC:-cc}
logs=${TL_GPU_LOGS:-$here/logs}
mkdir -p bin "$logs"
if ! $cc -O2 -std=c11 -c runtime/tlrt.c -Iruntime -o bin/tlrt.o 2>"$logs/tlrt.build.log"; then
  echo "cannot build libtlrt: see $logs/tlrt.build.log"; cat "$logs/tlrt.build.log"; exit 1
fi
# Compile every case first, in parallel (the GPU machine has many cores and
# the C compiler is most of the suite's time), then run them one at a time.
build_case() {
  name=$1
  if [ -f "cases/$name.compile-error" ]; then
    cp "cases/$name.compile-error" "$logs/$name.log"; echo "FAIL (tl-opt)" > "bin/$name.status"
  elif ! $cc -O2 -std=c11 -Iruntime -Icases "-DTL_KERNEL_HEADER=\"$name.gen.h\"" "cases/$name.c" "cases/$name.gen.c" bin/tlrt.o \
        -ldl -lpthread -lm -o "bin/$name" >"$logs/$name.log" 2>&1; then
    echo "FAIL (cc)" > "bin/$name.status"
  else
    rm -f "bin/$name.status"
  fi
}
export -f build_case; export cc logs
grep -v '^$' cases/cases.txt | xargs -P "$(nproc)" -I{} bash -c 'build_case {}'
pass=0; fail=0; rows=()
while read -r name; do
  [ -n "$name" ] || continue
  if [ -f "bin/$name.status" ]; then
    status=$(cat "bin/$name.status")
  elif timeout 120 "bin/$name" >>"$logs/$name.log" 2>&1; then
    status="PASS"
  else
    status="FAIL"
  fi
  detail=$(grep -m1 -E '^(PASS|FAIL)' "$logs/$name.log" | cut -c1-110)
  if [ "$status" = PASS ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
  rows+=("$(printf '%-14s %-44s %s' "$status" "$name" "${detail#* }")")
done < cases/cases.txt
printf '%s\n' "${rows[@]}"
echo "gpu: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
