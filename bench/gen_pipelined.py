"""The pipelined benchmark cases (issue 17), imported by bench/gen_bench.py:
each kernel is plain tl IR with a `scf.for ... {tl.num_stages = S}` loop,
which tl-to-nvvm pipelines (docs/pipeline.md). Every case is checked
exactly against a CPU reference before it is timed.

- persistent copies: a grid of (SMs x blocks per SM) blocks walks the
  BM x BN tiles of an M x N matrix (tile q = block id, + grid size, ...):
  load tile q -> S, store S -> tile q; pipelined, the loads of the next
  S-1 tiles are in flight while tile q is stored.
- streaming K-loop: row sums of an 8192 x 16384 f16 matrix, each block 32
  rows, read through 32 x 256 shared tiles (1 to 4 stages), summed in
  registers (f32; the data are small integers, so every order of addition
  gives the exact sums the CPU computes), reduced across a warp with
  shuffles.
- im2col, persistent and pipelined: column tile q of the column matrix
  (row tile q / NK, column tile q % NK) -> S by tl.c2d_im2col, S -> the
  column matrix by tl.copy. Its floor is cuMemsetD8 of the column matrix
  (bench.h, memsetMs), timed in the same run.
- staged transpose, persistent and pipelined: 64 x 64 tiles -> a padded
  64 x 65 shared tile -> B^T by a SIMT loop.

Each case is (name, mlir, driver body, tl-to-nvvm options). SWEEP holds
the configuration sweep behind the persistent rows (blocks per SM x stages
x tile size; TL_BENCH_SET=sweep scripts/bench-bundle.sh)."""
import gen  # noqa: E402  (test/GPU/gen.py, on sys.path from gen_bench.py)

CASES = []
SWEEP = []

LOAD = {"tma": "{annotations = {use_tma = true}}",
        "cp_async": "{annotations = {use_cp_async = true}}",
        "simt": "{annotations = {use_cp_async = false}, disable_tma}"}
STORE = {"tma": "{annotations = {use_tma = true}}", "cp_async": "{disable_tma}",
         "simt": "{annotations = {use_cp_async = false}, disable_tma}"}


def region(buf, idx, ext, ty, access):
    ids = ", ".join(idx)
    ext = ", ".join(str(e) for e in ext)
    types = ", ".join(["index"] * len(idx))
    return (f'"tl.region"({buf}, {ids}) {{access = {access} : i32, extents = array<i64: {ext}>}} '
            f': ({ty}, {types}) -> !tl.buffer_region')


def module(name, chip, args, wg, T, body):
    return gen.header(name, chip) + f'''    gpu.func @kernel({args})
        workgroup({wg})
        kernel attributes {{known_block_size = array<i32: {T}, 1, 1>}} {{
{body}      gpu.return
    }}
  }}
}}
'''


def persistent_loop(ntiles, body, stages):
    """for q = block id; q < ntiles; q += grid size, pipelined."""
    return (f'      %bid = gpu.block_id x\n      %grid = gpu.grid_dim x\n'
            f'      %cQ = arith.constant {ntiles} : index\n'
            f'      scf.for %q = %bid to %cQ step %grid {{\n{body}'
            f'      }} {{tl.num_stages = {stages} : i64}}\n')


WRONG = 'printf("ERROR %s: wrong result\\n", BENCH_NAME); return 1;'


def run(src, in_bytes, out_bytes, grid, check, moved, floor="0"):
    """C after a driver's setup: the buffer sets (`src` uploaded to each
    input, each output poisoned), one launch checked by `check`, then the
    median time reported against cuMemcpyDtoD of `moved` bytes (and the
    floor, when not 0)."""
    return f'''  Ctx c;
  for (int s = 0; s < sets; ++s) {{
    BCHECK(tlrtMalloc(&c.a[s], {in_bytes})); BCHECK(tlrtMalloc(&c.b[s], {out_bytes}));
    BCHECK(tlrtCopyToDevice(c.a[s], {src}, {in_bytes})); BCHECK(tlrtMemset8(c.b[s], 0xA5, {out_bytes}));
  }}
{grid}  launch(&c, 0);
  BCHECK(tlrtSynchronize());
  BCHECK(tlrtCopyToHost(back, c.b[0], {out_bytes}));
{check}
  float ms = timeMedian(launch, &c, sets, 5, 30);
  report(BENCH_NAME, {moved}, ms, dtodGBs({moved}, sets), {floor});
  return 0;
'''


