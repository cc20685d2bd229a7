// RUN: tl-capi-ops-async 2>&1 | FileCheck %s
// The split-phase ops through the C API: tl.copy_async, tl.wait,
// tl.c2d_im2col_async, the predicate of the asynchronous ops and tl.join
// (ops.c has the synchronous ones).
#include "ops-fixture.h"

static void testCopyAsync(void) {
  printf("testCopyAsync\n");
  // CHECK-LABEL: testCopyAsync
  Fixture f;
  setUp(&f);
  MlirValue ij[2] = {arg(&f, ArgI), arg(&f, ArgJ)};
  int64_t extents[2] = {64, 64};
  MlirOperation region = tlRegionOpCreate(f.loc, arg(&f, ArgA), 2, ij,
                                          TlAccessRead, 2, extents);
  insert(&f, region);
  TlCopyOptions some = tlCopyOptionsGetDefault();
  some.evictionPolicy = TlEvictLast;
  MlirOperation copy = tlCopyAsyncOpCreate(f.loc, tlRegionOpGetResult(region),
                                           arg(&f, ArgS), &some);
  insert(&f, copy);
  MlirValue token = tlCopyAsyncOpGetToken(copy);
  MlirOperation wait = tlWaitOpCreate(f.loc, 1, &token);
  MlirOperation empty = tlWaitOpCreate(f.loc, 0, NULL);
  insert(&f, empty);
  insert(&f, wait);

  // The copy accessors read a tl.copy_async as a tl.copy.
  printf("copy_async: is %d copy %d wait %d src-is-region %d dst %d policy %s "
         "token %d\n",
         tlOperationIsACopyAsync(copy), tlOperationIsACopy(copy),
         tlOperationIsAWait(copy),
         mlirValueEqual(tlCopyOpGetSource(copy), tlRegionOpGetResult(region)),
         argNo(&f, tlCopyOpGetDestination(copy)),
         tlEvictionPolicyGetName(tlCopyOpGetOptions(copy).evictionPolicy),
         tlTypeIsAToken(mlirValueGetType(token)));
  // CHECK: copy_async: is 1 copy 0 wait 0 src-is-region 1 dst 1 policy evict_last token 1
  printf("wait: is %d async %d tokens %ld same %d tok1 %d empty %ld\n",
         tlOperationIsAWait(wait), tlOperationIsACopyAsync(wait),
         (long)tlWaitOpGetNumTokens(wait),
         mlirValueEqual(tlWaitOpGetToken(wait, 0), token),
         mlirValueIsNull(tlWaitOpGetToken(wait, 1)),
         (long)tlWaitOpGetNumTokens(empty));
  // CHECK: wait: is 1 async 0 tokens 1 same 1 tok1 1 empty 0
  printf("others: %d %d %d %ld %d\n", tlOperationIsACopyAsync(f.ret),
         tlOperationIsAWait(f.ret), mlirValueIsNull(tlCopyAsyncOpGetToken(f.ret)),
         (long)tlWaitOpGetNumTokens(f.ret),
         mlirValueIsNull(tlCopyAsyncOpGetToken(wait)));
  // CHECK: others: 0 0 1 0 1

  MlirOperation moduleOp = mlirModuleGetOperation(f.module);
  printf("verifies: %d\n", mlirOperationVerify(moduleOp));
  // CHECK: verifies: 1
  char *text = printOp(moduleOp);
  printf("%s\n", text);
  // CHECK: %0 = "tl.region"(%arg0, %arg2, %arg3) {access = 1 : i32, extents = array<i64: 64, 64>} : (memref<512x512xf32>, index, index) -> !tl.buffer_region
  // CHECK-NEXT: %1 = "tl.copy_async"(%0, %arg1) {eviction_policy = "evict_last"} : (!tl.buffer_region, memref<64x64xf32, #gpu.address_space<workgroup>>) -> !tl.token
  // CHECK-NEXT: "tl.wait"() : () -> ()
  // CHECK-NEXT: "tl.wait"(%1) : (!tl.token) -> ()
  // CHECK-NEXT: return
  free(text);

  // Builder errors: tl.copy's checks under the op's own name; a wait takes
  // tokens only.
  MlirValue I = arg(&f, ArgI), none = {NULL};
  report(&f, "copy_async(index source)",
         tlCopyAsyncOpCreate(f.loc, I, arg(&f, ArgS), NULL));
  // CHECK: diag error: loc("ops.c":1:2): tl.copy_async: source must be a memref or a !tl.buffer_region value, got 'index'
  // CHECK-NEXT: copy_async(index source) -> null
  report(&f, "wait(index)", tlWaitOpCreate(f.loc, 1, &I));
  // CHECK: diag error: loc("ops.c":1:2): tl.wait: token #0 must be a !tl.token value, got 'index'
  // CHECK-NEXT: wait(index) -> null
  report(&f, "wait(null)", tlWaitOpCreate(f.loc, 1, &none));
  // CHECK: diag error: loc("ops.c":1:2): tl.wait: token #0 is a null value
  report(&f, "wait(no array)", tlWaitOpCreate(f.loc, 2, NULL));
  // CHECK: diag error: loc("ops.c":1:2): tl.wait: invalid token list (2 tokens, no array)
  printf("diagnostics: %d\n", f.diags);
  // CHECK: diagnostics: 4
  tearDown(&f);
}

