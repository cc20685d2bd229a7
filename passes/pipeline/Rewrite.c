/* tl-pipeline's rewrite of one planned loop (Pipeline.h; the output is
 * described in docs/pipeline.md). For N stages and the pipelined copies
 * c_1..c_m of the loop `for %iv = lb to ub step s` (trip count T):
 *
 *   - each c_k's buffer %S_k becomes N-way (memref<N x ...>), stage j of
 *     iteration i being i mod N; uses in the body read the current stage
 *     (a tl.region with the stage index first, or a rank-reducing
 *     memref.subview for other ops);
 *   - before the loop, stages 0..N-2 are issued: for stage j,
 *     tl.copy_async of every c_k for iteration j (predicated on j < T),
 *     the tl.copy ones joined into one token, each im2col its own (the
 *     stage's token groups);
 *   - the loop carries (N-1) x groups tokens, oldest stage first; at the
 *     position of the first pipelined copy the body waits for the oldest (this
 *     iteration's stage), synchronizes the block (every thread is done
 *     with the stage the previous iteration read), then issues iteration
 *     i+N-1 into that stage (predicated on i+N-1 < T) and yields the
 *     younger tokens and the new one;
 *   - after the loop, one tl.wait takes the N-1 tokens left (copies of
 *     iterations >= T, all predicated off, or of a loop that ran fewer than
 *     N-1 times).
 *
 * Coordinates of a later iteration are clamped to the last iteration
 * (min(iv', lb + (T-1) s)) so that index ranges stay those of the loop and
 * a predicated-off copy never names memory outside its buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "Diag.h"
#include "Fold.h"
#include "IRBuild.h"
#include "Pipeline.h"
#include "Side.h"
#include "Support.h"
#include "tl-c/Attributes.h"
#include "tl-c/Ops.h"

/* Clone maps: values of the body -> their clone for another iteration. */
#define MAP_MAX 256

typedef struct ValueMap {
  MlirValue from[MAP_MAX], to[MAP_MAX];
  int n;
} ValueMap;

/* The state of one rewrite. */
typedef struct Rw {
  TlPipeLoop *p;
  TlBuild b;  /* index arithmetic, constants ahead of the loop */
  MlirContext ctx;
  MlirLocation loc;
  MlirType index, i1, token;
  MlirValue trip, last; /* T, lb + (max(T,1)-1) s */
  MlirValue cur;        /* the body's stage: ((iv - lb) / s) mod N */
  MlirValue iter;       /* (iv - lb) / s */
  MlirOperation head;   /* the body's first op before the rewrite */
  bool failed;
} Rw;

//===--------------------------------------------------------------------===//
// Index arithmetic
//===--------------------------------------------------------------------===//

static MlirValue op2(Rw *w, MlirOperation at, const char *name, MlirValue a,
                     MlirValue c) {
  return tlBinop(&w->b, at, name, a, c);
}

/* T = max(ceildiv(ub - lb, s), 0) and lb + (max(T, 1) - 1) s, before the
   loop: the trip count and the last iteration's induction value. */
static void tripCount(Rw *w) {
  TlPipeLoop *p = w->p;
  MlirOperation at = p->loop;
  int64_t lb, ub, st;
  if (tlIsConst(p->lb, &lb) && tlIsConst(p->ub, &ub) && tlIsConst(p->step, &st) &&
      st > 0) { /* folded: the common case */
    int64_t t = ub > lb ? (ub - lb + st - 1) / st : 0;
    w->trip = tlCst(&w->b, t);
    w->last = tlCst(&w->b, lb + (t > 0 ? t - 1 : 0) * st);
    return;
  }
  MlirValue d = tlSubV(&w->b, at, p->ub, p->lb);
  MlirValue t = op2(w, at, "arith.ceildivsi", d, p->step);
  w->trip = op2(w, at, "arith.maxsi", t, tlCst(&w->b, 0));
  MlirValue tm1 = op2(w, at, "arith.maxsi", tlSubV(&w->b, at, w->trip, tlCst(&w->b, 1)),
                      tlCst(&w->b, 0));
  w->last = tlAddV(&w->b, at, p->lb, tlMulV(&w->b, at, tm1, p->step));
}

