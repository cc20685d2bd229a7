// tl-legalize-regions treats tl.copy_async exactly like tl.copy: the same
// regions and attributes; its token and tl.wait are left alone.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions | FileCheck %s
// Idempotence: a second run changes nothing.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions > %t.1
// RUN: tl-opt %t.1 -split-input-file --tl-legalize-regions | diff - %t.1

// Whole buffers of equal shape, as for tl.copy (legalize-regions.mlir,
// @whole_equal): regions at the origin, the shared side the base.
// CHECK-LABEL: func.func @whole_equal
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[S:.*]] = "tl.region"(%arg0, %[[C0]], %[[C0]]) {access = 1 : i32, extents = array<i64: 64, 32>}
// CHECK: %[[D:.*]] = "tl.region"(%arg1, %[[C0]], %[[C0]]) {access = 2 : i32, extents = array<i64: 64, 32>}
// CHECK: %[[T:.*]] = "tl.copy_async"(%[[S]], %[[D]]) {base_shape = array<i64: 64, 32>, base_side = "dst"} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
// CHECK: "tl.wait"(%[[T]]) : (!tl.token) -> ()
func.func @whole_equal(%A: memref<64x32xf32>, %S: memref<64x32xf32, #gpu.address_space<workgroup>>) {
  %t = "tl.copy_async"(%A, %S) : (memref<64x32xf32>, memref<64x32xf32, #gpu.address_space<workgroup>>) -> !tl.token
  "tl.wait"(%t) : (!tl.token) -> ()
  return
}

// -----

// Head-address sugar on the source, with run-time bounds checks; the
// copy's own attributes stay.
// CHECK-LABEL: func.func @head_source
// CHECK: %[[S:.*]] = "tl.region"(%arg0, %arg2, %arg3) {access = 1 : i32, bounds_check = array<i1: true, true>, extents = array<i64: 64, 64>}
// CHECK: %[[D:.*]] = "tl.region"(%arg1, %{{.*}}, %{{.*}}) {access = 2 : i32, extents = array<i64: 64, 64>}
// CHECK: %[[T:.*]] = "tl.copy_async"(%[[S]], %[[D]]) {base_shape = array<i64: 64, 64>, base_side = "dst", eviction_policy = "evict_first"}
// CHECK: "tl.wait"(%[[T]])
func.func @head_source(%A: memref<512x512xf32>, %S: memref<64x64xf32, #gpu.address_space<workgroup>>, %i: index, %j: index) {
  %a = "tl.region"(%A, %i, %j) {access = 1 : i32} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
  %t = "tl.copy_async"(%a, %S) {eviction_policy = "evict_first"} : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> !tl.token
  "tl.wait"(%t) : (!tl.token) -> ()
  return
}

// -----

// Two copies in flight, waited together; the source side is the base.
// CHECK-LABEL: func.func @two_in_flight
// CHECK: %[[T0:.*]] = "tl.copy_async"(%{{.*}}, %{{.*}}) {base_shape = array<i64: 32, 128>, base_side = "src"}
// CHECK: %[[T1:.*]] = "tl.copy_async"(%{{.*}}, %{{.*}}) {base_shape = array<i64: 32, 128>, base_side = "src"}
// CHECK: "tl.wait"(%[[T1]], %[[T0]]) : (!tl.token, !tl.token) -> ()
func.func @two_in_flight(%S0: memref<32x128xf16, #gpu.address_space<workgroup>>, %S1: memref<32x128xf16, #gpu.address_space<workgroup>>, %B: memref<256x256xf16>, %i: index) {
  %b0 = "tl.region"(%B, %i, %i) {access = 2 : i32} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
  %t0 = "tl.copy_async"(%S0, %b0) : (memref<32x128xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> !tl.token
  %b1 = "tl.region"(%B, %i, %i) {access = 2 : i32} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
  %t1 = "tl.copy_async"(%S1, %b1) : (memref<32x128xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> !tl.token
  "tl.wait"(%t1, %t0) : (!tl.token, !tl.token) -> ()
  return
}

// -----

// A scalar copy_async is a load and a store where it stands (a synchronous
// copy); its token leaves the wait, which stays (waiting for the others).
// CHECK-LABEL: func.func @scalar
// CHECK: %[[V:.*]] = memref.load %arg0[%arg2, %arg3] : memref<16x16xf32>
// CHECK: memref.store %[[V]], %arg1[%arg3] : memref<16xf32, #gpu.address_space<workgroup>>
// CHECK: %[[T:.*]] = "tl.copy_async"
// CHECK: "tl.wait"(%[[T]]) : (!tl.token) -> ()
// CHECK-NOT: "tl.wait"
func.func @scalar(%A: memref<16x16xf32>, %S: memref<16xf32, #gpu.address_space<workgroup>>, %i: index, %j: index, %W: memref<16x16xf32, #gpu.address_space<workgroup>>) {
  %a = "tl.region"(%A, %i, %j) {access = 1 : i32} : (memref<16x16xf32>, index, index) -> !tl.buffer_region
  %s = "tl.region"(%S, %j) {access = 2 : i32} : (memref<16xf32, #gpu.address_space<workgroup>>, index) -> !tl.buffer_region
  %t = "tl.copy_async"(%a, %s) : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
  %u = "tl.copy_async"(%A, %W) : (memref<16x16xf32>, memref<16x16xf32, #gpu.address_space<workgroup>>) -> !tl.token
  "tl.wait"(%t, %u) : (!tl.token, !tl.token) -> ()
  return
}
