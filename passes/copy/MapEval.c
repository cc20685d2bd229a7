/* Thread maps evaluated at compile time (copy/MapEval.h): the default map,
 * the evaluation of a map at every element of a tile with its range and
 * collision checks, and the reduction of an evaluation to per-chunk closed
 * forms that tl-lower-copy and tl-lower-im2col emit. Failures are status
 * codes; the passes word them. */
#include <stdlib.h>
#include <string.h>

#include <mlir-c/AffineExpr.h>
#include <mlir-c/AffineMap.h>

#include "AffineEval.h"
#include "Diag.h"
#include "MapEval.h"
#include "Support.h"
#include "tl-c/Attributes.h"

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p)
    abort();
  return p;
}

//===--------------------------------------------------------------------===//
// The default thread map
//===--------------------------------------------------------------------===//

MlirAffineMap tlMapDefault(MlirContext ctx, const int64_t *shape, intptr_t n,
                           int64_t v, int64_t T) {
  MlirAffineExpr f = mlirAffineConstantExprGet(ctx, 0);
  int64_t stride = 1;
  for (intptr_t i = n - 1; i >= 0; --i) {
    MlirAffineExpr term = mlirAffineMulExprGet(
        mlirAffineDimExprGet(ctx, i), mlirAffineConstantExprGet(ctx, stride));
    f = mlirAffineAddExprGet(f, term);
    /* Only the strides of the outer dimensions are needed. A base of more
       than 2^63 elements saturates: it is over tl-lower-copy's element
       limit (MAX_ELEMENTS), which refuses the copy. */
    if (i > 0 && __builtin_mul_overflow(stride, shape[i], &stride))
      stride = INT64_MAX;
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

int64_t tlMapDefaultLocals(int64_t N, int64_t v, int64_t T) {
  if (N <= 0)
    return 1;
  int64_t q = (N - 1) / (v * T);
  int64_t rest = N - 1 - q * v * T;
  return q * v + (rest < v - 1 ? rest : v - 1) + 1;
}

//===--------------------------------------------------------------------===//
// Evaluation
//===--------------------------------------------------------------------===//

bool tlMapNextCoord(int64_t *c, const int64_t *shape, intptr_t n) {
  for (intptr_t i = n - 1; i >= 0; --i) {
    if (++c[i] < shape[i])
      return true;
    c[i] = 0;
  }
  return false;
}

void tlMapCoord(const TlMapEval *m, int64_t f, int64_t *c) {
  for (intptr_t i = m->rank - 1; i >= 0; --i) {
    c[i] = f % m->shape[i];
    f /= m->shape[i];
  }
}

void tlMapEvalFree(TlMapEval *m) {
  free(m->e);
  m->e = NULL;
}

static TlMapStatus fail(TlMapEval *m, TlMapStatus s, int64_t at,
                        const int64_t r[2]) {
  m->status = s;
  m->at = at;
  m->r[0] = r[0];
  m->r[1] = r[1];
  return s;
}

TlMapStatus tlMapEvaluate(MlirAffineMap map, const int64_t *shape,
                          intptr_t rank, int64_t T, TlMapEval *m) {
  memset(m, 0, sizeof *m);
  m->rank = rank;
  memcpy(m->shape, shape, sizeof(int64_t) * (size_t)rank);
  m->T = T;
  m->n = 1;
  for (intptr_t i = 0; i < rank; ++i)
    if (__builtin_mul_overflow(m->n, shape[i], &m->n))
      return fail(m, TL_MAP_UNEVALUABLE, 0, (const int64_t[2]){0, 0});
  m->maxLocal = -1;
  m->e = xmalloc(sizeof(TlMapEntry) * (size_t)m->n);
  int64_t c[TL_MAP_MAX_RANK] = {0};
  for (int64_t f = 0; f < m->n; ++f, tlMapNextCoord(c, shape, rank)) {
    int64_t r[2] = {0, 0};
    if (!tlAffineMapEval(map, c, rank, r))
      return fail(m, TL_MAP_UNEVALUABLE, f, r);
    if (r[0] < 0 || r[0] >= T)
      return fail(m, TL_MAP_THREAD, f, r);
    if (r[1] < 0)
      return fail(m, TL_MAP_LOCAL, f, r);
    m->e[f] = (TlMapEntry){r[0], r[1], f};
    if (r[1] > m->maxLocal)
      m->maxLocal = r[1];
  }
  return TL_MAP_OK;
}

static int cmpEntry(const void *a, const void *b) {
  const TlMapEntry *x = a, *y = b;
  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  if (x->l != y->l)
    return x->l < y->l ? -1 : 1;
  return x->f < y->f ? -1 : x->f > y->f;
}

/* Sorts m->e (in flat order) by (thread, local, flat index): a stable
   counting sort over the slots when they are few, else qsort. */
static void sortEntries(TlMapEval *m) {
  int64_t L = m->maxLocal + 1, slots;
  if (__builtin_mul_overflow(L, m->T, &slots) || slots > 4 * m->n + 4096) {
    qsort(m->e, (size_t)m->n, sizeof(TlMapEntry), cmpEntry);
    return;
  }
  int64_t *start = calloc((size_t)slots + 1, sizeof(int64_t));
  TlMapEntry *out = xmalloc(sizeof(TlMapEntry) * (size_t)m->n);
  if (!start)
    abort();
  for (int64_t i = 0; i < m->n; ++i)
    ++start[m->e[i].t * L + m->e[i].l + 1];
  for (int64_t k = 0; k < slots; ++k)
    start[k + 1] += start[k];
  for (int64_t i = 0; i < m->n; ++i)
    out[start[m->e[i].t * L + m->e[i].l]++] = m->e[i];
  free(start);
  free(m->e);
  m->e = out;
}

/* Sorted, the elements of one slot are a run in flat order: the first
   collision is the run whose second element comes first. */
TlMapStatus tlMapUnique(TlMapEval *m) {
  sortEntries(m);
  TlMapEntry *e = m->e;
  int64_t worst = -1;
  for (int64_t i = 0; i + 1 < m->n; ++i) {
    if (e[i].t != e[i + 1].t || e[i].l != e[i + 1].l)
      continue;
    if (worst < 0 || e[i + 1].f < e[worst].f)
      worst = i + 1;
    /* the rest of the run comes later */
    while (i + 1 < m->n && e[i].t == e[i + 1].t && e[i].l == e[i + 1].l)
      ++i;
  }
  if (worst < 0)
    return TL_MAP_OK;
  int64_t r[2] = {e[worst].t, e[worst].l};
  fail(m, TL_MAP_COLLISION, e[worst].f, r);
  m->other = e[worst - 1].f;
  return TL_MAP_COLLISION;
}

//===--------------------------------------------------------------------===//
// Reduction to chunks
//===--------------------------------------------------------------------===//

/* The work of one reduction: the flat index in each (local, thread) slot
   (-1: empty), and the chunk being reduced: its holders so far, and
   whether a thread below held none of it. */
typedef struct Reduce {
  TlMapChunks *out;
  int64_t T, v, rowLen;
  int64_t *slot;
  int64_t owners;
  bool ended;
} Reduce;

static int64_t slotAt(const Reduce *r, int64_t local, int64_t t) {
  return r->slot[local * r->T + t];
}

/* The slots, within maxSlots, and unique; the table from the sorted
   entries. */
static TlMapStatus fillSlots(Reduce *r, TlMapEval *m, int64_t maxSlots) {
  TlMapChunks *o = r->out;
  int64_t top, locals;
  if (__builtin_add_overflow(m->maxLocal, r->v, &top))
    return TL_MAP_SPARSE;
  o->nChunks = top / r->v;
  if (__builtin_mul_overflow(o->nChunks, r->v, &locals) ||
      __builtin_mul_overflow(locals, r->T, &o->slots) || o->slots > maxSlots)
    return TL_MAP_SPARSE;
  TlMapStatus s = tlMapUnique(m);
  if (s != TL_MAP_OK)
    return s;
  r->slot = xmalloc(sizeof(int64_t) * (size_t)o->slots);
  for (int64_t i = 0; i < o->slots; ++i)
    r->slot[i] = -1;
  for (int64_t i = 0; i < m->n; ++i)
    r->slot[m->e[i].l * r->T + m->e[i].t] = m->e[i].f;
  return TL_MAP_OK;
}

/* Thread t's part of chunk ch; false when it breaks a rule (out->part says
   how). */
static bool partOf(Reduce *r, int64_t ch, int64_t t) {
  int64_t v = r->v, C = r->rowLen;
  TlMapPart p = {.chunk = ch, .thread = t, .first = -1, .owners = r->owners};
  for (int64_t j = 0; j < v; ++j) {
    int64_t f = slotAt(r, ch * v + j, t);
    if (f < 0) {
      p.broken = p.broken || p.holdsFirst;
      continue;
    }
    ++p.present;
    if (j == 0) {
      p.holdsFirst = true;
      p.first = f;
    } else if (!p.holdsFirst && p.firstLater == 0) {
      p.firstLater = j;
    } else if (p.holdsFirst && f != p.first + j) {
      p.broken = true;
    }
  }
  if (p.present == 0) {
    r->ended = true;
    return true;
  }
  p.notPrefix = r->ended;
  if (p.holdsFirst) {
    p.misaligned = p.first % v != 0;
    p.crossesRow = v > 1 && p.first % C + v > C;
  }
  if (p.present != v || p.broken || p.crossesRow || p.misaligned ||
      p.notPrefix) {
    r->out->part = p;
    return false;
  }
  ++r->owners;
  return true;
}

/* Chunk ch: its holders, and a, b from threads 0 and 1; *bad the first
   thread not at a + b * t (-1: none). */
static TlMapStatus chunkOf(Reduce *r, int64_t ch, int64_t *bad) {
  TlMapChunk *k = &r->out->chunks[ch];
  r->owners = 0;
  r->ended = false;
  for (int64_t t = 0; t < r->T; ++t)
    if (!partOf(r, ch, t))
      return TL_MAP_PART;
  k->n = r->owners;
  k->a = k->n > 0 ? slotAt(r, ch * r->v, 0) : 0;
  k->b = k->n > 1 ? slotAt(r, ch * r->v, 1) - k->a : 0;
  *bad = -1;
  for (int64_t t = 0; t < k->n && *bad < 0; ++t)
    if (slotAt(r, ch * r->v, t) != k->a + k->b * t)
      *bad = t;
  return TL_MAP_OK;
}

/* Not a + b * t: the bit mode (every chunk owned by all threads, the
   thread-dependent part the same sum over the thread id's bits, checked
   for every thread id below T: T need not be a power of two, e.g. the
   three warpgroups of a 192-row wgmma accumulator). */
static bool bitMode(Reduce *r) {
  TlMapChunks *o = r->out;
  int64_t T = r->T, v = r->v;
  bool bm = true;
  int nb = 0;
  while (((int64_t)1 << nb) < T)
    ++nb;
  for (int64_t ch = 0; bm && ch < o->nChunks; ++ch)
    bm = o->chunks[ch].n == T;
  for (int i = 0; bm && i < nb; ++i)
    o->gBit[i] = slotAt(r, 0, (int64_t)1 << i) - slotAt(r, 0, 0);
  for (int64_t ch = 0; bm && ch < o->nChunks; ++ch) {
    int64_t a = slotAt(r, ch * v, 0);
    for (int64_t t = 0; bm && t < T; ++t) {
      int64_t g = 0;
      for (int i = 0; i < nb; ++i)
        if (t >> i & 1)
          g += o->gBit[i];
      bm = slotAt(r, ch * v, t) == a + g;
    }
    o->chunks[ch].a = a;
    o->chunks[ch].b = 0;
  }
  o->bitMode = bm;
  o->nBits = bm ? nb : 0;
  return bm;
}

static void recordBad(TlMapChunks *o, const Reduce *r, int64_t ch, int64_t t) {
  const TlMapChunk *k = &o->chunks[ch];
  o->chunk = ch;
  o->thread = t;
  o->got = slotAt(r, ch * r->v, t);
  o->expected = k->a + k->b * t;
}

static TlMapStatus reduceChunks(Reduce *r, bool bits) {
  TlMapChunks *o = r->out;
  o->chunks = xmalloc(sizeof(TlMapChunk) * (size_t)o->nChunks);
  bool nonAffine = false;
  for (int64_t ch = 0; ch < o->nChunks; ++ch) {
    int64_t bad;
    o->chunks[ch] = (TlMapChunk){0, 0, 0};
    TlMapStatus s = chunkOf(r, ch, &bad);
    if (s != TL_MAP_OK)
      return s;
    if (bad < 0 || nonAffine)
      continue;
    recordBad(o, r, ch, bad);
    if (!bits)
      return TL_MAP_NOT_AFFINE;
    nonAffine = true;
  }
  return nonAffine && !bitMode(r) ? TL_MAP_NOT_AFFINE : TL_MAP_OK;
}

TlMapStatus tlMapReduce(TlMapEval *m, int64_t v, int64_t rowLen,
                        int64_t maxSlots, bool bits, TlMapChunks *out) {
  memset(out, 0, sizeof *out);
  out->v = v;
  Reduce r = {out, m->T, v, rowLen, NULL, 0, false};
  TlMapStatus s = fillSlots(&r, m, maxSlots);
  if (s == TL_MAP_OK)
    s = reduceChunks(&r, bits);
  free(r.slot);
  return s;
}

bool tlMapCheckLayoutForm(MlirOperation op, const char *name,
                          MlirAttribute layout, intptr_t nDims,
                          const char *dims, const char *unit) {
  MlirAffineMap map = tlFragmentLayoutAttrGetMap(layout);
  if (mlirAffineMapIsNull(map) || mlirAffineMapGetNumResults(map) != 2 ||
      mlirAffineMapGetNumDims(map) != nDims ||
      mlirAffineMapGetNumSymbols(map) != 0) {
    TlStr a = {0};
    tlStrAppendAttr(&a, layout);
    tlOpError(op, "%s %s must map %s %lld %s to (thread, local)", name,
              tlStrGet(&a), dims, (long long)nDims, unit);
    tlStrFree(&a);
    return false;
  }
  int64_t replicate = tlFragmentLayoutAttrGetReplicate(layout);
  if (replicate != 1) {
    tlOpError(op, "%s with replicate %lld is not supported (only 1)", name,
              (long long)replicate);
    return false;
  }
  return true;
}
