#!/usr/bin/env bash
# Prepares the benchmarks on this machine (MLIR, ptxas): generates the cases
# (bench/gen_bench.py), compiles each kernel to a C launcher, and gathers
# what a GPU machine needs into build/bench-bundle. Run there with
#   bash build/bench-bundle/run.sh
# then plot here with bash bench/plot.sh <bench.csv>.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TL_BUILD_DIR:-$root/build}
bash "$root/scripts/build.sh" >/dev/null
out="$build/bench-bundle"
rm -rf "$out"
mkdir -p "$out/cases" "$out/runtime"
python3 "$root/bench/gen_bench.py" "$out/cases"
export PATH="$PATH:/usr/local/cuda/bin"
format=isa
command -v ptxas >/dev/null && format=fatbin
n=0; bad=0
while read -r name; do
  # A case may ask for more tl-to-nvvm options in a comment line; its row's
  # label comes from the report (bench/path_label.py).
  extra=$(sed -n 's|^// tl-to-nvvm-options: ||p' "$out/cases/$name.mlir" | head -1)
  if "$build/tools/tl-opt/tl-opt" "$out/cases/$name.mlir" --tl-to-nvvm="format=$format report=true $extra" \
       --emit=c -o "$out/cases/$name.gen.c" 2>"$out/cases/$name.report"; then
    python3 "$root/bench/path_label.py" "$out/cases/$name.report" > "$out/cases/$name.path"
  else
    cp "$out/cases/$name.report" "$out/cases/$name.compile-error"; bad=$((bad + 1))
  fi
  n=$((n + 1))
done < "$out/cases/cases.txt"
cp "$root/runtime/tlrt.c" "$root/runtime/cuda_driver.h" "$root/runtime/include/tlrt.h" "$out/runtime/"
cp "$root/bench/bench.h" "$out/cases/"
cp "$root/bench/run.sh" "$out/run.sh"
echo "bench-bundle: $n cases in $out ($format; $bad not compiled)"
