// tl-verify's rules for a column tile of rank > 2, one stage of a
// multi-buffered tile (docs/verify.md, docs/im2col.md "Stages"): one
// violation per chunk.
// RUN: tl-opt %s -split-input-file -verify-diagnostics

// A stage dimension with extent 2: two stages at once.
func.func @stage_extent(%I: memref<1x8x8x16xf16>, %i: index) {
  %c0 = arith.constant 0 : index
  %C = memref.alloca() : memref<3x64x32xf16, #gpu.address_space<workgroup>>
  %c = "tl.region"(%C, %i, %c0, %c0) {access = 2 : i32, extents = array<i64: 2, 64, 32>} : (memref<3x64x32xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
  // expected-error @+1 {{'tl.c2d_im2col' op col region is not one stage of its rank-3 buffer (memref<3x64x32xf16, #gpu.address_space<workgroup>>): dimension 0 is a stage dimension and needs extent 1, got 2}}
  "tl.c2d_im2col"(%I, %c, %i, %i) {kernel = 3, stride = 1, dilation = 1, pad = 1} : (memref<1x8x8x16xf16>, !tl.buffer_region, index, index) -> ()
  return
}

// -----

// The tile must be the whole of the last two dimensions.
func.func @stage_part_tile(%I: memref<1x8x8x16xf16>, %i: index) {
  %c0 = arith.constant 0 : index
  %C = memref.alloca() : memref<3x64x32xf16, #gpu.address_space<workgroup>>
  %c = "tl.region"(%C, %i, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 32, 32>} : (memref<3x64x32xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
  // expected-error @+1 {{'tl.c2d_im2col' op col region is not one stage of its rank-3 buffer (memref<3x64x32xf16, #gpu.address_space<workgroup>>): the (BM, BK) tile must be the whole of its last two dimensions, but dimension 1 has extent 32 (its size is 64)}}
  "tl.c2d_im2col"(%I, %c, %i, %i) {kernel = 3, stride = 1, dilation = 1, pad = 1} : (memref<1x8x8x16xf16>, !tl.buffer_region, index, index) -> ()
  return
}

// -----

// A dynamic size in the tile's dimensions is not provably the tile.
func.func @stage_dynamic_tile(%I: memref<1x8x8x16xf16>, %C: memref<3x64x?xf16, #gpu.address_space<workgroup>>, %i: index) {
  %c0 = arith.constant 0 : index
  %c = "tl.region"(%C, %i, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 64, 32>} : (memref<3x64x?xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
  // expected-error @+1 {{'tl.c2d_im2col' op col region is not one stage of its rank-3 buffer (memref<3x64x?xf16, #gpu.address_space<workgroup>>): the (BM, BK) tile must be the whole of its last two dimensions, but dimension 2 has extent 32 (its size is dynamic)}}
  "tl.c2d_im2col"(%I, %c, %i, %i) {kernel = 3, stride = 1, dilation = 1, pad = 1} : (memref<1x8x8x16xf16>, !tl.buffer_region, index, index) -> ()
  return
}

// -----

// The tile starts at index 0 of its last two dimensions (a constant).
func.func @stage_tile_index(%I: memref<1x8x8x16xf16>, %i: index) {
  %c0 = arith.constant 0 : index
  %C = memref.alloca() : memref<3x64x32xf16, #gpu.address_space<workgroup>>
  %c = "tl.region"(%C, %i, %c0, %i) {access = 2 : i32, extents = array<i64: 1, 64, 32>} : (memref<3x64x32xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
  // expected-error @+1 {{'tl.c2d_im2col' op col region is not one stage of its rank-3 buffer (memref<3x64x32xf16, #gpu.address_space<workgroup>>): the (BM, BK) tile must start at index 0 of its last two dimensions, but the index of dimension 2 is not the constant 0}}
  "tl.c2d_im2col"(%I, %c, %i, %i) {kernel = 3, stride = 1, dilation = 1, pad = 1} : (memref<1x8x8x16xf16>, !tl.buffer_region, index, index) -> ()
  return
}

// -----

// A constant stage index must be inside the buffer: tl.region's own rule.
func.func @stage_out_of_bounds(%I: memref<1x8x8x16xf16>, %i: index) {
  %c0 = arith.constant 0 : index
  %c3 = arith.constant 3 : index
  %C = memref.alloca() : memref<3x64x32xf16, #gpu.address_space<workgroup>>
  // expected-error @+1 {{'tl.region' op index 0 (3) with extent 1 is provably out of bounds of dimension 0 of memref<3x64x32xf16, #gpu.address_space<workgroup>>: 3 + 1 > 3}}
  %c = "tl.region"(%C, %c3, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 64, 32>} : (memref<3x64x32xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
  "tl.c2d_im2col"(%I, %c, %i, %i) {kernel = 3, stride = 1, dilation = 1, pad = 1} : (memref<1x8x8x16xf16>, !tl.buffer_region, index, index) -> ()
  return
}

// -----

// A region of a rank-1 buffer keeps the rank-2 message.
func.func @region_rank1(%I: memref<1x8x8x16xf16>, %i: index) {
  %C = memref.alloca() : memref<2048xf16, #gpu.address_space<workgroup>>
  %c = "tl.region"(%C, %i) {access = 2 : i32, extents = array<i64: 64>} : (memref<2048xf16, #gpu.address_space<workgroup>>, index) -> !tl.buffer_region
  // expected-error @+1 {{'tl.c2d_im2col' op col region buffer must be a rank-2 (BM, BK) buffer, got rank 1 (memref<2048xf16, #gpu.address_space<workgroup>>)}}
  "tl.c2d_im2col"(%I, %c, %i, %i) {kernel = 3, stride = 1, dilation = 1, pad = 1} : (memref<1x8x8x16xf16>, !tl.buffer_region, index, index) -> ()
  return
}

// -----

// tl.c2d_im2col_async has the same rule, naming it.
func.func @async_stage_extent(%I: memref<1x8x8x16xf16>, %i: index) {
  %c0 = arith.constant 0 : index
  %C = memref.alloca() : memref<2x2x64x32xf16, #gpu.address_space<workgroup>>
  %c = "tl.region"(%C, %c0, %c0, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 2, 64, 32>} : (memref<2x2x64x32xf16, #gpu.address_space<workgroup>>, index, index, index, index) -> !tl.buffer_region
  // expected-error @+1 {{'tl.c2d_im2col_async' op col region is not one stage of its rank-4 buffer (memref<2x2x64x32xf16, #gpu.address_space<workgroup>>): dimension 1 is a stage dimension and needs extent 1, got 2}}
  %t = "tl.c2d_im2col_async"(%I, %c, %i, %i) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<1x8x8x16xf16>, !tl.buffer_region, index, index) -> !tl.token
  "tl.wait"(%t) : (!tl.token) -> ()
  return
}