/* The induction value of iteration `i` (an index value), clamped to the
   last iteration, before `at`. */
static MlirValue ivOf(Rw *w, MlirOperation at, MlirValue i) {
  TlPipeLoop *p = w->p;
  MlirValue iv = tlAddV(&w->b, at, p->lb, tlMulV(&w->b, at, i, p->step));
  int64_t a, l;
  if (tlIsConst(iv, &a) && tlIsConst(w->last, &l))
    return tlCst(&w->b, a < l ? a : l);
  return op2(w, at, "arith.minsi", iv, w->last);
}

/* i < T, folded when both are constants. */
static MlirValue before(Rw *w, MlirOperation at, MlirValue i) {
  int64_t a, t;
  if (tlIsConst(i, &a) && tlIsConst(w->trip, &t))
    return tlIntConst(&w->b, at, w->b.i1, a < t);
  return tlCmp(&w->b, at, 2 /* slt */, i, w->trip);
}

//===--------------------------------------------------------------------===//
// Cloning a copy for another iteration
//===--------------------------------------------------------------------===//

static MlirValue mapped(const ValueMap *m, MlirValue v) {
  for (int i = 0; i < m->n; ++i)
    if (mlirValueEqual(m->from[i], v))
      return m->to[i];
  return (MlirValue){NULL};
}

static void mapAdd(Rw *w, ValueMap *m, MlirValue from, MlirValue to) {
  if (m->n == MAP_MAX) {
    w->failed = true;
    return;
  }
  m->from[m->n] = from;
  m->to[m->n++] = to;
}

/* `v` for the iteration whose induction value the map gives (the plan
   checked it is available): defined outside the loop, itself; else its
   op cloned before `at` with its operands mapped. */
static MlirValue cloneValue(Rw *w, ValueMap *m, MlirValue v, MlirOperation at) {
  MlirValue got = mapped(m, v);
  if (!mlirValueIsNull(got))
    return got;
  if (mlirValueIsABlockArgument(v) || w->failed)
    return v; /* from outside the loop (the plan checked) */
  MlirOperation def = mlirOpResultGetOwner(v);
  MlirOperation top = w->p->loop;
  bool inside = false;
  for (MlirOperation q = def; !mlirOperationIsNull(q);
       q = mlirOperationGetParentOperation(q))
    inside |= mlirOperationEqual(q, top);
  if (!inside)
    return v;
  MlirOperation c = mlirOperationClone(def);
  mlirBlockInsertOwnedOperationBefore(mlirOperationGetBlock(at), at, c);
  for (intptr_t i = 0; i < mlirOperationGetNumOperands(def); ++i)
    mlirOperationSetOperand(
        c, i, cloneValue(w, m, mlirOperationGetOperand(def, i), c));
  for (intptr_t i = 0; i < mlirOperationGetNumResults(def); ++i)
    mapAdd(w, m, mlirOperationGetResult(def, i), mlirOperationGetResult(c, i));
  return mapped(m, v);
}

/* Tags a stage region for tl-lower-copy's barriers (copy/Barriers.c): a
   refill's ("ahead") and the body's ("current") are different stages. */
static void tagStage(Rw *w, MlirOperation region, const char *tag) {
  tlSetAttr(region, "tl.stage",
            mlirStringAttrGet(w->ctx, mlirStringRefCreateFromCString(tag)));
}

/* The destination region of stage `stage` of the copy's N-way buffer: the
   original side (the whole buffer or a tl.region of it) with the stage
   index in front, extent 1. */
