// A global operand with a leading dimension (`strided<[ld, 1]>`, an M x N
// view of an M x ld matrix) is copied by TMA both ways: the tensor map
// keeps the view's size (its bounds: the loads zero-fill, the stores clip)
// and the leading dimension as its stride, ld x element bytes (issue 18).
// RUN: tl-opt %s --tl-to-nvvm="format=isa report=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: tl-opt %s --tl-to-nvvm=format=isa | FileCheck %s

// REPORT: tl.copy global->shared [64x64] f16->f16: tma_load, box [64, 64] x1
// REPORT: tl.copy shared->global [64x64] f16->f16: tma_store, box [64, 64] x1

// CHECK: tl.abi
// CHECK-SAME: kind = "tensormap", map = {box = array<i64: 64, 64>, buffer = 0 : i64, data_type = 6 : i64, element_strides = array<i64: 1, 1>, global_dim = array<i64: 200, 512>, global_strides = array<i64: 768>
// CHECK-SAME: kind = "tensormap", map = {box = array<i64: 64, 64>, buffer = 1 : i64, data_type = 6 : i64, element_strides = array<i64: 1, 1>, global_dim = array<i64: 200, 512>, global_strides = array<i64: 640>
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<512x200xf16, strided<[384, 1]>>, %B: memref<512x200xf16, strided<[320, 1]>>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %c64 : index
      %j = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x200xf16, strided<[384, 1]>>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) {annotations = {use_tma = true}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<512x200xf16, strided<[320, 1]>>, index, index) -> !tl.buffer_region
      "tl.copy"(%S, %b) {annotations = {use_tma = true}} : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}
