/* tl-verify's shared pieces: the run's state and its messages (printed
 * types and attributes kept until the op is done), integer and name
 * readers, scopes, and the enclosing kernel with its block size. */
#include <stdarg.h>
#include <stdlib.h>

#include <stdint.h>
#include <string.h>

#include <mlir-c/AffineMap.h>
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/IR.h>

#include "Diag.h"
#include "Support.h"
#include "Verifier.h"
#include "tl-c/Attributes.h"

//===--------------------------------------------------------------------===//
// Error reporting
//===--------------------------------------------------------------------===//

const char *tlvKeep(Verifier *v, TlStr *s) {
  if (v->numScratch == v->capScratch) {
    size_t cap = v->capScratch ? 2 * v->capScratch : 16;
    char **p = realloc(v->scratch, cap * sizeof *p);
    if (!p)
      abort(); /* out of memory */
    v->scratch = p;
    v->capScratch = cap;
  }
  if (!s->data)
    tlStrAppend(s, "", 0);
  v->scratch[v->numScratch++] = s->data;
  return s->data;
}

void tlvReleaseScratch(Verifier *v) {
  for (size_t i = 0; i < v->numScratch; ++i)
    free(v->scratch[i]);
  v->numScratch = 0;
}

/* The printed form of a type / attribute, valid until the op is done. */
const char *tlvType(Verifier *v, MlirType type) {
  TlStr s = {0};
  tlStrAppendType(&s, type);
  return tlvKeep(v, &s);
}

const char *tlvAttr(Verifier *v, MlirAttribute attr) {
  TlStr s = {0};
  tlStrAppendAttr(&s, attr);
  return tlvKeep(v, &s);
}

const char *tlvStr(Verifier *v, MlirStringRef ref) {
  TlStr s = {0};
  tlStrAppend(&s, ref.data, ref.length);
  return tlvKeep(v, &s);
}

/* The located error of support/Diag.h; remembers that the run failed. */
void tlvFail(Verifier *v, MlirOperation op, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  tlOpErrorV(op, fmt, ap);
  va_end(ap);
  v->failed = true;
}

//===--------------------------------------------------------------------===//
// Attribute and value helpers
//===--------------------------------------------------------------------===//

bool tlvStrEq(MlirStringRef ref, const char *text) {
  return ref.length == strlen(text) && memcmp(ref.data, text, ref.length) == 0;
}

/* Reads an integer attribute of at most 64 bits (index included). i1 (a
   bool) is not an integer here. */
IntKind tlvReadInt(MlirAttribute attr, int64_t *value) {
  if (mlirAttributeIsNull(attr) || !mlirAttributeIsAInteger(attr))
    return IntNotInteger;
  MlirType t = mlirAttributeGetType(attr);
  if (mlirTypeIsAIndex(t)) {
    *value = mlirIntegerAttrGetValueInt(attr);
    return IntOk;
  }
  if (!mlirTypeIsAInteger(t))
    return IntNotInteger;
  unsigned width = mlirIntegerTypeGetWidth(t);
  if (width == 1)
    return IntNotInteger;
  if (width > 64)
    return IntTooWide;
  if (mlirIntegerTypeIsUnsigned(t)) {
    uint64_t u = mlirIntegerAttrGetValueUInt(attr);
    if (u > (uint64_t)INT64_MAX)
      return IntTooWide;
    *value = (int64_t)u;
  } else if (mlirIntegerTypeIsSigned(t)) {
    *value = mlirIntegerAttrGetValueSInt(attr);
  } else {
    *value = mlirIntegerAttrGetValueInt(attr);
  }
  return IntOk;
}

/* Returns the constant value of an index defined by arith.constant. */
bool tlvConstantIndex(MlirValue value, int64_t *out) {
  if (!mlirValueIsAOpResult(value))
    return false;
  MlirOperation def = mlirOpResultGetOwner(value);
  if (!tlOpIsNamed(def, "arith.constant"))
    return false;
  return tlvReadInt(tlGetAttr(def, "value"), out) == IntOk;
}

/* How a value was produced, for messages: "a block argument" or
   "produced by 'dialect.op'". */
const char *tlvProducerText(Verifier *v, MlirValue value) {
  TlStr s = {0};
  if (mlirValueIsAOpResult(value)) {
    MlirStringRef n =
        mlirIdentifierStr(mlirOperationGetName(mlirOpResultGetOwner(value)));
    tlStrAppendf(&s, "produced by '%.*s'", (int)n.length, n.data);
  } else {
    tlStrAppendf(&s, "a block argument");
  }
  return tlvKeep(v, &s);
}

static const char *kScopeHelp =
    "a tl buffer must be global (no memory space or "
    "#gpu.address_space<global>), shared (#gpu.address_space<workgroup>) or "
    "fragment (#tl.fragment)";

