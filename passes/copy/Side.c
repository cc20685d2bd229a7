/* The one reader of a copy's sides (Side.h): a tl.copy or tl.c2d_im2col
 * operand into a TlCopySide, with a status for what is missing, so that
 * tl-verify, tl-legalize-regions, tl-infer-layouts and tl-lower-copy read
 * buffers, scopes, element sizes and regions alike and differ only in what
 * they accept and how they say it. Also the one rule for a stage slice of a
 * multi-buffered shared buffer (tlSideStageOffset), which the address-based
 * instructions (TMA, TMA im2col) share. */
#include <stdio.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "Contract.h"
#include "IRBuild.h"
#include "Side.h"
#include "tl-c/Ops.h"

//===--------------------------------------------------------------------===//
// Element sizes
//===--------------------------------------------------------------------===//

int64_t tlElementBits(MlirType t) {
  if (mlirTypeIsAInteger(t))
    return mlirIntegerTypeGetWidth(t);
  if (mlirTypeIsAFloat(t))
    return mlirFloatTypeGetWidth(t);
  if (mlirTypeIsAIndex(t))
    return 64;
  return 0;
}

/* An 8-bit float: copied as bytes only (no conversion lowers). */
bool tlIsF8(MlirType t) {
  return mlirTypeIsAFloat(t) && mlirFloatTypeGetWidth(t) == 8;
}

bool tlElementTypeIsSupported(MlirType t) {
  if (mlirTypeIsAIndex(t) || tlIsF8(t))
    return true;
  if (mlirTypeIsAInteger(t)) {
    unsigned w = mlirIntegerTypeGetWidth(t);
    return mlirIntegerTypeIsSignless(t) &&
           (w == 8 || w == 16 || w == 32 || w == 64);
  }
  return mlirTypeIsAF16(t) || mlirTypeIsABF16(t) || mlirTypeIsAF32(t) ||
         mlirTypeIsAF64(t);
}

int64_t tlStorageBits(MlirType t) {
  int64_t b = tlElementBits(t);
  int64_t r = 8;
  while (r < b)
    r *= 2;
  return r;
}

//===--------------------------------------------------------------------===//
// Reading a side
//===--------------------------------------------------------------------===//

/* The buffer (and region) behind `v`. */
static TlSideStatus readBuffer(TlCopySide *s, MlirValue v) {
  MlirType t = mlirValueGetType(v);
  if (mlirTypeIsAMemRef(t)) {
    s->buffer = v;
    return TlSideOk;
  }
  if (!tlTypeIsABufferRegion(t))
    return TlSideNotBuffer;
  MlirOperation def =
      mlirValueIsAOpResult(v) ? mlirOpResultGetOwner(v) : (MlirOperation){0};
  if (!tlOperationIsARegion(def))
    return TlSideNotRegion;
  s->region = def;
  s->buffer = tlRegionOpGetBuffer(def);
  s->hasExtents = tlRegionOpHasExtents(def);
  return TlSideOk;
}

/* bounds_check of a region, when well formed. */
static TlSideStatus readBoundsCheck(TlCopySide *s) {
  if (!s->region.ptr)
    return TlSideOk;
  MlirAttribute bc = mlirOperationGetAttributeByName(
      s->region, mlirStringRefCreateFromCString(TL_ATTR_BOUNDS_CHECK));
  if (mlirAttributeIsNull(bc))
    return TlSideOk;
  if (!mlirAttributeIsADenseBoolArray(bc) ||
      mlirDenseArrayGetNumElements(bc) != s->rank)
    return TlSideBadBoundsCheck;
  for (intptr_t d = 0; d < s->rank; ++d)
    s->check[d] = mlirDenseBoolArrayGetElement(bc, d);
  return TlSideOk;
}

TlSideStatus tlCopySideRead(TlCopySide *s, const char *role, MlirValue v) {
  memset(s, 0, sizeof *s);
  s->role = role;
  TlSideStatus st = readBuffer(s, v);
  if (st != TlSideOk)
    return st;
  if (mlirValueIsNull(s->buffer))
    return TlSideNotMemRef;
  s->type = mlirValueGetType(s->buffer);
  if (!mlirTypeIsAMemRef(s->type))
    return TlSideNotMemRef;
  s->elt = mlirShapedTypeGetElementType(s->type);
  s->bits = tlElementBits(s->elt);
  s->storageBits = tlStorageBits(s->elt);
  s->scope = tlMemRefTypeGetScope(s->type);
  s->rank = mlirShapedTypeGetRank(s->type);
  if (s->rank > TL_SIDE_MAX_RANK)
    return TlSideRankTooLarge;
  for (intptr_t d = 0; d < s->rank; ++d)
    s->shape[d] = mlirShapedTypeGetDimSize(s->type, d);
  if (s->region.ptr) {
    if (tlRegionOpGetNumIndices(s->region) != s->rank)
      return TlSideIndexCount;
    if (s->hasExtents && tlRegionOpGetNumExtents(s->region) != s->rank)
      return TlSideExtentCount;
  }
  for (intptr_t d = 0; d < s->rank; ++d) {
    s->idx[d] =
        s->region.ptr ? tlRegionOpGetIndex(s->region, d) : (MlirValue){NULL};
    s->ext[d] = !s->region.ptr  ? s->shape[d]
                : s->hasExtents ? tlRegionOpGetExtent(s->region, d)
                                : 0;
  }
  return readBoundsCheck(s);
}

//===--------------------------------------------------------------------===//
// Stage slices of a multi-buffered shared buffer
//===--------------------------------------------------------------------===//

bool tlSideStageOffset(const TlCopySide *s, const int64_t *strides, int64_t eb,
                       int64_t align, int64_t *off, char *why, size_t cap) {
  intptr_t first = s->rank - 1;
  for (intptr_t d = 0; d < s->rank; ++d)
    if (s->ext[d] != 1) {
      first = d;
      break;
    }
  *off = 0;
  for (intptr_t d = 0; d < s->rank; ++d) {
    int64_t k;
    if (tlGetConstantIndex(s->idx[d], &k)) {
      *off += k * strides[d];
      continue;
    }
    if (d >= first || s->ext[d] != 1) {
      snprintf(why, cap,
               "the shared region's index of dimension %lld is not a "
               "constant (only a stage dimension of extent 1 may be "
               "dynamic)",
               (long long)d);
      return false;
    }
    if (s->check[d]) {
      snprintf(why, cap,
               "the shared region's stage index of dimension %lld is not "
               "provably in bounds",
               (long long)d);
      return false;
    }
    if ((strides[d] * eb) % align != 0) {
      snprintf(why, cap,
               "the shared region's stage index of dimension %lld is "
               "dynamic, but its stride of %lld bytes is not a multiple of "
               "%lld",
               (long long)d, (long long)(strides[d] * eb), (long long)align);
      return false;
    }
  }
  return true;
}
