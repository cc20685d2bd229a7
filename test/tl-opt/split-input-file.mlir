// RUN: tl-opt %s -split-input-file | FileCheck %s
// RUN: tl-opt %s -split-input-file=//-=-=- | FileCheck %s --check-prefix=MARKER

// Each chunk is processed on its own, and the outputs are joined with the
// marker; a custom marker replaces the default one.

// CHECK-LABEL: func.func @first
// MARKER: func.func @first
// MARKER-NOT: // -----
// MARKER: func.func @second
func.func @first() {
  return
}

// -----

// CHECK: // -----
// CHECK-LABEL: func.func @second
func.func @second() {
  return
}

// -----

// CHECK: // -----
// CHECK: module {
// CHECK-NEXT: }

