/* The completion mechanisms of the asynchronous copies (docs/tma.md;
 * design.md §3, §8.1): the mbarrier set of a function (copy/Mbarrier.h),
 * made or found by tl-lower-copy and tl-lower-im2col alike; tl-lower-copy's
 * per-function TMA state (the elected thread, the set, the tensor-map
 * prefetches), the L2 cache policy and the async-proxy fence its issuers
 * share, and the two waits: an mbarrier waited on by parity (TMA and bulk
 * loads) and the bulk async-group read wait (TMA and bulk stores).
 *
 * The set is one per function: a private workgroup global
 * `__tl_mbar_<function>` of the gpu.module, initialised by thread 0 at the
 * function's entry, with the parities to wait on kept in one private i32
 * (bit k: slot k's) that every completed wait flips: a scalar, so LLVM
 * keeps it in a register, where an array indexed by a loop's stage would
 * live in local memory, a load and a store per wait. */
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Dialect/LLVM.h>

#include "Diag.h"
#include "IRBuild.h"
#include "Lower.h"
#include "Support.h"
#include "verify/VerifyAsync.h"

//===--------------------------------------------------------------------===//
// The mbarrier set (tl-lower-copy and tl-lower-im2col)
//===--------------------------------------------------------------------===//

/* The global's name: `__tl_mbar_<function>` (the caller frees it). */
static TlStr mbarrierName(MlirOperation func) {
  MlirStringRef fn = mlirStringAttrGetValue(mlirOperationGetAttributeByName(
      func, mlirStringRefCreateFromCString("sym_name")));
  TlStr sym = {0};
  tlStrAppendf(&sym, "__tl_mbar_%.*s", (int)fn.length, fn.data);
  return sym;
}

/* Whether `op` is `name` with string attribute `attr` (a symbol name or a
   flat symbol reference) equal to sym. */
static bool namesSymbol(MlirOperation op, const char *name, const char *attr,
                        const TlStr *sym) {
  if (!tlOpIsNamed(op, name))
    return false;
  MlirAttribute a =
      mlirOperationGetAttributeByName(op, mlirStringRefCreateFromCString(attr));
  if (mlirAttributeIsNull(a))
    return false;
  MlirStringRef v = mlirAttributeIsAFlatSymbolRef(a)
                        ? mlirFlatSymbolRefAttrGetValue(a)
                        : mlirAttributeIsAString(a) ? mlirStringAttrGetValue(a)
                                                    : mlirStringRefCreate("", 0);
  return v.length == sym->len && memcmp(v.data, sym->data, v.length) == 0;
}

/* The slots' pointers, from the global's memref `g`, before `at`: slot k
   is 8k bytes past the first. */
static void slotPointers(TlBuild *b, MlirOperation at, MlirValue g,
                         TlMbarriers *m) {
  MlirType index = b->index;
  MlirValue gi = tlOp(b, at, "memref.extract_aligned_pointer_as_index", 1, &g,
                      index, 0, NULL);
  m->base = gi;
  for (int k = 0; k < m->slots; ++k) {
    MlirValue ik = gi;
    if (k > 0) {
      MlirValue ops[2] = {gi, tlBuildIndexConstant(at, b->loc, 8 * k)};
      ik = tlOp(b, at, "arith.addi", 2, ops, index, 0, NULL);
    }
    m->bar[k] = tlIndexToPtr(b, at, ik, 3);
  }
}

/* The memref.global `sym` of func's module, or a null op. */
static MlirOperation findGlobal(MlirOperation func, const TlStr *sym) {
  MlirBlock body =
      mlirRegionGetFirstBlock(mlirOperationGetRegion(
          mlirOperationGetParentOperation(func), 0));
  for (MlirOperation op = mlirBlockGetFirstOperation(body);
       !mlirOperationIsNull(op); op = mlirOperationGetNextInBlock(op))
    if (namesSymbol(op, "memref.global", "sym_name", sym))
      return op;
  return (MlirOperation){NULL};
}

int tlMbarrierSlotsOf(MlirOperation func) {
  TlStr sym = mbarrierName(func);
  MlirOperation global = findGlobal(func, &sym);
  tlStrFree(&sym);
  if (mlirOperationIsNull(global))
    return 0;
  MlirType gt = mlirTypeAttrGetValue(mlirOperationGetAttributeByName(
      global, mlirStringRefCreateFromCString("type")));
  return (int)mlirShapedTypeGetDimSize(gt, 0);
}

