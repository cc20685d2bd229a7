// tl.wgmma_descriptor in tl-infer-layouts (copy/WgmmaDesc.c): the tile's
// buffer gets the swizzle wgmma reads its K-major rows through (the row's
// bytes: 128, 64 or 32), with the alignment of its 8-row atom, and a TMA
// copy into it follows that swizzle.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts | FileCheck %s
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts | tl-opt -split-input-file --tl-infer-layouts | FileCheck %s

// 128-byte rows (f16, K = 64): the 128-byte swizzle, 1024-byte atoms; the TMA
// load into the buffer uses it.
// CHECK-LABEL: gpu.func @f16_128
// CHECK-SAME: workgroup(%{{.*}} : memref<128x64xf16, #gpu.address_space<workgroup>> {llvm.align = 1024 : i64, tl.swizzle = 128 : i64})
// CHECK: "tl.copy"({{.*}}inst = "tma_load"{{.*}}tma_swizzle = 128 : i64
// CHECK: "tl.wgmma_descriptor"
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @f16_128(%A: memref<128x64xf16>) workgroup(%S: memref<128x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c8 = arith.constant 8 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      "tl.copy"(%A, %S) {annotations = {use_tma = true}} : (memref<128x64xf16>, memref<128x64xf16, #gpu.address_space<workgroup>>) -> ()
      %r = "tl.region"(%S, %c64, %c16) {access = 1 : i32, extents = array<i64: 64, 16>} : (memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
      gpu.return
    }
  }
}

// -----

// 64-byte rows (f16, K = 32): the 64-byte swizzle, 512-byte atoms.
// CHECK-LABEL: gpu.func @f16_64
// CHECK-SAME: {llvm.align = 512 : i64, tl.swizzle = 64 : i64}
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @f16_64() workgroup(%S: memref<64x32xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c8 = arith.constant 8 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      %r = "tl.region"(%S, %c0, %c16) {access = 1 : i32, extents = array<i64: 64, 16>} : (memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
      gpu.return
    }
  }
}

// -----

// 32-byte rows (bf16, K = 16), the whole buffer as the tile: the 32-byte
// swizzle.
// CHECK-LABEL: gpu.func @bf16_32
// CHECK-SAME: {llvm.align = 256 : i64, tl.swizzle = 32 : i64}
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @bf16_32() workgroup(%S: memref<64x16xbf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c8 = arith.constant 8 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      %d = "tl.wgmma_descriptor"(%S) : (memref<64x16xbf16, #gpu.address_space<workgroup>>) -> i64
      gpu.return
    }
  }
}

// -----

// tf32 (f32 storage, K = 8 per wgmma) and 8-bit (K = 32): 32 bytes of K.
// A stage dimension in front, and a dynamic row index (the warpgroup's
// rows) proven in bounds and a multiple of 8.
// CHECK-LABEL: gpu.func @tf32_i8
// CHECK-SAME: {llvm.align = 1024 : i64, tl.swizzle = 128 : i64}
// CHECK-SAME: {llvm.align = 1024 : i64, tl.swizzle = 128 : i64}
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @tf32_i8() workgroup(%S: memref<2x128x32xf32, #gpu.address_space<workgroup>>, %Q: memref<64x128xi8, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 256, 1, 1>} {
      %c1 = arith.constant 1 : index
      %c0 = arith.constant 0 : index
      %c8 = arith.constant 8 : index
      %c32 = arith.constant 32 : index
      %c64 = arith.constant 64 : index
      %c128 = arith.constant 128 : index
      %t = gpu.thread_id x
      %w = arith.divui %t, %c128 : index
      %row = arith.muli %w, %c64 : index
      %r = "tl.region"(%S, %c1, %row, %c8) {access = 1 : i32, extents = array<i64: 1, 64, 8>} : (memref<2x128x32xf32, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
      %q = "tl.region"(%Q, %c0, %c32) {access = 1 : i32, extents = array<i64: 64, 32>} : (memref<64x128xi8, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %e = "tl.wgmma_descriptor"(%q) : (!tl.buffer_region) -> i64
      gpu.return
    }
  }
}
