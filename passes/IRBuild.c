#include "IRBuild.h"

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

MlirValue tlBuildCast(MlirOperation before, MlirLocation loc, MlirValue value,
                      MlirType to) {
  MlirType from = mlirValueGetType(value);
  if (mlirTypeEqual(from, to))
    return value;
  const char *name = NULL;
  if (mlirTypeIsAFloat(from) && mlirTypeIsAFloat(to)) {
    name = mlirFloatTypeGetWidth(from) < mlirFloatTypeGetWidth(to)
               ? "arith.extf"
               : "arith.truncf";
    if (mlirFloatTypeGetWidth(from) == mlirFloatTypeGetWidth(to)) {
      /* f16 <-> bf16: through f32. */
      MlirValue wide = tlBuildCast(before, loc, value,
                                   mlirF32TypeGet(mlirLocationGetContext(loc)));
      return tlBuildCast(before, loc, wide, to);
    }
  } else if (isInt(from) && mlirTypeIsAFloat(to)) {
    name = mlirIntegerTypeGetWidth(from) == 1 ? "arith.uitofp" : "arith.sitofp";
  } else if (mlirTypeIsAFloat(from) && isInt(to)) {
    name = "arith.fptosi";
  } else if (isInt(from) && isInt(to)) {
    unsigned a = mlirIntegerTypeGetWidth(from), b = mlirIntegerTypeGetWidth(to);
    name = a < b ? (a == 1 ? "arith.extui" : "arith.extsi") : "arith.trunci";
  } else if (mlirTypeIsAIndex(from) || mlirTypeIsAIndex(to)) {
    if ((mlirTypeIsAIndex(from) && isInt(to)) ||
        (isInt(from) && mlirTypeIsAIndex(to))) {
      name = "arith.index_cast";
    } else {
      /* index <-> float: through i64. */
      MlirType i64 = mlirIntegerTypeGet(mlirLocationGetContext(loc), 64);
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
