/* tl.fragment_read / tl.fragment_write (docs/mma-interop.md): a thread's
 * run of locals of a fragment as a vector. What can be checked before the
 * layout exists is checked here; that the run fits the locals the layout
 * gives each thread is checked by tl-lower-copy, which knows the layout. */
#include <stdint.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "Support.h"
#include "Verifier.h"
#include "tl-c/Attributes.h"

static const char *const kAttrs[] = {"offset"};

/* The element count of a static shaped type (saturating at INT64_MAX). */
static int64_t numElements(MlirType t) {
  int64_t n = 1;
  for (intptr_t d = 0; d < mlirShapedTypeGetRank(t); ++d)
    if (__builtin_mul_overflow(n, mlirShapedTypeGetDimSize(t, d), &n))
      return INT64_MAX;
  return n;
}

void tlvVerifyFragmentAccess(Verifier *v, MlirOperation op, bool write) {
  tlvCheckAttrNames(v, op, kAttrs, 1, 1, NULL);
  MlirValue frag = mlirOperationGetOperand(op, 0);
  MlirType ft = mlirValueGetType(frag);
  MlirType vt = write ? mlirValueGetType(mlirOperationGetOperand(op, 1))
                      : mlirValueGetType(mlirOperationGetResult(op, 0));
  if (!mlirTypeIsAMemRef(ft) || tlMemRefTypeGetScope(ft) != TlScopeFragment ||
      !mlirShapedTypeHasStaticShape(ft)) {
    tlvFail(v, op,
            "fragment must be a statically shaped memref in #tl.fragment "
            "memory, got %s",
            tlvType(v, ft));
    return;
  }
  if (mlirValueIsABlockArgument(frag) ||
      !tlOpIsNamed(mlirOpResultGetOwner(frag), "memref.alloca")) {
    tlvFail(v, op, "fragment must be a memref.alloca of the kernel (%s)",
            tlvProducerText(v, frag));
    return;
  }
  MlirType elt = mlirShapedTypeGetElementType(ft);
  if (!mlirTypeIsAVector(vt) || mlirVectorTypeIsScalable(vt) ||
      mlirShapedTypeGetRank(vt) < 1 || mlirShapedTypeGetRank(vt) > 8 ||
      !mlirTypeEqual(mlirShapedTypeGetElementType(vt), elt)) {
    tlvFail(v, op,
            "value must be a fixed-size vector (rank 1 to 8) of the "
            "fragment's element type %s, got %s",
            tlvType(v, elt), tlvType(v, vt));
    return;
  }
  MlirAttribute off = tlGetAttr(op, "offset");
  int64_t o = 0;
  if (mlirAttributeIsNull(off) || tlvReadInt(off, &o) != IntOk || o < 0) {
    tlvFail(v, op, "offset must be a non-negative integer attribute, got %s",
            mlirAttributeIsNull(off) ? "none" : tlvAttr(v, off));
    return;
  }
  int64_t n = numElements(vt);
  int64_t elems = numElements(ft);
  /* A thread holds at most the whole tile. */
  if (o > elems || n > elems - o)
    tlvFail(v, op,
            "reads or writes locals [%lld, %lld) of a fragment of %lld "
            "elements: no thread holds that many",
            (long long)o, (long long)o + (long long)n, (long long)elems);
}
