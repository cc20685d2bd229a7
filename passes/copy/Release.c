/* The stage release of a pipelined loop (docs/pipeline.md, "The stage
 * release"): tl-pipeline puts a `gpu.barrier` after each iteration's
 * tl.wait, before the refill of the stage read L+1 iterations earlier.
 * With `tl.stage_release = "mbarrier"` on the loop it is tagged
 * `{tl.stage_release = "mbarrier"}`, and when every copy refilled there is
 * issued by one thread and completes on an mbarrier (tma_load, bulk_load,
 * tma_im2col) only that thread has to know the stage is free:
 * tl-lower-copy replaces the barrier, before it places its own barriers,
 * by an *empty* mbarrier per stage:
 *
 *   - every warp arrives on the empty barrier of the stage being refilled
 *     (its lanes' reads of it are done: a bar.warp.sync, then lane 0's
 *     mbarrier.arrive, release semantics; every thread arrives when the
 *     block is not a whole number of warps);
 *   - thread 0, the issuer, waits for that phase (every warp has arrived)
 *     by parity and flips the parity, kept in a private i32 (bit s: stage
 *     s), then goes on to the refill;
 *   - every other thread goes straight on to its reads of the stage it
 *     waited for.
 *
 * One arrival per warp and one wait per iteration, on every path (the
 * refill's predicate does not matter: a refill predicated off still arms
 * the stage's full barrier with 0 bytes, so its issuer must know every
 * thread has waited for the stage's last phase), so each stage's empty
 * barrier completes one phase per iteration that refills it, and the
 * thread's parity always names that phase. A loop run again by an outer
 * loop starts with every phase complete (thread 0 waited for each).
 * Where a refill is cp.async or SIMT (every thread issues it) the request
 * is a located error. Not the default: on the H200 the block barrier was
 * as fast for the GEMMs and faster for the convolutions (docs/pipeline.md). */
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "Diag.h"
#include "IRBuild.h"
#include "Lower.h"
#include "Support.h"

/* What one release barrier guards: the refills after it in its block. */
typedef struct Release {
  MlirOperation barrier;
  MlirOperation first; /* the first refill: the release goes before it,
                          after the stage's arithmetic */
  MlirValue stage; /* the stage the refills write (one for all) */
  int64_t stages;  /* N: dim 0 of their N-way buffers */
  int64_t xyz[3];  /* the block */
} Release;

static bool isStageTag(MlirOperation op, const char *tag) {
  MlirAttribute a = tlGetAttr(op, "tl.stage");
  if (mlirAttributeIsNull(a) || !mlirAttributeIsAString(a))
    return false;
  MlirStringRef s = mlirStringAttrGetValue(a);
  return s.length == strlen(tag) && memcmp(s.data, tag, s.length) == 0;
}

/* The region a refill writes (tl-pipeline's "ahead" stage), or null. */
static MlirOperation refillRegion(MlirOperation op) {
  if (!tlOperationIsACopyAsync(op) && !tlOperationIsAnIm2ColAsync(op))
    return (MlirOperation){NULL};
  MlirValue dst = mlirOperationGetOperand(op, 1);
  if (!mlirValueIsAOpResult(dst))
    return (MlirOperation){NULL};
  MlirOperation r = mlirOpResultGetOwner(dst);
  return tlOperationIsARegion(r) && isStageTag(r, "ahead") ? r
                                                           : (MlirOperation){NULL};
}

static bool singleIssuer(TlInst inst) {
  return inst == TlInstTmaLoad || inst == TlInstBulkLoad ||
         inst == TlInstTmaIm2Col;
}

/* Reads the refills after `barrier`. NULL when the empty barriers can
   replace it; else why not, and *at the op that says so. */
