// RUN: tl-opt %s --tl-to-nvvm="format=ptx" | FileCheck %s
// RUN: tl-opt %s --tl-to-nvvm="format=ptx chip=sm_80" | FileCheck %s --check-prefix=SM80
// RUN: tl-opt %s --pass-pipeline='builtin.module(tl-to-nvvm{format=isa opt-level=3})' | FileCheck %s --check-prefix=O3
// O3: #nvvm.target<O = 3, chip = "sm_90a", features = "+ptx80">
// RUN: tl-opt %s --tl-to-nvvm="format=ptx" --emit-binary=%t.ptx -o /dev/null && FileCheck %s --check-prefix=PTX < %t.ptx

// The ABI lands on the gpu.binary: parameters in order, block, shared bytes.
// CHECK: gpu.binary @kernels {tl.abi = [{block = array<i32: 128, 1, 1>, dynamic_shared_bytes = 0 : i64, name = "scale", params = [{kind = "ptr", type = memref<256xf32>}, {kind = "scalar", type = f32}, {kind = "scalar", type = index}], static_shared_bytes = 1024 : i64}]}
// CHECK-SAME: #nvvm.target<chip = "sm_90a", features = "+ptx80">
// CHECK-SAME: assembly = "
// CHECK-SAME: .target sm_90a
// CHECK-NOT: tl.abi
// SM80: #nvvm.target<chip = "sm_80", features = "+ptx80">
// SM80-SAME: .target sm_80
// PTX: .version 8.0
// PTX: .target sm_90a
// PTX: .entry scale(
// PTX: .maxntid 128, 1, 1
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @scale(%A: memref<256xf32>, %s: f32, %n: index)
        workgroup(%S: memref<256xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %t = gpu.thread_id x
      %x = memref.load %A[%t] : memref<256xf32>
      %y = arith.mulf %x, %s : f32
      memref.store %y, %S[%t] : memref<256xf32, #gpu.address_space<workgroup>>
      %z = memref.load %S[%t] : memref<256xf32, #gpu.address_space<workgroup>>
      memref.store %z, %A[%t] : memref<256xf32>
      gpu.return
    }
    gpu.func @helper() {
      gpu.return
    }
  }
}