static MlirValue stageRegion(Rw *w, ValueMap *m, const TlPipeCopy *c,
                             MlirValue side, MlirValue stage, TlAccess access,
                             MlirOperation at) {
  MlirType t = mlirValueGetType(c->buf);
  intptr_t r = mlirShapedTypeGetRank(t); /* the N-way rank */
  MlirValue idx[TL_SIDE_MAX_RANK + 1];
  int64_t ext[TL_SIDE_MAX_RANK + 1];
  idx[0] = stage;
  ext[0] = 1;
  bool hasExt = true;
  MlirOperation region = mlirValueIsAOpResult(side) &&
                                 tlOperationIsARegion(mlirOpResultGetOwner(side))
                             ? mlirOpResultGetOwner(side)
                             : (MlirOperation){NULL};
  for (intptr_t d = 1; d < r; ++d) {
    if (mlirOperationIsNull(region)) {
      idx[d] = tlCst(&w->b, 0);
      ext[d] = mlirShapedTypeGetDimSize(t, d);
      continue;
    }
    MlirValue i = tlRegionOpGetIndex(region, d - 1);
    idx[d] = m ? cloneValue(w, m, i, at) : i;
    hasExt = tlRegionOpHasExtents(region);
    ext[d] = hasExt ? tlRegionOpGetExtent(region, d - 1) : 0;
  }
  if (!mlirOperationIsNull(region))
    access = (TlAccess)tlRegionOpGetAccess(region);
  MlirOperation op = tlRegionOpCreate(w->loc, c->buf, r, idx, access,
                                      hasExt ? r : 0, ext);
  mlirBlockInsertOwnedOperationBefore(mlirOperationGetBlock(at), at, op);
  tagStage(w, op, m ? "ahead" : "current");
  return mlirOperationGetResult(op, 0);
}

/* tl.copy_async (or tl.c2d_im2col_async) of copy c for the iteration
   whose induction value is `iv`, into stage `stage`, predicated on
   `pred`, before `at`: the op's operands cloned for that iteration, its
   attributes kept, a `tl.pipeline` note of the stages. */
static MlirValue issue(Rw *w, const TlPipeCopy *c, MlirValue iv,
                       MlirValue stage, MlirValue pred, MlirOperation at,
                       bool inLoop) {
  ValueMap *m = calloc(1, sizeof *m);
  if (!m)
    abort();
  mapAdd(w, m, w->p->iv, iv);
  intptr_t n = mlirOperationGetNumOperands(c->op);
  MlirValue ops[6];
  for (intptr_t i = 0; i < n && i < 5; ++i)
    ops[i] = i == 1 ? stageRegion(w, m, c, mlirOperationGetOperand(c->op, 1),
                                  stage, TlAccessWrite, at)
                    : cloneValue(w, m, mlirOperationGetOperand(c->op, i), at);
  ops[n] = pred;
  free(m);
  MlirOperationState st = mlirOperationStateGet(
      mlirStringRefCreateFromCString(c->im2col ? "tl.c2d_im2col_async"
                                               : "tl.copy_async"),
      mlirOperationGetLocation(c->op));
  mlirOperationStateAddOperands(&st, n + 1, ops);
  mlirOperationStateAddResults(&st, 1, &w->token);
  intptr_t na = mlirOperationGetNumAttributes(c->op);
  for (intptr_t i = 0; i < na; ++i) {
    MlirNamedAttribute a = mlirOperationGetAttribute(c->op, i);
    mlirOperationStateAddAttributes(&st, 1, &a);
  }
  MlirOperation op = mlirOperationCreate(&st);
  mlirBlockInsertOwnedOperationBefore(mlirOperationGetBlock(at), at, op);
  /* The report's line (passes/copy/Report.c): the steady state's copy
     stands for the prologue's. */
  char note[256];
  int64_t ns = w->p->stages, all = 0;
  for (int k = 0; k < w->p->n; ++k)
    all += w->p->copies[k].bytes * ns;
  int64_t ahead = w->p->ahead;
  int len = snprintf(note, sizeof note,
                     "pipelined: %lld stages, issued %lld iteration%s ahead; "
                     "%lld bytes of shared memory per stage, %lld in all",
                     (long long)ns, (long long)ahead, ahead == 1 ? "" : "s",
                     (long long)c->bytes, (long long)(c->bytes * ns));
  if (w->p->lag > 0 && len > 0 && (size_t)len < sizeof note)
    len += snprintf(note + len, sizeof note - (size_t)len,
                    "; a stage is refilled %lld iteration%s after it is read "
                    "(tl.reads_in_flight)",
                    (long long)(w->p->lag + 1), w->p->lag == 0 ? "" : "s");
  if (w->p->n > 1 && len > 0 && (size_t)len < sizeof note)
    snprintf(note + len, sizeof note - (size_t)len,
             " (the loop's %d pipelined buffers: %lld)", w->p->n,
             (long long)all);
  tlPipeNote(op, inLoop ? note : "prologue");
  return mlirOperationGetResult(op, 0);
}

