// Run-time sizes drive the predicates: a region over a dynamic dimension is
// bounds-checked against memref.dim of the buffer, and after
// tl-to-nvvm's parameter rewrite that size is the kernel's size parameter.
// RUN: tl-opt %s --tl-legalize-regions --tl-infer-layouts=chip=sm_80 --tl-lower-copy | FileCheck %s
// CHECK-LABEL: gpu.func @copy
// CHECK: %[[N:.*]] = memref.dim %arg0, %c0{{.*}} : memref<?x64xf32>
// CHECK: %[[ROW:.*]] = arith.addi
// CHECK: arith.cmpi ult, %[[ROW]], %[[N]] : index
// CHECK: scf.if
// CHECK: vector.load %arg0[
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @copy(%A: memref<?x64xf32>)
        workgroup(%S: memref<32x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c32 = arith.constant 32 : index
      %c0 = arith.constant 0 : index
      %by = gpu.block_id y
      %i = arith.muli %by, %c32 : index
      %a = "tl.region"(%A, %i, %c0) {access = 1 : i32, extents = array<i64: 32, 64>} : (memref<?x64xf32>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) {disable_tma, annotations = {use_cp_async = false}} : (!tl.buffer_region, memref<32x64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}
