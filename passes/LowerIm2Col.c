/* tl-lower-im2col: lower every tl.c2d_im2col with inst = "simt" (below) or
 * "tma_im2col" (one TMA im2col load per tile: lowerTMA, docs/im2col.md) to
 * gpu/scf/arith/memref/vector ops (DESIGN §3, docs/im2col.md).
 *
 * The col tile (BM, BK) lives in shared memory: a memref, or a tl.region of
 * one with two extents (the tile then starts at the region's indices). Row
 * i of the tile is m = nhw_step*BM + i over N*OH*OW as (n, oh, ow); column
 * j is k = c_step*BK + j over KH*KW*C as (kh, kw, c), c fastest. The tile
 * element is img[n, h, w, c] with h = oh*SH + kh*DH - PH, w = ow*SW + kw*DW
 * - PW when 0 <= h < H and 0 <= w < W, else 0; nothing is written for
 * m >= N*OH*OW or k >= KH*KW*C.
 *
 * The op's `thread_map` (docs/layouts.md; default when absent) is evaluated
 * at compile time: for each chunk c of `vector_width` v consecutive locals,
 * the flat tile index is a_c + b_c*t for the threads t < n_c. Each chunk is
 * one vector access per side (split into 16-byte pieces when wider), with
 * an explicit `alignment`. At most 64 chunks per thread are unrolled;
 * beyond, runs of chunks whose a_c is an arithmetic progression (same b_c,
 * n_c) become an scf.for.
 *
 * `eviction_policy` is accepted and ignored (docs/im2col.md). No barriers
 * are inserted: tl-lower-copy does that. The op is erased; a col tl.region
 * left without uses is erased too. */
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
#include "Im2ColTMA.h"
#include "IndexRange.h"
#include "PassSupport.h"
#include "Support.h"
#include "TensorMap.h"
#include "tl-c/Attributes.h"
#include "tl-c/Ops.h"

#define MAX_UNROLLED_CHUNKS 64
/* Upper bound on (threads x locals) slots of the evaluated thread map. */
#define MAX_MAP_SLOTS ((int64_t)1 << 24)
#define MAX_CONSTS 128
#define MAX_PIECES 16

/* arith.cmpi predicates. */
enum { CmpSge = 5, CmpUlt = 6 };

//===----------------------------------------------------------------------===//
// A tiny builder: constants go before everything built for the op being
// lowered (they dominate every region built for it), other ops before `at`.
//===----------------------------------------------------------------------===//

typedef struct Builder {
  MlirContext ctx;
  MlirLocation loc;
  MlirType index, i1;
  MlirOperation top;     /* the op being lowered */
  MlirOperation at;      /* insertion point: new ops go before it */
  MlirOperation constAt; /* the first constant: later ones go before it */
  int64_t constKey[MAX_CONSTS];
  MlirValue constVal[MAX_CONSTS];
  int nConsts;
} Builder;

static MlirValue cst(Builder *b, int64_t v) {
  for (int i = 0; i < b->nConsts; ++i)
    if (b->constKey[i] == v)
      return b->constVal[i];
  MlirValue r = tlBuildIndexConstant(
      mlirOperationIsNull(b->constAt) ? b->top : b->constAt, b->loc, v);
  b->constAt = mlirOpResultGetOwner(r);
  if (b->nConsts < MAX_CONSTS) {
    b->constKey[b->nConsts] = v;
    b->constVal[b->nConsts++] = r;
  }
  return r;
}

static MlirValue build(Builder *b, const char *name, intptr_t n,
                       const MlirValue *operands, MlirType type,
                       intptr_t nAttrs, const MlirNamedAttribute *attrs) {
  MlirOperation op = tlBuildOpBefore(b->at, name, b->loc, n, operands,
                                     mlirTypeIsNull(type) ? 0 : 1, &type,
                                     nAttrs, attrs);
  return mlirTypeIsNull(type) ? (MlirValue){NULL}
                              : mlirOperationGetResult(op, 0);
}

static MlirValue bin(Builder *b, const char *name, MlirValue x, MlirValue y) {
  MlirValue ops[2] = {x, y};
  return build(b, name, 2, ops, b->index, 0, NULL);
}

static bool isC(MlirValue v, int64_t *c) { return tlGetConstantIndex(v, c); }

/* Index arithmetic with the obvious folds (operands are never negative
   except where noted; folding follows two's complement like the ops). */
static MlirValue add(Builder *b, MlirValue x, MlirValue y) {
  int64_t p, q;
  bool cx = isC(x, &p), cy = isC(y, &q);
  if (cx && cy)
    return cst(b, (int64_t)((uint64_t)p + (uint64_t)q));
  if (cx && p == 0)
    return y;
  if (cy && q == 0)
    return x;
  return bin(b, "arith.addi", x, y);
}

static MlirValue sub(Builder *b, MlirValue x, MlirValue y) {
  int64_t p, q;
  bool cx = isC(x, &p), cy = isC(y, &q);
  if (cx && cy)
    return cst(b, (int64_t)((uint64_t)p - (uint64_t)q));
  if (cy && q == 0)
    return x;
  return bin(b, "arith.subi", x, y);
}

static MlirValue mul(Builder *b, MlirValue x, MlirValue y) {
  int64_t p, q;
  bool cx = isC(x, &p), cy = isC(y, &q);
  if (cx && cy)
    return cst(b, (int64_t)((uint64_t)p * (uint64_t)q));
  if ((cx && p == 0) || (cy && q == 0))
    return cst(b, 0);
  if (cx && p == 1)
    return y;
  if (cy && q == 1)
    return x;
  return bin(b, "arith.muli", x, y);
}

/* Unsigned division and remainder of non-negative values. */
static MlirValue divu(Builder *b, MlirValue x, MlirValue y) {
  int64_t p, q;
  bool cx = isC(x, &p), cy = isC(y, &q);
  if (cy && q == 1)
    return x;
  if (cx && cy && p >= 0 && q > 0)
    return cst(b, p / q);
  return bin(b, "arith.divui", x, y);
}

static MlirValue remu(Builder *b, MlirValue x, MlirValue y) {
  int64_t p, q;
  bool cx = isC(x, &p), cy = isC(y, &q);
  if (cy && q == 1)
    return cst(b, 0);
  if (cx && cy && p >= 0 && q > 0)
    return cst(b, p % q);
  return bin(b, "arith.remui", x, y);
}

static MlirValue cmp(Builder *b, int64_t pred, MlirValue x, MlirValue y) {
  MlirValue ops[2] = {x, y};
  MlirNamedAttribute a = tlNamed(
      b->ctx, "predicate",
      mlirIntegerAttrGet(mlirIntegerTypeGet(b->ctx, 64), pred));
  return build(b, "arith.cmpi", 2, ops, b->i1, 1, &a);
}

/* A null operand means "true". */
static MlirValue andi(Builder *b, MlirValue x, MlirValue y) {
  if (mlirValueIsNull(x))
    return y;
  if (mlirValueIsNull(y))
    return x;
  MlirValue ops[2] = {x, y};
  return build(b, "arith.andi", 2, ops, b->i1, 0, NULL);
}

static MlirOperation yieldOp(MlirLocation loc) {
  MlirOperationState st =
      mlirOperationStateGet(mlirStringRefCreateFromCString("scf.yield"), loc);
  return mlirOperationCreate(&st);
}

/* A region holding one block (with `nArgs` index arguments) that ends in
   an operand-less scf.yield, returned in *yield. */
static MlirRegion yieldRegion(Builder *b, intptr_t nArgs,
                              MlirOperation *yield) {
  MlirRegion r = mlirRegionCreate();
  MlirType types[1] = {b->index};
  MlirLocation locs[1] = {b->loc};
  MlirBlock blk = mlirBlockCreate(nArgs, types, locs);
  mlirRegionAppendOwnedBlock(r, blk);
  *yield = yieldOp(b->loc);
  mlirBlockAppendOwnedOperation(blk, *yield);
  return r;
}

/* scf.if %cond -> (types) { ^ yield } else { ^ yield }; the else region
   is empty when withElse is false (then no results). */
