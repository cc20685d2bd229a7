#include "IRBuild.h"

#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "Support.h"

MlirNamedAttribute tlNamed(MlirContext ctx, const char *name,
                           MlirAttribute attr) {
  return mlirNamedAttributeGet(
      mlirIdentifierGet(ctx, mlirStringRefCreateFromCString(name)), attr);
}

MlirOperation tlBuildOpBefore(MlirOperation before, const char *name,
                              MlirLocation loc, intptr_t nOperands,
                              const MlirValue *operands, intptr_t nResults,
                              const MlirType *resultTypes, intptr_t nAttrs,
                              const MlirNamedAttribute *attrs) {
  MlirOperationState st =
      mlirOperationStateGet(mlirStringRefCreateFromCString(name), loc);
  if (nOperands)
    mlirOperationStateAddOperands(&st, nOperands, operands);
  if (nResults)
    mlirOperationStateAddResults(&st, nResults, resultTypes);
  if (nAttrs)
    mlirOperationStateAddAttributes(&st, nAttrs, attrs);
  MlirOperation op = mlirOperationCreate(&st);
  mlirBlockInsertOwnedOperationBefore(mlirOperationGetBlock(before), before,
                                      op);
  return op;
}

MlirValue tlBuildIndexConstant(MlirOperation before, MlirLocation loc,
                               int64_t value) {
  MlirContext ctx = mlirLocationGetContext(loc);
  MlirType index = mlirIndexTypeGet(ctx);
  MlirNamedAttribute attr =
      tlNamed(ctx, "value", mlirIntegerAttrGet(index, value));
  MlirOperation op = tlBuildOpBefore(before, "arith.constant", loc, 0, NULL,
                                     1, &index, 1, &attr);
  return mlirOperationGetResult(op, 0);
}

static bool isInt(MlirType t) {
  return mlirTypeIsAInteger(t);
}

/* The element type of a vector, or the type itself. */
static MlirType elementOf(MlirType t) {
  return mlirTypeIsAVector(t) ? mlirShapedTypeGetElementType(t) : t;
}

/* `elt` in the shape of `shape` (a vector or a scalar type). */
static MlirType likeShape(MlirType shape, MlirType elt) {
  if (!mlirTypeIsAVector(shape))
    return elt;
  intptr_t rank = mlirShapedTypeGetRank(shape);
  int64_t dims[16];
  if (rank > 16)
    return (MlirType){NULL};
  for (intptr_t i = 0; i < rank; ++i)
    dims[i] = mlirShapedTypeGetDimSize(shape, i);
  return mlirVectorTypeGet(rank, dims, elt);
}

static bool sameShape(MlirType a, MlirType b) {
  if (mlirTypeIsAVector(a) != mlirTypeIsAVector(b))
    return false;
  if (!mlirTypeIsAVector(a))
    return true;
  if (mlirShapedTypeGetRank(a) != mlirShapedTypeGetRank(b))
    return false;
  for (intptr_t i = 0; i < mlirShapedTypeGetRank(a); ++i)
    if (mlirShapedTypeGetDimSize(a, i) != mlirShapedTypeGetDimSize(b, i))
      return false;
  return true;
}

