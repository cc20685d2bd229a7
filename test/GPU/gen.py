#!/usr/bin/env python3
"""Generates the GPU test cases: for each case a kernel (.mlir, compiled to a
C launcher by tl-opt) and a harness (.c) that runs it on fresh random data
with the output poisoned and compares it exactly with a CPU reference.

usage: gen.py OUTDIR  -> OUTDIR/<case>.mlir, OUTDIR/<case>.c, OUTDIR/cases.txt
"""
import os
import sys

CTYPE = {"f32": "float", "f16": "uint16_t", "bf16": "uint16_t",
         "i8": "int8_t", "i32": "int32_t"}
SIZE = {"f32": 4, "f16": 2, "bf16": 2, "i8": 1, "i32": 4}

# C expressions: a random value of the type; value -> float (or int);
# float (or int) -> value. Casts follow the GPU's: round to nearest even
# for narrowing floats, truncation toward zero for float -> int.
RANDOM = {"f32": "randomFloat()", "f16": "floatToHalf(randomFloat())",
          "bf16": "floatToBF16(randomFloat())",
          "i8": "(int8_t)nextRandom()", "i32": "(int32_t)nextRandom()"}
TO_WIDE = {"f32": "(double)({})", "f16": "(double)halfToFloat({})",
           "bf16": "(double)bf16ToFloat({})", "i8": "(double)({})",
           "i32": "(double)({})"}
FROM_WIDE = {"f32": "(float)({})", "f16": "floatToHalf((float)({}))",
             "bf16": "floatToBF16((float)({}))", "i8": "(int8_t)({})",
             "i32": "(int32_t)({})"}


def cast_expr(src, dst, x):
    if src == dst:
        return x
    if src.startswith("i") and dst.startswith("i"):
        return "({}){}".format(CTYPE[dst], x)  # sign-extend / truncate
    return FROM_WIDE[dst].format(TO_WIDE[src].format(x))


def memref(shape, t, space=None):
    s = "memref<{}x{}".format("x".join(str(d) for d in shape), t)
    return s + (", {}>".format(space) if space else ">")


SHARED = "#gpu.address_space<workgroup>"
FRAG = "#tl.fragment"


def header(name, chip):
    return ('module attributes {{gpu.container_module}} {{\n'
            '  gpu.module @{} [#nvvm.target<chip = "{}">] {{\n').format(name, chip)


def tile_copy(c):
    """global -> shared (head address) -> global (explicit region)."""
    M, N, BM, BN, T = c["M"], c["N"], c["BM"], c["BN"], c["T"]
    s, d = c["src"], c["dst"]
    A, B, S = memref([M, N], s), memref([M, N], d), memref([BM, BN], s, SHARED)
    attrs = c.get("attrs", "")
    mlir = header(c["name"], c.get("chip", "sm_90a")) + f'''    gpu.func @kernel(%A: {A}, %B: {B})
        workgroup(%S: {S})
        kernel attributes {{known_block_size = array<i32: {T}, 1, 1>}} {{
      %cbm = arith.constant {BM} : index
      %cbn = arith.constant {BN} : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %cbm : index
      %j = arith.muli %bx, %cbn : index
      %a = "tl.region"(%A, %i, %j) {{access = 1 : i32}} : ({A}, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) {attrs} : (!tl.buffer_region, {S}) -> ()
      %b = "tl.region"(%B, %i, %j) {{access = 2 : i32, extents = array<i64: {BM}, {BN}>}} : ({B}, index, index) -> !tl.buffer_region
      "tl.copy"(%S, %b) : ({S}, !tl.buffer_region) -> ()
      gpu.return
    }}
  }}
}}
'''
    grid = f"({N} + {BN} - 1) / {BN}, ({M} + {BM} - 1) / {BM}, 1"
    return mlir, copy_harness(M, N, s, d, grid)


def copy_harness(M, N, s, d, grid):
    """The harness of a kernel(A, B) that copies an M x N matrix of s into one
    of d (with the cast), launched on `grid` ("x, y, z"): fresh random input,
    poisoned output, exact comparison."""
    return f'''
  size_t n = (size_t){M} * {N};
  {CTYPE[s]} *a = malloc(n * sizeof *a);
  {CTYPE[d]} *want = malloc(n * sizeof *want), *got = malloc(n * sizeof *got);
  for (size_t i = 0; i < n; ++i) a[i] = {RANDOM[s]};
  for (size_t i = 0; i < n; ++i) want[i] = {cast_expr(s, d, "a[i]")};
  uint64_t dA = deviceFrom(a, n * sizeof *a), dB = devicePoisoned(n * sizeof *got);
  tlrt_dim3 grid = {{{grid}}};
  CHECK(tl_launch_kernel(NULL, grid, dA, dB));
  CHECK(tlrtSynchronize());
  CHECK(tlrtCopyToHost(got, dB, n * sizeof *got));
  return compareExact(got, want, n, sizeof *got);
'''


def fragment(c):
    """global -> fragment -> global (with a cast)."""
    M, N, BM, BN, T = c["M"], c["N"], c["BM"], c["BN"], c["T"]
    s, d = c["src"], c["dst"]
    A, B, F = memref([M, N], s), memref([M, N], d), memref([BM, BN], s, FRAG)
    mlir = header(c["name"], c.get("chip", "sm_90a")) + f'''    gpu.func @kernel(%A: {A}, %B: {B})
        kernel attributes {{known_block_size = array<i32: {T}, 1, 1>}} {{
      %cbm = arith.constant {BM} : index
      %cbn = arith.constant {BN} : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %cbm : index
      %j = arith.muli %bx, %cbn : index
      %F = memref.alloca() : {F}
      %a = "tl.region"(%A, %i, %j) {{access = 1 : i32, extents = array<i64: {BM}, {BN}>}} : ({A}, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %F) : (!tl.buffer_region, {F}) -> ()
      %b = "tl.region"(%B, %i, %j) {{access = 2 : i32, extents = array<i64: {BM}, {BN}>}} : ({B}, index, index) -> !tl.buffer_region
      "tl.copy"(%F, %b) : ({F}, !tl.buffer_region) -> ()
      gpu.return
    }}
  }}
}}
'''
    return mlir, tile_copy(c)[1]


