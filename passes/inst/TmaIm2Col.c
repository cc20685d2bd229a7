/* TMA im2col, tma_im2col (docs/im2col.md, "The TMA path"): the whole
 * (BM, BK) column tile of a tl.c2d_im2col with one cp.async.bulk.tensor
 * im2col load. The capability check and its descriptor (both halves), the
 * preference (tl-infer-layouts) and the row's im2col lowering
 * (tl-lower-im2col, copy/Contract.c).
 *
 * TMA im2col (sm_90+) loads the whole (BM, BK) col tile with one
 * cp.async.bulk.tensor.4d...im2col from a rank-4 CUtensorMap over the NHWC
 * image, dims innermost first (C, W, H, N): channelsPerPixel = BK,
 * pixelsPerColumn = BM, elementStrides {1, SW, SH, 1}, lower corner
 * {-PW, -PH}, upper corner {PW - (KW-1)*DW, PH - (KH-1)*DH} (corner arrays
 * are W first, as the driver wants them). Limits are those of
 * cuTensorMapEncodeIm2col and cp.async.bulk.tensor (CUDA driver API and PTX
 * ISA); anything outside them falls back to the SIMT path with a reason.
 *
 * Emission: `read` checks the tensor-map descriptor; `issue` takes the
 * function's mbarrier set (copy/Mbarrier.h, design.md §8.1), shared with
 * tl-lower-copy's TMA and bulk loads: found, or made and initialized at
 * the entry of the gpu.func. At the op, when the tile starts inside the
 * column matrix, thread 0 arms the barrier with the tile's bytes and
 * starts the load; `complete` is tma_load's tlWaitMbarrier (every thread
 * waits on the parity, then flips it), placed in the same guard: the split
 * phase of docs/design.md §8. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Dialect/LLVM.h>

#include "Diag.h"
#include "Fold.h"
#include "IRBuild.h"
#include "Im2Col.h"
#include "IndexRange.h"
#include "Inst.h"
#include "Lower.h"
#include "Select.h"
#include "Side.h"
#include "Support.h"
#include "Target.h"
#include "TensorMap.h"
#include "tl-c/Attributes.h"
#include "tl-c/Ops.h"

//===--------------------------------------------------------------------===//
// The capability and the descriptor (both halves)
//===--------------------------------------------------------------------===//

/* Rank-4 maps (2 spatial dims): corners are signed 8-bit (the driver's
   range for tensorRank 4 is [-128, 127]). The per-load im2col offsets are
   kept within [0, 127] as well (conservative: the offsets' field is at
   least as wide as the corners'). */
#define CORNER_MIN (-128)
#define CORNER_MAX 127
#define OFFSET_MAX 127
#define MAX_CHANNELS_PER_PIXEL 256
#define MAX_PIXELS_PER_COLUMN 1024
#define MAX_ELEMENT_STRIDE 8
/* mbarrier transaction counts are 20-bit. */
#define MAX_TX_BYTES ((1 << 20) - 1)
#define STRIDE_LIMIT ((int64_t)1 << 40)
/* cp.async.bulk.tensor: the shared-memory destination is 128-byte aligned. */
#define DST_ALIGN 128

static bool no(char *reason, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool no(char *reason, size_t cap, const char *fmt, ...) {
  if (reason && cap) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, cap, fmt, ap);
    va_end(ap);
  }
  return false;
}

static int64_t eltBytes(MlirType t) {
  if (mlirTypeIsAInteger(t))
    return mlirIntegerTypeGetWidth(t) / 8;
  if (mlirTypeIsAFloat(t))
    return mlirFloatTypeGetWidth(t) / 8;
  return 0;
}

/* What the checks learn about the op, for the descriptor. */
typedef struct Geometry {
  TlIm2ColParams p;
  MlirOperation func;
  int64_t arg, dataType, e;
  int64_t strides[4];
  int64_t N, H, W, C, BM, BK;
  /* the col buffer's swizzle (bytes, 0 none) and the alignment of a tile
     start it needs: 128, or the swizzle's repeat (128 << mode) */
  int64_t swizzle, align;
} Geometry;

/* The image: a static, contiguous NHWC kernel argument in global memory,
   strides multiples of 16 bytes below 2^40. */
