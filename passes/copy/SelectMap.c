/* Thread maps at selection (docs/layouts.md): the default map, composition, and the
 * one evaluator of a layout: every coordinate of a tile to (thread, local),
 * checked for range and collisions, with the vector width its chunks allow
 * and the comparison of two maps. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/AffineExpr.h>
#include <mlir-c/AffineMap.h>
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "AffineEval.h"
#include "Diag.h"
#include "IRBuild.h"
#include "IndexRange.h"
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
// Affine maps: the default thread map, composition, evaluation
//===--------------------------------------------------------------------===//

/* thread = (f floordiv v) mod T, local = (f floordiv (v*T)) * v + f mod v,
   f the row-major flat index over `shape`. */
MlirAffineMap tlSelDefaultMap(MlirContext ctx, const int64_t *shape, intptr_t n,
                              int64_t v, int64_t T) {
  MlirAffineExpr f = mlirAffineConstantExprGet(ctx, 0);
  int64_t stride = 1;
  for (intptr_t i = n - 1; i >= 0; --i) {
    MlirAffineExpr term = mlirAffineMulExprGet(
        mlirAffineDimExprGet(ctx, i), mlirAffineConstantExprGet(ctx, stride));
    f = mlirAffineAddExprGet(f, term);
    stride *= shape[i];
  }
  MlirAffineExpr cv = mlirAffineConstantExprGet(ctx, v);
  MlirAffineExpr thread = mlirAffineModExprGet(
      mlirAffineFloorDivExprGet(f, cv), mlirAffineConstantExprGet(ctx, T));
  MlirAffineExpr local = mlirAffineAddExprGet(
      mlirAffineMulExprGet(
          mlirAffineFloorDivExprGet(f, mlirAffineConstantExprGet(ctx, v * T)),
          cv),
      mlirAffineModExprGet(f, cv));
  MlirAffineExpr res[2] = {thread, local};
  return mlirAffineMapGet(ctx, n, 0, 2, res);
}

/* 1 + the largest local index of the default map. */
int64_t tlSelDefaultLocals(int64_t N, int64_t v, int64_t T) {
  if (N <= 0)
    return 1;
  int64_t q = (N - 1) / (v * T);
  int64_t rest = N - 1 - q * v * T;
  return q * v + (rest < v - 1 ? rest : v - 1) + 1;
}

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

/* Advances a row-major coordinate; false after the last one. */
static bool nextCoord(int64_t *c, const int64_t *shape, intptr_t n) {
  for (intptr_t i = n - 1; i >= 0; --i) {
    if (++c[i] < shape[i])
      return true;
    c[i] = 0;
  }
  return false;
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

static int cmpEntry(const void *a, const void *b) {
  const TlSelEntry *x = a, *y = b;
  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  if (x->l != y->l)
    return x->l < y->l ? -1 : 1;
  return x->f < y->f ? -1 : x->f > y->f;
}

static void coordOf(int64_t f, const int64_t *shape, intptr_t n, int64_t *c) {
  for (intptr_t i = n - 1; i >= 0; --i) {
    c[i] = f % shape[i];
    f /= shape[i];
  }
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
  TlSelEntry *e = malloc(sizeof(TlSelEntry) * (size_t)(N ? N : 1));
  if (!e)
    abort();
  int64_t c[TL_SEL_MAX_RANK] = {0};
  for (int64_t f = 0; f < N; ++f, nextCoord(c, shape, n)) {
    int64_t r[2];
    const char *bad = NULL;
    if (!tlAffineMapEval(map, c, n, r))
      bad = "cannot be evaluated at";
    else if (r[0] < 0 || r[0] >= T)
      bad = "thread";
    else if (r[1] < 0)
      bad = "local";
    if (bad) {
      TlStr s = {0};
      tlSelAppendViewCoord(&s, view, c, n);
      if (bad[0] == 'c')
        tlEmitErrorf(loc, "%s cannot be evaluated at %s", prefix, tlStrGet(&s));
      else if (bad[0] == 't')
        tlEmitErrorf(loc,
                     "%s maps %s to thread %lld, outside the block's "
                     "%lld threads",
                     prefix, tlStrGet(&s), (long long)r[0], (long long)T);
      else
        tlEmitErrorf(loc, "%s maps %s to the negative local index %lld", prefix,
                     tlStrGet(&s), (long long)r[1]);
      tlStrFree(&s);
      free(e);
      return false;
    }
    e[f] = (TlSelEntry){r[0], r[1], f};
    if (r[1] + 1 > out->locals)
      out->locals = r[1] + 1;
  }
  qsort(e, (size_t)N, sizeof(TlSelEntry), cmpEntry);
  int64_t worst = -1, first = -1;
  for (int64_t i = 0; i + 1 < N; ++i)
    if (e[i].t == e[i + 1].t && e[i].l == e[i + 1].l &&
        (worst < 0 || e[i + 1].f < e[worst].f)) {
      worst = i + 1;
      /* the earliest coordinate of this slot */
      for (first = i;
           first > 0 && e[first - 1].t == e[i].t && e[first - 1].l == e[i].l;)
        --first;
    }
  if (worst >= 0) {
    int64_t a[TL_SEL_MAX_RANK], b[TL_SEL_MAX_RANK];
    coordOf(e[worst].f, shape, n, a);
    coordOf(e[first].f, shape, n, b);
    TlStr sa = {0}, sb = {0};
    tlSelAppendViewCoord(&sa, view, a, n);
    tlSelAppendViewCoord(&sb, view, b, n);
    tlEmitErrorf(loc,
                 "%s maps %s to thread %lld, local %lld, which %s "
                 "already holds",
                 prefix, tlStrGet(&sa), (long long)e[worst].t,
                 (long long)e[worst].l, tlStrGet(&sb));
    tlStrFree(&sa);
    tlStrFree(&sb);
    free(e);
    return false;
  }
  out->e = e;
  out->n = N;
  if (out->locals < 1)
    out->locals = 1;
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
  for (int64_t f = 0; f < N; ++f, nextCoord(c, shape, n)) {
    int64_t ra[2], rb[2];
    bool oka = tlAffineMapEval(a, c, n, ra), okb = tlAffineMapEval(b, c, n, rb);
    if (oka != okb || (oka && (ra[0] != rb[0] || ra[1] != rb[1]))) {
      memcpy(where, c, sizeof(int64_t) * (size_t)n);
      return true;
    }
  }
  return false;
}
