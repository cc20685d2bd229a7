#!/usr/bin/env bash
# Builds the seed corpus of the IR fuzzer from the tests and examples: every
# .mlir file, split at "// -----", one chunk per file.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: seed.sh OUTDIR}
mkdir -p "$out"
i=0
for f in "$root"/examples/*.mlir $(find "$root/test" -name '*.mlir'); do
  awk -v base="$out/seed" -v start="$i" '
    BEGIN { n = start; file = sprintf("%s%05d.mlir", base, n) }
    /^\/\/ -----/ { close(file); n++; file = sprintf("%s%05d.mlir", base, n); next }
    { print > file }
    END { close(file); print n + 1 > "/dev/stderr" }' "$f" 2>"$out/.count"
  i=$(cat "$out/.count")
done
rm -f "$out/.count"
echo "seed corpus: $i inputs in $out"
