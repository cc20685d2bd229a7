// RUN: tl-opt %s --allow-unregistered-dialect --mlir-print-op-generic | FileCheck %s
// RUN: tl-opt %s --allow-unregistered-dialect --mlir-print-debuginfo | FileCheck %s --check-prefix=LOC
// RUN: tl-opt %s --allow-unregistered-dialect | FileCheck %s --check-prefix=UNREG
// CHECK: "func.func"()
// LOC: loc("{{.*}}generic-print.mlir":[[@LINE+2]]:3)
func.func @f() {
  "test.unregistered"() : () -> ()
  return
}
// UNREG: "test.unregistered"() : () -> ()
