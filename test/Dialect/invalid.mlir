// RUN: tl-opt %s -split-input-file -verify-diagnostics
// Every semantic rule of tl-verify (passes/Verify.c, docs/verify.md): one
// violation per chunk. func.func needs no known_block_size; gpu.func does.

//===----------------------------------------------------------------------===//
// tl.region
//===----------------------------------------------------------------------===//

func.func @region_access_value(%A: memref<4x4xf32>, %i: index) {
  // expected-error @+1 {{'tl.region' op access must be an integer attribute with value 1 (read), 2 (write) or 3 (read-write), got 4 : i32}}
  %r = "tl.region"(%A, %i, %i) {access = 4 : i32} : (memref<4x4xf32>, index, index) -> !tl.buffer_region
  return
}

// -----

func.func @region_access_zero(%A: memref<4x4xf32>, %i: index) {
  // expected-error @+1 {{'tl.region' op access must be an integer attribute with value 1 (read), 2 (write) or 3 (read-write), got 0 : i64}}
  %r = "tl.region"(%A, %i, %i) {access = 0 : i64} : (memref<4x4xf32>, index, index) -> !tl.buffer_region
  return
}

// -----

func.func @region_access_bool(%A: memref<4x4xf32>, %i: index) {
  // expected-error @+1 {{'tl.region' op access must be an integer attribute with value 1 (read), 2 (write) or 3 (read-write), got true}}
  %r = "tl.region"(%A, %i, %i) {access = true} : (memref<4x4xf32>, index, index) -> !tl.buffer_region
  return
}

// -----

func.func @region_too_few_indices(%A: memref<4x4xf32>, %i: index) {
  // expected-error @+1 {{'tl.region' op has 1 index for a rank-2 buffer (memref<4x4xf32>): one index per dimension is required}}
  %r = "tl.region"(%A, %i) {access = 1 : i32} : (memref<4x4xf32>, index) -> !tl.buffer_region
  return
}

// -----

func.func @region_too_many_indices(%A: memref<8xf32>, %i: index) {
  // expected-error @+1 {{'tl.region' op has 2 indices for a rank-1 buffer (memref<8xf32>): one index per dimension is required}}
  %r = "tl.region"(%A, %i, %i) {access = 1 : i32} : (memref<8xf32>, index, index) -> !tl.buffer_region
  return
}

// -----

func.func @region_scope_private(%A: memref<4xf32, #gpu.address_space<private>>, %i: index) {
  // expected-error @+1 {{'tl.region' op buffer memref<4xf32, #gpu.address_space<private>> has memory space #gpu.address_space<private>, which is not a tl scope: a tl buffer must be global (no memory space or #gpu.address_space<global>), shared (#gpu.address_space<workgroup>) or fragment (#tl.fragment)}}
  %r = "tl.region"(%A, %i) {access = 1 : i32} : (memref<4xf32, #gpu.address_space<private>>, index) -> !tl.buffer_region
  return
}

// -----

func.func @region_scope_integer(%A: memref<4xf32, 3>, %i: index) {
  // expected-error @+1 {{'tl.region' op buffer memref<4xf32, 3> has memory space 3 : i64, which is not a tl scope}}
  %r = "tl.region"(%A, %i) {access = 1 : i32} : (memref<4xf32, 3>, index) -> !tl.buffer_region
  return
}

// -----

func.func @region_extents_kind(%A: memref<4x4xf32>, %i: index) {
  // expected-error @+1 {{'tl.region' op extents must be array<i64: ...> with one entry per buffer dimension, got [2, 2]}}
  %r = "tl.region"(%A, %i, %i) {access = 1 : i32, extents = [2, 2]} : (memref<4x4xf32>, index, index) -> !tl.buffer_region
  return
}

// -----

func.func @region_extents_i32(%A: memref<4x4xf32>, %i: index) {
  // expected-error @+1 {{'tl.region' op extents must be array<i64: ...> with one entry per buffer dimension, got array<i32: 2, 2>}}
  %r = "tl.region"(%A, %i, %i) {access = 1 : i32, extents = array<i32: 2, 2>} : (memref<4x4xf32>, index, index) -> !tl.buffer_region
  return
}

// -----

func.func @region_extents_count(%A: memref<4x4xf32>, %i: index) {
  // expected-error @+1 {{'tl.region' op extents array<i64: 4> has 1 entries for a rank-2 buffer (memref<4x4xf32>): one extent per dimension is required}}
  %r = "tl.region"(%A, %i, %i) {access = 1 : i32, extents = array<i64: 4>} : (memref<4x4xf32>, index, index) -> !tl.buffer_region
  return
}

// -----

func.func @region_extent_zero(%A: memref<4x4xf32>, %i: index) {
  // expected-error @+1 {{'tl.region' op extents entry 1 is 0: every extent must be > 0}}
  %r = "tl.region"(%A, %i, %i) {access = 1 : i32, extents = array<i64: 4, 0>} : (memref<4x4xf32>, index, index) -> !tl.buffer_region
  return
}

// -----

func.func @region_extent_exceeds_shape(%A: memref<64x32xf32>, %i: index) {
  // expected-error @+1 {{'tl.region' op extents entry 1 (64) exceeds dimension 1 (size 32) of memref<64x32xf32>}}
  %r = "tl.region"(%A, %i, %i) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x32xf32>, index, index) -> !tl.buffer_region
  return
}

