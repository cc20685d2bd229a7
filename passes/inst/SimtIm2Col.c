/* The SIMT lowering of tl.c2d_im2col (inst = "simt"; docs/im2col.md, "The
 * lowering"): per thread vector loads from the image and stores into the
 * col tile, following the thread map evaluated by copy/Im2ColPlan.c.
 *
 * The tile element (i, j) is img[n, h, w, c] with h = oh*SH + kh*DH - PH,
 * w = ow*SW + kw*DW - PW when 0 <= h < H and 0 <= w < W, else 0; nothing is
 * written for m >= N*OH*OW or k >= KH*KW*C (copy/Im2Col.h names m and k).
 * Each chunk of the thread map is one vector access per side (split into
 * 16-byte pieces when wider), with an explicit `alignment`. At most 64
 * chunks per thread are unrolled; beyond, runs of chunks whose a_c is an
 * arithmetic progression (same b_c, n_c) become an scf.for. */
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "Diag.h"
#include "Fold.h"
#include "IRBuild.h"
#include "Im2Col.h"
#include "Support.h"
#include "tl-c/Ops.h"

#define MAX_UNROLLED_CHUNKS 64

static MlirAttribute attrOf(MlirOperation op, const char *name) {
  return mlirOperationGetAttributeByName(op,
                                         mlirStringRefCreateFromCString(name));
}

//===----------------------------------------------------------------------===//
// Values shared by the chunks
//===----------------------------------------------------------------------===//

static MlirValue imgDim(TlFold *b, TlIm2Col *x, int d) {
  if (!mlirShapedTypeIsDynamicSize(x->imgDim[d]))
    return tlFoldCst(b, x->imgDim[d]);
  MlirValue ops[2] = {x->img, tlFoldCst(b, d)};
  return tlFoldOp(b, "memref.dim", 2, ops, b->index, 0, NULL);
}

/* OH = (H + 2P - D(K-1) - 1)/S + 1, or 0 when the numerator is negative
   (only possible for a dynamic size: tl-verify rejects static ones). */
static MlirValue outSize(TlFold *b, MlirValue in, int64_t K, int64_t S,
                         int64_t P, int64_t D) {
  int64_t off = 2 * P - D * (K - 1) - 1, n;
  if (tlFoldIsConst(in, &n)) {
    n += off;
    return tlFoldCst(b, n < 0 ? 0 : n / S + 1);
  }
  MlirValue num = tlFoldAdd(b, in, tlFoldCst(b, off));
  MlirValue ok = tlFoldCmp(b, TlCmpSge, num, tlFoldCst(b, 0));
  MlirValue out =
      tlFoldAdd(b, tlFoldDivu(b, num, tlFoldCst(b, S)), tlFoldCst(b, 1));
  MlirValue ops[3] = {ok, out, tlFoldCst(b, 0)};
  return tlFoldOp(b, "arith.select", 3, ops, b->index, 0, NULL);
}

static int findB(const TlIm2ColCommon *cm, int64_t bv) {
  for (int i = 0; i < cm->nB; ++i)
    if (cm->bKey[i] == bv)
      return i;
  return -1;
}

static MlirValue zeroOf(TlFold *b, MlirType elt, MlirType type) {
  MlirAttribute z = mlirTypeIsAFloat(elt)
                        ? mlirFloatAttrDoubleGet(b->ctx, elt, 0.0)
                        : mlirIntegerAttrGet(elt, 0);
  if (!mlirTypeEqual(elt, type))
    z = mlirDenseElementsAttrSplatGet(type, z);
  MlirNamedAttribute na = tlNamed(b->ctx, "value", z);
  return tlFoldOp(b, "arith.constant", 0, NULL, type, 1, &na);
}

