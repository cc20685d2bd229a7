// Errors of 1-D bulk copies (docs/tma.md, "Bulk copies"): impossible
// use_bulk demands in tl-infer-layouts, tl-verify's check of the key.
// RUN: tl-opt %s -split-input-file --pass-pipeline='builtin.module(gpu.module(tl-legalize-regions),tl-infer-layouts)' -verify-diagnostics

// use_bulk on a chip without bulk copies.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @k(%A: memref<1024xf32>) workgroup(%S: memref<1024xf32, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      // expected-error @+1 {{'tl.copy' op use_bulk = true, but a bulk copy cannot be used: chip sm_80 has no bulk copies (sm_90 or later)}}
      "tl.copy"(%A, %S) {annotations = {use_bulk = true}} : (memref<1024xf32>, memref<1024xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// use_bulk on a region that may leave the buffer (no known grid size).
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<4096xf32>) workgroup(%S: memref<1024xf32, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c1024 = arith.constant 1024 : index
      %bx = gpu.block_id x
      %i = arith.muli %bx, %c1024 : index
      %a = "tl.region"(%A, %i) {access = 1 : i32, extents = array<i64: 1024>} : (memref<4096xf32>, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op use_bulk = true, but a bulk copy cannot be used: the source region is not provably in bounds (bounds_check on dimension 0); a bulk copy has no bounds handling}}
      "tl.copy"(%a, %S) {annotations = {use_bulk = true}} : (!tl.buffer_region, memref<1024xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// use_bulk on a tile that is not one run, and on a swizzled buffer.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<64x64xf16>) workgroup(%S: memref<64x32xf16, #gpu.address_space<workgroup>>, %W: memref<64x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 32>} : (memref<64x64xf16>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op use_bulk = true, but a bulk copy cannot be used: the source region is not one contiguous run (dimension 1: extent 32 of 64)}}
      "tl.copy"(%a, %S) {annotations = {use_bulk = true}} : (!tl.buffer_region, memref<64x32xf16, #gpu.address_space<workgroup>>) -> ()
      // expected-error @+1 {{'tl.copy' op use_bulk = true, but a bulk copy cannot be used: the shared destination is swizzled (a bulk copy writes it linearly)}}
      "tl.copy"(%A, %W) {annotations = {use_bulk = true, swizzle = 128 : i64}} : (memref<64x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// use_bulk contradicting other demands.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<1024xf32>) workgroup(%S: memref<1024xf32, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      // expected-error @+1 {{'tl.copy' op use_bulk = true and use_tma = true contradict each other}}
      "tl.copy"(%A, %S) {annotations = {use_bulk = true, use_tma = true}} : (memref<1024xf32>, memref<1024xf32, #gpu.address_space<workgroup>>) -> ()
      // expected-error @+1 {{'tl.copy' op use_bulk = true and use_cp_async = true contradict each other}}
      "tl.copy"(%A, %S) {annotations = {use_bulk = true, use_cp_async = true}} : (memref<1024xf32>, memref<1024xf32, #gpu.address_space<workgroup>>) -> ()
      // expected-error @+1 {{'tl.copy' op use_bulk = true and disable_tma contradict each other}}
      "tl.copy"(%A, %S) {annotations = {use_bulk = true}, disable_tma} : (memref<1024xf32>, memref<1024xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// tl-verify: the value of use_bulk.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<1024xf32>) workgroup(%S: memref<1024xf32, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      // expected-error @+1 {{'tl.copy' op annotations entry use_bulk must be a bool or unit attribute, got 3 : i64}}
      "tl.copy"(%A, %S) {annotations = {use_bulk = 3 : i64}} : (memref<1024xf32>, memref<1024xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}
