/* Building and inspecting tl ops through the MLIR C API.
 *
 * IRDL ops have no properties: every attribute lives in the attribute
 * dictionary, so builders add named attributes to an MlirOperationState and
 * inspectors read them back by name. Encodings (design.md §2):
 *   tl.region      access = N : i32, extents = array<i64: ...>
 *   tl.copy        coalesced_width = N : i64, disable_tma (unit),
 *                  eviction_policy = "evict_*", loop_layout = <as given>,
 *                  annotations = {...}
 *   tl.copy_async  as tl.copy, with a !tl.token result
 *   tl.wait        no attributes; !tl.token operands
 *   tl.c2d_im2col  kernel/stride/dilation/pad = N : i64 when h == w, else
 *                  array<i64: h, w>; eviction_policy = "evict_*"
 * Builders check structure only (handles, operand kinds, one context);
 * tl-verify checks semantics. */
#include "tl-c/Ops.h"

#include <stdio.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "Builders.h"
#include "Support.h"
#include "tl-c/Dialect.h"

//===--------------------------------------------------------------------===//
// Helpers
//===--------------------------------------------------------------------===//

static MlirStringRef str(const char *s) {
  return mlirStringRefCreateFromCString(s);
}

static MlirAttribute getAttr(MlirOperation op, const char *name) {
  if (mlirOperationIsNull(op))
    return (MlirAttribute){NULL};
  return mlirOperationGetAttributeByName(op, str(name));
}

static MlirValue nullValue(void) { return (MlirValue){NULL}; }

static MlirValue operandOrNull(MlirOperation op, intptr_t pos) {
  if (pos < 0 || pos >= mlirOperationGetNumOperands(op))
    return nullValue();
  return mlirOperationGetOperand(op, pos);
}

/* Reads an integer attribute of at most 64 bits with its own signedness.
   BoolAttr (i1) reads as 0 / 1. False for anything else. */
static bool readInt(MlirAttribute attr, int64_t *out) {
  if (mlirAttributeIsNull(attr) || !mlirAttributeIsAInteger(attr))
    return false;
  MlirType t = mlirAttributeGetType(attr);
  if (mlirTypeIsAIndex(t)) {
    *out = mlirIntegerAttrGetValueInt(attr);
    return true;
  }
  if (!mlirTypeIsAInteger(t) || mlirIntegerTypeGetWidth(t) > 64)
    return false;
  if (mlirIntegerTypeGetWidth(t) == 1)
    *out = (int64_t)(mlirIntegerAttrGetValueUInt(attr) & 1);
  else if (mlirIntegerTypeIsUnsigned(t))
    *out = (int64_t)mlirIntegerAttrGetValueUInt(attr);
  else if (mlirIntegerTypeIsSigned(t))
    *out = mlirIntegerAttrGetValueSInt(attr);
  else
    *out = mlirIntegerAttrGetValueInt(attr);
  return true;
}

static bool stringRefEquals(MlirStringRef s, const char *text) {
  return s.length == strlen(text) && memcmp(s.data, text, s.length) == 0;
}

/* A string attribute naming an eviction policy: the policy; another string:
   TlEvictionInvalid; anything else (or nothing): TlEvictionDefault. */
static TlEvictionPolicy readEviction(MlirAttribute attr) {
  if (mlirAttributeIsNull(attr) || !mlirAttributeIsAString(attr))
    return TlEvictionDefault;
  MlirStringRef s = mlirStringAttrGetValue(attr);
  for (int p = TlEvictNormal; p <= TlEvictLast; ++p)
    if (stringRefEquals(s, tlEvictionPolicyGetName((TlEvictionPolicy)p)))
      return (TlEvictionPolicy)p;
  return TlEvictionInvalid;
}

/* Prints "'<type>'" of a value for messages. */
static void appendValueType(TlStr *s, MlirValue v) {
  tlStrAppend(s, "'", 1);
  tlStrAppendType(s, mlirValueGetType(v));
  tlStrAppend(s, "'", 1);
}