static MlirWalkResult collectIm2ColAsync(MlirOperation op, void *list) {
  if (tlOperationIsAnIm2ColAsync(op) && tlInstOf(op) == TlInstTmaIm2Col)
    tlOpListPush(list, op);
  return MlirWalkResultAdvance;
}

MlirValue tlIm2ColStageBuffer(MlirOperation op) {
  if (mlirOperationGetNumResults(op) != 1)
    return (MlirValue){NULL};
  TlTokenUse u = tlTokenUseOf(mlirOperationGetResult(op, 0));
  if (u.kind != TlTokenCarried && u.kind != TlTokenYielded)
    return (MlirValue){NULL};
  MlirValue col = tlIm2ColOpGetColumn(op);
  if (mlirValueIsAOpResult(col) && tlOperationIsARegion(mlirOpResultGetOwner(col)))
    col = tlRegionOpGetBuffer(mlirOpResultGetOwner(col));
  MlirType t = mlirValueGetType(col);
  return mlirTypeIsAMemRef(t) && mlirShapedTypeGetRank(t) >= 3 ? col
                                                              : (MlirValue){NULL};
}

/* The slots of the ops[0, n): one each, N per N-way col buffer of the
   carried ones (once per buffer). */
static int im2colSlotsOf(MlirOperation *ops, size_t n) {
  int slots = 0;
  for (size_t i = 0; i < n; ++i) {
    MlirValue buf = tlIm2ColStageBuffer(ops[i]);
    if (mlirValueIsNull(buf)) {
      ++slots;
      continue;
    }
    bool seen = false;
    for (size_t j = 0; j < i && !seen; ++j)
      seen = mlirValueEqual(tlIm2ColStageBuffer(ops[j]), buf);
    if (!seen)
      slots += (int)mlirShapedTypeGetDimSize(mlirValueGetType(buf), 0);
  }
  return slots;
}

int tlMbarrierIm2ColSlots(MlirOperation func) {
  TlOpList ops = {NULL, 0, 0};
  mlirOperationWalk(func, collectIm2ColAsync, &ops, MlirWalkPreOrder);
  int n = im2colSlotsOf(ops.ops, ops.n);
  free(ops.ops);
  return n;
}

int tlMbarrierIm2ColSlotsBefore(MlirOperation func, MlirOperation op) {
  TlOpList ops = {NULL, 0, 0};
  mlirOperationWalk(func, collectIm2ColAsync, &ops, MlirWalkPreOrder);
  size_t k = 0;
  while (k < ops.n && !mlirOperationEqual(ops.ops[k], op))
    ++k;
  /* A carried op whose buffer an earlier one has shares that one's. */
  MlirValue buf = tlIm2ColStageBuffer(op);
  for (size_t j = 0; j < k && !mlirValueIsNull(buf); ++j)
    if (mlirValueEqual(tlIm2ColStageBuffer(ops.ops[j]), buf)) {
      k = j;
      break;
    }
  int n = im2colSlotsOf(ops.ops, k);
  free(ops.ops);
  return n;
}

bool tlMbarrierFind(MlirOperation func, MlirLocation loc, TlMbarriers *m) {
  memset(m, 0, sizeof *m);
  TlStr sym = mbarrierName(func);
  MlirOperation global = findGlobal(func, &sym);
  /* The entry's memref.get_global of it, then (tlMbarrierMake's order)
     the parities: the first memref<i32> alloca after it. */
  MlirOperation get = {NULL};
  if (!mlirOperationIsNull(global)) {
    MlirType gt = mlirTypeAttrGetValue(mlirOperationGetAttributeByName(
        global, mlirStringRefCreateFromCString("type")));
    m->slots = (int)mlirShapedTypeGetDimSize(gt, 0);
    MlirType pt = mlirMemRefTypeContiguousGet(
        mlirIntegerTypeGet(mlirOperationGetContext(func), 32), 0, NULL,
        (MlirAttribute){NULL});
    MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
    for (MlirOperation op = mlirBlockGetFirstOperation(entry);
         !mlirOperationIsNull(op) && mlirValueIsNull(m->phase);
         op = mlirOperationGetNextInBlock(op)) {
      if (mlirOperationIsNull(get) &&
          namesSymbol(op, "memref.get_global", "name", &sym))
        get = op;
      else if (!mlirOperationIsNull(get) &&
               tlOpIsNamed(op, "memref.alloca") &&
               mlirTypeEqual(mlirValueGetType(tlRes0(op)), pt))
        m->phase = tlRes0(op);
    }
  }
  tlStrFree(&sym);
  if (mlirValueIsNull(m->phase) || m->slots < 1 ||
      m->slots > TL_MBARRIER_MAX_SLOTS) {
    memset(m, 0, sizeof *m);
    return false;
  }
  TlBuild b;
  tlBuildInit(&b, func, loc, TlConstsInPlace);
  slotPointers(&b, mlirOperationGetNextInBlock(get), tlRes0(get), m);
  return true;
}

