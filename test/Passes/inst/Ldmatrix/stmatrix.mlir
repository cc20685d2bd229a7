// stmatrix (docs/mma-copies.md): sm_90+ only.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts | FileCheck %s --check-prefix=INFER
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts=report -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts --tl-lower-copy | FileCheck %s --check-prefix=LOWER

// Four warps, a 64x64 f16 tile: 16 matrices per warp, four x4 stmatrix.
// INFER-LABEL: gpu.func @st
// INFER: inst = "simt"
// INFER: inst = "stmatrix", thread_map = #tl.fragment_layout<#{{.*}}, 128 : i64, 1 : i64>, vector_width = 2 : i64
// REPORT: fragment->shared [64x64] f16->f16: stmatrix, v=2 (4-byte), 128 threads, 16 chunks per thread
// LOWER-LABEL: gpu.func @st
// LOWER: vector.load %{{.*}} {alignment = 4 : i64} : memref<32xf16>, vector<2xf16>
// LOWER: llvm.bitcast %{{.*}} : vector<2xf16> to i32
// LOWER: nvvm.stmatrix %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {eltType = #nvvm.ld_st_matrix_elt_type<b16>, layout = #nvvm.mma_layout<row>, shape = #nvvm.ld_st_matrix_shape<m = 8, n = 8>} : !llvm.ptr<3>, i32, i32, i32, i32
// LOWER-COUNT-3: nvvm.stmatrix
// LOWER-NOT: nvvm.stmatrix
// LOWER: gpu.barrier
// LOWER: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @st(%A: memref<256x256xf16>, %B: memref<256x256xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %F = memref.alloca() : memref<64x64xf16, #tl.fragment>
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %F) : (!tl.buffer_region, memref<64x64xf16, #tl.fragment>) -> ()
      "tl.copy"(%F, %S) : (memref<64x64xf16, #tl.fragment>, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%S, %b) {disable_tma} : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// sm_80 has no stmatrix: SIMT with the default layout, and the reason.
// INFER-LABEL: gpu.func @st80
// INFER-NOT: stmatrix
// REPORT: fragment->shared [16x16] f16->f16: simt, v=8 (16-byte), 32 threads, 1 chunk per thread (stmatrix not used: chip sm_80 has no stmatrix (sm_90+))
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @st80()
        workgroup(%S: memref<16x16xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %F = memref.alloca() : memref<16x16xf16, #tl.fragment>
      "tl.copy"(%F, %S) : (memref<16x16xf16, #tl.fragment>, memref<16x16xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}