bool tlCapiCheckBuilderContext(MlirLocation loc, const char *opName) {
  if (mlirLocationIsNull(loc))
    return false; /* nowhere to report: documented as a silent null */
  if (!tlContextIsDialectLoaded(mlirLocationGetContext(loc))) {
    tlEmitErrorf(loc, "%s: the tl dialect is not loaded in this context",
                 opName);
    return false;
  }
  return true;
}

typedef enum OperandKind {
  KindMemRef = 1,
  KindRegion = 2,
  KindMemRefOrRegion = 3,
  KindIndex = 4,
  KindToken = 8,
} OperandKind;

static const char *kindName(OperandKind kind) {
  switch (kind) {
  case KindMemRef:
    return "a memref";
  case KindRegion:
    return "a !tl.buffer_region";
  case KindMemRefOrRegion:
    return "a memref or a !tl.buffer_region";
  case KindIndex:
    return "an index";
  case KindToken:
    return "a !tl.token";
  }
  return "?";
}

/* Checks one operand; emits "<op>: <what> must be <kind> value, got 'T'". */
static bool checkOperand(MlirLocation loc, const char *opName,
                         const char *what, MlirValue v, OperandKind kind) {
  if (mlirValueIsNull(v)) {
    tlEmitErrorf(loc, "%s: %s is a null value", opName, what);
    return false;
  }
  MlirType t = mlirValueGetType(v);
  if (!mlirContextEqual(mlirTypeGetContext(t), mlirLocationGetContext(loc))) {
    tlEmitErrorf(loc, "%s: %s belongs to another context", opName, what);
    return false;
  }
  bool ok = false;
  if (kind & KindMemRef)
    ok |= mlirTypeIsAMemRef(t);
  if (kind & KindRegion)
    ok |= tlTypeIsABufferRegion(t);
  if (kind == KindIndex)
    ok = mlirTypeIsAIndex(t);
  if (kind == KindToken)
    ok = tlTypeIsAToken(t);
  if (!ok) {
    TlStr s = {0};
    appendValueType(&s, v);
    tlEmitErrorf(loc, "%s: %s must be %s value, got %s", opName, what,
                 kindName(kind), tlStrGet(&s));
    tlStrFree(&s);
  }
  return ok;
}

static bool checkAttrContext(MlirLocation loc, const char *opName,
                             const char *what, MlirAttribute attr) {
  if (!mlirContextEqual(mlirAttributeGetContext(attr),
                        mlirLocationGetContext(loc))) {
    tlEmitErrorf(loc, "%s: %s belongs to another context", opName, what);
    return false;
  }
  return true;
}

static MlirNamedAttribute named(MlirContext ctx, const char *name,
                                MlirAttribute attr) {
  return mlirNamedAttributeGet(mlirIdentifierGet(ctx, str(name)), attr);
}

static MlirAttribute i64Attr(MlirContext ctx, int64_t v) {
  return mlirIntegerAttrGet(mlirIntegerTypeGet(ctx, 64), v);
}

static bool checkEviction(MlirLocation loc, const char *opName,
                          TlEvictionPolicy p) {
  if (p == TlEvictionDefault || tlEvictionPolicyGetName(p))
    return true;
  tlEmitErrorf(loc, "%s: invalid eviction policy %d", opName, (int)p);
  return false;
}

//===--------------------------------------------------------------------===//
// tl.region
//===--------------------------------------------------------------------===//

