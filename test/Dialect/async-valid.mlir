// Valid uses of the split-phase ops (design.md §3.1): tl-verify accepts
// them, and they print back unchanged.
// RUN: tl-opt %s | FileCheck %s
// RUN: tl-opt %s --tl-verify --verify-diagnostics
// RUN: tl-opt %s --mlir-print-op-generic | tl-opt | FileCheck %s
// Round trip: print, re-parse, print again: the same text.
// RUN: tl-opt %s -o %t.1 && tl-opt %t.1 -o %t.2 && diff %t.1 %t.2

// CHECK: module attributes {gpu.container_module}
module attributes {gpu.container_module} {
  gpu.module @kernels [#nvvm.target<chip = "sm_90a">] {

    // Two copies in flight on different buffers, both reading %A; the
    // source is read (not written) between issue and wait; an empty
    // tl.wait does nothing.
    // CHECK-LABEL: gpu.func @two_in_flight
    gpu.func @two_in_flight(%A: memref<512x512xf32>, %B: memref<512x512xf32>, %C: memref<64x64xf32>)
        workgroup(%S0: memref<64x64xf32, #gpu.address_space<workgroup>>, %S1: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c64 = arith.constant 64 : index
      // CHECK: %[[A0:.*]] = "tl.region"(%{{.*}}, %{{.*}}, %{{.*}}) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      %a0 = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      // CHECK-NEXT: %[[T0:.*]] = "tl.copy_async"(%[[A0]], %{{.*}}) {eviction_policy = "evict_first"} : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> !tl.token
      %t0 = "tl.copy_async"(%a0, %S0) {eviction_policy = "evict_first"} : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> !tl.token
      // CHECK-NEXT: %[[A1:.*]] = "tl.region"
      %a1 = "tl.region"(%A, %c0, %c64) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      // CHECK-NEXT: %[[T1:.*]] = "tl.copy_async"(%[[A1]], %{{.*}}) : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> !tl.token
      %t1 = "tl.copy_async"(%a1, %S1) : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> !tl.token
      // CHECK-NEXT: "tl.copy"(%[[A0]], %{{.*}}) : (!tl.buffer_region, memref<64x64xf32>) -> ()
      "tl.copy"(%a0, %C) : (!tl.buffer_region, memref<64x64xf32>) -> ()
      // CHECK-NEXT: "tl.wait"() : () -> ()
      "tl.wait"() : () -> ()
      // CHECK-NEXT: "tl.wait"(%[[T0]], %[[T1]]) : (!tl.token, !tl.token) -> ()
      "tl.wait"(%t0, %t1) : (!tl.token, !tl.token) -> ()
      // After the wait the destinations hold the copies.
      // CHECK-NEXT: %[[B0:.*]] = "tl.region"
      %b0 = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      // CHECK-NEXT: "tl.copy"(%{{.*}}, %[[B0]])
      "tl.copy"(%S0, %b0) : (memref<64x64xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      %b1 = "tl.region"(%B, %c0, %c64) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      "tl.copy"(%S1, %b1) : (memref<64x64xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }

    // Waits in any order, one per token; the same buffer again once its
    // copy is waited; a copy inside a loop body, waited in that body.
    // CHECK-LABEL: gpu.func @reuse
    gpu.func @reuse(%A: memref<64x64xf32>, %B: memref<64x64xf32>, %n: index)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>, %R: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      // CHECK: %[[U0:.*]] = "tl.copy_async"(%{{.*}}, %{{.*}}) : (memref<64x64xf32>, memref<64x64xf32, #gpu.address_space<workgroup>>) -> !tl.token
      %u0 = "tl.copy_async"(%A, %S) : (memref<64x64xf32>, memref<64x64xf32, #gpu.address_space<workgroup>>) -> !tl.token
      // CHECK-NEXT: %[[U1:.*]] = "tl.copy_async"(%{{.*}}, %{{.*}}) : (memref<64x64xf32>, memref<64x64xf32, #gpu.address_space<workgroup>>) -> !tl.token
      %u1 = "tl.copy_async"(%B, %R) : (memref<64x64xf32>, memref<64x64xf32, #gpu.address_space<workgroup>>) -> !tl.token
      // CHECK-NEXT: "tl.wait"(%[[U1]]) : (!tl.token) -> ()
      "tl.wait"(%u1) : (!tl.token) -> ()
      // CHECK-NEXT: "tl.wait"(%[[U0]]) : (!tl.token) -> ()
      "tl.wait"(%u0) : (!tl.token) -> ()
      // CHECK-NEXT: "tl.copy"
      "tl.copy"(%R, %S) : (memref<64x64xf32, #gpu.address_space<workgroup>>, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      // CHECK: scf.for
      scf.for %k = %c0 to %n step %c1 {
        // CHECK-NEXT: %[[V:.*]] = "tl.copy_async"
        %v = "tl.copy_async"(%S, %A) : (memref<64x64xf32, #gpu.address_space<workgroup>>, memref<64x64xf32>) -> !tl.token
        // CHECK-NEXT: "tl.wait"(%[[V]]) : (!tl.token) -> ()
        "tl.wait"(%v) : (!tl.token) -> ()
      }
      gpu.return
    }

    // Two stores of different tiles of one global matrix in flight at once
    // (tl orders tl ops on shared memory only, design.md §3.1), and a read
    // of the shared source of one of them meanwhile.
    // CHECK-LABEL: gpu.func @tiles_of_one_matrix
    gpu.func @tiles_of_one_matrix(%A: memref<128x64xf32>, %B: memref<128x64xf32>)
        workgroup(%S0: memref<64x64xf32, #gpu.address_space<workgroup>>, %S1: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c64 = arith.constant 64 : index
      %b0 = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<128x64xf32>, index, index) -> !tl.buffer_region
      %b1 = "tl.region"(%B, %c64, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<128x64xf32>, index, index) -> !tl.buffer_region
      // CHECK: %[[W0:.*]] = "tl.copy_async"
      %w0 = "tl.copy_async"(%S0, %b0) : (memref<64x64xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> !tl.token
      // CHECK: %[[W1:.*]] = "tl.copy_async"
      %w1 = "tl.copy_async"(%S1, %b1) : (memref<64x64xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> !tl.token
      %a0 = "tl.region"(%A, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<128x64xf32>, index, index) -> !tl.buffer_region
      // CHECK: "tl.copy"
      "tl.copy"(%S0, %a0) : (memref<64x64xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      // CHECK: "tl.wait"(%[[W1]], %[[W0]]) : (!tl.token, !tl.token) -> ()
      "tl.wait"(%w1, %w0) : (!tl.token, !tl.token) -> ()
      gpu.return
    }

    // tl.c2d_im2col_async: two col tiles in flight (one a region of a
    // larger buffer) and a copy_async, completed by one wait in another
    // order.
    // CHECK-LABEL: gpu.func @im2col_tiles
    gpu.func @im2col_tiles(%Img: memref<2x9x7x16xf16>, %A: memref<32x16xf16>)
        workgroup(%S0: memref<32x16xf16, #gpu.address_space<workgroup>>, %S1: memref<64x16xf16, #gpu.address_space<workgroup>>, %S2: memref<32x16xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c32 = arith.constant 32 : index
      // CHECK: %[[I0:.*]] = "tl.c2d_im2col_async"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) {dilation = 1 : i64, kernel = 3 : i64, pad = 1 : i64, stride = 2 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %i0 = "tl.c2d_im2col_async"(%Img, %S0, %c0, %c0) {kernel = 3 : i64, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
      %r = "tl.region"(%S1, %c32, %c0) {access = 2 : i32, extents = array<i64: 32, 16>} : (memref<64x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      // CHECK: %[[I1:.*]] = "tl.c2d_im2col_async"
      %i1 = "tl.c2d_im2col_async"(%Img, %r, %c1, %c0) {kernel = array<i64: 3, 3>, stride = 2 : i64, dilation = 1 : i64, pad = 1 : i64, eviction_policy = "evict_first"} : (memref<2x9x7x16xf16>, !tl.buffer_region, index, index) -> !tl.token
      // CHECK: %[[C:.*]] = "tl.copy_async"
      %c = "tl.copy_async"(%A, %S2) : (memref<32x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>) -> !tl.token
      // CHECK: "tl.wait"(%[[I1]], %[[C]], %[[I0]]) : (!tl.token, !tl.token, !tl.token) -> ()
      "tl.wait"(%i1, %c, %i0) : (!tl.token, !tl.token, !tl.token) -> ()
      gpu.return
    }
    // Beyond one block (design.md §3.1): a predicated copy_async, a
    // tl.join, tokens carried by an scf.for (init, rotation, results) and
    // waited in the body and after it: tl-pipeline's form.
    // CHECK-LABEL: gpu.func @carried
    gpu.func @carried(%A: memref<4096xf32>, %n: index, %p: i1)
        workgroup(%S: memref<2x32xf32, #gpu.address_space<workgroup>>, %T: memref<2x32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %a = "tl.region"(%A, %c0) {access = 1 : i32, extents = array<i64: 32>} : (memref<4096xf32>, index) -> !tl.buffer_region
      %s0 = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 32>} : (memref<2x32xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %t0 = "tl.region"(%T, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 32>} : (memref<2x32xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      // CHECK: %[[X:.*]] = "tl.copy_async"(%{{.*}}, %{{.*}}, %{{.*}}) : (!tl.buffer_region, !tl.buffer_region, i1) -> !tl.token
      %x = "tl.copy_async"(%a, %s0, %p) : (!tl.buffer_region, !tl.buffer_region, i1) -> !tl.token
      %y = "tl.copy_async"(%a, %t0, %p) : (!tl.buffer_region, !tl.buffer_region, i1) -> !tl.token
      // CHECK: %[[J:.*]] = "tl.join"(%[[X]], %{{.*}}) : (!tl.token, !tl.token) -> !tl.token
      %j = "tl.join"(%x, %y) : (!tl.token, !tl.token) -> !tl.token
      // CHECK: %[[R:.*]] = scf.for %{{.*}} iter_args(%[[K:.*]] = %[[J]]) -> (!tl.token) {
      %r = scf.for %i = %c0 to %n step %c1 iter_args(%k = %j) -> (!tl.token) {
        // CHECK: "tl.wait"(%[[K]]) : (!tl.token) -> ()
        "tl.wait"(%k) : (!tl.token) -> ()
        %s1 = "tl.region"(%S, %c1, %c0) {access = 2 : i32, extents = array<i64: 1, 32>} : (memref<2x32xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
        %z = "tl.copy_async"(%a, %s1) : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
        scf.yield %z : !tl.token
      }
      // CHECK: "tl.wait"(%[[R]]) : (!tl.token) -> ()
      "tl.wait"(%r) : (!tl.token) -> ()
      gpu.return
    }
  }
}
