// tl.mma_accumulator's errors (copy/MmaLayout.c). One case per chunk.
// RUN: tl-opt %s -split-input-file -verify-diagnostics --tl-infer-layouts

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @rows(%C: memref<32x64xf16>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      // expected-error @+1 {{tl.mma_accumulator = "m16n8k16" needs 16 rows per warp and whole 8-column n-tiles: a [64, C] fragment with C a multiple of 8 for 128 threads, got [32, 64]}}
      %FC = memref.alloca() {tl.mma_accumulator = "m16n8k16"} : memref<32x64xf32, #tl.fragment>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @shape(%C: memref<64x64xf16>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      // expected-error @+1 {{tl.mma_accumulator must be "m16n8k16" (mma.sync's accumulator) or "m64nNk16" with N a multiple of 8 in [8, 256] (wgmma's)}}
      %FC = memref.alloca() {tl.mma_accumulator = "m64n12k16"} : memref<64x64xf32, #tl.fragment>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @shared() workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      // expected-error @+1 {{tl.mma_accumulator is for a fragment (a memref.alloca in #tl.fragment memory)}}
      %P = memref.alloca() {tl.mma_accumulator = "m16n8k16"} : memref<64x64xf32>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @int(%C: memref<64x64xi32>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      // expected-error @+1 {{tl.mma_accumulator = "m16n8k16" accumulates in f32 or f16, but the fragment holds another type}}
      %FC = memref.alloca() {tl.mma_accumulator = "m16n8k16"} : memref<64x64xi32, #tl.fragment>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @threads(%C: memref<64x64xf16>) kernel {
      // expected-error @+1 {{tl.mma_accumulator needs the thread count: known_block_size on the enclosing gpu.func}}
      %FC = memref.alloca() {tl.mma_accumulator = "m16n8k16"} : memref<64x64xf32, #tl.fragment>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @both(%C: memref<16x8xf16>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      // expected-error @+1 {{tl.mma_accumulator and a different tl.layout are both set}}
      %FC = memref.alloca() {tl.mma_accumulator = "m16n8k16", tl.layout = #tl.fragment_layout<affine_map<(r, c) -> (r * 2 + c floordiv 4, c mod 4)>, 32 : i64, 1 : i64>} : memref<16x8xf32, #tl.fragment>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @wgmma_n_too_large(%C: memref<64x264xf16>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      // expected-error @+1 {{tl.mma_accumulator must be "m16n8k16" (mma.sync's accumulator) or "m64nNk16" with N a multiple of 8 in [8, 256] (wgmma's)}}
      %FC = memref.alloca() {tl.mma_accumulator = "m64n264k16"} : memref<64x264xf32, #tl.fragment>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @wgmma_leading_zero(%C: memref<64x64xf16>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      // expected-error @+1 {{tl.mma_accumulator must be "m16n8k16" (mma.sync's accumulator) or "m64nNk16" with N a multiple of 8 in [8, 256] (wgmma's)}}
      %FC = memref.alloca() {tl.mma_accumulator = "m64n064k16"} : memref<64x64xf32, #tl.fragment>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @wgmma_trailing(%C: memref<64x64xf16>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      // expected-error @+1 {{tl.mma_accumulator must be "m16n8k16" (mma.sync's accumulator) or "m64nNk16" with N a multiple of 8 in [8, 256] (wgmma's)}}
      %FC = memref.alloca() {tl.mma_accumulator = "m64n64k16x"} : memref<64x64xf32, #tl.fragment>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @wgmma_f16(%C: memref<64x64xf16>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      // expected-error @+1 {{tl.mma_accumulator = "m64n64k16" (wgmma) accumulates in f32 here, but the fragment holds another type}}
      %FC = memref.alloca() {tl.mma_accumulator = "m64n64k16"} : memref<64x64xf16, #tl.fragment>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @wgmma_rows(%C: memref<64x128xf16>) kernel attributes {known_block_size = array<i32: 256, 1, 1>} {
      // expected-error @+1 {{tl.mma_accumulator = "m64n128k16" needs 64 rows per warpgroup and whole n-tiles: a [128, C] fragment with C a multiple of 128 for 256 threads, got [64, 128]}}
      %FC = memref.alloca() {tl.mma_accumulator = "m64n128k16"} : memref<64x128xf32, #tl.fragment>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @wgmma_columns(%C: memref<64x96xf16>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      // expected-error @+1 {{tl.mma_accumulator = "m64n64k16" needs 64 rows per warpgroup and whole n-tiles: a [64, C] fragment with C a multiple of 64 for 128 threads, got [64, 96]}}
      %FC = memref.alloca() {tl.mma_accumulator = "m64n64k16"} : memref<64x96xf32, #tl.fragment>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @wgmma_warps(%C: memref<64x64xf16>) kernel attributes {known_block_size = array<i32: 96, 1, 1>} {
      // expected-error @+1 {{tl.mma_accumulator = "m64n64k16" needs whole warpgroups, but the block has 96 threads, not a multiple of 128}}
      %FC = memref.alloca() {tl.mma_accumulator = "m64n64k16"} : memref<64x64xf32, #tl.fragment>
      gpu.return
    }
  }
}