def unit_dim(c):
    """A[i, 2, j : BM x 1 x BN] (rank 3) -> shared BM x BN -> B (rank 2)."""
    M, N, BM, BN, T, s = c["M"], c["N"], c["BM"], c["BN"], c["T"], c["src"]
    A, B, S = memref([M, 4, N], s), memref([M, N], s), memref([BM, BN], s, SHARED)
    mlir = header(c["name"], c.get("chip", "sm_90a")) + f'''    gpu.func @kernel(%A: {A}, %B: {B})
        workgroup(%S: {S})
        kernel attributes {{known_block_size = array<i32: {T}, 1, 1>}} {{
      %c2 = arith.constant 2 : index
      %cbm = arith.constant {BM} : index
      %cbn = arith.constant {BN} : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %cbm : index
      %j = arith.muli %bx, %cbn : index
      %a = "tl.region"(%A, %i, %c2, %j) {{access = 1 : i32, extents = array<i64: {BM}, 1, {BN}>}} : ({A}, index, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) : (!tl.buffer_region, {S}) -> ()
      %b = "tl.region"(%B, %i, %j) {{access = 2 : i32}} : ({B}, index, index) -> !tl.buffer_region
      "tl.copy"(%S, %b) : ({S}, !tl.buffer_region) -> ()
      gpu.return
    }}
  }}
}}
'''
    harness = f'''
  size_t n = (size_t){M} * {N};
  {CTYPE[s]} *a = malloc(4 * n * sizeof *a), *want = malloc(n * sizeof *a), *got = malloc(n * sizeof *a);
  for (size_t i = 0; i < 4 * n; ++i) a[i] = {RANDOM[s]};
  for (size_t i = 0; i < {M}; ++i)
    for (size_t j = 0; j < {N}; ++j) want[i * {N} + j] = a[(i * 4 + 2) * {N} + j];
  uint64_t dA = deviceFrom(a, 4 * n * sizeof *a), dB = devicePoisoned(n * sizeof *got);
  tlrt_dim3 grid = {{({N} + {BN} - 1) / {BN}, ({M} + {BM} - 1) / {BM}, 1}};
  CHECK(tl_launch_kernel(NULL, grid, dA, dB));
  CHECK(tlrtSynchronize());
  CHECK(tlrtCopyToHost(got, dB, n * sizeof *got));
  return compareExact(got, want, n, sizeof *got);
'''
    return mlir, harness


def pair(v):
    return v if isinstance(v, tuple) else (v, v)


def attr(v):
    h, w = pair(v)
    return f"{h} : i64" if h == w else f"array<i64: {h}, {w}>"


def im2col_geometry(c):
    """An im2col case's shapes: the column matrix M x K, the tile BM x BK
    (BM capped: a tile may not be larger than the whole column matrix,
    tl-verify), and the memref types of the image, column matrix and tile."""
    N, H, W, C, t = c["N"], c["H"], c["W"], c["C"], c["dtype"]
    (KH, KW), (SH, SW) = pair(c["K"]), pair(c["S"])
    (PH, PW), (DH, DW) = pair(c["P"]), pair(c["D"])
    OH = (H + 2 * PH - DH * (KH - 1) - 1) // SH + 1
    OW = (W + 2 * PW - DW * (KW - 1) - 1) // SW + 1
    M, K = N * OH * OW, KH * KW * C
    BM, BK = min(c["BM"], 32 if M < 64 else 64), c["BK"]
    return (M, K, BM, BK, memref([N, H, W, C], t), memref([M, K], t),
            memref([BM, BK], t, SHARED))


def im2col(c):
    """NHWC image -> shared (BM x BK) column tile -> global column matrix."""
    N, H, W, C, t = c["N"], c["H"], c["W"], c["C"], c["dtype"]
    (KH, KW), (SH, SW) = pair(c["K"]), pair(c["S"])
    (PH, PW), (DH, DW) = pair(c["P"]), pair(c["D"])
    OH = (H + 2 * PH - DH * (KH - 1) - 1) // SH + 1
    OW = (W + 2 * PW - DW * (KW - 1) - 1) // SW + 1
    M, K, BM, BK, Img, Col, S = im2col_geometry(c)
    T = c["T"]
    mlir = header(c["name"], c.get("chip", "sm_90a")) + f'''    gpu.func @kernel(%Img: {Img}, %Col: {Col})
        workgroup(%S: {S})
        kernel attributes {{known_block_size = array<i32: {T}, 1, 1>}} {{
      %cbm = arith.constant {BM} : index
      %cbk = arith.constant {BK} : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      "tl.c2d_im2col"(%Img, %S, %bx, %by) {{kernel = {attr(c["K"])}, stride = {attr(c["S"])}, dilation = {attr(c["D"])}, pad = {attr(c["P"])}}} : ({Img}, {S}, index, index) -> ()
      %m = arith.muli %bx, %cbm : index
      %k = arith.muli %by, %cbk : index
      %dst = "tl.region"(%Col, %m, %k) {{access = 2 : i32, extents = array<i64: {BM}, {BK}>}} : ({Col}, index, index) -> !tl.buffer_region
      "tl.copy"(%S, %dst) : ({S}, !tl.buffer_region) -> ()
      gpu.return
    }}
  }}
}}
'''
    harness = f'''
  size_t nImg = (size_t){N} * {H} * {W} * {C}, n = (size_t){M} * {K};
  {CTYPE[t]} *img = malloc(nImg * sizeof *img), *want = malloc(n * sizeof *img), *got = malloc(n * sizeof *img);
  for (size_t i = 0; i < nImg; ++i) img[i] = {RANDOM[t]};
  for (long m = 0; m < {M}; ++m)
    for (long k = 0; k < {K}; ++k) {{
      long b = m / ({OH} * {OW}), oh = (m / {OW}) % {OH}, ow = m % {OW};
      long kh = k / ({KW} * {C}), kw = (k / {C}) % {KW}, ch = k % {C};
      long h = oh * {SH} + kh * {DH} - {PH}, w = ow * {SW} + kw * {DW} - {PW};
      {CTYPE[t]} v;
      memset(&v, 0, sizeof v);
      if (h >= 0 && h < {H} && w >= 0 && w < {W})
        v = img[((b * {H} + h) * {W} + w) * {C} + ch];
      want[m * {K} + k] = v;
    }}
  uint64_t dI = deviceFrom(img, nImg * sizeof *img), dC = devicePoisoned(n * sizeof *got);
  tlrt_dim3 grid = {{({M} + {BM} - 1) / {BM}, ({K} + {BK} - 1) / {BK}, 1}};
  CHECK(tl_launch_kernel(NULL, grid, dI, dC));
  CHECK(tlrtSynchronize());
  CHECK(tlrtCopyToHost(got, dC, n * sizeof *got));
  return compareExact(got, want, n, sizeof *got);
'''
    return mlir, harness


CASES = []
OUTLINED = 2  # cases per kind that also run outlined (main())


def add(kind, **c):
    CASES.append((kind, c))


# Tile copies global -> shared -> global: every dtype, tiles that divide the
# buffer and tiles that hang over its edge.
for t in ["f32", "f16", "bf16", "i8"]:
    add(tile_copy, name=f"tile_{t}_512x512_64x64", M=512, N=512, BM=64, BN=64, T=128, src=t, dst=t)
    add(tile_copy, name=f"tile_{t}_1000x72_64x64_edge", M=1000, N=72, BM=64, BN=64, T=256, src=t, dst=t)