MlirValue tlMbarrierGlobal(TlBuild *b, MlirOperation func, MlirStringRef sym,
                           int64_t n, MlirOperation at) {
  MlirContext ctx = b->ctx;
  MlirAttribute wg = mlirAttributeParseGet(
      ctx, mlirStringRefCreateFromCString("#gpu.address_space<workgroup>"));
  MlirType type = mlirMemRefTypeGet(mlirIntegerTypeGet(ctx, 64), 1, &n,
                                    (MlirAttribute){NULL}, wg);
  MlirNamedAttribute ga[4] = {
      tlNamed(ctx, "sym_name", mlirStringAttrGet(ctx, sym)),
      tlNamed(ctx, "sym_visibility",
              mlirStringAttrGet(ctx, mlirStringRefCreateFromCString("private"))),
      tlNamed(ctx, "type", mlirTypeAttrGet(type)),
      tlNamed(ctx, "alignment",
              mlirIntegerAttrGet(mlirIntegerTypeGet(ctx, 64), 8))};
  tlOp(b, func, "memref.global", 0, NULL, (MlirType){NULL}, 4, ga);
  MlirNamedAttribute gn =
      tlNamed(ctx, "name", mlirFlatSymbolRefAttrGet(ctx, sym));
  return tlOp(b, at, "memref.get_global", 0, NULL, type, 1, &gn);
}

void tlMbarrierMake(MlirOperation func, int slots, MlirLocation loc,
                    MlirOperation guard, TlMbarriers *m) {
  memset(m, 0, sizeof *m);
  /* A caller that needs more slots than a set holds reports it at the op
     (tlMbarrierSlotError); the set itself never exceeds its arrays. */
  if (slots > TL_MBARRIER_MAX_SLOTS)
    slots = TL_MBARRIER_MAX_SLOTS;
  if (slots < 1)
    slots = 1;
  m->slots = slots;
  MlirContext ctx = mlirLocationGetContext(loc);
  TlStr sym = mbarrierName(func);
  TlBuild b;
  tlBuildInit(&b, func, loc, TlConstsInPlace);
  MlirValue g = tlMbarrierGlobal(&b, func, mlirStringRefCreate(sym.data, sym.len),
                                 slots, guard);
  tlStrFree(&sym);
  slotPointers(&b, guard, g, m);
  /* Thread 0 initialises every slot; the block then waits for it. */
  MlirOperation thenY = mlirBlockGetTerminator(
      mlirRegionGetFirstBlock(mlirOperationGetRegion(guard, 0)));
  for (int k = 0; k < slots; ++k) {
    MlirValue iops[2] = {m->bar[k], tlI32Const(&b, thenY, 1)};
    tlOp(&b, thenY, "nvvm.mbarrier.init", 2, iops, (MlirType){NULL}, 0, NULL);
  }
  tlOp(&b, thenY, "nvvm.fence.mbarrier.init", 0, NULL, (MlirType){NULL}, 0,
       NULL);
  MlirOperation at = mlirOperationGetNextInBlock(guard);
  tlOp(&b, at, "gpu.barrier", 0, NULL, (MlirType){NULL}, 0, NULL);
  /* The parities (bit k: slot k's, at most 32 slots), flipped by every
     completed wait. */
  MlirType pt = mlirMemRefTypeContiguousGet(mlirIntegerTypeGet(ctx, 32), 0,
                                            NULL, (MlirAttribute){NULL});
  MlirNamedAttribute seg =
      tlNamed(ctx, "operandSegmentSizes",
              mlirDenseI32ArrayGet(ctx, 2, (int32_t[]){0, 0}));
  m->phase = tlOp(&b, at, "memref.alloca", 0, NULL, pt, 1, &seg);
  MlirValue sops[2] = {tlI32Const(&b, at, 0), m->phase};
  tlOp(&b, at, "memref.store", 2, sops, (MlirType){NULL}, 0, NULL);
}

