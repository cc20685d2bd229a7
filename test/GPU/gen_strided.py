"""The GPU-suite cases of operands with a leading dimension (issue 18, item
1): kernel memrefs `memref<M x N x t, strided<[LD, 1]>>`, an M x N view of
an M x LD matrix, copied global -> shared -> global with the tile's rows LD
(and LDB on the output) elements apart. TMA keeps the leading dimension in
the tensor map (before, such a copy fell back to SIMT); SIMT addresses
through the layout. The input is fresh random data, the output matrix
(M x LDB) poisoned: the columns N..LDB of each output row must stay
poisoned, the others equal the input's. Imported by test/GPU/gen.py, whose
helpers register() binds here and whose CASES it extends."""

# gen.py's helpers, bound by register().
region_tile_kernel = CTYPE = RANDOM = None


def strided_copy(c):
    M, N, LD, LDB, BM, BN, T, t = (c[k] for k in ("M", "N", "LD", "LDB", "BM", "BN", "T", "t"))
    A = f"memref<{M}x{N}x{t}, strided<[{LD}, 1]>>"
    B = f"memref<{M}x{N}x{t}, strided<[{LDB}, 1]>>"
    S = f"memref<{BM}x{BN}x{t}, #gpu.address_space<workgroup>>"
    mlir = region_tile_kernel(dict(c, chip="sm_90a"), A, B, S, c["load"], c["store"])
    harness = f'''
  size_t nA = (size_t){M} * {LD}, nB = (size_t){M} * {LDB};
  {CTYPE[t]} *a = malloc(nA * sizeof *a), *want = malloc(nB * sizeof *want), *got = malloc(nB * sizeof *got);
  for (size_t i = 0; i < nA; ++i) a[i] = {RANDOM[t]};
  memset(want, 0xA5, nB * sizeof *want);
  for (size_t r = 0; r < {M}; ++r)
    for (size_t q = 0; q < {N}; ++q) want[r * {LDB} + q] = a[r * {LD} + q];
  uint64_t dA = deviceFrom(a, nA * sizeof *a), dB = devicePoisoned(nB * sizeof *got);
  tlrt_dim3 grid = {{({N} + {BN} - 1) / {BN}, ({M} + {BM} - 1) / {BM}, 1}};
  CHECK(tl_launch_kernel(NULL, grid, dA, dB));
  CHECK(tlrtSynchronize());
  CHECK(tlrtCopyToHost(got, dB, nB * sizeof *got));
  return compareExact(got, want, nB, sizeof *got);
'''
    return mlir, harness


TMA = "{annotations = {use_tma = true}}"
SIMT = "{disable_tma}"


def register(g):
    """Binds gen.py's helpers and appends this file's cases to its CASES."""
    for name in ("region_tile_kernel", "CTYPE", "RANDOM"):
        globals()[name] = getattr(g, name)
    add = g.add
    # TMA both ways, tiles that divide the view; tiles hanging over its
    # edges (TMA's bounds: zero fill on the load, clipped stores); SIMT.
    add(strided_copy, name="ld_tma_f16_512x256_ld384_ldb320", M=512, N=256, LD=384, LDB=320,
        BM=64, BN=64, T=128, t="f16", load=TMA, store=TMA)
    add(strided_copy, name="ld_tma_f32_1000x200_ld264_ldb236_edge", M=1000, N=200, LD=264, LDB=236,
        BM=64, BN=64, T=128, t="f32", load=TMA, store=TMA)
    add(strided_copy, name="ld_simt_f16_512x256_ld384_ldb320", M=512, N=256, LD=384, LDB=320,
        BM=64, BN=64, T=128, t="f16", load=SIMT, store=SIMT)