MlirOperation tlRegionOpCreate(MlirLocation loc, MlirValue buffer,
                               intptr_t nIndices, const MlirValue *indices,
                               TlAccess access, intptr_t nExtents,
                               const int64_t *extents) {
  static const char *kName = "tl.region";
  MlirOperation null = {NULL};
  if (!tlCapiCheckBuilderContext(loc, kName))
    return null;
  if (!checkOperand(loc, kName, "buffer", buffer, KindMemRef))
    return null;
  if (nIndices < 0 || (nIndices > 0 && !indices)) {
    tlEmitErrorf(loc, "%s: invalid index list (%ld indices, %s array)", kName,
                 (long)nIndices, indices ? "an" : "no");
    return null;
  }
  if (extents && nExtents < 0) {
    tlEmitErrorf(loc, "%s: negative number of extents (%ld)", kName,
                 (long)nExtents);
    return null;
  }
  for (intptr_t i = 0; i < nIndices; ++i) {
    char what[32];
    snprintf(what, sizeof what, "index #%ld", (long)i);
    if (!checkOperand(loc, kName, what, indices[i], KindIndex))
      return null;
  }
  MlirContext ctx = mlirLocationGetContext(loc);
  MlirOperationState st = mlirOperationStateGet(str(kName), loc);
  mlirOperationStateAddOperands(&st, 1, &buffer);
  if (nIndices)
    mlirOperationStateAddOperands(&st, nIndices, indices);
  MlirType result = tlBufferRegionTypeGet(ctx);
  mlirOperationStateAddResults(&st, 1, &result);
  MlirNamedAttribute attrs[2];
  intptr_t nAttrs = 0;
  attrs[nAttrs++] =
      named(ctx, "access",
            mlirIntegerAttrGet(mlirIntegerTypeGet(ctx, 32), (int64_t)access));
  if (extents)
    attrs[nAttrs++] =
        named(ctx, "extents", mlirDenseI64ArrayGet(ctx, nExtents, extents));
  mlirOperationStateAddAttributes(&st, nAttrs, attrs);
  return mlirOperationCreate(&st);
}

bool tlOperationIsARegion(MlirOperation op) {
  return tlOpIsNamed(op, "tl.region");
}

MlirValue tlRegionOpGetBuffer(MlirOperation op) {
  return tlOperationIsARegion(op) ? operandOrNull(op, 0) : nullValue();
}

intptr_t tlRegionOpGetNumIndices(MlirOperation op) {
  if (!tlOperationIsARegion(op))
    return 0;
  intptr_t n = mlirOperationGetNumOperands(op);
  return n > 0 ? n - 1 : 0;
}

MlirValue tlRegionOpGetIndex(MlirOperation op, intptr_t pos) {
  if (pos < 0 || pos >= tlRegionOpGetNumIndices(op))
    return nullValue();
  return mlirOperationGetOperand(op, pos + 1);
}

TlAccess tlRegionOpGetAccess(MlirOperation op) {
  int64_t v;
  if (!tlOperationIsARegion(op) || !readInt(getAttr(op, "access"), &v) ||
      v < TlAccessRead || v > TlAccessReadWrite)
    return TlAccessInvalid;
  return (TlAccess)v;
}

static MlirAttribute regionExtents(MlirOperation op) {
  if (!tlOperationIsARegion(op))
    return (MlirAttribute){NULL};
  MlirAttribute a = getAttr(op, "extents");
  if (mlirAttributeIsNull(a) || !mlirAttributeIsADenseI64Array(a))
    return (MlirAttribute){NULL};
  return a;
}

bool tlRegionOpHasExtents(MlirOperation op) {
  return !mlirAttributeIsNull(regionExtents(op));
}

intptr_t tlRegionOpGetNumExtents(MlirOperation op) {
  MlirAttribute a = regionExtents(op);
  return mlirAttributeIsNull(a) ? 0 : mlirDenseArrayGetNumElements(a);
}

int64_t tlRegionOpGetExtent(MlirOperation op, intptr_t pos) {
  MlirAttribute a = regionExtents(op);
  if (mlirAttributeIsNull(a) || pos < 0 ||
      pos >= mlirDenseArrayGetNumElements(a))
    return 0;
  return mlirDenseI64ArrayGetElement(a, pos);
}

MlirValue tlRegionOpGetResult(MlirOperation op) {
  if (!tlOperationIsARegion(op) || mlirOperationGetNumResults(op) < 1)
    return nullValue();
  return mlirOperationGetResult(op, 0);
}

//===--------------------------------------------------------------------===//
// tl.copy
//===--------------------------------------------------------------------===//

const char *tlEvictionPolicyGetName(TlEvictionPolicy policy) {
  switch (policy) {
  case TlEvictNormal:
    return "evict_normal";
  case TlEvictFirst:
    return "evict_first";
  case TlEvictLast:
    return "evict_last";
  default:
    return NULL;
  }
}

TlCopyOptions tlCopyOptionsGetDefault(void) {
  TlCopyOptions o;
  o.coalescedWidth = 0;
  o.disableTma = false;
  o.evictionPolicy = TlEvictionDefault;
  o.loopLayout = (MlirAttribute){NULL};
  o.annotations = (MlirAttribute){NULL};
  return o;
}

