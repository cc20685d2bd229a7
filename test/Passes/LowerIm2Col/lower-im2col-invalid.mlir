// RUN: tl-opt %s -split-input-file --tl-lower-im2col -verify-diagnostics

// tl-lower-im2col's own errors: what tl-infer-layouts must have recorded, and
// thread maps that the SIMT lowering cannot follow. Each is located at the op.
// (Attribute kinds -- inst a known string, vector_width a power of two,
// thread_map a layout for the block's thread count -- and static region
// bounds are tl-verify's, run by tl-opt first: see test/Dialect/invalid.mlir.)


gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @no_inst(%Img: memref<2x8x8x64xf16>, %nhw: index, %cs: index)
      workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
      kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    // expected-error @+1 {{'tl.c2d_im2col' op has no 'inst' attribute: run tl-infer-layouts first}}
    "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x8x8x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
    gpu.return
  }
}

// -----

gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @tma(%Img: memref<2x8x8x64xf16>, %nhw: index, %cs: index)
      workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
      kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    // expected-error @+1 {{'tl.c2d_im2col' op inst = "tma_load" is not supported by tl-lower-im2col (only "simt" and "tma_im2col")}}
    "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "tma_load", vector_width = 8 : i64} : (memref<2x8x8x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
    gpu.return
  }
}

// -----

gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @no_vector_width(%Img: memref<2x8x8x64xf16>, %nhw: index, %cs: index)
      workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
      kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    // expected-error @+1 {{needs an integer 'vector_width' (set by tl-infer-layouts)}}
    "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt"} : (memref<2x8x8x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
    gpu.return
  }
}

// -----

gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @v_not_dividing_c(%Img: memref<2x8x8x12xf16>, %nhw: index, %cs: index)
      workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
      kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    // expected-error @+1 {{vector_width 8 cannot be used: it does not divide the channel count C}}
    "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64} : (memref<2x8x8x12xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
    gpu.return
  }
}

// -----

gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @v_dynamic_c(%Img: memref<2x8x8x?xf16>, %nhw: index, %cs: index)
      workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
      kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    // expected-error @+1 {{vector_width 8 cannot be used: the channel count C is dynamic}}
    "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64} : (memref<2x8x8x?xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
    gpu.return
  }
}

// -----

gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @map_replicate(%Img: memref<2x8x8x64xf16>, %nhw: index, %cs: index)
      workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
      kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    // expected-error @+1 {{thread_map replicates elements (replicate = 2): a copy needs replicate = 1}}
    "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (d0 * 2, d1)>, 128 : i64, 2 : i64>} : (memref<2x8x8x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
    gpu.return
  }
}

// -----

gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @map_rank(%Img: memref<2x8x8x64xf16>, %nhw: index, %cs: index)
      workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
      kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    // expected-error @+1 {{thread_map must map the (BM, BK) tile (2 dimensions, no symbols) to (thread, local)}}
    "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0) -> (d0, d0)>, 128 : i64, 1 : i64>} : (memref<2x8x8x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
    gpu.return
  }
}

// -----

gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @map_thread_range(%Img: memref<2x8x8x64xf16>, %nhw: index, %cs: index)
      workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
      kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
    // expected-error @+1 {{thread_map maps (32, 0) to thread 64, local 0: the thread must be in [0, 64) and the local >= 0}}
    "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (d0 * 2 + d1 floordiv 32, d1 mod 32)>, 64 : i64, 1 : i64>} : (memref<2x8x8x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
    gpu.return
  }
}

// -----

gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @map_duplicate(%Img: memref<2x8x8x64xf16>, %nhw: index, %cs: index)
      workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
      kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    // expected-error @+1 {{thread_map maps both (0, 0) and (1, 0) to thread 0, local 0}}
    "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (0, d1)>, 128 : i64, 1 : i64>} : (memref<2x8x8x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
    gpu.return
  }
}

// -----

gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @map_not_consecutive(%Img: memref<2x8x8x64xf16>, %nhw: index, %cs: index)
      workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
      kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    // expected-error @+1 {{locals 0..7 of thread 0 are not 8 consecutive tile elements of one row}}
    "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> ((d0 * 64 + d1) mod 128, (d0 * 64 + d1) floordiv 128)>, 128 : i64, 1 : i64>} : (memref<2x8x8x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
    gpu.return
  }
}

// -----

gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @map_not_prefix(%Img: memref<2x8x8x64xf16>, %nhw: index, %cs: index)
      workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
      kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    // expected-error @+1 {{the threads holding locals 0..7 are not a prefix 0..n-1 of the block (thread 64 holds them, thread 0 does not)}}
    "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 64 + 64, ((d0 * 64 + d1) floordiv 512) * 8 + (d0 * 64 + d1) mod 8)>, 128 : i64, 1 : i64>} : (memref<2x8x8x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
    gpu.return
  }
}

