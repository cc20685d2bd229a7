// RUN: tl-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(tl-legalize-regions),gpu.module(tl-legalize-regions),tl-infer-layouts)' -verify-diagnostics

// A copy that tl-legalize-regions did not see (the nested module is not
// anchored by the pipeline above).
module {
  module {
    func.func @not_legalized(%A: memref<64xf32>, %S: memref<64xf32, #gpu.address_space<workgroup>>) {
      // expected-error @+1 {{'tl.copy' op is not legalized (it has no base_side / base_shape): run tl-legalize-regions first}}
      "tl.copy"(%A, %S) : (memref<64xf32>, memref<64xf32, #gpu.address_space<workgroup>>) -> ()
      return
    }
  }
}

// -----

// A tile copy needs a thread map: only a gpu.func with known_block_size
// gives the thread count (tl-verify lets func.func copies through).
func.func @no_thread_map(%A: memref<64xf32>, %S: memref<64xf32, #gpu.address_space<workgroup>>) {
  // expected-error @+1 {{'tl.copy' op needs a thread map, so it must be inside a gpu.func with known_block_size = array<i32: x, y, z>}}
  "tl.copy"(%A, %S) : (memref<64xf32>, memref<64xf32, #gpu.address_space<workgroup>>) -> ()
  return
}

// -----

// The same for im2col.
func.func @im2col_no_thread_map(%Img: memref<1x8x8x16xf16>, %S: memref<16x16xf16, #gpu.address_space<workgroup>>, %i: index) {
  // expected-error @+1 {{'tl.c2d_im2col' op needs a thread map}}
  "tl.c2d_im2col"(%Img, %S, %i, %i) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<1x8x8x16xf16>, memref<16x16xf16, #gpu.address_space<workgroup>>, index, index) -> ()
  return
}

// -----

// coalesced_width must divide the inferred width (128 bits / 32 = 4).
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @coalesced_too_wide(%A: memref<64x64xf32>)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      // expected-error @+1 {{'tl.copy' op coalesced_width 8 does not divide the inferred vector width 4 (128 bits / 32-bit elements)}}
      "tl.copy"(%A, %S) {coalesced_width = 8 : i64} : (memref<64x64xf32>, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// The annotations entry overrides the named attribute; the reason for the
// inferred width is given.
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @coalesced_annotation(%A: memref<64x62xf16>)
        workgroup(%S: memref<64x62xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      // expected-error @+1 {{'tl.copy' op coalesced_width 4 does not divide the inferred vector width 2 (the innermost extent 62)}}
      "tl.copy"(%A, %S) {coalesced_width = 2 : i64, annotations = {coalesced_width = 4 : i64}} : (memref<64x62xf16>, memref<64x62xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// An index of unknown divisibility limits the width to 1.
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @coalesced_unaligned(%A: memref<64x64xf32>, %j: index)
        workgroup(%S: memref<8x32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %j) {access = 1 : i32} : (memref<64x64xf32>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op coalesced_width 2 does not divide the inferred vector width 1 (the source index of dimension 1 is only known to be divisible by 1)}}
      "tl.copy"(%a, %S) {coalesced_width = 2 : i64} : (!tl.buffer_region, memref<8x32xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// loop_layout maps the base coordinates: one dimension per base_shape entry.
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @loop_layout_dims(%A: memref<16x16xf32>)
        workgroup(%S: memref<16x16xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      // expected-error @+1 {{'tl.copy' op loop_layout map has 1 dimensions, but the copy's base_shape [16, 16] has 2}}
      "tl.copy"(%A, %S) {loop_layout = #tl.fragment_layout<affine_map<(d0) -> (d0 mod 64, d0 floordiv 64)>, 64 : i64, 1 : i64>} : (memref<16x16xf32>, memref<16x16xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// Replicated loop layouts are for later issues.
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @loop_layout_replicated(%A: memref<16x16xf32>)
        workgroup(%S: memref<16x16xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      // expected-error @+1 {{'tl.copy' op replicated loop layouts are not supported for copies yet (replicate = 2}}
      "tl.copy"(%A, %S) {loop_layout = #tl.fragment_layout<affine_map<(d0, d1) -> (d0 * 4 + d1 floordiv 4, d1 mod 4)>, 64 : i64, 2 : i64>} : (memref<16x16xf32>, memref<16x16xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// Coverage is checked by evaluation; errors name the first offending
// coordinate (row-major).
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @loop_layout_thread(%A: memref<16x16xf32>)
        workgroup(%S: memref<16x16xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      // expected-error @+1 {{'tl.copy' op loop_layout maps (0, 8) to thread 64, outside the block's 64 threads}}
      "tl.copy"(%A, %S) {loop_layout = #tl.fragment_layout<affine_map<(d0, d1) -> (d0 * 4 + d1 floordiv 4 + d1 floordiv 8 * 62, d1 mod 4)>, 64 : i64, 1 : i64>} : (memref<16x16xf32>, memref<16x16xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @loop_layout_local(%A: memref<16x16xf32>)
        workgroup(%S: memref<16x16xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      // expected-error @+1 {{'tl.copy' op loop_layout maps (0, 0) to the negative local index -1}}
      "tl.copy"(%A, %S) {loop_layout = #tl.fragment_layout<affine_map<(d0, d1) -> (d0 * 4 + d1 floordiv 4, d1 mod 4 - 1)>, 64 : i64, 1 : i64>} : (memref<16x16xf32>, memref<16x16xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @loop_layout_overlap(%A: memref<16x16xf32>)
        workgroup(%S: memref<16x16xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      // expected-error @+1 {{'tl.copy' op loop_layout maps (0, 2) to thread 0, local 0, which (0, 0) already holds}}
      "tl.copy"(%A, %S) {loop_layout = #tl.fragment_layout<affine_map<(d0, d1) -> (d0 * 4 + d1 floordiv 4, d1 mod 2)>, 64 : i64, 1 : i64>} : (memref<16x16xf32>, memref<16x16xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// Layouts are checked on at most 1 << 20 coordinates.
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @loop_layout_too_large(%A: memref<1024x2048xi8>)
        workgroup(%S: memref<1024x2048xi8, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      // expected-error @+1 {{'tl.copy' op loop_layout cannot be checked: the tile has 2097152 elements, more than 1048576}}
      "tl.copy"(%A, %S) {loop_layout = #tl.fragment_layout<affine_map<(d0, d1) -> (d0 mod 64, d0 floordiv 64 + d1 * 16)>, 64 : i64, 1 : i64>} : (memref<1024x2048xi8>, memref<1024x2048xi8, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// Fragments must be memref.alloca results (tl-lower-copy replaces them).
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @fragment_not_alloca(%A: memref<64xf32>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %F = memref.alloc() : memref<64xf32, #tl.fragment>
      // expected-error @+1 {{'tl.copy' op the destination fragment memref<64xf32, #tl.fragment> is not produced by memref.alloca; fragment buffers must be produced by memref.alloca}}
      "tl.copy"(%A, %F) : (memref<64xf32>, memref<64xf32, #tl.fragment>) -> ()
      gpu.return
    }
  }
}

// -----

// Copies must cover the whole fragment for now.
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @partial_fragment(%A: memref<64xf32>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %F = memref.alloca() : memref<64xf32, #tl.fragment>
      %c32 = arith.constant 32 : index
      %a = "tl.region"(%A, %c32) {access = 1 : i32, extents = array<i64: 32>} : (memref<64xf32>, index) -> !tl.buffer_region
      %f = "tl.region"(%F, %c32) {access = 2 : i32, extents = array<i64: 32>} : (memref<64xf32, #tl.fragment>, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op copies only part of the destination fragment memref<64xf32, #tl.fragment>}}
      "tl.copy"(%a, %f) : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// Two copies of one fragment with different loop layouts.
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @two_loop_layouts(%A: memref<16x16xf32>)
        kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      %F = memref.alloca() : memref<16x16xf32, #tl.fragment>
      "tl.copy"(%A, %F) {loop_layout = #tl.fragment_layout<affine_map<(d0, d1) -> (d0 * 4 + d1 floordiv 4, d1 mod 4)>, 64 : i64, 1 : i64>} : (memref<16x16xf32>, memref<16x16xf32, #tl.fragment>) -> ()
      // expected-error @+1 {{'tl.copy' op conflicting layouts for the fragment memref<16x16xf32, #tl.fragment> (memref.alloca at }}
      "tl.copy"(%F, %A) {loop_layout = #tl.fragment_layout<affine_map<(d0, d1) -> (d1 * 4 + d0 floordiv 4, d0 mod 4)>, 64 : i64, 1 : i64>} : (memref<16x16xf32, #tl.fragment>, memref<16x16xf32>) -> ()
      gpu.return
    }
  }
}

// -----

// A loop_layout that disagrees with the fragment's tl.layout; coordinates are
// named in the fragment's own dimensions.
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @loop_layout_vs_user(%A: memref<1x16x16xf32>)
        kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      %F = memref.alloca() {tl.layout = #tl.fragment_layout<affine_map<(d0, d1, d2) -> (d1 * 4 + d2 floordiv 4, d2 mod 4)>, 64 : i64, 1 : i64>} : memref<1x16x16xf32, #tl.fragment>
      // expected-error @+1 {{is #tl.fragment_layout<affine_map<(d0, d1) -> (d0 * 4 + (d1 mod 8) floordiv 2, (d1 floordiv 8) * 2 + d1 mod 2)>, 64 : i64, 1 : i64> (they differ at (0, 0, 2))}}
      "tl.copy"(%A, %F) {loop_layout = #tl.fragment_layout<affine_map<(d0, d1) -> (d0 * 4 + (d1 mod 8) floordiv 2, (d1 floordiv 8) * 2 + d1 mod 2)>, 64 : i64, 1 : i64>} : (memref<1x16x16xf32>, memref<1x16x16xf32, #tl.fragment>) -> ()
      gpu.return
    }
  }
}

// -----

// A fragment -> fragment copy joins two fragments whose tl.layouts differ.
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @fragments_disagree()
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %F = memref.alloca() {tl.layout = #tl.fragment_layout<affine_map<(d0) -> (d0 mod 32, d0 floordiv 32)>, 32 : i64, 1 : i64>} : memref<64xf32, #tl.fragment>
      %G = memref.alloca() {tl.layout = #tl.fragment_layout<affine_map<(d0) -> (d0 floordiv 2, d0 mod 2)>, 32 : i64, 1 : i64>} : memref<64xf16, #tl.fragment>
      // expected-error @+1 {{is #tl.fragment_layout<affine_map<(d0) -> (d0 floordiv 2, d0 mod 2)>, 32 : i64, 1 : i64> (they differ at (1))}}
      "tl.copy"(%F, %G) : (memref<64xf32, #tl.fragment>, memref<64xf16, #tl.fragment>) -> ()
      gpu.return
    }
  }
}

// -----

// A user tl.layout is checked on the memref.alloca.
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @user_layout_replicated(%A: memref<64xf32>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      // expected-error @+1 {{'memref.alloca' op replicated fragment layouts are not supported for copies yet (replicate = 2}}
      %F = memref.alloca() {tl.layout = #tl.fragment_layout<affine_map<(d0) -> (d0 mod 32, d0 floordiv 32)>, 32 : i64, 2 : i64>} : memref<64xf32, #tl.fragment>
      "tl.copy"(%A, %F) : (memref<64xf32>, memref<64xf32, #tl.fragment>) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @user_layout_threads(%A: memref<64xf32>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      // expected-error @+1 {{'memref.alloca' op tl.layout is for 64 threads, but the block has 32}}
      %F = memref.alloca() {tl.layout = #tl.fragment_layout<affine_map<(d0) -> (d0, 0)>, 64 : i64, 1 : i64>} : memref<64xf32, #tl.fragment>
      "tl.copy"(%A, %F) : (memref<64xf32>, memref<64xf32, #tl.fragment>) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @user_layout_dims(%A: memref<64xf32>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      // expected-error @+1 {{'memref.alloca' op tl.layout map must have one dimension per fragment dimension (2) and no symbols}}
      %F = memref.alloca() {tl.layout = #tl.fragment_layout<affine_map<(d0) -> (d0 mod 32, d0 floordiv 32)>, 32 : i64, 1 : i64>} : memref<1x64xf32, #tl.fragment>
      "tl.copy"(%A, %F) : (memref<64xf32>, memref<1x64xf32, #tl.fragment>) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @user_layout_overlap(%A: memref<64xf32>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      // expected-error @+1 {{'memref.alloca' op tl.layout maps (0, 32) to thread 0, local 0, which (0, 0) already holds}}
      %F = memref.alloca() {tl.layout = #tl.fragment_layout<affine_map<(d0, d1) -> (d1 mod 32, 0)>, 32 : i64, 1 : i64>} : memref<1x64xf32, #tl.fragment>
      "tl.copy"(%A, %F) : (memref<64xf32>, memref<1x64xf32, #tl.fragment>) -> ()
      gpu.return
    }
  }
}

// -----

// The fragment layout limits the width of its copies (chunks of 2 here).
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @coalesced_vs_fragment(%A: memref<64xf32>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %F = memref.alloca() {tl.layout = #tl.fragment_layout<affine_map<(d0) -> (d0 floordiv 2, d0 mod 2)>, 32 : i64, 1 : i64>} : memref<64xf32, #tl.fragment>
      // expected-error @+1 {{'tl.copy' op coalesced_width 4 does not divide the inferred vector width 2 (the layout of the fragment memref<64xf32, #tl.fragment> (memref.alloca at }}
      "tl.copy"(%A, %F) {coalesced_width = 4 : i64} : (memref<64xf32>, memref<64xf32, #tl.fragment>) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @fragment_argument(%A: memref<64xf32>, %F: memref<64xf32, #tl.fragment>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      // expected-error @+1 {{'tl.copy' op the destination fragment memref<64xf32, #tl.fragment> is a block argument; fragment buffers must be produced by memref.alloca}}
      "tl.copy"(%A, %F) : (memref<64xf32>, memref<64xf32, #tl.fragment>) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @user_layout_kind(%A: memref<64xf32>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      // expected-error @+1 {{'memref.alloca' op tl.layout must be a #tl.fragment_layout<map, threads, replicate> whose map has 2 results, got 1 : i64}}
      %F = memref.alloca() {tl.layout = 1 : i64} : memref<64xf32, #tl.fragment>
      "tl.copy"(%A, %F) : (memref<64xf32>, memref<64xf32, #tl.fragment>) -> ()
      gpu.return
    }
  }
}

// -----

// tl-verify (run after parsing) checks the kinds of the recorded
// attributes: inst, vector_width, thread_map; loop_layout is SIMT only.
module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @verify_inst(%A: memref<64xf32>, %S: memref<64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      // expected-error @+1 {{'tl.copy' op inst must be one of simt, direct, tma_load, tma_store, bulk_load, bulk_store, ldmatrix, stmatrix, cp_async, tma_im2col (a string), got "vectorized"}}
      "tl.copy"(%A, %S) {inst = "vectorized"} : (memref<64xf32>, memref<64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @verify_vector_width(%A: memref<64xf32>, %S: memref<64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      // expected-error @+1 {{'tl.copy' op vector_width must be a positive power of two (an integer attribute), got 3 : i64}}
      "tl.copy"(%A, %S) {vector_width = 3 : i64} : (memref<64xf32>, memref<64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @verify_thread_map(%A: memref<64xf32>, %S: memref<64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      // expected-error @+1 {{'tl.copy' op thread_map is for 64 threads, but the enclosing gpu.func @verify_thread_map runs 32 (known_block_size = array<i32: 32, 1, 1>)}}
      "tl.copy"(%A, %S) {thread_map = #tl.fragment_layout<affine_map<(d0) -> (d0, 0)>, 64 : i64, 1 : i64>} : (memref<64xf32>, memref<64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @verify_loop_layout_inst(%A: memref<64xf32>, %S: memref<64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      // expected-error @+1 {{'tl.copy' op loop_layout applies to SIMT copies only, but inst is "tma_load"}}
      "tl.copy"(%A, %S) {inst = "tma_load", loop_layout = #tl.fragment_layout<affine_map<(d0) -> (d0 mod 32, d0 floordiv 32)>, 32 : i64, 1 : i64>} : (memref<64xf32>, memref<64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @verify_im2col_inst(%Img: memref<1x8x8x16xf16>, %S: memref<16x16xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      // expected-error @+1 {{'tl.c2d_im2col' op inst must be one of simt, direct, tma_load, tma_store, bulk_load, bulk_store, ldmatrix, stmatrix, cp_async, tma_im2col (a string), got 3 : i64}}
      "tl.c2d_im2col"(%Img, %S, %c0, %c0) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, inst = 3 : i64} : (memref<1x8x8x16xf16>, memref<16x16xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}
