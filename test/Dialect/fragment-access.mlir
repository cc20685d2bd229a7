// tl.fragment_read / tl.fragment_write parse, print and verify (round trip).
// RUN: tl-opt %s --tl-verify | FileCheck %s
// RUN: tl-opt %s | tl-opt | FileCheck %s

// CHECK-LABEL: func.func @access
// CHECK: %[[F:.*]] = memref.alloca() : memref<16x16xf16, #tl.fragment>
// CHECK: %[[V:.*]] = "tl.fragment_read"(%[[F]]) {offset = 8 : i64} : (memref<16x16xf16, #tl.fragment>) -> vector<4x2xf16>
// CHECK: "tl.fragment_write"(%[[F]], %[[V]]) {offset = 0 : i64} : (memref<16x16xf16, #tl.fragment>, vector<4x2xf16>) -> ()
func.func @access() {
  %F = memref.alloca() : memref<16x16xf16, #tl.fragment>
  %v = "tl.fragment_read"(%F) {offset = 8 : i64} : (memref<16x16xf16, #tl.fragment>) -> vector<4x2xf16>
  "tl.fragment_write"(%F, %v) {offset = 0 : i64} : (memref<16x16xf16, #tl.fragment>, vector<4x2xf16>) -> ()
  return
}
