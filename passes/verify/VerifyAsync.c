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

#include "Diag.h"
#include "Support.h"
#include "VerifyAsync.h"
#include "Verifier.h"
#include "tl-c/Attributes.h"

//===--------------------------------------------------------------------===//
// Helpers
//===--------------------------------------------------------------------===//

/* "line L, column C" of op's location (support/Diag.h). */
const char *tlvWhere(Verifier *v, MlirOperation op) {
  char buf[256];
  return tlvStr(v, mlirStringRefCreateFromCString(tlOpWhere(op, buf, sizeof buf)));
}

/* The op's name, for messages ("tl.copy_async"), kept until the op is
   done. */
const char *tlvOpName(Verifier *v, MlirOperation op) {
  return tlvStr(v, mlirIdentifierStr(mlirOperationGetName(op)));
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
      tlvIsAsyncProducer(op))
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
              tlvIsAsyncProducer(op);
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
            tlvOpName(v, f->copy), tlvWhere(v, f->copy));
  else if (dst & AccWrite)
    tlvFail(v, op,
            "overwrites the destination of an asynchronous copy before its "
            "tl.wait (the %s at %s)",
            tlvOpName(v, f->copy), tlvWhere(v, f->copy));
  if (src & AccWrite)
    tlvFail(v, op,
            "overwrites the source of an asynchronous copy before its tl.wait "
            "(the %s at %s)",
            tlvOpName(v, f->copy), tlvWhere(v, f->copy));
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

/* The tl.wait that completes `op` in its own block: its token's wait,
   or the wait of the op that joins it, and so on; a null op when the
   chain is carried by a loop (tl-pipeline's stages: their hazards across
   iterations are not checked here, docs/verify.md) or misused. */
static MlirOperation completingWait(MlirOperation op) {
  for (int depth = 0; depth < 64; ++depth) {
    TlTokenUse u = tlTokenUseOf(mlirOperationGetResult(op, 0));
    if (u.kind == TlTokenWaited)
      return mlirBlockEqual(mlirOperationGetBlock(u.user),
                            mlirOperationGetBlock(op)) &&
                     mlirOperationIsBeforeInBlock(op, u.user)
                 ? u.user
                 : (MlirOperation){NULL};
    if (u.kind != TlTokenJoined)
      break;
    op = u.user; /* the tl.join */
  }
  return (MlirOperation){NULL};
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
  tlvVerifyTokenUses(v, mlirOperationGetResult(op, 0));
  MlirOperation wait = completingWait(op);
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

bool tlAsyncCheckProducer(MlirOperation op, TlTokenUse *use) {
  Verifier v = {0};
  if (mlirOperationGetNumResults(op) == 1) {
    tlvVerifyTokenUses(&v, mlirOperationGetResult(op, 0));
  } else {
    tlvFail(&v, op, "has %lld results, expected 1 (run the IR verifier)",
            (long long)mlirOperationGetNumResults(op));
  }
  tlvReleaseScratch(&v);
  free(v.scratch);
  if (v.failed)
    return false;
  *use = tlTokenUseOf(mlirOperationGetResult(op, 0));
  /* A wait out of place: its own check says where. */
  return use->kind != TlTokenWaited || tlAsyncCheckWait(use->user);
}

bool tlAsyncCheckLoopTokens(MlirOperation loop) {
  Verifier v = {0};
  tlvVerifyLoopTokens(&v, loop);
  tlvReleaseScratch(&v);
  free(v.scratch);
  return !v.failed;
}

MlirOperation tlAsyncWaitOf(MlirOperation copy) {
  TlTokenUse u;
  if (!tlAsyncCheckProducer(copy, &u))
    return (MlirOperation){NULL};
  if (u.kind == TlTokenWaited)
    return u.user;
  tlOpError(copy, "token is %s; this lowering needs it waited by a tl.wait "
                  "of its block",
            u.kind == TlTokenJoined ? "joined by a tl.join"
                                    : "carried by an scf.for");
  return (MlirOperation){NULL};
}
