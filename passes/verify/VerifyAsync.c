/* tl-verify: the rules of the split-phase ops, the two asynchronous
 * producers tl.copy_async and tl.c2d_im2col_async, and tl.wait (design.md
 * §3.1, docs/verify.md): every token is waited exactly once, by a later
 * tl.wait of the same block, and is used by nothing else; between the
 * issue and the wait nothing touches the destination (the col tile) or
 * writes the source (the image). A producer's own rules are those of its
 * synchronous form (VerifyCopy.c, VerifyIm2Col.c); messages name it.
 *
 * The MLIR C API can emit errors only (no notes): where a rule points at a
 * second op, the message names that op's line and column instead. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/IR.h>

#include "Support.h"
#include "VerifyAsync.h"
#include "Verifier.h"
#include "tl-c/Attributes.h"

//===--------------------------------------------------------------------===//
// Helpers
//===--------------------------------------------------------------------===//

/* "line L, column C" of op's location (the first file location inside
   name and call-site locations), else its printed form. */
static const char *whereText(Verifier *v, MlirOperation op) {
  MlirLocation loc = mlirOperationGetLocation(op);
  for (int depth = 0; depth < 8; ++depth) {
    if (mlirLocationIsAName(loc))
      loc = mlirLocationNameGetChildLoc(loc);
    else if (mlirLocationIsACallSite(loc))
      loc = mlirLocationCallSiteGetCallee(loc);
    else
      break;
  }
  TlStr s = {0};
  if (mlirLocationIsAFileLineColRange(loc))
    tlStrAppendf(&s, "line %d, column %d",
                 mlirLocationFileLineColRangeGetStartLine(loc),
                 mlirLocationFileLineColRangeGetStartColumn(loc));
  else
    mlirLocationPrint(loc, tlStrCallback, &s);
  return tlvKeep(v, &s);
}

/* Whether `op` gives a !tl.token: tl.copy_async or tl.c2d_im2col_async. */
static bool isAsyncProducer(MlirOperation op) {
  return tlOpIsNamed(op, "tl.copy_async") ||
         tlOpIsNamed(op, "tl.c2d_im2col_async");
}

/* The op's name, for messages ("tl.copy_async"), kept until the op is
   done. */
static const char *opName(Verifier *v, MlirOperation op) {
  return tlvStr(v, mlirIdentifierStr(mlirOperationGetName(op)));
}

/* The asynchronous producer of `value`, or a null op. */
static MlirOperation asyncProducer(MlirValue value) {
  if (!mlirValueIsAOpResult(value))
    return (MlirOperation){NULL};
  MlirOperation def = mlirOpResultGetOwner(value);
  return isAsyncProducer(def) ? def : (MlirOperation){NULL};
}

/* Whether `wait` is a later op of the block of `copy` (rule 4). */
static bool waitsInPlace(MlirOperation copy, MlirOperation wait) {
  MlirBlock b = mlirOperationGetBlock(copy);
  return !mlirBlockIsNull(b) &&
         mlirBlockEqual(b, mlirOperationGetBlock(wait)) &&
         mlirOperationIsBeforeInBlock(copy, wait);
}

//===--------------------------------------------------------------------===//
// tl.wait
//===--------------------------------------------------------------------===//

/* Each operand is the token of an asynchronous producer of the same
   block, issued before the wait. An empty tl.wait is valid and does nothing. */
void tlvVerifyWait(Verifier *v, MlirOperation op) {
  intptr_t n = mlirOperationGetNumOperands(op);
  for (intptr_t i = 0; i < n; ++i) {
    MlirValue t = mlirOperationGetOperand(op, i);
    MlirOperation copy = asyncProducer(t);
    if (mlirOperationIsNull(copy)) {
      tlvFail(v, op,
              "operand #%lld is %s; it must be the token of a "
              "'tl.copy_async' op or a 'tl.c2d_im2col_async' op",
              (long long)i, tlvProducerText(v, t));
      continue;
    }
    if (waitsInPlace(copy, op))
      continue;
    bool sameBlock =
        mlirBlockEqual(mlirOperationGetBlock(copy), mlirOperationGetBlock(op));
    tlvFail(v, op,
            "operand #%lld is the token of a '%s' %s (%s): a "
            "tl.wait must be a later op of the block of its %s",
            (long long)i, opName(v, copy),
            sameBlock ? "that comes after it" : "in another block",
            whereText(v, copy), opName(v, copy));
  }
}

//===--------------------------------------------------------------------===//
// tl.copy_async: the uses of its token
//===--------------------------------------------------------------------===//

