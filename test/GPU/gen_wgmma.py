"""The GPU-suite cases of a Hopper GEMM whose data movement is tl and whose
math is nvvm.wgmma.mma_async (issue 18; docs/mma-interop.md): C = A Bᵀ, A
M x K and Bt N x K f16 (both K-major), C M x N f16, f32 accumulation, sm_90a.

A block of G warpgroups (128 G threads) computes a (64 G) x BN tile; each
K step of BK = 64 (128-byte rows):

- A[m0:+64G, k:+64] and Bt[n0:+BN, k:+64] -> shared by tl.copy, pipelined
  by tl-pipeline over `tl.num_stages` stages (TMA, the split-phase
  default, 128-byte swizzled: the swizzle is the one the descriptors ask
  tl-infer-layouts for);
- four k16 steps: warpgroup g's A rows 64g .. 64g+63 and all of Bt, each
  as a tl.region of 16 columns whose `tl.wgmma_descriptor` feeds
  nvvm.wgmma.mma_async m64nBNk16 (the accumulator, an llvm struct of BN/2
  f32, is loop-carried), then commit and wait until at most `lag` groups
  are in flight (wgmma.wait_group lag); with `tl.reads_in_flight = lag`
  the pipeline refills a stage lag + 1 iterations after it is read, so no
  copy overwrites what a wgmma in flight reads (docs/pipeline.md);
- after the loop the struct's values go, as one vector, into an f32
  fragment with wgmma's D layout (`tl.mma_accumulator = "m64nBNk16"`) by
  tl.fragment_write, and one tl.copy stores the tile with its f32 -> f16
  cast, clipped at the matrix's edges (TMA loads past M, N or K read
  zeros).

The check is gen_gemm.py's (2^-10 |ref| + 2 K 2^-24 sum |a b|). Imported by
test/GPU/gen.py, whose helpers register() binds here."""

import gen_gemm

# gen.py's helpers, bound by register().
header = None

BK = 64


