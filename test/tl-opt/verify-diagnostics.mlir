// RUN: tl-opt %s -split-input-file -verify-diagnostics -o /dev/null
// Every designator form matches: @+N, @-N, @above, @below, and notes.

func.func @f(%A: memref<4xf32>) {
  // expected-error @+1 {{attribute "access" is expected but not provided}}
  %r = "tl.region"(%A) : (memref<4xf32>) -> !tl.buffer_region
  return
}

// -----

func.func @f(%A: memref<4xf32>) {
  %r = "tl.region"(%A) : (memref<4xf32>) -> !tl.buffer_region
  // expected-error @-1 {{attribute "access"}}
  return
}

// -----

func.func @f(%A: memref<4xf32>) {
  %r = "tl.region"(%A) : (memref<4xf32>) -> !tl.buffer_region
  // expected-error @above {{attribute "access"}}
  return
}

// -----

func.func @f(%A: memref<4xf32>) {
  // expected-error @below {{attribute "access"}}
  %r = "tl.region"(%A) : (memref<4xf32>) -> !tl.buffer_region
  return
}

// -----

func.func @f(%A: memref<4xf32>) {
  %r = "tl.region"(%A) : (memref<4xf32>) -> !tl.buffer_region // expected-error {{attribute "access"}}
  return
}

// -----

// expected-note @+1 {{see existing symbol definition here}}
func.func @dup() {
  return
}
// expected-error @+1 {{redefinition of symbol named 'dup'}}
func.func @dup() {
  return
}
