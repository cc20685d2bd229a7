/* Running tl-to-nvvm and reading gpu.binary objects and the kernel ABI. */
#include "tl-c/Compile.h"

#include <stdio.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/Diagnostics.h>
#include <mlir-c/Dialect/GPU.h>
#include <mlir-c/Pass.h>

#include "Builders.h"
#include "Support.h"
#include "tl-c/Dialect.h"
#include "tl-c/Passes.h"

MlirLogicalResult tlCompileModule(MlirOperation module,
                                  const TlCompileOptions *options) {
  return tlCapiCompileModule(module, options, false);
}

MlirLogicalResult tlCapiCompileModule(MlirOperation module,
                                      const TlCompileOptions *options,
                                      bool report) {
  if (mlirOperationIsNull(module) || !tlOpIsNamed(module, "builtin.module"))
    return mlirLogicalResultFailure();
  /* tl-to-nvvm names upstream passes: register them (once, thread-safe),
     so that an embedder need not have called tlRegisterAllPasses. */
  tlRegisterAllPasses();
  TlStr opts = {0};
  if (options) {
    if (options->chip && options->chip[0])
      tlStrAppendf(&opts, " chip=%s", options->chip);
    if (options->features && options->features[0])
      tlStrAppendf(&opts, " features=%s", options->features);
    if (options->format && options->format[0])
      tlStrAppendf(&opts, " format=%s", options->format);
    if (options->optLevel >= 0)
      tlStrAppendf(&opts, " opt-level=%d", options->optLevel);
  }
  if (report)
    tlStrAppendf(&opts, " report=true");
  MlirContext ctx = mlirOperationGetContext(module);
  MlirPassManager pm = mlirPassManagerCreateOnOperation(
      ctx, mlirStringRefCreateFromCString("builtin.module"));
  TlStr err = {0};
  MlirLogicalResult r = tlOpPassManagerAddPass(
      mlirPassManagerGetAsOpPassManager(pm),
      mlirStringRefCreateFromCString("tl-to-nvvm"),
      mlirStringRefCreate(tlStrGet(&opts), opts.len), tlStrCallback, &err);
  if (mlirLogicalResultIsFailure(r))
    mlirEmitError(mlirOperationGetLocation(module), tlStrGet(&err));
  else
    r = mlirPassManagerRunOnOp(pm, module);
  tlStrFree(&err);
  tlStrFree(&opts);
  mlirPassManagerDestroy(pm);
  return r;
}

static MlirBlock body(MlirOperation module) {
  return mlirRegionGetFirstBlock(mlirOperationGetRegion(module, 0));
}

/* The binary at `pos` among the gpu.binary ops of `module`; with pos < 0,
   counts them into *count. */
static MlirOperation findBinary(MlirOperation module, intptr_t pos,
                                intptr_t *count) {
  intptr_t n = 0;
  if (mlirOperationIsNull(module) || mlirOperationGetNumRegions(module) < 1)
    return (MlirOperation){NULL};
  MlirBlock b = body(module);
  if (mlirBlockIsNull(b))
    return (MlirOperation){NULL};
  for (MlirOperation op = mlirBlockGetFirstOperation(b);
       !mlirOperationIsNull(op); op = mlirOperationGetNextInBlock(op)) {
    if (!tlOpIsNamed(op, "gpu.binary"))
      continue;
    if (n == pos)
      return op;
    ++n;
  }
  if (count)
    *count = n;
  return (MlirOperation){NULL};
}

intptr_t tlModuleGetNumBinaries(MlirOperation module) {
  intptr_t n = 0;
  findBinary(module, -1, &n);
  return n;
}

MlirOperation tlModuleGetBinary(MlirOperation module, intptr_t pos) {
  if (pos < 0)
    return (MlirOperation){NULL};
  return findBinary(module, pos, NULL);
}

static MlirAttribute attr(MlirOperation op, const char *name) {
  return mlirOperationGetAttributeByName(op,
                                         mlirStringRefCreateFromCString(name));
}

MlirStringRef tlBinaryGetName(MlirOperation binary) {
  if (!tlOpIsNamed(binary, "gpu.binary"))
    return mlirStringRefCreate("", 0);
  MlirAttribute sym = attr(binary, "sym_name");
  return mlirAttributeIsNull(sym) ? mlirStringRefCreate("", 0)
                                  : mlirStringAttrGetValue(sym);
}

MlirStringRef tlBinaryGetObject(MlirOperation binary, TlBinaryFormat *format) {
  if (format)
    *format = TlBinaryFormatUnknown;
  if (!tlOpIsNamed(binary, "gpu.binary"))
    return mlirStringRefCreate("", 0);
  MlirAttribute objects = attr(binary, "objects");
  if (mlirAttributeIsNull(objects) || !mlirAttributeIsAArray(objects) ||
      mlirArrayAttrGetNumElements(objects) < 1)
    return mlirStringRefCreate("", 0);
  MlirAttribute obj = mlirArrayAttrGetElement(objects, 0);
  if (!mlirAttributeIsAGPUObjectAttr(obj))
    return mlirStringRefCreate("", 0);
  if (format) {
    /* gpu::CompilationTarget: Offload 1, Assembly 2, Binary 3, Fatbin 4. */
    switch (mlirGPUObjectAttrGetFormat(obj)) {
    case 2:
      *format = TlBinaryFormatPTX;
      break;
    case 3:
      *format = TlBinaryFormatCubin;
      break;
    case 4:
      *format = TlBinaryFormatFatbin;
      break;
    default:
      break;
    }
  }
  return mlirGPUObjectAttrGetObject(obj);
}

