/* When a tl.c2d_im2col can use TMA im2col, and its tensor-map descriptor
 * (docs/im2col.md, "The TMA path"). Limits are those of
 * cuTensorMapEncodeIm2col and cp.async.bulk.tensor (CUDA driver API and PTX
 * ISA); anything outside them falls back to the SIMT path with a reason. */
#include "Im2ColTMA.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "IRBuild.h"
#include "Im2Col.h"
#include "IndexRange.h"
#include "Support.h"
#include "Target.h"
#include "tl-c/Attributes.h"
#include "tl-c/Ops.h"

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
} Geometry;

/* The image: a static, contiguous NHWC kernel argument in global memory,
   strides multiples of 16 bytes below 2^40. */
static bool checkImage(MlirOperation op, Geometry *g, char *reason,
                       size_t cap) {
  MlirValue img = tlIm2ColOpGetImage(op);
  MlirType it = mlirValueGetType(img);
  if (!mlirTypeIsAMemRef(it) || mlirShapedTypeGetRank(it) != 4)
    return no(reason, cap, "the image is not a rank-4 memref");
  if (tlMemRefTypeGetScope(it) != TlScopeGlobal)
    return no(reason, cap, "the image is not in global memory");
  MlirOperation func = tlEnclosingOp(op, "gpu.func");
  int64_t arg = mlirOperationIsNull(func) ? -1 : tlFuncInputIndex(func, img);
  if (arg < 0)
    return no(reason, cap, "the image is not a gpu.func argument");
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

/* The col tile: BM x BK contiguous rows of a workgroup attribution,
   128-byte aligned. */
static bool checkColumn(MlirOperation op, Geometry *g, char *reason,
                        size_t cap) {
  MlirValue col = tlIm2ColOpGetColumn(op);
  MlirValue buf = col;
  MlirOperation region = {NULL};
  int64_t BM, BK, e = g->e;
  MlirOperation func = g->func;
  if (!mlirTypeIsAMemRef(mlirValueGetType(col))) {
    region = mlirValueIsAOpResult(col) ? mlirOpResultGetOwner(col)
                                       : (MlirOperation){NULL};
    if (!tlOperationIsARegion(region) || tlRegionOpGetNumExtents(region) != 2 ||
        tlRegionOpGetNumIndices(region) != 2)
      return no(reason, cap, "col is not a rank-2 region");
    buf = tlRegionOpGetBuffer(region);
    BM = tlRegionOpGetExtent(region, 0);
    BK = tlRegionOpGetExtent(region, 1);
  } else {
    if (mlirShapedTypeGetRank(mlirValueGetType(col)) != 2)
      return no(reason, cap, "col is not rank 2");
    BM = mlirShapedTypeGetDimSize(mlirValueGetType(col), 0);
    BK = mlirShapedTypeGetDimSize(mlirValueGetType(col), 1);
  }
  MlirType bt = mlirValueGetType(buf);
  if (!mlirTypeIsAMemRef(bt) || mlirShapedTypeGetRank(bt) != 2 ||
      tlMemRefTypeGetScope(bt) != TlScopeShared ||
      mlirShapedTypeIsDynamicSize(BM) || mlirShapedTypeIsDynamicSize(BK) ||
      BM <= 0 || BK <= 0)
    return no(reason, cap, "col is not a static rank-2 shared tile");
  if (!mlirShapedTypeHasStaticShape(bt))
    return no(reason, cap, "the col buffer shape is dynamic");
  /* A workgroup attribution of the gpu.func (its alignment can be raised
     to 128 bytes). */
  if (!mlirValueIsABlockArgument(buf) ||
      !mlirBlockEqual(mlirBlockArgumentGetOwner(buf),
                      mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0))))
    return no(reason, cap, "the col buffer is not a workgroup attribution");
  {
    MlirAttribute ft = tlGetAttr(func, "function_type");
    MlirAttribute nwa = tlGetAttr(func, "workgroup_attributions");
    intptr_t nIn = mlirFunctionTypeGetNumInputs(mlirTypeAttrGetValue(ft));
    intptr_t nWg = mlirAttributeIsNull(nwa) || !mlirAttributeIsAInteger(nwa)
                       ? 0
                       : (intptr_t)mlirIntegerAttrGetValueInt(nwa);
    intptr_t pos = mlirBlockArgumentGetArgNumber(buf) - nIn;
    if (pos < 0 || pos >= nWg)
      return no(reason, cap, "the col buffer is not a workgroup attribution");
  }
  int64_t bstr[2], boff;
  if (mlirLogicalResultIsFailure(
          mlirMemRefTypeGetStridesAndOffset(bt, bstr, &boff)) ||
      boff != 0 || bstr[1] != 1 || bstr[0] != mlirShapedTypeGetDimSize(bt, 1))
    return no(reason, cap, "the col buffer is not a row-major memref");
  if (region.ptr) {
    int64_t c0;
    if (mlirShapedTypeGetDimSize(bt, 1) != BK ||
        !tlGetConstantIndex(tlRegionOpGetIndex(region, 1), &c0) || c0 != 0)
      return no(reason, cap,
                "the col region's rows are not contiguous (its "
                "columns must be the whole buffer width)");
    int64_t div = tlIndexDivisor(tlRegionOpGetIndex(region, 0));
    if ((div * BK * e) % DST_ALIGN != 0)
      return no(reason, cap,
                "the col region start is not provably %d-byte "
                "aligned",
                DST_ALIGN);
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
    return no(reason, cap, "BK = %lld channels per pixel > %d", (long long)BK,
              MAX_CHANNELS_PER_PIXEL);
  if (BM > MAX_PIXELS_PER_COLUMN)
    return no(reason, cap, "BM = %lld pixels per column > %d", (long long)BM,
              MAX_PIXELS_PER_COLUMN);
  if (BM * BK * e > MAX_TX_BYTES)
    return no(reason, cap,
              "the tile has %lld bytes, more than one mbarrier "
              "transaction (%d)",
              (long long)(BM * BK * e), MAX_TX_BYTES);
  if (p.stride.h > MAX_ELEMENT_STRIDE || p.stride.w > MAX_ELEMENT_STRIDE)
    return no(reason, cap, "stride (%lld, %lld) > %d (TMA element strides)",
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
  desc->swizzle = 0;
  desc->l2Promotion = 2; /* 128 B */
  desc->lowerCorner[0] = -g->p.pad.w;
  desc->lowerCorner[1] = -g->p.pad.h;
  desc->upperCorner[0] = g->p.pad.w - (g->p.kernel.w - 1) * g->p.dilation.w;
  desc->upperCorner[1] = g->p.pad.h - (g->p.kernel.h - 1) * g->p.dilation.h;
  desc->channelsPerPixel = g->BK;
  desc->pixelsPerColumn = g->BM;
}

bool tlIm2ColCanUseTMA(MlirOperation op, const char *chip,
                       TlTensorMapDesc *desc, char *reason, size_t cap) {
  if (reason && cap)
    reason[0] = 0;
  /* Every chip of a multi-target module must have TMA: the lowest. */
  TlTarget target = tlLowestTarget(op, chip ? chip : "sm_90a");
  if (target.sm < 90)
    return no(reason, cap, "chip %s has no TMA", target.chip);
  Geometry g;
  memset(&g, 0, sizeof g);
  if (!tlIm2ColOpGetParams(op, &g.p))
    return no(reason, cap, "invalid kernel/stride/dilation/pad");
  if (!checkImage(op, &g, reason, cap) || !checkColumn(op, &g, reason, cap) ||
      !checkLimits(&g, reason, cap))
    return false;
  fillDescriptor(&g, desc);
  return true;
}
