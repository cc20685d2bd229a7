/* Internal: a small folding index builder for the lowering passes.
 *
 * A lowering builds index arithmetic (thread ids, tile coordinates, image
 * coordinates) of which much is known at compile time. TlFold builds it
 * with the obvious folds (x + 0, x * 1, constant operands, ...) so that the
 * IR only holds what must be computed at run time, and it keeps index
 * constants apart: every arith.constant goes before everything else built
 * for the op being lowered (so it dominates every region built for the op)
 * and is built once per value. Other ops go before the insertion point
 * `at`, which the caller moves into the regions it builds (scf.if, scf.for).
 *
 * Folding follows two's complement like the ops; the unsigned division and
 * remainder fold only for non-negative constants. */
#ifndef TL_PASSES_FOLD_H
#define TL_PASSES_FOLD_H

#include <stdbool.h>
#include <stdint.h>

#include <mlir-c/IR.h>

/* Index constants remembered per builder (later ones are built again). */
#define TL_FOLD_MAX_CONSTS 128

/// arith.cmpi predicates.
enum { TlCmpEq = 0, TlCmpSge = 5, TlCmpUlt = 6 };

typedef struct TlFold {
  MlirContext ctx;
  MlirLocation loc;
  MlirType index, i1;
  MlirOperation top;     /* the op being lowered: constants go before it */
  MlirOperation at;      /* insertion point: new ops go before it */
  MlirOperation constAt; /* the first constant: later ones go before it */
  int64_t constKey[TL_FOLD_MAX_CONSTS];
  MlirValue constVal[TL_FOLD_MAX_CONSTS];
  int nConsts;
} TlFold;

/// A builder at `at` (also `top`) with location `loc`.
void tlFoldInit(TlFold *b, MlirOperation at, MlirLocation loc);

/// Erases the builder's constants that ended up without a use (folds leave
/// intermediate ones behind).
void tlFoldEraseUnusedConsts(TlFold *b);

/// The index constant `v` (built once, before everything else).
MlirValue tlFoldCst(TlFold *b, int64_t v);

/// True when `v` is an integer arith.constant; stores its value in *c.
bool tlFoldIsConst(MlirValue v, int64_t *c);

/// `name`(operands) -> type {attrs} at b->at; a null type means no result
/// (then returns a null value).
MlirValue tlFoldOp(TlFold *b, const char *name, intptr_t n,
                   const MlirValue *operands, MlirType type, intptr_t nAttrs,
                   const MlirNamedAttribute *attrs);

/// An arith.constant of integer type `t` at b->at (not shared).
MlirValue tlFoldIntConst(TlFold *b, MlirType t, int64_t v);

/// arith.index_cast of `v` to `t` at b->at.
MlirValue tlFoldIndexCast(TlFold *b, MlirValue v, MlirType t);

/// memref.store `v` into mem[i] at b->at.
void tlFoldStore(TlFold *b, MlirValue v, MlirValue mem, MlirValue i);

/// The index operations that fold.
typedef enum TlFoldOp {
  TlFoldOpAdd,
  TlFoldOpSub,
  TlFoldOpMul,
  TlFoldOpDivu,
  TlFoldOpRemu
} TlFoldOp;

/// What x op y folds to.
typedef enum TlFolded {
  TlFoldedNone,  /* nothing: build the op */
  TlFoldedConst, /* the constant *k */
  TlFoldedX,     /* x itself */
  TlFoldedY      /* y itself */
} TlFolded;

/// The folding rules every index builder follows (TlFold here, tl-lower-
/// copy's TlEmitter in copy/Emit.c): for x op y, cx / cy saying which
/// operands are the constants p / q. Constants fold in two's complement;
/// the unsigned division and remainder only for p >= 0, q > 0; units
/// (x + 0, x * 1, x * 0, x / 1, x % 1, ...) fold to an operand or a
/// constant. TlFoldedNone when nothing folds.
TlFolded tlFoldRule(TlFoldOp op, bool cx, int64_t p, bool cy, int64_t q,
                    int64_t *k);

/// Index arithmetic with folds (tlFoldRule); divu and remu are unsigned (for
/// non-negative operands).
MlirValue tlFoldAdd(TlFold *b, MlirValue x, MlirValue y);
MlirValue tlFoldSub(TlFold *b, MlirValue x, MlirValue y);
MlirValue tlFoldMul(TlFold *b, MlirValue x, MlirValue y);
MlirValue tlFoldDivu(TlFold *b, MlirValue x, MlirValue y);
MlirValue tlFoldRemu(TlFold *b, MlirValue x, MlirValue y);

/// arith.cmpi `pred` (TlCmp*) of index values, an i1.
MlirValue tlFoldCmp(TlFold *b, int64_t pred, MlirValue x, MlirValue y);

/// x && y of i1 values, where a null value means "true" (so conditions
/// can be accumulated starting from null).
MlirValue tlFoldAndi(TlFold *b, MlirValue x, MlirValue y);

/// scf.if %cond -> (types) at b->at (support/IRBuild.h's tlBuildIfBefore):
/// the else region has a block only when there are results.
MlirOperation tlFoldIf(TlFold *b, MlirValue cond, intptr_t nResults,
                       const MlirType *types, MlirOperation *thenYield,
                       MlirOperation *elseYield);

/// scf.for %iv = 0 to n step 1 at b->at; returns %iv, *yield is the body's
/// terminator (build the body before it).
MlirValue tlFoldFor(TlFold *b, int64_t n, MlirOperation *yield);

/// gpu.thread_id of dimension `dim` ("x", "y" or "z").
MlirValue tlFoldThreadId(TlFold *b, const char *dim);

/// The linear thread id x + y*X + z*X*Y of a block of (X, Y, *) = (dimX,
/// dimY, *) and `threads` threads in all; the y and z terms are left out
/// when the block is flat in them.
MlirValue tlFoldLinearThreadId(TlFold *b, int64_t dimX, int64_t dimY,
                               int64_t threads);

#endif
