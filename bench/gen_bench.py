#!/usr/bin/env python3
"""Generates the benchmark cases: kernels (.mlir, compiled by tl-opt to C
launchers) and one C driver per case that checks the result against a CPU
reference once, then times the kernel (median of many repetitions, buffers
rotated past L2) against cuMemcpyDtoD moving the same bytes (and im2col
against cuMemsetD8 of its column matrix). A row's path is not named here:
scripts/bench-bundle.sh takes it from the compiler's report.

usage: gen_bench.py OUTDIR -> OUTDIR/<case>.mlir, <case>.c, cases.txt
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "GPU"))
import gen  # noqa: E402  (the GPU suite's kernel templates)
import gen_pipelined  # noqa: E402  (the pipelined cases, issue 17)

CASES = []


def copy_driver(t, M, N, BM, BN):
    """The driver of an M x N matrix copy in BM x BN tiles, one per block."""
    grid = f"  c.grid = (tlrt_dim3){{({N} + {BN} - 1) / {BN}, ({M} + {BM} - 1) / {BM}, 1}};\n"
    return gen_pipelined.copy_driver(t, M, N, grid)


def copy_case(name, t, M, N, BM, BN, T, path):
    # SIMT: no TMA on either copy; TMA: demanded on both; cp.async: the
    # load through cp.async, the store SIMT.
    attrs = {"simt": '{disable_tma}', "tma": '{annotations = {use_tma = true}}',
             "cp_async": '{annotations = {use_cp_async = true}}'}[path]
    mlir, _ = gen.tile_copy(dict(name=name, M=M, N=N, BM=BM, BN=BN, T=T, src=t, dst=t, attrs=attrs))
    if path == "tma":
        mlir = mlir.replace('"tl.copy"(%S, %b) :', '"tl.copy"(%S, %b) {annotations = {use_tma = true}} :')
    else:
        mlir = mlir.replace('"tl.copy"(%S, %b) :', '"tl.copy"(%S, %b) {disable_tma} :')
    body = copy_driver(t, M, N, BM, BN)
    CASES.append((name, mlir, body, ""))


def frag_case(name, t, M, N, BM, BN, T):
    mlir, _ = gen.fragment(dict(name=name, M=M, N=N, BM=BM, BN=BN, T=T, src=t, dst=t))
    body = copy_driver(t, M, N, BM, BN)
    CASES.append((name, mlir, body, ""))


def transpose_case(name, M, N, T):
    """A[i:i+64, j:j+64] -> padded shared tile (tl.copy) -> B^T (SIMT loop)."""
    A, B = gen.memref([M, N], "f32"), gen.memref([N, M], "f32")
    S = gen.memref([64, 65], "f32", gen.SHARED)
    iters = 64 * 64 // T
    mlir = gen.header(name, "sm_90a") + f'''    gpu.func @kernel(%A: {A}, %B: {B})
        workgroup(%S: {S})
        kernel attributes {{known_block_size = array<i32: {T}, 1, 1>}} {{
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c64 = arith.constant 64 : index
      %cT = arith.constant {T} : index
      %cI = arith.constant {iters} : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %c64 : index
      %j = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %j) {{access = 1 : i32, extents = array<i64: 64, 64>}} : ({A}, index, index) -> !tl.buffer_region
      %s = "tl.region"(%S, %c0, %c0) {{access = 2 : i32, extents = array<i64: 64, 64>}} : ({S}, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %s) {{disable_tma}} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.barrier
      %t = gpu.thread_id x
      scf.for %k = %c0 to %cI step %c1 {{
        %base = arith.muli %k, %cT : index
        %idx = arith.addi %base, %t : index
        %r = arith.remui %idx, %c64 : index
        %c = arith.divui %idx, %c64 : index
        %v = memref.load %S[%r, %c] : {S}
        %gr = arith.addi %j, %c : index
        %gc = arith.addi %i, %r : index
        memref.store %v, %B[%gr, %gc] : {B}
      }}
      gpu.return
    }}
  }}
}}
'''
    grid = f"  c.grid = (tlrt_dim3){{{N} / 64, {M} / 64, 1}};\n"
    body = gen_pipelined.transpose_driver(M, N, grid)
    CASES.append((name, mlir, body, ""))


def im2col_case(name, N, H, W, C, K, S, P, BM, BK, T, path):
    OH = (H + 2 * P - (K - 1) - 1) // S + 1
    OW = (W + 2 * P - (K - 1) - 1) // S + 1
    M, KK = N * OH * OW, K * K * C
    mlir, _ = gen.im2col(dict(name=name, N=N, H=H, W=W, C=C, K=K, S=S, P=P, D=1, BM=BM, BK=BK, T=T, dtype="f16"))
    if path == "simt":
        # No TMA before sm_90: the same kernel for sm_80 runs im2col and the
        # store to the column matrix as SIMT code (JIT-compiled from PTX).
        mlir = mlir.replace('chip = "sm_90a"', 'chip = "sm_80"')
    grid = f"  c.grid = (tlrt_dim3){{({M} + {BM} - 1) / {BM}, ({KK} + {BK} - 1) / {BK}, 1}};\n"
    body = gen_pipelined.im2col_driver(N, H, W, C, K, S, P, grid)
    # TMA im2col has no per-op demand: the tma cases compile with prefer-tma.
    CASES.append((name, mlir, body, "prefer-tma=true" if path == "tma" else ""))


# Large tiled copies: 256 MiB matrices (and a 64 MiB one), fp32 / fp16.
for path in ["simt", "tma", "cp_async"]:
    copy_case(f"copy_f32_8192x8192_64x64_t128_{path}", "f32", 8192, 8192, 64, 64, 128, path)
    copy_case(f"copy_f32_8192x8192_128x64_t256_{path}", "f32", 8192, 8192, 128, 64, 256, path)
    copy_case(f"copy_f16_8192x16384_128x128_t256_{path}", "f16", 8192, 16384, 128, 128, 256, path)
    copy_case(f"copy_f16_4096x8192_64x128_t128_{path}", "f16", 4096, 8192, 64, 128, 128, path)
frag_case("frag_f16_8192x16384_64x128_t256", "f16", 8192, 16384, 64, 128, 256)
frag_case("frag_f32_8192x8192_64x64_t128", "f32", 8192, 8192, 64, 64, 128)
transpose_case("transpose_f32_8192x8192_t256", 8192, 8192, 256)
for path in ["simt", "tma"]:
    im2col_case(f"im2col_n32c64h56_k3s1p1_{path}", 32, 56, 56, 64, 3, 1, 1, 64, 64, 256, path)
    im2col_case(f"im2col_n32c256h14_k3s1p1_{path}", 32, 14, 14, 256, 3, 1, 1, 64, 64, 256, path)
    im2col_case(f"im2col_n8c128h112_k3s2p1_{path}", 8, 112, 112, 128, 3, 2, 1, 64, 64, 256, path)


# TL_BENCH_SET=sweep, sweep2 or sweep3: only a configuration sweep of the
# persistent rows.
CASES = {"sweep": gen_pipelined.SWEEP, "sweep2": gen_pipelined.SWEEP2,
         "sweep3": gen_pipelined.SWEEP3}.get(
    os.environ.get("TL_BENCH_SET", ""), CASES + gen_pipelined.CASES)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "cases.txt"), "w") as f:
        f.write("\n".join(c[0] for c in CASES) + "\n")
    for name, mlir, body, options in CASES:
        with open(os.path.join(out, name + ".mlir"), "w") as f:
            # scripts/bench-bundle.sh adds these tl-to-nvvm options.
            f.write(f"// tl-to-nvvm-options: {options}\n" if options else "")
            f.write(mlir)
        with open(os.path.join(out, name + ".c"), "w") as f:
            f.write(f'''/* Generated by bench/gen_bench.py: {name}. */
#define BENCH_NAME "{name}"
#include "bench.h"
#include TL_KERNEL_HEADER

typedef struct Ctx {{
  uint64_t a[8], b[8];
  tlrt_dim3 grid;
}} Ctx;

static void launch(void *ctx, int set) {{
  Ctx *c = ctx;
  BCHECK(tl_launch_kernel(NULL, c->grid, c->a[set], c->b[set]));
}}

int main(void) {{{body}}}
''')


if __name__ == "__main__":
    main()