MlirOperation tlEntryElected(MlirOperation func, MlirLocation loc,
                             const int64_t xyz[3], TlConstPlace place,
                             MlirValue *is0, MlirOperation *thenYield) {
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  TlBuild b;
  tlBuildInit(&b, mlirBlockGetFirstOperation(entry), loc, place);
  MlirValue tid = tlLinearThreadId(&b, b.at, xyz);
  *is0 = tlCmp(&b, b.at, TlCmpEq, tid, tlCst(&b, 0));
  MlirOperation guard = tlIf(&b, b.at, *is0, 0, NULL, thenYield, NULL);
  tlBuildFinish(&b);
  return guard;
}

void tlMbarrierSlotError(MlirOperation op, int slot) {
  tlOpError(op,
            "needs mbarrier slot %d of its function, but a function has %d "
            "(slot 0, then one per asynchronous copy on an mbarrier and one "
            "per stage of an N-way buffer a loop carries copies of)",
            slot, TL_MBARRIER_MAX_SLOTS);
}

void tlMbarrierUse(const TlMbarriers *m, int slot, TlAsync *a) {
  a->bar = m->bar[slot];
  a->phase = m->phase;
  a->slot = slot;
}

MlirValue tlMbarrierPtr(TlBuild *b, MlirOperation at, MlirValue base,
                        MlirValue slot) {
  MlirValue ops[2] = {slot, tlBuildIndexConstant(at, b->loc, 8)};
  MlirValue off = tlOp(b, at, "arith.muli", 2, ops, b->index, 0, NULL);
  MlirValue aops[2] = {base, off};
  MlirValue addr = tlOp(b, at, "arith.addi", 2, aops, b->index, 0, NULL);
  return tlIndexToPtr(b, at, addr, 3);
}

MlirValue tlMbarrierSlotPtr(TlBuild *b, MlirOperation at, const TlMbarriers *m,
                            MlirValue slotV) {
  return tlMbarrierPtr(b, at, m->base, slotV);
}

//===--------------------------------------------------------------------===//
// tl-lower-copy's per-function state
//===--------------------------------------------------------------------===//

/* The slots `func`'s copies need: 0 when none completes on the mbarrier,
   else one past the highest slot (copy/Async.c gives them), plus one per
   TMA tl.c2d_im2col_async of the function: tl-lower-im2col, which runs
   later, takes the last slots (design.md §8.1; tlMbarrierCheckIm2ColSlots
   checked the sum when planning). */
static int funcMbarrierSlots(const TlEmitter *e, MlirOperation func) {
  int slots = 0;
  for (size_t i = 0; i < e->nAll; ++i)
    if (tlInstImpl(e->all[i].inst)->completion == TlCompleteMbarrier &&
        mlirOperationEqual(e->all[i].func, func) &&
        e->all[i].slot + 1 > slots)
      slots = e->all[i].slot + 1;
  int im2col = slots ? tlMbarrierIm2ColSlots(func) : 0;
  return slots + im2col > TL_MBARRIER_MAX_SLOTS ? TL_MBARRIER_MAX_SLOTS
                                                 : slots + im2col;
}

bool tlMbarrierCheckIm2ColSlots(MlirOperation func, int slots) {
  if (slots + tlMbarrierIm2ColSlots(func) <= TL_MBARRIER_MAX_SLOTS)
    return true;
  TlOpList ops = {NULL, 0, 0};
  tlCollectOps(func, "tl.c2d_im2col_async", &ops);
  int k = slots;
  for (size_t i = 0; i < ops.n; ++i)
    if (tlInstOf(ops.ops[i]) == TlInstTmaIm2Col &&
        k++ == TL_MBARRIER_MAX_SLOTS) {
      tlMbarrierSlotError(ops.ops[i], TL_MBARRIER_MAX_SLOTS);
      break;
    }
  free(ops.ops);
  return false;
}

/* The set: made by tl-lower-im2col already (it must have the slots), or
   made here. */
static void funcMbarriers(TlEmitter *e, TlFuncTma *f, MlirOperation guard) {
  int slots = funcMbarrierSlots(e, f->func);
  if (slots == 0)
    return;
  if (!tlMbarrierFind(f->func, e->b.loc, &f->mbar)) {
    tlMbarrierMake(f->func, slots, e->b.loc, guard, &f->mbar);
    return;
  }
  if (f->mbar.slots < slots) {
    tlOpError(e->c->op,
              "needs %d mbarrier slots in its function, but the set an "
              "earlier pass made has %d",
              slots, f->mbar.slots);
    e->failed = true;
  }
}

