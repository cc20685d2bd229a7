// tl.copy_async and tl.wait in tl-lower-copy (design.md §3, "Asynchronous
// copies"): the copy is issued where it stands and completed at its wait,
// per instruction; no tl op is left. Each kernel marks the point between
// the issues and the waits with `arith.constant 777`.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts=prefer-tma=true --tl-lower-copy | FileCheck %s
// The output verifies and lowers to LLVM with the upstream passes:
// RUN: tl-opt %s -split-input-file --pass-pipeline='builtin.module(gpu.module(tl-legalize-regions,tl-infer-layouts{prefer-tma=true}),tl-lower-copy,gpu.module(convert-gpu-to-nvvm))' > /dev/null

// simt (TMA and cp.async refused): emitted at the copy_async; its wait adds only the
// barrier the shared-buffer rule needs before the read of S.
// CHECK-LABEL: gpu.func @simt
// CHECK-NOT: "tl.
// CHECK: vector.load %arg0[{{.*}}] {alignment = 16 : i64} : memref<512x512xf32>, vector<4xf32>
// CHECK: vector.store %{{.*}}, %arg2[{{.*}}] {alignment = 16 : i64} : memref<64x64xf32, #gpu.address_space<workgroup>>, vector<4xf32>
// CHECK-COUNT-7: vector.store {{.*}}, %arg2[
// CHECK-NOT: gpu.barrier
// CHECK: arith.constant 777 : index
// CHECK-NOT: vector.
// CHECK: gpu.barrier
// CHECK: vector.load %arg2[
// CHECK-NOT: "tl.
// CHECK: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @simt(%A: memref<512x512xf32>, %B: memref<512x512xf32>)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %i = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %i) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      %t = "tl.copy_async"(%a, %S) {annotations = {use_cp_async = false}, disable_tma} : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> !tl.token
      %m = arith.constant 777 : index
      "tl.wait"(%t) : (!tl.token) -> ()
      %b = "tl.region"(%B, %i, %i) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      "tl.copy"(%S, %b) {disable_tma} : (memref<64x64xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// cp_async on sm_80: two copies in flight, each its own commit group; the
// first wait lets the second copy's group stay in flight (wait_group 1),
// the second waits for it (wait_group 0); then the barrier before the
// reads of S0 and S1.
// CHECK-LABEL: gpu.func @cp_async
// CHECK-NOT: "tl.
// CHECK-COUNT-4: nvvm.cp.async.shared.global %{{.*}}, %{{.*}}, 16, cache = cg
// CHECK-NEXT: nvvm.cp.async.commit.group
// CHECK-NOT: nvvm.cp.async.wait.group
// CHECK-COUNT-4: nvvm.cp.async.shared.global %{{.*}}, %{{.*}}, 16, cache = cg
// CHECK-NEXT: nvvm.cp.async.commit.group
// CHECK-NOT: nvvm.cp.async.wait.group
// CHECK: arith.constant 777 : index
// CHECK-NEXT: nvvm.cp.async.wait.group 1
// CHECK-NEXT: nvvm.cp.async.wait.group 0
// CHECK-NOT: vector.
// CHECK: gpu.barrier
// CHECK: vector.load %arg2[
// CHECK: vector.load %arg3[
// CHECK-NOT: "tl.
// CHECK: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @cp_async(%A: memref<256x256xf16>, %B: memref<256x256xf16>)
        workgroup(%S0: memref<64x64xf16, #gpu.address_space<workgroup>>, %S1: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c64 = arith.constant 64 : index
      %a0 = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      %t0 = "tl.copy_async"(%a0, %S0) : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> !tl.token
      %a1 = "tl.region"(%A, %c64, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      %t1 = "tl.copy_async"(%a1, %S1) : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> !tl.token
      %m = arith.constant 777 : index
      "tl.wait"(%t0) : (!tl.token) -> ()
      "tl.wait"(%t1) : (!tl.token) -> ()
      %b0 = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%S0, %b0) : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      %b1 = "tl.region"(%B, %c64, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%S1, %b1) : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// tma_load (prefer-tma): two loads in flight on mbarrier slots 1 and 2 of a
// 3-slot set (slot 0 is the synchronous copies'), each armed and issued by
// the elected thread at its copy_async; the waits, in the other order, wait
// on their own slot's barrier and parity.
// CHECK: memref.global "private" @__tl_mbar_tma_load : memref<3xi64, #gpu.address_space<workgroup>> {alignment = 8 : i64}
// CHECK-LABEL: gpu.func @tma_load
// CHECK-NOT: "tl.
// CHECK: %[[IS0:.*]] = arith.cmpi eq, %thread_id_x, %c0
// CHECK: %[[BAR0:.*]] = llvm.inttoptr %{{.*}} : i64 to !llvm.ptr<3>
// CHECK: %[[BAR1:.*]] = llvm.inttoptr %{{.*}} : i64 to !llvm.ptr<3>
// CHECK: %[[BAR2:.*]] = llvm.inttoptr %{{.*}} : i64 to !llvm.ptr<3>
// CHECK: scf.if %[[IS0]] {
// CHECK: nvvm.mbarrier.init %[[BAR0]]
// CHECK: nvvm.mbarrier.init %[[BAR1]]
// CHECK: nvvm.mbarrier.init %[[BAR2]]
// CHECK: %[[PH:.*]] = memref.alloca() : memref<i32>
// CHECK: scf.if %[[IS0]] {
// CHECK: nvvm.mbarrier.arrive.expect_tx %[[BAR1]], %c8192_i32
// CHECK: nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %{{.*}}, %[[BAR1]], box
// CHECK: scf.if %[[IS0]] {
// CHECK: nvvm.mbarrier.arrive.expect_tx %[[BAR2]], %c8192_i32
// CHECK: nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %{{.*}}, %[[BAR2]], box
// CHECK-NOT: nvvm.mbarrier.try_wait.parity
// CHECK: arith.constant 777 : index
// Slot 2's parity is bit 2 of the parities, slot 1's bit 1.
// CHECK-NEXT: %[[C2:.*]] = arith.constant 2 : index
// CHECK-NEXT: %[[S2:.*]] = arith.index_cast %[[C2]] : index to i32
// CHECK: %[[B2:.*]] = arith.shli %{{.*}}, %[[S2]] : i32
// CHECK-NEXT: %[[W2:.*]] = memref.load %[[PH]][] : memref<i32>
// CHECK-NEXT: %[[SH2:.*]] = arith.shrui %[[W2]], %[[S2]] : i32
// CHECK: %[[P2:.*]] = arith.andi %[[SH2]], %{{.*}} : i32
// CHECK: nvvm.mbarrier.try_wait.parity %[[BAR2]], %[[P2]]
// CHECK: %[[F2:.*]] = arith.xori %[[W2]], %[[B2]] : i32
// CHECK: memref.store %[[F2]], %[[PH]][]
// CHECK: %[[C1:.*]] = arith.constant 1 : index
// CHECK-NEXT: %[[S1:.*]] = arith.index_cast %[[C1]] : index to i32
// CHECK: %[[W1:.*]] = memref.load %[[PH]][] : memref<i32>
// CHECK-NEXT: %[[SH1:.*]] = arith.shrui %[[W1]], %[[S1]] : i32
// CHECK: %[[P1:.*]] = arith.andi %[[SH1]], %{{.*}} : i32
// CHECK: nvvm.mbarrier.try_wait.parity %[[BAR1]], %[[P1]]
// CHECK: %[[F1:.*]] = arith.xori %[[W1]], %{{.*}} : i32
// CHECK: memref.store %[[F1]], %[[PH]][]
// CHECK: gpu.barrier
// CHECK-NOT: "tl.
// CHECK: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @tma_load(%A: memref<256x256xf16>, %B: memref<256x256xf16>)
        workgroup(%S0: memref<64x64xf16, #gpu.address_space<workgroup>>, %S1: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c64 = arith.constant 64 : index
      %a0 = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      %t0 = "tl.copy_async"(%a0, %S0) : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> !tl.token
      %a1 = "tl.region"(%A, %c64, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      %t1 = "tl.copy_async"(%a1, %S1) : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> !tl.token
      %m = arith.constant 777 : index
      "tl.wait"(%t1) : (!tl.token) -> ()
      "tl.wait"(%t0) : (!tl.token) -> ()
      %b0 = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%S0, %b0) {disable_tma} : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      %b1 = "tl.region"(%B, %c64, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%S1, %b1) {disable_tma} : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// tma_store (annotations use_tma): two stores in flight, each committed to
// its own bulk group by the elected thread after the proxy fence and the
// barrier; the first wait leaves the second's group's reads pending
// (wait_group 1 {read}), the second waits for them; each wait opens its own
// elected block and the block then synchronizes. The synchronous TMA loads
// before keep slot 0 of a 1-slot set.
// CHECK: memref.global "private" @__tl_mbar_tma_store : memref<1xi64, #gpu.address_space<workgroup>>
// CHECK-LABEL: gpu.func @tma_store
// CHECK-NOT: "tl.
// CHECK: %[[IS0:.*]] = arith.cmpi eq, %thread_id_x, %c0
// CHECK: nvvm.mbarrier.try_wait.parity
// CHECK: nvvm.mbarrier.try_wait.parity
// CHECK: nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: scf.if %[[IS0]] {
// CHECK: nvvm.cp.async.bulk.tensor.global.shared.cta
// CHECK-NEXT: nvvm.cp.async.bulk.commit.group
// CHECK-NEXT: }
// CHECK: nvvm.fence.proxy
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: scf.if %[[IS0]] {
// CHECK: nvvm.cp.async.bulk.tensor.global.shared.cta
// CHECK-NEXT: nvvm.cp.async.bulk.commit.group
// CHECK-NEXT: }
// CHECK-NEXT: arith.constant 777 : index
// CHECK-NEXT: scf.if %[[IS0]] {
// CHECK-NEXT: nvvm.cp.async.bulk.wait_group 1 {read}
// CHECK-NEXT: }
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: scf.if %[[IS0]] {
// CHECK-NEXT: nvvm.cp.async.bulk.wait_group 0 {read}
// CHECK-NEXT: }
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @tma_store(%A: memref<256x256xf16>, %B: memref<256x256xf16>)
        workgroup(%S0: memref<64x64xf16, #gpu.address_space<workgroup>>, %S1: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c64 = arith.constant 64 : index
      %a0 = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%a0, %S0) : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      %a1 = "tl.region"(%A, %c64, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%a1, %S1) : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      %b0 = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      %t0 = "tl.copy_async"(%S0, %b0) {annotations = {use_tma = true}} : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> !tl.token
      %b1 = "tl.region"(%B, %c64, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      %t1 = "tl.copy_async"(%S1, %b1) {annotations = {use_tma = true}} : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> !tl.token
      %m = arith.constant 777 : index
      "tl.wait"(%t0) : (!tl.token) -> ()
      "tl.wait"(%t1) : (!tl.token) -> ()
      gpu.return
    }
  }
}

// -----

// bulk_load and bulk_store (annotations use_bulk): the load on slot 1 of a
// 2-slot set, waited on that slot; the store's group waited at its wait.
// CHECK: memref.global "private" @__tl_mbar_bulk : memref<2xi64, #gpu.address_space<workgroup>>
// CHECK-LABEL: gpu.func @bulk
// CHECK-NOT: "tl.
// CHECK: %[[IS0:.*]] = arith.cmpi eq, %thread_id_x, %c0
// CHECK: llvm.inttoptr %{{.*}} : i64 to !llvm.ptr<3>
// CHECK: %[[BAR1:.*]] = llvm.inttoptr %{{.*}} : i64 to !llvm.ptr<3>
// CHECK: %[[PH:.*]] = memref.alloca() : memref<i32>
// CHECK: scf.if %[[IS0]] {
// CHECK: nvvm.mbarrier.arrive.expect_tx %[[BAR1]], %c4096_i32
// CHECK: nvvm.cp.async.bulk.shared.cluster.global %{{.*}}, %{{.*}}, %[[BAR1]], %c4096_i32
// CHECK: }
// CHECK-NEXT: arith.constant 777 : index
// CHECK: arith.index_cast %c1{{.*}} : index to i32
// CHECK: memref.load %[[PH]][] : memref<i32>
// CHECK: %[[P:.*]] = arith.andi
// CHECK: nvvm.mbarrier.try_wait.parity %[[BAR1]], %[[P]]
// CHECK: gpu.barrier
// CHECK: nvvm.fence.proxy
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: scf.if %[[IS0]] {
// CHECK: nvvm.cp.async.bulk.global.shared.cta %{{.*}}, %{{.*}}, %c4096_i32
// CHECK-NEXT: nvvm.cp.async.bulk.commit.group
// CHECK-NEXT: }
// CHECK-NEXT: arith.constant 778 : index
// CHECK-NEXT: scf.if %[[IS0]] {
// CHECK-NEXT: nvvm.cp.async.bulk.wait_group 0 {read}
// CHECK-NEXT: }
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @bulk(%A: memref<4096xf32>, %B: memref<4096xf32>)
        workgroup(%S: memref<1024xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, known_grid_size = array<i32: 4, 1, 1>} {
      %c1024 = arith.constant 1024 : index
      %bx = gpu.block_id x
      %i = arith.muli %bx, %c1024 : index
      %a = "tl.region"(%A, %i) {access = 1 : i32, extents = array<i64: 1024>} : (memref<4096xf32>, index) -> !tl.buffer_region
      %t = "tl.copy_async"(%a, %S) {annotations = {use_bulk = true}} : (!tl.buffer_region, memref<1024xf32, #gpu.address_space<workgroup>>) -> !tl.token
      %m = arith.constant 777 : index
      "tl.wait"(%t) : (!tl.token) -> ()
      %b = "tl.region"(%B, %i) {access = 2 : i32, extents = array<i64: 1024>} : (memref<4096xf32>, index) -> !tl.buffer_region
      %u = "tl.copy_async"(%S, %b) {annotations = {use_bulk = true}} : (memref<1024xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> !tl.token
      %m2 = arith.constant 778 : index
      "tl.wait"(%u) : (!tl.token) -> ()
      gpu.return
    }
  }
}
