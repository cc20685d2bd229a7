"""The GPU-suite cases of an implicit-GEMM forward convolution on Hopper
whose data movement is tl and whose math is wgmma (issue 18;
docs/mma-interop.md): NHWC f16 image N x H x W x C, weights F x (KH KW C)
f16 (OHWI flattened, K-major: column (kh KW + kw) C + c, im2col's order),
output (N OH OW) x F f16 (NHWC), f32 accumulation, sm_90a.

It is test/GPU/gen_wgmma.py's kernel with the A tile made by
`tl.c2d_im2col` (nhw_step = the block's row of tiles, c_step = the K step):
pipelined by tl-pipeline, so a split-phase im2col, TMA im2col by default,
into a 128-byte-swizzled column tile (the swizzle the tile's wgmma
descriptors ask for; TMA im2col writes one pixel's BK = 64 channels as one
swizzle row). C must be a multiple of BK = 64 there (TMA im2col's rule:
each K step is one (kh, kw)); the SIMT variant (`simt=True`: disable_tma
on the im2col) takes any C: the threads write the tile through the
swizzle, zeros past KH KW C, and its tl.wait fences the writes for wgmma.
The weights come by TMA, like the GEMM's Bᵀ.

The check is gen_gemm.py's bound, 2^-10 |ref| + 2 K 2^-24 sum |a b| with
K = KH KW C, against a double-precision direct convolution on the CPU
(padding reads zeros). Imported by test/GPU/gen.py, whose helpers
register() binds here."""

import gen_wgmma

BK = gen_wgmma.BK


def out_size(n, k, s, p):
    return (n + 2 * p - k) // s + 1