def struct_type(BN):
    """The accumulator of one m64nBNk16 wgmma: BN/2 f32 per thread."""
    return "!llvm.struct<(" + ", ".join(["f32"] * (BN // 2)) + ")>"


def mma_steps(SA, SB, BN, lag):
    """The body's math after its copies: BK/16 k16 steps of warpgroup %wg's
    64 rows of %SA and all BN rows of %SB, chained on %acc, then commit and
    wait until `lag` groups are left; the chain's last value is %d<last>."""
    S, R = struct_type(BN), "!tl.buffer_region"
    body, cur = ["        nvvm.wgmma.fence.aligned\n"], "%acc"
    for s in range(BK // 16):
        body.append(
            f'        %ra{s} = "tl.region"(%SA, %arow, %c{16 * s}) {{access = 1 : i32, extents = array<i64: 64, 16>}} '
            f": ({SA}, index, index) -> {R}\n"
            f'        %da{s} = "tl.wgmma_descriptor"(%ra{s}) : ({R}) -> i64\n'
            f'        %rb{s} = "tl.region"(%SB, %c0, %c{16 * s}) {{access = 1 : i32, extents = array<i64: {BN}, 16>}} '
            f": ({SB}, index, index) -> {R}\n"
            f'        %db{s} = "tl.wgmma_descriptor"(%rb{s}) : ({R}) -> i64\n'
            f"        %d{s} = nvvm.wgmma.mma_async %da{s}, %db{s}, {cur}, #nvvm.shape<m = 64, n = {BN}, k = 16>, "
            f"D[<f32>, <one>], A[<f16>, <one>, <row>], B[<f16>, <one>, <col>] : {S} -> {S}\n")
        cur = f"%d{s}"
    body.append("        nvvm.wgmma.commit.group.sync.aligned\n"
                f"        nvvm.wgmma.wait.group.sync.aligned {lag}\n"
                f"        scf.yield {cur} : {S}\n")
    return "".join(body)


def kernel(name, sig, workgroup, T, BM, BN, KT, loads, out, stages, lag, epilogue="direct",
           release=None):
    """A wgmma K loop: `loads` fill %SA and %SB for K step %k, the math
    accumulates, and the epilogue stores the BM x BN tile of fragment %FC
    at %o, a tl.region of the output that `out` names: directly
    (`epilogue="direct"`: each thread's f16 pairs), or through a 128-byte
    swizzled f16 tile %SC in shared memory whose rows go out as 16-byte
    vectors (`"shared"`). `release` sets the loop's tl.stage_release
    (default: tl's choice, empty mbarriers for these TMA loops)."""
    S = struct_type(BN)
    FC = f"memref<{BM}x{BN}xf32, #tl.fragment>"
    SC = f"memref<{BM}x{BN}xf16, #gpu.address_space<workgroup>>"
    if epilogue == "shared":
        workgroup = f"%SC: {SC} {{tl.swizzle = 128 : i64}}, " + workgroup
        store = (f'      "tl.copy"(%FC, %SC) : ({FC}, {SC}) -> ()\n'
                 f'      "tl.copy"(%SC, %o) : ({SC}, !tl.buffer_region) -> ()\n')
    else:
        store = f'      "tl.copy"(%FC, %o) : ({FC}, !tl.buffer_region) -> ()\n'
    SA = f"memref<{BM}x{BK}xf16, #gpu.address_space<workgroup>>"
    SB = f"memref<{BN}x{BK}xf16, #gpu.address_space<workgroup>>"
    consts = "".join(f"      %c{v} = arith.constant {v} : index\n"
                     for v in sorted({0, 1, 16, 32, 48, BK, BM, BN, 128}))
    res = "".join(f"      %e{i} = llvm.extractvalue %res[{i}] : {S}\n" for i in range(BN // 2))
    res += ("      %v = vector.from_elements " + ", ".join(f"%e{i}" for i in range(BN // 2))
            + f" : vector<{BN // 2}xf32>\n"
            f'      "tl.fragment_write"(%FC, %v) {{offset = 0 : i64}} : ({FC}, vector<{BN // 2}xf32>) -> ()\n')
    lagAttr = f", tl.reads_in_flight = {lag} : i64" if lag else ""
    if release:
        lagAttr += f', tl.stage_release = "{release}"'
    return header(name, "sm_90a") + f'''    gpu.func @{sig[0]}({sig[1]})
        workgroup({workgroup})
        kernel attributes {{known_block_size = array<i32: {T}, 1, 1>}} {{
{consts}      %cKT = arith.constant {KT} : index
      %zero = llvm.mlir.zero : {S}
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %tid = gpu.thread_id x
      %wg = arith.divui %tid, %c128 : index
      %arow = arith.muli %wg, %c64 : index
      %m0 = arith.muli %by, %c{BM} : index
      %n0 = arith.muli %bx, %c{BN} : index
      %FC = memref.alloca() {{tl.mma_accumulator = "m64n{BN}k16"}} : {FC}
      %res = scf.for %k = %c0 to %cKT step %c1 iter_args(%acc = %zero) -> ({S}) {{
        %k0 = arith.muli %k, %c{BK} : index
{loads}{mma_steps(SA, SB, BN, lag)}      }} {{tl.num_stages = {stages} : i64{lagAttr}}}
      nvvm.wgmma.wait.group.sync.aligned 0
{res}{out}{store}      gpu.return
    }}
  }}
}}
'''


def wgmma_kernel(name, M, N, K, BN=128, G=2, stages=4, lag=0, release=None):
    BM, T, KT = 64 * G, 128 * G, -(-K // BK)
    A, Bt, C = f"memref<{M}x{K}xf16>", f"memref<{N}x{K}xf16>", f"memref<{M}x{N}xf16>"
    SA = f"memref<{BM}x{BK}xf16, #gpu.address_space<workgroup>>"
    SB = f"memref<{BN}x{BK}xf16, #gpu.address_space<workgroup>>"
    R = "!tl.buffer_region"
    loads = (f'        %a = "tl.region"(%A, %m0, %k0) {{access = 1 : i32, extents = array<i64: {BM}, {BK}>}} '
             f": ({A}, index, index) -> {R}\n"
             f'        "tl.copy"(%a, %SA) : ({R}, {SA}) -> ()\n'
             f'        %b = "tl.region"(%Bt, %n0, %k0) {{access = 1 : i32, extents = array<i64: {BN}, {BK}>}} '
             f": ({Bt}, index, index) -> {R}\n"
             f'        "tl.copy"(%b, %SB) : ({R}, {SB}) -> ()\n')
    out = (f'      %o = "tl.region"(%C, %m0, %n0) {{access = 2 : i32, extents = array<i64: {BM}, {BN}>}} '
           f": ({C}, index, index) -> {R}\n")
    return kernel(name, ("gemm", f"%A: {A}, %Bt: {Bt}, %C: {C}"), f"%SA: {SA}, %SB: {SB}",
                  T, BM, BN, KT, loads, out, stages, lag, release=release)


def gemm(c):
    BN, G = c.get("BN", 128), c.get("G", 2)
    return (wgmma_kernel(c["name"], c["M"], c["N"], c["K"], BN, G, c.get("stages", 4), c.get("lag", 0),
                         c.get("release")),
            gen_gemm.gemm_harness(c["M"], c["N"], c["K"], 64 * G, BN))


def register(g):
    """Binds gen.py's helpers and appends this file's cases to its CASES."""
    globals()["header"] = g.header
    # Shapes that are not multiples of the tiles (M, N, K = 1000), small
    # ones, one warpgroup and two, n-tiles of 64, 128 and 256.
    g.add(gemm, name="gemm_wgmma_f16_1000x1000x1000", M=1000, N=1000, K=1000)
    g.add(gemm, name="gemm_wgmma_f16_130x70x72_g1_n64", M=130, N=70, K=72, G=1, BN=64)
    g.add(gemm, name="gemm_wgmma_f16_256x512x320_n256", M=256, N=512, K=320, BN=256, stages=3)
    # tl.reads_in_flight: one wgmma group left in flight per iteration
    # (wait_group 1), and two with 4 stages (one stage filling at a time).
    g.add(gemm, name="gemm_wgmma_f16_1000x1000x1000_lag1", M=1000, N=1000, K=1000, lag=1)
    g.add(gemm, name="gemm_wgmma_f16_520x260x1000_lag2", M=520, N=260, K=1000, lag=2)
    # Three warpgroups (384 threads, 192-row tiles): the accumulator's thread
    # map is a sum over the thread id's bits for a non-power-of-two count.
    g.add(gemm, name="gemm_wgmma_f16_400x200x320_g3_n64", M=400, N=200, K=320, G=3, BN=64, stages=3,
          lag=1)
    # The stages released on empty mbarriers (tl.stage_release, docs/pipeline.md).
    g.add(gemm, name="gemm_wgmma_f16_1000x1000x1000_lag1_mbarrier", M=1000, N=1000, K=1000, lag=1,
          release="mbarrier")


EXAMPLE_HEAD = """// A Hopper GEMM whose data movement is tl and whose math is wgmma (issue 18,
// docs/mma-interop.md): C = A Bt^T, A 512 x 512 and Bt 512 x 512 f16 (both
// K-major), C 512 x 512 f16, f32 accumulation, sm_90a.
//
// A block of 2 warpgroups (256 threads) computes a 128 x 256 tile of C. Each
// K step of 64: the A and Bt tiles go global -> shared by tl.copy, pipelined
// over 4 stages (TMA, 128-byte swizzled: tl-infer-layouts gives the buffers
// the swizzle their descriptors need); four k16 steps, each a
// tl.wgmma_descriptor of warpgroup g's 64 rows of A (g = tid / 128) and one
// of all of Bt, feeding nvvm.wgmma.mma_async m64n256k16 with the
// loop-carried accumulator (an llvm struct of 128 f32); then
// wgmma.wait_group 1: one group runs on into the next iteration, which
// tl.reads_in_flight = 1 tells tl-pipeline (a stage is refilled one
// iteration later: docs/pipeline.md; 0.84-0.92x cuBLAS on the H200 where
// wait_group 0 gave 0.75x, docs/performance.md). After the
// loop the accumulator goes into %FC, which asks tl-infer-layouts for wgmma's
// D layout (tl.mma_accumulator = "m64n256k16"), and one tl.copy stores the
// tile with the f32 -> f16 cast.
//
// Generated by `python3 test/GPU/gen_wgmma.py --example` (test/Examples/
// gemm-sm90-example.test keeps the two in sync); checked on the GPU by
// the GPU suite with the generator's harness (example_harness).
"""


def example_harness():
    """The GPU suite's harness of examples/gemm_sm90.mlir."""
    return gen_gemm.gemm_harness(512, 512, 512, 128, 256)


def example():
    """examples/gemm_sm90.mlir."""
    import gen  # noqa: E402  (test/GPU/gen.py: header)
    globals()["header"] = gen.header
    return EXAMPLE_HEAD + wgmma_kernel("gemm_sm90", 512, 512, 512, BN=256, G=2, stages=4, lag=1)


if __name__ == "__main__":
    import os
    import sys
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    if sys.argv[1:] == ["--example"]:
        sys.stdout.write(example())
