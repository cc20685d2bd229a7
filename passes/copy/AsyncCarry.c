/* tl-lower-copy's split-phase copies beyond one block (design.md §3.1,
 * §8.1; docs/pipeline.md): predicates, tl.join and tokens an scf.for
 * carries, as tl-pipeline produces them (copy/Async.c does the rest).
 *
 *   - A predicated copy_async is issued under `scf.if %pred`; when the
 *     predicate is false its completion must still happen, so the copy
 *     that arms an mbarrier arrives on it with no bytes, and a copy on a
 *     cp.async / bulk group commits an empty group.
 *   - The copies of a tl.join that complete on an mbarrier share one slot:
 *     the first arms it with the bytes of all of them (one expect_tx), the
 *     others only issue their transfers on it.
 *   - A token an scf.for carries is lowered to an index: the slot of its
 *     mbarrier (0 for groups), so that the wait in a later iteration finds
 *     the barrier at run time. Such a copy writes one stage of an N-way
 *     buffer (a tl.region whose index 0 has extent 1); the buffer has N
 *     slots, the stage's being the first plus the stage index, so every
 *     stage completes on its own barrier with its own parity.
 *   - A wait of a carried token of cp.async groups may leave the younger
 *     carried tokens' groups in flight when the loop rotates its tokens
 *     (iter_arg j+1 is yielded as iter_arg j): tl-pipeline's loops do. */
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinTypes.h>

#include "Diag.h"
#include "IRBuild.h"
#include "Lower.h"
#include "Select.h"
#include "Support.h"
#include "tl-c/Attributes.h"
#include "tl-c/Ops.h"
#include "verify/VerifyAsync.h"

static TlCompletion completionOf(const TlLower *c) {
  const TlInstImpl *impl = tlInstImpl(c->inst);
  return impl ? impl->completion : TlCompleteSync;
}

static bool isToken(MlirValue v) {
  return !mlirValueIsNull(v) && tlTypeIsAToken(mlirValueGetType(v));
}

/* The copy whose token is `v`, or NULL. */
static TlLower *copyOf(TlLower *copies, size_t n, MlirValue v) {
  for (size_t i = 0; i < n; ++i)
    if (copies[i].async &&
        mlirValueEqual(mlirOperationGetResult(copies[i].op, 0), v))
      return &copies[i];
  return NULL;
}

//===--------------------------------------------------------------------===//
// Planning: uses, joins, slots
//===--------------------------------------------------------------------===//

bool tlAsyncPlanUse(TlLower *c) {
  TlTokenUse u;
  if (!tlAsyncCheckProducer(c->op, &u))
    return false;
  c->pred = tlAsyncOpGetPredicate(c->op);
  if (u.kind == TlTokenJoined) {
    c->join = u.user;
    u = tlTokenUseOf(mlirOperationGetResult(c->join, 0));
  }
  if (u.kind == TlTokenWaited) {
    c->wait = u.user;
    return tlAsyncCheckWait(u.user);
  }
  c->carried = u.kind == TlTokenCarried || u.kind == TlTokenYielded;
  if (!c->carried)
    tlOpError(c->op, "token is not waited for (tl-verify's rules)");
  return c->carried;
}

/* The copies of each tl.join on an mbarrier share the first one's
   barrier: it arms the bytes of all of them. They must share one
   predicate (tl-verify checks joins of predicated copies). */
