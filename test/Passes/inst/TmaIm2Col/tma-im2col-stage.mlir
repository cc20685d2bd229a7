// TMA im2col into one stage of a multi-buffered column tile (docs/im2col.md,
// "Stages"): the destination is the buffer's address plus each stage index
// times its stage stride in bytes (a dynamic index is multiplied at run
// time, a constant one folds); every stage stride a dynamic index steps by,
// and the constant start, must keep the 128-byte alignment
// cp.async.bulk.tensor needs, else SIMT with the reason.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts="report=true prefer-tma=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts=prefer-tma=true --tl-lower-copy --tl-lower-im2col | FileCheck %s

// A dynamic stage of a 3-way 32x16 f16 tile: 1024 bytes per stage.
// REPORT: tma-im2col-stage.mlir:[[@LINE+23]]:7: tl.c2d_im2col global->shared [32x16] f16->f16: tma_im2col
// CHECK-LABEL: gpu.func @dynamic_stage
// CHECK-SAME: workgroup(%[[S:[a-z0-9_]+]] : memref<3x32x16xf16, #gpu.address_space<workgroup>> {llvm.align = 128 : i64})
// CHECK: %[[STAGE:[a-z0-9_]+]] = arith.remui %{{.*}}, %{{.*}} : index
// CHECK: %[[C1024:[a-z0-9_]+]] = arith.constant 1024 : index
// CHECK: scf.if
// CHECK: %[[OFF:[a-z0-9_]+]] = arith.muli %[[STAGE]], %[[C1024]] : index
// CHECK-NEXT: %[[BASE:[a-z0-9_]+]] = memref.extract_aligned_pointer_as_index %[[S]]
// CHECK-NEXT: %[[ADDR:[a-z0-9_]+]] = arith.addi %[[BASE]], %[[OFF]] : index
// CHECK-NEXT: %[[A64:[a-z0-9_]+]] = arith.index_cast %[[ADDR]] : index to i64
// CHECK-NEXT: %[[DST:[a-z0-9_]+]] = llvm.inttoptr %[[A64]] : i64 to !llvm.ptr<7>
// CHECK: nvvm.cp.async.bulk.tensor.shared.cluster.global %[[DST]], %{{.*}} im2col[
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @dynamic_stage(%Img: memref<2x8x8x16xf16>)
        workgroup(%S: memref<3x32x16xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c3 = arith.constant 3 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %s = arith.remui %bx, %c3 : index
      %r = "tl.region"(%S, %s, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 32, 16>} : (memref<3x32x16xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      "tl.c2d_im2col"(%Img, %r, %bx, %by) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x8x8x16xf16>, !tl.buffer_region, index, index) -> ()
      gpu.return
    }
  }
}

// -----

// Split phase into stage (1, s) of a 2x3-way buffer, waited in the same
// block: the offset is s * 1024 + 1 * 3072 bytes; the load is issued at
// the op and waited for at the tl.wait.
// REPORT: tma-im2col-stage.mlir:[[@LINE+24]]:12: tl.c2d_im2col_async global->shared [32x16] f16->f16: tma_im2col
// CHECK-LABEL: gpu.func @async_two_stage_dims
// CHECK-SAME: workgroup(%[[S:[a-z0-9_]+]] : memref<2x3x32x16xf16, #gpu.address_space<workgroup>> {llvm.align = 128 : i64})
// CHECK: %[[STAGE:[a-z0-9_]+]] = arith.remui %{{.*}}, %{{.*}} : index
// CHECK-DAG: %[[C1024:[a-z0-9_]+]] = arith.constant 1024 : index
// CHECK-DAG: %[[C3072:[a-z0-9_]+]] = arith.constant 3072 : index
// CHECK: %[[OFF1:[a-z0-9_]+]] = arith.muli %[[STAGE]], %[[C1024]] : index
// CHECK-NEXT: %[[OFF:[a-z0-9_]+]] = arith.addi %[[OFF1]], %[[C3072]] : index
// CHECK-NEXT: %[[BASE:[a-z0-9_]+]] = memref.extract_aligned_pointer_as_index %[[S]]
// CHECK-NEXT: %[[ADDR:[a-z0-9_]+]] = arith.addi %[[BASE]], %[[OFF]] : index
// CHECK: nvvm.cp.async.bulk.tensor.shared.cluster.global
// CHECK: nvvm.mbarrier.try_wait.parity
// CHECK-NOT: tl.c2d_im2col
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @async_two_stage_dims(%Img: memref<2x8x8x16xf16>)
        workgroup(%S: memref<2x3x32x16xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c3 = arith.constant 3 : index
      %bx = gpu.block_id x
      %s = arith.remui %bx, %c3 : index
      %r = "tl.region"(%S, %c1, %s, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 1, 32, 16>} : (memref<2x3x32x16xf16, #gpu.address_space<workgroup>>, index, index, index, index) -> !tl.buffer_region
      %t = "tl.c2d_im2col_async"(%Img, %r, %bx, %c0) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x8x8x16xf16>, !tl.buffer_region, index, index) -> !tl.token
      "tl.wait"(%t) : (!tl.token) -> ()
      gpu.return
    }
  }
}

// -----

// Stages of 4x8 f16 (64 bytes): a dynamic stage index, or the constant
// stage 1, would leave the destination 64-byte aligned only: SIMT.
// REPORT: tma-im2col-stage.mlir:[[@LINE+15]]:7: tl.c2d_im2col global->shared [4x8] f16->f16: simt, {{.*}} (TMA not used: the shared region's stage index of dimension 0 is dynamic, but its stride of 64 bytes is not a multiple of 128)
// REPORT: tma-im2col-stage.mlir:[[@LINE+16]]:7: tl.c2d_im2col global->shared [4x8] f16->f16: simt, {{.*}} (TMA not used: the col region starts at byte 64 of its buffer, not a multiple of 128)
// CHECK-LABEL: gpu.func @misaligned_stage
// CHECK-NOT: nvvm.cp.async.bulk.tensor
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @misaligned_stage(%Img: memref<2x8x8x16xf16>)
        workgroup(%S: memref<3x4x8xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c3 = arith.constant 3 : index
      %bx = gpu.block_id x
      %s = arith.remui %bx, %c3 : index
      %r = "tl.region"(%S, %s, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 4, 8>} : (memref<3x4x8xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      "tl.c2d_im2col"(%Img, %r, %bx, %c0) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x8x8x16xf16>, !tl.buffer_region, index, index) -> ()
      %q = "tl.region"(%S, %c1, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 4, 8>} : (memref<3x4x8xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      "tl.c2d_im2col"(%Img, %q, %bx, %c1) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x8x8x16xf16>, !tl.buffer_region, index, index) -> ()
      gpu.return
    }
  }
}