def same(want, out_bytes):
    return f"  if (memcmp({want}, back, {out_bytes})) {{ {WRONG} }}"


SM_GRID = ("  int sms = 0;\n  BCHECK(tlrtDeviceInfo(NULL, 0, NULL, NULL, &sms, NULL, NULL));\n"
           "  c.grid = (tlrt_dim3){{(unsigned)(sms * {bps}), 1, 1}};\n")


def copy_driver(t, M, N, grid):
    """The driver of an M x N matrix copy: checks the result once, then
    times it against cuMemcpyDtoD. `grid` sets c.grid."""
    size = gen.SIZE[t]
    return (f'''
  size_t n = (size_t){M} * {N}, bytes = n * {size};
  int sets = rotations(2 * bytes);
  unsigned char *host = malloc(bytes), *back = malloc(bytes);
  for (size_t i = 0; i < bytes; ++i) host[i] = (unsigned char)(i * 2654435761u >> 13);
''' + run("host", "bytes", "bytes", grid, same("host", "bytes"), "2 * bytes"))


def with_evict(attrs, evict):
    """An op's attribute dictionary with eviction_policy = evict added."""
    if not evict:
        return attrs
    sep = ", " if attrs != "{}" else ""
    return attrs[:-1] + f'{sep}eviction_policy = "{evict}"}}'