bool tlAsyncPlanHeads(TlLower *copies, size_t n) {
  bool ok = true;
  for (size_t i = 0; i < n; ++i) {
    TlLower *c = &copies[i];
    if (!c->async || completionOf(c) != TlCompleteMbarrier)
      continue;
    c->head = c;
    if (mlirOperationIsNull(c->join))
      continue;
    for (size_t j = 0; j < i; ++j)
      if (copies[j].async && completionOf(&copies[j]) == TlCompleteMbarrier &&
          mlirOperationEqual(copies[j].join, c->join)) {
        c->head = copies[j].head;
        break;
      }
    if (c->head == c)
      continue;
    TlLower *h = c->head;
    if (h->issued.armBytes == 0)
      h->issued.armBytes = h->bytes;
    h->issued.armBytes += c->bytes;
    c->issued.noArm = true;
    if (h->issued.armBytes > TL_SEL_MAX_TX_BYTES) {
      tlOpError(c->op,
                "joins copies that move %lld bytes on one mbarrier, more "
                "than one transaction counts (%lld)",
                (long long)h->issued.armBytes, (long long)TL_SEL_MAX_TX_BYTES);
      ok = false;
    }
  }
  return ok;
}

/* A carried copy's stage: its destination is a tl.region whose index 0
   has extent 1 on a buffer of rank >= 2 (its stage count is dimension 0). */
static bool stageOf(TlLower *c, int64_t *stages) {
  TlSide *d = &c->dst;
  if (!mlirOperationIsNull(d->region) && d->rank >= 2 && d->hasExtents &&
      d->ext[0] == 1) {
    *stages = d->shape[0];
    return true;
  }
  tlOpError(c->op,
            "completes on an mbarrier and its token is carried by an "
            "scf.for, so it must write one stage of an N-way buffer (a "
            "tl.region whose index 0 has extent 1), whose stages each have "
            "a barrier");
  return false;
}

/* Slots: each non-carried head one, 1, 2, ... in program order (slot 0 is
   the synchronous copies'); then each N-way buffer of carried heads N,
   in the order of its first copy. Copies that share a head share its. */
bool tlAsyncGiveSlots(TlLower *copies, size_t n) {
  bool ok = true;
  for (size_t i = 0; i < n; ++i) {
    TlLower *c = &copies[i];
    if (c->head != c)
      continue;
    MlirOperation func = tlEnclosingFunc(c->op);
    int next = 1;
    int64_t stages = 0;
    if (c->carried && !stageOf(c, &stages)) {
      ok = false;
      continue;
    }
    c->rangeBase = -1;
    for (size_t j = 0; j < i; ++j) {
      TlLower *o = &copies[j];
      if (o->head != o || !mlirOperationEqual(tlEnclosingFunc(o->op), func))
        continue;
      if (c->carried && o->carried &&
          mlirValueEqual(o->dst.buffer, c->dst.buffer))
        c->rangeBase = o->rangeBase;
      if (o->slot + 1 > next)
        next = o->slot + 1;
    }
    if (c->carried) {
      if (c->rangeBase < 0)
        c->rangeBase = next;
      c->slot = c->rangeBase + (int)stages - 1; /* the highest it may use */
    } else {
      c->slot = next;
    }
    if (c->slot >= TL_MBARRIER_MAX_SLOTS) {
      tlMbarrierSlotError(c->op, c->slot);
      ok = false;
    }
  }
  for (size_t i = 0; i < n; ++i)
    if (copies[i].head && copies[i].head != &copies[i]) {
      copies[i].slot = copies[i].head->slot;
      copies[i].rangeBase = copies[i].head->rangeBase;
    }
  return ok;
}

/* The last copy of c's join with c's completion (c itself without one):
   the wait must complete every group up to it. */
TlLower *tlAsyncLastOfJoin(TlLower *copies, size_t n, TlLower *c) {
  TlLower *last = c;
  if (mlirOperationIsNull(c->join))
    return c;
  for (size_t i = 0; i < n; ++i)
    if (copies[i].async && mlirOperationEqual(copies[i].join, c->join) &&
        completionOf(&copies[i]) == completionOf(c))
      last = &copies[i];
  return last;
}

//===--------------------------------------------------------------------===//
// Planning: what each carried token stands for
//===--------------------------------------------------------------------===//

