/* The shared-memory spellings tl-to-nvvm refuses (support/SharedSources.h
 * says which and why). */
#include "SharedSources.h"

#include <stdio.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "IRBuild.h"
#include "Support.h"
#include "tl-c/Attributes.h"

bool tlIsWorkgroupMemRef(MlirType t) {
  if (!mlirTypeIsAMemRef(t))
    return false;
  if (tlMemRefTypeGetScope(t) == TlScopeShared)
    return true;
  MlirAttribute s = mlirMemRefTypeGetMemorySpace(t);
  return !mlirAttributeIsNull(s) && mlirAttributeIsAInteger(s) &&
         mlirIntegerAttrGetValueInt(s) == 3;
}

/* A memref.alloca / memref.alloc of workgroup memory: refused. */
static bool checkAlloc(MlirOperation op) {
  bool alloca = tlOpIsNamed(op, "memref.alloca");
  if (!alloca && !tlOpIsNamed(op, "memref.alloc"))
    return true;
  MlirType t = mlirValueGetType(mlirOperationGetResult(op, 0));
  if (!tlIsWorkgroupMemRef(t))
    return true;
  TlStr s = {0};
  tlStrAppendType(&s, t);
  tlEmitErrorf(mlirOperationGetLocation(op),
               "tl-to-nvvm: %s of %s: shared memory cannot be allocated "
               "%s; declare the buffer as a workgroup attribution of the "
               "gpu.func (workgroup(%%buf : ...))",
               alloca ? "memref.alloca" : "memref.alloc", tlStrGet(&s),
               alloca ? "on the stack (it would become a per-thread stack "
                        "slot addressed as shared)"
                      : "at run time");
  tlStrFree(&s);
  return false;
}

/* The element one past the farthest a static strided memref reaches from
   its base, -1 when it has no static strided layout. */
static long long extentOf(MlirType t) {
  intptr_t r = mlirShapedTypeGetRank(t);
  int64_t strides[16], offset;
  if (r > 16 || !mlirShapedTypeHasStaticShape(t) ||
      mlirLogicalResultIsFailure(
          mlirMemRefTypeGetStridesAndOffset(t, strides, &offset)) ||
      offset < 0 || offset == mlirShapedTypeGetDynamicStrideOrOffset())
    return -1;
  long long last = offset;
  for (intptr_t d = 0; d < r; ++d) {
    int64_t n = mlirShapedTypeGetDimSize(t, d);
    if (n == 0)
      return 0;
    if (strides[d] < 0 || strides[d] == mlirShapedTypeGetDynamicStrideOrOffset())
      return -1;
    last += (long long)(n - 1) * strides[d];
  }
  return last + 1;
}

/* Attributions [first, first + n) of `func`'s entry block: each must
   reach no further than its shape-many elements, or an error. */
static bool checkAttributions(MlirOperation func, intptr_t first, intptr_t n,
                              const char *kind) {
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  bool ok = true;
  for (intptr_t i = 0; i < n; ++i) {
    if (first + i >= mlirBlockGetNumArguments(entry))
      break;
    MlirType t = mlirValueGetType(mlirBlockGetArgument(entry, first + i));
    if (!mlirTypeIsAMemRef(t) || tlStaticRowMajor(t, NULL))
      continue;
    long long elems = mlirShapedTypeHasStaticShape(t) ? 1 : -1;
    for (intptr_t d = 0; elems > 0 && d < mlirShapedTypeGetRank(t); ++d)
      elems *= mlirShapedTypeGetDimSize(t, d);
    long long reach = extentOf(t);
    /* A permutation (column-major) reaches exactly its elements. */
    if (reach >= 0 && elems >= 0 && reach <= elems)
      continue;
    TlStr s = {0};
    tlStrAppendType(&s, t);
    if (reach >= 0 && elems >= 0)
      tlEmitErrorf(mlirOperationGetLocation(func),
                   "tl-to-nvvm: %s attribution %ld (%s) is not row-major "
                   "from offset 0: it would be allocated %lld elements but "
                   "its layout reaches %lld; declare the whole buffer and "
                   "take a memref.subview of it",
                   kind, (long)i, tlStrGet(&s), elems, reach);
    else
      tlEmitErrorf(mlirOperationGetLocation(func),
                   "tl-to-nvvm: %s attribution %ld (%s) has a layout tl "
                   "cannot size (static non-negative strides and offset "
                   "needed); use the identity layout",
                   kind, (long)i, tlStrGet(&s));
    tlStrFree(&s);
    ok = false;
  }
  return ok;
}

static intptr_t intAttr(MlirOperation op, const char *name) {
  MlirAttribute a = tlGetAttr(op, name);
  return mlirAttributeIsNull(a) || !mlirAttributeIsAInteger(a)
             ? 0
             : (intptr_t)mlirIntegerAttrGetValueInt(a);
}

/* A gpu.func's attributions: workgroup ones follow the inputs, private
   ones follow those. */
static bool checkFunc(MlirOperation func) {
  MlirAttribute ft = tlGetAttr(func, "function_type");
  if (mlirAttributeIsNull(ft) || !mlirAttributeIsAType(ft))
    return true;
  intptr_t nIn = mlirFunctionTypeGetNumInputs(mlirTypeAttrGetValue(ft));
  intptr_t nW = intAttr(func, "workgroup_attributions");
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  if (mlirBlockIsNull(entry))
    return true;
  intptr_t nP = mlirBlockGetNumArguments(entry) - nIn - nW;
  bool ok = checkAttributions(func, nIn, nW, "workgroup");
  return checkAttributions(func, nIn + nW, nP > 0 ? nP : 0, "private") && ok;
}

static MlirWalkResult checkWalk(MlirOperation op, void *userData) {
  bool *ok = userData;
  if (tlOpIsNamed(op, "gpu.func") && !checkFunc(op))
    *ok = false;
  if (!checkAlloc(op))
    *ok = false;
  return MlirWalkResultAdvance;
}

static MlirWalkResult moduleWalk(MlirOperation op, void *userData) {
  if (!tlOpIsNamed(op, "gpu.module"))
    return MlirWalkResultAdvance;
  mlirOperationWalk(op, checkWalk, userData, MlirWalkPreOrder);
  return MlirWalkResultSkip;
}

bool tlCheckSharedSources(MlirOperation op) {
  bool ok = true;
  mlirOperationWalk(op, moduleWalk, &ok, MlirWalkPreOrder);
  return ok;
}
