// TMA im2col (docs/im2col.md, "The TMA path"): tl-infer-layouts picks
// inst = "tma_im2col" on sm_90+ when the descriptor is legal, else SIMT with
// the reason in the report; tl-lower-im2col emits the tensor-map parameter,
// the mbarrier and the cp.async.bulk.tensor im2col load.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts=prefer-tma=true | FileCheck %s --check-prefix=INFER
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts="report=true prefer-tma=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts=prefer-tma=true --tl-lower-im2col | FileCheck %s
// Idempotence: a second tl-infer-layouts keeps tma_im2col.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts=prefer-tma=true > %t.1
// RUN: tl-opt %t.1 -split-input-file --tl-infer-layouts=prefer-tma=true | diff - %t.1

// Stride 2 with OW != W: corners {-P, -P} and {P - (K-1)D, P - (K-1)D},
// element strides {1, S, S, 1}, dims (C, W, H, N), byte strides.
// CHECK: memref.global "private" @__tl_mbar_stride2 : memref<1xi64, #gpu.address_space<workgroup>> {alignment = 8 : i64}
// INFER: "tl.c2d_im2col"{{.*}}inst = "tma_im2col"
// REPORT: tma-im2col.mlir:[[@LINE+25]]:7: tl.c2d_im2col global->shared [32x16] f16->f16: tma_im2col
// CHECK-LABEL: gpu.func @stride2
// CHECK-SAME: %[[MAP:[a-z0-9_]+]]: !llvm.ptr {tl.tensor_map = {buffer = 0 : i64, channels_per_pixel = 16 : i64, data_type = 6 : i64, element_strides = array<i64: 1, 2, 2, 1>, global_dim = array<i64: 16, 7, 9, 2>, global_strides = array<i64: 32, 224, 2016>, kind = "im2col", l2_promotion = 2 : i64, lower_corner = array<i64: -1, -1>, pixels_per_column = 32 : i64, swizzle = 0 : i64, upper_corner = array<i64: -1, -1>}})
// CHECK-SAME: workgroup(%{{[a-z0-9_]+}} : memref<32x16xf16, #gpu.address_space<workgroup>> {llvm.align = 128 : i64})
// CHECK-SAME: tl.tensor_map_args = array<i64: 2>
// CHECK: nvvm.mbarrier.init %{{.*}}, %{{.*}} : !llvm.ptr<3>, i32
// CHECK-NEXT: nvvm.fence.mbarrier.init
// CHECK: gpu.barrier
// CHECK: %[[PHASE:[a-z0-9_]+]] = memref.alloca() : memref<i32>
// CHECK: scf.if
// CHECK: llvm.inttoptr %{{.*}} : i64 to !llvm.ptr<7>
// CHECK: %[[C1024:[a-z0-9_]+]] = arith.constant 1024 : i32
// CHECK-NEXT: nvvm.mbarrier.arrive.expect_tx %[[B:[a-z0-9_]+]], %[[C1024]] : !llvm.ptr<3>, i32
// CHECK: nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[MAP]], %[[B]], box[%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] im2col[%{{.*}}, %{{.*}}] {mode = #nvvm.tma_load_mode<im2col>} : !llvm.ptr<7>, !llvm.ptr
// CHECK: %[[BITS:[a-z0-9_]+]] = memref.load %[[PHASE]][] : memref<i32>
// CHECK: nvvm.mbarrier.try_wait.parity %[[B]], %{{.*}}, %{{.*}} : !llvm.ptr<3>, i32, i32
// CHECK: arith.xori %[[BITS]]
// CHECK-NOT: tl.c2d_im2col
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @stride2(%Img: memref<2x9x7x16xf16>, %Col: memref<40x144xf16>)
        workgroup(%S: memref<32x16xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %bx = gpu.block_id x
      %by = gpu.block_id y
      "tl.c2d_im2col"(%Img, %S, %bx, %by) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}

// -----

// Per axis: kernel (3, 2), stride (1, 2), pad (1, 0), dilation (2, 1): the
// corner arrays are W first: lower {-PW, -PH} = {0, -1}, upper
// {PW - (KW-1)DW, PH - (KH-1)DH} = {-1, -3}. The col tile is a region of a
// larger buffer at a 128-byte aligned row; f32 with BK = 32.
// REPORT: tma-im2col.mlir:[[@LINE+14]]:7: tl.c2d_im2col global->shared [64x32] f32->f32: tma_im2col
// CHECK-LABEL: gpu.func @nonsquare
// CHECK-SAME: element_strides = array<i64: 1, 2, 1, 1>, global_dim = array<i64: 64, 10, 8, 2>, global_strides = array<i64: 256, 2560, 20480>, kind = "im2col", l2_promotion = 2 : i64, lower_corner = array<i64: 0, -1>, pixels_per_column = 64 : i64, swizzle = 0 : i64, upper_corner = array<i64: -1, -3>
// CHECK: nvvm.cp.async.bulk.tensor.shared.cluster.global {{.*}} im2col[
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @nonsquare(%Img: memref<2x8x10x64xf32>, %Col: memref<40x384xf32>)
        workgroup(%S: memref<128x32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 64, 2, 1>} {
      %c0 = arith.constant 0 : index
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %t = "tl.region"(%S, %c64, %c0) {access = 2 : i32, extents = array<i64: 64, 32>} : (memref<128x32xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      "tl.c2d_im2col"(%Img, %t, %bx, %by) {kernel = array<i64: 3, 2>, stride = array<i64: 1, 2>, dilation = array<i64: 2, 1>, pad = array<i64: 1, 0>} : (memref<2x8x10x64xf32>, !tl.buffer_region, index, index) -> ()
      gpu.return
    }
  }
}

