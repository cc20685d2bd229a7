/* tl-lower-copy's split-phase copies (design.md §3, "Asynchronous
 * copies"; §8): a tl.copy_async is issued where it stands, through its
 * row's `issue` (or `emit`, for the synchronous instructions), and
 * completed at the tl.wait of its token, through the row's `complete`, on
 * the TlAsync its issue filled (kept in its TlLower until then).
 *
 * What the completion needs is planned before anything is rewritten:
 *   - the copy's one tl.wait, later in the same block (tl-verify's rules;
 *     checked again here so that the pass run alone fails with a located
 *     error instead of leaving a token without its op);
 *   - its mbarrier slot: each copy_async on an mbarrier instruction has
 *     its own, 1, 2, ... in program order within its function (slot 0 is
 *     the synchronous copies'), so that copies in flight together complete
 *     on different barriers, each with its own parity;
 *   - for group completions (cp.async groups, bulk async-groups), how many
 *     groups committed after its own the wait may leave in flight: the
 *     copy_async ops of the same completion strictly between the copy and
 *     its wait, when no op between holds tl ops in its regions; else 0. */
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinTypes.h>

#include "Diag.h"
#include "IRBuild.h"
#include "Lower.h"
#include "Support.h"
#include "verify/VerifyAsync.h"

//===--------------------------------------------------------------------===//
// Planning
//===--------------------------------------------------------------------===//

static TlCompletion completionOf(TlInst inst) {
  const TlInstImpl *impl = tlInstImpl(inst);
  return impl ? impl->completion : TlCompleteSync;
}

static bool isTlNamed(MlirOperation op) {
  MlirStringRef n = mlirIdentifierStr(mlirOperationGetName(op));
  return n.length > 3 && memcmp(n.data, "tl.", 3) == 0;
}

static MlirWalkResult findTlOp(MlirOperation op, void *found) {
  if (isTlNamed(op)) {
    *(bool *)found = true;
    return MlirWalkResultInterrupt;
  }
  return MlirWalkResultAdvance;
}

/* Whether an op nested in `op`'s regions is a tl op. */
static bool holdsTlOps(MlirOperation op) {
  bool found = false;
  for (intptr_t r = 0; r < mlirOperationGetNumRegions(op) && !found; ++r)
    for (MlirBlock b = mlirRegionGetFirstBlock(mlirOperationGetRegion(op, r));
         !mlirBlockIsNull(b) && !found; b = mlirBlockGetNextInRegion(b))
      for (MlirOperation o = mlirBlockGetFirstOperation(b);
           !mlirOperationIsNull(o) && !found; o = mlirOperationGetNextInBlock(o))
        mlirOperationWalk(o, findTlOp, &found, MlirWalkPreOrder);
  return found;
}

/* The groups of c's completion committed after c's and before its wait,
   when statically known; else 0 (wait for every group). */
static int pendingGroups(const TlLower *c) {
  TlCompletion kind = completionOf(c->inst);
  if (kind != TlCompleteGroup && kind != TlCompleteBulkGroup)
    return 0;
  int n = 0;
  for (MlirOperation op = mlirOperationGetNextInBlock(c->op);
       !mlirOperationEqual(op, c->wait); op = mlirOperationGetNextInBlock(op)) {
    if (tlOperationIsACopyAsync(op))
      n += completionOf(tlInstOf(op)) == kind;
    else if (holdsTlOps(op))
      return 0;
  }
  return n;
}

/* Every operand of every wait is a tl.copy_async's token of its block
   (tl-verify's rule and message). */
static bool checkWaitOperands(const TlOpList *waits) {
  bool ok = true;
  for (size_t i = 0; i < waits->n; ++i)
    ok &= tlAsyncCheckWait(waits->ops[i]);
  return ok;
}

/* The slots of each function's copies on an mbarrier (slot 0 for the
   synchronous ones, then the copy_async ops') leave room for its TMA
   tl.c2d_im2col_async ops, which tl-lower-im2col gives the slots after
   them. Checked once per function, at its last such copy. */
static bool checkIm2ColSlots(const TlLower *copies, size_t n) {
  bool ok = true;
  for (size_t i = 0; i < n; ++i) {
    if (completionOf(copies[i].inst) != TlCompleteMbarrier)
      continue;
    MlirOperation func = tlEnclosingFunc(copies[i].op);
    int slots = 0;
    bool last = true;
    for (size_t j = 0; j < n; ++j) {
      if (completionOf(copies[j].inst) != TlCompleteMbarrier ||
          !mlirOperationEqual(tlEnclosingFunc(copies[j].op), func))
        continue;
      last &= j <= i;
      if (copies[j].slot + 1 > slots)
        slots = copies[j].slot + 1;
    }
    if (last)
      ok &= tlMbarrierCheckIm2ColSlots(func, slots);
  }
  return ok;
}