static bool checkImage(MlirOperation op, Geometry *g, char *reason,
                       size_t cap) {
  MlirValue img = tlIm2ColOpGetImage(op);
  MlirType it = mlirValueGetType(img);
  if (!mlirTypeIsAMemRef(it) || mlirShapedTypeGetRank(it) != 4)
    return no(reason, cap, "the image is not a rank-4 (NHWC) memref");
  if (tlMemRefTypeGetScope(it) != TlScopeGlobal)
    return no(reason, cap, "the image is not in global memory");
  MlirOperation func = tlEnclosingOp(op, "gpu.func");
  int64_t arg = mlirOperationIsNull(func) ? -1 : tlFuncInputIndex(func, img);
  if (arg < 0)
    return no(reason, cap, "the image is not a memref argument of the kernel");
  if (!mlirShapedTypeHasStaticShape(it))
    return no(reason, cap, "the image shape is dynamic");
  MlirType elt = mlirShapedTypeGetElementType(it);
  int64_t dataType = tlTensorMapDataType(elt);
  int64_t e = eltBytes(elt);
  if (dataType < 0 || e <= 0) {
    TlStr s = {0};
    tlStrAppendType(&s, elt);
    no(reason, cap, "TMA cannot move %s elements", tlStrGet(&s));
    tlStrFree(&s);
    return false;
  }
  int64_t dim[4], strides[4], offset;
  for (int d = 0; d < 4; ++d)
    dim[d] = mlirShapedTypeGetDimSize(it, d);
  if (mlirLogicalResultIsFailure(
          mlirMemRefTypeGetStridesAndOffset(it, strides, &offset)))
    return no(reason, cap, "the image layout is not strided");
  for (int d = 0; d < 4; ++d)
    if (mlirShapedTypeIsDynamicStrideOrOffset(strides[d]))
      return no(reason, cap, "the image has dynamic strides");
  if (mlirShapedTypeIsDynamicStrideOrOffset(offset) || offset != 0)
    return no(reason, cap, "the image has a non-zero offset");
  if (strides[3] != 1)
    return no(reason, cap, "the image channels are not contiguous");
  for (int d = 0; d < 3; ++d)
    if ((strides[d] * e) % 16 != 0 || strides[d] * e >= STRIDE_LIMIT)
      return no(reason, cap,
                "image stride %lld bytes (dimension %d) is not a multiple "
                "of 16 below 2^40",
                (long long)(strides[d] * e), d);
  g->func = func;
  g->arg = arg;
  g->dataType = dataType;
  g->e = e;
  memcpy(g->strides, strides, sizeof strides);
  g->N = dim[0];
  g->H = dim[1];
  g->W = dim[2];
  g->C = dim[3];
  return true;
}

/* A workgroup attribution of `func` (its alignment can be raised to 128
   bytes). */
static bool isAttribution(MlirOperation func, MlirValue buf) {
  if (!mlirValueIsABlockArgument(buf) ||
      !mlirBlockEqual(mlirBlockArgumentGetOwner(buf),
                      mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0))))
    return false;
  MlirAttribute ft = tlGetAttr(func, "function_type");
  MlirAttribute nwa = tlGetAttr(func, "workgroup_attributions");
  intptr_t nIn = mlirFunctionTypeGetNumInputs(mlirTypeAttrGetValue(ft));
  intptr_t nWg = mlirAttributeIsNull(nwa) || !mlirAttributeIsAInteger(nwa)
                     ? 0
                     : (intptr_t)mlirIntegerAttrGetValueInt(nwa);
  intptr_t pos = mlirBlockArgumentGetArgNumber(buf) - nIn;
  return pos >= 0 && pos < nWg;
}

/* One stage of a multi-buffered col tile (rank > 2): the stage indices,
   dynamic or not, keep the destination 128-byte aligned
   (tlSideStageOffset: each dynamic one's stride is a multiple of 128
   bytes, the constant part of the start too). */
static bool checkStage(const TlCopySide *s, const int64_t *strides, int64_t e,
                       int64_t align, char *reason, size_t cap) {
  for (intptr_t d = 0; d + 2 < s->rank; ++d)
    if (s->ext[d] != 1)
      return no(reason, cap,
                "the col region is not one stage of its buffer (extent %lld "
                "in dimension %lld)",
                (long long)s->ext[d], (long long)d);
  int64_t off = 0;
  char why[256];
  if (!tlSideStageOffset(s, strides, e, align, &off, why, sizeof why))
    return no(reason, cap, "%s", why);
  if ((off * e) % align != 0)
    return no(reason, cap,
              "the col region starts at byte %lld of its buffer, not a "
              "multiple of %lld",
              (long long)(off * e), (long long)align);
  return true;
}

