// Stages beyond 48 KiB go to dynamic shared memory, up to the chip's
// opt-in maximum, checked at compile time (docs/pipeline.md): 8 stages of
// 32 KiB are 256 KiB, over sm_90a's 227 KiB.
// RUN: tl-opt %s --tl-to-nvvm=format=isa -verify-diagnostics -o /dev/null
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    // expected-error @+1 {{tl-to-nvvm: the kernel needs 262272 bytes of shared memory per block (262144 of workgroup buffers in dynamic shared memory, 72 static); sm_90a allows at most 232448}}
    gpu.func @too_many_stages(%A: memref<256x4096xf16>, %B: memref<256x64xf16>)
        workgroup(%S: memref<256x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c64 = arith.constant 64 : index
      scf.for %k = %c0 to %c64 step %c1 {
        %j = arith.muli %k, %c64 : index
        %a = "tl.region"(%A, %c0, %j) {access = 1 : i32, extents = array<i64: 256, 64>} : (memref<256x4096xf16>, index, index) -> !tl.buffer_region
        "tl.copy"(%a, %S) {annotations = {use_tma = true}} : (!tl.buffer_region, memref<256x64xf16, #gpu.address_space<workgroup>>) -> ()
        "tl.copy"(%S, %B) : (memref<256x64xf16, #gpu.address_space<workgroup>>, memref<256x64xf16>) -> ()
      } {tl.num_stages = 8 : i64}
      gpu.return
    }
  }
}
