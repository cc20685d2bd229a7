/* The thread map of a thread-mapped copy (simt, cp_async), reduced at
 * compile time to per-chunk closed forms, and the walk that emits one
 * access per chunk (docs/lower-copy.md).
 *
 * Planning evaluates the map over the whole base range and reduces it
 * (copy/MapEval.c): local chunk c of thread t starts at flat base index
 * a_c + b_c * t for threads [0, n_c) (or, for the mma fragment layouts,
 * a_c + g(t), g a sum over t's bits); this file words what is wrong for
 * tl-lower-copy and checks the fragment sides against it. Long chunk lists
 * become an scf.for over their affine prefix plus an unrolled tail. */
#include <stdlib.h>
#include <string.h>

#include "AffineEval.h"
#include "Diag.h"
#include "IRBuild.h"
#include "Lower.h"
#include "MapEval.h"

//===--------------------------------------------------------------------===//
// Planning
//===--------------------------------------------------------------------===//

/* The map evaluated over the base range, and what it reduced to. */
typedef struct Plan {
  TlLower *c;
  TlMapEval m;
  TlMapChunks k;
} Plan;

/* Evaluates the map at every base coordinate. */
static bool evalMap(Plan *p) {
  TlLower *c = p->c;
  if (tlMapEvaluate(c->map, c->baseShape, c->B, c->T, &p->m) == TL_MAP_OK)
    return true;
  int64_t x[MAX_RANK];
  tlMapCoord(&p->m, p->m.at, x);
  char *cs = tlCoordText(x, c->B);
  tlOpError(c->op,
            "thread_map maps base coordinate %s outside threads "
            "[0, %lld) x locals [0, inf)",
            cs, (long long)c->T);
  free(cs);
  return false;
}

/* Thread t's part of a chunk: whole, owned by threads [0, n), aligned,
   one row. */
static void partError(TlLower *c, const TlMapPart *q) {
  MlirOperation op = c->op;
  long long v = c->v, ch = q->chunk, t = q->thread;
  if (q->present != v)
    tlOpError(op,
              "thread_map gives thread %lld only part of local chunk "
              "%lld (locals %lld..%lld): every chunk of vector_width "
              "locals must be owned whole",
              t, ch, ch * v, ch * v + v - 1);
  else if (q->notPrefix)
    tlOpError(op,
              "thread_map gives local chunk %lld to thread %lld but "
              "not to every lower thread: the owners of a chunk must be "
              "threads [0, n)",
              ch, t);
  else if (q->misaligned)
    tlOpError(op,
              "thread_map locals %lld..%lld of thread %lld start at "
              "base element %lld, not at a multiple of vector_width "
              "%lld (the accesses would be misaligned)",
              ch * v, ch * v + v - 1, t, (long long)q->first, v);
  else
    tlOpError(op,
              "thread_map locals %lld..%lld of thread %lld are not "
              "%lld consecutive elements of one row of the base "
              "range",
              ch * v, ch * v + v - 1, t, v);
}

/* The chunks' closed forms (or the bit mode). */
static bool chunkForms(Plan *p) {
  TlLower *c = p->c;
  TlMapChunks *k = &p->k;
  int64_t C = c->B ? c->baseShape[c->B - 1] : 1;
  TlMapStatus s = tlMapReduce(&p->m, c->v, C, 8 * p->m.n + 4096, true, k);
  c->nChunks = k->nChunks;
  c->chunks = k->chunks;
  c->bitMode = k->bitMode;
  c->nBits = k->nBits;
  memcpy(c->gBit, k->gBit, sizeof c->gBit);
  switch (s) {
  case TL_MAP_OK:
    return true;
  case TL_MAP_SPARSE:
    tlOpError(c->op,
              "thread_map leaves most (thread, local) slots empty "
              "(%lld locals x %lld threads for %lld elements)",
              (long long)(k->nChunks * c->v), (long long)c->T,
              (long long)p->m.n);
    return false;
  case TL_MAP_COLLISION:
    tlOpError(c->op,
              "thread_map maps base elements %lld and %lld "
              "(row-major) both to thread %lld, local %lld",
              (long long)p->m.other, (long long)p->m.at, (long long)p->m.r[0],
              (long long)p->m.r[1]);
    return false;
  case TL_MAP_PART:
    partError(c, &k->part);
    return false;
  default:
    tlOpError(c->op,
              "thread_map is not of the form a + b * thread for local "
              "chunk %lld (thread %lld has base element %lld, "
              "expected %lld)",
              (long long)k->chunk, (long long)k->thread, (long long)k->got,
              (long long)k->expected);
    return false;
  }
}

