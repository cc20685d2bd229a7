"""The GPU-suite cases of software-pipelined loops (issue 15, design.md
§3.1): `scf.for ... {tl.num_stages = N : i64}` loops whose body copies a
tile global -> shared and then reads the *current* tile, for every copy
path (TMA, cp.async, 1-D bulk, SIMT, TMA im2col), 1 to 4 stages and trip
counts 0, 1, 2, N-1, N, 37 and a run-time count (a kernel `index` argument
as the upper bound, launched with several values). The kernels are plain
tl IR: without tl-pipeline they run synchronously; once tl-to-nvvm runs it,
the same cases test the pipeline (a wrong stage, a missing wait, a refill
too early, an off-by-one in the prologue or drain all change the output).
Imported by test/GPU/gen.py, whose helpers register() binds here and whose
CASES it extends.

Two bodies:
- `acc`: an i32 accumulator in shared memory, zeroed by the kernel before
  the loop; per element acc = acc * 31 + bits(tile k) for k = 0, 1, ...
  Wrapping i32 arithmetic is exact, so the CPU's uint32_t recurrence in the
  same order is bitwise the same; and it depends on the order of the
  tiles, not only on which were read (a stage read out of turn cannot
  cancel out as it could in a sum). The reads are memref.loads, which
  tl-lower-copy does not track, so the body has its own gpu.barriers around
  them (the program is correct run synchronously). After the loop the
  accumulator is stored with tl.copy; trip count 0 gives all zeros.
- `copy`: the current tile is copied out to global tile k inside the loop
  (tl ops only, no user barriers: releasing a stage before its refill is
  the pipeline's job). Output tiles k >= the trip count stay poisoned
  (0xA5 bytes, harness.h), which the reference expects.
Inputs hold two tiles more than the loop reads (KT tiles, >= every count,
for run-time counts), so a load or a read past the trip count changes the
output."""

# gen.py's helpers, bound by register().
header = memref = SHARED = FRAG = CTYPE = RANDOM = attr = im2col_geometry = pair = None

# Per path: the chip and the load's attributes.
PATHS = {
    "tma": ("sm_90a", "{annotations = {use_tma = true}}"),
    "cp_async": ("sm_80", ""),
    "cp_async_sm90a": ("sm_90a", "{annotations = {use_cp_async = true}}"),
    "bulk": ("sm_90a", "{annotations = {use_bulk = true}}"),
    # A pipelined copy defaults to TMA on sm_90a (docs/performance.md,
    # "Defaults"): SIMT is asked for; "default" takes the default.
    "simt": ("sm_90a", "{annotations = {use_cp_async = false}, disable_tma}"),
    "default": ("sm_90a", ""),
}

def bits(t, q=""):
    """The i32 bits of a loaded element %v<q>, as %x<q> (16-bit ones
    zero-extended, as elementBits in harness.h)."""
    if t in ("f16", "bf16"):
        return f"%h{q} = arith.bitcast %v{q} : {t} to i16\n%x{q} = arith.extui %h{q} : i16 to i32\n"
    if t == "f32":
        return f"%x{q} = arith.bitcast %v{q} : f32 to i32\n"
    return f"%x{q} = arith.addi %v{q}, %c0_i32 : i32\n"


def indent(text, n):
    pad = " " * n
    return "".join(pad + line + "\n" if line else "\n" for line in text.split("\n")[:-1])


def region(buf, idx, ext, ty, access):
    n = len(ext)
    return (f'"tl.region"({buf}, {", ".join(idx)}) {{access = {access} : i32, extents = '
            f'array<i64: {", ".join(str(e) for e in ext)}>}} : ({ty}, {", ".join(["index"] * n)}) '
            '-> !tl.buffer_region')


def consts(vals):
    return "".join(f"%c{v} = arith.constant {v} : index\n" for v in sorted(set(vals)))


def per_thread(n, T, shape, body):
    """An scf.for over this thread's elements e = r*T + tid (r < n / T) of
    a tile of `shape` (1-D or 2-D; %ei, %ej its indices), doing `body`."""
    idx = ("" if len(shape) == 1 else
           f"%ei = arith.divui %e, %c{shape[1]} : index\n%ej = arith.remui %e, %c{shape[1]} : index\n")
    return (f"scf.for %r = %c0 to %c{n // T} step %c1 {{\n" +
            indent(f"%e0 = arith.muli %r, %c{T} : index\n%e = arith.addi %e0, %tid : index\n" +
                   idx + body, 2) + "}\n")


def ix(shape, e="%e"):
    return e if len(shape) == 1 else f"{e}i, {e}j"


