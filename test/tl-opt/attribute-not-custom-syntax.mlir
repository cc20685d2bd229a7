// RUN: not tl-opt %s 2>&1 | FileCheck %s
// A tl attribute name (tl.num_stages = ...) is not an op in a custom form:
// a parse error elsewhere keeps the parser's own message.

func.func @f() {
  // CHECK: attribute-not-custom-syntax.mlir:[[@LINE+2]]:15: error: expected SSA operand
  // CHECK-NOT: custom assembly form
  scf.for %k = 0 to 3 {
  } {tl.num_stages = 3 : i64}
  return
}
