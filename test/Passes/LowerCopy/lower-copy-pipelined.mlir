// The split-phase lowering of pipelined loops (docs/pipeline.md,
// copy/AsyncCarry.c): tl-pipeline's output through tl-lower-copy, per
// instruction. Carried tokens become index values (the mbarrier slot of
// their stage; 0 for groups); a predicated copy is issued in an scf.if with
// an empty completion when the predicate is off.
// RUN: tl-opt %s -split-input-file --tl-pipeline --tl-legalize-regions --tl-infer-layouts --tl-lower-copy | FileCheck %s
// The result lowers on to LLVM with the upstream passes:
// RUN: tl-opt %s -split-input-file --pass-pipeline='builtin.module(gpu.module(tl-pipeline,tl-legalize-regions),tl-infer-layouts,gpu.module(tl-lower-copy,convert-scf-to-cf,convert-gpu-to-nvvm))' > /dev/null
// In PTX the stages' parities are bits of one register (no local memory:
// an array indexed by the stage would be a local load and store per wait):
// RUN: tl-opt %s -split-input-file --tl-to-nvvm=format=ptx | FileCheck %s --check-prefix=PTX
// PTX: .entry tma(
// PTX-NOT: local
// PTX: mbarrier.try_wait.parity

// TMA, 3 stages: slot 0 and one slot per stage (1 + stage); each stage's
// issue arms its slot with the tile's bytes, or with 0 bytes when it is
// predicated off; the loop carries the slots; the wait finds the barrier
// and its parity from the carried slot at run time and flips the parity.
// CHECK-LABEL: memref.global "private" @__tl_mbar_tma : memref<4xi64, #gpu.address_space<workgroup>>
// CHECK-LABEL: gpu.func @tma
// CHECK: %[[PAR:.*]] = memref.alloca() : memref<i32>
// CHECK: scf.if %{{.*}} {
// CHECK: nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c8192_i32
// CHECK: nvvm.cp.async.bulk.tensor.shared.cluster.global
// CHECK: %[[OFF:.*]] = arith.xori
// CHECK: scf.if %[[OFF]] {
// CHECK: nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c0_i32
// CHECK: scf.for %{{.*}} iter_args(%[[S0:.*]] = %{{.*}}, %[[S1:.*]] = %{{.*}}) -> (index, index) {
// CHECK: %[[B:.*]] = arith.muli %[[S0]], %c8{{.*}} : index
// CHECK: %[[SLOT:.*]] = arith.index_cast %[[S0]] : index to i32
// CHECK: %[[BITS:.*]] = memref.load %[[PAR]][] : memref<i32>
// CHECK: %[[SH:.*]] = arith.shrui %[[BITS]], %[[SLOT]] : i32
// CHECK: %[[PH:.*]] = arith.andi %[[SH]], %{{.*}} : i32
// CHECK: nvvm.mbarrier.try_wait.parity %{{.*}}, %[[PH]]
// CHECK: memref.store %{{.*}}, %[[PAR]][] : memref<i32>
// CHECK-NEXT: gpu.barrier
// CHECK: %[[STG:.*]] = arith.remui
// CHECK: %[[NS:.*]] = arith.addi %[[STG]], %c1{{.*}} : index
// CHECK: scf.if
// CHECK: arith.muli %[[STG]], %c8192 : index
// CHECK: nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c8192_i32
// CHECK: scf.yield %[[S1]], %[[NS]] : index, index
// CHECK: nvvm.mbarrier.try_wait.parity
// CHECK: nvvm.mbarrier.try_wait.parity
// CHECK-NOT: "tl.
// CHECK: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @tma(%A: memref<64x1024xf16>, %B: memref<64x1024xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      scf.for %k = %c0 to %c16 step %c1 {
        %j = arith.muli %k, %c64 : index
        %a = "tl.region"(%A, %c0, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x1024xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) {annotations = {use_tma = true}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %c0, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x1024xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 3 : i64}
      gpu.return
    }
  }
}

// -----

// cp.async, 3 stages: every stage commits one group on every path (an
// empty one when predicated off); the wait in the loop leaves the younger
// stage's group in flight (wait_group 1); the drain waits for all.
// CHECK-LABEL: gpu.func @cp_async
// CHECK: nvvm.cp.async.shared.global
// CHECK: nvvm.cp.async.commit.group
// CHECK: scf.if %{{.*}} {
// CHECK-NEXT: nvvm.cp.async.commit.group
// CHECK: scf.for %{{.*}} iter_args(%[[S0:.*]] = %{{.*}}, %[[S1:.*]] = %{{.*}}) -> (index, index) {
// CHECK: nvvm.cp.async.wait.group 1
// CHECK-NEXT: gpu.barrier
// CHECK: nvvm.cp.async.commit.group
// CHECK: nvvm.cp.async.commit.group
// CHECK: scf.yield %[[S1]], %{{.*}} : index, index
// CHECK: nvvm.cp.async.wait.group 0
// CHECK-NOT: "tl.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @cp_async(%A: memref<64x1024xf16>, %B: memref<64x1024xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      scf.for %k = %c0 to %c16 step %c1 {
        %j = arith.muli %k, %c64 : index
        %a = "tl.region"(%A, %c0, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x1024xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %c0, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x1024xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 3 : i64}
      gpu.return
    }
  }
}