static void carryAdd(TlCarryTable *t, MlirValue v, TlLower *rep, int groups) {
  if (t->n == t->cap) {
    t->cap = t->cap ? 2 * t->cap : 16;
    t->v = realloc(t->v, sizeof(TlCarry) * t->cap);
    if (!t->v)
      abort();
  }
  t->v[t->n++] = (TlCarry){v, rep, groups};
}

const TlCarry *tlCarryOf(const TlCarryTable *t, MlirValue v) {
  for (size_t i = 0; t && i < t->n; ++i)
    if (mlirValueEqual(t->v[i].value, v))
      return &t->v[i];
  return NULL;
}

/* The copy a produced token stands for and its groups: a copy's own, or
   for a tl.join the head of its mbarrier copies (else its last). NULL for
   anything else (an im2col's: tl-lower-im2col's). */
static TlLower *producedBy(TlLower *copies, size_t n, const TlCarryTable *t,
                           MlirValue v, int *groups) {
  *groups = 0;
  const TlCarry *k = tlCarryOf(t, v);
  if (k) {
    *groups = k->groups;
    return k->rep;
  }
  TlLower *c = copyOf(copies, n, v);
  if (c) {
    *groups = completionOf(c) == TlCompleteGroup ||
              completionOf(c) == TlCompleteBulkGroup;
    return c->head ? c->head : c;
  }
  if (!mlirValueIsAOpResult(v) || !tlOperationIsAJoin(mlirOpResultGetOwner(v)))
    return NULL;
  MlirOperation j = mlirOpResultGetOwner(v);
  TlLower *rep = NULL;
  for (size_t i = 0; i < n; ++i) {
    if (!copies[i].async || !mlirOperationEqual(copies[i].join, j))
      continue;
    TlCompletion k2 = completionOf(&copies[i]);
    *groups += k2 == TlCompleteGroup || k2 == TlCompleteBulkGroup;
    if (!rep || (k2 == TlCompleteMbarrier && completionOf(rep) != k2))
      rep = copies[i].head ? copies[i].head : &copies[i];
    else if (completionOf(rep) != TlCompleteMbarrier && k2 != TlCompleteSync)
      rep = &copies[i];
  }
  return rep;
}

MlirValue tlCarriedYieldSource(MlirOperation loop, intptr_t j) {
  MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(loop, 0));
  MlirOperation yield = mlirBlockGetTerminator(body);
  MlirValue y = mlirOperationGetOperand(yield, j);
  for (int guard = 0; guard < 64 && mlirValueIsABlockArgument(y) &&
                      mlirBlockEqual(mlirBlockArgumentGetOwner(y), body);
       ++guard) {
    intptr_t k = mlirBlockArgumentGetArgNumber(y) - 1;
    if (k < 0 || k >= mlirOperationGetNumOperands(yield))
      break;
    y = mlirOperationGetOperand(yield, k);
  }
  return y;
}

/* Iter_arg j of `loop`: what its init and its yield stand for (the yield
   followed through the loop's own iter_args, as tl-pipeline rotates
   them); both must complete alike. */
static bool carryPosition(TlLower *copies, size_t n, TlCarryTable *t,
                          MlirOperation loop, intptr_t j) {
  MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(loop, 0));
  MlirValue y = tlCarriedYieldSource(loop, j);
  int gi, gy;
  TlLower *ri = producedBy(copies, n, t, mlirOperationGetOperand(loop, 3 + j), &gi);
  TlLower *ry = producedBy(copies, n, t, y, &gy);
  if (!ri && !ry)
    return true; /* not a copy's: an im2col's (tl-lower-im2col's) */
  if (!ri || !ry || completionOf(ri) != completionOf(ry) || gi != gy) {
    tlOpError(loop,
              "carries in iter_arg #%lld tokens of copies that complete "
              "differently on entry and from the body (each carried "
              "position holds one kind of completion)",
              (long long)j);
    return false;
  }
  carryAdd(t, mlirBlockGetArgument(body, j + 1), ry, gy);
  carryAdd(t, mlirOperationGetResult(loop, j), ry, gy);
  return true;
}

