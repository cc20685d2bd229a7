// tl-lower-copy's own errors for tl.copy_async. (The token rules are
// tl-verify's, and the lowering passes check them with the same code and
// messages, verify/VerifyAsync.h: test/Dialect/async-invalid.mlir.)
// RUN: tl-opt %s -split-input-file -verify-diagnostics --tl-lower-copy

// More TMA loads in flight than a function's mbarrier set has slots: slots 1 to 31 are given, the 32nd copy is refused.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @too_many_slots(%A: memref<256x256xf16>)
        workgroup(%S0: memref<64x64xf16, #gpu.address_space<workgroup>>, %S1: memref<64x64xf16, #gpu.address_space<workgroup>>, %S2: memref<64x64xf16, #gpu.address_space<workgroup>>, %S3: memref<64x64xf16, #gpu.address_space<workgroup>>, %S4: memref<64x64xf16, #gpu.address_space<workgroup>>, %S5: memref<64x64xf16, #gpu.address_space<workgroup>>, %S6: memref<64x64xf16, #gpu.address_space<workgroup>>, %S7: memref<64x64xf16, #gpu.address_space<workgroup>>, %S8: memref<64x64xf16, #gpu.address_space<workgroup>>, %S9: memref<64x64xf16, #gpu.address_space<workgroup>>, %S10: memref<64x64xf16, #gpu.address_space<workgroup>>, %S11: memref<64x64xf16, #gpu.address_space<workgroup>>, %S12: memref<64x64xf16, #gpu.address_space<workgroup>>, %S13: memref<64x64xf16, #gpu.address_space<workgroup>>, %S14: memref<64x64xf16, #gpu.address_space<workgroup>>, %S15: memref<64x64xf16, #gpu.address_space<workgroup>>, %S16: memref<64x64xf16, #gpu.address_space<workgroup>>, %S17: memref<64x64xf16, #gpu.address_space<workgroup>>, %S18: memref<64x64xf16, #gpu.address_space<workgroup>>, %S19: memref<64x64xf16, #gpu.address_space<workgroup>>, %S20: memref<64x64xf16, #gpu.address_space<workgroup>>, %S21: memref<64x64xf16, #gpu.address_space<workgroup>>, %S22: memref<64x64xf16, #gpu.address_space<workgroup>>, %S23: memref<64x64xf16, #gpu.address_space<workgroup>>, %S24: memref<64x64xf16, #gpu.address_space<workgroup>>, %S25: memref<64x64xf16, #gpu.address_space<workgroup>>, %S26: memref<64x64xf16, #gpu.address_space<workgroup>>, %S27: memref<64x64xf16, #gpu.address_space<workgroup>>, %S28: memref<64x64xf16, #gpu.address_space<workgroup>>, %S29: memref<64x64xf16, #gpu.address_space<workgroup>>, %S30: memref<64x64xf16, #gpu.address_space<workgroup>>, %S31: memref<64x64xf16, #gpu.address_space<workgroup>>)
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
      %s8 = "tl.region"(%S8, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s9 = "tl.region"(%S9, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s10 = "tl.region"(%S10, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s11 = "tl.region"(%S11, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s12 = "tl.region"(%S12, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s13 = "tl.region"(%S13, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s14 = "tl.region"(%S14, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s15 = "tl.region"(%S15, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s16 = "tl.region"(%S16, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s17 = "tl.region"(%S17, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s18 = "tl.region"(%S18, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s19 = "tl.region"(%S19, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s20 = "tl.region"(%S20, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s21 = "tl.region"(%S21, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s22 = "tl.region"(%S22, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s23 = "tl.region"(%S23, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s24 = "tl.region"(%S24, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s25 = "tl.region"(%S25, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s26 = "tl.region"(%S26, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s27 = "tl.region"(%S27, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s28 = "tl.region"(%S28, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s29 = "tl.region"(%S29, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s30 = "tl.region"(%S30, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s31 = "tl.region"(%S31, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %t0 = "tl.copy_async"(%a, %s0) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t1 = "tl.copy_async"(%a, %s1) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t2 = "tl.copy_async"(%a, %s2) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t3 = "tl.copy_async"(%a, %s3) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t4 = "tl.copy_async"(%a, %s4) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t5 = "tl.copy_async"(%a, %s5) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t6 = "tl.copy_async"(%a, %s6) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t7 = "tl.copy_async"(%a, %s7) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t8 = "tl.copy_async"(%a, %s8) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t9 = "tl.copy_async"(%a, %s9) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t10 = "tl.copy_async"(%a, %s10) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t11 = "tl.copy_async"(%a, %s11) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t12 = "tl.copy_async"(%a, %s12) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t13 = "tl.copy_async"(%a, %s13) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t14 = "tl.copy_async"(%a, %s14) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t15 = "tl.copy_async"(%a, %s15) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t16 = "tl.copy_async"(%a, %s16) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t17 = "tl.copy_async"(%a, %s17) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t18 = "tl.copy_async"(%a, %s18) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t19 = "tl.copy_async"(%a, %s19) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t20 = "tl.copy_async"(%a, %s20) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t21 = "tl.copy_async"(%a, %s21) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t22 = "tl.copy_async"(%a, %s22) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t23 = "tl.copy_async"(%a, %s23) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t24 = "tl.copy_async"(%a, %s24) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t25 = "tl.copy_async"(%a, %s25) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t26 = "tl.copy_async"(%a, %s26) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t27 = "tl.copy_async"(%a, %s27) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t28 = "tl.copy_async"(%a, %s28) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t29 = "tl.copy_async"(%a, %s29) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %t30 = "tl.copy_async"(%a, %s30) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      // expected-error @+1 {{'tl.copy_async' op needs mbarrier slot 32 of its function, but a function has 32 (slot 0, then one per asynchronous copy on an mbarrier and one per stage of an N-way buffer a loop carries copies of)}}
      %t31 = "tl.copy_async"(%a, %s31) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      "tl.wait"(%t0, %t1, %t2, %t3, %t4, %t5, %t6, %t7, %t8, %t9, %t10, %t11, %t12, %t13, %t14, %t15, %t16, %t17, %t18, %t19, %t20, %t21, %t22, %t23, %t24, %t25, %t26, %t27, %t28, %t29, %t30, %t31) : (!tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token) -> ()
      gpu.return
    }
  }
}

// -----

// A token carried by a loop whose copy completes on an mbarrier must name
// the barrier of one stage of an N-way buffer: this one writes a whole
// 2-D buffer.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @carried_not_a_stage(%A: memref<256x256xf16>, %n: index)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      %s = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy_async' op completes on an mbarrier and its token is carried by an scf.for, so it must write one stage of an N-way buffer (a tl.region whose index 0 has extent 1), whose stages each have a barrier}}
      %t = "tl.copy_async"(%a, %s) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %r = scf.for %k = %c0 to %n step %c1 iter_args(%x = %t) -> (!tl.token) {
        scf.yield %x : !tl.token
      }
      "tl.wait"(%r) : (!tl.token) -> ()
      gpu.return
    }
  }
}

// -----

// One carried position, two kinds of completion: the token enters the
// loop from a TMA load (an mbarrier) and comes back from a SIMT copy.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @carried_kinds(%A: memref<256x256xf16>, %n: index)
        workgroup(%S: memref<2x64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      %s0 = "tl.region"(%S, %c0, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 64, 64>} : (memref<2x64x64xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      %t = "tl.copy_async"(%a, %s0) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "tma_load", tma_box = array<i64: 64, 64>, tma_swizzle = 0 : i64} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      // expected-error @+1 {{'scf.for' op carries in iter_arg #0 tokens of copies that complete differently on entry and from the body (each carried position holds one kind of completion)}}
      %r = scf.for %k = %c0 to %n step %c1 iter_args(%x = %t) -> (!tl.token) {
        "tl.wait"(%x) : (!tl.token) -> ()
        %s1 = "tl.region"(%S, %c1, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 64, 64>} : (memref<2x64x64xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
        %u = "tl.copy_async"(%a, %s1) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> ((d1 floordiv 8 + d0 * 8) mod 128, ((d1 + d0 * 64) floordiv 1024) * 8 + d1 mod 8)>, 128 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
        scf.yield %u : !tl.token
      }
      "tl.wait"(%r) : (!tl.token) -> ()
      gpu.return
    }
  }
}
