// Deferred store completion (design.md §3.1): a synchronous tl.copy lowered
// as a bulk or TMA store is issued at the op (fence, barrier, the elected
// thread's store and commit_group) and completed (the elected thread's
// wait_group 0 {read}, then a barrier) just before the first later op of its
// block that is a tl op, uses the source, has regions, or is the terminator;
// the ops in between overlap the store. With nothing in between it
// completes in the issuing block, as an undeferred store.
// RUN: tl-opt %s -split-input-file --tl-legalize-regions --tl-infer-layouts --tl-lower-copy | FileCheck %s
// The output verifies and lowers to LLVM with the upstream passes:
// RUN: tl-opt %s -split-input-file --pass-pipeline='builtin.module(gpu.module(tl-legalize-regions,tl-infer-layouts),tl-lower-copy,gpu.module(convert-gpu-to-nvvm))' > /dev/null

// Past arith ops and a memref.store to another buffer, before the next tl
// op (the tl.region tl-legalize-regions gave the next tl.copy, after its
// index constant).
// CHECK-LABEL: gpu.func @before_tl_op
// CHECK-NOT: "tl.
// CHECK: %[[IS0:.*]] = arith.cmpi eq, %thread_id_x, %c0
// CHECK: nvvm.fence.proxy
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: scf.if %[[IS0]] {
// CHECK: nvvm.cp.async.bulk.global.shared.cta %{{.*}}, %{{.*}}, %c4096_i32
// CHECK-NEXT: nvvm.cp.async.bulk.commit.group
// CHECK-NEXT: }
// CHECK-NEXT: arith.constant 777 : index
// CHECK-NEXT: arith.addi
// CHECK-NEXT: arith.constant 1.000000e+00 : f32
// CHECK-NEXT: memref.store %{{.*}}, %arg3[
// CHECK-NEXT: arith.constant 0 : index
// CHECK-NEXT: scf.if %[[IS0]] {
// CHECK-NEXT: nvvm.cp.async.bulk.wait_group 0 {read}
// CHECK-NEXT: }
// CHECK-NEXT: gpu.barrier
// CHECK-NOT: wait_group
// CHECK: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @before_tl_op(%A: memref<4096xf32>, %B: memref<4096xf32>)
        workgroup(%S: memref<1024xf32, #gpu.address_space<workgroup>>, %T: memref<1024xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, known_grid_size = array<i32: 4, 1, 1>} {
      %c1024 = arith.constant 1024 : index
      %bx = gpu.block_id x
      %i = arith.muli %bx, %c1024 : index
      %b = "tl.region"(%B, %i) {access = 2 : i32, extents = array<i64: 1024>} : (memref<4096xf32>, index) -> !tl.buffer_region
      "tl.copy"(%S, %b) {annotations = {use_bulk = true}} : (memref<1024xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      %m = arith.constant 777 : index
      %j = arith.addi %i, %m : index
      %f = arith.constant 1.0 : f32
      memref.store %f, %T[%bx] : memref<1024xf32, #gpu.address_space<workgroup>>
      "tl.copy"(%S, %T) : (memref<1024xf32, #gpu.address_space<workgroup>>, memref<1024xf32, #gpu.address_space<workgroup>>) -> ()
      gpu.return
    }
  }
}

// -----

// Before an scf.for (an op with regions), even one that does not touch
// the source.
// CHECK-LABEL: gpu.func @before_for
// CHECK: nvvm.cp.async.bulk.commit.group
// CHECK-NEXT: }
// CHECK-NEXT: arith.constant 777 : index
// CHECK-NEXT: arith.constant 1.000000e+00 : f32
// CHECK-NEXT: scf.if %{{.*}} {
// CHECK-NEXT: nvvm.cp.async.bulk.wait_group 0 {read}
// CHECK-NEXT: }
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: scf.for
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @before_for(%A: memref<4096xf32>, %B: memref<4096xf32>)
        workgroup(%S: memref<1024xf32, #gpu.address_space<workgroup>>, %T: memref<1024xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, known_grid_size = array<i32: 4, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c1024 = arith.constant 1024 : index
      %bx = gpu.block_id x
      %i = arith.muli %bx, %c1024 : index
      %b = "tl.region"(%B, %i) {access = 2 : i32, extents = array<i64: 1024>} : (memref<4096xf32>, index) -> !tl.buffer_region
      "tl.copy"(%S, %b) {annotations = {use_bulk = true}} : (memref<1024xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      %m = arith.constant 777 : index
      %f = arith.constant 1.0 : f32
      scf.for %k = %c0 to %c1 step %c1 {
        memref.store %f, %T[%k] : memref<1024xf32, #gpu.address_space<workgroup>>
      }
      gpu.return
    }
  }
}

