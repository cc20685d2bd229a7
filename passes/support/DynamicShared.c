/* Workgroup buffers beyond 48 KiB in dynamic shared memory, and the
 * dynamic shared global fixed after NVVM lowering (support/DynamicShared.h
 * says what and why). */
#include "DynamicShared.h"
#include "Side.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Dialect/Arith.h>
#include <mlir-c/Dialect/GPU.h>
#include <mlir-c/Dialect/LLVM.h>
#include <mlir-c/Dialect/MemRef.h>

#include "Contract.h"
#include "IRBuild.h"
#include "PassSupport.h"
#include "SharedSources.h"
#include "Support.h"
#include "Target.h"
#include "tl-c/Attributes.h"

/* A block's static shared memory without the opt-in (every chip tl
   supports). */
static const int64_t kStaticLimit = 48 * 1024;

static int64_t alignUp(int64_t v, int64_t a) { return (v + a - 1) / a * a; }

static int64_t memrefBytes(MlirType t) { return tlMemRefBytes(t); }

static intptr_t numInputs(MlirOperation func) {
  return mlirFunctionTypeGetNumInputs(
      mlirTypeAttrGetValue(tlGetAttr(func, "function_type")));
}

static intptr_t numWorkgroup(MlirOperation func) {
  MlirAttribute n = tlGetAttr(func, "workgroup_attributions");
  return mlirAttributeIsNull(n) ? 0 : (intptr_t)mlirIntegerAttrGetValueInt(n);
}

/* The llvm.align of workgroup attribution i, 0 when it has none. */
static int64_t attributionAlign(MlirOperation func, intptr_t i) {
  MlirAttribute arr = tlGetAttr(func, "workgroup_attrib_attrs");
  if (mlirAttributeIsNull(arr) || !mlirAttributeIsAArray(arr) ||
      i >= mlirArrayAttrGetNumElements(arr))
    return 0;
  MlirAttribute d = mlirArrayAttrGetElement(arr, i);
  MlirAttribute a = mlirAttributeIsADictionary(d)
                        ? mlirDictionaryAttrGetElementByName(
                              d, mlirStringRefCreateFromCString("llvm.align"))
                        : mlirAttributeGetNull();
  return !mlirAttributeIsNull(a) && mlirAttributeIsAInteger(a)
             ? mlirIntegerAttrGetValueInt(a)
             : 0;
}

//===--------------------------------------------------------------------===//
// Counting
//===--------------------------------------------------------------------===//

/* Bytes of the static shared memory `func` reaches besides its own
   attributions (support/SharedSources.h). */
static int64_t globalBytes(MlirOperation func) {
  TlSharedScan sc;
  tlScanKernelShared(func, &sc);
  return sc.staticBytes;
}

/* The kernel's own workgroup attributions, each at the next multiple of
   128. */
static int64_t attributionBytes(MlirOperation func) {
  int64_t shared = 0;
  intptr_t nIn = numInputs(func), nW = numWorkgroup(func);
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  for (intptr_t i = nIn; i < nIn + nW && i < mlirBlockGetNumArguments(entry);
       ++i) {
    MlirType t = mlirValueGetType(mlirBlockGetArgument(entry, i));
    if (tlIsWorkgroupMemRef(t))
      shared = alignUp(shared, 128) + memrefBytes(t);
  }
  return shared;
}

int64_t tlKernelStaticSharedBytes(MlirOperation func) {
  int64_t shared = attributionBytes(func) + globalBytes(func);
  /* With a dynamic window, ptxas pads the static variables to its
     alignment (the window starts right after them). */
  MlirAttribute a = tlGetAttr(func, TL_ATTR_DYNAMIC_SHARED);
  if (!mlirAttributeIsNull(a) && mlirAttributeIsADenseI64Array(a) &&
      mlirDenseArrayGetNumElements(a) == 2 && shared > 0)
    shared = alignUp(shared, mlirDenseI64ArrayGetElement(a, 1));
  return shared;
}

int64_t tlKernelDynamicSharedBytes(MlirOperation func) {
  MlirAttribute a = tlGetAttr(func, TL_ATTR_DYNAMIC_SHARED);
  return !mlirAttributeIsNull(a) && mlirAttributeIsADenseI64Array(a) &&
                 mlirDenseArrayGetNumElements(a) == 2
             ? mlirDenseI64ArrayGetElement(a, 0)
             : 0;
}

//===--------------------------------------------------------------------===//
// The move
//===--------------------------------------------------------------------===//