/* The token groups of a stage: the tl.copy ops joined into one token (a
   lone copy's own), then one per tl.c2d_im2col (their lowering takes no
   tl.join); out[0, groups) in that order. */
static int stageGroups(const TlPipeLoop *p) {
  int copies = 0, im2cols = 0;
  for (int k = 0; k < p->n; ++k)
    p->copies[k].im2col ? ++im2cols : ++copies;
  return (copies > 0) + im2cols;
}

static void issueStage(Rw *w, MlirValue iv, MlirValue stage, MlirValue pred,
                       MlirOperation at, bool inLoop, MlirValue *out) {
  TlPipeLoop *p = w->p;
  MlirValue t[TL_PIPE_MAX_COPIES];
  int nc = 0, g = 1;
  MlirLocation loc = w->loc;
  for (int k = 0; k < p->n; ++k) {
    MlirValue tok = issue(w, &p->copies[k], iv, stage, pred, at, inLoop);
    if (p->copies[k].im2col) {
      out[g++] = tok;
    } else {
      if (nc == 0)
        loc = mlirOperationGetLocation(p->copies[k].op);
      t[nc++] = tok;
    }
  }
  if (nc == 0) { /* im2col only: no copy group in front */
    for (int k = 1; k < g; ++k)
      out[k - 1] = out[k];
    return;
  }
  if (nc == 1) {
    out[0] = t[0];
    return;
  }
  MlirOperation j = tlJoinOpCreate(loc, nc, t);
  mlirBlockInsertOwnedOperationBefore(mlirOperationGetBlock(at), at, j);
  out[0] = mlirOperationGetResult(j, 0);
}

//===--------------------------------------------------------------------===//
// The buffers
//===--------------------------------------------------------------------===//

/* memref<N x shape> in the buffer's memory space (identity layout). */
static void multiBuffer(Rw *w, const TlPipeCopy *c) {
  MlirType t = mlirValueGetType(c->buf);
  intptr_t r = mlirShapedTypeGetRank(t);
  int64_t shape[TL_SIDE_MAX_RANK + 1];
  shape[0] = w->p->stages;
  for (intptr_t d = 0; d < r; ++d)
    shape[d + 1] = mlirShapedTypeGetDimSize(t, d);
  mlirValueSetType(c->buf,
                   mlirMemRefTypeContiguousGet(mlirShapedTypeGetElementType(t),
                                               r + 1, shape,
                                               mlirMemRefTypeGetMemorySpace(t)));
}

/* A rank-reducing memref.subview of the current stage, for ops other than
   tl ops; made once per buffer at the head of the body. */
static MlirValue stageView(Rw *w, const TlPipeCopy *c, MlirOperation at) {
  MlirType t = mlirValueGetType(c->buf);
  intptr_t r = mlirShapedTypeGetRank(t);
  int64_t off[TL_SIDE_MAX_RANK + 1], size[TL_SIDE_MAX_RANK + 1],
      one[TL_SIDE_MAX_RANK + 1], shape[TL_SIDE_MAX_RANK], strides[TL_SIDE_MAX_RANK];
  int64_t stride = 1;
  for (intptr_t d = r - 1; d >= 0; --d) {
    off[d] = d == 0 ? mlirShapedTypeGetDynamicStrideOrOffset() : 0;
    size[d] = d == 0 ? 1 : mlirShapedTypeGetDimSize(t, d);
    one[d] = 1;
    if (d > 0) {
      shape[d - 1] = size[d];
      strides[d - 1] = stride;
    }
    stride *= mlirShapedTypeGetDimSize(t, d);
  }
  MlirAttribute layout = mlirStridedLayoutAttrGet(
      w->ctx, mlirShapedTypeGetDynamicStrideOrOffset(), r - 1, strides);
  MlirType vt = mlirMemRefTypeGet(mlirShapedTypeGetElementType(t), r - 1, shape,
                                  layout, mlirMemRefTypeGetMemorySpace(t));
  int32_t seg[4] = {1, 1, 0, 0};
  MlirNamedAttribute attrs[4] = {
      tlNamed(w->ctx, "static_offsets", mlirDenseI64ArrayGet(w->ctx, r, off)),
      tlNamed(w->ctx, "static_sizes", mlirDenseI64ArrayGet(w->ctx, r, size)),
      tlNamed(w->ctx, "static_strides", mlirDenseI64ArrayGet(w->ctx, r, one)),
      tlNamed(w->ctx, "operandSegmentSizes",
              mlirDenseI32ArrayGet(w->ctx, 4, seg))};
  MlirValue ops[2] = {c->buf, w->cur};
  return tlRes0(tlBuildOpBefore(at, "memref.subview", w->loc, 2, ops, 1, &vt,
                                4, attrs));
}

