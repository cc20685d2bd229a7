// RUN: not tl-opt %s -split-input-file 2>%t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=ERR < %t.err
// A failing chunk fails the run, the other chunks are still processed, and
// line numbers in diagnostics are those of the whole file.

// ERR: split-input-file-errors.mlir:[[@LINE+1]]:3: error: op expects at least 1 operands, but got 0
  "tl.region"() : () -> !tl.buffer_region

// -----

// CHECK-LABEL: func.func @after_the_error
func.func @after_the_error() {
  return
}

// -----

func.func @g(%A: memref<4xf32>) {
  // ERR: split-input-file-errors.mlir:[[@LINE+1]]:8: error: 'tl.region' op attribute "access" is expected but not provided
  %r = "tl.region"(%A) : (memref<4xf32>) -> !tl.buffer_region
  return
}