static MlirAttribute kernelAt(MlirOperation binary, intptr_t pos) {
  if (!tlOpIsNamed(binary, "gpu.binary"))
    return (MlirAttribute){NULL};
  MlirAttribute abi = attr(binary, "tl.abi");
  if (mlirAttributeIsNull(abi) || !mlirAttributeIsAArray(abi) || pos < 0 ||
      pos >= mlirArrayAttrGetNumElements(abi))
    return (MlirAttribute){NULL};
  MlirAttribute k = mlirArrayAttrGetElement(abi, pos);
  return mlirAttributeIsADictionary(k) ? k : (MlirAttribute){NULL};
}

static MlirAttribute field(MlirAttribute dict, const char *name) {
  return mlirDictionaryAttrGetElementByName(
      dict, mlirStringRefCreateFromCString(name));
}

intptr_t tlBinaryGetNumKernels(MlirOperation binary) {
  if (!tlOpIsNamed(binary, "gpu.binary"))
    return 0;
  MlirAttribute abi = attr(binary, "tl.abi");
  return mlirAttributeIsNull(abi) || !mlirAttributeIsAArray(abi)
             ? 0
             : mlirArrayAttrGetNumElements(abi);
}

bool tlBinaryGetKernel(MlirOperation binary, intptr_t pos,
                       TlKernelInfo *info) {
  MlirAttribute k = kernelAt(binary, pos);
  if (mlirAttributeIsNull(k) || !info)
    return false;
  MlirAttribute name = field(k, "name"), block = field(k, "block"),
                st = field(k, "static_shared_bytes"),
                dyn = field(k, "dynamic_shared_bytes"),
                params = field(k, "params");
  if (mlirAttributeIsNull(name) || !mlirAttributeIsAString(name) ||
      mlirAttributeIsNull(block) || !mlirAttributeIsADenseI32Array(block) ||
      mlirDenseArrayGetNumElements(block) != 3 || mlirAttributeIsNull(st) ||
      !mlirAttributeIsAInteger(st) || mlirAttributeIsNull(dyn) ||
      !mlirAttributeIsAInteger(dyn) || mlirAttributeIsNull(params) ||
      !mlirAttributeIsAArray(params))
    return false;
  info->name = mlirStringAttrGetValue(name);
  for (int d = 0; d < 3; ++d)
    info->block[d] = mlirDenseI32ArrayGetElement(block, d);
  info->staticSharedBytes = mlirIntegerAttrGetValueInt(st);
  info->dynamicSharedBytes = mlirIntegerAttrGetValueInt(dyn);
  info->numParams = mlirArrayAttrGetNumElements(params);
  return true;
}

bool tlBinaryGetKernelParam(MlirOperation binary, intptr_t kernel,
                            intptr_t param, TlParamInfo *info) {
  MlirAttribute k = kernelAt(binary, kernel);
  if (mlirAttributeIsNull(k) || !info)
    return false;
  MlirAttribute params = field(k, "params");
  if (mlirAttributeIsNull(params) || !mlirAttributeIsAArray(params) ||
      param < 0 || param >= mlirArrayAttrGetNumElements(params))
    return false;
  MlirAttribute p = mlirArrayAttrGetElement(params, param);
  if (!mlirAttributeIsADictionary(p))
    return false;
  MlirAttribute kind = field(p, "kind"), type = field(p, "type");
  if (mlirAttributeIsNull(kind) || !mlirAttributeIsAString(kind) ||
      mlirAttributeIsNull(type) || !mlirAttributeIsAType(type))
    return false;
  MlirStringRef ks = mlirStringAttrGetValue(kind);
  info->kind = ks.length == 3 && !memcmp(ks.data, "ptr", 3) ? TlParamPointer
               : ks.length == 6 && !memcmp(ks.data, "scalar", 6)
                   ? TlParamScalar
               : ks.length == 9 && !memcmp(ks.data, "tensormap", 9)
                   ? TlParamTensorMap
               : ks.length == 4 && !memcmp(ks.data, "size", 4)
                   ? TlParamSize
                   : TlParamInvalid;
  info->type = mlirTypeAttrGetValue(type);
  info->tensorMap = (MlirAttribute){NULL};
  info->buffer = info->dim = -1;
  if (info->kind == TlParamSize) {
    MlirAttribute b = field(p, "buffer"), d = field(p, "dim");
    if (mlirAttributeIsNull(b) || !mlirAttributeIsAInteger(b) ||
        mlirAttributeIsNull(d) || !mlirAttributeIsAInteger(d))
      return false;
    info->buffer = mlirIntegerAttrGetValueInt(b);
    info->dim = mlirIntegerAttrGetValueInt(d);
  }
  if (info->kind == TlParamTensorMap) {
    info->tensorMap = field(p, "map");
    if (mlirAttributeIsNull(info->tensorMap) ||
        !mlirAttributeIsADictionary(info->tensorMap))
      return false;
  }
  return info->kind != TlParamInvalid;
}
