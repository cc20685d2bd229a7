// Swizzled column tiles that TMA im2col cannot write (inst/TmaIm2Col.c,
// copy/Swizzle.c): SIMT im2col writes linearly, so these are errors. One
// case per chunk.
// RUN: tl-opt %s -split-input-file -verify-diagnostics --tl-legalize-regions --tl-infer-layouts

// disable_tma
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @disabled(%Img: memref<2x8x8x64xf16>, %O: memref<1xi64>) workgroup(%S: memref<128x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      // expected-error @+1 {{'tl.c2d_im2col' op writes a shared buffer swizzled by 128 bytes; tl.c2d_im2col writes swizzled column tiles only by TMA im2col, which cannot be used: disable_tma is set}}
      "tl.c2d_im2col"(%Img, %S, %c0, %c0) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, disable_tma} : (memref<2x8x8x64xf16>, memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      %r = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 16>} : (memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
      memref.store %d, %O[%c0] : memref<1xi64>
      gpu.return
    }
  }
}

// -----

// A swizzle span that is not one pixel's channels.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @span(%Img: memref<2x8x8x64xf16>, %O: memref<1xi64>) workgroup(%S: memref<128x64xf16, #gpu.address_space<workgroup>> {tl.swizzle = 64 : i64}) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      // expected-error @+1 {{'tl.c2d_im2col' op writes a shared buffer swizzled by 64 bytes; tl.c2d_im2col writes swizzled column tiles only by TMA im2col, which cannot be used: the col buffer is swizzled by 64 bytes, but BK = 64 is 128 bytes (TMA im2col writes one pixel's channels as one swizzle row)}}
      "tl.c2d_im2col"(%Img, %S, %c0, %c0) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x8x8x64xf16>, memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}

// -----

// No TMA on sm_80.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @sm80(%Img: memref<2x8x8x64xf16>, %O: memref<1xi64>) workgroup(%S: memref<128x64xf16, #gpu.address_space<workgroup>> {tl.swizzle = 128 : i64}) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      // expected-error @+1 {{'tl.c2d_im2col' op writes a shared buffer swizzled by 128 bytes; tl.c2d_im2col writes swizzled column tiles only by TMA im2col, which cannot be used: chip sm_80 has no TMA}}
      "tl.c2d_im2col"(%Img, %S, %c0, %c0) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x8x8x64xf16>, memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}