static MlirOperation buildIf(Builder *b, MlirValue cond, intptr_t nResults,
                             const MlirType *types, bool withElse,
                             MlirOperation *thenYield,
                             MlirOperation *elseYield) {
  MlirRegion regions[2];
  regions[0] = yieldRegion(b, 0, thenYield);
  if (withElse) {
    regions[1] = yieldRegion(b, 0, elseYield);
  } else {
    regions[1] = mlirRegionCreate();
  }
  MlirOperationState st =
      mlirOperationStateGet(mlirStringRefCreateFromCString("scf.if"), b->loc);
  mlirOperationStateAddOperands(&st, 1, &cond);
  if (nResults)
    mlirOperationStateAddResults(&st, nResults, types);
  mlirOperationStateAddOwnedRegions(&st, 2, regions);
  MlirOperation op = mlirOperationCreate(&st);
  mlirBlockInsertOwnedOperationBefore(mlirOperationGetBlock(b->at), b->at,
                                      op);
  return op;
}

/* scf.for %iv = 0 to %n step 1 { ^ yield }; returns the induction
   variable. */
static MlirValue buildFor(Builder *b, int64_t n, MlirOperation *yield) {
  MlirRegion body = yieldRegion(b, 1, yield);
  MlirValue ops[3] = {cst(b, 0), cst(b, n), cst(b, 1)};
  MlirOperationState st =
      mlirOperationStateGet(mlirStringRefCreateFromCString("scf.for"), b->loc);
  mlirOperationStateAddOperands(&st, 3, ops);
  mlirOperationStateAddOwnedRegions(&st, 1, &body);
  MlirOperation op = mlirOperationCreate(&st);
  mlirBlockInsertOwnedOperationBefore(mlirOperationGetBlock(b->at), b->at,
                                      op);
  return mlirBlockGetArgument(mlirOperationGetBlock(*yield), 0);
}

//===----------------------------------------------------------------------===//
// Reading the op
//===----------------------------------------------------------------------===//

static MlirAttribute attrOf(MlirOperation op, const char *name) {
  return mlirOperationGetAttributeByName(op,
                                         mlirStringRefCreateFromCString(name));
}

/* One chunk of v locals: flat tile index a + b*t for threads t < n. */
typedef struct Chunk {
  int64_t a, b, n;
} Chunk;

typedef struct Im2Col {
  MlirOperation op;
  MlirLocation loc;
  TlIm2ColParams p;
  int64_t v;              /* vector_width */
  int64_t dimX, dimY, T;  /* known_block_size x, y and the thread count */
  MlirValue img;
  MlirType imgType, elt;
  int64_t imgDim[4];      /* N, H, W, C; dynamic as ShapedType says */
  MlirValue colBuf;
  MlirOperation colRegion; /* null for a whole memref */
  int64_t BM, BK;
  int64_t eltBits;
  Chunk *chunks;
  int64_t nChunks;        /* chunk slots (some may have n == 0) */
} Im2Col;

#define OPERR(x, ...) tlEmitErrorf((x)->loc, "'tl.c2d_im2col' op " __VA_ARGS__)

static bool readKernel(Im2Col *x) {
  MlirOperation f = mlirOperationGetParentOperation(x->op);
  while (!mlirOperationIsNull(f) && !tlOpIsNamed(f, "gpu.func"))
    f = mlirOperationGetParentOperation(f);
  MlirAttribute bs = mlirOperationIsNull(f)
                         ? (MlirAttribute){NULL}
                         : attrOf(f, "known_block_size");
  if (mlirAttributeIsNull(bs) || !mlirAttributeIsADenseI32Array(bs) ||
      mlirDenseArrayGetNumElements(bs) != 3) {
    OPERR(x, "needs an enclosing gpu.func with known_block_size = "
             "array<i32: x, y, z> (the thread count)");
    return false;
  }
  int64_t d[3];
  for (int i = 0; i < 3; ++i) {
    d[i] = mlirDenseI32ArrayGetElement(bs, i);
    if (d[i] <= 0) {
      OPERR(x, "known_block_size entries must be > 0");
      return false;
    }
  }
  x->dimX = d[0];
  x->dimY = d[1];
  x->T = d[0] * d[1] * d[2];
  return true;
}

static bool readOperands(Im2Col *x) {
  x->img = tlIm2ColOpGetImage(x->op);
  x->imgType = mlirValueGetType(x->img);
  if (!mlirTypeIsAMemRef(x->imgType) ||
      mlirShapedTypeGetRank(x->imgType) != 4) {
    OPERR(x, "img must be a rank-4 (NHWC) memref (run tl-verify)");
    return false;
  }
  x->elt = mlirShapedTypeGetElementType(x->imgType);
  for (int d = 0; d < 4; ++d)
    x->imgDim[d] = mlirShapedTypeGetDimSize(x->imgType, d);

  MlirValue col = tlIm2ColOpGetColumn(x->op);
  MlirType colType = mlirValueGetType(col);
  x->colRegion = (MlirOperation){NULL};
  if (mlirTypeIsAMemRef(colType)) {
    x->colBuf = col;
  } else {
    MlirOperation def =
        mlirValueIsAOpResult(col) ? mlirOpResultGetOwner(col)
                                  : (MlirOperation){NULL};
    if (!tlOperationIsARegion(def) || tlRegionOpGetNumExtents(def) != 2 ||
        tlRegionOpGetNumIndices(def) != 2) {
      OPERR(x, "col must be a rank-2 shared memref or a tl.region of one "
               "with 2 extents (run tl-verify)");
      return false;
    }
    x->colRegion = def;
    x->colBuf = tlRegionOpGetBuffer(def);
  }
  MlirType bt = mlirValueGetType(x->colBuf);
  if (!mlirTypeIsAMemRef(bt) || mlirShapedTypeGetRank(bt) != 2 ||
      tlMemRefTypeGetScope(bt) != TlScopeShared) {
    OPERR(x, "col must be a rank-2 shared memref or a tl.region of one "
             "(run tl-verify)");
    return false;
  }
  if (!mlirTypeEqual(mlirShapedTypeGetElementType(bt), x->elt)) {
    OPERR(x, "img and col element types differ (run tl-verify)");
    return false;
  }
  if (x->colRegion.ptr) {
    x->BM = tlRegionOpGetExtent(x->colRegion, 0);
    x->BK = tlRegionOpGetExtent(x->colRegion, 1);
    /* A region provably outside its buffer would write out of bounds. */
    for (int d = 0; d < 2; ++d) {
      int64_t size = mlirShapedTypeGetDimSize(bt, d);
      int64_t ext = d ? x->BK : x->BM;
      TlRange r = tlIndexRange(tlRegionOpGetIndex(x->colRegion, d));
      if (!mlirShapedTypeIsDynamicSize(size) && r.known &&
          (r.lo < 0 || r.hi + ext > size)) {
        TlStr ty = {0};
        tlStrAppendType(&ty, bt);
        OPERR(x, "the col region (start in [%lld, %lld], extent %lld) may "
                 "leave dimension %d of %s",
              (long long)r.lo, (long long)r.hi, (long long)ext, d,
              tlStrGet(&ty));
        tlStrFree(&ty);
        return false;
      }
    }
  } else {
    x->BM = mlirShapedTypeGetDimSize(bt, 0);
    x->BK = mlirShapedTypeGetDimSize(bt, 1);
  }
  if (mlirShapedTypeIsDynamicSize(x->BM) ||
      mlirShapedTypeIsDynamicSize(x->BK) || x->BM <= 0 || x->BK <= 0) {
    OPERR(x, "the col tile (BM, BK) must be static and non-empty");
    return false;
  }
  /* The thread map is evaluated at every tile element. */
  if (x->BM > MAX_MAP_SLOTS / x->BK) {
    OPERR(x, "the col tile %lldx%lld is too large to lower (at most %lld "
             "elements)",
          (long long)x->BM, (long long)x->BK, (long long)MAX_MAP_SLOTS);
    return false;
  }
  return true;
}

/* 1 when the innermost stride is 1 and every outer stride and the offset
   (where static) are multiples of v; 0 when not contiguous; -1 when
   contiguous but misaligned for v. */