/* Checks that `type` (a memref) has a legal scope; `what` names it. */
bool tlvCheckScope(Verifier *v, MlirOperation op, const char *what,
                   MlirType type) {
  if (tlMemRefTypeGetScope(type) != TlScopeInvalid)
    return true;
  MlirAttribute space = mlirMemRefTypeGetMemorySpace(type);
  tlvFail(v, op, "%s %s has memory space %s, which is not a tl scope: %s", what,
          tlvType(v, type), tlvAttr(v, space), kScopeHelp);
  return false;
}

/* A tl.region producing `value`, or a null op. */
MlirOperation tlvRegionProducer(MlirValue value) {
  if (!mlirValueIsAOpResult(value))
    return (MlirOperation){NULL};
  MlirOperation def = mlirOpResultGetOwner(value);
  return tlOpIsNamed(def, "tl.region") ? def : (MlirOperation){NULL};
}

/* The `access` value of a tl.region, 0 when invalid. */
int64_t tlvRegionAccess(MlirOperation region) {
  int64_t a;
  if (tlvReadInt(tlGetAttr(region, "access"), &a) != IntOk || a < 1 || a > 3)
    return 0;
  return a;
}

const char *tlvAccessName(int64_t a) {
  return a == 1 ? "read-only" : a == 2 ? "write-only" : "read-write";
}

/* True when the attribute name has a dialect prefix ("tl.kind"): such
   discardable attributes belong to their dialect and are not checked. */
bool tlvIsDialectAttrName(MlirStringRef name) {
  return memchr(name.data, '.', name.length) != NULL;
}

bool tlvNameIn(MlirStringRef name, const char *const *known, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (tlvStrEq(name, known[i]))
      return true;
  return false;
}

const char *tlvJoinNames(Verifier *v, const char *const *known, size_t n) {
  TlStr s = {0};
  for (size_t i = 0; i < n; ++i)
    tlStrAppendf(&s, "%s%s", i ? ", " : "", known[i]);
  return tlvKeep(v, &s);
}

/* Rejects attributes of `op` not in `known` (dialect-prefixed names are
   left alone). The message lists the first `shown` names: those a user
   writes (the rest are recorded by passes). */
void tlvCheckAttrNames(Verifier *v, MlirOperation op, const char *const *known,
                       size_t n, size_t shown, const char *hint) {
  intptr_t count = mlirOperationGetNumAttributes(op);
  for (intptr_t i = 0; i < count; ++i) {
    MlirStringRef name =
        mlirIdentifierStr(mlirOperationGetAttribute(op, i).name);
    if (tlvNameIn(name, known, n) || tlvIsDialectAttrName(name))
      continue;
    if (shown == 0)
      tlvFail(v, op, "has an unknown attribute '%s' (it takes none)%s",
              tlvStr(v, name), hint ? hint : "");
    else
      tlvFail(v, op, "has an unknown attribute '%s' (known: %s)%s",
              tlvStr(v, name), tlvJoinNames(v, known, shown), hint ? hint : "");
  }
}

//===--------------------------------------------------------------------===//
// The enclosing kernel and its block size
//===--------------------------------------------------------------------===//

Kernel tlvEnclosingKernel(MlirOperation op) {
  Kernel k = {{NULL}, false, {NULL}, false, 0};
  for (MlirOperation p = mlirOperationGetParentOperation(op);
       !mlirOperationIsNull(p); p = mlirOperationGetParentOperation(p)) {
    if (tlOpIsNamed(p, "gpu.func")) {
      k.func = p;
      k.isGpuFunc = true;
      break;
    }
    if (tlOpIsNamed(p, "func.func")) {
      k.func = p;
      break;
    }
  }
  if (!k.isGpuFunc)
    return k;
  k.blockSize = tlGetAttr(k.func, "known_block_size");
  if (mlirAttributeIsNull(k.blockSize) ||
      !mlirAttributeIsADenseI32Array(k.blockSize) ||
      mlirDenseArrayGetNumElements(k.blockSize) != 3)
    return k;
  int64_t threads = 1;
  for (intptr_t i = 0; i < 3; ++i) {
    int32_t d = mlirDenseI32ArrayGetElement(k.blockSize, i);
    if (d <= 0)
      return k;
    /* Three int32 entries can overflow an int64 product: saturate. A
       block over the launch limits is reported on the gpu.func
       (tlvVerifyLaunchLimits), not again on each tl op. */
    if (__builtin_mul_overflow(threads, (int64_t)d, &threads))
      threads = INT64_MAX;
  }
  k.blockSizeValid = true;
  k.threads = threads;
  return k;
}

const char *tlvFuncName(Verifier *v, MlirOperation func) {
  MlirAttribute name = tlGetAttr(func, "sym_name");
  if (mlirAttributeIsNull(name) || !mlirAttributeIsAString(name))
    return "<anonymous>";
  return tlvStr(v, mlirStringAttrGetValue(name));
}

