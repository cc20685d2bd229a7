/* The folding index builder (support/Fold.h). */
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "Fold.h"
#include "IRBuild.h"
#include "Support.h"

//===----------------------------------------------------------------------===//
// The builder and its constants
//===----------------------------------------------------------------------===//

void tlFoldInit(TlFold *b, MlirOperation at, MlirLocation loc) {
  memset(b, 0, sizeof *b);
  b->ctx = mlirLocationGetContext(loc);
  b->loc = loc;
  b->index = mlirIndexTypeGet(b->ctx);
  b->i1 = mlirIntegerTypeGet(b->ctx, 1);
  b->top = b->at = at;
}

void tlFoldEraseUnusedConsts(TlFold *b) {
  for (int i = 0; i < b->nConsts; ++i)
    tlEraseIfUnused(mlirOpResultGetOwner(b->constVal[i]));
}

MlirValue tlFoldCst(TlFold *b, int64_t v) {
  for (int i = 0; i < b->nConsts; ++i)
    if (b->constKey[i] == v)
      return b->constVal[i];
  MlirValue r = tlBuildIndexConstant(
      mlirOperationIsNull(b->constAt) ? b->top : b->constAt, b->loc, v);
  b->constAt = mlirOpResultGetOwner(r);
  if (b->nConsts < TL_FOLD_MAX_CONSTS) {
    b->constKey[b->nConsts] = v;
    b->constVal[b->nConsts++] = r;
  }
  return r;
}

bool tlFoldIsConst(MlirValue v, int64_t *c) { return tlGetConstantIndex(v, c); }

//===----------------------------------------------------------------------===//
// Plain ops at the insertion point
//===----------------------------------------------------------------------===//

MlirValue tlFoldOp(TlFold *b, const char *name, intptr_t n,
                   const MlirValue *operands, MlirType type, intptr_t nAttrs,
                   const MlirNamedAttribute *attrs) {
  MlirOperation op =
      tlBuildOpBefore(b->at, name, b->loc, n, operands,
                      mlirTypeIsNull(type) ? 0 : 1, &type, nAttrs, attrs);
  return mlirTypeIsNull(type) ? (MlirValue){NULL}
                              : mlirOperationGetResult(op, 0);
}

MlirValue tlFoldIntConst(TlFold *b, MlirType t, int64_t v) {
  MlirNamedAttribute na = tlNamed(b->ctx, "value", mlirIntegerAttrGet(t, v));
  return tlFoldOp(b, "arith.constant", 0, NULL, t, 1, &na);
}

MlirValue tlFoldIndexCast(TlFold *b, MlirValue v, MlirType t) {
  return tlFoldOp(b, "arith.index_cast", 1, &v, t, 0, NULL);
}

void tlFoldStore(TlFold *b, MlirValue v, MlirValue mem, MlirValue i) {
  MlirValue ops[3] = {v, mem, i};
  tlFoldOp(b, "memref.store", 3, ops, (MlirType){NULL}, 0, NULL);
}

//===----------------------------------------------------------------------===//
// Folded index arithmetic
//===----------------------------------------------------------------------===//

static MlirValue bin(TlFold *b, const char *name, MlirValue x, MlirValue y) {
  MlirValue ops[2] = {x, y};
  return tlFoldOp(b, name, 2, ops, b->index, 0, NULL);
}

static const char *const kOpName[] = {"arith.addi", "arith.subi", "arith.muli",
                                      "arith.divui", "arith.remui"};

/* p op q of two constants into *r; false where it is not folded (unsigned
   division of a negative value or by a non-positive one). */
static bool foldConsts(TlFoldOp op, int64_t p, int64_t q, int64_t *r) {
  uint64_t a = (uint64_t)p, c = (uint64_t)q;
  switch (op) {
  case TlFoldOpAdd:
    *r = (int64_t)(a + c);
    return true;
  case TlFoldOpSub:
    *r = (int64_t)(a - c);
    return true;
  case TlFoldOpMul:
    *r = (int64_t)(a * c);
    return true;
  default:
    if (p < 0 || q <= 0)
      return false;
    *r = op == TlFoldOpDivu ? p / q : p % q;
    return true;
  }
}

/* x op y where one constant operand decides it (x + 0, x * 1, x * 0,
   x / 1, x % 1, ...). cx and cy say which operands are constants (p, q). */
static TlFolded foldUnit(TlFoldOp op, bool cx, int64_t p, bool cy, int64_t q,
                         int64_t *k) {
  bool x0 = cx && p == 0, y0 = cy && q == 0, x1 = cx && p == 1,
       y1 = cy && q == 1;
  *k = 0;
  switch (op) {
  case TlFoldOpAdd:
    return x0 ? TlFoldedY : y0 ? TlFoldedX : TlFoldedNone;
  case TlFoldOpSub:
    return y0 ? TlFoldedX : TlFoldedNone;
  case TlFoldOpMul:
    return x0 || y0 ? TlFoldedConst
           : x1     ? TlFoldedY
           : y1     ? TlFoldedX
                    : TlFoldedNone;
  case TlFoldOpDivu:
    return y1 ? TlFoldedX : TlFoldedNone;
  default:
    return y1 ? TlFoldedConst : TlFoldedNone;
  }
}

