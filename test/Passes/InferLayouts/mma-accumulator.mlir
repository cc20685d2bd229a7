// tl.mma_accumulator = "m16n8k16" on a fragment: tl-infer-layouts gives it
// mma.sync's accumulator layout (copy/MmaLayout.c, docs/mma-interop.md),
// the map checked on the GPU by test/GPU/gen_gemm.py (where it is written
// out by hand): warp r/16, lane (r%8)*4 + (c%8)/2, n-tile c/8's locals
// 4(c/8) .. 4(c/8)+3.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts | FileCheck %s
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts | tl-opt -split-input-file --tl-infer-layouts | FileCheck %s

// CHECK: #[[ACC:map[0-9]*]] = affine_map<(d0, d1) -> ((d0 floordiv 16) * 32 + (d0 mod 8) * 4 + (d1 mod 8) floordiv 2, (d1 floordiv 8) * 4 + ((d0 mod 16) floordiv 8) * 2 + d1 mod 2)>
// CHECK-LABEL: gpu.func @four_warps
// CHECK: memref.alloca() {tl.layout = #tl.fragment_layout<#[[ACC]], 128 : i64, 1 : i64>, tl.mma_accumulator = "m16n8k16"} : memref<64x64xf32, #tl.fragment>
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @four_warps(%C: memref<64x64xf16>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %FC = memref.alloca() {tl.mma_accumulator = "m16n8k16"} : memref<64x64xf32, #tl.fragment>
      "tl.copy"(%FC, %C) : (memref<64x64xf32, #tl.fragment>, memref<64x64xf16>) -> ()
      gpu.return
    }
  }
}

// -----

// One warp, one 16 x 8 tile (gen_mma.py's), f16 accumulators.
// CHECK: #[[ONE:map[0-9]*]] = affine_map<(d0, d1) -> ((d0 floordiv 16) * 32 + (d0 mod 8) * 4 + (d1 mod 8) floordiv 2, (d1 floordiv 8) * 4 + ((d0 mod 16) floordiv 8) * 2 + d1 mod 2)>
// CHECK-LABEL: gpu.func @one_warp
// CHECK: memref.alloca() {tl.layout = #tl.fragment_layout<#[[ONE]], 32 : i64, 1 : i64>, tl.mma_accumulator = "m16n8k16"} : memref<16x8xf16, #tl.fragment>
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @one_warp(%C: memref<16x8xf16>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %FC = memref.alloca() {tl.mma_accumulator = "m16n8k16"} : memref<16x8xf16, #tl.fragment>
      "tl.copy"(%FC, %C) : (memref<16x8xf16, #tl.fragment>, memref<16x8xf16>) -> ()
      gpu.return
    }
  }
}

// -----

// wgmma m64n64k16 over two warpgroups (8 warps): the same per-warp map,
// warp r/16 of the 256 threads; two n64 tiles side by side (C = 128) take
// locals 0-31 and 32-63.
// CHECK: #[[WG:map[0-9]*]] = affine_map<(d0, d1) -> ((d0 floordiv 16) * 32 + (d0 mod 8) * 4 + (d1 mod 8) floordiv 2, (d1 floordiv 8) * 4 + ((d0 mod 16) floordiv 8) * 2 + d1 mod 2)>
// CHECK-LABEL: gpu.func @two_warpgroups
// CHECK: memref.alloca() {tl.layout = #tl.fragment_layout<#[[WG]], 256 : i64, 1 : i64>, tl.mma_accumulator = "m64n64k16"} : memref<128x128xf32, #tl.fragment>
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @two_warpgroups(%C: memref<128x128xf16>) kernel attributes {known_block_size = array<i32: 256, 1, 1>} {
      %FC = memref.alloca() {tl.mma_accumulator = "m64n64k16"} : memref<128x128xf32, #tl.fragment>
      "tl.copy"(%FC, %C) : (memref<128x128xf32, #tl.fragment>, memref<128x128xf16>) -> ()
      gpu.return
    }
  }
}
