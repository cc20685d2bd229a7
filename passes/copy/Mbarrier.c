/* The completion mechanisms of tl-lower-copy's asynchronous copies
 * (docs/tma.md; design.md §3): the per-function TMA state (the elected
 * thread, the mbarrier with its phase, the tensor-map prefetches), the
 * L2 cache policy and the async-proxy fence the issuers share, and the two
 * waits: an mbarrier waited on by parity (TMA and bulk loads) and the bulk
 * async-group read wait (TMA and bulk stores).
 *
 * The mbarrier is one per function: a private workgroup global
 * `__tl_mbar_<function>` of the gpu.module, initialised by thread 0 at the
 * function's entry, with the phase to wait on kept in a private i32 that
 * every completed load flips. */
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Dialect/LLVM.h>

#include "IRBuild.h"
#include "Lower.h"
#include "Support.h"

//===--------------------------------------------------------------------===//
// Per-function state
//===--------------------------------------------------------------------===//

/* Whether a copy of `func` completes on the mbarrier. */
static bool funcHasMbarrierCopy(const TlEmitter *e, MlirOperation func) {
  for (size_t i = 0; i < e->nAll; ++i)
    if (tlInstImpl(e->all[i].inst)->completion == TlCompleteMbarrier &&
        mlirOperationEqual(e->all[i].func, func))
      return true;
  return false;
}

/* The mbarrier: a private workgroup global of the gpu.module, as a shared
   pointer made at `at`. */
static MlirValue mbarrierGlobal(TlEmitter *e, MlirOperation func,
                                MlirOperation at) {
  MlirType index = tlIndexTy(e);
  MlirAttribute nameA = tlGetAttr(func, "sym_name");
  MlirStringRef fn = mlirStringAttrGetValue(nameA);
  TlStr sym = {0};
  tlStrAppendf(&sym, "__tl_mbar_%.*s", (int)fn.length, fn.data);
  int64_t one = 1;
  MlirAttribute wg = mlirAttributeParseGet(
      e->ctx, mlirStringRefCreateFromCString("#gpu.address_space<workgroup>"));
  MlirType barT = mlirMemRefTypeGet(mlirIntegerTypeGet(e->ctx, 64), 1, &one,
                                    (MlirAttribute){NULL}, wg);
  MlirNamedAttribute ga[4] = {
      tlNamed(
          e->ctx, "sym_name",
          mlirStringAttrGet(e->ctx, mlirStringRefCreate(sym.data, sym.len))),
      tlNamed(
          e->ctx, "sym_visibility",
          mlirStringAttrGet(e->ctx, mlirStringRefCreateFromCString("private"))),
      tlNamed(e->ctx, "type", mlirTypeAttrGet(barT)),
      tlNamed(e->ctx, "alignment", tlI64Attr(e, 8))};
  tlMk(e, func, "memref.global", 0, NULL, 0, NULL, 4, ga);
  MlirNamedAttribute gn = tlNamed(
      e->ctx, "name",
      mlirFlatSymbolRefAttrGet(e->ctx, mlirStringRefCreate(sym.data, sym.len)));
  tlStrFree(&sym);
  MlirValue g =
      tlRes0(tlMk(e, at, "memref.get_global", 0, NULL, 1, &barT, 1, &gn));
  MlirValue gi = tlRes0(tlMk(e, at, "memref.extract_aligned_pointer_as_index",
                             1, &g, 1, &index, 0, NULL));
  return tlIndexToPtr(e, at, gi, 3);
}

/* Thread 0 initialises the mbarrier (in the entry's elected block, thenY);
   every thread then waits for it and starts at phase 0. */
static void initMbarrier(TlEmitter *e, TlFuncTma *f, MlirOperation at) {
  MlirOperation thenY = f->initYield;
  MlirValue iops[2] = {f->bar, tlI32Const(e, thenY, 1)};
  tlMk(e, thenY, "nvvm.mbarrier.init", 2, iops, 0, NULL, 0, NULL);
  tlMk(e, thenY, "nvvm.fence.mbarrier.init", 0, NULL, 0, NULL, 0, NULL);
  tlMk(e, at, "gpu.barrier", 0, NULL, 0, NULL, 0, NULL);
  /* The phase of the mbarrier, flipped by every completed load. */
  int64_t one = 1;
  MlirType pt = mlirMemRefTypeContiguousGet(mlirIntegerTypeGet(e->ctx, 32), 1,
                                            &one, (MlirAttribute){NULL});
  MlirNamedAttribute seg = tlNamed(
      e->ctx, "operandSegmentSizes",
      mlirDenseI32ArrayGet(e->ctx, 2, (int32_t[]){0, 0}));
  f->phase = tlRes0(tlMk(e, at, "memref.alloca", 0, NULL, 1, &pt, 1, &seg));
  MlirValue sops[3] = {tlI32Const(e, at, 0), f->phase,
                       tlBuildIndexConstant(at, e->loc, 0)};
  tlMk(e, at, "memref.store", 3, sops, 0, NULL, 0, NULL);
}

