// RUN: tl-opt %s -split-input-file --pass-pipeline='builtin.module(gpu.module(tl-legalize-regions),tl-infer-layouts)' -verify-diagnostics

// use_tma on a chip without TMA.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @k(%A: memref<512x512xf32>) workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op use_tma = true, but TMA cannot be used: chip sm_80 has no TMA}}
      "tl.copy"(%a, %S) {annotations = {use_tma = true}} : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// use_tma where a limit fails: the reason is named.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<1000x77xf16>) workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32} : (memref<1000x77xf16>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op use_tma = true, but TMA cannot be used: dimension 0 of the global source has a stride of 154 bytes; TMA needs a multiple of 16 below 2^40}}
      "tl.copy"(%a, %S) {annotations = {use_tma = true}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// use_tma with a swizzle span wider than the rows.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<256x256xf16>) workgroup(%S: memref<64x16xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 16>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op use_tma = true, but TMA cannot be used: the innermost extent is 32 bytes, not a multiple of the 128-byte swizzle span}}
      "tl.copy"(%a, %S) {annotations = {use_tma = true, swizzle = 128 : i64}} : (!tl.buffer_region, memref<64x16xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// use_tma and disable_tma.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<512x512xf32>) workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op use_tma = true and disable_tma contradict each other}}
      "tl.copy"(%a, %S) {disable_tma, annotations = {use_tma = true}} : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// Two copies demand different swizzles of one buffer.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<256x256xf16>) workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) {annotations = {swizzle = 128 : i64}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      // expected-error @+1 {{'tl.copy' op conflicting swizzles for the shared buffer memref<64x64xf16, #gpu.address_space<workgroup>> (workgroup attribution 0 of @k): this copy demands 64, but the copy at}}
      "tl.copy"(%a, %S) {annotations = {swizzle = 64 : i64}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// A user tl.swizzle and a different demand.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<256x256xf16>) workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>> {tl.swizzle = 32 : i64}) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op conflicting swizzles for the shared buffer memref<64x64xf16, #gpu.address_space<workgroup>> (workgroup attribution 0 of @k): this copy demands 128, but its tl.swizzle is 32}}
      "tl.copy"(%a, %S) {annotations = {swizzle = 128 : i64}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// A swizzle demand without a shared buffer.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<256x256xf16>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %F = memref.alloca() : memref<64x64xf16, #tl.fragment>
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op annotations swizzle = 128 applies to a shared buffer, but the copy touches no workgroup attribution}}
      "tl.copy"(%a, %F) {annotations = {swizzle = 128 : i64}} : (!tl.buffer_region, memref<64x64xf16, #tl.fragment>) -> ()
      gpu.return
    }
  }
}

// -----

// A swizzled buffer smaller than the swizzle span.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<256x256xf16>) workgroup(%S: memref<2x8xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op the swizzled shared buffer memref<2x8xf16, #gpu.address_space<workgroup>> (workgroup attribution 0 of @k) has 32 bytes, not a multiple of the 64-byte swizzle span}}
      "tl.copy"(%a, %S) {annotations = {swizzle = 64 : i64}} : (!tl.buffer_region, memref<2x8xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// tl-verify: the values of swizzle, use_tma, tma_box, tma_swizzle.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<512x512xf32>) workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      // expected-error @+2 {{'tl.copy' op annotations entry swizzle must be 0, 32, 64 or 128 (bytes, an integer attribute), got 48 : i64}}
      // expected-error @+1 {{'tl.copy' op annotations entry use_tma must be a bool or unit attribute, got 3 : i64}}
      "tl.copy"(%a, %S) {annotations = {swizzle = 48 : i64, use_tma = 3 : i64}} : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      // expected-error @+2 {{'tl.copy' op tma_box must be array<i64: ...> with 1 to 5 entries, each in [1, 256], got array<i64: 300, 64>}}
      // expected-error @+1 {{'tl.copy' op tma_swizzle must be 0, 32, 64 or 128 (bytes, an integer attribute), got 16 : i64}}
      "tl.copy"(%a, %S) {tma_box = array<i64: 300, 64>, tma_swizzle = 16 : i64} : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// A leading dimension whose stride is not a multiple of 16 bytes (100 f16).
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<256x64xf16, strided<[100, 1]>>) workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<256x64xf16, strided<[100, 1]>>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op use_tma = true, but TMA cannot be used: dimension 0 of the global source has a stride of 200 bytes; TMA needs a multiple of 16 below 2^40}}
      "tl.copy"(%a, %S) {annotations = {use_tma = true}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// A column-major view: the innermost stride is not 1.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<256x64xf16, strided<[1, 256]>>) workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<256x64xf16, strided<[1, 256]>>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op use_tma = true, but TMA cannot be used: the global source has a layout a tensor map cannot describe (TMA needs an innermost stride of 1, offset 0 and static, non-overlapping outer strides)}}
      "tl.copy"(%a, %S) {annotations = {use_tma = true}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// Overlapping rows: a stride of 32 elements under rows of 64.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<256x64xf16, strided<[32, 1]>>) workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<256x64xf16, strided<[32, 1]>>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op use_tma = true, but TMA cannot be used: the global source has a layout a tensor map cannot describe (TMA needs an innermost stride of 1, offset 0 and static, non-overlapping outer strides)}}
      "tl.copy"(%a, %S) {annotations = {use_tma = true}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// A non-zero offset.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<256x64xf16, strided<[128, 1], offset: 8>>) workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<256x64xf16, strided<[128, 1], offset: 8>>, index, index) -> !tl.buffer_region
      // expected-error @+1 {{'tl.copy' op use_tma = true, but TMA cannot be used: the global source has a layout a tensor map cannot describe (TMA needs an innermost stride of 1, offset 0 and static, non-overlapping outer strides)}}
      "tl.copy"(%a, %S) {annotations = {use_tma = true}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}
