/* tl-verify: every semantic rule of the tl ops that IRDL cannot express.
 *
 * IRDL checks structure only (operand kinds and counts, presence of the
 * required attributes). This pass walks every operation below the one it
 * runs on and, for each tl op, checks the rules of DESIGN §2/§3 that need C:
 * attribute kinds and values, ranks, extents, scopes, element types, the
 * im2col geometry and the thread count of the enclosing kernel. Each
 * violation is one located error that names the rule and the values
 * involved, in MLIR's style ("'tl.copy' op ..."). The pass changes nothing;
 * it fails when any error was emitted. docs/verify.md lists every rule. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/AffineMap.h>
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Diagnostics.h>
#include <mlir-c/IR.h>

#include "PassSupport.h"
#include "Support.h"
#include "tl-c/Attributes.h"

static MlirLogicalResult add(MlirOpPassManager pm,
                             const TlOptionValues *options,
                             MlirStringCallback err, void *userData);

/* Initialized with literals only: a const object is not a constant
   expression in C11 (clang refuses `{kInfo, add}`). */
const TlPassDef tlVerifyPassDef = {
    {"tl-verify",
     "Check the semantic rules of every tl op (attributes, ranks, extents, "
     "scopes, im2col parameters, block size); change nothing",
     0, NULL},
    add};

static _Alignas(8) char kTypeId;

//===--------------------------------------------------------------------===//
// Error reporting
//===--------------------------------------------------------------------===//

/* The state of one run. Printed types and attributes live in `scratch`
   until the op being checked is done, so that messages can use "%s". */
typedef struct Verifier {
  bool failed;
  char **scratch;
  size_t numScratch, capScratch;
} Verifier;