// -----

func.func @region_negative_index(%A: memref<64x64xf32>, %i: index) {
  %m1 = arith.constant -1 : index
  // expected-error @+1 {{'tl.region' op index 0 is -1: the region is provably out of bounds of memref<64x64xf32> (indices must be >= 0)}}
  %r = "tl.region"(%A, %m1, %i) {access = 1 : i32} : (memref<64x64xf32>, index, index) -> !tl.buffer_region
  return
}

// -----

func.func @region_out_of_bounds(%A: memref<64x64xf32>, %i: index) {
  %c48 = arith.constant 48 : index
  // expected-error @+1 {{'tl.region' op index 1 (48) with extent 32 is provably out of bounds of dimension 1 of memref<64x64xf32>: 48 + 32 > 64}}
  %r = "tl.region"(%A, %i, %c48) {access = 1 : i32, extents = array<i64: 16, 32>} : (memref<64x64xf32>, index, index) -> !tl.buffer_region
  return
}

// -----

func.func @region_head_out_of_bounds(%A: memref<64x64xf32>, %i: index) {
  %c64 = arith.constant 64 : index
  // expected-error @+1 {{'tl.region' op index 0 (64) is provably out of bounds of dimension 0 of memref<64x64xf32>: 64 >= 64}}
  %r = "tl.region"(%A, %c64, %i) {access = 1 : i32} : (memref<64x64xf32>, index, index) -> !tl.buffer_region
  return
}

// -----

func.func @region_unknown_attribute(%A: memref<64x64xf32>, %i: index) {
  // expected-error @+1 {{'tl.region' op has an unknown attribute 'extent' (known: access, extents, bounds_check)}}
  %r = "tl.region"(%A, %i, %i) {access = 1 : i32, extent = array<i64: 8, 8>} : (memref<64x64xf32>, index, index) -> !tl.buffer_region
  return
}

// -----

// bounds_check is recorded by tl-legalize-regions: one i1 per dimension.
func.func @region_bounds_check(%A: memref<64x64xf32>, %i: index) {
  // expected-error @+1 {{'tl.region' op bounds_check must be array<i1: ...> with one entry per buffer dimension (2), got array<i1: true>}}
  %r = "tl.region"(%A, %i, %i) {access = 1 : i32, extents = array<i64: 8, 8>, bounds_check = array<i1: true>} : (memref<64x64xf32>, index, index) -> !tl.buffer_region
  return
}

//===----------------------------------------------------------------------===//
// tl.copy: operands
//===----------------------------------------------------------------------===//

// -----

func.func @copy_region_block_argument(%r: !tl.buffer_region, %B: memref<8xf32>) {
  // expected-error @+1 {{'tl.copy' op source !tl.buffer_region is a block argument; it must be produced by a 'tl.region' op}}
  "tl.copy"(%r, %B) : (!tl.buffer_region, memref<8xf32>) -> ()
  return
}

// -----

func.func @copy_region_other_producer(%A: memref<8xf32>, %B: memref<8xf32>, %c: i1, %i: index) {
  %a = "tl.region"(%A, %i) {access = 3 : i32, extents = array<i64: 4>} : (memref<8xf32>, index) -> !tl.buffer_region
  %b = "tl.region"(%B, %i) {access = 3 : i32, extents = array<i64: 4>} : (memref<8xf32>, index) -> !tl.buffer_region
  %s = arith.select %c, %a, %b : !tl.buffer_region
  // expected-error @+1 {{'tl.copy' op destination !tl.buffer_region is produced by 'arith.select'; it must be produced by a 'tl.region' op}}
  "tl.copy"(%A, %s) : (memref<8xf32>, !tl.buffer_region) -> ()
  return
}

// -----

