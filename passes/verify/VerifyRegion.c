/* tl-verify: the rules of tl.region (access, extents, indices, bounds
 * checks; docs/verify.md). */
#include <stdint.h>
#include <string.h>

#include <mlir-c/AffineMap.h>
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/IR.h>

#include "Contract.h"
#include "Support.h"
#include "Verifier.h"
#include "tl-c/Attributes.h"

//===--------------------------------------------------------------------===//
// tl.region
//===--------------------------------------------------------------------===//

/* `bounds_check` is recorded by tl-legalize-regions. */
static const char *const kRegionAttrs[] = {"access", "extents",
                                           TL_ATTR_BOUNDS_CHECK};

void tlvVerifyRegion(Verifier *v, MlirOperation op) {
  tlvCheckAttrNames(v, op, kRegionAttrs,
                    sizeof kRegionAttrs / sizeof kRegionAttrs[0],
                    sizeof kRegionAttrs / sizeof kRegionAttrs[0], NULL);

  MlirAttribute access = tlGetAttr(op, "access");
  int64_t a = 0;
  if (tlvReadInt(access, &a) != IntOk || a < 1 || a > 3)
    tlvFail(v, op,
            "access must be an integer attribute with value 1 (read), 2 "
            "(write) or 3 (read-write), got %s",
            tlvAttr(v, access));

  MlirValue buf = mlirOperationGetOperand(op, 0);
  MlirType type = mlirValueGetType(buf);
  if (!mlirTypeIsAMemRef(type)) {
    tlvFail(v, op, "buffer must be a ranked memref, got %s", tlvType(v, type));
    return;
  }
  tlvCheckScope(v, op, "buffer", type);
  tlvCheckBufferBytes(v, op, "buffer", type);

  int64_t rank = mlirShapedTypeGetRank(type);
  MlirAttribute bounds = tlGetAttr(op, TL_ATTR_BOUNDS_CHECK);
  if (!mlirAttributeIsNull(bounds) &&
      (!mlirAttributeIsADenseBoolArray(bounds) ||
       mlirDenseArrayGetNumElements(bounds) != rank))
    tlvFail(v, op,
            "bounds_check must be array<i1: ...> with one entry per buffer "
            "dimension (%lld), got %s",
            (long long)rank, tlvAttr(v, bounds));

  intptr_t nIdx = mlirOperationGetNumOperands(op) - 1;
  bool indicesOk = nIdx == rank;
  if (!indicesOk)
    tlvFail(v, op,
            "has %lld %s for a rank-%lld buffer (%s): one index per dimension "
            "is required",
            (long long)nIdx, nIdx == 1 ? "index" : "indices", (long long)rank,
            tlvType(v, type));

  MlirAttribute extentsAttr = tlGetAttr(op, "extents");
  bool hasExtents = !mlirAttributeIsNull(extentsAttr);
  bool extentsOk = hasExtents;
  if (hasExtents) {
    if (!mlirAttributeIsADenseI64Array(extentsAttr)) {
      tlvFail(v, op,
              "extents must be array<i64: ...> with one entry per buffer "
              "dimension, got %s",
              tlvAttr(v, extentsAttr));
      extentsOk = false;
    } else if (mlirDenseArrayGetNumElements(extentsAttr) != rank) {
      tlvFail(v, op,
              "extents %s has %lld entries for a rank-%lld buffer (%s): one "
              "extent per dimension is required",
              tlvAttr(v, extentsAttr),
              (long long)mlirDenseArrayGetNumElements(extentsAttr),
              (long long)rank, tlvType(v, type));
      extentsOk = false;
    } else {
      for (intptr_t d = 0; d < rank; ++d) {
        int64_t e = mlirDenseI64ArrayGetElement(extentsAttr, d);
        if (e <= 0) {
          tlvFail(v, op, "extents entry %lld is %lld: every extent must be > 0",
                  (long long)d, (long long)e);
          extentsOk = false;
        } else if (!mlirShapedTypeIsDynamicDim(type, d) &&
                   e > mlirShapedTypeGetDimSize(type, d)) {
          tlvFail(
              v, op,
              "extents entry %lld (%lld) exceeds dimension %lld (size %lld) "
              "of %s",
              (long long)d, (long long)e, (long long)d,
              (long long)mlirShapedTypeGetDimSize(type, d), tlvType(v, type));
          extentsOk = false;
        }
      }
    }
  }

  /* Constant indices: the region must lie inside the buffer. */
  if (!indicesOk)
    return;
  for (intptr_t d = 0; d < rank; ++d) {
    int64_t idx;
    if (!tlvConstantIndex(mlirOperationGetOperand(op, d + 1), &idx))
      continue;
    bool dynamic = mlirShapedTypeIsDynamicDim(type, d);
    int64_t dim = dynamic ? 0 : mlirShapedTypeGetDimSize(type, d);
    if (idx < 0) {
      tlvFail(v, op,
              "index %lld is %lld: the region is provably out of bounds of %s "
              "(indices must be >= 0)",
              (long long)d, (long long)idx, tlvType(v, type));
    } else if (dynamic) {
      continue;
    } else if (hasExtents && extentsOk) {
      int64_t e = mlirDenseI64ArrayGetElement(extentsAttr, d);
      if (idx > dim - e)
        tlvFail(v, op,
                "index %lld (%lld) with extent %lld is provably out of bounds "
                "of dimension %lld of %s: %lld + %lld > %lld",
                (long long)d, (long long)idx, (long long)e, (long long)d,
                tlvType(v, type), (long long)idx, (long long)e, (long long)dim);
    } else if (!hasExtents && idx >= dim) {
      tlvFail(
          v, op,
          "index %lld (%lld) is provably out of bounds of dimension %lld of "
          "%s: %lld >= %lld",
          (long long)d, (long long)idx, (long long)d, tlvType(v, type),
          (long long)idx, (long long)dim);
    }
  }
}