def acc_step(S, Sty, shape, Acc, Accty, t):
    """acc = acc * 31 + bits(S[e]) at this thread's element (%ei, %ej)."""
    return (f"%v = memref.load {S}[{ix(shape)}] : {Sty}\n" + bits(t) +
            f"%o = memref.load {Acc}[{ix(shape)}] : {Accty}\n%m = arith.muli %o, %c31_i32 : i32\n"
            f"%s = arith.addi %m, %x : i32\nmemref.store %s, {Acc}[{ix(shape)}] : {Accty}\n")


def zero(n, T, shape, Acc, Accty):
    return per_thread(n, T, shape, f"memref.store %c0_i32, {Acc}[{ix(shape)}] : {Accty}\n")


def kernel(c, chip, args, wg, grid, T, body, extra_consts=()):
    """The module around a gpu.func body (given unindented)."""
    g = f", known_grid_size = array<i32: {grid[0]}, {grid[1]}, 1>" if grid else ""
    return header(c["name"], chip) + (
        f"    gpu.func @kernel({args})\n        workgroup({wg})\n"
        f"        kernel attributes {{known_block_size = array<i32: {T}, 1, 1>{g}}} {{\n" +
        indent(consts([0, 1, T] + list(extra_consts)) +
               "%c0_i32 = arith.constant 0 : i32\n%c31_i32 = arith.constant 31 : i32\n"
               "%tid = gpu.thread_id x\n%bx = gpu.block_id x\n%by = gpu.block_id y\n" + body +
               "gpu.return\n", 6) + "    }\n  }\n}\n")


def loop(c, KT, body, clamp=False):
    """scf.for %k over the case's trip count (a constant, %n, or with
    `clamp` min(%n, KT): bulk copies need the region proven in bounds)."""
    trip = c["trip"]
    if trip != "rt":
        ub, pre = f"%c{trip}", ""
    elif clamp:
        ub, pre = "%ub", f"%ub = arith.minui %n, %c{KT} : index\n"
    else:
        ub, pre = "%n", ""
    release = f', tl.stage_release = "{c["release"]}"' if "release" in c else ""
    return (pre + f"scf.for %k = %c0 to {ub} step %c1 {{\n" + indent(body, 2) +
            f"}} {{tl.num_stages = {c['s']} : i64{release}}}\n"), [] if trip == "rt" else [trip]


def kt_of(c):
    return c.get("KT", 8 if c["trip"] == "rt" else c["trip"] + 2)


def launches(c, launch, ref, nO):
    """C: for the case's trip count n (or each run-time one): the reference
    `ref` into want, a poisoned output dB of nO elements, `launch`, the
    exact comparison."""
    return launches_raw(c, ref + f"uint64_t dB = devicePoisoned({nO} * sizeof *got);\n"
                        f"CHECK({launch});\nCHECK(tlrtSynchronize());\n"
                        f"CHECK(tlrtCopyToHost(got, dB, {nO} * sizeof *got));\n"
                        f"bad |= compareExact(got, want, {nO}, sizeof *got);\n")


def launches_raw(c, each):
    """C: `each` (which sets want from n, launches and compares) for the
    case's trip count n, or for each run-time one: 0, 1, 2, N-1, N, N+1,
    KT-1, KT and the case's `more_ns`."""
    if c["trip"] != "rt":
        return f"long n = {c['trip']};\nint bad = 0;\n{{\n" + indent(each, 2) + "}\nreturn bad;\n"
    s, KT = c["s"], kt_of(c)
    ns = sorted({0, 1, 2, max(s - 1, 0), s, s + 1, KT - 1, KT} | set(c.get("more_ns", [])))
    return (f"static const long ns[] = {{{', '.join(str(v) for v in ns)}}};\nint bad = 0;\n"
            f"for (int q = 0; q < {len(ns)}; ++q) {{\n  long n = ns[q];\n" + indent(each, 2) +
            "}\nreturn bad;\n")


