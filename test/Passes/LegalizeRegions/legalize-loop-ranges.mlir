// Index ranges inside scf.for (support/IndexRange.c): an induction variable
// lies in [lo(lb), hi(ub) - 1] for a step known positive, and is divisible by
// what both lb and step are divisible by. So a tile A[0, k*32] with k < 8 is
// in bounds of a 256-column matrix (no run-time check), and the alignment of
// k sets the vector width.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions | FileCheck %s
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts=report=true -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT

// k < 8: k*32 + 32 <= 256, no bounds check.
// CHECK-LABEL: gpu.func @in_bounds
// CHECK-NOT: bounds_check
// CHECK: gpu.return
gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @in_bounds(%A: memref<64x256xf16>, %B: memref<64x256xf16>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c8 = arith.constant 8 : index
    %c32 = arith.constant 32 : index
    scf.for %k = %c0 to %c8 step %c1 {
      %j = arith.muli %k, %c32 : index
      %a = "tl.region"(%A, %c0, %j) {access = 1 : i32, extents = array<i64: 64, 32>} : (memref<64x256xf16>, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %c0, %j) {access = 2 : i32, extents = array<i64: 64, 32>} : (memref<64x256xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %b) : (!tl.buffer_region, !tl.buffer_region) -> ()
    }
    gpu.return
  }
}

// -----

// k < 9: the last tile hangs over the edge, so the columns are checked.
// CHECK-LABEL: gpu.func @one_too_many
// CHECK: "tl.region"(%{{.*}}) {access = 1 : i32, bounds_check = array<i1: false, true>
// CHECK: "tl.region"(%{{.*}}) {access = 2 : i32, bounds_check = array<i1: false, true>
gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @one_too_many(%A: memref<64x256xf16>, %B: memref<64x256xf16>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c9 = arith.constant 9 : index
    %c32 = arith.constant 32 : index
    scf.for %k = %c0 to %c9 step %c1 {
      %j = arith.muli %k, %c32 : index
      %a = "tl.region"(%A, %c0, %j) {access = 1 : i32, extents = array<i64: 64, 32>} : (memref<64x256xf16>, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %c0, %j) {access = 2 : i32, extents = array<i64: 64, 32>} : (memref<64x256xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %b) : (!tl.buffer_region, !tl.buffer_region) -> ()
    }
    gpu.return
  }
}

// -----

// A run-time trip count or step proves nothing.
// CHECK-LABEL: gpu.func @unknown_bounds
// CHECK: "tl.region"(%{{.*}}) {access = 1 : i32, bounds_check = array<i1: false, true>
// CHECK: "tl.region"(%{{.*}}) {access = 1 : i32, bounds_check = array<i1: false, true>
gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @unknown_bounds(%A: memref<64x256xf16>, %B: memref<64x256xf16>, %n: index, %s: index) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c8 = arith.constant 8 : index
    %c32 = arith.constant 32 : index
    scf.for %k = %c0 to %n step %c1 {
      %j = arith.muli %k, %c32 : index
      %a = "tl.region"(%A, %c0, %j) {access = 1 : i32, extents = array<i64: 64, 32>} : (memref<64x256xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %B) : (!tl.buffer_region, memref<64x256xf16>) -> ()
    }
    scf.for %k = %c0 to %c8 step %s {
      %j = arith.muli %k, %c32 : index
      %a = "tl.region"(%A, %c0, %j) {access = 1 : i32, extents = array<i64: 64, 32>} : (memref<64x256xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %B) : (!tl.buffer_region, memref<64x256xf16>) -> ()
    }
    gpu.return
  }
}

// -----

// A bulk copy needs its region provably in bounds: row k of 8 rows of 512.
// REPORT: tl.copy global->shared [512] f32->f32: bulk_load
gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @bulk_rows(%A: memref<4096xf32>) workgroup(%S: memref<512xf32, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c8 = arith.constant 8 : index
    %c512 = arith.constant 512 : index
    scf.for %k = %c0 to %c8 step %c1 {
      %i = arith.muli %k, %c512 : index
      %a = "tl.region"(%A, %i) {access = 1 : i32, extents = array<i64: 512>} : (memref<4096xf32>, index) -> !tl.buffer_region
      "tl.copy"(%a, %S) {annotations = {use_bulk = true}} : (!tl.buffer_region, memref<512xf32, #gpu.address_space<workgroup>>) -> ()
    }
    gpu.return
  }
}

