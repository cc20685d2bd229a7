"""The GPU-suite cases of workgroup buffers beyond 48 KiB (issue 15):
tl-to-nvvm moves them to dynamic shared memory (views of one
gpu.dynamic_shared_memory), the ABI records the bytes and the generated
launcher asks for them (libtlrt raises the kernel's limit). Each block
copies K tiles of an M x N matrix global -> its own shared buffer ->
global with tl.copy, one of the loads by TMA with the 128-byte swizzle
(its buffer needs 1024-byte alignment inside the dynamic window), and the
result is compared exactly with the input. Imported by test/GPU/gen.py,
whose helpers register() binds here and whose CASES it extends."""

# gen.py's helpers, bound by register().
header = memref = SHARED = copy_harness = None


def dynsmem_tiles(c):
    """K buffers of BM x BN (each its own attribution), block (bx, by)
    copying tiles by*K + k (rows) at column bx*BN through buffer k. tma:
    the buffer whose load is a 128-byte swizzled TMA load (None: none)."""
    M, N, BM, BN, K, T, t = c["M"], c["N"], c["BM"], c["BN"], c["K"], c["T"], c["t"]
    tma = c.get("tma")
    A, S = memref([M, N], t), memref([BM, BN], t, SHARED)
    assert M % (K * BM) == 0 and N % BN == 0
    body = ""
    for k in range(K):
        a1 = " {annotations = {use_tma = true, swizzle = 128 : i64}}" if k == tma else ""
        body += (f'      %r{k} = arith.addi %r, %c{k} : index\n'
                 f'      %i{k} = arith.muli %r{k}, %cbm : index\n'
                 f'      %a{k} = "tl.region"(%A, %i{k}, %j) {{access = 1 : i32, extents = '
                 f'array<i64: {BM}, {BN}>}} : ({A}, index, index) -> !tl.buffer_region\n'
                 f'      "tl.copy"(%a{k}, %S{k}){a1} : (!tl.buffer_region, {S}) -> ()\n')
    for k in range(K):
        body += (f'      %b{k} = "tl.region"(%B, %i{k}, %j) {{access = 2 : i32, extents = '
                 f'array<i64: {BM}, {BN}>}} : ({A}, index, index) -> !tl.buffer_region\n'
                 f'      "tl.copy"(%S{k}, %b{k}) : ({S}, !tl.buffer_region) -> ()\n')
    consts = "".join(f"      %c{k} = arith.constant {k} : index\n" for k in range(K))
    bufs = ", ".join(f"%S{k}: {S}" for k in range(K))
    mlir = header(c["name"], c.get("chip", "sm_90a")) + (
        f'    gpu.func @kernel(%A: {A}, %B: {A})\n'
        f'        workgroup({bufs})\n'
        f'        kernel attributes {{known_block_size = array<i32: {T}, 1, 1>}} {{\n'
        f'{consts}      %ck = arith.constant {K} : index\n'
        f'      %cbm = arith.constant {BM} : index\n      %cbn = arith.constant {BN} : index\n'
        '      %bx = gpu.block_id x\n      %by = gpu.block_id y\n'
        '      %r = arith.muli %by, %ck : index\n      %j = arith.muli %bx, %cbn : index\n'
        f'{body}      gpu.return\n    }}\n  }}\n}}\n')
    harness = copy_harness(M, N, t, t, f"{N // BN}, {M // (K * BM)}, 1")
    return mlir, harness


def register(g):
    """Binds gen.py's helpers and appends this file's cases to its CASES."""
    for name in ("header", "memref", "SHARED", "copy_harness"):
        globals()[name] = getattr(g, name)
    add = g.add
    # Three 64x64xf32 buffers: exactly 48 KiB of them, plus the 8-byte
    # mbarrier set of the TMA load: over the static limit, so 49152 bytes
    # of dynamic shared memory with 1024 static (ptxas pads the set to the
    # window's alignment), which needs the opt-in although the dynamic part
    # alone does not pass 48 KiB.
    add(dynsmem_tiles, name="dynsmem_three_f32_tma_swz128", M=768, N=256, BM=64, BN=64, K=3,
        T=128, t="f32", tma=2)
    # Four 63x64xf32 buffers (16128 bytes each, not a multiple of 1024):
    # the swizzled TMA buffer, last, starts at 49152 rather than 48384.
    add(dynsmem_tiles, name="dynsmem_four_f32_odd_tma_swz128", M=504, N=256, BM=63, BN=64, K=4,
        T=128, t="f32", tma=3)
    # 160 KiB of f16 buffers on sm_80 (opt-in maximum 163 KiB), no TMA.
    add(dynsmem_tiles, name="dynsmem_five_f16_sm80_160k", M=1280, N=512, BM=128, BN=128, K=5,
        T=256, t="f16", chip="sm_80")