static MlirWalkResult collectCarrying(MlirOperation op, void *list) {
  if (!tlOpIsNamed(op, "scf.for"))
    return MlirWalkResultAdvance;
  for (intptr_t i = 0; i < mlirOperationGetNumResults(op); ++i)
    if (isToken(mlirOperationGetResult(op, i))) {
      tlOpListPush(list, op);
      break;
    }
  return MlirWalkResultAdvance;
}

bool tlAsyncPlanCarried(TlLower *copies, size_t n, MlirOperation root,
                        TlCarryTable *t) {
  mlirOperationWalk(root, collectCarrying, t->loops, MlirWalkPostOrder);
  tlCollectOps(root, "tl.join", t->joins);
  bool ok = true;
  for (size_t j = 0; j < t->joins->n; ++j) {
    MlirOperation join = t->joins->ops[j];
    for (intptr_t i = 0; i < mlirOperationGetNumOperands(join); ++i)
      if (!copyOf(copies, n, mlirOperationGetOperand(join, i))) {
        tlOpError(join,
                  "operand #%lld is not a tl.copy_async's token: the lowering "
                  "joins copies only (a tl.c2d_im2col_async completes on its "
                  "own token)",
                  (long long)i);
        ok = false;
        break;
      }
  }
  for (size_t l = 0; l < t->loops->n; ++l) {
    MlirOperation loop = t->loops->ops[l];
    if (!tlAsyncCheckLoopTokens(loop)) {
      ok = false;
      continue;
    }
    for (intptr_t j = 0; j < mlirOperationGetNumResults(loop); ++j)
      if (isToken(mlirOperationGetResult(loop, j)))
        ok &= carryPosition(copies, n, t, loop, j);
  }
  return ok;
}

//===--------------------------------------------------------------------===//
// Issue: the slot of a stage, the predicate
//===--------------------------------------------------------------------===//

/* The slot of a carried head: its range's first plus its stage index,
   built before `at`. */
static MlirValue stageSlot(TlEmitter *e, TlLower *c, MlirOperation at) {
  MlirValue ops[2] = {c->dst.idx[0],
                      tlBuildIndexConstant(at, e->b.loc, c->rangeBase)};
  return tlOp(&e->b, at, "arith.addi", 2, ops, e->b.index, 0, NULL);
}

/* The empty completion of a predicated-off copy, in `at`'s block: an
   arrival without bytes on the head's mbarrier (elected thread), or an
   empty group. */
static void offCompletion(TlEmitter *e, TlFuncTma *f, TlLower *c,
                          MlirOperation at) {
  switch (completionOf(c)) {
  case TlCompleteMbarrier: {
    if (c->head != c)
      return;
    MlirOperation y;
    tlBuildIfBefore(at, e->b.loc, f->is0, 0, NULL, &y, NULL);
    MlirValue ops[2] = {c->issued.bar, tlI32Const(&e->b, y, 0)};
    tlMk(&e->b, y, "nvvm.mbarrier.arrive.expect_tx", 2, ops, 0, NULL, 0, NULL);
    return;
  }
  case TlCompleteGroup:
    tlMk(&e->b, at, "nvvm.cp.async.commit.group", 0, NULL, 0, NULL, 0, NULL);
    return;
  case TlCompleteBulkGroup: {
    MlirOperation y;
    tlBuildIfBefore(at, e->b.loc, f->is0, 0, NULL, &y, NULL);
    tlMk(&e->b, y, "nvvm.cp.async.bulk.commit.group", 0, NULL, 0, NULL, 0,
         NULL);
    return;
  }
  case TlCompleteSync:
    return;
  }
}

