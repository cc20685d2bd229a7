// Valid kernels: tl-verify accepts them, and they print back unchanged.
// RUN: tl-opt %s | FileCheck %s
// RUN: tl-opt %s --tl-verify --verify-diagnostics
// RUN: tl-opt %s --pass-pipeline='builtin.module(tl-verify,gpu.module(tl-verify),func.func(tl-verify))' | FileCheck %s
// RUN: tl-opt %s | tl-opt --tl-verify | FileCheck %s
// RUN: tl-opt %s --mlir-print-op-generic | tl-opt | FileCheck %s
// Round trip: print, re-parse, print again: the same text.
// RUN: tl-opt %s -o %t.1 && tl-opt %t.1 -o %t.2 && diff %t.1 %t.2

// The printer names the layout maps with aliases.
// CHECK-DAG: #[[MAP128:.*]] = affine_map<(d0, d1) -> ((d0 * 64 + d1) mod 128, (d0 * 64 + d1) floordiv 128)>
// CHECK-DAG: #[[MAP64:.*]] = affine_map<(d0, d1) -> ((d0 * 32 + d1) mod 64, (d0 * 32 + d1) floordiv 64)>
// CHECK: module attributes {gpu.container_module}
module attributes {gpu.container_module} {
  gpu.module @kernels [#nvvm.target<chip = "sm_90a">] {

    // design.md §2: head-address sugar (a region without extents), then an
    // explicit region.
    // CHECK-LABEL: gpu.func @copy64
    gpu.func @copy64(%A: memref<512x512xf32>, %B: memref<512x512xf32>)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %c64 : index
      %j = arith.muli %bx, %c64 : index
      // CHECK: %[[A:.*]] = "tl.region"(%{{.*}}, %{{.*}}, %{{.*}}) {access = 1 : i32} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      // CHECK-NEXT: "tl.copy"(%[[A]], %{{.*}}) {eviction_policy = "evict_first"} : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      "tl.copy"(%a, %S) {eviction_policy = "evict_first"} : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      // CHECK-NEXT: %[[B:.*]] = "tl.region"(%{{.*}}, %{{.*}}, %{{.*}}) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      // CHECK-NEXT: "tl.copy"(%{{.*}}, %[[B]]) : (memref<64x64xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      "tl.copy"(%S, %b) : (memref<64x64xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }

    // Every named attribute form; loop_layout matches 32 x 4 x 1 threads.
    // CHECK-LABEL: gpu.func @attributes
    gpu.func @attributes(%A: memref<64x64xf16, #gpu.address_space<global>>, %B: memref<64x64xf32>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 4, 1>} {
      // CHECK: "tl.copy"(%{{.*}}, %{{.*}}) {coalesced_width = 8 : i64, disable_tma, eviction_policy = "evict_normal"} : (memref<64x64xf16, #gpu.address_space<global>>, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      "tl.copy"(%A, %S) {coalesced_width = 8 : i64, disable_tma, eviction_policy = "evict_normal"} : (memref<64x64xf16, #gpu.address_space<global>>, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      // CHECK-NEXT: "tl.copy"(%{{.*}}, %{{.*}}) {disable_tma = false, eviction_policy = "evict_last", loop_layout = #tl.fragment_layout<#[[MAP128]], 128 : i64, 1 : i64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, memref<64x64xf32>) -> ()
      "tl.copy"(%S, %B) {disable_tma = false, eviction_policy = "evict_last", loop_layout = #tl.fragment_layout<affine_map<(d0, d1) -> ((d0 * 64 + d1) mod 128, (d0 * 64 + d1) floordiv 128)>, 128 : i64, 1 : i64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, memref<64x64xf32>) -> ()
      // CHECK-NEXT: "tl.copy"(%{{.*}}, %{{.*}}) {coalesced_width = 1 : i32, disable_tma = true} : (memref<64x64xf16, #gpu.address_space<global>>, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      "tl.copy"(%A, %S) {coalesced_width = 1 : i32, disable_tma = true} : (memref<64x64xf16, #gpu.address_space<global>>, memref<64x64xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }

    // annotations override the named attributes; every known entry.
    // CHECK-LABEL: gpu.func @annotations
    gpu.func @annotations(%A: memref<128x32xi8>, %i: index)
        workgroup(%S: memref<64x32xi8, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      %a = "tl.region"(%A, %i, %i) {access = 1 : i32, extents = array<i64: 64, 32>} : (memref<128x32xi8>, index, index) -> !tl.buffer_region
      // CHECK: "tl.copy"(%{{.*}}, %{{.*}}) {annotations = {coalesced_width = 4 : i64, disable_tma, eviction_policy = "evict_first", loop_layout = #tl.fragment_layout<#[[MAP64]], 64 : i64, 1 : i64>, safe_value = 0 : i8}, coalesced_width = 16 : i64, eviction_policy = "evict_last"} : (!tl.buffer_region, memref<64x32xi8, #gpu.address_space<workgroup>>) -> ()
      "tl.copy"(%a, %S) {coalesced_width = 16 : i64, eviction_policy = "evict_last", annotations = {coalesced_width = 4 : i64, disable_tma, eviction_policy = "evict_first", loop_layout = #tl.fragment_layout<affine_map<(d0, d1) -> ((d0 * 32 + d1) mod 64, (d0 * 32 + d1) floordiv 64)>, 64 : i64, 1 : i64>, safe_value = 0 : i8}} : (!tl.buffer_region, memref<64x32xi8, #gpu.address_space<workgroup>>) -> ()
      // CHECK-NEXT: "tl.copy"(%{{.*}}, %{{.*}}) {annotations = {disable_tma = false, safe_value = -1.000000e+00 : f32}} : (!tl.buffer_region, memref<64x32xi8, #gpu.address_space<workgroup>>) -> ()
      "tl.copy"(%a, %S) {annotations = {disable_tma = false, safe_value = -1.0 : f32}} : (!tl.buffer_region, memref<64x32xi8, #gpu.address_space<workgroup>>) -> ()
      // An empty dictionary is fine; so are dialect-prefixed attributes
      // (recorded by later passes), which tl-verify leaves alone.
      // CHECK-NEXT: "tl.copy"(%{{.*}}, %{{.*}}) {annotations = {}, tl.note = "by a pass"} : (!tl.buffer_region, memref<64x32xi8, #gpu.address_space<workgroup>>) -> ()
      "tl.copy"(%a, %S) {annotations = {}, tl.note = "by a pass"} : (!tl.buffer_region, memref<64x32xi8, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }

    // Fragment buffers (memref.alloca in #tl.fragment), a read-write
    // region, and a copy with a cast (f32 -> bf16).
    // CHECK-LABEL: gpu.func @fragments
    gpu.func @fragments(%A: memref<?x64xf32>, %B: memref<256x64xbf16>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c192 = arith.constant 192 : index
      %c1000 = arith.constant 1000 : index
      // CHECK: %[[F:.*]] = memref.alloca() : memref<64x64xf32, #tl.fragment>
      %F = memref.alloca() : memref<64x64xf32, #tl.fragment>
      // A constant index in a dynamic dimension is not checked against it.
      // CHECK: "tl.region"(%{{.*}}, %{{.*}}, %{{.*}}) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<?x64xf32>, index, index) -> !tl.buffer_region
      %a = "tl.region"(%A, %c1000, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<?x64xf32>, index, index) -> !tl.buffer_region
      // CHECK-NEXT: "tl.copy"(%{{.*}}, %[[F]]) : (!tl.buffer_region, memref<64x64xf32, #tl.fragment>) -> ()
      "tl.copy"(%a, %F) : (!tl.buffer_region, memref<64x64xf32, #tl.fragment>) -> ()
      // The region ends exactly at the end of the buffer (192 + 64 = 256).
      // CHECK-NEXT: "tl.region"(%{{.*}}, %{{.*}}, %{{.*}}) {access = 3 : i32, extents = array<i64: 64, 64>} : (memref<256x64xbf16>, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %c192, %c0) {access = 3 : i32, extents = array<i64: 64, 64>} : (memref<256x64xbf16>, index, index) -> !tl.buffer_region
      // CHECK-NEXT: "tl.copy"(%[[F]], %{{.*}}) : (memref<64x64xf32, #tl.fragment>, !tl.buffer_region) -> ()
      "tl.copy"(%F, %b) : (memref<64x64xf32, #tl.fragment>, !tl.buffer_region) -> ()
      // CHECK-NEXT: "tl.copy"(%{{.*}}, %{{.*}}) : (!tl.buffer_region, !tl.buffer_region) -> ()
      "tl.copy"(%b, %b) : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }

    // Scalar copies (both sides regions without extents) need no thread
    // map, so this kernel has no known_block_size. Element types may differ.
    // CHECK-LABEL: gpu.func @scalars
    gpu.func @scalars(%A: memref<16xf16>, %B: memref<4x4xi32>, %i: index) kernel {
      %c3 = arith.constant 3 : index
      %F = memref.alloca() : memref<4xf32, #tl.fragment>
      // CHECK: %[[X:.*]] = "tl.region"(%{{.*}}, %{{.*}}) {access = 1 : i32} : (memref<16xf16>, index) -> !tl.buffer_region
      %x = "tl.region"(%A, %i) {access = 1 : i32} : (memref<16xf16>, index) -> !tl.buffer_region
      // CHECK-NEXT: %[[Y:.*]] = "tl.region"(%{{.*}}, %{{.*}}) {access = 2 : i32} : (memref<4xf32, #tl.fragment>, index) -> !tl.buffer_region
      %y = "tl.region"(%F, %c3) {access = 2 : i32} : (memref<4xf32, #tl.fragment>, index) -> !tl.buffer_region
      // CHECK-NEXT: "tl.copy"(%[[X]], %[[Y]]) : (!tl.buffer_region, !tl.buffer_region) -> ()
      "tl.copy"(%x, %y) : (!tl.buffer_region, !tl.buffer_region) -> ()
      // CHECK-NEXT: %[[Z:.*]] = "tl.region"(%{{.*}}, %{{.*}}, %{{.*}}) {access = 2 : i32} : (memref<4x4xi32>, index, index) -> !tl.buffer_region
      %z = "tl.region"(%B, %c3, %c3) {access = 2 : i32} : (memref<4x4xi32>, index, index) -> !tl.buffer_region
      // CHECK-NEXT: "tl.copy"(%[[X]], %[[Z]]) : (!tl.buffer_region, !tl.buffer_region) -> ()
      "tl.copy"(%x, %z) : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }

    // im2col: square integer parameters, non-square arrays, a col region,
    // an eviction policy; the last one has an output size of exactly 1.
    // CHECK-LABEL: gpu.func @im2col
    gpu.func @im2col(%I: memref<2x32x30x64xf16>, %J: memref<1x5x9x8xf16>, %n: index, %c: index)
        workgroup(%C: memref<64x32xf16, #gpu.address_space<workgroup>>, %D: memref<128x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      // CHECK: "tl.c2d_im2col"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) {dilation = 1 : i64, kernel = 3 : i64, pad = 1 : i64, stride = 1 : i64} : (memref<2x32x30x64xf16>, memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      "tl.c2d_im2col"(%I, %C, %n, %c) {kernel = 3, stride = 1, dilation = 1, pad = 1} : (memref<2x32x30x64xf16>, memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      // CHECK-NEXT: "tl.c2d_im2col"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) {dilation = array<i64: 1, 2>, eviction_policy = "evict_last", kernel = array<i64: 3, 5>, pad = array<i64: 1, 2>, stride = array<i64: 2, 1>} : (memref<2x32x30x64xf16>, memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      "tl.c2d_im2col"(%I, %C, %n, %c) {kernel = array<i64: 3, 5>, stride = array<i64: 2, 1>, dilation = array<i64: 1, 2>, pad = array<i64: 1, 2>, eviction_policy = "evict_last"} : (memref<2x32x30x64xf16>, memref<64x32xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      // CHECK-NEXT: %[[R:.*]] = "tl.region"(%{{.*}}, %{{.*}}, %{{.*}}) {access = 2 : i32, extents = array<i64: 64, 32>} : (memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %r = "tl.region"(%D, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 32>} : (memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      // CHECK-NEXT: "tl.c2d_im2col"(%{{.*}}, %[[R]], %{{.*}}, %{{.*}}) {dilation = 2 : i64, kernel = 3 : i64, pad = 0 : i64, stride = 1 : i64} : (memref<1x5x9x8xf16>, !tl.buffer_region, index, index) -> ()
      "tl.c2d_im2col"(%J, %r, %n, %c) {kernel = 3, stride = 1, dilation = 2, pad = 0} : (memref<1x5x9x8xf16>, !tl.buffer_region, index, index) -> ()
      gpu.return
    }
  }

  // func.func (pass unit tests): no known_block_size check; dynamic image.
  // CHECK-LABEL: func.func @unit
  func.func @unit(%A: memref<64xindex>, %B: memref<64xi64>, %I: memref<?x?x?x8xf32>, %C: memref<16x8xf32, #gpu.address_space<workgroup>>, %i: index) {
    // CHECK: "tl.copy"(%{{.*}}, %{{.*}}) {coalesced_width = 2 : i64} : (memref<64xindex>, memref<64xi64>) -> ()
    "tl.copy"(%A, %B) {coalesced_width = 2 : i64} : (memref<64xindex>, memref<64xi64>) -> ()
    // CHECK-NEXT: "tl.c2d_im2col"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) {dilation = 4 : i64, kernel = 9 : i64, pad = 0 : i64, stride = 3 : i64} : (memref<?x?x?x8xf32>, memref<16x8xf32, #gpu.address_space<workgroup>>, index, index) -> ()
    "tl.c2d_im2col"(%I, %C, %i, %i) {kernel = 9, stride = 3, dilation = 4, pad = 0} : (memref<?x?x?x8xf32>, memref<16x8xf32, #gpu.address_space<workgroup>>, index, index) -> ()
    // The attributes tl-legalize-regions records (so that its output reads
    // back through tl-verify).
    // CHECK-NEXT: %[[S:.*]] = "tl.region"(%{{.*}}, %{{.*}}) {access = 1 : i32, bounds_check = array<i1: true>, extents = array<i64: 32>} : (memref<64xindex>, index) -> !tl.buffer_region
    %s = "tl.region"(%A, %i) {access = 1 : i32, extents = array<i64: 32>, bounds_check = array<i1: true>} : (memref<64xindex>, index) -> !tl.buffer_region
    // CHECK-NEXT: %[[D:.*]] = "tl.region"(%{{.*}}, %{{.*}}) {access = 2 : i32, extents = array<i64: 32>} : (memref<64xi64>, index) -> !tl.buffer_region
    %d = "tl.region"(%B, %i) {access = 2 : i32, extents = array<i64: 32>} : (memref<64xi64>, index) -> !tl.buffer_region
    // CHECK-NEXT: "tl.copy"(%[[S]], %[[D]]) {base_shape = array<i64: 32>, base_side = "src"} : (!tl.buffer_region, !tl.buffer_region) -> ()
    "tl.copy"(%s, %d) {base_side = "src", base_shape = array<i64: 32>} : (!tl.buffer_region, !tl.buffer_region) -> ()
    return
  }
}
