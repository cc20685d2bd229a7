#!/usr/bin/env bash
# The Python package's GPU check (issue 19 item 5, docs/python.md): compiles
# the kernels here with tl.compile (this machine has MLIR and ptxas) into
# build/python-gpu with the package, libtlrt.so and
# test/GPU/python/torch_check.py. Run there (PyTorch, no MLIR) with
#   cd build/python-gpu && PYTHONPATH=. TL_LIBRARY_DIR=. python3 torch_check.py
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TL_BUILD_DIR:-$root/build}
bash "$root/scripts/build.sh" >/dev/null
out="$build/python-gpu"
rm -rf "$out" && mkdir -p "$out"
export PATH="$PATH:/usr/local/cuda/bin"
TL_BUILD_DIR="$build" PYTHONPATH="$root/python" python3 - "$root" "$out" <<'PY'
import sys
import tl
root, out = sys.argv[1:3]
src = open(f"{root}/examples/tile_copy.mlir").read()
tl.compile(src, name="tile_copy.mlir", format="fatbin").save(f"{out}/tile_copy.json")
tma = (src.replace('{eviction_policy = "evict_first"}', '{annotations = {use_tma = true}}')
       .replace('"tl.copy"(%S, %b) :', '"tl.copy"(%S, %b) {annotations = {use_tma = true}} :'))
tl.compile(tma, name="tile_copy_tma.mlir", format="fatbin").save(f"{out}/tile_copy_tma.json")
tl.compile(open(f"{root}/examples/gemm_sm90.mlir").read(), name="gemm_sm90.mlir",
           format="fatbin").save(f"{out}/gemm_sm90.json")
PY
cp -r "$root/python/tl" "$out/tl"
cp -L "$build/runtime/libtlrt.so" "$out/libtlrt.so"
cp "$root/test/GPU/python/torch_check.py" "$out/"
echo "python-gpu: build/python-gpu"
