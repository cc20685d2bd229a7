// TMA into and out of one stage of a multi-buffered shared buffer
// (docs/tma.md, "Stage slices"): the shared region's index on a leading
// dimension of extent 1 may be dynamic (a pipeline's stage i % N) when that
// dimension's byte stride is a multiple of the box alignment; the box
// address is the buffer plus stage * stride bytes plus the constant offset.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts --tl-lower-copy | FileCheck %s
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts=report=true -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT

// A load into stage s % 3 (8192 bytes a stage), a TMA store out of it.
// REPORT: global->shared [64x64] f16->f16: tma_load, box [64, 64] x1, no swizzle, 8192 bytes
// REPORT: shared->global [64x64] f16->f16: tma_store, box [64, 64] x1, no swizzle, 8192 bytes
// CHECK-LABEL: gpu.func @load_store
// CHECK: %[[ST:.*]] = arith.remui %{{.*}}, %c3 : index
// CHECK: %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %{{.*}} : memref<3x64x64xf16, #gpu.address_space<workgroup>> -> index
// CHECK: %[[STRIDE:.*]] = arith.constant 8192 : index
// CHECK: scf.if
// CHECK-NEXT: %[[OFF:.*]] = arith.muli %[[ST]], %[[STRIDE]] : index
// CHECK-NEXT: %[[A:.*]] = arith.addi %[[BASE]], %[[OFF]] : index
// CHECK: %[[I:.*]] = arith.index_cast %[[A]] : index to i64
// CHECK: %[[P:.*]] = llvm.inttoptr %[[I]] : i64 to !llvm.ptr<7>
// CHECK: nvvm.cp.async.bulk.tensor.shared.cluster.global %[[P]]
// CHECK: %[[BASE2:.*]] = memref.extract_aligned_pointer_as_index %{{.*}} : memref<3x64x64xf16, #gpu.address_space<workgroup>> -> index
// CHECK: %[[STRIDE2:.*]] = arith.constant 8192 : index
// CHECK: scf.if
// CHECK-NEXT: %[[OFF2:.*]] = arith.muli %[[ST]], %[[STRIDE2]] : index
// CHECK-NEXT: %[[A2:.*]] = arith.addi %[[BASE2]], %[[OFF2]] : index
// CHECK: %[[I2:.*]] = arith.index_cast %[[A2]] : index to i64
// CHECK: %[[P2:.*]] = llvm.inttoptr %[[I2]] : i64 to !llvm.ptr<3>
// CHECK: nvvm.cp.async.bulk.tensor.global.shared.cta %{{.*}}, %[[P2]]
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @load_store(%A: memref<512x512xf16>, %B: memref<512x512xf16>, %s: index)
        workgroup(%S: memref<3x64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c3 = arith.constant 3 : index
      %st = arith.remui %s, %c3 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      %d = "tl.region"(%S, %st, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 64, 64>} : (memref<3x64x64xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      %t = "tl.copy_async"(%a, %d) {annotations = {use_tma = true}} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      "tl.wait"(%t) : (!tl.token) -> ()
      %r = "tl.region"(%S, %st, %c0, %c0) {access = 1 : i32, extents = array<i64: 1, 64, 64>} : (memref<3x64x64xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%r, %b) {annotations = {use_tma = true}} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// Two stage dimensions (2 x 3 stages of 128 x 64 f16, 16384 bytes a stage)
// and a constant row offset 64 (8192 bytes): base + i * 49152 + j * 16384 +
// 8192. The stage (i + 2) % 3 of a loop's i.
// REPORT: global->shared [64x64] f16->f16: tma_load, box [64, 64] x1, no swizzle, 8192 bytes
// CHECK-LABEL: gpu.func @two_stages
// CHECK: %[[J:.*]] = arith.remui %{{.*}}, %c3 : index
// CHECK: %[[BASE:.*]] = memref.extract_aligned_pointer_as_index
// CHECK-DAG: %[[S0:.*]] = arith.constant 49152 : index
// CHECK-DAG: %[[S1:.*]] = arith.constant 16384 : index
// CHECK-DAG: %[[C:.*]] = arith.constant 8192 : index
// CHECK: scf.if
// CHECK-NEXT: %[[O0:.*]] = arith.muli %{{.*}}, %[[S0]] : index
// CHECK-NEXT: %[[A0:.*]] = arith.addi %[[BASE]], %[[O0]] : index
// CHECK-NEXT: %[[O1:.*]] = arith.muli %[[J]], %[[S1]] : index
// CHECK-NEXT: %[[A1:.*]] = arith.addi %[[A0]], %[[O1]] : index
// CHECK: %[[A:.*]] = arith.addi %[[A1]], %[[C]] : index
// CHECK: arith.index_cast %[[A]] : index to i64
// CHECK: nvvm.cp.async.bulk.tensor.shared.cluster.global
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @two_stages(%A: memref<512x512xf16>)
        workgroup(%S: memref<2x3x128x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c2 = arith.constant 2 : index
      %c3 = arith.constant 3 : index
      %c64 = arith.constant 64 : index
      scf.for %i = %c0 to %c2 step %c1 {
        %k = arith.addi %i, %c2 : index
        %j = arith.remui %k, %c3 : index
        %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
        %d = "tl.region"(%S, %i, %j, %c64, %c0) {access = 2 : i32, extents = array<i64: 1, 1, 64, 64>} : (memref<2x3x128x64xf16, #gpu.address_space<workgroup>>, index, index, index, index) -> !tl.buffer_region
        "tl.copy"(%a, %d) {annotations = {use_tma = true}} : (!tl.buffer_region, !tl.buffer_region) -> ()
      }
      gpu.return
    }
  }
}

// -----

// A 128-byte-swizzled stage buffer that TMA fills and ldmatrix reads: the
// stage stride (8192 bytes) is a multiple of the swizzle's 1024-byte
// repeat, so the address-based pattern is the same in every stage. TMA
// writes at base + stage * 8192 (swizzle mode 3); ldmatrix swizzles the
// byte offset of the whole buffer, stage * 4096 elements included
// (o ^ ((o >> 7) & 7) << 4 leaves the stage's bits alone).
// REPORT: global->shared [64x64] f16->f16: tma_load, box [64, 64] x1, swizzle 128, 8192 bytes
// REPORT: shared->fragment [64x64] f16->f16: ldmatrix
// CHECK-LABEL: gpu.func @swizzled
// CHECK-SAME: swizzle = 3 : i64
// CHECK-SAME: {llvm.align = 1024 : i64, tl.swizzle = 128 : i64}
// CHECK: %[[ST:.*]] = arith.remui %{{.*}}, %c3 : index
// CHECK: scf.if
// CHECK-NEXT: arith.muli %[[ST]], %c8192 : index
// CHECK: nvvm.cp.async.bulk.tensor.shared.cluster.global
// CHECK: %[[E:.*]] = arith.muli %[[ST]], %c4096 : index
// CHECK: %[[R:.*]] = arith.addi %[[E]], %{{.*}} : index
// CHECK: %[[L:.*]] = arith.addi %[[R]], %{{.*}} : index
// CHECK: %[[O:.*]] = arith.muli %[[L]], %c2 : index
// CHECK: %[[H:.*]] = arith.shrui %[[O]], %c7 : index
// CHECK: %[[M:.*]] = arith.andi %[[H]], %c7 : index
// CHECK: %[[X:.*]] = arith.shli %[[M]], %c4 : index
// CHECK: arith.xori %[[O]], %[[X]] : index
// CHECK: nvvm.ldmatrix
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @swizzled(%A: memref<512x512xf16>, %B: memref<512x512xf16>, %s: index)
        workgroup(%S: memref<3x64x64xf16, #gpu.address_space<workgroup>> {tl.swizzle = 128 : i64})
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c3 = arith.constant 3 : index
      %st = arith.remui %s, %c3 : index
      %F = memref.alloca() : memref<64x64xf16, #tl.fragment>
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      %d = "tl.region"(%S, %st, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 64, 64>} : (memref<3x64x64xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      %t = "tl.copy_async"(%a, %d) {annotations = {use_tma = true}} : (!tl.buffer_region, !tl.buffer_region) -> !tl.token
      "tl.wait"(%t) : (!tl.token) -> ()
      %r = "tl.region"(%S, %st, %c0, %c0) {access = 1 : i32, extents = array<i64: 1, 64, 64>} : (memref<3x64x64xf16, #gpu.address_space<workgroup>>, index, index, index) -> !tl.buffer_region
      "tl.copy"(%r, %F) : (!tl.buffer_region, memref<64x64xf16, #tl.fragment>) -> ()
      %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%F, %b) : (memref<64x64xf16, #tl.fragment>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}
