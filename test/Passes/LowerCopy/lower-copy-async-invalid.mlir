// tl-lower-copy's own errors for tl.copy_async. (The token rules are
// tl-verify's, and the lowering passes check them with the same code and
// messages, verify/VerifyAsync.h: test/Dialect/async-invalid.mlir.)
// RUN: tl-opt %s -split-input-file -verify-diagnostics --tl-lower-copy

// More TMA loads in flight than a function's mbarrier set has slots: slots 1 to 7 are given, the eighth copy is refused.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @too_many_slots(%A: memref<256x256xf16>)
        workgroup(%S0: memref<64x64xf16, #gpu.address_space<workgroup>>, %S1: memref<64x64xf16, #gpu.address_space<workgroup>>, %S2: memref<64x64xf16, #gpu.address_space<workgroup>>, %S3: memref<64x64xf16, #gpu.address_space<workgroup>>, %S4: memref<64x64xf16, #gpu.address_space<workgroup>>, %S5: memref<64x64xf16, #gpu.address_space<workgroup>>, %S6: memref<64x64xf16, #gpu.address_space<workgroup>>, %S7: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      %s0 = "tl.region"(%S0, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s1 = "tl.region"(%S1, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s2 = "tl.region"(%S2, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s3 = "tl.region"(%S3, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s4 = "tl.region"(%S4, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s5 = "tl.region"(%S5, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s6 = "tl.region"(%S6, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s7 = "tl.region"(%S7, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %t0 = "tl.copy_async"(%a, %s0) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t1 = "tl.copy_async"(%a, %s1) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t2 = "tl.copy_async"(%a, %s2) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t3 = "tl.copy_async"(%a, %s3) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t4 = "tl.copy_async"(%a, %s4) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t5 = "tl.copy_async"(%a, %s5) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t6 = "tl.copy_async"(%a, %s6) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      // expected-error @+1 {{'tl.copy_async' op needs mbarrier slot 8 of its function, but a function has 8 (slot 0 and one per asynchronous copy on an mbarrier)}}
      %t7 = "tl.copy_async"(%a, %s7) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      "tl.wait"(%t0, %t1, %t2, %t3, %t4, %t5, %t6, %t7) : (!tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token) -> ()
      gpu.return
    }
  }
}
