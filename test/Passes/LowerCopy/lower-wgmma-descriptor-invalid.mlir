// tl-lower-copy refuses a tl.wgmma_descriptor whose buffer does not carry
// wgmma's swizzle (tl-infer-layouts gives it; it did not run here).
// RUN: tl-opt %s -split-input-file -verify-diagnostics --tl-lower-copy

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @no_infer() workgroup(%S: memref<128x16xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      // expected-error @+1 {{'tl.wgmma_descriptor' op the tile's buffer has swizzle 0, not the 32 bytes of its rows: run tl-infer-layouts first (it gives the buffer wgmma's swizzle)}}
      %d = "tl.wgmma_descriptor"(%S) : (memref<128x16xf16, #gpu.address_space<workgroup>>) -> i64
      gpu.return
    }
  }
}
