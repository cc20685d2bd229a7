// tl.stage_release = "mbarrier" where empty mbarriers cannot release the
// stages (copy/Release.c): a located error, and tl-lower-copy fails
// leaving the IR as it was. One case per chunk.
// RUN: tl-opt %s -split-input-file -verify-diagnostics --tl-pipeline --tl-legalize-regions --tl-infer-layouts --tl-lower-copy

// cp.async refills: every thread issues them.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @cp(%A: memref<64x1024xf16>, %B: memref<64x1024xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      scf.for %k = %c0 to %c16 step %c1 {
        %j = arith.muli %k, %c64 : index
        %a = "tl.region"(%A, %c0, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x1024xf16>, index, index) -> !tl.buffer_region
        // expected-error @+1 {{tl.stage_release = "mbarrier" cannot release this loop's stages: a refill is cp_async, which every thread issues; tl.stage_release = "barrier" (the default) keeps the block barrier}}
        "tl.copy"(%a, %S) : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %c0, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x1024xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 3 : i64, tl.stage_release = "mbarrier"}
      gpu.return
    }
  }
}

// -----

// SIMT refills (disable_tma, no cp.async) run on every thread.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @simt(%A: memref<64x1024xf16>, %B: memref<64x1024xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      scf.for %k = %c0 to %c16 step %c1 {
        %j = arith.muli %k, %c64 : index
        %a = "tl.region"(%A, %c0, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x1024xf16>, index, index) -> !tl.buffer_region
        // expected-error @+1 {{tl.stage_release = "mbarrier" cannot release this loop's stages: a refill is simt, which every thread runs}}
        "tl.copy"(%a, %S) {annotations = {use_cp_async = false}, disable_tma} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
        %b = "tl.region"(%B, %c0, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x1024xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%S, %b) : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      } {tl.num_stages = 3 : i64, tl.stage_release = "mbarrier"}
      gpu.return
    }
  }
}

// -----

// A release tag written by hand, with no pipelined refill after it.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @hand(%A: memref<64x1024xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      // expected-error @+1 {{tl.stage_release = "mbarrier" cannot release this loop's stages: no refill follows it}}
      gpu.barrier {tl.stage_release = "mbarrier"}
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x1024xf16>, index, index) -> !tl.buffer_region
      %t = "tl.copy_async"(%a, %S) {annotations = {use_tma = true}} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> !tl.token
      "tl.wait"(%t) : (!tl.token) -> ()
      gpu.return
    }
  }
}

// -----

// A hand-tagged "ahead" region: its buffer's dimension 0 (64) is taken
// for the stages, more than the parities hold.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @hand_stage(%A: memref<64x1024xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      // expected-error @+1 {{tl.stage_release = "mbarrier" cannot release this loop's stages: its buffers have more than 32 stages (one parity bit each)}}
      gpu.barrier {tl.stage_release = "mbarrier"}
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x1024xf16>, index, index) -> !tl.buffer_region
      %s = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>, tl.stage = "ahead"} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %t = "tl.copy_async"(%a, %s) {annotations = {use_tma = true}} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      "tl.wait"(%t) : (!tl.token) -> ()
      gpu.return
    }
  }
}

// -----

// Hand-tagged refills of two buffers' different stages after one release.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @two_stages(%A: memref<64x1024xf16>)
        workgroup(%S: memref<2x64x64xf16, #gpu.address_space<workgroup>>, %T: memref<2x64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      gpu.barrier {tl.stage_release = "mbarrier"}
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x1024xf16>, index, index) -> !tl.buffer_region
      %s0 = "tl.region"(%S, %c0, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 64, 64>, tl.stage = "ahead"} : (memref<2x64x64xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      %t0 = "tl.copy_async"(%a, %s0) {annotations = {use_tma = true}} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      %s1 = "tl.region"(%T, %c1, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 64, 64>, tl.stage = "ahead"} : (memref<2x64x64xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      // expected-error @+1 {{tl.stage_release = "mbarrier" cannot release this loop's stages: its refills write different stages}}
      %t1 = "tl.copy_async"(%a, %s1) {annotations = {use_tma = true}} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      "tl.wait"(%t0, %t1) : (!tl.token, !tl.token) -> ()
      gpu.return
    }
  }
}
