/* The sides of a copy as tl-infer-layouts sees them: the operands read by
 * copy/Side.h (a memref or a tl.region with extents) and their innermost
 * copied dimension; where their buffers live and how they are aligned;
 * what their addressing and alignment allow the vector width. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/AffineExpr.h>
#include <mlir-c/AffineMap.h>
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "AffineEval.h"
#include "Diag.h"
#include "IRBuild.h"
#include "IndexRange.h"
#include "Select.h"
#include "TensorMap.h"

//===--------------------------------------------------------------------===//
// Reading a side
//===--------------------------------------------------------------------===//

/* A memref or a tl.region with extents (copy/Side.h); a malformed
   bounds_check reads as no check. */
bool tlSelReadSide(TlSelSide *s, const char *role, MlirValue v) {
  memset(s, 0, sizeof *s);
  TlSideStatus st = tlCopySideRead(&s->core, role, v);
  s->frag = -1;
  s->inner = -1;
  if ((st != TlSideOk && st != TlSideBadBoundsCheck) ||
      (s->region.ptr && !s->hasExtents))
    return false;
  for (intptr_t d = 0; d < s->rank; ++d)
    if (s->ext[d] != 1)
      s->inner = d;
  return true;
}

/* Workgroup attribution index of `buf` in its gpu.func, or -1. */
intptr_t tlSelWorkgroupIndex(MlirValue buf, MlirOperation *func) {
  if (!mlirValueIsABlockArgument(buf))
    return -1;
  MlirBlock block = mlirBlockArgumentGetOwner(buf);
  MlirOperation f = mlirBlockGetParentOperation(block);
  if (mlirOperationIsNull(f) || !tlOpIsNamed(f, "gpu.func") ||
      !mlirBlockEqual(block,
                      mlirRegionGetFirstBlock(mlirOperationGetRegion(f, 0))))
    return -1;
  MlirAttribute ft = tlGetAttr(f, "function_type");
  MlirAttribute nw = tlGetAttr(f, "workgroup_attributions");
  if (mlirAttributeIsNull(ft) || !mlirAttributeIsAType(ft) ||
      mlirAttributeIsNull(nw) || !mlirAttributeIsAInteger(nw))
    return -1;
  intptr_t inputs = mlirFunctionTypeGetNumInputs(mlirTypeAttrGetValue(ft));
  intptr_t i = mlirBlockArgumentGetArgNumber(buf) - inputs;
  if (i < 0 || i >= mlirIntegerAttrGetValueInt(nw))
    return -1;
  *func = f;
  return i;
}

/* The alignment in bytes known for the start of `buf`, 0 when only element
   alignment is known; `what` says where it comes from. */
int64_t tlSelBaseAlign(MlirValue buf, const char **what) {
  MlirOperation f;
  if (tlSelWorkgroupIndex(buf, &f) >= 0) {
    *what = "a workgroup attribution";
    return TL_SEL_BASE_ALIGN; /* raised to at least 16 by this pass */
  }
  if (mlirValueIsABlockArgument(buf)) {
    MlirBlock block = mlirBlockArgumentGetOwner(buf);
    f = mlirBlockGetParentOperation(block);
    if (!mlirOperationIsNull(f) && tlOpIsNamed(f, "gpu.func") &&
        !mlirAttributeIsNull(tlGetAttr(f, "gpu.kernel")) &&
        mlirBlockEqual(block,
                       mlirRegionGetFirstBlock(mlirOperationGetRegion(f, 0)))) {
      *what = "a kernel argument";
      return TL_SEL_BASE_ALIGN; /* the launcher guarantees it */
    }
    *what = "a block argument that is not a kernel argument";
    return 0;
  }
  MlirOperation def = mlirOpResultGetOwner(buf);
  if (tlOpIsNamed(def, "memref.alloc") || tlOpIsNamed(def, "memref.alloca")) {
    MlirAttribute a = tlGetAttr(def, "alignment");
    if (!mlirAttributeIsNull(a) && mlirAttributeIsAInteger(a) &&
        mlirIntegerAttrGetValueInt(a) > 0) {
      *what = "an allocation with an alignment attribute";
      return mlirIntegerAttrGetValueInt(a);
    }
    *what = "an allocation without an alignment attribute";
    return 0;
  }
  *what = "produced by an op whose alignment is unknown";
  return 0;
}

