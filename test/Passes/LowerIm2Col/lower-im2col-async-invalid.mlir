// tl-lower-copy and tl-lower-im2col on tl.c2d_im2col_async: located errors
// (design.md §8.1). A function's mbarrier set holds 8 slots: slot 0, then
// one per asynchronous copy or im2col on an mbarrier in flight.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts=prefer-tma=true --tl-lower-copy --tl-lower-im2col -verify-diagnostics

// Eight TMA im2col tiles: the eighth needs slot 8 (tl-lower-im2col).
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @eight(%Img: memref<2x9x7x16xf16>)
        workgroup(%S0: memref<32x16xf16, #gpu.address_space<workgroup>>, %S1: memref<32x16xf16, #gpu.address_space<workgroup>>, %S2: memref<32x16xf16, #gpu.address_space<workgroup>>, %S3: memref<32x16xf16, #gpu.address_space<workgroup>>, %S4: memref<32x16xf16, #gpu.address_space<workgroup>>, %S5: memref<32x16xf16, #gpu.address_space<workgroup>>, %S6: memref<32x16xf16, #gpu.address_space<workgroup>>, %S7: memref<32x16xf16, #gpu.address_space<workgroup>>)
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
      // expected-error @+1 {{'tl.c2d_im2col_async' op needs mbarrier slot 8 of its function, but a function has 8 (slot 0 and one per asynchronous copy on an mbarrier)}}
      %t7 = "tl.c2d_im2col_async"(%Img, %S7, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      "tl.wait"(%t0, %t1, %t2, %t3, %t4, %t5, %t6, %t7) : (!tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token) -> ()
      gpu.return
    }
  }
}

// -----

// Three TMA copies then five TMA im2col tiles: tl-lower-copy makes the set
// for both and finds no slot for the fifth tile (slot 8).
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @mixed(%Img: memref<2x9x7x16xf16>, %A: memref<64x64xf16>)
        workgroup(%S0: memref<32x16xf16, #gpu.address_space<workgroup>>, %S1: memref<32x16xf16, #gpu.address_space<workgroup>>, %S2: memref<32x16xf16, #gpu.address_space<workgroup>>, %S3: memref<32x16xf16, #gpu.address_space<workgroup>>, %S4: memref<32x16xf16, #gpu.address_space<workgroup>>, %R0: memref<64x64xf16, #gpu.address_space<workgroup>>, %R1: memref<64x64xf16, #gpu.address_space<workgroup>>, %R2: memref<64x64xf16, #gpu.address_space<workgroup>>)
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
      // expected-error @+1 {{'tl.c2d_im2col_async' op needs mbarrier slot 8 of its function, but a function has 8 (slot 0 and one per asynchronous copy on an mbarrier)}}
      %t4 = "tl.c2d_im2col_async"(%Img, %S4, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      "tl.wait"(%c0, %c1, %c2, %t0, %t1, %t2, %t3, %t4) : (!tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token, !tl.token) -> ()
      gpu.return
    }
  }
}