// -----

gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @map_not_affine(%Img: memref<2x8x8x64xf16>, %nhw: index, %cs: index)
      workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
      kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    // expected-error @+1 {{thread_map is not affine in the thread for locals 0..7: the flat tile index is not a + b*thread (thread 0: 0, thread 1: 16, thread 64: 8)}}
    "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> ((((d0 * 64 + d1) floordiv 8) mod 2) * 64 + ((d0 * 64 + d1) floordiv 16) mod 64, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>, 128 : i64, 1 : i64>} : (memref<2x8x8x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
    gpu.return
  }
}

// -----

gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @map_partial_chunk(%Img: memref<2x8x8x64xf16>, %nhw: index, %cs: index)
      workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
      kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    // expected-error @+1 {{locals 0..7 of thread 0 are not 8 consecutive tile elements of one row}}
    "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 4) mod 128, ((d0 * 64 + d1) floordiv 512) * 4 + (d0 * 64 + d1) mod 4)>, 128 : i64, 1 : i64>} : (memref<2x8x8x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
    gpu.return
  }
}

// -----

gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @region_row_length(%Img: memref<2x8x8x64xf16>, %nhw: index, %cs: index)
      workgroup(%S: memref<64x68xf16, #gpu.address_space<workgroup>>)
      kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    %c0 = arith.constant 0 : index
    %r = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x68xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
    // expected-error @+1 {{vector_width 8 cannot be used: it does not divide the col buffer's row stride or offset}}
    "tl.c2d_im2col"(%Img, %r, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64} : (memref<2x8x8x64xf16>, !tl.buffer_region, index, index) -> ()
    gpu.return
  }
}

// -----

gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @region_column(%Img: memref<2x8x8x64xf16>, %nhw: index, %cs: index)
      workgroup(%S: memref<64x128xf16, #gpu.address_space<workgroup>>)
      kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    %c0 = arith.constant 0 : index
    %c4 = arith.constant 4 : index
    %r = "tl.region"(%S, %c0, %c4) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x128xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
    // expected-error @+1 {{vector_width 8 cannot be used: it does not divide the col region's column index}}
    "tl.c2d_im2col"(%Img, %r, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64} : (memref<2x8x8x64xf16>, !tl.buffer_region, index, index) -> ()
    gpu.return
  }
}

// -----

// One error per op: every bad op in a module is reported, and the good one
// next to them is still lowered (the pass fails as a whole).
gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @two_errors(%Img: memref<2x8x8x64xf16>, %nhw: index, %cs: index)
      workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
      kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    // expected-error @+1 {{has no 'inst' attribute: run tl-infer-layouts first}}
    "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x8x8x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
    // expected-error @+1 {{inst = "cp_async" is not supported by tl-lower-im2col}}
    "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "cp_async"} : (memref<2x8x8x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
    gpu.return
  }
}

// -----

gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @img_not_contiguous(%Img: memref<2x8x8x64xf16, strided<[8192, 1024, 128, 2]>>, %nhw: index, %cs: index)
      workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
      kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    // expected-error @+1 {{vector_width 8 cannot be used: img is not contiguous along C}}
    "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64} : (memref<2x8x8x64xf16, strided<[8192, 1024, 128, 2]>>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
    gpu.return
  }
}

// -----

gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @img_offset(%Img: memref<2x8x8x64xf16, strided<[4096, 512, 64, 1], offset: 4>>, %nhw: index, %cs: index)
      workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
      kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    // expected-error @+1 {{vector_width 8 cannot be used: it does not divide img's strides or offset}}
    "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64} : (memref<2x8x8x64xf16, strided<[4096, 512, 64, 1], offset: 4>>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
    gpu.return
  }
}

// -----

// A swizzled col buffer is written through its swizzle, which needs the
// flat row-major view of a static, identity-layout buffer.
gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @swizzled_strided(%Img: memref<2x8x8x64xf16>, %nhw: index, %cs: index)
      workgroup(%S: memref<128x64xf16, strided<[128, 1]>, #gpu.address_space<workgroup>> {tl.swizzle = 128 : i64})
      kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    // expected-error @+1 {{writes a col buffer swizzled by 128 bytes, which needs a static shape, the identity layout and a whole-byte element}}
    "tl.c2d_im2col"(%Img, %S, %nhw, %cs) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = "simt", vector_width = 8 : i64} : (memref<2x8x8x64xf16>, memref<128x64xf16, strided<[128, 1]>, #gpu.address_space<workgroup>>, index, index) -> ()
    gpu.return
  }
}