/* Whether an earlier use in the list than `use` has the same owner. */
static bool ownerSeenBefore(MlirValue token, MlirOpOperand use) {
  MlirOperation owner = mlirOpOperandGetOwner(use);
  for (MlirOpOperand u = mlirValueGetFirstUse(token);
       !mlirOpOperandIsNull(u) && u.ptr != use.ptr;
       u = mlirOpOperandGetNextUse(u)) {
    if (mlirOperationEqual(mlirOpOperandGetOwner(u), owner))
      return true;
  }
  return false;
}

/* One tl.wait use of a token: the wait and the operand position. */
typedef struct WaitUse {
  MlirOperation wait;
  intptr_t operand;
} WaitUse;

/* Whether `a` comes before `b` (block order, then operand order). */
static bool useBefore(WaitUse a, WaitUse b) {
  if (mlirOperationEqual(a.wait, b.wait))
    return a.operand < b.operand;
  return mlirOperationIsBeforeInBlock(a.wait, b.wait);
}

/* Uses outside tl.wait are errors at their user; of the waits in the
   copy's block (those elsewhere are rule 4's, reported at the tl.wait),
   the second and later ones in block order are errors. Returns the first
   of them when it follows the copy (the wait that completes it), else a
   null op. */
static MlirOperation checkTokenUses(Verifier *v, MlirOperation copy,
                                    MlirValue token) {
  MlirBlock block = mlirOperationGetBlock(copy);
  WaitUse first = {{NULL}, 0};
  bool anyWait = false;
  for (MlirOpOperand u = mlirValueGetFirstUse(token); !mlirOpOperandIsNull(u);
       u = mlirOpOperandGetNextUse(u)) {
    MlirOperation user = mlirOpOperandGetOwner(u);
    if (!tlOpIsNamed(user, "tl.wait")) {
      if (!ownerSeenBefore(token, u))
        tlvFail(v, user,
                "uses the token of the '%s' at %s: a token may "
                "only be used by tl.wait",
                opName(v, copy), whereText(v, copy));
      continue;
    }
    anyWait = true;
    WaitUse w = {user, mlirOpOperandGetOperandNumber(u)};
    if (mlirBlockIsNull(block) ||
        !mlirBlockEqual(block, mlirOperationGetBlock(user)))
      continue;
    if (!first.wait.ptr || useBefore(w, first))
      first = w;
  }
  if (!anyWait)
    tlvFail(v, copy,
            "token is never waited for: every token of a %s must "
            "be waited exactly once, by a later tl.wait of its block",
            opName(v, copy));
  if (!first.wait.ptr)
    return (MlirOperation){NULL};
  /* Every same-block wait after the first is a second wait. */
  for (MlirOpOperand u = mlirValueGetFirstUse(token); !mlirOpOperandIsNull(u);
       u = mlirOpOperandGetNextUse(u)) {
    WaitUse w = {mlirOpOperandGetOwner(u), mlirOpOperandGetOperandNumber(u)};
    if (!tlOpIsNamed(w.wait, "tl.wait") ||
        !mlirBlockEqual(block, mlirOperationGetBlock(w.wait)) ||
        (mlirOperationEqual(w.wait, first.wait) && w.operand == first.operand))
      continue;
    if (mlirOperationEqual(w.wait, first.wait))
      tlvFail(v, w.wait,
              "token waited twice: operands #%lld and #%lld are the same "
              "token (each token is waited exactly once)",
              (long long)first.operand, (long long)w.operand);
    else
      tlvFail(v, w.wait,
              "token waited twice: the tl.wait at %s already waited for it "
              "(each token is waited exactly once)",
              whereText(v, first.wait));
  }
  return waitsInPlace(copy, first.wait) ? first.wait : (MlirOperation){NULL};
}

//===--------------------------------------------------------------------===//
// tl.copy_async: its buffers while the copy is in flight
//===--------------------------------------------------------------------===//

enum { AccRead = 1, AccWrite = 2 };

/* The memref a copy side names: the value itself, or the buffer of the
   tl.region producing it; null otherwise. */
static MlirValue bufferOf(MlirValue value) {
  if (mlirTypeIsAMemRef(mlirValueGetType(value)))
    return value;
  MlirOperation region = tlvRegionProducer(value);
  if (mlirOperationIsNull(region) || mlirOperationGetNumOperands(region) < 1)
    return (MlirValue){NULL};
  return mlirOperationGetOperand(region, 0);
}

/* How operand `pos` of `op` is accessed: tl ops by their semantics, any
   other op as read and write (conservative). */
static int operandAccess(MlirOperation op, intptr_t pos) {
  if (tlOpIsNamed(op, "tl.copy") || tlOpIsNamed(op, "tl.c2d_im2col") ||
      isAsyncProducer(op))
    return pos == 0 ? AccRead : pos == 1 ? AccWrite : 0;
  return AccRead | AccWrite;
}

