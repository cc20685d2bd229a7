/* tl-lower-copy: every tl.copy becomes upstream gpu/scf/arith/memref/vector/
 * llvm ops, following the attributes tl-infer-layouts left
 * (docs/layouts.md); docs/lower-copy.md describes the output.
 *
 * The pass works in three phases so that a failure leaves the IR untouched:
 *  1. plan: read and check every fragment alloca and every tl.copy, evaluate
 *     each thread map at compile time over the whole base range and reduce
 *     it to per-chunk closed forms (flat base index a_c + b_c * thread for
 *     threads [0, n_c));
 *  2. barriers: insert gpu.barrier where a tl op touches a shared buffer
 *     that an earlier tl op touched since the last barrier (one writing);
 *  3. rewrite: fragments become per-thread private arrays, each copy becomes
 *     its loads, casts and stores; the copies, their unused tl.region ops and
 *     the old fragment allocas are erased. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/AffineMap.h>
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Dialect/Arith.h>
#include <mlir-c/Dialect/GPU.h>
#include <mlir-c/Dialect/LLVM.h>
#include <mlir-c/Dialect/MemRef.h>
#include <mlir-c/Dialect/NVVM.h>
#include <mlir-c/Dialect/SCF.h>
#include <mlir-c/Dialect/Vector.h>

#include "AffineEval.h"
#include "IRBuild.h"
#include "IndexRange.h"
#include "PassSupport.h"
#include "Support.h"
#include "TensorMap.h"
#include "tl-c/Attributes.h"
#include "tl-c/Ops.h"

#define MAX_RANK 16
/* Chunks per thread up to which the chunk loop is unrolled. */
#define MAX_UNROLL 64
/* Largest base range (elements) evaluated at compile time. */
#define MAX_ELEMENTS (INT64_C(1) << 22)
/* Widest single access, in bytes. */
#define MAX_ACCESS_BYTES 16

//===--------------------------------------------------------------------===//
// Small utilities
//===--------------------------------------------------------------------===//

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p)
    abort();
  return p;
}

static MlirAttribute getAttr(MlirOperation op, const char *name) {
  return mlirOperationGetAttributeByName(op,
                                         mlirStringRefCreateFromCString(name));
}

static bool strRefEq(MlirStringRef r, const char *s) {
  return r.length == strlen(s) && memcmp(r.data, s, r.length) == 0;
}

