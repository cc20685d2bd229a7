# Times the GEMMs and convolutions of scripts/gemm-bench-bundle.sh against
# cuBLAS and cuDNN (PyTorch), same run.
cc -O2 -std=c11 -c tlrt.c -o tlrt.o
while read -r name n bm bn label; do
  cc -O2 -std=c11 -I. -DN=$n -DBM=$bm -DBN=$bn "-DLABEL=\"$label\"" -DLAUNCH=tl_launch_gemm \
     "-DTL_KERNEL_HEADER=\"$name.gen.h\"" gemm_time.c $name.gen.c tlrt.o -ldl -lpthread -lm -o t_$name && ./t_$name
done < configs.txt
while read -r label nb h w ch f k s p bm bn gx shown; do
  cc -O2 -std=c11 -I. -DGRID_X=${gx:-0} -DNB=$nb -DH=$h -DW=$w -DC=$ch -DF=$f -DKK=$k -DS=$s -DP=$p -DBM=$bm -DBN=$bn \
     "-DLABEL=\"${shown:-$label}\"" "-DTL_KERNEL_HEADER=\"$label.gen.h\"" conv_time.c $label.gen.c tlrt.o \
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
def graph_ms(fn):
    """The median over 10 replays of a CUDA graph of 20 calls, per call:
    the GPU's time once the host is out of the way (the tl kernels are
    timed back to back the same way, bench/median.h)."""
    s = torch.cuda.Stream()
    s.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(s):
        for _ in range(3): fn()
    torch.cuda.current_stream().wait_stream(s)
    g = torch.cuda.CUDAGraph()
    with torch.cuda.graph(g):
        for _ in range(20): fn()
    g.replay(); torch.cuda.synchronize()
    ms = []
    for _ in range(10):
        e0, e1 = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        e0.record(); g.replay(); e1.record(); torch.cuda.synchronize()
        ms.append(e0.elapsed_time(e1) / 20)
    ms.sort()
    return (ms[4] + ms[5]) / 2
for bench in (False, True):
    # cudnn.benchmark: cuDNN times its algorithms for the shape and keeps the
    # fastest (False: its heuristic's choice, PyTorch's default).
    torch.backends.cudnn.benchmark = bench
    kind = "autotuned" if bench else "heuristic"
    for nb, c, h, f, s in ((32, 64, 56, 64, 1), (32, 256, 14, 256, 1), (8, 128, 112, 128, 2)):
        x = (torch.rand(nb, c, h, h, device="cuda") * 2 - 1).half().to(memory_format=torch.channels_last)
        wt = (torch.rand(f, c, 3, 3, device="cuda") * 2 - 1).half().to(memory_format=torch.channels_last)
        fn = lambda: torch.nn.functional.conv2d(x, wt, stride=s, padding=1)
        ms, gms = median_ms(fn), graph_ms(fn)
        o = (h + 2 - 3) // s + 1
        fl = 2 * nb * o * o * f * 9 * c
        print(f"cuDNN (torch conv2d, channels_last, {kind}) n{nb}c{c}h{h}f{f}_k3s{s}p1: {ms:.4f} ms, "
              f"{fl / (ms * 1e-3) / 1e12:.1f} TFLOP/s; back-to-back {gms:.4f} ms, {fl / (gms * 1e-3) / 1e12:.1f} TFLOP/s")
for n in (4096, 8192):
    a = (torch.rand(n, n, device="cuda") * 2 - 1).half(); b = (torch.rand(n, n, device="cuda") * 2 - 1).half()
    fn = lambda: a @ b.T
    med, gms = median_ms(fn), graph_ms(fn)
    print(f"cuBLAS (torch a @ b.T) {n}^3: {med:.3f} ms, {2*n**3/(med*1e-3)/1e12:.1f} TFLOP/s; "
          f"back-to-back {gms:.3f} ms, {2*n**3/(gms*1e-3)/1e12:.1f} TFLOP/s")
PY
