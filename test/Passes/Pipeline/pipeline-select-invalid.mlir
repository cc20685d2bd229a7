// An instruction error on a pipelined copy is reported once: tl-pipeline
// clones the copy (prologue and refill), and every clone has the copy's
// location; tl-infer-layouts reports each distinct error at a location once
// (copy/Report.c). -verify-diagnostics fails on any extra copy of it.
// RUN: tl-opt %s -split-input-file -verify-diagnostics --tl-pipeline --tl-legalize-regions --tl-infer-layouts

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @k(%A: memref<64x1024xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c16 = arith.constant 16 : index
      %c64 = arith.constant 64 : index
      scf.for %k = %c0 to %c16 step %c1 {
        %j = arith.muli %k, %c64 : index
        %a = "tl.region"(%A, %c0, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x1024xf16>, index, index) -> !tl.buffer_region
        // expected-error @+1 {{'tl.copy_async' op use_cp_async = true, but cp.async cannot be used: an eviction_policy is set}}
        "tl.copy"(%a, %S) {annotations = {use_cp_async = true}, eviction_policy = "evict_first"} : (!tl.buffer_region, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      } {tl.num_stages = 4 : i64}
      gpu.return
    }
  }
}
