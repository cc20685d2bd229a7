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

/* Which operands are constants (their values in *p, *q); bit 0: x, 1: y. */
static int constOperands(MlirValue x, MlirValue y, int64_t *p, int64_t *q) {
  return (tlFoldIsConst(x, p) ? 1 : 0) | (tlFoldIsConst(y, q) ? 2 : 0);
}

MlirValue tlFoldAdd(TlFold *b, MlirValue x, MlirValue y) {
  int64_t p, q;
  int k = constOperands(x, y, &p, &q);
  if (k == 3)
    return tlFoldCst(b, (int64_t)((uint64_t)p + (uint64_t)q));
  if ((k & 1) && p == 0)
    return y;
  if ((k & 2) && q == 0)
    return x;
  return bin(b, "arith.addi", x, y);
}

MlirValue tlFoldSub(TlFold *b, MlirValue x, MlirValue y) {
  int64_t p, q;
  int k = constOperands(x, y, &p, &q);
  if (k == 3)
    return tlFoldCst(b, (int64_t)((uint64_t)p - (uint64_t)q));
  if ((k & 2) && q == 0)
    return x;
  return bin(b, "arith.subi", x, y);
}

MlirValue tlFoldMul(TlFold *b, MlirValue x, MlirValue y) {
  int64_t p, q;
  int k = constOperands(x, y, &p, &q);
  if (k == 3)
    return tlFoldCst(b, (int64_t)((uint64_t)p * (uint64_t)q));
  if (((k & 1) && p == 0) || ((k & 2) && q == 0))
    return tlFoldCst(b, 0);
  if ((k & 1) && p == 1)
    return y;
  if ((k & 2) && q == 1)
    return x;
  return bin(b, "arith.muli", x, y);
}

MlirValue tlFoldDivu(TlFold *b, MlirValue x, MlirValue y) {
  int64_t p, q;
  int k = constOperands(x, y, &p, &q);
  if ((k & 2) && q == 1)
    return x;
  if (k == 3 && p >= 0 && q > 0)
    return tlFoldCst(b, p / q);
  return bin(b, "arith.divui", x, y);
}

MlirValue tlFoldRemu(TlFold *b, MlirValue x, MlirValue y) {
  int64_t p, q;
  int k = constOperands(x, y, &p, &q);
  if ((k & 2) && q == 1)
    return tlFoldCst(b, 0);
  if (k == 3 && p >= 0 && q > 0)
    return tlFoldCst(b, p % q);
  return bin(b, "arith.remui", x, y);
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
