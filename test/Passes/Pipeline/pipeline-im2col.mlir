// tl-pipeline (docs/pipeline.md) of a tl.c2d_im2col: like a copy's, its
// column tile becomes one stage of an N-way buffer.
// RUN: tl-opt %s -split-input-file --tl-pipeline | FileCheck %s
// The output is valid tl (tl-verify):
// RUN: tl-opt %s -split-input-file --tl-pipeline --tl-verify | FileCheck %s
// tl-infer-layouts takes the stage as it takes a rank-2 tile: TMA im2col
// (1024-byte stages keep the 128-byte alignment) with prefer-tma:
// RUN: tl-opt %s -split-input-file --tl-pipeline --tl-legalize-regions --tl-infer-layouts="report=true prefer-tma=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// REPORT: tl.c2d_im2col_async global->shared [32x16] f16->f16: tma_im2col, {{.*}}; pipelined: 3 stages, issued 2 iterations ahead
// Lowered (copy/Im2ColCarry.c): the carried tokens are the stages'
// mbarrier slots; the predicate joins the tile guard, a tile not issued
// arrives with 0 bytes, and the wait of a carried token always waits.
// RUN: tl-opt %s -split-input-file --tl-pipeline --tl-legalize-regions --tl-infer-layouts=prefer-tma=true --tl-lower-copy --tl-lower-im2col | FileCheck %s --check-prefix=LOWERED
// LOWERED-LABEL: gpu.func @im2col_stage
// LOWERED: %[[ISSUED:.*]] = arith.andi %{{.*}}, %{{.*}} : i1
// LOWERED: scf.if %[[ISSUED]] {
// LOWERED: nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c1024_i32
// LOWERED: nvvm.cp.async.bulk.tensor.shared.cluster.global {{.*}} im2col[
// LOWERED: %[[NOT:.*]] = arith.xori %[[ISSUED]], %{{.*}} : i1
// LOWERED: %[[LEAD:.*]] = arith.andi %[[NOT]], %{{.*}} : i1
// LOWERED: scf.if %[[LEAD]] {
// LOWERED: nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c0_i32
// LOWERED: scf.for %{{.*}} iter_args(%[[S0:.*]] = %{{.*}}, %[[S1:.*]] = %{{.*}}) -> (index, index) {
// LOWERED-NOT: scf.if
// LOWERED: arith.index_cast %[[S0]] : index to i32
// LOWERED: nvvm.mbarrier.try_wait.parity
// LOWERED: scf.yield %[[S1]], %{{.*}} : index, index
// LOWERED-NOT: "tl.

// A tl.c2d_im2col is pipelined like a copy: its column tile becomes one
// stage of a 3-way buffer, a tl.region (stage, 0, 0) with extents
// [1, BM, BK] (docs/im2col.md, "Stages"), issued two iterations ahead as a
// predicated tl.c2d_im2col_async; the tl op reading the tile reads the
// current stage.
// CHECK-LABEL: gpu.func @im2col_stage
// CHECK-SAME: workgroup(%[[S:.*]] : memref<3x32x16xf16, #gpu.address_space<workgroup>>)
// CHECK: %[[P0:.*]] = "tl.region"(%[[S]], %[[C0:.*]], %[[C0]], %[[C0]]) {access = 2 : i32, extents = array<i64: 1, 32, 16>, tl.stage = "ahead"}
// CHECK: "tl.c2d_im2col_async"(%arg0, %[[P0]], %{{.*}}, %{{.*}}, %{{.*}}) {dilation = 1 : i64, kernel = 3 : i64, pad = 1 : i64, stride = 1 : i64, tl.pipeline = "prologue"} : (memref<2x8x8x16xf16>, !tl.buffer_region, index, index, i1) -> !tl.token
// CHECK: "tl.c2d_im2col_async"
// CHECK: scf.for %[[IV:.*]] = {{.*}} iter_args
// CHECK: %[[CUR:.*]] = arith.remui %[[IV]], %{{.*}} : index
// CHECK: "tl.wait"
// CHECK: %[[PRED:.*]] = arith.cmpi slt
// CHECK: %[[NEXT:.*]] = arith.remui %{{.*}}, %{{.*}} : index
// CHECK: %[[R:.*]] = "tl.region"(%[[S]], %[[NEXT]], %[[C0]], %[[C0]]) {access = 2 : i32, extents = array<i64: 1, 32, 16>, tl.stage = "ahead"}
// CHECK: "tl.c2d_im2col_async"(%arg0, %[[R]], %{{.*}}, %{{.*}}, %[[PRED]]) {{.*}}tl.pipeline = "pipelined: 3 stages, issued 2 iterations ahead; 1024 bytes of shared memory per stage, 3072 in all"
// CHECK: %[[W:.*]] = "tl.region"(%[[S]], %[[CUR]], %{{.*}}, %{{.*}}) {access = 1 : i32, extents = array<i64: 1, 32, 16>, tl.stage = "current"}
// CHECK: "tl.copy"(%[[W]], %{{.*}})
// CHECK-NOT: "tl.c2d_im2col"(
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @im2col_stage(%Img: memref<2x8x8x16xf16>, %B: memref<128x16xf16>)
        workgroup(%T: memref<32x16xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c4 = arith.constant 4 : index
      %bx = gpu.block_id x
      scf.for %k = %c0 to %c4 step %c1 {
        "tl.c2d_im2col"(%Img, %T, %bx, %k) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x8x8x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> ()
        %m = arith.muli %k, %c4 : index
        %o = "tl.region"(%B, %m, %c0) {access = 2 : i32, extents = array<i64: 32, 16>} : (memref<128x16xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%T, %o) : (memref<32x16xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 3 : i64}
      gpu.return
    }
  }
}

// -----

// The im2col is the body's first op and a memref.load reads the tile: the
// view of the current stage goes right after the stage index (the op that
// stood first is gone).
// CHECK-LABEL: gpu.func @im2col_first_load
// CHECK: scf.for %[[IV:.*]] = {{.*}} iter_args
// CHECK-NEXT: %[[CUR:.*]] = arith.remui %[[IV]], %{{.*}} : index
// CHECK-NEXT: %[[V:.*]] = memref.subview %{{.*}}[%[[CUR]], 0, 0] [1, 32, 16] [1, 1, 1] : memref<3x32x16xf16, #gpu.address_space<workgroup>> to memref<32x16xf16, strided<[16, 1], offset: ?>, #gpu.address_space<workgroup>>
// CHECK: "tl.c2d_im2col_async"
// CHECK: memref.load %[[V]][%{{.*}}, %{{.*}}] : memref<32x16xf16, strided<[16, 1], offset: ?>, #gpu.address_space<workgroup>>
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @im2col_first_load(%Img: memref<2x8x8x16xf16>, %B: memref<4xf16>)
        workgroup(%T: memref<32x16xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c4 = arith.constant 4 : index
      %bx = gpu.block_id x
      scf.for %k = %c0 to %c4 step %c1 {
        "tl.c2d_im2col"(%Img, %T, %bx, %k) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x8x8x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> ()
        %v = memref.load %T[%c0, %c0] : memref<32x16xf16, #gpu.address_space<workgroup>>
        memref.store %v, %B[%k] : memref<4xf16>
      } {tl.num_stages = 3 : i64}
      gpu.return
    }
  }
}
