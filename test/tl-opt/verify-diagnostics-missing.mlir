// RUN: not tl-opt %s -split-input-file -verify-diagnostics -o /dev/null 2>&1 | FileCheck %s
// A missing and an unexpected diagnostic both fail the run, and each is
// reported at its place.

// CHECK: verify-diagnostics-missing.mlir:[[@LINE+3]]:4: error: expected error "this error is never emitted" was not produced
// CHECK-NEXT: {{^// expected-.* @\+1 .*this error is never emitted}}
// CHECK-NEXT: {{^   \^~{26}$}}
// expected-error @+1 {{this error is never emitted}}
func.func @clean() {
  return
}

// -----

func.func @f(%A: memref<4xf32>) {
  // CHECK: verify-diagnostics-missing.mlir:[[@LINE+1]]:8: error: unexpected error: 'tl.region' op attribute "access" is expected but not provided
  %r = "tl.region"(%A) : (memref<4xf32>) -> !tl.buffer_region
  return
}

// -----

// A diagnostic of the right text on the wrong line does not match.
// CHECK: verify-diagnostics-missing.mlir:[[@LINE+4]]:8: error: unexpected error: 'tl.region' op attribute "access"
// CHECK: verify-diagnostics-missing.mlir:[[@LINE+1]]:4: error: expected error "attribute "access"" was not produced
// expected-error @+1 {{attribute "access"}}
func.func @g(%A: memref<4xf32>) {
  %r = "tl.region"(%A) : (memref<4xf32>) -> !tl.buffer_region
  return
}

// -----

// Warnings, remarks and notes are matched by severity too.
// CHECK: verify-diagnostics-missing.mlir:[[@LINE+3]]:4: error: expected warning "w" was not produced
// CHECK: verify-diagnostics-missing.mlir:[[@LINE+3]]:4: error: expected remark "r" was not produced
// CHECK: verify-diagnostics-missing.mlir:[[@LINE+3]]:4: error: expected note "n" was not produced
// expected-warning @unknown {{w}}
// expected-remark @unknown {{r}}
// expected-note @unknown {{n}}

// -----

// CHECK: verify-diagnostics-missing.mlir:[[@LINE+1]]: error: malformed line designator after expected-error
// expected-error @sideways {{x}}

// -----

// CHECK: verify-diagnostics-missing.mlir:[[@LINE+1]]: error: expected-error needs a message in {{[{][{]}}...{{[}][}]}}
// expected-error @+1 no braces
