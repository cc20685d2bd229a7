#!/usr/bin/env bash
# Compiles every GPU-suite case that gen.py wrote into $1 to PTX with the
# tl-opt on PATH (its `// tl-to-nvvm-options:` line included), as
# scripts/gpu-bundle.sh does, and prints "compiled N cases, F failed" and
# each failure's first error: a case that no longer compiles fails on CI,
# which has no GPU to run it.
set -u
dir=$1
n=0; bad=0
while read -r name; do
  extra=$(sed -n 's|^// tl-to-nvvm-options: ||p' "$dir/$name.mlir" | head -1)
  if ! tl-opt "$dir/$name.mlir" --tl-to-nvvm="format=isa $extra" -o /dev/null 2>"$dir/$name.err"; then
    bad=$((bad + 1))
    echo "FAIL $name: $(grep -m1 'error:' "$dir/$name.err")"
  fi
  n=$((n + 1))
done < "$dir/cases.txt"
echo "compiled $n cases, $bad failed"
[ "$bad" -eq 0 ]
