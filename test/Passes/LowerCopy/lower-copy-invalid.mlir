// RUN: tl-opt %s -split-input-file -verify-diagnostics --tl-lower-copy

// No inst: tl-infer-layouts has not run.
gpu.module @m {
  gpu.func @no_inst(%A: memref<4x32xf32>, %B: memref<4x32xf32>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
    %c0 = arith.constant 0 : index
    %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    // expected-error @+1 {{'tl.copy' op has no inst attribute: run tl-infer-layouts first}}
    "tl.copy"(%a, %b) {base_shape = array<i64: 4, 32>, base_side = "src"} : (!tl.buffer_region, !tl.buffer_region) -> ()
    gpu.return
  }
}

// -----

// An instruction kind this pass does not lower (yet).
gpu.module @m {
  gpu.func @tma(%A: memref<4x32xf32>, %S: memref<4x32xf32, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
    %c0 = arith.constant 0 : index
    %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    %s = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
    // expected-error @+1 {{'tl.copy' op inst "tma_im2col" is not supported by tl-lower-copy (supported: "simt", "direct", "tma_load", "tma_store", "bulk_load", "bulk_store", "cp_async", "ldmatrix", "stmatrix")}}
    "tl.copy"(%a, %s) {base_shape = array<i64: 4, 32>, base_side = "dst", inst = "tma_im2col"} : (!tl.buffer_region, !tl.buffer_region) -> ()
    gpu.return
  }
}

// -----

// A copy that was not legalized.
gpu.module @m {
  gpu.func @not_legalized(%A: memref<4x32xf32>, %B: memref<4x32xf32>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
    // expected-error @+1 {{'tl.copy' op has no base_shape: run tl-legalize-regions and tl-infer-layouts first}}
    "tl.copy"(%A, %B) {inst = "simt", vector_width = 1 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (d1, d0)>, 32 : i64, 1 : i64>} : (memref<4x32xf32>, memref<4x32xf32>) -> ()
    gpu.return
  }
}

// -----

// The thread map is not a + b * thread: thread = 7 * column mod 32.
gpu.module @m {
  gpu.func @not_affine(%A: memref<4x32xf32>, %B: memref<4x32xf32>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
    %c0 = arith.constant 0 : index
    %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    // expected-error @+1 {{'tl.copy' op thread_map is not of the form a + b * thread for local chunk 0 (thread 2 has base element 14, expected 46)}}
    "tl.copy"(%a, %b) {base_shape = array<i64: 4, 32>, base_side = "src", inst = "simt", vector_width = 1 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> ((d1 * 7) mod 32, d0)>, 32 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
    gpu.return
  }
}

// -----

// The owners of a chunk must be threads [0, n).
gpu.module @m {
  gpu.func @not_prefix(%A: memref<4x32xf32>, %B: memref<4x32xf32>) kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
    %c0 = arith.constant 0 : index
    %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    // expected-error @+1 {{'tl.copy' op thread_map gives local chunk 0 to thread 32 but not to every lower thread: the owners of a chunk must be threads [0, n)}}
    "tl.copy"(%a, %b) {base_shape = array<i64: 4, 32>, base_side = "src", inst = "simt", vector_width = 1 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (d1 + 32, d0)>, 64 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
    gpu.return
  }
}

// -----

// A thread outside the block.
gpu.module @m {
  gpu.func @thread_range(%A: memref<4x32xf32>, %B: memref<4x32xf32>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
    %c0 = arith.constant 0 : index
    %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    // expected-error @+1 {{'tl.copy' op thread_map maps base coordinate (0, 31) outside threads [0, 32) x locals [0, inf)}}
    "tl.copy"(%a, %b) {base_shape = array<i64: 4, 32>, base_side = "src", inst = "simt", vector_width = 1 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (d1 + 1, d0)>, 32 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
    gpu.return
  }
}

// -----

// Two elements in one (thread, local) slot.
gpu.module @m {
  gpu.func @collision(%A: memref<4x32xf32>, %B: memref<4x32xf32>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
    %c0 = arith.constant 0 : index
    %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    // expected-error @+1 {{'tl.copy' op thread_map maps base elements 0 and 32 (row-major) both to thread 0, local 0}}
    "tl.copy"(%a, %b) {base_shape = array<i64: 4, 32>, base_side = "src", inst = "simt", vector_width = 1 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (d1, 0)>, 32 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
    gpu.return
  }
}

// -----

// vector_width 4 but the map's chunks are pairs.
gpu.module @m {
  gpu.func @chunk_not_vector(%A: memref<4x32xf32>, %B: memref<4x32xf32>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
    %c0 = arith.constant 0 : index
    %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    // expected-error @+1 {{'tl.copy' op thread_map locals 0..3 of thread 0 are not 4 consecutive elements of one row of the base range}}
    "tl.copy"(%a, %b) {base_shape = array<i64: 4, 32>, base_side = "src", inst = "simt", vector_width = 4 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 32 + d1) floordiv 2) mod 32, ((d0 * 32 + d1) floordiv 64) * 2 + (d0 * 32 + d1) mod 2)>, 32 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
    gpu.return
  }
}

// -----

// More than 64 chunks per thread, in an order that is not affine.
gpu.module @m {
  gpu.func @no_loop(%A: memref<64x64xf32>, %B: memref<64x64xf32>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
    %c0 = arith.constant 0 : index
    %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf32>, index, index) -> !tl.buffer_region
    %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf32>, index, index) -> !tl.buffer_region
    // expected-error @+1 {{'tl.copy' op thread_map gives each thread 128 local chunks and they are not affine in the chunk index (first break at chunk 2): cannot emit a loop}}
    "tl.copy"(%a, %b) {base_shape = array<i64: 64, 64>, base_side = "src", inst = "simt", vector_width = 1 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (d1 mod 32, ((d0 * 37) mod 64) * 2 + d1 floordiv 32)>, 32 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
    gpu.return
  }
}

