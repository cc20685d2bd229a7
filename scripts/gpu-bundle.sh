#!/usr/bin/env bash
# Prepares the GPU suite on this machine (which has MLIR): generates the
# cases (test/GPU/gen.py), compiles each kernel with tl-opt to a C launcher
# with the binary embedded, and gathers everything a GPU machine needs into
# build/gpu-bundle (no MLIR needed there). Run it there with
#   bash build/gpu-bundle/run.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TL_BUILD_DIR:-$root/build}
bash "$root/scripts/build.sh" >/dev/null
out="$build/gpu-bundle"
rm -rf "$out"
mkdir -p "$out/cases" "$out/runtime"
python3 "$root/test/GPU/gen.py" "$out/cases"
# fatbins (cubin + PTX, so sm_80 cases also run on newer GPUs) need ptxas
# and fatbinary; without them the driver JIT-compiles PTX.
format=isa
command -v ptxas >/dev/null || [ -x /usr/local/cuda/bin/ptxas ] && format=fatbin
export PATH="$PATH:/usr/local/cuda/bin"
n=0; bad=0
while read -r name; do
  # A case may ask for more tl-to-nvvm options in a comment line.
  extra=$(sed -n 's|^// tl-to-nvvm-options: ||p' "$out/cases/$name.mlir" | head -1)
  if ! "$build/tools/tl-opt/tl-opt" "$out/cases/$name.mlir" --tl-to-nvvm="format=$format $extra" \
       --emit=c -o "$out/cases/$name.gen.c" 2>"$out/cases/$name.compile-error"; then
    bad=$((bad + 1))
  else
    rm -f "$out/cases/$name.compile-error"
  fi
  n=$((n + 1))
done < "$out/cases/cases.txt"
cp "$root/runtime/tlrt.c" "$root/runtime/cuda_driver.h" "$root/runtime/include/tlrt.h" "$out/runtime/"
cp "$root/test/GPU/harness.h" "$out/cases/"
cp "$root/test/GPU/run.sh" "$out/run.sh"
echo "gpu-bundle: $n cases in $out ($format; $bad failed to compile)"
