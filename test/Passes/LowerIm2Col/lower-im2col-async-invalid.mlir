// tl-lower-copy and tl-lower-im2col on tl.c2d_im2col_async: located errors
// (design.md §8.1). A function's mbarrier set holds 32 slots: slot 0, then
// one per asynchronous copy or im2col on an mbarrier in flight.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts=prefer-tma=true --tl-lower-copy --tl-lower-im2col -verify-diagnostics

// 32 TMA im2col tiles: the 32nd needs slot 32 (tl-lower-im2col).
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @eight(%Img: memref<2x9x7x16xf16>)
        workgroup(%S0: memref<32x16xf16, #gpu.address_space<workgroup>>, %S1: memref<32x16xf16, #gpu.address_space<workgroup>>, %S2: memref<32x16xf16, #gpu.address_space<workgroup>>, %S3: memref<32x16xf16, #gpu.address_space<workgroup>>, %S4: memref<32x16xf16, #gpu.address_space<workgroup>>, %S5: memref<32x16xf16, #gpu.address_space<workgroup>>, %S6: memref<32x16xf16, #gpu.address_space<workgroup>>, %S7: memref<32x16xf16, #gpu.address_space<workgroup>>, %S8: memref<32x16xf16, #gpu.address_space<workgroup>>, %S9: memref<32x16xf16, #gpu.address_space<workgroup>>, %S10: memref<32x16xf16, #gpu.address_space<workgroup>>, %S11: memref<32x16xf16, #gpu.address_space<workgroup>>, %S12: memref<32x16xf16, #gpu.address_space<workgroup>>, %S13: memref<32x16xf16, #gpu.address_space<workgroup>>, %S14: memref<32x16xf16, #gpu.address_space<workgroup>>, %S15: memref<32x16xf16, #gpu.address_space<workgroup>>, %S16: memref<32x16xf16, #gpu.address_space<workgroup>>, %S17: memref<32x16xf16, #gpu.address_space<workgroup>>, %S18: memref<32x16xf16, #gpu.address_space<workgroup>>, %S19: memref<32x16xf16, #gpu.address_space<workgroup>>, %S20: memref<32x16xf16, #gpu.address_space<workgroup>>, %S21: memref<32x16xf16, #gpu.address_space<workgroup>>, %S22: memref<32x16xf16, #gpu.address_space<workgroup>>, %S23: memref<32x16xf16, #gpu.address_space<workgroup>>, %S24: memref<32x16xf16, #gpu.address_space<workgroup>>, %S25: memref<32x16xf16, #gpu.address_space<workgroup>>, %S26: memref<32x16xf16, #gpu.address_space<workgroup>>, %S27: memref<32x16xf16, #gpu.address_space<workgroup>>, %S28: memref<32x16xf16, #gpu.address_space<workgroup>>, %S29: memref<32x16xf16, #gpu.address_space<workgroup>>, %S30: memref<32x16xf16, #gpu.address_space<workgroup>>, %S31: memref<32x16xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %t0 = "tl.c2d_im2col_async"(%Img, %S0, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t1 = "tl.c2d_im2col_async"(%Img, %S1, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t2 = "tl.c2d_im2col_async"(%Img, %S2, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t3 = "tl.c2d_im2col_async"(%Img, %S3, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t4 = "tl.c2d_im2col_async"(%Img, %S4, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t5 = "tl.c2d_im2col_async"(%Img, %S5, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t6 = "tl.c2d_im2col_async"(%Img, %S6, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t7 = "tl.c2d_im2col_async"(%Img, %S7, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t8 = "tl.c2d_im2col_async"(%Img, %S8, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t9 = "tl.c2d_im2col_async"(%Img, %S9, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t10 = "tl.c2d_im2col_async"(%Img, %S10, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t11 = "tl.c2d_im2col_async"(%Img, %S11, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t12 = "tl.c2d_im2col_async"(%Img, %S12, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t13 = "tl.c2d_im2col_async"(%Img, %S13, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t14 = "tl.c2d_im2col_async"(%Img, %S14, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t15 = "tl.c2d_im2col_async"(%Img, %S15, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t16 = "tl.c2d_im2col_async"(%Img, %S16, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t17 = "tl.c2d_im2col_async"(%Img, %S17, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t18 = "tl.c2d_im2col_async"(%Img, %S18, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t19 = "tl.c2d_im2col_async"(%Img, %S19, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t20 = "tl.c2d_im2col_async"(%Img, %S20, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t21 = "tl.c2d_im2col_async"(%Img, %S21, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t22 = "tl.c2d_im2col_async"(%Img, %S22, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t23 = "tl.c2d_im2col_async"(%Img, %S23, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t24 = "tl.c2d_im2col_async"(%Img, %S24, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t25 = "tl.c2d_im2col_async"(%Img, %S25, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t26 = "tl.c2d_im2col_async"(%Img, %S26, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t27 = "tl.c2d_im2col_async"(%Img, %S27, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t28 = "tl.c2d_im2col_async"(%Img, %S28, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t29 = "tl.c2d_im2col_async"(%Img, %S29, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t30 = "tl.c2d_im2col_async"(%Img, %S30, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      // expected-error @+1 {{'tl.c2d_im2col_async' op needs mbarrier slot 32 of its function, but a function has 32 (slot 0, then one per asynchronous copy on an mbarrier and one per stage of an N-way buffer a loop carries copies of)}}
      %t31 = "tl.c2d_im2col_async"(%Img, %S31, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      "tl.wait"(%t0, %t1, %t2, %t3, %t4, %t5, %t6, %t7, %t8, %t9, %t10, %t11, %t12, %t13, %t14, %t15, %t16, %t17, %t18, %t19, %t20, %t21, %t22, %t23, %t24, %t25, %t26, %t27, %t28, %t29, %t30, %t31) : (!tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token) -> ()
      gpu.return
    }
  }
}

