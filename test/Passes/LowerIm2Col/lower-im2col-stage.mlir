// tl-lower-im2col (SIMT) into one stage of a multi-buffered column tile
// (docs/im2col.md, "Stages"): the col region of a rank > 2 buffer has
// extent 1 in each stage dimension, (BM, BK) the last two. The stores take
// the stage indices, dynamic or constant, ahead of the tile's row and
// column; memref's lowering adds index x stage stride.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts --tl-lower-copy --tl-lower-im2col | FileCheck %s

// A dynamic stage (block id x mod 3), synchronous. The 32x16 tile over 64
// threads with v = 8: one chunk per thread, row (8t)/16, column (8t)%16.
// CHECK-LABEL: gpu.func @dynamic_stage
// CHECK-SAME: workgroup(%[[S:.+]] : memref<3x32x16xf16, #gpu.address_space<workgroup>> {llvm.align = 16 : i64})
// CHECK: %[[STAGE:.+]] = arith.remui %{{.*}}, %{{.*}} : index
// CHECK: %[[TID:.+]] = gpu.thread_id x
// CHECK: %[[BT:.+]] = arith.muli %[[TID]], %{{.*}} : index
// CHECK: %[[I:.+]] = arith.divui %[[BT]], %{{.*}} : index
// CHECK: %[[J:.+]] = arith.remui %[[BT]], %{{.*}} : index
// CHECK: scf.if
// CHECK: vector.load %arg0
// CHECK: vector.store %{{.*}}, %[[S]][%[[STAGE]], %[[I]], %[[J]]] {alignment = 16 : i64} : memref<3x32x16xf16, #gpu.address_space<workgroup>>, vector<8xf16>
// CHECK-NOT: tl.c2d_im2col
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
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

// Split phase: a tl.c2d_im2col_async into stage (1, s) of a 2x3-way
// buffer, waited in the same block, then the stage copied out: the store
// takes both stage indices, the wait adds nothing (SIMT is synchronous).
// CHECK-LABEL: gpu.func @async_two_stage_dims
// CHECK-SAME: workgroup(%[[S:.+]] : memref<2x3x32x16xf16, #gpu.address_space<workgroup>>
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG: %[[STAGE:.+]] = arith.remui %{{.*}}, %{{.*}} : index
// CHECK: vector.store %{{.*}}, %[[S]][%[[C1]], %[[STAGE]], %{{.*}}, %{{.*}}] {alignment = 16 : i64} : memref<2x3x32x16xf16, #gpu.address_space<workgroup>>, vector<8xf16>
// CHECK: gpu.barrier
// CHECK: vector.load %[[S]][%[[C1]], %[[STAGE]], %{{.*}}, %{{.*}}]
// CHECK-NOT: tl.c2d_im2col
// CHECK-NOT: tl.wait
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @async_two_stage_dims(%Img: memref<2x8x8x16xf16>, %Out: memref<32x16xf16>)
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
      %q = "tl.region"(%S, %c1, %s, %c0, %c0) {access = 1 : i32, extents = array<i64: 1, 1, 32, 16>} : (memref<2x3x32x16xf16, #gpu.address_space<workgroup>>, index, index, index, index) -> !tl.buffer_region
      "tl.copy"(%q, %Out) : (!tl.buffer_region, memref<32x16xf16>) -> ()
      gpu.return
    }
  }
}
