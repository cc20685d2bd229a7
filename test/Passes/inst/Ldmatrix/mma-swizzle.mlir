// Bank-conflict-free ldmatrix/stmatrix: a shared buffer that a 16-bit
// shared<->fragment copy touches gets the widest swizzle span dividing its
// rows (128, 64 or 32 bytes) when nothing else decided it; every copy of
// the buffer then addresses it through the swizzle.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts | FileCheck %s

// 64 f16 per row = 128 bytes: 128-byte swizzle, the buffer 1024-aligned.
// CHECK-LABEL: gpu.func @rows128
// CHECK-SAME: {llvm.align = 1024 : i64, tl.swizzle = 128 : i64}
// CHECK: "tl.copy"{{.*}}inst = "ldmatrix"
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @rows128(%A: memref<64x64xf16>, %B: memref<64x64xf16>)
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

// 32 f16 per row = 64 bytes: 64-byte swizzle.
// CHECK-LABEL: gpu.func @rows64
// CHECK-SAME: tl.swizzle = 64 : i64
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @rows64(%A: memref<32x32xf16>, %B: memref<32x32xf16>)
        workgroup(%S: memref<32x32xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      %F = memref.alloca() : memref<32x32xf16, #tl.fragment>
      "tl.copy"(%A, %S) : (memref<32x32xf16>, memref<32x32xf16, #gpu.address_space<workgroup>>) -> ()
      "tl.copy"(%S, %F) : (memref<32x32xf16, #gpu.address_space<workgroup>>, memref<32x32xf16, #tl.fragment>) -> ()
      "tl.copy"(%F, %B) : (memref<32x32xf16, #tl.fragment>, memref<32x32xf16>) -> ()
      gpu.return
    }
  }
}

// -----

// A copy that demands TMA keeps the buffer unswizzled (the box depends on
// the span); so does an f32 fragment copy (no ldmatrix).
// CHECK-LABEL: gpu.func @tma_demand
// CHECK-NOT: tl.swizzle
// CHECK: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @tma_demand(%A: memref<64x64xf16>, %C: memref<64x64xf32>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>, %T: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %F = memref.alloca() : memref<64x64xf16, #tl.fragment>
      %G = memref.alloca() : memref<64x64xf32, #tl.fragment>
      "tl.copy"(%A, %S) {annotations = {use_tma = true}} : (memref<64x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      "tl.copy"(%S, %F) : (memref<64x64xf16, #gpu.address_space<workgroup>>, memref<64x64xf16, #tl.fragment>) -> ()
      "tl.copy"(%C, %T) : (memref<64x64xf32>, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      "tl.copy"(%T, %G) : (memref<64x64xf32, #gpu.address_space<workgroup>>, memref<64x64xf32, #tl.fragment>) -> ()
      gpu.return
    }
  }
}
