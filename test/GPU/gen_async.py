"""The GPU-suite cases of the split-phase ops (design.md §3.1): tl.copy_async
and tl.c2d_im2col_async tiles in flight, completed by tl.wait, then stored
and compared exactly with the CPU reference. Imported by test/GPU/gen.py,
whose helpers register() binds here and whose CASES it extends."""

# gen.py's helpers, bound by register().
header = memref = SHARED = CTYPE = RANDOM = copy_harness = attr = im2col = im2col_geometry = None


def async_tiles(c):
    """Two tiles in flight per block: tl.copy_async of each into its own
    shared buffer, the waits in the other order, then both stored with
    tl.copy. 2-D tiles (BM x BN of an M x N matrix; the block's two tiles
    one above the other) or, with `rows`, whole rows (BM x N of an M x N
    matrix, known grid: provably in bounds, for bulk copies). a1: the
    copy_async attributes."""
    M, N, BM, T, t = c["M"], c["N"], c["BM"], c["T"], c["t"]
    rows = c.get("rows", False)
    BN = N if rows else c["BN"]
    a1 = c.get("a1", "")
    A, S = memref([M, N], t), memref([BM, BN], t, SHARED)
    gx, gy = (1, M // (2 * BM)) if rows else (N // BN, M // (2 * BM))
    grid = (f", known_grid_size = array<i32: {gx}, {gy}, 1>" if rows else "")
    j = "%c0" if rows else "%j"
    def region(n, buf, k, acc):
        return (f'      %{n} = "tl.region"(%{buf}, %i{k}, {j}) {{access = {acc} : i32, '
                f'extents = array<i64: {BM}, {BN}>}} : ({A}, index, index) -> !tl.buffer_region\n')
    body = ""
    for k in range(2):
        body += region(f"a{k}", "A", k, 1)
        body += f'      %t{k} = "tl.copy_async"(%a{k}, %S{k}) {a1} : (!tl.buffer_region, {S}) -> !tl.token\n'
    body += '      "tl.wait"(%t1) : (!tl.token) -> ()\n      "tl.wait"(%t0) : (!tl.token) -> ()\n'
    for k in range(2):
        body += region(f"b{k}", "B", k, 2)
        body += f'      "tl.copy"(%S{k}, %b{k}) : ({S}, !tl.buffer_region) -> ()\n'
    mlir = header(c["name"], c.get("chip", "sm_90a")) + (
        f'    gpu.func @kernel(%A: {A}, %B: {A})\n'
        f'        workgroup(%S0: {S}, %S1: {S})\n'
        f'        kernel attributes {{known_block_size = array<i32: {T}, 1, 1>{grid}}} {{\n'
        f'      %c0 = arith.constant 0 : index\n      %c1 = arith.constant 1 : index\n'
        f'      %c2 = arith.constant 2 : index\n'
        f'      %cbm = arith.constant {BM} : index\n      %cbn = arith.constant {BN} : index\n'
        '      %bx = gpu.block_id x\n      %by = gpu.block_id y\n'
        '      %r0 = arith.muli %by, %c2 : index\n      %r1 = arith.addi %r0, %c1 : index\n'
        '      %i0 = arith.muli %r0, %cbm : index\n      %i1 = arith.muli %r1, %cbm : index\n'
        '      %j = arith.muli %bx, %cbn : index\n'
        f'{body}      gpu.return\n    }}\n  }}\n}}\n')
    harness = copy_harness(M, N, t, t, f"{gx}, {gy}, 1")
    return mlir, harness


def im2col_async_tiles(c):
    """Two im2col column tiles in flight per block: tl.c2d_im2col_async of
    tiles 2*bx and 2*bx+1 (nhw_step) at c_step by into their own shared
    buffers, the waits in the other order, then both stored to the global
    column matrix with tl.copy. The reference is gen.py's im2col case's,
    with half as many blocks along M."""
    M, K, BM, BK, Img, Col, S = im2col_geometry(c)
    T = c["T"]
    params = (f'{{kernel = {attr(c["K"])}, stride = {attr(c["S"])}, '
              f'dilation = {attr(c["D"])}, pad = {attr(c["P"])}'
              f'{", disable_tma" if c.get("no_tma") else ""}}}')
    body = ""
    for k in range(2):
        body += (f'      %t{k} = "tl.c2d_im2col_async"(%Img, %S{k}, %r{k}, %by) {params} : '
                 f'({Img}, {S}, index, index) -> !tl.token\n')
    body += '      "tl.wait"(%t1) : (!tl.token) -> ()\n      "tl.wait"(%t0) : (!tl.token) -> ()\n'
    for k in range(2):
        body += (f'      %m{k} = arith.muli %r{k}, %cbm : index\n'
                 f'      %d{k} = "tl.region"(%Col, %m{k}, %k) {{access = 2 : i32, extents = '
                 f'array<i64: {BM}, {BK}>}} : ({Col}, index, index) -> !tl.buffer_region\n'
                 f'      "tl.copy"(%S{k}, %d{k}) : ({S}, !tl.buffer_region) -> ()\n')
    mlir = header(c["name"], c.get("chip", "sm_90a")) + (
        f'    gpu.func @kernel(%Img: {Img}, %Col: {Col})\n'
        f'        workgroup(%S0: {S}, %S1: {S})\n'
        f'        kernel attributes {{known_block_size = array<i32: {T}, 1, 1>}} {{\n'
        f'      %c1 = arith.constant 1 : index\n      %c2 = arith.constant 2 : index\n'
        f'      %cbm = arith.constant {BM} : index\n      %cbk = arith.constant {BK} : index\n'
        '      %bx = gpu.block_id x\n      %by = gpu.block_id y\n'
        '      %r0 = arith.muli %bx, %c2 : index\n      %r1 = arith.addi %r0, %c1 : index\n'
        '      %k = arith.muli %by, %cbk : index\n'
        f'{body}      gpu.return\n    }}\n  }}\n}}\n')
    _, harness = im2col(c)
    one = f"tlrt_dim3 grid = {{({M} + {BM} - 1) / {BM},"
    assert one in harness
    harness = harness.replace(one, f"tlrt_dim3 grid = {{({M} + {2 * BM} - 1) / {2 * BM},")
    return mlir, harness


def register(g):
    """Binds gen.py's helpers and appends this file's cases to its CASES."""
    for name in ("header", "memref", "SHARED", "CTYPE", "RANDOM", "copy_harness", "attr",
                 "im2col", "im2col_geometry"):
        globals()[name] = getattr(g, name)
    add = g.add
    # tma_ cases get prefer-tma (main): two TMA loads on mbarrier slots 1 and 2.
    add(async_tiles, name="tma_async_two_tiles_f16", M=512, N=256, BM=64, BN=64, T=128, t="f16")
    add(async_tiles, name="cp_async_async_two_tiles_f16_sm80", M=512, N=256, BM=64, BN=64, T=128, t="f16",
        chip="sm_80")
    add(async_tiles, name="bulk_async_two_rows_f16", M=256, N=64, BM=32, T=128, t="f16", rows=True,
        a1="{annotations = {use_bulk = true}}")
    # SIMT asked for (a copy_async defaults to TMA on sm_90a), and the default.
    add(async_tiles, name="simt_async_two_tiles_f32", M=512, N=256, BM=32, BN=64, T=128, t="f32",
        a1="{annotations = {use_cp_async = false}, disable_tma}")
    add(async_tiles, name="default_async_two_tiles_f32", M=512, N=256, BM=32, BN=64, T=128, t="f32")
    # Two im2col tiles in flight: TMA im2col (prefer-tma: slots 1 and 2)
    # and SIMT, a stride-1 shape with whole tiles and a stride-2 one whose
    # second tile hangs over the column matrix.
    for t in ["f16", "f32"]:
        add(im2col_async_tiles, name=f"tma_im2col_async_two_tiles_{t}_n2h8w8c16_k3s1p1d1",
            N=2, H=8, W=8, C=16, K=3, S=1, P=1, D=1, BM=32, BK=16, T=128, dtype=t)
        add(im2col_async_tiles, name=f"tma_im2col_async_two_tiles_{t}_n2h9w7c16_k3s2p1d1",
            N=2, H=9, W=7, C=16, K=3, S=2, P=1, D=1, BM=64, BK=16, T=128, dtype=t)
        add(im2col_async_tiles, name=f"simt_im2col_async_two_tiles_{t}_n2h8w8c16_k3s1p1d1",
            N=2, H=8, W=8, C=16, K=3, S=1, P=1, D=1, BM=32, BK=16, T=128, dtype=t, no_tma=True)
    add(im2col_async_tiles, name="simt_im2col_async_two_tiles_f16_sm80_n2h9w7c16_k3s2p1d1",
        N=2, H=9, W=7, C=16, K=3, S=2, P=1, D=1, BM=64, BK=16, T=128, dtype="f16", chip="sm_80")