static const char *readRelease(MlirOperation barrier, Release *r,
                               MlirOperation *at) {
  memset(r, 0, sizeof *r);
  r->barrier = barrier;
  *at = barrier;
  if (!tlBlockSize(barrier, r->xyz))
    return "its gpu.func has no known_block_size (the arrival count)";
  for (MlirOperation op = mlirOperationGetNextInBlock(barrier);
       !mlirOperationIsNull(op); op = mlirOperationGetNextInBlock(op)) {
    MlirOperation region = refillRegion(op);
    if (mlirOperationIsNull(region))
      continue;
    *at = op;
    if (mlirOperationIsNull(r->first))
      r->first = op;
    TlInst inst = tlInstOf(op);
    if (!singleIssuer(inst))
      return inst == TlInstNone
                 ? "a refill has no instruction (run tl-infer-layouts first)"
             : inst == TlInstCpAsync
                 ? "a refill is cp_async, which every thread issues"
                 : "a refill is simt, which every thread runs";
    /* tl-pipeline's refill writes one stage: index 0 of an N-way memref
       (hand-written IR may tag anything). */
    MlirType bt = mlirValueGetType(tlRegionOpGetBuffer(region));
    MlirValue s = tlRegionOpGetNumIndices(region) > 0
                      ? tlRegionOpGetIndex(region, 0)
                      : (MlirValue){NULL};
    if (!mlirTypeIsAMemRef(bt) || mlirShapedTypeGetRank(bt) < 1 ||
        mlirValueIsNull(s) || !mlirTypeIsAIndex(mlirValueGetType(s)) ||
        mlirShapedTypeIsDynamicDim(bt, 0))
      return "a refill does not write one stage of an N-way buffer";
    if (!mlirValueIsNull(r->stage) && !mlirValueEqual(s, r->stage))
      return "its refills write different stages";
    r->stage = s;
    r->stages = mlirShapedTypeGetDimSize(bt, 0);
  }
  *at = barrier;
  return mlirValueIsNull(r->stage) ? "no refill follows it" : NULL;
}

/* The name of a free module symbol `__tl_release_<function>_<k>`. */
static TlStr releaseName(MlirOperation func) {
  MlirStringRef fn = mlirStringAttrGetValue(tlGetAttr(func, "sym_name"));
  MlirBlock mod = mlirRegionGetFirstBlock(
      mlirOperationGetRegion(mlirOperationGetParentOperation(func), 0));
  for (int k = 0;; ++k) {
    TlStr s = {0};
    tlStrAppendf(&s, "__tl_release_%.*s_%d", (int)fn.length, fn.data, k);
    bool used = false;
    for (MlirOperation op = mlirBlockGetFirstOperation(mod);
         !mlirOperationIsNull(op) && !used; op = mlirOperationGetNextInBlock(op)) {
      MlirAttribute n = tlGetAttr(op, "sym_name");
      used = !mlirAttributeIsNull(n) && mlirAttributeIsAString(n) &&
             mlirStringAttrGetValue(n).length == s.len &&
             memcmp(mlirStringAttrGetValue(n).data, s.data, s.len) == 0;
    }
    if (!used)
      return s;
    tlStrFree(&s);
  }
}

/* The loop's empty barriers: a workgroup global of N i64, initialised at
   the function's entry by thread 0 with the arrival count (then a block
   barrier), and the parities (a private memref<1xi32>, all 0). Returns the
   barriers' base address (an index) and *phase. */
static MlirValue makeEmptyBarriers(const Release *r, MlirOperation func,
                                   int64_t arrivals, MlirValue *phase) {
  MlirLocation loc = mlirOperationGetLocation(r->barrier);
  MlirContext ctx = mlirLocationGetContext(loc);
  int64_t n = r->stages;
  TlStr sym = releaseName(func);
  MlirValue is0;
  MlirOperation thenY;
  MlirOperation guard =
      tlEntryElected(func, loc, r->xyz, TlConstsInPlace, &is0, &thenY);
  TlBuild b;
  tlBuildInit(&b, func, loc, TlConstsInPlace);
  MlirValue g = tlMbarrierGlobal(&b, func, mlirStringRefCreate(sym.data, sym.len),
                                 n, guard);
  tlStrFree(&sym);
  MlirValue base = tlOp(&b, guard, "memref.extract_aligned_pointer_as_index",
                        1, &g, b.index, 0, NULL);
  for (int64_t s = 0; s < n; ++s) {
    MlirValue iops[2] = {
        tlMbarrierPtr(&b, thenY, base, tlBuildIndexConstant(thenY, loc, s)),
        tlI32Const(&b, thenY, arrivals)};
    tlOp(&b, thenY, "nvvm.mbarrier.init", 2, iops, (MlirType){NULL}, 0, NULL);
  }
  tlOp(&b, thenY, "nvvm.fence.mbarrier.init", 0, NULL, (MlirType){NULL}, 0,
       NULL);
  MlirOperation after = mlirOperationGetNextInBlock(guard);
  tlOp(&b, after, "gpu.barrier", 0, NULL, (MlirType){NULL}, 0, NULL);
  int64_t one = 1;
  MlirType pt = mlirMemRefTypeContiguousGet(mlirIntegerTypeGet(ctx, 32), 1,
                                            &one, (MlirAttribute){NULL});
  MlirNamedAttribute seg = tlNamed(
      ctx, "operandSegmentSizes", mlirDenseI32ArrayGet(ctx, 2, (int32_t[]){0, 0}));
  *phase = tlOp(&b, after, "memref.alloca", 0, NULL, pt, 1, &seg);
  MlirValue sops[3] = {tlI32Const(&b, after, 0), *phase,
                       tlBuildIndexConstant(after, loc, 0)};
  tlOp(&b, after, "memref.store", 3, sops, (MlirType){NULL}, 0, NULL);
  tlBuildFinish(&b);
  return base;
}

