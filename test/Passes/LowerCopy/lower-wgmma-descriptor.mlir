// tl-lower-copy builds a tl.wgmma_descriptor's bits (copy/WgmmaDesc.c,
// docs/mma-interop.md): the start address (the buffer's shared address
// plus the tile's byte offset: constant indices folded, a stage index times
// the stage's bytes) masked to 18 bits and shifted right by 4; leading byte
// offset 1; stride byte offset 8 * span >> 4; layout 1/2/3 for the
// 128/64/32-byte swizzle in bits 62-63.
// RUN: tl-opt %s --tl-legalize-regions --tl-infer-layouts --tl-lower-copy | FileCheck %s

// CHECK-LABEL: gpu.func @descriptors
// 128-byte rows, rows 64 and K 16 of stage %s: 64 * 128 + 16 * 2 = 8224
// bytes, the stage 16384; SBO 1024 >> 4 = 64: 1 << 62 | 64 << 32 | 1 << 16.
// CHECK: %[[P:.*]] = memref.extract_aligned_pointer_as_index %arg2 : memref<2x128x64xf16, #gpu.address_space<workgroup>> -> index
// CHECK-NEXT: %[[SB:.*]] = arith.constant 16384 : index
// CHECK-NEXT: %[[S:.*]] = arith.muli %{{.*}}, %[[SB]] : index
// CHECK-NEXT: %[[A:.*]] = arith.addi %[[P]], %[[S]] : index
// CHECK-NEXT: %[[I:.*]] = arith.index_cast %[[A]] : index to i64
// CHECK-NEXT: %[[O:.*]] = arith.constant 8224 : i64
// CHECK-NEXT: %[[B:.*]] = arith.addi %[[I]], %[[O]] : i64
// CHECK-NEXT: %[[M:.*]] = arith.constant 262143 : i64
// CHECK-NEXT: %[[AND:.*]] = arith.andi %[[B]], %[[M]] : i64
// CHECK-NEXT: %[[F:.*]] = arith.constant 4 : i64
// CHECK-NEXT: %[[SH:.*]] = arith.shrui %[[AND]], %[[F]] : i64
// CHECK-NEXT: %[[K:.*]] = arith.constant 4611686293305360384 : i64
// CHECK-NEXT: %[[D0:.*]] = arith.ori %[[SH]], %[[K]] : i64
// 64-byte rows: SBO 512 >> 4 = 32, layout 2; offset 0 (no addi).
// CHECK-NEXT: %[[P1:.*]] = memref.extract_aligned_pointer_as_index %arg3
// CHECK-NEXT: %[[I1:.*]] = arith.index_cast %[[P1]] : index to i64
// CHECK-NEXT: arith.constant 262143 : i64
// CHECK: %[[K1:.*]] = arith.constant -9223371899415756800 : i64
// CHECK-NEXT: %[[D1:.*]] = arith.ori %{{.*}}, %[[K1]] : i64
// 32-byte rows, rows 8 .. 15: offset 256; SBO 16, layout 3.
// CHECK-NEXT: %[[P2:.*]] = memref.extract_aligned_pointer_as_index %arg4
// CHECK-NEXT: arith.index_cast
// CHECK-NEXT: arith.constant 256 : i64
// CHECK: %[[K2:.*]] = arith.constant -4611685949707845632 : i64
// CHECK-NEXT: %[[D2:.*]] = arith.ori %{{.*}}, %[[K2]] : i64
// CHECK-NEXT: llvm.store %[[D0]], %arg0
// CHECK-NEXT: llvm.store %[[D1]], %arg0
// CHECK-NEXT: llvm.store %[[D2]], %arg0
// CHECK-NOT: tl.region
// CHECK-NOT: tl.wgmma_descriptor
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @descriptors(%out: !llvm.ptr, %s: index)
        workgroup(%S: memref<2x128x64xf16, #gpu.address_space<workgroup>>,
                  %T: memref<64x32xf16, #gpu.address_space<workgroup>>,
                  %U: memref<64x16xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c2 = arith.constant 2 : index
      %c8 = arith.constant 8 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      %st = arith.remui %s, %c2 : index
      %r = "tl.region"(%S, %st, %c64, %c16) {access = 1 : i32, extents = array<i64: 1, 64, 16>} : (memref<2x128x64xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      %d0 = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
      %q = "tl.region"(%T, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 16>} : (memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %d1 = "tl.wgmma_descriptor"(%q) : (!tl.buffer_region) -> i64
      %u = "tl.region"(%U, %c8, %c0) {access = 1 : i32, extents = array<i64: 8, 16>} : (memref<64x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %d2 = "tl.wgmma_descriptor"(%u) : (!tl.buffer_region) -> i64
      llvm.store %d0, %out : i64, !llvm.ptr
      llvm.store %d1, %out : i64, !llvm.ptr
      llvm.store %d2, %out : i64, !llvm.ptr
      gpu.return
    }
  }
}
