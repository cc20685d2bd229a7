// ldmatrix / stmatrix on one stage of a multi-buffered shared buffer: the
// stage s % 3 of an unknown s lies in [0, 2] (support/IndexRange.c), so
// the shared region is not bounds-checked and ldmatrix / stmatrix apply;
// each lane's row address adds stage * 4096 elements (8192 bytes) to the
// buffer's. (tl.swizzle = 0 keeps the automatic swizzle off.)
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts=report -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts --tl-lower-copy | FileCheck %s

// REPORT: shared->fragment [64x64] f16->f16: ldmatrix, v=2 (4-byte), 128 threads, 16 chunks per thread
// CHECK-LABEL: gpu.func @ld
// CHECK: %[[ST:.*]] = arith.remui %{{.*}}, %c3 : index
// CHECK: %[[P:.*]] = memref.extract_aligned_pointer_as_index %{{.*}} : memref<3x64x64xf16, #gpu.address_space<workgroup>> -> index
// CHECK: %[[E:.*]] = arith.muli %[[ST]], %c4096 : index
// CHECK: %[[L:.*]] = arith.addi %[[E]], %{{.*}} : index
// CHECK: %[[L2:.*]] = arith.addi %[[L]], %{{.*}} : index
// CHECK: %[[B:.*]] = arith.muli %[[L2]], %c2{{.*}} : index
// CHECK: %[[A:.*]] = arith.addi %[[P]], %[[B]] : index
// CHECK: %[[I:.*]] = arith.index_cast %[[A]] : index to i64
// CHECK: %[[Q:.*]] = llvm.inttoptr %[[I]] : i64 to !llvm.ptr<3>
// CHECK: nvvm.ldmatrix %[[Q]]
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @ld(%B: memref<64x64xf16>, %s: index)
        workgroup(%S: memref<3x64x64xf16, #gpu.address_space<workgroup>> {tl.swizzle = 0 : i64})
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c3 = arith.constant 3 : index
      %st = arith.remui %s, %c3 : index
      %F = memref.alloca() : memref<64x64xf16, #tl.fragment>
      %r = "tl.region"(%S, %st, %c0, %c0) {access = 1 : i32, extents = array<i64: 1, 64, 64>} : (memref<3x64x64xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      "tl.copy"(%r, %F) : (!tl.buffer_region, memref<64x64xf16, #tl.fragment>) -> ()
      "tl.copy"(%F, %B) : (memref<64x64xf16, #tl.fragment>, memref<64x64xf16>) -> ()
      gpu.return
    }
  }
}

// -----

// REPORT: fragment->shared [64x64] f16->f16: stmatrix, v=2 (4-byte), 128 threads, 16 chunks per thread
// CHECK-LABEL: gpu.func @st
// CHECK: %[[ST:.*]] = arith.remui %{{.*}}, %c3 : index
// CHECK: %[[P:.*]] = memref.extract_aligned_pointer_as_index %{{.*}} : memref<3x64x64xf16, #gpu.address_space<workgroup>> -> index
// CHECK: %[[E:.*]] = arith.muli %[[ST]], %c4096 : index
// CHECK: %[[L:.*]] = arith.addi %[[E]], %{{.*}} : index
// CHECK: %[[L2:.*]] = arith.addi %[[L]], %{{.*}} : index
// CHECK: %[[B:.*]] = arith.muli %[[L2]], %c2{{.*}} : index
// CHECK: %[[A:.*]] = arith.addi %[[P]], %[[B]] : index
// CHECK: %[[I:.*]] = arith.index_cast %[[A]] : index to i64
// CHECK: %[[Q:.*]] = llvm.inttoptr %[[I]] : i64 to !llvm.ptr<3>
// CHECK: nvvm.stmatrix %[[Q]]
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @st(%A: memref<64x64xf16>, %s: index)
        workgroup(%S: memref<3x64x64xf16, #gpu.address_space<workgroup>> {tl.swizzle = 0 : i64})
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c3 = arith.constant 3 : index
      %st = arith.remui %s, %c3 : index
      %F = memref.alloca() : memref<64x64xf16, #tl.fragment>
      "tl.copy"(%A, %F) : (memref<64x64xf16>, memref<64x64xf16, #tl.fragment>) -> ()
      %w = "tl.region"(%S, %st, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 64, 64>} : (memref<3x64x64xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      "tl.copy"(%F, %w) : (memref<64x64xf16, #tl.fragment>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}
