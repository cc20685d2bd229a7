/* The copy-specific part of tl-lower-copy's emission state (copy/Lower.h,
 * struct TlEmitter): it embeds the one folding index builder
 * (support/Fold.h, constants ahead of each copy's lowering) and adds what
 * only copies need: affine chunk values, splat constants, and the copy's
 * thread id and its multiples, each made once per copy ahead of the
 * lowering. */
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include <string.h>

#include "Fold.h"
#include "IRBuild.h"
#include "Lower.h"

//===--------------------------------------------------------------------===//
// The emitter
//===--------------------------------------------------------------------===//

void tlEmitterInit(TlEmitter *e, TlLower *c, TlConstPlace place) {
  tlEmitterInitAt(e, c, c->op, place);
}

void tlEmitterInitAt(TlEmitter *e, TlLower *c, MlirOperation at,
                     TlConstPlace place) {
  memset(e, 0, sizeof *e);
  e->c = c;
  tlBuildInit(&e->b, at, mlirOperationGetLocation(at), place);
}

void tlEmitterFinish(TlEmitter *e) { tlBuildFinish(&e->b); }

void tlEmitThrough(TlEmitter *e, const TlInstLowering *l,
                   TlCompletion completion) {
  TlAsync a;
  memset(&a, 0, sizeof a);
  a.kind = completion;
  tlEmitIssue(e, l, &a);
  tlEmitComplete(e, l, &a);
}

void tlEmitIssue(TlEmitter *e, const TlInstLowering *l, TlAsync *a) {
  if (l->emit)
    l->emit(e, e->c);
  else
    l->issue(e, e->c, a);
}

void tlEmitComplete(TlEmitter *e, const TlInstLowering *l, TlAsync *a) {
  if (!l->emit)
    l->complete(e, e->c, a);
}

/* f.base + f.step * c; `c` null means the chunk index is the constant cc. */
MlirValue tlAffV(TlEmitter *e, MlirOperation at, TlAff f, MlirValue c,
                 int64_t cc) {
  TlBuild *b = &e->b;
  if (mlirValueIsNull(c))
    return tlCst(b, f.base + f.step * cc);
  MlirValue v = f.step == 0   ? tlCst(b, 0)
                : f.step == 1 ? c
                              : tlMulV(b, at, c, tlCst(b, f.step));
  return f.base == 0 ? v : tlAddV(b, at, v, tlCst(b, f.base));
}

//===--------------------------------------------------------------------===//
// Values
//===--------------------------------------------------------------------===//

MlirType tlDataType(MlirType elt, int64_t n) {
  return n == 1 ? elt : mlirVectorTypeGet(1, &n, elt);
}

/* A splat constant of `type` (scalar or vector) from an integer / float
   attribute (converted to the element type), or zero. */
MlirValue tlSplat(TlEmitter *e, MlirType type, MlirAttribute value) {
  MlirType elt =
      mlirTypeIsAVector(type) ? mlirShapedTypeGetElementType(type) : type;
  MlirAttribute a;
  if (mlirTypeIsAFloat(elt)) {
    double d = 0;
    if (!mlirAttributeIsNull(value))
      d = mlirAttributeIsAFloat(value)
              ? mlirFloatAttrGetValueDouble(value)
              : (double)mlirIntegerAttrGetValueInt(value);
    a = mlirFloatAttrDoubleGet(e->b.ctx, elt, d);
  } else {
    int64_t i = 0;
    if (!mlirAttributeIsNull(value))
      i = mlirAttributeIsAFloat(value)
              ? (int64_t)mlirFloatAttrGetValueDouble(value)
              : mlirIntegerAttrGetValueInt(value);
    a = mlirIntegerAttrGet(elt, i);
  }
  if (mlirTypeIsAVector(type))
    a = mlirDenseElementsAttrSplatGet(type, a);
  for (int i = 0; i < e->nS; ++i)
    if (mlirAttributeEqual(e->sKey[i], a))
      return e->sVal[i];
  MlirNamedAttribute na = tlNamed(e->b.ctx, "value", a);
  MlirValue r = tlRes0(
      tlMk(&e->b, e->b.hoist, "arith.constant", 0, NULL, 1, &type, 1, &na));
  if (e->nS < 8) {
    e->sKey[e->nS] = a;
    e->sVal[e->nS++] = r;
  }
  return r;
}

//===--------------------------------------------------------------------===//
// The thread id
//===--------------------------------------------------------------------===//

MlirValue tlThreadId(TlEmitter *e) {
  return tlLinearThreadId(&e->b, e->b.hoist, e->c->xyz);
}

/* thread id * k, made once per copy before it. */
MlirValue tlTidTimes(TlEmitter *e, int64_t k) {
  for (int i = 0; i < e->nT; ++i)
    if (e->tKey[i] == k)
      return e->tVal[i];
  MlirValue v = tlMulV(&e->b, e->b.hoist, e->tid, tlCst(&e->b, k));
  if (e->nT < 8) {
    e->tKey[e->nT] = k;
    e->tVal[e->nT++] = v;
  }
  return v;
}
