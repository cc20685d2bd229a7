/* tl-lower-im2col: lower every tl.c2d_im2col to gpu/scf/arith/memref/
 * vector/nvvm ops (design.md §3, docs/im2col.md) with the instruction
 * tl-infer-layouts chose for it, its `inst` attribute: "simt" (per thread
 * vector accesses following the op's thread map, inst/SimtIm2Col.c) or
 * "tma_im2col" (one TMA im2col load per tile, inst/TmaIm2Col.c).
 *
 * This file holds only the pass: it collects the ops, reads what every
 * lowering needs (copy/Im2ColPlan.c), and dispatches on `inst` through the
 * `im2col` lowering of the instruction's row of the instruction table
 * (copy/Contract.h; design.md §8). The model of one op being lowered is
 * copy/Im2Col.h, reached from the table's struct TlLower (c->im2col).
 *
 * A tl.c2d_im2col_async (design.md §3.1) is issued at the op and completed
 * at the tl.wait of its token: tl-lower-copy, which runs first, completed
 * the copies of each wait and left it the im2col tokens, which this pass
 * completes in operand order (the row's `complete`), then erases the wait
 * (one with tokens left, of copies, is kept for tl-lower-copy).
 * A TMA one loads on an mbarrier slot of its own: the last slots of the
 * function's set, after tl-lower-copy's (copy/Mbarrier.h, design.md §8.1).
 * SIMT writes the tile at the op; its wait makes every thread's writes
 * visible to the block and to the async proxy (fence.proxy.async and a
 * barrier), as a wgmma reading the tile through its descriptor needs.
 *
 * `eviction_policy` is accepted and ignored (docs/im2col.md). Besides a
 * SIMT wait's hand-over no barriers are inserted: tl-lower-copy does that.
 * The op is erased; a col tl.region left without uses is erased too. */
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Dialect/Arith.h>
#include <mlir-c/Dialect/GPU.h>
#include <mlir-c/Dialect/LLVM.h>
#include <mlir-c/Dialect/MemRef.h>
#include <mlir-c/Dialect/NVVM.h>
#include <mlir-c/Dialect/SCF.h>
#include <mlir-c/Dialect/Vector.h>

#include "Contract.h"
#include "Diag.h"
#include "IRBuild.h"
#include "Inst.h"
#include "Im2Col.h"
#include "Lower.h"
#include "PassSupport.h"
#include "Support.h"
#include "verify/VerifyAsync.h"

//===----------------------------------------------------------------------===//
// Lowering one op
//===----------------------------------------------------------------------===//

/* The im2col lowering of op's `inst` (its row of the instruction table),
   NULL after a located error. */
static const TlInstLowering *loweringOf(MlirOperation op, TlInst *kind) {
  MlirAttribute inst = mlirOperationGetAttributeByName(
      op, mlirStringRefCreateFromCString(TL_ATTR_INST));
  if (mlirAttributeIsNull(inst)) {
    tlOpError(op, "has no 'inst' attribute: run tl-infer-layouts first");
    return NULL;
  }
  if (!mlirAttributeIsAString(inst)) {
    TlStr s = {0};
    tlStrAppendAttr(&s, inst);
    tlOpError(op, "inst must be a string attribute, got %s", tlStrGet(&s));
    tlStrFree(&s);
    return NULL;
  }
  *kind = tlInstOf(op);
  const TlInstLowering *l =
      *kind == TlInstNone ? NULL : &tlInstImpl(*kind)->im2col;
  if (!l || (!l->emit && !l->issue)) {
    MlirStringRef name = mlirStringAttrGetValue(inst);
    tlOpError(op,
              "inst = \"%.*s\" is not supported by tl-lower-im2col (only "
              "\"simt\" and \"tma_im2col\")",
              (int)name.length, name.data);
    return NULL;
  }
  return l;
}

/* One op being lowered: its model and its row's lowering. */
typedef struct Item {
  TlLower c;
  TlIm2Col x;
  const TlInstLowering *l;
} Item;

/* Reads the op into `it` (an async one with its wait); false after a
   located error. */
static bool readItem(Item *it, MlirOperation op) {
  TlInst kind;
  memset(it, 0, sizeof *it);
  it->x.op = op;
  it->x.loc = mlirOperationGetLocation(op);
  it->c.op = op;
  it->c.im2col = &it->x;
  it->c.async = tlOperationIsAnIm2ColAsync(op);
  it->l = loweringOf(op, &kind);
  if (!it->l)
    return false;
  it->c.inst = kind;
  /* Its wait, or the loop that carries its token; its predicate. */
  return !it->c.async || tlAsyncPlanUse(&it->c);
}

