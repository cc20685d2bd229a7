# Times the GEMM of scripts/gemm-bench-bundle.sh against cuBLAS (PyTorch), same run.
cc -O2 -std=c11 -c tlrt.c -o tlrt.o
for n in 4096 8192; do cc -O2 -std=c11 -I. -DN=$n -DLAUNCH=tl_launch_gemm "-DTL_KERNEL_HEADER=\"gemm$n.gen.h\"" gemm_time.c gemm$n.gen.c tlrt.o -ldl -lpthread -lm -o t$n && ./t$n; done
python3 - <<'PY'
import torch
for n in (4096, 8192):
    a = torch.randn(n, n, device="cuda", dtype=torch.float16); b = torch.randn(n, n, device="cuda", dtype=torch.float16)
    for _ in range(3): a @ b.T
    torch.cuda.synchronize()
    e0, e1 = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    e0.record()
    for _ in range(10): a @ b.T
    e1.record(); torch.cuda.synchronize()
    ms = e0.elapsed_time(e1) / 10
    print(f"cuBLAS (torch a @ b.T) {n}^3: {ms:.3f} ms, {2*n**3/(ms*1e-3)/1e12:.1f} TFLOP/s")
PY
