#!/usr/bin/env bash
# The GEMM and convolution timing of issue 18 (docs/mma-interop.md,
# docs/performance.md): compiles the GEMM kernels of test/GPU/gen_gemm.py
# (mma.sync) and test/GPU/gen_wgmma.py (wgmma) at 4096^3 and 8192^3, and the
# implicit-GEMM convolution of test/GPU/gen_conv90.py for the three ResNet
# layers, for sm_90a into build/gemm-bench, with C timers
# (bench/gemm_time.c, bench/conv_time.c: the median of 20 launches on random
# data) and cuBLAS / cuDNN baselines through PyTorch in the same run
# (bench/gemm_run.sh). Run there with  bash build/gemm-bench/gemm_run.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TL_BUILD_DIR:-$root/build}
bash "$root/scripts/build.sh" >/dev/null
out="$build/gemm-bench"
rm -rf "$out" && mkdir -p "$out"
export PATH="$PATH:/usr/local/cuda/bin"
format=isa
command -v ptxas >/dev/null && format=fatbin
# How the compiler released the K loop's stages (its report), for the labels.
release_of() {
  if grep -q "stages released by empty mbarriers" "$1"; then echo "empty-mbarrier release"
  elif grep -q "stages released by a block barrier" "$1"; then echo "block-barrier release"
  else echo "release unknown"; fi
}
# label  BM  BN  generator call (n is the size)
configs=(
  "mma_sync_64x64_s3 64 64 gen_gemm.gemm_kernel(name,'sm_90a',n,n,n)"
  "wgmma_128x128_s4_l0 128 128 gen_wgmma.wgmma_kernel(name,n,n,n,BN=128,G=2,stages=4,lag=0)"
  "wgmma_128x128_s6_l1 128 128 gen_wgmma.wgmma_kernel(name,n,n,n,BN=128,G=2,stages=6,lag=1)"
  "wgmma_128x256_s4_l0 128 256 gen_wgmma.wgmma_kernel(name,n,n,n,BN=256,G=2,stages=4,lag=0)"
  "wgmma_128x256_s4_l1 128 256 gen_wgmma.wgmma_kernel(name,n,n,n,BN=256,G=2,stages=4,lag=1)"
  "wgmma_128x256_s4_l1_mb 128 256 gen_wgmma.wgmma_kernel(name,n,n,n,BN=256,G=2,stages=4,lag=1,release='mbarrier')"
  "wgmma_128x256_s4_l2 128 256 gen_wgmma.wgmma_kernel(name,n,n,n,BN=256,G=2,stages=4,lag=2)"
)
: > "$out/configs.txt"
# TL_BENCH_SET=conv-sweep: only the convolutions' tile/stage sweep (below).
sweep=false
[ "${TL_BENCH_SET:-}" = conv-sweep ] && sweep=true
$sweep && configs=()
for n in 4096 8192; do
  for c in "${configs[@]}"; do
    read -r label bm bn call <<<"$c"
    name="${label}_$n"
    python3 - "$root" "$n" "$name" "$call" > "$out/$name.mlir" <<'PY'
import sys
sys.path.insert(0, sys.argv[1] + "/test/GPU")
import gen, gen_gemm, gen_wgmma
gen_gemm.header = gen_wgmma.header = gen.header
n, name = int(sys.argv[2]), sys.argv[3]
sys.stdout.write(eval(sys.argv[4]))
PY
    "$build/tools/tl-opt/tl-opt" "$out/$name.mlir" --tl-to-nvvm="format=$format report=true" --emit=c \
      -o "$out/$name.gen.c" 2> "$out/$name.report"
    echo "$name $n $bm $bn $label ($(release_of "$out/$name.report"))" >> "$out/configs.txt"
  done