/* Fragment sides: the fragment's own layout must put each element on the
   same thread, and a chunk at the same locals for every thread. */
static bool fragmentSide(Plan *p, TlSide *s) {
  TlLower *c = p->c;
  int64_t v = c->v, r[2];
  s->fl = tlXmalloc(sizeof(int64_t) * (size_t)c->nChunks);
  for (int64_t ch = 0; ch < c->nChunks; ++ch) {
    TlChunk *k = &c->chunks[ch];
    s->fl[ch] = -1;
    for (int64_t t = 0; t < k->n; ++t)
      for (int64_t j = 0; j < v; ++j) {
        int64_t f = k->a + k->b * t + j, rem;
        if (c->bitMode)
          for (int i = 0; i < c->nBits; ++i)
            if (t >> i & 1)
              f += c->gBit[i];
        rem = f;
        int64_t xb[MAX_RANK], y[MAX_RANK];
        for (intptr_t d = c->B - 1; d >= 0; --d) {
          xb[d] = rem % c->baseShape[d];
          rem /= c->baseShape[d];
        }
        tlFragCoord(s, xb, y);
        if (!tlAffineMapEval(s->frag->map, y, s->rank, r)) {
          tlOpError(c->op, "cannot evaluate the %s fragment's tl.layout",
                    s->role);
          return false;
        }
        if (t == 0 && j == 0)
          s->fl[ch] = r[1];
        if (r[0] != t || r[1] != s->fl[ch] + j) {
          char *ys = tlCoordText(y, s->rank);
          tlOpError(c->op,
                    "thread_map disagrees with the tl.layout of the "
                    "%s fragment: element %s is local %lld of thread "
                    "%lld in the copy but local %lld of thread %lld "
                    "in the fragment",
                    s->role, ys, (long long)(ch * v + j), (long long)t,
                    (long long)r[1], (long long)r[0]);
          free(ys);
          return false;
        }
      }
  }
  return true;
}

/* Unroll, or an scf.for over the longest affine prefix plus an unrolled
   tail. */
static bool planLoop(TlLower *c) {
  if (c->nChunks <= MAX_UNROLL)
    return true;
  TlSide *sides[2] = {&c->src, &c->dst};
  int64_t K = 2;
  for (; K < c->nChunks; ++K) {
    const TlChunk *p = c->chunks;
    bool aff = p[K].a - p[K - 1].a == p[1].a - p[0].a &&
               p[K].b - p[K - 1].b == p[1].b - p[0].b &&
               p[K].n - p[K - 1].n == p[1].n - p[0].n;
    for (int i = 0; i < 2; ++i)
      if (sides[i]->frag)
        aff = aff && sides[i]->fl[K] - sides[i]->fl[K - 1] ==
                         sides[i]->fl[1] - sides[i]->fl[0];
    if (!aff)
      break;
  }
  c->loopChunks = K;
  if (c->nChunks - K > MAX_UNROLL) {
    tlOpError(c->op,
              "thread_map gives each thread %lld local chunks and they "
              "are not affine in the chunk index (first break at "
              "chunk %lld): cannot emit a loop",
              (long long)c->nChunks, (long long)K);
    return false;
  }
  return true;
}

bool tlPlanChunks(TlLower *c) {
  bool overflow = false;
  Plan p = {.c = c};
  tlProduct(c->baseShape, c->B, &overflow);
  if (overflow) {
    tlOpError(c->op, "base range has more than %lld elements",
              (long long)MAX_ELEMENTS);
    return false;
  }
  bool ok = evalMap(&p) && chunkForms(&p) &&
            (!c->src.frag || fragmentSide(&p, &c->src)) &&
            (!c->dst.frag || fragmentSide(&p, &c->dst)) && planLoop(c);
  tlMapEvalFree(&p.m);
  return ok;
}

//===--------------------------------------------------------------------===//
// The chunk walk
//===--------------------------------------------------------------------===//

/* g(thread id) of the bit mode, made once per copy: runs of bits whose
   coefficients double become ((t >> i) & (2^k - 1)) * gBit[i]. */
