/* The shared-memory spellings tl-to-nvvm refuses (support/SharedSources.h
 * says which and why). */
#include "SharedSources.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Dialect/LLVM.h>

#include "IRBuild.h"
#include "Side.h"
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

/* Whether memref type t is in the memory of its attribution kind:
   workgroup ones in workgroup memory, private ones in private memory or
   the default space. */
static bool spaceFits(MlirType t, const char *kind) {
  if (kind[0] == 'w')
    return tlIsWorkgroupMemRef(t);
  MlirAttribute ms = mlirMemRefTypeGetMemorySpace(t);
  if (mlirAttributeIsNull(ms))
    return true;
  if (mlirAttributeIsAInteger(ms))
    return mlirIntegerAttrGetValueInt(ms) == 0 ||
           mlirIntegerAttrGetValueInt(ms) == 5;
  return tlAttrPrintsAs(ms, "#gpu.address_space<private>");
}

/* The error "tl-to-nvvm: <kind> attribution <i> (<type>) <what>" at func. */
static void attributionError(MlirOperation func, const char *kind, intptr_t i,
                             MlirType t, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void attributionError(MlirOperation func, const char *kind, intptr_t i,
                             MlirType t, const char *fmt, ...) {
  char what[320];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  TlStr s = {0};
  tlStrAppendType(&s, t);
  tlEmitErrorf(mlirOperationGetLocation(func),
               "tl-to-nvvm: %s attribution %ld (%s) %s", kind, (long)i,
               tlStrGet(&s), what);
  tlStrFree(&s);
}

/* One attribution: in its kind's memory, of an element type tl allocates,
   reaching no further than its shape-many elements; false after an
   error. */
static bool checkAttribution(MlirOperation func, const char *kind, intptr_t i,
                             MlirType t) {
  if (!mlirTypeIsAMemRef(t))
    return true;
  if (!spaceFits(t, kind)) {
    /* The upstream lowering dereferences a null descriptor on another
       memory space (found by tl-fuzz-ir). */
    attributionError(func, kind, i, t,
                     "is not in %s memory (#gpu.address_space<%s>)", kind, kind);
    return false;
  }
  if (!tlElementTypeIsSupported(mlirShapedTypeGetElementType(t))) {
    /* The upstream lowering has no LLVM type for some (tf32: found by
       tl-fuzz-ir) and dereferences a null one. */
    attributionError(func, kind, i, t,
                     "has an element type tl cannot allocate (i8, i16, i32, "
                     "i64, index, f16, bf16, f32, f64 or an 8-bit float)");
    return false;
  }
  if (tlStaticRowMajor(t, NULL))
    return true;
  long long elems = mlirShapedTypeHasStaticShape(t) ? 1 : -1;
  for (intptr_t d = 0; elems > 0 && d < mlirShapedTypeGetRank(t); ++d)
    elems *= mlirShapedTypeGetDimSize(t, d);
  long long reach = extentOf(t);
  /* A permutation (column-major) reaches exactly its elements. */
  if (reach >= 0 && elems >= 0 && reach <= elems)
    return true;
  if (reach >= 0 && elems >= 0)
    attributionError(func, kind, i, t,
                     "is not row-major from offset 0: it would be allocated "
                     "%lld elements but its layout reaches %lld; declare the "
                     "whole buffer and take a memref.subview of it",
                     elems, reach);
  else
    attributionError(func, kind, i, t,
                     "has a layout tl cannot size (static non-negative "
                     "strides and offset needed); use the identity layout");
  return false;
}

/* Attributions [first, first + n) of `func`'s entry block. */
static bool checkAttributions(MlirOperation func, intptr_t first, intptr_t n,
                              const char *kind) {
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  bool ok = true;
  for (intptr_t i = 0; i < n && first + i < mlirBlockGetNumArguments(entry); ++i)
    ok &= checkAttribution(func, kind, i,
                           mlirValueGetType(mlirBlockGetArgument(entry, first + i)));
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

/* The top of a gpu.module holds functions, globals and LLVM's module-level
   ops; anything else (a gpu.barrier, an arith op) has no function to be
   emitted into and crashed the LLVM translation (found by tl-fuzz-ir). */
static bool checkModuleTop(MlirOperation module) {
  bool ok = true;
  MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(module, 0));
  for (MlirOperation op = mlirBlockIsNull(body) ? (MlirOperation){NULL}
                                                : mlirBlockGetFirstOperation(body);
       !mlirOperationIsNull(op); op = mlirOperationGetNextInBlock(op)) {
    MlirStringRef n = mlirIdentifierStr(mlirOperationGetName(op));
    bool llvm = n.length > 5 && !memcmp(n.data, "llvm.", 5);
    if (llvm || !mlirAttributeIsNull(tlGetAttr(op, "sym_name")))
      continue;
    tlEmitErrorf(mlirOperationGetLocation(op),
                 "tl-to-nvvm: '%.*s' stands at the top of a gpu.module, "
                 "outside any function; a gpu.module holds functions and "
                 "globals",
                 (int)n.length, n.data);
    ok = false;
  }
  return ok;
}

static MlirWalkResult moduleWalk(MlirOperation op, void *userData) {
  if (!tlOpIsNamed(op, "gpu.module"))
    return MlirWalkResultAdvance;
  if (!checkModuleTop(op))
    *(bool *)userData = false;
  mlirOperationWalk(op, checkWalk, userData, MlirWalkPreOrder);
  return MlirWalkResultSkip;
}

bool tlCheckSharedSources(MlirOperation op) {
  bool ok = true;
  mlirOperationWalk(op, moduleWalk, &ok, MlirWalkPreOrder);
  return ok;
}

//===--------------------------------------------------------------------===//
// Counting the sources of one kernel
//===--------------------------------------------------------------------===//

int64_t tlMemRefBytes(MlirType t) {
  if (!mlirTypeIsAMemRef(t) || !mlirShapedTypeHasStaticShape(t))
    return 0;
  int64_t bytes = (tlElementBits(mlirShapedTypeGetElementType(t)) + 7) / 8;
  for (intptr_t d = 0; d < mlirShapedTypeGetRank(t); ++d)
    if (__builtin_mul_overflow(bytes, mlirShapedTypeGetDimSize(t, d), &bytes))
      return 0;
  return bytes;
}

static int64_t alignUp(int64_t v, int64_t a) {
  return a > 1 ? (v + a - 1) / a * a : v;
}

/* Bytes and natural alignment of an LLVM global's type; 0 when unknown. */
static int64_t llvmTypeBytes(MlirType t, int64_t *align, int depth) {
  *align = 1;
  if (depth > 16)
    return 0;
  if (mlirTypeIsALLVMPointerType(t))
    return *align = 8;
  int64_t bits = tlElementBits(t);
  if (bits > 0 && !mlirTypeIsAVector(t)) {
    *align = (bits + 7) / 8;
    return *align;
  }
  if (mlirTypeIsAVector(t) && mlirShapedTypeHasStaticShape(t)) {
    int64_t b = (tlElementBits(mlirShapedTypeGetElementType(t)) + 7) / 8;
    for (intptr_t d = 0; d < mlirShapedTypeGetRank(t); ++d)
      b *= mlirShapedTypeGetDimSize(t, d);
    return *align = b;
  }
  if (mlirTypeIsALLVMStructType(t) && !mlirLLVMStructTypeIsOpaque(t)) {
    bool packed = mlirLLVMStructTypeIsPacked(t);
    int64_t off = 0;
    for (intptr_t i = 0; i < mlirLLVMStructTypeGetNumElementTypes(t); ++i) {
      int64_t a, b = llvmTypeBytes(mlirLLVMStructTypeGetElementType(t, i), &a,
                                   depth + 1);
      if (b <= 0)
        return 0;
      off = alignUp(off, packed ? 1 : a) + b;
      if (!packed && a > *align)
        *align = a;
    }
    return alignUp(off, *align);
  }
  /* llvm.array: the C API has no count getter; its printed form has it. */
  TlStr s = {0};
  tlStrAppendType(&s, t);
  long long n = -1;
  if (sscanf(tlStrGet(&s), "!llvm.array<%lld x", &n) != 1)
    n = -1;
  tlStrFree(&s);
  if (n < 0)
    return 0;
  int64_t b = llvmTypeBytes(mlirLLVMArrayTypeGetElementType(t), align,
                            depth + 1), total;
  if (b <= 0 || __builtin_mul_overflow(b, (int64_t)n, &total))
    return 0;
  return total;
}

typedef struct Scan {
  TlSharedScan *out;
  MlirOperation module;
  /* Each global and function once; past the end a repeat is counted
     again (too many bytes, never too few). */
  MlirOperation seen[64];
  int numSeen;
  MlirOperation funcs[64];
  int numFuncs;
} Scan;

static void setBad(Scan *sc, MlirOperation op, const char *why) {
  if (!mlirOperationIsNull(sc->out->bad))
    return;
  sc->out->bad = op;
  snprintf(sc->out->why, sizeof sc->out->why, "%s", why);
}

/* Adds op to list unless it is there (false then); a full list takes
   nothing and says true. */
static bool remember(MlirOperation *list, int *n, int cap, MlirOperation op) {
  for (int k = 0; k < *n; ++k)
    if (mlirOperationEqual(list[k], op))
      return false;
  if (*n < cap)
    list[(*n)++] = op;
  return true;
}

/* The op of the gpu.module named `ref` (a FlatSymbolRefAttr), or null. */
static MlirOperation lookup(Scan *sc, MlirAttribute ref) {
  if (mlirAttributeIsNull(ref) || !mlirAttributeIsAFlatSymbolRef(ref))
    return (MlirOperation){NULL};
  MlirStringRef name = mlirFlatSymbolRefAttrGetValue(ref);
  MlirBlock body =
      mlirRegionGetFirstBlock(mlirOperationGetRegion(sc->module, 0));
  for (MlirOperation op = mlirBlockGetFirstOperation(body);
       !mlirOperationIsNull(op); op = mlirOperationGetNextInBlock(op)) {
    MlirAttribute s = tlGetAttr(op, "sym_name");
    if (mlirAttributeIsNull(s) || !mlirAttributeIsAString(s))
      continue;
    MlirStringRef v = mlirStringAttrGetValue(s);
    if (v.length == name.length && !memcmp(v.data, name.data, v.length))
      return op;
  }
  return (MlirOperation){NULL};
}

/* A global named by get_global / addressof: its bytes once, at its
   alignment. */
static void countGlobal(Scan *sc, MlirOperation use, MlirOperation g) {
  int64_t bytes, align = 1;
  if (tlOpIsNamed(g, "memref.global")) {
    MlirType t = mlirTypeAttrGetValue(tlGetAttr(g, "type"));
    if (!tlIsWorkgroupMemRef(t))
      return;
    bytes = tlMemRefBytes(t);
  } else {
    MlirAttribute as = tlGetAttr(g, "addr_space");
    if (mlirAttributeIsNull(as) || mlirIntegerAttrGetValueInt(as) != 3)
      return;
    bytes = llvmTypeBytes(mlirTypeAttrGetValue(tlGetAttr(g, "global_type")),
                          &align, 0);
  }
  if (!remember(sc->seen, &sc->numSeen, 64, g))
    return;
  if (bytes <= 0) {
    setBad(sc, use, "tl-to-nvvm: the shared global this names has a type "
                    "of unknown size, so the kernel's shared memory cannot "
                    "be counted");
    return;
  }
  MlirAttribute al = tlGetAttr(g, "alignment");
  if (!mlirAttributeIsNull(al) && mlirIntegerAttrGetValueInt(al) > align)
    align = mlirIntegerAttrGetValueInt(al);
  sc->out->staticBytes = alignUp(sc->out->staticBytes, align) + bytes;
}

/* gpu.dynamic_shared_memory: every use a memref.view with a constant
   offset and a static shape; the extent is the largest end. */
static void countDynamic(Scan *sc, MlirOperation op) {
  sc->out->usesDynamic = true;
  MlirValue base = mlirOperationGetResult(op, 0);
  for (MlirOpOperand u = mlirValueGetFirstUse(base); !mlirOpOperandIsNull(u);
       u = mlirOpOperandGetNextUse(u)) {
    MlirOperation view = mlirOpOperandGetOwner(u);
    if (!tlOpIsNamed(view, "memref.view") ||
        mlirOpOperandGetOperandNumber(u) != 0) {
      setBad(sc, view, "tl-to-nvvm: gpu.dynamic_shared_memory used other "
                       "than through memref.view, so the bytes the kernel "
                       "needs at launch cannot be counted");
      continue;
    }
    MlirOperation def =
        mlirOperationGetNumOperands(view) > 1 &&
                mlirValueIsAOpResult(mlirOperationGetOperand(view, 1))
            ? mlirOpResultGetOwner(mlirOperationGetOperand(view, 1))
            : (MlirOperation){NULL};
    MlirAttribute c = mlirOperationIsNull(def) ||
                              !tlOpIsNamed(def, "arith.constant")
                          ? mlirAttributeGetNull()
                          : tlGetAttr(def, "value");
    MlirType t = mlirValueGetType(mlirOperationGetResult(view, 0));
    int64_t bytes = tlMemRefBytes(t), end;
    if (mlirAttributeIsNull(c) || !mlirAttributeIsAInteger(c) || bytes <= 0 ||
        __builtin_add_overflow(mlirIntegerAttrGetValueInt(c), bytes, &end)) {
      setBad(sc, view, "tl-to-nvvm: a memref.view of gpu.dynamic_shared_"
                       "memory needs a constant offset and a static shape, "
                       "so that the bytes the kernel needs at launch can be "
                       "counted");
      continue;
    }
    if (end > sc->out->dynamicBytes)
      sc->out->dynamicBytes = end;
  }
}

static void scanFunc(Scan *sc, MlirOperation func);

static MlirWalkResult scanOp(MlirOperation op, void *userData) {
  Scan *sc = userData;
  if (tlOpIsNamed(op, "memref.get_global"))
    countGlobal(sc, op, lookup(sc, tlGetAttr(op, "name")));
  else if (tlOpIsNamed(op, "llvm.mlir.addressof")) {
    MlirOperation g = lookup(sc, tlGetAttr(op, "global_name"));
    if (!mlirOperationIsNull(g) && tlOpIsNamed(g, "llvm.mlir.global"))
      countGlobal(sc, op, g);
  } else if (tlOpIsNamed(op, "gpu.dynamic_shared_memory"))
    countDynamic(sc, op);
  else if (tlOpIsNamed(op, "func.call") || tlOpIsNamed(op, "llvm.call")) {
    MlirOperation f = lookup(sc, tlGetAttr(op, "callee"));
    if (!mlirOperationIsNull(f))
      scanFunc(sc, f);
  }
  return MlirWalkResultAdvance;
}

static void scanFunc(Scan *sc, MlirOperation func) {
  for (int k = 0; k < sc->numFuncs; ++k)
    if (mlirOperationEqual(sc->funcs[k], func))
      return;
  if (sc->numFuncs == (int)(sizeof sc->funcs / sizeof sc->funcs[0])) {
    setBad(sc, func, "tl-to-nvvm: the kernel reaches more than 64 "
                     "functions; tl counts the shared memory of at most 64");
    return;
  }
  sc->funcs[sc->numFuncs++] = func;
  mlirOperationWalk(func, scanOp, sc, MlirWalkPreOrder);
}

void tlScanKernelShared(MlirOperation func, TlSharedScan *out) {
  memset(out, 0, sizeof *out);
  Scan sc;
  memset(&sc, 0, sizeof sc);
  sc.out = out;
  sc.module = tlEnclosingOp(func, "gpu.module");
  if (mlirOperationIsNull(sc.module))
    return;
  scanFunc(&sc, func);
}
