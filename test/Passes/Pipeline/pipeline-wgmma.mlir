// A wgmma K loop (test/GPU/gen_wgmma.py's shape, smaller): tl-pipeline
// treats tl.wgmma_descriptor as a read of the pipelined buffer, so its
// tl.region gets the stage index in front like every other reader's; the
// descriptor then names the current stage (pipeline-invalid.mlir: one read
// before the copy that fills the buffer is refused). Then the same loop
// with tl.reads_in_flight = 1 (wgmma.wait_group 1 at the end of each
// iteration).
// RUN: tl-opt %s -split-input-file --tl-pipeline | FileCheck %s
// RUN: tl-opt %s -split-input-file --tl-to-nvvm=format=isa -o /dev/null

// CHECK-LABEL: gpu.func @kloop
// CHECK-SAME: workgroup(%[[S:.*]] : memref<3x64x64xf16, #gpu.address_space<workgroup>>)
// CHECK: scf.for %[[K:.*]] = {{.*}} iter_args
// CHECK: %[[ST:.*]] = arith.remui %[[K]], %{{.*}} : index
// CHECK: "tl.copy_async"
// CHECK: %[[R:.*]] = "tl.region"(%[[S]], %[[ST]], %{{.*}}, %{{.*}}) {access = 1 : i32, extents = array<i64: 1, 64, 16>, tl.stage = "current"}
// CHECK: "tl.wgmma_descriptor"(%[[R]]) : (!tl.buffer_region) -> i64
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @kloop(%A: memref<64x512xf16>, %out: memref<1xi64>) workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c8 = arith.constant 8 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      scf.for %k = %c0 to %c8 step %c1 {
        %k0 = arith.muli %k, %c64 : index
        %a = "tl.region"(%A, %c0, %k0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x512xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
        %r = "tl.region"(%S, %c0, %c16) {access = 1 : i32, extents = array<i64: 64, 16>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
        %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
        memref.store %d, %out[%c0] : memref<1xi64>
      } {tl.num_stages = 3 : i64}
      gpu.return
    }
  }
}

// -----

// tl.reads_in_flight = 1 with 4 stages: a stage read at iteration k is
// refilled at iteration k + 2, so the copies go 4 - 1 - 1 = 2 iterations
// ahead: the prologue issues iterations 0 and 1, the loop carries 2
// tokens and issues iteration k + 2 into stage (k + 2) mod 4; 4 buffers.
// CHECK-LABEL: gpu.func @lag
// CHECK-SAME: workgroup(%[[S:.*]] : memref<4x64x64xf16, #gpu.address_space<workgroup>>)
// CHECK-COUNT-2: "tl.copy_async"({{.*}}tl.pipeline = "prologue"
// CHECK-NOT: "tl.copy_async"
// CHECK: scf.for %[[K:.*]] = {{.*}} iter_args(%[[T0:.*]] = %{{.*}}, %[[T1:.*]] = %{{.*}}) -> (!tl.token, !tl.token) {
// CHECK: %[[ST:.*]] = arith.remui %[[K]], %[[C4:.*]] : index
// CHECK: "tl.wait"(%[[T0]])
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: %[[AH:.*]] = arith.addi %[[K]], %[[C2:.*]] : index
// CHECK: arith.remui %[[AH]], %[[C4]] : index
// CHECK: %[[N:.*]] = "tl.copy_async"({{.*}}tl.pipeline = "pipelined: 4 stages, issued 2 iterations ahead; 8192 bytes of shared memory per stage, 32768 in all; a stage is refilled 2 iterations after it is read (tl.reads_in_flight)"}
// CHECK: "tl.region"(%[[S]], %[[ST]], %{{.*}}, %{{.*}}) {access = 1 : i32, extents = array<i64: 1, 64, 16>, tl.stage = "current"}
// CHECK: scf.yield %[[T1]], %[[N]] : !tl.token, !tl.token
// CHECK-NEXT: }
// CHECK-NOT: tl.reads_in_flight
// CHECK: "tl.wait"(%{{.*}}#0, %{{.*}}#1)
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @lag(%A: memref<64x512xf16>, %out: memref<1xi64>) workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c8 = arith.constant 8 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      scf.for %k = %c0 to %c8 step %c1 {
        %k0 = arith.muli %k, %c64 : index
        %a = "tl.region"(%A, %c0, %k0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x512xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
        %r = "tl.region"(%S, %c0, %c16) {access = 1 : i32, extents = array<i64: 64, 16>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
        %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
        memref.store %d, %out[%c0] : memref<1xi64>
      } {tl.num_stages = 4 : i64, tl.reads_in_flight = 1 : i64}
      gpu.return
    }
  }
}