/* The target of func's module with the smallest opt-in maximum. */
static int64_t sharedLimit(MlirOperation func, char *chip, size_t cap) {
  TlTarget t[TL_MAX_TARGETS];
  intptr_t n = tlModuleTargets(func, t, TL_MAX_TARGETS);
  if (n > TL_MAX_TARGETS)
    n = TL_MAX_TARGETS;
  int64_t best = -1;
  for (intptr_t i = 0; i < n; ++i) {
    int64_t l = tlChipSharedOptIn(t[i].chip);
    if (l > 0 && (best < 0 || l < best)) {
      best = l;
      snprintf(chip, cap, "%.63s", t[i].chip);
    }
  }
  if (best < 0) {
    snprintf(chip, cap, "sm_90a"); /* tl-to-nvvm's default chip */
    best = tlChipSharedOptIn(chip);
  }
  return best;
}

/* Whether attribution type t can be a view of the dynamic shared memory
   (an error at func otherwise): static, row-major, sized elements, in
   #gpu.address_space<workgroup>. */
static bool checkMovable(MlirOperation func, intptr_t i, MlirType t,
                         MlirAttribute wg) {
  const char *why = NULL;
  if (!tlStaticRowMajor(t, NULL))
    why = "it is not a static row-major memref";
  else if (memrefBytes(t) <= 0)
    why = "its element type has no known size";
  else if (!mlirAttributeEqual(mlirMemRefTypeGetMemorySpace(t), wg))
    why = "its memory space is not #gpu.address_space<workgroup>";
  if (!why)
    return true;
  TlStr s = {0};
  tlStrAppendType(&s, t);
  tlEmitErrorf(mlirOperationGetLocation(func),
               "tl-to-nvvm: workgroup attribution %ld (%s) cannot move to "
               "dynamic shared memory: %s", (long)i, tlStrGet(&s), why);
  tlStrFree(&s);
  return false;
}

/* The offsets of the attributions in the dynamic shared memory, in order,
   each aligned to max(llvm.align, 16); returns the total bytes and the
   largest alignment (*maxAlign). -1 after an error. */
static int64_t layOut(MlirOperation func, MlirAttribute wg, int64_t *offsets,
                      int64_t *maxAlign) {
  intptr_t nIn = numInputs(func), nW = numWorkgroup(func);
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  int64_t off = 0;
  *maxAlign = 16;
  for (intptr_t i = 0; i < nW; ++i) {
    MlirType t = mlirValueGetType(mlirBlockGetArgument(entry, nIn + i));
    if (!checkMovable(func, i, t, wg))
      return -1;
    int64_t a = attributionAlign(func, i);
    if (a < 16)
      a = 16;
    if (a > *maxAlign)
      *maxAlign = a;
    offsets[i] = off = alignUp(off, a);
    off += memrefBytes(t);
  }
  return off;
}

/* Every attribution becomes memref.view %dyn[offset][] at the entry; the
   attributions and their attributes go. */
static void replaceAttributions(MlirOperation func, MlirAttribute wg,
                                const int64_t *offsets) {
  MlirContext ctx = mlirOperationGetContext(func);
  MlirLocation loc = mlirOperationGetLocation(func);
  intptr_t nIn = numInputs(func), nW = numWorkgroup(func);
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  MlirOperation first = mlirBlockGetFirstOperation(entry);
  int64_t dyn = mlirShapedTypeGetDynamicSize();
  MlirType bytesT = mlirMemRefTypeGet(mlirIntegerTypeGet(ctx, 8), 1, &dyn,
                                      mlirAttributeGetNull(), wg);
  MlirValue base = mlirOperationGetResult(
      tlBuildOpBefore(first, "gpu.dynamic_shared_memory", loc, 0, NULL, 1,
                      &bytesT, 0, NULL), 0);
  for (intptr_t i = 0; i < nW; ++i) {
    MlirValue arg = mlirBlockGetArgument(entry, nIn + i);
    MlirType t = mlirValueGetType(arg);
    /* memref.view makes identity layouts; a row-major strided<> one is
       the same memref after a memref.cast. */
    intptr_t rank = mlirShapedTypeGetRank(t);
    int64_t shape[16];
    for (intptr_t d = 0; d < rank; ++d)
      shape[d] = mlirShapedTypeGetDimSize(t, d);
    MlirType viewT = mlirMemRefTypeGet(mlirShapedTypeGetElementType(t), rank,
                                       shape, mlirAttributeGetNull(), wg);
    MlirValue ops[2] = {base, tlBuildIndexConstant(first, loc, offsets[i])};
    MlirValue v = mlirOperationGetResult(
        tlBuildOpBefore(first, "memref.view", loc, 2, ops, 1, &viewT, 0, NULL),
        0);
    if (!mlirTypeEqual(viewT, t))
      v = mlirOperationGetResult(
          tlBuildOpBefore(first, "memref.cast", loc, 1, &v, 1, &t, 0, NULL), 0);
    mlirValueReplaceAllUsesOfWith(arg, v);
  }
  for (intptr_t i = nW - 1; i >= 0; --i)
    mlirBlockEraseArgument(entry, (unsigned)(nIn + i));
  tlSetAttr(func, "workgroup_attributions",
            mlirIntegerAttrGet(mlirIntegerTypeGet(ctx, 64), 0));
  mlirOperationRemoveAttributeByName(
      func, mlirStringRefCreateFromCString("workgroup_attrib_attrs"));
}