/* tl.copy and tl.copy_async: the same operands and options; the async one
   (`kName` "tl.copy_async") has a !tl.token result. */
static MlirOperation createCopy(const char *kName, MlirLocation loc,
                                MlirValue src, MlirValue dst,
                                const TlCopyOptions *options, bool async) {
  MlirOperation null = {NULL};
  if (!tlCapiCheckBuilderContext(loc, kName) ||
      !checkOperand(loc, kName, "source", src, KindMemRefOrRegion) ||
      !checkOperand(loc, kName, "destination", dst, KindMemRefOrRegion))
    return null;
  TlCopyOptions o = options ? *options : tlCopyOptionsGetDefault();
  if (!checkEviction(loc, kName, o.evictionPolicy))
    return null;
  if (!mlirAttributeIsNull(o.loopLayout) &&
      !checkAttrContext(loc, kName, "loop_layout", o.loopLayout))
    return null;
  if (!mlirAttributeIsNull(o.annotations)) {
    if (!checkAttrContext(loc, kName, "annotations", o.annotations))
      return null;
    if (!mlirAttributeIsADictionary(o.annotations)) {
      TlStr s = {0};
      tlStrAppendAttr(&s, o.annotations);
      tlEmitErrorf(loc, "%s: annotations must be a dictionary attribute, got %s",
                   kName, tlStrGet(&s));
      tlStrFree(&s);
      return null;
    }
  }
  MlirContext ctx = mlirLocationGetContext(loc);
  MlirOperationState st = mlirOperationStateGet(str(kName), loc);
  MlirValue operands[2] = {src, dst};
  mlirOperationStateAddOperands(&st, 2, operands);
  if (async) {
    MlirType token = tlTokenTypeGet(ctx);
    mlirOperationStateAddResults(&st, 1, &token);
  }
  MlirNamedAttribute attrs[5];
  intptr_t n = 0;
  if (o.coalescedWidth != 0)
    attrs[n++] = named(ctx, "coalesced_width", i64Attr(ctx, o.coalescedWidth));
  if (o.disableTma)
    attrs[n++] = named(ctx, "disable_tma", mlirUnitAttrGet(ctx));
  if (o.evictionPolicy != TlEvictionDefault)
    attrs[n++] = named(
        ctx, "eviction_policy",
        mlirStringAttrGet(ctx, str(tlEvictionPolicyGetName(o.evictionPolicy))));
  if (!mlirAttributeIsNull(o.loopLayout))
    attrs[n++] = named(ctx, "loop_layout", o.loopLayout);
  if (!mlirAttributeIsNull(o.annotations))
    attrs[n++] = named(ctx, "annotations", o.annotations);
  if (n)
    mlirOperationStateAddAttributes(&st, n, attrs);
  return mlirOperationCreate(&st);
}

MlirOperation tlCopyOpCreate(MlirLocation loc, MlirValue src, MlirValue dst,
                             const TlCopyOptions *options) {
  return createCopy("tl.copy", loc, src, dst, options, false);
}

bool tlOperationIsACopy(MlirOperation op) { return tlOpIsNamed(op, "tl.copy"); }

/* The accessors of a copy read a tl.copy_async too. */
static bool isAnyCopy(MlirOperation op) {
  return tlOperationIsACopy(op) || tlOperationIsACopyAsync(op);
}

MlirValue tlCopyOpGetSource(MlirOperation op) {
  return isAnyCopy(op) ? operandOrNull(op, 0) : nullValue();
}

MlirValue tlCopyOpGetDestination(MlirOperation op) {
  return isAnyCopy(op) ? operandOrNull(op, 1) : nullValue();
}

/* Applies one option attribute (named or from annotations) to `o`; an
   attribute of the wrong kind resets the option to unset. */