done
# The three ResNet layers of issue 18 (test/GPU/gen_conv90.py):
# label  N H W C F K S P BM BN generator keyword arguments
convs=(
  "conv_n32c64h56f64_k3s1p1_128x64 32 56 56 64 64 3 1 1 128 64 BN=64"
  "conv_n32c256h14f256_k3s1p1_128x256 32 14 14 256 256 3 1 1 128 256 BN=256"
  "conv_n32c256h14f256_k3s1p1_128x128 32 14 14 256 256 3 1 1 128 128 BN=128"
  "conv_n8c128h112f128_k3s2p1_128x128 8 112 112 128 128 3 2 1 128 128 BN=128"
  "conv_n32c64h56f64_k3s1p1_128x64_l1 32 56 56 64 64 3 1 1 128 64 BN=64,lag=1"
  "conv_n32c64h56f64_k3s1p1_64x64_l1 32 56 56 64 64 3 1 1 64 64 BN=64,G=1,lag=1"
  "conv_n32c256h14f256_k3s1p1_128x128_l1 32 14 14 256 256 3 1 1 128 128 BN=128,lag=1"
  "conv_n32c256h14f256_k3s1p1_128x256_l1 32 14 14 256 256 3 1 1 128 256 BN=256,lag=1"
  "conv_n32c256h14f256_k3s1p1_64x128_l1 32 14 14 256 256 3 1 1 64 128 BN=128,G=1,lag=1"
  "conv_n32c256h14f256_k3s1p1_64x256_l1 32 14 14 256 256 3 1 1 64 256 BN=256,G=1,lag=1"
  "conv_n8c128h112f128_k3s2p1_128x128_l1 8 112 112 128 128 3 2 1 128 128 BN=128,lag=1"
  "conv_n8c128h112f128_k3s2p1_64x128_l1 8 112 112 128 128 3 2 1 64 128 BN=128,G=1,lag=1"
  "conv_n32c64h56f64_k3s1p1_128x64_l1_mb 32 56 56 64 64 3 1 1 128 64 BN=64,lag=1,release='mbarrier'"
  "conv_n32c256h14f256_k3s1p1_64x256_l1_shared 32 14 14 256 256 3 1 1 64 256 BN=256,G=1,lag=1,epilogue='shared'"
  "conv_n32c256h14f256_k3s1p1_64x256_l1_shared_mb 32 14 14 256 256 3 1 1 64 256 BN=256,G=1,lag=1,epilogue='shared',release='mbarrier'"
  "conv_n8c128h112f128_k3s2p1_64x128_l1_mb 8 112 112 128 128 3 2 1 64 128 BN=128,G=1,lag=1,release='mbarrier'"
  "conv_n8c128h112f128_k3s2p1_128x64_s3_l1 8 112 112 128 128 3 2 1 128 64 BN=64,stages=3,lag=1"
  "conv_n8c128h112f128_k3s2p1_128x64_s3_l1_mb 8 112 112 128 128 3 2 1 128 64 BN=64,stages=3,lag=1,release='mbarrier'"
  "conv_n8c128h112f128_k3s2p1_128x64_s4_l2 8 112 112 128 128 3 2 1 128 64 BN=64,stages=4,lag=2"
  "conv_n32c64h56f64_k3s1p1_128x64_s4_l2 32 56 56 64 64 3 1 1 128 64 BN=64,stages=4,lag=2"
  "conv_n32c64h56f64_k3s1p1_128x64_s2_l0_shared 32 56 56 64 64 3 1 1 128 64 BN=64,stages=2,lag=0,epilogue='shared'"
  "conv_n8c128h112f128_k3s2p1_192x128_s4_l1_shared 8 112 112 128 128 3 2 1 192 128 BN=128,G=3,stages=4,lag=1,epilogue='shared'"
  "conv_n8c128h112f128_k3s2p1_192x128_s3_l1_shared 8 112 112 128 128 3 2 1 192 128 BN=128,G=3,stages=3,lag=1,epilogue='shared'"
  "conv_n32c64h56f64_k3s1p1_128x64_simt 32 56 56 64 64 3 1 1 128 64 BN=64,simt=True"
  "conv_n32c256h14f256_k3s1p1_128x128_simt 32 14 14 256 256 3 1 1 128 128 BN=128,simt=True"
)
if $sweep; then
  # The layers below 0.8x cuDNN (docs/performance.md): warpgroups G (BM =
  # 64 G) x BN x stages x wgmma groups in flight (tl.reads_in_flight);
  # fewer stages let more blocks share an SM. Two with empty-mbarrier
  # release (tl.stage_release = "mbarrier") against the same tiles.
  convs=()
  for geo in "n32c64h56f64_k3s1p1 32 56 56 64 64 3 1 1" "n8c128h112f128_k3s2p1 8 112 112 128 128 3 2 1"; do
    read -r name nb h w ch f k s p <<<"$geo"
    # (bench/results/h200-2026-12-02-conv-sweep3.txt: 5-6 stages and two
    # groups in flight lost everywhere; this is the second round)
    for t in "2 64 2 0 direct" "2 64 2 0 shared" "2 64 3 0 direct" "2 64 3 1 direct" "2 64 3 1 shared" \
             "2 128 2 0 direct" "2 128 2 0 shared" "2 128 3 0 direct" "2 128 3 1 shared" \
             "1 128 2 0 direct" "1 128 3 0 direct" "1 128 3 1 direct" "1 128 3 1 shared" \
             "1 64 2 0 direct" "1 64 3 0 direct" "1 64 3 1 direct"; do
      read -r g bn st lag epi <<<"$t"
      [ "$bn" -le "$f" ] || continue
      convs+=("conv_${name}_$((64 * g))x${bn}_s${st}_l${lag}_$epi $nb $h $w $ch $f $k $s $p $((64 * g)) $bn BN=$bn,G=$g,stages=$st,lag=$lag,epilogue='$epi'")
    done
    convs+=("conv_${name}_128x64_s3_l1_mb $nb $h $w $ch $f $k $s $p 128 64 BN=64,stages=3,lag=1,release='mbarrier'")
    # Three warpgroups: 192-row tiles (layer 3: 131 x 1 tiles of 192 x 128, one wave).
    for t in "64 2 0 direct" "64 3 1 direct" "64 3 1 shared" "128 2 0 direct" "128 2 0 shared" \
             "128 3 1 direct" "128 3 1 shared" "128 4 1 shared"; do
      read -r bn st lag epi <<<"$t"
      [ "$bn" -le "$f" ] || continue
      convs+=("conv_${name}_192x${bn}_s${st}_l${lag}_$epi $nb $h $w $ch $f $k $s $p 192 $bn BN=$bn,G=3,stages=$st,lag=$lag,epilogue='$epi'")
    done
  done
