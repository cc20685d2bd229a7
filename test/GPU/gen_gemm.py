"""The GPU-suite cases of a GEMM whose data movement is tl and whose math is
nvgpu.mma.sync (issue 18; docs/mma-interop.md): C = A Bᵀ, A M x K and Bt
N x K f16 (K-major), C M x N f16, f32 accumulation. A block of 4 warps
computes a 64 x 64 tile; each K step of 32:

- A[m0:+64, k:+32] and Bt[n0:+64, k:+32] -> shared by tl.copy, pipelined by
  tl-pipeline (`tl.num_stages = 3`; cp.async on sm_80, TMA on sm_90a by
  the split-phase default);
- every warp needs all of Bᵀ: tl's fragment layouts do not replicate yet,
  so four tl.copy ops put four copies of the Bᵀ tile into SB4 (256 x 32)
  and ldmatrix gives warp w the rows 64w .. 64w+63 of it;
- ldmatrix fragments FA (64 x 32) and FB (256 x 32); tl.fragment_read
  hands each k-step's operands to nvgpu.mma.sync m16n8k16: A locals 8s ..
  8s+7, Bᵀ n-tile j locals 2(16s + j) and 2(16s + 8 + j);
- eight vector<2x2xf32> accumulators per thread are loop-carried; after
  the loop they go into an f32 fragment with mma.sync's C layout
  (`tl.mma_accumulator = "m16n8k16"`, which tl-infer-layouts turns into
  the layout; the hand-written map it replaced gave byte-identical PTX)
  with tl.fragment_write, and one tl.copy stores the tile with its f32 ->
  f16 cast, clipped at the matrix's edges (loads past M, N or K read
  zeros).

The check: every C element against a CPU reference in double, within
2^-10 |ref| + 2 K 2^-24 sum_k |a b| (f16 products are exact in f32; an f32
sum of K terms in any order is within K u sum |a b| of the exact one, u =
2^-24; the f16 output rounds within 2^-11 relative). Imported by
test/GPU/gen.py, whose helpers register() binds here and whose CASES it
extends."""

# gen.py's helpers, bound by register().
header = None