/* The col tile: BM x BK contiguous rows of a workgroup attribution,
   128-byte aligned; a region of a rank-2 buffer, or one stage of a
   multi-buffered tile (rank > 2, (BM, BK) the last two dimensions). */
static bool checkColumn(MlirOperation op, Geometry *g, char *reason,
                        size_t cap) {
  MlirValue col = tlIm2ColOpGetColumn(op);
  TlCopySide s;
  TlSideStatus st = tlCopySideRead(&s, "column tile", col);
  int64_t e = g->e;
  bool region = !mlirTypeIsAMemRef(mlirValueGetType(col));
  if (region && (st == TlSideNotBuffer || st == TlSideNotRegion || st == TlSideIndexCount ||
                 st == TlSideExtentCount || !s.hasExtents || s.rank < 2))
    return no(reason, cap, "the column tile is not a rank-2 region");
  if (!region && st == TlSideOk && s.rank != 2)
    return no(reason, cap, "the column tile is not rank 2");
  intptr_t r = s.rank;
  if ((st != TlSideOk && st != TlSideBadBoundsCheck) || r < 2 ||
      s.scope != TlScopeShared || mlirShapedTypeIsDynamicSize(s.ext[r - 2]) ||
      mlirShapedTypeIsDynamicSize(s.ext[r - 1]) || s.ext[r - 2] <= 0 ||
      s.ext[r - 1] <= 0)
    return no(reason, cap, "the column tile is not a static rank-2 shared tile");
  int64_t BM = s.ext[r - 2], BK = s.ext[r - 1];
  /* A swizzled tile (a wgmma operand, docs/im2col.md "Swizzle"): one
     pixel's BK channels are one swizzle row, as for a tiled TMA box. */
  if (g->swizzle > 0 && BK * e != g->swizzle)
    return no(reason, cap,
              "the col buffer is swizzled by %lld bytes, but BK = %lld is "
              "%lld bytes (TMA im2col writes one pixel's channels as one "
              "swizzle row)",
              (long long)g->swizzle, (long long)BK, (long long)(BK * e));
  if (!mlirShapedTypeHasStaticShape(s.type))
    return no(reason, cap, "the col buffer shape is dynamic");
  if (!isAttribution(g->func, s.buffer))
    return no(reason, cap, "the col buffer is not a workgroup attribution");
  /* Row-major with offset 0: the strides a contiguous buffer has. */
  int64_t bstr[TL_SIDE_MAX_RANK], boff, want = 1;
  bool rowMajor = mlirLogicalResultIsSuccess(
                      mlirMemRefTypeGetStridesAndOffset(s.type, bstr, &boff)) &&
                  boff == 0;
  for (intptr_t d = r - 1; rowMajor && d >= 0; want *= s.shape[d--])
    rowMajor = bstr[d] == want;
  if (!rowMajor)
    return no(reason, cap, "the col buffer is not a row-major memref");
  if (region) {
    int64_t c0;
    if (s.shape[r - 1] != BK || !tlGetConstantIndex(s.idx[r - 1], &c0) ||
        c0 != 0)
      return no(reason, cap,
                "the col region's rows are not contiguous (its "
                "columns must be the whole buffer width)");
    if (r > 2) {
      if (!checkStage(&s, bstr, e, g->align, reason, cap))
        return false;
    } else if ((tlIndexDivisor(s.idx[0]) * BK * e) % g->align != 0) {
      return no(reason, cap,
                "the col region start is not provably %lld-byte "
                "aligned",
                (long long)g->align);
    }
  }
  g->BM = BM;
  g->BK = BK;
  return true;
}

