// SIMT im2col into a swizzled col tile (inst/SimtIm2Col.c): where TMA im2col
// cannot write a tile a wgmma descriptor reads (disable_tma, sm_80, a
// swizzle span that is not one pixel's BK channels, or C not a multiple of
// BK), the threads write it through the swizzle: the store's byte offset o
// becomes o ^ (((o >> 7) & (span/16 - 1)) << 4) in the buffer's flat view.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts | FileCheck %s --check-prefix=INFER
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts --tl-lower-copy --tl-lower-im2col | FileCheck %s
// The swizzled stores compile to PTX:
// RUN: tl-opt %s -split-input-file --tl-to-nvvm=format=isa -o /dev/null

// disable_tma: SIMT, the buffer 128-byte swizzled for the descriptor.
// INFER-LABEL: gpu.func @disabled
// INFER-SAME: {llvm.align = 1024 : i64, tl.swizzle = 128 : i64}
// INFER: "tl.c2d_im2col"({{.*}}inst = "simt"
// CHECK-LABEL: gpu.func @disabled
// CHECK-DAG: %[[C2:.+]] = arith.constant 2 : index
// CHECK-DAG: %[[C4:.+]] = arith.constant 4 : index
// CHECK-DAG: %[[C7:.+]] = arith.constant 7 : index
// CHECK-DAG: %[[C64:.+]] = arith.constant 64 : index
// CHECK: %[[FLAT:.+]] = memref.collapse_shape %arg2 {{\[}}[0, 1]] : memref<128x64xf16, #gpu.address_space<workgroup>> into memref<8192xf16, #gpu.address_space<workgroup>>
// CHECK: %[[I:.+]] = arith.divui %{{.+}}, %[[C64]] : index
// CHECK: %[[J:.+]] = arith.remui %{{.+}}, %[[C64]] : index
// CHECK: %[[V:.+]] = scf.if %{{.+}} -> (vector<8xf16>) {
// CHECK: %[[R:.+]] = arith.muli %[[I]], %[[C64]] : index
// CHECK-NEXT: %[[L:.+]] = arith.addi %[[R]], %[[J]] : index
// CHECK-NEXT: %[[O:.+]] = arith.muli %[[L]], %[[C2]] : index
// CHECK-NEXT: %[[SH:.+]] = arith.shrui %[[O]], %[[C7]] : index
// CHECK-NEXT: %[[ROW:.+]] = arith.andi %[[SH]], %[[C7]] : index
// CHECK-NEXT: %[[X:.+]] = arith.shli %[[ROW]], %[[C4]] : index
// CHECK-NEXT: %[[O2:.+]] = arith.xori %[[O]], %[[X]] : index
// CHECK-NEXT: %[[F:.+]] = arith.divui %[[O2]], %[[C2]] : index
// CHECK-NEXT: vector.store %[[V]], %[[FLAT]][%[[F]]] {alignment = 16 : i64} : memref<8192xf16, #gpu.address_space<workgroup>>, vector<8xf16>
// CHECK-NOT: vector.store %{{.+}}, %arg2[
// CHECK: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @disabled(%Img: memref<2x8x8x64xf16>, %O: memref<1xi64>) workgroup(%S: memref<128x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      "tl.c2d_im2col"(%Img, %S, %c0, %c0) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, disable_tma} : (memref<2x8x8x64xf16>, memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      %r = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 16>} : (memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
      memref.store %d, %O[%c0] : memref<1xi64>
      gpu.return
    }
  }
}

// -----

// A 64-byte swizzle over 128-byte rows (TMA im2col writes one pixel's BK
// channels as one swizzle row, so it cannot): SIMT, span/16 - 1 = 3.
// INFER-LABEL: gpu.func @span
// INFER: "tl.c2d_im2col"({{.*}}inst = "simt"
// CHECK-LABEL: gpu.func @span
// CHECK-DAG: %[[C3:.+]] = arith.constant 3 : index
// CHECK: %[[FLAT:.+]] = memref.collapse_shape
// CHECK: %[[SH:.+]] = arith.shrui
// CHECK-NEXT: %[[ROW:.+]] = arith.andi %[[SH]], %[[C3]] : index
// CHECK: vector.store %{{.+}}, %[[FLAT]][%{{.+}}]
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @span(%Img: memref<2x8x8x64xf16>) workgroup(%S: memref<128x64xf16, #gpu.address_space<workgroup>> {tl.swizzle = 64 : i64}) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      "tl.c2d_im2col"(%Img, %S, %c0, %c0) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x8x8x64xf16>, memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}

// -----

// sm_80 has no TMA: a split-phase SIMT im2col into a swizzled N-way stage;
// its wait is a barrier without fence.proxy.async (no async proxy there).
// INFER-LABEL: gpu.func @sm80
// INFER: "tl.c2d_im2col_async"({{.*}}inst = "simt"
// CHECK-LABEL: gpu.func @sm80
// CHECK-SAME: llvm.align = 1024 : i64, tl.swizzle = 128 : i64
// CHECK: %[[FLAT:.+]] = memref.collapse_shape %{{.+}} {{\[}}[0, 1, 2]] : memref<2x64x64xf16, #gpu.address_space<workgroup>> into memref<8192xf16, #gpu.address_space<workgroup>>
// CHECK: arith.xori
// CHECK: vector.store %{{.+}}, %[[FLAT]][%{{.+}}]
// CHECK-NOT: nvvm.fence.proxy
// CHECK: gpu.barrier
// CHECK-NEXT: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @sm80(%Img: memref<2x8x8x64xf16>, %s: index) workgroup(%S: memref<2x64x64xf16, #gpu.address_space<workgroup>> {tl.swizzle = 128 : i64}) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %r = "tl.region"(%S, %s, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 64, 64>} : (memref<2x64x64xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      %t = "tl.c2d_im2col_async"(%Img, %r, %c0, %c0) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x8x8x64xf16>, !tl.buffer_region, index, index) -> !tl.token
      "tl.wait"(%t) : (!tl.token) -> ()
      gpu.return
    }
  }
}

// -----

// One tl.wait of two SIMT tiles hands them over once: one fence, one
// barrier for both.
// INFER-LABEL: gpu.func @one_wait
// CHECK-LABEL: gpu.func @one_wait
// CHECK: nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// CHECK-NEXT: gpu.barrier
// CHECK-NOT: nvvm.fence.proxy
// CHECK: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @one_wait(%Img: memref<2x8x8x64xf16>) workgroup(%S0: memref<64x64xf16, #gpu.address_space<workgroup>>, %S1: memref<64x64xf16, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %t0 = "tl.c2d_im2col_async"(%Img, %S0, %c0, %c0) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, disable_tma} : (memref<2x8x8x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %t1 = "tl.c2d_im2col_async"(%Img, %S1, %c0, %c1) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, disable_tma} : (memref<2x8x8x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      "tl.wait"(%t0, %t1) : (!tl.token, !tl.token) -> ()
      gpu.return
    }
  }
}