BM, BN, BK, T = 64, 64, 32, 128
def gemm_kernel(name, chip, M, N, K, stages=3):
    KT = -(-K // BK)
    A, Bt, C = f"memref<{M}x{K}xf16>", f"memref<{N}x{K}xf16>", f"memref<{M}x{N}xf16>"
    SA = f"memref<{BM}x{BK}xf16, #gpu.address_space<workgroup>>"
    SB = f"memref<{BN}x{BK}xf16, #gpu.address_space<workgroup>>"
    SB4 = f"memref<{4 * BN}x{BK}xf16, #gpu.address_space<workgroup>>"
    FA, FB = f"memref<{BM}x{BK}xf16, #tl.fragment>", f"memref<{4 * BN}x{BK}xf16, #tl.fragment>"
    FC = f"memref<{BM}x{BN}xf32, #tl.fragment>"
    V4, V2, ACC = "vector<4x2xf16>", "vector<2x2xf16>", "vector<2x2xf32>"
    accs = ", ".join(f"%acc{j} = %zero" for j in range(8))
    body = [f"        %k0 = arith.muli %k, %c{BK} : index\n",
            f'        %a = "tl.region"(%A, %m0, %k0) {{access = 1 : i32, extents = array<i64: {BM}, {BK}>}} '
            f": ({A}, index, index) -> !tl.buffer_region\n",
            f'        "tl.copy"(%a, %SA) : (!tl.buffer_region, {SA}) -> ()\n',
            f'        %b = "tl.region"(%Bt, %n0, %k0) {{access = 1 : i32, extents = array<i64: {BN}, {BK}>}} '
            f": ({Bt}, index, index) -> !tl.buffer_region\n",
            f'        "tl.copy"(%b, %SB) : (!tl.buffer_region, {SB}) -> ()\n']
    for w in range(4):
        body.append(f'        %d{w} = "tl.region"(%SB4, %c{64 * w}, %c0) {{access = 2 : i32, extents = '
                    f"array<i64: {BN}, {BK}>}} : ({SB4}, index, index) -> !tl.buffer_region\n"
                    f'        "tl.copy"(%SB, %d{w}) : ({SB}, !tl.buffer_region) -> ()\n')
    body.append(f'        "tl.copy"(%SA, %FA) {{annotations = {{use_ldmatrix = true}}}} : ({SA}, {FA}) -> ()\n'
                f'        "tl.copy"(%SB4, %FB) {{annotations = {{use_ldmatrix = true}}}} : ({SB4}, {FB}) -> ()\n')
    cur = [f"%acc{j}" for j in range(8)]
    for s in range(2):
        body.append(f'        %a{s} = "tl.fragment_read"(%FA) {{offset = {8 * s} : i64}} : ({FA}) -> {V4}\n')
        for j in range(8):
            q = f"{s}_{j}"
            body.append(
                f'        %bl{q} = "tl.fragment_read"(%FB) {{offset = {2 * (16 * s + j)} : i64}} : ({FB}) -> vector<2xf16>\n'
                f'        %bh{q} = "tl.fragment_read"(%FB) {{offset = {2 * (16 * s + 8 + j)} : i64}} : ({FB}) -> vector<2xf16>\n'
                f"        %bx{q} = vector.insert %bl{q}, %zb [0] : vector<2xf16> into {V2}\n"
                f"        %bv{q} = vector.insert %bh{q}, %bx{q} [1] : vector<2xf16> into {V2}\n"
                f"        %n{q} = nvgpu.mma.sync (%a{s}, %bv{q}, {cur[j]}) {{mmaShape = [16, 8, 16]}} : "
                f"({V4}, {V2}, {ACC}) -> {ACC}\n")
            cur[j] = f"%n{q}"
    body.append("        scf.yield " + ", ".join(cur) + " : " + ", ".join([ACC] * 8) + "\n")
    consts = "".join(f"      %c{v} = arith.constant {v} : index\n" for v in sorted({0, 1, BK, BM, 64, 128, 192}))
    out = "".join(f'      "tl.fragment_write"(%FC, %res#{j}) {{offset = {4 * j} : i64}} : ({FC}, {ACC}) -> ()\n'
                  for j in range(8))
    return header(name, chip) + f'''    gpu.func @gemm(%A: {A}, %Bt: {Bt}, %C: {C})
        workgroup(%SA: {SA}, %SB: {SB}, %SB4: {SB4})
        kernel attributes {{known_block_size = array<i32: {T}, 1, 1>}} {{
{consts}      %cKT = arith.constant {KT} : index
      %zero = arith.constant dense<0.0> : {ACC}
      %zb = arith.constant dense<0.0> : {V2}
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %m0 = arith.muli %by, %c{BM} : index
      %n0 = arith.muli %bx, %c64 : index
      %FA = memref.alloca() : {FA}
      %FB = memref.alloca() : {FB}
      %FC = memref.alloca() {{tl.mma_accumulator = "m16n8k16"}} : {FC}
      %res:8 = scf.for %k = %c0 to %cKT step %c1 iter_args({accs}) -> ({", ".join([ACC] * 8)}) {{
{"".join(body)}      }} {{tl.num_stages = {stages} : i64}}
{out}      %o = "tl.region"(%C, %m0, %n0) {{access = 2 : i32, extents = array<i64: {BM}, {BN}>}} : ({C}, index, index) -> !tl.buffer_region
      "tl.copy"(%FC, %o) : ({FC}, !tl.buffer_region) -> ()
      gpu.return
    }}
  }}
}}
'''


def gemm_harness(M, N, K, BM=64, BN=64):
    return f'''
  size_t nA = (size_t){M} * {K}, nB = (size_t){N} * {K}, nC = (size_t){M} * {N};
  uint16_t *a = malloc(nA * 2), *bt = malloc(nB * 2), *got = malloc(nC * 2);
  for (size_t i = 0; i < nA; ++i) a[i] = floatToHalf(randomFloat() / 4.0f);
  for (size_t i = 0; i < nB; ++i) bt[i] = floatToHalf(randomFloat() / 4.0f);
  uint64_t dA = deviceFrom(a, nA * 2), dB = deviceFrom(bt, nB * 2), dC = devicePoisoned(nC * 2);
  tlrt_dim3 grid = {{({N} + {BN - 1}) / {BN}, ({M} + {BM - 1}) / {BM}, 1}};
  CHECK(tl_launch_gemm(NULL, grid, dA, dB, dC));
  CHECK(tlrtSynchronize());
  CHECK(tlrtCopyToHost(got, dC, nC * 2));
  size_t bad = 0;
  double worst = 0;
  for (size_t m = 0; m < {M}; ++m)
    for (size_t n = 0; n < {N}; ++n) {{
      double ref = 0, mag = 0;
      for (size_t k = 0; k < {K}; ++k) {{
        double p = (double)halfToFloat(a[m * {K} + k]) * (double)halfToFloat(bt[n * {K} + k]);
        ref += p;
        mag += p < 0 ? -p : p;
      }}
      checkMma("C", m, n, halfToFloat(got[m * {N} + n]), ref, mag, {K}, &bad, &worst);
    }}
  return reportMma(bad, nC, worst);
'''


def gemm(c):
    return (gemm_kernel(c["name"], c.get("chip", "sm_80"), c["M"], c["N"], c["K"]),
            gemm_harness(c["M"], c["N"], c["K"]))


EXAMPLE_HEAD = """// A GEMM whose data movement is tl and whose math is nvgpu.mma.sync (issue
// 18, docs/mma-interop.md): C = A Bt^T, A 512 x 512 and Bt 512 x 512 f16
// (both K-major), C 512 x 512 f16, f32 accumulation, sm_80.
//
// A block of 4 warps computes a 64 x 64 tile of C. Each K step of 32: the
// A and Bt tiles go global -> shared by tl.copy, software-pipelined over 3
// stages (cp.async); four tl.copy ops replicate the Bt tile into %SB4 so
// that each warp's ldmatrix slice of %FB holds all of it (tl's layouts do
// not replicate yet); ldmatrix fragments %FA and %FB; tl.fragment_read hands
// each thread's registers to nvgpu.mma.sync m16n8k16 (A: locals 8s..8s+7,
// Bt n-tile j: locals 2(16s+j) and 2(16s+8+j)); eight accumulators are
// loop-carried. After the loop tl.fragment_write puts them into %FC, which
// asks tl-infer-layouts for mma.sync's C layout (tl.mma_accumulator), and
// one tl.copy stores the tile with the f32 -> f16 cast.
//
// Generated by `python3 test/GPU/gen_gemm.py --example` (test/Examples/
// gemm-example.test keeps the two in sync); checked on the GPU by
// the GPU suite with the generator's harness (example_harness).
"""


def example_harness():
    """The GPU suite's harness of examples/gemm_sm80.mlir."""
    return gemm_harness(512, 512, 512)


def example():
    """examples/gemm_sm80.mlir."""
    import gen  # noqa: E402  (test/GPU/gen.py: header)
    globals()["header"] = gen.header
    return EXAMPLE_HEAD + gemm_kernel("gemm_sm80", "sm_80", 512, 512, 512)


def register(g):
    """Binds gen.py's helpers and appends this file's cases to its CASES."""
    globals()["header"] = g.header
    # Shapes that are not multiples of the tiles (M, N, K = 1000) and small
    # ones; cp.async on sm_80, TMA (the split-phase default) on sm_90a.
    g.add(gemm, name="gemm_mma_sync_f16_1000x1000x1000_sm80", M=1000, N=1000, K=1000)
    g.add(gemm, name="gemm_mma_sync_f16_256x192x320_sm90a", M=256, N=192, K=320, chip="sm_90a")
    g.add(gemm, name="gemm_mma_sync_f16_130x70x40_sm80", M=130, N=70, K=40)


if __name__ == "__main__":
    import os
    import sys
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    if sys.argv[1:] == ["--example"]:
        sys.stdout.write(example())
