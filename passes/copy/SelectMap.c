/* Thread maps at selection (docs/layouts.md): composition, the table of a
 * layout (every coordinate of a tile to (thread, local), evaluated and
 * checked for range and collisions by copy/MapEval.c, each failure worded
 * for tl-infer-layouts), the vector width its chunks allow, and the
 * comparison of two maps. */
#include <string.h>

#include <mlir-c/AffineExpr.h>
#include <mlir-c/AffineMap.h>
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "AffineEval.h"
#include "Diag.h"
#include "IRBuild.h"
#include "IndexRange.h"
#include "MapEval.h"
#include "Select.h"
#include "TensorMap.h"

int64_t tlSelProduct(const int64_t *shape, intptr_t n) {
  int64_t p = 1;
  for (intptr_t i = 0; i < n; ++i)
    if (__builtin_mul_overflow(p, shape[i], &p))
      return INT64_MAX;
  return p;
}

//===--------------------------------------------------------------------===//
// Affine maps: composition, the table of a layout
//===--------------------------------------------------------------------===//

/* The results of `m` with its dims replaced by the results of `with`. */
MlirAffineMap tlSelComposeMap(MlirAffineMap m, MlirAffineMap with) {
  intptr_t n = mlirAffineMapGetNumResults(m);
  MlirAffineExpr res[8];
  if (n > 8)
    n = 8;
  for (intptr_t i = 0; i < n; ++i)
    res[i] = mlirAffineExprCompose(mlirAffineMapGetResult(m, i), with);
  return mlirAffineMapGet(mlirAffineMapGetContext(m),
                          mlirAffineMapGetNumDims(with),
                          mlirAffineMapGetNumSymbols(with), n, res);
}

void tlSelAppendViewCoord(TlStr *s, const TlSelCoordView *view,
                          const int64_t *c, intptr_t n) {
  if (!view || !view->pos) {
    tlSelAppendCoord(s, c, n);
    return;
  }
  int64_t full[TL_SEL_MAX_RANK] = {0};
  for (intptr_t k = 0; k < n; ++k)
    full[view->pos[k]] = c[k];
  tlSelAppendCoord(s, full, view->rank);
}

/* The first failure of an evaluated layout, its coordinates shown through
   `view`. */
static void tableError(const TlMapEval *m, MlirLocation loc, const char *prefix,
                       const TlSelCoordView *view) {
  int64_t c[TL_SEL_MAX_RANK];
  TlStr s = {0};
  tlMapCoord(m, m->at, c);
  tlSelAppendViewCoord(&s, view, c, m->rank);
  if (m->status == TL_MAP_UNEVALUABLE) {
    tlEmitErrorf(loc, "%s cannot be evaluated at %s", prefix, tlStrGet(&s));
  } else if (m->status == TL_MAP_THREAD) {
    tlEmitErrorf(loc,
                 "%s maps %s to thread %lld, outside the block's "
                 "%lld threads",
                 prefix, tlStrGet(&s), (long long)m->r[0], (long long)m->T);
  } else if (m->status == TL_MAP_LOCAL) {
    tlEmitErrorf(loc, "%s maps %s to the negative local index %lld", prefix,
                 tlStrGet(&s), (long long)m->r[1]);
  } else {
    TlStr sb = {0};
    tlMapCoord(m, m->other, c);
    tlSelAppendViewCoord(&sb, view, c, m->rank);
    tlEmitErrorf(loc,
                 "%s maps %s to thread %lld, local %lld, which %s "
                 "already holds",
                 prefix, tlStrGet(&s), (long long)m->r[0], (long long)m->r[1],
                 tlStrGet(&sb));
    tlStrFree(&sb);
  }
  tlStrFree(&s);
}

/* Evaluates a layout `map` (n dims) on every coordinate of `shape`: each
   must go to a thread < T and a local >= 0, no two to the same slot.
   Errors at `loc`, prefixed by `prefix` ("'tl.copy' op loop_layout"), name
   the first offending coordinate. */
bool tlSelBuildTable(MlirAffineMap map, const int64_t *shape, intptr_t n,
                     int64_t T, MlirLocation loc, const char *prefix,
                     const TlSelCoordView *view, TlSelTable *out) {
  memset(out, 0, sizeof *out);
  int64_t N = tlSelProduct(shape, n);
  if (N > TL_SEL_EVAL_LIMIT) {
    tlEmitErrorf(loc,
                 "%s cannot be checked: the tile has %lld elements, "
                 "more than %lld",
                 prefix, (long long)N, (long long)TL_SEL_EVAL_LIMIT);
    return false;
  }
  TlMapEval m;
  TlMapStatus st = tlMapEvaluate(map, shape, n, T, &m);
  if (st == TL_MAP_OK)
    st = tlMapUnique(&m);
  if (st != TL_MAP_OK) {
    tableError(&m, loc, prefix, view);
    tlMapEvalFree(&m);
    return false;
  }
  out->e = m.e;
  out->n = N;
  out->locals = m.maxLocal + 1 < 1 ? 1 : m.maxLocal + 1;
  return true;
}

/* True when every aligned chunk of v locals of every thread holds v
   consecutive coordinates along the innermost dimension (extent `inner`),
   starting at a multiple of v. */
static bool chunksContiguous(const TlSelTable *t, int64_t inner, int64_t v) {
  for (int64_t i = 0; i < t->n; ++i) {
    const TlSelEntry *x = &t->e[i];
    if (x->l % v != 0) {
      const TlSelEntry *p = i > 0 ? &t->e[i - 1] : NULL;
      if (!p || p->t != x->t || p->l != x->l - 1)
        return false; /* the chunk's first local is missing */
      continue;
    }
    int64_t in = x->f % inner;
    if (in % v != 0 || in + v > inner || i + v > t->n)
      return false;
    for (int64_t j = 1; j < v; ++j) {
      const TlSelEntry *y = &t->e[i + j];
      if (y->t != x->t || y->l != x->l + j || y->f != x->f + j)
        return false;
    }
  }
  return true;
}

/* The largest power of two <= cap for which chunksContiguous holds. */
int64_t tlSelTableWidth(const TlSelTable *t, int64_t inner, int64_t cap) {
  int64_t v = tlSelPow2Floor(cap < 1 ? 1 : cap);
  while (v > 1 && !chunksContiguous(t, inner, v))
    v /= 2;
  return v;
}

/* First coordinate where two maps differ (false when they agree on every
   coordinate of `shape`); structurally equal maps agree. */
bool tlSelMapsDiffer(MlirAffineMap a, MlirAffineMap b, const int64_t *shape,
                     intptr_t n, int64_t *where, bool *unknown) {
  *unknown = false;
  if (mlirAffineMapEqual(a, b))
    return false;
  int64_t N = tlSelProduct(shape, n);
  if (N > TL_SEL_EVAL_LIMIT) {
    *unknown = true;
    return true;
  }
  int64_t c[TL_SEL_MAX_RANK] = {0};
  for (int64_t f = 0; f < N; ++f, tlMapNextCoord(c, shape, n)) {
    int64_t ra[2], rb[2];
    bool oka = tlAffineMapEval(a, c, n, ra), okb = tlAffineMapEval(b, c, n, rb);
    if (oka != okb || (oka && (ra[0] != rb[0] || ra[1] != rb[1]))) {
      memcpy(where, c, sizeof(int64_t) * (size_t)n);
      return true;
    }
  }
  return false;
}
