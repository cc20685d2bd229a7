// A column tile that a wgmma descriptor reads (copy/WgmmaDesc.c) is
// swizzled; tl.c2d_im2col writes it by TMA im2col with that swizzle in the
// tensor map (inst/TmaIm2Col.c), one pixel's BK channels per swizzle row,
// even where a synchronous im2col would default to SIMT.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts | FileCheck %s
// RUN: tl-opt %s -split-input-file --tl-to-nvvm=format=isa | FileCheck %s --check-prefix=ABI

// BK = 64 f16 channels, 128 bytes: the 128-byte swizzle (mode 3).
// CHECK-LABEL: gpu.func @span128
// CHECK-SAME: {llvm.align = 1024 : i64, tl.swizzle = 128 : i64}
// CHECK: "tl.c2d_im2col"({{.*}}inst = "tma_im2col"
// ABI: kind = "im2col"
// ABI-SAME: swizzle = 3 : i64
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @span128(%Img: memref<2x8x8x64xf16>, %O: memref<1xi64>) workgroup(%S: memref<128x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      "tl.c2d_im2col"(%Img, %S, %c0, %c0) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x8x8x64xf16>, memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      %r = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 16>} : (memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
      memref.store %d, %O[%c0] : memref<1xi64>
      gpu.return
    }
  }
}

// -----

// BK = 32 channels, 64 bytes: the 64-byte swizzle (mode 2).
// CHECK-LABEL: gpu.func @span64
// CHECK-SAME: {llvm.align = 512 : i64, tl.swizzle = 64 : i64}
// CHECK: "tl.c2d_im2col"({{.*}}inst = "tma_im2col"
// ABI: kind = "im2col"
// ABI-SAME: swizzle = 2 : i64
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @span64(%Img: memref<2x8x8x64xf16>, %O: memref<1xi64>) workgroup(%S: memref<128x32xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      "tl.c2d_im2col"(%Img, %S, %c0, %c0) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x8x8x64xf16>, memref<128x32xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      %r = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 16>} : (memref<128x32xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
      memref.store %d, %O[%c0] : memref<1xi64>
      gpu.return
    }
  }
}
