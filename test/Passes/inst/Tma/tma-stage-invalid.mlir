// What a stage slice of a shared buffer still refuses for TMA (docs/tma.md,
// "Stage slices"): a dynamic index anywhere but a leading dimension of
// extent 1, a stage stride that breaks the box alignment, a stage index
// not proven in bounds.
// RUN: tl-opt %s -split-input-file --pass-pipeline='builtin.module(gpu.module(tl-legalize-regions),tl-infer-layouts)' -verify-diagnostics

// A dynamic row index (dimension 1 has extent 32): not a stage.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @row(%A: memref<512x512xf16>, %s: index)
        workgroup(%S: memref<3x64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c2 = arith.constant 2 : index
      %c32 = arith.constant 32 : index
      %h = arith.remui %s, %c2 : index
      %r = arith.muli %h, %c32 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 32, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      %d = "tl.region"(%S, %c0, %r, %c0) {access = 2 : i32, extents = array<i64: 1, 32, 64>} : (memref<3x64x64xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      // expected-error @+1 {{use_tma = true, but TMA cannot be used: the shared region's index of dimension 1 is not a constant (only a stage dimension of extent 1 may be dynamic)}}
      "tl.copy"(%a, %d) {annotations = {use_tma = true}} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// A stage of 4 rows of 128 bytes (512 bytes) under a 128-byte swizzle,
// whose boxes must start on its 1024-byte repeat.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @stride(%A: memref<512x512xf16>, %s: index)
        workgroup(%S: memref<4x4x64xf16, #gpu.address_space<workgroup>> {tl.swizzle = 128 : i64})
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c4 = arith.constant 4 : index
      %st = arith.remui %s, %c4 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      %d = "tl.region"(%S, %st, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 4, 64>} : (memref<4x4x64xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      // expected-error @+1 {{use_tma = true, but TMA cannot be used: the shared region's stage index of dimension 0 is dynamic, but its stride of 512 bytes is not a multiple of 1024}}
      "tl.copy"(%a, %d) {annotations = {use_tma = true}} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// Without a swizzle, a stage of 16 bytes is not 128-byte aligned.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @small(%A: memref<512x512xf16>, %s: index)
        workgroup(%S: memref<8x1x8xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c8 = arith.constant 8 : index
      %st = arith.remui %s, %c8 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 1, 8>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      %d = "tl.region"(%S, %st, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 1, 8>} : (memref<8x1x8xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      // expected-error @+1 {{use_tma = true, but TMA cannot be used: the shared region's stage index of dimension 0 is dynamic, but its stride of 16 bytes is not a multiple of 128}}
      "tl.copy"(%a, %d) {annotations = {use_tma = true}} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// A stage index of unknown range: bounds-checked, so not a stage slice.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @unbounded(%A: memref<512x512xf16>, %s: index)
        workgroup(%S: memref<3x64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      %d = "tl.region"(%S, %s, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 64, 64>} : (memref<3x64x64xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      // expected-error @+1 {{use_tma = true, but TMA cannot be used: the shared region's stage index of dimension 0 is not provably in bounds}}
      "tl.copy"(%a, %d) {annotations = {use_tma = true}} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}
