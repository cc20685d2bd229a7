// A K loop whose last tile hangs over K (K = 40, 32-wide tiles, 2
// iterations) pipelined over 3 stages: the prologue issues iteration 1's
// copy with constant coordinates, region [32, 64) of a 40-wide dimension.
// tl-legalize-regions would refuse such a user-written static region; the
// pipeline's clone of a loop copy is bounds-checked instead (the loop was
// legal over its whole range), so the tail reads zeros.
// RUN: tl-opt %s --tl-pipeline --tl-legalize-regions | FileCheck %s

// CHECK-LABEL: gpu.func @tail
// Iteration 0 (k0 = 0 * 32): columns in bounds.
// CHECK: "tl.region"(%{{.*}}, %{{.*}}, %{{.*}}) {access = 1 : i32, bounds_check = array<i1: true, false>, extents = array<i64: 64, 32>}
// CHECK: "tl.copy_async"{{.*}}tl.pipeline = "prologue"
// Iteration 1 (k0 = 1 * 32): the columns [32, 64) of 40 checked.
// CHECK: %[[K1:.*]] = arith.muli %c1{{.*}}, %c32 : index
// CHECK-NEXT: "tl.region"(%{{.*}}, %{{.*}}, %[[K1]]) {access = 1 : i32, bounds_check = array<i1: true, true>, extents = array<i64: 64, 32>}
// CHECK: "tl.copy_async"{{.*}}tl.pipeline = "prologue"
// CHECK: scf.for
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @tail(%A: memref<130x40xf16>, %B: memref<64x64xf16>)
        workgroup(%S: memref<64x32xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c2 = arith.constant 2 : index
      %c32 = arith.constant 32 : index
      %c64 = arith.constant 64 : index
      %by = gpu.block_id y
      %m0 = arith.muli %by, %c64 : index
      scf.for %k = %c0 to %c2 step %c1 {
        %k0 = arith.muli %k, %c32 : index
        %a = "tl.region"(%A, %m0, %k0) {access = 1 : i32, extents = array<i64: 64, 32>} : (memref<130x40xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<64x32xf16, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %c0, %k0) {access = 2 : i32, extents = array<i64: 64, 32>} : (memref<64x64xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<64x32xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 3 : i64}
      gpu.return
    }
  }
}