/* How `op` accesses `buffer` through its operands (a tl.region of it
   accesses nothing by itself: its user does). tl ops on a global buffer
   are not ordered against each other within a block, asynchronous or not
   (design.md §3.1; tl orders shared memory only, as tl-lower-copy's
   barriers do), so they do not count: two copies may store different
   tiles of one matrix at once. */
static int accessOf(MlirOperation op, MlirValue buffer) {
  if (tlOpIsNamed(op, "tl.region"))
    return 0;
  bool tlOp = tlOpIsNamed(op, "tl.copy") || tlOpIsNamed(op, "tl.c2d_im2col") ||
              isAsyncProducer(op);
  if (tlOp && tlMemRefTypeGetScope(mlirValueGetType(buffer)) == TlScopeGlobal)
    return 0;
  int acc = 0;
  for (intptr_t i = 0, n = mlirOperationGetNumOperands(op); i < n; ++i) {
    MlirValue b = bufferOf(mlirOperationGetOperand(op, i));
    if (!mlirValueIsNull(b) && mlirValueEqual(b, buffer))
      acc |= operandAccess(op, i);
  }
  return acc;
}

typedef struct InFlight {
  Verifier *v;
  MlirOperation copy;
  MlirValue src, dst; /* the buffers; null when unresolved */
} InFlight;

static MlirWalkResult checkInFlight(MlirOperation op, void *userData) {
  InFlight *f = userData;
  Verifier *v = f->v;
  int dst = mlirValueIsNull(f->dst) ? 0 : accessOf(op, f->dst);
  int src = mlirValueIsNull(f->src) ? 0 : accessOf(op, f->src);
  if (dst & AccRead)
    tlvFail(v, op,
            "reads the destination of an asynchronous copy before its "
            "tl.wait (the %s at %s)",
            opName(v, f->copy), whereText(v, f->copy));
  else if (dst & AccWrite)
    tlvFail(v, op,
            "overwrites the destination of an asynchronous copy before its "
            "tl.wait (the %s at %s)",
            opName(v, f->copy), whereText(v, f->copy));
  if (src & AccWrite)
    tlvFail(v, op,
            "overwrites the source of an asynchronous copy before its tl.wait "
            "(the %s at %s)",
            opName(v, f->copy), whereText(v, f->copy));
  return MlirWalkResultAdvance;
}

/* The ops strictly between the copy and its wait, and the ops nested in
   them, leave its destination alone and do not write its source. */
static void checkBetween(Verifier *v, MlirOperation copy, MlirOperation wait) {
  InFlight f = {v, copy, bufferOf(mlirOperationGetOperand(copy, 0)),
                bufferOf(mlirOperationGetOperand(copy, 1))};
  for (MlirOperation op = mlirOperationGetNextInBlock(copy);
       !mlirOperationIsNull(op) && !mlirOperationEqual(op, wait);
       op = mlirOperationGetNextInBlock(op))
    mlirOperationWalk(op, checkInFlight, &f, MlirWalkPreOrder);
}

void tlvVerifyAsyncProducer(Verifier *v, MlirOperation op) {
  /* IRDL checks the result of parsed IR; an op built through the C API
     may reach this pass unverified (as in checkNumOperands). */
  intptr_t n = mlirOperationGetNumResults(op);
  if (n != 1) {
    tlvFail(v, op, "has %lld results, expected 1 (run the IR verifier)",
            (long long)n);
    return;
  }
  MlirOperation wait = checkTokenUses(v, op, mlirOperationGetResult(op, 0));
  if (!mlirOperationIsNull(wait))
    checkBetween(v, op, wait);
}

//===--------------------------------------------------------------------===//
// For the lowering passes (VerifyAsync.h)
//===--------------------------------------------------------------------===//

bool tlAsyncCheckWait(MlirOperation wait) {
  Verifier v = {0};
  tlvVerifyWait(&v, wait);
  tlvReleaseScratch(&v);
  free(v.scratch);
  return !v.failed;
}

MlirOperation tlAsyncWaitOf(MlirOperation copy) {
  Verifier v = {0};
  MlirOperation wait = {NULL};
  if (mlirOperationGetNumResults(copy) == 1)
    wait = checkTokenUses(&v, copy, mlirOperationGetResult(copy, 0));
  else
    tlvFail(&v, copy, "has %lld results, expected 1 (run the IR verifier)",
            (long long)mlirOperationGetNumResults(copy));
  tlvReleaseScratch(&v);
  free(v.scratch);
  if (v.failed)
    return (MlirOperation){NULL};
  if (mlirOperationIsNull(wait)) {
    /* Its waits are all out of place: their own check says where. */
    for (MlirOpOperand u = mlirValueGetFirstUse(mlirOperationGetResult(copy, 0));
         !mlirOpOperandIsNull(u); u = mlirOpOperandGetNextUse(u))
      tlAsyncCheckWait(mlirOpOperandGetOwner(u));
  }
  return wait;
}
