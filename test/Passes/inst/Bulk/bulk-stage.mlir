// Bulk copies into and out of one stage of a multi-buffered shared buffer:
// the stage s % 3 of an unknown s lies in [0, 2] (support/IndexRange.c), so
// the region is proven in bounds, and the stage stride (8192 bytes) keeps
// it 16-byte aligned; the shared address is the buffer plus stage * 8192.
// RUN: tl-opt %s --tl-legalize-regions --tl-infer-layouts=report -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: tl-opt %s --tl-legalize-regions --tl-infer-layouts --tl-lower-copy | FileCheck %s

// REPORT: global->shared [64x64] f16->f16: bulk_load, 8192 bytes
// REPORT: shared->global [64x64] f16->f16: bulk_store, 8192 bytes
// CHECK-LABEL: gpu.func @stage
// CHECK: %[[ST:.*]] = arith.remui %{{.*}}, %c3 : index
// CHECK: %[[P:.*]] = memref.extract_aligned_pointer_as_index %{{.*}} : memref<3x64x64xf16, #gpu.address_space<workgroup>> -> index
// CHECK: %[[O:.*]] = arith.muli %[[ST]], %[[C:.*]] : index
// CHECK: %[[A:.*]] = arith.addi %[[P]], %[[O]] : index
// CHECK: %[[I:.*]] = arith.index_cast %[[A]] : index to i64
// CHECK: %[[Q:.*]] = llvm.inttoptr %[[I]] : i64 to !llvm.ptr<7>
// CHECK: nvvm.cp.async.bulk.shared.cluster.global %[[Q]]
// CHECK: %[[P2:.*]] = memref.extract_aligned_pointer_as_index %{{.*}} : memref<3x64x64xf16, #gpu.address_space<workgroup>> -> index
// CHECK: %[[O2:.*]] = arith.muli %[[ST]], %{{.*}} : index
// CHECK: %[[A2:.*]] = arith.addi %[[P2]], %[[O2]] : index
// CHECK: arith.index_cast %[[A2]] : index to i64
// CHECK: nvvm.cp.async.bulk.global.shared.cta
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @stage(%A: memref<16x64x64xf16>, %B: memref<16x64x64xf16>, %s: index)
        workgroup(%S: memref<3x64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c3 = arith.constant 3 : index
      %st = arith.remui %s, %c3 : index
      %a = "tl.region"(%A, %c3, %c0, %c0) {access = 1 : i32, extents = array<i64: 1, 64, 64>} : (memref<16x64x64xf16>, index, index, index) -> !tl.buffer_region
      %d = "tl.region"(%S, %st, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 64, 64>} : (memref<3x64x64xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %d) {annotations = {use_bulk = true}} : (!tl.buffer_region, !tl.buffer_region) -> ()
      %r = "tl.region"(%S, %st, %c0, %c0) {access = 1 : i32, extents = array<i64: 1, 64, 64>} : (memref<3x64x64xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %c3, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 64, 64>} : (memref<16x64x64xf16>, index, index, index) -> !tl.buffer_region
      "tl.copy"(%r, %b) {annotations = {use_bulk = true}} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}
