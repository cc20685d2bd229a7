// tl.c2d_im2col_async (design.md §3.1, §8.1): TMA im2col is issued at the
// op (the elected thread arms the op's own mbarrier slot with expect_tx and
// starts the load) and completed at the tl.wait of its token (every thread
// waits on that slot's parity, under the same tile guard); SIMT is emitted
// at the op and its wait hands the tile over to the block and the async
// proxy (a wgmma may read it): fence.proxy.async, then a barrier. tl-lower-copy completes a wait's
// copy tokens and leaves its im2col tokens to tl-lower-im2col.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts=prefer-tma=true --tl-lower-copy --tl-lower-im2col | FileCheck %s
// With disable_tma on each op (split-phase im2col defaults to TMA), the
// SIMT lowering:
// RUN: sed 's/pad = 1 : i64}/pad = 1 : i64, disable_tma}/' %s | tl-opt -split-input-file --tl-legalize-regions --tl-infer-layouts --tl-lower-copy --tl-lower-im2col | FileCheck %s --check-prefix=SIMT
// tl-lower-copy alone keeps the im2col tokens of a wait, in order:
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts=prefer-tma=true --tl-lower-copy | FileCheck %s --check-prefix=COPY

// One tile: issued at the op on slot 1, waited at the tl.wait; the tile is
// then stored (a barrier before the store: the wait wrote the col tile).
// CHECK: memref.global "private" @__tl_mbar_one : memref<2xi64, #gpu.address_space<workgroup>>
// CHECK-LABEL: gpu.func @one
// CHECK: %[[PHASE:[a-z0-9_]+]] = memref.alloca() : memref<i32>
// CHECK: %[[ACTIVE:[a-z0-9_]+]] = arith.andi
// CHECK-NEXT: scf.if %[[ACTIVE]] {
// CHECK: scf.if
// CHECK: nvvm.mbarrier.arrive.expect_tx %[[B:[a-z0-9_]+]], %{{.*}} : !llvm.ptr<3>, i32
// CHECK: nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %{{.*}}, %[[B]], box[{{.*}}] im2col[{{.*}} : !llvm.ptr<7>, !llvm.ptr
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: %[[C1:[a-z0-9_]+]] = arith.constant 1 : index
// CHECK-NEXT: scf.if %[[ACTIVE]] {
// CHECK: %[[S1:[a-z0-9_]+]] = arith.index_cast %[[C1]] : index to i32
// CHECK: %[[W:[a-z0-9_]+]] = memref.load %[[PHASE]][] : memref<i32>
// CHECK: arith.shrui %[[W]], %[[S1]] : i32
// CHECK: %[[PH:[a-z0-9_]+]] = arith.andi
// CHECK: nvvm.mbarrier.try_wait.parity %[[B]], %[[PH]]
// CHECK: memref.store %{{.*}}, %[[PHASE]][] : memref<i32>
// CHECK: gpu.barrier
// CHECK: nvvm.cp.async.bulk.global.shared.cta
// CHECK-NOT: tl.
// SIMT-LABEL: gpu.func @one
// SIMT-NOT: mbarrier
// SIMT: vector.store %{{.*}}, %{{.*}} : memref<32x16xf16, #gpu.address_space<workgroup>>
// SIMT: nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// SIMT-NEXT: gpu.barrier
// SIMT: vector.store %{{.*}}, %{{.*}} : memref<32x16xf16>, vector<8xf16>
// SIMT-NOT: tl.c2d_im2col
// SIMT-NOT: tl.wait
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @one(%Img: memref<2x9x7x16xf16>, %Out: memref<32x16xf16>)
        workgroup(%S: memref<32x16xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %t = "tl.c2d_im2col_async"(%Img, %S, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      "tl.wait"(%t) : (!tl.token) -> ()
      "tl.copy"(%S, %Out) : (memref<32x16xf16, #gpu.address_space<workgroup>>, memref<32x16xf16>) -> ()
      gpu.return
    }
  }
}

// -----

