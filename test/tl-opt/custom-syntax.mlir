// RUN: not tl-opt %s 2>&1 | FileCheck %s
// IRDL parses a custom form with no diagnostic at all: tl-opt must say why.

func.func @f(%A: memref<4xf32>, %i: index) {
  // CHECK: custom-syntax.mlir:[[@LINE+1]]:8: error: 'tl.region' is written in a custom assembly form, but tl ops are defined in IRDL and only have the generic form
  %r = tl.region %A, %i : memref<4xf32>
  return
}
