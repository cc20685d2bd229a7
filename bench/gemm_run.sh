# Times the GEMMs and convolutions of scripts/gemm-bench-bundle.sh against
# cuBLAS and cuDNN (PyTorch), same run.
cc -O2 -std=c11 -c tlrt.c -o tlrt.o
while read -r name n bm bn label; do
  cc -O2 -std=c11 -I. -DN=$n -DBM=$bm -DBN=$bn "-DLABEL=\"$label\"" -DLAUNCH=tl_launch_gemm \
     "-DTL_KERNEL_HEADER=\"$name.gen.h\"" gemm_time.c $name.gen.c tlrt.o -ldl -lpthread -lm -o t_$name && ./t_$name
done < configs.txt
while read -r label nb h w ch f k s p bm bn; do
  cc -O2 -std=c11 -I. -DNB=$nb -DH=$h -DW=$w -DC=$ch -DF=$f -DKK=$k -DS=$s -DP=$p -DBM=$bm -DBN=$bn \
     "-DLABEL=\"$label\"" "-DTL_KERNEL_HEADER=\"$label.gen.h\"" conv_time.c $label.gen.c tlrt.o \
     -ldl -lpthread -lm -o t_$label && ./t_$label
done < convs.txt
python3 - <<'PY'
import torch
def median_ms(fn):
    for _ in range(3): fn()
    torch.cuda.synchronize()
    ms = []
    for _ in range(20):
        e0, e1 = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        e0.record(); fn(); e1.record(); torch.cuda.synchronize()
        ms.append(e0.elapsed_time(e1))
    ms.sort()
    return (ms[9] + ms[10]) / 2
for nb, c, h, f, s in ((32, 64, 56, 64, 1), (32, 256, 14, 256, 1), (8, 128, 112, 128, 2)):
    x = (torch.rand(nb, c, h, h, device="cuda") * 2 - 1).half().to(memory_format=torch.channels_last)
    wt = (torch.rand(f, c, 3, 3, device="cuda") * 2 - 1).half().to(memory_format=torch.channels_last)
    ms = median_ms(lambda: torch.nn.functional.conv2d(x, wt, stride=s, padding=1))
    o = (h + 2 - 3) // s + 1
    print(f"cuDNN (torch conv2d, channels_last) n{nb}c{c}h{h}f{f}_k3s{s}p1: {ms:.4f} ms, "
          f"{2 * nb * o * o * f * 9 * c / (ms * 1e-3) / 1e12:.1f} TFLOP/s")
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
