/* Internal: small helpers to create upstream ops from the passes. */
#ifndef TL_PASSES_IRBUILD_H
#define TL_PASSES_IRBUILD_H

#include <stdint.h>

#include <mlir-c/IR.h>

/// Creates `name`(operands) -> resultTypes {attrs} and inserts it before
/// `before`. Returns the new operation.
MlirOperation tlBuildOpBefore(MlirOperation before, const char *name,
                              MlirLocation loc, intptr_t nOperands,
                              const MlirValue *operands, intptr_t nResults,
                              const MlirType *resultTypes, intptr_t nAttrs,
                              const MlirNamedAttribute *attrs);

/// arith.constant of an index value, before `before`.
MlirValue tlBuildIndexConstant(MlirOperation before, MlirLocation loc,
                               int64_t value);

/// Converts `value` to `to` with the arith cast TileLang would use (extf,
/// truncf, sitofp, fptosi, extsi, trunci, index_cast); returns `value` when
/// the types are equal and a null value when no cast exists.
MlirValue tlBuildCast(MlirOperation before, MlirLocation loc, MlirValue value,
                      MlirType to);

/// A named attribute.
MlirNamedAttribute tlNamed(MlirContext ctx, const char *name,
                           MlirAttribute attr);

/// Erases `op` when none of its results has a use. Returns true if erased.
bool tlEraseIfUnused(MlirOperation op);

/// If `v` is defined by arith.constant with an integer value, stores it.
bool tlGetConstantIndex(MlirValue v, int64_t *out);

#endif