/* Emits "'<op name>' op <message>" at the location of `op`. */
static void opError(MlirOperation op, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void opError(MlirOperation op, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *buf = xmalloc(n > 0 ? (size_t)n + 1 : 1);
  va_start(ap, fmt);
  vsnprintf(buf, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
  va_end(ap);
  MlirStringRef name = mlirIdentifierStr(mlirOperationGetName(op));
  tlEmitErrorf(mlirOperationGetLocation(op), "'%.*s' op %s", (int)name.length,
               name.data, buf);
  free(buf);
}

/* Printed forms for messages; the caller frees them. */
static char *typeText(MlirType t) {
  TlStr s = {0};
  tlStrAppendType(&s, t);
  if (!s.data)
    tlStrAppend(&s, "", 0);
  return s.data;
}

static char *attrText(MlirAttribute a) {
  TlStr s = {0};
  tlStrAppendAttr(&s, a);
  if (!s.data)
    tlStrAppend(&s, "", 0);
  return s.data;
}

static char *coordText(const int64_t *x, intptr_t n) {
  TlStr s = {0};
  tlStrAppend(&s, "(", 1);
  for (intptr_t i = 0; i < n; ++i)
    tlStrAppendf(&s, i ? ", %lld" : "%lld", (long long)x[i]);
  tlStrAppend(&s, ")", 1);
  return s.data;
}

/* Bits of an element type; 0 when it has no fixed size in memory. */
static int eltBits(MlirType t) {
  if (mlirTypeIsAInteger(t))
    return (int)mlirIntegerTypeGetWidth(t);
  if (mlirTypeIsAFloat(t))
    return (int)mlirFloatTypeGetWidth(t);
  if (mlirTypeIsAIndex(t))
    return 64;
  return 0;
}

static int64_t lowBit(int64_t x) {
  if (x < 0)
    x = -x;
  return x & -x;
}

static int64_t minI(int64_t a, int64_t b) { return a < b ? a : b; }

/* The enclosing gpu.func / func.func of `op`, or null. */
static MlirOperation enclosingFunc(MlirOperation op) {
  for (MlirOperation p = mlirOperationGetParentOperation(op);
       !mlirOperationIsNull(p); p = mlirOperationGetParentOperation(p))
    if (tlOpIsNamed(p, "gpu.func") || tlOpIsNamed(p, "func.func"))
      return p;
  return (MlirOperation){NULL};
}

/* known_block_size of the enclosing gpu.func into xyz; false when absent. */
static bool blockSize(MlirOperation op, int64_t xyz[3]) {
  MlirOperation f = enclosingFunc(op);
  if (mlirOperationIsNull(f))
    return false;
  MlirAttribute a = getAttr(f, "known_block_size");
  if (mlirAttributeIsNull(a) || !mlirAttributeIsADenseI32Array(a) ||
      mlirDenseArrayGetNumElements(a) != 3)
    return false;
  for (int i = 0; i < 3; ++i) {
    xyz[i] = mlirDenseI32ArrayGetElement(a, i);
    if (xyz[i] <= 0)
      return false;
  }
  return true;
}

/* Whether every NVVM target of the enclosing gpu.module accepts the
   `.L1::evict_*` qualifiers: sm_70 or later and PTX ISA 7.4 or later (a
   `+ptxNN` feature, or else the chip's minimum PTX version, which is >= 7.4
   from sm_87 on). A module without targets gets them (the pipeline picks
   the chip; DESIGN's default is sm_90a). */
static bool evictionQualifiersSupported(MlirOperation op) {
  MlirOperation m = mlirOperationGetParentOperation(op);
  while (!mlirOperationIsNull(m) && !tlOpIsNamed(m, "gpu.module"))
    m = mlirOperationGetParentOperation(m);
  if (mlirOperationIsNull(m))
    return true;
  MlirAttribute targets = getAttr(m, "targets");
  if (mlirAttributeIsNull(targets) || !mlirAttributeIsAArray(targets))
    return true;
  bool ok = true;
  for (intptr_t i = 0; ok && i < mlirArrayAttrGetNumElements(targets); ++i) {
    char *t = attrText(mlirArrayAttrGetElement(targets, i));
    if (strncmp(t, "#nvvm.target", 12) == 0) {
      int sm = 50, ptx = 0; /* NVVMTargetAttr's default chip is sm_50 */
      const char *c = strstr(t, "chip = \"sm_");
      if (c)
        sm = atoi(c + 11);
      const char *f = strstr(t, "+ptx");
      if (f)
        ptx = atoi(f + 4);
      if (!ptx)
        ptx = sm >= 87 ? 74 : 70;
      ok = sm >= 70 && ptx >= 74;
    }
    free(t);
  }
  return ok;
}

//===--------------------------------------------------------------------===//
// Plan: fragments
//===--------------------------------------------------------------------===//

/* A `memref.alloca` in the fragment scope and its layout. */
typedef struct Frag {
  MlirOperation alloca;
  MlirValue value;
  MlirAttribute layout; /* tl.layout; null when absent */
  MlirAffineMap map;
  int64_t threads;
  intptr_t rank;
  int64_t shape[MAX_RANK];
  MlirType elt;
  int64_t length; /* L: 1 + the largest local index */
  MlirValue repl; /* the private array, once created */
  bool valid;     /* planned without error, with a layout */
} Frag;

typedef struct FragTable {
  Frag *v;
  size_t n, cap;
} FragTable;

typedef struct OpList {
  MlirOperation *ops;
  size_t n, cap;
} OpList;

static void opListPush(OpList *l, MlirOperation op) {
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 16;
    l->ops = realloc(l->ops, sizeof(MlirOperation) * l->cap);
    if (!l->ops)
      abort();
  }
  l->ops[l->n++] = op;
}

static bool isFragmentAlloca(MlirOperation op) {
  return tlOpIsNamed(op, "memref.alloca") &&
         mlirOperationGetNumResults(op) == 1 &&
         tlMemRefTypeGetScope(mlirValueGetType(mlirOperationGetResult(
             op, 0))) == TlScopeFragment;
}

/* Row-major odometer over `shape` (n dims); false after the last. */
static bool nextCoord(int64_t *x, const int64_t *shape, intptr_t n) {
  for (intptr_t d = n - 1; d >= 0; --d) {
    if (++x[d] < shape[d])
      return true;
    x[d] = 0;
  }
  return false;
}

static int64_t product(const int64_t *shape, intptr_t n, bool *overflow) {
  int64_t p = 1;
  for (intptr_t i = 0; i < n; ++i)
    if (__builtin_mul_overflow(p, shape[i], &p) || p > MAX_ELEMENTS) {
      *overflow = true;
      return 0;
    }
  return p;
}

/* Reads one fragment alloca: its layout, its length, and that every use is
   a tl op. */
static bool planFragment(Frag *f) {
  MlirOperation op = f->alloca;
  MlirType type = mlirValueGetType(f->value);
  f->rank = mlirShapedTypeGetRank(type);
  f->elt = mlirShapedTypeGetElementType(type);
  f->layout = getAttr(op, "tl.layout");
  bool hasUses = !mlirOpOperandIsNull(mlirValueGetFirstUse(f->value));
  if (mlirAttributeIsNull(f->layout)) {
    if (hasUses) {
      opError(op, "fragment has no tl.layout: run tl-infer-layouts first");
      return false;
    }
    return true; /* unused and unlaid: erased */
  }
  if (f->rank > MAX_RANK || !mlirShapedTypeHasStaticShape(type)) {
    char *t = typeText(type);
    opError(op, "fragment %s must have a static shape of rank at most %d", t,
            MAX_RANK);
    free(t);
    return false;
  }
  for (intptr_t d = 0; d < f->rank; ++d)
    f->shape[d] = mlirShapedTypeGetDimSize(type, d);
  if (!tlAttributeIsAFragmentLayout(f->layout)) {
    char *a = attrText(f->layout);
    opError(op, "tl.layout must be a #tl.fragment_layout, got %s", a);
    free(a);
    return false;
  }
  f->map = tlFragmentLayoutAttrGetMap(f->layout);
  f->threads = tlFragmentLayoutAttrGetThreads(f->layout);
  if (mlirAffineMapIsNull(f->map) || mlirAffineMapGetNumResults(f->map) != 2 ||
      mlirAffineMapGetNumDims(f->map) != f->rank ||
      mlirAffineMapGetNumSymbols(f->map) != 0) {
    char *a = attrText(f->layout);
    opError(op, "tl.layout %s must map the fragment's %lld coordinates to "
                "(thread, local)", a, (long long)f->rank);
    free(a);
    return false;
  }
  if (tlFragmentLayoutAttrGetReplicate(f->layout) != 1) {
    opError(op, "tl.layout with replicate %lld is not supported (only 1)",
            (long long)tlFragmentLayoutAttrGetReplicate(f->layout));
    return false;
  }
  int64_t xyz[3];
  if (blockSize(op, xyz) && xyz[0] * xyz[1] * xyz[2] != f->threads) {
    opError(op, "tl.layout is for %lld threads, but the kernel has %lld",
            (long long)f->threads, (long long)(xyz[0] * xyz[1] * xyz[2]));
    return false;
  }
  bool overflow = false;
  int64_t n = product(f->shape, f->rank, &overflow);
  if (overflow) {
    opError(op, "fragment has more than %lld elements",
            (long long)MAX_ELEMENTS);
    return false;
  }
  int64_t x[MAX_RANK] = {0}, r[2];
  int64_t maxLocal = -1;
  for (int64_t i = 0; i < n; ++i, nextCoord(x, f->shape, f->rank)) {
    if (!tlAffineMapEval(f->map, x, f->rank, r) || r[0] < 0 ||
        r[0] >= f->threads || r[1] < 0) {
      char *c = coordText(x, f->rank);
      opError(op, "tl.layout maps fragment element %s outside threads "
                  "[0, %lld) x locals [0, inf)", c, (long long)f->threads);
      free(c);
      return false;
    }
    if (r[1] > maxLocal)
      maxLocal = r[1];
  }
  f->length = maxLocal + 1;
  /* Every use must be a tl op: a tl.region (whose uses are tl.copy ops) or
     a tl.copy. */
  for (MlirOpOperand u = mlirValueGetFirstUse(f->value); !mlirOpOperandIsNull(u);
       u = mlirOpOperandGetNextUse(u)) {
    MlirOperation user = mlirOpOperandGetOwner(u);
    if (tlOperationIsACopy(user))
      continue;
    if (tlOperationIsARegion(user)) {
      MlirValue r0 = tlRegionOpGetResult(user);
      for (MlirOpOperand v = mlirValueGetFirstUse(r0); !mlirOpOperandIsNull(v);
           v = mlirOpOperandGetNextUse(v)) {
        MlirOperation uu = mlirOpOperandGetOwner(v);
        if (!tlOperationIsACopy(uu)) {
          MlirStringRef nm = mlirIdentifierStr(mlirOperationGetName(uu));
          opError(uu, "uses a region of a fragment; only tl.copy may (a "
                      "fragment lives in registers: '%.*s' cannot address it)",
                  (int)nm.length, nm.data);
          return false;
        }
      }
      continue;
    }
    MlirStringRef nm = mlirIdentifierStr(mlirOperationGetName(user));
    opError(user, "uses a fragment; only tl ops may (a fragment lives in "
                  "registers: '%.*s' cannot address it)",
            (int)nm.length, nm.data);
    return false;
  }
  return true;
}

static Frag *findFrag(FragTable *t, MlirValue v) {
  for (size_t i = 0; i < t->n; ++i)
    if (mlirValueEqual(t->v[i].value, v))
      return &t->v[i];
  return NULL;
}

//===--------------------------------------------------------------------===//
// Plan: copies
//===--------------------------------------------------------------------===//

/* base + step * c */
typedef struct Aff {
  int64_t base, step;
} Aff;

typedef struct Side {
  const char *role; /* "source" / "destination" */
  MlirOperation region;
  MlirValue buffer;
  MlirType type, elt;
  intptr_t rank;
  int64_t shape[MAX_RANK];
  int64_t ext[MAX_RANK];
  MlirValue idx[MAX_RANK];
  intptr_t baseDim[MAX_RANK]; /* base coordinate of each dim, -1: unit */
  bool check[MAX_RANK];       /* bounds_check */
  intptr_t vecDim;            /* dim of the innermost base coordinate */
  TlScope scope;
  int bits; /* element bits */
  Frag *frag;
  int64_t *fl; /* fragments: first local of each chunk (-1: none) */
  bool evict;  /* global access with an eviction qualifier (inline PTX) */
  bool addr;   /* addressed through pointers (cp.async, ldmatrix, ...) */
  /* Emission state. */
  Aff curFl;
  MlirValue ptr;                /* aligned pointer (index), evict only */
  MlirValue strideV[MAX_RANK];  /* element strides, evict only */
  MlirValue offsetV;            /* element offset, evict only */
  MlirValue dimV[MAX_RANK];     /* dimension sizes, checked dims only */
  /* Swizzled shared buffers (tl.swizzle, bytes; 0: none). */
  int64_t swz;
  int64_t sstride[MAX_RANK]; /* element strides (static, row-major) */
  MlirValue flat;            /* the rank-1 view, during emission */
} Side;

typedef struct Chunk {
  int64_t a, b, n;
} Chunk;

typedef enum Inst {
  InstSimt,
  InstDirect,
  InstTmaLoad,
  InstTmaStore,
  InstBulkLoad,
  InstBulkStore,
  InstCpAsync,
  InstLdmatrix,
  InstStmatrix
} Inst;

typedef struct Copy {
  MlirOperation op;
  Inst inst;
  Side src, dst;
  intptr_t B;
  int64_t baseShape[MAX_RANK];
  int64_t v;
  int64_t xyz[3], T;
  MlirAffineMap map;
  int64_t nChunks;
  Chunk *chunks;
  int64_t loopChunks; /* chunks [0, loopChunks) in an scf.for; 0: none */
  /* Bit mode: chunk c of thread t starts at a_c + g(t), g(t) the sum of
     gBit[i] over the set bits i of t (mma fragment layouts; b unused). */
  bool bitMode;
  int nBits;
  int64_t gBit[32];
  /* ldmatrix / stmatrix (docs/mma-copies.md) */
  bool trans;
  TlEvictionPolicy policy;
  bool legacyEvict; /* the target lacks .L1::evict_*: use .cs */
  MlirAttribute safe; /* annotations.safe_value; null: 0 */
  /* TMA */
  MlirOperation func;
  int64_t box[MAX_RANK];
  int64_t swizzle, nBoxes, bytes, shOff;
  bool view; /* the innermost dimension is split into blocks (rank + 1) */
  TlTensorMapDesc desc;
} Copy;

static void freeCopy(Copy *c) {
  free(c->chunks);
  free(c->src.fl);
  free(c->dst.fl);
}

//===--------------------------------------------------------------------===//
// Swizzled shared buffers (docs/tma.md)
//===--------------------------------------------------------------------===//

/* The `tl.swizzle` (bytes) of the workgroup attribution `buf`, 0 when it
   has none or is not a workgroup attribution. */
static int64_t workgroupSwizzle(MlirValue buf) {
  if (!mlirValueIsABlockArgument(buf))
    return 0;
  MlirBlock block = mlirBlockArgumentGetOwner(buf);
  MlirOperation f = mlirBlockGetParentOperation(block);
  if (mlirOperationIsNull(f) || !tlOpIsNamed(f, "gpu.func") ||
      !mlirBlockEqual(block,
                      mlirRegionGetFirstBlock(mlirOperationGetRegion(f, 0))))
    return 0;
  MlirAttribute ft = getAttr(f, "function_type");
  MlirAttribute arr = getAttr(f, "workgroup_attrib_attrs");
  if (mlirAttributeIsNull(ft) || mlirAttributeIsNull(arr) ||
      !mlirAttributeIsAArray(arr))
    return 0;
  intptr_t i = mlirBlockArgumentGetArgNumber(buf) -
               mlirFunctionTypeGetNumInputs(mlirTypeAttrGetValue(ft));
  if (i < 0 || i >= mlirArrayAttrGetNumElements(arr))
    return 0;
  MlirAttribute d = mlirArrayAttrGetElement(arr, i);
  if (!mlirAttributeIsADictionary(d))
    return 0;
  MlirAttribute s = mlirDictionaryAttrGetElementByName(
      d, mlirStringRefCreateFromCString("tl.swizzle"));
  return !mlirAttributeIsNull(s) && mlirAttributeIsAInteger(s)
             ? mlirIntegerAttrGetValueInt(s)
             : 0;
}


/* Checks a swizzled shared side (set by readSide). */
static bool checkSwizzledSide(Copy *c, Side *s) {
  if (s->swz == 0)
    return true;
  if (s->swz != 32 && s->swz != 64 && s->swz != 128) {
    opError(c->op, "the %s's tl.swizzle must be 32, 64 or 128, got %lld",
            s->role, (long long)s->swz);
    return false;
  }
  if (!tlStaticRowMajor(s->type, s->sstride) || s->bits % 8 != 0) {
    char *t = typeText(s->type);
    opError(c->op, "the swizzled %s %s needs a static shape, the identity "
                   "layout and byte-sized elements", s->role, t);
    free(t);
    return false;
  }
  return true;
}


static bool readTma(Copy *c);
static bool readBulk(Copy *c);
static bool checkCpAsync(Copy *c);
static bool checkMma(Copy *c);
typedef struct Emit Emit;

static bool readSide(Copy *c, intptr_t pos, const char *role, Side *s,
                     FragTable *frags) {
  MlirOperation op = c->op;
  s->role = role;
  s->vecDim = -1;
  MlirValue v = mlirOperationGetOperand(op, pos);
  MlirOperation def =
      mlirValueIsAOpResult(v) ? mlirOpResultGetOwner(v) : (MlirOperation){0};
  if (mlirOperationIsNull(def) || !tlOperationIsARegion(def) ||
      !tlRegionOpHasExtents(def)) {
    opError(op, "%s is not a tl.region with extents: run tl-legalize-regions "
                "and tl-infer-layouts first", role);
    return false;
  }
  s->region = def;
  s->buffer = tlRegionOpGetBuffer(def);
  s->type = mlirValueGetType(s->buffer);
  s->rank = mlirShapedTypeGetRank(s->type);
  s->elt = mlirShapedTypeGetElementType(s->type);
  s->scope = tlMemRefTypeGetScope(s->type);
  s->bits = eltBits(s->elt);
  if (s->rank > MAX_RANK || tlRegionOpGetNumExtents(def) != s->rank ||
      tlRegionOpGetNumIndices(def) != s->rank) {
    opError(op, "%s region must have one index and one extent per buffer "
                "dimension (rank at most %d)", role, MAX_RANK);
    return false;
  }
  if (s->bits == 0) {
    char *t = typeText(s->elt);
    opError(op, "%s element type %s has no size in memory", role, t);
    free(t);
    return false;
  }
  MlirAttribute bc = getAttr(def, "bounds_check");
  if (!mlirAttributeIsNull(bc) &&
      (!mlirAttributeIsADenseBoolArray(bc) ||
       mlirDenseArrayGetNumElements(bc) != s->rank)) {
    opError(op, "%s region's bounds_check must be array<i1> with one entry "
                "per dimension", role);
    return false;
  }
  intptr_t k = 0;
  for (intptr_t d = 0; d < s->rank; ++d) {
    s->shape[d] = mlirShapedTypeGetDimSize(s->type, d);
    s->ext[d] = tlRegionOpGetExtent(def, d);
    s->idx[d] = tlRegionOpGetIndex(def, d);
    s->check[d] = !mlirAttributeIsNull(bc) && mlirDenseBoolArrayGetElement(bc, d);
    s->baseDim[d] = -1;
    if (s->ext[d] != 1) {
      if (k >= c->B || s->ext[d] != c->baseShape[k]) {
        opError(op, "%s region extents do not match base_shape: run "
                    "tl-legalize-regions first", role);
        return false;
      }
      s->baseDim[d] = k++;
    }
  }
  if (k != c->B) {
    opError(op, "%s region extents do not match base_shape: run "
                "tl-legalize-regions first", role);
    return false;
  }
  for (intptr_t d = 0; d < s->rank; ++d)
    if (c->B > 0 && s->baseDim[d] == c->B - 1)
      s->vecDim = d;
  if (s->scope == TlScopeShared)
    s->swz = workgroupSwizzle(s->buffer);
  if (s->scope == TlScopeFragment) {
    s->frag = findFrag(frags, s->buffer);
    if (!s->frag) {
      opError(op, "%s fragment must be made by memref.alloca in the kernel",
              role);
      return false;
    }
    if (!s->frag->valid)
      return false; /* the alloca's error says why */
    for (intptr_t d = 0; d < s->rank; ++d) {
      int64_t i;
      if (!tlGetConstantIndex(s->idx[d], &i) || i != 0 ||
          s->ext[d] != s->shape[d]) {
        opError(op, "%s covers part of a fragment; copies of a fragment must "
                    "cover all of it (region at the origin with the "
                    "fragment's shape)", role);
        return false;
      }
      s->check[d] = false;
    }
  }
  return true;
}

/* The fragment coordinates of base coordinate x on side s: the base
   coordinates on the non-unit dimensions, 0 on the unit ones. */
static void fragCoord(const Side *s, const int64_t *x, int64_t *y) {
  for (intptr_t d = 0; d < s->rank; ++d)
    y[d] = s->baseDim[d] >= 0 ? x[s->baseDim[d]] : 0;
}

/* "direct": both fragments' layouts agree on every base coordinate (their
   ranks may differ by unit dimensions), so local l goes to local l. */
static bool checkDirect(Copy *c) {
  bool overflow = false;
  int64_t n = product(c->baseShape, c->B, &overflow);
  int64_t x[MAX_RANK] = {0}, ys[MAX_RANK], yd[MAX_RANK];
  int64_t rs[2] = {-1, -1}, rd[2] = {-1, -1};
  for (int64_t i = 0; !overflow && i < n;
       ++i, nextCoord(x, c->baseShape, c->B)) {
    fragCoord(&c->src, x, ys);
    fragCoord(&c->dst, x, yd);
    if (!tlAffineMapEval(c->src.frag->map, ys, c->src.rank, rs) ||
        !tlAffineMapEval(c->dst.frag->map, yd, c->dst.rank, rd) ||
        rs[0] != rd[0] || rs[1] != rd[1]) {
      char *cs = coordText(x, c->B);
      opError(c->op, "inst \"direct\" needs both fragments to have the same "
                     "layout, but base element %s is (thread %lld, local "
                     "%lld) in the source and (thread %lld, local %lld) in "
                     "the destination", cs, (long long)rs[0],
              (long long)rs[1], (long long)rd[0], (long long)rd[1]);
      free(cs);
      return false;
    }
  }
  if (overflow || c->src.frag->length != c->dst.frag->length) {
    opError(c->op, "inst \"direct\" needs both fragments to have the same "
                   "layout");
    return false;
  }
  return true;
}

/* Reads inst, base_shape, vector_width, thread_map and the options. */
static bool readCopy(Copy *c, FragTable *frags) {
  MlirOperation op = c->op;
  MlirAttribute inst = getAttr(op, "inst");
  if (mlirAttributeIsNull(inst)) {
    opError(op, "has no inst attribute: run tl-infer-layouts first");
    return false;
  }
  if (!mlirAttributeIsAString(inst)) {
    char *a = attrText(inst);
    opError(op, "inst must be a string, got %s", a);
    free(a);
    return false;
  }
  MlirStringRef kind = mlirStringAttrGetValue(inst);
  if (strRefEq(kind, "simt"))
    c->inst = InstSimt;
  else if (strRefEq(kind, "direct"))
    c->inst = InstDirect;
  else if (strRefEq(kind, "tma_load"))
    c->inst = InstTmaLoad;
  else if (strRefEq(kind, "tma_store"))
    c->inst = InstTmaStore;
  else if (strRefEq(kind, "bulk_load"))
    c->inst = InstBulkLoad;
  else if (strRefEq(kind, "bulk_store"))
    c->inst = InstBulkStore;
  else if (strRefEq(kind, "cp_async"))
    c->inst = InstCpAsync;
  else if (strRefEq(kind, "ldmatrix"))
    c->inst = InstLdmatrix;
  else if (strRefEq(kind, "stmatrix"))
    c->inst = InstStmatrix;
  else {
    opError(op, "inst \"%.*s\" is not supported by tl-lower-copy (supported: "
                "\"simt\", \"direct\", \"tma_load\", \"tma_store\", "
                "\"bulk_load\", \"bulk_store\", \"cp_async\", \"ldmatrix\", "
                "\"stmatrix\")",
            (int)kind.length, kind.data);
    return false;
  }
  MlirAttribute shape = getAttr(op, "base_shape");
  if (mlirAttributeIsNull(shape) || !mlirAttributeIsADenseI64Array(shape) ||
      mlirDenseArrayGetNumElements(shape) > MAX_RANK) {
    opError(op, "has no base_shape: run tl-legalize-regions and "
                "tl-infer-layouts first");
    return false;
  }
  c->B = mlirDenseArrayGetNumElements(shape);
  for (intptr_t k = 0; k < c->B; ++k) {
    c->baseShape[k] = mlirDenseI64ArrayGetElement(shape, k);
    if (c->baseShape[k] <= 0) {
      opError(op, "base_shape entries must be positive");
      return false;
    }
  }
  if (!readSide(c, 0, "source", &c->src, frags) ||
      !readSide(c, 1, "destination", &c->dst, frags) ||
      !checkSwizzledSide(c, &c->src) || !checkSwizzledSide(c, &c->dst))
    return false;
  TlCopyOptions o = tlCopyOpGetOptions(op);
  c->policy = o.evictionPolicy;
  if (!mlirAttributeIsNull(o.annotations))
    c->safe = mlirDictionaryAttrGetElementByName(
        o.annotations, mlirStringRefCreateFromCString("safe_value"));
  if (!mlirAttributeIsNull(c->safe) && !mlirAttributeIsAInteger(c->safe) &&
      !mlirAttributeIsAFloat(c->safe)) {
    opError(op, "annotations.safe_value must be an integer or float");
    return false;
  }
  bool evict = c->policy == TlEvictFirst || c->policy == TlEvictLast;
  /* Without `.L1::evict_*` (PTX < 7.4): evict_first becomes the streaming
     `.cs` access (evict-first allocation in L1 and L2), evict_last the
     plain access. */
  c->legacyEvict = evict && !evictionQualifiersSupported(op);
  if (c->legacyEvict && c->policy == TlEvictLast)
    evict = false;
  Side *sides[2] = {&c->src, &c->dst};
  for (int i = 0; i < 2; ++i) {
    Side *s = sides[i];
    /* Inline PTX moves whole registers: 8/16/32/64-bit elements only;
       others keep the plain access (the policy is a hint). */
    s->evict = evict && s->scope == TlScopeGlobal &&
               (s->bits == 8 || s->bits == 16 || s->bits == 32 ||
                s->bits == 64);
  }

  if (c->inst == InstTmaLoad || c->inst == InstTmaStore)
    return readTma(c);
  if (c->inst == InstBulkLoad || c->inst == InstBulkStore)
    return readBulk(c);
  MlirAttribute vw = getAttr(op, "vector_width");
  c->v = 1;
  if (!mlirAttributeIsNull(vw)) {
    if (!mlirAttributeIsAInteger(vw) || mlirIntegerAttrGetValueInt(vw) <= 0) {
      opError(op, "vector_width must be a positive integer");
      return false;
    }
    c->v = mlirIntegerAttrGetValueInt(vw);
  }
  if (c->inst == InstDirect) {
    if (!c->src.frag || !c->dst.frag) {
      opError(op, "inst \"direct\" copies a fragment to a fragment, but the "
                  "%s is %s", c->src.frag ? "destination" : "source",
              tlScopeGetName(c->src.frag ? c->dst.scope : c->src.scope));
      return false;
    }
    return checkDirect(c);
  }

  if (mlirAttributeIsNull(vw)) {
    opError(op, "has no vector_width: run tl-infer-layouts first");
    return false;
  }
  MlirAttribute tm = getAttr(op, "thread_map");
  if (mlirAttributeIsNull(tm)) {
    opError(op, "has no thread_map: run tl-infer-layouts first");
    return false;
  }
  if (!tlAttributeIsAFragmentLayout(tm)) {
    opError(op, "thread_map must be a #tl.fragment_layout");
    return false;
  }
  c->map = tlFragmentLayoutAttrGetMap(tm);
  c->T = tlFragmentLayoutAttrGetThreads(tm);
  if (mlirAffineMapIsNull(c->map) || mlirAffineMapGetNumResults(c->map) != 2 ||
      mlirAffineMapGetNumDims(c->map) != c->B ||
      mlirAffineMapGetNumSymbols(c->map) != 0) {
    char *a = attrText(tm);
    opError(op, "thread_map %s must map the %lld base coordinates to "
                "(thread, local)", a, (long long)c->B);
    free(a);
    return false;
  }
  if (tlFragmentLayoutAttrGetReplicate(tm) != 1) {
    opError(op, "thread_map with replicate %lld is not supported (only 1)",
            (long long)tlFragmentLayoutAttrGetReplicate(tm));
    return false;
  }
  if (!blockSize(op, c->xyz)) {
    opError(op, "needs known_block_size on its gpu.func (the thread count of "
                "the thread map)");
    return false;
  }
  int64_t T = c->xyz[0] * c->xyz[1] * c->xyz[2];
  if (T != c->T) {
    opError(op, "thread_map is for %lld threads, but known_block_size gives "
                "%lld", (long long)c->T, (long long)T);
    return false;
  }
  if (c->v > 1 && (c->B == 0 || c->baseShape[c->B - 1] % c->v != 0)) {
    opError(op, "vector_width %lld does not divide the innermost base extent "
                "%lld", (long long)c->v,
            (long long)(c->B ? c->baseShape[c->B - 1] : 1));
    return false;
  }
  for (int i = 0; i < 2; ++i) {
    Side *s = sides[i];
    if (c->v == 1 || s->frag)
      continue;
    if (s->bits % 8 != 0) {
      opError(op, "vector_width %lld on the %s needs a byte-sized element "
                  "type", (long long)c->v, s->role);
      return false;
    }
    int64_t strides[MAX_RANK], offset;
    if (mlirLogicalResultIsFailure(
            mlirMemRefTypeGetStridesAndOffset(s->type, strides, &offset)) ||
        strides[s->vecDim] != 1) {
      char *t = typeText(s->type);
      opError(op, "vector_width %lld needs the %s's innermost copied "
                  "dimension (%lld of %s) to have stride 1",
              (long long)c->v, s->role, (long long)s->vecDim, t);
      free(t);
      return false;
    }
    if (s->check[s->vecDim] &&
        !mlirShapedTypeIsDynamicSize(s->shape[s->vecDim]) &&
        s->shape[s->vecDim] % c->v != 0) {
      char *t = typeText(s->type);
      opError(op, "vector_width %lld with a bounds check on dimension %lld of "
                  "the %s %s needs that dimension's size to be a multiple of "
                  "the width", (long long)c->v, (long long)s->vecDim, s->role,
              t);
      free(t);
      return false;
    }
  }
  if (c->inst == InstCpAsync)
    return checkCpAsync(c);
  if (c->inst == InstLdmatrix || c->inst == InstStmatrix)
    return checkMma(c);
  return true;
}

/* Evaluates the thread map over the base range and reduces it to chunks. */
static bool analyzeSimt(Copy *c) {
  MlirOperation op = c->op;
  bool overflow = false;
  int64_t N = product(c->baseShape, c->B, &overflow);
  if (overflow) {
    opError(op, "base range has more than %lld elements",
            (long long)MAX_ELEMENTS);
    return false;
  }
  int64_t T = c->T, v = c->v;
  int64_t *tt = xmalloc(sizeof(int64_t) * (size_t)N);
  int64_t *ll = xmalloc(sizeof(int64_t) * (size_t)N);
  int64_t x[MAX_RANK] = {0}, r[2], maxLocal = -1;
  bool ok = true;
  for (int64_t f = 0; f < N; ++f, nextCoord(x, c->baseShape, c->B)) {
    if (!tlAffineMapEval(c->map, x, c->B, r) || r[0] < 0 || r[0] >= T ||
        r[1] < 0) {
      char *cs = coordText(x, c->B);
      opError(op, "thread_map maps base coordinate %s outside threads "
                  "[0, %lld) x locals [0, inf)", cs, (long long)T);
      free(cs);
      ok = false;
      break;
    }
    tt[f] = r[0];
    ll[f] = r[1];
    if (r[1] > maxLocal)
      maxLocal = r[1];
  }
  int64_t *slot = NULL;
  int64_t nChunks = (maxLocal + v) / v;
  int64_t slots = 0;
  if (ok && (__builtin_mul_overflow(nChunks * v, T, &slots) ||
             slots > 8 * N + 4096)) {
    opError(op, "thread_map leaves most (thread, local) slots empty (%lld "
                "locals x %lld threads for %lld elements)",
            (long long)(nChunks * v), (long long)T, (long long)N);
    ok = false;
  }
  if (ok) {
    slot = xmalloc(sizeof(int64_t) * (size_t)slots);
    for (int64_t i = 0; i < slots; ++i)
      slot[i] = -1;
    for (int64_t f = 0; f < N && ok; ++f) {
      int64_t *p = &slot[ll[f] * T + tt[f]];
      if (*p >= 0) {
        opError(op, "thread_map maps base elements %lld and %lld (row-major) "
                    "both to thread %lld, local %lld",
                (long long)*p, (long long)f, (long long)tt[f],
                (long long)ll[f]);
        ok = false;
      }
      *p = f;
    }
  }
  int64_t C = c->B ? c->baseShape[c->B - 1] : 1;
  bool nonAffine = false;
  int64_t bad[4] = {0, 0, 0, 0};
  if (ok) {
    c->nChunks = nChunks;
    c->chunks = xmalloc(sizeof(Chunk) * (size_t)nChunks);
  }
  for (int64_t ch = 0; ok && ch < nChunks; ++ch) {
    Chunk *k = &c->chunks[ch];
    k->a = k->b = 0;
    k->n = 0;
    bool ended = false;
    for (int64_t t = 0; t < T && ok; ++t) {
      int64_t f0 = slot[(ch * v) * T + t];
      int present = 0;
      for (int64_t j = 0; j < v; ++j)
        present += slot[(ch * v + j) * T + t] >= 0;
      if (present == 0) {
        ended = true;
        continue;
      }
      if (present != v) {
        opError(op, "thread_map gives thread %lld only part of local chunk "
                    "%lld (locals %lld..%lld): every chunk of vector_width "
                    "locals must be owned whole", (long long)t, (long long)ch,
                (long long)(ch * v), (long long)(ch * v + v - 1));
        ok = false;
        break;
      }
      if (ended) {
        opError(op, "thread_map gives local chunk %lld to thread %lld but "
                    "not to every lower thread: the owners of a chunk must be "
                    "threads [0, n)", (long long)ch, (long long)t);
        ok = false;
        break;
      }
      if (f0 % v != 0) {
        opError(op, "thread_map locals %lld..%lld of thread %lld start at "
                    "base element %lld, not at a multiple of vector_width "
                    "%lld (the accesses would be misaligned)",
                (long long)(ch * v), (long long)(ch * v + v - 1), (long long)t,
                (long long)f0, (long long)v);
        ok = false;
        break;
      }
      for (int64_t j = 1; j < v && ok; ++j)
        if (slot[(ch * v + j) * T + t] != f0 + j || f0 % C + v > C) {
          opError(op, "thread_map locals %lld..%lld of thread %lld are not "
                      "%lld consecutive elements of one row of the base "
                      "range", (long long)(ch * v), (long long)(ch * v + v - 1),
                  (long long)t, (long long)v);
          ok = false;
        }
      if (!ok)
        break;
      if (t == 0)
        k->a = f0;
      else if (t == 1)
        k->b = f0 - k->a;
      if (f0 != k->a + k->b * t && !nonAffine) {
        nonAffine = true;
        bad[0] = ch;
        bad[1] = t;
        bad[2] = f0;
        bad[3] = k->a + k->b * t;
      }
      k->n = t + 1;
    }
  }
  /* Not a + b * t: the bit mode (every chunk owned by all threads, the
     thread-dependent part the same sum over the thread id's bits). */
  if (ok && nonAffine) {
    bool bm = (T & (T - 1)) == 0;
    int nb = 0;
    while (((int64_t)1 << nb) < T)
      ++nb;
    for (int64_t ch = 0; bm && ch < nChunks; ++ch)
      bm = c->chunks[ch].n == T;
    for (int i = 0; bm && i < nb; ++i)
      c->gBit[i] = slot[((int64_t)1 << i)] - slot[0];
    for (int64_t ch = 0; bm && ch < nChunks; ++ch) {
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
    if (bm) {
      c->bitMode = true;
      c->nBits = nb;
    } else {
      opError(op, "thread_map is not of the form a + b * thread for local "
                  "chunk %lld (thread %lld has base element %lld, expected "
                  "%lld)", (long long)bad[0], (long long)bad[1],
              (long long)bad[2], (long long)bad[3]);
      ok = false;
    }
  }
  /* Fragment sides: the fragment's own layout must put each element on the
     same thread, and a chunk at the same locals for every thread. */
  Side *sides[2] = {&c->src, &c->dst};
  for (int i = 0; i < 2 && ok; ++i) {
    Side *s = sides[i];
    if (!s->frag)
      continue;
    s->fl = xmalloc(sizeof(int64_t) * (size_t)nChunks);
    for (int64_t ch = 0; ch < nChunks && ok; ++ch) {
      Chunk *k = &c->chunks[ch];
      s->fl[ch] = -1;
      for (int64_t t = 0; t < k->n && ok; ++t)
        for (int64_t j = 0; j < v && ok; ++j) {
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
          fragCoord(s, xb, y);
          if (!tlAffineMapEval(s->frag->map, y, s->rank, r)) {
            opError(op, "cannot evaluate the %s fragment's tl.layout",
                    s->role);
            ok = false;
            break;
          }
          if (t == 0 && j == 0)
            s->fl[ch] = r[1];
          if (r[0] != t || r[1] != s->fl[ch] + j) {
            char *ys = coordText(y, s->rank);
            opError(op, "thread_map disagrees with the tl.layout of the %s "
                        "fragment: element %s is local %lld of thread %lld "
                        "in the copy but local %lld of thread %lld in the "
                        "fragment", s->role, ys, (long long)(ch * v + j),
                    (long long)t, (long long)r[1], (long long)r[0]);
            free(ys);
            ok = false;
          }
        }
    }
  }
  /* Unroll, or an scf.for over the longest affine prefix plus an unrolled
     tail. */
  if (ok && nChunks > MAX_UNROLL) {
    int64_t K = 2;
    for (; K < nChunks; ++K) {
      const Chunk *p = c->chunks;
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
    if (nChunks - K > MAX_UNROLL) {
      opError(op, "thread_map gives each thread %lld local chunks and they "
                  "are not affine in the chunk index (first break at chunk "
                  "%lld): cannot emit a loop", (long long)nChunks,
              (long long)K);
      ok = false;
    }
    c->loopChunks = K;
  }
  free(tt);
  free(ll);
  free(slot);
  return ok;
}

//===--------------------------------------------------------------------===//
// Barriers
//===--------------------------------------------------------------------===//

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
    opListPush(ud, op);
    return MlirWalkResultSkip;
  }
  return MlirWalkResultAdvance;
}

//===--------------------------------------------------------------------===//
// Emission helpers
//===--------------------------------------------------------------------===//

#define CONST_CACHE 128

struct Emit {
  Copy *c;
  MlirContext ctx;
  MlirLocation loc;
  MlirOperation top;   /* the copy: the lowering goes right before it */
  MlirOperation hoist; /* per-copy values (constants, thread id, ...) go
                          before this placeholder, ahead of the lowering */
  MlirValue tid;
  int64_t cKey[CONST_CACHE];
  MlirValue cVal[CONST_CACHE];
  int nC;
  MlirAttribute sKey[8]; /* splat constants */
  MlirValue sVal[8];
  int nS;
  MlirValue gVal;   /* the bit mode's g(thread id) */
  int64_t tKey[8]; /* thread id * k */
  MlirValue tVal[8];
  int nT;
  bool failed;
};

static MlirValue res0(MlirOperation op) { return mlirOperationGetResult(op, 0); }

static MlirOperation mk(Emit *e, MlirOperation at, const char *name,
                        intptr_t nOps, const MlirValue *ops, intptr_t nRes,
                        const MlirType *res, intptr_t nAttrs,
                        const MlirNamedAttribute *attrs) {
  return tlBuildOpBefore(at, name, e->loc, nOps, ops, nRes, res, nAttrs,
                         attrs);
}

static MlirType indexTy(Emit *e) { return mlirIndexTypeGet(e->ctx); }

static MlirAttribute i64Attr(Emit *e, int64_t v) {
  return mlirIntegerAttrGet(mlirIntegerTypeGet(e->ctx, 64), v);
}

/* An index constant, made once per copy before it. */
static MlirValue cst(Emit *e, int64_t k) {
  for (int i = 0; i < e->nC; ++i)
    if (e->cKey[i] == k)
      return e->cVal[i];
  MlirValue v = tlBuildIndexConstant(e->hoist, e->loc, k);
  if (e->nC < CONST_CACHE) {
    e->cKey[e->nC] = k;
    e->cVal[e->nC++] = v;
  }
  return v;
}

static bool isConst(MlirValue v, int64_t *k) { return tlGetConstantIndex(v, k); }

static MlirValue binop(Emit *e, MlirOperation at, const char *name,
                       MlirValue a, MlirValue b) {
  MlirValue ops[2] = {a, b};
  MlirType t = mlirValueGetType(a);
  return res0(mk(e, at, name, 2, ops, 1, &t, 0, NULL));
}

static MlirValue addV(Emit *e, MlirOperation at, MlirValue a, MlirValue b) {
  int64_t x, y;
  bool ca = isConst(a, &x), cb = isConst(b, &y);
  if (ca && cb)
    return cst(e, x + y);
  if (ca && x == 0)
    return b;
  if (cb && y == 0)
    return a;
  return binop(e, at, "arith.addi", a, b);
}

static MlirValue mulV(Emit *e, MlirOperation at, MlirValue a, MlirValue b) {
  int64_t x, y;
  bool ca = isConst(a, &x), cb = isConst(b, &y);
  if (ca && cb)
    return cst(e, x * y);
  if ((ca && x == 0) || (cb && y == 0))
    return cst(e, 0);
  if (ca && x == 1)
    return b;
  if (cb && y == 1)
    return a;
  /* Constants on the right, as canonicalization would put them. */
  return ca ? binop(e, at, "arith.muli", b, a) : binop(e, at, "arith.muli", a, b);
}

static MlirValue divK(Emit *e, MlirOperation at, MlirValue a, int64_t k) {
  int64_t x;
  if (k == 1)
    return a;
  if (isConst(a, &x))
    return cst(e, x / k);
  return binop(e, at, "arith.divui", a, cst(e, k));
}

static MlirValue remK(Emit *e, MlirOperation at, MlirValue a, int64_t k) {
  int64_t x;
  if (k == 1)
    return cst(e, 0);
  if (isConst(a, &x))
    return cst(e, x % k);
  return binop(e, at, "arith.remui", a, cst(e, k));
}

/* f.base + f.step * c; `c` null means the chunk index is the constant cc. */
static MlirValue affV(Emit *e, MlirOperation at, Aff f, MlirValue c,
                      int64_t cc) {
  if (mlirValueIsNull(c))
    return cst(e, f.base + f.step * cc);
  MlirValue v = f.step == 0   ? cst(e, 0)
                : f.step == 1 ? c
                              : mulV(e, at, c, cst(e, f.step));
  return f.base == 0 ? v : addV(e, at, v, cst(e, f.base));
}

static MlirValue cmpUlt(Emit *e, MlirOperation at, MlirValue a, MlirValue b) {
  MlirValue ops[2] = {a, b};
  MlirType i1 = mlirIntegerTypeGet(e->ctx, 1);
  MlirNamedAttribute p = tlNamed(e->ctx, "predicate", i64Attr(e, 6)); /* ult */
  return res0(mk(e, at, "arith.cmpi", 2, ops, 1, &i1, 1, &p));
}

static MlirType dataType(MlirType elt, int64_t n) {
  return n == 1 ? elt : mlirVectorTypeGet(1, &n, elt);
}

/* A splat constant of `type` (scalar or vector) from an integer / float
   attribute (converted to the element type), or zero. */
static MlirValue splat(Emit *e, MlirType type, MlirAttribute value) {
  MlirType elt =
      mlirTypeIsAVector(type) ? mlirShapedTypeGetElementType(type) : type;
  MlirAttribute a;
  if (mlirTypeIsAFloat(elt)) {
    double d = 0;
    if (!mlirAttributeIsNull(value))
      d = mlirAttributeIsAFloat(value)
              ? mlirFloatAttrGetValueDouble(value)
              : (double)mlirIntegerAttrGetValueInt(value);
    a = mlirFloatAttrDoubleGet(e->ctx, elt, d);
  } else {
    int64_t i = 0;
    if (!mlirAttributeIsNull(value))
      i = mlirAttributeIsAFloat(value)
              ? (int64_t)mlirFloatAttrGetValueDouble(value)
              : mlirIntegerAttrGetValueInt(value);
    a = mlirIntegerAttrGet(elt, i);
  }
  if (mlirTypeIsAVector(type))
    a = mlirDenseElementsAttrSplatGet(type, a);
  for (int i = 0; i < e->nS; ++i)
    if (mlirAttributeEqual(e->sKey[i], a))
      return e->sVal[i];
  MlirNamedAttribute na = tlNamed(e->ctx, "value", a);
  MlirValue r =
      res0(mk(e, e->hoist, "arith.constant", 0, NULL, 1, &type, 1, &na));
  if (e->nS < 8) {
    e->sKey[e->nS] = a;
    e->sVal[e->nS++] = r;
  }
  return r;
}

/* The flat (rank-1) view of a swizzled side and its swizzled element
   index for `idx`: byte offset o -> o ^ (((o >> 7) & (span/16 - 1)) << 4),
   the CUTLASS Swizzle<B,4,3> of CU_TENSOR_MAP_SWIZZLE_{32,64,128}B. */
static MlirValue swizzledIndex(Emit *e, MlirOperation at, Side *s,
                               const MlirValue *idx) {
  MlirValue lin = cst(e, 0);
  for (intptr_t d = 0; d < s->rank; ++d)
    lin = addV(e, at, lin, mulV(e, at, idx[d], cst(e, s->sstride[d])));
  int64_t eb = s->bits / 8;
  MlirValue o = mulV(e, at, lin, cst(e, eb));
  MlirValue row = binop(e, at, "arith.shrui", o, cst(e, 7));
  row = binop(e, at, "arith.andi", row, cst(e, s->swz / 16 - 1));
  MlirValue x = binop(e, at, "arith.shli", row, cst(e, 4));
  MlirValue o2 = binop(e, at, "arith.xori", o, x);
  return divK(e, at, o2, eb);
}

static void prepareSwizzle(Emit *e, Side *s) {
  if (!s->swz || s->frag || !mlirValueIsNull(s->flat))
    return;
  int64_t n = 1;
  for (intptr_t d = 0; d < s->rank; ++d)
    n *= s->shape[d];
  MlirType t = mlirMemRefTypeGet(s->elt, 1, &n, (MlirAttribute){NULL},
                                 mlirMemRefTypeGetMemorySpace(s->type));
  int64_t *all = xmalloc(sizeof(int64_t) * (size_t)s->rank);
  for (intptr_t d = 0; d < s->rank; ++d)
    all[d] = d;
  TlStr txt = {0};
  tlStrAppendf(&txt, "[[");
  for (intptr_t d = 0; d < s->rank; ++d)
    tlStrAppendf(&txt, d ? ", %lld" : "%lld", (long long)d);
  tlStrAppendf(&txt, "]]");
  free(all);
  MlirNamedAttribute re = tlNamed(
      e->ctx, "reassociation",
      mlirAttributeParseGet(e->ctx, mlirStringRefCreate(txt.data, txt.len)));
  tlStrFree(&txt);
  s->flat = res0(mk(e, e->hoist, "memref.collapse_shape", 1, &s->buffer, 1,
                    &t, 1, &re));
}


//===--------------------------------------------------------------------===//
// Emission: accesses
//===--------------------------------------------------------------------===//

/* Elements per access: at most 16 bytes. */
static int64_t pieceElts(const Side *s, int64_t n) {
  int64_t eb = s->bits / 8;
  if (s->bits % 8 != 0 || n * eb <= MAX_ACCESS_BYTES)
    return n;
  return MAX_ACCESS_BYTES / eb;
}

/* Alignment (bytes) of an access of n elements: the access size for global
   and shared buffers (tl-infer-layouts' vector width guarantees it), and
   what the local index proves for private arrays (aligned to 16). */
static int64_t alignmentOf(const Side *s, int64_t n) {
  if (s->bits % 8 != 0)
    return 1; /* sub-byte elements (i1): no claim */
  int64_t eb = s->bits / 8, al = n * eb;
  if (s->frag) {
    if (s->curFl.base)
      al = minI(al, lowBit(s->curFl.base * eb));
    if (s->curFl.step)
      al = minI(al, lowBit(s->curFl.step * eb));
    al = minI(al, MAX_ACCESS_BYTES);
  }
  return al;
}

static MlirValue sideBuffer(const Side *s) {
  return s->frag ? s->frag->repl : s->buffer;
}

static intptr_t sideRank(const Side *s) { return s->frag ? 1 : s->rank; }

static intptr_t sideVecDim(const Side *s) { return s->frag ? 0 : s->vecDim; }

/* The address of idx in a global buffer as !llvm.ptr<1>. */
static MlirValue addressOf(Emit *e, MlirOperation at, Side *s,
                           const MlirValue *idx) {
  MlirValue lin = s->offsetV;
  for (intptr_t d = 0; d < s->rank; ++d)
    lin = addV(e, at, lin, mulV(e, at, idx[d], s->strideV[d]));
  MlirValue addr = addV(e, at, s->ptr, mulV(e, at, lin, cst(e, s->bits / 8)));
  MlirType i64 = mlirIntegerTypeGet(e->ctx, 64);
  MlirValue i = res0(mk(e, at, "arith.index_cast", 1, &addr, 1, &i64, 0, NULL));
  /* A generic pointer, converted to the global space as LLVM does for its
     own global accesses (cvta.to.global). */
  MlirType generic = mlirLLVMPointerTypeGet(e->ctx, 0);
  MlirValue p = res0(mk(e, at, "llvm.inttoptr", 1, &i, 1, &generic, 0, NULL));
  MlirType global = mlirLLVMPointerTypeGet(e->ctx, 1);
  return res0(mk(e, at, "llvm.addrspacecast", 1, &p, 1, &global, 0, NULL));
}

/* How n elements travel through PTX registers. */
typedef struct Regs {
  int k;           /* registers */
  int rw;          /* register bits */
  const char *ty;  /* PTX type */
  const char *con; /* constraint letter */
} Regs;

static Regs regsFor(const Side *s, int64_t n) {
  int64_t bytes = n * s->bits / 8;
  if (bytes == 1)
    return (Regs){1, 16, "b8", "h"};
  if (bytes == 2)
    return (Regs){1, 16, "b16", "h"};
  if (bytes == 8 && n == 1)
    return (Regs){1, 64, "b64", "l"};
  return (Regs){(int)(bytes / 4), 32, "b32", "r"};
}

static const char *policyQualifier(const Copy *c) {
  if (c->legacyEvict)
    return ".cs";
  return c->policy == TlEvictFirst ? ".L1::evict_first" : ".L1::evict_last";
}

static MlirValue inlineAsm(Emit *e, MlirOperation at, const char *text,
                           const char *constraints, intptr_t nOps,
                           const MlirValue *ops, MlirType *result) {
  MlirNamedAttribute attrs[3] = {
      tlNamed(e->ctx, "asm_string",
              mlirStringAttrGet(e->ctx, mlirStringRefCreateFromCString(text))),
      tlNamed(e->ctx, "constraints",
              mlirStringAttrGet(e->ctx,
                                mlirStringRefCreateFromCString(constraints))),
      tlNamed(e->ctx, "has_side_effects", mlirUnitAttrGet(e->ctx))};
  MlirOperation op =
      mk(e, at, "llvm.inline_asm", nOps, ops, result ? 1 : 0, result, 3, attrs);
  return result ? res0(op) : (MlirValue){NULL};
}

/* ld.global.L1::evict_* of n elements at idx. */
static MlirValue asmLoad(Emit *e, MlirOperation at, Side *s,
                         const MlirValue *idx, int64_t n) {
  Regs r = regsFor(s, n);
  MlirValue ptr = addressOf(e, at, s, idx);
  TlStr text = {0}, cons = {0};
  tlStrAppendf(&text, "ld.global%s%s.%s ", policyQualifier(e->c),
               r.k > 1 ? (r.k == 4 ? ".v4" : ".v2") : "", r.ty);
  if (r.k > 1)
    tlStrAppend(&text, "{", 1);
  for (int i = 0; i < r.k; ++i) {
    tlStrAppendf(&text, i ? ", $%d" : "$%d", i);
    tlStrAppendf(&cons, "=%s,", r.con);
  }
  if (r.k > 1)
    tlStrAppend(&text, "}", 1);
  tlStrAppendf(&text, ", [$%d];", r.k);
  tlStrAppend(&cons, "l", 1);
  MlirType regTy = mlirIntegerTypeGet(e->ctx, (unsigned)r.rw);
  MlirType resTy = regTy;
  if (r.k > 1) {
    MlirType f[4] = {regTy, regTy, regTy, regTy};
    resTy = mlirLLVMStructTypeLiteralGet(e->ctx, r.k, f, false);
  }
  MlirValue out =
      inlineAsm(e, at, tlStrGet(&text), tlStrGet(&cons), 1, &ptr, &resTy);
  tlStrFree(&text);
  tlStrFree(&cons);
  MlirValue regs[4];
  if (r.k == 1) {
    regs[0] = out;
  } else {
    for (int i = 0; i < r.k; ++i) {
      MlirNamedAttribute p = tlNamed(
          e->ctx, "position", mlirDenseI64ArrayGet(e->ctx, 1, (int64_t[]){i}));
      regs[i] = res0(mk(e, at, "llvm.extractvalue", 1, &out, 1, &regTy, 1, &p));
    }
  }
  if (n == 1) {
    MlirValue v = regs[0];
    if (s->bits < r.rw) {
      MlirType it = mlirIntegerTypeGet(e->ctx, (unsigned)s->bits);
      v = res0(mk(e, at, "arith.trunci", 1, &v, 1, &it, 0, NULL));
    }
    if (!mlirTypeEqual(mlirValueGetType(v), s->elt))
      v = res0(mk(e, at, "arith.bitcast", 1, &v, 1, &s->elt, 0, NULL));
    return v;
  }
  int64_t k = r.k;
  MlirType vecRegs = mlirVectorTypeGet(1, &k, regTy);
  MlirValue vec =
      res0(mk(e, at, "vector.from_elements", r.k, regs, 1, &vecRegs, 0, NULL));
  MlirType dt = dataType(s->elt, n);
  return res0(mk(e, at, "vector.bitcast", 1, &vec, 1, &dt, 0, NULL));
}

/* st.global.L1::evict_* of a value of n elements at idx. */
static void asmStore(Emit *e, MlirOperation at, Side *s, const MlirValue *idx,
                     MlirValue val, int64_t n) {
  Regs r = regsFor(s, n);
  MlirType regTy = mlirIntegerTypeGet(e->ctx, (unsigned)r.rw);
  MlirValue ops[5];
  if (n == 1) {
    MlirValue v = val;
    MlirType it = mlirIntegerTypeGet(e->ctx, (unsigned)s->bits);
    if (!mlirTypeEqual(s->elt, it))
      v = res0(mk(e, at, "arith.bitcast", 1, &v, 1, &it, 0, NULL));
    if (s->bits < r.rw)
      v = res0(mk(e, at, "arith.extui", 1, &v, 1, &regTy, 0, NULL));
    ops[1] = v;
  } else {
    int64_t k = r.k;
    MlirType vecRegs = mlirVectorTypeGet(1, &k, regTy);
    MlirValue vec =
        res0(mk(e, at, "vector.bitcast", 1, &val, 1, &vecRegs, 0, NULL));
    for (int i = 0; i < r.k; ++i) {
      MlirNamedAttribute p =
          tlNamed(e->ctx, "static_position",
                  mlirDenseI64ArrayGet(e->ctx, 1, (int64_t[]){i}));
      ops[1 + i] = res0(mk(e, at, "vector.extract", 1, &vec, 1, &regTy, 1, &p));
    }
  }
  ops[0] = addressOf(e, at, s, idx);
  TlStr text = {0}, cons = {0};
  tlStrAppendf(&text, "st.global%s%s.%s [$0], ", policyQualifier(e->c),
               r.k > 1 ? (r.k == 4 ? ".v4" : ".v2") : "", r.ty);
  tlStrAppend(&cons, "l", 1);
  if (r.k > 1)
    tlStrAppend(&text, "{", 1);
  for (int i = 0; i < r.k; ++i) {
    tlStrAppendf(&text, i ? ", $%d" : "$%d", i + 1);
    tlStrAppendf(&cons, ",%s", r.con);
  }
  if (r.k > 1)
    tlStrAppend(&text, "}", 1);
  tlStrAppend(&text, ";", 1);
  inlineAsm(e, at, tlStrGet(&text), tlStrGet(&cons), 1 + r.k, ops, NULL);
  tlStrFree(&text);
  tlStrFree(&cons);
}

static MlirValue loadPiece(Emit *e, MlirOperation at, Side *s,
                           const MlirValue *idx, int64_t n) {
  if (s->evict)
    return asmLoad(e, at, s, idx, n);
  intptr_t rank = sideRank(s);
  MlirValue ops[MAX_RANK + 1];
  ops[0] = sideBuffer(s);
  memcpy(ops + 1, idx, sizeof(MlirValue) * (size_t)rank);
  if (s->swz && !s->frag) {
    ops[0] = s->flat;
    ops[1] = swizzledIndex(e, at, s, idx);
    rank = 1;
  }
  MlirType t = dataType(s->elt, n);
  if (n == 1)
    return res0(mk(e, at, "memref.load", 1 + rank, ops, 1, &t, 0, NULL));
  MlirNamedAttribute al =
      tlNamed(e->ctx, "alignment", i64Attr(e, alignmentOf(s, n)));
  return res0(mk(e, at, "vector.load", 1 + rank, ops, 1, &t, 1, &al));
}

static void storePiece(Emit *e, MlirOperation at, Side *s,
                       const MlirValue *idx, MlirValue val, int64_t n) {
  if (s->evict) {
    asmStore(e, at, s, idx, val, n);
    return;
  }
  intptr_t rank = sideRank(s);
  MlirValue ops[MAX_RANK + 2];
  ops[0] = val;
  ops[1] = sideBuffer(s);
  memcpy(ops + 2, idx, sizeof(MlirValue) * (size_t)rank);
  if (s->swz && !s->frag) {
    ops[1] = s->flat;
    ops[2] = swizzledIndex(e, at, s, idx);
    rank = 1;
  }
  if (n == 1) {
    mk(e, at, "memref.store", 2 + rank, ops, 0, NULL, 0, NULL);
    return;
  }
  MlirNamedAttribute al =
      tlNamed(e->ctx, "alignment", i64Attr(e, alignmentOf(s, n)));
  mk(e, at, "vector.store", 2 + rank, ops, 0, NULL, 1, &al);
}

/* vector.shuffle %a, %b with mask [first, first + n): a slice of a (b = a)
   or the concatenation of a and b. Upstream lowers shuffles to LLVM
   directly (extract/insert_strided_slice need extra vector patterns). */
static MlirValue shuffle(Emit *e, MlirOperation at, MlirValue a, MlirValue b,
                         int64_t first, int64_t n) {
  int64_t *mask = xmalloc(sizeof(int64_t) * (size_t)n);
  for (int64_t i = 0; i < n; ++i)
    mask[i] = first + i;
  MlirType elt = mlirShapedTypeGetElementType(mlirValueGetType(a));
  MlirType t = mlirVectorTypeGet(1, &n, elt);
  MlirValue ops[2] = {a, b};
  MlirNamedAttribute m =
      tlNamed(e->ctx, "mask", mlirDenseI64ArrayGet(e->ctx, n, mask));
  free(mask);
  return res0(mk(e, at, "vector.shuffle", 2, ops, 1, &t, 1, &m));
}

/* n elements at idx (n consecutive along the vector dimension), as one
   value: 16-byte pieces concatenated. */
static MlirValue loadChunk(Emit *e, MlirOperation at, Side *s,
                           const MlirValue *idx, int64_t n) {
  int64_t pe = pieceElts(s, n);
  if (pe == n)
    return loadPiece(e, at, s, idx, n);
  intptr_t vd = sideVecDim(s);
  MlirValue pidx[MAX_RANK], acc = {NULL};
  memcpy(pidx, idx, sizeof(MlirValue) * (size_t)sideRank(s));
  for (int64_t p = 0; p < n / pe; ++p) {
    pidx[vd] = addV(e, at, idx[vd], cst(e, p * pe));
    MlirValue piece = loadPiece(e, at, s, pidx, pe);
    acc = p == 0 ? piece : shuffle(e, at, acc, piece, 0, (p + 1) * pe);
  }
  return acc;
}

static void storeChunk(Emit *e, MlirOperation at, Side *s,
                       const MlirValue *idx, MlirValue val, int64_t n) {
  int64_t pe = pieceElts(s, n);
  if (pe == n) {
    storePiece(e, at, s, idx, val, n);
    return;
  }
  intptr_t vd = sideVecDim(s);
  MlirValue pidx[MAX_RANK];
  memcpy(pidx, idx, sizeof(MlirValue) * (size_t)sideRank(s));
  for (int64_t p = 0; p < n / pe; ++p) {
    pidx[vd] = addV(e, at, idx[vd], cst(e, p * pe));
    storePiece(e, at, s, pidx, shuffle(e, at, val, val, p * pe, pe), pe);
  }
}

/* The conjunction of `index < dim` over the side's checked dimensions, or
   null when none is checked. */
static MlirValue inBounds(Emit *e, MlirOperation at, Side *s,
                          const MlirValue *idx) {
  MlirValue pred = {NULL};
  for (intptr_t d = 0; d < s->rank; ++d) {
    if (!s->check[d])
      continue;
    MlirValue p = cmpUlt(e, at, idx[d], s->dimV[d]);
    if (mlirValueIsNull(pred)) {
      pred = p;
    } else {
      MlirValue ops[2] = {pred, p};
      MlirType i1 = mlirIntegerTypeGet(e->ctx, 1);
      pred = res0(mk(e, at, "arith.andi", 2, ops, 1, &i1, 0, NULL));
    }
  }
  return pred;
}

static MlirValue readChunk(Emit *e, MlirOperation at, Side *s,
                           const MlirValue *idx, int64_t n) {
  MlirValue pred = s->frag ? (MlirValue){NULL} : inBounds(e, at, s, idx);
  if (mlirValueIsNull(pred))
    return loadChunk(e, at, s, idx, n);
  MlirType t = dataType(s->elt, n);
  MlirOperation thenY, elseY;
  MlirOperation ifOp = tlBuildIfBefore(at, e->loc, pred, 1, &t, &thenY, &elseY);
  MlirValue v = loadChunk(e, thenY, s, idx, n);
  mlirOperationSetOperands(thenY, 1, &v);
  MlirValue safe = splat(e, t, e->c->safe);
  mlirOperationSetOperands(elseY, 1, &safe);
  return res0(ifOp);
}

static void writeChunk(Emit *e, MlirOperation at, Side *s,
                       const MlirValue *idx, MlirValue val, int64_t n) {
  MlirValue pred = s->frag ? (MlirValue){NULL} : inBounds(e, at, s, idx);
  if (!mlirValueIsNull(pred))
    tlBuildIfBefore(at, e->loc, pred, 0, NULL, &at, NULL);
  storeChunk(e, at, s, idx, val, n);
}

static MlirValue castTo(Emit *e, MlirOperation at, MlirValue v, MlirType to) {
  MlirValue r = tlBuildCast(at, e->loc, v, to);
  if (mlirValueIsNull(r) && !e->failed) {
    char *a = typeText(mlirValueGetType(v)), *b = typeText(to);
    opError(e->c->op, "cannot cast %s to %s", a, b);
    free(a);
    free(b);
    e->failed = true;
  }
  return r;
}

/* Per-copy values before the copy: the thread id, dimension sizes for
   bounds checks, pointers and strides for inline PTX. */
static void prepareSide(Emit *e, Side *s) {
  MlirType index = indexTy(e);
  for (intptr_t d = 0; d < s->rank; ++d) {
    if (!s->check[d])
      continue;
    if (!mlirShapedTypeIsDynamicSize(s->shape[d])) {
      s->dimV[d] = cst(e, s->shape[d]);
    } else {
      MlirValue ops[2] = {s->buffer, cst(e, d)};
      s->dimV[d] = res0(mk(e, e->hoist, "memref.dim", 2, ops, 1, &index, 0, NULL));
    }
  }
  if (!s->evict && !s->addr)
    return;
  s->ptr = res0(mk(e, e->hoist, "memref.extract_aligned_pointer_as_index", 1,
                   &s->buffer, 1, &index, 0, NULL));
  int64_t strides[MAX_RANK], offset;
  bool isStatic = mlirLogicalResultIsSuccess(
      mlirMemRefTypeGetStridesAndOffset(s->type, strides, &offset));
  for (intptr_t d = 0; isStatic && d < s->rank; ++d)
    isStatic = !mlirShapedTypeIsDynamicStrideOrOffset(strides[d]);
  isStatic = isStatic && !mlirShapedTypeIsDynamicStrideOrOffset(offset);
  if (isStatic) {
    s->offsetV = cst(e, offset);
    for (intptr_t d = 0; d < s->rank; ++d)
      s->strideV[d] = cst(e, strides[d]);
    return;
  }
  /* Dynamic strides or offset: read them from the descriptor. */
  MlirType types[2 + 2 * MAX_RANK];
  types[0] = mlirMemRefTypeContiguousGet(s->elt, 0, NULL,
                                         mlirMemRefTypeGetMemorySpace(s->type));
  for (intptr_t i = 1; i < 2 + 2 * s->rank; ++i)
    types[i] = index;
  MlirOperation md = mk(e, e->hoist, "memref.extract_strided_metadata", 1,
                        &s->buffer, 2 + 2 * s->rank, types, 0, NULL);
  s->offsetV = mlirOperationGetResult(md, 1);
  for (intptr_t d = 0; d < s->rank; ++d)
    s->strideV[d] = mlirOperationGetResult(md, 2 + s->rank + d);
}

static MlirValue threadId(Emit *e) {
  static const char *const dims[3] = {"#gpu<dim x>", "#gpu<dim y>",
                                      "#gpu<dim z>"};
  MlirType index = indexTy(e);
  MlirValue tid = {NULL};
  int64_t scale = 1;
  for (int i = 0; i < 3; ++i) {
    if (i > 0 && e->c->xyz[i] == 1)
      continue;
    MlirNamedAttribute d = tlNamed(
        e->ctx, "dimension",
        mlirAttributeParseGet(e->ctx, mlirStringRefCreateFromCString(dims[i])));
    MlirValue t =
        res0(mk(e, e->hoist, "gpu.thread_id", 0, NULL, 1, &index, 1, &d));
    if (scale != 1)
      t = mulV(e, e->hoist, t, cst(e, scale));
    tid = mlirValueIsNull(tid) ? t : addV(e, e->hoist, tid, t);
    scale *= e->c->xyz[i];
  }
  return tid;
}

//===--------------------------------------------------------------------===//
// Emission: copies
//===--------------------------------------------------------------------===//

/* The indices of one side for base coordinates x (global/shared), or the
   chunk's first local (fragment). */
static void sideIndices(Emit *e, MlirOperation at, Side *s, const MlirValue *x,
                        MlirValue c, int64_t cc, MlirValue *out) {
  if (s->frag) {
    out[0] = affV(e, at, s->curFl, c, cc);
    return;
  }
  for (intptr_t d = 0; d < s->rank; ++d)
    out[d] = s->baseDim[d] >= 0 ? addV(e, at, s->idx[d], x[s->baseDim[d]])
                                : s->idx[d];
}

/* thread id * k, made once per copy before it. */
static MlirValue tidTimes(Emit *e, int64_t k) {
  for (int i = 0; i < e->nT; ++i)
    if (e->tKey[i] == k)
      return e->tVal[i];
  MlirValue v = mulV(e, e->hoist, e->tid, cst(e, k));
  if (e->nT < 8) {
    e->tKey[e->nT] = k;
    e->tVal[e->nT++] = v;
  }
  return v;
}

static void cpAsyncChunk(Emit *e, MlirOperation at, const MlirValue *si,
                         const MlirValue *di);

/* g(thread id) of the bit mode, made once per copy: runs of bits whose
   coefficients double become ((t >> i) & (2^k - 1)) * gBit[i]. */
static MlirValue bitPart(Emit *e) {
  if (!mlirValueIsNull(e->gVal))
    return e->gVal;
  Copy *c = e->c;
  MlirValue g = cst(e, 0);
  for (int i = 0; i < c->nBits;) {
    int k = 1;
    while (i + k < c->nBits && c->gBit[i + k] == c->gBit[i] << k)
      ++k;
    if (c->gBit[i] != 0) {
      MlirValue f = divK(e, e->hoist, e->tid, (int64_t)1 << i);
      if (i + k < c->nBits)
        f = remK(e, e->hoist, f, (int64_t)1 << k);
      g = addV(e, e->hoist, g, mulV(e, e->hoist, f, cst(e, c->gBit[i])));
    }
    i += k;
  }
  return e->gVal = g;
}

/* One chunk of every thread: c null means the constant chunk cc. */
static void emitChunk(Emit *e, MlirOperation at, MlirValue c, int64_t cc,
                      Aff a, Aff b, Aff n) {
  Copy *cp = e->c;
  bool guard = mlirValueIsNull(c) ? n.base + n.step * cc < cp->T
                                  : !(n.step == 0 && n.base >= cp->T);
  if (guard)
    tlBuildIfBefore(at, e->loc,
                    cmpUlt(e, at, e->tid, affV(e, at, n, c, cc)), 0, NULL,
                    &at, NULL);
  MlirValue bt;
  if (cp->bitMode)
    bt = bitPart(e);
  else if (b.step == 0 && mlirValueIsNull(c) == false)
    bt = tidTimes(e, b.base);
  else if (mlirValueIsNull(c))
    bt = tidTimes(e, b.base + b.step * cc);
  else
    bt = mulV(e, at, affV(e, at, b, c, cc), e->tid);
  MlirValue flat = addV(e, at, bt, affV(e, at, a, c, cc));
  MlirValue x[MAX_RANK];
  int64_t stride = 1;
  for (intptr_t k = cp->B - 1; k >= 0; --k) {
    MlirValue q = divK(e, at, flat, stride);
    x[k] = k == 0 ? q : remK(e, at, q, cp->baseShape[k]);
    stride *= cp->baseShape[k];
  }
  MlirValue si[MAX_RANK], di[MAX_RANK];
  sideIndices(e, at, &cp->src, x, c, cc, si);
  sideIndices(e, at, &cp->dst, x, c, cc, di);
  if (cp->inst == InstCpAsync) {
    cpAsyncChunk(e, at, si, di);
    return;
  }
  MlirValue val = readChunk(e, at, &cp->src, si, cp->v);
  val = castTo(e, at, val, dataType(cp->dst.elt, cp->v));
  if (mlirValueIsNull(val))
    return;
  writeChunk(e, at, &cp->dst, di, val, cp->v);
}

//===--------------------------------------------------------------------===//
// cp.async (docs/mma-copies.md)
//===--------------------------------------------------------------------===//

/* inst = "cp_async": a SIMT copy whose chunks are 4, 8 or 16 bytes moved
   global -> shared by cp.async. */
static bool checkCpAsync(Copy *c) {
  if (c->src.scope != TlScopeGlobal || c->dst.scope != TlScopeShared) {
    opError(c->op, "inst \"cp_async\" copies global to shared memory, but "
                   "this copy is %s->%s",
            tlScopeGetName(c->src.scope), tlScopeGetName(c->dst.scope));
    return false;
  }
  if (!mlirTypeEqual(c->src.elt, c->dst.elt) || c->src.bits % 8 != 0) {
    opError(c->op, "inst \"cp_async\" needs one byte-sized element type on "
                   "both sides");
    return false;
  }
  int64_t bytes = c->v * (c->src.bits / 8);
  if (bytes != 4 && bytes != 8 && bytes != 16) {
    opError(c->op, "inst \"cp_async\" moves 4, 8 or 16 bytes per chunk, but "
                   "vector_width %lld gives %lld",
            (long long)c->v, (long long)bytes);
    return false;
  }
  c->src.addr = true;
  c->src.evict = false;
  c->dst.addr = true;
  return true;
}

/* The address of idx in a global (space 1) or shared (space 3) buffer;
   with `pred` (in bounds) an out-of-bounds index gives the buffer start. */
static MlirValue pointerTo(Emit *e, MlirOperation at, Side *s,
                           const MlirValue *idx, unsigned space,
                           MlirValue pred) {
  MlirValue addr;
  int64_t eb = s->bits / 8;
  if (s->swz) {
    addr = addV(e, at, s->ptr, mulV(e, at, swizzledIndex(e, at, s, idx),
                                    cst(e, eb)));
  } else {
    MlirValue lin = s->offsetV;
    for (intptr_t d = 0; d < s->rank; ++d)
      lin = addV(e, at, lin, mulV(e, at, idx[d], s->strideV[d]));
    addr = addV(e, at, s->ptr, mulV(e, at, lin, cst(e, eb)));
  }
  if (!mlirValueIsNull(pred)) {
    MlirValue ops[3] = {pred, addr, s->ptr};
    MlirType index = indexTy(e);
    addr = res0(mk(e, at, "arith.select", 3, ops, 1, &index, 0, NULL));
  }
  MlirType i64 = mlirIntegerTypeGet(e->ctx, 64);
  MlirValue i = res0(mk(e, at, "arith.index_cast", 1, &addr, 1, &i64, 0, NULL));
  if (space == 3) {
    MlirType p3 = mlirLLVMPointerTypeGet(e->ctx, 3);
    return res0(mk(e, at, "llvm.inttoptr", 1, &i, 1, &p3, 0, NULL));
  }
  MlirType generic = mlirLLVMPointerTypeGet(e->ctx, 0);
  MlirValue p = res0(mk(e, at, "llvm.inttoptr", 1, &i, 1, &generic, 0, NULL));
  MlirType global = mlirLLVMPointerTypeGet(e->ctx, space);
  return res0(mk(e, at, "llvm.addrspacecast", 1, &p, 1, &global, 0, NULL));
}

static MlirValue i32Const(Emit *e, MlirOperation at, int64_t v);

/* One cp.async chunk: cp-size v * bytes, src-size 0 out of bounds. */
static void cpAsyncChunk(Emit *e, MlirOperation at, const MlirValue *si,
                         const MlirValue *di) {
  Copy *c = e->c;
  MlirValue dpred = inBounds(e, at, &c->dst, di);
  if (!mlirValueIsNull(dpred))
    tlBuildIfBefore(at, e->loc, dpred, 0, NULL, &at, NULL);
  MlirValue spred = inBounds(e, at, &c->src, si);
  int64_t bytes = c->v * (c->src.bits / 8);
  MlirValue ops[3];
  ops[0] = pointerTo(e, at, &c->dst, di, 3, (MlirValue){NULL});
  ops[1] = pointerTo(e, at, &c->src, si, 1, spred);
  MlirType i32 = mlirIntegerTypeGet(e->ctx, 32);
  MlirValue full = i32Const(e, at, bytes);
  if (mlirValueIsNull(spred)) {
    ops[2] = full;
  } else {
    MlirValue sel[3] = {spred, full, i32Const(e, at, 0)};
    ops[2] = res0(mk(e, at, "arith.select", 3, sel, 1, &i32, 0, NULL));
  }
  MlirNamedAttribute attrs[2] = {
      tlNamed(e->ctx, "size", mlirIntegerAttrGet(i32, bytes)),
      tlNamed(e->ctx, "modifier",
              mlirAttributeParseGet(
                  e->ctx, mlirStringRefCreateFromCString(
                              bytes == 16 ? "#nvvm<load_cache_modifier cg>"
                                          : "#nvvm<load_cache_modifier ca>")))};
  mk(e, at, "nvvm.cp.async.shared.global", 3, ops, 0, NULL, 2, attrs);
}

/* After the copy: commit the group and wait for it (the barrier before the
   readers is the copy barriers' job). */
static void cpAsyncWait(Emit *e) {
  mk(e, e->top, "nvvm.cp.async.commit.group", 0, NULL, 0, NULL, 0, NULL);
  MlirNamedAttribute n = tlNamed(
      e->ctx, "n", mlirIntegerAttrGet(mlirIntegerTypeGet(e->ctx, 32), 0));
  mk(e, e->top, "nvvm.cp.async.wait.group", 0, NULL, 0, NULL, 1, &n);
}

//===--------------------------------------------------------------------===//
// ldmatrix / stmatrix (docs/mma-copies.md)
//===--------------------------------------------------------------------===//

/* inst = "ldmatrix" (shared -> fragment) / "stmatrix" (fragment ->
   shared): the fragment's layout must be the 8x8 mma fragment layout of
   docs/mma-copies.md (mma_trans: its transpose) over the [R, C] base. */
static bool checkMma(Copy *c) {
  bool load = c->inst == InstLdmatrix;
  const char *name = load ? "ldmatrix" : "stmatrix";
  Side *fr = load ? &c->dst : &c->src, *sh = load ? &c->src : &c->dst;
  if (!fr->frag || sh->scope != TlScopeShared) {
    opError(c->op, "inst \"%s\" copies %s, but this copy is %s->%s", name,
            load ? "shared to fragment" : "fragment to shared",
            tlScopeGetName(c->src.scope), tlScopeGetName(c->dst.scope));
    return false;
  }
  if (!mlirTypeEqual(c->src.elt, c->dst.elt) || c->src.bits != 16 ||
      c->B != 2 || c->T % 32 != 0) {
    opError(c->op, "inst \"%s\" needs one 16-bit element type, a rank-2 "
                   "base and whole warps", name);
    return false;
  }
  MlirAttribute tr = getAttr(c->op, "mma_trans");
  c->trans = !mlirAttributeIsNull(tr) && mlirAttributeIsABool(tr) &&
             mlirBoolAttrGetValue(tr);
  int64_t W = c->T / 32, R = c->baseShape[0], C = c->baseShape[1];
  if (R % (8 * W) != 0 || C % 8 != 0) {
    opError(c->op, "inst \"%s\" needs a base [%lld, %lld] that is a "
                   "multiple of [%lld, 8]", name, (long long)R, (long long)C,
            (long long)(8 * W));
    return false;
  }
  int64_t Rw = R / W;
  int64_t x[2], y[MAX_RANK], res[2];
  for (x[0] = 0; x[0] < R; ++x[0])
    for (x[1] = 0; x[1] < C; ++x[1]) {
      int64_t r = x[0], col = x[1];
      int64_t a = c->trans ? col : r, b = c->trans ? r : col;
      int64_t q = (col / 8) * (Rw / 8) + (r % Rw) / 8;
      int64_t th = (r / Rw) * 32 + (a % 8) * 4 + (b % 8) / 2;
      int64_t lo = q * 2 + b % 2;
      fragCoord(fr, x, y);
      if (!tlAffineMapEval(fr->frag->map, y, fr->rank, res) ||
          res[0] != th || res[1] != lo) {
        char *ys = coordText(y, fr->rank);
        opError(c->op, "inst \"%s\" needs the fragment's tl.layout to be "
                       "the 8x8 mma fragment layout%s: element %s should be "
                       "local %lld of thread %lld",
                name, c->trans ? " (transposed)" : "", ys, (long long)lo,
                (long long)th);
        free(ys);
        return false;
      }
    }
  sh->addr = true;
  sh->evict = false;
  return true;
}

static void emitMma(Emit *e) {
  Copy *c = e->c;
  bool load = c->inst == InstLdmatrix;
  Side *fr = load ? &c->dst : &c->src, *sh = load ? &c->src : &c->dst;
  e->tid = threadId(e);
  prepareSide(e, sh);
  int64_t W = c->T / 32, Rw = c->baseShape[0] / W, C = c->baseShape[1];
  int64_t mr = Rw / 8, nMat = mr * (C / 8);
  MlirOperation at = e->top;
  MlirValue lane = remK(e, e->hoist, e->tid, 32);
  MlirValue rowBase = addV(e, e->hoist,
                           mulV(e, e->hoist, divK(e, e->hoist, e->tid, 32),
                                cst(e, Rw)),
                           remK(e, e->hoist, lane, 8));
  MlirValue mat = divK(e, e->hoist, lane, 8);
  MlirType i32 = mlirIntegerTypeGet(e->ctx, 32);
  MlirType pair = mlirVectorTypeGet(1, (int64_t[]){2}, fr->elt);
  MlirAttribute layout = mlirAttributeParseGet(
      e->ctx, mlirStringRefCreateFromCString(
                  c->trans ? "#nvvm.mma_layout<col>" : "#nvvm.mma_layout<row>"));
  MlirAttribute eltT = mlirAttributeParseGet(
      e->ctx, mlirStringRefCreateFromCString("#nvvm.ld_st_matrix_elt_type<b16>"));
  MlirAttribute shape = mlirAttributeParseGet(
      e->ctx, mlirStringRefCreateFromCString(
                  "#nvvm.ld_st_matrix_shape<m = 8, n = 8>"));
  for (int64_t q0 = 0; q0 < nMat;) {
    int64_t n = nMat - q0 >= 4 ? 4 : nMat - q0 >= 2 ? 2 : 1;
    /* Lanes 8j..8j+7 address the rows of matrix q0 + j. */
    MlirValue j = n == 1 ? cst(e, 0) : remK(e, at, mat, n);
    MlirValue m = addV(e, at, j, cst(e, q0));
    MlirValue row = addV(e, at, rowBase, mulV(e, at, remK(e, at, m, mr),
                                              cst(e, 8)));
    MlirValue col = mulV(e, at, divK(e, at, m, mr), cst(e, 8));
    MlirValue x[2] = {row, col}, idx[MAX_RANK];
    sideIndices(e, at, sh, x, (MlirValue){NULL}, 0, idx);
    MlirValue addr = pointerTo(e, at, sh, idx, 3, (MlirValue){NULL});
    MlirValue regs[4];
    if (load) {
      MlirType rt = i32;
      if (n > 1) {
        MlirType f[4] = {i32, i32, i32, i32};
        rt = mlirLLVMStructTypeLiteralGet(e->ctx, n, f, false);
      }
      MlirNamedAttribute at4[4] = {
          tlNamed(e->ctx, "num", mlirIntegerAttrGet(i32, n)),
          tlNamed(e->ctx, "layout", layout), tlNamed(e->ctx, "eltType", eltT),
          tlNamed(e->ctx, "shape", shape)};
      MlirValue r = res0(mk(e, at, "nvvm.ldmatrix", 1, &addr, 1, &rt, 4, at4));
      for (int64_t k = 0; k < n; ++k) {
        if (n == 1) {
          regs[k] = r;
        } else {
          MlirNamedAttribute pos = tlNamed(
              e->ctx, "position", mlirDenseI64ArrayGet(e->ctx, 1, &k));
          regs[k] = res0(mk(e, at, "llvm.extractvalue", 1, &r, 1, &i32, 1, &pos));
        }
        MlirValue v = res0(mk(e, at, "llvm.bitcast", 1, &regs[k], 1, &pair, 0,
                              NULL));
        MlirValue ops[3] = {v, fr->frag->repl, cst(e, 2 * (q0 + k))};
        MlirNamedAttribute al = tlNamed(e->ctx, "alignment", i64Attr(e, 4));
        mk(e, at, "vector.store", 3, ops, 0, NULL, 1, &al);
      }
    } else {
      MlirValue ops[5];
      ops[0] = addr;
      for (int64_t k = 0; k < n; ++k) {
        MlirValue lo[2] = {fr->frag->repl, cst(e, 2 * (q0 + k))};
        MlirNamedAttribute al = tlNamed(e->ctx, "alignment", i64Attr(e, 4));
        MlirValue v = res0(mk(e, at, "vector.load", 2, lo, 1, &pair, 1, &al));
        ops[1 + k] = res0(mk(e, at, "llvm.bitcast", 1, &v, 1, &i32, 0, NULL));
      }
      MlirNamedAttribute at3[3] = {tlNamed(e->ctx, "layout", layout),
                                   tlNamed(e->ctx, "eltType", eltT),
                                   tlNamed(e->ctx, "shape", shape)};
      mk(e, at, "nvvm.stmatrix", 1 + n, ops, 0, NULL, 3, at3);
    }
    q0 += n;
  }
}

static void setFl(Side *s, int64_t ch, int64_t step) {
  if (s->frag)
    s->curFl = (Aff){s->fl[ch], step};
}

static void emitSimt(Emit *e) {
  Copy *c = e->c;
  e->tid = threadId(e);
  prepareSide(e, &c->src);
  prepareSide(e, &c->dst);
  prepareSwizzle(e, &c->src);
  prepareSwizzle(e, &c->dst);
  int64_t K = c->loopChunks;
  if (K > 0) {
    const Chunk *p = c->chunks;
    Aff a = {p[0].a, p[1].a - p[0].a}, b = {p[0].b, p[1].b - p[0].b},
        n = {p[0].n, p[1].n - p[0].n};
    if (c->src.frag)
      setFl(&c->src, 0, c->src.fl[1] - c->src.fl[0]);
    if (c->dst.frag)
      setFl(&c->dst, 0, c->dst.fl[1] - c->dst.fl[0]);
    MlirValue iv;
    MlirOperation yield;
    tlBuildForBefore(e->top, e->loc, cst(e, 0), cst(e, K), cst(e, 1), &iv,
                     &yield);
    emitChunk(e, yield, iv, 0, a, b, n);
  }
  for (int64_t ch = K; ch < c->nChunks && !e->failed; ++ch) {
    const Chunk *k = &c->chunks[ch];
    if (k->n == 0)
      continue;
    setFl(&c->src, ch, 0);
    setFl(&c->dst, ch, 0);
    emitChunk(e, e->top, (MlirValue){NULL}, 0, (Aff){k->a, 0}, (Aff){k->b, 0},
              (Aff){k->n, 0});
  }
}

/* Fragment to fragment with one layout: each thread copies its locals. */
static void emitDirect(Emit *e) {
  Copy *c = e->c;
  int64_t L = c->src.frag->length;
  int maxBits = c->src.bits > c->dst.bits ? c->src.bits : c->dst.bits;
  int64_t w = 1;
  if (!mlirAttributeIsNull(getAttr(c->op, "vector_width")) && L % c->v == 0) {
    w = c->v;
  } else if (maxBits % 8 == 0) {
    while (L % (2 * w) == 0 && 2 * w * (maxBits / 8) <= MAX_ACCESS_BYTES)
      w *= 2;
  }
  int64_t chunks = L / w;
  MlirType dt = dataType(c->dst.elt, w);
  if (chunks > MAX_UNROLL) {
    MlirValue iv;
    MlirOperation yield;
    tlBuildForBefore(e->top, e->loc, cst(e, 0), cst(e, chunks), cst(e, 1), &iv,
                     &yield);
    c->src.curFl = c->dst.curFl = (Aff){0, w};
    MlirValue i = mulV(e, yield, iv, cst(e, w));
    MlirValue v = readChunk(e, yield, &c->src, &i, w);
    v = castTo(e, yield, v, dt);
    if (!mlirValueIsNull(v))
      writeChunk(e, yield, &c->dst, &i, v, w);
    return;
  }
  for (int64_t ch = 0; ch < chunks && !e->failed; ++ch) {
    c->src.curFl = c->dst.curFl = (Aff){ch * w, 0};
    MlirValue i = cst(e, ch * w);
    MlirValue v = readChunk(e, e->top, &c->src, &i, w);
    v = castTo(e, e->top, v, dt);
    if (!mlirValueIsNull(v))
      writeChunk(e, e->top, &c->dst, &i, v, w);
  }
}

//===--------------------------------------------------------------------===//
// TMA copies (docs/tma.md)
//===--------------------------------------------------------------------===//

/* Reads tma_box / tma_swizzle and builds the tensor-map descriptor. */
static bool readTma(Copy *c) {
  MlirOperation op = c->op;
  bool load = c->inst == InstTmaLoad;
  Side *g = load ? &c->src : &c->dst, *sh = load ? &c->dst : &c->src;
  const char *kind = load ? "tma_load" : "tma_store";
  if (g->scope != TlScopeGlobal || sh->scope != TlScopeShared || g->frag ||
      sh->frag) {
    opError(op, "inst \"%s\" copies %s, but this copy is %s -> %s", kind,
            load ? "global -> shared" : "shared -> global",
            tlScopeGetName(c->src.scope), tlScopeGetName(c->dst.scope));
    return false;
  }
  c->func = enclosingFunc(op);
  int64_t bufIdx = mlirOperationIsNull(c->func) ||
                           !tlOpIsNamed(c->func, "gpu.func")
                       ? -1
                       : tlFuncInputIndex(c->func, g->buffer);
  if (bufIdx < 0) {
    opError(op, "inst \"%s\" needs the global side to be a memref argument "
                "of the enclosing gpu.func", kind);
    return false;
  }
  int64_t gstride[MAX_RANK];
  /* Dynamic global sizes: identity layout; the launcher fills the sizes and
     strides from the run-time sizes (docs/dynamic.md). */
  bool gDyn = !mlirShapedTypeHasStaticShape(g->type) &&
              mlirAffineMapIsIdentity(mlirMemRefTypeGetAffineMap(g->type));
  if (gDyn) {
    int64_t acc = 1;
    for (intptr_t d = g->rank - 1; d >= 0; --d) {
      gstride[d] = acc;
      acc = mlirShapedTypeIsDynamicDim(g->type, d) || acc < 0
                ? -1
                : acc * g->shape[d];
    }
  }
  if ((!gDyn && !tlStaticRowMajor(g->type, gstride)) ||
      !tlStaticRowMajor(sh->type, sh->sstride)) {
    opError(op, "inst \"%s\" needs static, identity-layout memrefs on both "
                "sides", kind);
    return false;
  }
  if (!mlirTypeEqual(g->elt, sh->elt) ||
      tlTensorMapDataType(g->elt) < 0 || g->bits % 8 != 0) {
    opError(op, "inst \"%s\" needs one TMA element type on both sides", kind);
    return false;
  }
  MlirAttribute boxA = getAttr(op, "tma_box"), swzA = getAttr(op, "tma_swizzle");
  intptr_t r = g->rank;
  if (mlirAttributeIsNull(boxA) || !mlirAttributeIsADenseI64Array(boxA) ||
      mlirDenseArrayGetNumElements(boxA) != r || mlirAttributeIsNull(swzA) ||
      !mlirAttributeIsAInteger(swzA)) {
    opError(op, "inst \"%s\" needs tma_box (one entry per dimension of the "
                "global memref) and tma_swizzle: run tl-infer-layouts", kind);
    return false;
  }
  c->swizzle = mlirIntegerAttrGetValueInt(swzA);
  if (c->swizzle != sh->swz) {
    opError(op, "tma_swizzle %lld disagrees with the shared buffer's "
                "tl.swizzle %lld", (long long)c->swizzle, (long long)sh->swz);
    return false;
  }
  int64_t eb = g->bits / 8;
  for (intptr_t d = 0; d < r; ++d) {
    c->box[d] = mlirDenseI64ArrayGetElement(boxA, d);
    if (c->box[d] < 1 || c->box[d] > 256 || g->ext[d] % c->box[d] != 0) {
      opError(op, "tma_box entry %lld (%lld) must be in [1, 256] and divide "
                  "the region extent %lld", (long long)d,
              (long long)c->box[d], (long long)g->ext[d]);
      return false;
    }
  }
  int64_t W = c->box[r - 1], C = g->ext[r - 1], N = g->shape[r - 1];
  c->view = W < C;
  if ((W * eb) % 16 != 0 || (c->swizzle && W * eb != c->swizzle) ||
      (c->view && (gDyn || N % W != 0 || r + 1 > 5)) || r > 5) {
    opError(op, "tma_box %lld x %lld bytes along the innermost dimension is "
                "not a legal TMA box here", (long long)W, (long long)eb);
    return false;
  }
  int64_t off = 0;
  for (intptr_t d = 0; d < sh->rank; ++d) {
    int64_t k;
    if (!tlGetConstantIndex(sh->idx[d], &k)) {
      opError(op, "inst \"%s\" needs constant indices on the shared side",
              kind);
      return false;
    }
    off += k * sh->sstride[d];
  }
  c->shOff = off * eb;
  TlTensorMapDesc *m = &c->desc;
  memset(m, 0, sizeof *m);
  m->kind = "tiled";
  m->buffer = bufIdx;
  m->dataType = tlTensorMapDataType(g->elt);
  intptr_t k = 0;
  if (c->view) {
    m->globalDim[0] = W;
    m->box[0] = W;
    m->globalDim[1] = N / W;
    m->globalStrides[0] = W * eb;
    m->box[1] = C / W;
    k = 2;
  } else {
    m->globalDim[0] = N;
    m->box[0] = W;
    k = 1;
  }
  for (intptr_t d = r - 2; d >= 0; --d, ++k) {
    m->globalDim[k] = g->shape[d];
    m->globalStrides[k - 1] = gstride[d] < 0 ? -1 : gstride[d] * eb;
    m->box[k] = c->box[d];
  }
  m->rank = k;
  if (gDyn) {
    m->dynamic = true;
    m->elementBytes = eb;
    for (intptr_t i = 0; i < k; ++i) {
      m->dimsFrom[i] = r - 1 - i;
      if (mlirShapedTypeIsDynamicDim(g->type, r - 1 - i))
        m->globalDim[i] = -1;
    }
  }
  for (intptr_t i = 0; i < k; ++i)
    m->elementStrides[i] = 1;
  m->swizzle = c->swizzle == 32 ? 1 : c->swizzle == 64 ? 2
               : c->swizzle == 128 ? 3 : 0;
  m->l2Promotion = 2;
  c->nBoxes = 1;
  c->bytes = eb;
  for (intptr_t d = 0; d < r; ++d) {
    c->bytes *= g->ext[d];
    if (d < r - 1)
      c->nBoxes *= g->ext[d] / c->box[d];
  }
  return true;
}

/* Per-function TMA state: the elected-thread predicate, the mbarrier and
   the phase, made once at the function's entry. */
typedef struct FuncTma {
  MlirOperation func;
  MlirOperation initYield; /* the entry scf.if's then-yield (prefetches) */
  MlirValue is0, bar, phase;
  MlirValue maps[16];
  int nMaps;
} FuncTma;

typedef struct FuncTmaList {
  FuncTma *v;
  size_t n, cap;
} FuncTmaList;

static MlirValue i32Const(Emit *e, MlirOperation at, int64_t v) {
  MlirType i32 = mlirIntegerTypeGet(e->ctx, 32);
  MlirNamedAttribute a = tlNamed(e->ctx, "value", mlirIntegerAttrGet(i32, v));
  return res0(mk(e, at, "arith.constant", 0, NULL, 1, &i32, 1, &a));
}

static MlirValue indexToPtr(Emit *e, MlirOperation at, MlirValue index,
                            unsigned space) {
  MlirType i64 = mlirIntegerTypeGet(e->ctx, 64);
  MlirValue i = res0(mk(e, at, "arith.index_cast", 1, &index, 1, &i64, 0, NULL));
  MlirType p = mlirLLVMPointerTypeGet(e->ctx, space);
  return res0(mk(e, at, "llvm.inttoptr", 1, &i, 1, &p, 0, NULL));
}

static bool funcHasTmaLoad(MlirOperation func, Copy *copies, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if ((copies[i].inst == InstTmaLoad || copies[i].inst == InstBulkLoad) &&
        mlirOperationEqual(copies[i].func, func))
      return true;
  return false;
}

static FuncTma *funcTma(Emit *e, FuncTmaList *l, MlirOperation func,
                        Copy *copies, size_t nCopies) {
  for (size_t i = 0; i < l->n; ++i)
    if (mlirOperationEqual(l->v[i].func, func))
      return &l->v[i];
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 4;
    l->v = realloc(l->v, sizeof(FuncTma) * l->cap);
    if (!l->v)
      abort();
  }
  FuncTma *f = &l->v[l->n++];
  memset(f, 0, sizeof *f);
  f->func = func;
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  MlirOperation at = mlirBlockGetFirstOperation(entry);
  MlirType index = indexTy(e);
  /* The linear thread id. */
  int64_t xyz[3] = {1, 1, 1};
  blockSize(e->c->op, xyz);
  static const char *const dims[3] = {"#gpu<dim x>", "#gpu<dim y>",
                                      "#gpu<dim z>"};
  MlirValue tid = {NULL};
  int64_t scale = 1;
  for (int i = 0; i < 3; ++i) {
    if (i > 0 && xyz[i] == 1)
      continue;
    MlirNamedAttribute d = tlNamed(
        e->ctx, "dimension",
        mlirAttributeParseGet(e->ctx, mlirStringRefCreateFromCString(dims[i])));
    MlirValue t = res0(mk(e, at, "gpu.thread_id", 0, NULL, 1, &index, 1, &d));
    if (scale != 1)
      t = binop(e, at, "arith.muli", t, tlBuildIndexConstant(at, e->loc, scale));
    tid = mlirValueIsNull(tid) ? t : binop(e, at, "arith.addi", tid, t);
    scale *= xyz[i];
  }
  MlirValue ops[2] = {tid, tlBuildIndexConstant(at, e->loc, 0)};
  MlirType i1 = mlirIntegerTypeGet(e->ctx, 1);
  MlirNamedAttribute eq = tlNamed(e->ctx, "predicate", i64Attr(e, 0));
  f->is0 = res0(mk(e, at, "arith.cmpi", 2, ops, 1, &i1, 1, &eq));
  bool hasLoad = funcHasTmaLoad(func, copies, nCopies);
  if (hasLoad) {
    /* The mbarrier: a private workgroup global of the gpu.module. */
    MlirAttribute nameA = getAttr(func, "sym_name");
    MlirStringRef fn = mlirStringAttrGetValue(nameA);
    TlStr sym = {0};
    tlStrAppendf(&sym, "__tl_mbar_%.*s", (int)fn.length, fn.data);
    int64_t one = 1;
    MlirAttribute wg = mlirAttributeParseGet(
        e->ctx, mlirStringRefCreateFromCString("#gpu.address_space<workgroup>"));
    MlirType barT = mlirMemRefTypeGet(mlirIntegerTypeGet(e->ctx, 64), 1, &one,
                                      (MlirAttribute){NULL}, wg);
    MlirNamedAttribute ga[4] = {
        tlNamed(e->ctx, "sym_name",
                mlirStringAttrGet(e->ctx, mlirStringRefCreate(sym.data, sym.len))),
        tlNamed(e->ctx, "sym_visibility",
                mlirStringAttrGet(e->ctx,
                                  mlirStringRefCreateFromCString("private"))),
        tlNamed(e->ctx, "type", mlirTypeAttrGet(barT)),
        tlNamed(e->ctx, "alignment", i64Attr(e, 8))};
    mk(e, func, "memref.global", 0, NULL, 0, NULL, 4, ga);
    MlirNamedAttribute gn = tlNamed(
        e->ctx, "name",
        mlirFlatSymbolRefAttrGet(e->ctx, mlirStringRefCreate(sym.data, sym.len)));
    tlStrFree(&sym);
    MlirValue g = res0(mk(e, at, "memref.get_global", 0, NULL, 1, &barT, 1, &gn));
    MlirValue gi = res0(mk(e, at, "memref.extract_aligned_pointer_as_index", 1,
                           &g, 1, &index, 0, NULL));
    f->bar = indexToPtr(e, at, gi, 3);
  }
  MlirOperation thenY;
  tlBuildIfBefore(at, e->loc, f->is0, 0, NULL, &thenY, NULL);
  f->initYield = thenY;
  if (hasLoad) {
    MlirValue iops[2] = {f->bar, i32Const(e, thenY, 1)};
    mk(e, thenY, "nvvm.mbarrier.init", 2, iops, 0, NULL, 0, NULL);
    mk(e, thenY, "nvvm.fence.mbarrier.init", 0, NULL, 0, NULL, 0, NULL);
    mk(e, at, "gpu.barrier", 0, NULL, 0, NULL, 0, NULL);
    /* The phase of the mbarrier, flipped by every completed load. */
    int64_t one = 1;
    MlirType pt = mlirMemRefTypeContiguousGet(mlirIntegerTypeGet(e->ctx, 32), 1,
                                              &one, (MlirAttribute){NULL});
    MlirNamedAttribute seg = tlNamed(
        e->ctx, "operandSegmentSizes",
        mlirDenseI32ArrayGet(e->ctx, 2, (int32_t[]){0, 0}));
    f->phase = res0(mk(e, at, "memref.alloca", 0, NULL, 1, &pt, 1, &seg));
    MlirValue sops[3] = {i32Const(e, at, 0), f->phase,
                         tlBuildIndexConstant(at, e->loc, 0)};
    mk(e, at, "memref.store", 3, sops, 0, NULL, 0, NULL);
  }
  return f;
}