TlFuncTma *tlFuncTma(TlEmitter *e) {
  TlFuncTmaList *l = e->funcs;
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
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  MlirOperation at = mlirBlockGetFirstOperation(entry);
  /* The elected thread: linear thread id 0. */
  int64_t xyz[3] = {1, 1, 1};
  tlBlockSize(e->c->op, xyz);
  MlirValue ops[2] = {tlLinearThreadId(e, at, xyz, false),
                      tlBuildIndexConstant(at, e->loc, 0)};
  MlirType i1 = mlirIntegerTypeGet(e->ctx, 1);
  MlirNamedAttribute eq = tlNamed(e->ctx, "predicate", tlI64Attr(e, 0));
  f->is0 = tlRes0(tlMk(e, at, "arith.cmpi", 2, ops, 1, &i1, 1, &eq));
  bool hasMbarrier = funcHasMbarrierCopy(e, func);
  if (hasMbarrier)
    f->bar = mbarrierGlobal(e, func, at);
  MlirOperation thenY;
  tlBuildIfBefore(at, e->loc, f->is0, 0, NULL, &thenY, NULL);
  f->initYield = thenY;
  if (hasMbarrier)
    initMbarrier(e, f, at);
  return f;
}

void tlPrefetchMap(TlEmitter *e, TlFuncTma *f, MlirValue map) {
  for (int i = 0; i < f->nMaps; ++i)
    if (mlirValueEqual(f->maps[i], map))
      return;
  if (f->nMaps < 16)
    f->maps[f->nMaps++] = map;
  MlirNamedAttribute tm = tlNamed(e->ctx, "tensormap", mlirUnitAttrGet(e->ctx));
  tlMk(e, f->initYield, "nvvm.prefetch", 1, &map, 0, NULL, 1, &tm);
}

MlirValue tlL2Policy(TlEmitter *e, MlirOperation at) {
  TlLower *c = e->c;
  if (c->policy != TlEvictFirst && c->policy != TlEvictLast)
    return (MlirValue){NULL};
  MlirType i64 = mlirIntegerTypeGet(e->ctx, 64);
  return tlInlineAsm(
      e, at,
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
      tlNamed(
          e->ctx, "kind",
          mlirAttributeParseGet(e->ctx, mlirStringRefCreateFromCString(
                                            "#nvvm.proxy_kind<async.shared>"))),
      tlNamed(e->ctx, "space",
              mlirAttributeParseGet(e->ctx, mlirStringRefCreateFromCString(
                                                "#nvvm.shared_space<cta>")))};
  tlMk(e, at, "nvvm.fence.proxy", 0, NULL, 0, NULL, 2, fa);
  tlMk(e, at, "gpu.barrier", 0, NULL, 0, NULL, 0, NULL);
}

//===--------------------------------------------------------------------===//
// Issue and completion
//===--------------------------------------------------------------------===//

MlirOperation tlOpenElected(TlEmitter *e, TlFuncTma *f, TlAsync *a) {
  MlirOperation y;
  tlBuildIfBefore(e->top, e->loc, f->is0, 0, NULL, &y, NULL);
  a->elected = f->is0;
  a->issuer = y;
  a->bar = f->bar;
  a->phase = f->phase;
  return y;
}

void tlArmMbarrier(TlEmitter *e, TlAsync *a, MlirValue bytes) {
  a->kind = TlCompleteMbarrier;
  MlirValue ops[2] = {a->bar, bytes};
  tlMk(e, a->issuer, "nvvm.mbarrier.arrive.expect_tx", 2, ops, 0, NULL, 0,
       NULL);
}

void tlCommitBulkGroup(TlEmitter *e, TlAsync *a) {
  a->kind = TlCompleteBulkGroup;
  a->group = 0;
  tlMk(e, a->issuer, "nvvm.cp.async.bulk.commit.group", 0, NULL, 0, NULL, 0,
       NULL);
}

void tlWaitMbarrier(TlEmitter *e, TlLower *c, TlAsync *a) {
  (void)c;
  MlirOperation at = e->top;
  MlirType i32 = mlirIntegerTypeGet(e->ctx, 32);
  MlirValue c0 = tlCst(e, 0);
  MlirValue lops[2] = {a->phase, c0};
  MlirValue ph = tlRes0(tlMk(e, at, "memref.load", 2, lops, 1, &i32, 0, NULL));
  MlirValue wops[3] = {a->bar, ph, tlI32Const(e, at, 10000000)};
  tlMk(e, at, "nvvm.mbarrier.try_wait.parity", 3, wops, 0, NULL, 0, NULL);
  MlirValue xops[2] = {ph, tlI32Const(e, at, 1)};
  MlirValue ph2 = tlRes0(tlMk(e, at, "arith.xori", 2, xops, 1, &i32, 0, NULL));
  MlirValue sops[3] = {ph2, a->phase, c0};
  tlMk(e, at, "memref.store", 3, sops, 0, NULL, 0, NULL);
}

void tlWaitBulkGroupRead(TlEmitter *e, TlLower *c, TlAsync *a) {
  (void)c;
  /* Only the issuing thread has groups to wait on; without its block (a
     completion placed apart from its issue) the wait opens its own. */
  MlirOperation y = a->issuer;
  if (mlirOperationIsNull(y))
    tlBuildIfBefore(e->top, e->loc, a->elected, 0, NULL, &y, NULL);
  MlirNamedAttribute wa[2] = {
      tlNamed(e->ctx, "group",
              mlirIntegerAttrGet(mlirIntegerTypeGet(e->ctx, 32), a->group)),
      tlNamed(e->ctx, "read", mlirUnitAttrGet(e->ctx))};
  tlMk(e, y, "nvvm.cp.async.bulk.wait_group", 0, NULL, 0, NULL, 2, wa);
  tlMk(e, e->top, "gpu.barrier", 0, NULL, 0, NULL, 0, NULL);
}