static void applyCopyOption(TlCopyOptions *o, MlirStringRef name,
                            MlirAttribute a) {
  if (stringRefEquals(name, "coalesced_width")) {
    int64_t v;
    o->coalescedWidth = readInt(a, &v) ? v : 0;
  } else if (stringRefEquals(name, "disable_tma")) {
    if (mlirAttributeIsAUnit(a))
      o->disableTma = true;
    else if (mlirAttributeIsABool(a))
      o->disableTma = mlirBoolAttrGetValue(a);
    else
      o->disableTma = false;
  } else if (stringRefEquals(name, "eviction_policy")) {
    o->evictionPolicy = readEviction(a);
  } else if (stringRefEquals(name, "loop_layout")) {
    o->loopLayout = tlAttributeIsAFragmentLayout(a) ? a : (MlirAttribute){NULL};
  }
}

TlCopyOptions tlCopyOpGetOptions(MlirOperation op) {
  TlCopyOptions o = tlCopyOptionsGetDefault();
  if (!isAnyCopy(op))
    return o;
  static const char *kNames[] = {"coalesced_width", "disable_tma",
                                 "eviction_policy", "loop_layout"};
  for (size_t i = 0; i < sizeof kNames / sizeof kNames[0]; ++i) {
    MlirAttribute a = getAttr(op, kNames[i]);
    if (!mlirAttributeIsNull(a))
      applyCopyOption(&o, str(kNames[i]), a);
  }
  MlirAttribute ann = getAttr(op, "annotations");
  if (mlirAttributeIsNull(ann) || !mlirAttributeIsADictionary(ann))
    return o;
  o.annotations = ann;
  for (intptr_t i = 0, e = mlirDictionaryAttrGetNumElements(ann); i < e; ++i) {
    MlirNamedAttribute na = mlirDictionaryAttrGetElement(ann, i);
    applyCopyOption(&o, mlirIdentifierStr(na.name), na.attribute);
  }
  return o;
}

//===--------------------------------------------------------------------===//
// tl.copy_async and tl.wait
//===--------------------------------------------------------------------===//

MlirOperation tlCopyAsyncOpCreate(MlirLocation loc, MlirValue src,
                                  MlirValue dst, const TlCopyOptions *options) {
  return createCopy("tl.copy_async", loc, src, dst, options, true);
}

bool tlOperationIsACopyAsync(MlirOperation op) {
  return tlOpIsNamed(op, "tl.copy_async");
}

MlirValue tlCopyAsyncOpGetToken(MlirOperation op) {
  if (!tlOperationIsACopyAsync(op) || mlirOperationGetNumResults(op) < 1)
    return nullValue();
  return mlirOperationGetResult(op, 0);
}

/* tl.wait or tl.join of n tokens (a join has a token result and n >= 1). */
static MlirOperation createTokenOp(const char *kName, MlirLocation loc,
                                   intptr_t n, const MlirValue *tokens,
                                   bool join) {
  MlirOperation null = {NULL};
  if (!tlCapiCheckBuilderContext(loc, kName))
    return null;
  if (n < (join ? 1 : 0) || (n > 0 && !tokens)) {
    tlEmitErrorf(loc, "%s: invalid token list (%ld tokens, %s array)", kName,
                 (long)n, tokens ? "an" : "no");
    return null;
  }
  for (intptr_t i = 0; i < n; ++i) {
    char what[32];
    snprintf(what, sizeof what, "token #%ld", (long)i);
    if (!checkOperand(loc, kName, what, tokens[i], KindToken))
      return null;
  }
  MlirOperationState st = mlirOperationStateGet(str(kName), loc);
  if (n)
    mlirOperationStateAddOperands(&st, n, tokens);
  if (join) {
    MlirType tok = tlTokenTypeGet(mlirLocationGetContext(loc));
    mlirOperationStateAddResults(&st, 1, &tok);
  }
  return mlirOperationCreate(&st);
}

MlirOperation tlWaitOpCreate(MlirLocation loc, intptr_t n,
                             const MlirValue *tokens) {
  return createTokenOp("tl.wait", loc, n, tokens, false);
}

MlirOperation tlJoinOpCreate(MlirLocation loc, intptr_t n,
                             const MlirValue *tokens) {
  return createTokenOp("tl.join", loc, n, tokens, true);
}

bool tlOperationIsAJoin(MlirOperation op) { return tlOpIsNamed(op, "tl.join"); }

