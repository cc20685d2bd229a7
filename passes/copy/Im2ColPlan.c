/* Reading a tl.c2d_im2col for tl-lower-im2col (copy/Im2Col.h): its
 * parameters, kernel, operands and, for the SIMT lowering, its vector width
 * and thread map, which is evaluated at compile time.
 *
 * The op's `thread_map` (docs/layouts.md; default when absent) is evaluated
 * at every tile element: for each chunk c of `vector_width` v consecutive
 * locals, the flat tile index must be a_c + b_c*t for the threads t < n_c
 * (a prefix of the block). Every way a map can fail that is a located
 * error naming the elements, threads or locals concerned; the evaluation
 * and the reduction to chunks are copy/MapEval.c's, the words this file's. */
#include <mlir-c/AffineMap.h>
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "Contract.h"
#include "Diag.h"
#include "IRBuild.h"
#include "Im2Col.h"
#include "IndexRange.h"
#include "MapEval.h"
#include "Support.h"
#include "tl-c/Attributes.h"
#include "tl-c/Ops.h"

//===----------------------------------------------------------------------===//
// What every lowering reads
//===----------------------------------------------------------------------===//

static bool readParams(TlIm2Col *x) {
  if (!tlIm2ColOpGetParams(x->op, &x->p) || x->p.kernel.h < 1 ||
      x->p.kernel.w < 1 || x->p.stride.h < 1 || x->p.stride.w < 1 ||
      x->p.dilation.h < 1 || x->p.dilation.w < 1 || x->p.pad.h < 0 ||
      x->p.pad.w < 0 || x->p.kernel.h > TL_IM2COL_MAX_PARAM ||
      x->p.kernel.w > TL_IM2COL_MAX_PARAM ||
      x->p.stride.h > TL_IM2COL_MAX_PARAM ||
      x->p.stride.w > TL_IM2COL_MAX_PARAM ||
      x->p.dilation.h > TL_IM2COL_MAX_PARAM ||
      x->p.dilation.w > TL_IM2COL_MAX_PARAM ||
      x->p.pad.h > TL_IM2COL_MAX_PARAM || x->p.pad.w > TL_IM2COL_MAX_PARAM) {
    tlOpError(x->op, "has invalid kernel/stride/dilation/pad (run tl-verify)");
    return false;
  }
  return true;
}

static bool readKernel(TlIm2Col *x) {
  MlirOperation f = tlEnclosingOp(x->op, "gpu.func");
  MlirAttribute bs = mlirOperationIsNull(f) ? (MlirAttribute){NULL}
                                            : tlGetAttr(f, "known_block_size");
  if (mlirAttributeIsNull(bs) || !mlirAttributeIsADenseI32Array(bs) ||
      mlirDenseArrayGetNumElements(bs) != 3) {
    tlOpError(x->op, "needs an enclosing gpu.func with known_block_size = "
                     "array<i32: x, y, z> (the thread count)");
    return false;
  }
  int64_t d[3];
  for (int i = 0; i < 3; ++i) {
    d[i] = mlirDenseI32ArrayGetElement(bs, i);
    if (d[i] <= 0) {
      tlOpError(x->op, "known_block_size entries must be > 0");
      return false;
    }
  }
  x->dimX = d[0];
  x->dimY = d[1];
  /* Three int32 entries: the product can overflow (tl-verify bounds it
     to 1024, but this pass may run without it). */
  if (__builtin_mul_overflow(d[0] * d[1], d[2], &x->T) || x->T > 1024) {
    tlOpError(x->op, "known_block_size has more than 1024 threads (run "
                     "tl-verify)");
    return false;
  }
  return true;
}