static const char *keep(Verifier *v, TlStr *s) {
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

static void releaseScratch(Verifier *v) {
  for (size_t i = 0; i < v->numScratch; ++i)
    free(v->scratch[i]);
  v->numScratch = 0;
}

/* The printed form of a type / attribute, valid until the op is done. */
static const char *T(Verifier *v, MlirType type) {
  TlStr s = {0};
  tlStrAppendType(&s, type);
  return keep(v, &s);
}

static const char *A(Verifier *v, MlirAttribute attr) {
  TlStr s = {0};
  tlStrAppendAttr(&s, attr);
  return keep(v, &s);
}

static const char *S(Verifier *v, MlirStringRef ref) {
  TlStr s = {0};
  tlStrAppend(&s, ref.data, ref.length);
  return keep(v, &s);
}

/* Emits "'<op name>' op <message>" at the location of `op`. */
static void fail(Verifier *v, MlirOperation op, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(Verifier *v, MlirOperation op, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *buf = malloc(n > 0 ? (size_t)n + 1 : 1);
  if (!buf)
    abort();
  va_start(ap, fmt);
  vsnprintf(buf, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
  va_end(ap);
  MlirStringRef name = mlirIdentifierStr(mlirOperationGetName(op));
  tlEmitErrorf(mlirOperationGetLocation(op), "'%.*s' op %s", (int)name.length,
               name.data, buf);
  free(buf);
  v->failed = true;
}

//===--------------------------------------------------------------------===//
// Attribute and value helpers
//===--------------------------------------------------------------------===//

static bool strEq(MlirStringRef ref, const char *text) {
  return ref.length == strlen(text) && memcmp(ref.data, text, ref.length) == 0;
}

static MlirAttribute getAttr(MlirOperation op, const char *name) {
  return mlirOperationGetAttributeByName(op,
                                         mlirStringRefCreateFromCString(name));
}

typedef enum IntKind { IntOk, IntNotInteger, IntTooWide } IntKind;

/* Reads an integer attribute of at most 64 bits (index included). i1 (a
   bool) is not an integer here. */
static IntKind readInt(MlirAttribute attr, int64_t *value) {
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
static bool constantIndex(MlirValue value, int64_t *out) {
  if (!mlirValueIsAOpResult(value))
    return false;
  MlirOperation def = mlirOpResultGetOwner(value);
  if (!tlOpIsNamed(def, "arith.constant"))
    return false;
  return readInt(getAttr(def, "value"), out) == IntOk;
}

/* How a value was produced, for messages: "a block argument" or
   "produced by 'dialect.op'". */
static const char *producerText(Verifier *v, MlirValue value) {
  TlStr s = {0};
  if (mlirValueIsAOpResult(value)) {
    MlirStringRef n =
        mlirIdentifierStr(mlirOperationGetName(mlirOpResultGetOwner(value)));
    tlStrAppendf(&s, "produced by '%.*s'", (int)n.length, n.data);
  } else {
    tlStrAppendf(&s, "a block argument");
  }
  return keep(v, &s);
}

static const char *kScopeHelp =
    "a tl buffer must be global (no memory space or "
    "#gpu.address_space<global>), shared (#gpu.address_space<workgroup>) or "
    "fragment (#tl.fragment)";

/* Checks that `type` (a memref) has a legal scope; `what` names it. */
static bool checkScope(Verifier *v, MlirOperation op, const char *what,
                       MlirType type) {
  if (tlMemRefTypeGetScope(type) != TlScopeInvalid)
    return true;
  MlirAttribute space = mlirMemRefTypeGetMemorySpace(type);
  fail(v, op, "%s %s has memory space %s, which is not a tl scope: %s", what,
       T(v, type), A(v, space), kScopeHelp);
  return false;
}

/* A tl.region producing `value`, or a null op. */
static MlirOperation regionProducer(MlirValue value) {
  if (!mlirValueIsAOpResult(value))
    return (MlirOperation){NULL};
  MlirOperation def = mlirOpResultGetOwner(value);
  return tlOpIsNamed(def, "tl.region") ? def : (MlirOperation){NULL};
}

/* The `access` value of a tl.region, 0 when invalid. */
static int64_t regionAccess(MlirOperation region) {
  int64_t a;
  if (readInt(getAttr(region, "access"), &a) != IntOk || a < 1 || a > 3)
    return 0;
  return a;
}

static const char *accessName(int64_t a) {
  return a == 1 ? "read-only" : a == 2 ? "write-only" : "read-write";
}

/* True when the attribute name has a dialect prefix ("tl.kind"): such
   discardable attributes belong to their dialect and are not checked. */
static bool isDialectAttrName(MlirStringRef name) {
  return memchr(name.data, '.', name.length) != NULL;
}

static bool nameIn(MlirStringRef name, const char *const *known, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (strEq(name, known[i]))
      return true;
  return false;
}

static const char *joinNames(Verifier *v, const char *const *known,
                             size_t n) {
  TlStr s = {0};
  for (size_t i = 0; i < n; ++i)
    tlStrAppendf(&s, "%s%s", i ? ", " : "", known[i]);
  return keep(v, &s);
}

/* Rejects attributes of `op` not in `known` (dialect-prefixed names are
   left alone). The message lists the first `shown` names: those a user
   writes (the rest are recorded by passes). */
static void checkAttrNames(Verifier *v, MlirOperation op,
                           const char *const *known, size_t n, size_t shown,
                           const char *hint) {
  intptr_t count = mlirOperationGetNumAttributes(op);
  for (intptr_t i = 0; i < count; ++i) {
    MlirStringRef name =
        mlirIdentifierStr(mlirOperationGetAttribute(op, i).name);
    if (nameIn(name, known, n) || isDialectAttrName(name))
      continue;
    fail(v, op, "has an unknown attribute '%s' (known: %s)%s", S(v, name),
         joinNames(v, known, shown), hint ? hint : "");
  }
}

//===--------------------------------------------------------------------===//
// The enclosing kernel and its block size
//===--------------------------------------------------------------------===//

typedef struct Kernel {
  MlirOperation func; /* the gpu.func / func.func, or null */
  bool isGpuFunc;
  MlirAttribute blockSize; /* known_block_size, or null */
  bool blockSizeValid;
  int64_t threads; /* product of known_block_size when valid */
} Kernel;

static Kernel enclosingKernel(MlirOperation op) {
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
  k.blockSize = getAttr(k.func, "known_block_size");
  if (mlirAttributeIsNull(k.blockSize) ||
      !mlirAttributeIsADenseI32Array(k.blockSize) ||
      mlirDenseArrayGetNumElements(k.blockSize) != 3)
    return k;
  int64_t threads = 1;
  for (intptr_t i = 0; i < 3; ++i) {
    int32_t d = mlirDenseI32ArrayGetElement(k.blockSize, i);
    if (d <= 0)
      return k;
    threads *= d;
  }
  k.blockSizeValid = true;
  k.threads = threads;
  return k;
}

static const char *funcName(Verifier *v, MlirOperation func) {
  MlirAttribute name = getAttr(func, "sym_name");
  if (mlirAttributeIsNull(name) || !mlirAttributeIsAString(name))
    return "<anonymous>";
  return S(v, mlirStringAttrGetValue(name));
}

/* A tl op that needs a thread map needs known_block_size on its gpu.func. */
static void requireBlockSize(Verifier *v, MlirOperation op, const Kernel *k,
                             const char *why) {
  if (!k->isGpuFunc || k->blockSizeValid)
    return;
  if (mlirAttributeIsNull(k->blockSize))
    fail(v, op,
         "%s, so the enclosing gpu.func @%s needs known_block_size = "
         "array<i32: x, y, z> (the thread count); it has none",
         why, funcName(v, k->func));
  else
    fail(v, op,
         "%s, but the enclosing gpu.func @%s has known_block_size = %s: it "
         "must be array<i32: x, y, z> with every entry > 0",
         why, funcName(v, k->func), A(v, k->blockSize));
}

//===--------------------------------------------------------------------===//
// tl.region
//===--------------------------------------------------------------------===//

/* `bounds_check` is recorded by tl-legalize-regions. */
static const char *const kRegionAttrs[] = {"access", "extents",
                                           "bounds_check"};

static void verifyRegion(Verifier *v, MlirOperation op) {
  checkAttrNames(v, op, kRegionAttrs,
                 sizeof kRegionAttrs / sizeof kRegionAttrs[0],
                 sizeof kRegionAttrs / sizeof kRegionAttrs[0], NULL);

  MlirAttribute access = getAttr(op, "access");
  int64_t a = 0;
  if (readInt(access, &a) != IntOk || a < 1 || a > 3)
    fail(v, op,
         "access must be an integer attribute with value 1 (read), 2 "
         "(write) or 3 (read-write), got %s",
         A(v, access));

  MlirValue buf = mlirOperationGetOperand(op, 0);
  MlirType type = mlirValueGetType(buf);
  if (!mlirTypeIsAMemRef(type)) {
    fail(v, op, "buffer must be a ranked memref, got %s", T(v, type));
    return;
  }
  checkScope(v, op, "buffer", type);

  int64_t rank = mlirShapedTypeGetRank(type);
  MlirAttribute bounds = getAttr(op, "bounds_check");
  if (!mlirAttributeIsNull(bounds) &&
      (!mlirAttributeIsADenseBoolArray(bounds) ||
       mlirDenseArrayGetNumElements(bounds) != rank))
    fail(v, op,
         "bounds_check must be array<i1: ...> with one entry per buffer "
         "dimension (%lld), got %s",
         (long long)rank, A(v, bounds));

  intptr_t nIdx = mlirOperationGetNumOperands(op) - 1;
  bool indicesOk = nIdx == rank;
  if (!indicesOk)
    fail(v, op,
         "has %lld %s for a rank-%lld buffer (%s): one index per dimension "
         "is required",
         (long long)nIdx, nIdx == 1 ? "index" : "indices", (long long)rank,
         T(v, type));

  MlirAttribute extentsAttr = getAttr(op, "extents");
  bool hasExtents = !mlirAttributeIsNull(extentsAttr);
  bool extentsOk = hasExtents;
  if (hasExtents) {
    if (!mlirAttributeIsADenseI64Array(extentsAttr)) {
      fail(v, op,
           "extents must be array<i64: ...> with one entry per buffer "
           "dimension, got %s",
           A(v, extentsAttr));
      extentsOk = false;
    } else if (mlirDenseArrayGetNumElements(extentsAttr) != rank) {
      fail(v, op,
           "extents %s has %lld entries for a rank-%lld buffer (%s): one "
           "extent per dimension is required",
           A(v, extentsAttr),
           (long long)mlirDenseArrayGetNumElements(extentsAttr),
           (long long)rank, T(v, type));
      extentsOk = false;
    } else {
      for (intptr_t d = 0; d < rank; ++d) {
        int64_t e = mlirDenseI64ArrayGetElement(extentsAttr, d);
        if (e <= 0) {
          fail(v, op, "extents entry %lld is %lld: every extent must be > 0",
               (long long)d, (long long)e);
          extentsOk = false;
        } else if (!mlirShapedTypeIsDynamicDim(type, d) &&
                   e > mlirShapedTypeGetDimSize(type, d)) {
          fail(v, op,
               "extents entry %lld (%lld) exceeds dimension %lld (size %lld) "
               "of %s",
               (long long)d, (long long)e, (long long)d,
               (long long)mlirShapedTypeGetDimSize(type, d), T(v, type));
          extentsOk = false;
        }
      }
    }
  }

  /* Constant indices: the region must lie inside the buffer. */
  if (!indicesOk)
    return;
  for (intptr_t d = 0; d < rank; ++d) {
    int64_t idx;
    if (!constantIndex(mlirOperationGetOperand(op, d + 1), &idx))
      continue;
    bool dynamic = mlirShapedTypeIsDynamicDim(type, d);
    int64_t dim = dynamic ? 0 : mlirShapedTypeGetDimSize(type, d);
    if (idx < 0) {
      fail(v, op,
           "index %lld is %lld: the region is provably out of bounds of %s "
           "(indices must be >= 0)",
           (long long)d, (long long)idx, T(v, type));
    } else if (dynamic) {
      continue;
    } else if (hasExtents && extentsOk) {
      int64_t e = mlirDenseI64ArrayGetElement(extentsAttr, d);
      if (idx > dim - e)
        fail(v, op,
             "index %lld (%lld) with extent %lld is provably out of bounds "
             "of dimension %lld of %s: %lld + %lld > %lld",
             (long long)d, (long long)idx, (long long)e, (long long)d,
             T(v, type), (long long)idx, (long long)e, (long long)dim);
    } else if (!hasExtents && idx >= dim) {
      fail(v, op,
           "index %lld (%lld) is provably out of bounds of dimension %lld of "
           "%s: %lld >= %lld",
           (long long)d, (long long)idx, (long long)d, T(v, type),
           (long long)idx, (long long)dim);
    }
  }
}

//===--------------------------------------------------------------------===//
// tl.copy options (named attributes and annotations entries)
//===--------------------------------------------------------------------===//

static const char *const kEvictionPolicies[] = {"evict_normal", "evict_first",
                                                "evict_last"};

static void checkEvictionPolicy(Verifier *v, MlirOperation op,
                                const char *what, MlirAttribute attr) {
  if (mlirAttributeIsAString(attr)) {
    MlirStringRef s = mlirStringAttrGetValue(attr);
    if (nameIn(s, kEvictionPolicies, 3))
      return;
  }
  fail(v, op,
       "%s must be one of \"evict_normal\", \"evict_first\", \"evict_last\", "
       "got %s",
       what, A(v, attr));
}

static void checkCoalescedWidth(Verifier *v, MlirOperation op,
                                const char *what, MlirAttribute attr) {
  int64_t w;
  IntKind k = readInt(attr, &w);
  if (k != IntOk)
    fail(v, op, "%s must be an integer attribute%s, got %s", what,
         k == IntTooWide ? " of at most 64 bits" : "", A(v, attr));
  else if (w <= 0 || (w & (w - 1)) != 0)
    fail(v, op, "%s must be a positive power of two, got %lld", what,
         (long long)w);
}

static void checkDisableTma(Verifier *v, MlirOperation op, const char *what,
                            MlirAttribute attr) {
  if (!mlirAttributeIsAUnit(attr) && !mlirAttributeIsABool(attr))
    fail(v, op, "%s must be a unit or bool attribute, got %s", what,
         A(v, attr));
}

static void checkSafeValue(Verifier *v, MlirOperation op, const char *what,
                           MlirAttribute attr) {
  if (!mlirAttributeIsAInteger(attr) && !mlirAttributeIsAFloat(attr))
    fail(v, op, "%s must be an integer or float attribute, got %s", what,
         A(v, attr));
}

static void checkLoopLayout(Verifier *v, MlirOperation op, const char *what,
                            MlirAttribute attr, const Kernel *k) {
  if (!tlAttributeIsAFragmentLayout(attr)) {
    fail(v, op,
         "%s must be a #tl.fragment_layout<map, threads, replicate>, got %s",
         what, A(v, attr));
    return;
  }
  MlirAffineMap map = tlFragmentLayoutAttrGetMap(attr);
  int64_t threads = tlFragmentLayoutAttrGetThreads(attr);
  int64_t replicate = tlFragmentLayoutAttrGetReplicate(attr);
  if (mlirAffineMapIsNull(map) || mlirAffineMapGetNumResults(map) != 2)
    fail(v, op,
         "%s map must have 2 results (thread, local index), got %lld in %s",
         what,
         (long long)(mlirAffineMapIsNull(map)
                         ? 0
                         : mlirAffineMapGetNumResults(map)),
         A(v, attr));
  if (threads <= 0)
    fail(v, op, "%s thread count must be > 0, got %lld", what,
         (long long)threads);
  if (replicate < 1)
    fail(v, op, "%s replicate must be >= 1, got %lld", what,
         (long long)replicate);
  if (threads > 0 && k->blockSizeValid && threads != k->threads)
    fail(v, op,
         "%s is for %lld threads, but the enclosing gpu.func @%s runs %lld "
         "(known_block_size = %s)",
         what, (long long)threads, funcName(v, k->func), (long long)k->threads,
         A(v, k->blockSize));
}

/* A swizzle in bytes: 0 (none), 32, 64 or 128 (docs/tma.md). */
static void checkSwizzle(Verifier *v, MlirOperation op, const char *what,
                         MlirAttribute attr) {
  int64_t w;
  if (readInt(attr, &w) != IntOk || (w != 0 && w != 32 && w != 64 && w != 128))
    fail(v, op, "%s must be 0, 32, 64 or 128 (bytes, an integer attribute), "
                "got %s", what, A(v, attr));
}

/* Recorded by tl-infer-layouts on TMA copies: tma_box (1 to 5 entries in
   [1, 256]) and tma_swizzle. Returns false when `name` is neither. */
static bool checkTmaAttr(Verifier *v, MlirOperation op, MlirStringRef name,
                         MlirAttribute attr) {
  if (strEq(name, "tma_box")) {
    bool ok = mlirAttributeIsADenseI64Array(attr) &&
              mlirDenseArrayGetNumElements(attr) >= 1 &&
              mlirDenseArrayGetNumElements(attr) <= 5;
    for (intptr_t i = 0; ok && i < mlirDenseArrayGetNumElements(attr); ++i) {
      int64_t b = mlirDenseI64ArrayGetElement(attr, i);
      ok = b >= 1 && b <= 256;
    }
    if (!ok)
      fail(v, op, "tma_box must be array<i64: ...> with 1 to 5 entries, each "
                  "in [1, 256], got %s", A(v, attr));
    return true;
  }
  if (strEq(name, "tma_swizzle")) {
    checkSwizzle(v, op, "tma_swizzle", attr);
    return true;
  }
  return false;
}

/* Validates one option (a named attribute or an annotations entry).
   Returns false when `name` is not a known option. */
static bool checkCopyOption(Verifier *v, MlirOperation op, MlirStringRef name,
                            MlirAttribute attr, bool inAnnotations,
                            const Kernel *k) {
  TlStr w = {0};
  tlStrAppendf(&w, "%s%.*s", inAnnotations ? "annotations entry " : "",
               (int)name.length, name.data);
  const char *what = keep(v, &w);
  if (strEq(name, "coalesced_width"))
    checkCoalescedWidth(v, op, what, attr);
  else if (strEq(name, "disable_tma"))
    checkDisableTma(v, op, what, attr);
  else if (strEq(name, "eviction_policy"))
    checkEvictionPolicy(v, op, what, attr);
  else if (strEq(name, "loop_layout"))
    checkLoopLayout(v, op, what, attr, k);
  else if (inAnnotations && strEq(name, "safe_value"))
    checkSafeValue(v, op, what, attr);
  else if (inAnnotations &&
           (strEq(name, "use_tma") || strEq(name, "use_bulk") ||
            strEq(name, "use_cp_async") ||
            strEq(name, "use_ldmatrix") || strEq(name, "use_stmatrix"))) {
    if (!mlirAttributeIsABool(attr) && !mlirAttributeIsAUnit(attr))
      fail(v, op, "%s must be a bool or unit attribute, got %s", what,
           A(v, attr));
  } else if (inAnnotations && strEq(name, "swizzle"))
    checkSwizzle(v, op, what, attr);
  else
    return false;
  return true;
}

static const char *const kCopyAttrs[] = {"coalesced_width", "disable_tma",
                                         "eviction_policy", "loop_layout",
                                         "annotations"};

/* Recorded by tl-legalize-regions: `base_side` ("src" | "dst") and
   `base_shape` (the iteration space, every entry > 0). Returns false when
   `name` is neither. */
static bool checkRecordedCopyAttr(Verifier *v, MlirOperation op,
                                  MlirStringRef name, MlirAttribute attr) {
  if (strEq(name, "base_side")) {
    if (!mlirAttributeIsAString(attr) ||
        (!strEq(mlirStringAttrGetValue(attr), "src") &&
         !strEq(mlirStringAttrGetValue(attr), "dst")))
      fail(v, op, "base_side must be \"src\" or \"dst\", got %s",
           A(v, attr));
    return true;
  }
  if (strEq(name, "base_shape")) {
    bool ok = mlirAttributeIsADenseI64Array(attr);
    for (intptr_t i = 0; ok && i < mlirDenseArrayGetNumElements(attr); ++i)
      ok = mlirDenseI64ArrayGetElement(attr, i) > 0;
    if (!ok)
      fail(v, op,
           "base_shape must be array<i64: ...> with every entry > 0, got %s",
           A(v, attr));
    return true;
  }
  return false;
}

/* Recorded by tl-infer-layouts (docs/layouts.md) on tl.copy and
   tl.c2d_im2col: `inst`, `vector_width`, `thread_map`. Returns false when
   `name` is none of them. */
static const char *const kInstKinds[] = {
    "simt",      "direct",     "tma_load", "tma_store", "bulk_load",
    "bulk_store", "ldmatrix", "stmatrix", "cp_async", "tma_im2col"};

static bool checkInferredAttr(Verifier *v, MlirOperation op,
                              MlirStringRef name, MlirAttribute attr,
                              const Kernel *k) {
  if (strEq(name, "inst")) {
    size_t n = sizeof kInstKinds / sizeof kInstKinds[0];
    if (!mlirAttributeIsAString(attr) ||
        !nameIn(mlirStringAttrGetValue(attr), kInstKinds, n))
      fail(v, op, "inst must be one of %s (a string), got %s",
           joinNames(v, kInstKinds, n), A(v, attr));
    return true;
  }
  if (strEq(name, "vector_width")) {
    int64_t w;
    IntKind kind = readInt(attr, &w);
    if (kind != IntOk || w <= 0 || (w & (w - 1)) != 0)
      fail(v, op, "vector_width must be a positive power of two (an integer "
                  "attribute), got %s",
           A(v, attr));
    return true;
  }
  if (strEq(name, "thread_map")) {
    checkLoopLayout(v, op, "thread_map", attr, k);
    return true;
  }
  if (strEq(name, "mma_trans")) {
    if (!mlirAttributeIsABool(attr))
      fail(v, op, "mma_trans must be a bool attribute, got %s", A(v, attr));
    return true;
  }
  return false;
}

/* loop_layout is for SIMT copies only (DESIGN §2): "direct" moves the same
   per-thread elements and is accepted too. */
static void checkLoopLayoutInst(Verifier *v, MlirOperation op) {
  MlirAttribute inst = getAttr(op, "inst");
  if (mlirAttributeIsNull(inst) || !mlirAttributeIsAString(inst))
    return;
  MlirStringRef s = mlirStringAttrGetValue(inst);
  bool hasLoopLayout = !mlirAttributeIsNull(getAttr(op, "loop_layout"));
  MlirAttribute ann = getAttr(op, "annotations");
  if (!mlirAttributeIsNull(ann) && mlirAttributeIsADictionary(ann) &&
      !mlirAttributeIsNull(mlirDictionaryAttrGetElementByName(
          ann, mlirStringRefCreateFromCString("loop_layout"))))
    hasLoopLayout = true;
  if (hasLoopLayout && !strEq(s, "simt") && !strEq(s, "direct"))
    fail(v, op, "loop_layout applies to SIMT copies only, but inst is %s",
         A(v, inst));
}

static const char *const kAnnotationKeys[] = {
    "coalesced_width", "disable_tma", "eviction_policy", "loop_layout",
    "safe_value", "swizzle", "use_tma", "use_bulk", "use_cp_async",
    "use_ldmatrix", "use_stmatrix"};

static void verifyCopyAttributes(Verifier *v, MlirOperation op,
                                 const Kernel *k) {
  intptr_t count = mlirOperationGetNumAttributes(op);
  for (intptr_t i = 0; i < count; ++i) {
    MlirNamedAttribute na = mlirOperationGetAttribute(op, i);
    MlirStringRef name = mlirIdentifierStr(na.name);
    if (checkCopyOption(v, op, name, na.attribute, false, k) ||
        checkRecordedCopyAttr(v, op, name, na.attribute) ||
        checkInferredAttr(v, op, name, na.attribute, k) ||
        checkTmaAttr(v, op, name, na.attribute) || isDialectAttrName(name))
      continue;
    if (strEq(name, "annotations")) {
      MlirAttribute dict = na.attribute;
      if (!mlirAttributeIsADictionary(dict)) {
        fail(v, op, "annotations must be a dictionary attribute, got %s",
             A(v, dict));
        continue;
      }
      intptr_t n = mlirDictionaryAttrGetNumElements(dict);
      for (intptr_t j = 0; j < n; ++j) {
        MlirNamedAttribute e = mlirDictionaryAttrGetElement(dict, j);
        MlirStringRef key = mlirIdentifierStr(e.name);
        if (!checkCopyOption(v, op, key, e.attribute, true, k))
          fail(v, op, "annotations has an unknown entry '%s' (known: %s)",
               S(v, key),
               joinNames(v, kAnnotationKeys,
                         sizeof kAnnotationKeys / sizeof kAnnotationKeys[0]));
      }
      continue;
    }
    fail(v, op, "has an unknown attribute '%s' (known: %s)%s", S(v, name),
         joinNames(v, kCopyAttrs, sizeof kCopyAttrs / sizeof kCopyAttrs[0]),
         strEq(name, "safe_value")
             ? "; safe_value is only accepted as an annotations entry"
             : "");
  }
  checkLoopLayoutInst(v, op);
}

//===--------------------------------------------------------------------===//
// tl.copy
//===--------------------------------------------------------------------===//

/* One side of a copy, as far as it could be resolved. */
typedef struct Side {
  bool valid;          /* a memref, or a region made by tl.region */
  bool isRegion;       /* a !tl.buffer_region */
  bool hasExtents;     /* a region with extents */
  MlirOperation region; /* the tl.region, when isRegion */
  MlirType buffer;     /* the underlying memref type */
} Side;

static Side resolveSide(Verifier *v, MlirOperation op, const char *what,
                        MlirValue value) {
  Side s = {false, false, false, {NULL}, {NULL}};
  MlirType type = mlirValueGetType(value);
  if (mlirTypeIsAMemRef(type)) {
    s.buffer = type;
    s.valid = checkScope(v, op, what, type);
    return s;
  }
  if (!tlTypeIsABufferRegion(type)) {
    fail(v, op, "%s must be a ranked memref or a !tl.buffer_region, got %s",
         what, T(v, type));
    return s;
  }
  s.isRegion = true;
  s.region = regionProducer(value);
  if (mlirOperationIsNull(s.region)) {
    fail(v, op,
         "%s !tl.buffer_region is %s; it must be produced by a 'tl.region' "
         "op",
         what, producerText(v, value));
    return s;
  }
  s.hasExtents = !mlirAttributeIsNull(getAttr(s.region, "extents"));
  s.buffer = mlirValueGetType(mlirOperationGetOperand(s.region, 0));
  /* The tl.region reports its own scope and shape errors. */
  s.valid = mlirTypeIsAMemRef(s.buffer) &&
            tlMemRefTypeGetScope(s.buffer) != TlScopeInvalid;
  return s;
}

static void checkElementType(Verifier *v, MlirOperation op, const char *what,
                             const Side *s) {
  if (!s->valid)
    return;
  MlirType elt = mlirShapedTypeGetElementType(s->buffer);
  if (!mlirTypeIsAInteger(elt) && !mlirTypeIsAIndex(elt) &&
      !mlirTypeIsAFloat(elt))
    fail(v, op,
         "%s element type %s (of %s) is not an integer, index or float type",
         what, T(v, elt), T(v, s->buffer));
}

/* The non-unit extents of a region, in order; their count, or -1 when the
   region has no extents attribute. */
static intptr_t nonUnitExtents(MlirOperation region, int64_t *out,
                               intptr_t cap) {
  MlirAttribute e = getAttr(region, "extents");
  if (mlirAttributeIsNull(e) || !mlirAttributeIsADenseI64Array(e))
    return -1;
  intptr_t k = 0;
  for (intptr_t i = 0; i < mlirDenseArrayGetNumElements(e); ++i) {
    int64_t x = mlirDenseI64ArrayGetElement(e, i);
    if (x != 1 && k < cap)
      out[k++] = x;
  }
  return k;
}

/* The form tl-legalize-regions leaves (docs/legalize.md): both base_side and
   base_shape; two regions with extents whose non-unit extents are
   base_shape, pairwise. */
static void verifyLegalizedCopy(Verifier *v, MlirOperation op, const Side *src,
                                const Side *dst) {
  MlirAttribute side = getAttr(op, "base_side");
  MlirAttribute shape = getAttr(op, "base_shape");
  if (mlirAttributeIsNull(side) && mlirAttributeIsNull(shape))
    return;
  if (mlirAttributeIsNull(side) || mlirAttributeIsNull(shape)) {
    fail(v, op, "base_side and base_shape (set by tl-legalize-regions) go "
                "together; only %s is present",
         mlirAttributeIsNull(side) ? "base_shape" : "base_side");
    return;
  }
  /* Bad values are reported by checkRecordedCopyAttr: stop there. */
  if (!mlirAttributeIsADenseI64Array(shape) || !mlirAttributeIsAString(side) ||
      (!strEq(mlirStringAttrGetValue(side), "src") &&
       !strEq(mlirStringAttrGetValue(side), "dst")))
    return;
  for (intptr_t i = 0; i < mlirDenseArrayGetNumElements(shape); ++i)
    if (mlirDenseI64ArrayGetElement(shape, i) <= 0)
      return;
  const Side *sides[2] = {src, dst};
  const char *names[2] = {"source", "destination"};
  bool okSide[2];
  for (int i = 0; i < 2; ++i)
    okSide[i] = sides[i]->isRegion && !mlirOperationIsNull(sides[i]->region) &&
                sides[i]->hasExtents;
  if (!okSide[0] || !okSide[1]) {
    fail(v, op, "a legalized copy (with base_side) needs tl.region operands "
                "with extents; the %s is not one",
         !okSide[0] && !okSide[1] ? "source and the destination"
         : !okSide[0]             ? "source"
                                  : "destination");
    return;
  }
  for (int i = 0; i < 2; ++i) {
    const Side *s = sides[i];
    int64_t ext[64];
    intptr_t n = nonUnitExtents(s->region, ext, 64);
    bool same = n == mlirDenseArrayGetNumElements(shape);
    for (intptr_t k = 0; same && k < n; ++k)
      same = ext[k] == mlirDenseI64ArrayGetElement(shape, k);
    if (!same)
      fail(v, op, "the non-unit extents of the %s region (%s) differ from "
                  "base_shape %s",
           names[i], A(v, getAttr(s->region, "extents")), A(v, shape));
  }
}

static void verifyCopy(Verifier *v, MlirOperation op) {
  Kernel k = enclosingKernel(op);
  Side src = resolveSide(v, op, "source", mlirOperationGetOperand(op, 0));
  Side dst =
      resolveSide(v, op, "destination", mlirOperationGetOperand(op, 1));

  if (src.isRegion && !mlirOperationIsNull(src.region)) {
    int64_t a = regionAccess(src.region);
    if (a == 2)
      fail(v, op,
           "source region has %s access (access = 2); a copy source needs "
           "read access (1 or 3)",
           accessName(a));
  }
  if (dst.isRegion && !mlirOperationIsNull(dst.region)) {
    int64_t a = regionAccess(dst.region);
    if (a == 1)
      fail(v, op,
           "destination region has %s access (access = 1); a copy "
           "destination needs write access (2 or 3)",
           accessName(a));
  }

  checkElementType(v, op, "source", &src);
  checkElementType(v, op, "destination", &dst);

  verifyCopyAttributes(v, op, &k);
  verifyLegalizedCopy(v, op, &src, &dst);

  /* A copy is scalar when both sides are regions without extents. */
  bool resolved = (!src.isRegion || !mlirOperationIsNull(src.region)) &&
                  (!dst.isRegion || !mlirOperationIsNull(dst.region));
  bool scalar = src.isRegion && !src.hasExtents && dst.isRegion &&
                !dst.hasExtents;
  if (resolved && !scalar)
    requireBlockSize(v, op, &k, "is a tile copy and needs a thread map");
}

//===--------------------------------------------------------------------===//
// tl.c2d_im2col
//===--------------------------------------------------------------------===//

/* inst, vector_width, thread_map: recorded by tl-infer-layouts
   (docs/layouts.md); their kinds are checked by checkInferredAttr. */
static const char *const kIm2ColAttrs[] = {
    "kernel", "stride", "dilation", "pad", "eviction_policy",
    "inst", "vector_width", "thread_map"};

/* Reads kernel/stride/dilation/pad: an integer or array<i64: h, w>; each
   entry must be >= min. */
static bool readPair(Verifier *v, MlirOperation op, const char *name,
                     int64_t min, int64_t *h, int64_t *w) {
  MlirAttribute attr = getAttr(op, name);
  if (mlirAttributeIsNull(attr)) {
    fail(v, op, "needs a '%s' attribute", name);
    return false;
  }
  int64_t x;
  IntKind k = readInt(attr, &x);
  if (k == IntOk) {
    *h = *w = x;
  } else if (mlirAttributeIsADenseI64Array(attr)) {
    if (mlirDenseArrayGetNumElements(attr) != 2) {
      fail(v, op,
           "%s must be array<i64: h, w> with exactly 2 entries, got %s (%lld "
           "entries)",
           name, A(v, attr), (long long)mlirDenseArrayGetNumElements(attr));
      return false;
    }
    *h = mlirDenseI64ArrayGetElement(attr, 0);
    *w = mlirDenseI64ArrayGetElement(attr, 1);
  } else {
    fail(v, op, "%s must be an integer or array<i64: h, w>, got %s", name,
         A(v, attr));
    return false;
  }
  if (*h < min || *w < min) {
    fail(v, op, "%s must be >= %lld, got %s", name, (long long)min,
         A(v, attr));
    return false;
  }
  return true;
}

/* Checks that the output size along one axis is >= 1 for a static size. */
static void checkOutputSize(Verifier *v, MlirOperation op, const char *axis,
                            const char *in, int64_t size, int64_t K,
                            int64_t S, int64_t P, int64_t D) {
  /* num = size + 2P - D(K-1) - 1, computed without overflow. */
  int64_t twoP, dk, num;
  if (__builtin_mul_overflow(P, (int64_t)2, &twoP) ||
      __builtin_mul_overflow(D, K - 1, &dk) ||
      __builtin_add_overflow(size, twoP, &num) ||
      __builtin_sub_overflow(num, dk, &num) ||
      __builtin_sub_overflow(num, (int64_t)1, &num)) {
    fail(v, op, "output %s overflows 64 bits (%s = %lld, K = %lld, S = %lld, "
         "P = %lld, D = %lld)",
         axis, in, (long long)size, (long long)K, (long long)S, (long long)P,
         (long long)D);
    return;
  }
  if (num >= 0)
    return;
  /* Floor division: the output size is <= 0. */
  int64_t out = num / S - (num % S != 0) + 1;
  fail(v, op,
       "output %s %s = (%s + 2P - D(K-1) - 1)/S + 1 = (%lld + 2*%lld - "
       "%lld*(%lld-1) - 1)/%lld + 1 = %lld must be >= 1: the dilated kernel "
       "(%lld) is larger than the padded input (%lld)",
       axis, axis[0] == 'h' ? "OH" : "OW", in, (long long)size, (long long)P,
       (long long)D, (long long)K, (long long)S, (long long)out,
       (long long)(dk + 1), (long long)(size + twoP));
}

static void verifyIm2Col(Verifier *v, MlirOperation op) {
  Kernel k = enclosingKernel(op);
  /* The message lists the user-written attributes (the first 5). */
  checkAttrNames(v, op, kIm2ColAttrs,
                 sizeof kIm2ColAttrs / sizeof kIm2ColAttrs[0], 5, NULL);

  /* img: rank-4 NHWC global memref. */
  MlirType img = mlirValueGetType(mlirOperationGetOperand(op, 0));
  bool imgOk = mlirTypeIsAMemRef(img);
  if (!imgOk) {
    fail(v, op, "img must be a rank-4 (NHWC) memref, got %s", T(v, img));
  } else {
    if (mlirShapedTypeGetRank(img) != 4) {
      fail(v, op, "img must be a rank-4 (NHWC) memref, got rank %lld (%s)",
           (long long)mlirShapedTypeGetRank(img), T(v, img));
      imgOk = false;
    }
    TlScope scope = tlMemRefTypeGetScope(img);
    if (scope == TlScopeInvalid)
      checkScope(v, op, "img", img);
    else if (scope != TlScopeGlobal)
      fail(v, op, "img must be a global buffer, got a %s buffer (%s)",
           tlScopeGetName(scope), T(v, img));
  }

  /* col: a rank-2 shared memref, or a tl.region (with extents) of one. */
  MlirValue colValue = mlirOperationGetOperand(op, 1);
  MlirType col = mlirValueGetType(colValue);
  MlirType colBuf = {NULL};
  if (mlirTypeIsAMemRef(col)) {
    colBuf = col;
  } else if (tlTypeIsABufferRegion(col)) {
    MlirOperation region = regionProducer(colValue);
    if (mlirOperationIsNull(region)) {
      fail(v, op,
           "col !tl.buffer_region is %s; it must be produced by a "
           "'tl.region' op",
           producerText(v, colValue));
    } else {
      colBuf = mlirValueGetType(mlirOperationGetOperand(region, 0));
      if (mlirAttributeIsNull(getAttr(region, "extents")))
        fail(v, op,
             "col region has no extents: the (BM, BK) tile of a "
             "tl.c2d_im2col must be given explicitly");
      if (regionAccess(region) == 1)
        fail(v, op,
             "col region has read-only access (access = 1); the im2col "
             "destination needs write access (2 or 3)");
    }
  } else {
    fail(v, op,
         "col must be a rank-2 shared memref or a !tl.buffer_region, got %s",
         T(v, col));
  }
  bool colOk = !mlirTypeIsNull(colBuf) && mlirTypeIsAMemRef(colBuf);
  if (colOk) {
    const char *what =
        mlirTypeEqual(col, colBuf) ? "col" : "col region buffer";
    if (mlirShapedTypeGetRank(colBuf) != 2)
      fail(v, op, "%s must be a rank-2 (BM, BK) buffer, got rank %lld (%s)",
           what, (long long)mlirShapedTypeGetRank(colBuf), T(v, colBuf));
    TlScope scope = tlMemRefTypeGetScope(colBuf);
    if (scope == TlScopeInvalid) {
      if (mlirTypeEqual(col, colBuf)) /* a region reports its own */
        checkScope(v, op, what, colBuf);
    } else if (scope != TlScopeShared) {
      fail(v, op,
           "%s must be a shared buffer (#gpu.address_space<workgroup>), got "
           "a %s buffer (%s)",
           what, tlScopeGetName(scope), T(v, colBuf));
    }
  }

  /* Element types: im2col does not cast. */
  if (imgOk && colOk) {
    MlirType ie = mlirShapedTypeGetElementType(img);
    MlirType ce = mlirShapedTypeGetElementType(colBuf);
    if (!mlirTypeEqual(ie, ce))
      fail(v, op,
           "img element type %s differs from col element type %s: im2col "
           "does not convert",
           T(v, ie), T(v, ce));
  }

  /* Parameters. */
  int64_t kh = 0, kw = 0, sh = 0, sw = 0, dh = 0, dw = 0, ph = 0, pw = 0;
  bool paramsOk = readPair(v, op, "kernel", 1, &kh, &kw);
  paramsOk &= readPair(v, op, "stride", 1, &sh, &sw);
  paramsOk &= readPair(v, op, "dilation", 1, &dh, &dw);
  paramsOk &= readPair(v, op, "pad", 0, &ph, &pw);

  MlirAttribute ev = getAttr(op, "eviction_policy");
  if (!mlirAttributeIsNull(ev))
    checkEvictionPolicy(v, op, "eviction_policy", ev);
  static const char *const kInferred[] = {"inst", "vector_width",
                                          "thread_map"};
  for (int i = 0; i < 3; ++i) {
    MlirAttribute a = getAttr(op, kInferred[i]);
    if (!mlirAttributeIsNull(a))
      checkInferredAttr(v, op, mlirStringRefCreateFromCString(kInferred[i]),
                        a, &k);
  }

  /* Output size, when the image height / width are static. */
  if (paramsOk && imgOk) {
    if (!mlirShapedTypeIsDynamicDim(img, 1))
      checkOutputSize(v, op, "height", "H", mlirShapedTypeGetDimSize(img, 1),
                      kh, sh, ph, dh);
    if (!mlirShapedTypeIsDynamicDim(img, 2))
      checkOutputSize(v, op, "width", "W", mlirShapedTypeGetDimSize(img, 2),
                      kw, sw, pw, dw);
  }

  requireBlockSize(v, op, &k, "needs a thread map");
}

//===--------------------------------------------------------------------===//
// The pass
//===--------------------------------------------------------------------===//

/* IRDL guarantees the operand counts of parsed IR, but a pass manager
   does not verify its input: an op built through the C API (or an
   unregistered "tl.*" op) may reach this pass unverified. */
static bool checkNumOperands(Verifier *v, MlirOperation op, intptr_t min,
                             intptr_t max) {
  intptr_t n = mlirOperationGetNumOperands(op);
  if (n >= min && n <= max)
    return true;
  fail(v, op, "has %lld operands, expected %lld%s (run the IR verifier)",
       (long long)n, (long long)min, max > min ? " or more" : "");
  return false;
}

static MlirWalkResult visit(MlirOperation op, void *userData) {
  Verifier *v = userData;
  if (tlOpIsNamed(op, "tl.region")) {
    if (checkNumOperands(v, op, 1, INTPTR_MAX))
      verifyRegion(v, op);
  } else if (tlOpIsNamed(op, "tl.copy")) {
    if (checkNumOperands(v, op, 2, 2))
      verifyCopy(v, op);
  } else if (tlOpIsNamed(op, "tl.c2d_im2col")) {
    if (checkNumOperands(v, op, 4, 4))
      verifyIm2Col(v, op);
  }
  /* Any other "tl.*" name cannot exist: IRDL rejects it at parse time. */
  releaseScratch(v);
  return MlirWalkResultAdvance;
}

static void run(MlirOperation op, MlirExternalPass pass, void *state) {
  (void)state;
  Verifier v = {false, NULL, 0, 0};
  mlirOperationWalk(op, visit, &v, MlirWalkPreOrder);
  releaseScratch(&v);
  free(v.scratch);
  if (v.failed)
    mlirExternalPassSignalFailure(pass);
}

MlirPass tlCreateVerifyPass(void) {
  return tlCreateExternalPass(&kTypeId, &tlVerifyPassDef.info, 0, NULL, run,
                              NULL, 0);
}

static MlirLogicalResult add(MlirOpPassManager pm,
                             const TlOptionValues *options,
                             MlirStringCallback err, void *userData) {
  (void)options;
  (void)err;
  (void)userData;
  mlirOpPassManagerAddOwnedPass(pm, tlCreateVerifyPass());
  return mlirLogicalResultSuccess();
}
