#include "DynamicArgs.h"

#include <stdlib.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "IRBuild.h"
#include "Support.h"

/* Appends an `index` input to `func` with argument attributes `dict`. */
static MlirValue appendIndexInput(MlirOperation func, MlirAttribute dict) {
  return tlAppendFuncInput(func, mlirIndexTypeGet(mlirOperationGetContext(func)),
                           dict);
}

/* Only row-major dynamic memrefs can become a pointer plus sizes. */
static bool checkRowMajor(MlirOperation func, intptr_t i, MlirType t) {
  MlirAttribute layout = mlirMemRefTypeGetLayout(t);
  if (mlirAttributeIsAAffineMap(layout) &&
      mlirAffineMapIsIdentity(mlirAffineMapAttrGetValue(layout)))
    return true;
  TlStr s = {0};
  tlStrAppendType(&s, t);
  tlEmitErrorf(mlirOperationGetLocation(func),
               "tl-to-nvvm: kernel parameter %ld (%s) has dynamic "
               "sizes and a non-identity layout; only row-major "
               "dynamic memrefs can be kernel parameters",
               (long)i, tlStrGet(&s));
  tlStrFree(&s);
  return false;
}

/* t with every dynamic size replaced by 1: the bare pointer's type. */
static MlirType staticTypeOf(MlirType t) {
  intptr_t rank = mlirShapedTypeGetRank(t);
  int64_t shape[16];
  for (intptr_t d = 0; d < rank && d < 16; ++d) {
    int64_t s = mlirShapedTypeGetDimSize(t, d);
    shape[d] = mlirShapedTypeIsDynamicSize(s) ? 1 : s;
  }
  return mlirMemRefTypeGet(mlirShapedTypeGetElementType(t), rank, shape,
                           mlirAttributeGetNull(),
                           mlirMemRefTypeGetMemorySpace(t));
}

/* Sizes (a new `index` input per dynamic one, static ones as constants)
   and row-major strides of parameter i, built before `first`. */
static void sizesAndStrides(MlirOperation func, intptr_t i, MlirType t,
                            MlirOperation first, MlirValue *sizes,
                            MlirValue *strides) {
  MlirContext ctx = mlirOperationGetContext(func);
  MlirLocation loc = mlirOperationGetLocation(func);
  intptr_t rank = mlirShapedTypeGetRank(t);
  for (intptr_t d = 0; d < rank; ++d) {
    if (!mlirShapedTypeIsDynamicSize(mlirShapedTypeGetDimSize(t, d)))
      continue;
    int64_t which[2] = {i, d};
    MlirNamedAttribute dimOf = tlNamed(ctx, "tl.dim_of",
                                       mlirDenseI64ArrayGet(ctx, 2, which));
    sizes[d] = appendIndexInput(func, mlirDictionaryAttrGet(ctx, 1, &dimOf));
  }
  for (intptr_t d = rank - 1; d >= 0; --d) {
    int64_t s = mlirShapedTypeGetDimSize(t, d);
    if (!mlirShapedTypeIsDynamicSize(s))
      sizes[d] = tlBuildIndexConstant(first, loc, s);
    if (d == rank - 1) {
      strides[d] = tlBuildIndexConstant(first, loc, 1);
    } else {
      MlirValue ops[2] = {strides[d + 1], sizes[d + 1]};
      MlirType index = mlirIndexTypeGet(ctx);
      strides[d] = mlirOperationGetResult(
          tlBuildOpBefore(first, "arith.muli", loc, 2, ops, 1, &index, 0, NULL),
          0);
    }
  }
}

/* memref.reinterpret_cast %arg to offset: [0], sizes, strides, of type t:
   operands (source, offsets = none, sizes..., strides...), the static
   parts in the static_* attributes. A stride is static when every later
   dimension is. */