def persistent_copy(name, path, t, M, N, BM, BN, T, stages, bps, into=CASES, evict=None):
    A, S = gen.memref([M, N], t), gen.memref([BM, BN], t, gen.SHARED)
    nb = N // BN
    body = (f'        %cNB = arith.constant {nb} : index\n'
            f'        %cBM = arith.constant {BM} : index\n        %cBN = arith.constant {BN} : index\n'
            f'        %r = arith.divui %q, %cNB : index\n        %c = arith.remui %q, %cNB : index\n'
            f'        %i = arith.muli %r, %cBM : index\n        %j = arith.muli %c, %cBN : index\n'
            f'        %a = {region("%A", ["%i", "%j"], [BM, BN], A, 1)}\n'
            f'        "tl.copy"(%a, %S) {with_evict(LOAD[path], evict)} : (!tl.buffer_region, {S}) -> ()\n'
            f'        %b = {region("%B", ["%i", "%j"], [BM, BN], A, 2)}\n'
            f'        "tl.copy"(%S, %b) {with_evict(STORE[path], evict)} : ({S}, !tl.buffer_region) -> ()\n')
    mlir = module(name, "sm_90a", f"%A: {A}, %B: {A}", f"%S: {S}", T,
                  persistent_loop((M // BM) * nb, body, stages))
    into.append((name, mlir, copy_driver(t, M, N, SM_GRID.format(bps=bps)), ""))


def rowsum(name, path, stages, M=8192, N=16384, BM=32, BK=256, T=128):
    """Row sums through BM x BK f16 tiles; thread t reads 8 halves at column
    8 (t % TPR) of rows t / TPR + R p (R rows per pass, BM / R passes)."""
    A, O = gen.memref([M, N], "f16"), gen.memref([M], "f32")
    S = gen.memref([BM, BK], "f16", gen.SHARED)
    tpr = BK // 8
    R = T // tpr
    P = BM // R
    accs = ", ".join(f"%a{p} = %f0" for p in range(P))
    sync = "        gpu.barrier\n" if stages == 1 else ""  # no pipeline: the user's barriers
    body = [f"        %j = arith.muli %k, %cBK : index\n",
            f"        %a = {region('%A', ['%i', '%j'], [BM, BK], A, 1)}\n", sync,
            f'        "tl.copy"(%a, %S) {LOAD[path]} : (!tl.buffer_region, {S}) -> ()\n', sync]
    for p in range(P):
        body.append(f"        %r{p} = arith.addi %rr, %c{R * p} : index\n"
                    f"        %v{p} = vector.load %S[%r{p}, %col] : {S}, vector<8xf16>\n"
                    f"        %e{p} = arith.extf %v{p} : vector<8xf16> to vector<8xf32>\n"
                    f"        %s{p} = vector.reduction <add>, %e{p} : vector<8xf32> into f32\n"
                    f"        %n{p} = arith.addf %a{p}, %s{p} : f32\n")
    body.append("        scf.yield " + ", ".join(f"%n{p}" for p in range(P)) + " : "
                + ", ".join(["f32"] * P) + "\n")
    consts = sorted({R * p for p in range(P)} | {0, 1, 8, BM, BK, tpr})
    head = "".join(f"      %c{v} = arith.constant {v} : index\n" for v in consts)
    head += (f"      %cKT = arith.constant {N // BK} : index\n      %cBK = arith.constant {BK} : index\n"
             f"      %f0 = arith.constant 0.0 : f32\n      %bx = gpu.block_id x\n"
             f"      %tid = gpu.thread_id x\n      %i = arith.muli %bx, %c{BM} : index\n"
             f"      %rr = arith.divui %tid, %c{tpr} : index\n      %cv = arith.remui %tid, %c{tpr} : index\n"
             f"      %col = arith.muli %cv, %c8 : index\n")
    loop = (f"      %sum:{P} = scf.for %k = %c0 to %cKT step %c1 iter_args({accs}) -> ("
            + ", ".join(["f32"] * P) + ") {\n" + "".join(body)
            + f"      }} {{tl.num_stages = {stages} : i64}}\n")
    # Reduce each row's TPR partial sums across its lanes; lane 0 stores.
    tail = f"      %w = arith.constant 32 : i32\n      %first = arith.cmpi eq, %cv, %c0 : index\n"
    for p in range(P):
        v = f"%sum#{p}"
        off = tpr // 2
        while off >= 1:
            tail += (f"      %o{p}_{off} = arith.constant {off} : i32\n"
                     f"      %x{p}_{off}, %ok{p}_{off} = gpu.shuffle xor {v}, %o{p}_{off}, %w : f32\n"
                     f"      %y{p}_{off} = arith.addf {v}, %x{p}_{off} : f32\n")
            v = f"%y{p}_{off}"
            off //= 2
        tail += (f"      scf.if %first {{\n        %g{p} = arith.addi %i, %rr : index\n"
                 f"        %h{p} = arith.addi %g{p}, %c{R * p} : index\n"
                 f"        memref.store {v}, %O[%h{p}] : {O}\n      }}\n")
    mlir = module(name, "sm_90a", f"%A: {A}, %O: {O}", f"%S: {S}", T, head + loop + tail)
    drv = f'''
  static const uint16_t half[8] = {{0x0000, 0x3C00, 0x4000, 0x4200, 0x4400, 0x4500, 0x4600, 0x4700}};
  size_t n = (size_t){M} * {N}, bytes = n * 2, outBytes = {M} * sizeof(float);
  int sets = rotations(bytes);
  uint16_t *host = malloc(bytes);
  float *want = calloc({M}, sizeof *want), *back = malloc(outBytes);
  for (size_t i = 0; i < n; ++i) {{
    unsigned v = (unsigned)(i * 2654435761u >> 13) & 7u;
    host[i] = half[v];
    want[i / {N}] += (float)v;
  }}
''' + run("host", "bytes", "outBytes", f"  c.grid = (tlrt_dim3){{{M // BM}, 1, 1}};\n",
               same("want", "outBytes"), "bytes + outBytes")
    CASES.append((name, mlir, drv, ""))


def im2col_driver(N, H, W, C, K, S, P, grid):
    """The driver of a 3x3-style f16 im2col (gen_bench.py's and the
    persistent ones): the CPU im2col, an exact check, then the time against
    cuMemcpyDtoD and cuMemsetD8 of the column matrix. `grid` sets c.grid."""
    OH = (H + 2 * P - (K - 1) - 1) // S + 1
    OW = (W + 2 * P - (K - 1) - 1) // S + 1
    M, KK = N * OH * OW, K * K * C
    return f'''
  size_t nImg = (size_t){N} * {H} * {W} * {C}, n = (size_t){M} * {KK};
  size_t inBytes = nImg * 2, outBytes = n * 2;
  int sets = rotations(inBytes + outBytes);
  uint16_t *img = malloc(inBytes), *want = malloc(outBytes), *back = malloc(outBytes);
  for (size_t i = 0; i < nImg; ++i) img[i] = (uint16_t)(i * 2654435761u >> 7);
  for (long m = 0; m < {M}; ++m)
    for (long k = 0; k < {KK}; ++k) {{
      long b = m / ({OH} * {OW}), oh = (m / {OW}) % {OH}, ow = m % {OW};
      long kh = k / ({K} * {C}), kw = (k / {C}) % {K}, ch = k % {C};
      long h = oh * {S} + kh - {P}, w = ow * {S} + kw - {P};
      want[m * {KK} + k] = (h >= 0 && h < {H} && w >= 0 && w < {W}) ? img[((b * {H} + h) * {W} + w) * {C} + ch] : 0;
    }}
''' + run("img", "inBytes", "outBytes", grid, same("want", "outBytes"),
                 "inBytes + outBytes", "memsetMs(outBytes, sets)")


def im2col(name, path, N, H, W, C, K, S, P, BM, BK, T, stages, bps, into=CASES, evict=None):
    c = dict(name=name, N=N, H=H, W=W, C=C, K=K, S=S, P=P, D=1, BM=BM, BK=BK, T=T, dtype="f16")
    OH = (H + 2 * P - (K - 1) - 1) // S + 1
    OW = (W + 2 * P - (K - 1) - 1) // S + 1
    M, KK, BM, BK, Img, Col, St = gen.im2col_geometry(c)
    nk = (KK + BK - 1) // BK
    body = (f'        %cNK = arith.constant {nk} : index\n'
            f'        %cBM = arith.constant {BM} : index\n        %cBK = arith.constant {BK} : index\n'
            f'        %mt = arith.divui %q, %cNK : index\n        %kt = arith.remui %q, %cNK : index\n'
            f'        "tl.c2d_im2col"(%Img, %S, %mt, %kt) {{kernel = {K} : i64, stride = {S} : i64, '
            f'dilation = 1 : i64, pad = {P} : i64{", disable_tma" if path == "simt" else ""}}} '
            f': ({Img}, {St}, index, index) -> ()\n'
            f'        %m = arith.muli %mt, %cBM : index\n        %k = arith.muli %kt, %cBK : index\n'
            f'        %dst = {region("%Col", ["%m", "%k"], [BM, BK], Col, 2)}\n'
            f'        "tl.copy"(%S, %dst) {with_evict("{}", evict) if evict else ""} : ({St}, !tl.buffer_region) -> ()\n')
    ntiles = ((M + BM - 1) // BM) * nk
    mlir = module(name, "sm_90a", f"%Img: {Img}, %Col: {Col}", f"%S: {St}", T,
                  persistent_loop(ntiles, body, stages))
    drv = im2col_driver(N, H, W, C, K, S, P, SM_GRID.format(bps=bps))
    into.append((name, mlir, drv, "prefer-tma=true" if path == "tma" else ""))


def transpose_driver(M, N, grid):
    """The driver of an M x N f32 transpose: an exact check against the CPU
    transpose, then the time against cuMemcpyDtoD. `grid` sets c.grid."""
    return f'''
  size_t n = (size_t){M} * {N}, bytes = n * 4;
  int sets = rotations(2 * bytes);
  float *host = malloc(bytes), *back = malloc(bytes);
  for (size_t i = 0; i < n; ++i) host[i] = (float)(i % 9973);
''' + run("host", "bytes", "bytes", grid,
                 f"  for (size_t r = 0; r < {M}; ++r)\n    for (size_t q = 0; q < {N}; ++q)\n"
                 f"      if (back[q * {M} + r] != host[r * {N} + q]) {{ {WRONG} }}", "2 * bytes")


def transpose(name, path, M, N, T, stages, bps, into=CASES, vec=1):
    """vec = 4: each thread reads 4 rows of one shared column and stores
    them as one 16-byte vector (4 consecutive elements of an output row);
    vec = 1: one element per load and store."""
    A, B = gen.memref([M, N], "f32"), gen.memref([N, M], "f32")
    S = gen.memref([64, 65], "f32", gen.SHARED)
    iters = 64 * 64 // (T * vec)
    sync = "        gpu.barrier\n" if stages == 1 else ""  # no pipeline: the user's barriers
    body = (f'        %cNB = arith.constant {N // 64} : index\n'
            f'        %r = arith.divui %q, %cNB : index\n        %cc = arith.remui %q, %cNB : index\n'
            f'        %i = arith.muli %r, %c64 : index\n        %j = arith.muli %cc, %c64 : index\n'
            f'        %a = {region("%A", ["%i", "%j"], [64, 64], A, 1)}\n'
            f'        %s = {region("%S", ["%c0", "%c0"], [64, 64], S, 2)}\n'
            f'        "tl.copy"(%a, %s) {LOAD[path]} : (!tl.buffer_region, !tl.buffer_region) -> ()\n{sync}'
            f'        scf.for %kk = %c0 to %cI step %c1 {{\n'
            f'          %base = arith.muli %kk, %cT : index\n          %idx = arith.addi %base, %t : index\n')
    if vec == 1:
        body += (f'          %rw = arith.remui %idx, %c64 : index\n          %cl = arith.divui %idx, %c64 : index\n'
                 f'          %v = memref.load %S[%rw, %cl] : {S}\n'
                 f'          %gr = arith.addi %j, %cl : index\n          %gc = arith.addi %i, %rw : index\n'
                 f'          memref.store %v, %B[%gr, %gc] : {B}\n        }}\n')
    else:
        body += (f'          %rq = arith.remui %idx, %c16 : index\n          %cl = arith.divui %idx, %c16 : index\n'
                 f'          %rw = arith.muli %rq, %c4 : index\n'
                 + "".join(f'          %rw{u} = arith.addi %rw, %c{u} : index\n'
                           f'          %v{u} = memref.load %S[%rw{u}, %cl] : {S}\n' for u in range(4))
                 + f'          %v = vector.from_elements %v0, %v1, %v2, %v3 : vector<4xf32>\n'
                 f'          %gr = arith.addi %j, %cl : index\n          %gc = arith.addi %i, %rw : index\n'
                 f'          vector.store %v, %B[%gr, %gc] {{alignment = 16 : i64}} : {B}, vector<4xf32>\n'
                 f'        }}\n')
    body += sync
    head = "".join(f"      %c{v} = arith.constant {v} : index\n" for v in (0, 1, 2, 3, 4, 16, 64))
    head += (f"      %cT = arith.constant {T} : index\n"
             f"      %cI = arith.constant {iters} : index\n      %t = gpu.thread_id x\n")
    mlir = module(name, "sm_90a", f"%A: {A}, %B: {B}", f"%S: {S}", T,
                  head + persistent_loop((M // 64) * (N // 64), body, stages))
    drv = transpose_driver(M, N, SM_GRID.format(bps=bps))
    into.append((name, mlir, drv, ""))


# Persistent copies: 256 MiB (512 MiB moved) and 1 GiB (2 GiB moved)
# matrices, 16 KiB tiles, 2 and 3 stages, 3 blocks of 128 threads per SM.
for path in ["tma", "cp_async", "simt"]:
    for t, M, N, BM, BN in [("f32", 8192, 8192, 64, 64), ("f16", 8192, 16384, 64, 128),
                            ("f32", 16384, 16384, 64, 64), ("f16", 16384, 32768, 64, 128)]:
        mib = M * N * gen.SIZE[t] * 2 // (1 << 20)
        for s in (2, 3):
            persistent_copy(f"persist_{t}_{mib}mib_s{s}_{path}", path, t, M, N, BM, BN, 128, s, 3)
# Streaming K-loop, 1 to 4 stages per path.
for path in ["tma", "cp_async", "simt"]:
    for s in (1, 2, 3, 4):
        rowsum(f"rowsum_f16_8192x16384_s{s}_{path}", path, s)
# im2col, persistent and pipelined (the three ResNet layers of gen_bench.py),
# 2 blocks per SM and 3-4 stages (the sweep's best).
for path in ["simt", "tma"]:
    for tag, geo in [("n32c64h56_k3s1p1", (32, 56, 56, 64, 3, 1, 1)),
                     ("n32c256h14_k3s1p1", (32, 14, 14, 256, 3, 1, 1)),
                     ("n8c128h112_k3s2p1", (8, 112, 112, 128, 3, 2, 1))]:
        for s in (3, 4):
            im2col(f"im2col_{tag}_persist_s{s}_{path}", path, *geo, 64, 64, 256, s, 2)
# Staged transpose, pipelined.
for path in ["cp_async", "simt"]:
    for s in (2, 3):
        transpose(f"transpose_f32_8192x8192_persist_s{s}_{path}", path, 8192, 8192, 256, s, 2)

# The sweep: 8 KiB and 16 KiB f16 tiles, 2 to 8 blocks of 128 threads per
# SM, 2 to 4 stages (within 227 KiB of shared memory per SM); im2col by TMA.
for path in ["tma", "cp_async", "simt"]:
    for BN, bpss in [(64, (4, 6, 8)), (128, (2, 3, 4))]:
        for bps in bpss:
            for s in (2, 3, 4):
                if bps * s * 64 * BN * 2 <= 227 * 1024:
                    persistent_copy(f"sweep_f16_512mib_64x{BN}_b{bps}_s{s}_{path}", path, "f16",
                                    8192, 16384, 64, BN, 128, s, bps, SWEEP)
for bps in (1, 2, 4):
    for s in (2, 3, 4):
        im2col(f"sweep_im2col_n32c64h56_b{bps}_s{s}_tma", "tma", 32, 56, 56, 64, 3, 1, 1, 64, 64, 256,
               s, bps, SWEEP)
# Deeper: more stages and blocks, 128-row column tiles, 128 threads; copies
# with 32 KiB tiles and 256 threads (TL_BENCH_SET=sweep2).
SWEEP2 = []
for BM, T, bps, s in [(64, 256, 2, 6), (64, 256, 2, 8), (64, 256, 3, 6), (64, 256, 4, 6),
                      (64, 128, 4, 4), (64, 128, 6, 4), (128, 256, 2, 4), (128, 256, 2, 6),
                      (128, 256, 3, 4)]:
    im2col(f"sweep2_im2col_n32c64h56_bm{BM}_t{T}_b{bps}_s{s}_tma", "tma", 32, 56, 56, 64, 3, 1, 1,
           BM, 64, T, s, bps, SWEEP2)
for path in ["tma", "cp_async", "simt"]:
    for bps, s in [(2, 2), (2, 3), (3, 2)]:
        persistent_copy(f"sweep2_f16_512mib_128x128_t256_b{bps}_s{s}_{path}", path, "f16", 8192, 16384,
                        128, 128, 256, s, bps, SWEEP2)

# L2 eviction hints (TL_BENCH_SET=sweep3): the column matrix's stores
# evict_first, so that the image (re-read 9 times) stays in L2; copies with
# evict_first on both sides.
SWEEP3 = []
for tag, geo in [("n32c64h56_k3s1p1", (32, 56, 56, 64, 3, 1, 1)),
                 ("n32c256h14_k3s1p1", (32, 14, 14, 256, 3, 1, 1)),
                 ("n8c128h112_k3s2p1", (8, 112, 112, 128, 3, 2, 1))]:
    for ev in (None, "evict_first"):
        im2col(f"sweep3_im2col_{tag}_s4_{ev or 'normal'}_tma", "tma", *geo, 64, 64, 256, 4, 2, SWEEP3, ev)
    im2col(f"sweep3_im2col_{tag}_bm128_s6_evict_first_tma", "tma", *geo, 128, 64, 256, 6, 2, SWEEP3,
           "evict_first")
for path in ["tma", "cp_async", "simt"]:
    for ev in (None, "evict_first"):
        persistent_copy(f"sweep3_f16_512mib_s3_{ev or 'normal'}_{path}", path, "f16", 8192, 16384, 64,
                        128, 128, 3, 3, SWEEP3, ev)
# The transpose with 16-byte transposed stores (vec = 4), 1 stage (the
# user's barriers) to 3, 2-6 blocks per SM.
for bps in (2, 4, 6):
    for s in (1, 2, 3):
        if bps * s * 64 * 65 * 4 <= 227 * 1024:
            transpose(f"sweep3_transpose_v4_b{bps}_s{s}_cp_async", "cp_async", 8192, 8192, 256, s, bps,
                      SWEEP3, vec=4)
