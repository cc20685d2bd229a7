/* tl-to-nvvm: the whole pipeline from tl ops to a gpu.binary.
 *
 *   tl-to-nvvm-prepare   target attributes per gpu.module, the kernel ABI
 *   tl-verify, tl-pipeline, tl-legalize-regions, tl-infer-layouts, tl-lower-copy,
 *   tl-lower-im2col
 *   tl-to-nvvm-dynamic-args, tl-to-nvvm-dynamic-shared, tl-to-nvvm-abi
 *   upstream NVVM lowering (bare-pointer kernels)
 *   tl-to-nvvm-grid-constants, tl-to-nvvm-dynamic-shared-global
 *   gpu-module-to-binary
 *   tl-to-nvvm-finish    the ABI moves onto each gpu.binary as `tl.abi`
 *
 * The upstream part is spelled out (rather than gpu-lower-to-nvvm-pipeline)
 * so that tl steps can sit between convert-gpu-to-nvvm and serialization,
 * and because that pipeline appends a second target to modules that have
 * one. gpu-module-to-binary drops a gpu.module's attributes: the ABI waits
 * on the builtin.module meanwhile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Dialect/MemRef.h>

#include "Contract.h"
#include "Diag.h"
#include "DynamicArgs.h"
#include "DynamicShared.h"
#include "IRBuild.h"
#include "Names.h"
#include "PassSupport.h"
#include "SharedSources.h"
#include "Side.h"
#include "Outline.h"
#include "SplitBlocks.h"
#include "Support.h"
#include "Target.h"
#include "tl-c/Attributes.h"

#define TL_STR_(x) #x
#define TL_STR(x) TL_STR_(x)

enum {
  OptChip,
  OptFeatures,
  OptFormat,
  OptOptLevel,
  OptReport,
  OptPreferTma,
  OptMaxFunctionOps
};

static const TlPassOptionInfo kOptions[] = {
    {"chip", TlPassOptionString, "",
     "Target chip (sm_80, sm_86, sm_89, sm_90, sm_90a, ...); empty: each "
     "gpu.module's #nvvm.target, else sm_90a"},
    {"features", TlPassOptionString, "",
     "PTX features, e.g. +ptx80; empty: the target's, else +ptx80"},
    {"format", TlPassOptionString, "bin",
     "Binary format: isa (ptx), bin (cubin) or fatbin"},
    {"opt-level", TlPassOptionInt, "2", "LLVM optimization level (0-3)"},
    {"report", TlPassOptionBool, "false",
     "Print the instruction path chosen for each tl op to stderr"},
    {"prefer-tma", TlPassOptionBool, "false",
     "Use TMA wherever it is legal (tl-infer-layouts' option)"},
    {"max-function-ops", TlPassOptionInt, TL_STR(TL_OUTLINE_DEFAULT_OPS),
     "Kernels with more ops are cut into noinline device functions of about "
     "this many ops, which keeps LLVM's optimization linear (0: never)"},
};

typedef struct PrepareState {
  char chip[TL_MAX_OPTION_STRING];
  char features[TL_MAX_OPTION_STRING];
  int64_t optLevel;
} PrepareState;

//===--------------------------------------------------------------------===//
// Targets
//===--------------------------------------------------------------------===//

/* "+ptx80" -> 80; -1 when malformed. Other features are refused: LLVM
   aborts the process on some unknown ones. */
static int featuresPtx(const char *f) {
  if (strncmp(f, "+ptx", 4) || !f[4] || strlen(f) > 7)
    return -1;
  for (const char *p = f + 4; *p; ++p)
    if (*p < '0' || *p > '9')
      return -1;
  int v = atoi(f + 4);
  return v >= 60 && v <= 88 ? v : -1;
}


