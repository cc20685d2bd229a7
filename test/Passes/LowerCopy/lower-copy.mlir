// RUN: tl-opt %s -split-input-file --tl-lower-copy | FileCheck %s
// Anchored on the gpu.module, as in the tl-to-nvvm pipeline:
// RUN: tl-opt %s -split-input-file --pass-pipeline='builtin.module(gpu.module(tl-lower-copy))' | FileCheck %s
// The output verifies and lowers to LLVM with the upstream passes:
// RUN: tl-opt %s -split-input-file --pass-pipeline='builtin.module(tl-lower-copy,gpu.module(convert-gpu-to-nvvm))' > /dev/null

// Inputs carry what tl-legalize-regions and tl-infer-layouts leave
// (docs/layouts.md): legalized regions, base_side/base_shape, inst,
// vector_width, thread_map, tl.layout on fragments, llvm.align on the
// workgroup buffers.

// global -> shared -> global, f32, v = 4, 128 threads: 8 chunks per thread,
// unrolled; 16-byte vector accesses with an explicit alignment; one barrier
// between the write of S and its read; no tl op left.
// CHECK-LABEL: gpu.func @f32_tile
// CHECK-NOT: "tl.
// CHECK: %[[TID:.*]] = gpu.thread_id x
// CHECK: %[[T4:.*]] = arith.muli %[[TID]], %c4{{.*}} : index
// CHECK: %[[COL:.*]] = arith.remui %[[T4]], %[[C64:.*]] : index
// CHECK: %[[ROW:.*]] = arith.divui %[[T4]], %[[C64]] : index
// CHECK: %[[GI:.*]] = arith.addi %{{.*}}, %[[ROW]] : index
// CHECK: %[[GJ:.*]] = arith.addi %{{.*}}, %[[COL]] : index
// CHECK: %[[V:.*]] = vector.load %arg0[%[[GI]], %[[GJ]]] {alignment = 16 : i64} : memref<512x512xf32>, vector<4xf32>
// CHECK: vector.store %[[V]], %arg2[%[[ROW]], %[[COL]]] {alignment = 16 : i64} : memref<64x64xf32, #gpu.address_space<workgroup>>, vector<4xf32>
// Chunk 1 starts 512 elements (128 threads x 4) further.
// CHECK: %[[F1:.*]] = arith.addi %[[T4]], %c512 : index
// CHECK: arith.remui %[[F1]], %[[C64]]
// CHECK-COUNT-7: vector.store {{.*}}, %arg2[
// CHECK-NOT: vector.store {{.*}}, %arg2[
// CHECK: gpu.barrier
// CHECK-NOT: gpu.barrier
// CHECK-COUNT-8: vector.store {{.*}}, %arg1[{{.*}}] {alignment = 16 : i64} : memref<512x512xf32>, vector<4xf32>
// CHECK-NOT: "tl.
// CHECK: gpu.return
#t4 = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 4) mod 128, ((d0 * 64 + d1) floordiv 512) * 4 + (d0 * 64 + d1) mod 4)>, 128 : i64, 1 : i64>
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @f32_tile(%A: memref<512x512xf32>, %B: memref<512x512xf32>)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, workgroup_attrib_attrs = [{llvm.align = 16 : i64}]} {
      %c0 = arith.constant 0 : index
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      %i = arith.muli %by, %c64 : index
      %j = arith.muli %bx, %c64 : index
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      %s = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %s) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "simt", vector_width = 4 : i64, thread_map = #t4} : (!tl.buffer_region, !tl.buffer_region) -> ()
      %s2 = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      "tl.copy"(%s2, %b) {base_shape = array<i64: 64, 64>, base_side = "src", inst = "simt", vector_width = 4 : i64, thread_map = #t4} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// f16 with v = 8 and i8 with v = 16: still one 16-byte access per chunk.
// CHECK-LABEL: gpu.func @f16_i8_tiles
// CHECK-COUNT-4: vector.load %arg0[{{.*}}] {alignment = 16 : i64} : memref<512x512xf16>, vector<8xf16>
// CHECK-NOT: vector.load %arg0
// CHECK-COUNT-2: vector.load %arg1[{{.*}}] {alignment = 16 : i64} : memref<512x512xi8>, vector<16xi8>
// CHECK-NOT: vector.load %arg1
#t8 = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 128, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>, 128 : i64, 1 : i64>
#t16 = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 16) mod 128, ((d0 * 64 + d1) floordiv 2048) * 16 + (d0 * 64 + d1) mod 16)>, 128 : i64, 1 : i64>
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @f16_i8_tiles(%A: memref<512x512xf16>, %B: memref<512x512xi8>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>, %T: memref<64x64xi8, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, workgroup_attrib_attrs = [{llvm.align = 16 : i64}, {llvm.align = 16 : i64}]} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      %s = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %s) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "simt", vector_width = 8 : i64, thread_map = #t8} : (!tl.buffer_region, !tl.buffer_region) -> ()
      %b = "tl.region"(%B, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xi8>, index, index) -> !tl.buffer_region
      %t = "tl.region"(%T, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xi8, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      "tl.copy"(%b, %t) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "simt", vector_width = 16 : i64, thread_map = #t16} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// A boundary tile: reads outside the buffer give 0 (scf.if yielding a
// vector), writes outside are skipped; a dynamic dimension is read with
// memref.dim; only the flagged dimensions are checked.
// CHECK-LABEL: gpu.func @boundary
// CHECK-DAG: %[[C100:.*]] = arith.constant 100 : index
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<4xf32>
// CHECK: %[[I:.*]] = arith.addi %arg2, %{{.*}} : index
// CHECK: %[[J:.*]] = arith.addi %arg3, %{{.*}} : index
// CHECK: %[[PI:.*]] = arith.cmpi ult, %[[I]], %[[C100]] : index
// CHECK: %[[PJ:.*]] = arith.cmpi ult, %[[J]], %[[C100]] : index
// CHECK: %[[P:.*]] = arith.andi %[[PI]], %[[PJ]] : i1
// CHECK: %[[R:.*]] = scf.if %[[P]] -> (vector<4xf32>) {
// CHECK:   %[[L:.*]] = vector.load %arg0[%[[I]], %[[J]]] {alignment = 16 : i64} : memref<100x100xf32>, vector<4xf32>
// CHECK:   scf.yield %[[L]] : vector<4xf32>
// CHECK: } else {
// CHECK:   scf.yield %[[ZERO]] : vector<4xf32>
// CHECK: }
// CHECK: vector.store %[[R]], %arg4
// CHECK: gpu.barrier
// CHECK: %[[DIM:.*]] = memref.dim %arg1, %{{.*}} : memref<?x100xf32>
// CHECK: %[[S:.*]] = vector.load %arg4
// CHECK-NOT: arith.cmpi ult, %{{.*}}, %[[C100]]
// CHECK: %[[W:.*]] = arith.cmpi ult, %{{.*}}, %[[DIM]] : index
// CHECK-NEXT: scf.if %[[W]] {
// CHECK-NEXT:   vector.store %[[S]], %arg1[{{.*}}] {alignment = 16 : i64} : memref<?x100xf32>, vector<4xf32>
// CHECK-NEXT: }
#t4 = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 4) mod 128, ((d0 * 64 + d1) floordiv 512) * 4 + (d0 * 64 + d1) mod 4)>, 128 : i64, 1 : i64>
#t8 = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 128, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>, 128 : i64, 1 : i64>
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @boundary(%A: memref<100x100xf32>, %B: memref<?x100xf32>, %i: index, %j: index)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, workgroup_attrib_attrs = [{llvm.align = 16 : i64}]} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32, bounds_check = array<i1: true, true>, extents = array<i64: 64, 64>} : (memref<100x100xf32>, index, index) -> !tl.buffer_region
      %s = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %s) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "simt", vector_width = 4 : i64, thread_map = #t4} : (!tl.buffer_region, !tl.buffer_region) -> ()
      %s2 = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, bounds_check = array<i1: true, false>, extents = array<i64: 64, 64>} : (memref<?x100xf32>, index, index) -> !tl.buffer_region
      "tl.copy"(%s2, %b) {base_shape = array<i64: 64, 64>, base_side = "src", inst = "simt", vector_width = 4 : i64, thread_map = #t4} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// annotations.safe_value, converted to the source element type.
// CHECK-LABEL: gpu.func @safe_value
// CHECK: %[[SAFE:.*]] = arith.constant dense<3.000000e+00> : vector<8xf16>
// CHECK: scf.if %{{.*}} -> (vector<8xf16>) {
// CHECK:   vector.load %arg0[{{.*}}] {alignment = 16 : i64} : memref<100x128xf16>, vector<8xf16>
// CHECK: } else {
// CHECK:   scf.yield %[[SAFE]] : vector<8xf16>
#t8 = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 128, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>, 128 : i64, 1 : i64>
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @safe_value(%A: memref<100x128xf16>, %i: index)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, workgroup_attrib_attrs = [{llvm.align = 16 : i64}]} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %i, %c0) {access = 1 : i32, bounds_check = array<i1: true, false>, extents = array<i64: 64, 64>} : (memref<100x128xf16>, index, index) -> !tl.buffer_region
      %s = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %s) {annotations = {safe_value = 3 : i32}, base_shape = array<i64: 64, 64>, base_side = "dst", inst = "simt", vector_width = 8 : i64, thread_map = #t8} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// f16 -> f32: the cast is an arith.extf on the vector. With v = 4 the f16
// side is 8 bytes (alignment 8); with v = 8 the f32 side is 32 bytes,
// stored as two 16-byte halves.
// CHECK-LABEL: gpu.func @cast
// CHECK: %[[H:.*]] = vector.load %arg0[%[[R:.*]], %[[C:.*]]] {alignment = 8 : i64} : memref<512x512xf16>, vector<4xf16>
// CHECK: %[[F:.*]] = arith.extf %[[H]] : vector<4xf16> to vector<4xf32>
// CHECK: vector.store %[[F]], %arg1[%[[R]], %[[C]]] {alignment = 16 : i64} : memref<64x64xf32, #gpu.address_space<workgroup>>, vector<4xf32>
// CHECK: %[[H8:.*]] = vector.load %arg0[%[[R8:.*]], %[[C8:.*]]] {alignment = 16 : i64} : memref<512x512xf16>, vector<8xf16>
// CHECK: %[[F8:.*]] = arith.extf %[[H8]] : vector<8xf16> to vector<8xf32>
// CHECK: %[[LO:.*]] = vector.shuffle %[[F8]], %[[F8]] [0, 1, 2, 3] : vector<8xf32>, vector<8xf32>
// CHECK: vector.store %[[LO]], %arg2[%[[R8]], %[[C8]]] {alignment = 16 : i64} : memref<64x64xf32, #gpu.address_space<workgroup>>, vector<4xf32>
// CHECK: %[[C8HI:.*]] = arith.addi %[[C8]], %c4{{.*}} : index
// CHECK: %[[HI:.*]] = vector.shuffle %[[F8]], %[[F8]] [4, 5, 6, 7] : vector<8xf32>, vector<8xf32>
// CHECK: vector.store %[[HI]], %arg2[%[[R8]], %[[C8HI]]] {alignment = 16 : i64} : memref<64x64xf32, #gpu.address_space<workgroup>>, vector<4xf32>
#t4 = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 4) mod 128, ((d0 * 64 + d1) floordiv 512) * 4 + (d0 * 64 + d1) mod 4)>, 128 : i64, 1 : i64>
#t8 = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 128, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>, 128 : i64, 1 : i64>
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @cast(%A: memref<512x512xf16>)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>, %T: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, workgroup_attrib_attrs = [{llvm.align = 16 : i64}, {llvm.align = 16 : i64}]} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      %s = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %s) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "simt", vector_width = 4 : i64, thread_map = #t4} : (!tl.buffer_region, !tl.buffer_region) -> ()
      %t = "tl.region"(%T, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %t) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "simt", vector_width = 8 : i64, thread_map = #t8} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// 64x64 f32, v = 4, 96 threads (a 32x3 block): 1024 vectors are 10 full