static void prefetchMap(Emit *e, FuncTma *f, MlirValue map) {
  for (int i = 0; i < f->nMaps; ++i)
    if (mlirValueEqual(f->maps[i], map))
      return;
  if (f->nMaps < 16)
    f->maps[f->nMaps++] = map;
  MlirNamedAttribute tm = tlNamed(e->ctx, "tensormap", mlirUnitAttrGet(e->ctx));
  mk(e, f->initYield, "nvvm.prefetch", 1, &map, 0, NULL, 1, &tm);
}

static MlirValue l2Policy(Emit *e, MlirOperation at) {
  Copy *c = e->c;
  if (c->policy != TlEvictFirst && c->policy != TlEvictLast)
    return (MlirValue){NULL};
  MlirType i64 = mlirIntegerTypeGet(e->ctx, 64);
  return inlineAsm(e, at,
                   c->policy == TlEvictFirst
                       ? "createpolicy.fractional.L2::evict_first.b64 $0, 1.0;"
                       : "createpolicy.fractional.L2::evict_last.b64 $0, 1.0;",
                   "=l", 0, NULL, &i64);
}


/* Before a bulk or TMA store reads shared memory: every thread's ordinary
   shared writes are made visible to the async proxy, then the block
   synchronizes (DESIGN §3). */