/* A tl op that needs a thread map needs known_block_size on its gpu.func. */
void tlvRequireBlockSize(Verifier *v, MlirOperation op, const Kernel *k,
                         const char *why) {
  if (!k->isGpuFunc || k->blockSizeValid)
    return;
  if (mlirAttributeIsNull(k->blockSize))
    tlvFail(v, op,
            "%s, so the enclosing gpu.func @%s needs known_block_size = "
            "array<i32: x, y, z> (the thread count); it has none",
            why, tlvFuncName(v, k->func));
  else
    tlvFail(v, op,
            "%s, but the enclosing gpu.func @%s has known_block_size = %s: it "
            "must be array<i32: x, y, z> with every entry > 0",
            why, tlvFuncName(v, k->func), tlvAttr(v, k->blockSize));
}

/* The launch limits of every NVIDIA GPU since sm_30 (CUDA's
   cudaDeviceProp: maxThreadsDim, maxThreadsPerBlock, maxGridSize): a
   kernel declared beyond them compiles but can never launch. */
static const int64_t kBlockDimMax[3] = {1024, 1024, 64};
static const int64_t kBlockThreadsMax = 1024;
static const int64_t kGridDimMax[3] = {2147483647, 65535, 65535};

/* known_block_size / known_grid_size of a gpu.func against those limits;
   entries <= 0 and malformed attributes are reported where they are read
   (tlvRequireBlockSize) or by the gpu dialect. */
static void checkLaunchDims(Verifier *v, MlirOperation func, const char *name,
                            const int64_t *max, int64_t totalMax) {
  MlirAttribute a = tlGetAttr(func, name);
  if (mlirAttributeIsNull(a) || !mlirAttributeIsADenseI32Array(a) ||
      mlirDenseArrayGetNumElements(a) != 3)
    return;
  static const char *const kDim[3] = {"x", "y", "z"};
  int64_t total = 1;
  bool positive = true;
  for (intptr_t i = 0; i < 3; ++i) {
    int64_t d = mlirDenseI32ArrayGetElement(a, i);
    positive &= d > 0;
    if (d > max[i]) {
      tlvFail(v, func,
              "@%s has %s = %s: %s is %lld, more than the %lld a launch "
              "allows (x <= %lld, y <= %lld, z <= %lld)",
              tlvFuncName(v, func), name, tlvAttr(v, a), kDim[i],
              (long long)d, (long long)max[i], (long long)max[0],
              (long long)max[1], (long long)max[2]);
      return;
    }
    total *= d; /* at most 2^31 * 2^16 * 2^16 after the checks: no overflow */
  }
  if (positive && totalMax > 0 && total > totalMax)
    tlvFail(v, func,
            "@%s has %s = %s: %lld threads per block, more than the %lld a "
            "launch allows",
            tlvFuncName(v, func), name, tlvAttr(v, a), (long long)total,
            (long long)totalMax);
}

void tlvVerifyLaunchLimits(Verifier *v, MlirOperation func) {
  checkLaunchDims(v, func, "known_block_size", kBlockDimMax, kBlockThreadsMax);
  checkLaunchDims(v, func, "known_grid_size", kGridDimMax, 0);
}

/* A static size 0 makes an empty buffer: the passes after tl-verify would
   report an empty base_shape or fail in the NVVM conversion instead. */
bool tlvCheckNonEmpty(Verifier *v, MlirOperation op, const char *what,
                      MlirType type) {
  for (intptr_t d = 0; d < mlirShapedTypeGetRank(type); ++d)
    if (!mlirShapedTypeIsDynamicDim(type, d) &&
        mlirShapedTypeGetDimSize(type, d) == 0) {
      tlvFail(v, op,
              "%s %s is empty (dimension %lld has size 0); tl ops need "
              "non-empty buffers",
              what, tlvType(v, type), (long long)d);
      return false;
    }
  return true;
}

/* Offsets and strides are 64-bit: a buffer whose static sizes multiply
   past 2^63 bytes would be addressed with wrapped strides. */
bool tlvCheckBufferBytes(Verifier *v, MlirOperation op, const char *what,
                         MlirType type) {
  MlirType elt = mlirShapedTypeGetElementType(type);
  int64_t bytes = mlirTypeIsAIndex(elt) ? 8
                  : mlirTypeIsAInteger(elt)
                      ? (mlirIntegerTypeGetWidth(elt) + 7) / 8
                  : mlirTypeIsAFloat(elt) ? (mlirFloatTypeGetWidth(elt) + 7) / 8
                                          : 1;
  for (intptr_t d = 0; d < mlirShapedTypeGetRank(type); ++d)
    if (!mlirShapedTypeIsDynamicDim(type, d) &&
        __builtin_mul_overflow(bytes, mlirShapedTypeGetDimSize(type, d),
                               &bytes)) {
      tlvFail(v, op,
              "%s %s has more than 2^63 bytes: its offsets and strides "
              "would overflow 64 bits",
              what, tlvType(v, type));
      return false;
    }
  return true;
}
