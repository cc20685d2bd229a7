/* The SIMT lowering of tl.c2d_im2col (inst = "simt"; docs/im2col.md, "The
 * lowering"): per thread vector loads from the image and stores into the
 * col tile, following the thread map evaluated by copy/Im2ColPlan.c.
 *
 * The tile element (i, j) is img[n, h, w, c] with h = oh*SH + kh*DH - PH,
 * w = ow*SW + kw*DW - PW when 0 <= h < H and 0 <= w < W, else 0, and 0 for
 * m >= N*OH*OW or k >= KH*KW*C (copy/Im2Col.h names m and k): a GEMM reads
 * the whole tile, and what shared memory held there may be NaN. A tile
 * that starts outside the column matrix is not written (as on the TMA
 * path). A swizzled col buffer (a wgmma operand) is written through its
 * swizzle, each piece (at most 16 bytes, aligned) inside one 16-byte unit.
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
#include "Inst.h"
#include "Lower.h"
#include "Support.h"
#include "Target.h"
#include "tl-c/Ops.h"

#define MAX_UNROLLED_CHUNKS 64

//===----------------------------------------------------------------------===//
// Values shared by the chunks
//===----------------------------------------------------------------------===//

static MlirValue imgDim(TlBuild *b, TlIm2Col *x, int d) {
  if (!mlirShapedTypeIsDynamicSize(x->imgDim[d]))
    return tlCst(b, x->imgDim[d]);
  MlirValue ops[2] = {x->img, tlCst(b, d)};
  return tlOp(b, b->at, "memref.dim", 2, ops, b->index, 0, NULL);
}

/* OH = (H + 2P - D(K-1) - 1)/S + 1, or 0 when the numerator is negative
   (only possible for a dynamic size: tl-verify rejects static ones). */
static MlirValue outSize(TlBuild *b, MlirValue in, int64_t K, int64_t S,
                         int64_t P, int64_t D) {
  int64_t off = 2 * P - D * (K - 1) - 1, n;
  if (tlIsConst(in, &n)) {
    n += off;
    return tlCst(b, n < 0 ? 0 : n / S + 1);
  }
  MlirValue num = tlAddV(b, b->at, in, tlCst(b, off));
  MlirValue ok = tlCmp(b, b->at, TlCmpSge, num, tlCst(b, 0));
  MlirValue out =
      tlAddV(b, b->at, tlDivV(b, b->at, num, tlCst(b, S)), tlCst(b, 1));
  MlirValue ops[3] = {ok, out, tlCst(b, 0)};
  return tlOp(b, b->at, "arith.select", 3, ops, b->index, 0, NULL);
}

static int findB(const TlIm2ColCommon *cm, int64_t bv) {
  for (int i = 0; i < cm->nB; ++i)
    if (cm->bKey[i] == bv)
      return i;
  return -1;
}

static MlirValue zeroOf(TlBuild *b, MlirType elt, MlirType type) {
  MlirAttribute z = mlirTypeIsAFloat(elt)
                        ? mlirFloatAttrDoubleGet(b->ctx, elt, 0.0)
                        : mlirIntegerAttrGet(elt, 0);
  if (!mlirTypeEqual(elt, type))
    z = mlirDenseElementsAttrSplatGet(type, z);
  MlirNamedAttribute na = tlNamed(b->ctx, "value", z);
  return tlOp(b, b->at, "arith.constant", 0, NULL, type, 1, &na);
}

/* A swizzled col buffer's flat (rank-1) view, built before the op; its
   static identity layout was checked when the swizzle was decided
   (copy/Swizzle.c), and is checked again here. */
static bool buildSwizzledView(TlBuild *b, TlIm2Col *x, TlIm2ColCommon *cm) {
  cm->swz = tlWorkgroupSwizzle(x->colBuf);
  if (cm->swz <= 0) {
    cm->swz = 0;
    return true;
  }
  MlirType t = mlirValueGetType(x->colBuf);
  if (!tlStaticRowMajor(t, cm->colStride) || x->eltBits < 8 ||
      x->eltBits % 8 != 0) {
    tlOpError(x->op,
              "writes a col buffer swizzled by %lld bytes, which needs a "
              "static shape, the identity layout and a whole-byte element",
              (long long)cm->swz);
    return false;
  }
  cm->flat = tlFlatView(b, b->at, x->colBuf);
  return true;
}