MlirValue tlBuildCast(MlirOperation before, MlirLocation loc, MlirValue value,
                      MlirType to) {
  MlirType fromT = mlirValueGetType(value);
  if (mlirTypeEqual(fromT, to))
    return value;
  if (!sameShape(fromT, to))
    return (MlirValue){NULL};
  MlirType from = elementOf(fromT), toElt = elementOf(to);
  MlirContext ctx = mlirLocationGetContext(loc);
  const char *name = NULL;
  if (mlirTypeIsAFloat(from) && mlirTypeIsAFloat(toElt)) {
    name = mlirFloatTypeGetWidth(from) < mlirFloatTypeGetWidth(toElt)
               ? "arith.extf"
               : "arith.truncf";
    if (mlirFloatTypeGetWidth(from) == mlirFloatTypeGetWidth(toElt)) {
      /* f16 <-> bf16: through f32. */
      MlirValue wide =
          tlBuildCast(before, loc, value, likeShape(to, mlirF32TypeGet(ctx)));
      return mlirValueIsNull(wide) ? wide : tlBuildCast(before, loc, wide, to);
    }
  } else if (isInt(from) && mlirTypeIsAFloat(toElt)) {
    name = mlirIntegerTypeGetWidth(from) == 1 ? "arith.uitofp" : "arith.sitofp";
  } else if (mlirTypeIsAFloat(from) && isInt(toElt)) {
    name = "arith.fptosi";
  } else if (isInt(from) && isInt(toElt)) {
    unsigned a = mlirIntegerTypeGetWidth(from),
             b = mlirIntegerTypeGetWidth(toElt);
    name = a < b ? (a == 1 ? "arith.extui" : "arith.extsi") : "arith.trunci";
  } else if (mlirTypeIsAIndex(from) || mlirTypeIsAIndex(toElt)) {
    if ((mlirTypeIsAIndex(from) && isInt(toElt)) ||
        (isInt(from) && mlirTypeIsAIndex(toElt))) {
      name = "arith.index_cast";
    } else {
      /* index <-> float: through i64. */
      MlirType i64 = likeShape(to, mlirIntegerTypeGet(ctx, 64));
      MlirValue mid = tlBuildCast(before, loc, value, i64);
      return mlirValueIsNull(mid) ? mid : tlBuildCast(before, loc, mid, to);
    }
  }
  if (!name)
    return (MlirValue){NULL};
  MlirOperation op =
      tlBuildOpBefore(before, name, loc, 1, &value, 1, &to, 0, NULL);
  return mlirOperationGetResult(op, 0);
}

MlirOperation tlBuildIfBefore(MlirOperation before, MlirLocation loc,
                              MlirValue cond, intptr_t nResults,
                              const MlirType *resultTypes,
                              MlirOperation *thenYield,
                              MlirOperation *elseYield) {
  MlirOperationState st =
      mlirOperationStateGet(mlirStringRefCreateFromCString("scf.if"), loc);
  mlirOperationStateAddOperands(&st, 1, &cond);
  if (nResults)
    mlirOperationStateAddResults(&st, nResults, resultTypes);
  MlirRegion regions[2] = {mlirRegionCreate(), mlirRegionCreate()};
  MlirOperation yields[2] = {{NULL}, {NULL}};
  for (int i = 0; i < (nResults ? 2 : 1); ++i) {
    MlirBlock block = mlirBlockCreate(0, NULL, NULL);
    mlirRegionAppendOwnedBlock(regions[i], block);
    MlirOperationState y =
        mlirOperationStateGet(mlirStringRefCreateFromCString("scf.yield"), loc);
    yields[i] = mlirOperationCreate(&y);
    mlirBlockAppendOwnedOperation(block, yields[i]);
  }
  mlirOperationStateAddOwnedRegions(&st, 2, regions);
  MlirOperation op = mlirOperationCreate(&st);
  mlirBlockInsertOwnedOperationBefore(mlirOperationGetBlock(before), before,
                                      op);
  if (thenYield)
    *thenYield = yields[0];
  if (elseYield)
    *elseYield = yields[1];
  return op;
}

MlirOperation tlBuildForBefore(MlirOperation before, MlirLocation loc,
                               MlirValue lb, MlirValue ub, MlirValue step,
                               MlirValue *iv, MlirOperation *yield) {
  MlirContext ctx = mlirLocationGetContext(loc);
  MlirType index = mlirIndexTypeGet(ctx);
  MlirOperationState st =
      mlirOperationStateGet(mlirStringRefCreateFromCString("scf.for"), loc);
  MlirValue bounds[3] = {lb, ub, step};
  mlirOperationStateAddOperands(&st, 3, bounds);
  MlirRegion body = mlirRegionCreate();
  MlirBlock block = mlirBlockCreate(1, &index, &loc);
  mlirRegionAppendOwnedBlock(body, block);
  MlirOperationState y =
      mlirOperationStateGet(mlirStringRefCreateFromCString("scf.yield"), loc);
  MlirOperation term = mlirOperationCreate(&y);
  mlirBlockAppendOwnedOperation(block, term);
  mlirOperationStateAddOwnedRegions(&st, 1, &body);
  MlirOperation op = mlirOperationCreate(&st);
  mlirBlockInsertOwnedOperationBefore(mlirOperationGetBlock(before), before,
                                      op);
  if (iv)
    *iv = mlirBlockGetArgument(block, 0);
  if (yield)
    *yield = term;
  return op;
}