// tl.c2d_im2col_async: tl.c2d_im2col's builder and accessors, a token.
static void testIm2ColAsync(void) {
  printf("testIm2ColAsync\n"); // CHECK-LABEL: testIm2ColAsync
  Fixture f;
  setUp(&f);
  TlIm2ColParams sq = {{3, 3}, {1, 1}, {1, 1}, {1, 1}, TlEvictionDefault};
  MlirOperation op = tlIm2ColAsyncOpCreate(
      f.loc, arg(&f, ArgImg), arg(&f, ArgCol), arg(&f, ArgI), arg(&f, ArgJ), &sq);
  insert(&f, op);
  MlirValue token = tlIm2ColAsyncOpGetToken(op);
  insert(&f, tlWaitOpCreate(f.loc, 1, &token));
  TlIm2ColParams p;
  bool ok = tlIm2ColOpGetParams(op, &p);
  printf("im2col_async: is %d sync %d ok %d k %lld img %d col %d c %d "
         "token %d other %d\n",
         tlOperationIsAnIm2ColAsync(op), tlOperationIsAIm2Col(op),
         ok, (long long)p.kernel.h,
         argNo(&f, tlIm2ColOpGetImage(op)), argNo(&f, tlIm2ColOpGetColumn(op)),
         argNo(&f, tlIm2ColOpGetCStep(op)),
         tlTypeIsAToken(mlirValueGetType(token)),
         mlirValueIsNull(tlIm2ColAsyncOpGetToken(f.ret)));
  // CHECK: im2col_async: is 1 sync 0 ok 1 k 3 img 5 col 6 c 3 token 1 other 1
  MlirOperation m = mlirModuleGetOperation(f.module);
  printf("verifies: %d\n", mlirOperationVerify(m)); // CHECK: verifies: 1
  char *text = printOp(m);
  printf("%s\n", text);
  // CHECK: %0 = "tl.c2d_im2col_async"(%arg5, %arg6, %arg2, %arg3) {dilation = 1 : i64, kernel = 3 : i64, pad = 1 : i64, stride = 1 : i64} : (memref<2x32x32x16xf16>, memref<64x144xf16, #gpu.address_space<workgroup>>, index, index) -> !tl.token
  // CHECK-NEXT: "tl.wait"(%0) : (!tl.token) -> ()
  free(text), tearDown(&f);
}