//===--------------------------------------------------------------------===//
// Deferred store completion (planning)
//===--------------------------------------------------------------------===//

/* The memory v names: through tl.region ops and memref views (an op whose
   operand 0 and result are memrefs) to the buffer they are of. */
static MlirValue memoryOf(MlirValue v) {
  while (mlirValueIsAOpResult(v)) {
    MlirOperation o = mlirOpResultGetOwner(v);
    if (tlOperationIsARegion(o)) {
      v = tlRegionOpGetBuffer(o);
    } else if (mlirTypeIsAMemRef(mlirValueGetType(v)) &&
               mlirOperationGetNumOperands(o) > 0 &&
               mlirTypeIsAMemRef(
                   mlirValueGetType(mlirOperationGetOperand(o, 0)))) {
      v = mlirOperationGetOperand(o, 0);
    } else {
      break;
    }
  }
  return v;
}

/* The global a memref.get_global result names, or a null attribute. */
static MlirAttribute globalOf(MlirValue v) {
  if (!mlirValueIsAOpResult(v) ||
      !tlOpIsNamed(mlirOpResultGetOwner(v), "memref.get_global"))
    return (MlirAttribute){NULL};
  return mlirOperationGetAttributeByName(mlirOpResultGetOwner(v),
                                         mlirStringRefCreateFromCString("name"));
}

/* Whether memories a and b (memoryOf) are one: the same value, or two
   memref.get_global of one global. */
static bool sameMemory(MlirValue a, MlirValue b) {
  if (mlirValueEqual(a, b))
    return true;
  MlirAttribute ga = globalOf(a), gb = globalOf(b);
  return !mlirAttributeIsNull(ga) && !mlirAttributeIsNull(gb) &&
         mlirAttributeEqual(ga, gb);
}

/* Whether an operand of op is `mem`, a tl.region or a memref view of it. */
static bool usesMemory(MlirOperation op, MlirValue mem) {
  for (intptr_t i = 0; i < mlirOperationGetNumOperands(op); ++i)
    if (sameMemory(memoryOf(mlirOperationGetOperand(op, i)), mem))
      return true;
  return false;
}

bool tlIsDeferredStore(const TlLower *c) {
  return !c->async && !mlirOperationIsNull(c->wait);
}

/* Where the synchronous store c completes: before the first later op of
   its block that is a tl op, uses the source's memory, has regions, or is
   the terminator (the last op). */
static MlirOperation storeCompletionPoint(const TlLower *c) {
  MlirValue src = memoryOf(mlirOperationGetOperand(c->op, 0));
  MlirOperation op = mlirOperationGetNextInBlock(c->op);
  while (!mlirOperationIsNull(mlirOperationGetNextInBlock(op)) &&
         !isTlNamed(op) && mlirOperationGetNumRegions(op) == 0 &&
         !usesMemory(op, src))
    op = mlirOperationGetNextInBlock(op);
  return op;
}

//===--------------------------------------------------------------------===//
// Planning: every copy
//===--------------------------------------------------------------------===//

bool tlPlanAsync(TlLower *copies, size_t n, const TlOpList *waits,
                 TlCarryTable *carry) {
  (void)carry;
  bool ok = checkWaitOperands(waits);
  for (size_t i = 0; i < n; ++i) {
    TlLower *c = &copies[i];
    if (!c->async && completionOf(c->inst) == TlCompleteBulkGroup)
      c->wait = storeCompletionPoint(c);
    if (c->async)
      ok &= tlAsyncPlanUse(c);
  }
  ok = ok && tlAsyncPlanHeads(copies, n) && tlAsyncGiveSlots(copies, n);
  for (size_t i = 0; i < n && ok; ++i) {
    TlLower *c = &copies[i];
    if (c->async && !mlirOperationIsNull(c->wait))
      c->pending = pendingGroups(tlAsyncLastOfJoin(copies, n, c));
  }
  return ok && checkIm2ColSlots(copies, n);
}

//===--------------------------------------------------------------------===//
// Completion at the waits
//===--------------------------------------------------------------------===//

/* The copy whose token is `token` (keyed by the value), or NULL. */
static TlLower *copyOfToken(TlLower *copies, size_t n, MlirValue token) {
  for (size_t i = 0; i < n; ++i)
    if (copies[i].async &&
        mlirValueEqual(mlirOperationGetResult(copies[i].op, 0), token))
      return &copies[i];
  return NULL;
}

/* c's completion before `wait`: its row's `complete` on what the issue
   left, at the wait (a bulk-group wait opens its own elected block there:
   the issuing block is the copy's). */
