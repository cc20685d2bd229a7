/* The barriers tl-lower-copy inserts before it rewrites (docs/lower-copy.md):
 * a gpu.barrier goes before a tl op (tl.copy, tl.c2d_im2col) that touches a
 * shared buffer an earlier tl op touched since the last barrier, one of the
 * two writing. Planned on the tl ops themselves, so the copies' own
 * lowering needs no knowledge of its neighbours. */
#include <stdlib.h>

#include <mlir-c/BuiltinTypes.h>

#include "IRBuild.h"
#include "Lower.h"
#include "Support.h"

typedef struct ValSet {
  MlirValue *v;
  size_t n, cap;
} ValSet;

static bool setHas(const ValSet *s, MlirValue v) {
  for (size_t i = 0; i < s->n; ++i)
    if (mlirValueEqual(s->v[i], v))
      return true;
  return false;
}

static void setAdd(ValSet *s, MlirValue v) {
  if (setHas(s, v))
    return;
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 8;
    s->v = realloc(s->v, sizeof(MlirValue) * s->cap);
    if (!s->v)
      abort();
  }
  s->v[s->n++] = v;
}

/* The shared buffers a tl op reads and writes. */
typedef struct Access {
  MlirOperation op;
  MlirValue reads[2], writes[2];
  int nr, nw;
} Access;

static MlirValue underlyingBuffer(MlirValue v) {
  if (mlirTypeIsAMemRef(mlirValueGetType(v)))
    return v;
  if (mlirValueIsAOpResult(v) && tlOperationIsARegion(mlirOpResultGetOwner(v)))
    return tlRegionOpGetBuffer(mlirOpResultGetOwner(v));
  return (MlirValue){NULL};
}

static void addShared(MlirValue *list, int *n, MlirValue v) {
  MlirValue b = underlyingBuffer(v);
  if (!mlirValueIsNull(b) &&
      tlMemRefTypeGetScope(mlirValueGetType(b)) == TlScopeShared)
    list[(*n)++] = b;
}

static bool isTlOp(MlirOperation op) {
  return tlOperationIsACopy(op) || tlOperationIsAIm2Col(op);
}

static Access accessOf(MlirOperation op) {
  Access a = {op, {{NULL}, {NULL}}, {{NULL}, {NULL}}, 0, 0};
  if (tlOperationIsACopy(op)) {
    addShared(a.reads, &a.nr, tlCopyOpGetSource(op));
    addShared(a.writes, &a.nw, tlCopyOpGetDestination(op));
  } else if (tlOperationIsAIm2Col(op)) {
    addShared(a.reads, &a.nr, tlIm2ColOpGetImage(op));
    addShared(a.writes, &a.nw, tlIm2ColOpGetColumn(op));
  }
  return a;
}

/* One of the two writes a buffer the other touches. */
static bool conflict(const Access *x, const Access *y) {
  for (int i = 0; i < x->nw; ++i) {
    for (int j = 0; j < y->nr; ++j)
      if (mlirValueEqual(x->writes[i], y->reads[j]))
        return true;
    for (int j = 0; j < y->nw; ++j)
      if (mlirValueEqual(x->writes[i], y->writes[j]))
        return true;
  }
  for (int i = 0; i < x->nr; ++i)
    for (int j = 0; j < y->nw; ++j)
      if (mlirValueEqual(x->reads[i], y->writes[j]))
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

static void insertBarrier(MlirOperation before) {
  tlBuildOpBefore(before, "gpu.barrier", mlirOperationGetLocation(before), 0,
                  NULL, 0, NULL, 0, NULL);
}

/* Barriers in one function: its entry block in order; tl ops nested deeper
   (loops, conditionals, other blocks) conservatively get a barrier whenever
   another tl op of the function conflicts with them. */
static void barriersInFunc(MlirOperation func) {
  AccessList all = {NULL, 0, 0};
  mlirOperationWalk(func, collectTlOps, &all, MlirWalkPreOrder);
  if (all.n == 0)
    return;
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  for (size_t i = 0; i < all.n; ++i) {
    if (mlirBlockEqual(mlirOperationGetBlock(all.v[i].op), entry))
      continue;
    for (size_t j = 0; j < all.n; ++j)
      if (j != i && conflict(&all.v[i], &all.v[j])) {
        insertBarrier(all.v[i].op);
        break;
      }
  }
  ValSet R = {NULL, 0, 0}, W = {NULL, 0, 0};
  for (MlirOperation op = mlirBlockGetFirstOperation(entry);
       !mlirOperationIsNull(op); op = mlirOperationGetNextInBlock(op)) {
    if (tlOpIsNamed(op, "gpu.barrier")) {
      R.n = W.n = 0;
      continue;
    }
    if (isTlOp(op)) {
      Access a = accessOf(op);
      bool need = false;
      for (int i = 0; i < a.nr; ++i)
        need |= setHas(&W, a.reads[i]);
      for (int i = 0; i < a.nw; ++i)
        need |= setHas(&W, a.writes[i]) || setHas(&R, a.writes[i]);
      if (need) {
        insertBarrier(op);
        R.n = W.n = 0;
      }
      for (int i = 0; i < a.nr; ++i)
        setAdd(&R, a.reads[i]);
      for (int i = 0; i < a.nw; ++i)
        setAdd(&W, a.writes[i]);
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
        setAdd(&R, all.v[i].reads[k]);
      for (int k = 0; k < all.v[i].nw; ++k)
        setAdd(&W, all.v[i].writes[k]);
    }
  }
  free(R.v);
  free(W.v);
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

