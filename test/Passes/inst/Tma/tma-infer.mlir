// TMA selection in tl-infer-layouts (docs/tma.md).
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts=prefer-tma=true | FileCheck %s
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts="report=true prefer-tma=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// Idempotence and round trip through tl-verify.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts=prefer-tma=true > %t.1
// RUN: tl-opt %t.1 -split-input-file --tl-infer-layouts=prefer-tma=true > %t.2
// RUN: diff %t.1 %t.2
// RUN: tl-opt %t.1 -split-input-file --tl-verify | diff - %t.1

// Loads and stores of a 64x64 f32 tile: one box each; the shared buffer is
// aligned to 128 bytes.
// CHECK-LABEL: gpu.func @f32_tile
// CHECK-SAME: {llvm.align = 128 : i64}
// CHECK: "tl.copy"{{.*}}inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64}
// CHECK: "tl.copy"{{.*}}inst = "tma_store", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64}
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @f32_tile(%A: memref<512x512xf32>, %B: memref<512x512xf32>)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %i = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %i) {access = 1 : i32} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      // REPORT: tma-infer.mlir:[[@LINE+1]]:7: tl.copy global->shared [64x64] f32->f32: tma_load, box [64, 64] x1, no swizzle, 16384 bytes
      "tl.copy"(%a, %S) : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      %b = "tl.region"(%B, %i, %i) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      // REPORT: tma-infer.mlir:[[@LINE+1]]:7: tl.copy shared->global [64x64] f32->f32: tma_store, box [64, 64] x1, no swizzle, 16384 bytes
      "tl.copy"(%S, %b) : (memref<64x64xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// Swizzle demanded through annotations: the buffer records tl.swizzle and
// is aligned to 128 << 3 = 1024 bytes; the other copy of the buffer follows
// the swizzle (a 128-byte box row), the SIMT copy reads through it.
// CHECK-LABEL: gpu.func @swizzled
// CHECK-SAME: {llvm.align = 1024 : i64, tl.swizzle = 128 : i64}
// CHECK: "tl.copy"{{.*}}inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 128 : i64}
// CHECK: "tl.copy"{{.*}}inst = "tma_store", tma_box = array<i64: 64, 64>, tma_swizzle = 128 : i64}
// CHECK: "tl.copy"{{.*}}inst = "simt"
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @swizzled(%A: memref<256x256xf16>, %B: memref<256x256xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      // REPORT: tma-infer.mlir:[[@LINE+1]]:7: tl.copy global->shared [64x64] f16->f16: tma_load, box [64, 64] x1, swizzle 128, 8192 bytes
      "tl.copy"(%a, %S) {annotations = {swizzle = 128 : i64}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%S, %b) : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      // REPORT: tma-infer.mlir:[[@LINE+1]]:7: tl.copy shared->global [64x64] f16->f16: simt, v=8 (16-byte), 128 threads, 4 chunks per thread (TMA not used: disable_tma is set)
      "tl.copy"(%S, %b) {disable_tma} : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// Splits: a 32x512 f16 tile (innermost 512 > 256: blocks of 256, one box of
// a rank-3 map); with a 64-byte swizzle, blocks of 32; 300 rows: two boxes
// of 150.
// CHECK-LABEL: gpu.func @splits
// CHECK: "tl.copy"{{.*}}inst = "tma_load", tma_box = array<i64: 32, 256>, tma_swizzle = 0 : i64}
// CHECK: "tl.copy"{{.*}}inst = "tma_load", tma_box = array<i64: 64, 32>, tma_swizzle = 64 : i64}
// CHECK: "tl.copy"{{.*}}inst = "tma_load", tma_box = array<i64: 150, 16>, tma_swizzle = 0 : i64}
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @splits(%A: memref<128x1024xf16>, %C: memref<1000x64xf32>)
        workgroup(%S: memref<32x512xf16, #gpu.address_space<workgroup>>, %T: memref<64x64xf16, #gpu.address_space<workgroup>>, %U: memref<300x16xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 32, 512>} : (memref<128x1024xf16>, index, index) -> !tl.buffer_region
      // REPORT: tma-infer.mlir:[[@LINE+1]]:7: tl.copy global->shared [32x512] f16->f16: tma_load, box [32, 256] x1, no swizzle, 32768 bytes
      "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32x512xf16, #gpu.address_space<workgroup>>) -> ()
      %t = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<128x1024xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%t, %T) {annotations = {swizzle = 64 : i64}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      %u = "tl.region"(%C, %c0, %c0) {access = 1 : i32, extents = array<i64: 300, 16>} : (memref<1000x64xf32>, index, index) -> !tl.buffer_region
      // REPORT: tma-infer.mlir:[[@LINE+1]]:7: tl.copy global->shared [300x16] f32->f32: tma_load, box [150, 16] x2, no swizzle, 19200 bytes
      "tl.copy"(%u, %U) : (!tl.buffer_region, memref<300x16xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// Fallbacks, each with its reason in the report.
// CHECK-LABEL: gpu.func @fallbacks
// CHECK-NOT: tma_
// CHECK: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @fallbacks(%A: memref<1000x77xf16>, %B: memref<256x256xf16>, %C: memref<256x256xf32>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>, %T: memref<64x8xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32} : (memref<1000x77xf16>, index, index) -> !tl.buffer_region
      // REPORT: (TMA not used: dimension 0 of the global source has a stride of 154 bytes; TMA needs a multiple of 16 below 2^40)
      "tl.copy"(%a, %S) : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      %c = "tl.region"(%C, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf32>, index, index) -> !tl.buffer_region
      // REPORT: (TMA not used: the copy casts f16 to f32 (TMA moves bytes))
      "tl.copy"(%S, %c) : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      %b = "tl.region"(%B, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      // REPORT: (TMA not used: coalesced_width is set (SIMT only))
      "tl.copy"(%b, %S) {coalesced_width = 4 : i64} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      // REPORT: (TMA not used: disable_tma is set)
      "tl.copy"(%b, %S) {annotations = {disable_tma = true}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      // REPORT: (TMA not used: safe_value is not 0 (TMA fills with zeros))
      "tl.copy"(%b, %S) {annotations = {safe_value = 1 : i64}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      %b2 = "tl.region"(%B, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 8>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      %s1 = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 8>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      // REPORT: (TMA not used: the shared region is not contiguous (dimension 1: extent 8 of 64))
      "tl.copy"(%b2, %s1) : (!tl.buffer_region, !tl.buffer_region) -> ()
      %b3 = "tl.region"(%B, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 4>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      %t1 = "tl.region"(%T, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 4>} : (memref<64x8xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      // REPORT: (TMA not used: the innermost extent is 8 bytes (4 elements), not a multiple of 16)
      "tl.copy"(%b3, %t1) : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// sm_80 has no TMA: cp.async there (docs/mma-copies.md), with the reason
// in the report.
// CHECK-LABEL: gpu.func @sm80
// CHECK-SAME: {llvm.align = 16 : i64}
// CHECK: inst = "cp_async"
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @sm80(%A: memref<512x512xf32>)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      // REPORT: tl.copy global->shared [64x64] f32->f32: cp_async, v=4 (16-byte), 128 threads, 8 chunks per thread (TMA not used: chip sm_80 has no TMA)
      "tl.copy"(%a, %S) : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}