static MlirOperation reinterpretCast(MlirOperation first, MlirLocation loc,
                                     MlirValue arg, MlirType t,
                                     const MlirValue *sizes,
                                     const MlirValue *strides) {
  MlirContext ctx = mlirLocationGetContext(loc);
  intptr_t rank = mlirShapedTypeGetRank(t);
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
  return tlBuildOpBefore(first, "memref.reinterpret_cast", loc, n, operands, 1,
                         &t, 4, attrs);
}

/* Input i of func's type becomes staticType; its argument attributes keep
   the original type t as `tl.dynamic_type`, for the ABI and the
   launchers' documentation. */
static void recordDynamicType(MlirOperation func, intptr_t i,
                              MlirType staticType, MlirType t) {
  MlirContext ctx = mlirOperationGetContext(func);
  MlirType ft = mlirTypeAttrGetValue(tlGetAttr(func, "function_type"));
  intptr_t nNow = mlirFunctionTypeGetNumInputs(ft);
  MlirType *ins = malloc(sizeof(MlirType) * (size_t)nNow);
  for (intptr_t k = 0; k < nNow; ++k)
    ins[k] = k == i ? staticType : mlirFunctionTypeGetInput(ft, k);
  intptr_t nRes = mlirFunctionTypeGetNumResults(ft);
  MlirType *outs = malloc(sizeof(MlirType) * (size_t)(nRes + 1));
  for (intptr_t k = 0; k < nRes; ++k)
    outs[k] = mlirFunctionTypeGetResult(ft, k);
  tlSetAttr(func, "function_type",
          mlirTypeAttrGet(mlirFunctionTypeGet(ctx, nNow, ins, nRes, outs)));
  free(ins);
  free(outs);
  MlirAttribute *dicts = malloc(sizeof(MlirAttribute) * (size_t)nNow);
  for (intptr_t k = 0; k < nNow; ++k) {
    MlirAttribute d = mlirArrayAttrGetElement(tlGetAttr(func, "arg_attrs"), k);
    if (k == i) {
      intptr_t m = mlirDictionaryAttrGetNumElements(d);
      MlirNamedAttribute *es =
          malloc(sizeof(MlirNamedAttribute) * (size_t)(m + 1));
      for (intptr_t e = 0; e < m; ++e)
        es[e] = mlirDictionaryAttrGetElement(d, e);
      es[m] = tlNamed(ctx, "tl.dynamic_type", mlirTypeAttrGet(t));
      d = mlirDictionaryAttrGet(ctx, m + 1, es);
      free(es);
    }
    dicts[k] = d;
  }
  tlSetAttr(func, "arg_attrs", mlirArrayAttrGet(ctx, nNow, dicts));
  free(dicts);
}

bool tlRewriteDynamicKernelArgs(MlirOperation func) {
  MlirType ft = mlirTypeAttrGetValue(tlGetAttr(func, "function_type"));
  intptr_t nIn = mlirFunctionTypeGetNumInputs(ft);
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  for (intptr_t i = 0; i < nIn; ++i) {
    MlirType t = mlirFunctionTypeGetInput(ft, i);
    if (!mlirTypeIsAMemRef(t) || mlirShapedTypeHasStaticShape(t))
      continue;
    if (!checkRowMajor(func, i, t))
      return false;
    MlirType staticType = staticTypeOf(t);
    MlirValue arg = mlirBlockGetArgument(entry, i);
    mlirValueSetType(arg, staticType);
    /* Entry: sizes, strides and the cast back to the original type, before
       the first operation. */
    MlirOperation first = mlirBlockGetFirstOperation(entry);
    MlirValue sizes[16], strides[16];
    sizesAndStrides(func, i, t, first, sizes, strides);
    MlirOperation cast = reinterpretCast(
        first, mlirOperationGetLocation(func), arg, t, sizes, strides);
    mlirValueReplaceAllUsesExcept(arg, mlirOperationGetResult(cast, 0), 1,
                                  &cast);
    recordDynamicType(func, i, staticType, t);
  }
  return true;
}