// The predicate of an asynchronous op and tl.join (design.md §3.1).
static void testPredicateAndJoin(void) {
  printf("testPredicateAndJoin\n"); // CHECK-LABEL: testPredicateAndJoin
  Fixture f;
  setUp(&f);
  MlirContext ctx = mlirLocationGetContext(f.loc);
  MlirType i1 = mlirIntegerTypeGet(ctx, 1);
  MlirNamedAttribute v = mlirNamedAttributeGet(
      mlirIdentifierGet(ctx, mlirStringRefCreateFromCString("value")),
      mlirBoolAttrGet(ctx, 1));
  MlirOperationState cs =
      mlirOperationStateGet(mlirStringRefCreateFromCString("arith.constant"), f.loc);
  mlirOperationStateAddResults(&cs, 1, &i1);
  mlirOperationStateAddAttributes(&cs, 1, &v);
  MlirOperation cst = mlirOperationCreate(&cs);
  insert(&f, cst);
  MlirValue pred = mlirOperationGetResult(cst, 0), none = {NULL};
  MlirOperation a = tlCopyAsyncOpCreate(f.loc, arg(&f, ArgA), arg(&f, ArgS), NULL);
  MlirOperation b = tlCopyAsyncOpCreate(f.loc, arg(&f, ArgA), arg(&f, ArgS), NULL);
  insert(&f, a);
  insert(&f, b);
  bool set = tlAsyncOpSetPredicate(a, pred);
  bool bad = tlAsyncOpSetPredicate(a, arg(&f, ArgI));
  bool other = tlAsyncOpSetPredicate(f.ret, pred);
  printf("predicate: set %d same %d bad %d other %d none %d\n", set,
         mlirValueEqual(tlAsyncOpGetPredicate(a), pred), bad, other,
         mlirValueIsNull(tlAsyncOpGetPredicate(b)));
  // CHECK: predicate: set 1 same 1 bad 0 other 0 none 1
  tlAsyncOpSetPredicate(b, pred);
  tlAsyncOpSetPredicate(b, none);
  printf("removed: %d operands %ld\n", mlirValueIsNull(tlAsyncOpGetPredicate(b)),
         (long)mlirOperationGetNumOperands(b));
  // CHECK: removed: 1 operands 2
  tlAsyncOpSetPredicate(b, pred);
  MlirValue toks[2] = {tlCopyAsyncOpGetToken(a), tlCopyAsyncOpGetToken(b)};
  MlirOperation join = tlJoinOpCreate(f.loc, 2, toks);
  insert(&f, join);
  MlirValue jt = mlirOperationGetResult(join, 0);
  insert(&f, tlWaitOpCreate(f.loc, 1, &jt));
  printf("join: is %d wait %d token %d\n", tlOperationIsAJoin(join),
         tlOperationIsAJoin(f.ret), tlTypeIsAToken(mlirValueGetType(jt)));
  // CHECK: join: is 1 wait 0 token 1
  MlirOperation m = mlirModuleGetOperation(f.module);
  printf("verifies: %d\n", mlirOperationVerify(m)); // CHECK: verifies: 1
  char *text = printOp(m);
  printf("%s\n", text);
  // CHECK: %[[P:.*]] = arith.constant true
  // CHECK-NEXT: %[[A:.*]] = "tl.copy_async"(%arg0, %arg1, %[[P]]) : (memref<512x512xf32>, memref<64x64xf32, #gpu.address_space<workgroup>>, i1) -> !tl.token
  // CHECK-NEXT: %[[B:.*]] = "tl.copy_async"(%arg0, %arg1, %[[P]])
  // CHECK-NEXT: %[[J:.*]] = "tl.join"(%[[A]], %[[B]]) : (!tl.token, !tl.token) -> !tl.token
  // CHECK-NEXT: "tl.wait"(%[[J]]) : (!tl.token) -> ()
  free(text);
  report(&f, "join()", tlJoinOpCreate(f.loc, 0, NULL));
  // CHECK: diag error: loc("ops.c":1:2): tl.join: invalid token list (0 tokens, no array)
  // CHECK-NEXT: join() -> null
  tearDown(&f);
}

int main(void) {
  // Unbuffered, so that anything MLIR writes to stderr stays in order.
  setvbuf(stdout, NULL, _IONBF, 0);
  testCopyAsync();
  testIm2ColAsync();
  testPredicateAndJoin();
  return 0;
}
