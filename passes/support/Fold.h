/* Internal: the one folding index builder of the lowering passes: the
 * emission state of tl-lower-copy and tl-lower-im2col (struct TlEmitter,
 * copy/Lower.h) embeds it, and the function-entry prologues of
 * copy/Mbarrier.c build with one of their own.
 *
 * A lowering builds index arithmetic (thread ids, tile coordinates, image
 * coordinates) of which much is known at compile time. TlBuild builds it
 * with the obvious folds (x + 0, x * 1, constant operands, ...; the rules
 * are tlFoldRule) so that the IR only holds what must be computed at run
 * time. Every function takes the point `at` its ops go before; index
 * constants (tlCst) are the exception: they are made once per builder and
 * placed as its TlConstPlace says, so that they dominate every region
 * built for the op.
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

/// Where a builder puts its index constants (tlCst). Each pass keeps the
/// order its output has always had (tests check it).
typedef enum TlConstPlace {
  /* Before `hoist`, a placeholder the builder makes right before `top` and
     tlBuildFinish erases: ahead of the lowering, in the order made, shared
     (tl-lower-copy; per-op values such as the thread id go there too). */
  TlConstsAhead,
  /* As one group where the first constant was made (before `top`, so after
     what was built before it: the gpu.thread_id at the op), each later one
     ahead of the previous; shared (tl-lower-im2col). */
  TlConstsGrouped,
  /* Before `at`, each time (not shared): a prologue built in place, such
     as tl-lower-copy's elected-thread test at a function's entry. */
  TlConstsInPlace
} TlConstPlace;

/// The builder state of one op's lowering.
typedef struct TlBuild {
  MlirContext ctx;
  MlirLocation loc;
  MlirType index, i1;
  MlirOperation top;     /* the op being lowered: the lowering goes before it */
  MlirOperation at;      /* a cursor for callers that keep their insertion
                            point here (moved into the regions they build);
                            TlConstsInPlace puts constants before it */
  TlConstPlace place;    /* where tlCst puts constants */
  MlirOperation hoist;   /* TlConstsAhead: the placeholder */
  MlirOperation constAt; /* TlConstsGrouped: the last constant made */
  int64_t constKey[TL_FOLD_MAX_CONSTS];
  MlirValue constVal[TL_FOLD_MAX_CONSTS];
  int nConsts;
} TlBuild;

static inline MlirValue tlRes0(MlirOperation op) {
  return mlirOperationGetResult(op, 0);
}

//===----------------------------------------------------------------------===//
// The builder and its constants
//===----------------------------------------------------------------------===//

/// A builder for the lowering of `top` (b->at = top) at location `loc`,
/// placing constants as `place` says (TlConstsAhead makes its placeholder).
void tlBuildInit(TlBuild *b, MlirOperation top, MlirLocation loc,
                 TlConstPlace place);

/// Ends the lowering: erases the shared constants that ended up without a
/// use (folds leave intermediate ones behind) and the placeholder.
void tlBuildFinish(TlBuild *b);

/// The index constant `v`, placed as b->place says.
MlirValue tlCst(TlBuild *b, int64_t v);

/// True when `v` is an integer arith.constant; stores its value in *c.
bool tlIsConst(MlirValue v, int64_t *c);

//===----------------------------------------------------------------------===//
// Plain ops
//===----------------------------------------------------------------------===//

/// `name`(ops) -> res {attrs} before `at`, at the builder's location.
MlirOperation tlMk(TlBuild *b, MlirOperation at, const char *name,
                   intptr_t nOps, const MlirValue *ops, intptr_t nRes,
                   const MlirType *res, intptr_t nAttrs,
                   const MlirNamedAttribute *attrs);

/// `name`(ops) -> type {attrs} before `at`; a null type means no result
/// (then returns a null value).
MlirValue tlOp(TlBuild *b, MlirOperation at, const char *name, intptr_t n,
               const MlirValue *ops, MlirType type, intptr_t nAttrs,
               const MlirNamedAttribute *attrs);

MlirType tlIndexTy(TlBuild *b);
MlirAttribute tlI64Attr(TlBuild *b, int64_t v);

