/* The one folding index builder (support/Fold.h): its constants, plain ops,
 * folded index arithmetic, regions and the linear thread id. */
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Dialect/LLVM.h>

#include "Fold.h"
#include "IRBuild.h"
#include "Support.h"

//===----------------------------------------------------------------------===//
// The builder and its constants
//===----------------------------------------------------------------------===//

void tlBuildInit(TlBuild *b, MlirOperation top, MlirLocation loc,
                 TlConstPlace place) {
  memset(b, 0, sizeof *b);
  b->ctx = mlirLocationGetContext(loc);
  b->loc = loc;
  b->index = mlirIndexTypeGet(b->ctx);
  b->i1 = mlirIntegerTypeGet(b->ctx, 1);
  b->top = b->at = top;
  b->place = place;
  if (place == TlConstsAhead)
    b->hoist = mlirOpResultGetOwner(tlBuildIndexConstant(top, loc, 0));
}

void tlBuildFinish(TlBuild *b) {
  for (int i = 0; i < b->nConsts; ++i)
    tlEraseIfUnused(mlirOpResultGetOwner(b->constVal[i]));
  if (!mlirOperationIsNull(b->hoist))
    mlirOperationDestroy(b->hoist);
  b->hoist = (MlirOperation){NULL};
  b->nConsts = 0;
}

/* Where the next constant goes (TlConstPlace). */
static MlirOperation constPoint(const TlBuild *b) {
  switch (b->place) {
  case TlConstsAhead:
    return b->hoist;
  case TlConstsGrouped:
    return mlirOperationIsNull(b->constAt) ? b->top : b->constAt;
  default:
    return b->at;
  }
}

MlirValue tlCst(TlBuild *b, int64_t v) {
  bool shared = b->place != TlConstsInPlace;
  for (int i = 0; shared && i < b->nConsts; ++i)
    if (b->constKey[i] == v)
      return b->constVal[i];
  MlirValue r = tlBuildIndexConstant(constPoint(b), b->loc, v);
  if (!shared)
    return r;
  b->constAt = mlirOpResultGetOwner(r);
  if (b->nConsts < TL_FOLD_MAX_CONSTS) {
    b->constKey[b->nConsts] = v;
    b->constVal[b->nConsts++] = r;
  }
  return r;
}

bool tlIsConst(MlirValue v, int64_t *c) { return tlGetConstantIndex(v, c); }

//===----------------------------------------------------------------------===//
// Plain ops
//===----------------------------------------------------------------------===//

MlirOperation tlMk(TlBuild *b, MlirOperation at, const char *name,
                   intptr_t nOps, const MlirValue *ops, intptr_t nRes,
                   const MlirType *res, intptr_t nAttrs,
                   const MlirNamedAttribute *attrs) {
  return tlBuildOpBefore(at, name, b->loc, nOps, ops, nRes, res, nAttrs, attrs);
}

MlirValue tlOp(TlBuild *b, MlirOperation at, const char *name, intptr_t n,
               const MlirValue *ops, MlirType type, intptr_t nAttrs,
               const MlirNamedAttribute *attrs) {
  bool none = mlirTypeIsNull(type);
  MlirOperation op =
      tlMk(b, at, name, n, ops, none ? 0 : 1, &type, nAttrs, attrs);
  return none ? (MlirValue){NULL} : tlRes0(op);
}

MlirType tlIndexTy(TlBuild *b) { return b->index; }

MlirAttribute tlI64Attr(TlBuild *b, int64_t v) {
  return mlirIntegerAttrGet(mlirIntegerTypeGet(b->ctx, 64), v);
}

MlirValue tlIntConst(TlBuild *b, MlirOperation at, MlirType t, int64_t v) {
  MlirNamedAttribute na = tlNamed(b->ctx, "value", mlirIntegerAttrGet(t, v));
  return tlOp(b, at, "arith.constant", 0, NULL, t, 1, &na);
}

MlirValue tlI32Const(TlBuild *b, MlirOperation at, int64_t v) {
  return tlIntConst(b, at, mlirIntegerTypeGet(b->ctx, 32), v);
}

MlirValue tlIndexCast(TlBuild *b, MlirOperation at, MlirValue v, MlirType t) {
  return tlOp(b, at, "arith.index_cast", 1, &v, t, 0, NULL);
}

MlirValue tlIndexToPtr(TlBuild *b, MlirOperation at, MlirValue index,
                       unsigned space) {
  MlirValue i = tlIndexCast(b, at, index, mlirIntegerTypeGet(b->ctx, 64));
  return tlOp(b, at, "llvm.inttoptr", 1, &i,
              mlirLLVMPointerTypeGet(b->ctx, space), 0, NULL);
}

MlirValue tlIndexToSpacePtr(TlBuild *b, MlirOperation at, MlirValue index,
                            unsigned space) {
  MlirValue p = tlIndexToPtr(b, at, index, 0);
  return tlOp(b, at, "llvm.addrspacecast", 1, &p,
              mlirLLVMPointerTypeGet(b->ctx, space), 0, NULL);
}

MlirValue tlInlineAsm(TlBuild *b, MlirOperation at, const char *text,
                      const char *constraints, intptr_t nOps,
                      const MlirValue *ops, MlirType *result) {
  MlirContext ctx = b->ctx;
  MlirNamedAttribute attrs[3] = {
      tlNamed(ctx, "asm_string",
              mlirStringAttrGet(ctx, mlirStringRefCreateFromCString(text))),
      tlNamed(
          ctx, "constraints",
          mlirStringAttrGet(ctx, mlirStringRefCreateFromCString(constraints))),
      tlNamed(ctx, "has_side_effects", mlirUnitAttrGet(ctx))};
  MlirOperation op = tlMk(b, at, "llvm.inline_asm", nOps, ops, result ? 1 : 0,
                          result, 3, attrs);
  return result ? tlRes0(op) : (MlirValue){NULL};
}