static bool setTarget(MlirOperation mod, const PrepareState *st) {
  MlirLocation loc = mlirOperationGetLocation(mod);
  MlirContext ctx = mlirOperationGetContext(mod);
  MlirAttribute targets = mlirOperationGetAttributeByName(
      mod, mlirStringRefCreateFromCString("targets"));
  char chip[TL_MAX_OPTION_STRING] = "", features[TL_MAX_OPTION_STRING] = "";
  intptr_t n = mlirAttributeIsNull(targets) || !mlirAttributeIsAArray(targets)
                   ? 0
                   : mlirArrayAttrGetNumElements(targets);
  TlTarget only;
  int nvvm = (int)tlModuleTargets(mod, &only, 1);
  if (nvvm == 1) {
    snprintf(chip, sizeof chip, "%s", only.chip);
    snprintf(features, sizeof features, "%s", only.features);
  }
  if (n > 0 && nvvm != 1) {
    tlEmitErrorf(loc, "tl-to-nvvm: the gpu.module must have exactly one "
                      "#nvvm.target (it has %d among %lld targets)",
                 nvvm, (long long)n);
    return false;
  }
  if (st->chip[0])
    strcpy(chip, st->chip);
  if (!chip[0])
    strcpy(chip, "sm_90a");
  if (st->features[0])
    strcpy(features, st->features);
  if (!features[0])
    strcpy(features, "+ptx80");
  int minPtx = tlChipMinPtx(chip), ptx = featuresPtx(features);
  char msg[256];
  if (!tlChipCheck("tl-to-nvvm", chip, msg, sizeof msg)) {
    tlEmitErrorf(loc, "%s", msg);
    return false;
  }
  if (ptx < 0) {
    tlEmitErrorf(loc, "tl-to-nvvm: unsupported features '%s': expected "
                      "+ptxNN with NN between 60 and 88", features);
    return false;
  }
  if (ptx < minPtx) {
    tlEmitErrorf(loc, "tl-to-nvvm: %s needs PTX ISA %d.%d or newer, but the "
                      "features say %s", chip, minPtx / 10, minPtx % 10,
                 features);
    return false;
  }
  TlStr text = {0};
  tlStrAppendf(&text, "[#nvvm.target<O = %lld, chip = \"%s\", features = \"%s\">]",
               (long long)st->optLevel, chip, features);
  MlirAttribute t =
      mlirAttributeParseGet(ctx, mlirStringRefCreate(text.data, text.len));
  tlStrFree(&text);
  if (mlirAttributeIsNull(t))
    return false;
  mlirOperationSetAttributeByName(mod, mlirStringRefCreateFromCString("targets"), t);
  return true;
}

//===--------------------------------------------------------------------===//
// Kernel ABI
//===--------------------------------------------------------------------===//

static MlirNamedAttribute named(MlirContext ctx, const char *name,
                                MlirAttribute a) {
  return mlirNamedAttributeGet(
      mlirIdentifierGet(ctx, mlirStringRefCreateFromCString(name)), a);
}

static MlirAttribute str(MlirContext ctx, const char *s) {
  return mlirStringAttrGet(ctx, mlirStringRefCreateFromCString(s));
}

static MlirAttribute i64(MlirContext ctx, int64_t v) {
  return mlirIntegerAttrGet(mlirIntegerTypeGet(ctx, 64), v);
}



/* One kernel: {name, block, static_shared_bytes, dynamic_shared_bytes,
   params = [{kind, type}]}. Null after an error. */