static bool readOperands(TlIm2Col *x) {
  x->img = tlIm2ColOpGetImage(x->op);
  x->imgType = mlirValueGetType(x->img);
  if (!mlirTypeIsAMemRef(x->imgType) ||
      mlirShapedTypeGetRank(x->imgType) != 4) {
    tlOpError(x->op, "img must be a rank-4 (NHWC) memref (run tl-verify)");
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
    MlirOperation def = mlirValueIsAOpResult(col) ? mlirOpResultGetOwner(col)
                                                  : (MlirOperation){NULL};
    if (!tlOperationIsARegion(def) || !tlRegionOpHasExtents(def) ||
        tlRegionOpGetNumExtents(def) < 2 ||
        tlRegionOpGetNumIndices(def) != tlRegionOpGetNumExtents(def)) {
      tlOpError(x->op,
                "col must be a rank-2 shared memref or a tl.region of one "
                "with 2 extents (run tl-verify)");
      return false;
    }
    x->colRegion = def;
    x->colBuf = tlRegionOpGetBuffer(def);
  }
  MlirType bt = mlirValueGetType(x->colBuf);
  x->colRank = mlirTypeIsAMemRef(bt) ? mlirShapedTypeGetRank(bt) : 0;
  if (!mlirTypeIsAMemRef(bt) || x->colRank < 2 ||
      x->colRank > TL_IM2COL_MAX_COL_RANK ||
      (x->colRank > 2 && !x->colRegion.ptr) ||
      (x->colRegion.ptr &&
       tlRegionOpGetNumExtents(x->colRegion) != x->colRank) ||
      tlMemRefTypeGetScope(bt) != TlScopeShared) {
    tlOpError(x->op, "col must be a rank-2 shared memref or a tl.region of one "
                     "(run tl-verify)");
    return false;
  }
  if (!mlirTypeEqual(mlirShapedTypeGetElementType(bt), x->elt)) {
    tlOpError(x->op, "img and col element types differ (run tl-verify)");
    return false;
  }
  if (x->colRegion.ptr) {
    intptr_t r = x->colRank;
    x->BM = tlRegionOpGetExtent(x->colRegion, r - 2);
    x->BK = tlRegionOpGetExtent(x->colRegion, r - 1);
    /* A region provably outside its buffer would write out of bounds; a
       stage dimension's extent is 1 (one stage of the buffer). */
    for (intptr_t d = 0; d < r; ++d) {
      int64_t size = mlirShapedTypeGetDimSize(bt, d);
      int64_t ext = tlRegionOpGetExtent(x->colRegion, d);
      if (d < r - 2 && ext != 1) {
        tlOpError(x->op,
                  "the col region must be one stage of its rank-%lld buffer: "
                  "extent 1 in dimension %lld, got %lld (run tl-verify)",
                  (long long)r, (long long)d, (long long)ext);
        return false;
      }
      TlRange rg = tlIndexRange(tlRegionOpGetIndex(x->colRegion, d));
      if (!mlirShapedTypeIsDynamicSize(size) && rg.known &&
          (rg.lo < 0 || rg.hi + ext > size)) {
        TlStr ty = {0};
        tlStrAppendType(&ty, bt);
        tlOpError(x->op,
                  "the col region (start in [%lld, %lld], extent %lld) may "
                  "leave dimension %d of %s",
                  (long long)rg.lo, (long long)rg.hi, (long long)ext, (int)d,
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
    tlOpError(x->op, "the col tile (BM, BK) must be static and non-empty");
    return false;
  }
  /* The thread map is evaluated at every tile element. */
  if (x->BM > TL_IM2COL_MAX_MAP_SLOTS / x->BK) {
    tlOpError(x->op,
              "the col tile %lldx%lld is too large to lower (at most %lld "
              "elements)",
              (long long)x->BM, (long long)x->BK,
              (long long)TL_IM2COL_MAX_MAP_SLOTS);
    return false;
  }
  return true;
}

/* The element width in bits; 0 for index (and anything not numeric). */
static int64_t eltBitsOf(MlirType t) {
  return mlirTypeIsAInteger(t) ? mlirIntegerTypeGetWidth(t)
         : mlirTypeIsAFloat(t) ? mlirFloatTypeGetWidth(t)
                               : 0;
}

int64_t tlIm2ColOutSize(int64_t size, int64_t k, int64_t s, int64_t p,
                        int64_t d) {
  int64_t num = size + 2 * p - d * (k - 1) - 1;
  return num < 0 ? 0 : num / s + 1;
}

bool tlIm2ColRead(TlIm2Col *x) {
  if (!readParams(x) || !readKernel(x) || !readOperands(x))
    return false;
  x->eltBits = eltBitsOf(x->elt);
  return true;
}

//===----------------------------------------------------------------------===//
// The SIMT lowering's vector width
//===----------------------------------------------------------------------===//

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
static bool readVectorWidth(TlIm2Col *x) {
  MlirAttribute vw = tlGetAttr(x->op, TL_ATTR_VECTOR_WIDTH);
  if (mlirAttributeIsNull(vw) || !mlirAttributeIsAInteger(vw)) {
    tlOpError(x->op,
              "needs an integer 'vector_width' (set by tl-infer-layouts)");
    return false;
  }
  x->v = mlirIntegerAttrGetValueInt(vw);
  if (x->v < 1 || (x->v & (x->v - 1)) != 0) {
    tlOpError(x->op, "vector_width must be a power of two >= 1, got %lld",
              (long long)x->v);
    return false;
  }
  /* tlIm2ColRead set eltBits (0 for index elements). */
  if (!mlirTypeIsAFloat(x->elt) && !mlirTypeIsAInteger(x->elt) &&
      !mlirTypeIsAIndex(x->elt)) {
    TlStr ty = {0};
    tlStrAppendType(&ty, x->elt);
    tlOpError(x->op, "element type %s is not an integer or float type",
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
             tlIndexDivisor(tlIm2ColTileIndex(x, 1)) % x->v != 0)
      why = "it does not divide the col region's column index";
  }
  if (!why && x->v * (x->eltBits / 8) > 16 * TL_IM2COL_MAX_PIECES)
    why = "accesses wider than 256 bytes are not supported";
  if (why) {
    tlOpError(x->op, "vector_width %lld cannot be used: %s", (long long)x->v,
              why);
    return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// The thread map, evaluated at compile time
//===----------------------------------------------------------------------===//

/* The `thread_map` attribute's map, null for the default map (absent);
   false after an error. */
static bool readThreadMap(TlIm2Col *x, MlirAffineMap *map) {
  MlirAttribute tm = tlGetAttr(x->op, TL_ATTR_THREAD_MAP);
  *map = (MlirAffineMap){NULL};
  if (mlirAttributeIsNull(tm))
    return true;
  if (!tlAttributeIsAFragmentLayout(tm)) {
    tlOpError(x->op, "thread_map must be a #tl.fragment_layout");
    return false;
  }
  *map = tlFragmentLayoutAttrGetMap(tm);
  int64_t threads = tlFragmentLayoutAttrGetThreads(tm);
  int64_t rep = tlFragmentLayoutAttrGetReplicate(tm);
  if (mlirAffineMapIsNull(*map) || mlirAffineMapGetNumDims(*map) != 2 ||
      mlirAffineMapGetNumSymbols(*map) != 0 ||
      mlirAffineMapGetNumResults(*map) != 2) {
    tlOpError(x->op, "thread_map must map the (BM, BK) tile (2 dimensions, "
                     "no symbols) to (thread, local)");
    return false;
  }
  if (threads != x->T) {
    tlOpError(x->op,
              "thread_map is for %lld threads but the block has %lld "
              "(known_block_size)",
              (long long)threads, (long long)x->T);
    return false;
  }
  if (rep != 1) {
    tlOpError(x->op,
              "thread_map replicates elements (replicate = %lld): a copy "
              "needs replicate = 1",
              (long long)rep);
    return false;
  }
  return true;
}

/* Where the map fails at an element: it cannot be evaluated, or goes
   outside the block's threads or below local 0. */
static void elementError(TlIm2Col *x, const TlMapEval *m) {
  long long i = m->at / x->BK, j = m->at % x->BK;
  if (m->status == TL_MAP_UNEVALUABLE)
    tlOpError(x->op, "thread_map cannot be evaluated at (%lld, %lld)", i, j);
  else
    tlOpError(x->op,
              "thread_map maps (%lld, %lld) to thread %lld, local %lld: "
              "the thread must be in [0, %lld) and the local >= 0",
              i, j, (long long)m->r[0], (long long)m->r[1], (long long)x->T);
}

/* Thread t's part of chunk c: v consecutive elements of a row at a
   multiple of v, or none; its holders threads 0..n-1. */
static void partError(TlIm2Col *x, const TlMapPart *q) {
  long long v = x->v, c = q->chunk, t = q->thread;
  if (!q->holdsFirst)
    tlOpError(x->op,
              "thread %lld holds local %lld but not local %lld of "
              "the same vector chunk (vector_width %lld)",
              t, (long long)(c * v + q->firstLater), c * v, v);
  else if (q->broken)
    tlOpError(x->op,
              "locals %lld..%lld of thread %lld are not %lld "
              "consecutive tile elements of one row",
              c * v, c * v + v - 1, t, v);
  else if (q->misaligned)
    tlOpError(x->op,
              "locals %lld..%lld of thread %lld start at column %lld, "
              "not a multiple of vector_width %lld",
              c * v, c * v + v - 1, t, (long long)(q->first % x->BK), v);
  else
    tlOpError(x->op,
              "the threads holding locals %lld..%lld are not a prefix "
              "0..n-1 of the block (thread %lld holds them, thread %lld "
              "does not)",
              c * v, c * v + v - 1, t, (long long)q->owners);
}

/* What the reduction of the map to chunks found wrong. */
static void chunkError(TlIm2Col *x, TlMapStatus s, const TlMapEval *m,
                       const TlMapChunks *k) {
  long long BK = x->BK, v = x->v;
  if (s == TL_MAP_SPARSE)
    tlOpError(x->op,
              "thread_map uses locals up to %lld for %lld threads: too "
              "sparse to lower",
              (long long)m->maxLocal, (long long)x->T);
  else if (s == TL_MAP_COLLISION)
    tlOpError(x->op,
              "thread_map maps both (%lld, %lld) and (%lld, %lld) to "
              "thread %lld, local %lld",
              (long long)m->other / BK, (long long)m->other % BK,
              (long long)m->at / BK, (long long)m->at % BK, (long long)m->r[0],
              (long long)m->r[1]);
  else if (s == TL_MAP_PART)
    partError(x, &k->part);
  else
    tlOpError(x->op,
              "thread_map is not affine in the thread for locals "
              "%lld..%lld: the flat tile index is not a + b*thread "
              "(thread 0: %lld, thread 1: %lld, thread %lld: %lld)",
              (long long)k->chunk * v, (long long)k->chunk * v + v - 1,
              (long long)x->chunks[k->chunk].a,
              (long long)(x->chunks[k->chunk].a + x->chunks[k->chunk].b),
              (long long)k->thread, (long long)k->got);
}

/* Evaluates the thread map (docs/layouts.md; the default map when absent)
   at every tile element into x->chunks. */
static bool evalMap(TlIm2Col *x) {
  MlirAffineMap map;
  if (!readThreadMap(x, &map))
    return false;
  int64_t tile[2] = {x->BM, x->BK};
  if (mlirAffineMapIsNull(map))
    map = tlMapDefault(mlirOperationGetContext(x->op), tile, 2, x->v, x->T);
  TlMapEval m;
  TlMapChunks k = {0};
  TlMapStatus s = tlMapEvaluate(map, tile, 2, x->T, &m);
  if (s != TL_MAP_OK) {
    elementError(x, &m);
  } else {
    s = tlMapReduce(&m, x->v, x->BK, TL_IM2COL_MAX_MAP_SLOTS, false, &k);
    x->chunks = k.chunks;
    x->nChunks = k.nChunks;
    if (s != TL_MAP_OK)
      chunkError(x, s, &m, &k);
  }
  tlMapEvalFree(&m);
  return s == TL_MAP_OK;
}

bool tlIm2ColReadSimt(TlIm2Col *x) { return readVectorWidth(x) && evalMap(x); }