// chunks and one owned by threads [0, 64) only, guarded. The thread id is
// linearized as x + y * 32.
// CHECK-LABEL: gpu.func @guard
// CHECK: %[[X:.*]] = gpu.thread_id x
// CHECK: %[[Y:.*]] = gpu.thread_id y
// CHECK: %[[Y32:.*]] = arith.muli %[[Y]], %c32 : index
// CHECK: %[[TID:.*]] = arith.addi %[[X]], %[[Y32]] : index
// CHECK: %[[T4:.*]] = arith.muli %[[TID]], %c4 : index
// CHECK-NOT: scf.if
// CHECK-COUNT-10: vector.store
// CHECK-NOT: vector.store
// CHECK: %[[G:.*]] = arith.cmpi ult, %[[TID]], %c64 : index
// CHECK-NEXT: scf.if %[[G]] {
// CHECK-NEXT:   arith.addi %[[T4]], %c3840 : index
// CHECK:        vector.load
// CHECK-NEXT:   vector.store
// CHECK-NEXT: {{^ *}}}{{$}}
// CHECK-NEXT: gpu.return
#t96 = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 4) mod 96, ((d0 * 64 + d1) floordiv 384) * 4 + (d0 * 64 + d1) mod 4)>, 96 : i64, 1 : i64>
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @guard(%A: memref<512x512xf32>)
        workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 3, 1>, workgroup_attrib_attrs = [{llvm.align = 16 : i64}]} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
      %s = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %s) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "simt", vector_width = 4 : i64, thread_map = #t96} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// Fragments become per-thread private arrays (L = 16 locals), accessed at
