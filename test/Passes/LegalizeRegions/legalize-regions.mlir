// RUN: tl-opt %s -split-input-file --tl-legalize-regions | FileCheck %s
// Anchored on the functions themselves, as in a real pipeline:
// RUN: tl-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(tl-legalize-regions),gpu.module(gpu.func(tl-legalize-regions)))' | FileCheck %s
// Idempotence: a second run changes nothing.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions > %t.1
// RUN: tl-opt %t.1 -split-input-file --tl-legalize-regions > %t.2
// RUN: diff %t.1 %t.2
// The legalized form passes tl-verify and round-trips.
// RUN: tl-opt %t.1 -split-input-file --tl-verify | diff - %t.1

// Whole buffers of equal shape: regions at the origin with the buffers'
// shapes; the shared side is the base (scope level 1 > 0).
// CHECK-LABEL: func.func @whole_equal
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[S:.*]] = "tl.region"(%arg0, %[[C0]], %[[C0]]) {access = 1 : i32, extents = array<i64: 64, 32>}
// CHECK: %[[D:.*]] = "tl.region"(%arg1, %[[C0]], %[[C0]]) {access = 2 : i32, extents = array<i64: 64, 32>}
// CHECK: "tl.copy"(%[[S]], %[[D]]) {base_shape = array<i64: 64, 32>, base_side = "dst"}
func.func @whole_equal(%A: memref<64x32xf32>, %S: memref<64x32xf32, #gpu.address_space<workgroup>>) {
  "tl.copy"(%A, %S) : (memref<64x32xf32>, memref<64x32xf32, #gpu.address_space<workgroup>>) -> ()
  return
}

// -----

// Head-address sugar on the source: the global tile start takes the shape
// of the whole shared buffer; unknown indices need run-time bounds checks.
// CHECK-LABEL: func.func @head_source
// CHECK: %[[S:.*]] = "tl.region"(%arg0, %arg2, %arg3) {access = 1 : i32, bounds_check = array<i1: true, true>, extents = array<i64: 64, 64>}
// CHECK: %[[D:.*]] = "tl.region"(%arg1, %{{.*}}, %{{.*}}) {access = 2 : i32, extents = array<i64: 64, 64>}
// CHECK: "tl.copy"(%[[S]], %[[D]]) {base_shape = array<i64: 64, 64>, base_side = "dst"}
// CHECK-NOT: "tl.region"(%arg0, %arg2, %arg3) {access = 1 : i32} :
func.func @head_source(%A: memref<512x512xf32>, %S: memref<64x64xf32, #gpu.address_space<workgroup>>, %i: index, %j: index) {
  %a = "tl.region"(%A, %i, %j) {access = 1 : i32} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
  "tl.copy"(%a, %S) : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
  return
}

// -----

// Head-address sugar on the destination; the shared source is the base.
// CHECK-LABEL: func.func @head_destination
// CHECK: %[[S:.*]] = "tl.region"(%arg0, {{.*}}) {access = 1 : i32, extents = array<i64: 16, 8>}
// CHECK: %[[D:.*]] = "tl.region"(%arg1, %arg2, %arg3) {access = 2 : i32, bounds_check = array<i1: true, true>, extents = array<i64: 16, 8>}
// CHECK: "tl.copy"(%[[S]], %[[D]]) {base_shape = array<i64: 16, 8>, base_side = "src"}
func.func @head_destination(%S: memref<16x8xf16, #gpu.address_space<workgroup>>, %B: memref<100x100xf16>, %i: index, %j: index) {
  %b = "tl.region"(%B, %i, %j) {access = 2 : i32} : (memref<100x100xf16>, index, index) -> !tl.buffer_region
  "tl.copy"(%S, %b) : (memref<16x8xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
  return
}

// -----

// A head address into a higher-rank buffer: the extents are right-aligned,
// leading dimensions get extent 1.
// CHECK-LABEL: func.func @head_higher_rank
// CHECK: "tl.region"(%arg0, %arg2, %arg3, %arg4) {access = 1 : i32, bounds_check = array<i1: true, true, true>, extents = array<i64: 1, 32, 64>}
// CHECK: "tl.copy"{{.*}}{base_shape = array<i64: 32, 64>, base_side = "dst"}
func.func @head_higher_rank(%A: memref<8x128x128xf32>, %S: memref<32x64xf32, #gpu.address_space<workgroup>>, %b: index, %i: index, %j: index) {
  %a = "tl.region"(%A, %b, %i, %j) {access = 1 : i32} : (memref<8x128x128xf32>, index, index, index) -> !tl.buffer_region
  "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32x64xf32, #gpu.address_space<workgroup>>) -> ()
  return
}

// -----

// A[:, :2] -> B[:, :3], both global: as many non-unit extents on each side,
// so both are kept and the source (level 0 >= 0) is the base: 2 columns are
// copied, and the destination region records the 2 columns written.
// CHECK-LABEL: func.func @mismatch_global
// CHECK: %[[S:.*]] = "tl.region"(%arg0, {{.*}}) {access = 1 : i32, extents = array<i64: 16, 2>}
// CHECK: %[[D:.*]] = "tl.region"(%arg1, {{.*}}) {access = 2 : i32, extents = array<i64: 16, 2>}
// CHECK: "tl.copy"(%[[S]], %[[D]]) {base_shape = array<i64: 16, 2>, base_side = "src"}
func.func @mismatch_global(%A: memref<16x8xf32>, %B: memref<16x8xf32>) {
  %c0 = arith.constant 0 : index
  %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 16, 2>} : (memref<16x8xf32>, index, index) -> !tl.buffer_region
  %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 16, 3>} : (memref<16x8xf32>, index, index) -> !tl.buffer_region
  "tl.copy"(%a, %b) : (!tl.buffer_region, !tl.buffer_region) -> ()
  return
}

