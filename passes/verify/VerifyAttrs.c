/* tl-verify: the attributes of tl.copy: the options a user writes (named
 * attributes and annotations entries) and the attributes the passes record
 * (base_side / base_shape, inst / vector_width / thread_map, the TMA box
 * and swizzle); docs/verify.md. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <mlir-c/AffineMap.h>
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/IR.h>

#include "Contract.h"
#include "Support.h"
#include "Side.h"
#include "Verifier.h"
#include "tl-c/Attributes.h"

//===--------------------------------------------------------------------===//
// tl.copy options (named attributes and annotations entries)
//===--------------------------------------------------------------------===//

static const char *const kEvictionPolicies[] = {"evict_normal", "evict_first",
                                                "evict_last"};

void tlvCheckEvictionPolicy(Verifier *v, MlirOperation op, const char *what,
                            MlirAttribute attr) {
  if (mlirAttributeIsAString(attr)) {
    MlirStringRef s = mlirStringAttrGetValue(attr);
    if (tlvNameIn(s, kEvictionPolicies, 3))
      return;
  }
  tlvFail(
      v, op,
      "%s must be one of \"evict_normal\", \"evict_first\", \"evict_last\", "
      "got %s",
      what, tlvAttr(v, attr));
}

static void checkCoalescedWidth(Verifier *v, MlirOperation op, const char *what,
                                MlirAttribute attr) {
  int64_t w;
  IntKind k = tlvReadInt(attr, &w);
  if (k != IntOk)
    tlvFail(v, op, "%s must be an integer attribute%s, got %s", what,
            k == IntTooWide ? " of at most 64 bits" : "", tlvAttr(v, attr));
  else if (w <= 0 || (w & (w - 1)) != 0)
    tlvFail(v, op, "%s must be a positive power of two, got %lld", what,
            (long long)w);
}

static void checkDisableTma(Verifier *v, MlirOperation op, const char *what,
                            MlirAttribute attr) {
  if (!mlirAttributeIsAUnit(attr) && !mlirAttributeIsABool(attr))
    tlvFail(v, op, "%s must be a unit or bool attribute, got %s", what,
            tlvAttr(v, attr));
}

/* The element type of the copy's source (a memref or the buffer of its
   tl.region), or null. */
static MlirType sourceElement(MlirOperation op) {
  MlirValue src = mlirOperationGetOperand(op, 0);
  MlirType t = mlirValueGetType(src);
  if (!mlirTypeIsAMemRef(t)) {
    MlirOperation r = tlvRegionProducer(src);
    if (mlirOperationIsNull(r) || mlirOperationGetNumOperands(r) < 1)
      return (MlirType){NULL};
    t = mlirValueGetType(mlirOperationGetOperand(r, 0));
  }
  return mlirTypeIsAMemRef(t) ? mlirShapedTypeGetElementType(t)
                              : (MlirType){NULL};
}

/* Why the safe value `attr` cannot be an integer of `bits` bits, or NULL.
   Accepted: whole numbers in [-2^(bits-1), 2^bits - 1] (signed or unsigned
   bits), at most int64's range; the lowering converts to int64 first. */
static const char *intSafeValueProblem(MlirAttribute attr, unsigned bits) {
  double lo = -ldexp(1.0, (int)bits - 1);
  double hi = bits >= 64 ? ldexp(1.0, 63) : ldexp(1.0, (int)bits);
  if (mlirAttributeIsAFloat(attr)) {
    double d = mlirFloatAttrGetValueDouble(attr);
    if (!isfinite(d))
      return "it is not a finite number";
    if (d != trunc(d))
      return "it is not a whole number";
    return d < lo || d >= hi ? "it is out of range" : NULL;
  }
  int64_t i;
  if (tlvReadInt(attr, &i) != IntOk)
    return "it is wider than 64 bits";
  return bits < 64 && ((double)i < lo || (double)i >= hi)
             ? "it is out of range"
             : NULL;
}

/* Why the safe value cannot be a float of type `elt` (it would round to a
   different kind of value: a finite one to inf or NaN, inf to NaN). */
static const char *floatSafeValueProblem(MlirAttribute attr, MlirType elt) {
  double d;
  if (mlirAttributeIsAFloat(attr)) {
    d = mlirFloatAttrGetValueDouble(attr);
  } else {
    int64_t i;
    if (tlvReadInt(attr, &i) != IntOk)
      return "it is wider than 64 bits";
    d = (double)i;
  }
  double back = mlirFloatAttrGetValueDouble(
      mlirFloatAttrDoubleGet(mlirTypeGetContext(elt), elt, d));
  if (isfinite(d) && !isfinite(back))
    return "it is out of range";
  if (isinf(d) != isinf(back) || isnan(d) != isnan(back))
    return isinf(d) ? "the type has no infinity" : "the type has no NaN";
  return NULL;
}