static void asyncProxyFenceAndBarrier(Emit *e, MlirOperation at) {
  MlirNamedAttribute fa[2] = {
      tlNamed(e->ctx, "kind",
              mlirAttributeParseGet(e->ctx, mlirStringRefCreateFromCString(
                                                "#nvvm.proxy_kind<async.shared>"))),
      tlNamed(e->ctx, "space",
              mlirAttributeParseGet(e->ctx, mlirStringRefCreateFromCString(
                                                "#nvvm.shared_space<cta>")))};
  mk(e, at, "nvvm.fence.proxy", 0, NULL, 0, NULL, 2, fa);
  mk(e, at, "gpu.barrier", 0, NULL, 0, NULL, 0, NULL);
}
static void emitTma(Emit *e, FuncTma *f) {
  Copy *c = e->c;
  bool load = c->inst == InstTmaLoad;
  Side *g = load ? &c->src : &c->dst, *sh = load ? &c->dst : &c->src;
  MlirValue map = tlGetOrAddTensorMapArg(c->func, &c->desc);
  prefetchMap(e, f, map);
  MlirType index = indexTy(e);
  intptr_t r = g->rank;
  int64_t eb = g->bits / 8;
  MlirValue shBase = res0(mk(e, e->hoist, "memref.extract_aligned_pointer_as_index",
                             1, &sh->buffer, 1, &index, 0, NULL));
  MlirOperation at = e->top;
  if (!load)
    asyncProxyFenceAndBarrier(e, at);
  MlirOperation y;
  tlBuildIfBefore(at, e->loc, f->is0, 0, NULL, &y, NULL);
  MlirValue pol = l2Policy(e, y);
  if (load) {
    MlirValue ops[2] = {f->bar, i32Const(e, y, c->bytes)};
    mk(e, y, "nvvm.mbarrier.arrive.expect_tx", 2, ops, 0, NULL, 0, NULL);
  }
  MlirType i32 = mlirIntegerTypeGet(e->ctx, 32);
  int64_t bstart[MAX_RANK] = {0};
  int64_t rowBytes = g->ext[r - 1] * eb;
  for (int64_t b = 0; b < c->nBoxes; ++b) {
    /* Coordinates, innermost first. */
    MlirValue crd[6];
    int n = 0;
    if (c->view) {
      crd[n++] = i32Const(e, y, 0);
      MlirValue q = binop(e, y, "arith.divsi", g->idx[r - 1],
                          cst(e, c->box[r - 1]));
      crd[n++] = res0(mk(e, y, "arith.index_cast", 1, &q, 1, &i32, 0, NULL));
    } else {
      crd[n++] = res0(mk(e, y, "arith.index_cast", 1, &g->idx[r - 1], 1, &i32,
                         0, NULL));
    }
    int64_t flat = 0, acc = rowBytes;
    for (intptr_t d = r - 2; d >= 0; --d) {
      MlirValue v = addV(e, y, g->idx[d], cst(e, bstart[d]));
      crd[n++] = res0(mk(e, y, "arith.index_cast", 1, &v, 1, &i32, 0, NULL));
      flat += bstart[d] * acc;
      acc *= g->ext[d];
    }
    MlirValue addr = addV(e, y, shBase, cst(e, c->shOff + flat));
    MlirValue ops[10];
    int k = 0;
    int32_t seg[8];
    if (load) {
      ops[k++] = indexToPtr(e, y, addr, 7);
      ops[k++] = map;
      for (int i = 0; i < n; ++i)
        ops[k++] = crd[i];
      ops[k++] = f->bar;
      if (!mlirValueIsNull(pol))
        ops[k++] = pol;
      int32_t s8[8] = {1, 1, n, 1, 0, 0, mlirValueIsNull(pol) ? 0 : 1, 0};
      memcpy(seg, s8, sizeof s8);
      MlirNamedAttribute a[3] = {
          tlNamed(e->ctx, "operandSegmentSizes",
                  mlirDenseI32ArrayGet(e->ctx, 8, seg)),
          tlNamed(e->ctx, "mode",
                  mlirAttributeParseGet(e->ctx, mlirStringRefCreateFromCString(
                                                    "#nvvm.tma_load_mode<tile>"))),
          tlNamed(e->ctx, "isCTAOnly", mlirBoolAttrGet(e->ctx, 0))};
      mk(e, y, "nvvm.cp.async.bulk.tensor.shared.cluster.global", k, ops, 0,
         NULL, 3, a);
    } else {
      ops[k++] = map;
      ops[k++] = indexToPtr(e, y, addr, 3);
      for (int i = 0; i < n; ++i)
        ops[k++] = crd[i];
      if (!mlirValueIsNull(pol))
        ops[k++] = pol;
      int32_t s5[5] = {1, 1, n, mlirValueIsNull(pol) ? 0 : 1, 0};
      MlirNamedAttribute a[2] = {
          tlNamed(e->ctx, "operandSegmentSizes",
                  mlirDenseI32ArrayGet(e->ctx, 5, s5)),
          tlNamed(e->ctx, "mode",
                  mlirAttributeParseGet(e->ctx, mlirStringRefCreateFromCString(
                                                    "#nvvm.tma_store_mode<tile>")))};
      mk(e, y, "nvvm.cp.async.bulk.tensor.global.shared.cta", k, ops, 0, NULL,
         2, a);
    }
    for (intptr_t d = r - 2; d >= 0; --d) {
      bstart[d] += c->box[d];
      if (bstart[d] < g->ext[d])
        break;
      bstart[d] = 0;
    }
  }
  if (load) {
    MlirValue c0 = cst(e, 0);
    MlirValue lops[2] = {f->phase, c0};
    MlirValue ph = res0(mk(e, at, "memref.load", 2, lops, 1, &i32, 0, NULL));
    MlirValue wops[3] = {f->bar, ph, i32Const(e, at, 10000000)};
    mk(e, at, "nvvm.mbarrier.try_wait.parity", 3, wops, 0, NULL, 0, NULL);
    MlirValue xops[2] = {ph, i32Const(e, at, 1)};
    MlirValue ph2 = res0(mk(e, at, "arith.xori", 2, xops, 1, &i32, 0, NULL));
    MlirValue sops[3] = {ph2, f->phase, c0};
    mk(e, at, "memref.store", 3, sops, 0, NULL, 0, NULL);
  } else {
    mk(e, y, "nvvm.cp.async.bulk.commit.group", 0, NULL, 0, NULL, 0, NULL);
    MlirNamedAttribute wa[2] = {
        tlNamed(e->ctx, "group",
                mlirIntegerAttrGet(mlirIntegerTypeGet(e->ctx, 32), 0)),
        tlNamed(e->ctx, "read", mlirUnitAttrGet(e->ctx))};
    mk(e, y, "nvvm.cp.async.bulk.wait_group", 0, NULL, 0, NULL, 2, wa);
    mk(e, at, "gpu.barrier", 0, NULL, 0, NULL, 0, NULL);
  }
}

