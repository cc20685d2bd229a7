// A run whose inputs cannot cross a call stays in the kernel
// (support/Outline.c): here the cp.async token of the user's own
// nvgpu.device_async_copy, used after two tl copies, is no value a
// func.func can take. The runs around it are still cut, and the kernel
// compiles.
// RUN: tl-opt %s --tl-to-nvvm="format=isa max-function-ops=6" --mlir-print-ir-after-all -o /dev/null 2>&1 | FileCheck %s

// CHECK-LABEL: IR Dump After tl-to-nvvm-outline
// CHECK: gpu.func @k(
// CHECK: %[[T:.*]] = nvgpu.device_async_copy
// CHECK: call @k__part1(
// CHECK: %[[G:.*]] = nvgpu.device_async_create_group %[[T]]
// CHECK: gpu.return
// CHECK-NOT: device.async.token
// CHECK: func.func private @k__part1(
// CHECK-NOT: device.async.token
// CHECK-LABEL: IR Dump After

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @k(%A: memref<256xf32>, %B: memref<256xf32>)
        workgroup(%S: memref<128xf32, #gpu.address_space<workgroup>>,
                  %W: memref<4xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c128 = arith.constant 128 : index
      %t = nvgpu.device_async_copy %A[%c0], %W[%c0], 4 : memref<256xf32> to memref<4xf32, #gpu.address_space<workgroup>>
      %a0 = "tl.region"(%A, %c0) {access = 1 : i32, extents = array<i64: 128>} : (memref<256xf32>, index) -> !tl.buffer_region
      "tl.copy"(%a0, %S) : (!tl.buffer_region, memref<128xf32, #gpu.address_space<workgroup>>) -> ()
      %b0 = "tl.region"(%B, %c128) {access = 2 : i32, extents = array<i64: 128>} : (memref<256xf32>, index) -> !tl.buffer_region
      "tl.copy"(%S, %b0) : (memref<128xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      %g = nvgpu.device_async_create_group %t
      nvgpu.device_async_wait %g
      gpu.barrier
      %v = memref.load %W[%c0] : memref<4xf32, #gpu.address_space<workgroup>>
      memref.store %v, %B[%c0] : memref<256xf32>
      gpu.return
    }
  }
}
