/* tl-lower-im2col's tl.c2d_im2col_async beyond one block (design.md
 * §3.1, docs/pipeline.md), as copy/AsyncCarry.c is tl-lower-copy's:
 *
 *   - a predicated TMA im2col folds its predicate into the tile guard and,
 *     like any tile it does not issue, arrives on its barrier with 0 bytes
 *     (inst/TmaIm2Col.c, TlAsync.always), so that its wait always
 *     completes; a predicated SIMT one runs in an scf.if;
 *   - a token an scf.for carries becomes an index: its stage's mbarrier
 *     slot (the N-way col buffer's N slots, after tl-lower-copy's), or 0
 *     for SIMT; its wait in a later iteration finds the barrier from it
 *     (tl-lower-im2col hands a SIMT tile over at its wait).
 * tl-lower-copy runs first: it has lowered the copies' carried tokens and
 * left the im2col ones typed !tl.token. */
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinTypes.h>

#include "Diag.h"
#include "IRBuild.h"
#include "Im2Col.h"
#include "Lower.h"
#include "Support.h"
#include "tl-c/Attributes.h"
#include "tl-c/Ops.h"

static TlCompletion completionOf(const TlLower *c) {
  const TlInstImpl *impl = tlInstImpl(c->inst);
  return impl ? impl->completion : TlCompleteSync;
}

MlirOperation tlIm2ColPrepareIssue(TlEmitter *e, TlLower *c) {
  TlIm2Col *x = c->im2col;
  bool mbar = completionOf(c) == TlCompleteMbarrier;
  c->issued.pred = c->pred;
  c->issued.always = c->carried || !mlirValueIsNull(c->pred);
  if (mbar && c->carried && x->colRegion.ptr) {
    MlirValue ops[2] = {tlRegionOpGetIndex(x->colRegion, 0),
                        tlBuildIndexConstant(c->op, e->b.loc, c->rangeBase)};
    c->issued.slotV = tlOp(&e->b, c->op, "arith.addi", 2, ops, e->b.index, 0,
                           NULL);
    c->tokenValue = c->issued.slotV;
  } else {
    c->tokenValue =
        tlBuildIndexConstant(c->op, e->b.loc, mbar ? c->slot : 0);
  }
  if (mbar || mlirValueIsNull(c->pred))
    return c->op;
  MlirOperation thenY;
  tlBuildIfBefore(c->op, e->b.loc, c->pred, 0, NULL, &thenY, NULL);
  return thenY;
}

//===--------------------------------------------------------------------===//
// What the carried tokens stand for
//===--------------------------------------------------------------------===//

/* The item (of n, `stride` bytes apart from `first`) whose token is v. */
static TlLower *itemOf(TlLower *first, size_t stride, size_t n, MlirValue v) {
  for (size_t i = 0; i < n; ++i) {
    TlLower *c = (TlLower *)((char *)first + i * stride);
    if (c->async && mlirValueEqual(mlirOperationGetResult(c->op, 0), v))
      return c;
  }
  return NULL;
}

static void add(TlCarryTable *t, MlirValue v, TlLower *rep) {
  if (t->n == t->cap) {
    t->cap = t->cap ? 2 * t->cap : 16;
    t->v = realloc(t->v, sizeof(TlCarry) * t->cap);
    if (!t->v)
      abort();
  }
  t->v[t->n++] = (TlCarry){v, rep, 0};
}

static MlirWalkResult collectLoops(MlirOperation op, void *list) {
  if (!tlOpIsNamed(op, "scf.for"))
    return MlirWalkResultAdvance;
  for (intptr_t i = 0; i < mlirOperationGetNumResults(op); ++i)
    if (tlTypeIsAToken(mlirValueGetType(mlirOperationGetResult(op, i)))) {
      tlOpListPush(list, op);
      break;
    }
  return MlirWalkResultAdvance;
}

bool tlIm2ColPlanCarried(TlLower *first, size_t stride, size_t n,
                         MlirOperation root, TlCarryTable *t) {
  mlirOperationWalk(root, collectLoops, t->loops, MlirWalkPostOrder);
  bool ok = true;
  for (size_t l = 0; l < t->loops->n; ++l) {
    MlirOperation loop = t->loops->ops[l];
    MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(loop, 0));
    for (intptr_t j = 0; j < mlirOperationGetNumResults(loop); ++j) {
      if (!tlTypeIsAToken(mlirValueGetType(mlirOperationGetResult(loop, j))))
        continue;
      MlirValue y = tlCarriedYieldSource(loop, j);
      TlLower *ry = itemOf(first, stride, n, y);
      const TlCarry *inner = tlCarryOf(t, y);
      if (!ry && inner)
        ry = inner->rep;
      TlLower *ri = itemOf(first, stride, n, mlirOperationGetOperand(loop, 3 + j));
      if (!ry || !ri || completionOf(ri) != completionOf(ry)) {
        tlOpError(loop,
                  "carries in iter_arg #%lld a token tl-lower-im2col cannot "
                  "follow: each carried position holds the tokens of "
                  "tl.c2d_im2col_async ops that complete alike",
                  (long long)j);
        ok = false;
        continue;
      }
      add(t, mlirBlockGetArgument(body, j + 1), ry);
      add(t, mlirOperationGetResult(loop, j), ry);
    }
  }
  return ok;
}

//===--------------------------------------------------------------------===//
// The wait of a carried token
//===--------------------------------------------------------------------===//

bool tlIm2ColCompleteCarried(const TlCarry *k, MlirValue v,
                             MlirOperation wait) {
  TlLower *c = k->rep;
  TlAsync a;
  memset(&a, 0, sizeof a);
  a.kind = completionOf(c);
  a.always = true;
  a.waitAt = wait;
  if (a.kind != TlCompleteMbarrier)
    return true; /* SIMT: the caller hands the tile over (LowerIm2Col.c) */
  TlEmitter e;
  tlEmitterInitAt(&e, c, wait, TlConstsAhead);
  TlMbarriers bars;
  if (!tlMbarrierFind(tlEnclosingOp(c->op, "gpu.func"), e.b.loc, &bars)) {
    tlOpError(wait, "finds no mbarrier set for its carried im2col token");
    tlEmitterFinish(&e);
    return false;
  }
  a.slotV = v;
  a.phase = bars.phase;
  a.bar = tlMbarrierSlotPtr(&e.b, wait, &bars, v);
  tlEmitComplete(&e, &tlInstImpl(c->inst)->im2col, &a);
  tlEmitterFinish(&e);
  return !e.failed;
}
