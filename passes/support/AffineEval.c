#include "AffineEval.h"

static int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static int64_t ceilDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) == (b < 0))) ? q + 1 : q;
}

bool tlAffineExprEval(MlirAffineExpr e, const int64_t *dims, intptr_t nDims,
                      const int64_t *syms, intptr_t nSyms, int64_t *out) {
  if (mlirAffineExprIsAConstant(e)) {
    *out = mlirAffineConstantExprGetValue(e);
    return true;
  }
  if (mlirAffineExprIsADim(e)) {
    intptr_t p = mlirAffineDimExprGetPosition(e);
    if (p < 0 || p >= nDims)
      return false;
    *out = dims[p];
    return true;
  }
  if (mlirAffineExprIsASymbol(e)) {
    intptr_t p = mlirAffineSymbolExprGetPosition(e);
    if (p < 0 || p >= nSyms)
      return false;
    *out = syms[p];
    return true;
  }
  if (!mlirAffineExprIsABinary(e))
    return false;
  int64_t a, b;
  if (!tlAffineExprEval(mlirAffineBinaryOpExprGetLHS(e), dims, nDims, syms,
                        nSyms, &a) ||
      !tlAffineExprEval(mlirAffineBinaryOpExprGetRHS(e), dims, nDims, syms,
                        nSyms, &b))
    return false;
  if (mlirAffineExprIsAAdd(e))
    return !__builtin_add_overflow(a, b, out);
  if (mlirAffineExprIsAMul(e))
    return !__builtin_mul_overflow(a, b, out);
  if (b == 0 || (a == INT64_MIN && b == -1))
    return false;
  if (mlirAffineExprIsAFloorDiv(e))
    *out = floorDiv(a, b);
  else if (mlirAffineExprIsACeilDiv(e))
    *out = ceilDiv(a, b);
  else if (mlirAffineExprIsAMod(e)) {
    int64_t m = a % b;
    *out = m < 0 ? m + (b < 0 ? -b : b) : m;
  } else
    return false;
  return true;
}

bool tlAffineMapEval(MlirAffineMap map, const int64_t *dims, intptr_t nDims,
                     int64_t *results) {
  intptr_t n = mlirAffineMapGetNumResults(map);
  for (intptr_t i = 0; i < n; ++i)
    if (!tlAffineExprEval(mlirAffineMapGetResult(map, i), dims, nDims, NULL, 0,
                          &results[i]))
      return false;
  return true;
}