TlFuncTma *tlFuncTma(TlEmitter *e) {
  TlFuncTmaList *l = e->funcs;
  if (mlirOperationIsNull(e->c->func)) /* a copy that is not TMA's */
    e->c->func = tlEnclosingFunc(e->c->op);
  MlirOperation func = e->c->func;
  for (size_t i = 0; i < l->n; ++i)
    if (mlirOperationEqual(l->v[i].func, func))
      return &l->v[i];
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 4;
    l->v = realloc(l->v, sizeof(TlFuncTma) * l->cap);
    if (!l->v)
      abort();
  }
  TlFuncTma *f = &l->v[l->n++];
  memset(f, 0, sizeof *f);
  f->func = func;
  /* The elected thread: linear thread id 0. */
  int64_t xyz[3] = {1, 1, 1};
  tlBlockSize(e->c->op, xyz);
  MlirOperation thenY;
  MlirOperation guard =
      tlEntryElected(func, e->b.loc, xyz, TlConstsInPlace, &f->is0, &thenY);
  f->initYield = thenY;
  funcMbarriers(e, f, guard);
  return f;
}

void tlPrefetchMap(TlEmitter *e, TlFuncTma *f, MlirValue map) {
  for (int i = 0; i < f->nMaps; ++i)
    if (mlirValueEqual(f->maps[i], map))
      return;
  if (f->nMaps < 16)
    f->maps[f->nMaps++] = map;
  MlirNamedAttribute tm =
      tlNamed(e->b.ctx, "tensormap", mlirUnitAttrGet(e->b.ctx));
  tlMk(&e->b, f->initYield, "nvvm.prefetch", 1, &map, 0, NULL, 1, &tm);
}

MlirValue tlL2Policy(TlEmitter *e, MlirOperation at) {
  TlLower *c = e->c;
  if (c->policy != TlEvictFirst && c->policy != TlEvictLast)
    return (MlirValue){NULL};
  MlirType i64 = mlirIntegerTypeGet(e->b.ctx, 64);
  return tlInlineAsm(
      &e->b, at,
      c->policy == TlEvictFirst
          ? "createpolicy.fractional.L2::evict_first.b64 $0, 1.0;"
          : "createpolicy.fractional.L2::evict_last.b64 $0, 1.0;",
      "=l", 0, NULL, &i64);
}


/* Before a bulk or TMA store reads shared memory: every thread's ordinary
   shared writes are made visible to the async proxy, then the block
   synchronizes (design.md §3). */
void tlAsyncProxyFenceAndBarrier(TlEmitter *e, MlirOperation at) {
  MlirNamedAttribute fa[2] = {
      tlNamed(e->b.ctx, "kind",
              mlirAttributeParseGet(e->b.ctx,
                                    mlirStringRefCreateFromCString(
                                        "#nvvm.proxy_kind<async.shared>"))),
      tlNamed(e->b.ctx, "space",
              mlirAttributeParseGet(e->b.ctx, mlirStringRefCreateFromCString(
                                                  "#nvvm.shared_space<cta>")))};
  tlMk(&e->b, at, "nvvm.fence.proxy", 0, NULL, 0, NULL, 2, fa);
  tlMk(&e->b, at, "gpu.barrier", 0, NULL, 0, NULL, 0, NULL);
}

//===--------------------------------------------------------------------===//
// Issue and completion
//===--------------------------------------------------------------------===//

MlirOperation tlOpenElected(TlEmitter *e, TlFuncTma *f, TlAsync *a) {
  MlirOperation y;
  tlBuildIfBefore(e->b.top, e->b.loc, f->is0, 0, NULL, &y, NULL);
  a->elected = f->is0;
  a->issuer = y;
  if (!mlirValueIsNull(a->slotV)) {
    /* A stage's barrier: the caller computed its pointer (a->bar). */
    a->phase = f->mbar.phase;
  } else if (f->mbar.slots > a->slot) {
    tlMbarrierUse(&f->mbar, a->slot, a);
  }
  return y;
}

void tlArmMbarrier(TlEmitter *e, TlAsync *a, MlirValue bytes) {
  a->kind = TlCompleteMbarrier;
  if (a->noArm)
    return;
  if (a->armBytes > 0)
    bytes = tlI32Const(&e->b, a->issuer, a->armBytes);
  MlirValue ops[2] = {a->bar, bytes};
  tlMk(&e->b, a->issuer, "nvvm.mbarrier.arrive.expect_tx", 2, ops, 0, NULL, 0,
       NULL);
}