//===--------------------------------------------------------------------===//
// 1-D bulk copies (docs/tma.md, "Bulk copies")
//===--------------------------------------------------------------------===//

/* inst = "bulk_load" / "bulk_store": each side one contiguous, in-bounds,
   16-byte aligned run of a multiple of 16 bytes. */
static bool readBulk(Copy *c) {
  MlirOperation op = c->op;
  bool load = c->inst == InstBulkLoad;
  Side *g = load ? &c->src : &c->dst, *sh = load ? &c->dst : &c->src;
  const char *kind = load ? "bulk_load" : "bulk_store";
  if (g->scope != TlScopeGlobal || sh->scope != TlScopeShared || g->frag ||
      sh->frag) {
    opError(op, "inst \"%s\" copies %s, but this copy is %s -> %s", kind,
            load ? "global -> shared" : "shared -> global",
            tlScopeGetName(c->src.scope), tlScopeGetName(c->dst.scope));
    return false;
  }
  c->func = enclosingFunc(op);
  if (mlirOperationIsNull(c->func) || !tlOpIsNamed(c->func, "gpu.func")) {
    opError(op, "inst \"%s\" must be inside a gpu.func", kind);
    return false;
  }
  if (!mlirTypeEqual(g->elt, sh->elt) || g->bits % 8 != 0) {
    opError(op, "inst \"%s\" needs one byte-sized element type on both sides",
            kind);
    return false;
  }
  if (sh->swz) {
    opError(op, "inst \"%s\" cannot write a swizzled shared buffer", kind);
    return false;
  }
  int64_t eb = g->bits / 8;
  Side *sides[2] = {g, sh};
  c->bytes = eb;
  for (int i = 0; i < 2; ++i) {
    Side *s = sides[i];
    if (!tlStaticRowMajor(s->type, s->sstride)) {
      opError(op, "inst \"%s\" needs static, identity-layout memrefs on both "
                  "sides", kind);
      return false;
    }
    intptr_t first = -1;
    for (intptr_t d = 0; d < s->rank; ++d)
      if (s->ext[d] != 1 && first < 0)
        first = d;
    int64_t bytes = eb;
    for (intptr_t d = 0; d < s->rank; ++d) {
      if (s->check[d]) {
        opError(op, "inst \"%s\" cannot check bounds, but the %s region has "
                    "bounds_check on dimension %lld", kind, s->role,
                (long long)d);
        return false;
      }
      if (first >= 0 && d > first && s->ext[d] != s->shape[d]) {
        opError(op, "inst \"%s\" needs one contiguous run, but the %s region "
                    "covers %lld of %lld in dimension %lld", kind, s->role,
                (long long)s->ext[d], (long long)s->shape[d], (long long)d);
        return false;
      }
      int64_t sb = s->sstride[d] * eb, div = tlIndexDivisor(s->idx[d]);
      int64_t gg = sb % 16 == 0 ? 16 : sb % 8 == 0 ? 8 : sb % 4 == 0 ? 4
                   : sb % 2 == 0 ? 2 : 1;
      if (div % (16 / gg) != 0) {
        opError(op, "inst \"%s\" needs a 16-byte aligned start, but the %s "
                    "index of dimension %lld is only known to be divisible "
                    "by %lld", kind, s->role, (long long)d, (long long)div);
        return false;
      }
      bytes *= s->ext[d];
    }
    c->bytes = bytes;
  }
  if (c->bytes % 16 != 0 || c->bytes > (INT64_C(1) << 20) - 1) {
    opError(op, "inst \"%s\" moves %lld bytes; it needs a multiple of 16 "
                "below 2^20", kind, (long long)c->bytes);
    return false;
  }
  return true;
}

