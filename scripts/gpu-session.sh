#!/usr/bin/env bash
# Everything issues 18 and 19 still need from the GPU, in one bundle for one
# device call: the GPU suite (scripts/gpu-bundle.sh), the GEMM and conv
# benchmarks against cuBLAS/cuDNN (scripts/gemm-bench-bundle.sh) and the
# Python package's PyTorch check (scripts/python-gpu-bundle.sh), gathered in
# build/gpu-session with one run.sh. On the GPU machine:
#   OUT=<logs dir> bash build/gpu-session/run.sh
# prints the suite's failures, the benchmark lines and the Python lines last.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TL_BUILD_DIR:-$root/build}
bash "$root/scripts/gpu-bundle.sh" | tail -1
bash "$root/scripts/gemm-bench-bundle.sh" | tail -1
bash "$root/scripts/python-gpu-bundle.sh" | tail -1
out="$build/gpu-session"
rm -rf "$out" && mkdir -p "$out"
cp -r "$build/gpu-bundle" "$build/gemm-bench" "$build/python-gpu" "$out/"
cat > "$out/run.sh" <<'RUN'
#!/usr/bin/env bash
# Runs the three parts; logs under $OUT (default ./logs); a summary last.
here=$(cd "$(dirname "$0")" && pwd)
logs=${OUT:-$here/logs}
mkdir -p "$logs"
SECONDS=0
(cd "$here/gpu-bundle" && TL_GPU_LOGS="$logs/suite" bash run.sh > "$logs/suite.txt" 2>&1)
(cd "$here/gemm-bench" && timeout 400 bash gemm_run.sh > "$logs/bench.txt" 2>&1)
(cd "$here/python-gpu" && PYTHONPATH=. TL_LIBRARY_DIR=. timeout 120 python3 torch_check.py > "$logs/python.txt" 2>&1)
echo "== times: total ${SECONDS}s"
echo "== suite"; grep -v "^PASS" "$logs/suite.txt" | tail -40
echo "== bench"; cat "$logs/bench.txt" | grep -E "^(tl|cuBLAS|cuDNN)"
echo "== python"; cat "$logs/python.txt"
RUN
du -sh "$out" | cut -f1 | xargs echo "gpu-session: build/gpu-session,"