void tlCommitBulkGroup(TlEmitter *e, TlAsync *a) {
  a->kind = TlCompleteBulkGroup;
  a->group = 0;
  tlMk(&e->b, a->issuer, "nvvm.cp.async.bulk.commit.group", 0, NULL, 0, NULL, 0,
       NULL);
}

MlirOperation tlAsyncWaitPoint(const TlEmitter *e, const TlAsync *a) {
  return mlirOperationIsNull(a->waitAt) ? e->b.top : a->waitAt;
}

void tlWaitParity(TlBuild *b, MlirOperation at, MlirValue bar, MlirValue bits,
                  intptr_t nIdx, const MlirValue *idx, MlirValue slot) {
  /* bit = 1 << slot; the parity is (bits >> slot) & 1; the wait flips it. */
  MlirType i32 = mlirIntegerTypeGet(b->ctx, 32);
  MlirValue slot32 =
      tlRes0(tlMk(b, at, "arith.index_cast", 1, &slot, 1, &i32, 0, NULL));
  MlirValue one = tlI32Const(b, at, 1);
  MlirValue shops[2] = {one, slot32};
  MlirValue bit = tlRes0(tlMk(b, at, "arith.shli", 2, shops, 1, &i32, 0, NULL));
  MlirValue lops[2] = {bits, nIdx ? idx[0] : (MlirValue){NULL}};
  MlirValue cur =
      tlRes0(tlMk(b, at, "memref.load", 1 + nIdx, lops, 1, &i32, 0, NULL));
  MlirValue rops[2] = {cur, slot32};
  MlirValue shifted =
      tlRes0(tlMk(b, at, "arith.shrui", 2, rops, 1, &i32, 0, NULL));
  MlirValue aops[2] = {shifted, one};
  MlirValue ph = tlRes0(tlMk(b, at, "arith.andi", 2, aops, 1, &i32, 0, NULL));
  MlirValue wops[3] = {bar, ph, tlI32Const(b, at, 10000000)};
  tlMk(b, at, "nvvm.mbarrier.try_wait.parity", 3, wops, 0, NULL, 0, NULL);
  MlirValue xops[2] = {cur, bit};
  MlirValue flipped =
      tlRes0(tlMk(b, at, "arith.xori", 2, xops, 1, &i32, 0, NULL));
  MlirValue sops[3] = {flipped, bits, nIdx ? idx[0] : (MlirValue){NULL}};
  tlMk(b, at, "memref.store", 2 + nIdx, sops, 0, NULL, 0, NULL);
}

void tlWaitMbarrier(TlEmitter *e, TlLower *c, TlAsync *a) {
  (void)c;
  MlirOperation at = tlAsyncWaitPoint(e, a);
  MlirValue slot = mlirValueIsNull(a->slotV) ? tlCst(&e->b, a->slot) : a->slotV;
  if (!mlirValueIsNull(a->slotV) && mlirValueIsNull(a->bar))
    /* a stage's barrier, found at run time */
    a->bar = tlMbarrierSlotPtr(&e->b, at, &tlFuncTma(e)->mbar, a->slotV);
  tlWaitParity(&e->b, at, a->bar, a->phase, 0, NULL, slot);
}

void tlWaitBulkGroupRead(TlEmitter *e, TlLower *c, TlAsync *a) {
  (void)c;
  /* Only the issuing thread has groups to wait on; without its block (a
     completion placed apart from its issue) the wait opens its own. */
  MlirOperation at = tlAsyncWaitPoint(e, a), y = a->issuer;
  if (mlirOperationIsNull(y))
    tlBuildIfBefore(at, e->b.loc, a->elected, 0, NULL, &y, NULL);
  MlirNamedAttribute wa[2] = {
      tlNamed(e->b.ctx, "group",
              mlirIntegerAttrGet(mlirIntegerTypeGet(e->b.ctx, 32), a->group)),
      tlNamed(e->b.ctx, "read", mlirUnitAttrGet(e->b.ctx))};
  tlMk(&e->b, y, "nvvm.cp.async.bulk.wait_group", 0, NULL, 0, NULL, 2, wa);
  tlMk(&e->b, at, "gpu.barrier", 0, NULL, 0, NULL, 0, NULL);
}
