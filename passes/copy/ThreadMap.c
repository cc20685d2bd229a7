/* The thread map of a thread-mapped copy (simt, cp_async), reduced at
 * compile time to per-chunk closed forms, and the walk that emits one
 * access per chunk (docs/lower-copy.md).
 *
 * Planning evaluates the map over the whole base range: local chunk c of
 * thread t starts at flat base index a_c + b_c * t for threads [0, n_c)
 * (or, for the mma fragment layouts, a_c + g(t), g a sum over t's bits).
 * Long chunk lists become an scf.for over their affine prefix plus an
 * unrolled tail. */
#include <stdlib.h>

#include "AffineEval.h"
#include "Diag.h"
#include "IRBuild.h"
#include "Lower.h"

//===--------------------------------------------------------------------===//
// Planning
//===--------------------------------------------------------------------===//

/* The work arrays of one plan: thread and local of each base element, and
   the base element of each (local, thread) slot (-1: empty). */
typedef struct Plan {
  TlLower *c;
  int64_t N, maxLocal, nChunks, slots;
  int64_t *tt, *ll, *slot;
} Plan;

/* Evaluates the map at every base coordinate. */
static bool evalMap(Plan *p) {
  TlLower *c = p->c;
  int64_t x[MAX_RANK] = {0}, r[2];
  p->maxLocal = -1;
  for (int64_t f = 0; f < p->N; ++f, tlNextCoord(x, c->baseShape, c->B)) {
    if (!tlAffineMapEval(c->map, x, c->B, r) || r[0] < 0 || r[0] >= c->T ||
        r[1] < 0) {
      char *cs = tlCoordText(x, c->B);
      tlOpError(c->op,
                "thread_map maps base coordinate %s outside threads "
                "[0, %lld) x locals [0, inf)",
                cs, (long long)c->T);
      free(cs);
      return false;
    }
    p->tt[f] = r[0];
    p->ll[f] = r[1];
    if (r[1] > p->maxLocal)
      p->maxLocal = r[1];
  }
  return true;
}

/* The (local, thread) slots; each holds at most one base element. */
static bool fillSlots(Plan *p) {
  TlLower *c = p->c;
  int64_t T = c->T, v = c->v;
  p->nChunks = (p->maxLocal + v) / v;
  if (__builtin_mul_overflow(p->nChunks * v, T, &p->slots) ||
      p->slots > 8 * p->N + 4096) {
    tlOpError(c->op,
              "thread_map leaves most (thread, local) slots empty "
              "(%lld locals x %lld threads for %lld elements)",
              (long long)(p->nChunks * v), (long long)T, (long long)p->N);
    return false;
  }
  p->slot = tlXmalloc(sizeof(int64_t) * (size_t)p->slots);
  for (int64_t i = 0; i < p->slots; ++i)
    p->slot[i] = -1;
  for (int64_t f = 0; f < p->N; ++f) {
    int64_t *s = &p->slot[p->ll[f] * T + p->tt[f]];
    if (*s >= 0) {
      tlOpError(c->op,
                "thread_map maps base elements %lld and %lld "
                "(row-major) both to thread %lld, local %lld",
                (long long)*s, (long long)f, (long long)p->tt[f],
                (long long)p->ll[f]);
      return false;
    }
    *s = f;
  }
  return true;
}

/* Thread t's part of chunk ch: whole, owned by threads [0, n), aligned,
   one row; updates the chunk's a, b, n. bad[] records the first thread
   that breaks a + b * t. */
static bool chunkOfThread(Plan *p, int64_t ch, int64_t t, bool *ended,
                          bool *nonAffine, int64_t bad[4]) {
  TlLower *c = p->c;
  MlirOperation op = c->op;
  int64_t T = c->T, v = c->v;
  int64_t C = c->B ? c->baseShape[c->B - 1] : 1;
  TlChunk *k = &c->chunks[ch];
  int64_t f0 = p->slot[(ch * v) * T + t];
  int present = 0;
  for (int64_t j = 0; j < v; ++j)
    present += p->slot[(ch * v + j) * T + t] >= 0;
  if (present == 0) {
    *ended = true;
    return true;
  }
  if (present != v) {
    tlOpError(op,
              "thread_map gives thread %lld only part of local chunk "
              "%lld (locals %lld..%lld): every chunk of vector_width "
              "locals must be owned whole",
              (long long)t, (long long)ch, (long long)(ch * v),
              (long long)(ch * v + v - 1));
    return false;
  }
  if (*ended) {
    tlOpError(op,
              "thread_map gives local chunk %lld to thread %lld but "
              "not to every lower thread: the owners of a chunk must be "
              "threads [0, n)",
              (long long)ch, (long long)t);
    return false;
  }
  if (f0 % v != 0) {
    tlOpError(op,
              "thread_map locals %lld..%lld of thread %lld start at "
              "base element %lld, not at a multiple of vector_width "
              "%lld (the accesses would be misaligned)",
              (long long)(ch * v), (long long)(ch * v + v - 1), (long long)t,
              (long long)f0, (long long)v);
    return false;
  }
  bool ok = true;
  for (int64_t j = 1; j < v && ok; ++j)
    if (p->slot[(ch * v + j) * T + t] != f0 + j || f0 % C + v > C) {
      tlOpError(op,
                "thread_map locals %lld..%lld of thread %lld are not "
                "%lld consecutive elements of one row of the base "
                "range",
                (long long)(ch * v), (long long)(ch * v + v - 1), (long long)t,
                (long long)v);
      ok = false;
    }
  if (!ok)
    return false;
  if (t == 0)
    k->a = f0;
  else if (t == 1)
    k->b = f0 - k->a;
  if (f0 != k->a + k->b * t && !*nonAffine) {
    *nonAffine = true;
    bad[0] = ch;
    bad[1] = t;
    bad[2] = f0;
    bad[3] = k->a + k->b * t;
  }
  k->n = t + 1;
  return true;
}