/* The limits for a kernel whose static part is `statics` bytes (its
   attributions and globals) plus `dynamic` bytes of dynamic shared memory
   at alignment `align`; false after an error at loc. */
static bool checkLimits(MlirOperation func, int64_t statics, int64_t dynamic,
                        int64_t align, const char *what) {
  MlirLocation loc = mlirOperationGetLocation(func);
  char chip[64];
  int64_t limit = sharedLimit(func, chip, sizeof chip);
  /* ptxas places the dynamic window after the static variables, at the
     window's alignment. */
  int64_t need = alignUp(statics, align) + dynamic;
  if (need <= limit)
    return true;
  tlEmitErrorf(loc, "tl-to-nvvm: the kernel needs %lld bytes of shared "
                    "memory per block (%lld of %s in dynamic shared memory, "
                    "%lld static); %s allows at most %lld",
               (long long)need, (long long)dynamic, what, (long long)statics,
               chip, (long long)limit);
  return false;
}

/* A kernel that uses gpu.dynamic_shared_memory itself: its views' extent
   is what it needs at launch (recorded like a move), its buffers stay. */
static bool placeUserDynamic(MlirOperation func, const TlSharedScan *sc,
                             int64_t total) {
  MlirLocation loc = mlirOperationGetLocation(func);
  if (total > kStaticLimit) {
    tlEmitErrorf(loc, "tl-to-nvvm: the kernel's workgroup buffers and "
                      "globals take %lld bytes of shared memory, more than "
                      "the %lld a block may declare statically, and the "
                      "kernel uses gpu.dynamic_shared_memory itself, so tl "
                      "cannot move its buffers there",
                 (long long)total, (long long)kStaticLimit);
    return false;
  }
  if (!checkLimits(func, total, sc->dynamicBytes, 16,
                   "the kernel's gpu.dynamic_shared_memory"))
    return false;
  if (sc->dynamicBytes > 0) {
    int64_t rec[2] = {sc->dynamicBytes, 16};
    tlSetAttr(func, TL_ATTR_DYNAMIC_SHARED,
              mlirDenseI64ArrayGet(mlirOperationGetContext(func), 2, rec));
  }
  return true;
}

/* One kernel: moved when over the static limit; false after an error. */
static bool placeKernel(MlirOperation func) {
  MlirContext ctx = mlirOperationGetContext(func);
  MlirLocation loc = mlirOperationGetLocation(func);
  TlSharedScan sc;
  tlScanKernelShared(func, &sc);
  if (!mlirOperationIsNull(sc.bad)) {
    tlEmitErrorf(mlirOperationGetLocation(sc.bad), "%s", sc.why);
    return false;
  }
  int64_t statics = sc.staticBytes;
  int64_t total = attributionBytes(func) + statics;
  if (statics > kStaticLimit) {
    tlEmitErrorf(loc, "tl-to-nvvm: the workgroup globals the kernel names "
                      "take %lld bytes of static shared memory; a block may "
                      "declare at most %lld statically",
                 (long long)statics, (long long)kStaticLimit);
    return false;
  }
  if (sc.usesDynamic)
    return placeUserDynamic(func, &sc, total);
  intptr_t nW = numWorkgroup(func);
  if (total <= kStaticLimit || nW == 0)
    return true;
  MlirAttribute wg = mlirAttributeParseGet(
      ctx, mlirStringRefCreateFromCString("#gpu.address_space<workgroup>"));
  int64_t *offsets = malloc(sizeof(int64_t) * (size_t)nW), maxAlign;
  int64_t dynamic = layOut(func, wg, offsets, &maxAlign);
  bool ok = dynamic >= 0 && checkLimits(func, statics, dynamic, maxAlign,
                                        "workgroup buffers");
  if (ok) {
    replaceAttributions(func, wg, offsets);
    int64_t rec[2] = {dynamic, maxAlign};
    tlSetAttr(func, TL_ATTR_DYNAMIC_SHARED, mlirDenseI64ArrayGet(ctx, 2, rec));
  }
  free(offsets);
  return ok;
}

