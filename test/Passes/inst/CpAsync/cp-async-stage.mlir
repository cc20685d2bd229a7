// cp.async into one stage of a multi-buffered shared buffer, then a SIMT
// copy out of it: the stage s % 3 of an unknown s lies in [0, 2]
// (support/IndexRange.c), so neither shared region is bounds-checked; each
// 16-byte chunk's shared address adds stage * 4096 elements (8192 bytes).
// RUN: tl-opt %s --tl-legalize-regions --tl-infer-layouts=report -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: tl-opt %s --tl-legalize-regions --tl-infer-layouts --tl-lower-copy | FileCheck %s

// REPORT: global->shared [64x64] f16->f16: cp_async, v=8 (16-byte)
// REPORT: shared->global [64x64] f16->f16: simt, v=8 (16-byte)
// CHECK-LABEL: gpu.func @stage
// CHECK-NOT: bounds_check
// CHECK: %[[ST:.*]] = arith.remui %{{.*}}, %c3 : index
// CHECK: %[[P:.*]] = memref.extract_aligned_pointer_as_index %{{.*}} : memref<3x64x64xf16, #gpu.address_space<workgroup>> -> index
// CHECK: %[[E:.*]] = arith.muli %[[ST]], %c4096 : index
// CHECK: %[[L:.*]] = arith.addi %[[E]], %{{.*}} : index
// CHECK: %[[L2:.*]] = arith.addi %[[L]], %{{.*}} : index
// CHECK: %[[B:.*]] = arith.muli %[[L2]], %c2{{.*}} : index
// CHECK: %[[A:.*]] = arith.addi %[[P]], %[[B]] : index
// CHECK: %[[I:.*]] = arith.index_cast %[[A]] : index to i64
// CHECK: %[[Q:.*]] = llvm.inttoptr %[[I]] : i64 to !llvm.ptr<3>
// CHECK: nvvm.cp.async.shared.global %[[Q]]
// CHECK: nvvm.cp.async.wait.group 0
// CHECK: vector.load %{{.*}}[%[[ST]], %{{.*}}, %{{.*}}] {alignment = 16 : i64} : memref<3x64x64xf16, #gpu.address_space<workgroup>>, vector<8xf16>
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @stage(%A: memref<512x512xf16>, %B: memref<512x512xf16>, %s: index)
        workgroup(%S: memref<3x64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c3 = arith.constant 3 : index
      %st = arith.remui %s, %c3 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      %d = "tl.region"(%S, %st, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 64, 64>} : (memref<3x64x64xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      %t = "tl.copy_async"(%a, %d) {annotations = {use_cp_async = true}} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      "tl.wait"(%t) : (!tl.token) -> ()
      %r = "tl.region"(%S, %st, %c0, %c0) {access = 1 : i32, extents = array<i64: 1, 64, 64>} : (memref<3x64x64xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%r, %b) : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}
