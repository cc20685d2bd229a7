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
/// the types are equal and a null value when no cast exists. Works on
/// scalars and, elementwise, on vectors: `value` and `to` must then be
/// vectors of the same shape (a null value otherwise).
MlirValue tlBuildCast(MlirOperation before, MlirLocation loc, MlirValue value,
                      MlirType to);

/// scf.if(cond) -> resultTypes, before `before`. The then region gets a
/// block ending in an operand-less scf.yield (*thenYield); with results the
/// else region gets one too (*elseYield), otherwise it stays empty
/// (*elseYield null). Build the bodies before the yields, then give the
/// yields their operands with mlirOperationSetOperands.
MlirOperation tlBuildIfBefore(MlirOperation before, MlirLocation loc,
                              MlirValue cond, intptr_t nResults,
                              const MlirType *resultTypes,
                              MlirOperation *thenYield,
                              MlirOperation *elseYield);

/// scf.for %iv = lb to ub step step (no iteration arguments), before
/// `before`; *iv is the induction variable and *yield the body's terminator
/// (build the body before it).
MlirOperation tlBuildForBefore(MlirOperation before, MlirLocation loc,
                               MlirValue lb, MlirValue ub, MlirValue step,
                               MlirValue *iv, MlirOperation *yield);

/// The nearest proper ancestor of `op` named `name` (e.g. "gpu.func",
/// "gpu.module"), or a null operation when there is none.
MlirOperation tlEnclosingOp(MlirOperation op, const char *name);

/// The attribute `name` of `op`, or a null attribute.
MlirAttribute tlGetAttr(MlirOperation op, const char *name);

/// Sets (adds or replaces) the attribute `name` of `op`.
void tlSetAttr(MlirOperation op, const char *name, MlirAttribute attr);

/// A named attribute.
MlirNamedAttribute tlNamed(MlirContext ctx, const char *name,
                           MlirAttribute attr);

/// Erases `op` when none of its results has a use. Returns true if erased.
bool tlEraseIfUnused(MlirOperation op);

/// If `v` is defined by arith.constant with an integer value, stores it.
bool tlGetConstantIndex(MlirValue v, int64_t *out);

/// True for a memref with a static shape and the identity (row-major,
/// offset 0) layout; then, when `strides` is not NULL, fills its row-major
/// element strides (rank entries, at most 16).
bool tlStaticRowMajor(MlirType memref, int64_t *strides);

/// True for a memref with a static shape and a strided layout whose
/// innermost stride is 1, offset 0, and whose outer strides are static and
/// never smaller than the span inside them (a row-major tile of a larger
/// matrix, `strided<[ld, 1]>`); then, when `strides` is not NULL, fills its
/// element strides (rank entries, at most 16).
bool tlStaticInnerContiguous(MlirType memref, int64_t *strides);

/// Appends an input of type `type` to the function-like `func` (gpu.func,
/// func.func): its function_type, its entry block (the new argument is
/// returned) and its arg_attrs, where the new input gets `argAttrs` (a
/// dictionary; the other inputs keep theirs, or get empty ones).
MlirValue tlAppendFuncInput(MlirOperation func, MlirType type,
                            MlirAttribute argAttrs);

/// The argument attribute `name` of input `i` of `func`, or a null
/// attribute when it has none.
MlirAttribute tlFuncArgAttr(MlirOperation func, intptr_t i, const char *name);

/// A growable list of operations.
typedef struct TlOpList {
  MlirOperation *ops;
  size_t n, cap;
} TlOpList;

/// Appends `op` to `list` (aborts when out of memory).
void tlOpListPush(TlOpList *list, MlirOperation op);

/// Appends to `list`, in pre-order, every operation named `name` at or
/// below `root` (collect first, then rewrite). Free with free(list->ops).
void tlCollectOps(MlirOperation root, const char *name, TlOpList *list);

#endif
