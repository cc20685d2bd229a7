// tl-pipeline (docs/pipeline.md): an scf.for with tl.num_stages = N issues
// its global -> shared copies N-1 iterations ahead into N-way buffers, as
// split-phase tl IR. One loop per chunk.
// RUN: tl-opt %s -split-input-file --tl-pipeline | FileCheck %s
// The output is valid tl (tl-verify), runs through the lowering and is
// a fixed point (no tl.num_stages left):
// RUN: tl-opt %s -split-input-file --tl-pipeline --tl-verify --tl-pipeline | FileCheck %s --check-prefix=FIXED
// RUN: tl-opt %s -split-input-file --pass-pipeline='builtin.module(gpu.module(tl-pipeline,tl-legalize-regions),tl-infer-layouts,gpu.module(tl-lower-copy,tl-lower-im2col))' | FileCheck %s --check-prefix=LOWERED
// FIXED-NOT: {tl.num_stages
// LOWERED-NOT: "tl.

// Three stages, 16 iterations, a TMA load read by a copy to global. The
// buffer becomes 3-way; iterations 0 and 1 are issued before the loop
// (constant trip count: predicates folded to true); the loop carries two
// tokens, waits for the oldest, synchronizes, issues iteration i+2 into
// stage (i+2) mod 3 predicated on i+2 < 16 with its column clamped to the
// last iteration's, reads stage i mod 3, and yields the younger token and
// the new one; the drain waits for both tokens left.
// CHECK-LABEL: gpu.func @three_stages
// CHECK-SAME: workgroup(%[[S:.*]] : memref<3x64x64xf16, #gpu.address_space<workgroup>>)
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[C15:.*]] = arith.constant 15 : index
// CHECK: %[[P0:.*]] = arith.constant true
// CHECK: %[[D0:.*]] = "tl.region"(%[[S]], %[[Z:.*]], %[[Z]], %[[Z]]) {access = 2 : i32, extents = array<i64: 1, 64, 64>, tl.stage = "ahead"}
// CHECK: %[[T0:.*]] = "tl.copy_async"(%{{.*}}, %[[D0]], %[[P0]]) {annotations = {use_tma = true}, tl.pipeline = "prologue"}
// CHECK: %[[D1:.*]] = "tl.region"(%[[S]], %[[ONE:.*]], %[[Z]], %[[Z]])
// CHECK: %[[T1:.*]] = "tl.copy_async"(%{{.*}}, %[[D1]], %{{.*}}) {annotations = {use_tma = true}, tl.pipeline = "prologue"}
// CHECK: %[[R:.*]]:2 = scf.for %[[IV:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[A0:.*]] = %[[T0]], %[[A1:.*]] = %[[T1]]) -> (!tl.token, !tl.token) {
// CHECK: %[[CUR:.*]] = arith.remui %[[IV]], %[[C3]] : index
// CHECK: "tl.wait"(%[[A0]])
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: %[[AH:.*]] = arith.addi %[[IV]], %[[C2]] : index
// CHECK-NEXT: %[[P:.*]] = arith.cmpi slt, %[[AH]], %c16{{.*}} : index
// CHECK-NEXT: %[[SA:.*]] = arith.remui %[[AH]], %[[C3]] : index
// CHECK-NEXT: %[[K:.*]] = arith.minsi %[[AH]], %[[C15]] : index
// CHECK-NEXT: %[[J:.*]] = arith.muli %[[K]], %{{.*}} : index
// CHECK-NEXT: %[[SRC:.*]] = "tl.region"(%arg0, %{{.*}}, %[[J]])
// CHECK-NEXT: %[[DST:.*]] = "tl.region"(%[[S]], %[[SA]], %{{.*}}, %{{.*}}) {access = 2 : i32, extents = array<i64: 1, 64, 64>, tl.stage = "ahead"}
// CHECK-NEXT: %[[TN:.*]] = "tl.copy_async"(%[[SRC]], %[[DST]], %[[P]]) {annotations = {use_tma = true}, tl.pipeline = "pipelined: 3 stages, issued 2 iterations ahead; 8192 bytes of shared memory per stage, 24576 in all"}
// CHECK: %[[RD:.*]] = "tl.region"(%[[S]], %[[CUR]], %{{.*}}, %{{.*}}) {access = 1 : i32, extents = array<i64: 1, 64, 64>, tl.stage = "current"}
// CHECK: "tl.copy"(%[[RD]], %{{.*}})
// CHECK: scf.yield %[[A1]], %[[TN]] : !tl.token, !tl.token
// CHECK: "tl.wait"(%[[R]]#0, %[[R]]#1)
// CHECK-NOT: tl.num_stages
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @three_stages(%A: memref<64x1024xf16>, %B: memref<64x1024xf16>)
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

