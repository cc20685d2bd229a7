"""The Python package on the GPU with PyTorch tensors (issue 19 item 5):
kernels compiled here by scripts/python-gpu-bundle.sh (tl.compile, then
Compilation.save), loaded there with tl.load (libtlrt.so only: the GPU
machine has no MLIR), launched on torch tensors (data_ptr(), a torch
stream), checked against torch: copies exactly, the wgmma GEMM within
2^-10 |ref| + 2 K 2^-24 sum |a b| (test/GPU/gen_gemm.py states why), the
output poisoned with NaN first. Prints one PASS/FAIL line per check; exits 1
on any failure."""
import os
import sys

import torch

import tl

here = os.path.dirname(os.path.abspath(__file__))
fails = 0


def report(ok, what):
    global fails
    fails += not ok
    print(("PASS " if ok else "FAIL ") + what)


def copy_case(bundle, label):
    k = tl.load(os.path.join(here, bundle)).kernel("copy64")
    a = torch.randn(512, 512, device="cuda")
    b = torch.full((512, 512), float("nan"), device="cuda")
    k.launch((8, 8), a, b, stream=torch.cuda.current_stream())
    torch.cuda.synchronize()
    report(torch.equal(a, b), f"python_{label} (tile copy 512x512 f32, "
                              f"params {[p['kind'] for p in k.params]})")


def gemm_case():
    k = tl.load(os.path.join(here, "gemm_sm90.json")).kernel("gemm")
    n = 512
    a = (torch.rand(n, n, device="cuda") / 2 - 0.25).half()
    bt = (torch.rand(n, n, device="cuda") / 2 - 0.25).half()
    c = torch.full((n, n), float("nan"), device="cuda", dtype=torch.float16)
    k.launch((n // 256, n // 128), a, bt, c, sync=True)
    ref = a.double() @ bt.double().T
    mag = a.double().abs() @ bt.double().abs().T
    bound = ref.abs() / 1024 + 2 * n * mag / 2 ** 24
    err = (c.double() - ref).abs()
    ok = bool((err <= bound).all()) and not bool(torch.isnan(c).any())
    report(ok, f"python_gemm_sm90 (wgmma 512^3, worst {float((err / bound).max()):.3f} "
               f"of the bound)")


copy_case("tile_copy.json", "tile_copy_simt")
copy_case("tile_copy_tma.json", "tile_copy_tma")
gemm_case()
# An error is an exception, not a crash: a wrong shape.
try:
    tl.load(os.path.join(here, "tile_copy.json")).kernel("copy64").launch(
        (8, 8), torch.zeros(4, device="cuda"), torch.zeros(4, device="cuda"))
    report(False, "python_shape_error (no error raised)")
except tl.LaunchError as e:
    report("shape" in str(e), "python_shape_error (" + str(e)[:60] + ")")
print(f"python: {3 + 1 - fails} passed, {fails} failed")
sys.exit(1 if fails else 0)