/* Not a + b * t: the bit mode (every chunk owned by all threads, the
   thread-dependent part the same sum over the thread id's bits). */
static bool bitMode(Plan *p, const int64_t bad[4]) {
  TlLower *c = p->c;
  int64_t T = c->T, v = c->v;
  const int64_t *slot = p->slot;
  bool bm = (T & (T - 1)) == 0;
  int nb = 0;
  while (((int64_t)1 << nb) < T)
    ++nb;
  for (int64_t ch = 0; bm && ch < p->nChunks; ++ch)
    bm = c->chunks[ch].n == T;
  for (int i = 0; bm && i < nb; ++i)
    c->gBit[i] = slot[((int64_t)1 << i)] - slot[0];
  for (int64_t ch = 0; bm && ch < p->nChunks; ++ch) {
    int64_t a = slot[(ch * v) * T];
    for (int64_t t = 0; bm && t < T; ++t) {
      int64_t g = 0;
      for (int i = 0; i < nb; ++i)
        if (t >> i & 1)
          g += c->gBit[i];
      bm = slot[(ch * v) * T + t] == a + g;
    }
    c->chunks[ch].a = a;
    c->chunks[ch].b = 0;
  }
  if (!bm) {
    tlOpError(c->op,
              "thread_map is not of the form a + b * thread for local "
              "chunk %lld (thread %lld has base element %lld, "
              "expected %lld)",
              (long long)bad[0], (long long)bad[1], (long long)bad[2],
              (long long)bad[3]);
    return false;
  }
  c->bitMode = true;
  c->nBits = nb;
  return true;
}

/* The chunks' closed forms. */
static bool chunkForms(Plan *p) {
  TlLower *c = p->c;
  bool nonAffine = false;
  int64_t bad[4] = {0, 0, 0, 0};
  c->nChunks = p->nChunks;
  c->chunks = tlXmalloc(sizeof(TlChunk) * (size_t)p->nChunks);
  for (int64_t ch = 0; ch < p->nChunks; ++ch) {
    TlChunk *k = &c->chunks[ch];
    k->a = k->b = 0;
    k->n = 0;
    bool ended = false;
    for (int64_t t = 0; t < c->T; ++t)
      if (!chunkOfThread(p, ch, t, &ended, &nonAffine, bad))
        return false;
  }
  return !nonAffine || bitMode(p, bad);
}

/* Fragment sides: the fragment's own layout must put each element on the
   same thread, and a chunk at the same locals for every thread. */
static bool fragmentSide(Plan *p, TlSide *s) {
  TlLower *c = p->c;
  int64_t v = c->v, r[2];
  s->fl = tlXmalloc(sizeof(int64_t) * (size_t)p->nChunks);
  for (int64_t ch = 0; ch < p->nChunks; ++ch) {
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
  Plan p = {c, tlProduct(c->baseShape, c->B, &overflow), 0, 0, 0, NULL,
            NULL, NULL};
  if (overflow) {
    tlOpError(c->op, "base range has more than %lld elements",
              (long long)MAX_ELEMENTS);
    return false;
  }
  p.tt = tlXmalloc(sizeof(int64_t) * (size_t)p.N);
  p.ll = tlXmalloc(sizeof(int64_t) * (size_t)p.N);
  bool ok = evalMap(&p) && fillSlots(&p) && chunkForms(&p) &&
            (!c->src.frag || fragmentSide(&p, &c->src)) &&
            (!c->dst.frag || fragmentSide(&p, &c->dst)) && planLoop(c);
  free(p.tt);
  free(p.ll);
  free(p.slot);
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