// A run-time trip count T = max(ceildiv(n - 2, 2), 0) with a step of 2: the
// prologue's predicates compare with T; a later iteration's induction
// value is lb + i*step clamped to the last one, lb + max(T - 1, 0) * step;
// the iteration number is (iv - lb) / step. Two stages carry one token.
// CHECK-LABEL: gpu.func @runtime_trip
// CHECK-SAME: workgroup(%[[S:.*]] : memref<2x32xf32, #gpu.address_space<workgroup>>)
// CHECK: %[[D:.*]] = arith.subi %[[N:.*]], %[[LB:.*]] : index
// CHECK: %[[TC:.*]] = arith.ceildivsi %[[D]], %[[ST:.*]] : index
// CHECK: %[[T:.*]] = arith.maxsi %[[TC]], %{{.*}} : index
// CHECK: %[[TM1:.*]] = arith.subi %[[T]], %{{.*}} : index
// CHECK: %[[TM:.*]] = arith.maxsi %[[TM1]], %{{.*}} : index
// CHECK: %[[M:.*]] = arith.muli %[[TM]], %[[ST]] : index
// CHECK: %[[LAST:.*]] = arith.addi %[[LB]], %[[M]] : index
// CHECK: %[[P0:.*]] = arith.cmpi slt, %{{.*}}, %[[T]] : index
// CHECK: arith.minsi %{{.*}}, %[[LAST]] : index
// CHECK: %[[T0:.*]] = "tl.copy_async"(%{{.*}}, %{{.*}}, %[[P0]])
// CHECK: %[[R:.*]] = scf.for %[[IV:.*]] = %[[LB]] to %[[N]] step %[[ST]] iter_args(%[[A0:.*]] = %[[T0]]) -> (!tl.token) {
// CHECK: %[[OFF:.*]] = arith.subi %[[IV]], %[[LB]] : index
// CHECK: %[[I:.*]] = arith.divui %[[OFF]], %[[ST]] : index
// CHECK: arith.remui %[[I]], %{{.*}} : index
// CHECK: "tl.wait"(%[[A0]])
// CHECK: %[[AH:.*]] = arith.addi %[[I]], %{{.*}} : index
// CHECK: arith.cmpi slt, %[[AH]], %[[T]] : index
// CHECK: %[[TN:.*]] = "tl.copy_async"
// CHECK: scf.yield %[[TN]] : !tl.token
// CHECK: "tl.wait"(%[[R]])
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @runtime_trip(%A: memref<4096xf32>, %B: memref<4096xf32>, %n: index)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c2 = arith.constant 2 : index
      %c32 = arith.constant 32 : index
      scf.for %k = %c2 to %n step %c2 {
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<4096xf32>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %j) {access = 2 : i32, extents = array<i64: 32>} : (memref<4096xf32>, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<32xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 2 : i64}
      gpu.return
    }
  }
}

// -----

// Two copies (A and B tiles) in one stage: each stage's copies are joined
// into one token (their mbarrier is shared); the wait and the refills go
// where the first copy was; an accumulator iter_arg of the loop is kept
// (first) and the tokens follow it.
// CHECK-LABEL: gpu.func @two_copies
// CHECK-SAME: workgroup(%[[SA:.*]] : memref<4x64x32xf16, #gpu.address_space<workgroup>>, %[[SB:.*]] : memref<4x32x64xf16, #gpu.address_space<workgroup>>)
// CHECK: %[[A0:.*]] = "tl.copy_async"
// CHECK: %[[B0:.*]] = "tl.copy_async"
// CHECK: %[[J0:.*]] = "tl.join"(%[[A0]], %[[B0]]) : (!tl.token, !tl.token) -> !tl.token
// CHECK: "tl.join"
// CHECK: %[[J2:.*]] = "tl.join"
// CHECK: %[[R:.*]]:4 = scf.for %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}, %[[X0:.*]] = %[[J0]], %[[X1:.*]] = %{{.*}}, %[[X2:.*]] = %[[J2]]) -> (index, !tl.token, !tl.token, !tl.token) {
// CHECK: "tl.wait"(%[[X0]])
// CHECK: "tl.region"(%[[SA]]
// CHECK: %[[NA:.*]] = "tl.copy_async"
// CHECK: "tl.region"(%[[SB]]
// CHECK: %[[NB:.*]] = "tl.copy_async"
// CHECK: %[[NJ:.*]] = "tl.join"(%[[NA]], %[[NB]])
// CHECK: scf.yield %{{.*}}, %[[X1]], %[[X2]], %[[NJ]] : index, !tl.token, !tl.token, !tl.token
// CHECK: "tl.wait"(%[[R]]#1, %[[R]]#2, %[[R]]#3)
// CHECK: arith.addi %[[R]]#0
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @two_copies(%A: memref<64x512xf16>, %B: memref<512x64xf16>, %C: memref<64x32xf16>, %D: memref<32x64xf16>)
        workgroup(%SA: memref<64x32xf16, #gpu.address_space<workgroup>>, %SB: memref<32x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c16 = arith.constant 16 : index
      %c32 = arith.constant 32 : index
      %r = scf.for %k = %c0 to %c16 step %c1 iter_args(%acc = %c0) -> (index) {
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %c0, %j) {access = 1 : i32, extents = array<i64: 64, 32>} : (memref<64x512xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%a, %SA) {annotations = {use_tma = true}} : (!tl.buffer_region, memref<64x32xf16, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %j, %c0) {access = 1 : i32, extents = array<i64: 32, 64>} : (memref<512x64xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%b, %SB) {annotations = {use_tma = true}} : (!tl.buffer_region, memref<32x64xf16, #gpu.address_space<workgroup>>) -> ()
        "tl.copy"(%SA, %C) : (memref<64x32xf16, #gpu.address_space<workgroup>>, memref<64x32xf16>) -> ()
        "tl.copy"(%SB, %D) : (memref<32x64xf16, #gpu.address_space<workgroup>>, memref<32x64xf16>) -> ()
        %n = arith.addi %acc, %c1 : index
        scf.yield %n : index
      } {tl.num_stages = 4 : i64}
      %u = arith.addi %r, %c1 : index
      gpu.return
    }
  }
}