// -----

// The vector width follows the induction variable's alignment: k steps by
// 8 fp16 columns (16 bytes), then by 2 (4 bytes).
// REPORT: tl.copy global->global [64x8] f16->f16: simt, v=8 (16-byte)
// REPORT: tl.copy global->global [64x8] f16->f16: simt, v=2 (4-byte)
gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @aligned(%A: memref<64x64xf16>, %B: memref<64x64xf16>) kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
    %c0 = arith.constant 0 : index
    %c2 = arith.constant 2 : index
    %c8 = arith.constant 8 : index
    %c56 = arith.constant 56 : index
    scf.for %k = %c0 to %c56 step %c8 {
      %a = "tl.region"(%A, %c0, %k) {access = 1 : i32, extents = array<i64: 64, 8>} : (memref<64x64xf16>, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %c0, %k) {access = 2 : i32, extents = array<i64: 64, 8>} : (memref<64x64xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %b) : (!tl.buffer_region, !tl.buffer_region) -> ()
    }
    scf.for %k = %c0 to %c56 step %c2 {
      %a = "tl.region"(%A, %c0, %k) {access = 1 : i32, extents = array<i64: 64, 8>} : (memref<64x64xf16>, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %c0, %k) {access = 2 : i32, extents = array<i64: 64, 8>} : (memref<64x64xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %b) : (!tl.buffer_region, !tl.buffer_region) -> ()
    }
    gpu.return
  }
}

// -----

// A persistent loop over tiles: tile t of 4x8 tiles of 64x32 gives row
// t / 8 and column t % 8 (divui / remui of a non-negative range), in
// bounds for t < 32; with min(t, 31) too. One more tile (t < 33) overhangs:
// its row is checked.
// CHECK-LABEL: gpu.func @persistent
// CHECK: scf.for
// CHECK-NOT: bounds_check
// CHECK: scf.for
// CHECK-NOT: bounds_check
// CHECK: scf.for
// CHECK: "tl.region"(%{{.*}}) {access = 1 : i32, bounds_check = array<i1: true, false>
gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @persistent(%A: memref<256x256xf16>, %B: memref<256x256xf16>, %n: index) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c8 = arith.constant 8 : index
    %c31 = arith.constant 31 : index
    %c32 = arith.constant 32 : index
    %c33 = arith.constant 33 : index
    %c64 = arith.constant 64 : index
    scf.for %t = %c0 to %c32 step %c1 {
      %r = arith.divui %t, %c8 : index
      %q = arith.remui %t, %c8 : index
      %i = arith.muli %r, %c64 : index
      %j = arith.muli %q, %c32 : index
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32, extents = array<i64: 64, 32>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, extents = array<i64: 64, 32>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %b) : (!tl.buffer_region, !tl.buffer_region) -> ()
    }
    scf.for %u = %c0 to %n step %c1 {
      %t = arith.minui %u, %c31 : index
      %r = arith.divsi %t, %c8 : index
      %q = arith.remsi %t, %c8 : index
      %i = arith.muli %r, %c64 : index
      %j = arith.muli %q, %c32 : index
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32, extents = array<i64: 64, 32>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, extents = array<i64: 64, 32>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %b) : (!tl.buffer_region, !tl.buffer_region) -> ()
    }
    scf.for %t = %c0 to %c33 step %c1 {
      %r = arith.divui %t, %c8 : index
      %q = arith.remui %t, %c8 : index
      %i = arith.muli %r, %c64 : index
      %j = arith.muli %q, %c32 : index
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32, extents = array<i64: 64, 32>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, extents = array<i64: 64, 32>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %b) : (!tl.buffer_region, !tl.buffer_region) -> ()
    }
    gpu.return
  }
}

// -----