/* A tl.region of the buffer in the body: the stage index in front. */
static void restageRegion(Rw *w, const TlPipeCopy *c, MlirOperation region) {
  intptr_t n = tlRegionOpGetNumIndices(region);
  MlirValue idx[TL_SIDE_MAX_RANK + 1];
  int64_t ext[TL_SIDE_MAX_RANK + 1];
  bool hasExt = tlRegionOpHasExtents(region);
  idx[0] = w->cur;
  ext[0] = 1;
  for (intptr_t d = 0; d < n; ++d) {
    idx[d + 1] = tlRegionOpGetIndex(region, d);
    ext[d + 1] = hasExt ? tlRegionOpGetExtent(region, d) : 0;
  }
  MlirOperation op =
      tlRegionOpCreate(w->loc, c->buf, n + 1, idx,
                       (TlAccess)tlRegionOpGetAccess(region), hasExt ? n + 1 : 0,
                       ext);
  mlirBlockInsertOwnedOperationBefore(mlirOperationGetBlock(region), region, op);
  tagStage(w, op, "current");
  mlirValueReplaceAllUsesOfWith(mlirOperationGetResult(region, 0),
                                mlirOperationGetResult(op, 0));
  mlirOperationDestroy(region);
}

/* Every use of c's buffer in the body (after the copy, which is gone)
   now reads the current stage. */
static void restageUses(Rw *w, const TlPipeCopy *c, MlirOperation bodyTop) {
  MlirValue view = {NULL};
  TlOpList regions = {NULL, 0, 0};
  MlirOperation users[256];
  intptr_t pos[256];
  int n = 0;
  for (MlirOpOperand u = mlirValueGetFirstUse(c->buf);
       !mlirOpOperandIsNull(u) && n < 256; u = mlirOpOperandGetNextUse(u)) {
    users[n] = mlirOpOperandGetOwner(u);
    pos[n++] = mlirOpOperandGetOperandNumber(u);
  }
  for (int i = 0; i < n; ++i) {
    MlirOperation user = users[i];
    if (tlOperationIsARegion(user)) {
      if (mlirValueEqual(mlirOperationGetOperand(user, 0), c->buf) &&
          tlRegionOpGetNumIndices(user) + 1 ==
              mlirShapedTypeGetRank(mlirValueGetType(c->buf)))
        tlOpListPush(&regions, user);
      continue;
    }
    MlirStringRef nm = mlirIdentifierStr(mlirOperationGetName(user));
    if (nm.length > 3 && memcmp(nm.data, "tl.", 3) == 0) {
      MlirValue r = stageRegion(w, NULL, c, c->buf, w->cur,
                                pos[i] == 0 ? TlAccessRead : TlAccessWrite, user);
      mlirOperationSetOperand(user, pos[i], r);
      continue;
    }
    if (mlirValueIsNull(view))
      view = stageView(w, c, bodyTop);
    mlirOperationSetOperand(user, pos[i], view);
  }
  for (size_t i = 0; i < regions.n; ++i)
    restageRegion(w, c, regions.ops[i]);
  free(regions.ops);
}

//===--------------------------------------------------------------------===//
// The loop
//===--------------------------------------------------------------------===//

/* The prologue: stages 0..D-1 for iterations 0..D-1 (D = p->ahead, N-1
   without tl.reads_in_flight), before the loop. */
static void prologue(Rw *w, MlirValue *tokens) {
  TlPipeLoop *p = w->p;
  for (int64_t j = 0; j < p->ahead; ++j) {
    MlirValue cj = tlCst(&w->b, j);
    MlirValue pred = before(w, p->loop, cj);
    issueStage(w, ivOf(w, p->loop, cj), cj, pred, p->loop, false,
               tokens + j * stageGroups(p));
  }
}

