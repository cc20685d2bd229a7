"""The GPU-suite cases of copies in scf.for loops whose regions the
induction variable's range proves in bounds (support/IndexRange.c): no
run-time bounds checks are emitted, so a wrong proof would read or write
out of bounds. Each block walks its row band tile by tile, global ->
shared -> global, and the output is compared exactly with the input.
Imported by test/GPU/gen.py, whose helpers register() binds here and whose
CASES it extends."""

# gen.py's helpers, bound by register().
header = memref = SHARED = CTYPE = RANDOM = copy_harness = None


def loop_tiles(c):
    """for k in [0, N / BN): A[by*BM, k*BN] (BM x BN) -> S -> B[...]; 1-D
    (BM = 0): for k in [0, N / BN): A[by*N + k*BN] (BN) -> S -> B. a1: the
    load's attributes."""
    M, N, BN, T, t = c["M"], c["N"], c["BN"], c["T"], c["t"]
    BM, a1 = c.get("BM", 0), c.get("a1", "")
    if BM:
        A, S = memref([M, N], t), memref([BM, BN], t, SHARED)
        idx, ty, ext = "%i, %j", f"({A}, index, index)", f"{BM}, {BN}"
        start = "      %i = arith.muli %by, %cbm : index\n"
        grid = (1, M // BM)
    else:
        A, S = memref([M * N], t), memref([BN], t, SHARED)
        idx, ty, ext = "%j", f"({A}, index)", f"{BN}"
        start = "      %row = arith.muli %by, %cn : index\n"
        grid = (1, M)
    j = ("      %j0 = arith.muli %k, %cbn : index\n" +
         ("      %j = arith.addi %row, %j0 : index\n" if not BM else
          "      %j = arith.addi %j0, %c0 : index\n"))
    mlir = header(c["name"], c.get("chip", "sm_90a")) + (
        f'    gpu.func @kernel(%A: {A}, %B: {A})\n'
        f'        workgroup(%S: {S})\n'
        f'        kernel attributes {{known_block_size = array<i32: {T}, 1, 1>, '
        f'known_grid_size = array<i32: {grid[0]}, {grid[1]}, 1>}} {{\n'
        f'      %c0 = arith.constant 0 : index\n      %c1 = arith.constant 1 : index\n'
        f'      %cbm = arith.constant {BM or 1} : index\n      %cbn = arith.constant {BN} : index\n'
        f'      %cn = arith.constant {N} : index\n      %ck = arith.constant {N // BN} : index\n'
        '      %by = gpu.block_id y\n' + start +
        '      scf.for %k = %c0 to %ck step %c1 {\n' + j +
        f'        %a = "tl.region"(%A, {idx}) {{access = 1 : i32, extents = array<i64: {ext}>}} : {ty} -> !tl.buffer_region\n'
        f'        "tl.copy"(%a, %S) {a1} : (!tl.buffer_region, {S}) -> ()\n'
        f'        %b = "tl.region"(%B, {idx}) {{access = 2 : i32, extents = array<i64: {ext}>}} : {ty} -> !tl.buffer_region\n'
        f'        "tl.copy"(%S, %b) : ({S}, !tl.buffer_region) -> ()\n'
        '      }\n      gpu.return\n    }\n  }\n}\n')
    harness = copy_harness(M, N, t, t, f"{grid[0]}, {grid[1]}, 1")
    return mlir, harness


def persistent_tiles(c):
    """One block walks every BM x BN tile of an M x N matrix: tile t at row
    t / (N / BN), column t % (N / BN) (divui / remui, proven in bounds),
    global -> shared -> global."""
    M, N, BM, BN, T, t = c["M"], c["N"], c["BM"], c["BN"], c["T"], c["t"]
    A, S = memref([M, N], t), memref([BM, BN], t, SHARED)
    ty = f"({A}, index, index)"
    mlir = header(c["name"], c.get("chip", "sm_90a")) + (
        f'    gpu.func @kernel(%A: {A}, %B: {A})\n'
        f'        workgroup(%S: {S})\n'
        f'        kernel attributes {{known_block_size = array<i32: {T}, 1, 1>}} {{\n'
        f'      %c0 = arith.constant 0 : index\n      %c1 = arith.constant 1 : index\n'
        f'      %cbm = arith.constant {BM} : index\n      %cbn = arith.constant {BN} : index\n'
        f'      %ctn = arith.constant {N // BN} : index\n'
        f'      %ct = arith.constant {(M // BM) * (N // BN)} : index\n'
        '      scf.for %t = %c0 to %ct step %c1 {\n'
        '        %r = arith.divui %t, %ctn : index\n        %q = arith.remui %t, %ctn : index\n'
        '        %i = arith.muli %r, %cbm : index\n        %j = arith.muli %q, %cbn : index\n'
        f'        %a = "tl.region"(%A, %i, %j) {{access = 1 : i32, extents = array<i64: {BM}, {BN}>}} : {ty} -> !tl.buffer_region\n'
        f'        "tl.copy"(%a, %S) : (!tl.buffer_region, {S}) -> ()\n'
        f'        %b = "tl.region"(%B, %i, %j) {{access = 2 : i32, extents = array<i64: {BM}, {BN}>}} : {ty} -> !tl.buffer_region\n'
        f'        "tl.copy"(%S, %b) : ({S}, !tl.buffer_region) -> ()\n'
        '      }\n      gpu.return\n    }\n  }\n}\n')
    return mlir, copy_harness(M, N, t, t, "1, 1, 1")


def register(g):
    """Binds gen.py's helpers and appends this file's cases to its CASES."""
    for name in ("header", "memref", "SHARED", "CTYPE", "RANDOM", "copy_harness"):
        globals()[name] = getattr(g, name)
    add = g.add
    add(loop_tiles, name="loop_simt_tiles_f16", M=256, N=256, BM=64, BN=32, T=128, t="f16")
    add(loop_tiles, name="loop_cp_async_tiles_f16_sm80", M=256, N=256, BM=64, BN=32, T=128, t="f16",
        chip="sm_80")
    add(persistent_tiles, name="loop_persistent_tiles_f16", M=256, N=192, BM=64, BN=32, T=128, t="f16")
    add(loop_tiles, name="loop_bulk_rows_f32", M=64, N=4096, BN=512, T=128, t="f32",
        a1="{annotations = {use_bulk = true}}")