static void checkSafeValue(Verifier *v, MlirOperation op, const char *what,
                           MlirAttribute attr) {
  if (!mlirAttributeIsAInteger(attr) && !mlirAttributeIsAFloat(attr)) {
    tlvFail(v, op, "%s must be an integer or float attribute, got %s", what,
            tlvAttr(v, attr));
    return;
  }
  MlirType elt = sourceElement(op);
  if (mlirTypeIsNull(elt) || !tlElementTypeIsSupported(elt))
    return; /* reported with the source */
  if (mlirTypeIsAFloat(elt)) {
    const char *why = floatSafeValueProblem(attr, elt);
    if (why)
      tlvFail(v, op,
              "%s %s cannot be a value of the source element type %s: %s",
              what, tlvAttr(v, attr), tlvType(v, elt), why);
    return;
  }
  unsigned bits = mlirTypeIsAIndex(elt) ? 64 : mlirIntegerTypeGetWidth(elt);
  const char *why = intSafeValueProblem(attr, bits);
  if (why)
    tlvFail(v, op,
            "%s %s cannot be a value of the source element type %s: %s (it "
            "must be a whole number from %lld to %llu)",
            what, tlvAttr(v, attr), tlvType(v, elt), why,
            (long long)(bits >= 64 ? INT64_MIN : -(INT64_C(1) << (bits - 1))),
            (unsigned long long)(bits >= 64 ? INT64_MAX
                                            : (INT64_C(1) << bits) - 1));
}

static void checkLoopLayout(Verifier *v, MlirOperation op, const char *what,
                            MlirAttribute attr, const Kernel *k) {
  if (!tlAttributeIsAFragmentLayout(attr)) {
    tlvFail(v, op,
            "%s must be a #tl.fragment_layout<map, threads, replicate>, got %s",
            what, tlvAttr(v, attr));
    return;
  }
  MlirAffineMap map = tlFragmentLayoutAttrGetMap(attr);
  int64_t threads = tlFragmentLayoutAttrGetThreads(attr);
  int64_t replicate = tlFragmentLayoutAttrGetReplicate(attr);
  if (mlirAffineMapIsNull(map) || mlirAffineMapGetNumResults(map) != 2)
    tlvFail(v, op,
            "%s map must have 2 results (thread, local index), got %lld in %s",
            what,
            (long long)(mlirAffineMapIsNull(map)
                            ? 0
                            : mlirAffineMapGetNumResults(map)),
            tlvAttr(v, attr));
  if (threads <= 0)
    tlvFail(v, op, "%s thread count must be > 0, got %lld", what,
            (long long)threads);
  if (replicate < 1)
    tlvFail(v, op, "%s replicate must be >= 1, got %lld", what,
            (long long)replicate);
  if (threads > 0 && k->blockSizeValid && threads != k->threads)
    tlvFail(v, op,
            "%s is for %lld threads, but the enclosing gpu.func @%s runs %lld "
            "(known_block_size = %s)",
            what, (long long)threads, tlvFuncName(v, k->func),
            (long long)k->threads, tlvAttr(v, k->blockSize));
}

/* A swizzle in bytes: 0 (none), 32, 64 or 128 (docs/tma.md). */
static void checkSwizzle(Verifier *v, MlirOperation op, const char *what,
                         MlirAttribute attr) {
  int64_t w;
  if (tlvReadInt(attr, &w) != IntOk ||
      (w != 0 && w != 32 && w != 64 && w != 128))
    tlvFail(v, op,
            "%s must be 0, 32, 64 or 128 (bytes, an integer attribute), "
            "got %s",
            what, tlvAttr(v, attr));
}

/* Recorded by tl-infer-layouts on TMA copies: tma_box (1 to 5 entries in
   [1, 256]) and tma_swizzle. Returns false when `name` is neither. */
