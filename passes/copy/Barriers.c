/* The barriers tl-lower-copy inserts before it rewrites (docs/lower-copy.md):
 * a gpu.barrier goes before a tl op (tl.copy, tl.copy_async, tl.wait,
 * tl.c2d_im2col, tl.c2d_im2col_async) that touches a shared buffer an earlier tl op touched
 * since the last barrier, one of the two writing. Planned on the tl ops
 * themselves, so the copies' own lowering needs no knowledge of its
 * neighbours. An asynchronous copy touches its buffers at its issue and
 * again at its tl.wait (design.md §3), which counts as writing the
 * destination and reading the source (an asynchronous im2col alike: its
 * col tile and image); a wait never needs a barrier
 * against its own copy's issue. */
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "IRBuild.h"
#include "Lower.h"
#include "Support.h"

/* A shared buffer touched since the last barrier, and the tl op that
   touched it (a tl.wait never needs a barrier against its own copies'
   issue). */
typedef struct Touch {
  MlirValue buf;
  MlirOperation by;
} Touch;

typedef struct TouchSet {
  Touch *v;
  size_t n, cap;
} TouchSet;

/* The shared buffers a tl op reads and writes; a tl.wait reads and writes
   what the copies of its tokens do (`own`: those copies). */
typedef struct Access {
  MlirOperation op;
  MlirValue *reads, *writes;
  signed char *rstage, *wstage; /* each side's tl-pipeline stage tag */
  int nr, nw;
  MlirOperation *own;
  int nOwn;
} Access;

static bool owns(const Access *a, MlirOperation op) {
  for (int i = 0; i < a->nOwn; ++i)
    if (mlirOperationEqual(a->own[i], op))
      return true;
  return false;
}

/* Whether a tl op other than a's own copies touched `buf`. */
static bool touched(const TouchSet *s, MlirValue buf, const Access *a) {
  for (size_t i = 0; i < s->n; ++i)
    if (mlirValueEqual(s->v[i].buf, buf) && !owns(a, s->v[i].by))
      return true;
  return false;
}

static void touch(TouchSet *s, MlirValue buf, MlirOperation by) {
  for (size_t i = 0; i < s->n; ++i)
    if (mlirValueEqual(s->v[i].buf, buf) &&
        mlirOperationEqual(s->v[i].by, by))
      return;
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 8;
    s->v = realloc(s->v, sizeof(Touch) * s->cap);
    if (!s->v)
      abort();
  }
  s->v[s->n++] = (Touch){buf, by};
}

static MlirValue underlyingBuffer(MlirValue v) {
  if (mlirTypeIsAMemRef(mlirValueGetType(v)))
    return v;
  if (mlirValueIsAOpResult(v) && tlOperationIsARegion(mlirOpResultGetOwner(v)))
    return tlRegionOpGetBuffer(mlirOpResultGetOwner(v));
  return (MlirValue){NULL};
}

/* tl-pipeline's tag on a stage region of an N-way buffer (pipeline/
   Rewrite.c): 1 for the stage a refill writes ("ahead", iteration i+N-1),
   2 for the stage the body reads ("current", iteration i), 0 otherwise. */
static signed char stageTag(MlirValue v) {
  if (!mlirValueIsAOpResult(v) || !tlOperationIsARegion(mlirOpResultGetOwner(v)))
    return 0;
  MlirAttribute a = tlGetAttr(mlirOpResultGetOwner(v), "tl.stage");
  if (mlirAttributeIsNull(a) || !mlirAttributeIsAString(a))
    return 0;
  MlirStringRef t = mlirStringAttrGetValue(a);
  return t.length == 5 && !memcmp(t.data, "ahead", 5)     ? 1
         : t.length == 7 && !memcmp(t.data, "current", 7) ? 2
                                                          : 0;
}

static void addShared(MlirValue *list, signed char *stages, int *n,
                      MlirValue v) {
  MlirValue b = underlyingBuffer(v);
  if (!mlirValueIsNull(b) &&
      tlMemRefTypeGetScope(mlirValueGetType(b)) == TlScopeShared) {
    stages[*n] = stageTag(v);
    list[(*n)++] = b;
  }
}

/* Whether two accesses of one buffer may overlap, as far as a barrier
   between them goes: not when one is a pipelined loop's refill (or
   prologue issue) and the other its body's read of the current stage, or
   both are issues. Within an iteration they are different stages
   ((i+N-1) mod N != i mod N; the prologue's stages differ), and each
   stage's reuse across iterations is ordered by the stage's wait and the
   block barrier tl-pipeline puts after it, before the refill
   (docs/pipeline.md). */
static bool mayOverlap(signed char a, signed char b) {
  return !(a == 1 && b != 0) && !(b == 1 && a != 0);
}