/* The slots of the TMA tl.c2d_im2col_async ops: the last ones of their
   function's set, in program order (the set tl-lower-copy made has room
   for them; one made here has slot 0 and theirs). */
static bool giveSlots(Item *items, size_t n) {
  bool ok = true;
  for (size_t i = 0; i < n; ++i) {
    TlLower *c = &items[i].c;
    if (!items[i].l || !c->async || c->inst != TlInstTmaIm2Col)
      continue;
    MlirOperation func = tlEnclosingOp(c->op, "gpu.func");
    int m = tlMbarrierIm2ColSlots(func);
    int before = tlMbarrierIm2ColSlotsBefore(func, c->op);
    int set = tlMbarrierSlotsOf(func);
    if (set == 0)
      set = 1 + m;
    c->slot = set - m + before;
    /* A carried one: its N-way buffer's stages have a slot each. */
    MlirValue buf = tlIm2ColStageBuffer(c->op);
    if (!mlirValueIsNull(buf)) {
      c->rangeBase = c->slot;
      c->slot += (int)mlirShapedTypeGetDimSize(mlirValueGetType(buf), 0) - 1;
    } else if (c->carried) {
      tlOpError(c->op,
                "completes on an mbarrier and its token is carried by an "
                "scf.for, so it must write one stage of an N-way buffer (a "
                "tl.region whose index 0 has extent 1), whose stages each "
                "have a barrier");
      items[i].l = NULL;
      ok = false;
      continue;
    }
    if (c->slot >= TL_MBARRIER_MAX_SLOTS) {
      tlMbarrierSlotError(c->op, c->slot);
      items[i].l = NULL; /* not lowered: it has no slot */
      ok = false;
    } else if (set - m < 1) {
      tlOpError(c->op,
                "needs mbarrier slot %d of its function, but the set an "
                "earlier pass made has %d",
                1 + before, set);
      items[i].l = NULL;
      ok = false;
    }
  }
  return ok;
}

/* Emits the op through its row's im2col lowering: all of it, or for a
   tl.c2d_im2col_async its issue (kept in c->issued for the wait). */
static bool emit(Item *it) {
  TlLower *c = &it->c;
  TlEmitter e;
  tlEmitterInit(&e, c, TlConstsGrouped);
  TlCompletion kind = tlInstImpl(c->inst)->completion;
  if (c->async) {
    memset(&c->issued, 0, sizeof c->issued);
    c->issued.kind = kind;
    /* Predicated or carried (copy/Im2ColCarry.c): where the issue goes. */
    MlirOperation at = tlIm2ColPrepareIssue(&e, c);
    if (!mlirOperationEqual(at, c->op)) {
      tlEmitterFinish(&e);
      tlEmitterInitAt(&e, c, at, TlConstsGrouped);
    }
    tlEmitIssue(&e, it->l, &c->issued);
  } else {
    tlEmitThrough(&e, it->l, kind);
  }
  tlEmitterFinish(&e);
  return !e.failed;
}

static bool lowerIm2Col(Item *it) {
  TlIm2Col *x = &it->x;
  TlLower *c = &it->c;
  bool ok = tlIm2ColRead(x) && (!it->l->read || it->l->read(c)) && emit(it);
  free(x->chunks);
  x->chunks = NULL;
  if (!ok || c->async) /* an async op goes after its wait */
    return ok;
  mlirOperationDestroy(x->op);
  if (x->colRegion.ptr)
    tlEraseIfUnused(x->colRegion);
  return true;
}

//===----------------------------------------------------------------------===//
// The waits
//===----------------------------------------------------------------------===//

/* The item whose token is `token`, or NULL. */
static Item *itemOfToken(Item *items, size_t n, MlirValue token) {
  for (size_t i = 0; i < n; ++i)
    if (items[i].c.async &&
        mlirValueEqual(mlirOperationGetResult(items[i].c.op, 0), token))
      return &items[i];
  return NULL;
}

/* Completes, before each wait, the im2col ops of its tokens in operand
   order; the wait goes when nothing is left, else it keeps the other
   tokens for tl-lower-copy (which should have run first: its barriers
   need the tl ops, docs/lower-copy.md). */