MlirOperation tlAsyncPrepareIssue(TlEmitter *e, TlLower *c) {
  TlFuncTma *f = NULL;
  bool mbar = completionOf(c) == TlCompleteMbarrier;
  if (mbar || !mlirValueIsNull(c->pred))
    f = tlFuncTma(e);
  if (mbar && c->carried) {
    /* The head's stage slot (a later copy of its join: the head's). */
    TlLower *h = c->head;
    if (mlirValueIsNull(h->issued.slotV)) {
      h->issued.slotV = stageSlot(e, h, h->op);
      h->issued.bar = tlMbarrierSlotPtr(&e->b, h->op, &f->mbar, h->issued.slotV);
    }
    c->issued.slotV = h->issued.slotV;
    c->issued.bar = h->issued.bar;
  } else if (mbar && f->mbar.slots > c->slot) {
    c->issued.bar = f->mbar.bar[c->slot];
  }
  c->tokenValue = mbar ? (mlirValueIsNull(c->issued.slotV)
                              ? tlBuildIndexConstant(c->op, e->b.loc, c->slot)
                              : c->issued.slotV)
                       : tlBuildIndexConstant(c->op, e->b.loc, 0);
  if (mlirValueIsNull(c->pred))
    return c->op;
  /* if (pred) { issue } ; if (!pred) { the empty completion } */
  MlirOperation thenY, offY;
  tlBuildIfBefore(c->op, e->b.loc, c->pred, 0, NULL, &thenY, NULL);
  MlirValue ones[2] = {c->pred, tlIntConst(&e->b, c->op, e->b.i1, 1)};
  MlirValue off = tlOp(&e->b, c->op, "arith.xori", 2, ones, e->b.i1, 0, NULL);
  tlBuildIfBefore(c->op, e->b.loc, off, 0, NULL, &offY, NULL);
  offCompletion(e, f, c, offY);
  return thenY;
}

//===--------------------------------------------------------------------===//
// Completion: joins and carried tokens
//===--------------------------------------------------------------------===//

/* c's completion, on `a`, before `wait`. */
static bool completeAt(TlLower *c, TlAsync *a, MlirOperation wait,
                       TlFuncTmaList *funcs, TlLower *all, size_t nAll) {
  TlEmitter e;
  tlEmitterInitAt(&e, c, wait, TlConstsAhead);
  e.funcs = funcs;
  e.all = all;
  e.nAll = nAll;
  a->waitAt = wait;
  a->issuer = (MlirOperation){NULL};
  if (completionOf(c) == TlCompleteMbarrier) {
    TlFuncTma *f = tlFuncTma(&e);
    a->phase = f->mbar.phase;
    a->elected = f->is0;
  } else if (mlirValueIsNull(a->elected)) {
    a->elected = tlFuncTma(&e)->is0;
  }
  const TlInstImpl *impl = tlInstImpl(c->inst);
  tlEmitComplete(&e, c->im2col ? &impl->im2col : &impl->copy, a);
  tlEmitterFinish(&e);
  return !e.failed;
}

/* Whether iter_arg k of the loop carries a token: a copy's (in the table)
   or one still typed !tl.token (an im2col's, for tl-lower-im2col). */
static bool carriesToken(const TlCarryTable *t, MlirBlock body, intptr_t k) {
  MlirValue a = mlirBlockGetArgument(body, k + 1);
  return tlCarryOf(t, a) || isToken(a);
}

/* The groups of the carried tokens younger than iter_arg `arg`, when the
   loop rotates them: the tokens are positions [lo, n) and for some shift
   s each yields the one s places up (yield #k - s is iter_arg k), so a
   higher position was issued later (tl-pipeline's stage-major order).
   Otherwise 0: wait for every group. */
