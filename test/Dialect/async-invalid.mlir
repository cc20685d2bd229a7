// RUN: tl-opt %s -split-input-file -verify-diagnostics
// The rules tl-verify adds for the split-phase ops tl.copy_async and
// tl.wait (docs/verify.md, design.md §3.1): one violation per chunk. The
// C API emits errors only, so where a rule points at a second op the
// message names its line and column (no note).

//===----------------------------------------------------------------------===//
// Rule 1: tl.copy_async has tl.copy's rules, naming 'tl.copy_async'
//===----------------------------------------------------------------------===//

func.func @async_src_write_only(%A: memref<4xf32>, %B: memref<4xf32>, %i: index) {
  %a = "tl.region"(%A, %i) {access = 2 : i32} : (memref<4xf32>, index) -> !tl.buffer_region
  // expected-error @+1 {{'tl.copy_async' op source region has write-only access (access = 2); a copy source needs read access (1 or 3)}}
  %t = "tl.copy_async"(%a, %B) : (!tl.buffer_region, memref<4xf32>) -> !tl.token
  "tl.wait"(%t) : (!tl.token) -> ()
  return
}

// -----

func.func @async_unknown_attribute(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy_async' op has an unknown attribute 'coalesce_width' (known: coalesced_width, disable_tma, eviction_policy, loop_layout, annotations)}}
  %t = "tl.copy_async"(%A, %B) {coalesce_width = 4 : i64} : (memref<64xf32>, memref<64xf32>) -> !tl.token
  "tl.wait"(%t) : (!tl.token) -> ()
  return
}

// -----

func.func @async_bad_eviction(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy_async' op eviction_policy must be one of "evict_normal", "evict_first", "evict_last", got "evict_all"}}
  %t = "tl.copy_async"(%A, %B) {eviction_policy = "evict_all"} : (memref<64xf32>, memref<64xf32>) -> !tl.token
  "tl.wait"(%t) : (!tl.token) -> ()
  return
}

// -----

