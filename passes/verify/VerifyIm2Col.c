/* tl-verify: the rules of tl.c2d_im2col: the image and column tile, the
 * kernel / stride / dilation / pad parameters and the output size
 * (docs/verify.md). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <mlir-c/AffineMap.h>
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/IR.h>

#include "Contract.h"
#include "Im2Col.h"
#include "Support.h"
#include "Verifier.h"
#include "tl-c/Attributes.h"

//===--------------------------------------------------------------------===//
// tl.c2d_im2col
//===--------------------------------------------------------------------===//

/* inst, vector_width, thread_map: recorded by tl-infer-layouts
   (docs/layouts.md); their kinds are checked by checkInferredAttr. */
static const char *const kIm2ColAttrs[] = {
    "kernel",          "stride",      "dilation",   "pad",
    "eviction_policy", "disable_tma", TL_ATTR_INST, TL_ATTR_VECTOR_WIDTH,
    TL_ATTR_THREAD_MAP};

/* Reads kernel/stride/dilation/pad: an integer or array<i64: h, w>; each
   entry must be >= min. */
static bool readPair(Verifier *v, MlirOperation op, const char *name,
                     int64_t min, int64_t *h, int64_t *w) {
  MlirAttribute attr = tlGetAttr(op, name);
  if (mlirAttributeIsNull(attr)) {
    tlvFail(v, op, "needs a '%s' attribute", name);
    return false;
  }
  int64_t x;
  IntKind k = tlvReadInt(attr, &x);
  if (k == IntOk) {
    *h = *w = x;
  } else if (mlirAttributeIsADenseI64Array(attr)) {
    if (mlirDenseArrayGetNumElements(attr) != 2) {
      tlvFail(
          v, op,
          "%s must be array<i64: h, w> with exactly 2 entries, got %s (%lld "
          "entries)",
          name, tlvAttr(v, attr),
          (long long)mlirDenseArrayGetNumElements(attr));
      return false;
    }
    *h = mlirDenseI64ArrayGetElement(attr, 0);
    *w = mlirDenseI64ArrayGetElement(attr, 1);
  } else {
    tlvFail(v, op, "%s must be an integer or array<i64: h, w>, got %s", name,
            tlvAttr(v, attr));
    return false;
  }
  if (*h < min || *w < min) {
    tlvFail(v, op, "%s must be >= %lld, got %s", name, (long long)min,
            tlvAttr(v, attr));
    return false;
  }
  if (*h > TL_IM2COL_MAX_PARAM || *w > TL_IM2COL_MAX_PARAM) {
    tlvFail(v, op,
            "%s must be <= %lld, got %s: larger values overflow the "
            "output-size arithmetic",
            name, (long long)TL_IM2COL_MAX_PARAM, tlvAttr(v, attr));
    return false;
  }
  return true;
}

/* Checks that the output size along one axis is >= 1 for a static size. */
static void checkOutputSize(Verifier *v, MlirOperation op, const char *axis,
                            const char *in, int64_t size, int64_t K, int64_t S,
                            int64_t P, int64_t D) {
  /* num = size + 2P - D(K-1) - 1, computed without overflow. */
  int64_t twoP, dk, num;
  if (__builtin_mul_overflow(P, (int64_t)2, &twoP) ||
      __builtin_mul_overflow(D, K - 1, &dk) ||
      __builtin_add_overflow(size, twoP, &num) ||
      __builtin_sub_overflow(num, dk, &num) ||
      __builtin_sub_overflow(num, (int64_t)1, &num)) {
    tlvFail(v, op,
            "output %s overflows 64 bits (%s = %lld, K = %lld, S = %lld, "
            "P = %lld, D = %lld)",
            axis, in, (long long)size, (long long)K, (long long)S, (long long)P,
            (long long)D);
    return;
  }
  if (num >= 0)
    return;
  /* Floor division: the output size is <= 0. */
  int64_t out = num / S - (num % S != 0) + 1;
  tlvFail(v, op,
          "output %s %s = (%s + 2P - D(K-1) - 1)/S + 1 = (%lld + 2*%lld - "
          "%lld*(%lld-1) - 1)/%lld + 1 = %lld must be >= 1: the dilated kernel "
          "(%lld) is larger than the padded input (%lld)",
          axis, axis[0] == 'h' ? "OH" : "OW", in, (long long)size, (long long)P,
          (long long)D, (long long)K, (long long)S, (long long)out,
          (long long)(dk + 1), (long long)(size + twoP));
}

/* A col region of a rank >= 3 buffer is one stage of a multi-buffered
   tile (what tl-pipeline makes): extent 1 in every dimension before the
   last two (the stage dimensions; their indices may be dynamic, a
   constant one is bounded by tl.region's own rule), and the whole (BM, BK)
   tile of the last two at index 0, so that a stage is one contiguous
   tile. Extents that tl.region itself refuses are left to it. */