bool tlOperationIsAWait(MlirOperation op) { return tlOpIsNamed(op, "tl.wait"); }

intptr_t tlWaitOpGetNumTokens(MlirOperation op) {
  return tlOperationIsAWait(op) ? mlirOperationGetNumOperands(op) : 0;
}

MlirValue tlWaitOpGetToken(MlirOperation op, intptr_t pos) {
  return tlOperationIsAWait(op) ? operandOrNull(op, pos) : nullValue();
}

//===--------------------------------------------------------------------===//
// tl.c2d_im2col
//===--------------------------------------------------------------------===//

static const char *const kIm2ColParamNames[4] = {"kernel", "stride",
                                                 "dilation", "pad"};

static TlPair *paramSlot(TlIm2ColParams *p, int i) {
  switch (i) {
  case 0:
    return &p->kernel;
  case 1:
    return &p->stride;
  case 2:
    return &p->dilation;
  default:
    return &p->pad;
  }
}

static MlirAttribute pairAttr(MlirContext ctx, TlPair p) {
  if (p.h == p.w)
    return i64Attr(ctx, p.h);
  int64_t hw[2] = {p.h, p.w};
  return mlirDenseI64ArrayGet(ctx, 2, hw);
}

/* tl.c2d_im2col, or with `async` tl.c2d_im2col_async (one !tl.token
   result). */
static MlirOperation createIm2Col(const char *kName, MlirLocation loc,
                                  MlirValue img, MlirValue col,
                                  MlirValue nhwStep, MlirValue cStep,
                                  const TlIm2ColParams *params, bool async) {
  MlirOperation null = {NULL};
  if (!tlCapiCheckBuilderContext(loc, kName))
    return null;
  if (!params) {
    tlEmitErrorf(loc, "%s: no parameters given", kName);
    return null;
  }
  if (!checkOperand(loc, kName, "image", img, KindMemRef) ||
      !checkOperand(loc, kName, "column", col, KindMemRefOrRegion) ||
      !checkOperand(loc, kName, "nhw_step", nhwStep, KindIndex) ||
      !checkOperand(loc, kName, "c_step", cStep, KindIndex) ||
      !checkEviction(loc, kName, params->evictionPolicy))
    return null;
  MlirContext ctx = mlirLocationGetContext(loc);
  MlirOperationState st = mlirOperationStateGet(str(kName), loc);
  MlirValue operands[4] = {img, col, nhwStep, cStep};
  mlirOperationStateAddOperands(&st, 4, operands);
  if (async) {
    MlirType token = tlTokenTypeGet(ctx);
    mlirOperationStateAddResults(&st, 1, &token);
  }
  TlIm2ColParams p = *params;
  MlirNamedAttribute attrs[5];
  intptr_t n = 0;
  for (int i = 0; i < 4; ++i)
    attrs[n++] = named(ctx, kIm2ColParamNames[i], pairAttr(ctx, *paramSlot(&p, i)));
  if (p.evictionPolicy != TlEvictionDefault)
    attrs[n++] = named(
        ctx, "eviction_policy",
        mlirStringAttrGet(ctx, str(tlEvictionPolicyGetName(p.evictionPolicy))));
  mlirOperationStateAddAttributes(&st, n, attrs);
  return mlirOperationCreate(&st);
}

MlirOperation tlIm2ColOpCreate(MlirLocation loc, MlirValue img, MlirValue col,
                               MlirValue nhwStep, MlirValue cStep,
                               const TlIm2ColParams *params) {
  return createIm2Col("tl.c2d_im2col", loc, img, col, nhwStep, cStep, params,
                      false);
}

MlirOperation tlIm2ColAsyncOpCreate(MlirLocation loc, MlirValue img,
                                    MlirValue col, MlirValue nhwStep,
                                    MlirValue cStep,
                                    const TlIm2ColParams *params) {
  return createIm2Col("tl.c2d_im2col_async", loc, img, col, nhwStep, cStep,
                      params, true);
}

bool tlOperationIsAIm2Col(MlirOperation op) {
  return tlOpIsNamed(op, "tl.c2d_im2col");
}