// Two in flight on two slots (1 and 2), waited in reverse order.
// CHECK: memref.global "private" @__tl_mbar_two : memref<3xi64, #gpu.address_space<workgroup>>
// CHECK-LABEL: gpu.func @two
// CHECK: %[[PHASE:[a-z0-9_]+]] = memref.alloca() : memref<i32>
// CHECK: %[[A0:[a-z0-9_]+]] = arith.andi
// CHECK-NEXT: scf.if %[[A0]] {
// CHECK: nvvm.mbarrier.arrive.expect_tx %[[B0:[a-z0-9_]+]], %{{.*}} : !llvm.ptr<3>, i32
// CHECK: %[[A1:[a-z0-9_]+]] = arith.andi
// CHECK-NEXT: scf.if %[[A1]] {
// CHECK: nvvm.mbarrier.arrive.expect_tx %[[B1:[a-z0-9_]+]], %{{.*}} : !llvm.ptr<3>, i32
// CHECK: %[[C2:[a-z0-9_]+]] = arith.constant 2 : index
// CHECK: scf.if %[[A1]] {
// CHECK: arith.index_cast %[[C2]] : index to i32
// CHECK: memref.load %[[PHASE]][]
// CHECK: nvvm.mbarrier.try_wait.parity %[[B1]]
// CHECK: %[[C1:[a-z0-9_]+]] = arith.constant 1 : index
// CHECK: scf.if %[[A0]] {
// CHECK: arith.index_cast %[[C1]] : index to i32
// CHECK: memref.load %[[PHASE]][]
// CHECK: nvvm.mbarrier.try_wait.parity %[[B0]]
// SIMT-LABEL: gpu.func @two
// SIMT-NOT: mbarrier
// SIMT-NOT: tl.wait
// SIMT: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @two(%Img: memref<2x9x7x16xf16>)
        workgroup(%S0: memref<32x16xf16, #gpu.address_space<workgroup>>, %S1: memref<32x16xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %t0 = "tl.c2d_im2col_async"(%Img, %S0, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t1 = "tl.c2d_im2col_async"(%Img, %S1, %by, %bx) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      "tl.wait"(%t1) : (!tl.token) -> ()
      "tl.wait"(%t0) : (!tl.token) -> ()
      gpu.return
    }
  }
}

// -----

// One wait with a copy_async token and an im2col token: the TMA load takes
// slot 1 (tl-lower-copy), the im2col slot 2, after it (one set of 3 slots);
// tl-lower-copy completes the copy at the wait and leaves the im2col token.
// CHECK: memref.global "private" @__tl_mbar_mixed : memref<3xi64, #gpu.address_space<workgroup>>
// CHECK-LABEL: gpu.func @mixed
// CHECK-COUNT-3: nvvm.mbarrier.init
// CHECK-NOT: nvvm.mbarrier.init
// CHECK: nvvm.mbarrier.arrive.expect_tx %[[BC:[a-z0-9_]+]], %{{.*}} : !llvm.ptr<3>, i32
// CHECK: nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %{{.*}}, %[[BC]], box[
// CHECK: nvvm.mbarrier.arrive.expect_tx %[[BI:[a-z0-9_]+]], %{{.*}} : !llvm.ptr<3>, i32
// CHECK: nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %{{.*}}, %[[BI]], box[{{.*}}] im2col[
// CHECK: arith.index_cast %c1{{.*}} : index to i32
// CHECK: memref.load %{{.*}}[] : memref<i32>
// CHECK: nvvm.mbarrier.try_wait.parity %[[BC]]
// CHECK: arith.index_cast %c2{{.*}} : index to i32
// CHECK: memref.load %{{.*}}[] : memref<i32>
// CHECK: nvvm.mbarrier.try_wait.parity %[[BI]]
// CHECK-NOT: tl.wait
// COPY-LABEL: gpu.func @mixed
// COPY: %[[I:.*]] = "tl.c2d_im2col_async"
// COPY-NOT: tl.copy_async
// COPY: nvvm.mbarrier.try_wait.parity
// COPY: "tl.wait"(%[[I]]) : (!tl.token) -> ()
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @mixed(%Img: memref<2x9x7x16xf16>, %A: memref<128x128xf16>)
        workgroup(%S0: memref<32x16xf16, #gpu.address_space<workgroup>>, %S1: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %c64 = arith.constant 64 : index
      %i = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %i) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<128x128xf16>, index, index) -> !tl.buffer_region
      %c = "tl.copy_async"(%a, %S1) : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> !tl.token
      %t = "tl.c2d_im2col_async"(%Img, %S0, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      "tl.wait"(%c, %t) : (!tl.token, !tl.token) -> ()
      gpu.return
    }
  }
}