add(tile_copy, name="tile_f16_1000x77_64x64_odd", M=1000, N=77, BM=64, BN=64, T=256, src="f16", dst="f16")
add(tile_copy, name="tile_f32_256x256_32x128_t96", M=256, N=256, BM=32, BN=128, T=96, src="f32", dst="f32")
add(tile_copy, name="tile_f16_to_f32_cast", M=256, N=512, BM=64, BN=128, T=128, src="f16", dst="f32")
add(tile_copy, name="tile_f32_to_bf16_cast", M=256, N=256, BM=64, BN=64, T=128, src="f32", dst="bf16")
add(tile_copy, name="tile_i8_to_i32_cast", M=128, N=256, BM=32, BN=128, T=128, src="i8", dst="i32")
add(tile_copy, name="tile_f32_evict_first", M=512, N=512, BM=64, BN=64, T=128, src="f32", dst="f32",
    attrs='{eviction_policy = "evict_first"}')
add(tile_copy, name="tile_f16_coalesced_4", M=256, N=256, BM=64, BN=64, T=128, src="f16", dst="f16",
    attrs="{coalesced_width = 4 : i64}")
add(tile_copy, name="tile_f32_sm80", M=512, N=512, BM=64, BN=64, T=128, src="f32", dst="f32", chip="sm_80")
# Fragments.
add(fragment, name="frag_f16_to_f32", M=256, N=256, BM=32, BN=64, T=128, src="f16", dst="f32")
add(fragment, name="frag_f32_edge", M=100, N=200, BM=32, BN=64, T=128, src="f32", dst="f32")
add(fragment, name="frag_bf16", M=128, N=128, BM=64, BN=64, T=256, src="bf16", dst="bf16")
# Unit dimensions and head addresses.
add(unit_dim, name="unit_64x1x32", M=256, N=128, BM=64, BN=32, T=128, src="f32")
add(unit_dim, name="unit_f16_edge", M=100, N=96, BM=64, BN=32, T=128, src="f16")
# im2col over a grid of shapes.
for (N, H, W, C, K, S, P, D) in [
        (2, 8, 8, 16, 3, 1, 1, 1),     # OW == W
        (2, 9, 7, 16, 3, 2, 1, 1),     # stride 2, OW != W
        (1, 12, 12, 8, 3, 1, 2, 2),    # dilation 2, pad 2
        (3, 10, 10, 32, 3, 1, 0, 1),   # pad 0
        (2, 11, 13, 24, 5, 2, 2, 1),   # 5x5, C not a power of two
        (1, 9, 9, 3, 3, 1, 1, 1),      # C = 3: scalar path
        (2, 8, 10, 16, (3, 1), (1, 2), (1, 0), 1),  # non-square
]:
    for t in ["f16", "f32"]:
        name = "im2col_{}_n{}h{}w{}c{}_k{}s{}p{}d{}".format(
            t, N, H, W, C, "x".join(map(str, pair(K))), "x".join(map(str, pair(S))),
            "x".join(map(str, pair(P))), D)
        add(im2col, name=name, N=N, H=H, W=W, C=C, K=K, S=S, P=P, D=D,
            BM=64, BK=32 if C % 32 == 0 else 16, T=128, dtype=t)
# TMA im2col (docs/im2col.md, "The TMA path"): the same grid on sm_90a with
# BK dividing C (C = 3 has no such BK with 16-byte rows: SIMT only), plus
# tiles spanning several images and rows, and 96 threads. The
# same shapes on sm_80 keep the SIMT path covered where sm_90a now picks
# TMA.
for (N, H, W, C, K, S, P, D) in [
        (2, 8, 8, 16, 3, 1, 1, 1),
        (2, 9, 7, 16, 3, 2, 1, 1),
        (1, 12, 12, 8, 3, 1, 2, 2),
        (3, 10, 10, 32, 3, 1, 0, 1),
        (2, 11, 13, 24, 5, 2, 2, 1),
        (2, 8, 10, 16, (3, 1), (1, 2), (1, 0), 1),
        (5, 3, 4, 16, 3, 1, 1, 1),     # 12 pixels per image: tiles span images
        (2, 17, 19, 64, 3, 3, 2, 2),   # stride 3, dilation 2, OW != W
]:
    for t in ["f16", "f32"]:
        BK = 32 if C % 32 == 0 else 16 if C % 16 == 0 else 8
        tag = "n{}h{}w{}c{}_k{}s{}p{}d{}".format(
            N, H, W, C, "x".join(map(str, pair(K))), "x".join(map(str, pair(S))),
            "x".join(map(str, pair(P))), D)
        add(im2col, name=f"tma_im2col_{t}_{tag}", N=N, H=H, W=W, C=C, K=K, S=S, P=P, D=D,
            BM=64, BK=BK, T=128, dtype=t, chip="sm_90a")
        add(im2col, name=f"simt_im2col_sm80_{t}_{tag}", N=N, H=H, W=W, C=C, K=K, S=S, P=P,
            D=D, BM=64, BK=BK, T=128, dtype=t, chip="sm_80")
add(im2col, name="tma_im2col_f16_c64_t96", N=2, H=16, W=16, C=64, K=3, S=1, P=1, D=1,
    BM=128, BK=64, T=96, dtype="f16", chip="sm_90a")


