/* tl-infer-layouts: the SIMT part of docs/layouts.md.
 *
 * For every legalized tl.copy and every tl.c2d_im2col below the operation it
 * runs on, records
 *   inst         "simt", or "direct" for fragment -> fragment copies;
 *   vector_width elements per access chunk (a power of two);
 *   thread_map   #tl.fragment_layout<map, T, 1> from the base coordinates
 *                to (thread, local), T the block's thread count;
 * on every fragment's memref.alloca its layout `tl.layout`, and on every
 * workgroup attribution a tl op touches `llvm.align` >= 16. Nothing is
 * lowered. The order of the work:
 *   1. read every op (legalized form, thread count, sides, fragments,
 *      workgroup attributions, user loop_layouts);
 *   2. per op, the candidate vector width from everything except fragment
 *      layouts (element size, innermost extent, contiguity, alignment,
 *      strides, bounds checks);
 *   3. per fragment group (fragments joined by fragment -> fragment copies;
 *      they share one layout over the common non-unit shape), the layout:
 *      a user tl.layout / loop_layout / earlier thread_map, or the default
 *      map with the smallest candidate (raised to the largest
 *      coalesced_width a copy demands);
 *   4. per op, the final attributes.
 * Copies that already carry `inst` keep their attributes (re-validated): the
 * pass is idempotent. With `report`, one line per op goes to stderr. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/AffineExpr.h>
#include <mlir-c/AffineMap.h>
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Dialect/Arith.h>
#include <mlir-c/Dialect/GPU.h>
#include <mlir-c/Dialect/LLVM.h>
#include <mlir-c/Dialect/MemRef.h>
#include <mlir-c/Dialect/SCF.h>
#include <mlir-c/Dialect/Vector.h>

#include "AffineEval.h"
#include "IRBuild.h"
#include "Im2ColTMA.h"
#include "IndexRange.h"
#include "PassSupport.h"
#include "Support.h"
#include "TensorMap.h"
#include "tl-c/Attributes.h"
#include "tl-c/Ops.h"

#define MAX_RANK 16
/* Layouts are checked by evaluation on at most this many coordinates. */
#define EVAL_LIMIT ((int64_t)1 << 20)
#define DIVISOR_CAP ((int64_t)1 << 30)
/* The alignment tl-infer-layouts gives workgroup attributions, and the one
   the launcher guarantees for kernel arguments. */
#define BASE_ALIGN 16

typedef struct Options {
  bool report;
  char chip[TL_MAX_OPTION_STRING];
  bool preferTma; /* TMA wherever legal (default: only on demand) */
} Options;

//===--------------------------------------------------------------------===//
// Small helpers
//===--------------------------------------------------------------------===//

static MlirAttribute getAttr(MlirOperation op, const char *name) {
  return mlirOperationGetAttributeByName(op,
                                         mlirStringRefCreateFromCString(name));
}

static void setAttr(MlirOperation op, const char *name, MlirAttribute attr) {
  mlirOperationSetAttributeByName(op, mlirStringRefCreateFromCString(name),
                                  attr);
}

static void *growArray(void *p, size_t *cap, size_t n, size_t elt) {
  if (n < *cap)
    return p;
  *cap = *cap ? 2 * *cap : 16;
  p = realloc(p, *cap * elt);
  if (!p)
    abort(); /* out of memory */
  return p;
}

/* The largest power of two dividing x (capped; 0 is divisible by all). */
static int64_t pow2Div(int64_t x) {
  if (x == 0)
    return DIVISOR_CAP;
  uint64_t u = (uint64_t)x;
  uint64_t low = u & (~u + 1);
  return low >= (uint64_t)DIVISOR_CAP ? DIVISOR_CAP : (int64_t)low;
}

/* The largest power of two <= x (x >= 1). */
static int64_t pow2Floor(int64_t x) {
  int64_t p = 1;
  while (p <= x / 2)
    p *= 2;
  return p;
}

static int64_t product(const int64_t *shape, intptr_t n) {
  int64_t p = 1;
  for (intptr_t i = 0; i < n; ++i)
    if (__builtin_mul_overflow(p, shape[i], &p))
      return INT64_MAX;
  return p;
}

/* Storage bits of an element type: a power of two >= 8; index is 64. */
static int64_t storageBits(MlirType t) {
  int64_t b = 8;
  if (mlirTypeIsAIndex(t))
    b = 64;
  else if (mlirTypeIsAInteger(t))
    b = mlirIntegerTypeGetWidth(t);
  else if (mlirTypeIsAFloat(t))
    b = mlirFloatTypeGetWidth(t);
  int64_t r = 8;
  while (r < b)
    r *= 2;
  return r;
}

static void appendShape(TlStr *s, const int64_t *e, intptr_t n,
                        const char *sep) {
  tlStrAppend(s, "[", 1);
  for (intptr_t i = 0; i < n; ++i)
    tlStrAppendf(s, "%s%lld", i ? sep : "", (long long)e[i]);
  tlStrAppend(s, "]", 1);
}

static void appendCoord(TlStr *s, const int64_t *c, intptr_t n) {
  tlStrAppend(s, "(", 1);
  for (intptr_t i = 0; i < n; ++i)
    tlStrAppendf(s, i ? ", %lld" : "%lld", (long long)c[i]);
  tlStrAppend(s, ")", 1);
}

/* file, line and column of a location, looking through names, call sites
   and fusions; false when there is none. */
static bool fileLineCol(MlirLocation loc, MlirStringRef *file, int *line,
                        int *col) {
  for (int depth = 0; depth < 16 && !mlirLocationIsNull(loc); ++depth) {
    if (mlirLocationIsAFileLineColRange(loc)) {
      *file = mlirIdentifierStr(mlirLocationFileLineColRangeGetFilename(loc));
      *line = mlirLocationFileLineColRangeGetStartLine(loc);
      *col = mlirLocationFileLineColRangeGetStartColumn(loc);
      return true;
    }
    if (mlirLocationIsAName(loc)) {
      loc = mlirLocationNameGetChildLoc(loc);
    } else if (mlirLocationIsACallSite(loc)) {
      loc = mlirLocationCallSiteGetCallee(loc);
    } else if (mlirLocationIsAFused(loc)) {
      if (mlirLocationFusedGetNumLocations(loc) < 1)
        return false;
      MlirLocation *locs =
          malloc(sizeof(MlirLocation) *
                 (size_t)mlirLocationFusedGetNumLocations(loc));
      if (!locs)
        abort();
      mlirLocationFusedGetLocations(loc, locs);
      MlirLocation first = locs[0];
      free(locs);
      loc = first;
    } else {
      return false;
    }
  }
  return false;
}

/* "line:col" of an op, for messages that point at another op. */
static void appendLineCol(TlStr *s, MlirOperation op) {
  MlirStringRef file;
  int line, col;
  if (fileLineCol(mlirOperationGetLocation(op), &file, &line, &col))
    tlStrAppendf(s, "%d:%d", line, col);
  else
    tlStrAppendf(s, "an unknown location");
}

//===--------------------------------------------------------------------===//
// The vector width and why it is what it is
//===--------------------------------------------------------------------===//

typedef struct Width {
  int64_t v;
  char why[320];
} Width;