// -----

// Fallbacks to SIMT, each with its reason.
// INFER-LABEL: gpu.func @fallbacks
// INFER-NOT: tma_im2col
// REPORT: tma-im2col.mlir:[[@LINE+24]]:7: tl.c2d_im2col global->shared [64x16] f16->f16: simt, {{.*}} (TMA not used: C = 24 is not a multiple of BK = 16)
// REPORT: tma-im2col.mlir:[[@LINE+24]]:7: tl.c2d_im2col global->shared [64x4] f16->f16: simt, {{.*}} (TMA not used: BK = 4 is 8 bytes, not a multiple of 16)
// REPORT: tma-im2col.mlir:[[@LINE+24]]:7: tl.c2d_im2col global->shared [64x16] f16->f16: simt, {{.*}} (TMA not used: the stride (9, 9) is larger than TMA's element strides allow (8))
// REPORT: tma-im2col.mlir:[[@LINE+24]]:7: tl.c2d_im2col global->shared [64x16] f16->f16: simt, {{.*}} (TMA not used: im2col corner -130 outside [-128, 127] (pad 130, 130; (K-1)*D 2, 2))
// REPORT: tma-im2col.mlir:[[@LINE+24]]:7: tl.c2d_im2col global->shared [64x16] f16->f16: simt, {{.*}} (TMA not used: the image shape is dynamic)
// REPORT: tma-im2col.mlir:[[@LINE+24]]:7: tl.c2d_im2col global->shared [64x16] f16->f16: simt, {{.*}} (TMA not used: the col region's rows are not contiguous (its columns must be the whole buffer width))
// REPORT: tma-im2col.mlir:[[@LINE+24]]:7: tl.c2d_im2col global->shared [64x16] f16->f16: simt, {{.*}} (TMA not used: im2col offsets (K-1)*D > 127)
// REPORT: tma-im2col.mlir:[[@LINE+24]]:7: tl.c2d_im2col global->shared [64x16] f16->f16: simt, {{.*}} (TMA not used: the col region start is not provably 128-byte aligned)
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @fallbacks(%I24: memref<2x8x8x24xf16>, %I16: memref<2x8x8x16xf16>,
                        %Big: memref<2x200x200x16xf16>, %Dyn: memref<?x8x8x16xf16>)
        workgroup(%S: memref<64x16xf16, #gpu.address_space<workgroup>>,
                  %S4: memref<64x4xf16, #gpu.address_space<workgroup>>,
                  %W: memref<128x32xf16, #gpu.address_space<workgroup>>,
                  %R: memref<128x16xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c16 = arith.constant 16 : index
      %c3 = arith.constant 3 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %w = "tl.region"(%W, %c0, %c16) {access = 2 : i32, extents = array<i64: 64, 16>} : (memref<128x32xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %r = "tl.region"(%R, %c3, %c0) {access = 2 : i32, extents = array<i64: 64, 16>} : (memref<128x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      "tl.c2d_im2col"(%I24, %S, %bx, %by) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x8x8x24xf16>, memref<64x16xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      "tl.c2d_im2col"(%I16, %S4, %bx, %by) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x8x8x16xf16>, memref<64x4xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      "tl.c2d_im2col"(%Big, %S, %bx, %by) {kernel = 3 : i64, stride = 9 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x200x200x16xf16>, memref<64x16xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      "tl.c2d_im2col"(%I16, %S, %bx, %by) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 130 : i64} : (memref<2x8x8x16xf16>, memref<64x16xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      "tl.c2d_im2col"(%Dyn, %S, %bx, %by) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<?x8x8x16xf16>, memref<64x16xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      "tl.c2d_im2col"(%I16, %w, %bx, %by) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x8x8x16xf16>, !tl.buffer_region, index, index) -> ()
      "tl.c2d_im2col"(%Big, %S, %bx, %by) {kernel = 2 : i64, stride = 1 : i64, dilation = 129 : i64, pad = 65 : i64} : (memref<2x200x200x16xf16>, memref<64x16xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      "tl.c2d_im2col"(%I16, %r, %bx, %by) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x8x8x16xf16>, !tl.buffer_region, index, index) -> ()
      gpu.return
    }
  }
}

// -----

// No TMA below sm_90 (the gpu.module's target decides).
// INFER-LABEL: gpu.func @sm80
// INFER: inst = "simt"
// REPORT: tma-im2col.mlir:[[@LINE+8]]:7: tl.c2d_im2col global->shared [64x16] f16->f16: simt, {{.*}} (TMA not used: chip sm_80 has no TMA)
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @sm80(%Img: memref<2x8x8x16xf16>)
        workgroup(%S: memref<64x16xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %bx = gpu.block_id x
      %by = gpu.block_id y
      "tl.c2d_im2col"(%Img, %S, %bx, %by) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x8x8x16xf16>, memref<64x16xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}