TlFolded tlFoldRule(TlFoldOp op, bool cx, int64_t p, bool cy, int64_t q,
                    int64_t *k) {
  /* For + - * constants first, then units; for the divisions x / 1 and
     x % 1 first. */
  bool unitFirst = op == TlFoldOpDivu || op == TlFoldOpRemu;
  TlFolded r;
  if (unitFirst && (r = foldUnit(op, cx, p, cy, q, k)) != TlFoldedNone)
    return r;
  if (cx && cy && foldConsts(op, p, q, k))
    return TlFoldedConst;
  if (!unitFirst)
    return foldUnit(op, cx, p, cy, q, k);
  return TlFoldedNone;
}

/* x op y with the folds of tlFoldRule. */
static MlirValue arith(TlFold *b, TlFoldOp op, MlirValue x, MlirValue y) {
  int64_t p = 0, q = 0, k;
  bool cx = tlFoldIsConst(x, &p), cy = tlFoldIsConst(y, &q);
  switch (tlFoldRule(op, cx, p, cy, q, &k)) {
  case TlFoldedConst:
    return tlFoldCst(b, k);
  case TlFoldedX:
    return x;
  case TlFoldedY:
    return y;
  default:
    return bin(b, kOpName[op], x, y);
  }
}

MlirValue tlFoldAdd(TlFold *b, MlirValue x, MlirValue y) {
  return arith(b, TlFoldOpAdd, x, y);
}

MlirValue tlFoldSub(TlFold *b, MlirValue x, MlirValue y) {
  return arith(b, TlFoldOpSub, x, y);
}

MlirValue tlFoldMul(TlFold *b, MlirValue x, MlirValue y) {
  return arith(b, TlFoldOpMul, x, y);
}

MlirValue tlFoldDivu(TlFold *b, MlirValue x, MlirValue y) {
  return arith(b, TlFoldOpDivu, x, y);
}

MlirValue tlFoldRemu(TlFold *b, MlirValue x, MlirValue y) {
  return arith(b, TlFoldOpRemu, x, y);
}

MlirValue tlFoldCmp(TlFold *b, int64_t pred, MlirValue x, MlirValue y) {
  MlirValue ops[2] = {x, y};
  MlirNamedAttribute a =
      tlNamed(b->ctx, "predicate",
              mlirIntegerAttrGet(mlirIntegerTypeGet(b->ctx, 64), pred));
  return tlFoldOp(b, "arith.cmpi", 2, ops, b->i1, 1, &a);
}

MlirValue tlFoldAndi(TlFold *b, MlirValue x, MlirValue y) {
  if (mlirValueIsNull(x))
    return y;
  if (mlirValueIsNull(y))
    return x;
  MlirValue ops[2] = {x, y};
  return tlFoldOp(b, "arith.andi", 2, ops, b->i1, 0, NULL);
}

//===----------------------------------------------------------------------===//
// Regions and thread ids
//===----------------------------------------------------------------------===//

MlirOperation tlFoldIf(TlFold *b, MlirValue cond, intptr_t nResults,
                       const MlirType *types, MlirOperation *thenYield,
                       MlirOperation *elseYield) {
  return tlBuildIfBefore(b->at, b->loc, cond, nResults, types, thenYield,
                         elseYield);
}

MlirValue tlFoldFor(TlFold *b, int64_t n, MlirOperation *yield) {
  MlirValue lb = tlFoldCst(b, 0), ub = tlFoldCst(b, n), step = tlFoldCst(b, 1);
  MlirValue iv;
  tlBuildForBefore(b->at, b->loc, lb, ub, step, &iv, yield);
  return iv;
}

MlirValue tlFoldThreadId(TlFold *b, const char *dim) {
  TlStr s = {0};
  tlStrAppendf(&s, "#gpu<dim %s>", dim);
  MlirAttribute a = mlirAttributeParseGet(
      b->ctx, mlirStringRefCreateFromCString(tlStrGet(&s)));
  tlStrFree(&s);
  MlirNamedAttribute na = tlNamed(b->ctx, "dimension", a);
  return tlFoldOp(b, "gpu.thread_id", 0, NULL, b->index, 1, &na);
}

MlirValue tlFoldLinearThreadId(TlFold *b, int64_t dimX, int64_t dimY,
                               int64_t threads) {
  MlirValue tid = tlFoldThreadId(b, "x");
  if (threads != dimX) {
    MlirValue y = tlFoldThreadId(b, "y");
    tid = tlFoldAdd(b, tid, tlFoldMul(b, y, tlFoldCst(b, dimX)));
    if (threads != dimX * dimY) {
      MlirValue z = tlFoldThreadId(b, "z");
      tid = tlFoldAdd(b, tid, tlFoldMul(b, z, tlFoldCst(b, dimX * dimY)));
    }
  }
  return tid;
}