static void buildCommon(TlFold *b, TlIm2Col *x, TlIm2ColCommon *cm) {
  const TlIm2ColParams *p = &x->p;
  cm->tid = tlFoldLinearThreadId(b, x->dimX, x->dimY, x->T);
  cm->N = imgDim(b, x, 0);
  cm->H = imgDim(b, x, 1);
  cm->W = imgDim(b, x, 2);
  cm->C = imgDim(b, x, 3);
  cm->OH = outSize(b, cm->H, p->kernel.h, p->stride.h, p->pad.h, p->dilation.h);
  cm->OW = outSize(b, cm->W, p->kernel.w, p->stride.w, p->pad.w, p->dilation.w);
  cm->M = tlFoldMul(b, tlFoldMul(b, cm->N, cm->OH), cm->OW);
  cm->K = tlFoldMul(b, tlFoldCst(b, p->kernel.h * p->kernel.w), cm->C);
  cm->nhwBase = tlFoldMul(b, tlIm2ColOpGetNHWStep(x->op), tlFoldCst(b, x->BM));
  cm->cBase = tlFoldMul(b, tlIm2ColOpGetCStep(x->op), tlFoldCst(b, x->BK));
  if (x->colRegion.ptr) {
    cm->colRow = tlRegionOpGetIndex(x->colRegion, 0);
    cm->colCol = tlRegionOpGetIndex(x->colRegion, 1);
  } else {
    cm->colRow = cm->colCol = tlFoldCst(b, 0);
  }
  /* Accesses wider than 16 bytes are split into 16-byte pieces. */
  int64_t w = x->v;
  if (w > 1 && w * (x->eltBits / 8) > 16)
    w = 16 / (x->eltBits / 8);
  cm->pieceWidth = w;
  /* readVectorWidth bounds v / w by TL_IM2COL_MAX_PIECES. */
  cm->nPieces = x->v / w;
  cm->alignment = w * (x->eltBits / 8);
  cm->pieceType = x->v == 1 ? x->elt : mlirVectorTypeGet(1, &w, x->elt);
  cm->zero = zeroOf(b, x->elt, cm->pieceType);
  cm->nB = 0;
}

/* b*tid, (b*tid)/BK, (b*tid)%BK for every b of the chunks, before any
   chunk is emitted (so that they dominate the loops). */