def conv_kernel(name, N, H, W, C, F, Kk, S, P, BN=128, G=2, stages=4, lag=0, simt=False,
                epilogue="direct", release=None):
    assert simt or C % BK == 0, "TMA im2col needs C a multiple of BK"
    OH, OW = out_size(H, Kk, S, P), out_size(W, Kk, S, P)
    M, KG, BM, T = N * OH * OW, Kk * Kk * C, 64 * G, 128 * G
    # SIMT (disable_tma): any C; the last K tile's columns past KG are
    # written with zeros, the weights' by TMA's out-of-bounds fill.
    simtAttr = ", disable_tma" if simt else ""
    Img, Wt = f"memref<{N}x{H}x{W}x{C}xf16>", f"memref<{F}x{KG}xf16>"
    Out = f"memref<{M}x{F}xf16>"
    SA = f"memref<{BM}x{BK}xf16, #gpu.address_space<workgroup>>"
    SB = f"memref<{BN}x{BK}xf16, #gpu.address_space<workgroup>>"
    R = "!tl.buffer_region"
    loads = (f'        "tl.c2d_im2col"(%Img, %SA, %by, %k) {{kernel = {Kk} : i64, stride = {S} : i64, '
             f"dilation = 1 : i64, pad = {P} : i64{simtAttr}}} : ({Img}, {SA}, index, index) -> ()\n"
             f'        %b = "tl.region"(%Wt, %n0, %k0) {{access = 1 : i32, extents = array<i64: {BN}, {BK}>}} '
             f": ({Wt}, index, index) -> {R}\n"
             f'        "tl.copy"(%b, %SB) : ({R}, {SB}) -> ()\n')
    out = (f'      %o = "tl.region"(%Out, %m0, %n0) {{access = 2 : i32, extents = array<i64: {BM}, {BN}>}} '
           f": ({Out}, index, index) -> {R}\n")
    return gen_wgmma.kernel(name, ("conv", f"%Img: {Img}, %Wt: {Wt}, %Out: {Out}"),
                            f"%SA: {SA}, %SB: {SB}", T, BM, BN, -(-KG // BK), loads, out,
                            stages, lag, epilogue, release)


def persistent_conv_kernel(name, N, H, W, C, F, Kk, S, P, BN=128, G=2, stages=4, lag=1, grid=132,
                           epilogue="direct", release=None):
    """conv_kernel made persistent: `grid` blocks walk the output tiles
    (tile t = block + j grid, row t / NT, column t % NT) in one loop over
    (tile, K step), so tl-pipeline's loads run ahead across tiles: the next
    tile's first stages load during this tile's last steps and epilogue.
    The accumulator restarts from zero at K step 0 (llvm.select) and the
    epilogue runs at the last K step; tiles past the last one (the grid does
    not divide the tile count) load nothing and store nothing (their rows
    are past M: im2col's tile guard and the store's bounds checks)."""
    OH, OW = out_size(H, Kk, S, P), out_size(W, Kk, S, P)
    M, KG, BM = N * OH * OW, Kk * Kk * C, 64 * G
    KT, NT = -(-KG // BK), -(-F // BN)
    per = -(-(-(-M // BM) * NT) // grid)
    k = conv_kernel(name, N, H, W, C, F, Kk, S, P, BN=BN, G=G, stages=stages, lag=lag,
                    epilogue=epilogue, release=release)
    St, last = gen_wgmma.struct_type(BN), f"%d{BK // 16 - 1}"
    loop = f"%res = scf.for %k = %c0 to %cKT step %c1 iter_args(%acc = %zero) -> ({St}) {{\n"
    assert loop in k
    k = k.replace(loop, (
        f"%cIT = arith.constant {per * KT} : index\n      %cNT = arith.constant {NT} : index\n"
        f"      %cGRID = arith.constant {grid} : index\n      %cKT1 = arith.constant {KT - 1} : index\n"
        f"      %res = scf.for %it = %c0 to %cIT step %c1 iter_args(%accIn = %zero) -> ({St}) {{\n"
        "        %k = arith.remui %it, %cKT : index\n        %tt = arith.divui %it, %cKT : index\n"
        "        %tg = arith.muli %tt, %cGRID : index\n        %t = arith.addi %bx, %tg : index\n"
        "        %by = arith.divui %t, %cNT : index\n        %bn = arith.remui %t, %cNT : index\n"
        f"        %m0 = arith.muli %by, %c{BM} : index\n        %n0 = arith.muli %bn, %c{BN} : index\n"
        "        %first = arith.cmpi eq, %k, %c0 : index\n"
        f"        %acc = llvm.select %first, %zero, %accIn : i1, {St}\n"))
    origin = f"      %m0 = arith.muli %by, %c{BM} : index\n      %n0 = arith.muli %bx, %c{BN} : index\n"
    assert origin in k
    k = k.replace("      %by = gpu.block_id y\n", "").replace(origin, "")
    a, b = k.index("      nvvm.wgmma.wait.group.sync.aligned 0\n"), k.index("      gpu.return")
    epi = "".join("    " + line + "\n" for line in k[a:b].replace("%res[", f"{last}[").splitlines())
    k = k[:a] + k[b:]
    yld = f"        scf.yield {last} : {St}\n"
    assert yld in k
    return k.replace(yld, "        %last = arith.cmpi eq, %k, %cKT1 : index\n        scf.if %last {\n"
                     + epi + "        }\n" + yld)


def conv_harness(N, H, W, C, F, Kk, S, P, BM, BN, grid=0):
    OH, OW = out_size(H, Kk, S, P), out_size(W, Kk, S, P)
    M, KG = N * OH * OW, Kk * Kk * C
    grid_dims = (f"{{{grid}, 1, 1}}" if grid else
                 f"{{({F} + {BN - 1}) / {BN}, ({M} + {BM - 1}) / {BM}, 1}}")
    return f'''
  size_t nI = (size_t){N} * {H} * {W} * {C}, nW = (size_t){F} * {KG}, nO = (size_t){M} * {F};
  uint16_t *img = malloc(nI * 2), *wt = malloc(nW * 2), *got = malloc(nO * 2);
  for (size_t i = 0; i < nI; ++i) img[i] = floatToHalf(randomFloat() / 4.0f);
  for (size_t i = 0; i < nW; ++i) wt[i] = floatToHalf(randomFloat() / 4.0f);
  uint64_t dI = deviceFrom(img, nI * 2), dW = deviceFrom(wt, nW * 2), dO = devicePoisoned(nO * 2);
  tlrt_dim3 grid = {grid_dims};
  CHECK(tl_launch_conv(NULL, grid, dI, dW, dO));
  CHECK(tlrtSynchronize());
  CHECK(tlrtCopyToHost(got, dO, nO * 2));
  size_t bad = 0;
  double worst = 0;
  for (size_t m = 0; m < {M}; ++m) {{
    size_t n = m / ({OH} * {OW}), oh = m / {OW} % {OH}, ow = m % {OW};
    for (size_t f = 0; f < {F}; ++f) {{
      double ref = 0, mag = 0;
      for (int kh = 0; kh < {Kk}; ++kh)
        for (int kw = 0; kw < {Kk}; ++kw) {{
          long h = (long)oh * {S} + kh - {P}, w = (long)ow * {S} + kw - {P};
          if (h < 0 || h >= {H} || w < 0 || w >= {W}) continue;
          for (size_t c = 0; c < {C}; ++c) {{
            double p = (double)halfToFloat(img[((n * {H} + h) * {W} + w) * {C} + c]) *
                       (double)halfToFloat(wt[f * {KG} + (kh * {Kk} + kw) * {C} + c]);
            ref += p;
            mag += p < 0 ? -p : p;
          }}
        }}
      checkMma("out", m, f, halfToFloat(got[m * {F} + f]), ref, mag, {KG}, &bad, &worst);
    }}
  }}
  return reportMma(bad, nO, worst);
'''


def conv(c):
    BN, G = c.get("BN", 128), c.get("G", 2)
    geo = [c[k] for k in ("N", "H", "W", "C", "F", "K", "S", "P")]
    if c.get("grid"):
        return (persistent_conv_kernel(c["name"], *geo, BN=BN, G=G, stages=c.get("stages", 4),
                                       lag=c.get("lag", 1), grid=c["grid"],
                                       epilogue=c.get("epilogue", "direct"),
                                       release=c.get("release")),
                conv_harness(*geo, 64 * G, BN, grid=c["grid"]))
    return (conv_kernel(c["name"], *geo, BN=BN, G=G, stages=c.get("stages", 4), lag=c.get("lag", 0),
                        simt=c.get("simt", False), epilogue=c.get("epilogue", "direct"),
                        release=c.get("release")),
            conv_harness(*geo, 64 * G, BN))


def register(g):
    """Binds gen.py's helpers and appends this file's cases to its CASES."""
    # Odd H and W, F not a multiple of the tile, stride 2, one warpgroup.
    g.add(conv, name="conv_wgmma_n2h15w15c64f160_k3s1p1", N=2, H=15, W=15, C=64, F=160, K=3, S=1, P=1)
    g.add(conv, name="conv_wgmma_n2h13w13c128f64_k3s2p1_g1", N=2, H=13, W=13, C=128, F=64, K=3, S=2,
          P=1, G=1, BN=64)
    g.add(conv, name="conv_wgmma_n3h9w11c64f256_k3s1p0_n256", N=3, H=9, W=11, C=64, F=256, K=3, S=1,
          P=0, BN=256, stages=3)
    # The SIMT im2col variant: C not a multiple of BK (the last K tile is
    # partial), odd H and W, stride 2, reads in flight.
    g.add(conv, name="conv_wgmma_simt_n2h15w13c40f160_k3s1p1", N=2, H=15, W=13, C=40, F=160, K=3, S=1,
          P=1, simt=True)
    g.add(conv, name="conv_wgmma_simt_n3h11w9c96f64_k3s2p1_g1", N=3, H=11, W=9, C=96, F=64, K=3, S=2,
          P=1, G=1, BN=64, simt=True, lag=1)
    g.add(conv, name="conv_wgmma_simt_n2h9w9c64f128_k3s1p1", N=2, H=9, W=9, C=64, F=128, K=3, S=1,
          P=1, simt=True)
    # The epilogue through a swizzled shared tile (16-byte row stores).
    # Persistent: 7 blocks over 30 tiles (a partial last round), and 5 over
    # 2 x 13 x 13 stride-2 tiles of one warpgroup.
    g.add(conv, name="conv_wgmma_persistent_n2h15w15c64f160_k3s1p1", N=2, H=15, W=15, C=64, F=160, K=3,
          S=1, P=1, BN=64, stages=3, lag=1, grid=7)
    g.add(conv, name="conv_wgmma_persistent_n2h13w13c128f64_k3s2p1_g1", N=2, H=13, W=13, C=128, F=64,
          K=3, S=2, P=1, G=1, BN=64, stages=4, lag=1, grid=5, epilogue="shared")
    g.add(conv, name="conv_wgmma_n2h15w15c64f160_k3s1p1_epi_shared", N=2, H=15, W=15, C=64, F=160, K=3,
          S=1, P=1, BN=64, stages=3, lag=1, epilogue="shared")
    # Three warpgroups (192-row tiles), the direct and the shared epilogue.
    g.add(conv, name="conv_wgmma_n2h15w15c64f160_k3s1p1_g3", N=2, H=15, W=15, C=64, F=160, K=3, S=1,
          P=1, G=3, BN=64, stages=3, lag=1)
    g.add(conv, name="conv_wgmma_n4h15w13c128f128_k3s2p1_g3_epi_shared", N=4, H=15, W=13, C=128, F=128,
          K=3, S=2, P=1, G=3, BN=128, stages=3, lag=1, epilogue="shared")
    # The stages released on empty mbarriers (tl.stage_release, docs/pipeline.md):
    # TMA im2col and TMA weights, one block per tile and persistent.
    g.add(conv, name="conv_wgmma_n2h13w13c128f64_k3s2p1_g1_mbarrier", N=2, H=13, W=13, C=128, F=64,
          K=3, S=2, P=1, G=1, BN=64, stages=3, lag=1, release="mbarrier")
    g.add(conv, name="conv_wgmma_persistent_n2h15w15c64f160_k3s1p1_mbarrier", N=2, H=15, W=15, C=64,
          F=160, K=3, S=1, P=1, BN=64, stages=3, lag=1, grid=7, release="mbarrier")


EXAMPLE = dict(N=2, H=16, W=16, C=64, F=128, K=3, S=1, P=1)
EXAMPLE_HEAD = """// An implicit-GEMM forward convolution whose data movement is tl and whose
// math is wgmma (issue 18, docs/mma-interop.md): NHWC f16 image 2 x 16 x 16 x
// 64, 3x3 weights 128 x 576 (OHWI flattened, K-major), stride 1, pad 1,
// output 512 x 128 (NHWC), f32 accumulation, sm_90a.
//
// test/GPU/gen_wgmma.py's GEMM with the A tile made by tl.c2d_im2col: a
// block of 2 warpgroups computes a 128 x 128 tile; each K step of 64 (one
// (kh, kw), 64 channels) fills the column tile %SA by TMA im2col and the
// weight tile %SB by TMA, pipelined over 4 stages, both 128-byte swizzled
// (the swizzle their wgmma descriptors ask for: one pixel's 64 channels are
// one swizzle row); four k16 steps of nvvm.wgmma.mma_async m64n128k16; the
// epilogue is one tl.copy of the accumulator fragment with the f32 -> f16
// cast.
//
// Generated by `python3 test/GPU/gen_conv90.py --example` (test/Examples/
// conv-sm90-example.test keeps the two in sync); checked on the GPU by
// the GPU suite with the generator's harness (example_harness).
"""


def example_harness():
    """The GPU suite's harness of examples/conv_sm90.mlir."""
    e = EXAMPLE
    return conv_harness(e["N"], e["H"], e["W"], e["C"], e["F"], e["K"], e["S"], e["P"], 128, 128)


def example():
    """examples/conv_sm90.mlir."""
    import gen  # noqa: E402  (test/GPU/gen.py: header)
    gen_wgmma.header = gen.header
    e = EXAMPLE
    return EXAMPLE_HEAD + conv_kernel("conv_sm90", e["N"], e["H"], e["W"], e["C"], e["F"],
                                      e["K"], e["S"], e["P"])


if __name__ == "__main__":
    import os
    import sys
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    if sys.argv[1:] == ["--example"]:
        sys.stdout.write(example())