static bool complete(TlLower *c, MlirOperation wait, TlFuncTmaList *funcs,
                     TlLower *all, size_t nAll) {
  TlEmitter e;
  tlEmitterInitAt(&e, c, wait, TlConstsAhead);
  e.funcs = funcs;
  e.all = all;
  e.nAll = nAll;
  c->issued.waitAt = wait;
  c->issued.issuer = (MlirOperation){NULL};
  c->issued.group = c->pending;
  tlEmitComplete(&e, &tlInstImpl(c->inst)->copy, &c->issued);
  tlEmitterFinish(&e);
  return !e.failed;
}

/* Whether `token` is a tl.c2d_im2col_async's: tl-lower-im2col completes
   it. */
static bool isIm2ColToken(MlirValue token) {
  return mlirValueIsAOpResult(token) &&
         tlOperationIsAnIm2ColAsync(mlirOpResultGetOwner(token));
}

/* Whether `token` stands for an im2col (a tl.c2d_im2col_async's, or
   carried and not a copy's): tl-lower-im2col completes it. */
static bool leftForIm2Col(const TlCarryTable *carry, MlirValue token) {
  if (isIm2ColToken(token))
    return true;
  if (mlirValueIsAOpResult(token) &&
      tlOperationIsAJoin(mlirOpResultGetOwner(token)))
    return false;
  return !tlCarryOf(carry, token) &&
         (mlirValueIsABlockArgument(token) ||
          tlOpIsNamed(mlirOpResultGetOwner(token), "scf.for"));
}

/* One wait operand that is not a copy's own token. */
static bool completeOther(TlLower *copies, size_t n, const TlCarryTable *carry,
                          MlirValue t, MlirOperation w, TlFuncTmaList *funcs) {
  if (tlCarryOf(carry, t))
    return tlAsyncCompleteCarried(carry, t, w, funcs, copies, n);
  return tlAsyncCompleteJoin(copies, n, mlirOpResultGetOwner(t), w, funcs);
}

bool tlCompleteWaits(TlLower *copies, size_t n, const TlOpList *waits,
                     const TlCarryTable *carry, TlFuncTmaList *funcs) {
  bool ok = true;
  for (size_t i = 0; i < waits->n && ok; ++i) {
    MlirOperation w = waits->ops[i];
    intptr_t nOps = mlirOperationGetNumOperands(w), kept = 0;
    MlirValue *rest = tlXmalloc(sizeof(MlirValue) * (size_t)(nOps + 1));
    for (intptr_t k = 0; k < nOps && ok; ++k) {
      MlirValue t = mlirOperationGetOperand(w, k);
      if (leftForIm2Col(carry, t)) {
        rest[kept++] = t;
        continue;
      }
      TlLower *c = copyOfToken(copies, n, t);
      if (!c) {
        ok = completeOther(copies, n, carry, t, w, funcs);
        continue;
      }
      ok = complete(c, w, funcs, copies, n);
    }
    /* The wait goes when it completed everything; else it keeps the
       im2col tokens, in order, for tl-lower-im2col. */
    if (ok && kept == 0)
      mlirOperationDestroy(w);
    else if (ok && kept < nOps)
      mlirOperationSetOperands(w, kept, rest);
    free(rest);
  }
  return ok;
}

//===--------------------------------------------------------------------===//
// Deferred store completion
//===--------------------------------------------------------------------===//

/* Where c's deferred completion goes: before c->wait, or before the
   gpu.barrier ops right ahead of it (Barriers.c's, say: completing first
   lets the one barrier serve); c->op itself when only such barriers lie
   between. */
static MlirOperation storeWaitAt(const TlLower *c) {
  MlirOperation last = c->op; /* the last op between that is no barrier */
  for (MlirOperation op = mlirOperationGetNextInBlock(c->op);
       !mlirOperationEqual(op, c->wait); op = mlirOperationGetNextInBlock(op))
    if (!tlOpIsNamed(op, "gpu.barrier"))
      last = op;
  return mlirOperationEqual(last, c->op) ? last
                                         : mlirOperationGetNextInBlock(last);
}

bool tlCompleteStore(TlLower *c, TlFuncTmaList *funcs, TlLower *all,
                     size_t nAll) {
  MlirOperation at = storeWaitAt(c);
  if (mlirOperationEqual(at, c->op)) {
    /* Nothing to overlap: in the issuing block, as when not deferred. */
    TlEmitter e;
    tlEmitterInit(&e, c, TlConstsAhead);
    e.funcs = funcs;
    e.all = all;
    e.nAll = nAll;
    tlEmitComplete(&e, &tlInstImpl(c->inst)->copy, &c->issued);
    tlEmitterFinish(&e);
    return !e.failed;
  }
  c->pending = 0;
  return complete(c, at, funcs, all, nAll);
}