static bool isTlOp(MlirOperation op) {
  return tlIsCopyOp(op) || tlIsIm2ColOp(op) ||
         tlOpIsNamed(op, "tl.wait");
}

/* A copy's own sides (operands 0 and 1 of tl.copy / tl.copy_async; an
   im2col's image and col tile are its operands 0 and 1 too). */
static void addCopySides(Access *a, MlirOperation copy) {
  addShared(a->reads, a->rstage, &a->nr, mlirOperationGetOperand(copy, 0));
  addShared(a->writes, a->wstage, &a->nw, mlirOperationGetOperand(copy, 1));
}

static Access accessOf(MlirOperation op) {
  intptr_t k = tlOpIsNamed(op, "tl.wait") ? mlirOperationGetNumOperands(op) : 1;
  Access a = {op, NULL, NULL, NULL, NULL, 0, 0, NULL, 0};
  a.reads = malloc(sizeof(MlirValue) * (size_t)(k + 1));
  a.writes = malloc(sizeof(MlirValue) * (size_t)(k + 1));
  a.rstage = malloc((size_t)(k + 1));
  a.wstage = malloc((size_t)(k + 1));
  a.own = malloc(sizeof(MlirOperation) * (size_t)(k + 1));
  if (!a.reads || !a.writes || !a.rstage || !a.wstage || !a.own)
    abort();
  if (tlIsCopyOp(op)) {
    addCopySides(&a, op);
  } else if (tlIsIm2ColOp(op)) {
    addShared(a.reads, a.rstage, &a.nr, tlIm2ColOpGetImage(op));
    addShared(a.writes, a.wstage, &a.nw, tlIm2ColOpGetColumn(op));
  } else {
    for (intptr_t i = 0; i < k; ++i) {
      MlirValue t = mlirOperationGetOperand(op, i);
      if (!mlirValueIsAOpResult(t) ||
          (!tlOperationIsACopyAsync(mlirOpResultGetOwner(t)) &&
           !tlOperationIsAnIm2ColAsync(mlirOpResultGetOwner(t))))
        continue;
      a.own[a.nOwn++] = mlirOpResultGetOwner(t);
      addCopySides(&a, mlirOpResultGetOwner(t));
    }
  }
  return a;
}

static void accessFree(Access *a) {
  free(a->reads);
  free(a->writes);
  free(a->rstage);
  free(a->wstage);
  free(a->own);
}

/* One of the two writes a buffer the other touches (a wait and its own
   copies never conflict). */
static bool conflict(const Access *x, const Access *y) {
  if (owns(x, y->op) || owns(y, x->op))
    return false;
  for (int i = 0; i < x->nw; ++i) {
    for (int j = 0; j < y->nr; ++j)
      if (mlirValueEqual(x->writes[i], y->reads[j]) &&
          mayOverlap(x->wstage[i], y->rstage[j]))
        return true;
    for (int j = 0; j < y->nw; ++j)
      if (mlirValueEqual(x->writes[i], y->writes[j]) &&
          mayOverlap(x->wstage[i], y->wstage[j]))
        return true;
  }
  for (int i = 0; i < x->nr; ++i)
    for (int j = 0; j < y->nw; ++j)
      if (mlirValueEqual(x->reads[i], y->writes[j]) &&
          mayOverlap(x->rstage[i], y->wstage[j]))
        return true;
  return false;
}

typedef struct AccessList {
  Access *v;
  size_t n, cap;
} AccessList;

static MlirWalkResult collectTlOps(MlirOperation op, void *ud) {
  AccessList *l = ud;
  if (isTlOp(op)) {
    if (l->n == l->cap) {
      l->cap = l->cap ? 2 * l->cap : 16;
      l->v = realloc(l->v, sizeof(Access) * l->cap);
      if (!l->v)
        abort();
    }
    l->v[l->n++] = accessOf(op);
  }
  return MlirWalkResultAdvance;
}

static bool isAncestor(MlirOperation anc, MlirOperation op) {
  for (MlirOperation p = mlirOperationGetParentOperation(op);
       !mlirOperationIsNull(p); p = mlirOperationGetParentOperation(p))
    if (mlirOperationEqual(p, anc))
      return true;
  return false;
}

/* Ops that neither touch memory nor synchronize: a barrier before them
   still orders what follows them. */
static bool isIndexOnly(MlirOperation op) {
  MlirStringRef n = mlirIdentifierStr(mlirOperationGetName(op));
  return mlirOperationGetNumRegions(op) == 0 &&
         ((n.length > 6 && memcmp(n.data, "arith.", 6) == 0) ||
          tlOpIsNamed(op, "tl.region") || tlOpIsNamed(op, "affine.apply"));
}

/* Whether the barrier state a walk of the block carries stays covered
   after `o`: a gpu.barrier covers, index arithmetic keeps it. */