static bool buildThreadStrides(TlFold *b, TlIm2Col *x, TlIm2ColCommon *cm) {
  for (int64_t c = 0; c < x->nChunks; ++c) {
    const TlIm2ColChunk *ch = &x->chunks[c];
    if (ch->n == 0)
      continue;
    int i = 0;
    while (i < cm->nB && cm->bKey[i] != ch->b)
      ++i;
    if (i < cm->nB)
      continue;
    if (cm->nB == 64) {
      tlOpError(x->op, "thread_map has more than 64 distinct thread strides");
      return false;
    }
    cm->bKey[i] = ch->b;
    cm->bt[i] = tlFoldMul(b, cm->tid, tlFoldCst(b, ch->b));
    /* A negative stride (threads walking the tile backwards) takes the
       general path of tileCoords. */
    if (ch->b >= 0) {
      cm->bq[i] = tlFoldDivu(b, cm->bt[i], tlFoldCst(b, x->BK));
      cm->br[i] = tlFoldRemu(b, cm->bt[i], tlFoldCst(b, x->BK));
    }
    ++cm->nB;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// One chunk
//===----------------------------------------------------------------------===//

/* The image coordinates of tile row m and column k: m -> (n, oh, ow),
   k -> (kh, kw, c) with c fastest, h = oh*SH + kh*DH - PH, w = ow*SW +
   kw*DW - PW; `inside` (null: always) says 0 <= h < H and 0 <= w < W. */
static TlIm2ColPixel decompose(TlFold *b, TlIm2Col *x, TlIm2ColCommon *cm,
                               MlirValue m, MlirValue k) {
  const TlIm2ColParams *p = &x->p;
  TlIm2ColPixel px;
  MlirValue ow = tlFoldRemu(b, m, cm->OW);
  MlirValue nOh = tlFoldDivu(b, m, cm->OW);
  MlirValue oh = tlFoldRemu(b, nOh, cm->OH);
  px.n = tlFoldDivu(b, nOh, cm->OH);
  px.c = tlFoldRemu(b, k, cm->C);
  MlirValue khKw = tlFoldDivu(b, k, cm->C);
  MlirValue kw = tlFoldRemu(b, khKw, tlFoldCst(b, p->kernel.w));
  MlirValue kh = tlFoldDivu(b, khKw, tlFoldCst(b, p->kernel.w));
  /* h and w may be negative: compared unsigned against H and W, a
     negative value (a huge unsigned one) is outside as well. */
  px.h = tlFoldSub(b,
                   tlFoldAdd(b, tlFoldMul(b, oh, tlFoldCst(b, p->stride.h)),
                             tlFoldMul(b, kh, tlFoldCst(b, p->dilation.h))),
                   tlFoldCst(b, p->pad.h));
  px.w = tlFoldSub(b,
                   tlFoldAdd(b, tlFoldMul(b, ow, tlFoldCst(b, p->stride.w)),
                             tlFoldMul(b, kw, tlFoldCst(b, p->dilation.w))),
                   tlFoldCst(b, p->pad.w));
  /* Without padding 0 <= h <= (OH-1)*S + (K-1)*D <= H - 1 by the OH
     formula: no check. */
  px.inside = (MlirValue){NULL};
  if (p->pad.h > 0)
    px.inside = tlFoldCmp(b, TlCmpUlt, px.h, cm->H);
  if (p->pad.w > 0)
    px.inside = tlFoldAndi(b, px.inside, tlFoldCmp(b, TlCmpUlt, px.w, cm->W));
  return px;
}

/* Copies one chunk whose flat tile index is known as (i, j), at b->at.
   `threadOk` (may be null) guards threads that do not hold the chunk. */
static void emitChunk(TlFold *b, TlIm2Col *x, TlIm2ColCommon *cm, MlirValue i,
                      MlirValue j, MlirValue threadOk) {
  MlirValue m = tlFoldAdd(b, cm->nhwBase, i);
  MlirValue k = tlFoldAdd(b, cm->cBase, j);
  /* With constant OW, OH and C (never 0) the decomposition goes before the
     guard, where CSE shares it between chunks; a run-time divisor may be 0
     (then N*OH*OW or KH*KW*C is 0 and the guard fails), so the division
     stays under the guard. */
  int64_t ow, oh, ch;
  bool early = tlFoldIsConst(cm->OW, &ow) && ow > 0 &&
               tlFoldIsConst(cm->OH, &oh) && oh > 0 &&
               tlFoldIsConst(cm->C, &ch) && ch > 0;
  TlIm2ColPixel px;
  if (early)
    px = decompose(b, x, cm, m, k);

  /* No write for rows m >= N*OH*OW, columns k >= KH*KW*C, or threads that
     do not hold the chunk. */
  MlirValue ok = tlFoldAndi(b, threadOk, tlFoldCmp(b, TlCmpUlt, m, cm->M));
  ok = tlFoldAndi(b, ok, tlFoldCmp(b, TlCmpUlt, k, cm->K));
  MlirOperation thenYield;
  tlFoldIf(b, ok, 0, NULL, &thenYield, NULL);
  MlirOperation saved = b->at;
  b->at = thenYield;
  if (!early)
    px = decompose(b, x, cm, m, k);
  MlirValue n = px.n, h = px.h, w = px.w, c = px.c, inside = px.inside;

  bool vec = x->v > 1;
  MlirNamedAttribute align = tlNamed(
      b->ctx, "alignment",
      mlirIntegerAttrGet(mlirIntegerTypeGet(b->ctx, 64), cm->alignment));
  MlirValue vals[TL_IM2COL_MAX_PIECES];
  MlirType types[TL_IM2COL_MAX_PIECES];
  MlirOperation loadAt = b->at, elseYield = {NULL};
  if (!mlirValueIsNull(inside)) {
    for (int64_t s = 0; s < cm->nPieces; ++s)
      types[s] = cm->pieceType;
    MlirOperation thenY;
    MlirOperation ifOp =
        tlFoldIf(b, inside, cm->nPieces, types, &thenY, &elseYield);
    for (int64_t s = 0; s < cm->nPieces; ++s)
      vals[s] = mlirOperationGetResult(ifOp, s);
    loadAt = thenY;
  }
  MlirValue loaded[TL_IM2COL_MAX_PIECES];
  MlirOperation outer = b->at;
  b->at = loadAt;
  for (int64_t s = 0; s < cm->nPieces; ++s) {
    MlirValue ops[5] = {x->img, n, h, w,
                        tlFoldAdd(b, c, tlFoldCst(b, s * cm->pieceWidth))};
    loaded[s] = tlFoldOp(b, vec ? "vector.load" : "memref.load", 5, ops,
                         cm->pieceType, vec ? 1 : 0, &align);
  }
  if (!mlirValueIsNull(inside)) {
    MlirValue zeros[TL_IM2COL_MAX_PIECES];
    for (int64_t s = 0; s < cm->nPieces; ++s)
      zeros[s] = cm->zero;
    mlirOperationSetOperands(loadAt, cm->nPieces, loaded);
    mlirOperationSetOperands(elseYield, cm->nPieces, zeros);
  } else {
    for (int64_t s = 0; s < cm->nPieces; ++s)
      vals[s] = loaded[s];
  }
  b->at = outer;
  MlirValue row = tlFoldAdd(b, cm->colRow, i);
  for (int64_t s = 0; s < cm->nPieces; ++s) {
    MlirValue col = tlFoldAdd(
        b, cm->colCol, tlFoldAdd(b, j, tlFoldCst(b, s * cm->pieceWidth)));
    MlirValue ops[4] = {vals[s], x->colBuf, row, col};
    tlFoldOp(b, vec ? "vector.store" : "memref.store", 4, ops, (MlirType){NULL},
             vec ? 1 : 0, &align);
  }
  b->at = saved;
}

/* (i, j) of flat index A + bv*tid where A = a0 + da*iv (iv null: A = a0). */
static bool tileCoords(TlFold *b, TlIm2Col *x, TlIm2ColCommon *cm, int64_t a0,
                       int64_t da, MlirValue iv, int64_t bv, MlirValue *i,
                       MlirValue *j) {
  int bi = findB(cm, bv);
  if (bi < 0)
    abort(); /* buildThreadStrides covered every chunk */
  int64_t BK = x->BK;
  if (bv >= 0 && a0 % BK == 0 && da % BK == 0) {
    /* The thread's part splits off: i = A/BK + (b*t)/BK, j = (b*t)%BK
       (A is a multiple of BK, b*t >= 0). */
    MlirValue base = tlFoldCst(b, a0 / BK);
    if (!mlirValueIsNull(iv))
      base = tlFoldAdd(b, base, tlFoldMul(b, iv, tlFoldCst(b, da / BK)));
    *i = tlFoldAdd(b, base, cm->bq[bi]);
    *j = cm->br[bi];
    return true;
  }
  /* f = A + b*t is a tile index, so >= 0 even when b or da is negative. */
  MlirValue f = tlFoldCst(b, a0);
  if (!mlirValueIsNull(iv))
    f = tlFoldAdd(b, f, tlFoldMul(b, iv, tlFoldCst(b, da)));
  f = tlFoldAdd(b, f, cm->bt[bi]);
  *i = tlFoldDivu(b, f, tlFoldCst(b, BK));
  *j = tlFoldRemu(b, f, tlFoldCst(b, BK));
  return true;
}

static MlirValue threadGuard(TlFold *b, TlIm2Col *x, TlIm2ColCommon *cm,
                             int64_t n) {
  if (n >= x->T)
    return (MlirValue){NULL};
  return tlFoldCmp(b, TlCmpUlt, cm->tid, tlFoldCst(b, n));
}

static bool emitChunks(TlFold *b, TlIm2Col *x, TlIm2ColCommon *cm) {
  int64_t used = 0;
  for (int64_t c = 0; c < x->nChunks; ++c)
    used += x->chunks[c].n > 0;
  for (int64_t c = 0; c < x->nChunks;) {
    const TlIm2ColChunk *ch = &x->chunks[c];
    if (ch->n == 0) {
      ++c;
      continue;
    }
    /* A run: chunks with the same b and n and a in arithmetic progression
       (only formed when the chunks are not all unrolled). */
    int64_t len = 1, da = 0;
    if (used > MAX_UNROLLED_CHUNKS) {
      while (c + len < x->nChunks) {
        const TlIm2ColChunk *nx = &x->chunks[c + len];
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
      MlirValue iv = tlFoldFor(b, len, &yield);
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
// The col buffer's alignment (both lowerings)
//===----------------------------------------------------------------------===//

/* The vector stores into col need its buffer aligned to `bytes`: when col
   is a workgroup attribution of the gpu.func, make sure its llvm.align is
   at least that (tl-infer-layouts sets it; this only ever raises it). Other
   shared buffers (dynamic shared memory views) are trusted. */
void tlIm2ColEnsureColAlignment(TlFold *b, TlIm2Col *x, int64_t bytes) {
  if (bytes <= 1 || !mlirValueIsABlockArgument(x->colBuf))
    return;
  MlirBlock blk = mlirBlockArgumentGetOwner(x->colBuf);
  MlirOperation f = mlirBlockGetParentOperation(blk);
  if (mlirOperationIsNull(f) || !tlOpIsNamed(f, "gpu.func") ||
      !mlirBlockEqual(blk,
                      mlirRegionGetFirstBlock(mlirOperationGetRegion(f, 0))))
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
        e[k++] =
            tlNamed(b->ctx, "llvm.align",
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

//===----------------------------------------------------------------------===//
// The lowering of one op
//===----------------------------------------------------------------------===//

/* Thread strides whose chunks took the general path, and intermediate
   constants of folded arithmetic, may be left unused. */
static void eraseUnused(TlFold *b, const TlIm2ColCommon *cm) {
  for (int i = 0; i < cm->nB; ++i) {
    MlirValue vs[3] = {cm->bq[i], cm->br[i], cm->bt[i]};
    for (int k = 0; k < 3; ++k) {
      /* Folds may have made them the same value (BK == 1), the thread id
         (b == 1) or a constant: those are left alone. */
      bool skip = mlirValueIsNull(vs[k]) || vs[k].ptr == cm->tid.ptr;
      for (int e = 0; e < k && !skip; ++e)
        skip = vs[e].ptr == vs[k].ptr; /* possibly erased already */
      if (!skip && mlirValueIsAOpResult(vs[k]) &&
          !tlFoldIsConst(vs[k], &(int64_t){0}))
        tlEraseIfUnused(mlirOpResultGetOwner(vs[k]));
    }
  }
  tlFoldEraseUnusedConsts(b);
}

bool tlSimtIm2ColEmit(TlIm2Col *x) {
  TlFold b;
  tlFoldInit(&b, x->op, x->loc);
  TlIm2ColCommon cm;
  memset(&cm, 0, sizeof cm);
  buildCommon(&b, x, &cm);
  if (x->v > 1)
    tlIm2ColEnsureColAlignment(&b, x, cm.alignment);
  bool ok = buildThreadStrides(&b, x, &cm) && emitChunks(&b, x, &cm);
  eraseUnused(&b, &cm);
  return ok;
}