/* The byte address of the region's first element: the aligned pointer
   (as an index) plus the linearized indices times the element size. */
static MlirValue regionAddress(Emit *e, MlirOperation at, Side *s) {
  MlirType index = indexTy(e);
  MlirValue base = res0(mk(e, e->hoist, "memref.extract_aligned_pointer_as_index",
                           1, &s->buffer, 1, &index, 0, NULL));
  int64_t eb = s->bits / 8;
  MlirValue off = cst(e, 0);
  for (intptr_t d = 0; d < s->rank; ++d)
    off = addV(e, at, off, mulV(e, at, s->idx[d], cst(e, s->sstride[d] * eb)));
  return addV(e, at, base, off);
}

static void emitBulk(Emit *e, FuncTma *f) {
  Copy *c = e->c;
  bool load = c->inst == InstBulkLoad;
  Side *g = load ? &c->src : &c->dst, *sh = load ? &c->dst : &c->src;
  MlirOperation at = e->top;
  MlirValue gAddr = regionAddress(e, at, g), sAddr = regionAddress(e, at, sh);
  if (!load)
    asyncProxyFenceAndBarrier(e, at);
  MlirOperation y;
  tlBuildIfBefore(at, e->loc, f->is0, 0, NULL, &y, NULL);
  MlirValue pol = l2Policy(e, y);
  MlirValue size = i32Const(e, y, c->bytes);
  /* The global pointer: a memref in #gpu.address_space<global> already
     holds a global address; a generic one goes through cvta.to.global. */
  MlirValue gp;
  if (!mlirAttributeIsNull(mlirMemRefTypeGetMemorySpace(g->type))) {
    gp = indexToPtr(e, y, gAddr, 1);
  } else {
    MlirValue gp0 = indexToPtr(e, y, gAddr, 0);
    MlirType p1 = mlirLLVMPointerTypeGet(e->ctx, 1);
    gp = res0(mk(e, y, "llvm.addrspacecast", 1, &gp0, 1, &p1, 0, NULL));
  }
  bool hasPol = !mlirValueIsNull(pol);
  if (load) {
    MlirValue xops[2] = {f->bar, size};
    mk(e, y, "nvvm.mbarrier.arrive.expect_tx", 2, xops, 0, NULL, 0, NULL);
    MlirValue ops[5] = {indexToPtr(e, y, sAddr, 7), gp, f->bar, size, pol};
    int32_t seg[6] = {1, 1, 1, 1, 0, hasPol ? 1 : 0};
    MlirNamedAttribute a = tlNamed(e->ctx, "operandSegmentSizes",
                                   mlirDenseI32ArrayGet(e->ctx, 6, seg));
    mk(e, y, "nvvm.cp.async.bulk.shared.cluster.global", hasPol ? 5 : 4, ops,
       0, NULL, 1, &a);
    MlirType i32 = mlirIntegerTypeGet(e->ctx, 32);
    MlirValue c0 = cst(e, 0);
    MlirValue lops[2] = {f->phase, c0};
    MlirValue ph = res0(mk(e, at, "memref.load", 2, lops, 1, &i32, 0, NULL));
    MlirValue wops[3] = {f->bar, ph, i32Const(e, at, 10000000)};
    mk(e, at, "nvvm.mbarrier.try_wait.parity", 3, wops, 0, NULL, 0, NULL);
    MlirValue pops[2] = {ph, i32Const(e, at, 1)};
    MlirValue ph2 = res0(mk(e, at, "arith.xori", 2, pops, 1, &i32, 0, NULL));
    MlirValue sops[3] = {ph2, f->phase, c0};
    mk(e, at, "memref.store", 3, sops, 0, NULL, 0, NULL);
  } else {
    MlirValue ops[4] = {gp, indexToPtr(e, y, sAddr, 3), size, pol};
    int32_t seg[5] = {1, 1, 1, hasPol ? 1 : 0, 0};
    MlirNamedAttribute a = tlNamed(e->ctx, "operandSegmentSizes",
                                   mlirDenseI32ArrayGet(e->ctx, 5, seg));
    mk(e, y, "nvvm.cp.async.bulk.global.shared.cta", hasPol ? 4 : 3, ops, 0,
       NULL, 1, &a);
    mk(e, y, "nvvm.cp.async.bulk.commit.group", 0, NULL, 0, NULL, 0, NULL);
    MlirNamedAttribute wa[2] = {
        tlNamed(e->ctx, "group",
                mlirIntegerAttrGet(mlirIntegerTypeGet(e->ctx, 32), 0)),
        tlNamed(e->ctx, "read", mlirUnitAttrGet(e->ctx))};
    mk(e, y, "nvvm.cp.async.bulk.wait_group", 0, NULL, 0, NULL, 2, wa);
    mk(e, at, "gpu.barrier", 0, NULL, 0, NULL, 0, NULL);
  }
}