static void checkStage(Verifier *v, MlirOperation op, MlirOperation region,
                       MlirType buf) {
  MlirAttribute ext = tlGetAttr(region, "extents");
  intptr_t rank = mlirShapedTypeGetRank(buf);
  if (mlirAttributeIsNull(ext) || !mlirAttributeIsADenseI64Array(ext) ||
      mlirDenseArrayGetNumElements(ext) != rank ||
      mlirOperationGetNumOperands(region) != rank + 1)
    return;
  for (intptr_t d = 0; d < rank; ++d) {
    int64_t e = mlirDenseI64ArrayGetElement(ext, d);
    if (d < rank - 2) {
      if (e != 1) {
        tlvFail(v, op,
                "col region is not one stage of its rank-%lld buffer (%s): "
                "dimension %lld is a stage dimension and needs extent 1, got "
                "%lld",
                (long long)rank, tlvType(v, buf), (long long)d, (long long)e);
        return;
      }
      continue;
    }
    int64_t size = mlirShapedTypeGetDimSize(buf, d), at;
    if (mlirShapedTypeIsDynamicDim(buf, d) || e != size) {
      char sz[32];
      if (mlirShapedTypeIsDynamicDim(buf, d))
        snprintf(sz, sizeof sz, "dynamic");
      else
        snprintf(sz, sizeof sz, "%lld", (long long)size);
      tlvFail(v, op,
              "col region is not one stage of its rank-%lld buffer (%s): the "
              "(BM, BK) tile must be the whole of its last two dimensions, "
              "but dimension %lld has extent %lld (its size is %s)",
              (long long)rank, tlvType(v, buf), (long long)d, (long long)e,
              sz);
      return;
    }
    if (!tlvConstantIndex(mlirOperationGetOperand(region, d + 1), &at) ||
        at != 0) {
      tlvFail(v, op,
              "col region is not one stage of its rank-%lld buffer (%s): the "
              "(BM, BK) tile must start at index 0 of its last two "
              "dimensions, but the index of dimension %lld is not the "
              "constant 0",
              (long long)rank, tlvType(v, buf), (long long)d);
      return;
    }
  }
}

/* The image's element type is one tl copies (not index: the plans need
   its size in bytes), and the column tile's is the same. */
static void checkElements(Verifier *v, MlirOperation op, MlirType img,
                          MlirType colBuf) {
  MlirType ie = mlirShapedTypeGetElementType(img);
  MlirType ce = mlirShapedTypeGetElementType(colBuf);
  if (!tlvCheckElementType(v, op, "img", ie, img))
    return;
  if (mlirTypeIsAIndex(ie))
    /* Its size is the target's: the im2col plans need bytes. */
    tlvFail(v, op,
            "img element type index (of %s) is not supported by im2col; "
            "use i64 or i32",
            tlvType(v, img));
  else if (!mlirTypeEqual(ie, ce))
    tlvFail(v, op,
            "img element type %s differs from col element type %s: im2col "
            "does not convert",
            tlvType(v, ie), tlvType(v, ce));
}

