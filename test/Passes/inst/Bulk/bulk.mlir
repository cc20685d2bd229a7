// 1-D bulk copies (cp.async.bulk) in tl-infer-layouts and tl-lower-copy
// (docs/tma.md, "Bulk copies").
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts | FileCheck %s --check-prefix=INFER
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts="report=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts="report=true prefer-tma=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=PREFER
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts --tl-lower-copy | FileCheck %s
// Idempotence and round trip through tl-verify.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts > %t.1
// RUN: tl-opt %t.1 -split-input-file --tl-infer-layouts > %t.2
// RUN: diff %t.1 %t.2
// RUN: tl-opt %t.1 -split-input-file --tl-verify | diff - %t.1
// The PTX is checked in bulk-ptx.mlir, ptxas in bulk-ptxas.test.

// A 1-D f32 load and store, demanded by use_bulk.
// INFER-LABEL: gpu.func @one_d
// INFER: "tl.copy"{{.*}}inst = "bulk_load"}
// INFER: "tl.copy"{{.*}}inst = "bulk_store"}
// CHECK: memref.global "private" @__tl_mbar_one_d : memref<1xi64, #gpu.address_space<workgroup>> {alignment = 8 : i64}
// CHECK-LABEL: gpu.func @one_d
// CHECK: %[[IS0:.*]] = arith.cmpi eq
// CHECK: nvvm.mbarrier.init
// CHECK: %[[PH:.*]] = memref.alloca() : memref<i32>
// CHECK: %[[G:.*]] = memref.extract_aligned_pointer_as_index %arg0
// CHECK: %[[SH:.*]] = memref.extract_aligned_pointer_as_index %arg2
// CHECK: %[[OFF:.*]] = arith.muli %{{.*}}, %c4
// CHECK: %[[GA:.*]] = arith.addi %[[G]], %[[OFF]]
// CHECK: scf.if %[[IS0]] {
// CHECK:   %[[N:.*]] = arith.constant 4096 : i32
// CHECK:   %[[GP:.*]] = llvm.addrspacecast %{{.*}} : !llvm.ptr to !llvm.ptr<1>
// CHECK:   nvvm.mbarrier.arrive.expect_tx %[[BAR:.*]], %[[N]]
// CHECK:   %[[D:.*]] = llvm.inttoptr %{{.*}} : i64 to !llvm.ptr<7>
// CHECK:   nvvm.cp.async.bulk.shared.cluster.global %[[D]], %[[GP]], %[[BAR]], %[[N]] : !llvm.ptr<7>, <1>
// CHECK: }
// CHECK: %[[BITS:.*]] = memref.load %[[PH]][] : memref<i32>
// CHECK: %[[P:.*]] = arith.andi %{{.*}}, %{{.*}} : i32
// CHECK: nvvm.mbarrier.try_wait.parity %[[BAR]], %[[P]]
// CHECK: arith.xori %[[BITS]]
// CHECK: gpu.barrier
// CHECK: nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// CHECK: gpu.barrier
// CHECK: scf.if %[[IS0]] {
// CHECK:   llvm.addrspacecast
// CHECK:   nvvm.cp.async.bulk.global.shared.cta %{{.*}}, %{{.*}}, %{{.*}} : <1>, <3>
// CHECK:   nvvm.cp.async.bulk.commit.group
// CHECK:   nvvm.cp.async.bulk.wait_group 0 {read}
// CHECK: }
// CHECK: gpu.barrier
// CHECK-NOT: tl.copy
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @one_d(%A: memref<4096xf32>, %B: memref<4096xf32>)
        workgroup(%S: memref<1024xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, known_grid_size = array<i32: 4, 1, 1>} {
      %c1024 = arith.constant 1024 : index
      %bx = gpu.block_id x
      %i = arith.muli %bx, %c1024 : index
      %a = "tl.region"(%A, %i) {access = 1 : i32, extents = array<i64: 1024>} : (memref<4096xf32>, index) -> !tl.buffer_region
      // REPORT: bulk.mlir:[[@LINE+2]]:7: tl.copy global->shared [1024] f32->f32: bulk_load, 4096 bytes
      // PREFER: bulk.mlir:[[@LINE+1]]:7: tl.copy global->shared [1024] f32->f32: bulk_load, 4096 bytes
      "tl.copy"(%a, %S) {annotations = {use_bulk = true}} : (!tl.buffer_region, memref<1024xf32, #gpu.address_space<workgroup>>) -> ()
      %b = "tl.region"(%B, %i) {access = 2 : i32, extents = array<i64: 1024>} : (memref<4096xf32>, index) -> !tl.buffer_region
      // REPORT: bulk.mlir:[[@LINE+1]]:7: tl.copy shared->global [1024] f32->f32: bulk_store, 4096 bytes
      "tl.copy"(%S, %b) {annotations = {use_bulk = true}} : (memref<1024xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// A 2-D tile of whole f16 rows (32 x 64 of a 256 x 64 matrix) is one run:
// legal, but SIMT unless demanded; prefer-tma makes it a bulk copy (ahead
// of the tiled TMA, which is legal too). A half-row tile is not one run
// (nor a contiguous TMA box in shared memory: SIMT).
// INFER-LABEL: gpu.func @rows
// INFER: "tl.copy"{{.*}}inst = "simt"
// INFER: "tl.copy"{{.*}}inst = "simt"
// INFER: "tl.copy"{{.*}}inst = "simt"
// CHECK-LABEL: gpu.func @rows
// CHECK-NOT: nvvm.cp.async.bulk
// CHECK: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @rows(%A: memref<256x64xf16>, %B: memref<256x64xf16>)
        workgroup(%S: memref<32x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, known_grid_size = array<i32: 8, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c32 = arith.constant 32 : index
      %bx = gpu.block_id x
      %i = arith.muli %bx, %c32 : index
      %a = "tl.region"(%A, %i, %c0) {access = 1 : i32, extents = array<i64: 32, 64>} : (memref<256x64xf16>, index, index) -> !tl.buffer_region
      // REPORT: bulk.mlir:[[@LINE+2]]:7: tl.copy global->shared [32x64] f16->f16: simt, {{.*}} (bulk copy not used: use_bulk = true or prefer-tma selects it)
      // PREFER: bulk.mlir:[[@LINE+1]]:7: tl.copy global->shared [32x64] f16->f16: bulk_load, 4096 bytes
      "tl.copy"(%a, %S) : (!tl.buffer_region, memref<32x64xf16, #gpu.address_space<workgroup>>) -> ()
      %b = "tl.region"(%B, %i, %c0) {access = 2 : i32, extents = array<i64: 32, 64>} : (memref<256x64xf16>, index, index) -> !tl.buffer_region
      // PREFER: bulk.mlir:[[@LINE+1]]:7: tl.copy shared->global [32x64] f16->f16: bulk_store, 4096 bytes
      "tl.copy"(%S, %b) : (memref<32x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      %h = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 32, 32>} : (memref<32x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %bh = "tl.region"(%B, %i, %c0) {access = 2 : i32, extents = array<i64: 32, 32>} : (memref<256x64xf16>, index, index) -> !tl.buffer_region
      // REPORT: bulk.mlir:[[@LINE+1]]:7: tl.copy shared->global [32x32] f16->f16: simt, {{.*}} (bulk copy not used: the source region is not one contiguous run (dimension 1: extent 32 of 64))
      "tl.copy"(%h, %bh) : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// Reasons: an unaligned start (index divisible by 2 only, 1-byte i8
// elements), a size that is not a multiple of 16 bytes, a casting copy,
// bounds checks (no known grid), use_bulk = false.
// INFER-LABEL: gpu.func @reasons
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @reasons(%A: memref<4096xi8>, %F: memref<4096xf32>, %H: memref<4096xf16>, %n: index)
        workgroup(%S: memref<256xi8, #gpu.address_space<workgroup>>, %T: memref<256xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, known_grid_size = array<i32: 8, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c2 = arith.constant 2 : index
      %c8 = arith.constant 8 : index
      %bx = gpu.block_id x
      %i2 = arith.muli %bx, %c2 : index
      %a = "tl.region"(%A, %i2) {access = 1 : i32, extents = array<i64: 256>} : (memref<4096xi8>, index) -> !tl.buffer_region
      // REPORT: bulk.mlir:[[@LINE+1]]:7: tl.copy global->shared [256] i8->i8: {{.*}} (bulk copy not used: the start of the source region is not provably 16-byte aligned (the index of dimension 0 is only known to be divisible by 2; its stride is 1 bytes))
      "tl.copy"(%a, %S) : (!tl.buffer_region, memref<256xi8, #gpu.address_space<workgroup>>) -> ()
      %a8 = "tl.region"(%A, %c0) {access = 1 : i32, extents = array<i64: 8>} : (memref<4096xi8>, index) -> !tl.buffer_region
      %s8 = "tl.region"(%S, %c8) {access = 2 : i32, extents = array<i64: 8>} : (memref<256xi8, #gpu.address_space<workgroup>>, index) -> !tl.buffer_region
      // REPORT: bulk.mlir:[[@LINE+1]]:7: tl.copy global->shared [8] i8->i8: {{.*}} (bulk copy not used: the start of the destination region is not provably 16-byte aligned (the index of dimension 0 is only known to be divisible by 8; its stride is 1 bytes))
      "tl.copy"(%a8, %s8) : (!tl.buffer_region, !tl.buffer_region) -> ()
      %a9 = "tl.region"(%A, %c0) {access = 1 : i32, extents = array<i64: 8>} : (memref<4096xi8>, index) -> !tl.buffer_region
      %s9 = "tl.region"(%S, %c0) {access = 2 : i32, extents = array<i64: 8>} : (memref<256xi8, #gpu.address_space<workgroup>>, index) -> !tl.buffer_region
      // REPORT: bulk.mlir:[[@LINE+1]]:7: tl.copy global->shared [8] i8->i8: {{.*}} (bulk copy not used: the copy moves 8 bytes, not a multiple of 16)
      "tl.copy"(%a9, %s9) : (!tl.buffer_region, !tl.buffer_region) -> ()
      %f = "tl.region"(%F, %c0) {access = 1 : i32, extents = array<i64: 256>} : (memref<4096xf32>, index) -> !tl.buffer_region
      // REPORT: bulk.mlir:[[@LINE+1]]:7: tl.copy global->shared [256] f32->f16: {{.*}} (bulk copy not used: the copy casts between element types (a bulk copy moves bytes))
      "tl.copy"(%f, %T) : (!tl.buffer_region, memref<256xf16, #gpu.address_space<workgroup>>) -> ()
      %h = "tl.region"(%H, %n) {access = 1 : i32, extents = array<i64: 256>} : (memref<4096xf16>, index) -> !tl.buffer_region
      // REPORT: bulk.mlir:[[@LINE+1]]:7: tl.copy global->shared [256] f16->f16: {{.*}} (bulk copy not used: the source region is not provably in bounds (bounds_check on dimension 0); a bulk copy has no bounds handling)
      "tl.copy"(%h, %T) : (!tl.buffer_region, memref<256xf16, #gpu.address_space<workgroup>>) -> ()
      %h0 = "tl.region"(%H, %c0) {access = 1 : i32, extents = array<i64: 256>} : (memref<4096xf16>, index) -> !tl.buffer_region
      // REPORT: bulk.mlir:[[@LINE+1]]:7: tl.copy global->shared [256] f16->f16: simt, {{.*}} (bulk copy not used: use_bulk = false)
      "tl.copy"(%h0, %T) {annotations = {use_bulk = false}} : (!tl.buffer_region, memref<256xf16, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// sm_80: no bulk copies, and nothing to report about them.
// REPORT-LABEL: tl.copy global->shared [1024] f32->f32: cp_async
// REPORT-NOT: bulk
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @old(%A: memref<1024xf32>)
        workgroup(%S: memref<1024xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      "tl.copy"(%A, %S) : (memref<1024xf32>, memref<1024xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}