bool tlEraseIfUnused(MlirOperation op) {
  for (intptr_t i = 0; i < mlirOperationGetNumResults(op); ++i)
    if (!mlirOpOperandIsNull(
            mlirValueGetFirstUse(mlirOperationGetResult(op, i))))
      return false;
  mlirOperationDestroy(op);
  return true;
}

bool tlGetConstantIndex(MlirValue v, int64_t *out) {
  if (mlirValueIsNull(v) || !mlirValueIsAOpResult(v))
    return false;
  MlirOperation def = mlirOpResultGetOwner(v);
  if (!tlOpIsNamed(def, "arith.constant"))
    return false;
  MlirAttribute a = mlirOperationGetAttributeByName(
      def, mlirStringRefCreateFromCString("value"));
  if (mlirAttributeIsNull(a) || !mlirAttributeIsAInteger(a))
    return false;
  *out = mlirIntegerAttrGetValueInt(a);
  return true;
}

void tlOpListPush(TlOpList *l, MlirOperation op) {
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 16;
    l->ops = realloc(l->ops, sizeof(MlirOperation) * l->cap);
    if (!l->ops)
      abort(); /* out of memory */
  }
  l->ops[l->n++] = op;
}

typedef struct CollectState {
  const char *name;
  TlOpList *list;
} CollectState;

static MlirWalkResult collectNamed(MlirOperation op, void *userData) {
  CollectState *c = userData;
  if (tlOpIsNamed(op, c->name)) {
    tlOpListPush(c->list, op);
  }
  return MlirWalkResultAdvance;
}

void tlCollectOps(MlirOperation root, const char *name, TlOpList *list) {
  CollectState c = {name, list};
  mlirOperationWalk(root, collectNamed, &c, MlirWalkPreOrder);
}

bool tlStaticRowMajor(MlirType t, int64_t *strideOut) {
  intptr_t r = mlirShapedTypeGetRank(t);
  int64_t strides[16], offset;
  if (r > 16 || !mlirShapedTypeHasStaticShape(t) ||
      mlirLogicalResultIsFailure(
          mlirMemRefTypeGetStridesAndOffset(t, strides, &offset)) ||
      offset != 0)
    return false;
  int64_t want = 1;
  for (intptr_t d = r - 1; d >= 0; --d) {
    if (strides[d] != want && mlirShapedTypeGetDimSize(t, d) != 1)
      return false;
    if (strideOut)
      strideOut[d] = want;
    /* The stride of the next dimension out; the product of all sizes is
       not needed (a buffer of more than 2^63 elements overflows it). */
    if (d > 0 &&
        __builtin_mul_overflow(want, mlirShapedTypeGetDimSize(t, d), &want))
      return false;
  }
  return true;
}

bool tlStaticInnerContiguous(MlirType t, int64_t *strideOut) {
  intptr_t r = mlirShapedTypeGetRank(t);
  int64_t strides[16], offset;
  if (r < 1 || r > 16 || !mlirShapedTypeHasStaticShape(t) ||
      mlirLogicalResultIsFailure(
          mlirMemRefTypeGetStridesAndOffset(t, strides, &offset)) ||
      offset != 0)
    return false;
  /* Innermost unit stride; each outer stride static and at least the
     span of the dimensions inside it (no two elements alias). */
  int64_t span = mlirShapedTypeGetDimSize(t, r - 1);
  if (strides[r - 1] != 1 && span != 1)
    return false;
  strides[r - 1] = 1;
  for (intptr_t d = r - 2; d >= 0; --d) {
    int64_t n = mlirShapedTypeGetDimSize(t, d);
    if (n == 1) { /* any stride: take the span, as row-major would */
      strides[d] = span;
      continue;
    }
    if (mlirShapedTypeIsDynamicStrideOrOffset(strides[d]) ||
        strides[d] < span ||
        __builtin_mul_overflow(strides[d], n, &span))
      return false;
  }
  if (strideOut)
    for (intptr_t d = 0; d < r; ++d)
      strideOut[d] = strides[d];
  return true;
}