void tlvVerifyIm2Col(Verifier *v, MlirOperation op) {
  Kernel k = tlvEnclosingKernel(op);
  /* The message lists the user-written attributes (the first 6). */
  tlvCheckAttrNames(v, op, kIm2ColAttrs,
                    sizeof kIm2ColAttrs / sizeof kIm2ColAttrs[0], 6, NULL);
  MlirAttribute noTma = tlGetAttr(op, "disable_tma");
  if (!mlirAttributeIsNull(noTma) && !mlirAttributeIsAUnit(noTma))
    tlvFail(v, op, "disable_tma must be a unit attribute, got %s",
            tlvAttr(v, noTma));

  /* img: rank-4 NHWC global memref. */
  MlirType img = mlirValueGetType(mlirOperationGetOperand(op, 0));
  bool imgOk = mlirTypeIsAMemRef(img);
  if (!imgOk) {
    tlvFail(v, op, "img must be a rank-4 (NHWC) memref, got %s",
            tlvType(v, img));
  } else {
    if (mlirShapedTypeGetRank(img) != 4) {
      tlvFail(v, op, "img must be a rank-4 (NHWC) memref, got rank %lld (%s)",
              (long long)mlirShapedTypeGetRank(img), tlvType(v, img));
      imgOk = false;
    }
    imgOk &= tlvCheckNonEmpty(v, op, "img", img) &&
             tlvCheckBufferBytes(v, op, "img", img);
    TlScope scope = tlMemRefTypeGetScope(img);
    if (scope == TlScopeInvalid)
      tlvCheckScope(v, op, "img", img);
    else if (scope != TlScopeGlobal)
      tlvFail(v, op, "img must be a global buffer, got a %s buffer (%s)",
              tlScopeGetName(scope), tlvType(v, img));
  }

  /* col: a rank-2 shared memref, or a tl.region (with extents) of one, or
     of one stage of a multi-buffered one (checkStage). */
  MlirValue colValue = mlirOperationGetOperand(op, 1);
  MlirType col = mlirValueGetType(colValue);
  MlirType colBuf = {NULL};
  MlirOperation region = {NULL};
  if (mlirTypeIsAMemRef(col)) {
    colBuf = col;
  } else if (tlTypeIsABufferRegion(col)) {
    region = tlvRegionProducer(colValue);
    if (mlirOperationIsNull(region)) {
      tlvFail(v, op,
              "col !tl.buffer_region is %s; it must be produced by a "
              "'tl.region' op",
              tlvProducerText(v, colValue));
    } else {
      colBuf = mlirValueGetType(mlirOperationGetOperand(region, 0));
      if (mlirAttributeIsNull(tlGetAttr(region, "extents")))
        tlvFail(v, op,
                "col region has no extents: the (BM, BK) tile of a "
                "tl.c2d_im2col must be given explicitly");
      if (tlvRegionAccess(region) == 1)
        tlvFail(v, op,
                "col region has read-only access (access = 1); the im2col "
                "destination needs write access (2 or 3)");
    }
  } else {
    tlvFail(v, op,
            "col must be a rank-2 shared memref or a !tl.buffer_region, got %s",
            tlvType(v, col));
  }
  bool colOk = !mlirTypeIsNull(colBuf) && mlirTypeIsAMemRef(colBuf);
  if (colOk) {
    const char *what = mlirTypeEqual(col, colBuf) ? "col" : "col region buffer";
    intptr_t rank = mlirShapedTypeGetRank(colBuf);
    if (rank < 2 || (rank > 2 && mlirTypeEqual(col, colBuf)))
      tlvFail(v, op, "%s must be a rank-2 (BM, BK) buffer, got rank %lld (%s)",
              what, (long long)rank, tlvType(v, colBuf));
    else if (rank > 2)
      checkStage(v, op, region, colBuf);
    colOk &= tlvCheckNonEmpty(v, op, what, colBuf);
    TlScope scope = tlMemRefTypeGetScope(colBuf);
    if (scope == TlScopeInvalid) {
      if (mlirTypeEqual(col, colBuf)) /* a region reports its own */
        tlvCheckScope(v, op, what, colBuf);
    } else if (scope != TlScopeShared) {
      tlvFail(v, op,
              "%s must be a shared buffer (#gpu.address_space<workgroup>), got "
              "a %s buffer (%s)",
              what, tlScopeGetName(scope), tlvType(v, colBuf));
    }
  }

  /* Element types: im2col does not cast. */
  if (imgOk && colOk)
    checkElements(v, op, img, colBuf);

  /* Parameters. */
  int64_t kh = 0, kw = 0, sh = 0, sw = 0, dh = 0, dw = 0, ph = 0, pw = 0;
  bool paramsOk = readPair(v, op, "kernel", 1, &kh, &kw);
  paramsOk &= readPair(v, op, "stride", 1, &sh, &sw);
  paramsOk &= readPair(v, op, "dilation", 1, &dh, &dw);
  paramsOk &= readPair(v, op, "pad", 0, &ph, &pw);

  MlirAttribute ev = tlGetAttr(op, "eviction_policy");
  if (!mlirAttributeIsNull(ev))
    tlvCheckEvictionPolicy(v, op, "eviction_policy", ev);
  static const char *const kInferred[] = {TL_ATTR_INST, TL_ATTR_VECTOR_WIDTH,
                                          TL_ATTR_THREAD_MAP};
  for (int i = 0; i < 3; ++i) {
    MlirAttribute a = tlGetAttr(op, kInferred[i]);
    if (!mlirAttributeIsNull(a))
      tlvCheckInferredAttr(v, op, mlirStringRefCreateFromCString(kInferred[i]),
                           a, &k);
  }

  /* Output size, when the image height / width are static. */
  if (paramsOk && imgOk) {
    if (!mlirShapedTypeIsDynamicDim(img, 1))
      checkOutputSize(v, op, "height", "H", mlirShapedTypeGetDimSize(img, 1),
                      kh, sh, ph, dh);
    if (!mlirShapedTypeIsDynamicDim(img, 2))
      checkOutputSize(v, op, "width", "W", mlirShapedTypeGetDimSize(img, 2), kw,
                      sw, pw, dw);
  }

  tlvRequireBlockSize(v, op, &k, "needs a thread map");
}
