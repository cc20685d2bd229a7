// tl-lower-copy's errors for tl.fragment_read / tl.fragment_write
// (docs/mma-interop.md). One case per chunk.
// RUN: tl-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(gpu.module(tl-legalize-regions),tl-infer-layouts,gpu.module(tl-lower-copy))' -o /dev/null

// A read past the locals the layout gives each thread (8 of a 16x16 f16
// fragment over 32 threads).
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @past(%A: memref<16x16xf16>, %B: memref<16x16xf16>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %F = memref.alloca() : memref<16x16xf16, #tl.fragment>
      "tl.copy"(%A, %F) : (memref<16x16xf16>, memref<16x16xf16, #tl.fragment>) -> ()
      // expected-error @+1 {{'tl.fragment_read' op reads locals [4, 12), but the layout of its fragment gives each thread 8 (0 .. 7)}}
      %v = "tl.fragment_read"(%F) {offset = 4 : i64} : (memref<16x16xf16, #tl.fragment>) -> vector<8xf16>
      "tl.copy"(%F, %B) : (memref<16x16xf16, #tl.fragment>, memref<16x16xf16>) -> ()
      gpu.return
    }
  }
}

// -----

// A fragment that only tl.fragment_read/write touch gets no layout from
// tl-infer-layouts: it needs its own.
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @unlaid() kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      // expected-error @+1 {{fragment has no tl.layout: tl-infer-layouts gives one to a fragment a tl.copy moves (run it first); a fragment only accessed by tl.fragment_read/write needs its own tl.layout}}
      %F = memref.alloca() : memref<16x8xf32, #tl.fragment>
      %z = arith.constant dense<0.0> : vector<2x2xf32>
      "tl.fragment_write"(%F, %z) {offset = 0 : i64} : (memref<16x8xf32, #tl.fragment>, vector<2x2xf32>) -> ()
      gpu.return
    }
  }
}