/* The tile and the descriptor limits. */
static bool checkLimits(const Geometry *g, char *reason, size_t cap) {
  const TlIm2ColParams p = g->p;
  int64_t N = g->N, H = g->H, W = g->W, C = g->C, BM = g->BM, BK = g->BK;
  int64_t e = g->e;
  if (C % BK != 0)
    return no(reason, cap, "C = %lld is not a multiple of BK = %lld",
              (long long)C, (long long)BK);
  if ((BK * e) % 16 != 0)
    return no(reason, cap, "BK = %lld is %lld bytes, not a multiple of 16",
              (long long)BK, (long long)(BK * e));
  if (BK > MAX_CHANNELS_PER_PIXEL)
    return no(reason, cap, "BK = %lld channels per pixel, more than TMA's %d", (long long)BK,
              MAX_CHANNELS_PER_PIXEL);
  if (BM > MAX_PIXELS_PER_COLUMN)
    return no(reason, cap, "BM = %lld pixels per column, more than TMA's %d", (long long)BM,
              MAX_PIXELS_PER_COLUMN);
  if (BM * BK * e > MAX_TX_BYTES)
    return no(reason, cap,
              "the tile has %lld bytes, more than one mbarrier "
              "transaction (%d)",
              (long long)(BM * BK * e), MAX_TX_BYTES);
  if (p.stride.h > MAX_ELEMENT_STRIDE || p.stride.w > MAX_ELEMENT_STRIDE)
    return no(reason, cap, "the stride (%lld, %lld) is larger than TMA's element strides allow (%d)",
              (long long)p.stride.h, (long long)p.stride.w, MAX_ELEMENT_STRIDE);
  int64_t lowerW = -p.pad.w, lowerH = -p.pad.h;
  int64_t upperW = p.pad.w - (p.kernel.w - 1) * p.dilation.w;
  int64_t upperH = p.pad.h - (p.kernel.h - 1) * p.dilation.h;
  int64_t corners[4] = {lowerW, lowerH, upperW, upperH};
  for (int i = 0; i < 4; ++i)
    if (corners[i] < CORNER_MIN || corners[i] > CORNER_MAX)
      return no(reason, cap,
                "im2col corner %lld outside [%d, %d] (pad %lld, "
                "%lld; (K-1)*D %lld, %lld)",
                (long long)corners[i], CORNER_MIN, CORNER_MAX,
                (long long)p.pad.h, (long long)p.pad.w,
                (long long)((p.kernel.h - 1) * p.dilation.h),
                (long long)((p.kernel.w - 1) * p.dilation.w));
  if ((p.kernel.h - 1) * p.dilation.h > OFFSET_MAX ||
      (p.kernel.w - 1) * p.dilation.w > OFFSET_MAX)
    return no(reason, cap, "im2col offsets (K-1)*D > %d", OFFSET_MAX);
  int64_t OH = tlIm2ColOutSize(H, p.kernel.h, p.stride.h, p.pad.h, p.dilation.h);
  int64_t OW = tlIm2ColOutSize(W, p.kernel.w, p.stride.w, p.pad.w, p.dilation.w);
  if (OH < 1 || OW < 1)
    return no(reason, cap, "the output is empty");
  /* Coordinates are 32-bit. */
  int64_t big = (int64_t)1 << 31;
  if (N >= big || H >= big || W >= big || C >= big || N * OH * OW >= big ||
      p.kernel.h * p.kernel.w * C >= big)
    return no(reason, cap, "the image is too large for 32-bit coordinates");

  return true;
}

static void fillDescriptor(const Geometry *g, TlTensorMapDesc *desc) {
  memset(desc, 0, sizeof *desc);
  desc->kind = "im2col";
  desc->buffer = g->arg;
  desc->dataType = g->dataType;
  desc->rank = 4;
  desc->globalDim[0] = g->C;
  desc->globalDim[1] = g->W;
  desc->globalDim[2] = g->H;
  desc->globalDim[3] = g->N;
  desc->globalStrides[0] = g->strides[2] * g->e;
  desc->globalStrides[1] = g->strides[1] * g->e;
  desc->globalStrides[2] = g->strides[0] * g->e;
  desc->elementStrides[0] = 1;
  desc->elementStrides[1] = g->p.stride.w;
  desc->elementStrides[2] = g->p.stride.h;
  desc->elementStrides[3] = 1;
  desc->swizzle = g->swizzle == 128 ? 3 : g->swizzle == 64 ? 2
                 : g->swizzle == 32                    ? 1
                                                       : 0;
  desc->l2Promotion = 2; /* 128 B */
  desc->lowerCorner[0] = -g->p.pad.w;
  desc->lowerCorner[1] = -g->p.pad.h;
  desc->upperCorner[0] = g->p.pad.w - (g->p.kernel.w - 1) * g->p.dilation.w;
  desc->upperCorner[1] = g->p.pad.h - (g->p.kernel.h - 1) * g->p.dilation.h;
  desc->channelsPerPixel = g->BK;
  desc->pixelsPerColumn = g->BM;
}