static bool lowerCopy(Copy *c, FuncTmaList *tma, Copy *all, size_t nAll) {
  Emit e;
  memset(&e, 0, sizeof e);
  e.c = c;
  e.loc = mlirOperationGetLocation(c->op);
  e.ctx = mlirLocationGetContext(e.loc);
  e.top = c->op;
  e.hoist = mlirOpResultGetOwner(tlBuildIndexConstant(c->op, e.loc, 0));
  if (c->inst == InstSimt)
    emitSimt(&e);
  else if (c->inst == InstCpAsync) {
    emitSimt(&e);
    cpAsyncWait(&e);
  } else if (c->inst == InstLdmatrix || c->inst == InstStmatrix)
    emitMma(&e);
  else if (c->inst == InstDirect)
    emitDirect(&e);
  else if (c->inst == InstBulkLoad || c->inst == InstBulkStore)
    emitBulk(&e, funcTma(&e, tma, c->func, all, nAll));
  else
    emitTma(&e, funcTma(&e, tma, c->func, all, nAll));
  /* Constants made ahead that ended up unused, and the placeholder. */
  for (int i = 0; i < e.nC; ++i)
    tlEraseIfUnused(mlirOpResultGetOwner(e.cVal[i]));
  mlirOperationDestroy(e.hoist);
  if (e.failed)
    return false;
  MlirOperation src = c->src.region, dst = c->dst.region;
  mlirOperationDestroy(c->op);
  tlEraseIfUnused(src);
  if (!mlirOperationEqual(src, dst))
    tlEraseIfUnused(dst);
  return true;
}