/* Reduces w by what addressing `s` allows: the innermost dimension `pos`
   must have stride 1, every other dimension's contribution must be a
   multiple of v (the stride, for dimensions with extent > 1; index * stride
   otherwise), the index of `pos` too (when useIndices), the offset, a bounds
   check on `pos` needs a size that v divides, and the start of the buffer
   must be aligned to v elements. */
void tlSelLimitByAddress(const TlSelSide *s, intptr_t pos, bool useIndices,
                         TlSelWidth *w) {
  TlStr ty = {0};
  tlStrAppendType(&ty, s->type);
  const char *tyS = tlStrGet(&ty);
  int64_t strides[TL_SEL_MAX_RANK], offset;
  if (mlirLogicalResultIsFailure(
          mlirMemRefTypeGetStridesAndOffset(s->type, strides, &offset))) {
    tlSelLimitTo(w, 1, "the %s %s has a layout without strides", s->role, tyS);
    tlStrFree(&ty);
    return;
  }
  if (mlirShapedTypeIsDynamicStrideOrOffset(strides[pos]) ||
      strides[pos] != 1) {
    tlSelLimitTo(w, 1,
                 "the innermost copied dimension %lld of the %s %s is not "
                 "contiguous",
                 (long long)pos, s->role, tyS);
    tlStrFree(&ty);
    return;
  }
  if (useIndices) {
    int64_t d = tlIndexDivisor(s->idx[pos]);
    tlSelLimitTo(w, d,
                 "the %s index of dimension %lld is only known to be divisible "
                 "by %lld",
                 s->role, (long long)pos, (long long)d);
  }
  for (intptr_t d = 0; d < s->rank; ++d) {
    if (d == pos)
      continue;
    bool dyn = mlirShapedTypeIsDynamicStrideOrOffset(strides[d]);
    int64_t sd = dyn ? 1 : tlSelPow2Div(strides[d]);
    if (s->ext[d] > 1) {
      if (dyn)
        tlSelLimitTo(w, 1, "dimension %lld of the %s %s has a dynamic stride",
                     (long long)d, s->role, tyS);
      else
        tlSelLimitTo(w, sd, "dimension %lld of the %s %s has stride %lld",
                     (long long)d, s->role, tyS, (long long)strides[d]);
    }
    int64_t id = useIndices ? tlIndexDivisor(s->idx[d]) : TL_SEL_DIVISOR_CAP;
    int64_t term = id * sd > TL_SEL_DIVISOR_CAP ? TL_SEL_DIVISOR_CAP : id * sd;
    tlSelLimitTo(
        w, term,
        "the %s index of dimension %lld times its stride is only known "
        "to be divisible by %lld",
        s->role, (long long)d, (long long)term);
  }
  if (mlirShapedTypeIsDynamicStrideOrOffset(offset))
    tlSelLimitTo(w, 1, "the %s %s has a dynamic offset", s->role, tyS);
  else
    tlSelLimitTo(w, tlSelPow2Div(offset), "the %s %s has offset %lld", s->role,
                 tyS, (long long)offset);
  if (s->check[pos]) {
    if (mlirShapedTypeIsDynamicSize(s->shape[pos]))
      tlSelLimitTo(
          w, 1,
          "the %s is bounds-checked along its innermost dimension %lld, "
          "whose size is dynamic",
          s->role, (long long)pos);
    else
      tlSelLimitTo(
          w, tlSelPow2Div(s->shape[pos]),
          "the %s is bounds-checked along its innermost dimension %lld "
          "of size %lld",
          s->role, (long long)pos, (long long)s->shape[pos]);
  }
  const char *what = "";
  int64_t align = tlSelBaseAlign(s->buffer, &what);
  int64_t eltBytes = s->storageBits / 8;
  if (align <= 0)
    tlSelLimitTo(w, 1, "the %s %s is %s: only its element alignment is known",
                 s->role, tyS, what);
  else
    tlSelLimitTo(w, align >= eltBytes ? tlSelPow2Floor(align / eltBytes) : 1,
                 "the %s %s is %s aligned to %lld bytes", s->role, tyS, what,
                 (long long)align);
  tlStrFree(&ty);
}
