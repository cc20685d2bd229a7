/* Internal: evaluating affine maps on constant operands at compile time. */
#ifndef TL_PASSES_AFFINEEVAL_H
#define TL_PASSES_AFFINEEVAL_H

#include <stdbool.h>
#include <stdint.h>

#include <mlir-c/AffineExpr.h>
#include <mlir-c/AffineMap.h>

/// Evaluates `expr` with dimension i bound to dims[i] (nDims of them) and
/// symbol j to syms[j]. floordiv/ceildiv/mod follow MLIR's semantics (mod is
/// non-negative, division rounds toward -inf / +inf). Returns false on a
/// division by zero, an out-of-range dim/symbol or overflow.
bool tlAffineExprEval(MlirAffineExpr expr, const int64_t *dims, intptr_t nDims,
                      const int64_t *syms, intptr_t nSyms, int64_t *out);

/// Evaluates every result of `map` into results[0..numResults). Returns
/// false when any result fails to evaluate.
bool tlAffineMapEval(MlirAffineMap map, const int64_t *dims, intptr_t nDims,
                     int64_t *results);

#endif