// c * v; "direct" copies locals 0..15 with the cast; the fragment -> global
// copy splits the 32-byte f32 chunk in two 16-byte pieces.
// CHECK-LABEL: gpu.func @fragment
// CHECK-NOT: #tl.fragment
// CHECK: %[[F:.*]] = memref.alloca() {alignment = 16 : i64} : memref<16xf16>
// CHECK: %[[G:.*]] = memref.alloca() {alignment = 16 : i64} : memref<16xf32>
// CHECK: %[[V0:.*]] = vector.load %arg0{{.*}} : memref<256x256xf16>, vector<8xf16>
// CHECK: vector.store %[[V0]], %[[F]][%[[C0:.*]]] {alignment = 16 : i64} : memref<16xf16>, vector<8xf16>
// CHECK: %[[V1:.*]] = vector.load %arg0{{.*}} : memref<256x256xf16>, vector<8xf16>
// CHECK: vector.store %[[V1]], %[[F]][%[[C8:.*]]] {alignment = 16 : i64} : memref<16xf16>, vector<8xf16>
// Direct: 4 x (4 halves -> 4 floats).
// CHECK: %[[D0:.*]] = vector.load %[[F]][%[[I0:.*]]] {alignment = 8 : i64} : memref<16xf16>, vector<4xf16>
// CHECK: %[[E0:.*]] = arith.extf %[[D0]] : vector<4xf16> to vector<4xf32>
// CHECK: vector.store %[[E0]], %[[G]][%[[I0]]] {alignment = 16 : i64} : memref<16xf32>, vector<4xf32>
// CHECK-COUNT-3: arith.extf
// Fragment -> global.
// CHECK: %[[P0:.*]] = vector.load %[[G]][%{{.*}}] {alignment = 16 : i64} : memref<16xf32>, vector<4xf32>
// CHECK: %[[P1:.*]] = vector.load %[[G]][%{{.*}}] {alignment = 16 : i64} : memref<16xf32>, vector<4xf32>
// CHECK: %[[CAT:.*]] = vector.shuffle %[[P0]], %[[P1]] [0, 1, 2, 3, 4, 5, 6, 7] : vector<4xf32>, vector<4xf32>
// CHECK: vector.shuffle %[[CAT]], %[[CAT]] [0, 1, 2, 3]
// CHECK: vector.store {{.*}}, %arg1[{{.*}}] {alignment = 16 : i64} : memref<256x256xf32>, vector<4xf32>
// CHECK: vector.shuffle %[[CAT]], %[[CAT]] [4, 5, 6, 7]
// CHECK: vector.store {{.*}}, %arg1[{{.*}}] {alignment = 16 : i64} : memref<256x256xf32>, vector<4xf32>
#t8 = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 128, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>, 128 : i64, 1 : i64>
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @fragment(%A: memref<256x256xf16>, %B: memref<256x256xf32>, %i: index, %j: index)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %F = memref.alloca() {tl.layout = #t8} : memref<32x64xf16, #tl.fragment>
      %G = memref.alloca() {tl.layout = #t8} : memref<32x64xf32, #tl.fragment>
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32, extents = array<i64: 32, 64>} : (memref<256x256xf16>, index, index) -> !tl.buffer_region
      %f = "tl.region"(%F, %c0, %c0) {access = 2 : i32, extents = array<i64: 32, 64>} : (memref<32x64xf16, #tl.fragment>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %f) {base_shape = array<i64: 32, 64>, base_side = "dst", inst = "simt", vector_width = 8 : i64, thread_map = #t8} : (!tl.buffer_region, !tl.buffer_region) -> ()
      %f2 = "tl.region"(%F, %c0, %c0) {access = 1 : i32, extents = array<i64: 32, 64>} : (memref<32x64xf16, #tl.fragment>, index, index) -> !tl.buffer_region
      %g = "tl.region"(%G, %c0, %c0) {access = 2 : i32, extents = array<i64: 32, 64>} : (memref<32x64xf32, #tl.fragment>, index, index) -> !tl.buffer_region
      "tl.copy"(%f2, %g) {base_shape = array<i64: 32, 64>, base_side = "src", inst = "direct"} : (!tl.buffer_region, !tl.buffer_region) -> ()
      %g2 = "tl.region"(%G, %c0, %c0) {access = 1 : i32, extents = array<i64: 32, 64>} : (memref<32x64xf32, #tl.fragment>, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, extents = array<i64: 32, 64>} : (memref<256x256xf32>, index, index) -> !tl.buffer_region
      "tl.copy"(%g2, %b) {base_shape = array<i64: 32, 64>, base_side = "src", inst = "simt", vector_width = 8 : i64, thread_map = #t8} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// More than 64 chunks per thread: an scf.for over the chunks whose closed
// form is affine in the chunk index, then the remaining chunk unrolled
// (100x100 with v = 1 and 32 threads: 312 full chunks, then threads
// [0, 16) hold chunk 312). A fragment in a loop is indexed by the chunk.
// CHECK-LABEL: gpu.func @loop
// CHECK: %[[TID:.*]] = gpu.thread_id x
// CHECK: scf.for %[[C:.*]] = %{{.*}} to %c312 step %c1 {
// CHECK:   %[[CT:.*]] = arith.muli %[[C]], %c32 : index
// CHECK:   %[[FL:.*]] = arith.addi %[[TID]], %[[CT]] : index
// CHECK:   %[[J:.*]] = arith.remui %[[FL]], %c100 : index
// CHECK:   %[[I:.*]] = arith.divui %[[FL]], %c100 : index
// CHECK:   %[[X:.*]] = memref.load %arg0[%[[I]], %[[J]]] : memref<100x100xf32>
// CHECK:   memref.store %[[X]], %arg2[%[[I]], %[[J]]] : memref<100x100xf32, #gpu.address_space<workgroup>>
// CHECK: }
// CHECK: %[[G:.*]] = arith.cmpi ult, %[[TID]], %c16 : index
// CHECK: scf.if %[[G]] {
// CHECK:   arith.addi %[[TID]], %c9984 : index
// CHECK: }
// CHECK: %[[F:.*]] = memref.alloca() {alignment = 16 : i64} : memref<128xf32>
// CHECK: scf.for %[[K:.*]] = %{{.*}} to %c128 step %{{.*}} {
// CHECK:   %[[Y:.*]] = memref.load %arg1
// CHECK:   memref.store %[[Y]], %[[F]][%[[K]]] : memref<128xf32>
// CHECK: }
#m1 = #tl.fragment_layout<affine_map<(d0, d1) -> ((d0 * 100 + d1) mod 32, (d0 * 100 + d1) floordiv 32)>, 32 : i64, 1 : i64>
#mf = #tl.fragment_layout<affine_map<(d0, d1) -> ((d0 * 64 + d1) mod 32, (d0 * 64 + d1) floordiv 32)>, 32 : i64, 1 : i64>
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @loop(%A: memref<100x100xf32>, %B: memref<64x64xf32>)
        workgroup(%S: memref<100x100xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 100, 100>} : (memref<100x100xf32>, index, index) -> !tl.buffer_region
      %s = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 100, 100>} : (memref<100x100xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %s) {base_shape = array<i64: 100, 100>, base_side = "dst", inst = "simt", vector_width = 1 : i64, thread_map = #m1} : (!tl.buffer_region, !tl.buffer_region) -> ()
      %F = memref.alloca() {tl.layout = #mf} : memref<64x64xf32, #tl.fragment>
      %b = "tl.region"(%B, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf32>, index, index) -> !tl.buffer_region
      %f = "tl.region"(%F, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf32, #tl.fragment>, index, index) -> !tl.buffer_region
      "tl.copy"(%b, %f) {base_shape = array<i64: 64, 64>, base_side = "dst", inst = "simt", vector_width = 1 : i64, thread_map = #mf} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// Unit dimensions of a side take the region's index.
// CHECK-LABEL: gpu.func @unit_dims
// CHECK: %[[I:.*]] = arith.addi %arg2, %{{.*}} : index
// CHECK: %[[J:.*]] = arith.addi %arg3, %{{.*}} : index
// CHECK: vector.load %arg0[%arg1, %[[I]], %[[J]]] {alignment = 16 : i64} : memref<8x128x128xf32>, vector<4xf32>
#t = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 4) mod 128, ((d0 * 64 + d1) floordiv 512) * 4 + (d0 * 64 + d1) mod 4)>, 128 : i64, 1 : i64>
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @unit_dims(%A: memref<8x128x128xf32>, %b: index, %i: index, %j: index)
        workgroup(%S: memref<32x64xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, workgroup_attrib_attrs = [{llvm.align = 16 : i64}]} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %b, %i, %j) {access = 1 : i32, extents = array<i64: 1, 32, 64>} : (memref<8x128x128xf32>, index, index, index) -> !tl.buffer_region
      %s = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 32, 64>} : (memref<32x64xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %s) {base_shape = array<i64: 32, 64>, base_side = "dst", inst = "simt", vector_width = 4 : i64, thread_map = #t} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// Eviction policies: global accesses become inline PTX with the L1
// qualifier (address = aligned pointer + linear offset * element bytes);
// annotations override the named attribute; evict_normal is the plain
// access.
// CHECK-LABEL: gpu.func @eviction
// CHECK: %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %arg0 : memref<512x512xf16> -> index
// CHECK: %[[I:.*]] = arith.addi %arg2, %{{.*}} : index
// CHECK: %[[J:.*]] = arith.addi %arg3, %{{.*}} : index
// CHECK: %[[IS:.*]] = arith.muli %[[I]], %c512 : index
// CHECK: %[[LIN:.*]] = arith.addi %[[IS]], %[[J]] : index
// CHECK: %[[BYTES:.*]] = arith.muli %[[LIN]], %c2 : index
// CHECK: %[[ADDR:.*]] = arith.addi %[[BASE]], %[[BYTES]] : index
// CHECK: %[[A64:.*]] = arith.index_cast %[[ADDR]] : index to i64
// CHECK: %[[GP:.*]] = llvm.inttoptr %[[A64]] : i64 to !llvm.ptr
// CHECK: %[[P:.*]] = llvm.addrspacecast %[[GP]] : !llvm.ptr to !llvm.ptr<1>
// CHECK: %[[R:.*]] = llvm.inline_asm has_side_effects "ld.global.L1::evict_last.v4.b32 {$0, $1, $2, $3}, [$4];", "=r,=r,=r,=r,l" %[[P]] : (!llvm.ptr<1>) -> !llvm.struct<(i32, i32, i32, i32)>
// CHECK: %[[R0:.*]] = llvm.extractvalue %[[R]][0]
// CHECK: %[[R3:.*]] = llvm.extractvalue %[[R]][3]
// CHECK: %[[VI:.*]] = vector.from_elements %[[R0]], %{{.*}}, %{{.*}}, %[[R3]] : vector<4xi32>
// CHECK: %[[VH:.*]] = vector.bitcast %[[VI]] : vector<4xi32> to vector<8xf16>
// CHECK: vector.store %[[VH]], %arg4
// CHECK: gpu.barrier
// CHECK: %[[S:.*]] = vector.load %arg4
// CHECK: %[[SI:.*]] = vector.bitcast %[[S]] : vector<8xf16> to vector<4xi32>
// CHECK: %[[E0:.*]] = vector.extract %[[SI]][0] : i32 from vector<4xi32>
// CHECK: llvm.inline_asm has_side_effects "st.global.L1::evict_first.v4.b32 [$0], {$1, $2, $3, $4};", "l,r,r,r,r" %{{.*}}, %[[E0]], %{{.*}}, %{{.*}}, %{{.*}} : (!llvm.ptr<1>, i32, i32, i32, i32) -> ()
// The evict_normal copy: plain vector accesses.
// CHECK-COUNT-4: vector.store {{.*}}, %arg1[{{.*}}] {alignment = 16 : i64} : memref<512x512xf16>, vector<8xf16>
// CHECK-NOT: inline_asm
// CHECK: gpu.return
#t8 = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 128, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>, 128 : i64, 1 : i64>
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @eviction(%A: memref<512x512xf16>, %B: memref<512x512xf16>, %i: index, %j: index)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, workgroup_attrib_attrs = [{llvm.align = 16 : i64}]} {
      %c0 = arith.constant 0 : index
      %a = "tl.region"(%A, %i, %j) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      %s = "tl.region"(%S, %c0, %c0) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %s) {base_shape = array<i64: 64, 64>, base_side = "dst", eviction_policy = "evict_last", inst = "simt", vector_width = 8 : i64, thread_map = #t8} : (!tl.buffer_region, !tl.buffer_region) -> ()
      %s2 = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %i, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%s2, %b) {annotations = {eviction_policy = "evict_first"}, base_shape = array<i64: 64, 64>, base_side = "src", eviction_policy = "evict_normal", inst = "simt", vector_width = 8 : i64, thread_map = #t8} : (!tl.buffer_region, !tl.buffer_region) -> ()
      "tl.copy"(%a, %b) {base_shape = array<i64: 64, 64>, base_side = "src", eviction_policy = "evict_normal", inst = "simt", vector_width = 8 : i64, thread_map = #t8} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// Barriers: before a tl op that reads a shared buffer written since the
// last barrier, or writes one read or written since; a gpu.barrier already
// there resets the state; reads after reads need none. tl ops in a loop
// get one whenever another tl op of the kernel conflicts with them.
// CHECK-LABEL: gpu.func @barriers
// A -> S1, A -> S2: no barrier.
// CHECK-NOT: gpu.barrier
// CHECK: vector.store {{.*}}, %arg3[
// CHECK-NOT: gpu.barrier
// CHECK: vector.store {{.*}}, %arg4[
// S1 -> B reads S1 written above.
// CHECK-NEXT: gpu.barrier
// CHECK: vector.load %arg3[
// S2 -> B: S2 was written before that barrier.
// CHECK-NOT: gpu.barrier
// CHECK: vector.load %arg4[
// A -> S1 writes S1 read since the barrier.
// CHECK: gpu.barrier
// CHECK: vector.store {{.*}}, %arg3[
// The user's barrier, then two reads of S1: nothing added.
// CHECK-NEXT: gpu.barrier
// CHECK-NOT: gpu.barrier
// CHECK: vector.load %arg3[
// CHECK-NOT: gpu.barrier
// CHECK: vector.load %arg3[
// CHECK-NOT: gpu.barrier
// The loop's copies through S3 conflict with each other.
// CHECK: scf.for
// CHECK-NEXT: gpu.barrier
// CHECK: vector.store {{.*}}, %arg5[
// CHECK-NEXT: gpu.barrier
// CHECK: vector.load %arg5[
// CHECK: }
// Nothing else touches S4.
// CHECK: scf.for
// CHECK-NOT: gpu.barrier
// CHECK: vector.store {{.*}}, %arg6[
// CHECK-NEXT: {{^ *}}}{{$}}
// S3 was written in the first loop.
// CHECK-NEXT: gpu.barrier
// CHECK: vector.load %arg5[
// CHECK-NOT: gpu.barrier
// CHECK: gpu.return
#t = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 32 + d1) floordiv 4) mod 32, ((d0 * 32 + d1) floordiv 128) * 4 + (d0 * 32 + d1) mod 4)>, 32 : i64, 1 : i64>
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @barriers(%A: memref<4x32xf32>, %B: memref<4x32xf32>, %n: index)
        workgroup(%S1: memref<4x32xf32, #gpu.address_space<workgroup>>, %S2: memref<4x32xf32, #gpu.address_space<workgroup>>,
                  %S3: memref<4x32xf32, #gpu.address_space<workgroup>>, %S4: memref<4x32xf32, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>, workgroup_attrib_attrs = [{llvm.align = 16 : i64}, {llvm.align = 16 : i64}, {llvm.align = 16 : i64}, {llvm.align = 16 : i64}]} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %a = "tl.region"(%A, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
      %b = "tl.region"(%B, %c0, %c0) {access = 2 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32>, index, index) -> !tl.buffer_region
      %s1w = "tl.region"(%S1, %c0, %c0) {access = 2 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s1r = "tl.region"(%S1, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s2w = "tl.region"(%S2, %c0, %c0) {access = 2 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s2r = "tl.region"(%S2, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s3w = "tl.region"(%S3, %c0, %c0) {access = 2 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s3r = "tl.region"(%S3, %c0, %c0) {access = 1 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %s4w = "tl.region"(%S4, %c0, %c0) {access = 2 : i32, extents = array<i64: 4, 32>} : (memref<4x32xf32, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      "tl.copy"(%a, %s1w) {base_shape = array<i64: 4, 32>, base_side = "dst", inst = "simt", vector_width = 4 : i64, thread_map = #t} : (!tl.buffer_region, !tl.buffer_region) -> ()
      "tl.copy"(%a, %s2w) {base_shape = array<i64: 4, 32>, base_side = "dst", inst = "simt", vector_width = 4 : i64, thread_map = #t} : (!tl.buffer_region, !tl.buffer_region) -> ()
      "tl.copy"(%s1r, %b) {base_shape = array<i64: 4, 32>, base_side = "src", inst = "simt", vector_width = 4 : i64, thread_map = #t} : (!tl.buffer_region, !tl.buffer_region) -> ()
      "tl.copy"(%s2r, %b) {base_shape = array<i64: 4, 32>, base_side = "src", inst = "simt", vector_width = 4 : i64, thread_map = #t} : (!tl.buffer_region, !tl.buffer_region) -> ()
      "tl.copy"(%a, %s1w) {base_shape = array<i64: 4, 32>, base_side = "dst", inst = "simt", vector_width = 4 : i64, thread_map = #t} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.barrier
      "tl.copy"(%s1r, %b) {base_shape = array<i64: 4, 32>, base_side = "src", inst = "simt", vector_width = 4 : i64, thread_map = #t} : (!tl.buffer_region, !tl.buffer_region) -> ()
      "tl.copy"(%s1r, %b) {base_shape = array<i64: 4, 32>, base_side = "src", inst = "simt", vector_width = 4 : i64, thread_map = #t} : (!tl.buffer_region, !tl.buffer_region) -> ()
      scf.for %k = %c0 to %n step %c1 {
        "tl.copy"(%a, %s3w) {base_shape = array<i64: 4, 32>, base_side = "dst", inst = "simt", vector_width = 4 : i64, thread_map = #t} : (!tl.buffer_region, !tl.buffer_region) -> ()
        "tl.copy"(%s3r, %b) {base_shape = array<i64: 4, 32>, base_side = "src", inst = "simt", vector_width = 4 : i64, thread_map = #t} : (!tl.buffer_region, !tl.buffer_region) -> ()
      }
      scf.for %k = %c0 to %n step %c1 {
        "tl.copy"(%a, %s4w) {base_shape = array<i64: 4, 32>, base_side = "dst", inst = "simt", vector_width = 4 : i64, thread_map = #t} : (!tl.buffer_region, !tl.buffer_region) -> ()
      }
      "tl.copy"(%s3r, %b) {base_shape = array<i64: 4, 32>, base_side = "src", inst = "simt", vector_width = 4 : i64, thread_map = #t} : (!tl.buffer_region, !tl.buffer_region) -> ()
      gpu.return
    }
  }
}

// -----

// tl.c2d_im2col writes its column tile (and is lowered later): the copy
// that reads it gets a barrier, and so does the next im2col (it overwrites
// the tile the copy read).
// CHECK-LABEL: gpu.func @im2col
// CHECK: "tl.c2d_im2col"(%arg0, %arg2, %block_id_x, %block_id_y)
// CHECK-NOT: vector.store
// CHECK: gpu.barrier
// CHECK-COUNT-4: vector.store {{.*}}, %arg1[
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: "tl.c2d_im2col"(%arg0, %arg2, %block_id_y, %block_id_x)
// CHECK-NOT: "tl.region"
#t8 = #tl.fragment_layout<affine_map<(d0, d1) -> (((d0 * 64 + d1) floordiv 8) mod 128, ((d0 * 64 + d1) floordiv 1024) * 8 + (d0 * 64 + d1) mod 8)>, 128 : i64, 1 : i64>
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_90a">] {
    gpu.func @im2col(%Img: memref<8x32x32x64xf16>, %Col: memref<8192x576xf16>)
        workgroup(%S: memref<64x64xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 128, 1, 1>, workgroup_attrib_attrs = [{llvm.align = 16 : i64}]} {
      %c0 = arith.constant 0 : index
      %c64 = arith.constant 64 : index
      %bx = gpu.block_id x
      %by = gpu.block_id y
      "tl.c2d_im2col"(%Img, %S, %bx, %by) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<8x32x32x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      %i = arith.muli %bx, %c64 : index
      %j = arith.muli %by, %c64 : index
      %s = "tl.region"(%S, %c0, %c0) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
      %c = "tl.region"(%Col, %i, %j) {access = 2 : i32, extents = array<i64: 64, 64>} : (memref<8192x576xf16>, index, index) -> !tl.buffer_region
      "tl.copy"(%s, %c) {base_shape = array<i64: 64, 64>, base_side = "src", inst = "simt", vector_width = 8 : i64, thread_map = #t8} : (!tl.buffer_region, !tl.buffer_region) -> ()
      "tl.c2d_im2col"(%Img, %S, %by, %bx) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<8x32x32x64xf16>, memref<64x64xf16, #gpu.address_space<workgroup>>, index, index) -> ()
      gpu.return
    }
  }
}

// -----

// "direct" between fragments whose ranks differ by a unit dimension: the
// layouts agree on the base coordinates, local l goes to local l.
// CHECK-LABEL: gpu.func @direct_ranks
// CHECK: %[[F:.*]] = memref.alloca() {alignment = 16 : i64} : memref<2xf16>
// CHECK: %[[G:.*]] = memref.alloca() {alignment = 16 : i64} : memref<2xf32>
// CHECK: %[[V:.*]] = vector.load %[[F]][%[[C0:.*]]] {alignment = 4 : i64} : memref<2xf16>, vector<2xf16>
// CHECK: %[[E:.*]] = arith.extf %[[V]] : vector<2xf16> to vector<2xf32>
// CHECK: vector.store %[[E]], %[[G]][%[[C0]]] {alignment = 8 : i64} : memref<2xf32>, vector<2xf32>
// CHECK-NOT: #tl.fragment
gpu.module @m {
  gpu.func @direct_ranks(%A: memref<64xf16>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
    %c0 = arith.constant 0 : index
    %F = memref.alloca() {tl.layout = #tl.fragment_layout<affine_map<(d0, d1) -> (d1 mod 32, d1 floordiv 32)>, 32 : i64, 1 : i64>} : memref<1x64xf16, #tl.fragment>
    %G = memref.alloca() {tl.layout = #tl.fragment_layout<affine_map<(d0) -> (d0 mod 32, d0 floordiv 32)>, 32 : i64, 1 : i64>} : memref<64xf32, #tl.fragment>
    %a = "tl.region"(%A, %c0) {access = 1 : i32, extents = array<i64: 64>} : (memref<64xf16>, index) -> !tl.buffer_region
    %f = "tl.region"(%F, %c0, %c0) {access = 2 : i32, extents = array<i64: 1, 64>} : (memref<1x64xf16, #tl.fragment>, index, index) -> !tl.buffer_region
    "tl.copy"(%a, %f) {base_shape = array<i64: 64>, base_side = "dst", inst = "simt", vector_width = 1 : i64, thread_map = #tl.fragment_layout<affine_map<(d0) -> (d0 mod 32, d0 floordiv 32)>, 32 : i64, 1 : i64>} : (!tl.buffer_region, !tl.buffer_region) -> ()
    %f2 = "tl.region"(%F, %c0, %c0) {access = 1 : i32, extents = array<i64: 1, 64>} : (memref<1x64xf16, #tl.fragment>, index, index) -> !tl.buffer_region
    %g = "tl.region"(%G, %c0) {access = 2 : i32, extents = array<i64: 64>} : (memref<64xf32, #tl.fragment>, index) -> !tl.buffer_region
    "tl.copy"(%f2, %g) {base_shape = array<i64: 64>, base_side = "src", inst = "direct"} : (!tl.buffer_region, !tl.buffer_region) -> ()
    gpu.return
  }
}
