// RUN: tl-opt %s -split-input-file --pass-pipeline='builtin.module(gpu.module(tl-legalize-regions),tl-infer-layouts)' -verify-diagnostics

// use_ldmatrix on a chip without ldmatrix.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_70">] {
    gpu.func @k() workgroup(%S: memref<16x16xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %F = memref.alloca() : memref<16x16xf16, #tl.fragment>
      // expected-error @+1 {{'tl.copy' op use_ldmatrix = true, but ldmatrix cannot be used: chip sm_70 has no ldmatrix (sm_75+)}}
      "tl.copy"(%S, %F) {annotations = {use_ldmatrix = true}} : (memref<16x16xf16, #gpu.address_space<workgroup>>, memref<16x16xf16, #tl.fragment>) -> ()
      gpu.return
    }
  }
}

// -----

// use_ldmatrix with a fragment layout that is not the mma layout.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @k() workgroup(%S: memref<16x16xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %F = memref.alloca() {tl.layout = #tl.fragment_layout<affine_map<(d0, d1) -> (d0 * 2 + d1 floordiv 8, d1 mod 8)>, 32 : i64, 1 : i64>} : memref<16x16xf16, #tl.fragment>
      // expected-error @+1 {{'tl.copy' op use_ldmatrix = true, but ldmatrix cannot be used: the fragment's layout is not the 8x8 mma fragment layout or its transpose}}
      "tl.copy"(%S, %F) {annotations = {use_ldmatrix = true}} : (memref<16x16xf16, #gpu.address_space<workgroup>>, memref<16x16xf16, #tl.fragment>) -> ()
      gpu.return
    }
  }
}

// -----

// stmatrix needs sm_90.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_89">] {
    gpu.func @k() workgroup(%S: memref<16x16xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %F = memref.alloca() : memref<16x16xf16, #tl.fragment>
      // expected-error @+1 {{'tl.copy' op use_ldmatrix = true, but stmatrix cannot be used: chip sm_89 has no stmatrix (sm_90+)}}
      "tl.copy"(%F, %S) {annotations = {use_stmatrix = true}} : (memref<16x16xf16, #tl.fragment>, memref<16x16xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// use_cp_async on sm_75, and with 2-byte chunks.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_75">] {
    gpu.func @k(%A: memref<64x64xf16>) workgroup(%S: memref<16x16xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32} : (memref<64x64xf16>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op use_cp_async = true, but cp.async cannot be used: chip sm_75 has no cp.async (sm_80+)}}
      "tl.copy"(%a, %S) {annotations = {use_cp_async = true}} : (!tl.buffer_region, memref<16x16xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @k(%A: memref<64x64xf16>) workgroup(%S: memref<16x16xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32} : (memref<64x64xf16>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op use_cp_async = true, but cp.async cannot be used: chunks of 2 bytes (v=1); cp.async moves 4, 8 or 16}}
      "tl.copy"(%a, %S) {coalesced_width = 1 : i64, annotations = {use_cp_async = true}} : (!tl.buffer_region, memref<16x16xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// use_tma and use_cp_async together.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<64x64xf16>) workgroup(%S: memref<16x16xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32} : (memref<64x64xf16>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op use_tma = true and use_cp_async = true contradict each other}}
      "tl.copy"(%a, %S) {annotations = {use_tma = true, use_cp_async = true}} : (!tl.buffer_region, memref<16x16xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}
