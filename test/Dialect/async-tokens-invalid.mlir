// RUN: tl-opt %s -split-input-file -verify-diagnostics
// The token rules of design.md §3.1 beyond one block: tokens carried by an
// scf.for (iter_args, results), tl.join, and the predicate operand of the
// asynchronous ops. One case per chunk.

func.func @carried_result_never_waited(%A: memref<64xf32>, %B: memref<64xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %t = "tl.copy_async"(%A, %B) : (memref<64xf32>, memref<64xf32>) -> !tl.token
  // expected-error @+1 {{'scf.for' op the token result #0 of the scf.for at line 10, column 8 is never waited for: a carried token must be used exactly once (waited, joined or carried on)}}
  %r = scf.for %k = %c0 to %n step %n iter_args(%x = %t) -> (!tl.token) {
    scf.yield %x : !tl.token
  }
  return
}

// -----

func.func @iter_arg_never_used(%A: memref<64xf32>, %B: memref<64xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %t = "tl.copy_async"(%A, %B) : (memref<64xf32>, memref<64xf32>) -> !tl.token
  // expected-error @+1 {{'scf.for' op the token iter_arg #0 of the scf.for at line 22, column 8 is never waited for}}
  %r = scf.for %k = %c0 to %n step %n iter_args(%x = %t) -> (!tl.token) {
    %u = "tl.copy_async"(%A, %B) : (memref<64xf32>, memref<64xf32>) -> !tl.token
    scf.yield %u : !tl.token
  }
  "tl.wait"(%r) : (!tl.token) -> ()
  return
}

// -----

func.func @iter_arg_waited_and_yielded(%A: memref<64xf32>, %B: memref<64xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %t = "tl.copy_async"(%A, %B) : (memref<64xf32>, memref<64xf32>) -> !tl.token
  %r = scf.for %k = %c0 to %n step %n iter_args(%x = %t) -> (!tl.token) {
    "tl.wait"(%x) : (!tl.token) -> ()
    // expected-error @+1 {{'tl.copy_async' op token is never waited for: every token of a tl.copy_async must be waited exactly once, by a later tl.wait of its block (or joined or carried by an scf.for)}}
    %u = "tl.copy_async"(%A, %B) : (memref<64xf32>, memref<64xf32>) -> !tl.token
    // expected-error @+1 {{'scf.yield' op token waited twice: the tl.wait at line 36, column 5 already waited for it}}
    scf.yield %x : !tl.token
  }
  "tl.wait"(%r) : (!tl.token) -> ()
  return
}

// -----

func.func @yield_of_if(%A: memref<64xf32>, %B: memref<64xf32>, %p: i1) {
  %r = scf.if %p -> !tl.token {
    %t = "tl.copy_async"(%A, %B) : (memref<64xf32>, memref<64xf32>) -> !tl.token
    // expected-error @+1 {{'scf.yield' op uses the token of the 'tl.copy_async' at line 50, column 10: a token may only be used by tl.wait, tl.join, or carried by an scf.for}}
    scf.yield %t : !tl.token
  } else {
    %t = "tl.copy_async"(%A, %B) : (memref<64xf32>, memref<64xf32>) -> !tl.token
    // expected-error @+1 {{'scf.yield' op uses the token of the 'tl.copy_async'}}
    scf.yield %t : !tl.token
  }
  // expected-error @+1 {{'tl.wait' op operand #0 is produced by 'scf.if'}}
  "tl.wait"(%r) : (!tl.token) -> ()
  return
}

// -----

func.func @pred_not_i1(%A: memref<64xf32>, %B: memref<64xf32>, %p: i32) {
  // expected-error @+1 {{expected 'i1' but got 'i32'}}
  %t = "tl.copy_async"(%A, %B, %p) : (memref<64xf32>, memref<64xf32>, i32) -> !tl.token
  "tl.wait"(%t) : (!tl.token) -> ()
  return
}

// -----

func.func @two_predicates(%A: memref<64xf32>, %B: memref<64xf32>, %p: i1) {
  // expected-error @+1 {{op expects at most 3 operands, but got 4}}
  %t = "tl.copy_async"(%A, %B, %p, %p) : (memref<64xf32>, memref<64xf32>, i1, i1) -> !tl.token
  "tl.wait"(%t) : (!tl.token) -> ()
  return
}