// A pipeline's stage: s % 3 (remui) lies in [0, 2] whatever s, so the
// stage tile rows st*64 of 192 are in bounds; a select of two in-bounds
// rows too. A signed remainder of an unknown s may be negative: checked.
// CHECK-LABEL: gpu.func @stage_select
// CHECK-NOT: bounds_check
// CHECK: arith.remsi
// CHECK: "tl.region"(%{{.*}}) {access = 1 : i32, bounds_check = array<i1: true, false>
gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @stage_select(%A: memref<192x64xf16>, %B: memref<192x64xf16>, %s: index, %p: i1) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
    %c0 = arith.constant 0 : index
    %c3 = arith.constant 3 : index
    %c64 = arith.constant 64 : index
    %c128 = arith.constant 128 : index
    %st = arith.remui %s, %c3 : index
    %i = arith.muli %st, %c64 : index
    %a = "tl.region"(%A, %i, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<192x64xf16>, index, index) -> !tl.buffer_region
    %b = "tl.region"(%B, %i, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<192x64xf16>, index, index) -> !tl.buffer_region
    "tl.copy"(%a, %b) : (!tl.buffer_region, !tl.buffer_region) -> ()
    %j = arith.select %p, %c0, %c128 : index
    %a2 = "tl.region"(%A, %j, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<192x64xf16>, index, index) -> !tl.buffer_region
    %b2 = "tl.region"(%B, %j, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<192x64xf16>, index, index) -> !tl.buffer_region
    "tl.copy"(%a2, %b2) : (!tl.buffer_region, !tl.buffer_region) -> ()
    %q = arith.remsi %s, %c3 : index
    %k = arith.muli %q, %c64 : index
    %a3 = "tl.region"(%A, %k, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<192x64xf16>, index, index) -> !tl.buffer_region
    "tl.copy"(%a3, %B) : (!tl.buffer_region, memref<192x64xf16>) -> ()
    gpu.return
  }
}

// -----

// Power-of-two divisors through select, min/max and remui: 8 * s selected
// against 16 * s, min(8 * s, 48), (8 * s) % 16 are multiples of 8 fp16
// columns (16 bytes); (8 * s) % 3 is known divisible by nothing.
// REPORT: tl.copy global->global [64x8] f16->f16: simt, v=8 (16-byte)
// REPORT: tl.copy global->global [64x8] f16->f16: simt, v=8 (16-byte)
// REPORT: tl.copy global->global [64x8] f16->f16: simt, v=8 (16-byte)
// REPORT: tl.copy global->global [64x8] f16->f16: simt, v=1
gpu.module @m [#nvvm.target<chip = "sm_90a">] {
  gpu.func @divisors(%A: memref<64x64xf16>, %B: memref<64x64xf16>, %s: index, %p: i1) kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
    %c0 = arith.constant 0 : index
    %c3 = arith.constant 3 : index
    %c7 = arith.constant 7 : index
    %c8 = arith.constant 8 : index
    %c16 = arith.constant 16 : index
    %c48 = arith.constant 48 : index
    %u = arith.minui %s, %c7 : index
    %x8 = arith.muli %u, %c8 : index
    %x16 = arith.muli %u, %c16 : index
    %k1 = arith.select %p, %x8, %x16 : index
    %k2 = arith.minui %x8, %c48 : index
    %k3 = arith.remui %x8, %c16 : index
    %k4 = arith.remui %x8, %c3 : index
    %a1 = "tl.region"(%A, %c0, %k1) {access = 1 : i32, extents = array<i64: 64, 8>} : (memref<64x64xf16>, index, index) -> !tl.buffer_region
    %b1 = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 8>} : (memref<64x64xf16>, index, index) -> !tl.buffer_region
    "tl.copy"(%a1, %b1) : (!tl.buffer_region, !tl.buffer_region) -> ()
    %a2 = "tl.region"(%A, %c0, %k2) {access = 1 : i32, extents = array<i64: 64, 8>} : (memref<64x64xf16>, index, index) -> !tl.buffer_region
    "tl.copy"(%a2, %b1) : (!tl.buffer_region, !tl.buffer_region) -> ()
    %a3 = "tl.region"(%A, %c0, %k3) {access = 1 : i32, extents = array<i64: 64, 8>} : (memref<64x64xf16>, index, index) -> !tl.buffer_region
    "tl.copy"(%a3, %b1) : (!tl.buffer_region, !tl.buffer_region) -> ()
    %a4 = "tl.region"(%A, %c0, %k4) {access = 1 : i32, extents = array<i64: 64, 8>} : (memref<64x64xf16>, index, index) -> !tl.buffer_region
    "tl.copy"(%a4, %b1) : (!tl.buffer_region, !tl.buffer_region) -> ()
    gpu.return
  }
}