# --- TMA tiled copies (docs/tma.md) -----------------------------------------
def tma_tile(c):
    """A (M x N) -> shared BM x BN -> B (MB x NB), optionally L tiles per
    block in an scf.for (mbarrier phase tracking). a1/a2: attributes of the
    load and the store. B[i][j] = A[i][j] inside A, 0 outside (zero fill)."""
    M, N, BM, BN, T, t = c["M"], c["N"], c["BM"], c["BN"], c["T"], c["t"]
    MB, NB, L = c.get("MB", M), c.get("NB", N), c.get("L", 1)
    a1, a2 = c.get("a1", ""), c.get("a2", "")
    A, B, S = memref([M, N], t), memref([MB, NB], t), memref([BM, BN], t, SHARED)
    body = (f'      %a = "tl.region"(%A, %i, %j) {{access = 1 : i32, extents = array<i64: {BM}, {BN}>}} : ({A}, index, index) -> !tl.buffer_region\n'
            f'      "tl.copy"(%a, %S) {a1} : (!tl.buffer_region, {S}) -> ()\n'
            f'      %b = "tl.region"(%B, %i, %j) {{access = 2 : i32, extents = array<i64: {BM}, {BN}>}} : ({B}, index, index) -> !tl.buffer_region\n'
            f'      "tl.copy"(%S, %b) {a2} : ({S}, !tl.buffer_region) -> ()\n')
    if L == 1:
        loop = "      %i = arith.muli %by, %cbm : index\n" + body
    else:
        loop = (f"      %c0 = arith.constant 0 : index\n      %c1 = arith.constant 1 : index\n"
                f"      %cl = arith.constant {L} : index\n"
                "      scf.for %it = %c0 to %cl step %c1 {\n"
                "      %t0 = arith.muli %by, %cl : index\n      %t1 = arith.addi %t0, %it : index\n"
                "      %i = arith.muli %t1, %cbm : index\n" + body + "      }\n")
    mlir = header(c["name"], c.get("chip", "sm_90a")) + (
        f'    gpu.func @kernel(%A: {A}, %B: {B})\n'
        f'        workgroup(%S: {S})\n'
        f'        kernel attributes {{known_block_size = array<i32: {T}, 1, 1>}} {{\n'
        f'      %cbm = arith.constant {BM} : index\n'
        f'      %cbn = arith.constant {BN} : index\n'
        '      %bx = gpu.block_id x\n      %by = gpu.block_id y\n'
        '      %j = arith.muli %bx, %cbn : index\n'
        f'{loop}      gpu.return\n    }}\n  }}\n}}\n')
    harness = f'''
  size_t na = (size_t){M} * {N}, nb = (size_t){MB} * {NB};
  {CTYPE[t]} *a = malloc(na * sizeof *a), *want = calloc(nb, sizeof *a), *got = malloc(nb * sizeof *a);
  for (size_t i = 0; i < na; ++i) a[i] = {RANDOM[t]};
  for (size_t i = 0; i < {MB}; ++i)
    for (size_t j = 0; j < {NB}; ++j)
      if (i < {M} && j < {N}) want[i * {NB} + j] = a[i * {N} + j];
  uint64_t dA = deviceFrom(a, na * sizeof *a), dB = devicePoisoned(nb * sizeof *got);
  tlrt_dim3 grid = {{({NB} + {BN} - 1) / {BN}, ({MB} + {BM} * {L} - 1) / ({BM} * {L}), 1}};
  CHECK(tl_launch_kernel(NULL, grid, dA, dB));
  CHECK(tlrtSynchronize());
  CHECK(tlrtCopyToHost(got, dB, nb * sizeof *got));
  return compareExact(got, want, nb, sizeof *got);
'''
    return mlir, harness


def swz(n):
    return "{annotations = {swizzle = %d : i64}}" % n


for t, bn in [("f32", 32), ("f16", 64), ("bf16", 64), ("i8", 128)]:
    add(tma_tile, name=f"tma_{t}_256x256_64x{bn}", M=256, N=256, BM=64, BN=bn, T=128, t=t)
    add(tma_tile, name=f"tma_{t}_swz128_64x{bn}", M=256, N=256, BM=64, BN=bn, T=128, t=t, a1=swz(128))
for n in [32, 64, 128]:
    add(tma_tile, name=f"tma_f16_swz{n}", M=256, N=256, BM=64, BN=64, T=128, t="f16", a1=swz(n))
    add(tma_tile, name=f"tma_f16_swz{n}_simt_read", M=256, N=256, BM=64, BN=64, T=128, t="f16",
        a1=swz(n), a2="{disable_tma}")
    add(tma_tile, name=f"tma_f32_swz{n}_simt_write", M=256, N=128, BM=32, BN=32, T=128, t="f32",
        a1="{disable_tma, annotations = {swizzle = %d : i64}}" % n)
add(tma_tile, name="tma_bf16_zero_fill", M=1000, N=72, MB=1024, NB=128, BM=64, BN=64, T=128, t="bf16",
    a2="{disable_tma}")
add(tma_tile, name="tma_f32_zero_fill_swz128", M=1000, N=72, MB=1024, NB=128, BM=64, BN=32, T=128, t="f32",
    a1=swz(128), a2="{disable_tma}")
add(tma_tile, name="tma_f32_edge_skip", M=1000, N=72, BM=64, BN=64, T=128, t="f32")
add(tma_tile, name="tma_f16_edge_skip_swz64", M=1000, N=96, BM=64, BN=64, T=256, t="f16", a1=swz(64))
add(tma_tile, name="tma_f16_multibox_32x512", M=128, N=1024, BM=32, BN=512, T=128, t="f16")
add(tma_tile, name="tma_f16_multibox_32x512_simt_read", M=128, N=1024, BM=32, BN=512, T=128, t="f16",
    a2="{disable_tma}")
add(tma_tile, name="tma_f16_multibox_swz128_64x128", M=256, N=256, BM=64, BN=128, T=128, t="f16",
    a1=swz(128), a2="{disable_tma}")
add(tma_tile, name="tma_f32_outer_split_300x16", M=1000, N=64, BM=300, BN=16, T=128, t="f32")
add(tma_tile, name="tma_f16_loop4", M=1024, N=128, BM=64, BN=64, T=128, t="f16", L=4)
add(tma_tile, name="tma_f32_loop3_swz128_simt_read", M=384, N=64, BM=32, BN=32, T=128, t="f32", L=3,
    a1=swz(128), a2="{disable_tma}")
add(tma_tile, name="tma_f32_evict_last", M=256, N=256, BM=64, BN=64, T=128, t="f32",
    a1='{eviction_policy = "evict_last"}', a2='{eviction_policy = "evict_first"}')
# --- end of TMA tiled copies -------------------------------------------------

# --- issue 7: cp.async, ldmatrix, stmatrix (docs/mma-copies.md) -----------
def region_tile_kernel(c, A, B, S, load="", store=""):
    """The module of a kernel(A, B) whose block (bx, by) copies the BM x BN
    tile at (by BM, bx BN) of A -> S -> the same tile of B, both through
    tl.region with explicit extents; `load` / `store`: the copies'
    attributes."""
    BM, BN, T = c["BM"], c["BN"], c["T"]
    return header(c["name"], c.get("chip", "sm_80")) + f'''    gpu.func @kernel(%A: {A}, %B: {B})
        workgroup(%S: {S})
        kernel attributes {{known_block_size = array<i32: {T}, 1, 1>}} {{
      %cbm = arith.constant {BM} : index
      %cbn = arith.constant {BN} : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %cbm : index
      %j = arith.muli %bx, %cbn : index
      %a = "tl.region"(%A, %i, %j) {{access = 1 : i32, extents = array<i64: {BM}, {BN}>}} : ({A}, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) {load} : (!tl.buffer_region, {S}) -> ()
      %b = "tl.region"(%B, %i, %j) {{access = 2 : i32, extents = array<i64: {BM}, {BN}>}} : ({B}, index, index) -> !tl.buffer_region
      "tl.copy"(%S, %b) {store + " " if store else ""}: ({S}, !tl.buffer_region) -> ()
      gpu.return
    }}
  }}
}}
'''


