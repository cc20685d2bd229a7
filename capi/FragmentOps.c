/* C API of tl.fragment_read / tl.fragment_write (tl-c/Ops.h,
 * docs/mma-interop.md). The builders check what tl-verify would, so that
 * an embedder gets a located error instead of an op tl-verify refuses. */
#include "tl-c/Ops.h"

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "Builders.h"
#include "Support.h"
#include "tl-c/Attributes.h"

/* A null op after an error at loc (or silently, without a location). */
static MlirOperation create(const char *name, MlirLocation loc,
                            MlirValue fragment, int64_t offset,
                            MlirType vector, MlirValue value) {
  MlirOperation null = {NULL};
  if (!tlCapiCheckBuilderContext(loc, name))
    return null;
  MlirContext ctx = mlirLocationGetContext(loc);
  MlirType ft = mlirValueIsNull(fragment) ? (MlirType){NULL}
                                          : mlirValueGetType(fragment);
  if (mlirTypeIsNull(ft) || !mlirTypeIsAMemRef(ft) ||
      tlMemRefTypeGetScope(ft) != TlScopeFragment) {
    tlEmitErrorf(loc, "%s: the fragment must be a memref in #tl.fragment "
                      "memory", name);
    return null;
  }
  if (mlirTypeIsNull(vector) || !mlirTypeIsAVector(vector) ||
      mlirShapedTypeGetRank(vector) < 1 || mlirShapedTypeGetRank(vector) > 8 ||
      !mlirTypeEqual(mlirShapedTypeGetElementType(vector),
                     mlirShapedTypeGetElementType(ft))) {
    tlEmitErrorf(loc, "%s: the value must be a vector (rank 1 to 8) of the "
                      "fragment's element type", name);
    return null;
  }
  if (offset < 0) {
    tlEmitErrorf(loc, "%s: offset must be >= 0, got %lld", name,
                 (long long)offset);
    return null;
  }
  MlirOperationState st =
      mlirOperationStateGet(mlirStringRefCreateFromCString(name), loc);
  MlirValue ops[2] = {fragment, value};
  mlirOperationStateAddOperands(&st, mlirValueIsNull(value) ? 1 : 2, ops);
  if (mlirValueIsNull(value))
    mlirOperationStateAddResults(&st, 1, &vector);
  MlirNamedAttribute off = mlirNamedAttributeGet(
      mlirIdentifierGet(ctx, mlirStringRefCreateFromCString("offset")),
      mlirIntegerAttrGet(mlirIntegerTypeGet(ctx, 64), offset));
  mlirOperationStateAddAttributes(&st, 1, &off);
  return mlirOperationCreate(&st);
}

MlirOperation tlFragmentReadOpCreate(MlirLocation loc, MlirValue fragment,
                                     int64_t offset, MlirType vectorType) {
  return create("tl.fragment_read", loc, fragment, offset, vectorType,
                (MlirValue){NULL});
}

MlirOperation tlFragmentWriteOpCreate(MlirLocation loc, MlirValue fragment,
                                      int64_t offset, MlirValue value) {
  if (mlirValueIsNull(value)) {
    if (!mlirLocationIsNull(loc))
      tlEmitErrorf(loc, "tl.fragment_write: the value is null");
    return (MlirOperation){NULL};
  }
  return create("tl.fragment_write", loc, fragment, offset,
                mlirValueGetType(value), value);
}

bool tlOperationIsAFragmentRead(MlirOperation op) {
  return tlOpIsNamed(op, "tl.fragment_read");
}

bool tlOperationIsAFragmentWrite(MlirOperation op) {
  return tlOpIsNamed(op, "tl.fragment_write");
}

int64_t tlFragmentAccessOpGetOffset(MlirOperation op) {
  if (!tlOperationIsAFragmentRead(op) && !tlOperationIsAFragmentWrite(op))
    return -1;
  MlirAttribute a = mlirOperationGetAttributeByName(
      op, mlirStringRefCreateFromCString("offset"));
  return !mlirAttributeIsNull(a) && mlirAttributeIsAInteger(a)
             ? mlirIntegerAttrGetValueInt(a)
             : -1;
}