/* Whether `op` (a tl.c2d_im2col) can be lowered with TMA im2col. On
   success fills `desc` (kind "im2col"; `buffer` is the image's gpu.func
   input index) and returns true. Otherwise writes into `reason`
   (reasonCap bytes, NUL-terminated, may be NULL when reasonCap is 0) why
   not, e.g. "C = 24 is not a multiple of BK = 16", and returns false.

   `chip` (e.g. "sm_90a", may be NULL) is used only when the enclosing
   gpu.module names no #nvvm.target: otherwise every #nvvm.target chip of
   the module must be sm_90 or later. Nothing in the IR is changed. */
static bool tmaIm2ColPossible(MlirOperation op, const char *chip,
                              int64_t swizzle, TlTensorMapDesc *desc,
                              char *reason, size_t cap) {
  if (reason && cap)
    reason[0] = 0;
  /* Every chip of a multi-target module must have TMA: the lowest. */
  TlTarget target = tlLowestTarget(op, chip ? chip : "sm_90a");
  if (target.sm < 90)
    return no(reason, cap, "chip %s has no TMA", target.chip);
  Geometry g;
  memset(&g, 0, sizeof g);
  g.swizzle = swizzle;
  g.align = DST_ALIGN;
  if (swizzle == 32 || swizzle == 64 || swizzle == 128)
    g.align = (int64_t)DST_ALIGN << (swizzle == 128 ? 3 : swizzle == 64 ? 2 : 1);
  else if (swizzle != 0)
    return no(reason, cap, "the col buffer's swizzle %lld is not 32, 64 or 128",
              (long long)swizzle);
  if (!tlIm2ColOpGetParams(op, &g.p))
    return no(reason, cap, "invalid kernel/stride/dilation/pad");
  if (!checkImage(op, &g, reason, cap) || !checkColumn(op, &g, reason, cap) ||
      !checkLimits(&g, reason, cap))
    return false;
  fillDescriptor(&g, desc);
  return true;
}

//===--------------------------------------------------------------------===//
// Selection (tl-infer-layouts)
//===--------------------------------------------------------------------===//

bool tlSelTmaIm2ColCheck(TlSelect *s, char *why, size_t cap) {
  if (!mlirAttributeIsNull(tlGetAttr(s->op, "disable_tma")))
    return no(why, cap, "disable_tma is set");
  TlTensorMapDesc desc;
  return tmaIm2ColPossible(s->op, s->st->opts->chip,
                           tlSelSideSwizzle(s->st, &s->s[1]), &desc, why, cap);
}

/* A synchronous tl.c2d_im2col measured level on both paths and stays
   SIMT; a split-phase one (tl.c2d_im2col_async, which tl-pipeline makes)
   takes TMA im2col, which measured 1.33-1.68x the column matrix's memset
   against SIMT's 2.15-2.93x in pipelined loops (docs/performance.md,
   "Defaults"). */
TlSelVerdict tlSelTmaIm2ColPrefer(TlSelect *s, bool can, char *why,
                                  size_t cap) {
  if (!can)
    return TlSelPass;
  /* A swizzled col tile is a wgmma operand: TMA writes it off the
     threads' issue slots (SIMT im2col writes it too, where TMA cannot). */
  if (s->st->opts->preferTma || tlOperationIsAnIm2ColAsync(s->op) ||
      tlSelSideSwizzle(s->st, &s->s[1]) > 0)
    return TlSelTake;
  snprintf(why, cap,
           "a tl.c2d_im2col defaults to SIMT, measured level with TMA on "
           "the H200 (docs/performance.md); prefer-tma selects TMA");
  return TlSelPass;
}

//===----------------------------------------------------------------------===//
// Emission (tl-lower-im2col)
//===----------------------------------------------------------------------===//


static MlirValue buildTyped(TlBuild *b, const char *name, intptr_t n,
                            const MlirValue *ops, MlirType type) {
  return tlOp(b, b->at, name, n, ops, type, 0, NULL);
}

static void buildVoid(TlBuild *b, const char *name, intptr_t n,
                      const MlirValue *ops) {
  tlOp(b, b->at, name, n, ops, (MlirType){NULL}, 0, NULL);
}

