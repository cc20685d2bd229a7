/* The emission builder of tl-lower-copy (copy/Lower.h, struct TlEmitter):
 * ops inserted before a point, index constants made once per copy ahead of
 * the lowering, index arithmetic that folds constants (so the IR carries
 * no `x * 1`, `x + 0`; the rules are support/Fold.h's tlFoldRule, shared
 * with tl-lower-im2col's TlFold), splat constants, the linear thread id, and inline
 * PTX. */
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Dialect/LLVM.h>

#include <string.h>

#include "Fold.h"
#include "IRBuild.h"
#include "Lower.h"

//===--------------------------------------------------------------------===//
// The emitter
//===--------------------------------------------------------------------===//

void tlEmitterInit(TlEmitter *e, TlLower *c) {
  memset(e, 0, sizeof *e);
  e->c = c;
  e->loc = mlirOperationGetLocation(c->op);
  e->ctx = mlirLocationGetContext(e->loc);
  e->top = c->op;
  e->hoist = mlirOpResultGetOwner(tlBuildIndexConstant(c->op, e->loc, 0));
}

void tlEmitterFinish(TlEmitter *e) {
  /* Constants made ahead that ended up unused, and the placeholder. */
  for (int i = 0; i < e->nC; ++i)
    tlEraseIfUnused(mlirOpResultGetOwner(e->cVal[i]));
  mlirOperationDestroy(e->hoist);
}

//===--------------------------------------------------------------------===//
// Ops, constants and folding index arithmetic
//===--------------------------------------------------------------------===//

MlirOperation tlMk(TlEmitter *e, MlirOperation at, const char *name,
                   intptr_t nOps, const MlirValue *ops, intptr_t nRes,
                   const MlirType *res, intptr_t nAttrs,
                   const MlirNamedAttribute *attrs) {
  return tlBuildOpBefore(at, name, e->loc, nOps, ops, nRes, res, nAttrs,
                         attrs);
}

MlirType tlIndexTy(TlEmitter *e) { return mlirIndexTypeGet(e->ctx); }

MlirAttribute tlI64Attr(TlEmitter *e, int64_t v) {
  return mlirIntegerAttrGet(mlirIntegerTypeGet(e->ctx, 64), v);
}

/* An index constant, made once per copy before it. */
MlirValue tlCst(TlEmitter *e, int64_t k) {
  for (int i = 0; i < e->nC; ++i)
    if (e->cKey[i] == k)
      return e->cVal[i];
  MlirValue v = tlBuildIndexConstant(e->hoist, e->loc, k);
  if (e->nC < CONST_CACHE) {
    e->cKey[e->nC] = k;
    e->cVal[e->nC++] = v;
  }
  return v;
}

static bool isConst(MlirValue v, int64_t *k) {
  return tlGetConstantIndex(v, k);
}

MlirValue tlBinop(TlEmitter *e, MlirOperation at, const char *name, MlirValue a,
                  MlirValue b) {
  MlirValue ops[2] = {a, b};
  MlirType t = mlirValueGetType(a);
  return tlRes0(tlMk(e, at, name, 2, ops, 1, &t, 0, NULL));
}

/* a op b by tlFoldRule (support/Fold.h, the one set of folding rules);
   `build` makes the op when nothing folds. */
static MlirValue folded(TlEmitter *e, TlFoldOp op, MlirValue a, MlirValue b,
                        bool *build) {
  int64_t x = 0, y = 0, k;
  bool ca = isConst(a, &x), cb = isConst(b, &y);
  *build = false;
  switch (tlFoldRule(op, ca, x, cb, y, &k)) {
  case TlFoldedConst:
    return tlCst(e, k);
  case TlFoldedX:
    return a;
  case TlFoldedY:
    return b;
  default:
    *build = true;
    return (MlirValue){NULL};
  }
}

MlirValue tlAddV(TlEmitter *e, MlirOperation at, MlirValue a, MlirValue b) {
  bool build;
  MlirValue r = folded(e, TlFoldOpAdd, a, b, &build);
  return build ? tlBinop(e, at, "arith.addi", a, b) : r;
}

MlirValue tlMulV(TlEmitter *e, MlirOperation at, MlirValue a, MlirValue b) {
  bool build;
  MlirValue r = folded(e, TlFoldOpMul, a, b, &build);
  if (!build)
    return r;
  /* Constants on the right, as canonicalization would put them. */
  int64_t x;
  return isConst(a, &x) ? tlBinop(e, at, "arith.muli", b, a)
                        : tlBinop(e, at, "arith.muli", a, b);
}

/* a / k and a % k: k is an index constant only when the op is built. */
static MlirValue divRem(TlEmitter *e, MlirOperation at, TlFoldOp op,
                        MlirValue a, int64_t k) {
  int64_t x = 0, r;
  bool ca = isConst(a, &x);
  switch (tlFoldRule(op, ca, x, true, k, &r)) {
  case TlFoldedConst:
    return tlCst(e, r);
  case TlFoldedX:
    return a;
  default:
    return tlBinop(e, at, op == TlFoldOpDivu ? "arith.divui" : "arith.remui",
                   a, tlCst(e, k));
  }
}

MlirValue tlDivK(TlEmitter *e, MlirOperation at, MlirValue a, int64_t k) {
  return divRem(e, at, TlFoldOpDivu, a, k);
}

MlirValue tlRemK(TlEmitter *e, MlirOperation at, MlirValue a, int64_t k) {
  return divRem(e, at, TlFoldOpRemu, a, k);
}