func.func @copy_source_scope(%A: memref<8xf32, #gpu.address_space<private>>, %B: memref<8xf32>) {
  // expected-error @+1 {{'tl.copy' op source memref<8xf32, #gpu.address_space<private>> has memory space #gpu.address_space<private>, which is not a tl scope}}
  "tl.copy"(%A, %B) : (memref<8xf32, #gpu.address_space<private>>, memref<8xf32>) -> ()
  return
}

// -----

func.func @copy_destination_scope(%A: memref<8xf32>, %B: memref<8xf32, 3>) {
  // expected-error @+1 {{'tl.copy' op destination memref<8xf32, 3> has memory space 3 : i64, which is not a tl scope}}
  "tl.copy"(%A, %B) : (memref<8xf32>, memref<8xf32, 3>) -> ()
  return
}

// -----

func.func @copy_source_write_only(%A: memref<8xf32>, %B: memref<4xf32>, %i: index) {
  %a = "tl.region"(%A, %i) {access = 2 : i32, extents = array<i64: 4>} : (memref<8xf32>, index) -> !tl.buffer_region
  // expected-error @+1 {{'tl.copy' op source region has write-only access (access = 2); a copy source needs read access (1 or 3)}}
  "tl.copy"(%a, %B) : (!tl.buffer_region, memref<4xf32>) -> ()
  return
}

// -----

func.func @copy_destination_read_only(%A: memref<4xf32>, %B: memref<8xf32>, %i: index) {
  %b = "tl.region"(%B, %i) {access = 1 : i32, extents = array<i64: 4>} : (memref<8xf32>, index) -> !tl.buffer_region
  // expected-error @+1 {{'tl.copy' op destination region has read-only access (access = 1); a copy destination needs write access (2 or 3)}}
  "tl.copy"(%A, %b) : (memref<4xf32>, !tl.buffer_region) -> ()
  return
}

// -----

func.func @copy_source_element_type(%A: memref<8xcomplex<f32>>, %B: memref<8xf32>) {
  // expected-error @+1 {{'tl.copy' op source element type complex<f32> (of memref<8xcomplex<f32>>) is not supported; tl copies i8, i16, i32, i64, index, f16, bf16, f32, f64 and the 8-bit floats (f8E4M3FN, f8E5M2, f8E4M3, f8E5M2FNUZ, f8E4M3FNUZ, f8E4M3B11FNUZ, f8E3M4, f8E8M0FNU)}}
  "tl.copy"(%A, %B) : (memref<8xcomplex<f32>>, memref<8xf32>) -> ()
  return
}

// -----

func.func @copy_destination_element_type(%A: memref<8xf32>, %B: memref<8xvector<4xf32>>) {
  // expected-error @+1 {{'tl.copy' op destination element type vector<4xf32> (of memref<8xvector<4xf32>>) is not supported; tl copies i8, i16, i32, i64, index, f16, bf16, f32, f64 and the 8-bit floats (f8E4M3FN, f8E5M2, f8E4M3, f8E5M2FNUZ, f8E4M3FNUZ, f8E4M3B11FNUZ, f8E3M4, f8E8M0FNU)}}
  "tl.copy"(%A, %B) : (memref<8xf32>, memref<8xvector<4xf32>>) -> ()
  return
}

//===----------------------------------------------------------------------===//
// tl.copy: named attributes
//===----------------------------------------------------------------------===//

// -----

func.func @copy_coalesced_width_not_pow2(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy' op coalesced_width must be a positive power of two, got 6}}
  "tl.copy"(%A, %B) {coalesced_width = 6 : i64} : (memref<64xf32>, memref<64xf32>) -> ()
  return
}

// -----

func.func @copy_coalesced_width_negative(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy' op coalesced_width must be a positive power of two, got -4}}
  "tl.copy"(%A, %B) {coalesced_width = -4 : i64} : (memref<64xf32>, memref<64xf32>) -> ()
  return
}

// -----

func.func @copy_coalesced_width_kind(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy' op coalesced_width must be an integer attribute, got "8"}}
  "tl.copy"(%A, %B) {coalesced_width = "8"} : (memref<64xf32>, memref<64xf32>) -> ()
  return
}

// -----

func.func @copy_disable_tma_kind(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy' op disable_tma must be a unit or bool attribute, got 1 : i32}}
  "tl.copy"(%A, %B) {disable_tma = 1 : i32} : (memref<64xf32>, memref<64xf32>) -> ()
  return
}

// -----

func.func @copy_eviction_policy_value(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy' op eviction_policy must be one of "evict_normal", "evict_first", "evict_last", got "evict_sometimes"}}
  "tl.copy"(%A, %B) {eviction_policy = "evict_sometimes"} : (memref<64xf32>, memref<64xf32>) -> ()
  return
}

// -----

func.func @copy_eviction_policy_kind(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy' op eviction_policy must be one of "evict_normal", "evict_first", "evict_last", got 2 : i64}}
  "tl.copy"(%A, %B) {eviction_policy = 2} : (memref<64xf32>, memref<64xf32>) -> ()
  return
}

// -----

func.func @copy_loop_layout_kind(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy' op loop_layout must be a #tl.fragment_layout<map, threads, replicate>, got affine_map<(d0) -> (d0 mod 64, d0 floordiv 64)>}}
  "tl.copy"(%A, %B) {loop_layout = affine_map<(d0) -> (d0 mod 64, d0 floordiv 64)>} : (memref<64xf32>, memref<64xf32>) -> ()
  return
}

// -----

func.func @copy_loop_layout_map_results(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy' op loop_layout map must have 2 results (thread, local index), got 1 in #tl.fragment_layout<affine_map<(d0) -> (d0)>, 64 : i64, 1 : i64>}}
  "tl.copy"(%A, %B) {loop_layout = #tl.fragment_layout<affine_map<(d0) -> (d0)>, 64 : i64, 1 : i64>} : (memref<64xf32>, memref<64xf32>) -> ()
  return
}

// -----

func.func @copy_loop_layout_threads(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy' op loop_layout thread count must be > 0, got 0}}
  "tl.copy"(%A, %B) {loop_layout = #tl.fragment_layout<affine_map<(d0) -> (d0 mod 64, d0 floordiv 64)>, 0 : i64, 1 : i64>} : (memref<64xf32>, memref<64xf32>) -> ()
  return
}

// -----

func.func @copy_loop_layout_replicate(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy' op loop_layout replicate must be >= 1, got 0}}
  "tl.copy"(%A, %B) {loop_layout = #tl.fragment_layout<affine_map<(d0) -> (d0 mod 64, d0 floordiv 64)>, 64 : i64, 0 : i64>} : (memref<64xf32>, memref<64xf32>) -> ()
  return
}

// -----

func.func @copy_unknown_attribute(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy' op has an unknown attribute 'coalesce_width' (known: coalesced_width, disable_tma, eviction_policy, loop_layout, annotations)}}
  "tl.copy"(%A, %B) {coalesce_width = 4 : i64} : (memref<64xf32>, memref<64xf32>) -> ()
  return
}

// -----

func.func @copy_named_safe_value(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy' op has an unknown attribute 'safe_value' (known: coalesced_width, disable_tma, eviction_policy, loop_layout, annotations); safe_value is only accepted as an annotations entry}}
  "tl.copy"(%A, %B) {safe_value = 0.0 : f32} : (memref<64xf32>, memref<64xf32>) -> ()
  return
}

// -----

// base_side / base_shape are recorded by tl-legalize-regions.
func.func @copy_base_side(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy' op base_side must be "src" or "dst", got "source"}}
  "tl.copy"(%A, %B) {base_side = "source", base_shape = array<i64: 64>} : (memref<64xf32>, memref<64xf32>) -> ()
  return
}

// -----

func.func @copy_base_shape(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy' op base_shape must be array<i64: ...> with every entry > 0, got array<i64: 0>}}
  "tl.copy"(%A, %B) {base_side = "src", base_shape = array<i64: 0>} : (memref<64xf32>, memref<64xf32>) -> ()
  return
}

//===----------------------------------------------------------------------===//
// tl.copy: annotations (each entry is checked like the named attribute)
//===----------------------------------------------------------------------===//

// -----

func.func @copy_annotations_kind(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy' op annotations must be a dictionary attribute, got ["coalesced_width", 4]}}
  "tl.copy"(%A, %B) {annotations = ["coalesced_width", 4]} : (memref<64xf32>, memref<64xf32>) -> ()
  return
}

// -----

func.func @copy_annotations_unknown_key(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy' op annotations has an unknown entry 'pad_value' (known: coalesced_width, disable_tma, eviction_policy, loop_layout, safe_value, swizzle, use_tma, use_bulk, use_cp_async, use_ldmatrix, use_stmatrix)}}
  "tl.copy"(%A, %B) {annotations = {pad_value = 0.0 : f32}} : (memref<64xf32>, memref<64xf32>) -> ()
  return
}

// -----

func.func @copy_annotations_coalesced_width(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy' op annotations entry coalesced_width must be a positive power of two, got 12}}
  "tl.copy"(%A, %B) {coalesced_width = 4 : i64, annotations = {coalesced_width = 12 : i64}} : (memref<64xf32>, memref<64xf32>) -> ()
  return
}

// -----

func.func @copy_annotations_disable_tma(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy' op annotations entry disable_tma must be a unit or bool attribute, got "yes"}}
  "tl.copy"(%A, %B) {annotations = {disable_tma = "yes"}} : (memref<64xf32>, memref<64xf32>) -> ()
  return
}

// -----

func.func @copy_annotations_eviction_policy(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy' op annotations entry eviction_policy must be one of "evict_normal", "evict_first", "evict_last", got "evict_all"}}
  "tl.copy"(%A, %B) {annotations = {eviction_policy = "evict_all"}} : (memref<64xf32>, memref<64xf32>) -> ()
  return
}

// -----

func.func @copy_annotations_safe_value(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy' op annotations entry safe_value must be an integer or float attribute, got "zero"}}
  "tl.copy"(%A, %B) {annotations = {safe_value = "zero"}} : (memref<64xf32>, memref<64xf32>) -> ()
  return
}

// -----

func.func @copy_annotations_loop_layout(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy' op annotations entry loop_layout replicate must be >= 1, got 0}}
  "tl.copy"(%A, %B) {annotations = {loop_layout = #tl.fragment_layout<affine_map<(d0) -> (d0 mod 64, d0 floordiv 64)>, 64 : i64, 0 : i64>}} : (memref<64xf32>, memref<64xf32>) -> ()
  return
}

//===----------------------------------------------------------------------===//
// Thread map: known_block_size on the enclosing gpu.func
//===----------------------------------------------------------------------===//

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @no_block_size(%A: memref<64x64xf32>) workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>) kernel {
      // expected-error @+1 {{'tl.copy' op is a tile copy and needs a thread map, so the enclosing gpu.func @no_block_size needs known_block_size = array<i32: x, y, z> (the thread count); it has none}}
      "tl.copy"(%A, %S) : (memref<64x64xf32>, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @no_block_size_regions(%A: memref<64x64xf32>, %B: memref<64x64xf32>, %i: index) kernel {
      %a = "tl.region"(%A, %i, %i) {access = 1 : i32, extents = array<i64: 16, 16>} : (memref<64x64xf32>, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %i, %i) {access = 2 : i32} : (memref<64x64xf32>, index, index) -> !tl.buffer_region
      scf.execute_region {
        // expected-error @+1 {{'tl.copy' op is a tile copy and needs a thread map, so the enclosing gpu.func @no_block_size_regions needs known_block_size}}
        "tl.copy"(%a, %b) : (!tl.buffer_region, !tl.buffer_region) -> ()
        scf.yield
      }
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @zero_block_size(%A: memref<64x64xf32>) workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 0, 1>} {
      // expected-error @+1 {{'tl.copy' op is a tile copy and needs a thread map, but the enclosing gpu.func @zero_block_size has known_block_size = array<i32: 128, 0, 1>: it must be array<i32: x, y, z> with every entry > 0}}
      "tl.copy"(%A, %S) : (memref<64x64xf32>, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @layout_threads(%A: memref<64x64xf32>) workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 32, 4, 1>} {
      // expected-error @+1 {{'tl.copy' op loop_layout is for 64 threads, but the enclosing gpu.func @layout_threads runs 128 (known_block_size = array<i32: 32, 4, 1>)}}
      "tl.copy"(%A, %S) {loop_layout = #tl.fragment_layout<affine_map<(d0, d1) -> ((d0 * 64 + d1) mod 64, (d0 * 64 + d1) floordiv 64)>, 64 : i64, 1 : i64>} : (memref<64x64xf32>, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @annotated_layout_threads(%A: memref<64x64xf32>) workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 256, 1, 1>} {
      // expected-error @+1 {{'tl.copy' op annotations entry loop_layout is for 128 threads, but the enclosing gpu.func @annotated_layout_threads runs 256 (known_block_size = array<i32: 256, 1, 1>)}}
      "tl.copy"(%A, %S) {annotations = {loop_layout = #tl.fragment_layout<affine_map<(d0, d1) -> ((d0 * 64 + d1) mod 128, (d0 * 64 + d1) floordiv 128)>, 128 : i64, 1 : i64>}} : (memref<64x64xf32>, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

//===----------------------------------------------------------------------===//
// tl.c2d_im2col
//===----------------------------------------------------------------------===//

// -----

func.func @im2col_img_rank(%I: memref<8x8x16xf16>, %C: memref<64x32xf16, #gpu.address_space<workgroup>>, %i: index) {
  // expected-error @+1 {{'tl.c2d_im2col' op img must be a rank-4 (NHWC) memref, got rank 3 (memref<8x8x16xf16>)}}
  "tl.c2d_im2col"(%I, %C, %i, %i) {kernel = 3, stride = 1, dilation = 1, pad = 1} : (memref<8x8x16xf16>, memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> ()
  return
}

// -----

func.func @im2col_img_shared(%I: memref<1x8x8x16xf16, #gpu.address_space<workgroup>>, %C: memref<64x32xf16, #gpu.address_space<workgroup>>, %i: index) {
  // expected-error @+1 {{'tl.c2d_im2col' op img must be a global buffer, got a shared buffer (memref<1x8x8x16xf16, #gpu.address_space<workgroup>>)}}
  "tl.c2d_im2col"(%I, %C, %i, %i) {kernel = 3, stride = 1, dilation = 1, pad = 1} : (memref<1x8x8x16xf16, #gpu.address_space<workgroup>>, memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> ()
  return
}

// -----

func.func @im2col_img_scope(%I: memref<1x8x8x16xf16, #gpu.address_space<private>>, %C: memref<64x32xf16, #gpu.address_space<workgroup>>, %i: index) {
  // expected-error @+1 {{'tl.c2d_im2col' op img memref<1x8x8x16xf16, #gpu.address_space<private>> has memory space #gpu.address_space<private>, which is not a tl scope}}
  "tl.c2d_im2col"(%I, %C, %i, %i) {kernel = 3, stride = 1, dilation = 1, pad = 1} : (memref<1x8x8x16xf16, #gpu.address_space<private>>, memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> ()
  return
}

// -----

func.func @im2col_col_global(%I: memref<1x8x8x16xf16>, %C: memref<64x32xf16>, %i: index) {
  // expected-error @+1 {{'tl.c2d_im2col' op col must be a shared buffer (#gpu.address_space<workgroup>), got a global buffer (memref<64x32xf16>)}}
  "tl.c2d_im2col"(%I, %C, %i, %i) {kernel = 3, stride = 1, dilation = 1, pad = 1} : (memref<1x8x8x16xf16>, memref<64x32xf16>, index, index) -> ()
  return
}

// -----

func.func @im2col_col_fragment(%I: memref<1x8x8x16xf16>, %i: index) {
  %C = memref.alloca() : memref<64x32xf16, #tl.fragment>
  // expected-error @+1 {{'tl.c2d_im2col' op col must be a shared buffer (#gpu.address_space<workgroup>), got a fragment buffer (memref<64x32xf16, #tl.fragment>)}}
  "tl.c2d_im2col"(%I, %C, %i, %i) {kernel = 3, stride = 1, dilation = 1, pad = 1} : (memref<1x8x8x16xf16>, memref<64x32xf16, #tl.fragment>, index, index) -> ()
  return
}

// -----

func.func @im2col_col_rank(%I: memref<1x8x8x16xf16>, %C: memref<4x16x32xf16, #gpu.address_space<workgroup>>, %i: index) {
  // expected-error @+1 {{'tl.c2d_im2col' op col must be a rank-2 (BM, BK) buffer, got rank 3 (memref<4x16x32xf16, #gpu.address_space<workgroup>>)}}
  "tl.c2d_im2col"(%I, %C, %i, %i) {kernel = 3, stride = 1, dilation = 1, pad = 1} : (memref<1x8x8x16xf16>, memref<4x16x32xf16, #gpu.address_space<workgroup>>, index, index) -> ()
  return
}

// -----

func.func @im2col_col_region_global(%I: memref<1x8x8x16xf16>, %C: memref<128x64xf16>, %i: index) {
  %c = "tl.region"(%C, %i, %i) {access = 2 : i32, extents = array<i64: 64, 32>} : (memref<128x64xf16>, index, index) -> !tl.buffer_region
  // expected-error @+1 {{'tl.c2d_im2col' op col region buffer must be a shared buffer (#gpu.address_space<workgroup>), got a global buffer (memref<128x64xf16>)}}
  "tl.c2d_im2col"(%I, %c, %i, %i) {kernel = 3, stride = 1, dilation = 1, pad = 1} : (memref<1x8x8x16xf16>, !tl.buffer_region, index, index) -> ()
  return
}

// -----

func.func @im2col_col_region_rank(%I: memref<1x8x8x16xf16>, %i: index) {
  %C = memref.alloca() : memref<2x64x32xf16, #gpu.address_space<workgroup>>
  %c = "tl.region"(%C, %i, %i, %i) {access = 2 : i32, extents = array<i64: 1, 64, 32>} : (memref<2x64x32xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
  // expected-error @+1 {{'tl.c2d_im2col' op col region is not one stage of its rank-3 buffer (memref<2x64x32xf16, #gpu.address_space<workgroup>>): the (BM, BK) tile must start at index 0 of its last two dimensions, but the index of dimension 1 is not the constant 0}}
  "tl.c2d_im2col"(%I, %c, %i, %i) {kernel = 3, stride = 1, dilation = 1, pad = 1} : (memref<1x8x8x16xf16>, !tl.buffer_region, index, index) -> ()
  return
}

// -----

func.func @im2col_col_region_no_extents(%I: memref<1x8x8x16xf16>, %C: memref<64x32xf16, #gpu.address_space<workgroup>>, %i: index) {
  %c = "tl.region"(%C, %i, %i) {access = 2 : i32} : (memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
  // expected-error @+1 {{'tl.c2d_im2col' op col region has no extents: the (BM, BK) tile of a tl.c2d_im2col must be given explicitly}}
  "tl.c2d_im2col"(%I, %c, %i, %i) {kernel = 3, stride = 1, dilation = 1, pad = 1} : (memref<1x8x8x16xf16>, !tl.buffer_region, index, index) -> ()
  return
}

// -----

func.func @im2col_col_region_read_only(%I: memref<1x8x8x16xf16>, %C: memref<64x32xf16, #gpu.address_space<workgroup>>, %i: index) {
  %c = "tl.region"(%C, %i, %i) {access = 1 : i32, extents = array<i64: 64, 32>} : (memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
  // expected-error @+1 {{'tl.c2d_im2col' op col region has read-only access (access = 1); the im2col destination needs write access (2 or 3)}}
  "tl.c2d_im2col"(%I, %c, %i, %i) {kernel = 3, stride = 1, dilation = 1, pad = 1} : (memref<1x8x8x16xf16>, !tl.buffer_region, index, index) -> ()
  return
}

// -----

func.func @im2col_col_block_argument(%I: memref<1x8x8x16xf16>, %c: !tl.buffer_region, %i: index) {
  // expected-error @+1 {{'tl.c2d_im2col' op col !tl.buffer_region is a block argument; it must be produced by a 'tl.region' op}}
  "tl.c2d_im2col"(%I, %c, %i, %i) {kernel = 3, stride = 1, dilation = 1, pad = 1} : (memref<1x8x8x16xf16>, !tl.buffer_region, index, index) -> ()
  return
}

// -----

func.func @im2col_element_types(%I: memref<1x8x8x16xf16>, %C: memref<64x32xf32, #gpu.address_space<workgroup>>, %i: index) {
  // expected-error @+1 {{'tl.c2d_im2col' op img element type f16 differs from col element type f32: im2col does not convert}}
  "tl.c2d_im2col"(%I, %C, %i, %i) {kernel = 3, stride = 1, dilation = 1, pad = 1} : (memref<1x8x8x16xf16>, memref<64x32xf32, #gpu.address_space<workgroup>>, index, index) -> ()
  return
}

// -----

func.func @im2col_kernel_zero(%I: memref<1x8x8x16xf16>, %C: memref<64x32xf16, #gpu.address_space<workgroup>>, %i: index) {
  // expected-error @+1 {{'tl.c2d_im2col' op kernel must be >= 1, got 0 : i64}}
  "tl.c2d_im2col"(%I, %C, %i, %i) {kernel = 0, stride = 1, dilation = 1, pad = 1} : (memref<1x8x8x16xf16>, memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> ()
  return
}

// -----

func.func @im2col_stride_array_size(%I: memref<1x8x8x16xf16>, %C: memref<64x32xf16, #gpu.address_space<workgroup>>, %i: index) {
  // expected-error @+1 {{'tl.c2d_im2col' op stride must be array<i64: h, w> with exactly 2 entries, got array<i64: 1, 1, 1> (3 entries)}}
  "tl.c2d_im2col"(%I, %C, %i, %i) {kernel = 3, stride = array<i64: 1, 1, 1>, dilation = 1, pad = 1} : (memref<1x8x8x16xf16>, memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> ()
  return
}

// -----

func.func @im2col_stride_array_zero(%I: memref<1x8x8x16xf16>, %C: memref<64x32xf16, #gpu.address_space<workgroup>>, %i: index) {
  // expected-error @+1 {{'tl.c2d_im2col' op stride must be >= 1, got array<i64: 2, 0>}}
  "tl.c2d_im2col"(%I, %C, %i, %i) {kernel = 3, stride = array<i64: 2, 0>, dilation = 1, pad = 1} : (memref<1x8x8x16xf16>, memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> ()
  return
}

// -----

func.func @im2col_dilation_kind(%I: memref<1x8x8x16xf16>, %C: memref<64x32xf16, #gpu.address_space<workgroup>>, %i: index) {
  // expected-error @+1 {{'tl.c2d_im2col' op dilation must be an integer or array<i64: h, w>, got 1.000000e+00 : f32}}
  "tl.c2d_im2col"(%I, %C, %i, %i) {kernel = 3, stride = 1, dilation = 1.0 : f32, pad = 1} : (memref<1x8x8x16xf16>, memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> ()
  return
}

// -----

func.func @im2col_pad_negative(%I: memref<1x8x8x16xf16>, %C: memref<64x32xf16, #gpu.address_space<workgroup>>, %i: index) {
  // expected-error @+1 {{'tl.c2d_im2col' op pad must be >= 0, got array<i64: 1, -1>}}
  "tl.c2d_im2col"(%I, %C, %i, %i) {kernel = 3, stride = 1, dilation = 1, pad = array<i64: 1, -1>} : (memref<1x8x8x16xf16>, memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> ()
  return
}

// -----

func.func @im2col_eviction_policy(%I: memref<1x8x8x16xf16>, %C: memref<64x32xf16, #gpu.address_space<workgroup>>, %i: index) {
  // expected-error @+1 {{'tl.c2d_im2col' op eviction_policy must be one of "evict_normal", "evict_first", "evict_last", got "evict_never"}}
  "tl.c2d_im2col"(%I, %C, %i, %i) {kernel = 3, stride = 1, dilation = 1, pad = 1, eviction_policy = "evict_never"} : (memref<1x8x8x16xf16>, memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> ()
  return
}

// -----

func.func @im2col_unknown_attribute(%I: memref<1x8x8x16xf16>, %C: memref<64x32xf16, #gpu.address_space<workgroup>>, %i: index) {
  // expected-error @+1 {{'tl.c2d_im2col' op has an unknown attribute 'padding' (known: kernel, stride, dilation, pad, eviction_policy, disable_tma)}}
  "tl.c2d_im2col"(%I, %C, %i, %i) {kernel = 3, stride = 1, dilation = 1, pad = 1, padding = 1} : (memref<1x8x8x16xf16>, memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> ()
  return
}

// -----

func.func @im2col_output_height(%I: memref<1x5x9x16xf16>, %C: memref<64x32xf16, #gpu.address_space<workgroup>>, %i: index) {
  // expected-error @+1 {{'tl.c2d_im2col' op output height OH = (H + 2P - D(K-1) - 1)/S + 1 = (5 + 2*0 - 3*(3-1) - 1)/1 + 1 = -1 must be >= 1: the dilated kernel (7) is larger than the padded input (5)}}
  "tl.c2d_im2col"(%I, %C, %i, %i) {kernel = 3, stride = 1, dilation = 3, pad = 0} : (memref<1x5x9x16xf16>, memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> ()
  return
}

// -----

func.func @im2col_output_width(%I: memref<1x?x4x16xf16>, %C: memref<64x32xf16, #gpu.address_space<workgroup>>, %i: index) {
  // expected-error @+1 {{'tl.c2d_im2col' op output width OW = (W + 2P - D(K-1) - 1)/S + 1 = (4 + 2*0 - 1*(7-1) - 1)/2 + 1 = -1 must be >= 1: the dilated kernel (7) is larger than the padded input (4)}}
  "tl.c2d_im2col"(%I, %C, %i, %i) {kernel = array<i64: 3, 7>, stride = 2, dilation = 1, pad = array<i64: 1, 0>} : (memref<1x?x4x16xf16>, memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> ()
  return
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @im2col_no_block_size(%I: memref<1x8x8x16xf16>, %i: index) workgroup(%C: memref<64x32xf16, #gpu.address_space<workgroup>>) kernel {
      // expected-error @+1 {{'tl.c2d_im2col' op needs a thread map, so the enclosing gpu.func @im2col_no_block_size needs known_block_size = array<i32: x, y, z> (the thread count); it has none}}
      "tl.c2d_im2col"(%I, %C, %i, %i) {kernel = 3, stride = 1, dilation = 1, pad = 1} : (memref<1x8x8x16xf16>, memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}

// -----

func.func @im2col_disable_tma_not_unit(%I: memref<1x8x8x16xf16>, %C: memref<64x32xf16, #gpu.address_space<workgroup>>, %i: index) {
  // expected-error @+1 {{'tl.c2d_im2col' op disable_tma must be a unit attribute, got true}}
  "tl.c2d_im2col"(%I, %C, %i, %i) {kernel = 3, stride = 1, dilation = 1, pad = 1, disable_tma = true} : (memref<1x8x8x16xf16>, memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> ()
  return
}
