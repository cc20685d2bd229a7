# Times the GEMMs of scripts/gemm-bench-bundle.sh against cuBLAS (PyTorch), same run.
cc -O2 -std=c11 -c tlrt.c -o tlrt.o
while read -r name n bm bn label; do
  cc -O2 -std=c11 -I. -DN=$n -DBM=$bm -DBN=$bn "-DLABEL=\"$label\"" -DLAUNCH=tl_launch_gemm \
     "-DTL_KERNEL_HEADER=\"$name.gen.h\"" gemm_time.c $name.gen.c tlrt.o -ldl -lpthread -lm -o t_$name && ./t_$name
done < configs.txt
python3 - <<'PY'
import torch
for n in (4096, 8192):
    a = (torch.rand(n, n, device="cuda") * 2 - 1).half(); b = (torch.rand(n, n, device="cuda") * 2 - 1).half()
    for _ in range(3): a @ b.T
    torch.cuda.synchronize()
    ms = []
    for _ in range(20):
        e0, e1 = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        e0.record(); a @ b.T; e1.record(); torch.cuda.synchronize()
        ms.append(e0.elapsed_time(e1))
    ms.sort(); med = (ms[9] + ms[10]) / 2
    print(f"cuBLAS (torch a @ b.T) {n}^3: {med:.3f} ms, {2*n**3/(med*1e-3)/1e12:.1f} TFLOP/s")
PY
