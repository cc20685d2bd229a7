// tl.fragment_read / tl.fragment_write (docs/mma-interop.md): what tl-verify
// checks before a layout exists. One case per chunk.
// RUN: tl-opt %s -split-input-file -verify-diagnostics --tl-verify

func.func @not_a_fragment(%S: memref<16x16xf16, #gpu.address_space<workgroup>>) {
  // expected-error @+1 {{'tl.fragment_read' op fragment must be a statically shaped memref in #tl.fragment memory, got memref<16x16xf16, #gpu.address_space<workgroup>>}}
  %v = "tl.fragment_read"(%S) {offset = 0 : i64} : (memref<16x16xf16, #gpu.address_space<workgroup>>) -> vector<8xf16>
  return
}

// -----

func.func @block_argument(%F: memref<16x16xf16, #tl.fragment>) {
  // expected-error @+1 {{'tl.fragment_read' op fragment must be a memref.alloca of the kernel (a block argument)}}
  %v = "tl.fragment_read"(%F) {offset = 0 : i64} : (memref<16x16xf16, #tl.fragment>) -> vector<8xf16>
  return
}

// -----

func.func @element_type() {
  %F = memref.alloca() : memref<16x16xf16, #tl.fragment>
  // expected-error @+1 {{'tl.fragment_read' op value must be a fixed-size vector (rank 1 to 8) of the fragment's element type f16, got vector<8xf32>}}
  %v = "tl.fragment_read"(%F) {offset = 0 : i64} : (memref<16x16xf16, #tl.fragment>) -> vector<8xf32>
  return
}

// -----

func.func @negative_offset() {
  %F = memref.alloca() : memref<16x16xf16, #tl.fragment>
  %v = arith.constant dense<0.0> : vector<4x2xf16>
  // expected-error @+1 {{'tl.fragment_write' op offset must be a non-negative integer attribute, got -2 : i64}}
  "tl.fragment_write"(%F, %v) {offset = -2 : i64} : (memref<16x16xf16, #tl.fragment>, vector<4x2xf16>) -> ()
  return
}

// -----

func.func @past_the_tile() {
  %F = memref.alloca() : memref<4x4xf16, #tl.fragment>
  // expected-error @+1 {{'tl.fragment_read' op reads or writes locals [12, 20) of a fragment of 16 elements: no thread holds that many}}
  %v = "tl.fragment_read"(%F) {offset = 12 : i64} : (memref<4x4xf16, #tl.fragment>) -> vector<8xf16>
  return
}

// -----

func.func @unknown_attribute() {
  %F = memref.alloca() : memref<16x16xf16, #tl.fragment>
  // expected-error @+1 {{'tl.fragment_read' op has an unknown attribute 'stride' (known: offset)}}
  %v = "tl.fragment_read"(%F) {offset = 0 : i64, stride = 2 : i64} : (memref<16x16xf16, #tl.fragment>) -> vector<8xf16>
  return
}

// -----

func.func @zero_rank_vector() {
  %F = memref.alloca() : memref<16x16xf16, #tl.fragment>
  // expected-error @+1 {{'tl.fragment_read' op value must be a fixed-size vector (rank 1 to 8) of the fragment's element type f16, got vector<f16>}}
  %v = "tl.fragment_read"(%F) {offset = 0 : i64} : (memref<16x16xf16, #tl.fragment>) -> vector<f16>
  return
}
