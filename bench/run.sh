#!/usr/bin/env bash
# Runs the benchmarks of a bundle made by scripts/bench-bundle.sh on a GPU
# machine: builds each case with the C compiler, checks it against its CPU
# reference, times it against cuMemcpyDtoD, prints a table and writes
# bench.csv beside this script (or $TL_BENCH_CSV).
set -u
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
cc=${CC:-cc}
export TL_BENCH_CSV=${TL_BENCH_CSV:-$here/bench.csv}
echo "name,path,bytes,ms,gbs,memcpy_gbs,ratio,memset_ratio" > "$TL_BENCH_CSV"
mkdir -p bin
$cc -O2 -std=c11 -c runtime/tlrt.c -Iruntime -o bin/tlrt.o || exit 1
status=0
while read -r name; do
  [ -n "$name" ] || continue
  if [ -f "cases/$name.compile-error" ]; then
    printf '%-30s not compiled: %s\n' "$name" "$(head -c 150 "cases/$name.compile-error" | tr '\n' ' ')"
    continue
  fi
  if ! $cc -O2 -std=c11 -Iruntime -Icases "-DTL_KERNEL_HEADER=\"$name.gen.h\"" "cases/$name.c" \
       "cases/$name.gen.c" bin/tlrt.o -ldl -lpthread -lm -o "bin/$name" 2>"bin/$name.log"; then
    echo "$name: build failed"; cat "bin/$name.log"; status=1; continue
  fi
  TL_BENCH_PATH=$(cat "cases/$name.path" 2>/dev/null) timeout 300 "bin/$name" || status=1
done < cases/cases.txt
exit $status