//===--------------------------------------------------------------------===//
// The pass
//===--------------------------------------------------------------------===//

typedef struct Collected {
  OpList copies, allocas;
} Collected;

static MlirWalkResult collect(MlirOperation op, void *ud) {
  Collected *c = ud;
  if (tlOperationIsACopy(op))
    opListPush(&c->copies, op);
  else if (isFragmentAlloca(op))
    opListPush(&c->allocas, op);
  return MlirWalkResultAdvance;
}

/* Replaces a fragment alloca by memref.alloca() : memref<L x elt>. */
static void replaceFragment(Frag *f) {
  MlirContext ctx = mlirOperationGetContext(f->alloca);
  MlirLocation loc = mlirOperationGetLocation(f->alloca);
  int64_t L = f->length;
  MlirType t = mlirMemRefTypeContiguousGet(f->elt, 1, &L,
                                           (MlirAttribute){NULL});
  MlirNamedAttribute attrs[2] = {
      tlNamed(ctx, "alignment",
              mlirIntegerAttrGet(mlirIntegerTypeGet(ctx, 64),
                                 MAX_ACCESS_BYTES)),
      tlNamed(ctx, "operandSegmentSizes",
              mlirDenseI32ArrayGet(ctx, 2, (int32_t[]){0, 0}))};
  f->repl = res0(
      tlBuildOpBefore(f->alloca, "memref.alloca", loc, 0, NULL, 1, &t, 2, attrs));
}

static void run(MlirOperation root, MlirExternalPass pass, void *state) {
  (void)state;
  Collected col = {{NULL, 0, 0}, {NULL, 0, 0}};
  mlirOperationWalk(root, collect, &col, MlirWalkPreOrder);
  bool ok = true;

  /* 1. Plan. */
  FragTable frags = {NULL, 0, 0};
  frags.v = xmalloc(sizeof(Frag) * (col.allocas.n + 1));
  for (size_t i = 0; i < col.allocas.n; ++i) {
    Frag *f = &frags.v[frags.n++];
    memset(f, 0, sizeof *f);
    f->alloca = col.allocas.ops[i];
    f->value = mlirOperationGetResult(f->alloca, 0);
    bool planned = planFragment(f);
    ok &= planned;
    f->valid = planned && !mlirAttributeIsNull(f->layout);
  }
  Copy *copies = xmalloc(sizeof(Copy) * (col.copies.n + 1));
  memset(copies, 0, sizeof(Copy) * (col.copies.n + 1));
  for (size_t i = 0; i < col.copies.n; ++i) {
    Copy *c = &copies[i];
    c->op = col.copies.ops[i];
    bool cok = readCopy(c, &frags);
    if (cok && (c->inst == InstSimt || c->inst == InstCpAsync))
      cok = analyzeSimt(c);
    ok &= cok;
  }

  /* 2. Barriers, 3. rewrite. */
  if (ok) {
    OpList funcs = {NULL, 0, 0};
    mlirOperationWalk(root, collectFuncs, &funcs, MlirWalkPreOrder);
    for (size_t i = 0; i < funcs.n; ++i)
      barriersInFunc(funcs.ops[i]);
    free(funcs.ops);
    for (size_t i = 0; i < frags.n; ++i)
      if (!mlirAttributeIsNull(frags.v[i].layout))
        replaceFragment(&frags.v[i]);
    FuncTmaList tma = {NULL, 0, 0};
    for (size_t i = 0; i < col.copies.n && ok; ++i)
      ok &= lowerCopy(&copies[i], &tma, copies, col.copies.n);
    free(tma.v);
    for (size_t i = 0; i < frags.n && ok; ++i) {
      Frag *f = &frags.v[i];
      /* Regions of the fragment nobody uses any more. */
      MlirOpOperand u = mlirValueGetFirstUse(f->value);
      while (!mlirOpOperandIsNull(u)) {
        MlirOperation user = mlirOpOperandGetOwner(u);
        u = mlirOpOperandGetNextUse(u);
        if (tlOperationIsARegion(user))
          tlEraseIfUnused(user);
      }
      if (!tlEraseIfUnused(f->alloca)) {
        opError(f->alloca, "fragment is still used after tl-lower-copy");
        ok = false;
      }
    }
  }
  for (size_t i = 0; i < col.copies.n; ++i)
    freeCopy(&copies[i]);
  free(copies);
  free(frags.v);
  free(col.copies.ops);
  free(col.allocas.ops);
  if (!ok)
    mlirExternalPassSignalFailure(pass);
}

static MlirLogicalResult add(MlirOpPassManager pm,
                             const TlOptionValues *options,
                             MlirStringCallback err, void *userData) {
  (void)options;
  (void)err;
  (void)userData;
  mlirOpPassManagerAddOwnedPass(pm, tlCreateLowerCopyPass());
  return mlirLogicalResultSuccess();
}

/* Literals only: a const object is not a constant expression in C11. */
const TlPassDef tlLowerCopyPassDef = {
    {"tl-lower-copy",
     "Lower every tl.copy to gpu/scf/arith/memref/vector/llvm ops following its inferred layout; insert the barriers later copies need",
     0, NULL},
    add};

static _Alignas(8) char kTypeId;

MlirPass tlCreateLowerCopyPass(void) {
  MlirDialectHandle deps[] = {
      mlirGetDialectHandle__arith__(), mlirGetDialectHandle__gpu__(),
      mlirGetDialectHandle__llvm__(),  mlirGetDialectHandle__memref__(),
      mlirGetDialectHandle__scf__(),   mlirGetDialectHandle__vector__(),
      mlirGetDialectHandle__nvvm__()};
  return tlCreateExternalPass(&kTypeId, &tlLowerCopyPassDef.info,
                              sizeof deps / sizeof deps[0], deps, run, NULL, 0);
}
