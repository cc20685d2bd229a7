"""The GPU-suite cases of stage slices (docs/tma.md, "Stage slices"): each
block copies its tile of an M x N matrix into one stage of a 3-stage shared
buffer (3 x BM x BN), the stage a run-time (linear block id + 2) % 3, and
back out of that stage to the output, compared exactly with the CPU copy
(output poisoned). The instruction under test moves one side; the other is
a SIMT copy, whose memref-indexed stage address was right before, so an
instruction that missed the stage (wrote stage 0, read stage 0) would read
another stage's uninitialized bytes. The im2col cases (docs/im2col.md,
"Stages") write the column tile into stage (linear block id + 2) % 3 of a
3 x BM x BK buffer and copy that stage out to the column matrix, exact
against gen.py's CPU im2col. Imported by test/GPU/gen.py, whose helpers
register() binds here and whose CASES it extends."""

# gen.py's helpers, bound by register().
header = memref = SHARED = FRAG = copy_harness = None
attr = im2col = im2col_geometry = None

# How the tile gets into the stage / out of it: the ops, given the global
# region %a / %b, the stage region %d / %r, the fragment %F.
LOADS = {
    "tma": ('      %t = "tl.copy_async"(%a, %d) {{annotations = {{use_tma = true}}}} : '
            '(!tl.buffer_region, !tl.buffer_region) -> !tl.token\n'
            '      "tl.wait"(%t) : (!tl.token) -> ()\n'),
    "cp_async": ('      %t = "tl.copy_async"(%a, %d) {{annotations = {{use_cp_async = true}}}} : '
                 '(!tl.buffer_region, !tl.buffer_region) -> !tl.token\n'
                 '      "tl.wait"(%t) : (!tl.token) -> ()\n'),
    "bulk": ('      "tl.copy"(%a, %d) {{annotations = {{use_bulk = true}}}} : '
             '(!tl.buffer_region, !tl.buffer_region) -> ()\n'),
    "simt": ('      "tl.copy"(%a, %d) {{annotations = {{disable_tma}}}} : '
             '(!tl.buffer_region, !tl.buffer_region) -> ()\n'),
    "stmatrix": ('      "tl.copy"(%a, %F) : (!tl.buffer_region, {F}) -> ()\n'
                 '      "tl.copy"(%F, %d) {{annotations = {{use_stmatrix = true}}}} : '
                 '({F}, !tl.buffer_region) -> ()\n'),
}
STORES = {
    "tma": ('      "tl.copy"(%r, %b) {{annotations = {{use_tma = true}}}} : '
            '(!tl.buffer_region, !tl.buffer_region) -> ()\n'),
    "bulk": ('      "tl.copy"(%r, %b) {{annotations = {{use_bulk = true}}}} : '
             '(!tl.buffer_region, !tl.buffer_region) -> ()\n'),
    "simt": ('      "tl.copy"(%r, %b) {{annotations = {{disable_tma}}}} : '
             '(!tl.buffer_region, !tl.buffer_region) -> ()\n'),
    "ldmatrix": ('      "tl.copy"(%r, %F) {{annotations = {{use_ldmatrix = true}}}} : '
                 '(!tl.buffer_region, {F}) -> ()\n'
                 '      "tl.copy"(%F, %b) : ({F}, !tl.buffer_region) -> ()\n'),
}


