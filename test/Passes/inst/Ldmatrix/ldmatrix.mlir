// ldmatrix (docs/mma-copies.md): the inferred mma fragment layout, the
// selection, the transposed layout and the lowering.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts | FileCheck %s --check-prefix=INFER
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts=report -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts --tl-lower-copy | FileCheck %s --check-prefix=LOWER

// Two warps, a 32x24 f16 tile: warp w owns rows [16w, 16w + 16); six 8x8
// matrices per warp: one x4 and one x2. The fragment -> global copy uses
// the same layout (SIMT, per-thread bit decomposition of the thread id).
// INFER: #[[MMA:map[0-9]*]] = affine_map<(d0, d1) -> ((d0 floordiv 16) * 32 + (d0 mod 8) * 4 + (d1 mod 8) floordiv 2, ((d1 floordiv 8) * 2 + (d0 mod 16) floordiv 8) * 2 + d1 mod 2)>
// INFER-LABEL: gpu.func @ld
// INFER: memref.alloca() {tl.layout = #tl.fragment_layout<#[[MMA]], 64 : i64, 1 : i64>}
// INFER: inst = "cp_async"
// INFER: inst = "ldmatrix", thread_map = #tl.fragment_layout<#[[MMA]], 64 : i64, 1 : i64>, vector_width = 2 : i64
// INFER: inst = "simt", thread_map = #tl.fragment_layout<#[[MMA]], 64 : i64, 1 : i64>, vector_width = 2 : i64
// REPORT: shared->fragment [32x24] f16->f16: ldmatrix, v=2 (4-byte), 64 threads, 6 chunks per thread
// LOWER-LABEL: gpu.func @ld
// LOWER: memref.alloca() {alignment = 16 : i64} : memref<12xf16>
// LOWER: nvvm.cp.async.wait.group 0
// LOWER: gpu.barrier
// LOWER: %[[P:.*]] = llvm.inttoptr %{{.*}} : i64 to !llvm.ptr<3>
// LOWER: nvvm.ldmatrix %[[P]] {eltType = #nvvm.ld_st_matrix_elt_type<b16>, layout = #nvvm.mma_layout<row>, num = 4 : i32, shape = #nvvm.ld_st_matrix_shape<m = 8, n = 8>} : (!llvm.ptr<3>) -> !llvm.struct<(i32, i32, i32, i32)>
// LOWER-COUNT-4: llvm.bitcast %{{.*}} : i32 to vector<2xf16>
// LOWER: nvvm.ldmatrix %{{.*}} {{.*}}num = 2 : i32{{.*}} -> !llvm.struct<(i32, i32)>
// LOWER-NOT: nvvm.ldmatrix
// LOWER: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @ld(%A: memref<64x64xf16>, %B: memref<64x64xf16>)
        workgroup(%S: memref<32x24xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      %c0 = arith.constant 0 : index
      %F = memref.alloca() : memref<32x24xf16, #tl.fragment>
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 32, 24>} : (memref<64x64xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32x24xf16, #gpu.address_space<workgroup>>) -> ()
      "tl.copy"(%S, %F) : (memref<32x24xf16, #gpu.address_space<workgroup>>, memref<32x24xf16, #tl.fragment>) -> ()
      %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 32, 24>} : (memref<64x64xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%F, %b) : (memref<32x24xf16, #tl.fragment>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// A user tl.layout that is the transposed mma layout: ldmatrix .trans
// (mma_trans = true; #nvvm.mma_layout<col>).
// INFER-LABEL: gpu.func @trans
// INFER: inst = "ldmatrix", mma_trans = true
// LOWER-LABEL: gpu.func @trans
// LOWER: nvvm.ldmatrix {{.*}}layout = #nvvm.mma_layout<col>, num = 4 : i32
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_75">] {
    gpu.func @trans(%B: memref<64x64xbf16>)
        workgroup(%S: memref<16x16xbf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %F = memref.alloca() {tl.layout = #tl.fragment_layout<affine_map<(d0, d1) -> ((d0 floordiv 16) * 32 + (d1 mod 8) * 4 + (d0 mod 8) floordiv 2, ((d1 floordiv 8) * 2 + (d0 mod 16) floordiv 8) * 2 + d0 mod 2)>, 32 : i64, 1 : i64>} : memref<16x16xbf16, #tl.fragment>
      "tl.copy"(%S, %F) : (memref<16x16xbf16, #gpu.address_space<workgroup>>, memref<16x16xbf16, #tl.fragment>) -> ()
      %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 16, 16>} : (memref<64x64xbf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%F, %b) : (memref<16x16xbf16, #tl.fragment>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// Fallbacks: sm_70 (no ldmatrix), f32, a tile that is not a multiple of
// the warp tiling, a shared row that is not 16-byte aligned: SIMT with
// the default layout, and the reason in the report.
// INFER-LABEL: gpu.func @fallback
// INFER-NOT: ldmatrix
// REPORT: shared->fragment [16x16] f16->f16: simt, v=8 (16-byte), 32 threads, 1 chunk per thread (ldmatrix not used: chip sm_70 has no ldmatrix (sm_75+))
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_70">] {
    gpu.func @fallback()
        workgroup(%S: memref<16x16xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %F = memref.alloca() : memref<16x16xf16, #tl.fragment>
      "tl.copy"(%S, %F) : (memref<16x16xf16, #gpu.address_space<workgroup>>, memref<16x16xf16, #tl.fragment>) -> ()
      gpu.return
    }
  }
}

// -----

// REPORT: shared->fragment [16x16] f32->f32: simt, v=4 (16-byte), 32 threads, 2 chunks per thread (ldmatrix not used: ldmatrix/stmatrix move 16-bit elements of one type)
// REPORT: shared->fragment [12x16] f16->f16: simt, v=8 (16-byte), 32 threads, 1 chunk per thread (ldmatrix not used: the tile [12, 16] is not a multiple of the warp tiling [8, 8] (1 warps along the rows, 8x8 matrices)
// REPORT: shared->fragment [16x16] f16->f16: simt, v=4 (8-byte), 32 threads, 2 chunks per thread (ldmatrix not used: the shared rows are not 16-byte aligned: the source index of dimension 1 is only known to be divisible by 4)
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @fallback2()
        workgroup(%S: memref<16x16xf32, #gpu.address_space<workgroup>>, %T: memref<12x16xf16, #gpu.address_space<workgroup>>, %U: memref<16x32xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c4 = arith.constant 4 : index
      %F = memref.alloca() : memref<16x16xf32, #tl.fragment>
      "tl.copy"(%S, %F) : (memref<16x16xf32, #gpu.address_space<workgroup>>, memref<16x16xf32, #tl.fragment>) -> ()
      %G = memref.alloca() : memref<12x16xf16, #tl.fragment>
      "tl.copy"(%T, %G) : (memref<12x16xf16, #gpu.address_space<workgroup>>, memref<12x16xf16, #tl.fragment>) -> ()
      %H = memref.alloca() : memref<16x16xf16, #tl.fragment>
      %u = "tl.region"(%U, %c0, %c4) {access = 1 : i32, extents = array<i64: 16, 16>} : (memref<16x32xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      "tl.copy"(%u, %H) : (!tl.buffer_region, memref<16x16xf16, #tl.fragment>) -> ()
      gpu.return
    }
  }
}