static MlirAttribute kernelABI(MlirOperation func) {
  MlirContext ctx = mlirOperationGetContext(func);
  MlirLocation loc = mlirOperationGetLocation(func);
  MlirAttribute fnType = mlirOperationGetAttributeByName(
      func, mlirStringRefCreateFromCString("function_type"));
  MlirType ft = mlirTypeAttrGetValue(fnType);
  intptr_t nIn = mlirFunctionTypeGetNumInputs(ft);
  MlirAttribute *params = malloc(sizeof(MlirAttribute) * (size_t)(nIn + 1));
  bool ok = true;
  for (intptr_t i = 0; i < nIn && ok; ++i) {
    MlirType t = mlirFunctionTypeGetInput(ft, i);
    const char *kind = NULL;
    MlirAttribute map = tlFuncArgAttr(func, i, "tl.tensor_map");
    MlirAttribute dimOf = tlFuncArgAttr(func, i, "tl.dim_of");
    MlirAttribute dynType = tlFuncArgAttr(func, i, "tl.dynamic_type");
    if (!mlirAttributeIsNull(dimOf) && mlirAttributeIsADenseI64Array(dimOf) &&
        mlirDenseArrayGetNumElements(dimOf) == 2) {
      MlirNamedAttribute p[4] = {
          named(ctx, "kind", str(ctx, "size")),
          named(ctx, "type", mlirTypeAttrGet(t)),
          named(ctx, "buffer", i64(ctx, mlirDenseI64ArrayGetElement(dimOf, 0))),
          named(ctx, "dim", i64(ctx, mlirDenseI64ArrayGetElement(dimOf, 1)))};
      params[i] = mlirDictionaryAttrGet(ctx, 4, p);
      continue;
    }
    if (!mlirAttributeIsNull(dynType) && mlirAttributeIsAType(dynType))
      t = mlirTypeAttrGetValue(dynType);
    if (!mlirAttributeIsNull(map)) {
      MlirNamedAttribute p[3] = {named(ctx, "kind", str(ctx, "tensormap")),
                                 named(ctx, "type", mlirTypeAttrGet(t)),
                                 named(ctx, "map", map)};
      params[i] = mlirDictionaryAttrGet(ctx, 3, p);
      continue;
    }
    if (mlirTypeIsAMemRef(t)) {
      kind = "ptr";
      if (!mlirShapedTypeHasStaticShape(t) && mlirAttributeIsNull(dynType)) {
        TlStr s = {0};
        tlStrAppendType(&s, t);
        tlEmitErrorf(loc, "tl-to-nvvm: kernel parameter %lld (%s) has a "
                          "dynamic shape; kernels take bare pointers, so "
                          "every memref parameter needs a static shape",
                     (long long)i, tlStrGet(&s));
        tlStrFree(&s);
        ok = false;
      } else if (tlMemRefTypeGetScope(t) != TlScopeGlobal) {
        TlStr s = {0};
        tlStrAppendType(&s, t);
        tlEmitErrorf(loc, "tl-to-nvvm: kernel parameter %lld (%s) must be "
                          "in global memory", (long long)i, tlStrGet(&s));
        tlStrFree(&s);
        ok = false;
      }
    } else if (tlElementBits(t) > 0) {
      kind = "scalar";
    } else {
      TlStr s = {0};
      tlStrAppendType(&s, t);
      tlEmitErrorf(loc, "tl-to-nvvm: kernel parameter %lld has type %s; "
                        "expected a memref, an integer, index or float",
                   (long long)i, tlStrGet(&s));
      tlStrFree(&s);
      ok = false;
    }
    if (ok) {
      MlirNamedAttribute p[2] = {named(ctx, "kind", str(ctx, kind)),
                                 named(ctx, "type", mlirTypeAttrGet(t))};
      params[i] = mlirDictionaryAttrGet(ctx, 2, p);
    }
  }
  MlirAttribute result = {NULL};
  if (ok) {
    /* Over 48 KiB, tl-to-nvvm-dynamic-shared has moved the workgroup
       buffers to dynamic shared memory (or failed with an error). */
    int64_t shared = tlKernelStaticSharedBytes(func);
    int64_t dynamic = tlKernelDynamicSharedBytes(func);
    MlirAttribute block = mlirOperationGetAttributeByName(
        func, mlirStringRefCreateFromCString("known_block_size"));
    int32_t b[3] = {0, 0, 0};
    if (!mlirAttributeIsNull(block) && mlirAttributeIsADenseI32Array(block))
      for (int d = 0; d < 3 && d < mlirDenseArrayGetNumElements(block); ++d)
        b[d] = mlirDenseI32ArrayGetElement(block, d);
    MlirAttribute sym = mlirOperationGetAttributeByName(
        func, mlirStringRefCreateFromCString("sym_name"));
    MlirNamedAttribute k[5] = {
        named(ctx, "name", sym),
        named(ctx, "block", mlirDenseI32ArrayGet(ctx, 3, b)),
        named(ctx, "static_shared_bytes", i64(ctx, shared)),
        named(ctx, "dynamic_shared_bytes", i64(ctx, dynamic)),
        named(ctx, "params", mlirArrayAttrGet(ctx, nIn, params))};
    result = mlirDictionaryAttrGet(ctx, 5, k);
  }
  free(params);
  return result;
}

typedef struct PrepareRun {
  const PrepareState *st;
  MlirContext ctx;
  bool ok;
  /* Per gpu.module: name -> [kernel ABI]. */
  MlirNamedAttribute *modules;
  intptr_t numModules;
} PrepareRun;

static MlirWalkResult targetModule(MlirOperation op, void *userData) {
  PrepareRun *r = userData;
  if (!tlOpIsNamed(op, "gpu.module"))
    return MlirWalkResultAdvance;
  r->ok &= setTarget(op, r->st);
  return MlirWalkResultSkip;
}