static MlirValue bitPart(TlEmitter *e) {
  if (!mlirValueIsNull(e->gVal))
    return e->gVal;
  TlLower *c = e->c;
  MlirValue g = tlCst(&e->b, 0);
  for (int i = 0; i < c->nBits;) {
    int k = 1;
    while (i + k < c->nBits && c->gBit[i + k] == c->gBit[i] << k)
      ++k;
    if (c->gBit[i] != 0) {
      MlirValue f = tlDivK(&e->b, e->b.hoist, e->tid, (int64_t)1 << i);
      if (i + k < c->nBits)
        f = tlRemK(&e->b, e->b.hoist, f, (int64_t)1 << k);
      g = tlAddV(&e->b, e->b.hoist, g,
                 tlMulV(&e->b, e->b.hoist, f, tlCst(&e->b, c->gBit[i])));
    }
    i += k;
  }
  return e->gVal = g;
}

/* One chunk of every thread: c null means the constant chunk cc. */
static void emitChunk(TlEmitter *e, TlChunkFn fn, MlirOperation at,
                      MlirValue c, int64_t cc, TlAff a, TlAff b, TlAff n) {
  TlLower *cp = e->c;
  bool guard = mlirValueIsNull(c) ? n.base + n.step * cc < cp->T
                                  : !(n.step == 0 && n.base >= cp->T);
  if (guard)
    tlBuildIfBefore(at, e->b.loc,
                    tlCmp(&e->b, at, TlCmpUlt, e->tid, tlAffV(e, at, n, c, cc)),
                    0, NULL, &at, NULL);
  MlirValue bt;
  if (cp->bitMode)
    bt = bitPart(e);
  else if (b.step == 0 && mlirValueIsNull(c) == false)
    bt = tlTidTimes(e, b.base);
  else if (mlirValueIsNull(c))
    bt = tlTidTimes(e, b.base + b.step * cc);
  else
    bt = tlMulV(&e->b, at, tlAffV(e, at, b, c, cc), e->tid);
  MlirValue flat = tlAddV(&e->b, at, bt, tlAffV(e, at, a, c, cc));
  MlirValue x[MAX_RANK];
  int64_t stride = 1;
  for (intptr_t k = cp->B - 1; k >= 0; --k) {
    MlirValue q = tlDivK(&e->b, at, flat, stride);
    x[k] = k == 0 ? q : tlRemK(&e->b, at, q, cp->baseShape[k]);
    stride *= cp->baseShape[k];
  }
  MlirValue si[MAX_RANK], di[MAX_RANK];
  tlSideIndices(e, at, &cp->src, x, c, cc, si);
  tlSideIndices(e, at, &cp->dst, x, c, cc, di);
  fn(e, at, si, di);
}

static void setFl(TlSide *s, int64_t ch, int64_t step) {
  if (s->frag)
    s->curFl = (TlAff){s->fl[ch], step};
}

void tlEmitChunks(TlEmitter *e, TlChunkFn fn) {
  TlLower *c = e->c;
  e->tid = tlThreadId(e);
  tlPrepareSide(e, &c->src);
  tlPrepareSide(e, &c->dst);
  tlPrepareSwizzle(e, &c->src);
  tlPrepareSwizzle(e, &c->dst);
  int64_t K = c->loopChunks;
  if (K > 0) {
    const TlChunk *p = c->chunks;
    TlAff a = {p[0].a, p[1].a - p[0].a}, b = {p[0].b, p[1].b - p[0].b},
        n = {p[0].n, p[1].n - p[0].n};
    if (c->src.frag)
      setFl(&c->src, 0, c->src.fl[1] - c->src.fl[0]);
    if (c->dst.frag)
      setFl(&c->dst, 0, c->dst.fl[1] - c->dst.fl[0]);
    MlirValue iv;
    MlirOperation yield;
    tlBuildForBefore(e->b.top, e->b.loc, tlCst(&e->b, 0), tlCst(&e->b, K),
                     tlCst(&e->b, 1), &iv, &yield);
    emitChunk(e, fn, yield, iv, 0, a, b, n);
  }
  for (int64_t ch = K; ch < c->nChunks && !e->failed; ++ch) {
    const TlChunk *k = &c->chunks[ch];
    if (k->n == 0)
      continue;
    setFl(&c->src, ch, 0);
    setFl(&c->dst, ch, 0);
    emitChunk(e, fn, e->b.top, (MlirValue){NULL}, 0, (TlAff){k->a, 0},
              (TlAff){k->b, 0}, (TlAff){k->n, 0});
  }
}