// -----

// A bounds-checked dimension that a vector could straddle.
gpu.module @m {
  gpu.func @straddle(%A: memref<100x102xf32>, %B: memref<4x32xf32>, %i: index) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
    %c0 = arith.constant 0 : index
    %a = "tl.region"(%A, %c0, %i) {access = 1 : i32, bounds_check = array<i1: false, true>, extents = array<i64: 4, 32>} : (memref<100x102xf32>, index, index) -> !tl.buffer_region
    %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    // expected-error @+1 {{'tl.copy' op vector_width 4 with a bounds check on dimension 1 of the source memref<100x102xf32> needs that dimension's size to be a multiple of the width}}
    "tl.copy"(%a, %b) {base_shape = array<i64: 4, 32>, base_side = "src", inst = "simt", vector_width = 4 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 32 + d1) floordiv 4) mod 32, ((d0 * 32 + d1) floordiv 128) * 4 + (d0 * 32 + d1) mod 4)>, 32 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
    gpu.return
  }
}

// -----

// A fragment read by something other than a tl op.
gpu.module @m {
  gpu.func @frag_use(%A: memref<4x32xf32>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
    %c0 = arith.constant 0 : index
    %F = memref.alloca() {tl.layout = #tl.fragment_layout<affine_map<(d0, d1) -> (d1, d0)>, 32 : i64, 1 : i64>} : memref<4x32xf32, #tl.fragment>
    %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    %f = "tl.region"(%F, %c0, %c0) {access = 2 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32, #tl.fragment>, index, index) -> !tl.buffer_region
    "tl.copy"(%a, %f) {base_shape = array<i64: 4, 32>, base_side = "dst", inst = "simt", vector_width = 1 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (d1, d0)>, 32 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
    // expected-error @+1 {{'memref.load' op uses a fragment; only tl ops may (a fragment lives in registers: 'memref.load' cannot address it)}}
    %x = memref.load %F[%c0, %c0] : memref<4x32xf32, #tl.fragment>
    gpu.return
  }
}

// -----

// A fragment without a layout.
gpu.module @m {
  gpu.func @frag_no_layout(%A: memref<4x32xf32>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
    %c0 = arith.constant 0 : index
    // expected-error @+1 {{'memref.alloca' op fragment has no tl.layout: tl-infer-layouts gives one to a fragment a tl.copy moves (run it first); a fragment only accessed by tl.fragment_read/write needs its own tl.layout}}
    %F = memref.alloca() : memref<4x32xf32, #tl.fragment>
    %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    %f = "tl.region"(%F, %c0, %c0) {access = 2 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32, #tl.fragment>, index, index) -> !tl.buffer_region
    "tl.copy"(%a, %f) {base_shape = array<i64: 4, 32>, base_side = "dst", inst = "simt", vector_width = 1 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (d1, d0)>, 32 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
    gpu.return
  }
}

// -----

// The copy's thread map and the fragment's layout disagree.
gpu.module @m {
  gpu.func @frag_disagree(%A: memref<4x32xf32>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
    %c0 = arith.constant 0 : index
    %F = memref.alloca() {tl.layout = #tl.fragment_layout<affine_map<(d0, d1) -> (31 - d1, d0)>, 32 : i64, 1 : i64>} : memref<4x32xf32, #tl.fragment>
    %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    %f = "tl.region"(%F, %c0, %c0) {access = 2 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32, #tl.fragment>, index, index) -> !tl.buffer_region
    // expected-error @+1 {{'tl.copy' op thread_map disagrees with the tl.layout of the destination fragment: element (0, 0) is local 0 of thread 0 in the copy but local 0 of thread 31 in the fragment}}
    "tl.copy"(%a, %f) {base_shape = array<i64: 4, 32>, base_side = "dst", inst = "simt", vector_width = 1 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (d1, d0)>, 32 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
    gpu.return
  }
}

// -----

// "direct" needs one layout on both sides.
gpu.module @m {
  gpu.func @direct_layouts() kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
    %c0 = arith.constant 0 : index
    %F = memref.alloca() {tl.layout = #tl.fragment_layout<affine_map<(d0, d1) -> (d1, d0)>, 32 : i64, 1 : i64>} : memref<4x32xf32, #tl.fragment>
    %G = memref.alloca() {tl.layout = #tl.fragment_layout<affine_map<(d0, d1) -> (31 - d1, d0)>, 32 : i64, 1 : i64>} : memref<4x32xf32, #tl.fragment>
    %f = "tl.region"(%F, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32, #tl.fragment>, index, index) -> !tl.buffer_region
    %g = "tl.region"(%G, %c0, %c0) {access = 2 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32, #tl.fragment>, index, index) -> !tl.buffer_region
    // expected-error @+1 {{'tl.copy' op inst "direct" needs both fragments to have the same layout, but base element (0, 0) is (thread 0, local 0) in the source and (thread 31, local 0) in the destination}}
    "tl.copy"(%f, %g) {base_shape = array<i64: 4, 32>, base_side = "src", inst = "direct"} : (!tl.buffer_region, !tl.buffer_region) -> ()
    gpu.return
  }
}

// -----

// "direct" is fragment to fragment only.
gpu.module @m {
  gpu.func @direct_global(%A: memref<4x32xf32>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
    %c0 = arith.constant 0 : index
    %F = memref.alloca() {tl.layout = #tl.fragment_layout<affine_map<(d0, d1) -> (d1, d0)>, 32 : i64, 1 : i64>} : memref<4x32xf32, #tl.fragment>
    %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    %f = "tl.region"(%F, %c0, %c0) {access = 2 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32, #tl.fragment>, index, index) -> !tl.buffer_region
    // expected-error @+1 {{'tl.copy' op inst "direct" copies a fragment to a fragment, but the source is global}}
    "tl.copy"(%a, %f) {base_shape = array<i64: 4, 32>, base_side = "dst", inst = "direct"} : (!tl.buffer_region, !tl.buffer_region) -> ()
    gpu.return
  }
}

// -----

// Part of a fragment.
gpu.module @m {
  gpu.func @frag_partial(%A: memref<4x32xf32>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
    %c0 = arith.constant 0 : index
    %F = memref.alloca() {tl.layout = #tl.fragment_layout<affine_map<(d0, d1) -> (d1, d0)>, 32 : i64, 1 : i64>} : memref<8x32xf32, #tl.fragment>
    %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    %f = "tl.region"(%F, %c0, %c0) {access = 2 : i32, extents = array<i64: 4, 32>} : (memref<8x32xf32, #tl.fragment>, index, index) -> !tl.buffer_region
    // expected-error @+1 {{'tl.copy' op destination covers part of a fragment; copies of a fragment must cover all of it (region at the origin with the fragment's shape)}}
    "tl.copy"(%a, %f) {base_shape = array<i64: 4, 32>, base_side = "dst", inst = "simt", vector_width = 1 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (d1, d0)>, 32 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
    gpu.return
  }
}

// -----

// A SIMT copy without its vector width.
gpu.module @m {
  gpu.func @no_width(%A: memref<4x32xf32>, %B: memref<4x32xf32>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
    %c0 = arith.constant 0 : index
    %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    // expected-error @+1 {{'tl.copy' op has no vector_width: run tl-infer-layouts first}}
    "tl.copy"(%a, %b) {base_shape = array<i64: 4, 32>, base_side = "src", inst = "simt", thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (d1, d0)>, 32 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
    gpu.return
  }
}


// -----

// A chunk that starts between two vectors: its accesses would be misaligned.
gpu.module @m {
  gpu.func @misaligned(%A: memref<64xf32>, %B: memref<64xf32>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
    %c0 = arith.constant 0 : index
    %a = "tl.region"(%A, %c0) {access = 1 : i32, extents = array<i64: 64>} : (memref<64xf32>, index) -> !tl.buffer_region
    %b = "tl.region"(%B, %c0) {access = 2 : i32, extents = array<i64: 64>} : (memref<64xf32>, index) -> !tl.buffer_region
    // expected-error @+1 {{'tl.copy' op thread_map locals 0..1 of thread 0 start at base element 1, not at a multiple of vector_width 2 (the accesses would be misaligned)}}
    "tl.copy"(%a, %b) {base_shape = array<i64: 64>, base_side = "src", inst = "simt", vector_width = 2 : i64, thread_map = #tl.fragment_layout<affine_map<(d0) -> (((d0 + 63) mod 64) floordiv 2, (d0 + 63) mod 2)>, 32 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
    gpu.return
  }
}

// -----

// A thread map over the wrong number of base coordinates.
gpu.module @m {
  gpu.func @k1(%A: memref<4x32xf32>, %B: memref<4x32xf32>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
    %c0 = arith.constant 0 : index
    %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    // expected-error @+1 {{'tl.copy' op thread_map #tl.fragment_layout<affine_map<(d0) -> (d0, d0)>, 32 : i64, 1 : i64> must map the 2 base coordinates to (thread, local)}}
    "tl.copy"(%a, %b) {base_shape = array<i64: 4, 32>, base_side = "src", inst = "simt", vector_width = 1 : i64, thread_map = #tl.fragment_layout<affine_map<(d0) -> (d0, d0)>, 32 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
    gpu.return
  }
}

// -----

// Replicated thread maps are not supported.
gpu.module @m {
  gpu.func @k2(%A: memref<4x32xf32>, %B: memref<4x32xf32>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
    %c0 = arith.constant 0 : index
    %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    // expected-error @+1 {{'tl.copy' op thread_map with replicate 2 is not supported (only 1)}}
    "tl.copy"(%a, %b) {base_shape = array<i64: 4, 32>, base_side = "src", inst = "simt", vector_width = 1 : i64, thread_map = #tl.fragment_layout<affine_map<(d0, d1) -> (d1, d0)>, 32 : i64, 2 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
    gpu.return
  }
}

// -----

// A fragment layout over the wrong number of fragment coordinates.
gpu.module @m {
  gpu.func @k3(%A: memref<4x32xf32>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
    %c0 = arith.constant 0 : index
    // expected-error @+1 {{'memref.alloca' op tl.layout #tl.fragment_layout<affine_map<(d0) -> (d0, 0)>, 32 : i64, 1 : i64> must map the fragment's 2 coordinates to (thread, local)}}
    %F = memref.alloca() {tl.layout = #tl.fragment_layout<affine_map<(d0) -> (d0, 0)>, 32 : i64, 1 : i64>} : memref<4x32xf32, #tl.fragment>
    %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    // expected-error @+1 {{'tl.copy' op has no inst attribute: run tl-infer-layouts first}}
    "tl.copy"(%a, %F) : (!tl.buffer_region, memref<4x32xf32, #tl.fragment>) -> ()
    gpu.return
  }
}

// -----

// Replicated fragment layouts are not supported.
gpu.module @m {
  gpu.func @k4(%A: memref<4x32xf32>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
    %c0 = arith.constant 0 : index
    // expected-error @+1 {{'memref.alloca' op tl.layout with replicate 3 is not supported (only 1)}}
    %F = memref.alloca() {tl.layout = #tl.fragment_layout<affine_map<(d0, d1) -> (d1, d0)>, 32 : i64, 3 : i64>} : memref<4x32xf32, #tl.fragment>
    %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
    // expected-error @+1 {{'tl.copy' op has no inst attribute: run tl-infer-layouts first}}
    "tl.copy"(%a, %F) : (!tl.buffer_region, memref<4x32xf32, #tl.fragment>) -> ()
    gpu.return
  }
}
