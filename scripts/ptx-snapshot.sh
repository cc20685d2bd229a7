#!/usr/bin/env bash
# Compiles every example, every GPU-suite case (test/GPU/gen.py) and every
# benchmark case (bench/gen_bench.py) to PTX with the given tl-opt, and writes
# each PTX and each compile report (report=true, stderr) under OUTDIR; for
# the GPU-suite cases also the C launchers (--emit=c).
# scripts/ptx-diff.sh compares two such snapshots (refactors must leave them
# byte-identical).
#   usage: ptx-snapshot.sh TL_OPT OUTDIR
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tlopt=$1
out=$2
rm -rf "$out"
mkdir -p "$out/examples" "$out/gpu" "$out/bench" "$out/src/gpu" "$out/src/bench"
compile() { # NAME INPUT OUTDIR EXTRA-OPTIONS
  if ! "$tlopt" "$2" --tl-to-nvvm="format=ptx report=true $4" --emit-binary="$3/$1.ptx" \
       -o /dev/null 2>"$3/$1.report"; then
    echo "(compile failed)" >>"$3/$1.report"
  fi
  sed -i "s|$out/src/[a-z]*/||g; s|$root/||g" "$3/$1.report"
}
for f in "$root"/examples/*.mlir; do
  compile "$(basename "$f" .mlir)" "$f" "$out/examples" ""
done
python3 "$root/test/GPU/gen.py" "$out/src/gpu" >/dev/null
python3 "$root/bench/gen_bench.py" "$out/src/bench" >/dev/null
for kind in gpu bench; do
  while read -r name; do
    extra=$(sed -n 's|^// tl-to-nvvm-options: ||p' "$out/src/$kind/$name.mlir" | head -1)
    compile "$name" "$out/src/$kind/$name.mlir" "$out/$kind" "$extra"
    if [ "$kind" = gpu ]; then
      "$tlopt" "$out/src/$kind/$name.mlir" --tl-to-nvvm="format=ptx $extra" --emit=c \
        -o "$out/$kind/$name.launcher.c" 2>/dev/null || echo "(emit-c failed)" >"$out/$kind/$name.launcher.c"
    fi
  done <"$out/src/$kind/cases.txt"
done
rm -rf "$out/src"
echo "ptx-snapshot: $(find "$out" -name '*.ptx' | wc -l) PTX files in $out"