// -----

// Other ops that read the buffer read the current stage through one
// rank-reducing memref.subview made at the head of the body; a tl op that
// takes the whole buffer gets a tl.region of the stage.
// CHECK-LABEL: gpu.func @other_readers
// CHECK: scf.for %[[IV:.*]] = {{.*}} iter_args
// CHECK: %[[CUR:.*]] = arith.remui %[[IV]], %{{.*}} : index
// CHECK: %[[V:.*]] = memref.subview %arg2[%[[CUR]], 0] [1, 32] [1, 1] : memref<2x32xf32, #gpu.address_space<workgroup>> to memref<32xf32, strided<[1], offset: ?>, #gpu.address_space<workgroup>>
// CHECK: "tl.wait"
// CHECK: memref.load %[[V]][%{{.*}}] : memref<32xf32, strided<[1], offset: ?>, #gpu.address_space<workgroup>>
// CHECK: %[[W:.*]] = "tl.region"(%arg2, %[[CUR]], %{{.*}}) {access = 1 : i32, extents = array<i64: 1, 32>, tl.stage = "current"}
// CHECK: "tl.copy"(%[[W]], %arg1)
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @other_readers(%A: memref<1024xf32>, %B: memref<32xf32>)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      %t = gpu.thread_id x
      scf.for %k = %c0 to %c32 step %c1 {
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
        %x = memref.load %S[%t] : memref<32xf32, #gpu.address_space<workgroup>>
        "tl.copy"(%S, %B) : (memref<32xf32, #gpu.address_space<workgroup>>, memref<32xf32>) -> ()
      } {tl.num_stages = 2 : i64}
      gpu.return
    }
  }
}

// -----

// One stage: nothing is pipelined; the copy keeps its place, with the
// reason, and the attribute goes.
// CHECK-LABEL: gpu.func @one_stage
// CHECK-SAME: workgroup(%{{.*}} : memref<32xf32, #gpu.address_space<workgroup>>)
// CHECK: scf.for
// CHECK: "tl.copy"(%{{.*}}, %arg2) {tl.pipeline = "not pipelined: tl.num_stages = 1"}
// CHECK-NOT: tl.copy_async
// CHECK-NOT: tl.num_stages
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @one_stage(%A: memref<1024xf32>, %B: memref<1024xf32>)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      scf.for %k = %c0 to %c32 step %c1 {
        %j = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %j) {access = 2 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<32xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 1 : i64}
      gpu.return
    }
  }
}

// -----

// Copies that cannot be pipelined stay synchronous, with the reason: a
// source index loaded in the iteration (a later iteration cannot compute
// it ahead).
// CHECK-LABEL: gpu.func @not_pipelined
// CHECK: "tl.copy"(%{{.*}}, %arg3) {tl.pipeline = "not pipelined: its operands depend on values of the iteration that a later iteration cannot compute ahead
// CHECK-NOT: tl.copy_async
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @not_pipelined(%A: memref<1024xf32>, %I: memref<32xindex>, %Img: memref<2x8x8x16xf16>)
        workgroup(%S: memref<32xf32, #gpu.address_space<workgroup>>, %T: memref<32x16xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c4 = arith.constant 4 : index
      scf.for %k = %c0 to %c4 step %c1 {
        %j = memref.load %I[%k] : memref<32xindex>
        %a = "tl.region"(%A, %j) {access = 1 : i32, extents = array<i64: 32>} : (memref<1024xf32>, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32xf32, #gpu.address_space<workgroup>>) -> ()
      } {tl.num_stages = 3 : i64}
      gpu.return
    }
  }
}