/* f.base + f.step * c; `c` null means the chunk index is the constant cc. */
MlirValue tlAffV(TlEmitter *e, MlirOperation at, TlAff f, MlirValue c,
                      int64_t cc) {
  if (mlirValueIsNull(c))
    return tlCst(e, f.base + f.step * cc);
  MlirValue v = f.step == 0   ? tlCst(e, 0)
                : f.step == 1 ? c
                              : tlMulV(e, at, c, tlCst(e, f.step));
  return f.base == 0 ? v : tlAddV(e, at, v, tlCst(e, f.base));
}

MlirValue tlCmpUlt(TlEmitter *e, MlirOperation at, MlirValue a, MlirValue b) {
  MlirValue ops[2] = {a, b};
  MlirType i1 = mlirIntegerTypeGet(e->ctx, 1);
  MlirNamedAttribute p =
      tlNamed(e->ctx, "predicate", tlI64Attr(e, 6)); /* ult */
  return tlRes0(tlMk(e, at, "arith.cmpi", 2, ops, 1, &i1, 1, &p));
}

MlirValue tlI32Const(TlEmitter *e, MlirOperation at, int64_t v) {
  MlirType i32 = mlirIntegerTypeGet(e->ctx, 32);
  MlirNamedAttribute a = tlNamed(e->ctx, "value", mlirIntegerAttrGet(i32, v));
  return tlRes0(tlMk(e, at, "arith.constant", 0, NULL, 1, &i32, 1, &a));
}

MlirValue tlIndexToPtr(TlEmitter *e, MlirOperation at, MlirValue index,
                            unsigned space) {
  MlirType i64 = mlirIntegerTypeGet(e->ctx, 64);
  MlirValue i =
      tlRes0(tlMk(e, at, "arith.index_cast", 1, &index, 1, &i64, 0, NULL));
  MlirType p = mlirLLVMPointerTypeGet(e->ctx, space);
  return tlRes0(tlMk(e, at, "llvm.inttoptr", 1, &i, 1, &p, 0, NULL));
}

MlirValue tlIndexToSpacePtr(TlEmitter *e, MlirOperation at, MlirValue index,
                            unsigned space) {
  MlirValue p = tlIndexToPtr(e, at, index, 0);
  MlirType t = mlirLLVMPointerTypeGet(e->ctx, space);
  return tlRes0(tlMk(e, at, "llvm.addrspacecast", 1, &p, 1, &t, 0, NULL));
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
    a = mlirFloatAttrDoubleGet(e->ctx, elt, d);
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
  MlirNamedAttribute na = tlNamed(e->ctx, "value", a);
  MlirValue r =
      tlRes0(tlMk(e, e->hoist, "arith.constant", 0, NULL, 1, &type, 1, &na));
  if (e->nS < 8) {
    e->sKey[e->nS] = a;
    e->sVal[e->nS++] = r;
  }
  return r;
}

MlirValue tlInlineAsm(TlEmitter *e, MlirOperation at, const char *text,
                      const char *constraints, intptr_t nOps,
                      const MlirValue *ops, MlirType *result) {
  MlirNamedAttribute attrs[3] = {
      tlNamed(e->ctx, "asm_string",
              mlirStringAttrGet(e->ctx, mlirStringRefCreateFromCString(text))),
      tlNamed(e->ctx, "constraints",
              mlirStringAttrGet(e->ctx,
                                mlirStringRefCreateFromCString(constraints))),
      tlNamed(e->ctx, "has_side_effects", mlirUnitAttrGet(e->ctx))};
  MlirOperation op = tlMk(e, at, "llvm.inline_asm", nOps, ops, result ? 1 : 0,
                          result, 3, attrs);
  return result ? tlRes0(op) : (MlirValue){NULL};
}

//===--------------------------------------------------------------------===//
// The thread id
//===--------------------------------------------------------------------===//

MlirValue tlLinearThreadId(TlEmitter *e, MlirOperation at,
                           const int64_t xyz[3], bool cached) {
  static const char *const dims[3] = {"#gpu<dim x>", "#gpu<dim y>",
                                      "#gpu<dim z>"};
  MlirType index = tlIndexTy(e);
  MlirValue tid = {NULL};
  int64_t scale = 1;
  for (int i = 0; i < 3; ++i) {
    if (i > 0 && xyz[i] == 1)
      continue;
    MlirNamedAttribute d = tlNamed(
        e->ctx, "dimension",
        mlirAttributeParseGet(e->ctx, mlirStringRefCreateFromCString(dims[i])));
    MlirValue t =
        tlRes0(tlMk(e, at, "gpu.thread_id", 0, NULL, 1, &index, 1, &d));
    if (scale != 1) {
      MlirValue k =
          cached ? tlCst(e, scale) : tlBuildIndexConstant(at, e->loc, scale);
      t = tlBinop(e, at, "arith.muli", t, k);
    }
    tid = mlirValueIsNull(tid) ? t : tlBinop(e, at, "arith.addi", tid, t);
    scale *= xyz[i];
  }
  return tid;
}

MlirValue tlThreadId(TlEmitter *e) {
  return tlLinearThreadId(e, e->hoist, e->c->xyz, true);
}

/* thread id * k, made once per copy before it. */
MlirValue tlTidTimes(TlEmitter *e, int64_t k) {
  for (int i = 0; i < e->nT; ++i)
    if (e->tKey[i] == k)
      return e->tVal[i];
  MlirValue v = tlMulV(e, e->hoist, e->tid, tlCst(e, k));
  if (e->nT < 8) {
    e->tKey[e->nT] = k;
    e->tVal[e->nT++] = v;
  }
  return v;
}