static bool completeWaits(Item *items, size_t n, const TlOpList *waits,
                          const TlCarryTable *carry) {
  for (size_t i = 0; i < waits->n; ++i) {
    MlirOperation w = waits->ops[i];
    intptr_t nOps = mlirOperationGetNumOperands(w), kept = 0;
    MlirValue *rest = tlXmalloc(sizeof(MlirValue) * (size_t)(nOps + 1));
    bool ok = true, handedOff = false;
    for (intptr_t k = 0; k < nOps && ok; ++k) {
      MlirValue t = mlirOperationGetOperand(w, k);
      Item *it = itemOfToken(items, n, t);
      const TlCarry *carried = tlCarryOf(carry, t);
      TlLower *c = carried ? carried->rep : it ? &it->c : NULL;
      if (!c) {
        rest[kept++] = t;
        continue;
      }
      bool simt = tlInstImpl(c->inst)->completion == TlCompleteSync;
      if (simt && handedOff)
        continue; /* one hand-over per wait, however many SIMT tiles */
      if (!simt && carried) {
        ok = tlIm2ColCompleteCarried(carried, t, w);
        continue;
      }
      TlEmitter e;
      tlEmitterInitAt(&e, c, w, TlConstsAhead);
      if (simt) {
        tlSimtIm2ColHandOff(&e, w);
        handedOff = true;
      } else {
        it->c.issued.waitAt = w;
        tlEmitComplete(&e, it->l, &it->c.issued);
      }
      tlEmitterFinish(&e);
      ok = !e.failed;
    }
    if (ok && kept == 0)
      mlirOperationDestroy(w);
    else if (ok && kept < nOps)
      mlirOperationSetOperands(w, kept, rest);
    free(rest);
    if (!ok)
      return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

static MlirWalkResult collect(MlirOperation op, void *list) {
  if (tlIsIm2ColOp(op))
    tlOpListPush(list, op);
  return MlirWalkResultAdvance;
}

/* The async ops go last: after their waits, with their unused regions. */
static void eraseAsync(Item *items, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (!items[i].c.async)
      continue;
    MlirOperation region = items[i].x.colRegion;
    mlirOperationDestroy(items[i].c.op);
    if (region.ptr)
      tlEraseIfUnused(region);
  }
}

static void run(MlirOperation op, MlirExternalPass pass, void *state) {
  (void)state;
  TlOpList list = {NULL, 0, 0}, waits = {NULL, 0, 0};
  mlirOperationWalk(op, collect, &list, MlirWalkPreOrder);
  tlCollectOps(op, "tl.wait", &waits);
  Item *items = calloc(list.n + 1, sizeof(Item));
  if (!items)
    abort();
  /* Every op is read, then each read one lowered (one failing does not
     stop the others' errors); the waits only when all went well. */
  bool ok = true;
  for (size_t i = 0; i < list.n; ++i)
    if (!readItem(&items[i], list.ops[i])) {
      items[i].l = NULL;
      ok = false;
    }
  ok &= giveSlots(items, list.n);
  TlOpList loops = {NULL, 0, 0};
  TlCarryTable carry = {NULL, 0, 0, &loops, NULL};
  ok = ok && tlIm2ColPlanCarried(&items[0].c, sizeof(Item), list.n, op, &carry);
  for (size_t i = 0; i < list.n; ++i)
    if (items[i].l)
      ok &= lowerIm2Col(&items[i]);
  if (ok)
    tlAsyncRetypeCarried(&carry);
  ok = ok && completeWaits(items, list.n, &waits, &carry);
  if (ok) {
    for (size_t i = 0; i < list.n; ++i)
      if (items[i].c.async && !mlirValueIsNull(items[i].c.tokenValue))
        mlirValueReplaceAllUsesOfWith(mlirOperationGetResult(items[i].c.op, 0),
                                      items[i].c.tokenValue);
    eraseAsync(items, list.n);
  }
  free(carry.v);
  free(loops.ops);
  free(items);
  free(list.ops);
  free(waits.ops);
  if (!ok)
    mlirExternalPassSignalFailure(pass);
}

/* Literals only: a const object is not a constant expression in C11. */
const TlPassDef tlLowerIm2ColPassDef = {
    {"tl-lower-im2col",
     "Lower every tl.c2d_im2col to gpu/scf/arith/memref/vector ops following its inferred layout",
     0, NULL},
    NULL, tlCreateLowerIm2ColPass};

static _Alignas(8) char kTypeId;

MlirPass tlCreateLowerIm2ColPass(void) {
  MlirDialectHandle deps[] = {
      mlirGetDialectHandle__arith__(), mlirGetDialectHandle__gpu__(),
      mlirGetDialectHandle__llvm__(),  mlirGetDialectHandle__memref__(),
      mlirGetDialectHandle__nvvm__(),  mlirGetDialectHandle__scf__(),
      mlirGetDialectHandle__vector__()};
  return tlCreateExternalPass(&kTypeId, &tlLowerIm2ColPassDef.info,
                              sizeof deps / sizeof deps[0], deps, run, NULL, 0);
}