static void limitTo(Width *w, int64_t x, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* v = min(v, x) (both powers of two: the gcd); remembers the reason of the
   last reduction. */
static void limitTo(Width *w, int64_t x, const char *fmt, ...) {
  if (x < 1)
    x = 1;
  if (x >= w->v)
    return;
  w->v = x;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(w->why, sizeof w->why, fmt, ap);
  va_end(ap);
}

//===--------------------------------------------------------------------===//
// Affine maps: the default thread map, composition, evaluation
//===--------------------------------------------------------------------===//

/* thread = (f floordiv v) mod T, local = (f floordiv (v*T)) * v + f mod v,
   f the row-major flat index over `shape`. */
static MlirAffineMap defaultMap(MlirContext ctx, const int64_t *shape,
                                intptr_t n, int64_t v, int64_t T) {
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
static int64_t defaultLocals(int64_t N, int64_t v, int64_t T) {
  if (N <= 0)
    return 1;
  int64_t q = (N - 1) / (v * T);
  int64_t rest = N - 1 - q * v * T;
  return q * v + (rest < v - 1 ? rest : v - 1) + 1;
}

/* The results of `m` with its dims replaced by the results of `with`. */
static MlirAffineMap composeMap(MlirAffineMap m, MlirAffineMap with) {
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

/* How coordinates are shown in messages: base coordinates as they are, or
   expanded into a fragment's own dimensions (unit dimensions are 0). */
typedef struct CoordView {
  intptr_t rank;       /* rank of the shown coordinate */
  const intptr_t *pos; /* core dim k is shown at pos[k]; NULL: identity */
} CoordView;

static void appendViewCoord(TlStr *s, const CoordView *view, const int64_t *c,
                            intptr_t n) {
  if (!view || !view->pos) {
    appendCoord(s, c, n);
    return;
  }
  int64_t full[MAX_RANK] = {0};
  for (intptr_t k = 0; k < n; ++k)
    full[view->pos[k]] = c[k];
  appendCoord(s, full, view->rank);
}

typedef struct Entry {
  int64_t t, l, f;
} Entry;

typedef struct Table {
  Entry *e; /* sorted by (thread, local) */
  int64_t n;
  int64_t locals; /* 1 + the largest local index */
} Table;

static int cmpEntry(const void *a, const void *b) {
  const Entry *x = a, *y = b;
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
static bool buildTable(MlirAffineMap map, const int64_t *shape, intptr_t n,
                       int64_t T, MlirLocation loc, const char *prefix,
                       const CoordView *view, Table *out) {
  memset(out, 0, sizeof *out);
  int64_t N = product(shape, n);
  if (N > EVAL_LIMIT) {
    tlEmitErrorf(loc, "%s cannot be checked: the tile has %lld elements, "
                      "more than %lld",
                 prefix, (long long)N, (long long)EVAL_LIMIT);
    return false;
  }
  Entry *e = malloc(sizeof(Entry) * (size_t)(N ? N : 1));
  if (!e)
    abort();
  int64_t c[MAX_RANK] = {0};
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
      appendViewCoord(&s, view, c, n);
      if (bad[0] == 'c')
        tlEmitErrorf(loc, "%s cannot be evaluated at %s", prefix,
                     tlStrGet(&s));
      else if (bad[0] == 't')
        tlEmitErrorf(loc, "%s maps %s to thread %lld, outside the block's "
                          "%lld threads",
                     prefix, tlStrGet(&s), (long long)r[0], (long long)T);
      else
        tlEmitErrorf(loc, "%s maps %s to the negative local index %lld",
                     prefix, tlStrGet(&s), (long long)r[1]);
      tlStrFree(&s);
      free(e);
      return false;
    }
    e[f] = (Entry){r[0], r[1], f};
    if (r[1] + 1 > out->locals)
      out->locals = r[1] + 1;
  }
  qsort(e, (size_t)N, sizeof(Entry), cmpEntry);
  int64_t worst = -1, first = -1;
  for (int64_t i = 0; i + 1 < N; ++i)
    if (e[i].t == e[i + 1].t && e[i].l == e[i + 1].l &&
        (worst < 0 || e[i + 1].f < e[worst].f)) {
      worst = i + 1;
      /* the earliest coordinate of this slot */
      for (first = i; first > 0 && e[first - 1].t == e[i].t &&
                      e[first - 1].l == e[i].l;)
        --first;
    }
  if (worst >= 0) {
    int64_t a[MAX_RANK], b[MAX_RANK];
    coordOf(e[worst].f, shape, n, a);
    coordOf(e[first].f, shape, n, b);
    TlStr sa = {0}, sb = {0};
    appendViewCoord(&sa, view, a, n);
    appendViewCoord(&sb, view, b, n);
    tlEmitErrorf(loc, "%s maps %s to thread %lld, local %lld, which %s "
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
static bool chunksContiguous(const Table *t, int64_t inner, int64_t v) {
  for (int64_t i = 0; i < t->n; ++i) {
    const Entry *x = &t->e[i];
    if (x->l % v != 0) {
      const Entry *p = i > 0 ? &t->e[i - 1] : NULL;
      if (!p || p->t != x->t || p->l != x->l - 1)
        return false; /* the chunk's first local is missing */
      continue;
    }
    int64_t in = x->f % inner;
    if (in % v != 0 || in + v > inner || i + v > t->n)
      return false;
    for (int64_t j = 1; j < v; ++j) {
      const Entry *y = &t->e[i + j];
      if (y->t != x->t || y->l != x->l + j || y->f != x->f + j)
        return false;
    }
  }
  return true;
}

/* The largest power of two <= cap for which chunksContiguous holds. */
static int64_t tableWidth(const Table *t, int64_t inner, int64_t cap) {
  int64_t v = pow2Floor(cap < 1 ? 1 : cap);
  while (v > 1 && !chunksContiguous(t, inner, v))
    v /= 2;
  return v;
}

/* First coordinate where two maps differ (false when they agree on every
   coordinate of `shape`); structurally equal maps agree. */
static bool mapsDiffer(MlirAffineMap a, MlirAffineMap b, const int64_t *shape,
                       intptr_t n, int64_t *where, bool *unknown) {
  *unknown = false;
  if (mlirAffineMapEqual(a, b))
    return false;
  int64_t N = product(shape, n);
  if (N > EVAL_LIMIT) {
    *unknown = true;
    return true;
  }
  int64_t c[MAX_RANK] = {0};
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

//===--------------------------------------------------------------------===//
// The sides of a copy
//===--------------------------------------------------------------------===//

typedef struct Side {
  const char *role;     /* "source", "destination", "image", "column tile" */
  MlirOperation region; /* the tl.region, or null for a whole memref */
  MlirValue buffer;
  MlirType type;
  intptr_t rank;
  int64_t shape[MAX_RANK];
  int64_t ext[MAX_RANK];
  MlirValue idx[MAX_RANK]; /* null values for a whole memref */
  bool check[MAX_RANK];
  TlScope scope;
  MlirType elt;
  int64_t bits;
  intptr_t inner; /* the last non-unit extent, -1 for none */
  int frag;       /* index into the fragment table, -1 */
} Side;

static bool readSide(Side *s, const char *role, MlirValue v) {
  memset(s, 0, sizeof *s);
  s->role = role;
  s->frag = -1;
  s->inner = -1;
  MlirType t = mlirValueGetType(v);
  if (mlirTypeIsAMemRef(t)) {
    s->buffer = v;
  } else {
    MlirOperation def =
        mlirValueIsAOpResult(v) ? mlirOpResultGetOwner(v) : (MlirOperation){0};
    if (!tlOperationIsARegion(def) || !tlRegionOpHasExtents(def))
      return false;
    s->region = def;
    s->buffer = tlRegionOpGetBuffer(def);
  }
  s->type = mlirValueGetType(s->buffer);
  if (!mlirTypeIsAMemRef(s->type))
    return false;
  s->rank = mlirShapedTypeGetRank(s->type);
  if (s->rank > MAX_RANK)
    return false;
  if (s->region.ptr && (tlRegionOpGetNumExtents(s->region) != s->rank ||
                        tlRegionOpGetNumIndices(s->region) != s->rank))
    return false;
  MlirAttribute bc = s->region.ptr ? getAttr(s->region, "bounds_check")
                                   : (MlirAttribute){NULL};
  bool hasBc = !mlirAttributeIsNull(bc) && mlirAttributeIsADenseBoolArray(bc) &&
               mlirDenseArrayGetNumElements(bc) == s->rank;
  for (intptr_t d = 0; d < s->rank; ++d) {
    s->shape[d] = mlirShapedTypeGetDimSize(s->type, d);
    s->ext[d] = s->region.ptr ? tlRegionOpGetExtent(s->region, d)
                              : s->shape[d];
    s->idx[d] = s->region.ptr ? tlRegionOpGetIndex(s->region, d)
                              : (MlirValue){NULL};
    s->check[d] = hasBc && mlirDenseBoolArrayGetElement(bc, d);
    if (s->ext[d] != 1)
      s->inner = d;
  }
  s->scope = tlMemRefTypeGetScope(s->type);
  s->elt = mlirShapedTypeGetElementType(s->type);
  s->bits = storageBits(s->elt);
  return true;
}

/* The enclosing gpu.func of `op` (null when none). */
static MlirOperation enclosingGpuFunc(MlirOperation op) {
  for (MlirOperation p = mlirOperationGetParentOperation(op);
       !mlirOperationIsNull(p); p = mlirOperationGetParentOperation(p))
    if (tlOpIsNamed(p, "gpu.func"))
      return p;
  return (MlirOperation){NULL};
}

/* Workgroup attribution index of `buf` in its gpu.func, or -1. */
static intptr_t workgroupIndex(MlirValue buf, MlirOperation *func) {
  if (!mlirValueIsABlockArgument(buf))
    return -1;
  MlirBlock block = mlirBlockArgumentGetOwner(buf);
  MlirOperation f = mlirBlockGetParentOperation(block);
  if (mlirOperationIsNull(f) || !tlOpIsNamed(f, "gpu.func") ||
      !mlirBlockEqual(block,
                      mlirRegionGetFirstBlock(mlirOperationGetRegion(f, 0))))
    return -1;
  MlirAttribute ft = getAttr(f, "function_type");
  MlirAttribute nw = getAttr(f, "workgroup_attributions");
  if (mlirAttributeIsNull(ft) || !mlirAttributeIsAType(ft) ||
      mlirAttributeIsNull(nw) || !mlirAttributeIsAInteger(nw))
    return -1;
  intptr_t inputs = mlirFunctionTypeGetNumInputs(mlirTypeAttrGetValue(ft));
  intptr_t i = mlirBlockArgumentGetArgNumber(buf) - inputs;
  if (i < 0 || i >= mlirIntegerAttrGetValueInt(nw))
    return -1;
  *func = f;
  return i;
}

/* The alignment in bytes known for the start of `buf`, 0 when only element
   alignment is known; `what` says where it comes from. */
static int64_t baseAlignBytes(MlirValue buf, const char **what) {
  MlirOperation f;
  if (workgroupIndex(buf, &f) >= 0) {
    *what = "a workgroup attribution";
    return BASE_ALIGN; /* raised to at least 16 by this pass */
  }
  if (mlirValueIsABlockArgument(buf)) {
    MlirBlock block = mlirBlockArgumentGetOwner(buf);
    f = mlirBlockGetParentOperation(block);
    if (!mlirOperationIsNull(f) && tlOpIsNamed(f, "gpu.func") &&
        !mlirAttributeIsNull(getAttr(f, "gpu.kernel")) &&
        mlirBlockEqual(block,
                       mlirRegionGetFirstBlock(mlirOperationGetRegion(f, 0)))) {
      *what = "a kernel argument";
      return BASE_ALIGN; /* the launcher guarantees it */
    }
    *what = "a block argument that is not a kernel argument";
    return 0;
  }
  MlirOperation def = mlirOpResultGetOwner(buf);
  if (tlOpIsNamed(def, "memref.alloc") || tlOpIsNamed(def, "memref.alloca")) {
    MlirAttribute a = getAttr(def, "alignment");
    if (!mlirAttributeIsNull(a) && mlirAttributeIsAInteger(a) &&
        mlirIntegerAttrGetValueInt(a) > 0) {
      *what = "an allocation with an alignment attribute";
      return mlirIntegerAttrGetValueInt(a);
    }
    *what = "an allocation without an alignment attribute";
    return 0;
  }
  *what = "produced by an op whose alignment is unknown";
  return 0;
}

/* Reduces w by what addressing `s` allows: the innermost dimension `pos`
   must have stride 1, every other dimension's contribution must be a
   multiple of v (the stride, for dimensions with extent > 1; index * stride
   otherwise), the index of `pos` too (when useIndices), the offset, a bounds
   check on `pos` needs a size that v divides, and the start of the buffer
   must be aligned to v elements. */
static void limitByAddress(const Side *s, intptr_t pos, bool useIndices,
                           Width *w) {
  TlStr ty = {0};
  tlStrAppendType(&ty, s->type);
  const char *tyS = tlStrGet(&ty);
  int64_t strides[MAX_RANK], offset;
  if (mlirLogicalResultIsFailure(
          mlirMemRefTypeGetStridesAndOffset(s->type, strides, &offset))) {
    limitTo(w, 1, "the %s %s has a layout without strides", s->role, tyS);
    tlStrFree(&ty);
    return;
  }
  if (mlirShapedTypeIsDynamicStrideOrOffset(strides[pos]) ||
      strides[pos] != 1) {
    limitTo(w, 1,
            "the innermost copied dimension %lld of the %s %s is not "
            "contiguous",
            (long long)pos, s->role, tyS);
    tlStrFree(&ty);
    return;
  }
  if (useIndices) {
    int64_t d = tlIndexDivisor(s->idx[pos]);
    limitTo(w, d,
            "the %s index of dimension %lld is only known to be divisible "
            "by %lld",
            s->role, (long long)pos, (long long)d);
  }
  for (intptr_t d = 0; d < s->rank; ++d) {
    if (d == pos)
      continue;
    bool dyn = mlirShapedTypeIsDynamicStrideOrOffset(strides[d]);
    int64_t sd = dyn ? 1 : pow2Div(strides[d]);
    if (s->ext[d] > 1) {
      if (dyn)
        limitTo(w, 1, "dimension %lld of the %s %s has a dynamic stride",
                (long long)d, s->role, tyS);
      else
        limitTo(w, sd, "dimension %lld of the %s %s has stride %lld",
                (long long)d, s->role, tyS, (long long)strides[d]);
    }
    int64_t id = useIndices ? tlIndexDivisor(s->idx[d]) : DIVISOR_CAP;
    int64_t term = id * sd > DIVISOR_CAP ? DIVISOR_CAP : id * sd;
    limitTo(w, term,
            "the %s index of dimension %lld times its stride is only known "
            "to be divisible by %lld",
            s->role, (long long)d, (long long)term);
  }
  if (mlirShapedTypeIsDynamicStrideOrOffset(offset))
    limitTo(w, 1, "the %s %s has a dynamic offset", s->role, tyS);
  else
    limitTo(w, pow2Div(offset), "the %s %s has offset %lld", s->role, tyS,
            (long long)offset);
  if (s->check[pos]) {
    if (mlirShapedTypeIsDynamicSize(s->shape[pos]))
      limitTo(w, 1,
              "the %s is bounds-checked along its innermost dimension %lld, "
              "whose size is dynamic",
              s->role, (long long)pos);
    else
      limitTo(w, pow2Div(s->shape[pos]),
              "the %s is bounds-checked along its innermost dimension %lld "
              "of size %lld",
              s->role, (long long)pos, (long long)s->shape[pos]);
  }
  const char *what = "";
  int64_t align = baseAlignBytes(s->buffer, &what);
  int64_t eltBytes = s->bits / 8;
  if (align <= 0)
    limitTo(w, 1,
            "the %s %s is %s: only its element alignment is known", s->role,
            tyS, what);
  else
    limitTo(w, align >= eltBytes ? pow2Floor(align / eltBytes) : 1,
            "the %s %s is %s aligned to %lld bytes", s->role, tyS, what,
            (long long)align);
  tlStrFree(&ty);
}

//===--------------------------------------------------------------------===//
// Fragments
//===--------------------------------------------------------------------===//

typedef struct Frag {
  MlirOperation alloca;
  MlirType type;
  intptr_t rank;
  int64_t shape[MAX_RANK];
  intptr_t coreRank; /* the non-unit dims */
  intptr_t pos[MAX_RANK];
  int64_t core[MAX_RANK];
  int parent;          /* union-find */
  MlirAttribute user;  /* tl.layout as found, or null */
  bool userSeen;       /* compared with its group's layout */
  /* group state (valid at the root) */
  bool failed;
  int64_t T;
  bool hasRef;
  MlirAffineMap ref; /* over the core coordinates */
  char *refWhat;     /* "its tl.layout is #..." */
  int64_t demand;    /* the largest coalesced_width among its copies */
  int64_t minCand;   /* the smallest candidate width, 0 when none */
  int64_t maxCand;
  int64_t vf, locals;
} Frag;

typedef struct Frags {
  Frag *f;
  size_t n, cap;
} Frags;

static int findRoot(Frags *fs, int i) {
  while (fs->f[i].parent != i)
    i = fs->f[i].parent = fs->f[fs->f[i].parent].parent;
  return i;
}

static void fragName(TlStr *s, const Frag *f) {
  tlStrAppendType(s, f->type);
  tlStrAppendf(s, " (memref.alloca at ");
  appendLineCol(s, f->alloca);
  tlStrAppendf(s, ")");
}

/* (core dims) -> (fragment dims): unit dims are 0. */
static MlirAffineMap coreToFrag(MlirContext ctx, const Frag *f) {
  MlirAffineExpr res[MAX_RANK];
  intptr_t k = 0;
  for (intptr_t i = 0; i < f->rank; ++i)
    res[i] = (k < f->coreRank && f->pos[k] == i)
                 ? mlirAffineDimExprGet(ctx, k++)
                 : mlirAffineConstantExprGet(ctx, 0);
  return mlirAffineMapGet(ctx, f->coreRank, 0, f->rank, res);
}

/* (fragment dims) -> (core dims). */
static MlirAffineMap fragToCore(MlirContext ctx, const Frag *f) {
  MlirAffineExpr res[MAX_RANK];
  for (intptr_t k = 0; k < f->coreRank; ++k)
    res[k] = mlirAffineDimExprGet(ctx, f->pos[k]);
  return mlirAffineMapGet(ctx, f->rank, 0, f->coreRank, res);
}

//===--------------------------------------------------------------------===//
// The ops
//===--------------------------------------------------------------------===//

typedef struct Item {
  MlirOperation op;
  bool im2col;
  bool ok;    /* read without error */
  bool fixed; /* already carried inst: keep */
  int64_t T;
  Side s[2]; /* copy: source, destination; im2col: image, column tile */
  int64_t base[MAX_RANK];
  intptr_t baseRank;
  Width cand;
  int64_t demand;            /* coalesced_width, 0 when unset */
  MlirAttribute loop;        /* loop_layout (or fixed thread_map), or null */
  MlirAffineMap loopMap;
  int64_t loopVf, loopLocals;
  int group; /* root fragment, -1 */
  /* results */
  const char *inst;
  int64_t v;
  MlirAttribute map;
  int64_t locals; /* 1 + the largest local index, 0 when unknown */
  /* TMA (docs/tma.md) */
  int64_t swizzleDemand; /* annotations swizzle (bytes); -1 unset */
  int useTma;            /* annotations use_tma: -1 unset, 0, 1 */
  bool tma;              /* inst is tma_load / tma_store */
  intptr_t boxRank;
  int64_t box[MAX_RANK];
  int64_t nBoxes, tmaBytes, swizzle;
  char tmaWhy[320]; /* why a global<->shared copy is not TMA ("": n/a) */
  /* 1-D bulk copies (docs/tma.md, "Bulk copies") */
  int useBulk;       /* annotations use_bulk: -1 unset, 0, 1 */
  bool bulk;         /* inst is bulk_load / bulk_store */
  char bulkWhy[320]; /* why a global<->shared copy is not a bulk copy */
  int64_t bulkBytes;
  /* cp.async / ldmatrix / stmatrix (docs/mma-copies.md) */
  int useCpAsync;   /* annotations use_cp_async: -1 unset, 0, 1 */
  int useLdmatrix;  /* annotations use_ldmatrix / use_stmatrix */
  char cpWhy[320];  /* why a global->shared copy is not cp.async ("") */
  char mmaWhy[320]; /* why a shared<->fragment copy is not ldmatrix/stmatrix */
} Item;

typedef struct State {
  const Options *opts;
  Item *items;
  size_t n, cap;
  Frags frags;
  /* workgroup attributions touched by tl ops */
  struct {
    MlirOperation func;
    intptr_t index;
    int64_t swizzle;      /* bytes, 0 none, -1 undecided */
    MlirOperation setter; /* the op that decided the swizzle, or null */
    int64_t align;        /* alignment the buffer needs (bytes) */
  } * wg;
  size_t nWg, capWg;
  bool failed;
} State;

static void errorAt(State *st, MlirOperation op, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void errorAt(State *st, MlirOperation op, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *buf = malloc((size_t)(n > 0 ? n : 0) + 1);
  if (!buf)
    abort();
  va_start(ap, fmt);
  vsnprintf(buf, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
  va_end(ap);
  MlirStringRef name = mlirIdentifierStr(mlirOperationGetName(op));
  tlEmitErrorf(mlirOperationGetLocation(op), "'%.*s' op %s", (int)name.length,
               name.data, buf);
  free(buf);
  st->failed = true;
}

static int64_t userSwizzleOf(MlirOperation f, intptr_t i);

/* Registers a workgroup attribution touched by a tl op; returns its entry
   or -1 when `buf` is not one. */
static long markWorkgroup(State *st, MlirValue buf) {
  MlirOperation f;
  intptr_t i = workgroupIndex(buf, &f);
  if (i < 0)
    return -1;
  for (size_t k = 0; k < st->nWg; ++k)
    if (mlirOperationEqual(st->wg[k].func, f) && st->wg[k].index == i)
      return (long)k;
  st->wg = growArray(st->wg, &st->capWg, st->nWg, sizeof *st->wg);
  st->wg[st->nWg].func = f;
  st->wg[st->nWg].index = i;
  st->wg[st->nWg].swizzle = userSwizzleOf(f, i);
  st->wg[st->nWg].setter = (MlirOperation){NULL};
  st->wg[st->nWg].align = BASE_ALIGN;
  return (long)st->nWg++;
}

/* The thread count of the enclosing gpu.func, or 0 after an error. */
static int64_t threadCount(State *st, MlirOperation op) {
  MlirOperation f = enclosingGpuFunc(op);
  if (mlirOperationIsNull(f)) {
    errorAt(st, op, "needs a thread map, so it must be inside a gpu.func "
                    "with known_block_size = array<i32: x, y, z>");
    return 0;
  }
  MlirAttribute bs = getAttr(f, "known_block_size");
  int64_t T = 1;
  bool ok = !mlirAttributeIsNull(bs) && mlirAttributeIsADenseI32Array(bs) &&
            mlirDenseArrayGetNumElements(bs) == 3;
  for (intptr_t i = 0; ok && i < 3; ++i) {
    int32_t d = mlirDenseI32ArrayGetElement(bs, i);
    ok = d > 0;
    T *= d;
  }
  if (!ok) {
    MlirAttribute name = getAttr(f, "sym_name");
    MlirStringRef n = mlirAttributeIsNull(name) || !mlirAttributeIsAString(name)
                          ? mlirStringRefCreateFromCString("<anonymous>")
                          : mlirStringAttrGetValue(name);
    errorAt(st, op, "needs a thread map, but the enclosing gpu.func @%.*s "
                    "has no valid known_block_size = array<i32: x, y, z>",
            (int)n.length, n.data);
    return 0;
  }
  return T;
}

/* Registers the fragment of side `s`: it must be a whole memref.alloca'd
   fragment. Returns its index or -1 after an error. */
static int registerFragment(State *st, Item *it, Side *s) {
  MlirValue buf = s->buffer;
  TlStr ty = {0};
  tlStrAppendType(&ty, s->type);
  if (!mlirValueIsAOpResult(buf) ||
      !tlOpIsNamed(mlirOpResultGetOwner(buf), "memref.alloca")) {
    errorAt(st, it->op, "the %s fragment %s is %s; fragment buffers must be "
                        "produced by memref.alloca",
            s->role, tlStrGet(&ty),
            mlirValueIsAOpResult(buf) ? "not produced by memref.alloca"
                                      : "a block argument");
    tlStrFree(&ty);
    return -1;
  }
  bool whole = true;
  for (intptr_t d = 0; d < s->rank; ++d) {
    int64_t c;
    if (mlirShapedTypeIsDynamicSize(s->shape[d]) || s->ext[d] != s->shape[d] ||
        !tlGetConstantIndex(s->idx[d], &c) || c != 0)
      whole = false;
  }
  if (!whole) {
    TlStr e = {0};
    appendShape(&e, s->ext, s->rank, ", ");
    errorAt(st, it->op, "copies only part of the %s fragment %s (extents %s "
                        "at a corner that is not provably the origin, or a "
                        "dynamic shape): partial fragment regions are not "
                        "supported yet; copy the whole fragment",
            s->role, tlStrGet(&ty), tlStrGet(&e));
    tlStrFree(&e);
    tlStrFree(&ty);
    return -1;
  }
  tlStrFree(&ty);
  MlirOperation alloca = mlirOpResultGetOwner(buf);
  for (size_t i = 0; i < st->frags.n; ++i)
    if (mlirOperationEqual(st->frags.f[i].alloca, alloca))
      return (int)i;
  st->frags.f = growArray(st->frags.f, &st->frags.cap, st->frags.n,
                          sizeof(Frag));
  Frag *f = &st->frags.f[st->frags.n];
  memset(f, 0, sizeof *f);
  f->alloca = alloca;
  f->type = s->type;
  f->rank = s->rank;
  for (intptr_t d = 0; d < s->rank; ++d) {
    f->shape[d] = s->shape[d];
    if (s->shape[d] != 1) {
      f->pos[f->coreRank] = d;
      f->core[f->coreRank++] = s->shape[d];
    }
  }
  f->parent = (int)st->frags.n;
  f->user = getAttr(alloca, "tl.layout");
  f->T = it->T;
  return (int)st->frags.n++;
}

/* Reads one tl.copy. */
static void readCopy(State *st, Item *it) {
  MlirOperation op = it->op;
  MlirAttribute side = getAttr(op, "base_side");
  MlirAttribute shape = getAttr(op, "base_shape");
  if (mlirAttributeIsNull(side) || mlirAttributeIsNull(shape) ||
      !mlirAttributeIsADenseI64Array(shape)) {
    errorAt(st, op, "is not legalized (it has no base_side / base_shape): "
                    "run tl-legalize-regions first");
    return;
  }
  if (!readSide(&it->s[0], "source", mlirOperationGetOperand(op, 0)) ||
      !readSide(&it->s[1], "destination", mlirOperationGetOperand(op, 1)) ||
      !it->s[0].region.ptr || !it->s[1].region.ptr) {
    errorAt(st, op, "is not in the legalized form (two tl.region operands "
                    "with extents): run tl-legalize-regions first");
    return;
  }
  it->baseRank = mlirDenseArrayGetNumElements(shape);
  if (it->baseRank > MAX_RANK) {
    errorAt(st, op, "has a base_shape of rank %lld; at most %d is supported",
            (long long)it->baseRank, MAX_RANK);
    return;
  }
  for (intptr_t i = 0; i < it->baseRank; ++i)
    it->base[i] = mlirDenseI64ArrayGetElement(shape, i);
  for (int i = 0; i < 2; ++i)
    markWorkgroup(st, it->s[i].buffer);
  it->T = threadCount(st, op);
  if (!it->T)
    return;
  TlCopyOptions o = tlCopyOpGetOptions(op);
  it->demand = o.coalescedWidth;
  it->loop = o.loopLayout;
  it->fixed = !mlirAttributeIsNull(getAttr(op, "inst"));
  bool ok = true;
  for (int i = 0; i < 2 && ok; ++i) {
    if (it->s[i].scope != TlScopeFragment)
      continue;
    it->s[i].frag = registerFragment(st, it, &it->s[i]);
    ok = it->s[i].frag >= 0;
    if (!ok)
      break;
    /* A whole fragment is the base: its non-unit shape is base_shape. */
    const Frag *f = &st->frags.f[it->s[i].frag];
    bool same = f->coreRank == it->baseRank;
    for (intptr_t k = 0; same && k < f->coreRank; ++k)
      same = f->core[k] == it->base[k];
    if (!same) {
      TlStr a = {0}, b = {0};
      appendShape(&a, it->base, it->baseRank, ", ");
      appendShape(&b, f->core, f->coreRank, ", ");
      errorAt(st, op, "has base_shape %s, but the non-unit shape of its %s "
                      "fragment is %s (run tl-verify)",
              tlStrGet(&a), it->s[i].role, tlStrGet(&b));
      tlStrFree(&a);
      tlStrFree(&b);
      ok = false;
    }
  }
  it->ok = ok;
}

/* Reads one tl.c2d_im2col. */
static void readIm2Col(State *st, Item *it) {
  MlirOperation op = it->op;
  it->im2col = true;
  if (!readSide(&it->s[0], "image", tlIm2ColOpGetImage(op)) ||
      !readSide(&it->s[1], "column tile", tlIm2ColOpGetColumn(op)) ||
      it->s[0].rank != 4 || it->s[1].rank != 2) {
    errorAt(st, op, "needs a rank-4 image and a rank-2 column tile (run "
                    "tl-verify)");
    return;
  }
  markWorkgroup(st, it->s[1].buffer);
  it->T = threadCount(st, op);
  if (!it->T)
    return;
  it->baseRank = 2;
  it->base[0] = it->s[1].ext[0];
  it->base[1] = it->s[1].ext[1];
  it->fixed = !mlirAttributeIsNull(getAttr(op, "inst"));
  it->ok = true;
}

static void initWidth(Width *w, const Item *it) {
  int64_t bits = it->s[0].bits > it->s[1].bits ? it->s[0].bits : it->s[1].bits;
  w->v = bits >= 128 ? 1 : 128 / bits;
  snprintf(w->why, sizeof w->why, "128 bits / %lld-bit elements",
           (long long)bits);
}

/* Everything but fragment layouts and user demands. */
static void candidateWidth(Item *it) {
  Width *w = &it->cand;
  initWidth(w, it);
  if (it->im2col) {
    const Side *img = &it->s[0], *col = &it->s[1];
    if (mlirShapedTypeIsDynamicSize(img->shape[3]))
      limitTo(w, 1, "the image has a dynamic channel count");
    else
      limitTo(w, pow2Div(img->shape[3]), "C = %lld channels",
              (long long)img->shape[3]);
    limitTo(w, pow2Div(it->base[1]), "BK = %lld", (long long)it->base[1]);
    Side imgAll = *img;
    for (intptr_t d = 0; d < 4; ++d)
      imgAll.ext[d] = 2; /* the whole image is addressed */
    limitByAddress(&imgAll, 3, false, w);
    limitByAddress(col, 1, col->region.ptr != NULL, w);
    return;
  }
  if (it->baseRank == 0) {
    limitTo(w, 1, "a one-element copy");
    return;
  }
  int64_t inner = it->base[it->baseRank - 1];
  limitTo(w, pow2Div(inner), "the innermost extent %lld", (long long)inner);
  for (int i = 0; i < 2; ++i) {
    const Side *s = &it->s[i];
    if (s->scope == TlScopeFragment || s->inner < 0)
      continue;
    limitByAddress(s, s->inner, true, w);
  }
}

/* Checks a user loop_layout (or a recorded thread_map, `what`) over the
   base coordinates; fills loopMap, loopVf and loopLocals. */
static bool checkLoopLayout(State *st, Item *it, const char *what) {
  MlirAttribute a = it->loop;
  TlStr txt = {0};
  tlStrAppendAttr(&txt, a);
  bool ok = false;
  if (!tlAttributeIsAFragmentLayout(a)) {
    errorAt(st, it->op, "%s must be a #tl.fragment_layout<map, threads, "
                        "replicate>, got %s",
            what, tlStrGet(&txt));
    goto done;
  }
  MlirAffineMap m = tlFragmentLayoutAttrGetMap(a);
  int64_t threads = tlFragmentLayoutAttrGetThreads(a);
  int64_t rep = tlFragmentLayoutAttrGetReplicate(a);
  if (mlirAffineMapIsNull(m) || mlirAffineMapGetNumResults(m) != 2) {
    errorAt(st, it->op, "%s map must have 2 results (thread, local index): "
                        "%s",
            what, tlStrGet(&txt));
    goto done;
  }
  if (mlirAffineMapGetNumDims(m) != it->baseRank) {
    TlStr b = {0};
    appendShape(&b, it->base, it->baseRank, ", ");
    errorAt(st, it->op, "%s map has %lld dimensions, but the copy's "
                        "base_shape %s has %lld: %s",
            what, (long long)mlirAffineMapGetNumDims(m), tlStrGet(&b),
            (long long)it->baseRank, tlStrGet(&txt));
    tlStrFree(&b);
    goto done;
  }
  if (mlirAffineMapGetNumSymbols(m) != 0) {
    errorAt(st, it->op, "%s map must not have symbols: %s", what,
            tlStrGet(&txt));
    goto done;
  }
  if (rep != 1) {
    errorAt(st, it->op, "replicated %s layouts are not supported for copies "
                        "yet (replicate = %lld in %s)",
            strcmp(what, "loop_layout") ? what : "loop", (long long)rep,
            tlStrGet(&txt));
    goto done;
  }
  if (threads != it->T) {
    errorAt(st, it->op, "%s is for %lld threads, but the block has %lld: %s",
            what, (long long)threads, (long long)it->T, tlStrGet(&txt));
    goto done;
  }
  TlStr prefix = {0};
  MlirStringRef name = mlirIdentifierStr(mlirOperationGetName(it->op));
  tlStrAppendf(&prefix, "'%.*s' op %s", (int)name.length, name.data, what);
  Table t;
  ok = buildTable(m, it->base, it->baseRank, it->T,
                  mlirOperationGetLocation(it->op), tlStrGet(&prefix), NULL,
                  &t);
  tlStrFree(&prefix);
  if (!ok) {
    st->failed = true;
    goto done;
  }
  it->loopMap = m;
  it->loopVf = tableWidth(&t, it->baseRank ? it->base[it->baseRank - 1] : 1,
                          it->cand.v);
  it->loopLocals = t.locals;
  free(t.e);
done:
  tlStrFree(&txt);
  return ok;
}

//===--------------------------------------------------------------------===//
// Fragment groups
//===--------------------------------------------------------------------===//

static char *copyStr(const char *text) {
  size_t n = strlen(text) + 1;
  char *p = malloc(n);
  if (!p)
    abort();
  memcpy(p, text, n);
  return p;
}

/* Compares a constraint (a map over the group's core coordinates,
   described by `what`) with the group's layout, or makes it the layout. */
static void constrainGroup(State *st, Item *it, Frag *root, MlirAffineMap m,
                           const char *what) {
  if (root->failed)
    return;
  if (!root->hasRef) {
    root->hasRef = true;
    root->ref = m;
    root->refWhat = copyStr(what);
    return;
  }
  int64_t where[MAX_RANK];
  bool unknown;
  if (!mapsDiffer(root->ref, m, root->core, root->coreRank, where, &unknown))
    return;
  TlStr name = {0}, at = {0};
  fragName(&name, root);
  if (unknown)
    tlStrAppendf(&at, "the fragment is too large to compare them");
  else {
    tlStrAppendf(&at, "they differ at ");
    CoordView view = {root->rank, root->pos};
    appendViewCoord(&at, &view, where, root->coreRank);
  }
  errorAt(st, it->op, "conflicting layouts for the fragment %s: %s, but %s "
                      "(%s)",
          tlStrGet(&name), root->refWhat, what, tlStrGet(&at));
  tlStrFree(&name);
  tlStrFree(&at);
  root->failed = true;
}

/* A fragment's user tl.layout, checked and restricted to its core
   coordinates; null after an error. */
static MlirAffineMap userCoreLayout(State *st, Frag *f) {
  MlirAffineMap none = {NULL};
  MlirAttribute a = f->user;
  TlStr txt = {0};
  tlStrAppendAttr(&txt, a);
  MlirAffineMap m = tlFragmentLayoutAttrGetMap(a);
  if (!tlAttributeIsAFragmentLayout(a) || mlirAffineMapIsNull(m) ||
      mlirAffineMapGetNumResults(m) != 2) {
    errorAt(st, f->alloca, "tl.layout must be a #tl.fragment_layout<map, "
                           "threads, replicate> whose map has 2 results, got "
                           "%s",
            tlStrGet(&txt));
    goto fail;
  }
  if (mlirAffineMapGetNumDims(m) != f->rank ||
      mlirAffineMapGetNumSymbols(m) != 0) {
    errorAt(st, f->alloca, "tl.layout map must have one dimension per "
                           "fragment dimension (%lld) and no symbols: %s",
            (long long)f->rank, tlStrGet(&txt));
    goto fail;
  }
  if (tlFragmentLayoutAttrGetReplicate(a) != 1) {
    errorAt(st, f->alloca, "replicated fragment layouts are not supported "
                           "for copies yet (replicate = %lld in %s)",
            (long long)tlFragmentLayoutAttrGetReplicate(a), tlStrGet(&txt));
    goto fail;
  }
  if (tlFragmentLayoutAttrGetThreads(a) != f->T) {
    errorAt(st, f->alloca, "tl.layout is for %lld threads, but the block has "
                           "%lld: %s",
            (long long)tlFragmentLayoutAttrGetThreads(a), (long long)f->T,
            tlStrGet(&txt));
    goto fail;
  }
  MlirAffineMap core =
      composeMap(m, coreToFrag(mlirAffineMapGetContext(m), f));
  CoordView view = {f->rank, f->pos};
  Table t;
  if (!buildTable(core, f->core, f->coreRank, f->T,
                  mlirOperationGetLocation(f->alloca),
                  "'memref.alloca' op tl.layout", &view, &t))
    goto fail;
  free(t.e);
  tlStrFree(&txt);
  return core;
fail:
  st->failed = true;
  tlStrFree(&txt);
  return none;
}

/* Gathers the constraints of the copies touching fragments, in op order. */
static void collectGroupConstraints(State *st) {
  for (size_t i = 0; i < st->n; ++i) {
    Item *it = &st->items[i];
    if (it->group < 0)
      continue;
    Frag *root = &st->frags.f[it->group];
    for (int k = 0; k < 2; ++k) {
      int fi = it->s[k].frag;
      if (fi < 0)
        continue;
      Frag *f = &st->frags.f[fi];
      if (f->userSeen || mlirAttributeIsNull(f->user))
        continue;
      f->userSeen = true;
      MlirAffineMap core = userCoreLayout(st, f);
      if (mlirAffineMapIsNull(core)) {
        root->failed = true;
        continue;
      }
      TlStr what = {0}, name = {0};
      fragName(&name, f);
      tlStrAppendf(&what, "the tl.layout of %s is ", tlStrGet(&name));
      tlStrAppendAttr(&what, f->user);
      constrainGroup(st, it, root, core, tlStrGet(&what));
      tlStrFree(&what);
      tlStrFree(&name);
    }
    if (!mlirAttributeIsNull(it->loop) && !mlirAffineMapIsNull(it->loopMap)) {
      TlStr what = {0};
      tlStrAppendf(&what, "the %s of the copy at ",
                   it->fixed ? "thread_map" : "loop_layout");
      appendLineCol(&what, it->op);
      tlStrAppendf(&what, " is ");
      tlStrAppendAttr(&what, it->loop);
      constrainGroup(st, it, root, it->loopMap, tlStrGet(&what));
      tlStrFree(&what);
    }
  }
}

/* Chooses each group's layout and sets tl.layout on its allocas. */
//===--------------------------------------------------------------------===//
// ldmatrix / stmatrix (docs/mma-copies.md)
//===--------------------------------------------------------------------===//

static void targetOf(const State *st, MlirOperation op, char *chip, size_t n,
                     int *ptx);

/* The 8x8 mma fragment layout of an [R, C] tile over T threads: warp w
   owns rows [w*R/W, (w+1)*R/W); its 8x8 matrices are numbered q
   column-major (q = (c/8) * (R/W/8) + (r mod R/W)/8) and lane l holds row
   l/4, columns 2*(l%4), 2*(l%4)+1 of matrix q at locals 2q, 2q+1 (trans:
   column l/4, rows 2*(l%4), 2*(l%4)+1). */
static MlirAffineMap mmaMap(MlirContext ctx, int64_t R, int64_t C, int64_t T,
                            bool trans) {
  int64_t Rw = R / (T / 32);
  char buf[512];
  snprintf(buf, sizeof buf,
           "affine_map<(d0, d1) -> ((d0 floordiv %lld) * 32 + (%s mod 8) * 4 "
           "+ (%s mod 8) floordiv 2, ((d1 floordiv 8) * %lld + (d0 mod %lld) "
           "floordiv 8) * 2 + %s mod 2)>",
           (long long)Rw, trans ? "d1" : "d0", trans ? "d0" : "d1",
           (long long)(Rw / 8), (long long)Rw, trans ? "d0" : "d1");
  (void)C;
  return mlirAffineMapAttrGetValue(
      mlirAttributeParseGet(ctx, mlirStringRefCreateFromCString(buf)));
}

#define NO_MMA(...)                                                          \
  do {                                                                       \
    snprintf(it->mmaWhy, sizeof it->mmaWhy, __VA_ARGS__);                    \
    return false;                                                            \
  } while (0)

/* Whether a shared <-> fragment copy can be ldmatrix / stmatrix with the
   mma fragment layout (the layout itself is checked by the caller). */
static bool mmaCheck(const State *st, Item *it, const Frag *r) {
  it->mmaWhy[0] = 0;
  bool load;
  if (it->s[0].scope == TlScopeShared && it->s[1].scope == TlScopeFragment)
    load = true;
  else if (it->s[0].scope == TlScopeFragment &&
           it->s[1].scope == TlScopeShared)
    load = false;
  else
    NO_MMA("not a shared<->fragment copy");
  const Side *sh = &it->s[load ? 0 : 1];
  char chip[TL_MAX_OPTION_STRING];
  int ptx;
  targetOf(st, it->op, chip, sizeof chip, &ptx);
  int sm = atoi(chip + 3);
  if (load && sm < 75)
    NO_MMA("chip %s has no ldmatrix (sm_75+)", chip);
  if (!load && sm < 90)
    NO_MMA("chip %s has no stmatrix (sm_90+)", chip);
  if (ptx && ptx < (load ? 65 : 78))
    NO_MMA("%s needs PTX ISA %s, but the target's features say +ptx%d",
           load ? "ldmatrix" : "stmatrix", load ? "6.5" : "7.8", ptx);
  if (!mlirTypeEqual(it->s[0].elt, it->s[1].elt) || it->s[0].bits != 16)
    NO_MMA("ldmatrix/stmatrix move 16-bit elements of one type");
  if (!mlirAttributeIsNull(it->loop))
    NO_MMA("a loop_layout is given (SIMT only)");
  if (r->coreRank != 2)
    NO_MMA("the fragment's non-unit shape has rank %lld, not 2",
           (long long)r->coreRank);
  if (it->T % 32 != 0)
    NO_MMA("%lld threads is not a whole number of warps", (long long)it->T);
  int64_t W = it->T / 32, R = r->core[0], C = r->core[1];
  if (R % (8 * W) != 0 || C % 8 != 0)
    NO_MMA("the tile [%lld, %lld] is not a multiple of the warp tiling "
           "[%lld, 8] (%lld warps along the rows, 8x8 matrices)",
           (long long)R, (long long)C, (long long)(8 * W), (long long)W);
  int nonUnit = 0;
  for (intptr_t d = 0; d < sh->rank; ++d) {
    if (sh->ext[d] != 1)
      ++nonUnit;
    if (sh->check[d])
      NO_MMA("the shared region is bounds-checked");
  }
  if (nonUnit != 2)
    NO_MMA("the shared region has %d non-unit dimensions, not 2", nonUnit);
  Width w = {8, ""};
  limitByAddress(sh, sh->inner, true, &w);
  if (w.v < 8)
    NO_MMA("the shared rows are not 16-byte aligned: %.200s", w.why);
  return true;
}

/* Whether the group's copies let it take the mma fragment layout. */
static bool groupWantsMma(State *st, int root) {
  bool any = false;
  for (size_t i = 0; i < st->n; ++i) {
    Item *it = &st->items[i];
    if (it->group != root || !it->ok)
      continue;
    if (it->fixed || !mlirAttributeIsNull(it->loop))
      return false;
    if (it->useLdmatrix == 0)
      continue;
    if (mmaCheck(st, it, &st->frags.f[root]))
      any = true;
  }
  return any;
}

static void decideGroups(State *st, MlirContext ctx) {
  /* Demands and candidates of the copies that are still to be inferred. */
  for (size_t i = 0; i < st->n; ++i) {
    Item *it = &st->items[i];
    if (it->group < 0 || it->fixed)
      continue;
    Frag *r = &st->frags.f[it->group];
    if (it->demand > r->demand)
      r->demand = it->demand;
    if (!r->minCand || it->cand.v < r->minCand)
      r->minCand = it->cand.v;
    if (it->cand.v > r->maxCand)
      r->maxCand = it->cand.v;
  }
  for (size_t i = 0; i < st->frags.n; ++i) {
    Frag *r = &st->frags.f[i];
    if (findRoot(&st->frags, (int)i) != (int)i || r->failed)
      continue;
    if (r->hasRef) {
      Table t;
      CoordView view = {r->rank, r->pos};
      if (!buildTable(r->ref, r->core, r->coreRank, r->T,
                      mlirOperationGetLocation(r->alloca),
                      "'memref.alloca' op layout", &view, &t)) {
        st->failed = r->failed = true;
        continue;
      }
      r->vf = tableWidth(&t, r->coreRank ? r->core[r->coreRank - 1] : 1,
                         r->maxCand ? r->maxCand : 16);
      r->locals = t.locals;
      free(t.e);
    } else if (r->demand <= 2 && groupWantsMma(st, (int)i)) {
      /* A shared <-> fragment copy can be ldmatrix / stmatrix: the mma
         fragment layout (docs/mma-copies.md); 2 elements per chunk. */
      r->ref = mmaMap(ctx, r->core[0], r->core[1], r->T, false);
      r->vf = 2;
      r->locals = 2 * (r->core[0] / (r->T / 32) / 8) * (r->core[1] / 8);
      r->hasRef = true;
    } else {
      /* The smallest candidate, so that every copy can use it, raised to
         the largest coalesced_width a copy demands. */
      r->vf = r->minCand ? r->minCand : 1;
      if (r->demand > r->vf)
        r->vf = r->demand;
      r->ref = defaultMap(ctx, r->core, r->coreRank, r->vf, r->T);
      r->locals = defaultLocals(product(r->core, r->coreRank), r->vf, r->T);
      r->hasRef = true;
    }
  }
  /* tl.layout on every alloca of a group that lacks one. */
  for (size_t i = 0; i < st->frags.n; ++i) {
    Frag *f = &st->frags.f[i];
    Frag *r = &st->frags.f[findRoot(&st->frags, (int)i)];
    if (r->failed || !mlirAttributeIsNull(f->user))
      continue;
    MlirAffineMap m = composeMap(r->ref, fragToCore(ctx, f));
    setAttr(f->alloca, "tl.layout", tlFragmentLayoutAttrGet(m, r->T, 1));
  }
}

//===--------------------------------------------------------------------===//
// Final attributes
//===--------------------------------------------------------------------===//

static bool applyDemand(State *st, Item *it, Width *w) {
  if (!it->demand)
    return true;
  if (w->v % it->demand != 0) {
    errorAt(st, it->op, "coalesced_width %lld does not divide the inferred "
                        "vector width %lld (%s)",
            (long long)it->demand, (long long)w->v, w->why);
    return false;
  }
  w->v = it->demand;
  return true;
}

static void targetOf(const State *st, MlirOperation op, char *chip, size_t n,
                     int *ptx);

#define NO_CP(...)                                                           \
  do {                                                                       \
    snprintf(it->cpWhy, sizeof it->cpWhy, __VA_ARGS__);                      \
    return false;                                                            \
  } while (0)


/* Whether the copy's safe value (annotations.safe_value) is absent or 0:
   the copy engines fill out-of-bounds elements with zeros. */
static bool safeValueIsZero(const TlCopyOptions *o) {
  if (mlirAttributeIsNull(o->annotations))
    return true;
  MlirAttribute sv = mlirDictionaryAttrGetElementByName(
      o->annotations, mlirStringRefCreateFromCString("safe_value"));
  return mlirAttributeIsNull(sv) ||
         (mlirAttributeIsAInteger(sv) && mlirIntegerAttrGetValueInt(sv) == 0) ||
         (mlirAttributeIsAFloat(sv) && mlirFloatAttrGetValueDouble(sv) == 0.0);
}
/* Whether a global -> shared copy with vector width v can be cp.async
   (docs/mma-copies.md); else the reason in cpWhy. */
static bool cpAsyncCheck(const State *st, Item *it, int64_t v) {
  it->cpWhy[0] = 0;
  if (it->s[0].scope != TlScopeGlobal || it->s[1].scope != TlScopeShared)
    NO_CP("cp.async copies global to shared memory only");
  char chip[TL_MAX_OPTION_STRING];
  int ptx;
  targetOf(st, it->op, chip, sizeof chip, &ptx);
  if (atoi(chip + 3) < 80)
    NO_CP("chip %s has no cp.async (sm_80+)", chip);
  if (ptx && ptx < 70)
    NO_CP("cp.async needs PTX ISA 7.0, but the target's features say +ptx%d",
          ptx);
  if (!mlirAttributeIsNull(it->loop))
    NO_CP("a loop_layout is given (SIMT only)");
  if (!mlirTypeEqual(it->s[0].elt, it->s[1].elt))
    NO_CP("the copy casts its elements (cp.async moves bytes)");
  if (it->s[0].bits % 8 != 0)
    NO_CP("sub-byte elements");
  int64_t bytes = v * (it->s[0].bits / 8);
  if (bytes != 4 && bytes != 8 && bytes != 16)
    NO_CP("chunks of %lld bytes (v=%lld); cp.async moves 4, 8 or 16",
          (long long)bytes, (long long)v);
  TlCopyOptions o = tlCopyOpGetOptions(it->op);
  if (o.evictionPolicy == TlEvictFirst || o.evictionPolicy == TlEvictLast)
    NO_CP("an eviction_policy is set (cp.async has no L1 eviction "
          "qualifier)");
  if (!safeValueIsZero(&o))
    NO_CP("safe_value is not 0 (cp.async fills with zeros)");
  return true;
}

static void finishItem(State *st, Item *it, MlirContext ctx) {
  Width w = it->cand;
  const char *inst = "simt";
  MlirAffineMap map;
  if (it->group >= 0) {
    Frag *r = &st->frags.f[it->group];
    if (r->failed)
      return;
    TlStr name = {0};
    fragName(&name, r);
    limitTo(&w, r->vf, "the layout of the fragment %s allows %lld",
            tlStrGet(&name), (long long)r->vf);
    tlStrFree(&name);
    if (it->s[0].frag >= 0 && it->s[1].frag >= 0)
      inst = "direct";
    map = r->ref;
    it->locals = r->locals;
    /* ldmatrix / stmatrix when the layout is the mma layout or its
       transpose (docs/mma-copies.md). */
    bool sf = it->s[0].scope == TlScopeShared ||
              it->s[1].scope == TlScopeShared;
    if (sf && !it->fixed) {
      bool can = it->useLdmatrix != 0 && mmaCheck(st, it, r);
      if (it->useLdmatrix == 0)
        snprintf(it->mmaWhy, sizeof it->mmaWhy, "use_ldmatrix = false");
      bool unknown = false;
      int64_t where[MAX_RANK];
      bool plain = false, trans = false;
      if (can) {
        plain = !mapsDiffer(r->ref, mmaMap(ctx, r->core[0], r->core[1],
                                           r->T, false),
                            r->core, r->coreRank, where, &unknown) &&
                !unknown;
        trans = !plain &&
                !mapsDiffer(r->ref, mmaMap(ctx, r->core[0], r->core[1],
                                           r->T, true),
                            r->core, r->coreRank, where, &unknown) &&
                !unknown;
        if (!plain && !trans) {
          can = false;
          snprintf(it->mmaWhy, sizeof it->mmaWhy,
                   "the fragment's layout is not the 8x8 mma fragment "
                   "layout or its transpose");
        }
      }
      if (it->useLdmatrix == 1 && !can) {
        errorAt(st, it->op, "use_ldmatrix = true, but %s cannot be used: %s",
                it->s[0].scope == TlScopeShared ? "ldmatrix" : "stmatrix",
                it->mmaWhy);
        return;
      }
      if (can) {
        inst = it->s[0].scope == TlScopeShared ? "ldmatrix" : "stmatrix";
        w.v = 2;
        if (trans)
          setAttr(it->op, "mma_trans", mlirBoolAttrGet(ctx, 1));
      }
    }
  } else if (!mlirAttributeIsNull(it->loop)) {
    limitTo(&w, it->loopVf, "the loop_layout allows %lld",
            (long long)it->loopVf);
    map = it->loopMap;
    it->locals = it->loopLocals;
  } else {
    map = (MlirAffineMap){NULL};
  }
  if (!applyDemand(st, it, &w))
    return;
  it->v = w.v;
  /* cp.async: the default global -> shared path on sm_80..sm_89, chosen
     by annotations use_cp_async = true elsewhere (docs/mma-copies.md). */
  if (!it->im2col && it->s[0].scope == TlScopeGlobal &&
      it->s[1].scope == TlScopeShared) {
    char chip[TL_MAX_OPTION_STRING];
    int ptx;
    targetOf(st, it->op, chip, sizeof chip, &ptx);
    int sm = atoi(chip + 3);
    bool can = cpAsyncCheck(st, it, w.v);
    bool dflt = sm >= 80 && sm < 90;
    bool want = it->useCpAsync == 1 || (it->useCpAsync < 0 && dflt);
    if (it->useCpAsync == 1 && !can) {
      errorAt(st, it->op, "use_cp_async = true, but cp.async cannot be used: "
                          "%s",
              it->cpWhy);
      return;
    }
    if (can && want)
      inst = "cp_async";
    else if (can && it->useCpAsync == 0)
      snprintf(it->cpWhy, sizeof it->cpWhy, "use_cp_async = false");
    else if (!dflt && it->useCpAsync < 0)
      it->cpWhy[0] = 0; /* not cp.async's chip: nothing to report */
  }
  /* tl.c2d_im2col: TMA im2col when possible, else the reason in tmaWhy
     (docs/im2col.md, "The TMA path"). */
  TlTensorMapDesc im2colMap;
  if (it->im2col && tlIm2ColCanUseTMA(it->op, st->opts->chip, &im2colMap,
                                      it->tmaWhy, sizeof it->tmaWhy)) {
    /* As for copies: SIMT measured as fast or faster (docs/performance.md). */
    if (st->opts->preferTma)
      inst = "tma_im2col";
    else
      snprintf(it->tmaWhy, sizeof it->tmaWhy,
               "SIMT is the measured default (docs/performance.md); "
               "prefer-tma selects TMA");
  }
  it->inst = inst;
  if (!mlirAttributeIsNull(it->loop)) {
    it->map = it->loop; /* recorded unchanged */
  } else {
    if (mlirAffineMapIsNull(map)) {
      map = defaultMap(ctx, it->base, it->baseRank, w.v, it->T);
      it->locals =
          defaultLocals(product(it->base, it->baseRank), w.v, it->T);
    }
    it->map = tlFragmentLayoutAttrGet(map, it->T, 1);
  }
  setAttr(it->op, "inst",
          mlirStringAttrGet(ctx, mlirStringRefCreateFromCString(inst)));
  setAttr(it->op, "vector_width",
          mlirIntegerAttrGet(mlirIntegerTypeGet(ctx, 64), w.v));
  setAttr(it->op, "thread_map", it->map);
}

static const char *const kInstKinds[] = {
    "simt",      "direct",     "tma_load", "tma_store", "bulk_load",
    "bulk_store", "ldmatrix", "stmatrix", "cp_async", "tma_im2col"};

/* A copy that already carries inst: its attributes must be well-formed.
   For per-thread kinds the thread_map is read back (as a constraint on the
   copy's fragments). Returns false after an error. */
static bool revalidate(State *st, Item *it) {
  MlirAttribute inst = getAttr(it->op, "inst");
  it->inst = NULL;
  if (mlirAttributeIsAString(inst)) {
    MlirStringRef s = mlirStringAttrGetValue(inst);
    for (size_t k = 0; k < sizeof kInstKinds / sizeof kInstKinds[0]; ++k)
      if (s.length == strlen(kInstKinds[k]) &&
          !memcmp(s.data, kInstKinds[k], s.length))
        it->inst = kInstKinds[k];
  }
  if (!it->inst) {
    TlStr txt = {0};
    tlStrAppendAttr(&txt, inst);
    errorAt(st, it->op, "has an unknown inst %s", tlStrGet(&txt));
    tlStrFree(&txt);
    return false;
  }
  if (!strcmp(it->inst, "tma_load") || !strcmp(it->inst, "tma_store")) {
    MlirAttribute box = getAttr(it->op, "tma_box");
    MlirAttribute swz = getAttr(it->op, "tma_swizzle");
    if (mlirAttributeIsNull(box) || !mlirAttributeIsADenseI64Array(box) ||
        mlirAttributeIsNull(swz) || !mlirAttributeIsAInteger(swz)) {
      errorAt(st, it->op, "has inst = \"%s\" but no tma_box / tma_swizzle",
              it->inst);
      return false;
    }
    it->tma = true;
    it->boxRank = mlirDenseArrayGetNumElements(box);
    for (intptr_t d = 0; d < it->boxRank && d < MAX_RANK; ++d)
      it->box[d] = mlirDenseI64ArrayGetElement(box, d);
    it->swizzle = mlirIntegerAttrGetValueInt(swz);
    it->nBoxes = 0;
    for (int i = 0; i < 2; ++i) {
      long k = markWorkgroup(st, it->s[i].buffer);
      if (k >= 0 && st->wg[k].align < 128)
        st->wg[k].align = 128;
    }
    return true;
  }
  if (!strcmp(it->inst, "bulk_load") || !strcmp(it->inst, "bulk_store")) {
    it->bulk = true;
    return true; /* shared buffers keep their 16-byte alignment */
  }
  MlirAttribute vw = getAttr(it->op, "vector_width");
  int64_t v = 0;
  if (!mlirAttributeIsNull(vw) && mlirAttributeIsAInteger(vw))
    v = mlirIntegerAttrGetValueInt(vw);
  if (v <= 0 || (v & (v - 1))) {
    TlStr t = {0};
    tlStrAppendAttr(&t, vw);
    errorAt(st, it->op, "has inst but vector_width %s is not a positive "
                        "power of two",
            tlStrGet(&t));
    tlStrFree(&t);
    return false;
  }
  it->v = v;
  bool perThread = !strcmp(it->inst, "simt") || !strcmp(it->inst, "direct") ||
                   !strcmp(it->inst, "cp_async");
  MlirAttribute tm = getAttr(it->op, "thread_map");
  it->map = tm;
  if (!perThread)
    return true;
  if (mlirAttributeIsNull(tm)) {
    errorAt(st, it->op, "has inst = \"%s\" but no thread_map", it->inst);
    return false;
  }
  it->loop = tm;
  Width keep = it->cand;
  it->cand.v = v;
  bool ok = checkLoopLayout(st, it, "thread_map");
  it->cand = keep;
  it->locals = it->loopLocals;
  return ok;
}

//===--------------------------------------------------------------------===//
// TMA (docs/tma.md)
//===--------------------------------------------------------------------===//

#define TMA_MAX_RANK 5
#define TMA_MAX_BOX 256
#define TMA_MAX_BOXES 64
/* mbarrier transaction counts are 20-bit. */
#define TMA_MAX_BYTES ((INT64_C(1) << 20) - 1)

/* The `tl.swizzle` of workgroup attribution i of f (bytes), or -1. */
static int64_t userSwizzleOf(MlirOperation f, intptr_t i) {
  MlirAttribute arr = getAttr(f, "workgroup_attrib_attrs");
  if (mlirAttributeIsNull(arr) || !mlirAttributeIsAArray(arr) ||
      i >= mlirArrayAttrGetNumElements(arr))
    return -1;
  MlirAttribute d = mlirArrayAttrGetElement(arr, i);
  if (!mlirAttributeIsADictionary(d))
    return -1;
  MlirAttribute s = mlirDictionaryAttrGetElementByName(
      d, mlirStringRefCreateFromCString("tl.swizzle"));
  if (mlirAttributeIsNull(s) || !mlirAttributeIsAInteger(s))
    return -1;
  return mlirIntegerAttrGetValueInt(s);
}


/* The chip and PTX version (0: not stated) of the op's gpu.module's
   #nvvm.target; the pass option's chip when there is none. */
static void targetOf(const State *st, MlirOperation op, char *chip, size_t n,
                     int *ptx) {
  snprintf(chip, n, "%s", st->opts->chip);
  *ptx = 0;
  MlirOperation m = mlirOperationGetParentOperation(op);
  while (!mlirOperationIsNull(m) && !tlOpIsNamed(m, "gpu.module"))
    m = mlirOperationGetParentOperation(m);
  if (mlirOperationIsNull(m))
    return;
  MlirAttribute targets = getAttr(m, "targets");
  if (mlirAttributeIsNull(targets) || !mlirAttributeIsAArray(targets))
    return;
  for (intptr_t i = 0; i < mlirArrayAttrGetNumElements(targets); ++i) {
    MlirAttribute t = mlirArrayAttrGetElement(targets, i);
    if (!tlAttrPrintsWithPrefix(t, "#nvvm.target"))
      continue;
    TlStr s = {0};
    tlStrAppendAttr(&s, t);
    if (!tlPrintedParam(tlStrGet(&s), "chip", chip, n))
      snprintf(chip, n, "sm_50"); /* NVVMTargetAttr's default */
    char feats[256];
    if (tlPrintedParam(tlStrGet(&s), "features", feats, sizeof feats)) {
      const char *p = strstr(feats, "+ptx");
      if (p)
        *ptx = atoi(p + 4);
    }
    tlStrFree(&s);
    return;
  }
}


static int64_t largestDivisorAtMost(int64_t x, int64_t cap) {
  for (int64_t d = x < cap ? x : cap; d > 1; --d)
    if (x % d == 0)
      return d;
  return 1;
}

static int swizzleMode(int64_t bytes) {
  return bytes == 32 ? 1 : bytes == 64 ? 2 : bytes == 128 ? 3 : 0;
}

/* The swizzle (bytes) of the shared side of a copy, 0 for none. */
static int64_t sideSwizzle(const State *st, const Side *s) {
  MlirOperation f;
  intptr_t i = workgroupIndex(s->buffer, &f);
  if (i < 0)
    return 0;
  for (size_t k = 0; k < st->nWg; ++k)
    if (mlirOperationEqual(st->wg[k].func, f) && st->wg[k].index == i)
      return st->wg[k].swizzle > 0 ? st->wg[k].swizzle : 0;
  return 0;
}

#define NO_TMA(...)                                                          \
  do {                                                                       \
    snprintf(it->tmaWhy, sizeof it->tmaWhy, __VA_ARGS__);                    \
    return false;                                                            \
  } while (0)

/* Whether the copy can be a TMA copy; fills box/nBoxes/tmaBytes/swizzle,
   or tmaWhy with the reason it cannot. */
static bool tmaCheck(State *st, Item *it) {
  it->tmaWhy[0] = 0;
  Side *g, *sh;
  bool load;
  if (it->s[0].scope == TlScopeGlobal && it->s[1].scope == TlScopeShared) {
    load = true;
    g = &it->s[0];
    sh = &it->s[1];
  } else if (it->s[0].scope == TlScopeShared &&
             it->s[1].scope == TlScopeGlobal) {
    load = false;
    g = &it->s[1];
    sh = &it->s[0];
  } else {
    NO_TMA("TMA copies between global and shared memory only (this copy "
           "is %s->%s)",
           tlScopeGetName(it->s[0].scope), tlScopeGetName(it->s[1].scope));
  }
  (void)load;
  char chip[TL_MAX_OPTION_STRING];
  int ptx;
  targetOf(st, it->op, chip, sizeof chip, &ptx);
  if (atoi(chip + 3) < 90)
    NO_TMA("chip %s has no TMA", chip);
  if (ptx && ptx < 80)
    NO_TMA("TMA needs PTX ISA 8.0, but the target's features say +ptx%d",
           ptx);
  TlCopyOptions o = tlCopyOpGetOptions(it->op);
  if (o.disableTma)
    NO_TMA("disable_tma is set");
  if (!mlirAttributeIsNull(it->loop))
    NO_TMA("a loop_layout is given (SIMT only)");
  if (it->demand)
    NO_TMA("coalesced_width is set (SIMT only)");
  if (!mlirTypeEqual(it->s[0].elt, it->s[1].elt)) {
    TlStr a = {0}, b = {0};
    tlStrAppendType(&a, it->s[0].elt);
    tlStrAppendType(&b, it->s[1].elt);
    snprintf(it->tmaWhy, sizeof it->tmaWhy,
             "the copy casts %s to %s (TMA moves bytes)", tlStrGet(&a),
             tlStrGet(&b));
    tlStrFree(&a);
    tlStrFree(&b);
    return false;
  }
  if (tlTensorMapDataType(g->elt) < 0 || g->bits % 8 != 0) {
    TlStr a = {0};
    tlStrAppendType(&a, g->elt);
    snprintf(it->tmaWhy, sizeof it->tmaWhy,
             "TMA cannot move %s elements", tlStrGet(&a));
    tlStrFree(&a);
    return false;
  }
  if (!safeValueIsZero(&o))
    NO_TMA("safe_value is not 0 (TMA fills with zeros)");
  int64_t eb = g->bits / 8;
  /* The global side: a kernel memref argument, static, row-major. */
  MlirOperation func = enclosingGpuFunc(it->op);
  if (mlirOperationIsNull(func) || mlirAttributeIsNull(getAttr(func, "gpu.kernel")) ||
      tlFuncInputIndex(func, g->buffer) < 0)
    NO_TMA("the global %s is not a memref argument of the kernel", g->role);
  bool gDyn = !mlirShapedTypeHasStaticShape(g->type);
  if (gDyn ? !mlirAffineMapIsIdentity(mlirMemRefTypeGetAffineMap(g->type))
           : !tlStaticRowMajor(g->type, NULL))
    NO_TMA("the global %s has a non-identity layout", g->role);
  intptr_t r = g->rank;
  if (r > TMA_MAX_RANK)
    NO_TMA("the global %s has rank %lld, TMA allows at most %d",
           g->role, (long long)r, TMA_MAX_RANK);
  /* Dynamic sizes (docs/dynamic.md): the stride is the static part times
     run-time sizes, a multiple of 16 when the static part is. */
  int64_t stride = eb;
  bool strideDyn = false;
  for (intptr_t d = r - 1; d >= 0; --d) {
    if (mlirShapedTypeIsDynamicDim(g->type, d)) {
      if (d < r - 1 && stride % 16 != 0)
        NO_TMA("dimension %lld of the global %s has a stride of %lld bytes "
               "times run-time sizes, not provably a multiple of 16",
               (long long)d, g->role, (long long)stride);
      strideDyn = true;
      continue;
    }
    if (strideDyn && d < r - 1 && stride % 16 != 0)
      NO_TMA("dimension %lld of the global %s has a stride of %lld bytes "
             "times run-time sizes, not provably a multiple of 16",
             (long long)d, g->role, (long long)stride);
    if (g->shape[d] >= (INT64_C(1) << 31))
      NO_TMA("dimension %lld of the global %s has %lld elements, more "
             "than TMA's 32-bit coordinates address",
             (long long)d, g->role, (long long)g->shape[d]);
    if (d < r - 1 && (stride % 16 != 0 || stride >= (INT64_C(1) << 40)))
      NO_TMA("dimension %lld of the global %s has a stride of %lld bytes; "
             "TMA needs a multiple of 16 below 2^40",
             (long long)d, g->role, (long long)stride);
    stride *= g->shape[d];
  }
  /* The box: the innermost extent C in blocks of W elements (a rank + 1
     map when W < C), outer extents in divisors <= 256. */
  int64_t C = g->ext[r - 1], N = g->shape[r - 1];
  int64_t swz = sideSwizzle(st, sh);
  if ((C * eb) % 16 != 0)
    NO_TMA("the innermost extent is %lld bytes (%lld elements), not a "
           "multiple of 16",
           (long long)(C * eb), (long long)C);
  int64_t idxDiv = tlIndexDivisor(g->idx[r - 1]);
  int64_t W = C;
  if (swz) {
    if ((C * eb) % swz != 0)
      NO_TMA("the innermost extent is %lld bytes, not a multiple of the "
             "%lld-byte swizzle span",
             (long long)(C * eb), (long long)swz);
    W = swz / eb;
  } else if (C > TMA_MAX_BOX) {
    for (W = TMA_MAX_BOX; W > 0; --W)
      if (C % W == 0 && (W * eb) % 16 == 0 && N % W == 0 && idxDiv % W == 0)
        break;
    if (W <= 0)
      NO_TMA("the innermost extent %lld is larger than %d and cannot be "
             "split into blocks that divide the global dimension %lld and "
             "the index",
             (long long)C, TMA_MAX_BOX, (long long)N);
  }
  if (W < C) {
    if (mlirShapedTypeIsDynamicDim(g->type, r - 1))
      NO_TMA("the innermost extent %lld would be split into blocks of %lld, "
             "but the innermost global dimension is dynamic",
             (long long)C, (long long)W);
    if (N % W != 0)
      NO_TMA("the innermost extent %lld is split into blocks of %lld, "
             "which do not divide the global dimension %lld",
             (long long)C, (long long)W, (long long)N);
    if (idxDiv % W != 0)
      NO_TMA("the innermost extent %lld is split into blocks of %lld, but "
             "the global index of dimension %lld is only known to be "
             "divisible by %lld",
             (long long)C, (long long)W, (long long)(r - 1),
             (long long)idxDiv);
    if (r + 1 > TMA_MAX_RANK)
      NO_TMA("splitting the innermost extent %lld into blocks of %lld "
             "needs a rank-%lld tensor map; TMA allows %d",
             (long long)C, (long long)W, (long long)(r + 1), TMA_MAX_RANK);
    if (C / W > TMA_MAX_BOX)
      NO_TMA("the innermost extent %lld needs %lld blocks of %lld, more "
             "than %d",
             (long long)C, (long long)(C / W), (long long)W, TMA_MAX_BOX);
  }
  int64_t nBoxes = 1, total = C * eb;
  for (intptr_t d = 0; d < r - 1; ++d) {
    it->box[d] = largestDivisorAtMost(g->ext[d], TMA_MAX_BOX);
    nBoxes *= g->ext[d] / it->box[d];
    total *= g->ext[d];
  }
  it->box[r - 1] = W;
  if (nBoxes > TMA_MAX_BOXES)
    NO_TMA("the region needs %lld boxes, more than %d", (long long)nBoxes,
           TMA_MAX_BOXES);
  if (total > TMA_MAX_BYTES)
    NO_TMA("the copy moves %lld bytes, more than one mbarrier transaction "
           "counts (%lld)",
           (long long)total, (long long)TMA_MAX_BYTES);
  /* The shared side: a workgroup attribution; the region a contiguous
     tile at a constant, aligned offset. */
  MlirOperation wf;
  if (workgroupIndex(sh->buffer, &wf) < 0)
    NO_TMA("the shared %s is not a workgroup attribution of the kernel",
           sh->role);
  if (!tlStaticRowMajor(sh->type, NULL))
    NO_TMA("the shared %s has a non-identity layout", sh->role);
  int64_t off = 0, sstride = 1;
  intptr_t first = -1;
  for (intptr_t d = 0; d < sh->rank; ++d)
    if (sh->ext[d] != 1 && first < 0)
      first = d;
  for (intptr_t d = sh->rank - 1; d >= 0; --d) {
    int64_t c;
    if (!tlGetConstantIndex(sh->idx[d], &c))
      NO_TMA("the shared region's index of dimension %lld is not a "
             "constant",
             (long long)d);
    if (d > first && first >= 0 && sh->ext[d] != sh->shape[d])
      NO_TMA("the shared region is not contiguous (dimension %lld: extent "
             "%lld of %lld)",
             (long long)d, (long long)sh->ext[d], (long long)sh->shape[d]);
    off += c * sstride;
    sstride *= sh->shape[d];
  }
  int64_t align = swz ? (INT64_C(128) << swizzleMode(swz)) : 128;
  /* Each box's start in the region (row-major, full inner rows). */
  int64_t rowBytes = C * eb;
  int64_t bstart[MAX_RANK] = {0};
  for (int64_t b = 0; b < nBoxes; ++b) {
    int64_t flat = 0, acc = rowBytes;
    for (intptr_t d = r - 2; d >= 0; --d) {
      flat += bstart[d] * acc;
      acc *= g->ext[d];
    }
    if ((off * eb + flat) % align != 0)
      NO_TMA("a box starts at byte %lld of the shared %s, not a multiple "
             "of %lld",
             (long long)(off * eb + flat), sh->role, (long long)align);
    for (intptr_t d = r - 2; d >= 0; --d) {
      bstart[d] += it->box[d];
      if (bstart[d] < g->ext[d])
        break;
      bstart[d] = 0;
    }
  }
  it->boxRank = r;
  it->nBoxes = nBoxes;
  it->tmaBytes = total;
  it->swizzle = swz;
  return true;
}

//===--------------------------------------------------------------------===//
// 1-D bulk copies (docs/tma.md, "Bulk copies")
//===--------------------------------------------------------------------===//

#define NO_BULK(...)                                                         \
  do {                                                                       \
    snprintf(it->bulkWhy, sizeof it->bulkWhy, __VA_ARGS__);                  \
    return false;                                                            \
  } while (0)

static int64_t gcd64(int64_t a, int64_t b) {
  while (b) {
    int64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/* Whether the copy can be one cp.async.bulk (global <-> shared, each side
   one contiguous run of memory, provably in bounds, 16-byte aligned, a
   multiple of 16 bytes); fills bulkBytes, or bulkWhy with the reason. */
static bool bulkCheck(State *st, Item *it) {
  it->bulkWhy[0] = 0;
  it->bulkBytes = 0;
  bool gs = it->s[0].scope == TlScopeGlobal && it->s[1].scope == TlScopeShared;
  bool sg = it->s[0].scope == TlScopeShared && it->s[1].scope == TlScopeGlobal;
  if (!gs && !sg)
    NO_BULK("bulk copies move between global and shared memory only (this "
            "copy is %s->%s)",
            tlScopeGetName(it->s[0].scope), tlScopeGetName(it->s[1].scope));
  char chip[TL_MAX_OPTION_STRING];
  int ptx;
  targetOf(st, it->op, chip, sizeof chip, &ptx);
  if (atoi(chip + 3) < 90)
    NO_BULK("chip %s has no bulk copies (sm_90 or later)", chip);
  if (ptx && ptx < 80)
    NO_BULK("bulk copies need PTX ISA 8.0, but the target's features say "
            "+ptx%d",
            ptx);
  TlCopyOptions o = tlCopyOpGetOptions(it->op);
  if (o.disableTma)
    NO_BULK("disable_tma is set (bulk copies use the TMA unit)");
  if (!mlirAttributeIsNull(it->loop))
    NO_BULK("a loop_layout is given (SIMT only)");
  if (it->demand)
    NO_BULK("coalesced_width is set (SIMT only)");
  if (!mlirTypeEqual(it->s[0].elt, it->s[1].elt))
    NO_BULK("the copy casts between element types (a bulk copy moves "
            "bytes)");
  if (it->s[0].bits % 8 != 0 || it->s[0].bits == 0)
    NO_BULK("the elements are not whole bytes");
  int64_t eb = it->s[0].bits / 8;
  int64_t total = -1;
  for (int i = 0; i < 2; ++i) {
    const Side *s = &it->s[i];
    const char *mem = s->scope == TlScopeGlobal ? "global" : "shared";
    for (intptr_t d = 0; d < s->rank; ++d)
      if (s->check[d])
        NO_BULK("the %s region is not provably in bounds (bounds_check on "
                "dimension %lld); a bulk copy has no bounds handling",
                s->role, (long long)d);
    if (!tlStaticRowMajor(s->type, NULL))
      NO_BULK("the %s %s has a dynamic shape or a non-identity layout",
              mem, s->role);
    if (s->scope == TlScopeShared && sideSwizzle(st, s) > 0)
      NO_BULK("the shared %s is swizzled (a bulk copy writes it linearly)",
              s->role);
    const char *what = "";
    if (baseAlignBytes(s->buffer, &what) < 16)
      NO_BULK("the start of the %s %s is not known to be 16-byte aligned "
              "(%s)",
              mem, s->role, what);
    intptr_t first = -1;
    for (intptr_t d = 0; d < s->rank; ++d)
      if (s->ext[d] != 1 && first < 0)
        first = d;
    int64_t bytes = eb, stride = eb;
    for (intptr_t d = s->rank - 1; d >= 0; --d) {
      if (first >= 0 && d > first && s->ext[d] != s->shape[d])
        NO_BULK("the %s region is not one contiguous run (dimension %lld: "
                "extent %lld of %lld)",
                s->role, (long long)d, (long long)s->ext[d],
                (long long)s->shape[d]);
      int64_t need = 16 / gcd64(stride % 16 == 0 ? 16 : stride, 16);
      int64_t div = tlIndexDivisor(s->idx[d]);
      if (div % need != 0)
        NO_BULK("the start of the %s region is not provably 16-byte "
                "aligned (the index of dimension %lld is only known to be "
                "divisible by %lld; its stride is %lld bytes)",
                s->role, (long long)d, (long long)div, (long long)stride);
      bytes *= s->ext[d];
      stride *= s->shape[d];
    }
    total = bytes;
  }
  if (total % 16 != 0)
    NO_BULK("the copy moves %lld bytes, not a multiple of 16", (long long)total);
  if (total > TMA_MAX_BYTES)
    NO_BULK("the copy moves %lld bytes, more than one mbarrier transaction "
            "counts (%lld)",
            (long long)total, (long long)TMA_MAX_BYTES);
  it->bulkBytes = total;
  return true;
}

/* annotations swizzle / use_tma. */
static int boolAnnotation(MlirAttribute ann, const char *key) {
  MlirAttribute u = mlirDictionaryAttrGetElementByName(
      ann, mlirStringRefCreateFromCString(key));
  if (!mlirAttributeIsNull(u) && mlirAttributeIsABool(u))
    return mlirBoolAttrGetValue(u);
  if (!mlirAttributeIsNull(u) && mlirAttributeIsAUnit(u))
    return 1;
  return -1;
}

static void readTmaOptions(Item *it) {
  it->swizzleDemand = -1;
  it->useTma = -1;
  it->useBulk = -1;
  it->useCpAsync = -1;
  it->useLdmatrix = -1;
  MlirAttribute ann = getAttr(it->op, "annotations");
  if (mlirAttributeIsNull(ann) || !mlirAttributeIsADictionary(ann))
    return;
  it->useCpAsync = boolAnnotation(ann, "use_cp_async");
  it->useBulk = boolAnnotation(ann, "use_bulk");
  it->useLdmatrix = boolAnnotation(ann, "use_ldmatrix");
  if (it->useLdmatrix < 0)
    it->useLdmatrix = boolAnnotation(ann, "use_stmatrix");
  MlirAttribute s = mlirDictionaryAttrGetElementByName(
      ann, mlirStringRefCreateFromCString("swizzle"));
  if (!mlirAttributeIsNull(s) && mlirAttributeIsAInteger(s))
    it->swizzleDemand = mlirIntegerAttrGetValueInt(s);
  MlirAttribute u = mlirDictionaryAttrGetElementByName(
      ann, mlirStringRefCreateFromCString("use_tma"));
  if (!mlirAttributeIsNull(u) && mlirAttributeIsABool(u))
    it->useTma = mlirBoolAttrGetValue(u);
  else if (!mlirAttributeIsNull(u) && mlirAttributeIsAUnit(u))
    it->useTma = 1;
}

static void describeWorkgroup(TlStr *s, const State *st, size_t k) {
  MlirOperation f = st->wg[k].func;
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(f, 0));
  intptr_t inputs = mlirFunctionTypeGetNumInputs(
      mlirTypeAttrGetValue(getAttr(f, "function_type")));
  tlStrAppendType(s, mlirValueGetType(
                         mlirBlockGetArgument(entry, inputs + st->wg[k].index)));
  MlirAttribute name = getAttr(f, "sym_name");
  MlirStringRef n = mlirAttributeIsNull(name) || !mlirAttributeIsAString(name)
                        ? mlirStringRefCreateFromCString("?")
                        : mlirStringAttrGetValue(name);
  tlStrAppendf(s, " (workgroup attribution %lld of @%.*s)",
               (long long)st->wg[k].index, (int)n.length, n.data);
}

/* Applies a copy's swizzle demand to its shared buffers. */
static void demandSwizzle(State *st, Item *it, int64_t swz) {
  bool any = false;
  for (int i = 0; i < 2; ++i) {
    long k = markWorkgroup(st, it->s[i].buffer);
    if (k < 0)
      continue;
    any = true;
    int64_t have = st->wg[k].swizzle;
    if (have < 0 || (have == swz && mlirOperationIsNull(st->wg[k].setter))) {
      st->wg[k].swizzle = swz;
      st->wg[k].setter = it->op;
      continue;
    }
    if (have == swz)
      continue;
    TlStr buf = {0}, who = {0};
    describeWorkgroup(&buf, st, (size_t)k);
    if (mlirOperationIsNull(st->wg[k].setter))
      tlStrAppendf(&who, "its tl.swizzle is %lld", (long long)have);
    else {
      tlStrAppendf(&who, "the copy at ");
      appendLineCol(&who, st->wg[k].setter);
      tlStrAppendf(&who, " demands %lld", (long long)have);
    }
    errorAt(st, it->op, "conflicting swizzles for the shared buffer %s: this "
                        "copy demands %lld, but %s",
            tlStrGet(&buf), (long long)swz, tlStrGet(&who));
    tlStrFree(&buf);
    tlStrFree(&who);
    it->ok = false;
  }
  if (!any && swz > 0) {
    errorAt(st, it->op, "annotations swizzle = %lld applies to a shared "
                        "buffer, but the copy touches no workgroup "
                        "attribution",
            (long long)swz);
    it->ok = false;
  }
}

/* Bank-conflict-free ldmatrix/stmatrix (docs/mma-copies.md): a shared
   buffer that a 16-bit shared<->fragment copy touches on a chip with
   ldmatrix, whose swizzle nobody decided, gets the 128-byte swizzle when
   its rows are whole multiples of 128 bytes; every copy path addresses it
   through the swizzle. Buffers that tl.c2d_im2col writes keep none. */
static void autoSwizzleForMma(State *st) {
  for (size_t i = 0; i < st->n; ++i) {
    Item *it = &st->items[i];
    if (!it->ok || it->im2col || it->fixed)
      continue;
    int fragSide = it->s[0].scope == TlScopeFragment   ? 0
                   : it->s[1].scope == TlScopeFragment ? 1
                                                       : -1;
    if (fragSide < 0 || it->s[1 - fragSide].scope != TlScopeShared ||
        it->s[0].bits != 16 || it->s[1].bits != 16)
      continue;
    char chip[TL_MAX_OPTION_STRING];
    int ptx;
    targetOf(st, it->op, chip, sizeof chip, &ptx);
    if (atoi(chip + 3) < 75)
      continue;
    const Side *sh = &it->s[1 - fragSide];
    long k = markWorkgroup(st, sh->buffer);
    if (k < 0 || st->wg[k].swizzle >= 0)
      continue;
    MlirType t = mlirValueGetType(sh->buffer);
    intptr_t rank = mlirShapedTypeGetRank(t);
    if (!tlStaticRowMajor(t, NULL) || rank < 1)
      continue;
    /* The widest span that divides a row: 8 rows of 16-byte ldmatrix reads
       then fall in different banks. */
    int64_t rowBytes = mlirShapedTypeGetDimSize(t, rank - 1) * 2;
    int64_t span = rowBytes % 128 == 0 ? 128
                   : rowBytes % 64 == 0 ? 64
                   : rowBytes % 32 == 0 ? 32
                                        : 0;
    /* Not with TMA or bulk copies in play (their boxes depend on the span)
       nor with an im2col writing the buffer (it cannot swizzle). */
    bool blocked = span == 0 || st->opts->preferTma;
    for (size_t j = 0; j < st->n && !blocked; ++j) {
      const Item *o = &st->items[j];
      bool touches = markWorkgroup(st, o->s[0].buffer) == k ||
                     markWorkgroup(st, o->s[1].buffer) == k;
      blocked = touches && (o->im2col || o->useTma == 1 || o->useBulk == 1 ||
                           o->fixed);
    }
    if (blocked)
      continue;
    st->wg[k].swizzle = span;
    st->wg[k].setter = it->op;
  }
}

/* Swizzles of shared buffers: user tl.swizzle, annotations, fixed copies;
   then checks every swizzled buffer can be addressed through it. */
static void decideSwizzles(State *st) {
  for (size_t i = 0; i < st->n; ++i) {
    Item *it = &st->items[i];
    if (!it->ok || it->im2col)
      continue;
    readTmaOptions(it);
    if (it->fixed) {
      MlirAttribute ts = getAttr(it->op, "tma_swizzle");
      if (!mlirAttributeIsNull(ts) && mlirAttributeIsAInteger(ts))
        demandSwizzle(st, it, mlirIntegerAttrGetValueInt(ts));
    } else if (it->swizzleDemand >= 0) {
      demandSwizzle(st, it, it->swizzleDemand);
    }
  }
  autoSwizzleForMma(st);
  for (size_t k = 0; k < st->nWg; ++k) {
    int64_t swz = st->wg[k].swizzle;
    if (swz <= 0)
      continue;
    MlirOperation f = st->wg[k].func;
    MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(f, 0));
    intptr_t inputs = mlirFunctionTypeGetNumInputs(
        mlirTypeAttrGetValue(getAttr(f, "function_type")));
    MlirType t =
        mlirValueGetType(mlirBlockGetArgument(entry, inputs + st->wg[k].index));
    MlirOperation at = mlirOperationIsNull(st->wg[k].setter)
                           ? f
                           : st->wg[k].setter;
    TlStr buf = {0};
    describeWorkgroup(&buf, st, k);
    if (swizzleMode(swz) == 0) {
      errorAt(st, at, "swizzle of the shared buffer %s must be 32, 64 or "
                      "128 bytes, got %lld",
              tlStrGet(&buf), (long long)swz);
    } else if (!tlStaticRowMajor(t, NULL)) {
      errorAt(st, at, "the swizzled shared buffer %s needs a static shape "
                      "and the identity layout",
              tlStrGet(&buf));
    } else {
      int64_t bytes = storageBits(mlirShapedTypeGetElementType(t)) / 8;
      for (intptr_t d = 0; d < mlirShapedTypeGetRank(t); ++d)
        bytes *= mlirShapedTypeGetDimSize(t, d);
      if (bytes % swz != 0)
        errorAt(st, at, "the swizzled shared buffer %s has %lld bytes, not a "
                        "multiple of the %lld-byte swizzle span",
                tlStrGet(&buf), (long long)bytes, (long long)swz);
      int64_t need = INT64_C(128) << swizzleMode(swz);
      if (need > st->wg[k].align)
        st->wg[k].align = need;
    }
    tlStrFree(&buf);
  }
  /* tl.c2d_im2col does not address through a swizzle. */
  for (size_t i = 0; i < st->n; ++i) {
    Item *it = &st->items[i];
    if (!it->ok || !it->im2col)
      continue;
    int64_t swz = sideSwizzle(st, &it->s[1]);
    if (swz > 0) {
      errorAt(st, it->op, "writes a shared buffer swizzled by %lld bytes; "
                          "tl.c2d_im2col does not support swizzled column "
                          "tiles",
              (long long)swz);
      it->ok = false;
    }
  }
}

/* TMA for each copy that can use it (or must: use_tma). */
static void selectTma(State *st, MlirContext ctx) {
  for (size_t i = 0; i < st->n; ++i) {
    Item *it = &st->items[i];
    if (!it->ok || it->fixed || it->im2col)
      continue;
    bool can = tmaCheck(st, it);
    bool bulkCan = bulkCheck(st, it);
    TlCopyOptions o = tlCopyOpGetOptions(it->op);
    bool load = it->s[0].scope == TlScopeGlobal;
    /* Bulk copies: on demand (use_bulk), or with prefer-tma ahead of a
       tiled TMA (one instruction, no tensor map). */
    const char *clash = it->useBulk != 1 ? NULL
                        : it->useTma == 1 ? "use_tma = true"
                        : it->useCpAsync == 1 ? "use_cp_async = true"
                        : o.disableTma ? "disable_tma" : NULL;
    if (clash) {
      errorAt(st, it->op, "use_bulk = true and %s contradict each other",
              clash);
      it->ok = false;
      continue;
    }
    if (it->useBulk == 1 && !bulkCan) {
      errorAt(st, it->op, "use_bulk = true, but a bulk copy cannot be used: "
                          "%s",
              it->bulkWhy);
      it->ok = false;
      continue;
    }
    bool wantBulk = it->useBulk == 1 ||
                    (it->useBulk < 0 && st->opts->preferTma &&
                     it->useTma != 1 && it->useCpAsync != 1);
    if (bulkCan && wantBulk) {
      it->bulk = true;
      it->tmaWhy[0] = 0;
      it->inst = load ? "bulk_load" : "bulk_store";
      setAttr(it->op, "inst", mlirStringAttrGet(ctx, mlirStringRefCreateFromCString(
                                                         it->inst)));
      continue;
    }
    if (bulkCan)
      snprintf(it->bulkWhy, sizeof it->bulkWhy, "%s",
               it->useBulk == 0       ? "use_bulk = false"
               : it->useTma == 1      ? "use_tma = true"
               : it->useCpAsync == 1  ? "use_cp_async is set"
                                      : "use_bulk = true or prefer-tma "
                                        "selects it");
    else if (!strncmp(it->bulkWhy, "chip ", 5) ||
             !strncmp(it->bulkWhy, "bulk copies move", 16))
      it->bulkWhy[0] = 0; /* not a bulk-copy chip or copy: nothing to say */
    if (it->useTma == 1 && it->useCpAsync == 1) {
      errorAt(st, it->op, "use_tma = true and use_cp_async = true contradict "
                          "each other");
      it->ok = false;
      continue;
    }
    if (can && it->useCpAsync == 1) {
      snprintf(it->tmaWhy, sizeof it->tmaWhy, "use_cp_async is set");
      can = false;
    }
    if (it->useTma == 1 && o.disableTma) {
      errorAt(st, it->op, "use_tma = true and disable_tma contradict each "
                          "other");
      it->ok = false;
      continue;
    }
    if (!can) {
      if (it->useTma == 1) {
        errorAt(st, it->op, "use_tma = true, but TMA cannot be used: %s",
                it->tmaWhy);
        it->ok = false;
      }
      continue;
    }
    /* Legal, but the benchmark measured the SIMT path faster for tile
       copies (docs/performance.md): TMA only on demand. */
    if (it->useTma != 1 && !st->opts->preferTma) {
      snprintf(it->tmaWhy, sizeof it->tmaWhy,
               "SIMT is the measured-faster default (docs/performance.md); "
               "use_tma = true or prefer-tma selects TMA");
      continue;
    }
    it->tma = true;
    it->inst = load ? "tma_load" : "tma_store";
    setAttr(it->op, "inst",
            mlirStringAttrGet(ctx, mlirStringRefCreateFromCString(it->inst)));
    setAttr(it->op, "tma_box", mlirDenseI64ArrayGet(ctx, it->boxRank, it->box));
    setAttr(it->op, "tma_swizzle",
            mlirIntegerAttrGet(mlirIntegerTypeGet(ctx, 64), it->swizzle));
    long k = markWorkgroup(st, it->s[load ? 1 : 0].buffer);
    if (k >= 0 && st->wg[k].align < 128)
      st->wg[k].align = 128;
  }
}

//===--------------------------------------------------------------------===//
// Shared buffers
//===--------------------------------------------------------------------===//

static void alignWorkgroups(State *st, MlirContext ctx) {
  for (size_t i = 0; i < st->nWg; ++i) {
    MlirOperation f = st->wg[i].func;
    bool first = true;
    for (size_t j = 0; j < i; ++j)
      if (mlirOperationEqual(st->wg[j].func, f))
        first = false;
    if (!first)
      continue;
    intptr_t count =
        mlirIntegerAttrGetValueInt(getAttr(f, "workgroup_attributions"));
    MlirAttribute old = getAttr(f, "workgroup_attrib_attrs");
    bool hasOld = !mlirAttributeIsNull(old) && mlirAttributeIsAArray(old);
    MlirAttribute *dicts = malloc(sizeof(MlirAttribute) * (size_t)(count + 1));
    if (!dicts)
      abort();
    MlirIdentifier alignName =
        mlirIdentifierGet(ctx, mlirStringRefCreateFromCString("llvm.align"));
    for (intptr_t w = 0; w < count; ++w) {
      MlirAttribute d = hasOld && w < mlirArrayAttrGetNumElements(old)
                            ? mlirArrayAttrGetElement(old, w)
                            : (MlirAttribute){NULL};
      if (mlirAttributeIsNull(d) || !mlirAttributeIsADictionary(d))
        d = mlirDictionaryAttrGet(ctx, 0, NULL);
      bool touched = false;
      int64_t needAlign = BASE_ALIGN, swz = 0;
      for (size_t j = i; j < st->nWg; ++j)
        if (mlirOperationEqual(st->wg[j].func, f) && st->wg[j].index == w) {
          touched = true;
          if (st->wg[j].align > needAlign)
            needAlign = st->wg[j].align;
          if (st->wg[j].swizzle > 0)
            swz = st->wg[j].swizzle;
        }
      if (touched) {
        MlirIdentifier swzName = mlirIdentifierGet(
            ctx, mlirStringRefCreateFromCString("tl.swizzle"));
        MlirAttribute a = mlirDictionaryAttrGetElementByName(
            d, mlirStringRefCreateFromCString("llvm.align"));
        MlirAttribute sa = mlirDictionaryAttrGetElementByName(
            d, mlirStringRefCreateFromCString("tl.swizzle"));
        bool enough = !mlirAttributeIsNull(a) && mlirAttributeIsAInteger(a) &&
                      mlirIntegerAttrGetValueInt(a) >= needAlign;
        bool swzOk = swz == 0 || (!mlirAttributeIsNull(sa) &&
                                  mlirAttributeIsAInteger(sa) &&
                                  mlirIntegerAttrGetValueInt(sa) == swz);
        if (!enough || !swzOk) {
          intptr_t n = mlirDictionaryAttrGetNumElements(d);
          MlirNamedAttribute *el =
              malloc(sizeof(MlirNamedAttribute) * (size_t)(n + 2));
          if (!el)
            abort();
          intptr_t k = 0;
          for (intptr_t e = 0; e < n; ++e) {
            MlirNamedAttribute na = mlirDictionaryAttrGetElement(d, e);
            if ((!enough && mlirIdentifierEqual(na.name, alignName)) ||
                (!swzOk && mlirIdentifierEqual(na.name, swzName)))
              continue;
            el[k++] = na;
          }
          if (!enough)
            el[k++] = mlirNamedAttributeGet(
                alignName,
                mlirIntegerAttrGet(mlirIntegerTypeGet(ctx, 64), needAlign));
          if (!swzOk)
            el[k++] = mlirNamedAttributeGet(
                swzName, mlirIntegerAttrGet(mlirIntegerTypeGet(ctx, 64), swz));
          d = mlirDictionaryAttrGet(ctx, k, el);
          free(el);
        }
      }
      dicts[w] = d;
    }
    MlirAttribute arr = mlirArrayAttrGet(ctx, count, dicts);
    free(dicts);
    if (!hasOld || !mlirAttributeEqual(arr, old))
      setAttr(f, "workgroup_attrib_attrs", arr);
  }
}

//===--------------------------------------------------------------------===//
// The report
//===--------------------------------------------------------------------===//

static void report(const Item *it) {
  TlStr s = {0};
  MlirStringRef file;
  int line, col;
  if (fileLineCol(mlirOperationGetLocation(it->op), &file, &line, &col))
    tlStrAppendf(&s, "%.*s:%d:%d: ", (int)file.length, file.data, line, col);
  else
    tlStrAppendf(&s, "<unknown>: ");
  int64_t bits = it->s[0].bits > it->s[1].bits ? it->s[0].bits : it->s[1].bits;
  tlStrAppendf(&s, "%s %s->%s ", it->im2col ? "tl.c2d_im2col" : "tl.copy",
               tlScopeGetName(it->s[0].scope), tlScopeGetName(it->s[1].scope));
  if (it->baseRank)
    appendShape(&s, it->base, it->baseRank, "x");
  else
    tlStrAppendf(&s, "[1]");
  tlStrAppendf(&s, " ");
  tlStrAppendType(&s, it->s[0].elt);
  tlStrAppendf(&s, "->");
  tlStrAppendType(&s, it->s[1].elt);
  if (it->bulk) {
    tlStrAppendf(&s, ": %s", it->inst);
    if (it->bulkBytes)
      tlStrAppendf(&s, ", %lld bytes", (long long)it->bulkBytes);
    fprintf(stderr, "%s\n", tlStrGet(&s));
    fflush(stderr);
    tlStrFree(&s);
    return;
  }
  if (it->tma) {
    tlStrAppendf(&s, ": %s, box ", it->inst);
    appendShape(&s, it->box, it->boxRank, ", ");
    if (it->nBoxes)
      tlStrAppendf(&s, " x%lld", (long long)it->nBoxes);
    if (it->swizzle)
      tlStrAppendf(&s, ", swizzle %lld", (long long)it->swizzle);
    else
      tlStrAppendf(&s, ", no swizzle");
    if (it->tmaBytes)
      tlStrAppendf(&s, ", %lld bytes", (long long)it->tmaBytes);
    fprintf(stderr, "%s\n", tlStrGet(&s));
    fflush(stderr);
    tlStrFree(&s);
    return;
  }
  tlStrAppendf(&s, ": %s, v=%lld (%lld-byte), %lld threads", it->inst,
               (long long)it->v, (long long)(it->v * bits / 8),
               (long long)it->T);
  if (it->locals > 0) {
    int64_t chunks = (it->locals + it->v - 1) / it->v;
    tlStrAppendf(&s, ", %lld chunk%s per thread", (long long)chunks,
                 chunks == 1 ? "" : "s");
  }
  bool gs = (it->s[0].scope == TlScopeGlobal &&
             it->s[1].scope == TlScopeShared) ||
            (it->s[0].scope == TlScopeShared &&
             it->s[1].scope == TlScopeGlobal);
  if (gs && it->tmaWhy[0])
    tlStrAppendf(&s, " (TMA not used: %s)", it->tmaWhy);
  if (gs && it->bulkWhy[0])
    tlStrAppendf(&s, " (bulk copy not used: %s)", it->bulkWhy);
  if (it->cpWhy[0] && !strcmp(it->inst, "simt"))
    tlStrAppendf(&s, " (cp.async not used: %s)", it->cpWhy);
  bool sfr = (it->s[0].scope == TlScopeShared &&
              it->s[1].scope == TlScopeFragment) ||
             (it->s[0].scope == TlScopeFragment &&
              it->s[1].scope == TlScopeShared);
  if (sfr && it->mmaWhy[0] && !strcmp(it->inst, "simt"))
    tlStrAppendf(&s, " (%s not used: %s)",
                 it->s[0].scope == TlScopeShared ? "ldmatrix" : "stmatrix",
                 it->mmaWhy);
  fprintf(stderr, "%s\n", tlStrGet(&s));
  fflush(stderr);
  tlStrFree(&s);
}

//===--------------------------------------------------------------------===//
// The pass
//===--------------------------------------------------------------------===//

static MlirWalkResult collect(MlirOperation op, void *userData) {
  State *st = userData;
  bool copy = tlOperationIsACopy(op), im2col = tlOperationIsAIm2Col(op);
  if (copy || im2col) {
    st->items = growArray(st->items, &st->cap, st->n, sizeof(Item));
    Item *it = &st->items[st->n++];
    memset(it, 0, sizeof *it);
    it->op = op;
    it->group = -1;
    it->s[0].frag = it->s[1].frag = -1;
    it->im2col = im2col;
  }
  return MlirWalkResultAdvance;
}

static void run(MlirOperation op, MlirExternalPass pass, void *state) {
  State st;
  memset(&st, 0, sizeof st);
  st.opts = state;
  MlirContext ctx = mlirOperationGetContext(op);
  mlirOperationWalk(op, collect, &st, MlirWalkPreOrder);

  /* 1. Read every op; 2. candidate widths and loop layouts. */
  for (size_t i = 0; i < st.n; ++i) {
    Item *it = &st.items[i];
    if (it->im2col)
      readIm2Col(&st, it);
    else
      readCopy(&st, it);
    if (!it->ok)
      continue;
    candidateWidth(it);
    if (it->fixed)
      it->ok = revalidate(&st, it);
    else if (!mlirAttributeIsNull(it->loop))
      it->ok = checkLoopLayout(&st, it, "loop_layout");
  }
  /* Shared-buffer swizzles and TMA copies (docs/tma.md). */
  decideSwizzles(&st);
  selectTma(&st, ctx);
  /* Fragment groups: fragments joined by fragment -> fragment copies. */
  for (size_t i = 0; i < st.n; ++i) {
    Item *it = &st.items[i];
    if (it->s[0].frag >= 0 && it->s[1].frag >= 0) {
      int a = findRoot(&st.frags, it->s[0].frag);
      int b = findRoot(&st.frags, it->s[1].frag);
      if (a != b)
        st.frags.f[b].parent = a;
    }
  }
  for (size_t i = 0; i < st.n; ++i) {
    Item *it = &st.items[i];
    int fi = it->s[0].frag >= 0 ? it->s[0].frag : it->s[1].frag;
    if (fi < 0)
      continue;
    it->group = findRoot(&st.frags, fi);
    if (!it->ok)
      st.frags.f[it->group].failed = true;
  }
  for (size_t i = 0; i < st.frags.n; ++i) {
    Frag *r = &st.frags.f[findRoot(&st.frags, (int)i)];
    if (st.frags.f[i].failed)
      r->failed = true;
  }
  /* 3. Fragment layouts. */
  collectGroupConstraints(&st);
  decideGroups(&st, ctx);
  /* 4. Final attributes. */
  for (size_t i = 0; i < st.n; ++i) {
    Item *it = &st.items[i];
    if (it->ok && !it->fixed && !it->tma && !it->bulk)
      finishItem(&st, it, ctx);
  }
  alignWorkgroups(&st, ctx);
  if (st.opts->report)
    for (size_t i = 0; i < st.n; ++i)
      if (st.items[i].ok && st.items[i].inst)
        report(&st.items[i]);

  for (size_t i = 0; i < st.frags.n; ++i)
    free(st.frags.f[i].refWhat);
  free(st.frags.f);
  free(st.items);
  free(st.wg);
  if (st.failed)
    mlirExternalPassSignalFailure(pass);
}

//===--------------------------------------------------------------------===//
// Registration and options
//===--------------------------------------------------------------------===//

static const TlPassOptionInfo kOptions[] = {
    {"report", TlPassOptionBool, "false",
     "Print one line per tl op to stderr: the instruction, vector width, "
     "thread count and chunks per thread"},
    {"chip", TlPassOptionString, "sm_90a",
     "Target architecture (sm_XX) when the gpu.module has no #nvvm.target"},
    {"prefer-tma", TlPassOptionBool, "false",
     "Use TMA for every copy and im2col that can (default: only with "
     "use_tma = true; SIMT measured faster, docs/performance.md)"},
};

static _Alignas(8) char kTypeId;

static MlirPass createPass(const Options *o) {
  MlirDialectHandle deps[] = {
      mlirGetDialectHandle__arith__(), mlirGetDialectHandle__gpu__(),
      mlirGetDialectHandle__llvm__(),  mlirGetDialectHandle__memref__(),
      mlirGetDialectHandle__scf__(),   mlirGetDialectHandle__vector__()};
  return tlCreateExternalPass(&kTypeId, &tlInferLayoutsPassDef.info,
                              sizeof deps / sizeof deps[0], deps, run, o,
                              sizeof *o);
}

static MlirLogicalResult add(MlirOpPassManager pm,
                             const TlOptionValues *options,
                             MlirStringCallback err, void *userData) {
  Options o;
  memset(&o, 0, sizeof o);
  o.report = options->boolValue[0];
  o.preferTma = options->boolValue[2];
  memcpy(o.chip, options->stringValue[1], sizeof o.chip);
  o.chip[sizeof o.chip - 1] = 0;
  if (strncmp(o.chip, "sm_", 3) != 0 || o.chip[3] < '0' || o.chip[3] > '9') {
    tlReport(err, userData,
             "tl-infer-layouts: option 'chip' must name an NVIDIA "
             "architecture such as sm_90a, got '%s'",
             o.chip);
    return mlirLogicalResultFailure();
  }
  mlirOpPassManagerAddOwnedPass(pm, createPass(&o));
  return mlirLogicalResultSuccess();
}

/* Literals only: a const object is not a constant expression in C11. */
const TlPassDef tlInferLayoutsPassDef = {
    {"tl-infer-layouts",
     "Choose each tl op's instruction, vector width and thread map, and the "
     "layouts of fragment and shared buffers (attributes only)",
     3, kOptions},
    add};

MlirPass tlCreateInferLayoutsPass(void) {
  Options o;
  memset(&o, 0, sizeof o);
  strcpy(o.chip, "sm_90a");
  return createPass(&o);
}