static MlirWalkResult abiModule(MlirOperation op, void *userData) {
  PrepareRun *r = userData;
  if (!tlOpIsNamed(op, "gpu.module"))
    return MlirWalkResultAdvance;
  intptr_t n = 0, cap = 8;
  MlirAttribute *kernels = malloc(sizeof(MlirAttribute) * (size_t)cap);
  MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(op, 0));
  for (MlirOperation f = mlirBlockGetFirstOperation(body);
       !mlirOperationIsNull(f); f = mlirOperationGetNextInBlock(f)) {
    if (!tlOpIsNamed(f, "gpu.func") ||
        mlirAttributeIsNull(mlirOperationGetAttributeByName(
            f, mlirStringRefCreateFromCString("gpu.kernel"))))
      continue;
    MlirAttribute k = kernelABI(f);
    if (mlirAttributeIsNull(k)) {
      r->ok = false;
      continue;
    }
    if (n == cap) {
      cap *= 2;
      kernels = realloc(kernels, sizeof(MlirAttribute) * (size_t)cap);
    }
    kernels[n++] = k;
  }
  MlirAttribute sym = mlirOperationGetAttributeByName(
      op, mlirStringRefCreateFromCString("sym_name"));
  r->modules = realloc(r->modules,
                       sizeof(MlirNamedAttribute) * (size_t)(r->numModules + 1));
  r->modules[r->numModules++] = mlirNamedAttributeGet(
      mlirIdentifierGet(r->ctx, mlirStringAttrGetValue(sym)),
      mlirArrayAttrGet(r->ctx, n, kernels));
  free(kernels);
  return MlirWalkResultSkip;
}

//===--------------------------------------------------------------------===//
// Checks before anything is lowered (docs/passes.md, "tl-to-nvvm")
//===--------------------------------------------------------------------===//

/* Whether `op` is a tl op ("tl.copy", ...). */
static bool isTlOp(MlirOperation op) {
  MlirStringRef n = mlirIdentifierStr(mlirOperationGetName(op));
  return n.length > 3 && !strncmp(n.data, "tl.", 3);
}

/* tl ops compile only in a gpu.func of a gpu.module: elsewhere the passes
   after tl-verify would report what they miss (legalized regions, a thread
   map) instead of where the op is. */
static MlirWalkResult checkPlacement(MlirOperation op, void *userData) {
  if (!isTlOp(op))
    return MlirWalkResultAdvance;
  MlirOperation f = tlEnclosingOp(op, "gpu.func");
  if (!mlirOperationIsNull(f) &&
      !mlirOperationIsNull(tlEnclosingOp(f, "gpu.module")))
    return MlirWalkResultAdvance;
  MlirStringRef parent = mlirIdentifierStr(
      mlirOperationGetName(mlirOperationGetParentOperation(op)));
  MlirOperation ff = tlEnclosingOp(op, "func.func");
  if (!mlirOperationIsNull(ff) &&
      !mlirOperationIsNull(tlEnclosingOp(ff, "gpu.module")))
    /* A device func.func: the tl passes run on gpu.funcs (they need the
       block size and the kernel's shared memory). */
    tlOpError(op,
              "is in a func.func of a gpu.module: tl-to-nvvm compiles tl ops "
              "in gpu.func kernels and device functions only; make it a "
              "gpu.func (without `kernel`) of the gpu.module, or move the "
              "copy into the kernel");
  else
    tlOpError(op,
              "is not inside a gpu.func of a gpu.module (its parent is "
              "'%.*s'): tl-to-nvvm compiles tl ops only in kernels and device "
              "functions (gpu.launch bodies are outlined first)",
              (int)parent.length, parent.data);
  *(bool *)userData = false;
  return MlirWalkResultAdvance;
}

/* Bare-pointer parameters (convert-gpu-to-nvvm's calling convention) need
   static strides and offset; a dynamic shape is rewritten for row-major
   kernel parameters only (DynamicArgs.h, which reports the rest). Else the
   NVVM conversion fails with "failed to legalize operation 'gpu.func'". */