MlirValue tlAppendFuncInput(MlirOperation func, MlirType type,
                            MlirAttribute argAttrs) {
  MlirContext ctx = mlirOperationGetContext(func);
  MlirStringRef ftName = mlirStringRefCreateFromCString("function_type");
  MlirStringRef aaName = mlirStringRefCreateFromCString("arg_attrs");
  MlirType ft =
      mlirTypeAttrGetValue(mlirOperationGetAttributeByName(func, ftName));
  intptr_t nIn = mlirFunctionTypeGetNumInputs(ft);
  intptr_t nRes = mlirFunctionTypeGetNumResults(ft);
  MlirType *ins = malloc(sizeof(MlirType) * (size_t)(nIn + 1));
  MlirType *outs = malloc(sizeof(MlirType) * (size_t)(nRes + 1));
  for (intptr_t i = 0; i < nIn; ++i)
    ins[i] = mlirFunctionTypeGetInput(ft, i);
  ins[nIn] = type;
  for (intptr_t i = 0; i < nRes; ++i)
    outs[i] = mlirFunctionTypeGetResult(ft, i);
  mlirOperationSetAttributeByName(
      func, ftName,
      mlirTypeAttrGet(mlirFunctionTypeGet(ctx, nIn + 1, ins, nRes, outs)));
  free(ins);
  free(outs);
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  MlirValue arg =
      mlirBlockInsertArgument(entry, nIn, type, mlirOperationGetLocation(func));
  MlirAttribute old = mlirOperationGetAttributeByName(func, aaName);
  bool have = !mlirAttributeIsNull(old) && mlirAttributeIsAArray(old) &&
              mlirArrayAttrGetNumElements(old) == nIn;
  MlirAttribute *dicts = malloc(sizeof(MlirAttribute) * (size_t)(nIn + 1));
  for (intptr_t i = 0; i < nIn; ++i)
    dicts[i] = have ? mlirArrayAttrGetElement(old, i)
                    : mlirDictionaryAttrGet(ctx, 0, NULL);
  dicts[nIn] = argAttrs;
  mlirOperationSetAttributeByName(func, aaName,
                                  mlirArrayAttrGet(ctx, nIn + 1, dicts));
  free(dicts);
  return arg;
}

MlirAttribute tlFuncArgAttr(MlirOperation func, intptr_t i, const char *name) {
  MlirAttribute argAttrs = mlirOperationGetAttributeByName(
      func, mlirStringRefCreateFromCString("arg_attrs"));
  if (mlirAttributeIsNull(argAttrs) || !mlirAttributeIsAArray(argAttrs) ||
      i < 0 || i >= mlirArrayAttrGetNumElements(argAttrs))
    return (MlirAttribute){NULL};
  MlirAttribute d = mlirArrayAttrGetElement(argAttrs, i);
  if (!mlirAttributeIsADictionary(d))
    return (MlirAttribute){NULL};
  return mlirDictionaryAttrGetElementByName(
      d, mlirStringRefCreateFromCString(name));
}

MlirAttribute tlGetAttr(MlirOperation op, const char *name) {
  return mlirOperationGetAttributeByName(op,
                                         mlirStringRefCreateFromCString(name));
}

void tlSetAttr(MlirOperation op, const char *name, MlirAttribute attr) {
  mlirOperationSetAttributeByName(op, mlirStringRefCreateFromCString(name),
                                  attr);
}

MlirOperation tlEnclosingOp(MlirOperation op, const char *name) {
  MlirOperation p = mlirOperationGetParentOperation(op);
  while (!mlirOperationIsNull(p) && !tlOpIsNamed(p, name))
    p = mlirOperationGetParentOperation(p);
  return p;
}