def kloop(c):
    """for k < trip: A[by*BM, k*BK] (BM x BK) -> S, then the body (acc or
    copy) reads S. 1-D (no BM): A is M rows of KW elements concatenated, row
    by's tile k at by*KW + k*BK (BK elements). One block per row band."""
    path, trip, t, T, BK, M = c["path"], c["trip"], c["t"], c["T"], c["BK"], c["M"]
    BM, acc = c.get("BM"), c["body"] == "acc"
    chip, a1 = PATHS[path]
    KT = kt_of(c)
    KW = KT * BK
    shape = [BM, BK] if BM else [BK]
    S, AccT = memref(shape, t, SHARED), memref(shape, "i32", SHARED)
    if BM:
        A = memref([M, KW], t)
        O = memref([M, BK], "i32") if acc else A
        grid, n = (1, M // BM), BM * BK
        start = f"%i = arith.muli %by, %c{BM} : index\n"
        at = lambda j: ["%i", j]
        k0 = f"%j = arith.muli %k, %c{BK} : index\n"
        oidx = ["%i", "%c0"]
    else:
        A = memref([M * KW], t)
        O = memref([M * BK], "i32") if acc else A
        grid, n = (1, M), BK
        start = f"%row = arith.muli %by, %c{KW} : index\n%orow = arith.muli %by, %c{BK} : index\n"
        at = lambda j: [j]
        k0 = f"%j0 = arith.muli %k, %c{BK} : index\n%j = arith.addi %row, %j0 : index\n"
        oidx = ["%orow"]
    rt = trip == "rt"
    body = (k0 + f"%a = {region('%A', at('%j'), shape, A, 1)}\n"
            f'"tl.copy"(%a, %S) {a1} : (!tl.buffer_region, {S}) -> ()\n')
    if acc:
        body += ("gpu.barrier\n" + per_thread(n, T, shape, acc_step("%S", S, shape, "%Acc", AccT, t)) +
                 "gpu.barrier\n")
        wg = f"%S: {S}, %Acc: {AccT}"
    elif c["body"] == "ldsm":
        # Current stage -> fragment (ldmatrix) -> global tile k.
        F = memref(shape, t, FRAG)
        body += (f'"tl.copy"(%S, %F) {{annotations = {{use_ldmatrix = true}}}} : ({S}, {F}) -> ()\n'
                 f"%b = {region('%B', at('%j'), shape, O, 2)}\n"
                 f'"tl.copy"(%F, %b) : ({F}, !tl.buffer_region) -> ()\n')
        start += f"%F = memref.alloca() : {F}\n"
        wg = f"%S: {S}"
    else:
        body += (f"%b = {region('%B', at('%j'), shape, O, 2)}\n"
                 f'"tl.copy"(%S, %b) {c.get("st", "")} : ({S}, !tl.buffer_region) -> ()\n')
        wg = f"%S: {S}"
    lp, ubc = loop(c, KT, body, clamp=path == "bulk")
    text = start + (zero(n, T, shape, "%Acc", AccT) if acc else "") + lp
    if acc:
        text += (f"gpu.barrier\n%b = {region('%B', oidx, shape, O, 2)}\n"
                 f'"tl.copy"(%Acc, %b) : ({AccT}, !tl.buffer_region) -> ()\n')
    args = f"%A: {A}, %B: {O}" + (", %n: index" if rt else "")
    mlir = kernel(c, chip, args, wg, grid, T, text, [BK, n // T, KW, KT] + ([BM] if BM else []) + ubc)
    # C: row r's tile k is elements r*KW + k*BK ... + BK.
    nA = f"(size_t){M} * {KW}"
    nk = f"long nk = n < {KT} ? n : {KT};\n"
    if acc:
        nO = f"(size_t){M} * {BK}"
        ref = (nk + f"for (size_t r = 0; r < {M}; ++r)\n  for (size_t j = 0; j < {BK}; ++j) {{\n"
               "    uint32_t h = 0;\n    for (long k = 0; k < nk; ++k)\n"
               f"      h = h * 31u + elementBits(&a[r * {KW} + k * {BK} + j], sizeof *a);\n"
               f"    want[r * {BK} + j] = h;\n  }}\n")
        wty = "uint32_t"
    else:
        nO = nA
        ref = (nk + f"memset(want, 0xA5, {nO} * sizeof *want);\n"
               f"for (size_t r = 0; r < {M}; ++r)\n  for (long k = 0; k < nk; ++k)\n"
               f"    memcpy(&want[r * {KW} + k * {BK}], &a[r * {KW} + k * {BK}], {BK} * sizeof *a);\n")
        wty = CTYPE[t]
    harness = (f"{CTYPE[t]} *a = malloc({nA} * sizeof *a);\n"
               f"{wty} *want = malloc({nO} * sizeof *want), *got = malloc({nO} * sizeof *got);\n"
               f"for (size_t i = 0; i < {nA}; ++i) a[i] = {RANDOM[t]};\n"
               f"uint64_t dA = deviceFrom(a, {nA} * sizeof *a);\n"
               f"tlrt_dim3 grid = {{{grid[0]}, {grid[1]}, 1}};\n" +
               launches(c, "tl_launch_kernel(NULL, grid, dA, dB" + (", n)" if rt else ")"), ref, nO))
    return mlir, indent(harness, 2)



def harness_top(decls, grid, launch, ref, nO, c):
    return indent(decls + f"tlrt_dim3 grid = {{{grid}}};\n" + launches(c, launch, ref, nO), 2)


def im2col_loop(c):
    """for k < trip: tl.c2d_im2col(Img, S, bx, k) (column tile (bx, k) of
    the column matrix), then the body reads S: acc (Acc -> O[bx*BM, 0]) or
    copy (S -> Col[bx*BM, k*BK]). The tile grid is gen.py's im2col case's."""
    M, K, BM, BK, Img, Col, S = im2col_geometry(c)
    N, H, W, C, t, T = c["N"], c["H"], c["W"], c["C"], c["dtype"], c["T"]
    (KH, KW), (SH, SW) = pair(c["K"]), pair(c["S"])
    (PH, PW), (DH, DW) = pair(c["P"]), pair(c["D"])
    OH = (H + 2 * PH - DH * (KH - 1) - 1) // SH + 1
    OW = (W + 2 * PW - DW * (KW - 1) - 1) // SW + 1
    KT = c["KT"] = K // BK
    assert c["trip"] == "rt" or c["trip"] <= KT
    acc, rt, n = c["body"] == "acc", c["trip"] == "rt", BM * BK
    AccT = memref([BM, BK], "i32", SHARED)
    O = memref([M, BK], "i32") if acc else Col
    params = (f'{{kernel = {attr(c["K"])}, stride = {attr(c["S"])}, '
              f'dilation = {attr(c["D"])}, pad = {attr(c["P"])}'
              f'{", disable_tma" if c.get("no_tma") else ""}}}')
    body = f'"tl.c2d_im2col"(%Img, %S, %bx, %k) {params} : ({Img}, {S}, index, index) -> ()\n'
    if acc:
        body += ("gpu.barrier\n" + per_thread(n, T, [BM, BK], acc_step("%S", S, [BM, BK], "%Acc", AccT, t)) +
                 "gpu.barrier\n")
        wg = f"%S: {S}, %Acc: {AccT}"
    else:
        body += (f"%kk = arith.muli %k, %c{BK} : index\n"
                 f"%d = {region('%B', ['%m0', '%kk'], [BM, BK], O, 2)}\n"
                 f'"tl.copy"(%S, %d) : ({S}, !tl.buffer_region) -> ()\n')
        wg = f"%S: {S}"
    lp, ubc = loop(c, KT, body)
    text = f"%m0 = arith.muli %bx, %c{BM} : index\n"
    text += (zero(n, T, [BM, BK], "%Acc", AccT) if acc else "") + lp
    if acc:
        text += (f"gpu.barrier\n%b = {region('%B', ['%m0', '%c0'], [BM, BK], O, 2)}\n"
                 f'"tl.copy"(%Acc, %b) : ({AccT}, !tl.buffer_region) -> ()\n')
    args = f"%Img: {Img}, %B: {O}" + (", %n: index" if rt else "")
    mlir = kernel(c, c.get("chip", "sm_90a"), args, wg, None, T, text, [BM, BK, n // T] + ubc)
    # C: the whole column matrix (docs/im2col.md's formulas), then the
    # reference of the first nk column tiles.
    decls = (f"size_t nImg = (size_t){N} * {H} * {W} * {C}, nCol = (size_t){M} * {K};\n"
             f"{CTYPE[t]} *img = malloc(nImg * sizeof *img), *col = malloc(nCol * sizeof *col);\n"
             f"for (size_t i = 0; i < nImg; ++i) img[i] = {RANDOM[t]};\n"
             f"for (long m = 0; m < {M}; ++m)\n  for (long k = 0; k < {K}; ++k) {{\n"
             f"    long b = m / ({OH} * {OW}), oh = (m / {OW}) % {OH}, ow = m % {OW};\n"
             f"    long kh = k / ({KW} * {C}), kw = (k / {C}) % {KW}, ch = k % {C};\n"
             f"    long h = oh * {SH} + kh * {DH} - {PH}, w = ow * {SW} + kw * {DW} - {PW};\n"
             f"    {CTYPE[t]} v;\n    memset(&v, 0, sizeof v);\n"
             f"    if (h >= 0 && h < {H} && w >= 0 && w < {W})\n"
             f"      v = img[((b * {H} + h) * {W} + w) * {C} + ch];\n"
             f"    col[m * {K} + k] = v;\n  }}\n"
             "uint64_t dI = deviceFrom(img, nImg * sizeof *img);\n")
    nk = f"long nk = n < {KT} ? n : {KT};\n"
    if acc:
        nO = f"(size_t){M} * {BK}"
        decls += f"uint32_t *want = malloc({nO} * sizeof *want), *got = malloc({nO} * sizeof *got);\n"
        ref = (nk + f"for (size_t m = 0; m < {M}; ++m)\n  for (size_t j = 0; j < {BK}; ++j) {{\n"
               "    uint32_t h = 0;\n    for (long k = 0; k < nk; ++k)\n"
               f"      h = h * 31u + elementBits(&col[m * {K} + k * {BK} + j], sizeof *col);\n"
               f"    want[m * {BK} + j] = h;\n  }}\n")
    else:
        nO = "nCol"
        decls += f"{CTYPE[t]} *want = malloc(nCol * sizeof *want), *got = malloc(nCol * sizeof *got);\n"
        ref = (nk + "memset(want, 0xA5, nCol * sizeof *want);\n"
               f"for (size_t m = 0; m < {M}; ++m)\n"
               f"  memcpy(&want[m * {K}], &col[m * {K}], (size_t)nk * {BK} * sizeof *col);\n")
    grid = f"({M} + {BM} - 1) / {BM}, 1, 1"
    launch = "tl_launch_kernel(NULL, grid, dI, dB" + (", n)" if rt else ")")
    return mlir, harness_top(decls, grid, launch, ref, nO, c)


def two_copies(c):
    """One block; per k two pipelined copies into two stages' buffers:
    A[0, k*32] (64 x 32) -> SA and B[k*32, 0] (32 x 64) -> SB (a GEMM's A
    and B tiles). copy: both copied out to OA / OB tile k; acc: per element
    e, acc = (acc * 31 + bits(SA[e])) * 31 + bits(SB[e]) (row-major e)."""
    path, trip, t, T = c["path"], c["trip"], c["t"], c["T"]
    chip, a1 = PATHS[path]
    KT = kt_of(c)
    KW, acc, rt = KT * 32, c["body"] == "acc", trip == "rt"
    A, B = memref([64, KW], t), memref([KW, 64], t)
    SA, SB = memref([64, 32], t, SHARED), memref([32, 64], t, SHARED)
    AccT = memref([64, 32], "i32", SHARED)
    body = ("%j = arith.muli %k, %c32 : index\n"
            f"%a = {region('%A', ['%c0', '%j'], [64, 32], A, 1)}\n"
            f'"tl.copy"(%a, %SA) {a1} : (!tl.buffer_region, {SA}) -> ()\n'
            f"%b = {region('%B', ['%j', '%c0'], [32, 64], B, 1)}\n"
            f'"tl.copy"(%b, %SB) {a1} : (!tl.buffer_region, {SB}) -> ()\n')
    if acc:
        step = (acc_step("%SA", SA, [64, 32], "%Acc", AccT, t) +
                "%bi = arith.divui %e, %c64 : index\n%bj = arith.remui %e, %c64 : index\n"
                f"%v2 = memref.load %SB[%bi, %bj] : {SB}\n" + bits(t, "2") +
                "%m2 = arith.muli %s, %c31_i32 : i32\n%s2 = arith.addi %m2, %x2 : i32\n"
                f"memref.store %s2, %Acc[%ei, %ej] : {AccT}\n")
        body += "gpu.barrier\n" + per_thread(2048, T, [64, 32], step) + "gpu.barrier\n"
        wg, args = f"%SA: {SA}, %SB: {SB}, %Acc: {AccT}", f"%A: {A}, %B: {B}, %O: {memref([64, 32], 'i32')}"
    else:
        body += (f"%oa = {region('%OA', ['%c0', '%j'], [64, 32], A, 2)}\n"
                 f'"tl.copy"(%SA, %oa) : ({SA}, !tl.buffer_region) -> ()\n'
                 f"%ob = {region('%OB', ['%j', '%c0'], [32, 64], B, 2)}\n"
                 f'"tl.copy"(%SB, %ob) : ({SB}, !tl.buffer_region) -> ()\n')
        wg, args = f"%SA: {SA}, %SB: {SB}", f"%A: {A}, %B: {B}, %OA: {A}, %OB: {B}"
    lp, ubc = loop(c, KT, body)
    text = (zero(2048, T, [64, 32], "%Acc", AccT) if acc else "") + lp
    if acc:
        text += (f"gpu.barrier\n%o = {region('%O', ['%c0', '%c0'], [64, 32], memref([64, 32], 'i32'), 2)}\n"
                 f'"tl.copy"(%Acc, %o) : ({AccT}, !tl.buffer_region) -> ()\n')
    args += ", %n: index" if rt else ""
    mlir = kernel(c, chip, args, wg, (1, 1), T, text, [32, 64, KW, 2048 // T] + ubc)
    nA, ty = f"(size_t)64 * {KW}", CTYPE[t]
    decls = (f"{ty} *a = malloc({nA} * sizeof *a), *b = malloc({nA} * sizeof *b);\n"
             f"for (size_t i = 0; i < {nA}; ++i) a[i] = {RANDOM[t]};\n"
             f"for (size_t i = 0; i < {nA}; ++i) b[i] = {RANDOM[t]};\n"
             f"uint64_t dA = deviceFrom(a, {nA} * sizeof *a), dB0 = deviceFrom(b, {nA} * sizeof *b);\n")
    nk = f"long nk = n < {KT} ? n : {KT};\n"
    tail = ", n)" if rt else ")"
    if acc:
        decls += "uint32_t *want = malloc(2048 * sizeof *want), *got = malloc(2048 * sizeof *got);\n"
        ref = (nk + "for (size_t e = 0; e < 2048; ++e) {\n  uint32_t h = 0;\n"
               "  for (long k = 0; k < nk; ++k) {\n"
               f"    h = h * 31u + elementBits(&a[(e / 32) * {KW} + k * 32 + e % 32], sizeof *a);\n"
               "    h = h * 31u + elementBits(&b[(k * 32 + e / 64) * 64 + e % 64], sizeof *b);\n"
               "  }\n  want[e] = h;\n}\n")
        return mlir, harness_top(decls, "1, 1, 1", "tl_launch_kernel(NULL, grid, dA, dB0, dB" + tail,
                                 ref, "(size_t)2048", c)
    # Both outputs in one buffer pair: want/got hold OA then OB.
    decls += (f"{ty} *want = malloc(2 * {nA} * sizeof *want), *got = malloc(2 * {nA} * sizeof *got);\n")
    ref = (nk + f"memset(want, 0xA5, 2 * {nA} * sizeof *want);\n"
           f"for (size_t r = 0; r < 64; ++r)\n"
           f"  memcpy(&want[r * {KW}], &a[r * {KW}], (size_t)nk * 32 * sizeof *a);\n"
           f"memcpy(&want[{nA}], b, (size_t)nk * 32 * 64 * sizeof *b);\n")
    each = (ref + f"uint64_t dB = devicePoisoned(2 * {nA} * sizeof *got), dOB = dB + {nA} * sizeof *got;\n"
            f"CHECK(tl_launch_kernel(NULL, grid, dA, dB0, dB, dOB{tail});\nCHECK(tlrtSynchronize());\n"
            f"CHECK(tlrtCopyToHost(got, dB, 2 * {nA} * sizeof *got));\n"
            f"bad |= compareExact(got, want, 2 * {nA}, sizeof *got);\n")
    return mlir, indent(decls + "tlrt_dim3 grid = {1, 1, 1};\n" + launches_raw(c, each), 2)


def persistent(c):
    """One block walks the BM x BN tiles of an M x N matrix, tile q at row
    q / (N / BN), column q % (N / BN): load tile q -> S, store S -> tile q
    (the store of tile q overlaps the load of tile q+1 once pipelined).
    Tiles q >= the trip count stay poisoned."""
    path, trip, t, T = c["path"], c["trip"], c["t"], c["T"]
    M, N, BM, BN = c["M"], c["N"], c["BM"], c["BN"]
    chip, a1 = PATHS[path]
    KT = c["KT"] = (M // BM) * (N // BN)
    A, S = memref([M, N], t), memref([BM, BN], t, SHARED)
    body = (f"%r = arith.divui %k, %c{N // BN} : index\n%q = arith.remui %k, %c{N // BN} : index\n"
            f"%i = arith.muli %r, %c{BM} : index\n%j = arith.muli %q, %c{BN} : index\n"
            f"%a = {region('%A', ['%i', '%j'], [BM, BN], A, 1)}\n"
            f'"tl.copy"(%a, %S) {a1} : (!tl.buffer_region, {S}) -> ()\n'
            f"%b = {region('%B', ['%i', '%j'], [BM, BN], A, 2)}\n"
            f'"tl.copy"(%S, %b) {c.get("st", "")} : ({S}, !tl.buffer_region) -> ()\n')
    lp, ubc = loop(c, KT, body)
    rt = trip == "rt"
    args = f"%A: {A}, %B: {A}" + (", %n: index" if rt else "")
    mlir = kernel(c, chip, args, f"%S: {S}", (1, 1), T, lp, [BM, BN, N // BN] + ubc)
    nA = f"(size_t){M} * {N}"
    decls = (f"{CTYPE[t]} *a = malloc({nA} * sizeof *a);\n"
             f"{CTYPE[t]} *want = malloc({nA} * sizeof *want), *got = malloc({nA} * sizeof *got);\n"
             f"for (size_t i = 0; i < {nA}; ++i) a[i] = {RANDOM[t]};\n"
             f"uint64_t dA = deviceFrom(a, {nA} * sizeof *a);\n")
    ref = (f"long nk = n < {KT} ? n : {KT};\nmemset(want, 0xA5, {nA} * sizeof *want);\n"
           "for (long q = 0; q < nk; ++q)\n"
           f"  for (long r = 0; r < {BM}; ++r) {{\n"
           f"    size_t at = (size_t)(q / {N // BN} * {BM} + r) * {N} + (size_t)(q % {N // BN}) * {BN};\n"
           f"    memcpy(&want[at], &a[at], {BN} * sizeof *a);\n  }}\n")
    launch = "tl_launch_kernel(NULL, grid, dA, dB" + (", n)" if rt else ")")
    return mlir, harness_top(decls, "1, 1, 1", launch, ref, nA, c)


# Per copy path: (stages, trip count, body) covering 1-4 stages and trip
# counts 0, 1, 2, N-1, N, 37 and run-time; a trip-0 copy-out leaves the
# output poisoned, a trip-0 accumulator is all zeros.
MATRIX = [(1, 0, "acc"), (1, 37, "copy"), (2, 1, "copy"), (2, "rt", "acc"), (3, 2, "copy"),
          (3, 3, "acc"), (3, 37, "acc"), (4, 3, "acc"), (4, 4, "copy"), (4, "rt", "copy")]


def register(g):
    """Binds gen.py's helpers and appends this file's cases to its CASES."""
    for name in ("header", "memref", "SHARED", "FRAG", "CTYPE", "RANDOM", "attr",
                 "im2col_geometry", "pair"):
        globals()[name] = getattr(g, name)
    add = g.add

    def name(kind, s, trip, body, t):
        return f"pipe_{kind}_s{s}_t{trip}_{body}_{t}"

    # 2-D K-loops: 64 x 32 tiles of a 128-row matrix (two blocks); some
    # 32 x 32 tiles of 4-byte types. TMA: stores in the loop by TMA too in
    # two cases (their bulk-group read waits are deferred to the refill).
    for path, types in [("tma", "f16 f16 f32 f16 f16 i32 f16 f16 f16 f16"),
                        ("cp_async", "f16 f16 bf16 f16 f16 f32 f16 f16 f16 f16"),
                        ("simt", "f32 f16 f16 f16 f32 f16 f16 i32 f16 f16")]:
        for (s, trip, body), t in zip(MATRIX, types.split()):
            BM = 64 if t in ("f16", "bf16") else 32
            st = "{annotations = {use_tma = true}}" if path == "tma" and trip in (37, "rt") else ""
            add(kloop, name=name(path, s, trip, body, t), path=path, s=s, trip=trip, body=body, t=t,
                M=2 * BM, BM=BM, BK=32, T=128, st=st)
    # 1-D bulk copies: a row band of 512 f32 (or 1024 f16) elements per
    # tile, proven in bounds (known grid, constant or min(n, KT) bound).
    # Trip count 0 only at run time: a loop that never runs has no index
    # range (support/IndexRange.c), so use_bulk = true is refused there.
    for (s, trip, body), t in zip(MATRIX, "f32 f32 f16 f32 f32 f16 f32 f32 f32 f16".split()):
        trip = "rt" if trip == 0 else trip
        add(kloop, name=name("bulk", s, trip, body, t), path="bulk", s=s, trip=trip, body=body, t=t,
            M=4, BK=512 if t == "f32" else 1024, T=128, more_ns=[13])
    # cp.async on demand on sm_90a; the default path (TMA) of a pipelined copy.
    add(kloop, name=name("cp_async_sm90a", 3, 37, "copy", "f16"), path="cp_async_sm90a", s=3, trip=37,
        body="copy", t="f16", M=128, BM=64, BK=32, T=128)
    add(kloop, name=name("default", 2, 2, "acc", "f16"), path="default", s=2, trip=2,
        body="acc", t="f16", M=128, BM=64, BK=32, T=128)
    # Stages beyond 48 KiB: in dynamic shared memory (support/DynamicShared.c),
    # the launcher raising the limit: 3 x 32 KiB by TMA, 4 x 16 KiB by cp.async.
    add(kloop, name=name("tma_dynsmem", 3, 37, "copy", "f16"), path="tma", s=3, trip=37,
        body="copy", t="f16", M=512, BM=256, BK=64, T=128, st="{annotations = {use_tma = true}}")
    add(kloop, name=name("cp_async_dynsmem", 4, 9, "copy", "f16"), path="cp_async", s=4, trip=9,
        body="copy", t="f16", M=256, BM=128, BK=64, T=128)
    # The stage release on empty mbarriers (tl.stage_release = "mbarrier",
    # copy/Release.c): one arrival per warp, and every thread arriving in a
    # block of 16 threads (not a whole warp).
    add(kloop, name=name("tma_release_mbarrier", 3, 37, "acc", "f16"), path="tma", s=3, trip=37,
        body="acc", t="f16", M=128, BM=64, BK=32, T=128, release="mbarrier")
    add(kloop, name=name("tma_release_mbarrier", 4, "rt", "copy", "f16"), path="tma", s=4, trip="rt",
        body="copy", t="f16", M=128, BM=64, BK=32, T=128, release="mbarrier")
    add(kloop, name=name("tma_release_t16", 3, 37, "acc", "f16"), path="tma", s=3, trip=37,
        body="acc", t="f16", M=128, BM=64, BK=32, T=16, release="mbarrier")
    # Stage -> fragment (ldmatrix) -> global tile k.
    add(kloop, name=name("tma", 3, 37, "ldsm", "f16"), path="tma", s=3, trip=37, body="ldsm", t="f16",
        M=128, BM=64, BK=32, T=128)
    add(kloop, name=name("cp_async", 2, "rt", "ldsm", "f16"), path="cp_async", s=2, trip="rt",
        body="ldsm", t="f16", M=128, BM=64, BK=32, T=128)
    # TMA im2col K-loops over the column tiles of a 3x3 convolution (C = 80:
    # 45 tiles of 16 channels), compiled with prefer-tma (TMA im2col has no
    # per-op demand); one stride-2 geometry whose last row tile hangs over
    # M; one SIMT im2col loop.
    geo = dict(N=2, H=8, W=8, C=80, K=3, S=1, P=1, D=1, BM=64, BK=16, T=128)
    geo2 = dict(N=2, H=9, W=7, C=48, K=3, S=2, P=1, D=1, BM=64, BK=16, T=128)
    for s, trip, body, t, gg in [(1, 1, "acc", "f16", geo), (1, 37, "copy", "f32", geo),
                                 (2, 0, "copy", "f16", geo), (2, 37, "acc", "f16", geo),
                                 (3, 2, "copy", "f16", geo2), (3, "rt", "acc", "f16", geo),
                                 (4, 4, "acc", "f32", geo), (4, 3, "copy", "f16", geo)]:
        add(im2col_loop, name=name("tma_im2col", s, trip, body, t), s=s, trip=trip, body=body,
            dtype=t, prefer_tma=True, **gg)
    add(im2col_loop, name=name("simt_im2col", 3, 37, "acc", "f16"), s=3, trip=37, body="acc",
        dtype="f16", no_tma=True, **geo)
    add(im2col_loop, name=name("default_im2col", 2, 9, "copy", "f16"), s=2, trip=9, body="copy",
        dtype="f16", **geo)
    # Two pipelined copies per stage (A 64 x 32 and B 32 x 64 tiles).
    for path, s, trip, body in [("tma", 3, 37, "copy"), ("tma", 4, "rt", "acc"),
                                ("cp_async", 2, 2, "acc"), ("simt", 1, 3, "copy")]:
        add(two_copies, name=name("two_" + path, s, trip, body, "f16"), path=path, s=s, trip=trip,
            body=body, t="f16", T=128)
    # Persistent copy loops: one block, 24 tiles of 64 x 32 (or a run-time
    # count of them).
    for path, s, trip, st in [("tma", 2, 24, "{annotations = {use_tma = true}}"),
                              ("tma", 4, "rt", "{annotations = {use_tma = true}}"),
                              ("cp_async", 3, 24, ""), ("simt", 4, 24, "")]:
        add(persistent, name=name("persistent_" + path, s, trip, "copy", "f16"), path=path, s=s,
            trip=trip, t="f16", M=256, N=192, BM=64, BN=32, T=128, st=st)