static bool checkParamLayouts(MlirOperation func) {
  MlirAttribute fnType = mlirOperationGetAttributeByName(
      func, mlirStringRefCreateFromCString("function_type"));
  if (mlirAttributeIsNull(fnType) || !mlirAttributeIsAType(fnType))
    return true;
  MlirType ft = mlirTypeAttrGetValue(fnType);
  bool kernel = !mlirAttributeIsNull(mlirOperationGetAttributeByName(
      func, mlirStringRefCreateFromCString("gpu.kernel")));
  bool ok = true;
  for (intptr_t i = 0; i < mlirFunctionTypeGetNumInputs(ft); ++i) {
    MlirType t = mlirFunctionTypeGetInput(ft, i);
    if (!mlirTypeIsAMemRef(t))
      continue;
    intptr_t rank = mlirShapedTypeGetRank(t);
    int64_t strides[16], offset;
    const char *why = NULL;
    if (rank > 16 ||
        mlirLogicalResultIsFailure(
            mlirMemRefTypeGetStridesAndOffset(t, strides, &offset)))
      why = "its layout is not strided";
    else if (mlirShapedTypeHasStaticShape(t) || !kernel) {
      bool dyn = mlirShapedTypeIsDynamicStrideOrOffset(offset);
      for (intptr_t d = 0; d < rank; ++d)
        dyn |= mlirShapedTypeIsDynamicStrideOrOffset(strides[d]);
      if (dyn)
        why = "its layout has a dynamic stride or offset";
      else if (!mlirShapedTypeHasStaticShape(t))
        why = "it has a dynamic shape (only kernels take dynamic memrefs)";
    }
    if (!why)
      continue;
    TlStr s = {0};
    tlStrAppendType(&s, t);
    tlOpError(func,
              "parameter %lld (%s) cannot be passed: %s; memref parameters "
              "are bare pointers and need a static (strided) layout",
              (long long)i, tlStrGet(&s), why);
    tlStrFree(&s);
    ok = false;
  }
  return ok;
}

static MlirWalkResult checkFunctions(MlirOperation op, void *userData) {
  if (!tlOpIsNamed(op, "gpu.func"))
    return MlirWalkResultAdvance;
  if (!checkParamLayouts(op))
    *(bool *)userData = false;
  return MlirWalkResultSkip;
}

/* The checks of the prepare step that do not depend on the target. */
static bool checkBeforeLowering(MlirOperation module) {
  bool ok = true;
  mlirOperationWalk(module, checkPlacement, &ok, MlirWalkPreOrder);
  mlirOperationWalk(module, checkFunctions, &ok, MlirWalkPreOrder);
  return ok;
}

static const MlirStringRef kAbiAttr = {"tl.abi", 6};

static void runPrepare(MlirOperation op, MlirExternalPass pass, void *state) {
  if (!tlOpIsNamed(op, "builtin.module")) {
    tlEmitErrorf(mlirOperationGetLocation(op),
                 "tl-to-nvvm must run on a builtin.module");
    mlirExternalPassSignalFailure(pass);
    return;
  }
  /* Names first: LLVM aborts on some (support/Names.h). */
  PrepareRun r = {state, mlirOperationGetContext(op),
                  tlCheckGpuSymbolNames(op), NULL, 0};
  mlirOperationWalk(op, targetModule, &r, MlirWalkPreOrder);
  /* Shared memory the upstream lowering would get wrong (issue 16). */
  r.ok &= tlCheckSharedSources(op);
  r.ok &= checkBeforeLowering(op);
  if (!r.ok)
    mlirExternalPassSignalFailure(pass);
}

/* Dynamic memref kernel parameters become bare pointers plus size
   parameters (passes/DynamicArgs.h). */
static MlirWalkResult dynamicArgs(MlirOperation op, void *userData) {
  if (!tlOpIsNamed(op, "gpu.func"))
    return MlirWalkResultAdvance;
  if (!mlirAttributeIsNull(mlirOperationGetAttributeByName(
          op, mlirStringRefCreateFromCString("gpu.kernel"))) &&
      !tlRewriteDynamicKernelArgs(op))
    *(bool *)userData = false;
  return MlirWalkResultSkip;
}

static void runDynamicArgs(MlirOperation op, MlirExternalPass pass,
                           void *state) {
  (void)state;
  bool ok = true;
  mlirOperationWalk(op, dynamicArgs, &ok, MlirWalkPreOrder);
  if (!ok)
    mlirExternalPassSignalFailure(pass);
}

/* After the tl lowerings, which add tensor-map parameters: the ABI waits on
   the builtin.module for tl-to-nvvm-finish. */
