// tl-lower-im2col's errors for a column tile that is one stage of a
// multi-buffered tile (docs/im2col.md, "Stages"): one per chunk.
// RUN: tl-opt %s -split-input-file --tl-lower-im2col -verify-diagnostics

// inst = "tma_im2col" demanded, but the 64-byte stages of a 3x4x8 f16
// buffer leave a dynamic stage's destination 64-byte aligned only.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @tma_stage_stride(%Img: memref<2x8x8x16xf16>)
        workgroup(%S: memref<3x4x8xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c3 = arith.constant 3 : index
      %bx = gpu.block_id x
      %s = arith.remui %bx, %c3 : index
      %r = "tl.region"(%S, %s, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 4, 8>} : (memref<3x4x8xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      // expected-error @+1 {{inst = "tma_im2col" cannot be used: the shared region's stage index of dimension 0 is dynamic, but its stride of 64 bytes is not a multiple of 128}}
      "tl.c2d_im2col"(%Img, %r, %bx, %c0) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "tma_im2col"} : (memref<2x8x8x16xf16>, !tl.buffer_region, index, index) -> ()
      gpu.return
    }
  }
}

// -----

// A dynamic stage index whose range is known to leave the buffer: block
// id x mod 4 on a 3-way buffer.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @stage_range(%Img: memref<2x8x8x16xf16>)
        workgroup(%S: memref<3x4x8xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c4 = arith.constant 4 : index
      %bx = gpu.block_id x
      %s = arith.remui %bx, %c4 : index
      %r = "tl.region"(%S, %s, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 4, 8>} : (memref<3x4x8xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      // expected-error @+1 {{the col region (start in [0, 3], extent 1) may leave dimension 0 of memref<3x4x8xf16, #gpu.address_space<workgroup>>}}
      "tl.c2d_im2col"(%Img, %r, %bx, %c0) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64} : (memref<2x8x8x16xf16>, !tl.buffer_region, index, index) -> ()
      gpu.return
    }
  }
}