static int vectorLayout(MlirType memref, int64_t v) {
  intptr_t rank = mlirShapedTypeGetRank(memref);
  int64_t strides[16], offset;
  if (rank > 16 || mlirLogicalResultIsFailure(mlirMemRefTypeGetStridesAndOffset(
                       memref, strides, &offset)))
    return 0;
  if (strides[rank - 1] != 1)
    return 0;
  for (intptr_t d = 0; d + 1 < rank; ++d)
    if (!mlirShapedTypeIsDynamicStrideOrOffset(strides[d]) &&
        strides[d] % v != 0)
      return -1;
  if (!mlirShapedTypeIsDynamicStrideOrOffset(offset) && offset % v != 0)
    return -1;
  return 1;
}

/* The vector width and what it needs: v divides BK and C, consecutive
   elements are contiguous, the element type is byte-sized. */
static bool readVectorWidth(Im2Col *x) {
  MlirAttribute vw = attrOf(x->op, "vector_width");
  if (mlirAttributeIsNull(vw) || !mlirAttributeIsAInteger(vw)) {
    OPERR(x, "needs an integer 'vector_width' (set by tl-infer-layouts)");
    return false;
  }
  x->v = mlirIntegerAttrGetValueInt(vw);
  if (x->v < 1 || (x->v & (x->v - 1)) != 0) {
    OPERR(x, "vector_width must be a power of two >= 1, got %lld",
          (long long)x->v);
    return false;
  }
  x->eltBits = 0;
  if (mlirTypeIsAFloat(x->elt))
    x->eltBits = mlirFloatTypeGetWidth(x->elt);
  else if (mlirTypeIsAInteger(x->elt))
    x->eltBits = mlirIntegerTypeGetWidth(x->elt);
  else if (!mlirTypeIsAIndex(x->elt)) {
    TlStr ty = {0};
    tlStrAppendType(&ty, x->elt);
    OPERR(x, "element type %s is not an integer or float type",
          tlStrGet(&ty));
    tlStrFree(&ty);
    return false;
  }
  if (x->v == 1)
    return true;
  const char *why = NULL;
  if (x->eltBits == 0 || x->eltBits % 8 != 0)
    why = "the element type is not a whole number of bytes";
  else if (x->BK % x->v != 0)
    why = "it does not divide the tile width BK";
  else if (mlirShapedTypeIsDynamicSize(x->imgDim[3]))
    why = "the channel count C is dynamic";
  else if (x->imgDim[3] % x->v != 0)
    why = "it does not divide the channel count C";
  else {
    /* What can be checked statically of both sides' alignment. */
    int img = vectorLayout(x->imgType, x->v);
    int col = vectorLayout(mlirValueGetType(x->colBuf), x->v);
    if (img == 0)
      why = "img is not contiguous along C";
    else if (img < 0)
      why = "it does not divide img's strides or offset";
    else if (col == 0)
      why = "col is not contiguous along its rows";
    else if (col < 0)
      why = "it does not divide the col buffer's row stride or offset";
    else if (x->colRegion.ptr &&
             tlIndexDivisor(tlRegionOpGetIndex(x->colRegion, 1)) % x->v != 0)
      why = "it does not divide the col region's column index";
  }
  if (!why && x->v * (x->eltBits / 8) > 16 * MAX_PIECES)
    why = "accesses wider than 256 bytes are not supported";
  if (why) {
    OPERR(x, "vector_width %lld cannot be used: %s", (long long)x->v, why);
    return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// The thread map, evaluated at compile time
//===----------------------------------------------------------------------===//

static bool evalMap(Im2Col *x) {
  MlirAttribute tm = attrOf(x->op, "thread_map");
  MlirAffineMap map = {NULL};
  if (!mlirAttributeIsNull(tm)) {
    if (!tlAttributeIsAFragmentLayout(tm)) {
      OPERR(x, "thread_map must be a #tl.fragment_layout");
      return false;
    }
    map = tlFragmentLayoutAttrGetMap(tm);
    int64_t threads = tlFragmentLayoutAttrGetThreads(tm);
    int64_t rep = tlFragmentLayoutAttrGetReplicate(tm);
    if (mlirAffineMapIsNull(map) || mlirAffineMapGetNumDims(map) != 2 ||
        mlirAffineMapGetNumSymbols(map) != 0 ||
        mlirAffineMapGetNumResults(map) != 2) {
      OPERR(x, "thread_map must map the (BM, BK) tile (2 dimensions, no "
               "symbols) to (thread, local)");
      return false;
    }
    if (threads != x->T) {
      OPERR(x, "thread_map is for %lld threads but the block has %lld "
               "(known_block_size)",
            (long long)threads, (long long)x->T);
      return false;
    }
    if (rep != 1) {
      OPERR(x, "thread_map replicates elements (replicate = %lld): a copy "
               "needs replicate = 1",
            (long long)rep);
      return false;
    }
  }
  int64_t BM = x->BM, BK = x->BK, v = x->v, T = x->T, n = BM * BK;
  int64_t *thr = malloc(sizeof(int64_t) * 2 * (size_t)n);
  if (!thr)
    abort();
  int64_t *loc = thr + n, maxLocal = -1;
  bool ok = true;
  for (int64_t f = 0; ok && f < n; ++f) {
    int64_t r[2];
    if (mlirAffineMapIsNull(map)) {
      r[0] = (f / v) % T;
      r[1] = (f / (v * T)) * v + f % v;
    } else {
      int64_t ij[2] = {f / BK, f % BK};
      if (!tlAffineMapEval(map, ij, 2, r)) {
        OPERR(x, "thread_map cannot be evaluated at (%lld, %lld)",
              (long long)ij[0], (long long)ij[1]);
        ok = false;
        break;
      }
    }
    if (r[0] < 0 || r[0] >= T || r[1] < 0) {
      OPERR(x, "thread_map maps (%lld, %lld) to thread %lld, local %lld: "
               "the thread must be in [0, %lld) and the local >= 0",
            (long long)(f / BK), (long long)(f % BK), (long long)r[0],
            (long long)r[1], (long long)T);
      ok = false;
      break;
    }
    thr[f] = r[0];
    loc[f] = r[1];
    if (r[1] > maxLocal)
      maxLocal = r[1];
  }
  int64_t slots = 0, L = 0;
  if (ok) {
    x->nChunks = maxLocal / v + 1;
    L = x->nChunks * v;
    if (__builtin_mul_overflow(L, T, &slots) || slots > MAX_MAP_SLOTS) {
      OPERR(x, "thread_map uses locals up to %lld for %lld threads: too "
               "sparse to lower",
            (long long)maxLocal, (long long)T);
      ok = false;
    }
  }
  int64_t *inv = NULL;
  if (ok) {
    inv = malloc(sizeof(int64_t) * (size_t)slots);
    if (!inv)
      abort();
    for (int64_t s = 0; s < slots; ++s)
      inv[s] = -1;
    for (int64_t f = 0; ok && f < n; ++f) {
      int64_t *slot = &inv[thr[f] * L + loc[f]];
      if (*slot >= 0) {
        OPERR(x, "thread_map maps both (%lld, %lld) and (%lld, %lld) to "
                 "thread %lld, local %lld",
              (long long)(*slot / BK), (long long)(*slot % BK),
              (long long)(f / BK), (long long)(f % BK), (long long)thr[f],
              (long long)loc[f]);
        ok = false;
      }
      *slot = f;
    }
  }
  free(thr);
  if (ok) {
    x->chunks = calloc((size_t)x->nChunks, sizeof(Chunk));
    if (!x->chunks)
      abort();
  }
  for (int64_t c = 0; ok && c < x->nChunks; ++c) {
    Chunk *ch = &x->chunks[c];
    ch->n = 0;
    for (int64_t t = 0; ok && t < T; ++t) {
      const int64_t *s = &inv[t * L + c * v];
      if (s[0] < 0) {
        for (int64_t e = 1; ok && e < v; ++e)
          if (s[e] >= 0) {
            OPERR(x, "thread %lld holds local %lld but not local %lld of "
                     "the same vector chunk (vector_width %lld)",
                  (long long)t, (long long)(c * v + e), (long long)(c * v),
                  (long long)v);
            ok = false;
          }
        continue;
      }
      for (int64_t e = 1; ok && e < v; ++e)
        if (s[e] != s[0] + e) {
          OPERR(x, "locals %lld..%lld of thread %lld are not %lld "
                   "consecutive tile elements of one row",
                (long long)(c * v), (long long)(c * v + v - 1), (long long)t,
                (long long)v);
          ok = false;
        }
      if (ok && s[0] % v != 0) {
        OPERR(x, "locals %lld..%lld of thread %lld start at column %lld, "
                 "not a multiple of vector_width %lld",
              (long long)(c * v), (long long)(c * v + v - 1), (long long)t,
              (long long)(s[0] % BK), (long long)v);
        ok = false;
      }
      if (ok && t != ch->n) {
        OPERR(x, "the threads holding locals %lld..%lld are not a prefix "
                 "0..n-1 of the block (thread %lld holds them, thread %lld "
                 "does not)",
              (long long)(c * v), (long long)(c * v + v - 1), (long long)t,
              (long long)ch->n);
        ok = false;
      }
      ++ch->n;
    }
    if (!ok || ch->n == 0)
      continue;
    ch->a = inv[c * v];
    ch->b = ch->n > 1 ? inv[L + c * v] - ch->a : 0;
    for (int64_t t = 0; ok && t < ch->n; ++t)
      if (inv[t * L + c * v] != ch->a + ch->b * t) {
        OPERR(x, "thread_map is not affine in the thread for locals "
                 "%lld..%lld: the flat tile index is not a + b*thread "
                 "(thread 0: %lld, thread 1: %lld, thread %lld: %lld)",
              (long long)(c * v), (long long)(c * v + v - 1),
              (long long)ch->a, (long long)(ch->a + ch->b), (long long)t,
              (long long)inv[t * L + c * v]);
        ok = false;
      }
  }
  free(inv);
  return ok;
}

//===----------------------------------------------------------------------===//
// Emission
//===----------------------------------------------------------------------===//

/* Values shared by every chunk, built before the op. */
typedef struct Common {
  MlirValue tid;
  MlirValue N, H, W, C, OH, OW, M, K;
  MlirValue nhwBase, cBase;
  MlirValue colRow, colCol; /* the col tile's origin in its buffer */
  int64_t pieceWidth, nPieces, alignment;
  MlirType pieceType;       /* vector<w x elt>, or elt when v == 1 */
  MlirValue zero;
  /* Per distinct b: b*tid, (b*tid)/BK, (b*tid)%BK. */
  int64_t bKey[64];
  MlirValue bt[64], bq[64], br[64];
  int nB;
} Common;

static MlirValue threadId(Builder *b, const char *dim) {
  TlStr s = {0};
  tlStrAppendf(&s, "#gpu<dim %s>", dim);
  MlirAttribute a =
      mlirAttributeParseGet(b->ctx, mlirStringRefCreateFromCString(tlStrGet(&s)));
  tlStrFree(&s);
  MlirNamedAttribute na = tlNamed(b->ctx, "dimension", a);
  return build(b, "gpu.thread_id", 0, NULL, b->index, 1, &na);
}

static MlirValue imgDim(Builder *b, Im2Col *x, int d) {
  if (!mlirShapedTypeIsDynamicSize(x->imgDim[d]))
    return cst(b, x->imgDim[d]);
  MlirValue ops[2] = {x->img, cst(b, d)};
  return build(b, "memref.dim", 2, ops, b->index, 0, NULL);
}

/* OH = (H + 2P - D(K-1) - 1)/S + 1, or 0 when the numerator is negative
   (only possible for a dynamic size: tl-verify rejects static ones). */
static MlirValue outSize(Builder *b, MlirValue in, int64_t K, int64_t S,
                         int64_t P, int64_t D) {
  int64_t off = 2 * P - D * (K - 1) - 1, n;
  if (isC(in, &n)) {
    n += off;
    return cst(b, n < 0 ? 0 : n / S + 1);
  }
  MlirValue num = add(b, in, cst(b, off));
  MlirValue ok = cmp(b, CmpSge, num, cst(b, 0));
  MlirValue out = add(b, divu(b, num, cst(b, S)), cst(b, 1));
  MlirValue ops[3] = {ok, out, cst(b, 0)};
  return build(b, "arith.select", 3, ops, b->index, 0, NULL);
}

static int findB(const Common *cm, int64_t bv) {
  for (int i = 0; i < cm->nB; ++i)
    if (cm->bKey[i] == bv)
      return i;
  return -1;
}

static MlirValue zeroOf(Builder *b, MlirType elt, MlirType type) {
  MlirAttribute z = mlirTypeIsAFloat(elt)
                        ? mlirFloatAttrDoubleGet(b->ctx, elt, 0.0)
                        : mlirIntegerAttrGet(elt, 0);
  if (!mlirTypeEqual(elt, type))
    z = mlirDenseElementsAttrSplatGet(type, z);
  MlirNamedAttribute na = tlNamed(b->ctx, "value", z);
  return build(b, "arith.constant", 0, NULL, type, 1, &na);
}

static void buildCommon(Builder *b, Im2Col *x, Common *cm) {
  const TlIm2ColParams *p = &x->p;
  /* Linear thread id x + y*X + z*X*Y. */
  cm->tid = threadId(b, "x");
  if (x->T != x->dimX) {
    MlirValue y = threadId(b, "y");
    cm->tid = add(b, cm->tid, mul(b, y, cst(b, x->dimX)));
    if (x->T != x->dimX * x->dimY) {
      MlirValue z = threadId(b, "z");
      cm->tid = add(b, cm->tid, mul(b, z, cst(b, x->dimX * x->dimY)));
    }
  }
  cm->N = imgDim(b, x, 0);
  cm->H = imgDim(b, x, 1);
  cm->W = imgDim(b, x, 2);
  cm->C = imgDim(b, x, 3);
  cm->OH = outSize(b, cm->H, p->kernel.h, p->stride.h, p->pad.h,
                   p->dilation.h);
  cm->OW = outSize(b, cm->W, p->kernel.w, p->stride.w, p->pad.w,
                   p->dilation.w);
  cm->M = mul(b, mul(b, cm->N, cm->OH), cm->OW);
  cm->K = mul(b, cst(b, p->kernel.h * p->kernel.w), cm->C);
  cm->nhwBase = mul(b, tlIm2ColOpGetNHWStep(x->op), cst(b, x->BM));
  cm->cBase = mul(b, tlIm2ColOpGetCStep(x->op), cst(b, x->BK));
  if (x->colRegion.ptr) {
    cm->colRow = tlRegionOpGetIndex(x->colRegion, 0);
    cm->colCol = tlRegionOpGetIndex(x->colRegion, 1);
  } else {
    cm->colRow = cm->colCol = cst(b, 0);
  }
  /* Accesses wider than 16 bytes are split into 16-byte pieces. */
  int64_t w = x->v;
  if (w > 1 && w * (x->eltBits / 8) > 16)
    w = 16 / (x->eltBits / 8);
  cm->pieceWidth = w;
  /* readVectorWidth bounds v / w by MAX_PIECES. */
  cm->nPieces = x->v / w;
  cm->alignment = w * (x->eltBits / 8);
  cm->pieceType = x->v == 1 ? x->elt : mlirVectorTypeGet(1, &w, x->elt);
  cm->zero = zeroOf(b, x->elt, cm->pieceType);
  cm->nB = 0;
}

/* The vector stores into col need its buffer aligned to `bytes`: when col
   is a workgroup attribution of the gpu.func, make sure its llvm.align is
   at least that (tl-infer-layouts sets it; this only ever raises it). Other
   shared buffers (dynamic shared memory views) are trusted. */
static void ensureColAlignment(Builder *b, Im2Col *x, int64_t bytes) {
  if (bytes <= 1 || !mlirValueIsABlockArgument(x->colBuf))
    return;
  MlirBlock blk = mlirBlockArgumentGetOwner(x->colBuf);
  MlirOperation f = mlirBlockGetParentOperation(blk);
  if (mlirOperationIsNull(f) || !tlOpIsNamed(f, "gpu.func") ||
      !mlirBlockEqual(blk, mlirRegionGetFirstBlock(
                               mlirOperationGetRegion(f, 0))))
    return;
  MlirAttribute ft = attrOf(f, "function_type");
  MlirAttribute nwa = attrOf(f, "workgroup_attributions");
  if (mlirAttributeIsNull(ft) || !mlirAttributeIsAType(ft) ||
      mlirAttributeIsNull(nwa) || !mlirAttributeIsAInteger(nwa))
    return;
  intptr_t nIn = mlirFunctionTypeGetNumInputs(mlirTypeAttrGetValue(ft));
  intptr_t nWg = (intptr_t)mlirIntegerAttrGetValueInt(nwa);
  intptr_t idx = mlirBlockArgumentGetArgNumber(x->colBuf) - nIn;
  if (idx < 0 || idx >= nWg)
    return;
  MlirAttribute old = attrOf(f, "workgroup_attrib_attrs");
  bool haveOld = !mlirAttributeIsNull(old) && mlirAttributeIsAArray(old) &&
                 mlirArrayAttrGetNumElements(old) == nWg;
  MlirAttribute *dicts = malloc(sizeof(MlirAttribute) * (size_t)nWg);
  if (!dicts)
    abort();
  bool changed = false;
  for (intptr_t i = 0; i < nWg; ++i) {
    MlirAttribute d = haveOld ? mlirArrayAttrGetElement(old, i)
                              : mlirDictionaryAttrGet(b->ctx, 0, NULL);
    if (!mlirAttributeIsADictionary(d))
      d = mlirDictionaryAttrGet(b->ctx, 0, NULL);
    if (i == idx) {
      MlirAttribute al = mlirDictionaryAttrGetElementByName(
          d, mlirStringRefCreateFromCString("llvm.align"));
      if (mlirAttributeIsNull(al) || !mlirAttributeIsAInteger(al) ||
          mlirIntegerAttrGetValueInt(al) < bytes) {
        intptr_t n = mlirDictionaryAttrGetNumElements(d), k = 0;
        MlirNamedAttribute *e =
            malloc(sizeof(MlirNamedAttribute) * (size_t)(n + 1));
        if (!e)
          abort();
        for (intptr_t j = 0; j < n; ++j) {
          MlirNamedAttribute na = mlirDictionaryAttrGetElement(d, j);
          MlirStringRef nm = mlirIdentifierStr(na.name);
          if (nm.length == 10 && !memcmp(nm.data, "llvm.align", 10))
            continue;
          e[k++] = na;
        }
        e[k++] = tlNamed(
            b->ctx, "llvm.align",
            mlirIntegerAttrGet(mlirIntegerTypeGet(b->ctx, 64), bytes));
        d = mlirDictionaryAttrGet(b->ctx, k, e);
        free(e);
        changed = true;
      }
    }
    dicts[i] = d;
  }
  if (changed)
    mlirOperationSetAttributeByName(
        f, mlirStringRefCreateFromCString("workgroup_attrib_attrs"),
        mlirArrayAttrGet(b->ctx, nWg, dicts));
  free(dicts);
}

/* b*tid, (b*tid)/BK, (b*tid)%BK for every b of the chunks, before any
   chunk is emitted (so that they dominate the loops). */
static bool buildThreadStrides(Builder *b, Im2Col *x, Common *cm) {
  for (int64_t c = 0; c < x->nChunks; ++c) {
    const Chunk *ch = &x->chunks[c];
    if (ch->n == 0)
      continue;
    int i = 0;
    while (i < cm->nB && cm->bKey[i] != ch->b)
      ++i;
    if (i < cm->nB)
      continue;
    if (cm->nB == 64) {
      OPERR(x, "thread_map has more than 64 distinct thread strides");
      return false;
    }
    cm->bKey[i] = ch->b;
    cm->bt[i] = mul(b, cm->tid, cst(b, ch->b));
    /* A negative stride (threads walking the tile backwards) takes the
       general path of tileCoords. */
    if (ch->b >= 0) {
      cm->bq[i] = divu(b, cm->bt[i], cst(b, x->BK));
      cm->br[i] = remu(b, cm->bt[i], cst(b, x->BK));
    }
    ++cm->nB;
  }
  return true;
}

/* The image coordinates of tile row m and column k: m -> (n, oh, ow),
   k -> (kh, kw, c) with c fastest, h = oh*SH + kh*DH - PH, w = ow*SW +
   kw*DW - PW; `inside` (null: always) says 0 <= h < H and 0 <= w < W. */
typedef struct Pixel {
  MlirValue n, h, w, c, inside;
} Pixel;

static Pixel decompose(Builder *b, Im2Col *x, Common *cm, MlirValue m,
                       MlirValue k) {
  const TlIm2ColParams *p = &x->p;
  Pixel px;
  MlirValue ow = remu(b, m, cm->OW);
  MlirValue nOh = divu(b, m, cm->OW);
  MlirValue oh = remu(b, nOh, cm->OH);
  px.n = divu(b, nOh, cm->OH);
  px.c = remu(b, k, cm->C);
  MlirValue khKw = divu(b, k, cm->C);
  MlirValue kw = remu(b, khKw, cst(b, p->kernel.w));
  MlirValue kh = divu(b, khKw, cst(b, p->kernel.w));
  /* h and w may be negative: compared unsigned against H and W, a
     negative value (a huge unsigned one) is outside as well. */
  px.h = sub(b, add(b, mul(b, oh, cst(b, p->stride.h)),
                    mul(b, kh, cst(b, p->dilation.h))),
             cst(b, p->pad.h));
  px.w = sub(b, add(b, mul(b, ow, cst(b, p->stride.w)),
                    mul(b, kw, cst(b, p->dilation.w))),
             cst(b, p->pad.w));
  /* Without padding 0 <= h <= (OH-1)*S + (K-1)*D <= H - 1 by the OH
     formula: no check. */
  px.inside = (MlirValue){NULL};
  if (p->pad.h > 0)
    px.inside = cmp(b, CmpUlt, px.h, cm->H);
  if (p->pad.w > 0)
    px.inside = andi(b, px.inside, cmp(b, CmpUlt, px.w, cm->W));
  return px;
}

/* Copies one chunk whose flat tile index is known as (i, j), at b->at.
   `threadOk` (may be null) guards threads that do not hold the chunk. */
static void emitChunk(Builder *b, Im2Col *x, Common *cm, MlirValue i,
                      MlirValue j, MlirValue threadOk) {
  MlirValue m = add(b, cm->nhwBase, i);
  MlirValue k = add(b, cm->cBase, j);
  /* With constant OW, OH and C (never 0) the decomposition goes before the
     guard, where CSE shares it between chunks; a run-time divisor may be 0
     (then N*OH*OW or KH*KW*C is 0 and the guard fails), so the division
     stays under the guard. */
  int64_t ow, oh, ch;
  bool early = isC(cm->OW, &ow) && ow > 0 && isC(cm->OH, &oh) && oh > 0 &&
               isC(cm->C, &ch) && ch > 0;
  Pixel px;
  if (early)
    px = decompose(b, x, cm, m, k);

  /* No write for rows m >= N*OH*OW, columns k >= KH*KW*C, or threads that
     do not hold the chunk. */
  MlirValue ok = andi(b, threadOk, cmp(b, CmpUlt, m, cm->M));
  ok = andi(b, ok, cmp(b, CmpUlt, k, cm->K));
  MlirOperation thenYield, none;
  buildIf(b, ok, 0, NULL, false, &thenYield, &none);
  MlirOperation saved = b->at;
  b->at = thenYield;
  if (!early)
    px = decompose(b, x, cm, m, k);
  MlirValue n = px.n, h = px.h, w = px.w, c = px.c, inside = px.inside;

  bool vec = x->v > 1;
  MlirNamedAttribute align = tlNamed(
      b->ctx, "alignment",
      mlirIntegerAttrGet(mlirIntegerTypeGet(b->ctx, 64), cm->alignment));
  MlirValue vals[MAX_PIECES];
  MlirType types[MAX_PIECES];
  MlirOperation loadAt = b->at, elseYield = {NULL};
  if (!mlirValueIsNull(inside)) {
    for (int64_t s = 0; s < cm->nPieces; ++s)
      types[s] = cm->pieceType;
    MlirOperation thenY;
    MlirOperation ifOp =
        buildIf(b, inside, cm->nPieces, types, true, &thenY, &elseYield);
    for (int64_t s = 0; s < cm->nPieces; ++s)
      vals[s] = mlirOperationGetResult(ifOp, s);
    loadAt = thenY;
  }
  MlirValue loaded[MAX_PIECES];
  MlirOperation outer = b->at;
  b->at = loadAt;
  for (int64_t s = 0; s < cm->nPieces; ++s) {
    MlirValue ops[5] = {x->img, n, h, w,
                        add(b, c, cst(b, s * cm->pieceWidth))};
    loaded[s] = build(b, vec ? "vector.load" : "memref.load", 5, ops,
                      cm->pieceType, vec ? 1 : 0, &align);
  }
  if (!mlirValueIsNull(inside)) {
    MlirValue zeros[MAX_PIECES];
    for (int64_t s = 0; s < cm->nPieces; ++s)
      zeros[s] = cm->zero;
    mlirOperationSetOperands(loadAt, cm->nPieces, loaded);
    mlirOperationSetOperands(elseYield, cm->nPieces, zeros);
  } else {
    for (int64_t s = 0; s < cm->nPieces; ++s)
      vals[s] = loaded[s];
  }
  b->at = outer;
  MlirValue row = add(b, cm->colRow, i);
  for (int64_t s = 0; s < cm->nPieces; ++s) {
    MlirValue col = add(b, cm->colCol, add(b, j, cst(b, s * cm->pieceWidth)));
    MlirValue ops[4] = {vals[s], x->colBuf, row, col};
    build(b, vec ? "vector.store" : "memref.store", 4, ops,
          (MlirType){NULL}, vec ? 1 : 0, &align);
  }
  b->at = saved;
}

/* (i, j) of flat index A + bv*tid where A = a0 + da*iv (iv null: A = a0). */
static bool tileCoords(Builder *b, Im2Col *x, Common *cm, int64_t a0,
                       int64_t da, MlirValue iv, int64_t bv, MlirValue *i,
                       MlirValue *j) {
  int bi = findB(cm, bv);
  if (bi < 0)
    abort(); /* buildThreadStrides covered every chunk */
  int64_t BK = x->BK;
  if (bv >= 0 && a0 % BK == 0 && da % BK == 0) {
    /* The thread's part splits off: i = A/BK + (b*t)/BK, j = (b*t)%BK
       (A is a multiple of BK, b*t >= 0). */
    MlirValue base = cst(b, a0 / BK);
    if (!mlirValueIsNull(iv))
      base = add(b, base, mul(b, iv, cst(b, da / BK)));
    *i = add(b, base, cm->bq[bi]);
    *j = cm->br[bi];
    return true;
  }
  /* f = A + b*t is a tile index, so >= 0 even when b or da is negative. */
  MlirValue f = cst(b, a0);
  if (!mlirValueIsNull(iv))
    f = add(b, f, mul(b, iv, cst(b, da)));
  f = add(b, f, cm->bt[bi]);
  *i = divu(b, f, cst(b, BK));
  *j = remu(b, f, cst(b, BK));
  return true;
}

static MlirValue threadGuard(Builder *b, Im2Col *x, Common *cm, int64_t n) {
  if (n >= x->T)
    return (MlirValue){NULL};
  return cmp(b, CmpUlt, cm->tid, cst(b, n));
}

static bool emitChunks(Builder *b, Im2Col *x, Common *cm) {
  int64_t used = 0;
  for (int64_t c = 0; c < x->nChunks; ++c)
    used += x->chunks[c].n > 0;
  for (int64_t c = 0; c < x->nChunks;) {
    const Chunk *ch = &x->chunks[c];
    if (ch->n == 0) {
      ++c;
      continue;
    }
    /* A run: chunks with the same b and n and a in arithmetic progression
       (only formed when the chunks are not all unrolled). */
    int64_t len = 1, da = 0;
    if (used > MAX_UNROLLED_CHUNKS) {
      while (c + len < x->nChunks) {
        const Chunk *nx = &x->chunks[c + len];
        if (nx->n != ch->n || nx->b != ch->b)
          break;
        int64_t d = nx->a - x->chunks[c + len - 1].a;
        if (len == 1)
          da = d;
        else if (d != da)
          break;
        ++len;
      }
    }
    MlirValue i, j;
    if (len == 1) {
      if (!tileCoords(b, x, cm, ch->a, 0, (MlirValue){NULL}, ch->b, &i, &j))
        return false;
      emitChunk(b, x, cm, i, j, threadGuard(b, x, cm, ch->n));
    } else {
      MlirOperation yield;
      MlirValue iv = buildFor(b, len, &yield);
      MlirOperation saved = b->at;
      b->at = yield;
      bool ok = tileCoords(b, x, cm, ch->a, da, iv, ch->b, &i, &j);
      if (ok)
        emitChunk(b, x, cm, i, j, threadGuard(b, x, cm, ch->n));
      b->at = saved;
      if (!ok)
        return false;
    }
    c += len;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// TMA im2col (inst = "tma_im2col"; docs/im2col.md, "The TMA path")
//===----------------------------------------------------------------------===//

/* Suspend-time hint of each mbarrier.try_wait.parity round (ns). */
#define TRY_WAIT_TICKS 10000000
/* cp.async.bulk.tensor writes 128-byte aligned shared memory. */
#define TMA_DST_ALIGN 128

static MlirValue buildTyped(Builder *b, const char *name, intptr_t n,
                            const MlirValue *ops, MlirType type) {
  return build(b, name, n, ops, type, 0, NULL);
}

static MlirValue intConst(Builder *b, MlirType t, int64_t v) {
  MlirNamedAttribute na = tlNamed(b->ctx, "value", mlirIntegerAttrGet(t, v));
  return build(b, "arith.constant", 0, NULL, t, 1, &na);
}

static MlirValue castTo(Builder *b, MlirValue v, MlirType t) {
  return buildTyped(b, "arith.index_cast", 1, &v, t);
}

/* An !llvm.ptr<space> to the first element of `mem` (a workgroup memref)
   plus `byteOffset` (an index; null: none). */
static MlirValue sharedPtr(Builder *b, MlirValue mem, MlirValue byteOffset,
                           unsigned space) {
  MlirValue base =
      buildTyped(b, "memref.extract_aligned_pointer_as_index", 1, &mem,
                 b->index);
  if (!mlirValueIsNull(byteOffset))
    base = add(b, base, byteOffset);
  MlirValue i = castTo(b, base, mlirIntegerTypeGet(b->ctx, 64));
  return buildTyped(b, "llvm.inttoptr", 1, &i,
                    mlirLLVMPointerTypeGet(b->ctx, space));
}

static MlirValue linearThreadId(Builder *b, const Im2Col *x) {
  MlirValue tid = threadId(b, "x");
  if (x->T != x->dimX) {
    MlirValue y = threadId(b, "y");
    tid = add(b, tid, mul(b, y, cst(b, x->dimX)));
    if (x->T != x->dimX * x->dimY) {
      MlirValue z = threadId(b, "z");
      tid = add(b, tid, mul(b, z, cst(b, x->dimX * x->dimY)));
    }
  }
  return tid;
}

/* Appends a workgroup attribution `type` with llvm.align = `align` to the
   gpu.func; returns its block argument. */
static MlirValue addWorkgroupAttribution(MlirOperation func, MlirType type,
                                         int64_t align) {
  MlirContext ctx = mlirOperationGetContext(func);
  MlirType ft = mlirTypeAttrGetValue(attrOf(func, "function_type"));
  intptr_t nIn = mlirFunctionTypeGetNumInputs(ft);
  MlirAttribute nwa = attrOf(func, "workgroup_attributions");
  intptr_t nWg = mlirAttributeIsNull(nwa) || !mlirAttributeIsAInteger(nwa)
                     ? 0
                     : (intptr_t)mlirIntegerAttrGetValueInt(nwa);
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  MlirValue arg = mlirBlockInsertArgument(entry, nIn + nWg, type,
                                          mlirOperationGetLocation(func));
  MlirType i64 = mlirIntegerTypeGet(ctx, 64);
  mlirOperationSetAttributeByName(
      func, mlirStringRefCreateFromCString("workgroup_attributions"),
      mlirIntegerAttrGet(mlirAttributeIsNull(nwa) ? i64
                                                  : mlirAttributeGetType(nwa),
                         nWg + 1));
  MlirAttribute old = attrOf(func, "workgroup_attrib_attrs");
  bool haveOld = !mlirAttributeIsNull(old) && mlirAttributeIsAArray(old) &&
                 mlirArrayAttrGetNumElements(old) == nWg;
  MlirAttribute *dicts = malloc(sizeof(MlirAttribute) * (size_t)(nWg + 1));
  if (!dicts)
    abort();
  for (intptr_t i = 0; i < nWg; ++i)
    dicts[i] = haveOld ? mlirArrayAttrGetElement(old, i)
                       : mlirDictionaryAttrGet(ctx, 0, NULL);
  MlirNamedAttribute al =
      tlNamed(ctx, "llvm.align", mlirIntegerAttrGet(i64, align));
  dicts[nWg] = mlirDictionaryAttrGet(ctx, 1, &al);
  mlirOperationSetAttributeByName(
      func, mlirStringRefCreateFromCString("workgroup_attrib_attrs"),
      mlirArrayAttrGet(ctx, nWg + 1, dicts));
  free(dicts);
  return arg;
}

static void buildStore(Builder *b, MlirValue v, MlirValue mem, MlirValue i) {
  MlirValue ops[3] = {v, mem, i};
  build(b, "memref.store", 3, ops, (MlirType){NULL}, 0, NULL);
}

/* The TMA lowering of one op: one mbarrier (a workgroup attribution) and
   its phase (a private memref<1xi32>) per op, initialized at the entry of
   the gpu.func; at the op, when the tile starts inside the column matrix,
   thread 0 arms the barrier with the tile's bytes and issues the im2col
   load, and every thread waits on the phase, then flips it. */
static bool lowerTMA(Im2Col *x) {
  TlTensorMapDesc desc;
  char why[256];
  if (!tlIm2ColCanUseTMA(x->op, NULL, &desc, why, sizeof why)) {
    OPERR(x, "inst = \"tma_im2col\" cannot be used: %s", why);
    return false;
  }
  const TlIm2ColParams *p = &x->p;
  MlirOperation func = mlirOperationGetParentOperation(x->op);
  while (!tlOpIsNamed(func, "gpu.func"))
    func = mlirOperationGetParentOperation(func);
  MlirContext ctx = mlirLocationGetContext(x->loc);
  MlirType i16 = mlirIntegerTypeGet(ctx, 16), i32 = mlirIntegerTypeGet(ctx, 32),
           i64 = mlirIntegerTypeGet(ctx, 64);

  MlirValue map = tlGetOrAddTensorMapArg(func, &desc);
  MlirAttribute wg = mlirAttributeParseGet(
      ctx, mlirStringRefCreateFromCString("#gpu.address_space<workgroup>"));
  int64_t one = 1;
  MlirValue barMem = addWorkgroupAttribution(
      func, mlirMemRefTypeContiguousGet(i64, 1, &one, wg), 8);

  /* At the entry: the phase, and thread 0 initializes the barrier. */
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  Builder e;
  memset(&e, 0, sizeof e);
  e.ctx = ctx;
  e.loc = x->loc;
  e.index = mlirIndexTypeGet(ctx);
  e.i1 = mlirIntegerTypeGet(ctx, 1);
  e.top = e.at = mlirBlockGetFirstOperation(entry);
  MlirType phaseType = mlirMemRefTypeContiguousGet(i32, 1, &one,
                                                   (MlirAttribute){NULL});
  MlirNamedAttribute seg = tlNamed(
      ctx, "operandSegmentSizes", mlirDenseI32ArrayGet(ctx, 2, (int32_t[]){0, 0}));
  MlirValue phase =
      build(&e, "memref.alloca", 0, NULL, phaseType, 1, &seg);
  buildStore(&e, intConst(&e, i32, 0), phase, cst(&e, 0));
  MlirValue barInit = sharedPtr(&e, barMem, (MlirValue){NULL}, 3);
  MlirValue tid0 = linearThreadId(&e, x);
  MlirValue isFirst = cmp(&e, 0 /* eq */, tid0, cst(&e, 0));
  MlirOperation thenY, none;
  buildIf(&e, isFirst, 0, NULL, false, &thenY, &none);
  MlirOperation saved = e.at;
  e.at = thenY;
  MlirValue initOps[2] = {barInit, intConst(&e, i32, 1)};
  build(&e, "nvvm.mbarrier.init", 2, initOps, (MlirType){NULL}, 0, NULL);
  build(&e, "nvvm.fence.mbarrier.init", 0, NULL, (MlirType){NULL}, 0, NULL);
  e.at = saved;
  build(&e, "gpu.barrier", 0, NULL, (MlirType){NULL}, 0, NULL);

  /* At the op. */
  Builder b;
  memset(&b, 0, sizeof b);
  b.ctx = ctx;
  b.loc = x->loc;
  b.index = e.index;
  b.i1 = e.i1;
  b.top = b.at = x->op;
  int64_t N = x->imgDim[0], H = x->imgDim[1], W = x->imgDim[2],
          C = x->imgDim[3];
  int64_t OH = (H + 2 * p->pad.h - p->dilation.h * (p->kernel.h - 1) - 1) /
                   p->stride.h + 1;
  int64_t OW = (W + 2 * p->pad.w - p->dilation.w * (p->kernel.w - 1) - 1) /
                   p->stride.w + 1;
  MlirValue m0 = mul(&b, tlIm2ColOpGetNHWStep(x->op), cst(&b, x->BM));
  MlirValue k0 = mul(&b, tlIm2ColOpGetCStep(x->op), cst(&b, x->BK));
  /* The tile starts inside the matrix: nhw_step and c_step are the same in
     every thread of the block (documented), so is this. */
  MlirValue active = andi(&b, cmp(&b, CmpUlt, m0, cst(&b, N * OH * OW)),
                          cmp(&b, CmpUlt, k0,
                              cst(&b, p->kernel.h * p->kernel.w * C)));
  MlirOperation actY;
  buildIf(&b, active, 0, NULL, false, &actY, &none);
  b.at = actY;
  /* The first pixel: m0 = (n*OH + oh)*OW + ow -> (w, h) = (ow*SW - PW,
     oh*SH - PH) in the bounding box; k0 = (kh*KW + kw)*C + c. */
  MlirValue ow = remu(&b, m0, cst(&b, OW));
  MlirValue nOh = divu(&b, m0, cst(&b, OW));
  MlirValue oh = remu(&b, nOh, cst(&b, OH));
  MlirValue n = divu(&b, nOh, cst(&b, OH));
  MlirValue w = sub(&b, mul(&b, ow, cst(&b, p->stride.w)), cst(&b, p->pad.w));
  MlirValue h = sub(&b, mul(&b, oh, cst(&b, p->stride.h)), cst(&b, p->pad.h));
  MlirValue c = remu(&b, k0, cst(&b, C));
  MlirValue khKw = divu(&b, k0, cst(&b, C));
  MlirValue kw = remu(&b, khKw, cst(&b, p->kernel.w));
  MlirValue kh = divu(&b, khKw, cst(&b, p->kernel.w));
  MlirValue offW = mul(&b, kw, cst(&b, p->dilation.w));
  MlirValue offH = mul(&b, kh, cst(&b, p->dilation.h));
  int64_t eb = x->eltBits / 8;
  MlirValue byteOff = (MlirValue){NULL};
  if (x->colRegion.ptr) {
    int64_t rowStride = mlirShapedTypeGetDimSize(mlirValueGetType(x->colBuf), 1);
    byteOff = mul(&b,
                  add(&b, mul(&b, tlRegionOpGetIndex(x->colRegion, 0),
                              cst(&b, rowStride)),
                      tlRegionOpGetIndex(x->colRegion, 1)),
                  cst(&b, eb));
  }
  MlirValue dst = sharedPtr(&b, x->colBuf, byteOff, 7);
  MlirValue bar = sharedPtr(&b, barMem, (MlirValue){NULL}, 3);
  MlirValue tid = linearThreadId(&b, x);
  MlirValue leader = cmp(&b, 0 /* eq */, tid, cst(&b, 0));
  MlirOperation leadY;
  buildIf(&b, leader, 0, NULL, false, &leadY, &none);
  MlirOperation afterLead = b.at;
  b.at = leadY;
  MlirValue txOps[2] = {bar, intConst(&b, i32, x->BM * x->BK * eb)};
  build(&b, "nvvm.mbarrier.arrive.expect_tx", 2, txOps, (MlirType){NULL}, 0,
        NULL);
  MlirValue ops[9] = {dst,
                      map,
                      castTo(&b, c, i32),
                      castTo(&b, w, i32),
                      castTo(&b, h, i32),
                      castTo(&b, n, i32),
                      bar,
                      castTo(&b, offW, i16),
                      castTo(&b, offH, i16)};
  MlirNamedAttribute attrs[2] = {
      tlNamed(ctx, "mode",
              mlirAttributeParseGet(ctx, mlirStringRefCreateFromCString(
                                             "#nvvm.tma_load_mode<im2col>"))),
      tlNamed(ctx, "operandSegmentSizes",
              mlirDenseI32ArrayGet(ctx, 8,
                                   (int32_t[]){1, 1, 4, 1, 2, 0, 0, 0}))};
  build(&b, "nvvm.cp.async.bulk.tensor.shared.cluster.global", 9, ops,
        (MlirType){NULL}, 2, attrs);
  b.at = afterLead;
  MlirValue ph = buildTyped(&b, "memref.load", 2,
                            (MlirValue[]){phase, cst(&b, 0)}, i32);
  MlirValue waitOps[3] = {bar, ph, intConst(&b, i32, TRY_WAIT_TICKS)};
  build(&b, "nvvm.mbarrier.try_wait.parity", 3, waitOps, (MlirType){NULL}, 0,
        NULL);
  MlirValue flip[2] = {ph, intConst(&b, i32, 1)};
  buildStore(&b, buildTyped(&b, "arith.xori", 2, flip, i32), phase,
             cst(&b, 0));
  b.at = x->op;
  ensureColAlignment(&b, x, TMA_DST_ALIGN);
  for (int i = 0; i < b.nConsts; ++i)
    tlEraseIfUnused(mlirOpResultGetOwner(b.constVal[i]));
  for (int i = 0; i < e.nConsts; ++i)
    tlEraseIfUnused(mlirOpResultGetOwner(e.constVal[i]));
  mlirOperationDestroy(x->op);
  if (x->colRegion.ptr)
    tlEraseIfUnused(x->colRegion);
  return true;
}

static bool lowerIm2Col(MlirOperation op) {
  Im2Col x;
  memset(&x, 0, sizeof x);
  x.op = op;
  x.loc = mlirOperationGetLocation(op);
  MlirAttribute inst = attrOf(op, "inst");
  if (mlirAttributeIsNull(inst)) {
    OPERR(&x, "has no 'inst' attribute: run tl-infer-layouts first");
    return false;
  }
  if (!mlirAttributeIsAString(inst)) {
    TlStr s = {0};
    tlStrAppendAttr(&s, inst);
    OPERR(&x, "inst must be a string attribute, got %s", tlStrGet(&s));
    tlStrFree(&s);
    return false;
  }
  MlirStringRef name = mlirStringAttrGetValue(inst);
  bool tma = name.length == 10 && memcmp(name.data, "tma_im2col", 10) == 0;
  if (!tma && (name.length != 4 || memcmp(name.data, "simt", 4) != 0)) {
    OPERR(&x, "inst = \"%.*s\" is not supported by tl-lower-im2col (only "
              "\"simt\" and \"tma_im2col\")",
          (int)name.length, name.data);
    return false;
  }
  if (!tlIm2ColOpGetParams(op, &x.p) || x.p.kernel.h < 1 ||
      x.p.kernel.w < 1 || x.p.stride.h < 1 || x.p.stride.w < 1 ||
      x.p.dilation.h < 1 || x.p.dilation.w < 1 || x.p.pad.h < 0 ||
      x.p.pad.w < 0) {
    OPERR(&x, "has invalid kernel/stride/dilation/pad (run tl-verify)");
    return false;
  }
  if (tma) {
    if (!readKernel(&x) || !readOperands(&x))
      return false;
    x.eltBits = mlirTypeIsAInteger(x.elt) ? mlirIntegerTypeGetWidth(x.elt)
                : mlirTypeIsAFloat(x.elt)     ? mlirFloatTypeGetWidth(x.elt)
                                              : 0;
    return lowerTMA(&x);
  }
  if (!readKernel(&x) || !readOperands(&x) || !readVectorWidth(&x) ||
      !evalMap(&x)) {
    free(x.chunks);
    return false;
  }

  Builder b;
  memset(&b, 0, sizeof b);
  b.ctx = mlirLocationGetContext(x.loc);
  b.loc = x.loc;
  b.index = mlirIndexTypeGet(b.ctx);
  b.i1 = mlirIntegerTypeGet(b.ctx, 1);
  b.top = b.at = op;
  Common cm;
  memset(&cm, 0, sizeof cm);
  buildCommon(&b, &x, &cm);
  if (x.v > 1)
    ensureColAlignment(&b, &x, cm.alignment);
  bool ok = buildThreadStrides(&b, &x, &cm) && emitChunks(&b, &x, &cm);
  free(x.chunks);
  /* Thread strides whose chunks took the general path, and intermediate
     constants of folded arithmetic, may be left unused. */
  for (int i = 0; i < cm.nB; ++i) {
    MlirValue vs[3] = {cm.bq[i], cm.br[i], cm.bt[i]};
    for (int k = 0; k < 3; ++k) {
      /* Folds may have made them the same value (BK == 1), the thread id
         (b == 1) or a constant: those are left alone. */
      bool skip = mlirValueIsNull(vs[k]) || vs[k].ptr == cm.tid.ptr;
      for (int e = 0; e < k && !skip; ++e)
        skip = vs[e].ptr == vs[k].ptr; /* possibly erased already */
      if (!skip && mlirValueIsAOpResult(vs[k]) && !isC(vs[k], &(int64_t){0}))
        tlEraseIfUnused(mlirOpResultGetOwner(vs[k]));
    }
  }
  for (int i = 0; i < b.nConsts; ++i)
    tlEraseIfUnused(mlirOpResultGetOwner(b.constVal[i]));
  if (!ok)
    return false;
  mlirOperationDestroy(op);
  if (x.colRegion.ptr)
    tlEraseIfUnused(x.colRegion);
  return true;
}

static void run(MlirOperation op, MlirExternalPass pass, void *state) {
  (void)state;
  TlOpList list = {NULL, 0, 0};
  tlCollectOps(op, "tl.c2d_im2col", &list);
  bool ok = true;
  for (size_t i = 0; i < list.n; ++i)
    ok &= lowerIm2Col(list.ops[i]);
  free(list.ops);
  if (!ok)
    mlirExternalPassSignalFailure(pass);
}

static MlirLogicalResult addPass(MlirOpPassManager pm,
                             const TlOptionValues *options,
                             MlirStringCallback err, void *userData) {
  (void)options;
  (void)err;
  (void)userData;
  mlirOpPassManagerAddOwnedPass(pm, tlCreateLowerIm2ColPass());
  return mlirLogicalResultSuccess();
}

/* Literals only: a const object is not a constant expression in C11. */
const TlPassDef tlLowerIm2ColPassDef = {
    {"tl-lower-im2col",
     "Lower every tl.c2d_im2col to gpu/scf/arith/memref/vector ops following its inferred layout",
     0, NULL},
    addPass};

static _Alignas(8) char kTypeId;

MlirPass tlCreateLowerIm2ColPass(void) {
  MlirDialectHandle deps[] = {
      mlirGetDialectHandle__arith__(), mlirGetDialectHandle__gpu__(),
      mlirGetDialectHandle__llvm__(),  mlirGetDialectHandle__memref__(),
      mlirGetDialectHandle__nvvm__(),  mlirGetDialectHandle__scf__(),
      mlirGetDialectHandle__vector__()};
  return tlCreateExternalPass(&kTypeId, &tlLowerIm2ColPassDef.info,
                              sizeof deps / sizeof deps[0], deps, run, NULL, 0);
}