// -----

func.func @joined_then_waited(%A: memref<64xf32>, %B: memref<64xf32>, %C: memref<64xf32>) {
  %t = "tl.copy_async"(%A, %B) : (memref<64xf32>, memref<64xf32>) -> !tl.token
  %u = "tl.copy_async"(%A, %C) : (memref<64xf32>, memref<64xf32>) -> !tl.token
  %j = "tl.join"(%t, %u) : (!tl.token, !tl.token) -> !tl.token
  // expected-error @+1 {{'tl.wait' op token used twice: the 'tl.join' at line 86, column 8 already joins the token of the 'tl.copy_async' at line 84, column 8}}
  "tl.wait"(%j, %t) : (!tl.token, !tl.token) -> ()
  return
}

// -----

func.func @join_never_waited(%A: memref<64xf32>, %B: memref<64xf32>) {
  %t = "tl.copy_async"(%A, %B) : (memref<64xf32>, memref<64xf32>) -> !tl.token
  // expected-error @+1 {{'tl.join' op token is never waited for}}
  %j = "tl.join"(%t) : (!tl.token) -> !tl.token
  return
}

// -----

func.func @empty_join() {
  // expected-error @+1 {{'tl.join' op joins no token: a tl.join needs at least one}}
  %j = "tl.join"() : () -> !tl.token
  "tl.wait"(%j) : (!tl.token) -> ()
  return
}

// -----

func.func @join_before_copy(%A: memref<64xf32>, %B: memref<64xf32>, %p: i1) {
  scf.if %p {
    %t = "tl.copy_async"(%A, %B) : (memref<64xf32>, memref<64xf32>) -> !tl.token
    "tl.wait"(%t) : (!tl.token) -> ()
  }
  %t = "tl.copy_async"(%A, %B) : (memref<64xf32>, memref<64xf32>) -> !tl.token
  scf.if %p {
    // expected-error @+1 {{'tl.join' op operand #0 is the token of a 'tl.copy_async' in another block (line 117, column 8): a tl.join must be a later op of the block of its tl.copy_async}}
    %j = "tl.join"(%t) : (!tl.token) -> !tl.token
    "tl.wait"(%j) : (!tl.token) -> ()
  }
  return
}

// -----

func.func @joined_dst_read(%A: memref<64xf32>, %B: memref<64xf32, #gpu.address_space<workgroup>>, %C: memref<64xf32, #gpu.address_space<workgroup>>, %D: memref<64xf32>) {
  %t = "tl.copy_async"(%A, %B) : (memref<64xf32>, memref<64xf32, #gpu.address_space<workgroup>>) -> !tl.token
  %u = "tl.copy_async"(%A, %C) : (memref<64xf32>, memref<64xf32, #gpu.address_space<workgroup>>) -> !tl.token
  %j = "tl.join"(%t, %u) : (!tl.token, !tl.token) -> !tl.token
  // expected-error @+1 {{'tl.copy' op reads the destination of an asynchronous copy before its tl.wait (the tl.copy_async at line 129, column 8)}}
  "tl.copy"(%B, %D) : (memref<64xf32, #gpu.address_space<workgroup>>, memref<64xf32>) -> ()
  "tl.wait"(%j) : (!tl.token) -> ()
  return
}

// -----

func.func @iter_arg_waited_elsewhere(%A: memref<64xf32>, %B: memref<64xf32>, %n: index, %p: i1) {
  %c0 = arith.constant 0 : index
  %t = "tl.copy_async"(%A, %B) : (memref<64xf32>, memref<64xf32>) -> !tl.token
  %r = scf.for %k = %c0 to %n step %n iter_args(%x = %t) -> (!tl.token) {
    scf.if %p {
      // expected-error @+1 {{'tl.wait' op operand #0 is the token iter_arg #0 of the scf.for at line 143, column 8 in another block: a tl.wait must be a later op of the block of its token}}
      "tl.wait"(%x) : (!tl.token) -> ()
    }
    %u = "tl.copy_async"(%A, %B) : (memref<64xf32>, memref<64xf32>) -> !tl.token
    scf.yield %u : !tl.token
  }
  "tl.wait"(%r) : (!tl.token) -> ()
  return
}