bool tlOperationIsAnIm2ColAsync(MlirOperation op) {
  return tlOpIsNamed(op, "tl.c2d_im2col_async");
}

MlirValue tlIm2ColAsyncOpGetToken(MlirOperation op) {
  if (!tlOperationIsAnIm2ColAsync(op) || mlirOperationGetNumResults(op) < 1)
    return nullValue();
  return mlirOperationGetResult(op, 0);
}

//===--------------------------------------------------------------------===//
// Predicates of the asynchronous ops
//===--------------------------------------------------------------------===//

/* The operands an asynchronous op has before its predicate; 0 for others. */
static intptr_t asyncBaseOperands(MlirOperation op) {
  return tlOperationIsACopyAsync(op)       ? 2
         : tlOperationIsAnIm2ColAsync(op) ? 4
                                           : 0;
}

static bool isI1(MlirType t) {
  return mlirTypeIsAInteger(t) && mlirIntegerTypeGetWidth(t) == 1;
}

MlirValue tlAsyncOpGetPredicate(MlirOperation op) {
  intptr_t base = asyncBaseOperands(op);
  if (base == 0 || mlirOperationGetNumOperands(op) <= base)
    return nullValue();
  return mlirOperationGetOperand(op, base);
}

bool tlAsyncOpSetPredicate(MlirOperation op, MlirValue pred) {
  intptr_t base = asyncBaseOperands(op);
  if (base == 0 || (!mlirValueIsNull(pred) && !isI1(mlirValueGetType(pred))))
    return false;
  MlirValue ops[5];
  for (intptr_t i = 0; i < base; ++i)
    ops[i] = mlirOperationGetOperand(op, i);
  ops[base] = pred;
  mlirOperationSetOperands(op, base + !mlirValueIsNull(pred), ops);
  return true;
}

/* The accessors of an im2col read a tl.c2d_im2col_async too. */
static bool isAnyIm2Col(MlirOperation op) {
  return tlOperationIsAIm2Col(op) || tlOperationIsAnIm2ColAsync(op);
}

static MlirValue im2colOperand(MlirOperation op, intptr_t pos) {
  return isAnyIm2Col(op) ? operandOrNull(op, pos) : nullValue();
}

MlirValue tlIm2ColOpGetImage(MlirOperation op) { return im2colOperand(op, 0); }
MlirValue tlIm2ColOpGetColumn(MlirOperation op) { return im2colOperand(op, 1); }
MlirValue tlIm2ColOpGetNHWStep(MlirOperation op) {
  return im2colOperand(op, 2);
}
MlirValue tlIm2ColOpGetCStep(MlirOperation op) { return im2colOperand(op, 3); }

/* An integer N reads as {N, N}, array<i64: h, w> as {h, w}. */
static bool readPair(MlirAttribute a, TlPair *out) {
  int64_t v;
  out->h = out->w = 0;
  if (readInt(a, &v)) {
    out->h = out->w = v;
    return true;
  }
  if (!mlirAttributeIsNull(a) && mlirAttributeIsADenseI64Array(a) &&
      mlirDenseArrayGetNumElements(a) == 2) {
    out->h = mlirDenseI64ArrayGetElement(a, 0);
    out->w = mlirDenseI64ArrayGetElement(a, 1);
    return true;
  }
  return false;
}

bool tlIm2ColOpGetParams(MlirOperation op, TlIm2ColParams *params) {
  if (!params)
    return false;
  memset(params, 0, sizeof *params);
  params->evictionPolicy = TlEvictionDefault;
  if (!isAnyIm2Col(op))
    return false;
  bool ok = true;
  for (int i = 0; i < 4; ++i)
    ok &= readPair(getAttr(op, kIm2ColParamNames[i]), paramSlot(params, i));
  MlirAttribute ev = getAttr(op, "eviction_policy");
  if (!mlirAttributeIsNull(ev)) {
    params->evictionPolicy = readEviction(ev);
    /* Present but not a known policy: TlEvictionInvalid, and a failure. */
    if (params->evictionPolicy == TlEvictionDefault)
      params->evictionPolicy = TlEvictionInvalid;
    if (params->evictionPolicy == TlEvictionInvalid)
      ok = false;
  }
  return ok;
}
