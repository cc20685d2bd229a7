#include "DynamicArgs.h"

#include <stdlib.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "IRBuild.h"
#include "Support.h"

static MlirAttribute attrOf(MlirOperation op, const char *name) {
  return mlirOperationGetAttributeByName(op,
                                         mlirStringRefCreateFromCString(name));
}

static void setAttr(MlirOperation op, const char *name, MlirAttribute a) {
  mlirOperationSetAttributeByName(op, mlirStringRefCreateFromCString(name), a);
}

/* Appends an `index` input to `func` with argument attributes `dict`. */
static MlirValue appendIndexInput(MlirOperation func, MlirAttribute dict) {
  return tlAppendFuncInput(func, mlirIndexTypeGet(mlirOperationGetContext(func)),
                           dict);
}

bool tlRewriteDynamicKernelArgs(MlirOperation func) {
  MlirContext ctx = mlirOperationGetContext(func);
  MlirLocation loc = mlirOperationGetLocation(func);
  MlirType ft = mlirTypeAttrGetValue(attrOf(func, "function_type"));
  intptr_t nIn = mlirFunctionTypeGetNumInputs(ft);
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  for (intptr_t i = 0; i < nIn; ++i) {
    MlirType t = mlirFunctionTypeGetInput(ft, i);
    if (!mlirTypeIsAMemRef(t) || mlirShapedTypeHasStaticShape(t))
      continue;
    if (!mlirAttributeIsAAffineMap(mlirMemRefTypeGetLayout(t)) ||
        !mlirAffineMapIsIdentity(mlirAffineMapAttrGetValue(
            mlirMemRefTypeGetLayout(t)))) {
      TlStr s = {0};
      tlStrAppendType(&s, t);
      tlEmitErrorf(loc, "tl-to-nvvm: kernel parameter %ld (%s) has dynamic "
                        "sizes and a non-identity layout; only row-major "
                        "dynamic memrefs can be kernel parameters",
                   (long)i, tlStrGet(&s));
      tlStrFree(&s);
      return false;
    }
    intptr_t rank = mlirShapedTypeGetRank(t);
    int64_t shape[16];
    MlirValue sizes[16];
    for (intptr_t d = 0; d < rank && d < 16; ++d) {
      int64_t s = mlirShapedTypeGetDimSize(t, d);
      shape[d] = mlirShapedTypeIsDynamicSize(s) ? 1 : s;
    }
    /* The parameter becomes a bare pointer: a static memref type. */
    MlirType staticType = mlirMemRefTypeGet(
        mlirShapedTypeGetElementType(t), rank, shape,
        mlirAttributeGetNull(), mlirMemRefTypeGetMemorySpace(t));
    MlirValue arg = mlirBlockGetArgument(entry, i);
    mlirValueSetType(arg, staticType);
    for (intptr_t d = 0; d < rank; ++d) {
      int64_t s = mlirShapedTypeGetDimSize(t, d);
      if (!mlirShapedTypeIsDynamicSize(s))
        continue;
      int64_t which[2] = {i, d};
      MlirNamedAttribute dimOf = tlNamed(ctx, "tl.dim_of",
                                         mlirDenseI64ArrayGet(ctx, 2, which));
      sizes[d] = appendIndexInput(func, mlirDictionaryAttrGet(ctx, 1, &dimOf));
    }
    /* Entry: sizes, row-major strides, and the cast back to the original
       type, before the first operation. */
    MlirOperation first = mlirBlockGetFirstOperation(entry);
    MlirValue strides[16];
    MlirValue one = {NULL};
    for (intptr_t d = rank - 1; d >= 0; --d) {
      int64_t s = mlirShapedTypeGetDimSize(t, d);
      if (!mlirShapedTypeIsDynamicSize(s))
        sizes[d] = tlBuildIndexConstant(first, loc, s);
      if (d == rank - 1) {
        one = tlBuildIndexConstant(first, loc, 1);
        strides[d] = one;
      } else {
        MlirValue ops[2] = {strides[d + 1], sizes[d + 1]};
        MlirType index = mlirIndexTypeGet(ctx);
        strides[d] = mlirOperationGetResult(
            tlBuildOpBefore(first, "arith.muli", loc, 2, ops, 1, &index, 0,
                            NULL),
            0);
      }
    }
    /* memref.reinterpret_cast %arg to offset: [0], sizes, strides: operands
       (source, offsets = none, sizes..., strides...), static parts in the
       static_* attributes. */
    MlirValue operands[33];
    intptr_t n = 0, nSizes = 0, nStrides = 0;
    operands[n++] = arg;
    int64_t staticSizes[16], staticStrides[16], staticOffsets[1] = {0};
    for (intptr_t d = 0; d < rank; ++d) {
      int64_t s = mlirShapedTypeGetDimSize(t, d);
      staticSizes[d] = s; /* ShapedType::kDynamic where dynamic */
      if (mlirShapedTypeIsDynamicSize(s)) {
        operands[n++] = sizes[d];
        ++nSizes;
      }
    }
    /* A stride is static when every later dimension is. */
    int64_t stride = 1;
    bool staticSoFar = true;
    for (intptr_t d = rank - 1; d >= 0; --d) {
      staticStrides[d] = staticSoFar ? stride : INT64_MIN;
      int64_t s = mlirShapedTypeGetDimSize(t, d);
      if (mlirShapedTypeIsDynamicSize(s))
        staticSoFar = false;
      else
        stride *= s;
    }
    for (intptr_t d = 0; d < rank; ++d)
      if (staticStrides[d] == INT64_MIN) {
        operands[n++] = strides[d];
        ++nStrides;
      }
    int32_t segments[4] = {1, 0, (int32_t)nSizes, (int32_t)nStrides};
    MlirNamedAttribute attrs[4] = {
        tlNamed(ctx, "static_offsets", mlirDenseI64ArrayGet(ctx, 1, staticOffsets)),
        tlNamed(ctx, "static_sizes", mlirDenseI64ArrayGet(ctx, rank, staticSizes)),
        tlNamed(ctx, "static_strides", mlirDenseI64ArrayGet(ctx, rank, staticStrides)),
        tlNamed(ctx, "operandSegmentSizes", mlirDenseI32ArrayGet(ctx, 4, segments))};
    MlirOperation cast = tlBuildOpBefore(first, "memref.reinterpret_cast", loc,
                                         n, operands, 1, &t, 4, attrs);
    MlirValue view = mlirOperationGetResult(cast, 0);
    mlirValueReplaceAllUsesExcept(arg, view, 1, &cast);
    /* The original type, for the ABI and the launchers' documentation. */
    MlirAttribute old = attrOf(func, "arg_attrs");
    ft = mlirTypeAttrGetValue(attrOf(func, "function_type"));
    intptr_t nNow = mlirFunctionTypeGetNumInputs(ft);
    MlirType *ins = malloc(sizeof(MlirType) * (size_t)nNow);
    for (intptr_t k = 0; k < nNow; ++k)
      ins[k] = k == i ? staticType : mlirFunctionTypeGetInput(ft, k);
    intptr_t nRes = mlirFunctionTypeGetNumResults(ft);
    MlirType *outs = malloc(sizeof(MlirType) * (size_t)(nRes + 1));
    for (intptr_t k = 0; k < nRes; ++k)
      outs[k] = mlirFunctionTypeGetResult(ft, k);
    setAttr(func, "function_type",
            mlirTypeAttrGet(mlirFunctionTypeGet(ctx, nNow, ins, nRes, outs)));
    free(ins);
    free(outs);
    MlirAttribute *dicts = malloc(sizeof(MlirAttribute) * (size_t)nNow);
    for (intptr_t k = 0; k < nNow; ++k) {
      MlirAttribute d = mlirArrayAttrGetElement(attrOf(func, "arg_attrs"), k);
      if (k == i) {
        intptr_t m = mlirDictionaryAttrGetNumElements(d);
        MlirNamedAttribute *es = malloc(sizeof(MlirNamedAttribute) * (size_t)(m + 1));
        for (intptr_t e = 0; e < m; ++e)
          es[e] = mlirDictionaryAttrGetElement(d, e);
        es[m] = tlNamed(ctx, "tl.dynamic_type", mlirTypeAttrGet(t));
        d = mlirDictionaryAttrGet(ctx, m + 1, es);
        free(es);
      }
      dicts[k] = d;
    }
    (void)old;
    setAttr(func, "arg_attrs", mlirArrayAttrGet(ctx, nNow, dicts));
    free(dicts);
  }
  return true;
}