//===----------------------------------------------------------------------===//
// Folded index arithmetic
//===----------------------------------------------------------------------===//

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

MlirValue tlBinop(TlBuild *b, MlirOperation at, const char *name, MlirValue a,
                  MlirValue c) {
  MlirValue ops[2] = {a, c};
  MlirType t = mlirValueGetType(a);
  return tlRes0(tlMk(b, at, name, 2, ops, 1, &t, 0, NULL));
}

/* x op y with the folds of tlFoldRule; cy says y is the constant q. `y`
   null: the constant q is made only when the op is built (tlDivK). */
static MlirValue arith(TlBuild *b, MlirOperation at, TlFoldOp op, MlirValue x,
                       MlirValue y, bool cy, int64_t q) {
  int64_t p = 0, k;
  bool cx = tlIsConst(x, &p);
  switch (tlFoldRule(op, cx, p, cy, q, &k)) {
  case TlFoldedConst:
    return tlCst(b, k);
  case TlFoldedX:
    return x;
  case TlFoldedY:
    return y;
  default:
    break;
  }
  if (mlirValueIsNull(y))
    y = tlCst(b, q);
  /* Constants on the right of a product, as canonicalization puts them. */
  if (op == TlFoldOpMul && cx)
    return tlBinop(b, at, kOpName[op], y, x);
  return tlBinop(b, at, kOpName[op], x, y);
}

static MlirValue arithV(TlBuild *b, MlirOperation at, TlFoldOp op, MlirValue x,
                        MlirValue y) {
  int64_t q = 0;
  bool cy = tlIsConst(y, &q);
  return arith(b, at, op, x, y, cy, q);
}

MlirValue tlAddV(TlBuild *b, MlirOperation at, MlirValue x, MlirValue y) {
  return arithV(b, at, TlFoldOpAdd, x, y);
}

MlirValue tlSubV(TlBuild *b, MlirOperation at, MlirValue x, MlirValue y) {
  return arithV(b, at, TlFoldOpSub, x, y);
}

MlirValue tlMulV(TlBuild *b, MlirOperation at, MlirValue x, MlirValue y) {
  return arithV(b, at, TlFoldOpMul, x, y);
}

MlirValue tlDivV(TlBuild *b, MlirOperation at, MlirValue x, MlirValue y) {
  return arithV(b, at, TlFoldOpDivu, x, y);
}

MlirValue tlRemV(TlBuild *b, MlirOperation at, MlirValue x, MlirValue y) {
  return arithV(b, at, TlFoldOpRemu, x, y);
}

MlirValue tlDivK(TlBuild *b, MlirOperation at, MlirValue x, int64_t k) {
  return arith(b, at, TlFoldOpDivu, x, (MlirValue){NULL}, true, k);
}

MlirValue tlRemK(TlBuild *b, MlirOperation at, MlirValue x, int64_t k) {
  return arith(b, at, TlFoldOpRemu, x, (MlirValue){NULL}, true, k);
}

MlirValue tlCmp(TlBuild *b, MlirOperation at, int64_t pred, MlirValue x,
                MlirValue y) {
  MlirValue ops[2] = {x, y};
  MlirNamedAttribute a = tlNamed(b->ctx, "predicate", tlI64Attr(b, pred));
  return tlOp(b, at, "arith.cmpi", 2, ops, b->i1, 1, &a);
}

MlirValue tlAndi(TlBuild *b, MlirOperation at, MlirValue x, MlirValue y) {
  if (mlirValueIsNull(x))
    return y;
  if (mlirValueIsNull(y))
    return x;
  MlirValue ops[2] = {x, y};
  return tlOp(b, at, "arith.andi", 2, ops, b->i1, 0, NULL);
}

//===----------------------------------------------------------------------===//
// Regions and thread ids
//===----------------------------------------------------------------------===//

MlirOperation tlIf(TlBuild *b, MlirOperation at, MlirValue cond,
                   intptr_t nResults, const MlirType *types,
                   MlirOperation *thenYield, MlirOperation *elseYield) {
  return tlBuildIfBefore(at, b->loc, cond, nResults, types, thenYield,
                         elseYield);
}

MlirValue tlFor(TlBuild *b, MlirOperation at, int64_t n, MlirOperation *yield) {
  MlirValue lb = tlCst(b, 0), ub = tlCst(b, n), step = tlCst(b, 1);
  MlirValue iv;
  tlBuildForBefore(at, b->loc, lb, ub, step, &iv, yield);
  return iv;
}

MlirValue tlLinearThreadId(TlBuild *b, MlirOperation at, const int64_t xyz[3]) {
  static const char *const dims[3] = {"#gpu<dim x>", "#gpu<dim y>",
                                      "#gpu<dim z>"};
  MlirValue tid = {NULL};
  int64_t scale = 1;
  for (int i = 0; i < 3; ++i) {
    if (i > 0 && xyz[i] == 1)
      continue;
    MlirNamedAttribute d = tlNamed(
        b->ctx, "dimension",
        mlirAttributeParseGet(b->ctx, mlirStringRefCreateFromCString(dims[i])));
    MlirValue t = tlOp(b, at, "gpu.thread_id", 0, NULL, b->index, 1, &d);
    if (scale != 1)
      t = tlMulV(b, at, t, tlCst(b, scale));
    tid = mlirValueIsNull(tid) ? t : tlAddV(b, at, tid, t);
    scale *= xyz[i];
  }
  return tid;
}