static bool coveredAfter(bool covered, MlirOperation o) {
  return tlOpIsNamed(o, "gpu.barrier") || (covered && isIndexOnly(o));
}

static void buildBarrier(MlirOperation before) {
  tlBuildOpBefore(before, "gpu.barrier", mlirOperationGetLocation(before), 0,
                  NULL, 0, NULL, 0, NULL);
}

/* A barrier before `before` unless one is there already with only index
   arithmetic after it (tl-pipeline's release barrier before a refill, say).
   The C API has no previous-op link: this walks the block up to `before`
   (nested ops only: in the entry block a barrier clears the touch sets,
   so none is needed right after one). */
static void insertBarrier(MlirOperation before) {
  bool covered = false;
  for (MlirOperation o = mlirBlockGetFirstOperation(mlirOperationGetBlock(before));
       !mlirOperationIsNull(o) && !mlirOperationEqual(o, before);
       o = mlirOperationGetNextInBlock(o))
    covered = coveredAfter(covered, o);
  if (!covered)
    buildBarrier(before);
}

/* tl ops nested deeper than the entry block (loops, conditionals, other
   blocks) conservatively get a barrier whenever another tl op of the
   function conflicts with them. */
static void nestedBarriers(const AccessList *all, MlirBlock entry) {
  for (size_t i = 0; i < all->n; ++i) {
    if (mlirBlockEqual(mlirOperationGetBlock(all->v[i].op), entry))
      continue;
    for (size_t j = 0; j < all->n; ++j)
      if (j != i && conflict(&all->v[i], &all->v[j])) {
        insertBarrier(all->v[i].op);
        break;
      }
  }
}

/* A tl op of the entry block: a barrier before it when it touches what
   another op touched since the last barrier, one of the two writing. */
static void entryOp(MlirOperation op, TouchSet *R, TouchSet *W) {
  Access a = accessOf(op);
  bool need = false;
  for (int i = 0; i < a.nr; ++i)
    need |= touched(W, a.reads[i], &a);
  for (int i = 0; i < a.nw; ++i)
    need |= touched(W, a.writes[i], &a) || touched(R, a.writes[i], &a);
  if (need) { /* (a barrier just before would have cleared R and W) */
    buildBarrier(op);
    R->n = W->n = 0;
  }
  for (int i = 0; i < a.nr; ++i)
    touch(R, a.reads[i], op);
  for (int i = 0; i < a.nw; ++i)
    touch(W, a.writes[i], op);
  accessFree(&a);
}

/* Barriers in one function: its entry block in order, the nested tl ops
   as nestedBarriers says. */
static void barriersInFunc(MlirOperation func) {
  AccessList all = {NULL, 0, 0};
  mlirOperationWalk(func, collectTlOps, &all, MlirWalkPreOrder);
  if (all.n == 0)
    return;
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  nestedBarriers(&all, entry);
  TouchSet R = {NULL, 0, 0}, W = {NULL, 0, 0};
  for (MlirOperation op = mlirBlockGetFirstOperation(entry);
       !mlirOperationIsNull(op); op = mlirOperationGetNextInBlock(op)) {
    if (tlOpIsNamed(op, "gpu.barrier")) {
      R.n = W.n = 0;
      continue;
    }
    if (isTlOp(op)) {
      entryOp(op, &R, &W);
      continue;
    }
    if (mlirOperationGetNumRegions(op) == 0)
      continue;
    /* Nested tl ops carry their own barriers; what they touched after the
       last of them is still pending. */
    for (size_t i = 0; i < all.n; ++i) {
      if (!isAncestor(op, all.v[i].op))
        continue;
      for (int k = 0; k < all.v[i].nr; ++k)
        touch(&R, all.v[i].reads[k], all.v[i].op);
      for (int k = 0; k < all.v[i].nw; ++k)
        touch(&W, all.v[i].writes[k], all.v[i].op);
    }
  }
  free(R.v);
  free(W.v);
  for (size_t i = 0; i < all.n; ++i)
    accessFree(&all.v[i]);
  free(all.v);
}

static MlirWalkResult collectFuncs(MlirOperation op, void *ud) {
  if (tlOpIsNamed(op, "gpu.func") || tlOpIsNamed(op, "func.func")) {
    tlOpListPush(ud, op);
    return MlirWalkResultSkip;
  }
  return MlirWalkResultAdvance;
}

void tlInsertCopyBarriers(MlirOperation root) {
  TlOpList funcs = {NULL, 0, 0};
  mlirOperationWalk(root, collectFuncs, &funcs, MlirWalkPreOrder);
  for (size_t i = 0; i < funcs.n; ++i)
    barriersInFunc(funcs.ops[i]);
  free(funcs.ops);
}