static int youngerGroups(const TlCarryTable *t, MlirValue arg) {
  MlirBlock body = mlirBlockArgumentGetOwner(arg);
  MlirOperation loop = mlirBlockGetParentOperation(body);
  MlirOperation yield = mlirBlockGetTerminator(body);
  intptr_t j = mlirBlockArgumentGetArgNumber(arg) - 1;
  intptr_t n = mlirOperationGetNumResults(loop), lo = j;
  while (lo > 0 && carriesToken(t, body, lo - 1))
    --lo;
  for (intptr_t k = j; k < n; ++k)
    if (!carriesToken(t, body, k))
      return 0;
  intptr_t shift = 0;
  for (intptr_t s = 1; s < n - lo && !shift; ++s) {
    bool ok = true;
    for (intptr_t k = lo + s; k < n && ok; ++k)
      ok = mlirValueEqual(mlirOperationGetOperand(yield, k - s),
                          mlirBlockGetArgument(body, k + 1));
    if (ok)
      shift = s;
  }
  if (!shift)
    return 0;
  int groups = 0;
  for (intptr_t k = j + 1; k < n; ++k) {
    const TlCarry *c = tlCarryOf(t, mlirBlockGetArgument(body, k + 1));
    groups += c ? c->groups : 0;
  }
  return groups;
}

bool tlAsyncCompleteCarried(const TlCarryTable *t, MlirValue v,
                            MlirOperation wait, TlFuncTmaList *funcs,
                            TlLower *all, size_t nAll) {
  const TlCarry *k = tlCarryOf(t, v);
  TlAsync a;
  memset(&a, 0, sizeof a);
  a.kind = completionOf(k->rep);
  if (a.kind == TlCompleteMbarrier)
    a.slotV = v;
  else if (mlirValueIsABlockArgument(v))
    a.group = youngerGroups(t, v);
  return completeAt(k->rep, &a, wait, funcs, all, nAll);
}

bool tlAsyncCompleteJoin(TlLower *copies, size_t n, MlirOperation join,
                         MlirOperation wait, TlFuncTmaList *funcs) {
  bool ok = true, groupDone[4] = {false, false, false, false};
  for (size_t i = 0; i < n && ok; ++i) {
    TlLower *c = &copies[i];
    if (!c->async || !mlirOperationEqual(c->join, join))
      continue;
    TlCompletion k = completionOf(c);
    if (k == TlCompleteMbarrier && c->head != c)
      continue; /* the head's wait completes it */
    if ((k == TlCompleteGroup || k == TlCompleteBulkGroup) && groupDone[k])
      continue; /* the last one's wait completes every group before it */
    TlLower *last = k == TlCompleteMbarrier ? c : tlAsyncLastOfJoin(copies, n, c);
    if (k == TlCompleteGroup || k == TlCompleteBulkGroup)
      groupDone[k] = true;
    TlAsync a = last->issued;
    a.group = last->pending;
    ok = completeAt(last, &a, wait, funcs, copies, n);
  }
  return ok;
}

//===--------------------------------------------------------------------===//
// The tokens' values
//===--------------------------------------------------------------------===//

void tlAsyncRetypeCarried(const TlCarryTable *t) {
  for (size_t i = 0; i < t->n; ++i)
    mlirValueSetType(t->v[i].value,
                     mlirIndexTypeGet(mlirValueGetContext(t->v[i].value)));
}

void tlAsyncReplaceTokens(TlLower *copies, size_t n, TlCarryTable *t) {
  for (size_t i = 0; i < n; ++i) {
    TlLower *c = &copies[i];
    if (c->async && !mlirValueIsNull(c->tokenValue) && mlirOperationIsNull(c->join))
      mlirValueReplaceAllUsesOfWith(mlirOperationGetResult(c->op, 0),
                                    c->tokenValue);
  }
  for (size_t j = 0; j < t->joins->n; ++j) {
    MlirOperation join = t->joins->ops[j];
    MlirValue r = mlirOperationGetResult(join, 0);
    for (size_t i = 0; i < n && !mlirOpOperandIsNull(mlirValueGetFirstUse(r));
         ++i)
      if (copies[i].async && mlirOperationEqual(copies[i].join, join) &&
          (!copies[i].head || copies[i].head == &copies[i]))
        mlirValueReplaceAllUsesOfWith(r, copies[i].tokenValue);
    mlirOperationDestroy(join);
  }
}