/* An !llvm.ptr<space> to the first element of `mem` (a workgroup memref)
   plus `byteOffset` (an index; null: none). */
static MlirValue sharedPtr(TlBuild *b, MlirValue mem, MlirValue byteOffset,
                           unsigned space) {
  MlirValue base = buildTyped(b, "memref.extract_aligned_pointer_as_index", 1,
                              &mem, b->index);
  if (!mlirValueIsNull(byteOffset))
    base = tlAddV(b, b->at, base, byteOffset);
  return tlIndexToPtr(b, b->at, base, space);
}

/* OH and OW (docs/im2col.md; the TMA path has a static image). */
static int64_t outRows(const TlIm2Col *x) {
  const TlIm2ColParams *p = &x->p;
  return tlIm2ColOutSize(x->imgDim[1], p->kernel.h, p->stride.h, p->pad.h,
                         p->dilation.h);
}

static int64_t outCols(const TlIm2Col *x) {
  const TlIm2ColParams *p = &x->p;
  return tlIm2ColOutSize(x->imgDim[2], p->kernel.w, p->stride.w, p->pad.w,
                         p->dilation.w);
}

/* The function's mbarrier set: made by tl-lower-copy (or an earlier op)
   already, else made here with slot 0 and one slot per TMA
   tl.c2d_im2col_async of the function, initialised by the thread of
   linear id 0 at the entry (copy/Mbarrier.h). */
static void functionBarriers(TlIm2Col *x, MlirOperation func,
                             TlMbarriers *m) {
  if (tlMbarrierFind(func, x->loc, m))
    return;
  int64_t xyz[3];
  tlIm2ColBlock(x, xyz);
  MlirValue is0;
  MlirOperation thenY;
  MlirOperation guard =
      tlEntryElected(func, x->loc, xyz, TlConstsGrouped, &is0, &thenY);
  tlMbarrierMake(func, 1 + tlMbarrierIm2ColSlots(func), x->loc, guard, m);
}

/* The load of the tile whose first element is (m0, k0) of the column
   matrix, at b->at: the thread of linear id 0 arms a's barrier with
   a->bytes (mbarrier.arrive.expect_tx) and starts the load through the
   tensor map `map`. */