/* The release in place of the barrier: the warps' arrivals, thread 0's
   wait and parity flip. */
static void emitRelease(const Release *r, MlirValue base, MlirValue phase,
                        bool perWarp) {
  MlirOperation at = r->first;
  TlBuild b;
  tlBuildInit(&b, at, mlirOperationGetLocation(at), TlConstsInPlace);
  MlirValue tid = tlLinearThreadId(&b, at, r->xyz);
  MlirValue bar = tlMbarrierPtr(&b, at, base, r->stage);
  MlirOperation arriveAt = at, y;
  if (perWarp) {
    MlirValue mask = tlI32Const(&b, at, -1);
    tlOp(&b, at, "nvvm.bar.warp.sync", 1, &mask, (MlirType){NULL}, 0, NULL);
    MlirValue lane0 = tlCmp(&b, at, TlCmpEq, tlRemK(&b, at, tid, 32), tlCst(&b, 0));
    tlIf(&b, at, lane0, 0, NULL, &y, NULL);
    arriveAt = y;
  }
  tlOp(&b, arriveAt, "nvvm.mbarrier.arrive", 1, &bar, (MlirType){NULL}, 0, NULL);
  MlirValue c0 = tlCst(&b, 0);
  MlirValue is0 = tlCmp(&b, at, TlCmpEq, tid, c0);
  tlIf(&b, at, is0, 0, NULL, &y, NULL);
  tlWaitParity(&b, y, bar, phase, 1, &c0, r->stage);
  tlBuildFinish(&b);
  mlirOperationDestroy(r->barrier);
}

static MlirWalkResult collectReleases(MlirOperation op, void *list) {
  MlirAttribute a = tlGetAttr(op, "tl.stage_release");
  if (tlOpIsNamed(op, "gpu.barrier") && !mlirAttributeIsNull(a) &&
      mlirAttributeIsAString(a))
    tlOpListPush(list, op);
  return MlirWalkResultAdvance;
}

/* Why `barrier`'s loop keeps its block barrier, or NULL; r read. */
static const char *blocker(MlirOperation barrier, Release *r,
                           MlirOperation *at) {
  const char *why = readRelease(barrier, r, at);
  if (!why && mlirOperationIsNull(tlEnclosingOp(barrier, "gpu.func")))
    why = "it is not in a gpu.func";
  if (!why && (r->stages < 1 || r->stages > 32))
    why = "its buffers have more than 32 stages (one parity bit each)";
  return why;
}

const char *tlStageReleaseBlocker(MlirOperation barrier) {
  Release r;
  MlirOperation at;
  return blocker(barrier, &r, &at);
}

bool tlLowerStageReleases(MlirOperation root) {
  TlOpList list = {NULL, 0, 0};
  mlirOperationWalk(root, collectReleases, &list, MlirWalkPreOrder);
  /* Every request checked before anything changes (a failed pass leaves
     the IR as it was). */
  Release *rs = tlXmalloc(sizeof(Release) * (list.n + 1));
  bool ok = true;
  for (size_t i = 0; i < list.n; ++i) {
    MlirOperation at;
    const char *why = blocker(list.ops[i], &rs[i], &at);
    if (why) {
      tlOpError(at, "tl.stage_release = \"mbarrier\" cannot release this "
                    "loop's stages: %s; tl.stage_release = \"barrier\" "
                    "(the default) keeps the block barrier",
                why);
      ok = false;
    }
  }
  for (size_t i = 0; i < list.n && ok; ++i) {
    const Release *r = &rs[i];
    int64_t threads = r->xyz[0] * r->xyz[1] * r->xyz[2];
    bool perWarp = threads % 32 == 0;
    MlirValue phase;
    MlirValue base =
        makeEmptyBarriers(r, tlEnclosingOp(r->barrier, "gpu.func"),
                          perWarp ? threads / 32 : threads, &phase);
    emitRelease(r, base, phase, perWarp);
  }
  free(rs);
  free(list.ops);
  return ok;
}