static void runABI(MlirOperation op, MlirExternalPass pass, void *state) {
  (void)state;
  PrepareRun r = {NULL, mlirOperationGetContext(op), true, NULL, 0};
  mlirOperationWalk(op, abiModule, &r, MlirWalkPreOrder);
  if (r.ok)
    mlirOperationSetAttributeByName(
        op, kAbiAttr, mlirDictionaryAttrGet(r.ctx, r.numModules, r.modules));
  free(r.modules);
  if (!r.ok)
    mlirExternalPassSignalFailure(pass);
}

/* After convert-gpu-to-nvvm: tensor-map parameters are passed by value, 64
   bytes aligned, as grid constants (design.md §7; nvvm.grid_constant is
   refused on gpu.func arguments). */
static MlirWalkResult markGridConstants(MlirOperation op, void *userData) {
  (void)userData;
  if (!tlOpIsNamed(op, "llvm.func"))
    return MlirWalkResultAdvance;
  MlirAttribute list = mlirOperationGetAttributeByName(
      op, mlirStringRefCreateFromCString(TL_ATTR_TENSOR_MAP_ARGS));
  if (mlirAttributeIsNull(list) || !mlirAttributeIsADenseI64Array(list))
    return MlirWalkResultSkip;
  MlirContext ctx = mlirOperationGetContext(op);
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(op, 0));
  intptr_t n = mlirBlockGetNumArguments(entry);
  MlirStringRef argAttrsName = mlirStringRefCreateFromCString("arg_attrs");
  MlirAttribute old = mlirOperationGetAttributeByName(op, argAttrsName);
  bool haveOld = !mlirAttributeIsNull(old) && mlirAttributeIsAArray(old) &&
                 mlirArrayAttrGetNumElements(old) == n;
  MlirAttribute *dicts = malloc(sizeof(MlirAttribute) * (size_t)(n ? n : 1));
  for (intptr_t i = 0; i < n; ++i)
    dicts[i] = haveOld ? mlirArrayAttrGetElement(old, i)
                       : mlirDictionaryAttrGet(ctx, 0, NULL);
  MlirAttribute gridConstant = mlirAttributeParseGet(
      ctx, mlirStringRefCreateFromCString(
               "{llvm.align = 64 : i64, llvm.byval = !llvm.array<128 x i8>, "
               "nvvm.grid_constant}"));
  for (intptr_t k = 0; k < mlirDenseArrayGetNumElements(list); ++k) {
    int64_t i = mlirDenseI64ArrayGetElement(list, k);
    if (i >= 0 && i < n)
      dicts[i] = gridConstant;
  }
  mlirOperationSetAttributeByName(op, argAttrsName,
                                  mlirArrayAttrGet(ctx, n, dicts));
  free(dicts);
  return MlirWalkResultSkip;
}

static void runGridConstants(MlirOperation op, MlirExternalPass pass,
                             void *state) {
  (void)pass;
  (void)state;
  mlirOperationWalk(op, markGridConstants, NULL, MlirWalkPreOrder);
}

static void runFinish(MlirOperation op, MlirExternalPass pass, void *state) {
  (void)state;
  (void)pass;
  MlirAttribute abi = mlirOperationGetAttributeByName(op, kAbiAttr);
  if (mlirAttributeIsNull(abi) || !mlirAttributeIsADictionary(abi))
    return;
  MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(op, 0));
  for (MlirOperation b = mlirBlockGetFirstOperation(body);
       !mlirOperationIsNull(b); b = mlirOperationGetNextInBlock(b)) {
    if (!tlOpIsNamed(b, "gpu.binary"))
      continue;
    MlirAttribute sym = mlirOperationGetAttributeByName(
        b, mlirStringRefCreateFromCString("sym_name"));
    MlirAttribute k =
        mlirDictionaryAttrGetElementByName(abi, mlirStringAttrGetValue(sym));
    if (!mlirAttributeIsNull(k))
      mlirOperationSetAttributeByName(b, kAbiAttr, k);
  }
  mlirOperationRemoveAttributeByName(op, kAbiAttr);
}

static const TlPassInfo kPrepareInfo = {
    "tl-to-nvvm-prepare",
    "tl-to-nvvm's first step: the target of each gpu.module", 0, NULL};
static const TlPassInfo kFinishInfo = {
    "tl-to-nvvm-finish", "tl-to-nvvm's last step: the ABI onto gpu.binary",
    0, NULL};
static const TlPassInfo kABIInfo = {
    "tl-to-nvvm-abi", "tl-to-nvvm: record the kernel ABI", 0, NULL};
