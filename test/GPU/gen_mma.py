"""The GPU-suite cases of MMA interop (docs/mma-interop.md, issue 18): tl
moves the data, nvgpu.mma.sync does the math. One warp: A (16 x 16 f16)
and Bt (8 x 16 f16, B transposed: K-major) global -> shared (tl.copy) ->
register fragments (ldmatrix); tl.fragment_read hands a thread's locals to
nvgpu.mma.sync m16n8k16 as its A (vector<4x2xf16>) and B (vector<2x2xf16>)
operands; tl.fragment_write puts the accumulator (vector<2x2xf32>) into an
f32 fragment with mma.sync's C layout (tl.mma_accumulator = "m16n8k16",
inferred: docs/mma-interop.md); tl.copy stores it.
C = A B is checked exactly against the CPU: the inputs are small integers
(-4 .. 4), so every product and every partial sum is exact in f32 and the
order of accumulation does not matter. A wrong register mapping anywhere
(the ldmatrix fragment order, the read offsets, the accumulator layout)
gives a different C. Imported by test/GPU/gen.py, whose helpers register()
binds here and whose CASES it extends."""

# gen.py's helpers, bound by register().
header = None

def mma_one_warp(c):
    koff = c.get("koff", 0)
    mlir = header(c["name"], c.get("chip", "sm_80")) + f'''    gpu.func @kernel(%A: memref<16x32xf16>, %Bt: memref<8x32xf16>, %C: memref<16x8xf32>)
        workgroup(%SA: memref<16x32xf16, #gpu.address_space<workgroup>>, %SB: memref<8x32xf16, #gpu.address_space<workgroup>>)
        kernel attributes {{known_block_size = array<i32: 32, 1, 1>}} {{
      %FA = memref.alloca() : memref<16x32xf16, #tl.fragment>
      %FB = memref.alloca() : memref<8x32xf16, #tl.fragment>
      %FC = memref.alloca() {{tl.mma_accumulator = "m16n8k16"}} : memref<16x8xf32, #tl.fragment>
      "tl.copy"(%A, %SA) : (memref<16x32xf16>, memref<16x32xf16, #gpu.address_space<workgroup>>) -> ()
      "tl.copy"(%Bt, %SB) : (memref<8x32xf16>, memref<8x32xf16, #gpu.address_space<workgroup>>) -> ()
      "tl.copy"(%SA, %FA) {{annotations = {{use_ldmatrix = true}}}} : (memref<16x32xf16, #gpu.address_space<workgroup>>, memref<16x32xf16, #tl.fragment>) -> ()
      "tl.copy"(%SB, %FB) {{annotations = {{use_ldmatrix = true}}}} : (memref<8x32xf16, #gpu.address_space<workgroup>>, memref<8x32xf16, #tl.fragment>) -> ()
      %z = arith.constant dense<0.0> : vector<2x2xf32>
      %a0 = "tl.fragment_read"(%FA) {{offset = 0 : i64}} : (memref<16x32xf16, #tl.fragment>) -> vector<4x2xf16>
      %b0 = "tl.fragment_read"(%FB) {{offset = 0 : i64}} : (memref<8x32xf16, #tl.fragment>) -> vector<2x2xf16>
      %d0 = nvgpu.mma.sync (%a0, %b0, %z) {{mmaShape = [16, 8, 16]}} : (vector<4x2xf16>, vector<2x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
      %a1 = "tl.fragment_read"(%FA) {{offset = 8 : i64}} : (memref<16x32xf16, #tl.fragment>) -> vector<4x2xf16>
      %b1 = "tl.fragment_read"(%FB) {{offset = 4 : i64}} : (memref<8x32xf16, #tl.fragment>) -> vector<2x2xf16>
      %d1 = nvgpu.mma.sync (%a1, %b1, %d0) {{mmaShape = [16, 8, 16]}} : (vector<4x2xf16>, vector<2x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
      "tl.fragment_write"(%FC, %d1) {{offset = 0 : i64}} : (memref<16x8xf32, #tl.fragment>, vector<2x2xf32>) -> ()
      "tl.copy"(%FC, %C) : (memref<16x8xf32, #tl.fragment>, memref<16x8xf32>) -> ()
      gpu.return
    }}
  }}
}}
'''
    harness = '''
  uint16_t a[16 * 32], bt[8 * 32];
  float want[16 * 8], got[16 * 8];
  int ia[16 * 32], ib[8 * 32];
  for (int i = 0; i < 16 * 32; ++i) { ia[i] = (int)(nextRandom() % 9) - 4; a[i] = floatToHalf((float)ia[i]); }
  for (int i = 0; i < 8 * 32; ++i) { ib[i] = (int)(nextRandom() % 9) - 4; bt[i] = floatToHalf((float)ib[i]); }
  for (int m = 0; m < 16; ++m)
    for (int n = 0; n < 8; ++n) {
      int s = 0;
      for (int k = 0; k < 32; ++k) s += ia[m * 32 + k] * ib[n * 32 + k];
      want[m * 8 + n] = (float)s;
    }
  uint64_t dA = deviceFrom(a, sizeof a), dB = deviceFrom(bt, sizeof bt), dC = devicePoisoned(sizeof got);
  tlrt_dim3 grid = {1, 1, 1};
  CHECK(tl_launch_kernel(NULL, grid, dA, dB, dC));
  CHECK(tlrtSynchronize());
  CHECK(tlrtCopyToHost(got, dC, sizeof got));
  return compareExact(got, want, 16 * 8, sizeof *got);
'''
    return mlir, harness


def register(g):
    """Binds gen.py's helpers and appends this file's cases to its CASES."""
    globals()["header"] = g.header
    # Two k-steps of m16n8k16 (K = 32): the second reads locals 8.. of A and
    # 4.. of Bt, the fragments' second 8x8 column blocks.
    g.add(mma_one_warp, name="mma_sync_m16n8k32_f16_f32_sm80")
    g.add(mma_one_warp, name="mma_sync_m16n8k32_f16_f32_sm90a", chip="sm_90a")