/// An arith.constant of integer type `t` before `at` (not shared); an i32.
MlirValue tlIntConst(TlBuild *b, MlirOperation at, MlirType t, int64_t v);
MlirValue tlI32Const(TlBuild *b, MlirOperation at, int64_t v);

/// arith.index_cast of `v` to `t` before `at`.
MlirValue tlIndexCast(TlBuild *b, MlirOperation at, MlirValue v, MlirType t);

/// An index address as !llvm.ptr<space> (index_cast to i64, inttoptr).
MlirValue tlIndexToPtr(TlBuild *b, MlirOperation at, MlirValue index,
                       unsigned space);

/// An index address as a generic pointer cast to `space` (cvta.to.*).
MlirValue tlIndexToSpacePtr(TlBuild *b, MlirOperation at, MlirValue index,
                            unsigned space);

/// llvm.inline_asm with side effects; returns its result when `result` is
/// not NULL.
MlirValue tlInlineAsm(TlBuild *b, MlirOperation at, const char *text,
                      const char *constraints, intptr_t nOps,
                      const MlirValue *ops, MlirType *result);

//===----------------------------------------------------------------------===//
// Folded index arithmetic
//===----------------------------------------------------------------------===//

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

/// The folding rules of the builder: for x op y, cx / cy saying which
/// operands are the constants p / q. Constants fold in two's complement;
/// the unsigned division and remainder only for p >= 0, q > 0; units
/// (x + 0, x * 1, x * 0, x / 1, x % 1, ...) fold to an operand or a
/// constant. TlFoldedNone when nothing folds.
TlFolded tlFoldRule(TlFoldOp op, bool cx, int64_t p, bool cy, int64_t q,
                    int64_t *k);

/// a `name` c (both of a's type) before `at`, not folded.
MlirValue tlBinop(TlBuild *b, MlirOperation at, const char *name, MlirValue a,
                  MlirValue c);

/// Index x + y, x - y, x * y (a constant operand goes on the right, as
/// canonicalization puts it), x / y and x % y (unsigned: non-negative
/// operands), folded by tlFoldRule.
MlirValue tlAddV(TlBuild *b, MlirOperation at, MlirValue x, MlirValue y);
MlirValue tlSubV(TlBuild *b, MlirOperation at, MlirValue x, MlirValue y);
MlirValue tlMulV(TlBuild *b, MlirOperation at, MlirValue x, MlirValue y);
MlirValue tlDivV(TlBuild *b, MlirOperation at, MlirValue x, MlirValue y);
MlirValue tlRemV(TlBuild *b, MlirOperation at, MlirValue x, MlirValue y);

/// x / k and x % k (unsigned) by a constant: the constant k is made only
/// when the op is built.
MlirValue tlDivK(TlBuild *b, MlirOperation at, MlirValue x, int64_t k);
MlirValue tlRemK(TlBuild *b, MlirOperation at, MlirValue x, int64_t k);

/// arith.cmpi `pred` (TlCmp*) of index values before `at`, an i1.
MlirValue tlCmp(TlBuild *b, MlirOperation at, int64_t pred, MlirValue x,
                MlirValue y);

/// x && y of i1 values, where a null value means "true" (so conditions
/// can be accumulated starting from null).
MlirValue tlAndi(TlBuild *b, MlirOperation at, MlirValue x, MlirValue y);

//===----------------------------------------------------------------------===//
// Regions and thread ids
//===----------------------------------------------------------------------===//

/// scf.if %cond -> (types) before `at` (support/IRBuild.h's
/// tlBuildIfBefore): the else region has a block only when there are
/// results.
MlirOperation tlIf(TlBuild *b, MlirOperation at, MlirValue cond,
                   intptr_t nResults, const MlirType *types,
                   MlirOperation *thenYield, MlirOperation *elseYield);

/// scf.for %iv = 0 to n step 1 before `at`; returns %iv, *yield is the
/// body's terminator (build the body before it).
MlirValue tlFor(TlBuild *b, MlirOperation at, int64_t n, MlirOperation *yield);

/// The linear thread id x + y*X + z*X*Y of gpu.thread_id for a block of
/// xyz = (X, Y, Z), before `at`; the dimensions of size 1 after x are left
/// out (their id is 0).
MlirValue tlLinearThreadId(TlBuild *b, MlirOperation at, const int64_t xyz[3]);

#endif