/* A copy of the loop with `extra` more iter_args (init `inits`), taking
   over its body; returns it, the old loop's results redirected. */
static MlirOperation widenLoop(Rw *w, intptr_t extra, const MlirValue *inits) {
  MlirOperation old = w->p->loop;
  intptr_t nOps = mlirOperationGetNumOperands(old);
  intptr_t nRes = mlirOperationGetNumResults(old);
  MlirValue *ops = malloc(sizeof(MlirValue) * (size_t)(nOps + extra));
  MlirType *tys = malloc(sizeof(MlirType) * (size_t)(nRes + extra + 1));
  if (!ops || !tys)
    abort();
  for (intptr_t i = 0; i < nOps; ++i)
    ops[i] = mlirOperationGetOperand(old, i);
  for (intptr_t i = 0; i < extra; ++i)
    ops[nOps + i] = inits[i];
  for (intptr_t i = 0; i < nRes; ++i)
    tys[i] = mlirValueGetType(mlirOperationGetResult(old, i));
  for (intptr_t i = 0; i < extra; ++i)
    tys[nRes + i] = w->token;
  MlirOperationState st = mlirOperationStateGet(
      mlirStringRefCreateFromCString("scf.for"), mlirOperationGetLocation(old));
  mlirOperationStateAddOperands(&st, nOps + extra, ops);
  mlirOperationStateAddResults(&st, nRes + extra, tys);
  for (intptr_t i = 0; i < mlirOperationGetNumAttributes(old); ++i) {
    MlirNamedAttribute a = mlirOperationGetAttribute(old, i);
    MlirStringRef n = mlirIdentifierStr(a.name);
    if ((n.length == 13 && memcmp(n.data, "tl.num_stages", 13) == 0) ||
        (n.length == 18 && memcmp(n.data, "tl.reads_in_flight", 18) == 0) ||
        (n.length == 16 && memcmp(n.data, "tl.stage_release", 16) == 0))
      continue;
    mlirOperationStateAddAttributes(&st, 1, &a);
  }
  MlirRegion body = mlirRegionCreate();
  mlirRegionTakeBody(body, mlirOperationGetRegion(old, 0));
  mlirOperationStateAddOwnedRegions(&st, 1, &body);
  MlirOperation loop = mlirOperationCreate(&st);
  mlirBlockInsertOwnedOperationBefore(mlirOperationGetBlock(old), old, loop);
  for (intptr_t i = 0; i < nRes; ++i)
    mlirValueReplaceAllUsesOfWith(mlirOperationGetResult(old, i),
                                  mlirOperationGetResult(loop, i));
  mlirOperationDestroy(old);
  free(ops);
  free(tys);
  return loop;
}

/* The body: the stage of the iteration, the wait, the barrier, the
   refill and the rotated yield. */
static void steadyState(Rw *w, MlirOperation loop) {
  TlPipeLoop *p = w->p;
  MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(loop, 0));
  intptr_t g = stageGroups(p), k = p->ahead * g;
  MlirValue carried[TL_PIPE_MAX_STAGES * TL_PIPE_MAX_COPIES];
  for (intptr_t i = 0; i < k; ++i)
    carried[i] = mlirBlockAddArgument(body, w->token, w->loc);
  MlirOperation head = mlirBlockGetFirstOperation(body);
  w->head = head;
  /* The iteration and its stage, at the head (before any use). */
  w->iter = tlDivV(&w->b, head, tlSubV(&w->b, head, p->iv, p->lb), p->step);
  w->cur = tlRemK(&w->b, head, w->iter, p->stages);
  MlirOperation at = p->first;
  tlBuildOpBefore(at, "tl.wait", w->loc, g, carried, 0, NULL, 0, NULL);
  /* The release of the stage refilled below (read L+1 iterations ago);
     with tl.stage_release = "mbarrier" tagged, and tl-lower-copy makes it
     empty mbarriers (copy/Release.c). */
  MlirOperation release =
      tlBuildOpBefore(at, "gpu.barrier", w->loc, 0, NULL, 0, NULL, 0, NULL);
  if (p->emptyBarriers)
    tlSetAttr(release, "tl.stage_release",
              mlirStringAttrGet(w->ctx,
                                mlirStringRefCreateFromCString("mbarrier")));
  MlirValue ahead = tlAddV(&w->b, at, w->iter, tlCst(&w->b, p->ahead));
  MlirValue pred = before(w, at, ahead);
  MlirValue next[TL_PIPE_MAX_COPIES];
  issueStage(w, ivOf(w, at, ahead), tlRemK(&w->b, at, ahead, p->stages), pred,
             at, true, next);
  /* The younger stages' tokens move up one stage; the new ones go last. */
  MlirOperation yield = mlirBlockGetTerminator(body);
  intptr_t ny = mlirOperationGetNumOperands(yield);
  MlirValue *ys = malloc(sizeof(MlirValue) * (size_t)(ny + k));
  if (!ys)
    abort();
  for (intptr_t i = 0; i < ny; ++i)
    ys[i] = mlirOperationGetOperand(yield, i);
  for (intptr_t i = g; i < k; ++i)
    ys[ny + i - g] = carried[i];
  for (intptr_t i = 0; i < g; ++i)
    ys[ny + k - g + i] = next[i];
  mlirOperationSetOperands(yield, ny + k, ys);
  free(ys);
}