static bool checkTmaAttr(Verifier *v, MlirOperation op, MlirStringRef name,
                         MlirAttribute attr) {
  if (tlvStrEq(name, TL_ATTR_TMA_BOX)) {
    bool ok = mlirAttributeIsADenseI64Array(attr) &&
              mlirDenseArrayGetNumElements(attr) >= 1 &&
              mlirDenseArrayGetNumElements(attr) <= 5;
    for (intptr_t i = 0; ok && i < mlirDenseArrayGetNumElements(attr); ++i) {
      int64_t b = mlirDenseI64ArrayGetElement(attr, i);
      ok = b >= 1 && b <= 256;
    }
    if (!ok)
      tlvFail(v, op,
              "tma_box must be array<i64: ...> with 1 to 5 entries, each "
              "in [1, 256], got %s",
              tlvAttr(v, attr));
    return true;
  }
  if (tlvStrEq(name, TL_ATTR_TMA_SWIZZLE)) {
    checkSwizzle(v, op, TL_ATTR_TMA_SWIZZLE, attr);
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
  const char *what = tlvKeep(v, &w);
  if (tlvStrEq(name, "coalesced_width"))
    checkCoalescedWidth(v, op, what, attr);
  else if (tlvStrEq(name, "disable_tma"))
    checkDisableTma(v, op, what, attr);
  else if (tlvStrEq(name, "eviction_policy"))
    tlvCheckEvictionPolicy(v, op, what, attr);
  else if (tlvStrEq(name, TL_ATTR_LOOP_LAYOUT))
    checkLoopLayout(v, op, what, attr, k);
  else if (inAnnotations && tlvStrEq(name, "safe_value"))
    checkSafeValue(v, op, what, attr);
  else if (inAnnotations &&
           (tlvStrEq(name, "use_tma") || tlvStrEq(name, "use_bulk") ||
            tlvStrEq(name, "use_cp_async") || tlvStrEq(name, "use_ldmatrix") ||
            tlvStrEq(name, "use_stmatrix"))) {
    if (!mlirAttributeIsABool(attr) && !mlirAttributeIsAUnit(attr))
      tlvFail(v, op, "%s must be a bool or unit attribute, got %s", what,
              tlvAttr(v, attr));
  } else if (inAnnotations && tlvStrEq(name, "swizzle"))
    checkSwizzle(v, op, what, attr);
  else
    return false;
  return true;
}

static const char *const kCopyAttrs[] = {"coalesced_width", "disable_tma",
                                         "eviction_policy", TL_ATTR_LOOP_LAYOUT,
                                         TL_ATTR_ANNOTATIONS};

/* Recorded by tl-legalize-regions: `base_side` ("src" | "dst") and
   `base_shape` (the iteration space, every entry > 0). Returns false when
   `name` is neither. */
static bool checkRecordedCopyAttr(Verifier *v, MlirOperation op,
                                  MlirStringRef name, MlirAttribute attr) {
  if (tlvStrEq(name, TL_ATTR_BASE_SIDE)) {
    if (!mlirAttributeIsAString(attr) ||
        (!tlvStrEq(mlirStringAttrGetValue(attr), "src") &&
         !tlvStrEq(mlirStringAttrGetValue(attr), "dst")))
      tlvFail(v, op, "base_side must be \"src\" or \"dst\", got %s",
              tlvAttr(v, attr));
    return true;
  }
  if (tlvStrEq(name, TL_ATTR_BASE_SHAPE)) {
    bool ok = mlirAttributeIsADenseI64Array(attr);
    for (intptr_t i = 0; ok && i < mlirDenseArrayGetNumElements(attr); ++i)
      ok = mlirDenseI64ArrayGetElement(attr, i) > 0;
    if (!ok)
      tlvFail(v, op,
              "base_shape must be array<i64: ...> with every entry > 0, got %s",
              tlvAttr(v, attr));
    return true;
  }
  return false;
}

/* Recorded by tl-infer-layouts (docs/layouts.md) on tl.copy and
   tl.c2d_im2col: `inst`, `vector_width`, `thread_map`. Returns false when
   `name` is none of them. */
/* "simt, direct, ...": every name of the instruction table. */
static const char *instNames(Verifier *v) {
  TlStr s = {0};
  for (int i = 0; i < TlInstCount; ++i)
    tlStrAppendf(&s, "%s%s", i ? ", " : "", tlInstName((TlInst)i));
  return tlvKeep(v, &s);
}

bool tlvCheckInferredAttr(Verifier *v, MlirOperation op, MlirStringRef name,
                          MlirAttribute attr, const Kernel *k) {
  if (tlvStrEq(name, TL_ATTR_INST)) {
    if (!mlirAttributeIsAString(attr) ||
        tlInstParse(mlirStringAttrGetValue(attr)) == TlInstNone)
      tlvFail(v, op, "inst must be one of %s (a string), got %s", instNames(v),
              tlvAttr(v, attr));
    return true;
  }
  if (tlvStrEq(name, TL_ATTR_VECTOR_WIDTH)) {
    int64_t w;
    IntKind kind = tlvReadInt(attr, &w);
    if (kind != IntOk || w <= 0 || (w & (w - 1)) != 0)
      tlvFail(v, op,
              "vector_width must be a positive power of two (an integer "
              "attribute), got %s",
              tlvAttr(v, attr));
    return true;
  }
  if (tlvStrEq(name, TL_ATTR_THREAD_MAP)) {
    checkLoopLayout(v, op, TL_ATTR_THREAD_MAP, attr, k);
    return true;
  }
  if (tlvStrEq(name, TL_ATTR_MMA_TRANS)) {
    if (!mlirAttributeIsABool(attr))
      tlvFail(v, op, "mma_trans must be a bool attribute, got %s",
              tlvAttr(v, attr));
    return true;
  }
  return false;
}

/* loop_layout is for SIMT copies only (design.md §2): "direct" moves the same
   per-thread elements and is accepted too. */
static void checkLoopLayoutInst(Verifier *v, MlirOperation op) {
  MlirAttribute inst = tlGetAttr(op, TL_ATTR_INST);
  if (mlirAttributeIsNull(inst) || !mlirAttributeIsAString(inst))
    return;
  TlInst kind = tlInstParse(mlirStringAttrGetValue(inst));
  bool hasLoopLayout =
      !mlirAttributeIsNull(tlGetAttr(op, TL_ATTR_LOOP_LAYOUT));
  MlirAttribute ann = tlGetAttr(op, TL_ATTR_ANNOTATIONS);
  if (!mlirAttributeIsNull(ann) && mlirAttributeIsADictionary(ann) &&
      !mlirAttributeIsNull(mlirDictionaryAttrGetElementByName(
          ann, mlirStringRefCreateFromCString(TL_ATTR_LOOP_LAYOUT))))
    hasLoopLayout = true;
  if (hasLoopLayout && kind != TlInstSimt && kind != TlInstDirect)
    tlvFail(v, op, "loop_layout applies to SIMT copies only, but inst is %s",
            tlvAttr(v, inst));
}

static const char *const kAnnotationKeys[] = {
    "coalesced_width", "disable_tma",  "eviction_policy", TL_ATTR_LOOP_LAYOUT,
    "safe_value",      "swizzle",      "use_tma",         "use_bulk",
    "use_cp_async",    "use_ldmatrix", "use_stmatrix"};

void tlvVerifyCopyAttributes(Verifier *v, MlirOperation op, const Kernel *k) {
  intptr_t count = mlirOperationGetNumAttributes(op);
  for (intptr_t i = 0; i < count; ++i) {
    MlirNamedAttribute na = mlirOperationGetAttribute(op, i);
    MlirStringRef name = mlirIdentifierStr(na.name);
    if (checkCopyOption(v, op, name, na.attribute, false, k) ||
        checkRecordedCopyAttr(v, op, name, na.attribute) ||
        tlvCheckInferredAttr(v, op, name, na.attribute, k) ||
        checkTmaAttr(v, op, name, na.attribute) || tlvIsDialectAttrName(name))
      continue;
    if (tlvStrEq(name, TL_ATTR_ANNOTATIONS)) {
      MlirAttribute dict = na.attribute;
      if (!mlirAttributeIsADictionary(dict)) {
        tlvFail(v, op, "annotations must be a dictionary attribute, got %s",
                tlvAttr(v, dict));
        continue;
      }
      intptr_t n = mlirDictionaryAttrGetNumElements(dict);
      for (intptr_t j = 0; j < n; ++j) {
        MlirNamedAttribute e = mlirDictionaryAttrGetElement(dict, j);
        MlirStringRef key = mlirIdentifierStr(e.name);
        if (!checkCopyOption(v, op, key, e.attribute, true, k))
          tlvFail(
              v, op, "annotations has an unknown entry '%s' (known: %s)",
              tlvStr(v, key),
              tlvJoinNames(v, kAnnotationKeys,
                           sizeof kAnnotationKeys / sizeof kAnnotationKeys[0]));
      }
      continue;
    }
    tlvFail(
        v, op, "has an unknown attribute '%s' (known: %s)%s", tlvStr(v, name),
        tlvJoinNames(v, kCopyAttrs, sizeof kCopyAttrs / sizeof kCopyAttrs[0]),
        tlvStrEq(name, "safe_value")
            ? "; safe_value is only accepted as an annotations entry"
            : "");
  }
  checkLoopLayoutInst(v, op);
}