fi
: > "$out/convs.txt"
for c in "${convs[@]}"; do
  read -r label nb h w ch f k s p bm bn kw <<<"$c"
  python3 - "$root" "$label" "$nb $h $w $ch $f $k $s $p" "$kw" > "$out/$label.mlir" <<'PY'
import sys
sys.path.insert(0, sys.argv[1] + "/test/GPU")
import gen, gen_wgmma, gen_conv90
gen_wgmma.header = gen.header
geo = [int(v) for v in sys.argv[3].split()]
fn = "persistent_conv_kernel" if "grid=" in sys.argv[4] else "conv_kernel"
sys.stdout.write(eval(f"gen_conv90.{fn}(sys.argv[2], *geo, {sys.argv[4]})"))
PY
  "$build/tools/tl-opt/tl-opt" "$out/$label.mlir" --tl-to-nvvm="format=$format report=true" --emit=c \
    -o "$out/$label.gen.c" 2> "$out/$label.report"
  gx=0
  [[ "$kw" =~ grid=([0-9]+) ]] && gx=${BASH_REMATCH[1]}
  echo "$label $nb $h $w $ch $f $k $s $p $bm $bn $gx $label ($(release_of "$out/$label.report"))" >> "$out/convs.txt"
done
cp "$root/bench/conv_time.c" "$out/"
cp "$root/runtime/tlrt.c" "$root/runtime/cuda_driver.h" "$root/runtime/include/tlrt.h" \
   "$root/bench/gemm_time.c" "$root/bench/median.h" "$root/bench/gemm_run.sh" "$root/bench/ncu_conv.sh" "$out/"
echo "gemm-bench: build/gemm-bench ($format)"