bool tlPipeRewrite(TlPipeLoop *p) {
  Rw w;
  memset(&w, 0, sizeof w);
  w.p = p;
  w.loc = mlirOperationGetLocation(p->loop);
  w.ctx = mlirLocationGetContext(w.loc);
  w.token = tlTokenTypeGet(w.ctx);
  tlBuildInit(&w.b, p->loop, w.loc, TlConstsGrouped);
  for (int k = 0; k < p->n; ++k)
    multiBuffer(&w, &p->copies[k]);
  tripCount(&w);
  MlirValue tokens[TL_PIPE_MAX_STAGES * TL_PIPE_MAX_COPIES];
  prologue(&w, tokens);
  intptr_t nOld = mlirOperationGetNumResults(p->loop);
  intptr_t nCarried = p->ahead * stageGroups(p);
  MlirOperation loop = widenLoop(&w, nCarried, tokens);
  p->loop = loop;
  w.b.top = w.b.at = loop; /* the old loop is gone */
  steadyState(&w, loop);
  /* The copies are gone (their stage issued ahead); their buffers' other
     uses read the current stage. */
  for (int k = 0; k < p->n; ++k) {
    MlirOperation c = p->copies[k].op;
    MlirValue s0 = mlirOperationGetOperand(c, 0), s1 = mlirOperationGetOperand(c, 1);
    mlirOperationDestroy(c);
    if (mlirValueIsAOpResult(s0))
      tlEraseIfUnused(mlirOpResultGetOwner(s0));
    if (mlirValueIsAOpResult(s1))
      tlEraseIfUnused(mlirOpResultGetOwner(s1));
  }
  /* The views go right after the stage index: w.head may have been one
     of the copies (the body's first op), gone now. */
  MlirOperation top = mlirBlockGetFirstOperation(
      mlirRegionGetFirstBlock(mlirOperationGetRegion(loop, 0)));
  if (mlirValueIsAOpResult(w.cur) &&
      mlirBlockEqual(mlirOperationGetBlock(mlirOpResultGetOwner(w.cur)),
                     mlirOperationGetBlock(top)))
    top = mlirOperationGetNextInBlock(mlirOpResultGetOwner(w.cur));
  for (int k = 0; k < p->n; ++k)
    restageUses(&w, &p->copies[k], top);
  /* The drain: the tokens of the stages left. */
  MlirValue left[TL_PIPE_MAX_STAGES * TL_PIPE_MAX_COPIES];
  for (intptr_t i = 0; i < nCarried; ++i)
    left[i] = mlirOperationGetResult(loop, nOld + i);
  MlirOperation after = mlirOperationGetNextInBlock(loop);
  tlBuildOpBefore(after, "tl.wait", w.loc, nCarried, left, 0, NULL, 0, NULL);
  tlBuildFinish(&w.b);
  if (w.failed)
    tlOpError(loop, "tl-pipeline: a copy's operands are too deep to clone");
  return !w.failed;
}
