// The automatic 128-byte swizzle of a buffer ldmatrix reads (docs/mma-copies.md)
// is not given when another op reads the buffer: that op addresses it
// linearly (a memref.load of the current stage in a pipelined loop, say).
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts | FileCheck %s

// Only tl ops use it: swizzled.
// CHECK-LABEL: gpu.func @tl_only
// CHECK-SAME: {llvm.align = {{[0-9]+}} : i64, tl.swizzle = 128 : i64}
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @tl_only(%A: memref<64x64xf16>, %B: memref<64x64xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %F = memref.alloca() : memref<64x64xf16, #tl.fragment>
      "tl.copy"(%A, %S) : (memref<64x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      "tl.copy"(%S, %F) : (memref<64x64xf16, #gpu.address_space<workgroup>>, memref<64x64xf16, #tl.fragment>) -> ()
      "tl.copy"(%F, %B) : (memref<64x64xf16, #tl.fragment>, memref<64x64xf16>) -> ()
      gpu.return
    }
  }
}

// -----

// A memref.load reads it too: not swizzled.
// CHECK-LABEL: gpu.func @also_loaded
// CHECK-NOT: tl.swizzle
// CHECK: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @also_loaded(%A: memref<64x64xf16>, %B: memref<64x64xf16>, %C: memref<1xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %F = memref.alloca() : memref<64x64xf16, #tl.fragment>
      "tl.copy"(%A, %S) : (memref<64x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      "tl.copy"(%S, %F) : (memref<64x64xf16, #gpu.address_space<workgroup>>, memref<64x64xf16, #tl.fragment>) -> ()
      "tl.copy"(%F, %B) : (memref<64x64xf16, #tl.fragment>, memref<64x64xf16>) -> ()
      %x = memref.load %S[%c0, %c0] : memref<64x64xf16, #gpu.address_space<workgroup>>
      memref.store %x, %C[%c0] : memref<1xf16>
      gpu.return
    }
  }
}
