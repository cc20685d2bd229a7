// tl.fragment_read / tl.fragment_write in tl-lower-copy (docs/mma-interop.md):
// once the fragment is a per-thread array of its locals, a read of n locals
// from `offset` is one vector.load per innermost row of the result (locals
// offset + r*W ..), assembled by vector.insert; a write is vector.extract +
// vector.store. Here an ldmatrix fragment feeds nvgpu.mma.sync, whose result
// goes into an f32 fragment with mma.sync's C layout, stored by tl.copy.
// RUN: tl-opt %s --pass-pipeline='builtin.module(gpu.module(tl-legalize-regions),tl-infer-layouts,gpu.module(tl-lower-copy,cse))' | FileCheck %s
// The errors: lower-fragment-access-invalid.mlir.

// CHECK-LABEL: gpu.func @mma
// CHECK: %[[FA:.*]] = memref.alloca() {alignment = 16 : i64} : memref<16xf16>
// CHECK: %[[FB:.*]] = memref.alloca() {alignment = 16 : i64} : memref<8xf16>
// CHECK: %[[FC:.*]] = memref.alloca() {alignment = 16 : i64} : memref<4xf32>
// CHECK: nvvm.ldmatrix
// The second k-step: A's locals 8, 10, 12, 14 (rows 0-3 of vector<4x2xf16>),
// Bt's locals 4 and 6.
// CHECK: nvvm.ldmatrix
// (cse: one %cN per constant N.)
// CHECK: %[[R0:.*]] = vector.load %[[FA]][%c8] : memref<16xf16>, vector<2xf16>
// CHECK-NEXT: %[[A0:.*]] = vector.insert %[[R0]], %{{.*}} [0] : vector<2xf16> into vector<4x2xf16>
// CHECK-NEXT: %[[R1:.*]] = vector.load %[[FA]][%c10] : memref<16xf16>, vector<2xf16>
// CHECK-NEXT: %[[A1:.*]] = vector.insert %[[R1]], %[[A0]] [1] : vector<2xf16> into vector<4x2xf16>
// CHECK-NEXT: %[[R2:.*]] = vector.load %[[FA]][%c12] : memref<16xf16>, vector<2xf16>
// CHECK-NEXT: %[[A2:.*]] = vector.insert %[[R2]], %[[A1]] [2] : vector<2xf16> into vector<4x2xf16>
// CHECK-NEXT: %[[R3:.*]] = vector.load %[[FA]][%c14] : memref<16xf16>, vector<2xf16>
// CHECK-NEXT: %[[A:.*]] = vector.insert %[[R3]], %[[A2]] [3] : vector<2xf16> into vector<4x2xf16>
// CHECK: vector.load %[[FB]][%c4] : memref<8xf16>, vector<2xf16>
// CHECK-NEXT: vector.insert
// CHECK-NEXT: vector.load %[[FB]][%c6] : memref<8xf16>, vector<2xf16>
// CHECK: %[[D:.*]] = nvgpu.mma.sync(%[[A]], %{{.*}}, %{{.*}}) {mmaShape = [16, 8, 16]}
// CHECK: %[[D0:.*]] = vector.extract %[[D]][0] : vector<2xf32> from vector<2x2xf32>
// CHECK: vector.store %[[D0]], %[[FC]][%c0] : memref<4xf32>, vector<2xf32>
// CHECK: %[[D1:.*]] = vector.extract %[[D]][1] : vector<2xf32> from vector<2x2xf32>
// CHECK: vector.store %[[D1]], %[[FC]][%c2] : memref<4xf32>, vector<2xf32>
// CHECK: vector.load %[[FC]]
// CHECK-NOT: tl.fragment
module attributes {gpu.container_module} {
  gpu.module @m [#nvvm.target<chip = "sm_80">] {
    gpu.func @mma(%A: memref<16x32xf16>, %Bt: memref<8x32xf16>, %C: memref<16x8xf32>)
        workgroup(%SA: memref<16x32xf16, #gpu.address_space<workgroup>>, %SB: memref<8x32xf16, #gpu.address_space<workgroup>>)
        kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %FA = memref.alloca() : memref<16x32xf16, #tl.fragment>
      %FB = memref.alloca() : memref<8x32xf16, #tl.fragment>
      %FC = memref.alloca() {tl.layout = #tl.fragment_layout<affine_map<(r, c) -> ((r mod 8) * 4 + (c mod 8) floordiv 2, (r floordiv 8) * 2 + c mod 2)>, 32 : i64, 1 : i64>} : memref<16x8xf32, #tl.fragment>
      "tl.copy"(%A, %SA) : (memref<16x32xf16>, memref<16x32xf16, #gpu.address_space<workgroup>>) -> ()
      "tl.copy"(%Bt, %SB) : (memref<8x32xf16>, memref<8x32xf16, #gpu.address_space<workgroup>>) -> ()
      "tl.copy"(%SA, %FA) {annotations = {use_ldmatrix = true}} : (memref<16x32xf16, #gpu.address_space<workgroup>>, memref<16x32xf16, #tl.fragment>) -> ()
      "tl.copy"(%SB, %FB) {annotations = {use_ldmatrix = true}} : (memref<8x32xf16, #gpu.address_space<workgroup>>, memref<8x32xf16, #tl.fragment>) -> ()
      %z = arith.constant dense<0.0> : vector<2x2xf32>
      %a1 = "tl.fragment_read"(%FA) {offset = 8 : i64} : (memref<16x32xf16, #tl.fragment>) -> vector<4x2xf16>
      %b1 = "tl.fragment_read"(%FB) {offset = 4 : i64} : (memref<8x32xf16, #tl.fragment>) -> vector<2x2xf16>
      %d1 = nvgpu.mma.sync (%a1, %b1, %z) {mmaShape = [16, 8, 16]} : (vector<4x2xf16>, vector<2x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
      "tl.fragment_write"(%FC, %d1) {offset = 0 : i64} : (memref<16x8xf32, #tl.fragment>, vector<2x2xf32>) -> ()
      "tl.copy"(%FC, %C) : (memref<16x8xf32, #tl.fragment>, memref<16x8xf32>) -> ()
      gpu.return
    }
  }
}

