// RUN: tl-opt %s --tl-verify --cse --mlir-print-ir-before-all --mlir-print-ir-after-all -o /dev/null 2>&1 | FileCheck %s
// CHECK: IR Dump Before tl-verify
// CHECK: IR Dump After tl-verify
// CHECK: IR Dump Before CSE
// CHECK: IR Dump After CSE
func.func @f() {
  return
}
