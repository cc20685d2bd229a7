// tl.wgmma_descriptor parses, prints and verifies (round trip): of a
// tl.region of a workgroup buffer, and of a whole one.
// RUN: tl-opt %s --tl-verify | FileCheck %s
// RUN: tl-opt %s | tl-opt | FileCheck %s

// CHECK-LABEL: func.func @descriptors
// CHECK: %[[R:.*]] = "tl.region"(%arg0, %{{.*}}, %{{.*}}) {access = 1 : i32, extents = array<i64: 64, 16>}
// CHECK: %{{.*}} = "tl.wgmma_descriptor"(%[[R]]) : (!tl.buffer_region) -> i64
// CHECK: %{{.*}} = "tl.wgmma_descriptor"(%arg1) : (memref<64x16xf16, #gpu.address_space<workgroup>>) -> i64
func.func @descriptors(%S: memref<128x64xf16, #gpu.address_space<workgroup>>, %T: memref<64x16xf16, #gpu.address_space<workgroup>>) -> (i64, i64) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %r = "tl.region"(%S, %c0, %c16) {access = 1 : i32, extents = array<i64: 64, 16>} : (memref<128x64xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.buffer_region
  %d = "tl.wgmma_descriptor"(%r) : (!tl.buffer_region) -> i64
  %e = "tl.wgmma_descriptor"(%T) : (memref<64x16xf16, #gpu.address_space<workgroup>>) -> i64
  return %d, %e : i64, i64
}
