#!/usr/bin/env bash
# The GEMM timing of issue 18 (docs/mma-interop.md): compiles
# test/GPU/gen_gemm.py's kernel at 4096^3 and 8192^3 for sm_90a into
# build/gemm-bench with a C timer (bench/gemm_time.c: the mean
# of 10 launches after 3) and a cuBLAS baseline through PyTorch in the same
# run (bench/gemm_run.sh). Run there with  bash build/gemm-bench/gemm_run.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TL_BUILD_DIR:-$root/build}
bash "$root/scripts/build.sh" >/dev/null
out="$build/gemm-bench"
rm -rf "$out" && mkdir -p "$out"
export PATH="$PATH:/usr/local/cuda/bin"
format=isa
command -v ptxas >/dev/null && format=fatbin
for n in 4096 8192; do
  python3 - "$root" "$n" > "$out/gemm$n.mlir" <<'PY'
import sys
sys.path.insert(0, sys.argv[1] + "/test/GPU")
import gen, gen_gemm
gen_gemm.header = gen.header
n = int(sys.argv[2])
sys.stdout.write(gen_gemm.gemm_kernel(f"gemm{n}", "sm_90a", n, n, n))
PY
  "$build/tools/tl-opt/tl-opt" "$out/gemm$n.mlir" --tl-to-nvvm="format=$format" --emit=c -o "$out/gemm$n.gen.c"
done
cp "$root/runtime/tlrt.c" "$root/runtime/cuda_driver.h" "$root/runtime/include/tlrt.h" \
   "$root/bench/gemm_time.c" "$root/bench/gemm_run.sh" "$out/"
echo "gemm-bench: build/gemm-bench ($format)"
