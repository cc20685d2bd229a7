// A wgmma accumulator over three warpgroups (384 threads, a 192-row tile):
// its thread map is no a + b * thread, but a sum over the thread id's bits
// (copy/MapEval.c's bit mode), now also for a thread count that is not a
// power of two; checked for every thread id below 384, then emitted as
// runs of bits: (t mod 4) * 2 + ((t / 4) mod 8) * 64 + (t / 32) * 1024,
// row 16 (t / 32) + (t mod 32) / 4 of the 64-column tile.
// RUN: tl-opt %s --tl-legalize-regions --tl-infer-layouts --tl-lower-copy | FileCheck %s
// RUN: tl-opt %s --tl-to-nvvm=format=isa -o /dev/null
// CHECK-LABEL: gpu.func @three_warpgroups
// CHECK: %[[T:.*]] = gpu.thread_id  x
// CHECK: %[[L:.*]] = arith.remui %[[T]], %c4 : index
// CHECK: %[[LC:.*]] = arith.muli %[[L]], %c2 : index
// CHECK: %[[Q:.*]] = arith.divui %[[T]], %c4 : index
// CHECK: %[[QR:.*]] = arith.remui %[[Q]], %c8 : index
// CHECK: %[[QC:.*]] = arith.muli %[[QR]], %c64 : index
// CHECK: %[[G1:.*]] = arith.addi %[[LC]], %[[QC]] : index
// CHECK: %[[W:.*]] = arith.divui %[[T]], %c32 : index
// CHECK-NOT: arith.remui %[[W]]
// CHECK: %[[WC:.*]] = arith.muli %[[W]], %c1024 : index
// CHECK: arith.addi %[[G1]], %[[WC]] : index
// CHECK-NOT: "tl.copy"
// CHECK: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @three_warpgroups(%C: memref<192x64xf16>) kernel attributes {known_block_size = array<i32: 384, 1, 1>} {
      %FC = memref.alloca() {tl.mma_accumulator = "m64n64k16"} : memref<192x64xf32, #tl.fragment>
      "tl.copy"(%FC, %C) : (memref<192x64xf32, #tl.fragment>, memref<192x64xf16>) -> ()
      gpu.return
    }
  }
}