static MlirWalkResult placeWalk(MlirOperation op, void *ok) {
  if (!tlOpIsNamed(op, "gpu.func"))
    return MlirWalkResultAdvance;
  if (!mlirAttributeIsNull(tlGetAttr(op, "gpu.kernel")) && !placeKernel(op))
    *(bool *)ok = false;
  return MlirWalkResultSkip;
}

static void runPlace(MlirOperation op, MlirExternalPass pass, void *state) {
  (void)state;
  bool ok = true;
  mlirOperationWalk(op, placeWalk, &ok, MlirWalkPreOrder);
  if (!ok)
    mlirExternalPassSignalFailure(pass);
}

//===--------------------------------------------------------------------===//
// The dynamic shared global, after convert-gpu-to-nvvm
//===--------------------------------------------------------------------===//

static bool isDynamicSharedGlobal(MlirOperation op) {
  if (!tlOpIsNamed(op, "llvm.mlir.global"))
    return false;
  MlirStringRef s = mlirStringAttrGetValue(tlGetAttr(op, "sym_name"));
  MlirAttribute as = tlGetAttr(op, "addr_space");
  return s.length >= 17 && !memcmp(s.data, "__dynamic_shmem__", 17) &&
         !mlirAttributeIsNull(as) && mlirIntegerAttrGetValueInt(as) == 3;
}

/* In one gpu.module: the largest alignment its kernels' views need (the
   record leaves the llvm.funcs), then every dynamic shared global gets
   it and external linkage: `.extern .shared .align N .b8 name[]`. */
static void fixModule(MlirOperation module) {
  MlirContext ctx = mlirOperationGetContext(module);
  MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(module, 0));
  int64_t align = 16;
  for (MlirOperation op = mlirBlockGetFirstOperation(body);
       !mlirOperationIsNull(op); op = mlirOperationGetNextInBlock(op)) {
    MlirAttribute rec = tlGetAttr(op, TL_ATTR_DYNAMIC_SHARED);
    if (mlirAttributeIsNull(rec))
      continue;
    if (mlirAttributeIsADenseI64Array(rec) &&
        mlirDenseArrayGetNumElements(rec) == 2 &&
        mlirDenseI64ArrayGetElement(rec, 1) > align)
      align = mlirDenseI64ArrayGetElement(rec, 1);
    mlirOperationRemoveAttributeByName(
        op, mlirStringRefCreateFromCString(TL_ATTR_DYNAMIC_SHARED));
  }
  for (MlirOperation op = mlirBlockGetFirstOperation(body);
       !mlirOperationIsNull(op); op = mlirOperationGetNextInBlock(op)) {
    if (!isDynamicSharedGlobal(op))
      continue;
    MlirAttribute old = tlGetAttr(op, "alignment");
    int64_t a = mlirAttributeIsNull(old) ? 0 : mlirIntegerAttrGetValueInt(old);
    tlSetAttr(op, "alignment",
              mlirIntegerAttrGet(mlirIntegerTypeGet(ctx, 64),
                                 a > align ? a : align));
    tlSetAttr(op, "linkage", mlirLLVMLinkageAttrGet(ctx, MlirLLVMLinkageExternal));
  }
}

static MlirWalkResult fixWalk(MlirOperation op, void *userData) {
  (void)userData;
  if (!tlOpIsNamed(op, "gpu.module"))
    return MlirWalkResultAdvance;
  fixModule(op);
  return MlirWalkResultSkip;
}

static void runFix(MlirOperation op, MlirExternalPass pass, void *state) {
  (void)pass;
  (void)state;
  mlirOperationWalk(op, fixWalk, NULL, MlirWalkPreOrder);
}

static const TlPassInfo kPlaceInfo = {
    "tl-to-nvvm-dynamic-shared",
    "tl-to-nvvm: workgroup buffers beyond 48 KiB in dynamic shared memory",
    0, NULL};
static const TlPassInfo kFixInfo = {
    "tl-to-nvvm-dynamic-shared-global",
    "tl-to-nvvm: the dynamic shared global's linkage and alignment", 0, NULL};
static _Alignas(8) char kPlaceId;
static _Alignas(8) char kFixId;

MlirPass tlCreateDynamicSharedPass(void) {
  MlirDialectHandle deps[3] = {mlirGetDialectHandle__gpu__(),
                               mlirGetDialectHandle__memref__(),
                               mlirGetDialectHandle__arith__()};
  return tlCreateExternalPass(&kPlaceId, &kPlaceInfo, 3, deps, runPlace, NULL,
                              0);
}

MlirPass tlCreateDynamicSharedGlobalPass(void) {
  return tlCreateExternalPass(&kFixId, &kFixInfo, 0, NULL, runFix, NULL, 0);
}