static const TlPassInfo kGridConstantInfo = {
    "tl-to-nvvm-grid-constants",
    "tl-to-nvvm: tensor-map parameters by value as grid constants", 0, NULL};
static _Alignas(8) char kPrepareId;
static _Alignas(8) char kFinishId;
static _Alignas(8) char kABIId;
static _Alignas(8) char kGridConstantId;
static const TlPassInfo kDynamicArgsInfo = {
    "tl-to-nvvm-dynamic-args",
    "tl-to-nvvm: dynamic memref parameters as pointers plus sizes", 0, NULL};
static _Alignas(8) char kDynamicArgsId;

//===--------------------------------------------------------------------===//
// The pipeline
//===--------------------------------------------------------------------===//

static const char *formatName(const char *f) {
  if (!strcmp(f, "isa") || !strcmp(f, "ptx"))
    return "isa";
  if (!strcmp(f, "bin") || !strcmp(f, "cubin"))
    return "bin";
  if (!strcmp(f, "fatbin"))
    return "fatbin";
  return NULL;
}

static MlirLogicalResult addStep(MlirOpPassManager pm, const char *text,
                                 MlirStringCallback err, void *ud) {
  return tlOpPassManagerAddPipeline(pm, mlirStringRefCreateFromCString(text),
                                    err, ud);
}

static void appendText(MlirStringRef text, void *userData) {
  tlStrAppendf(userData, "%.*s", (int)text.length, text.data);
}

/* tl-to-nvvm makes a gpu.binary of each gpu.module and its upstream steps
   are module passes: nested elsewhere (`gpu.module(tl-to-nvvm)`), adding
   them fails with "Can't add pass 'ConvertFuncToLLVMPass'". The anchor is
   the name the pass manager prints before its '('. */
static bool checkAnchor(MlirOpPassManager pm, MlirStringCallback err,
                        void *ud) {
  TlStr text = {0};
  mlirPrintPassPipeline(pm, appendText, &text);
  const char *all = tlStrGet(&text);
  size_t n = strcspn(all, "(");
  bool ok = (n == 14 && !strncmp(all, "builtin.module", n)) ||
            (n == 3 && !strncmp(all, "any", n)) || n == 0;
  if (!ok)
    tlReport(err, ud,
             "tl-to-nvvm must run on the builtin.module (it turns each "
             "gpu.module into a gpu.binary), but it is nested under '%.*s': "
             "use --pass-pipeline='builtin.module(tl-to-nvvm)'",
             (int)n, all);
  tlStrFree(&text);
  return ok;
}