// -----

// Before a use of the source through a view of it made before the store
// (a TMA store: the same split).
// CHECK-LABEL: gpu.func @before_use
// CHECK: memref.subview
// CHECK: nvvm.cp.async.bulk.tensor.global.shared.cta
// CHECK-NEXT: nvvm.cp.async.bulk.commit.group
// CHECK-NEXT: }
// CHECK-NEXT: arith.constant 777 : index
// CHECK-NEXT: scf.if %{{.*}} {
// CHECK-NEXT: nvvm.cp.async.bulk.wait_group 0 {read}
// CHECK-NEXT: }
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: memref.store
// CHECK-NEXT: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @before_use(%A: memref<256x256xf16>, %B: memref<256x256xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      %v = memref.subview %S[0, 0] [1, 64] [1, 1] : memref<64x64xf16, #gpu.address_space<workgroup>> to memref<64xf16, strided<[1]>, #gpu.address_space<workgroup>>
      %h = arith.constant 1.0 : f16
      "tl.copy"(%S, %b) {annotations = {use_tma = true}} : (memref<64x64xf16, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      %m = arith.constant 777 : index
      memref.store %h, %v[%c0] : memref<64xf16, strided<[1]>, #gpu.address_space<workgroup>>
      gpu.return
    }
  }
}

// -----

// Before gpu.return (the terminator) past an unrelated op; with nothing in
// between (@adjacent) in the issuing block, as an undeferred store.
// CHECK-LABEL: gpu.func @before_return
// CHECK: nvvm.cp.async.bulk.global.shared.cta
// CHECK-NEXT: nvvm.cp.async.bulk.commit.group
// CHECK-NEXT: }
// CHECK-NEXT: arith.constant 777 : index
// CHECK-NEXT: scf.if %{{.*}} {
// CHECK-NEXT: nvvm.cp.async.bulk.wait_group 0 {read}
// CHECK-NEXT: }
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: gpu.return
// CHECK-LABEL: gpu.func @adjacent
// CHECK: nvvm.cp.async.bulk.global.shared.cta
// CHECK-NEXT: nvvm.cp.async.bulk.commit.group
// CHECK-NEXT: nvvm.cp.async.bulk.wait_group 0 {read}
// CHECK-NEXT: }
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: gpu.return
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @before_return(%A: memref<4096xf32>, %B: memref<4096xf32>)
        workgroup(%S: memref<1024xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, known_grid_size = array<i32: 4, 1, 1>} {
      %c1024 = arith.constant 1024 : index
      %bx = gpu.block_id x
      %i = arith.muli %bx, %c1024 : index
      %b = "tl.region"(%B, %i) {access = 2 : i32, extents = array<i64: 1024>} : (memref<4096xf32>, index) -> !tl.buffer_region
      "tl.copy"(%S, %b) {annotations = {use_bulk = true}} : (memref<1024xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      %m = arith.constant 777 : index
      gpu.return
    }
    gpu.func @adjacent(%A: memref<4096xf32>, %B: memref<4096xf32>)
        workgroup(%S: memref<1024xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, known_grid_size = array<i32: 4, 1, 1>} {
      %c1024 = arith.constant 1024 : index
      %bx = gpu.block_id x
      %i = arith.muli %bx, %c1024 : index
      %b = "tl.region"(%B, %i) {access = 2 : i32, extents = array<i64: 1024>} : (memref<4096xf32>, index) -> !tl.buffer_region
      "tl.copy"(%S, %b) {annotations = {use_bulk = true}} : (memref<1024xf32, #gpu.address_space<workgroup>>, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}