// -----

// bulk_load (1-D tiles proven in bounds: the later iterations' offsets are
// clamped to the last one's), as TMA: a slot per stage.
// CHECK-LABEL: gpu.func @bulk
// CHECK: nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c8192_i32
// CHECK: nvvm.cp.async.bulk.shared.cluster.global
// CHECK: scf.for
// CHECK: nvvm.mbarrier.try_wait.parity
// CHECK: nvvm.cp.async.bulk.shared.cluster.global
// CHECK-NOT: "tl.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @bulk(%A: memref<65536xf16>, %B: memref<65536xf16>)
        workgroup(%S: memref<4096xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 4096 : index
      scf.for %k = %c0 to %c16 step %c1 {
        %j = arith.muli %k, %c64 : index
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 4096>} : (memref<65536xf16>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) {annotations = {use_bulk = true}} : (!tl.buffer_region, memref<4096xf16, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %j) {access = 2 : i32, extents = array<i64: 4096>} : (memref<65536xf16>, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<4096xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 3 : i64}
      gpu.return
    }
  }
}

// -----

// SIMT (asked for: pipelined copies default to TMA on sm_90a): synchronous,
// issued ahead in an scf.if; nothing to complete at the wait, which leaves
// only the barrier.
// CHECK-LABEL: gpu.func @simt
// CHECK: scf.for %{{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (index, index) {
// CHECK-NOT: nvvm.mbarrier
// CHECK-NOT: nvvm.cp.async
// CHECK: gpu.barrier
// CHECK: scf.if
// CHECK: vector.load %arg0
// CHECK: vector.store %{{.*}}, %arg2
// CHECK-NOT: "tl.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @simt(%A: memref<64x1024xf16>, %B: memref<64x1024xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      scf.for %k = %c0 to %c16 step %c1 {
        %j = arith.muli %k, %c64 : index
        %a = "tl.region"(%A, %c0, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x1024xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) {annotations = {use_cp_async = false}, disable_tma} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %c0, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x1024xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 3 : i64}
      gpu.return
    }
  }
}

// -----

// Two TMA copies per stage (tl.join): one barrier per stage, armed once
// with the bytes of both (4096 + 4096); the second copy only issues.
// CHECK-LABEL: memref.global "private" @__tl_mbar_join : memref<3xi64
// CHECK-LABEL: gpu.func @join
// CHECK: nvvm.mbarrier.arrive.expect_tx %[[BAR:.*]], %c8192_i32
// CHECK: nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %{{.*}}, %[[BAR]]
// CHECK-NOT: expect_tx %{{.*}}, %c4096
// CHECK: nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %{{.*}}, %[[BAR]]
// One block barrier per iteration: the release after the stage's wait.
// The refills and the reads of the current stage need none between them
// (different stages: the tl.stage tags, copy/Barriers.c).
// CHECK: scf.for
// CHECK: nvvm.mbarrier.try_wait.parity
// CHECK: gpu.barrier
// CHECK-NOT: gpu.barrier
// CHECK-NOT: nvvm.mbarrier.try_wait.parity
// CHECK: scf.yield
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @join(%A: memref<64x512xf16>, %B: memref<512x64xf16>, %C: memref<64x32xf16>, %D: memref<32x64xf16>)
        workgroup(%SA: memref<64x32xf16, #gpu.address_space<workgroup>>, %SB: memref<32x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c16 = arith.constant 16 : index
      %c32 = arith.constant 32 : index
      scf.for %k = %c0 to %c16 step %c1 {
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %c0, %j) {access = 1 : i32, extents = array<i64: 64, 32>} : (memref<64x512xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%a, %SA) {annotations = {use_tma = true}} : (!tl.buffer_region, memref<64x32xf16, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %j, %c0) {access = 1 : i32, extents = array<i64: 32, 64>} : (memref<512x64xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%b, %SB) {annotations = {use_tma = true}} : (!tl.buffer_region, memref<32x64xf16, #gpu.address_space<workgroup>>) -> ()
        "tl.copy"(%SA, %C) : (memref<64x32xf16, #gpu.address_space<workgroup>>, memref<64x32xf16>) -> ()
        "tl.copy"(%SB, %D) : (memref<32x64xf16, #gpu.address_space<workgroup>>, memref<32x64xf16>) -> ()
      } {tl.num_stages = 2 : i64}
      gpu.return
    }
  }
}