static MlirLogicalResult add(MlirOpPassManager pm,
                             const TlOptionValues *o, MlirStringCallback err,
                             void *ud) {
  if (!checkAnchor(pm, err, ud))
    return mlirLogicalResultFailure();
  const char *format = formatName(o->stringValue[OptFormat]);
  if (!format) {
    tlReport(err, ud, "tl-to-nvvm: format must be isa (or ptx), bin (or "
                      "cubin) or fatbin, got '%s'", o->stringValue[OptFormat]);
    return mlirLogicalResultFailure();
  }
  if (o->intValue[OptOptLevel] < 0 || o->intValue[OptOptLevel] > 3) {
    tlReport(err, ud, "tl-to-nvvm: opt-level must be 0 to 3, got %lld",
             (long long)o->intValue[OptOptLevel]);
    return mlirLogicalResultFailure();
  }
  if (o->intValue[OptMaxFunctionOps] < 0) {
    tlReport(err, ud, "tl-to-nvvm: max-function-ops must be 0 (never cut) "
                      "or positive, got %lld",
             (long long)o->intValue[OptMaxFunctionOps]);
    return mlirLogicalResultFailure();
  }
  PrepareState st;
  memset(&st, 0, sizeof st);
  snprintf(st.chip, sizeof st.chip, "%s", o->stringValue[OptChip]);
  snprintf(st.features, sizeof st.features, "%s", o->stringValue[OptFeatures]);
  st.optLevel = o->intValue[OptOptLevel];
  char msg[256];
  if (st.chip[0] && !tlChipCheck("tl-to-nvvm", st.chip, msg, sizeof msg)) {
    tlReport(err, ud, "%s", msg);
    return mlirLogicalResultFailure();
  }
  if (st.features[0] && featuresPtx(st.features) < 0) {
    tlReport(err, ud, "tl-to-nvvm: unsupported features '%s': expected "
                      "+ptxNN with NN between 60 and 88", st.features);
    return mlirLogicalResultFailure();
  }
  /* Kernels written as gpu.launch bodies become gpu.funcs first (upstream
     gpu-kernel-outlining, after the constants and index computations the
     body uses are sunk into it; a module without gpu.launch is unchanged). */
  if (mlirLogicalResultIsFailure(addStep(
          pm, "gpu-launch-sink-index-computations,gpu-kernel-outlining", err,
          ud)))
    return mlirLogicalResultFailure();
  mlirOpPassManagerAddOwnedPass(
      pm, tlCreateExternalPass(&kPrepareId, &kPrepareInfo, 0, NULL, runPrepare,
                               &st, sizeof st));
  char infer[96];
  snprintf(infer, sizeof infer, "tl-infer-layouts{report=%s prefer-tma=%s}",
           o->boolValue[OptReport] ? "true" : "false",
           o->boolValue[OptPreferTma] ? "true" : "false");
  const char *toNVVM =
      "convert-nvgpu-to-nvvm,convert-vector-to-scf,convert-scf-to-cf,"
      "convert-nvvm-to-llvm,convert-func-to-llvm,expand-strided-metadata,"
      "lower-affine,convert-arith-to-llvm,convert-index-to-llvm,"
      "canonicalize,cse,"
      "gpu.module(convert-gpu-to-nvvm{use-bare-ptr-memref-call-conv=true},"
      "canonicalize,cse,reconcile-unrealized-casts)";
  char toBinary[512];
  snprintf(toBinary, sizeof toBinary,
           "gpu-to-llvm{use-bare-pointers-for-kernels=true},"
           "gpu-module-to-binary{format=%s},convert-math-to-llvm,canonicalize,"
           "cse,reconcile-unrealized-casts",
           format);
  if (mlirLogicalResultIsFailure(addStep(pm, "tl-verify", err, ud)) ||
      mlirLogicalResultIsFailure(
          addStep(pm, "gpu.module(tl-pipeline,tl-legalize-regions)", err, ud)) ||
      mlirLogicalResultIsFailure(addStep(pm, infer, err, ud)) ||
      mlirLogicalResultIsFailure(
          addStep(pm, "gpu.module(tl-lower-copy,tl-lower-im2col)", err, ud)))
    return mlirLogicalResultFailure();
  MlirDialectHandle memrefDialect = mlirGetDialectHandle__memref__();
  mlirOpPassManagerAddOwnedPass(
      pm, tlCreateExternalPass(&kDynamicArgsId, &kDynamicArgsInfo, 1,
                               &memrefDialect, runDynamicArgs, NULL, 0));
  mlirOpPassManagerAddOwnedPass(pm, tlCreateDynamicSharedPass());
  mlirOpPassManagerAddOwnedPass(
      pm, tlCreateExternalPass(&kABIId, &kABIInfo, 0, NULL, runABI, NULL, 0));
  mlirOpPassManagerAddOwnedPass(
      pm, tlCreateOutlinePass(o->intValue[OptMaxFunctionOps]));
  mlirOpPassManagerAddOwnedPass(pm, tlCreateSplitBlocksPass());
  if (mlirLogicalResultIsFailure(addStep(pm, toNVVM, err, ud)))
    return mlirLogicalResultFailure();
  mlirOpPassManagerAddOwnedPass(
      pm, tlCreateExternalPass(&kGridConstantId, &kGridConstantInfo, 0, NULL,
                               runGridConstants, NULL, 0));
  mlirOpPassManagerAddOwnedPass(pm, tlCreateDynamicSharedGlobalPass());
  if (mlirLogicalResultIsFailure(addStep(pm, toBinary, err, ud)))
    return mlirLogicalResultFailure();
  mlirOpPassManagerAddOwnedPass(
      pm, tlCreateExternalPass(&kFinishId, &kFinishInfo, 0, NULL, runFinish,
                               NULL, 0));
  return mlirLogicalResultSuccess();
}

/* Literals only: a const object is not a constant expression in C11. */
const TlPassDef tlToNVVMPassDef = {
    {"tl-to-nvvm",
     "The whole pipeline: tl ops to a gpu.binary (PTX, cubin or fatbin) "
     "with the kernel ABI in `tl.abi` (pass pipeline; run it on the "
     "builtin.module)",
     sizeof kOptions / sizeof kOptions[0], kOptions},
    add, NULL};
