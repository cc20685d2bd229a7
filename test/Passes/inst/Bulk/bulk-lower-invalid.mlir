// tl-lower-copy's checks of inst = "bulk_load" / "bulk_store" (docs/tma.md,
// "Bulk copies").
// RUN: tl-opt %s -split-input-file -verify-diagnostics --tl-lower-copy

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<64x64xf32>) workgroup(%S: memref<64x32xf32, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 32>} : (memref<64x64xf32>, index, index) -> !tl.buffer_region
      %s = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 32>} : (memref<64x32xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op inst "bulk_load" needs one contiguous run, but the source region covers 32 of 64 in dimension 1}}
      "tl.copy"(%a, %s) {base_shape = array<i64: 64, 32>, base_side = "dst", inst = "bulk_load"} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<64xf32>, %i: index) workgroup(%S: memref<16xf32, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %s = "tl.region"(%S, %c0) {access = 1 : i32, extents = array<i64: 16>} : (memref<16xf32, #gpu.address_space<workgroup>>, index) -> !tl.buffer_region
      %a = "tl.region"(%A, %i) {access = 2 : i32, extents = array<i64: 16>} : (memref<64xf32>, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op inst "bulk_store" needs a 16-byte aligned start, but the destination index of dimension 0 is only known to be divisible by 1}}
      "tl.copy"(%s, %a) {base_shape = array<i64: 16>, base_side = "dst", inst = "bulk_store"} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<64xf32>) workgroup(%S: memref<64xf32, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0) {access = 1 : i32, extents = array<i64: 64>, bounds_check = array<i1: true>} : (memref<64xf32>, index) -> !tl.buffer_region
      %s = "tl.region"(%S, %c0) {access = 2 : i32, extents = array<i64: 64>} : (memref<64xf32, #gpu.address_space<workgroup>>, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op inst "bulk_load" cannot check bounds, but the source region has bounds_check on dimension 0}}
      "tl.copy"(%a, %s) {base_shape = array<i64: 64>, base_side = "dst", inst = "bulk_load"} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}
