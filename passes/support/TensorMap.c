#include "TensorMap.h"

#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Dialect/LLVM.h>

#include "IRBuild.h"
#include "Support.h"

int64_t tlTensorMapDataType(MlirType t) {
  if (mlirTypeIsAF16(t))
    return 6;
  if (mlirTypeIsABF16(t))
    return 9;
  if (mlirTypeIsAF32(t))
    return 7;
  if (mlirTypeIsAF64(t))
    return 8;
  if (mlirTypeIsAInteger(t)) {
    switch (mlirIntegerTypeGetWidth(t)) {
    case 8:
      return 0; /* UINT8: bytes are bytes */
    case 16:
      return 1;
    case 32:
      return 2;
    case 64:
      return 4;
    default:
      return -1;
    }
  }
  return -1;
}

static MlirAttribute i64(MlirContext ctx, int64_t v) {
  return mlirIntegerAttrGet(mlirIntegerTypeGet(ctx, 64), v);
}

MlirAttribute tlTensorMapDescAttr(MlirContext ctx, const TlTensorMapDesc *d) {
  MlirNamedAttribute a[16];
  intptr_t n = 0;
  bool im2col = !strcmp(d->kind, "im2col");
  a[n++] = tlNamed(ctx, "kind",
                   mlirStringAttrGet(ctx, mlirStringRefCreateFromCString(d->kind)));
  a[n++] = tlNamed(ctx, "buffer", i64(ctx, d->buffer));
  a[n++] = tlNamed(ctx, "data_type", i64(ctx, d->dataType));
  a[n++] = tlNamed(ctx, "global_dim",
                   mlirDenseI64ArrayGet(ctx, d->rank, d->globalDim));
  a[n++] = tlNamed(ctx, "global_strides",
                   mlirDenseI64ArrayGet(ctx, d->rank - 1, d->globalStrides));
  if (!im2col)
    a[n++] = tlNamed(ctx, "box", mlirDenseI64ArrayGet(ctx, d->rank, d->box));
  a[n++] = tlNamed(ctx, "element_strides",
                   mlirDenseI64ArrayGet(ctx, d->rank, d->elementStrides));
  a[n++] = tlNamed(ctx, "swizzle", i64(ctx, d->swizzle));
  a[n++] = tlNamed(ctx, "l2_promotion", i64(ctx, d->l2Promotion));
  if (d->dynamic) {
    a[n++] = tlNamed(ctx, "dims_from",
                     mlirDenseI64ArrayGet(ctx, d->rank, d->dimsFrom));
    a[n++] = tlNamed(ctx, "element_bytes", i64(ctx, d->elementBytes));
  }
  if (im2col) {
    a[n++] = tlNamed(ctx, "lower_corner",
                     mlirDenseI64ArrayGet(ctx, d->rank - 2, d->lowerCorner));
    a[n++] = tlNamed(ctx, "upper_corner",
                     mlirDenseI64ArrayGet(ctx, d->rank - 2, d->upperCorner));
    a[n++] = tlNamed(ctx, "channels_per_pixel", i64(ctx, d->channelsPerPixel));
    a[n++] = tlNamed(ctx, "pixels_per_column", i64(ctx, d->pixelsPerColumn));
  }
  return mlirDictionaryAttrGet(ctx, n, a);
}

int64_t tlFuncInputIndex(MlirOperation func, MlirValue v) {
  if (!mlirValueIsABlockArgument(v))
    return -1;
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  if (!mlirBlockEqual(mlirBlockArgumentGetOwner(v), entry))
    return -1;
  MlirType ft = mlirTypeAttrGetValue(tlGetAttr(func, "function_type"));
  intptr_t pos = mlirBlockArgumentGetArgNumber(v);
  return pos < mlirFunctionTypeGetNumInputs(ft) ? pos : -1;
}

MlirValue tlGetOrAddTensorMapArg(MlirOperation func,
                                 const TlTensorMapDesc *desc) {
  MlirContext ctx = mlirOperationGetContext(func);
  MlirAttribute want = tlTensorMapDescAttr(ctx, desc);
  MlirType ft = mlirTypeAttrGetValue(tlGetAttr(func, "function_type"));
  intptr_t nIn = mlirFunctionTypeGetNumInputs(ft);
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  MlirAttribute argAttrs = tlGetAttr(func, "arg_attrs");
  bool haveArgAttrs = !mlirAttributeIsNull(argAttrs) &&
                      mlirAttributeIsAArray(argAttrs) &&
                      mlirArrayAttrGetNumElements(argAttrs) == nIn;
  MlirStringRef key = mlirStringRefCreateFromCString("tl.tensor_map");
  if (haveArgAttrs)
    for (intptr_t i = 0; i < nIn; ++i) {
      MlirAttribute d = mlirArrayAttrGetElement(argAttrs, i);
      if (!mlirAttributeIsADictionary(d))
        continue;
      MlirAttribute have = mlirDictionaryAttrGetElementByName(d, key);
      if (!mlirAttributeIsNull(have) && mlirAttributeEqual(have, want))
        return mlirBlockGetArgument(entry, i);
    }
  /* A new input at position nIn: function type, block argument, argument
     attributes, and the list of tensor-map arguments. */
  MlirNamedAttribute entryAttr = mlirNamedAttributeGet(
      mlirIdentifierGet(ctx, key), want);
  MlirValue arg = tlAppendFuncInput(func, mlirLLVMPointerTypeGet(ctx, 0),
                                    mlirDictionaryAttrGet(ctx, 1, &entryAttr));
  MlirAttribute list = tlGetAttr(func, "tl.tensor_map_args");
  intptr_t n = mlirAttributeIsNull(list) ? 0 : mlirDenseArrayGetNumElements(list);
  int64_t *idx = malloc(sizeof(int64_t) * (size_t)(n + 1));
  for (intptr_t i = 0; i < n; ++i)
    idx[i] = mlirDenseI64ArrayGetElement(list, i);
  idx[n] = nIn;
  tlSetAttr(func, "tl.tensor_map_args", mlirDenseI64ArrayGet(ctx, n + 1, idx));
  free(idx);
  return arg;
}
