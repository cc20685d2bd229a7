// The IR tl-to-nvvm-outline makes (support/Outline.c), printed after it:
// the kernel keeps its first run of ops and calls one private, noinline,
// internal func.func per later run. Constants, thread ids and their index
// arithmetic are recomputed in each callee (the thread id with the kernel's
// known_block_size as its upper_bound); memrefs cross in integer address
// spaces (a parameter in 1, a workgroup buffer in 3) and are cast back.
// RUN: tl-opt %s --tl-to-nvvm="format=isa max-function-ops=10" --mlir-print-ir-after-all -o /dev/null 2>&1 | FileCheck %s

// CHECK-LABEL: IR Dump After tl-to-nvvm-outline
// CHECK: gpu.func @k(%[[A:.*]]: memref<256xf32>, %[[B:.*]]: memref<256xf32>) workgroup(%[[S:.*]] : memref<128xf32, #gpu.address_space<workgroup>>
// CHECK: gpu.barrier
// CHECK: %[[A1:.*]] = memref.memory_space_cast %[[A]] : memref<256xf32> to memref<256xf32, 1>
// CHECK: %[[S3:.*]] = memref.memory_space_cast %[[S]] : memref<128xf32, #gpu.address_space<workgroup>> to memref<128xf32, 3>
// CHECK: call @k__part1(%[[A1]], %[[S3]]) : (memref<256xf32, 1>, memref<128xf32, 3>) -> ()
// CHECK: call @k__part2(
// CHECK-NOT: call @k__part3
// CHECK: gpu.return
// CHECK: func.func private @k__part1(%[[PA:.*]]: memref<256xf32, 1>, %[[PS:.*]]: memref<128xf32, 3>) attributes {llvm.linkage = #llvm.linkage<internal>, passthrough = ["noinline"]}
// CHECK: gpu.thread_id  x upper_bound 128
// CHECK: memref.memory_space_cast %[[PA]] : memref<256xf32, 1> to memref<256xf32>
// CHECK: memref.memory_space_cast %[[PS]] : memref<128xf32, 3> to memref<128xf32, #gpu.address_space<workgroup>>
// CHECK: scf.if
// CHECK: vector.load
// CHECK: vector.store
// CHECK: gpu.barrier
// CHECK: return
// CHECK: func.func private @k__part2(
// CHECK-LABEL: IR Dump After

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<256xf32>, %B: memref<256xf32>)
        workgroup(%S: memref<128xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c128 = arith.constant 128 : index
      %a0 = "tl.region"(%A, %c0) {access = 1 : i32, extents = array<i64: 128>} : (memref<256xf32>, index) -> !tl.buffer_region
      "tl.copy"(%a0, %S) : (!tl.buffer_region, memref<128xf32, #gpu.address_space<workgroup>>) -> ()
      %b0 = "tl.region"(%B, %c0) {access = 2 : i32, extents = array<i64: 128>} : (memref<256xf32>, index) -> !tl.buffer_region
      "tl.copy"(%S, %b0) : (memref<128xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      %a1 = "tl.region"(%A, %c128) {access = 1 : i32, extents = array<i64: 128>} : (memref<256xf32>, index) -> !tl.buffer_region
      "tl.copy"(%a1, %S) : (!tl.buffer_region, memref<128xf32, #gpu.address_space<workgroup>>) -> ()
      %b1 = "tl.region"(%B, %c128) {access = 2 : i32, extents = array<i64: 128>} : (memref<256xf32>, index) -> !tl.buffer_region
      "tl.copy"(%S, %b1) : (memref<128xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}