// -----

// A[:, :2] -> S[:, :3] with S shared: the destination is the base, so three
// columns are copied and the source is read past its region (guarded).
// CHECK-LABEL: func.func @mismatch_shared
// CHECK: %[[S:.*]] = "tl.region"(%arg0, {{.*}}) {access = 1 : i32, extents = array<i64: 16, 3>}
// CHECK: %[[D:.*]] = "tl.region"(%arg1, {{.*}}) {access = 2 : i32, extents = array<i64: 16, 3>}
// CHECK: "tl.copy"(%[[S]], %[[D]]) {base_shape = array<i64: 16, 3>, base_side = "dst"}
func.func @mismatch_shared(%A: memref<16x8xf32>, %S: memref<16x8xf32, #gpu.address_space<workgroup>>) {
  %c0 = arith.constant 0 : index
  %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 16, 2>} : (memref<16x8xf32>, index, index) -> !tl.buffer_region
  %s = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 16, 3>} : (memref<16x8xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
  "tl.copy"(%a, %s) : (!tl.buffer_region, !tl.buffer_region) -> ()
  return
}

// -----

// Unit dimensions pair across ranks: 1x64 -> 64.
// CHECK-LABEL: func.func @unit_1x64_to_64
// CHECK: "tl.region"(%arg0, {{.*}}) {access = 1 : i32, extents = array<i64: 1, 64>}
// CHECK: "tl.region"(%arg1, {{.*}}) {access = 2 : i32, extents = array<i64: 64>}
// CHECK: base_shape = array<i64: 64>, base_side = "dst"
func.func @unit_1x64_to_64(%A: memref<4x64xf32>, %S: memref<64xf32, #gpu.address_space<workgroup>>) {
  %c1 = arith.constant 1 : index
  %c0 = arith.constant 0 : index
  %a = "tl.region"(%A, %c1, %c0) {access = 1 : i32, extents = array<i64: 1, 64>} : (memref<4x64xf32>, index, index) -> !tl.buffer_region
  "tl.copy"(%a, %S) : (!tl.buffer_region, memref<64xf32, #gpu.address_space<workgroup>>) -> ()
  return
}

// -----

// 64x1x32 -> 64x32: the unit dimension in the middle is skipped.
// CHECK-LABEL: func.func @unit_64x1x32_to_64x32
// CHECK: "tl.region"(%arg0, {{.*}}) {access = 1 : i32, extents = array<i64: 64, 1, 32>}
// CHECK: "tl.region"(%arg1, {{.*}}) {access = 2 : i32, extents = array<i64: 64, 32>}
// CHECK: base_shape = array<i64: 64, 32>, base_side = "dst"
func.func @unit_64x1x32_to_64x32(%A: memref<64x4x32xf16>, %S: memref<64x32xf16, #gpu.address_space<workgroup>>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %a = "tl.region"(%A, %c0, %c2, %c0) {access = 1 : i32, extents = array<i64: 64, 1, 32>} : (memref<64x4x32xf16>, index, index, index) -> !tl.buffer_region
  "tl.copy"(%a, %S) : (!tl.buffer_region, memref<64x32xf16, #gpu.address_space<workgroup>>) -> ()
  return
}

// -----

// Fragments are the base against shared (2 > 1) and global (2 > 0) alike.
// CHECK-LABEL: func.func @fragment_base
// CHECK: base_shape = array<i64: 32, 64>, base_side = "dst"
// CHECK: base_shape = array<i64: 32, 64>, base_side = "src"
func.func @fragment_base(%S: memref<32x64xf16, #gpu.address_space<workgroup>>, %B: memref<32x64xf32>) {
  %F = memref.alloca() : memref<32x64xf16, #tl.fragment>
  "tl.copy"(%S, %F) : (memref<32x64xf16, #gpu.address_space<workgroup>>, memref<32x64xf16, #tl.fragment>) -> ()
  "tl.copy"(%F, %B) : (memref<32x64xf16, #tl.fragment>, memref<32x64xf32>) -> ()
  return
}

// -----

// Shared to global: the shared source is the base.
// CHECK-LABEL: func.func @shared_to_global
// CHECK: base_shape = array<i64: 8, 8>, base_side = "src"
func.func @shared_to_global(%S: memref<8x8xi8, #gpu.address_space<workgroup>>, %B: memref<8x8xi8>) {
  "tl.copy"(%S, %B) : (memref<8x8xi8, #gpu.address_space<workgroup>>, memref<8x8xi8>) -> ()
  return
}

// -----

// Scalar copies (neither side has extents) become a load and a store.
// CHECK-LABEL: func.func @scalar_same_type
// CHECK-NEXT: %[[V:.*]] = memref.load %arg0[%arg2, %arg3] : memref<4x4xi32>
// CHECK-NEXT: memref.store %[[V]], %arg1[%arg3] : memref<4xi32, #gpu.address_space<workgroup>>
// CHECK-NEXT: return
func.func @scalar_same_type(%A: memref<4x4xi32>, %S: memref<4xi32, #gpu.address_space<workgroup>>, %i: index, %j: index) {
  %a = "tl.region"(%A, %i, %j) {access = 1 : i32} : (memref<4x4xi32>, index, index) -> !tl.buffer_region
  %s = "tl.region"(%S, %j) {access = 2 : i32} : (memref<4xi32, #gpu.address_space<workgroup>>, index) -> !tl.buffer_region
  "tl.copy"(%a, %s) : (!tl.buffer_region, !tl.buffer_region) -> ()
  return
}

// -----

// CHECK-LABEL: func.func @scalar_casts
// CHECK: %[[A:.*]] = memref.load %arg0[%arg4] : memref<8xf32>
// CHECK: %[[T:.*]] = arith.truncf %[[A]] : f32 to f16
// CHECK: memref.store %[[T]], %arg1[%arg4]
// CHECK: %[[B:.*]] = memref.load %arg1[%arg4] : memref<8xf16>
// CHECK: %[[I:.*]] = arith.fptosi %[[B]] : f16 to i8
// CHECK: memref.store %[[I]], %arg2[%arg4]
// CHECK: %[[C:.*]] = memref.load %arg2[%arg4] : memref<8xi8>
// CHECK: %[[W:.*]] = arith.extsi %[[C]] : i8 to i32
// CHECK: memref.store %[[W]], %arg3[%arg4]
// CHECK: %[[D:.*]] = memref.load %arg3[%arg4] : memref<8xi32>
// CHECK: %[[F:.*]] = arith.sitofp %[[D]] : i32 to f32
// CHECK: memref.store %[[F]], %arg0[%arg4]
// CHECK-NOT: tl.
func.func @scalar_casts(%A: memref<8xf32>, %B: memref<8xf16>, %C: memref<8xi8>, %D: memref<8xi32>, %i: index) {
  %a = "tl.region"(%A, %i) {access = 3 : i32} : (memref<8xf32>, index) -> !tl.buffer_region
  %b = "tl.region"(%B, %i) {access = 3 : i32} : (memref<8xf16>, index) -> !tl.buffer_region
  %c = "tl.region"(%C, %i) {access = 3 : i32} : (memref<8xi8>, index) -> !tl.buffer_region
  %d = "tl.region"(%D, %i) {access = 3 : i32} : (memref<8xi32>, index) -> !tl.buffer_region
  "tl.copy"(%a, %b) : (!tl.buffer_region, !tl.buffer_region) -> ()
  "tl.copy"(%b, %c) : (!tl.buffer_region, !tl.buffer_region) -> ()
  "tl.copy"(%c, %d) : (!tl.buffer_region, !tl.buffer_region) -> ()
  "tl.copy"(%d, %a) : (!tl.buffer_region, !tl.buffer_region) -> ()
  return
}

// -----

// Bounds: indices proven in range by known_block_size / known_grid_size
// need no check; a dimension that may overflow does.
module attributes {gpu.container_module} {
  gpu.module @m {
    // CHECK-LABEL: gpu.func @proven
    // CHECK: "tl.region"(%arg0, %{{.*}}, %{{.*}}) {access = 1 : i32, bounds_check = array<i1: false, true>, extents = array<i64: 64, 64>}
    gpu.func @proven(%A: memref<512x500xf32>, %S: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, known_grid_size = array<i32: 8, 8, 1>} {
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %c64 : index
      %j = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32} : (memref<512x500xf32>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// Options stay on the copy; a region used by two copies is kept for both.
// CHECK-LABEL: func.func @shared_region_and_options
// CHECK: "tl.copy"({{.*}}) {base_shape = array<i64: 8>, base_side = "dst", coalesced_width = 2 : i64, eviction_policy = "evict_last"}
// CHECK: "tl.copy"({{.*}}) {base_shape = array<i64: 8>, base_side = "dst"}
func.func @shared_region_and_options(%A: memref<8xf32>, %S: memref<8xf32, #gpu.address_space<workgroup>>, %T: memref<8xf32, #gpu.address_space<workgroup>>) {
  %c0 = arith.constant 0 : index
  %a = "tl.region"(%A, %c0) {access = 1 : i32, extents = array<i64: 8>} : (memref<8xf32>, index) -> !tl.buffer_region
  "tl.copy"(%a, %S) {coalesced_width = 2 : i64, eviction_policy = "evict_last"} : (!tl.buffer_region, memref<8xf32, #gpu.address_space<workgroup>>) -> ()
  "tl.copy"(%a, %T) : (!tl.buffer_region, memref<8xf32, #gpu.address_space<workgroup>>) -> ()
  return
}
