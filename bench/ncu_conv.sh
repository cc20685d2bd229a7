#!/usr/bin/env bash
# ncu on the GPU machine, in build/gemm-bench after gemm_run.sh built the
# timers: one launch of each tl conv timer named on the command line and of
# cuDNN's kernels for the same layers (torch conv2d, channels_last, f16):
# duration, SM / tensor-pipe / L2 / DRAM throughput, occupancy, registers,
# shared memory (docs/performance.md, "Convolution").
#   bash ncu_conv.sh t_conv_<label> ...
metrics=gpu__time_duration.sum,sm__throughput.avg.pct_of_peak_sustained_elapsed
metrics+=,sm__pipe_tensor_op_gmma_cycles_active.avg.pct_of_peak_sustained_elapsed
metrics+=,lts__throughput.avg.pct_of_peak_sustained_elapsed,dram__throughput.avg.pct_of_peak_sustained_elapsed
metrics+=,sm__warps_active.avg.pct_of_peak_sustained_active,launch__grid_size,launch__registers_per_thread
metrics+=,launch__occupancy_limit_shared_mem,launch__shared_mem_per_block_dynamic
for t in "$@"; do
  echo "== $t"
  ncu --metrics "$metrics" --launch-skip 3 --launch-count 1 "./$t" 2>&1 | grep -E "^  [a-z]|^    [a-z]|==PROF==|rror" | grep -v "^==PROF== Connected"
done
cat > cudnn_one.py <<'PY'
import torch
for nb, c, h, f, s in ((32, 64, 56, 64, 1), (32, 256, 14, 256, 1), (8, 128, 112, 128, 2)):
    x = (torch.rand(nb, c, h, h, device="cuda") * 2 - 1).half().to(memory_format=torch.channels_last)
    wt = (torch.rand(f, c, 3, 3, device="cuda") * 2 - 1).half().to(memory_format=torch.channels_last)
    for _ in range(2):
        torch.nn.functional.conv2d(x, wt, stride=s, padding=1)
    torch.cuda.synchronize()
PY
echo "== cuDNN (every kernel of cudnn_one.py; the convolutions are the large ones)"
timeout 200 ncu --metrics "$metrics" python3 cudnn_one.py 2>&1 | grep -vE "^==PROF== (Connected|Disconnected)" | \
  grep -E "^  [a-zA-Z_]|^    [a-z]|rror" | grep -E "^  [a-zA-Z_]|gpu__time|tensor|sm__throughput|grid_size|registers|rror"