static void buildCommon(TlBuild *b, TlIm2Col *x, TlIm2ColCommon *cm) {
  const TlIm2ColParams *p = &x->p;
  int64_t xyz[3];
  tlIm2ColBlock(x, xyz);
  cm->tid = tlLinearThreadId(b, b->at, xyz);
  cm->N = imgDim(b, x, 0);
  cm->H = imgDim(b, x, 1);
  cm->W = imgDim(b, x, 2);
  cm->C = imgDim(b, x, 3);
  cm->OH = outSize(b, cm->H, p->kernel.h, p->stride.h, p->pad.h, p->dilation.h);
  cm->OW = outSize(b, cm->W, p->kernel.w, p->stride.w, p->pad.w, p->dilation.w);
  cm->M = tlMulV(b, b->at, tlMulV(b, b->at, cm->N, cm->OH), cm->OW);
  cm->K = tlMulV(b, b->at, tlCst(b, p->kernel.h * p->kernel.w), cm->C);
  cm->nhwBase = tlMulV(b, b->at, tlIm2ColOpGetNHWStep(x->op), tlCst(b, x->BM));
  cm->cBase = tlMulV(b, b->at, tlIm2ColOpGetCStep(x->op), tlCst(b, x->BK));
  if (x->colRegion.ptr) {
    cm->colRow = tlIm2ColTileIndex(x, 0);
    cm->colCol = tlIm2ColTileIndex(x, 1);
  } else {
    cm->colRow = cm->colCol = tlCst(b, 0);
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
  cm->tileOk = tlAndi(b, b->at, tlCmp(b, b->at, TlCmpUlt, cm->nhwBase, cm->M),
                      tlCmp(b, b->at, TlCmpUlt, cm->cBase, cm->K));
}

/* b*tid, (b*tid)/BK, (b*tid)%BK for every b of the chunks, before any
   chunk is emitted (so that they dominate the loops). */
static bool buildThreadStrides(TlBuild *b, TlIm2Col *x, TlIm2ColCommon *cm) {
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
    cm->bt[i] = tlMulV(b, b->at, cm->tid, tlCst(b, ch->b));
    /* A negative stride (threads walking the tile backwards) takes the
       general path of tileCoords. */
    if (ch->b >= 0) {
      cm->bq[i] = tlDivV(b, b->at, cm->bt[i], tlCst(b, x->BK));
      cm->br[i] = tlRemV(b, b->at, cm->bt[i], tlCst(b, x->BK));
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
static TlIm2ColPixel decompose(TlBuild *b, TlIm2Col *x, TlIm2ColCommon *cm,
                               MlirValue m, MlirValue k) {
  const TlIm2ColParams *p = &x->p;
  TlIm2ColPixel px;
  MlirValue ow = tlRemV(b, b->at, m, cm->OW);
  MlirValue nOh = tlDivV(b, b->at, m, cm->OW);
  MlirValue oh = tlRemV(b, b->at, nOh, cm->OH);
  px.n = tlDivV(b, b->at, nOh, cm->OH);
  px.c = tlRemV(b, b->at, k, cm->C);
  MlirValue khKw = tlDivV(b, b->at, k, cm->C);
  MlirValue kw = tlRemV(b, b->at, khKw, tlCst(b, p->kernel.w));
  MlirValue kh = tlDivV(b, b->at, khKw, tlCst(b, p->kernel.w));
  /* h and w may be negative: compared unsigned against H and W, a
     negative value (a huge unsigned one) is outside as well. */
  px.h = tlSubV(b, b->at,
                tlAddV(b, b->at, tlMulV(b, b->at, oh, tlCst(b, p->stride.h)),
                       tlMulV(b, b->at, kh, tlCst(b, p->dilation.h))),
                tlCst(b, p->pad.h));
  px.w = tlSubV(b, b->at,
                tlAddV(b, b->at, tlMulV(b, b->at, ow, tlCst(b, p->stride.w)),
                       tlMulV(b, b->at, kw, tlCst(b, p->dilation.w))),
                tlCst(b, p->pad.w));
  /* Without padding 0 <= h <= (OH-1)*S + (K-1)*D <= H - 1 by the OH
     formula: no check. */
  px.inside = (MlirValue){NULL};
  if (p->pad.h > 0)
    px.inside = tlCmp(b, b->at, TlCmpUlt, px.h, cm->H);
  if (p->pad.w > 0)
    px.inside =
        tlAndi(b, b->at, px.inside, tlCmp(b, b->at, TlCmpUlt, px.w, cm->W));
  return px;
}

/* Copies one chunk whose flat tile index is known as (i, j), at b->at.
   `threadOk` (may be null) guards threads that do not hold the chunk. */
static void emitChunk(TlBuild *b, TlIm2Col *x, TlIm2ColCommon *cm, MlirValue i,
                      MlirValue j, MlirValue threadOk) {
  MlirValue m = tlAddV(b, b->at, cm->nhwBase, i);
  MlirValue k = tlAddV(b, b->at, cm->cBase, j);
  /* With constant OW, OH and C (never 0) the decomposition goes before the
     guard, where CSE shares it between chunks; a run-time divisor may be 0
     (then N*OH*OW or KH*KW*C is 0 and the guard fails), so the division
     stays under the guard. */
  int64_t ow, oh, ch;
  bool early = tlIsConst(cm->OW, &ow) && ow > 0 && tlIsConst(cm->OH, &oh) &&
               oh > 0 && tlIsConst(cm->C, &ch) && ch > 0;
  TlIm2ColPixel px;
  if (early)
    px = decompose(b, x, cm, m, k);

  /* Threads that hold the chunk write it when the tile starts inside the
     column matrix; positions outside the image or the matrix get 0. */
  MlirOperation thenYield;
  tlIf(b, b->at, tlAndi(b, b->at, threadOk, cm->tileOk), 0, NULL, &thenYield,
       NULL);
  MlirOperation saved = b->at;
  b->at = thenYield;
  if (!early)
    px = decompose(b, x, cm, m, k);
  MlirValue n = px.n, h = px.h, w = px.w, c = px.c;
  MlirValue inside =
      tlAndi(b, b->at, px.inside,
             tlAndi(b, b->at, tlCmp(b, b->at, TlCmpUlt, m, cm->M),
                    tlCmp(b, b->at, TlCmpUlt, k, cm->K)));

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
        tlIf(b, b->at, inside, cm->nPieces, types, &thenY, &elseYield);
    for (int64_t s = 0; s < cm->nPieces; ++s)
      vals[s] = mlirOperationGetResult(ifOp, s);
    loadAt = thenY;
  }
  MlirValue loaded[TL_IM2COL_MAX_PIECES];
  MlirOperation outer = b->at;
  b->at = loadAt;
  for (int64_t s = 0; s < cm->nPieces; ++s) {
    MlirValue ops[5] = {x->img, n, h, w,
                        tlAddV(b, b->at, c, tlCst(b, s * cm->pieceWidth))};
    loaded[s] = tlOp(b, b->at, vec ? "vector.load" : "memref.load", 5, ops,
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
  /* A stage of a multi-buffered tile: its stage indices (extent 1, maybe
     dynamic) come first; memref's lowering adds index x stride for each. */
  MlirValue idx[TL_IM2COL_MAX_COL_RANK];
  intptr_t nStage = x->colRank - 2;
  for (intptr_t d = 0; d < nStage; ++d)
    idx[d] = tlRegionOpGetIndex(x->colRegion, d);
  idx[nStage] = tlAddV(b, b->at, cm->colRow, i);
  for (int64_t s = 0; s < cm->nPieces; ++s) {
    idx[nStage + 1] =
        tlAddV(b, b->at, cm->colCol,
               tlAddV(b, b->at, j, tlCst(b, s * cm->pieceWidth)));
    MlirValue ops[TL_IM2COL_MAX_COL_RANK + 2] = {vals[s], x->colBuf};
    intptr_t nOps = 2 + x->colRank;
    if (cm->swz) {
      ops[1] = cm->flat;
      ops[2] = tlSwizzledIndex(b, b->at, idx, cm->colStride, x->colRank,
                               x->eltBits / 8, cm->swz);
      nOps = 3;
    } else {
      memcpy(ops + 2, idx, sizeof(MlirValue) * (size_t)x->colRank);
    }
    tlOp(b, b->at, vec ? "vector.store" : "memref.store", nOps, ops,
         (MlirType){NULL}, vec ? 1 : 0, &align);
  }
  b->at = saved;
}

/* (i, j) of flat index A + bv*tid where A = a0 + da*iv (iv null: A = a0). */
static bool tileCoords(TlBuild *b, TlIm2Col *x, TlIm2ColCommon *cm, int64_t a0,
                       int64_t da, MlirValue iv, int64_t bv, MlirValue *i,
                       MlirValue *j) {
  int bi = findB(cm, bv);
  if (bi < 0)
    abort(); /* buildThreadStrides covered every chunk */
  int64_t BK = x->BK;
  if (bv >= 0 && a0 % BK == 0 && da % BK == 0) {
    /* The thread's part splits off: i = A/BK + (b*t)/BK, j = (b*t)%BK
       (A is a multiple of BK, b*t >= 0). */
    MlirValue base = tlCst(b, a0 / BK);
    if (!mlirValueIsNull(iv))
      base = tlAddV(b, b->at, base, tlMulV(b, b->at, iv, tlCst(b, da / BK)));
    *i = tlAddV(b, b->at, base, cm->bq[bi]);
    *j = cm->br[bi];
    return true;
  }
  /* f = A + b*t is a tile index, so >= 0 even when b or da is negative. */
  MlirValue f = tlCst(b, a0);
  if (!mlirValueIsNull(iv))
    f = tlAddV(b, b->at, f, tlMulV(b, b->at, iv, tlCst(b, da)));
  f = tlAddV(b, b->at, f, cm->bt[bi]);
  *i = tlDivV(b, b->at, f, tlCst(b, BK));
  *j = tlRemV(b, b->at, f, tlCst(b, BK));
  return true;
}

static MlirValue threadGuard(TlBuild *b, TlIm2Col *x, TlIm2ColCommon *cm,
                             int64_t n) {
  if (n >= x->T)
    return (MlirValue){NULL};
  return tlCmp(b, b->at, TlCmpUlt, cm->tid, tlCst(b, n));
}

static bool emitChunks(TlBuild *b, TlIm2Col *x, TlIm2ColCommon *cm) {
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
      MlirValue iv = tlFor(b, b->at, len, &yield);
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
void tlIm2ColEnsureColAlignment(TlBuild *b, TlIm2Col *x, int64_t bytes) {
  if (bytes <= 1 || !mlirValueIsABlockArgument(x->colBuf))
    return;
  MlirBlock blk = mlirBlockArgumentGetOwner(x->colBuf);
  MlirOperation f = mlirBlockGetParentOperation(blk);
  if (mlirOperationIsNull(f) || !tlOpIsNamed(f, "gpu.func") ||
      !mlirBlockEqual(blk,
                      mlirRegionGetFirstBlock(mlirOperationGetRegion(f, 0))))
    return;
  MlirAttribute ft = tlGetAttr(f, "function_type");
  MlirAttribute nwa = tlGetAttr(f, "workgroup_attributions");
  if (mlirAttributeIsNull(ft) || !mlirAttributeIsAType(ft) ||
      mlirAttributeIsNull(nwa) || !mlirAttributeIsAInteger(nwa))
    return;
  intptr_t nIn = mlirFunctionTypeGetNumInputs(mlirTypeAttrGetValue(ft));
  intptr_t nWg = (intptr_t)mlirIntegerAttrGetValueInt(nwa);
  intptr_t idx = mlirBlockArgumentGetArgNumber(x->colBuf) - nIn;
  if (idx < 0 || idx >= nWg)
    return;
  MlirAttribute old = tlGetAttr(f, "workgroup_attrib_attrs");
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

/* Thread strides whose chunks took the general path may be left unused
   (the builder erases its own unused constants). */
static void eraseUnused(const TlIm2ColCommon *cm) {
  for (int i = 0; i < cm->nB; ++i) {
    MlirValue vs[3] = {cm->bq[i], cm->br[i], cm->bt[i]};
    for (int k = 0; k < 3; ++k) {
      /* Folds may have made them the same value (BK == 1), the thread id
         (b == 1) or a constant: those are left alone. */
      bool skip = mlirValueIsNull(vs[k]) || vs[k].ptr == cm->tid.ptr;
      for (int e = 0; e < k && !skip; ++e)
        skip = vs[e].ptr == vs[k].ptr; /* possibly erased already */
      if (!skip && mlirValueIsAOpResult(vs[k]) &&
          !tlIsConst(vs[k], &(int64_t){0}))
        tlEraseIfUnused(mlirOpResultGetOwner(vs[k]));
    }
  }
}

bool tlSimtIm2ColRead(struct TlLower *c) { return tlIm2ColReadSimt(c->im2col); }

void tlSimtIm2ColEmit(TlEmitter *e, TlLower *c) {
  TlIm2Col *x = c->im2col;
  TlBuild *b = &e->b;
  TlIm2ColCommon cm;
  memset(&cm, 0, sizeof cm);
  buildCommon(b, x, &cm);
  if (!buildSwizzledView(b, x, &cm)) {
    e->failed = true;
    return;
  }
  if (x->v > 1)
    tlIm2ColEnsureColAlignment(b, x, cm.alignment);
  e->failed |= !(buildThreadStrides(b, x, &cm) && emitChunks(b, x, &cm));
  eraseUnused(&cm);
}

/* The wait of a SIMT tl.c2d_im2col_async: the tile was written where the
   op was issued, by every thread; the wait hands it over to the block and,
   on sm_90+, to the async proxy (a wgmma reads it through a descriptor):
   fence.proxy.async, then a barrier. sm_80 has no async proxy. */
void tlSimtIm2ColHandOff(TlEmitter *e, MlirOperation wait) {
  if (tlLowestTarget(wait, "sm_80").sm >= 90)
    tlAsyncProxyFenceAndBarrier(e, wait);
  else
    tlMk(&e->b, wait, "gpu.barrier", 0, NULL, 0, NULL, 0, NULL);
}