def cp_async_tile(c):
    """global -> shared (cp.async, boundary tiles zero-filled) -> global
    buffer padded to whole tiles, so the zero fill is observed."""
    M, N, BM, BN, T, t = c["M"], c["N"], c["BM"], c["BN"], c["T"], c["dtype"]
    Mp, Np = -(-M // BM) * BM, -(-N // BN) * BN
    A, B, S = memref([M, N], t), memref([Mp, Np], t), memref([BM, BN], t, SHARED)
    mlir = region_tile_kernel(c, A, B, S, c.get("attrs", ""))
    harness = f'''
  size_t n = (size_t){M} * {N}, np = (size_t){Mp} * {Np};
  {CTYPE[t]} *a = malloc(n * sizeof *a);
  {CTYPE[t]} *want = malloc(np * sizeof *want), *got = malloc(np * sizeof *got);
  for (size_t i = 0; i < n; ++i) a[i] = {RANDOM[t]};
  for (size_t i = 0; i < (size_t){Mp}; ++i)
    for (size_t j = 0; j < (size_t){Np}; ++j)
      want[i * {Np} + j] = (i < {M} && j < {N}) ? a[i * {N} + j] : 0;
  uint64_t dA = deviceFrom(a, n * sizeof *a), dB = devicePoisoned(np * sizeof *got);
  tlrt_dim3 grid = {{{Np} / {BN}, {Mp} / {BM}, 1}};
  CHECK(tl_launch_kernel(NULL, grid, dA, dB));
  CHECK(tlrtSynchronize());
  CHECK(tlrtCopyToHost(got, dB, np * sizeof *got));
  return compareExact(got, want, np, sizeof *got);
'''
    return mlir, harness


def mma_layout_attr(BM, T, trans):
    """The 8x8 mma fragment layout of docs/mma-copies.md (tl.layout)."""
    Rw = BM // (T // 32)
    a, b = ("d1", "d0") if trans else ("d0", "d1")
    return ("#tl.fragment_layout<affine_map<(d0, d1) -> ((d0 floordiv {Rw}) * 32 + "
            "({a} mod 8) * 4 + ({b} mod 8) floordiv 2, ((d1 floordiv 8) * {q} + "
            "(d0 mod {Rw}) floordiv 8) * 2 + {b} mod 2)>, {T} : i64, 1 : i64>").format(
                Rw=Rw, a=a, b=b, q=Rw // 8, T=T)


def mma_copy(c):
    """ldmatrix: global -> shared -> fragment (ldmatrix) -> global;
    stmatrix: global -> fragment -> shared (stmatrix) -> global."""
    M, N, BM, BN, T, t = c["M"], c["N"], c["BM"], c["BN"], c["T"], c["dtype"]
    A, B = memref([M, N], t), memref([M, N], t)
    S, F = memref([BM, BN], t, SHARED), memref([BM, BN], t, FRAG)
    lay = ""
    if c.get("trans"):
        lay = " {{tl.layout = {}}}".format(mma_layout_attr(BM, T, True))
    a1 = c.get("attrs1", "")
    ann = "{annotations = {use_ldmatrix = true}}"
    if c["dir"] == "ld":
        body = f'''      "tl.copy"(%a, %S) {a1} : (!tl.buffer_region, {S}) -> ()
      "tl.copy"(%S, %F) {ann} : ({S}, {F}) -> ()
      "tl.copy"(%F, %b) : ({F}, !tl.buffer_region) -> ()'''
    else:
        body = f'''      "tl.copy"(%a, %F) : (!tl.buffer_region, {F}) -> ()
      "tl.copy"(%F, %S) {ann} : ({F}, {S}) -> ()
      "tl.copy"(%S, %b) : ({S}, !tl.buffer_region) -> ()'''
    mlir = header(c["name"], c.get("chip", "sm_80")) + f'''    gpu.func @kernel(%A: {A}, %B: {B})
        workgroup(%S: {S})
        kernel attributes {{known_block_size = array<i32: {T}, 1, 1>}} {{
      %cbm = arith.constant {BM} : index
      %cbn = arith.constant {BN} : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %cbm : index
      %j = arith.muli %bx, %cbn : index
      %F = memref.alloca(){lay} : {F}
      %a = "tl.region"(%A, %i, %j) {{access = 1 : i32, extents = array<i64: {BM}, {BN}>}} : ({A}, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %i, %j) {{access = 2 : i32, extents = array<i64: {BM}, {BN}>}} : ({B}, index, index) -> !tl.buffer_region
{body}
      gpu.return
    }}
  }}
}}
'''
    return mlir, tile_copy(dict(c, src=t, dst=t))[1]


for t in ["f16", "bf16", "f32", "i8"]:
    add(cp_async_tile, name=f"cp_async_{t}_sm80_edge", M=200, N=136, BM=64, BN=64, T=128, dtype=t)
add(cp_async_tile, name="cp_async_f16_sm86_edge_4byte", M=100, N=98, BM=32, BN=32, T=64,
    dtype="f16", chip="sm_86", attrs="{coalesced_width = 2 : i64}")
add(cp_async_tile, name="cp_async_f32_sm89_8byte", M=128, N=130, BM=32, BN=64, T=64,
    dtype="f32", chip="sm_89", attrs="{coalesced_width = 2 : i64}")
add(cp_async_tile, name="cp_async_f16_sm90a_demand_edge", M=200, N=136, BM=64, BN=64, T=128,
    dtype="f16", chip="sm_90a", attrs="{annotations = {use_cp_async = true}}")
add(cp_async_tile, name="cp_async_f16_sm80_swizzle128", M=256, N=256, BM=64, BN=64, T=128,
    dtype="f16", attrs="{annotations = {swizzle = 128 : i64}}")
add(mma_copy, name="ldmatrix_f16_sm80_1warp", dir="ld", M=128, N=128, BM=16, BN=16, T=32, dtype="f16")
add(mma_copy, name="ldmatrix_f16_sm80_4warps", dir="ld", M=256, N=256, BM=64, BN=64, T=128, dtype="f16")
add(mma_copy, name="ldmatrix_bf16_sm80_x2", dir="ld", M=128, N=64, BM=32, BN=24, T=64, dtype="bf16")
add(mma_copy, name="ldmatrix_trans_f16_sm80", dir="ld", M=256, N=256, BM=64, BN=64, T=128, dtype="f16", trans=True)
add(mma_copy, name="ldmatrix_f16_sm80_swizzle128", dir="ld", M=256, N=256, BM=64, BN=64, T=128,
    dtype="f16", attrs1="{annotations = {swizzle = 128 : i64}}")
add(mma_copy, name="ldmatrix_f16_sm90a", dir="ld", M=256, N=256, BM=64, BN=64, T=128, dtype="f16", chip="sm_90a")
add(mma_copy, name="stmatrix_f16_sm90a", dir="st", M=256, N=256, BM=64, BN=64, T=128, dtype="f16", chip="sm_90a")
add(mma_copy, name="stmatrix_trans_bf16_sm90a", dir="st", M=128, N=128, BM=32, BN=32, T=64, dtype="bf16",
    chip="sm_90a", trans=True)
# --- end of issue 7 ----------------------------------------------------------


# --- Dynamic shapes (issue 10): sizes passed at launch through the
# launchers; one kernel run with two different sizes.
def dyn_copy(c):
    t, BM, BN, T, N = c["t"], 64, 64, 128, c["N"]
    ncol = "?" if c.get("dyn_cols") else str(N)
    A = f"memref<?x{ncol}x{t}>"
    S = memref([BM, BN], t, SHARED)
    mlir = header(c["name"], "sm_90a") + f'''    gpu.func @kernel(%A: {A}, %B: {A})
        workgroup(%S: {S})
        kernel attributes {{known_block_size = array<i32: {T}, 1, 1>}} {{
      %cbm = arith.constant {BM} : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %cbm : index
      %j = arith.muli %bx, %cbm : index
      %a = "tl.region"(%A, %i, %j) {{access = 1 : i32, extents = array<i64: {BM}, {BN}>}} : ({A}, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) : (!tl.buffer_region, {S}) -> ()
      %b = "tl.region"(%B, %i, %j) {{access = 2 : i32, extents = array<i64: {BM}, {BN}>}} : ({A}, index, index) -> !tl.buffer_region
      "tl.copy"(%S, %b) : ({S}, !tl.buffer_region) -> ()
      gpu.return
    }}
  }}
}}
'''
    sizes = "M, M" if not c.get("dyn_cols") else f"M, {N}, M, {N}"
    harness = f'''
  int bad = 0;
  for (int round = 0; round < 2; ++round) {{
    long M = round ? {c["M2"]} : {c["M"]};
    size_t n = (size_t)M * {N};
    {CTYPE[t]} *a = malloc(n * sizeof *a), *got = malloc(n * sizeof *got);
    for (size_t i = 0; i < n; ++i) a[i] = {RANDOM[t]};
    uint64_t dA = deviceFrom(a, n * sizeof *a), dB = devicePoisoned(n * sizeof *got);
    tlrt_dim3 grid = {{({N} + 63) / 64, (M + 63) / 64, 1}};
    CHECK(tl_launch_kernel(NULL, grid, dA, dB, {sizes}));
    CHECK(tlrtSynchronize());
    CHECK(tlrtCopyToHost(got, dB, n * sizeof *got));
    bad |= compareExact(got, a, n, sizeof *got);
  }}
  return bad;
'''
    return mlir, harness


def dyn_im2col(c):
    C, t, BM, BK, T = c["C"], c["t"], 64, c["BK"], 128
    K = 9 * C
    Img, Col = f"memref<?x?x?x{C}x{t}>", f"memref<?x{K}x{t}>"
    S = memref([BM, BK], t, SHARED)
    mlir = header(c["name"], "sm_90a") + f'''    gpu.func @kernel(%Img: {Img}, %Col: {Col})
        workgroup(%S: {S})
        kernel attributes {{known_block_size = array<i32: {T}, 1, 1>}} {{
      %cbm = arith.constant {BM} : index
      %cbk = arith.constant {BK} : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      "tl.c2d_im2col"(%Img, %S, %bx, %by) {{kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64}} : ({Img}, {S}, index, index) -> ()
      %m = arith.muli %bx, %cbm : index
      %k = arith.muli %by, %cbk : index
      %dst = "tl.region"(%Col, %m, %k) {{access = 2 : i32, extents = array<i64: {BM}, {BK}>}} : ({Col}, index, index) -> !tl.buffer_region
      "tl.copy"(%S, %dst) : ({S}, !tl.buffer_region) -> ()
      gpu.return
    }}
  }}
}}
'''
    harness = f'''
  int bad = 0;
  long shapes[2][3] = {{{{{c["N"]}, {c["H"]}, {c["W"]}}}, {{{c["N2"]}, {c["H2"]}, {c["W2"]}}}}};
  for (int round = 0; round < 2; ++round) {{
    long NB = shapes[round][0], H = shapes[round][1], W = shapes[round][2];
    long OH = H, OW = W, M = NB * OH * OW;
    size_t nImg = (size_t)NB * H * W * {C}, n = (size_t)M * {K};
    {CTYPE[t]} *img = malloc(nImg * sizeof *img), *want = malloc(n * sizeof *img), *got = malloc(n * sizeof *img);
    for (size_t i = 0; i < nImg; ++i) img[i] = {RANDOM[t]};
    for (long m = 0; m < M; ++m)
      for (long k = 0; k < {K}; ++k) {{
        long b = m / (OH * OW), oh = (m / OW) % OH, ow = m % OW;
        long kh = k / (3 * {C}), kw = (k / {C}) % 3, ch = k % {C};
        long h = oh + kh - 1, w = ow + kw - 1;
        {CTYPE[t]} v;
        memset(&v, 0, sizeof v);
        if (h >= 0 && h < H && w >= 0 && w < W) v = img[((b * H + h) * W + w) * {C} + ch];
        want[m * {K} + k] = v;
      }}
    uint64_t dI = deviceFrom(img, nImg * sizeof *img), dC = devicePoisoned(n * sizeof *got);
    tlrt_dim3 grid = {{(M + {BM} - 1) / {BM}, ({K} + {BK} - 1) / {BK}, 1}};
    CHECK(tl_launch_kernel(NULL, grid, dI, dC, NB, H, W, M));
    CHECK(tlrtSynchronize());
    CHECK(tlrtCopyToHost(got, dC, n * sizeof *got));
    bad |= compareExact(got, want, n, sizeof *got);
  }}
  return bad;
'''
    return mlir, harness


add(dyn_copy, name="dyn_copy_f16_rows_1000_then_333", t="f16", M=1000, M2=333, N=77)
add(dyn_copy, name="dyn_copy_f32_1000x77_then_130x77", t="f32", M=1000, M2=130, N=77, dyn_cols=True)
add(dyn_im2col, name="dyn_im2col_f16_n3h31w31c16_then_n1h7w9", t="f16", C=16, BK=16, N=3, H=31, W=31, N2=1, H2=7, W2=9)
# --- end dynamic shapes

# --- bulk copies (docs/tma.md, "Bulk copies") ------------------------------
def bulk_copy(c):
    """A -> shared -> B through 1-D bulk copies (annotations use_bulk):
    1-D (R = None: BM contiguous elements of an N-element vector) or whole
    rows (a BM x N tile of an R x N matrix), L tiles per block one after
    the other through one shared buffer (the mbarrier phase flips). The grid
    is known, so the regions are provably in bounds."""
    R, N, BM, T, t, L = c.get("R"), c["N"], c["BM"], c["T"], c["t"], c.get("L", 1)
    G = (R if R else N) // (BM * L)
    shape = [R, N] if R else [N]
    tile = [BM, N] if R else [BM]
    A, S = memref(shape, t), memref(tile, t, SHARED)
    ext = ", ".join(str(x) for x in tile)
    ity = "index, index" if R else "index"
    ann = "{annotations = {use_bulk = true}}"
    loop = "      %c0 = arith.constant 0 : index\n"
    loop += f"      %cl = arith.constant {L} : index\n      %t0 = arith.muli %bx, %cl : index\n"
    for k in range(L):  # unrolled: the index ranges stay provable
        loop += (f"      %ck{k} = arith.constant {k} : index\n"
                 f"      %t{k}x = arith.addi %t0, %ck{k} : index\n"
                 f"      %i{k} = arith.muli %t{k}x, %cbm : index\n")
        ix = f"%i{k}, %c0" if R else f"%i{k}"
        loop += (f'      %a{k} = "tl.region"(%A, {ix}) {{access = 1 : i32, extents = array<i64: {ext}>}} : ({A}, {ity}) -> !tl.buffer_region\n'
                 f'      "tl.copy"(%a{k}, %S) {ann} : (!tl.buffer_region, {S}) -> ()\n'
                 f'      %b{k} = "tl.region"(%B, {ix}) {{access = 2 : i32, extents = array<i64: {ext}>}} : ({A}, {ity}) -> !tl.buffer_region\n'
                 f'      "tl.copy"(%S, %b{k}) {ann} : ({S}, !tl.buffer_region) -> ()\n')
    mlir = header(c["name"], "sm_90a") + (
        f'    gpu.func @kernel(%A: {A}, %B: {A})\n'
        f'        workgroup(%S: {S})\n'
        f'        kernel attributes {{known_block_size = array<i32: {T}, 1, 1>, known_grid_size = array<i32: {G}, 1, 1>}} {{\n'
        f'      %cbm = arith.constant {BM} : index\n'
        '      %bx = gpu.block_id x\n'
        f'{loop}      gpu.return\n    }}\n  }}\n}}\n')
    n = (R if R else 1) * N
    harness = f'''
  size_t n = (size_t){n};
  {CTYPE[t]} *a = malloc(n * sizeof *a), *got = malloc(n * sizeof *a);
  for (size_t i = 0; i < n; ++i) a[i] = {RANDOM[t]};
  uint64_t dA = deviceFrom(a, n * sizeof *a), dB = devicePoisoned(n * sizeof *got);
  tlrt_dim3 grid = {{{G}, 1, 1}};
  CHECK(tl_launch_kernel(NULL, grid, dA, dB));
  CHECK(tlrtSynchronize());
  CHECK(tlrtCopyToHost(got, dB, n * sizeof *got));
  return compareExact(got, a, n, sizeof *got);
'''
    return mlir, harness


add(bulk_copy, name="bulk_f32_1d_4096_1024", N=4096, BM=1024, T=128, t="f32")
add(bulk_copy, name="bulk_f32_1d_x3", N=3 * 4 * 512, BM=512, T=128, t="f32", L=3)
add(bulk_copy, name="bulk_f16_rows_256x64_32", R=256, N=64, BM=32, T=128, t="f16")
add(bulk_copy, name="bulk_i8_rows_128x128_16", R=128, N=128, BM=16, T=64, t="i8")
add(bulk_copy, name="bulk_i8_rows_x2", R=256, N=48, BM=16, T=64, t="i8", L=2)
# --- end bulk copies

# --- TMA with dynamic global sizes (docs/dynamic.md, "TMA") -----------------
def dyn_tma(c):
    """dyn_copy's kernel with both copies demanding TMA (use_tma): the
    launcher encodes the run-time sizes into the tensor maps."""
    ann = c.get("ann", "use_tma = true")
    mlir, harness = dyn_copy(c)
    mlir = mlir.replace('"tl.copy"(%a, %S) :', '"tl.copy"(%a, %S) {annotations = {' + ann + '}} :')
    mlir = mlir.replace('"tl.copy"(%S, %b) :', '"tl.copy"(%S, %b) {annotations = {' + ann + '}} :')
    return mlir, harness


add(dyn_tma, name="dyn_tma_f16_rows_1000_then_333", t="f16", M=1000, M2=333, N=64)
add(dyn_tma, name="dyn_tma_f32_1000x72_then_130x72", t="f32", M=1000, M2=130, N=72)
add(dyn_tma, name="dyn_tma_f16_swz128_rows_200_then_65", t="f16", M=200, M2=65, N=64,
    ann="use_tma = true, swizzle = 128 : i64")
# --- end TMA with dynamic global sizes

# --- Automatic swizzle for ldmatrix (docs/mma-copies.md): global -> shared
# (cp.async / SIMT) -> fragment (ldmatrix through the inferred swizzle) ->
# global, per tile of a larger matrix.
def auto_swizzle_ldsm(c):
    M, N, BM, BN, T, chip = c["M"], c["N"], c["BM"], c["BN"], c["T"], c["chip"]
    A = memref([M, N], "f16")
    S = memref([BM, BN], "f16", SHARED)
    F = memref([BM, BN], "f16", FRAG)
    mlir = header(c["name"], chip) + f'''    gpu.func @kernel(%A: {A}, %B: {A})
        workgroup(%S: {S})
        kernel attributes {{known_block_size = array<i32: {T}, 1, 1>}} {{
      %cbm = arith.constant {BM} : index
      %cbn = arith.constant {BN} : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %cbm : index
      %j = arith.muli %bx, %cbn : index
      %F = memref.alloca() : {F}
      %a = "tl.region"(%A, %i, %j) {{access = 1 : i32, extents = array<i64: {BM}, {BN}>}} : ({A}, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) : (!tl.buffer_region, {S}) -> ()
      "tl.copy"(%S, %F) : ({S}, {F}) -> ()
      %b = "tl.region"(%B, %i, %j) {{access = 2 : i32, extents = array<i64: {BM}, {BN}>}} : ({A}, index, index) -> !tl.buffer_region
      "tl.copy"(%F, %b) : ({F}, !tl.buffer_region) -> ()
      gpu.return
    }}
  }}
}}
'''
    return mlir, tile_copy(dict(name=c["name"], M=M, N=N, BM=BM, BN=BN, T=T, src="f16", dst="f16"))[1]


add(auto_swizzle_ldsm, name="ldsm_auto_swizzle128_f16_sm90a", M=256, N=256, BM=64, BN=64, T=128, chip="sm_90a")
add(auto_swizzle_ldsm, name="ldsm_auto_swizzle64_f16_sm80", M=128, N=128, BM=32, BN=32, T=64, chip="sm_80")
add(auto_swizzle_ldsm, name="ldsm_auto_swizzle32_f16_sm80", M=64, N=64, BM=16, BN=16, T=32, chip="sm_80")
# --- end automatic swizzle

# --- split-phase ops (tl.copy_async, tl.c2d_im2col_async, tl.wait;
# design.md §3.1): test/GPU/gen_async.py, registered here to keep the order.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_async  # noqa: E402
gen_async.register(sys.modules[__name__])
# --- copies in loops whose bounds the induction variable proves
# (test/GPU/gen_loops.py)
import gen_loops  # noqa: E402
gen_loops.register(sys.modules[__name__])
# --- copies into / out of one stage of a multi-buffered shared buffer,
# the stage a run-time index (test/GPU/gen_stages.py)
import gen_stages  # noqa: E402
gen_stages.register(sys.modules[__name__])
# --- software-pipelined loops (scf.for {tl.num_stages = N}, issue 15):
# test/GPU/gen_pipeline.py
import gen_pipeline  # noqa: E402
gen_pipeline.register(sys.modules[__name__])
# --- workgroup buffers beyond 48 KiB in dynamic shared memory
# (test/GPU/gen_dynsmem.py)
import gen_dynsmem  # noqa: E402
gen_dynsmem.register(sys.modules[__name__])
# Operands with a leading dimension, strided<[LD, 1]> (test/GPU/gen_strided.py)
import gen_strided  # noqa: E402
gen_strided.register(sys.modules[__name__])
# tl copies around nvgpu.mma.sync (test/GPU/gen_mma.py)
import gen_mma  # noqa: E402
gen_mma.register(sys.modules[__name__])
# A GEMM: tl data movement, nvgpu.mma.sync math (test/GPU/gen_gemm.py)
import gen_gemm  # noqa: E402
gen_gemm.register(sys.modules[__name__])
# A Hopper GEMM: tl data movement, nvvm.wgmma math (test/GPU/gen_wgmma.py)
import gen_wgmma  # noqa: E402
gen_wgmma.register(sys.modules[__name__])
# An implicit-GEMM convolution: tl.c2d_im2col by TMA, wgmma (test/GPU/gen_conv90.py)
import gen_conv90  # noqa: E402
gen_conv90.register(sys.modules[__name__])


# Examples that a generator wrote (test/Examples/*-example.test keeps them in
# sync): their harness is the generator's, as for its cases.
EXAMPLE_HARNESSES = {"gemm_sm80": gen_gemm.example_harness,
                     "gemm_sm90": gen_wgmma.example_harness,
                     "conv_sm90": gen_conv90.example_harness}


def write_harness(out, name, body):
    """OUTDIR/<name>.c: a case's harness around `body` (main's)."""
    with open(os.path.join(out, name + ".c"), "w") as f:
        f.write(f'/* Generated by test/GPU/gen.py: case {name}. */\n'
                f'#define CASE_NAME "{name}"\n#include "harness.h"\n'
                f'#include TL_KERNEL_HEADER\n\nint main(void) {{\n'
                f'  seedRandom();\n{body}}}\n')


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    names = []
    # Fixed harnesses (launch errors, tensor maps) around a 512x512 f32 tile
    # kernel.
    here = os.path.dirname(os.path.abspath(__file__))
    for fixed in ["errors", "tensormaps"]:
        names.append(fixed)
        mlir, _ = tile_copy(dict(name=fixed, M=512, N=512, BM=64, BN=64, T=128,
                                 src="f32", dst="f32"))
        with open(os.path.join(out, fixed + ".mlir"), "w") as f:
            f.write(mlir)
        with open(os.path.join(here, fixed + ".c")) as src, \
                open(os.path.join(out, fixed + ".c"), "w") as dst:
            dst.write(src.read())
    # The first OUTLINED cases of each kind run twice: as they are, and
    # with their kernels cut into device functions of about 8 ops
    # (tl-to-nvvm's max-function-ops, support/Outline.c), which only very
    # long kernels get by default.
    per_kind = {}
    for kind, c in CASES:
        mlir, body = kind(c)
        per_kind[kind] = per_kind.get(kind, 0) + 1
        variants = [(c["name"], [])]
        if per_kind[kind] <= OUTLINED:
            variants.append((c["name"] + "_outlined", ["max-function-ops=8"]))
        for name, extra in variants:
            names.append(name)
            # TMA cases ask for TMA (SIMT is the measured default):
            # scripts/gpu-bundle.sh adds these tl-to-nvvm options.
            # (TMA im2col has no per-op demand: a case may ask with prefer_tma.)
            tma = name.startswith("tma_") or c.get("prefer_tma")
            opts = (["prefer-tma=true"] if tma else []) + extra
            with open(os.path.join(out, name + ".mlir"), "w") as f:
                f.write(f"// Generated by test/GPU/gen.py: case {name}.\n")
                if opts:
                    f.write("// tl-to-nvvm-options: " + " ".join(opts) + "\n")
                f.write(mlir)
            write_harness(out, name, body)
    # Every example, with its host program (examples/host/<name>_main.c), a
    # harness in test/GPU/examples/<name>.c, or the harness of the generator
    # that wrote it (EXAMPLE_HARNESSES); and again outlined.
    root = os.path.dirname(os.path.dirname(here))
    exdir = os.path.join(root, "examples")
    for ex in sorted(os.listdir(exdir)):
        if not ex.endswith(".mlir"):
            continue
        base = ex[:-5]
        harness = os.path.join(exdir, "host", base + "_main.c")
        if not os.path.exists(harness):
            harness = os.path.join(here, "examples", base + ".c")
        if not os.path.exists(harness) and base not in EXAMPLE_HARNESSES:
            sys.exit(f"gen.py: example {ex} has no harness")
        for name, opts in [("example_" + base, ""),
                           ("example_" + base + "_outlined",
                            "// tl-to-nvvm-options: max-function-ops=8\n")]:
            names.append(name)
            with open(os.path.join(exdir, ex)) as src, \
                    open(os.path.join(out, name + ".mlir"), "w") as dst:
                dst.write(opts + src.read())
            if base in EXAMPLE_HARNESSES:
                write_harness(out, name, EXAMPLE_HARNESSES[base]())
                continue
            with open(harness) as src, \
                    open(os.path.join(out, name + ".c"), "w") as dst:
                dst.write(src.read())
    with open(os.path.join(out, "cases.txt"), "w") as f:
        f.write("\n".join(names) + "\n")


if __name__ == "__main__":
    main()
