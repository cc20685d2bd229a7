// RUN: tl-opt %s -split-input-file --tl-legalize-regions -verify-diagnostics

func.func @mismatched_non_unit(%A: memref<4x64xf32>, %S: memref<64x64xf32, #gpu.address_space<workgroup>>) {
  %c0 = arith.constant 0 : index
  %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 64>} : (memref<4x64xf32>, index, index) -> !tl.buffer_region
  %s = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 64>} : (memref<64x64xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
  // expected-error @+1 {{cannot pair the source extents [4, 64] of memref<4x64xf32> with the destination extents [1, 64] of memref<64x64xf32, #gpu.address_space<workgroup>>: 2 and 1 non-unit dimensions}}
  "tl.copy"(%a, %s) : (!tl.buffer_region, !tl.buffer_region) -> ()
  return
}

// -----

func.func @base_smaller_than_source(%A: memref<16x8xf32>, %S: memref<16x8xf32, #gpu.address_space<workgroup>>) {
  %c0 = arith.constant 0 : index
  %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 16, 4>} : (memref<16x8xf32>, index, index) -> !tl.buffer_region
  %s = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 16, 3>} : (memref<16x8xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
  // expected-error @+1 {{the destination (the base: its scope is at least the source's) is smaller than the source extent: source [16, 4] of memref<16x8xf32>, destination [16, 3] of memref<16x8xf32, #gpu.address_space<workgroup>> (non-unit dimension 1: source 4, destination 3)}}
  "tl.copy"(%a, %s) : (!tl.buffer_region, !tl.buffer_region) -> ()
  return
}

// -----

func.func @destination_smaller(%S: memref<64xf32, #gpu.address_space<workgroup>>, %B: memref<128xf32>) {
  %c0 = arith.constant 0 : index
  %b = "tl.region"(%B, %c0) {access = 2 : i32, extents = array<i64: 32>} : (memref<128xf32>, index) -> !tl.buffer_region
  // expected-error @+1 {{the destination region is smaller than the copied extent: source [64] of memref<64xf32, #gpu.address_space<workgroup>>, destination [32] of memref<128xf32> (non-unit dimension 0: source 64, destination 32)}}
  "tl.copy"(%S, %b) : (memref<64xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
  return
}

// -----

func.func @head_out_of_bounds(%A: memref<100x100xf32>, %S: memref<64x64xf32, #gpu.address_space<workgroup>>) {
  %c50 = arith.constant 50 : index
  %c0 = arith.constant 0 : index
  %a = "tl.region"(%A, %c50, %c0) {access = 1 : i32} : (memref<100x100xf32>, index, index) -> !tl.buffer_region
  // expected-error @+1 {{source region [50, 114) of dimension 0 is out of bounds of memref<100x100xf32>}}
  "tl.copy"(%a, %S) : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
  return
}

// -----

func.func @head_rank_too_small(%A: memref<64xf32>, %S: memref<64x64xf32, #gpu.address_space<workgroup>>, %i: index) {
  %a = "tl.region"(%A, %i) {access = 1 : i32} : (memref<64xf32>, index) -> !tl.buffer_region
  // expected-error @+1 {{the source head address into memref<64xf32> (rank 1) cannot take the extents [64, 64] of the other side}}
  "tl.copy"(%a, %S) : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
  return
}

// -----

func.func @whole_dynamic(%A: memref<?x64xf32>, %S: memref<64x64xf32, #gpu.address_space<workgroup>>) {
  // expected-error @+1 {{whole-buffer source memref<?x64xf32> has a dynamic dimension: copy an explicit tl.region with static extents instead}}
  "tl.copy"(%A, %S) : (memref<?x64xf32>, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
  return
}


// -----

// tl-verify checks the legalized form too.
func.func @legalized_inconsistent(%A: memref<8x8xf32>, %S: memref<8x8xf32, #gpu.address_space<workgroup>>) {
  %c0 = arith.constant 0 : index
  %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 8, 8>} : (memref<8x8xf32>, index, index) -> !tl.buffer_region
  %s = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 8, 4>} : (memref<8x8xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
  // expected-error @+1 {{the non-unit extents of the destination region (array<i64: 8, 4>) differ from base_shape array<i64: 8, 8>}}
  "tl.copy"(%a, %s) {base_shape = array<i64: 8, 8>, base_side = "dst"} : (!tl.buffer_region, !tl.buffer_region) -> ()
  return
}

// -----

func.func @legalized_half(%A: memref<8xf32>, %S: memref<8xf32, #gpu.address_space<workgroup>>) {
  // expected-error @+1 {{base_side and base_shape (set by tl-legalize-regions) go together; only base_side is present}}
  "tl.copy"(%A, %S) {base_side = "dst"} : (memref<8xf32>, memref<8xf32, #gpu.address_space<workgroup>>) -> ()
  return
}

// -----

func.func @legalized_whole(%A: memref<8xf32>, %S: memref<8xf32, #gpu.address_space<workgroup>>) {
  // expected-error @+1 {{a legalized copy (with base_side) needs tl.region operands with extents; the source and the destination is not one}}
  "tl.copy"(%A, %S) {base_side = "dst", base_shape = array<i64: 8>} : (memref<8xf32>, memref<8xf32, #gpu.address_space<workgroup>>) -> ()
  return
}
