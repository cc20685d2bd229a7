// tl-lower-copy's own check of a TMA copy's shared indices (a copy that
// carries its inst already): constants, but for a stage slice
// (docs/tma.md, "Stage slices").
// RUN: tl-opt %s -split-input-file -verify-diagnostics --tl-lower-copy

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @row(%A: memref<512x512xf16>, %r: index)
        workgroup(%S: memref<3x64x64xf16, #gpu.address_space<workgroup>> {llvm.align = 128 : i64})
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 32, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      %d = "tl.region"(%S, %c0, %r, %c0) {access = 2 : i32, extents = array<i64: 1, 32, 64>} : (memref<3x64x64xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      // expected-error @+1 {{inst "tma_load" needs constant indices on the shared side, but for a stage: the shared region's index of dimension 1 is not a constant (only a stage dimension of extent 1 may be dynamic)}}
      "tl.copy"(%a, %d) {base_shape = array<i64: 32, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 32, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}