// -----

// Three TMA copies then 29 TMA im2col tiles: tl-lower-copy makes the set
// for both and finds no slot for the 29th tile (slot 32).
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @mixed(%Img: memref<2x9x7x16xf16>, %A: memref<64x64xf16>)
        workgroup(%S0: memref<32x16xf16, #gpu.address_space<workgroup>>, %S1: memref<32x16xf16, #gpu.address_space<workgroup>>, %S2: memref<32x16xf16, #gpu.address_space<workgroup>>, %S3: memref<32x16xf16, #gpu.address_space<workgroup>>, %S4: memref<32x16xf16, #gpu.address_space<workgroup>>, %S5: memref<32x16xf16, #gpu.address_space<workgroup>>, %S6: memref<32x16xf16, #gpu.address_space<workgroup>>, %S7: memref<32x16xf16, #gpu.address_space<workgroup>>, %S8: memref<32x16xf16, #gpu.address_space<workgroup>>, %S9: memref<32x16xf16, #gpu.address_space<workgroup>>, %S10: memref<32x16xf16, #gpu.address_space<workgroup>>, %S11: memref<32x16xf16, #gpu.address_space<workgroup>>, %S12: memref<32x16xf16, #gpu.address_space<workgroup>>, %S13: memref<32x16xf16, #gpu.address_space<workgroup>>, %S14: memref<32x16xf16, #gpu.address_space<workgroup>>, %S15: memref<32x16xf16, #gpu.address_space<workgroup>>, %S16: memref<32x16xf16, #gpu.address_space<workgroup>>, %S17: memref<32x16xf16, #gpu.address_space<workgroup>>, %S18: memref<32x16xf16, #gpu.address_space<workgroup>>, %S19: memref<32x16xf16, #gpu.address_space<workgroup>>, %S20: memref<32x16xf16, #gpu.address_space<workgroup>>, %S21: memref<32x16xf16, #gpu.address_space<workgroup>>, %S22: memref<32x16xf16, #gpu.address_space<workgroup>>, %S23: memref<32x16xf16, #gpu.address_space<workgroup>>, %S24: memref<32x16xf16, #gpu.address_space<workgroup>>, %S25: memref<32x16xf16, #gpu.address_space<workgroup>>, %S26: memref<32x16xf16, #gpu.address_space<workgroup>>, %S27: memref<32x16xf16, #gpu.address_space<workgroup>>, %S28: memref<32x16xf16, #gpu.address_space<workgroup>>, %R0: memref<64x64xf16, #gpu.address_space<workgroup>>, %R1: memref<64x64xf16, #gpu.address_space<workgroup>>, %R2: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %c0 = "tl.copy_async"(%A, %R0) : (memref<64x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>) -> !tl.token
      %c1 = "tl.copy_async"(%A, %R1) : (memref<64x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>) -> !tl.token
      %c2 = "tl.copy_async"(%A, %R2) : (memref<64x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>) -> !tl.token
      %t0 = "tl.c2d_im2col_async"(%Img, %S0, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t1 = "tl.c2d_im2col_async"(%Img, %S1, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t2 = "tl.c2d_im2col_async"(%Img, %S2, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t3 = "tl.c2d_im2col_async"(%Img, %S3, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t4 = "tl.c2d_im2col_async"(%Img, %S4, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t5 = "tl.c2d_im2col_async"(%Img, %S5, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t6 = "tl.c2d_im2col_async"(%Img, %S6, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t7 = "tl.c2d_im2col_async"(%Img, %S7, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t8 = "tl.c2d_im2col_async"(%Img, %S8, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t9 = "tl.c2d_im2col_async"(%Img, %S9, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t10 = "tl.c2d_im2col_async"(%Img, %S10, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t11 = "tl.c2d_im2col_async"(%Img, %S11, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t12 = "tl.c2d_im2col_async"(%Img, %S12, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t13 = "tl.c2d_im2col_async"(%Img, %S13, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t14 = "tl.c2d_im2col_async"(%Img, %S14, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t15 = "tl.c2d_im2col_async"(%Img, %S15, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t16 = "tl.c2d_im2col_async"(%Img, %S16, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t17 = "tl.c2d_im2col_async"(%Img, %S17, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t18 = "tl.c2d_im2col_async"(%Img, %S18, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t19 = "tl.c2d_im2col_async"(%Img, %S19, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t20 = "tl.c2d_im2col_async"(%Img, %S20, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t21 = "tl.c2d_im2col_async"(%Img, %S21, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t22 = "tl.c2d_im2col_async"(%Img, %S22, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t23 = "tl.c2d_im2col_async"(%Img, %S23, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t24 = "tl.c2d_im2col_async"(%Img, %S24, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t25 = "tl.c2d_im2col_async"(%Img, %S25, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t26 = "tl.c2d_im2col_async"(%Img, %S26, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t27 = "tl.c2d_im2col_async"(%Img, %S27, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      // expected-error @+1 {{'tl.c2d_im2col_async' op needs mbarrier slot 32 of its function, but a function has 32 (slot 0, then one per asynchronous copy on an mbarrier and one per stage of an N-way buffer a loop carries copies of)}}
      %t28 = "tl.c2d_im2col_async"(%Img, %S28, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      "tl.wait"(%c0, %c1, %c2, %t0, %t1, %t2, %t3, %t4, %t5, %t6, %t7, %t8, %t9, %t10, %t11, %t12, %t13, %t14, %t15, %t16, %t17, %t18, %t19, %t20, %t21, %t22, %t23, %t24, %t25, %t26, %t27, %t28) : (!tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token) -> ()
      gpu.return
    }
  }
}

// -----

// A predicated im2col is refused (not issued unconditionally).
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @predicated(%Img: memref<2x9x7x16xf16>, %p: i1)
        workgroup(%S0: memref<32x16xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %bx = gpu.block_id x
      %by = gpu.block_id y
      // expected-error @+1 {{'tl.c2d_im2col_async' op has a predicate, which tl-lower-im2col does not lower yet (tl-pipeline leaves tl.c2d_im2col synchronous)}}
      %t0 = "tl.c2d_im2col_async"(%Img, %S0, %bx, %by, %p) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index, i1) -> !tl.token
      "tl.wait"(%t0) : (!tl.token) -> ()
      gpu.return
    }
  }
}