module attributes {gpu.container_module} {
  gpu.module @m {
    gpu.func @async_no_block_size(%A: memref<64x64xf32>) workgroup(%S: memref<64x64xf32, #gpu.address_space<workgroup>>) kernel {
      // expected-error @+1 {{'tl.copy_async' op is a tile copy and needs a thread map, so the enclosing gpu.func @async_no_block_size needs known_block_size = array<i32: x, y, z> (the thread count); it has none}}
      %t = "tl.copy_async"(%A, %S) : (memref<64x64xf32>, memref<64x64xf32, #gpu.address_space<workgroup>>) -> !tl.token
      "tl.wait"(%t) : (!tl.token) -> ()
      gpu.return
    }
  }
}

//===----------------------------------------------------------------------===//
// Rule 2: a tl.wait operand is the token of a tl.copy_async
//===----------------------------------------------------------------------===//

// -----

func.func @wait_block_argument(%t: !tl.token) {
  // expected-error @+1 {{'tl.wait' op operand #0 is a block argument; it must be the token of a 'tl.copy_async' op}}
  "tl.wait"(%t) : (!tl.token) -> ()
  return
}

// -----

func.func @wait_other_producer() {
  %t = builtin.unrealized_conversion_cast to !tl.token
  // expected-error @+1 {{'tl.wait' op operand #0 is produced by 'builtin.unrealized_conversion_cast'; it must be the token of a 'tl.copy_async' op}}
  "tl.wait"(%t) : (!tl.token) -> ()
  return
}

//===----------------------------------------------------------------------===//
// Rule 3: every token is waited exactly once, and only waited
//===----------------------------------------------------------------------===//

// -----

func.func @waited_twice(%A: memref<64xf32>, %B: memref<64xf32>) {
  %t = "tl.copy_async"(%A, %B) : (memref<64xf32>, memref<64xf32>) -> !tl.token
  "tl.wait"(%t) : (!tl.token) -> ()
  // expected-error @+1 {{'tl.wait' op token waited twice: the tl.wait at line 79, column 3 already waited for it (each token is waited exactly once)}}
  "tl.wait"(%t) : (!tl.token) -> ()
  return
}

// -----

func.func @waited_twice_in_one_wait(%A: memref<64xf32>, %B: memref<64xf32>) {
  %t = "tl.copy_async"(%A, %B) : (memref<64xf32>, memref<64xf32>) -> !tl.token
  // expected-error @+1 {{'tl.wait' op token waited twice: operands #0 and #1 are the same token (each token is waited exactly once)}}
  "tl.wait"(%t, %t) : (!tl.token, !tl.token) -> ()
  return
}

// -----

func.func @token_returned(%A: memref<64xf32>, %B: memref<64xf32>) -> !tl.token {
  %t = "tl.copy_async"(%A, %B) : (memref<64xf32>, memref<64xf32>) -> !tl.token
  "tl.wait"(%t) : (!tl.token) -> ()
  // expected-error @+1 {{'func.return' op uses the token of the 'tl.copy_async' at line 97, column 8: a token may only be used by tl.wait, tl.join, or carried by an scf.for}}
  return %t : !tl.token
}

// -----

func.func @token_carried_and_waited(%A: memref<64xf32>, %B: memref<64xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %t = "tl.copy_async"(%A, %B) : (memref<64xf32>, memref<64xf32>) -> !tl.token
  %r = scf.for %k = %c0 to %n step %n iter_args(%x = %t) -> (!tl.token) {
    scf.yield %x : !tl.token
  }
  "tl.wait"(%r) : (!tl.token) -> ()
  // expected-error @+1 {{'tl.wait' op token used twice: the 'scf.for' at line 108, column 8 already carries the token of the 'tl.copy_async' at line 107, column 8 (each token is used exactly once)}}
  "tl.wait"(%t) : (!tl.token) -> ()
  return
}

// -----

func.func @never_waited(%A: memref<64xf32>, %B: memref<64xf32>) {
  // expected-error @+1 {{'tl.copy_async' op token is never waited for: every token of a tl.copy_async must be waited exactly once, by a later tl.wait of its block}}
  %t = "tl.copy_async"(%A, %B) : (memref<64xf32>, memref<64xf32>) -> !tl.token
  return
}

//===----------------------------------------------------------------------===//
// Rule 4: the wait is a later op of the copy's block
//===----------------------------------------------------------------------===//

// -----

func.func @wait_nested(%A: memref<64xf32>, %B: memref<64xf32>) {
  %t = "tl.copy_async"(%A, %B) : (memref<64xf32>, memref<64xf32>) -> !tl.token
  scf.execute_region {
    // expected-error @+1 {{'tl.wait' op operand #0 is the token of a 'tl.copy_async' in another block (line 132, column 8): a tl.wait must be a later op of the block of its tl.copy_async}}
    "tl.wait"(%t) : (!tl.token) -> ()
    scf.yield
  }
  return
}

// -----

func.func @wait_successor(%A: memref<64xf32>, %B: memref<64xf32>) {
  %t = "tl.copy_async"(%A, %B) : (memref<64xf32>, memref<64xf32>) -> !tl.token
  cf.br ^next
^next:
  // expected-error @+1 {{'tl.wait' op operand #0 is the token of a 'tl.copy_async' in another block (line 144, column 8)}}
  "tl.wait"(%t) : (!tl.token) -> ()
  return
}

//===----------------------------------------------------------------------===//
// Rule 5: the buffers of a copy in flight
//===----------------------------------------------------------------------===//

// -----

func.func @reads_destination(%A: memref<64xf32>, %S: memref<64xf32, #gpu.address_space<workgroup>>, %C: memref<64xf32>) {
  %t = "tl.copy_async"(%A, %S) : (memref<64xf32>, memref<64xf32, #gpu.address_space<workgroup>>) -> !tl.token
  // expected-error @+1 {{'tl.copy' op reads the destination of an asynchronous copy before its tl.wait (the tl.copy_async at line 159, column 8)}}
  "tl.copy"(%S, %C) : (memref<64xf32, #gpu.address_space<workgroup>>, memref<64xf32>) -> ()
  "tl.wait"(%t) : (!tl.token) -> ()
  return
}

// -----

func.func @reads_destination_region(%A: memref<64xf32>, %S: memref<64xf32, #gpu.address_space<workgroup>>, %C: memref<64xf32>, %i: index) {
  %s = "tl.region"(%S, %i) {access = 1 : i32, extents = array<i64: 16>} : (memref<64xf32, #gpu.address_space<workgroup>>, index) -> !tl.buffer_region
  %t = "tl.copy_async"(%A, %S) : (memref<64xf32>, memref<64xf32, #gpu.address_space<workgroup>>) -> !tl.token
  // expected-error @+1 {{'tl.copy' op reads the destination of an asynchronous copy before its tl.wait}}
  "tl.copy"(%s, %C) : (!tl.buffer_region, memref<64xf32>) -> ()
  "tl.wait"(%t) : (!tl.token) -> ()
  return
}

// -----

func.func @two_copies_one_destination(%A: memref<64xf32>, %B: memref<64xf32>, %S: memref<64xf32, #gpu.address_space<workgroup>>) {
  %t0 = "tl.copy_async"(%A, %S) : (memref<64xf32>, memref<64xf32, #gpu.address_space<workgroup>>) -> !tl.token
  // expected-error @+1 {{'tl.copy_async' op overwrites the destination of an asynchronous copy before its tl.wait (the tl.copy_async at line 180, column 9)}}
  %t1 = "tl.copy_async"(%B, %S) : (memref<64xf32>, memref<64xf32, #gpu.address_space<workgroup>>) -> !tl.token
  "tl.wait"(%t0, %t1) : (!tl.token, !tl.token) -> ()
  return
}

// -----

func.func @store_destination_nested(%A: memref<64xf32>, %S: memref<64xf32>, %n: index, %x: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = "tl.copy_async"(%A, %S) : (memref<64xf32>, memref<64xf32>) -> !tl.token
  scf.for %k = %c0 to %n step %c1 {
    // expected-error @+1 {{'memref.store' op reads the destination of an asynchronous copy before its tl.wait}}
    memref.store %x, %S[%k] : memref<64xf32>
  }
  "tl.wait"(%t) : (!tl.token) -> ()
  return
}

// -----

func.func @overwrites_source(%A: memref<64xf32, #gpu.address_space<workgroup>>, %S: memref<64xf32>, %C: memref<64xf32>) {
  %t = "tl.copy_async"(%A, %S) : (memref<64xf32, #gpu.address_space<workgroup>>, memref<64xf32>) -> !tl.token
  // expected-error @+1 {{'tl.copy' op overwrites the source of an asynchronous copy before its tl.wait (the tl.copy_async at line 204, column 8)}}
  "tl.copy"(%C, %A) : (memref<64xf32>, memref<64xf32, #gpu.address_space<workgroup>>) -> ()
  "tl.wait"(%t) : (!tl.token) -> ()
  return
}

// -----

func.func @other_op_on_source(%A: memref<64xf32>, %S: memref<64xf32>, %i: index) {
  %t = "tl.copy_async"(%A, %S) : (memref<64xf32>, memref<64xf32>) -> !tl.token
  // expected-error @+1 {{'memref.load' op overwrites the source of an asynchronous copy before its tl.wait}}
  %x = memref.load %A[%i] : memref<64xf32>
  "tl.wait"(%t) : (!tl.token) -> ()
  return
}

//===----------------------------------------------------------------------===//
// tl.c2d_im2col_async (design.md §3.1): the same rules
//===----------------------------------------------------------------------===//

// -----

// Rule 1 for tl.c2d_im2col_async: tl.c2d_im2col's rules, naming it.
func.func @im2col_async_unknown_attr(%Img: memref<2x9x7x16xf16>, %S: memref<32x16xf16, #gpu.address_space<workgroup>>, %i: index, %j: index) {
  // expected-error @+1 {{'tl.c2d_im2col_async' op has an unknown attribute 'kernal' (known: kernel, stride, dilation, pad, eviction_policy, disable_tma)}}
  %t = "tl.c2d_im2col_async"(%Img, %S, %i, %j) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64, kernal = 3 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
  "tl.wait"(%t) : (!tl.token) -> ()
  return
}

// -----

func.func @im2col_async_shared_image(%Img: memref<2x9x7x16xf16, #gpu.address_space<workgroup>>, %S: memref<32x16xf16, #gpu.address_space<workgroup>>, %i: index, %j: index) {
  // expected-error @+1 {{'tl.c2d_im2col_async' op img must be a global buffer, got a shared buffer}}
  %t = "tl.c2d_im2col_async"(%Img, %S, %i, %j) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16, #gpu.address_space<workgroup>>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
  "tl.wait"(%t) : (!tl.token) -> ()
  return
}

// -----

// The token rules, naming 'tl.c2d_im2col_async' where they name the
// producer.
func.func @im2col_async_never_waited(%Img: memref<2x9x7x16xf16>, %S: memref<32x16xf16, #gpu.address_space<workgroup>>, %i: index, %j: index) {
  // expected-error @+1 {{'tl.c2d_im2col_async' op token is never waited for: every token of a tl.c2d_im2col_async must be waited exactly once, by a later tl.wait of its block}}
  %t = "tl.c2d_im2col_async"(%Img, %S, %i, %j) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
  return
}

// -----

func.func @im2col_async_token_returned(%Img: memref<2x9x7x16xf16>, %S: memref<32x16xf16, #gpu.address_space<workgroup>>, %i: index, %j: index) -> !tl.token {
  %t = "tl.c2d_im2col_async"(%Img, %S, %i, %j) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
  "tl.wait"(%t) : (!tl.token) -> ()
  // expected-error @+1 {{'func.return' op uses the token of the 'tl.c2d_im2col_async' at line 257, column 8: a token may only be used by tl.wait, tl.join, or carried by an scf.for}}
  return %t : !tl.token
}

// -----

func.func @im2col_async_waited_twice(%Img: memref<2x9x7x16xf16>, %S: memref<32x16xf16, #gpu.address_space<workgroup>>, %i: index, %j: index) {
  %t = "tl.c2d_im2col_async"(%Img, %S, %i, %j) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
  "tl.wait"(%t) : (!tl.token) -> ()
  // expected-error @+1 {{'tl.wait' op token waited twice: the tl.wait at line 267, column 3 already waited for it (each token is waited exactly once)}}
  "tl.wait"(%t) : (!tl.token) -> ()
  return
}

// -----

func.func @im2col_async_wait_elsewhere(%Img: memref<2x9x7x16xf16>, %S: memref<32x16xf16, #gpu.address_space<workgroup>>, %i: index, %j: index, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = "tl.c2d_im2col_async"(%Img, %S, %i, %j) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
  scf.for %k = %c0 to %n step %c1 {
    // expected-error @+1 {{'tl.wait' op operand #0 is the token of a 'tl.c2d_im2col_async' in another block (line 278, column 8): a tl.wait must be a later op of the block of its tl.c2d_im2col_async}}
    "tl.wait"(%t) : (!tl.token) -> ()
  }
  return
}

// -----

func.func @wait_not_a_token(%t: !tl.token) {
  // expected-error @+1 {{'tl.wait' op operand #0 is a block argument; it must be the token of a 'tl.copy_async' op or a 'tl.c2d_im2col_async' op}}
  "tl.wait"(%t) : (!tl.token) -> ()
  return
}

// -----

// In flight, the col tile is the destination; the image is global.
func.func @im2col_async_reads_col(%Img: memref<2x9x7x16xf16>, %S: memref<32x16xf16, #gpu.address_space<workgroup>>, %C: memref<32x16xf16>, %i: index, %j: index) {
  %t = "tl.c2d_im2col_async"(%Img, %S, %i, %j) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
  // expected-error @+1 {{'tl.copy' op reads the destination of an asynchronous copy before its tl.wait (the tl.c2d_im2col_async at line 298, column 8)}}
  "tl.copy"(%S, %C) : (memref<32x16xf16, #gpu.address_space<workgroup>>, memref<32x16xf16>) -> ()
  "tl.wait"(%t) : (!tl.token) -> ()
  return
}

// -----

func.func @im2col_async_two_into_one_col(%Img: memref<2x9x7x16xf16>, %S: memref<32x16xf16, #gpu.address_space<workgroup>>, %i: index, %j: index) {
  %t0 = "tl.c2d_im2col_async"(%Img, %S, %i, %j) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
  // expected-error @+1 {{'tl.c2d_im2col_async' op overwrites the destination of an asynchronous copy before its tl.wait (the tl.c2d_im2col_async at line 308, column 9)}}
  %t1 = "tl.c2d_im2col_async"(%Img, %S, %i, %j) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
  "tl.wait"(%t1, %t0) : (!tl.token, !tl.token) -> ()
  return
}

// -----

func.func @copy_into_col_in_flight(%Img: memref<2x9x7x16xf16>, %A: memref<32x16xf16>, %S: memref<32x16xf16, #gpu.address_space<workgroup>>, %i: index, %j: index) {
  %t = "tl.c2d_im2col_async"(%Img, %S, %i, %j) {kernel = 3 : i64, stride = 1 : i64, dilation = 1 : i64, pad = 1 : i64} : (memref<2x9x7x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
  // expected-error @+1 {{'tl.copy_async' op overwrites the destination of an asynchronous copy before its tl.wait (the tl.c2d_im2col_async at line 318, column 8)}}
  %c = "tl.copy_async"(%A, %S) : (memref<32x16xf16>, memref<32x16xf16, #gpu.address_space<workgroup>>) -> !tl.token
  "tl.wait"(%c, %t) : (!tl.token, !tl.token) -> ()
  return
}