static void issueLoad(TlBuild *b, TlIm2Col *x, MlirValue map, MlirValue m0,
                      MlirValue k0, TlAsync *a) {
  const TlIm2ColParams *p = &x->p;
  MlirContext ctx = b->ctx;
  MlirType i16 = mlirIntegerTypeGet(ctx, 16), i32 = mlirIntegerTypeGet(ctx, 32);
  int64_t C = x->imgDim[3], OH = outRows(x), OW = outCols(x);
  /* The first pixel: m0 = (n*OH + oh)*OW + ow -> (w, h) = (ow*SW - PW,
     oh*SH - PH) in the bounding box; k0 = (kh*KW + kw)*C + c. */
  MlirValue ow = tlRemV(b, b->at, m0, tlCst(b, OW));
  MlirValue nOh = tlDivV(b, b->at, m0, tlCst(b, OW));
  MlirValue oh = tlRemV(b, b->at, nOh, tlCst(b, OH));
  MlirValue n = tlDivV(b, b->at, nOh, tlCst(b, OH));
  MlirValue w = tlSubV(b, b->at, tlMulV(b, b->at, ow, tlCst(b, p->stride.w)),
                       tlCst(b, p->pad.w));
  MlirValue h = tlSubV(b, b->at, tlMulV(b, b->at, oh, tlCst(b, p->stride.h)),
                       tlCst(b, p->pad.h));
  MlirValue c = tlRemV(b, b->at, k0, tlCst(b, C));
  MlirValue khKw = tlDivV(b, b->at, k0, tlCst(b, C));
  MlirValue kw = tlRemV(b, b->at, khKw, tlCst(b, p->kernel.w));
  MlirValue kh = tlDivV(b, b->at, khKw, tlCst(b, p->kernel.w));
  MlirValue offW = tlMulV(b, b->at, kw, tlCst(b, p->dilation.w));
  MlirValue offH = tlMulV(b, b->at, kh, tlCst(b, p->dilation.h));
  MlirValue byteOff = (MlirValue){NULL};
  if (x->colRegion.ptr) {
    /* The tile's start in its stage, then base + stage index x stage
       stride (bytes) for each stage dimension (checkColumn: row-major, so
       the stride of dimension d is the product of the later sizes). */
    MlirType bt = mlirValueGetType(x->colBuf);
    int64_t eb = x->eltBits / 8, stride = x->BK * eb;
    int64_t rowStride = mlirShapedTypeGetDimSize(bt, x->colRank - 1);
    byteOff = tlMulV(
        b, b->at,
        tlAddV(b, b->at,
               tlMulV(b, b->at, tlIm2ColTileIndex(x, 0), tlCst(b, rowStride)),
               tlIm2ColTileIndex(x, 1)),
        tlCst(b, eb));
    stride *= mlirShapedTypeGetDimSize(bt, x->colRank - 2);
    for (intptr_t d = x->colRank - 3; d >= 0; --d) {
      byteOff = tlAddV(b, b->at, byteOff,
                       tlMulV(b, b->at, tlRegionOpGetIndex(x->colRegion, d),
                              tlCst(b, stride)));
      stride *= mlirShapedTypeGetDimSize(bt, d);
    }
  }
  MlirValue dst = sharedPtr(b, x->colBuf, byteOff, 7);
  MlirValue bar = a->bar;

  /* The elected thread arms the barrier and starts the load. */
  int64_t xyz[3];
  tlIm2ColBlock(x, xyz);
  MlirValue tid = tlLinearThreadId(b, b->at, xyz);
  MlirValue leader = tlCmp(b, b->at, TlCmpEq, tid, tlCst(b, 0));
  MlirOperation leadY;
  tlIf(b, b->at, leader, 0, NULL, &leadY, NULL);
  MlirOperation afterLead = b->at;
  b->at = leadY;
  MlirValue txOps[2] = {bar, tlIntConst(b, b->at, i32, a->bytes)};
  buildVoid(b, "nvvm.mbarrier.arrive.expect_tx", 2, txOps);
  MlirValue ops[9] = {dst,
                      map,
                      tlIndexCast(b, b->at, c, i32),
                      tlIndexCast(b, b->at, w, i32),
                      tlIndexCast(b, b->at, h, i32),
                      tlIndexCast(b, b->at, n, i32),
                      bar,
                      tlIndexCast(b, b->at, offW, i16),
                      tlIndexCast(b, b->at, offH, i16)};
  MlirNamedAttribute attrs[2] = {
      tlNamed(ctx, "mode",
              mlirAttributeParseGet(ctx, mlirStringRefCreateFromCString(
                                             "#nvvm.tma_load_mode<im2col>"))),
      tlNamed(
          ctx, "operandSegmentSizes",
          mlirDenseI32ArrayGet(ctx, 8, (int32_t[]){1, 1, 4, 1, 2, 0, 0, 0}))};
  tlOp(b, b->at, "nvvm.cp.async.bulk.tensor.shared.cluster.global", 9, ops,
       (MlirType){NULL}, 2, attrs);
  b->at = afterLead;
}

/* The load is issued only when the tile starts inside the column matrix:
   nhw_step and c_step are the same in every thread of the block
   (documented), so is this. Returns the scf.if's then-terminator and the
   tile's first (row, column) in *m0, *k0. */
static MlirOperation guardTile(TlBuild *b, TlIm2Col *x, MlirValue pred,
                               MlirValue *m0, MlirValue *k0) {
  const TlIm2ColParams *p = &x->p;
  int64_t N = x->imgDim[0], C = x->imgDim[3];
  int64_t OH = outRows(x), OW = outCols(x);
  *m0 = tlMulV(b, b->at, tlIm2ColOpGetNHWStep(x->op), tlCst(b, x->BM));
  *k0 = tlMulV(b, b->at, tlIm2ColOpGetCStep(x->op), tlCst(b, x->BK));
  MlirValue active = tlAndi(
      b, b->at, tlCmp(b, b->at, TlCmpUlt, *m0, tlCst(b, N * OH * OW)),
      tlCmp(b, b->at, TlCmpUlt, *k0, tlCst(b, p->kernel.h * p->kernel.w * C)));
  int64_t on;
  if (!mlirValueIsNull(pred) && !(tlIsConst(pred, &on) && on))
    active = tlAndi(b, b->at, active, pred); /* predicated off: not issued */
  MlirOperation actY;
  tlIf(b, b->at, active, 0, NULL, &actY, NULL);
  return actY;
}