def stage_copy(c):
    """global tile -> stage (lin + 2) % 3 of S : 3 x BM x BN -> global tile.
    `rows`: whole rows (BN = N) on a known grid, provably in bounds (bulk
    copies); `swizzle`: the buffer's tl.swizzle."""
    M, N, BM, T, t = c["M"], c["N"], c["BM"], c["T"], c["t"]
    rows = c.get("rows", False)
    BN = N if rows else c["BN"]
    A = memref([M, N], t)
    S = memref([3, BM, BN], t, SHARED)
    F = memref([BM, BN], t, FRAG)
    gx, gy = (1, M // BM) if rows else (N // BN, M // BM)
    grid = f", known_grid_size = array<i32: {gx}, {gy}, 1>" if rows else ""
    swz = c.get("swizzle")
    wattr = f" {{tl.swizzle = {swz} : i64}}" if swz is not None else ""
    frag = f"      %F = memref.alloca() : {F}\n" if c["load"] == "stmatrix" or c["store"] == "ldmatrix" else ""
    def region(n, buf, ty, idx, ext, acc):
        return (f'      %{n} = "tl.region"(%{buf}, {idx}) {{access = {acc} : i32, '
                f'extents = array<i64: {ext}>}} : ({ty}, {", ".join(["index"] * (idx.count(",") + 1))}) '
                f'-> !tl.buffer_region\n')
    body = (region("a", "A", A, "%i, %j", f"{BM}, {BN}", 1)
            + region("d", "S", S, "%st, %c0, %c0", f"1, {BM}, {BN}", 2)
            + LOADS[c["load"]].format(F=F)
            + region("r", "S", S, "%st, %c0, %c0", f"1, {BM}, {BN}", 1)
            + region("b", "B", A, "%i, %j", f"{BM}, {BN}", 2)
            + STORES[c["store"]].format(F=F))
    j = "%c0" if rows else "%jj"
    mlir = header(c["name"], c.get("chip", "sm_90a")) + (
        f'    gpu.func @kernel(%A: {A}, %B: {A})\n'
        f'        workgroup(%S: {S}{wattr})\n'
        f'        kernel attributes {{known_block_size = array<i32: {T}, 1, 1>{grid}}} {{\n'
        '      %c0 = arith.constant 0 : index\n      %c2 = arith.constant 2 : index\n'
        '      %c3 = arith.constant 3 : index\n'
        f'      %cgx = arith.constant {gx} : index\n'
        f'      %cbm = arith.constant {BM} : index\n      %cbn = arith.constant {BN} : index\n'
        '      %bx = gpu.block_id x\n      %by = gpu.block_id y\n'
        '      %l0 = arith.muli %by, %cgx : index\n      %lin = arith.addi %l0, %bx : index\n'
        '      %l2 = arith.addi %lin, %c2 : index\n      %st = arith.remui %l2, %c3 : index\n'
        '      %i = arith.muli %by, %cbm : index\n      %jj = arith.muli %bx, %cbn : index\n'
        + frag + body.replace("%i, %j)", f"%i, {j})")
        + '      gpu.return\n    }\n  }\n}\n')
    return mlir, copy_harness(M, N, t, t, f"{gx}, {gy}, 1")


def stage_im2col(c):
    """NHWC image -> stage (lin + 2) % 3 of S : 3 x BM x BK (tl.c2d_im2col,
    or with `split` tl.c2d_im2col_async + tl.wait) -> SIMT copy of that
    stage -> the column matrix; gen.py's im2col harness (its CPU im2col and
    grid) checks it."""
    M, K, BM, BK, Img, Col, _ = im2col_geometry(c)
    S = memref([3, BM, BK], c["dtype"], SHARED)
    gx = (M + BM - 1) // BM
    params = (f'{{kernel = {attr(c["K"])}, stride = {attr(c["S"])}, '
              f'dilation = {attr(c["D"])}, pad = {attr(c["P"])}'
              f'{", disable_tma" if c.get("no_tma") else ""}}}')
    op = (f'      %tok = "tl.c2d_im2col_async"(%Img, %d, %bx, %by) {params} : '
          f'({Img}, !tl.buffer_region, index, index) -> !tl.token\n'
          '      "tl.wait"(%tok) : (!tl.token) -> ()\n' if c.get("split") else
          f'      "tl.c2d_im2col"(%Img, %d, %bx, %by) {params} : '
          f'({Img}, !tl.buffer_region, index, index) -> ()\n')

    def region(n, acc):
        return (f'      %{n} = "tl.region"(%S, %st, %c0, %c0) {{access = {acc} : i32, '
                f'extents = array<i64: 1, {BM}, {BK}>}} : ({S}, index, index, index) '
                '-> !tl.buffer_region\n')
    mlir = header(c["name"], c.get("chip", "sm_90a")) + (
        f'    gpu.func @kernel(%Img: {Img}, %Col: {Col})\n'
        f'        workgroup(%S: {S})\n'
        f'        kernel attributes {{known_block_size = array<i32: {c["T"]}, 1, 1>}} {{\n'
        '      %c0 = arith.constant 0 : index\n      %c2 = arith.constant 2 : index\n'
        '      %c3 = arith.constant 3 : index\n'
        f'      %cgx = arith.constant {gx} : index\n'
        f'      %cbm = arith.constant {BM} : index\n      %cbk = arith.constant {BK} : index\n'
        '      %bx = gpu.block_id x\n      %by = gpu.block_id y\n'
        '      %l0 = arith.muli %by, %cgx : index\n      %lin = arith.addi %l0, %bx : index\n'
        '      %l2 = arith.addi %lin, %c2 : index\n      %st = arith.remui %l2, %c3 : index\n'
        + region("d", 2) + op + region("r", 1)
        + '      %m = arith.muli %bx, %cbm : index\n      %k = arith.muli %by, %cbk : index\n'
        f'      %dst = "tl.region"(%Col, %m, %k) {{access = 2 : i32, extents = '
        f'array<i64: {BM}, {BK}>}} : ({Col}, index, index) -> !tl.buffer_region\n'
        '      "tl.copy"(%r, %dst) {annotations = {disable_tma}} : '
        '(!tl.buffer_region, !tl.buffer_region) -> ()\n'
        '      gpu.return\n    }\n  }\n}\n')
    return mlir, im2col(c)[1]


def register(g):
    """Binds gen.py's helpers and appends this file's cases to its CASES."""
    for name in ("header", "memref", "SHARED", "FRAG", "copy_harness", "attr",
                 "im2col", "im2col_geometry"):
        globals()[name] = getattr(g, name)
    add = g.add
    tile = dict(M=256, N=256, BM=64, BN=64, T=128, t="f16")
    add(stage_copy, name="stage_tma_load_simt_store_f16", load="tma", store="simt", **tile)
    add(stage_copy, name="stage_simt_load_tma_store_f16", load="simt", store="tma", **tile)
    add(stage_copy, name="stage_tma_load_tma_store_f32", load="tma", store="tma",
        M=256, N=256, BM=32, BN=64, T=128, t="f32")
    # A 128-byte-swizzled stage buffer: TMA writes it, ldmatrix reads it.
    add(stage_copy, name="stage_tma_swizzle128_ldmatrix_f16", load="tma", store="ldmatrix",
        swizzle=128, **tile)
    # The automatic ldmatrix swizzle on the 3-D buffer, a SIMT writer.
    add(stage_copy, name="stage_simt_load_ldmatrix_f16", load="simt", store="ldmatrix", **tile)
    add(stage_copy, name="stage_stmatrix_simt_store_f16", load="stmatrix", store="simt", **tile)
    add(stage_copy, name="stage_cp_async_simt_store_f16", load="cp_async", store="simt", **tile)
    add(stage_copy, name="stage_cp_async_simt_store_f16_sm80", load="cp_async", store="simt",
        chip="sm_80", **tile)
    add(stage_copy, name="stage_bulk_load_simt_store_f32", load="bulk", store="simt",
        M=64, N=256, BM=8, T=128, t="f32", rows=True)
    add(stage_copy, name="stage_simt_load_bulk_store_f32", load="simt", store="bulk",
        M=64, N=256, BM=8, T=128, t="f32", rows=True)
    # im2col into a stage: SIMT (sm_90a's default, and sm_80) and TMA
    # (prefer-tma; 2048-byte stages keep its 128-byte alignment), the
    # synchronous op and the split-phase one waited in the same block.
    conv = dict(N=2, H=8, W=8, C=16, K=3, S=1, P=1, D=1, BM=64, BK=16, T=128, dtype="f16")
    conv2 = dict(conv, H=9, W=7, S=2)  # stride 2, OW != W
    add(stage_im2col, name="stage_simt_im2col_f16", **conv)
    add(stage_im2col, name="stage_simt_im2col_f16_sm80", chip="sm_80", **conv2)
    add(stage_im2col, name="stage_simt_im2col_async_f16", split=True, no_tma=True, **conv2)
    add(stage_im2col, name="stage_tma_im2col_f16", prefer_tma=True, **conv)
    add(stage_im2col, name="stage_tma_im2col_async_f16", prefer_tma=True, split=True, **conv2)