/* A tile that is not issued still completes its phase (a->always): the
   elected thread arrives with 0 bytes, so that every wait on the barrier
   returns (design.md §8.1). */
static void arriveIfNotIssued(TlBuild *b, TlIm2Col *x, TlAsync *a) {
  MlirValue ones[2] = {a->active, tlIntConst(b, b->at, b->i1, 1)};
  MlirValue off = tlOp(b, b->at, "arith.xori", 2, ones, b->i1, 0, NULL);
  int64_t xyz[3];
  tlIm2ColBlock(x, xyz);
  MlirValue tid = tlLinearThreadId(b, b->at, xyz);
  MlirValue lead = tlAndi(b, b->at, off, tlCmp(b, b->at, TlCmpEq, tid, tlCst(b, 0)));
  MlirOperation y;
  tlIf(b, b->at, lead, 0, NULL, &y, NULL);
  MlirValue ops[2] = {a->bar, tlIntConst(b, y, mlirIntegerTypeGet(b->ctx, 32), 0)};
  tlOp(b, y, "nvvm.mbarrier.arrive.expect_tx", 2, ops, (MlirType){NULL}, 0,
       NULL);
}

bool tlTmaIm2ColRead(TlLower *c) {
  TlIm2Col *x = c->im2col;
  char why[256];
  TlCopySide col;
  tlCopySideRead(&col, "column tile", tlIm2ColOpGetColumn(x->op));
  int64_t swz = mlirValueIsNull(col.buffer) ? 0 : tlWorkgroupSwizzle(col.buffer);
  if (!tmaIm2ColPossible(x->op, NULL, swz, &x->desc, why, sizeof why)) {
    tlOpError(x->op, "inst = \"tma_im2col\" cannot be used: %s", why);
    return false;
  }
  return true;
}

/* The tensor map (a kernel argument the launcher passes), the function's
   mbarrier set, and at the op, under the tile guard, the load on the op's
   slot (c->slot: 0, or a tl.c2d_im2col_async's own); the completion
   (tlTmaIm2ColComplete) goes in the guard too (a->waitAt), or for a
   tl.c2d_im2col_async at its tl.wait (the pass sets a->waitAt then). */
void tlTmaIm2ColIssue(TlEmitter *e, TlLower *c, TlAsync *a) {
  TlIm2Col *x = c->im2col;
  TlBuild *b = &e->b;
  MlirOperation func = tlEnclosingOp(x->op, "gpu.func");
  MlirValue map = tlGetOrAddTensorMapArg(func, &x->desc);
  TlMbarriers bars;
  functionBarriers(x, func, &bars);
  if (c->slot >= bars.slots) {
    tlOpError(x->op,
              "needs mbarrier slot %d of its function, but the set an "
              "earlier pass made has %d",
              c->slot, bars.slots);
    e->failed = true;
    return;
  }
  if (!mlirValueIsNull(a->slotV)) { /* a stage's barrier (carried) */
    a->bar = tlMbarrierSlotPtr(b, b->at, &bars, a->slotV);
    a->phase = bars.phase;
  } else {
    tlMbarrierUse(&bars, c->slot, a);
  }
  a->bytes = x->BM * x->BK * (x->eltBits / 8);
  MlirValue m0, k0;
  MlirOperation tileY = guardTile(b, x, a->pred, &m0, &k0);
  /* The guard's condition: the tile is issued, so it is waited for. */
  a->active = mlirOperationGetOperand(mlirOperationGetParentOperation(tileY), 0);
  b->at = tileY;
  issueLoad(b, x, map, m0, k0, a);
  a->waitAt = b->at;
  b->at = x->op;
  if (a->always)
    arriveIfNotIssued(b, x, a);
  tlIm2ColEnsureColAlignment(b, x, DST_ALIGN);
}

/* tma_load's wait (tlWaitMbarrier) in the tile guard; at a tl.wait (the
   op is a tl.c2d_im2col_async), under a guard of its own on the same
   condition: a tile that was not issued has nothing to wait for. */
void tlTmaIm2ColComplete(TlEmitter *e, TlLower *c, TlAsync *a) {
  if (c->async && !a->always) {
    MlirOperation y;
    tlBuildIfBefore(a->waitAt, e->b.loc, a->active, 0, NULL, &y, NULL);
    a->waitAt = y;
  }
  tlWaitMbarrier(e, c, a);
}
