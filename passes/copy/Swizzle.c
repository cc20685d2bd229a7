/* The workgroup (shared) buffers a tl op touches: their registry, their
 * swizzles (user tl.swizzle, annotations swizzle, recorded tma_swizzle,
 * and the automatic 128-byte swizzle for bank-conflict-free ldmatrix /
 * stmatrix; docs/tma.md, docs/mma-copies.md) and the alignment each needs,
 * recorded as llvm.align and tl.swizzle on the attributions. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/AffineExpr.h>
#include <mlir-c/AffineMap.h>
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "AffineEval.h"
#include "Diag.h"
#include "IRBuild.h"
#include "IndexRange.h"
#include "Select.h"
#include "TensorMap.h"

//===--------------------------------------------------------------------===//
// The registry
//===--------------------------------------------------------------------===//

/* The `tl.swizzle` of workgroup attribution i of f (bytes), or -1. */
static int64_t userSwizzleOf(MlirOperation f, intptr_t i) {
  MlirAttribute arr = tlGetAttr(f, "workgroup_attrib_attrs");
  if (mlirAttributeIsNull(arr) || !mlirAttributeIsAArray(arr) ||
      i >= mlirArrayAttrGetNumElements(arr))
    return -1;
  MlirAttribute d = mlirArrayAttrGetElement(arr, i);
  if (!mlirAttributeIsADictionary(d))
    return -1;
  MlirAttribute s = mlirDictionaryAttrGetElementByName(
      d, mlirStringRefCreateFromCString(TL_ATTR_SWIZZLE));
  if (mlirAttributeIsNull(s) || !mlirAttributeIsAInteger(s))
    return -1;
  return mlirIntegerAttrGetValueInt(s);
}

/* Registers a workgroup attribution touched by a tl op; returns its entry
   or -1 when `buf` is not one. */
long tlSelMarkWorkgroup(TlSelState *st, MlirValue buf) {
  MlirOperation f;
  intptr_t i = tlSelWorkgroupIndex(buf, &f);
  if (i < 0)
    return -1;
  for (size_t k = 0; k < st->nWg; ++k)
    if (mlirOperationEqual(st->wg[k].func, f) && st->wg[k].index == i)
      return (long)k;
  st->wg = tlSelGrow(st->wg, &st->capWg, st->nWg, sizeof *st->wg);
  st->wg[st->nWg].func = f;
  st->wg[st->nWg].index = i;
  st->wg[st->nWg].swizzle = userSwizzleOf(f, i);
  st->wg[st->nWg].setter = (MlirOperation){NULL};
  st->wg[st->nWg].align = TL_SEL_BASE_ALIGN;
  return (long)st->nWg++;
}

void tlSelAlignAtLeast(TlSelState *st, MlirValue buf, int64_t align) {
  long k = tlSelMarkWorkgroup(st, buf);
  if (k >= 0 && st->wg[k].align < align)
    st->wg[k].align = align;
}

int tlSelSwizzleMode(int64_t bytes) {
  return bytes == 32 ? 1 : bytes == 64 ? 2 : bytes == 128 ? 3 : 0;
}

/* The swizzle (bytes) of the shared side of a copy, 0 for none. */
int64_t tlSelSideSwizzle(const TlSelState *st, const TlSelSide *s) {
  MlirOperation f;
  intptr_t i = tlSelWorkgroupIndex(s->buffer, &f);
  if (i < 0)
    return 0;
  for (size_t k = 0; k < st->nWg; ++k)
    if (mlirOperationEqual(st->wg[k].func, f) && st->wg[k].index == i)
      return st->wg[k].swizzle > 0 ? st->wg[k].swizzle : 0;
  return 0;
}

//===--------------------------------------------------------------------===//
// Deciding the swizzles
//===--------------------------------------------------------------------===//

static void describeWorkgroup(TlStr *s, const TlSelState *st, size_t k) {
  MlirOperation f = st->wg[k].func;
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(f, 0));
  intptr_t inputs = mlirFunctionTypeGetNumInputs(
      mlirTypeAttrGetValue(tlGetAttr(f, "function_type")));
  tlStrAppendType(s, mlirValueGetType(mlirBlockGetArgument(
                         entry, inputs + st->wg[k].index)));
  MlirAttribute name = tlGetAttr(f, "sym_name");
  MlirStringRef n = mlirAttributeIsNull(name) || !mlirAttributeIsAString(name)
                        ? mlirStringRefCreateFromCString("?")
                        : mlirStringAttrGetValue(name);
  tlStrAppendf(s, " (workgroup attribution %lld of @%.*s)",
               (long long)st->wg[k].index, (int)n.length, n.data);
}

void tlSelAppendSwizzleSetter(TlStr *s, const TlSelWorkgroup *w,
                              const char *what) {
  if (mlirOperationIsNull(w->setter)) {
    tlStrAppendf(s, "its tl.swizzle is %lld", (long long)w->swizzle);
    return;
  }
  MlirStringRef n = mlirIdentifierStr(mlirOperationGetName(w->setter));
  if (what)
    tlStrAppendf(s, "the %s at ", what);
  else
    tlStrAppendf(s, "the %.*s at ", (int)n.length, n.data);
  tlSelAppendLineCol(s, w->setter);
  tlStrAppendf(s, " demands %lld", (long long)w->swizzle);
}

/* Applies a copy's swizzle demand to its shared buffers. */
static void demandSwizzle(TlSelState *st, TlSelect *it, int64_t swz) {
  bool any = false;
  for (int i = 0; i < 2; ++i) {
    long k = tlSelMarkWorkgroup(st, it->s[i].buffer);
    if (k < 0)
      continue;
    any = true;
    int64_t have = st->wg[k].swizzle;
    if (have < 0 || (have == swz && mlirOperationIsNull(st->wg[k].setter))) {
      st->wg[k].swizzle = swz;
      st->wg[k].setter = it->op;
      continue;
    }
    if (have == swz)
      continue;
    TlStr buf = {0}, who = {0};
    describeWorkgroup(&buf, st, (size_t)k);
    tlSelAppendSwizzleSetter(&who, &st->wg[k], "copy");
    tlSelError(st, it->op,
               "conflicting swizzles for the shared buffer %s: this "
               "copy demands %lld, but %s",
               tlStrGet(&buf), (long long)swz, tlStrGet(&who));
    tlStrFree(&buf);
    tlStrFree(&who);
    it->ok = false;
  }
  if (!any && swz > 0) {
    tlSelError(st, it->op,
               "annotations swizzle = %lld applies to a shared "
               "buffer, but the copy touches no workgroup "
               "attribution",
               (long long)swz);
    it->ok = false;
  }
}

/* Whether an op other than a tl op (or a view of the buffer that only tl
   ops use) reads or writes `buf`: such an op addresses the buffer
   linearly, so it must not be swizzled behind its back. */
static bool usedOutsideTl(MlirValue buf, int depth) {
  for (MlirOpOperand u = mlirValueGetFirstUse(buf); !mlirOpOperandIsNull(u);
       u = mlirOpOperandGetNextUse(u)) {
    MlirOperation user = mlirOpOperandGetOwner(u);
    MlirStringRef n = mlirIdentifierStr(mlirOperationGetName(user));
    if (n.length > 3 && memcmp(n.data, "tl.", 3) == 0)
      continue;
    if (depth < 4 && tlOpIsNamed(user, "memref.subview") &&
        !usedOutsideTl(mlirOperationGetResult(user, 0), depth + 1))
      continue;
    return true;
  }
  return false;
}

/* Bank-conflict-free ldmatrix/stmatrix (docs/mma-copies.md): a shared
   buffer that a 16-bit shared<->fragment copy touches on a chip with
   ldmatrix, whose swizzle nobody decided, gets the 128-byte swizzle when
   its rows are whole multiples of 128 bytes; every copy path addresses it
   through the swizzle. Buffers that tl.c2d_im2col writes keep none, nor
   do buffers other ops use (they would read the swizzled bytes). */
static void autoSwizzleForMma(TlSelState *st) {
  for (size_t i = 0; i < st->n; ++i) {
    TlSelect *it = &st->items[i];
    if (!it->ok || it->im2col || it->fixed)
      continue;
    int fragSide = it->s[0].scope == TlScopeFragment   ? 0
                   : it->s[1].scope == TlScopeFragment ? 1
                                                       : -1;
    if (fragSide < 0 || it->s[1 - fragSide].scope != TlScopeShared ||
        it->s[0].storageBits != 16 || it->s[1].storageBits != 16)
      continue;
    if (tlSelTarget(it).sm < 75)
      continue;
    const TlSelSide *sh = &it->s[1 - fragSide];
    long k = tlSelMarkWorkgroup(st, sh->buffer);
    if (k < 0 || st->wg[k].swizzle >= 0)
      continue;
    MlirType t = mlirValueGetType(sh->buffer);
    intptr_t rank = mlirShapedTypeGetRank(t);
    if (!tlStaticRowMajor(t, NULL) || rank < 1)
      continue;
    /* The widest span that divides a row: 8 rows of 16-byte ldmatrix reads
       then fall in different banks. */
    int64_t rowBytes = mlirShapedTypeGetDimSize(t, rank - 1) * 2;
    int64_t span = rowBytes % 128 == 0  ? 128
                   : rowBytes % 64 == 0 ? 64
                   : rowBytes % 32 == 0 ? 32
                                        : 0;
    /* Not with TMA or bulk copies in play (their boxes depend on the span)
       nor with an im2col writing the buffer (it cannot swizzle). */
    bool blocked = span == 0 || st->opts->preferTma ||
                   usedOutsideTl(sh->buffer, 0);
    for (size_t j = 0; j < st->n && !blocked; ++j) {
      const TlSelect *o = &st->items[j];
      bool touches = tlSelMarkWorkgroup(st, o->s[0].buffer) == k ||
                     tlSelMarkWorkgroup(st, o->s[1].buffer) == k;
      blocked = touches &&
                (o->im2col || o->useTma == 1 || o->useBulk == 1 || o->fixed);
    }
    if (blocked)
      continue;
    st->wg[k].swizzle = span;
    st->wg[k].setter = it->op;
  }
}

/* Swizzles of shared buffers: user tl.swizzle, annotations, fixed copies,
   wgmma descriptors; then checks every swizzled buffer can be addressed through it. */
void tlSelDecideSwizzles(TlSelState *st, MlirOperation root) {
  for (size_t i = 0; i < st->n; ++i) {
    TlSelect *it = &st->items[i];
    if (!it->ok || it->im2col)
      continue;
    tlSelReadAnnotations(it);
    if (it->fixed) {
      MlirAttribute ts = tlGetAttr(it->op, TL_ATTR_TMA_SWIZZLE);
      if (!mlirAttributeIsNull(ts) && mlirAttributeIsAInteger(ts))
        demandSwizzle(st, it, mlirIntegerAttrGetValueInt(ts));
    } else if (it->swizzleDemand >= 0) {
      demandSwizzle(st, it, it->swizzleDemand);
    }
  }
  tlSelWgmmaDescriptors(st, root);
  autoSwizzleForMma(st);
  for (size_t k = 0; k < st->nWg; ++k) {
    int64_t swz = st->wg[k].swizzle;
    if (swz <= 0)
      continue;
    MlirOperation f = st->wg[k].func;
    MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(f, 0));
    intptr_t inputs = mlirFunctionTypeGetNumInputs(
        mlirTypeAttrGetValue(tlGetAttr(f, "function_type")));
    MlirType t =
        mlirValueGetType(mlirBlockGetArgument(entry, inputs + st->wg[k].index));
    MlirOperation at =
        mlirOperationIsNull(st->wg[k].setter) ? f : st->wg[k].setter;
    TlStr buf = {0};
    describeWorkgroup(&buf, st, k);
    if (tlSelSwizzleMode(swz) == 0) {
      tlSelError(st, at,
                 "swizzle of the shared buffer %s must be 32, 64 or "
                 "128 bytes, got %lld",
                 tlStrGet(&buf), (long long)swz);
    } else if (!tlStaticRowMajor(t, NULL)) {
      tlSelError(st, at,
                 "the swizzled shared buffer %s needs a static shape "
                 "and the identity layout",
                 tlStrGet(&buf));
    } else {
      int64_t bytes = tlStorageBits(mlirShapedTypeGetElementType(t)) / 8;
      for (intptr_t d = 0; d < mlirShapedTypeGetRank(t); ++d)
        bytes *= mlirShapedTypeGetDimSize(t, d);
      if (bytes % swz != 0)
        tlSelError(st, at,
                   "the swizzled shared buffer %s has %lld bytes, not a "
                   "multiple of the %lld-byte swizzle span",
                   tlStrGet(&buf), (long long)bytes, (long long)swz);
      int64_t need = INT64_C(128) << tlSelSwizzleMode(swz);
      if (need > st->wg[k].align)
        st->wg[k].align = need;
    }
    tlStrFree(&buf);
  }
}

//===--------------------------------------------------------------------===//
// Alignment and swizzle attributes
//===--------------------------------------------------------------------===//

void tlSelAlignWorkgroups(TlSelState *st, MlirContext ctx) {
  for (size_t i = 0; i < st->nWg; ++i) {
    MlirOperation f = st->wg[i].func;
    bool first = true;
    for (size_t j = 0; j < i; ++j)
      if (mlirOperationEqual(st->wg[j].func, f))
        first = false;
    if (!first)
      continue;
    intptr_t count =
        mlirIntegerAttrGetValueInt(tlGetAttr(f, "workgroup_attributions"));
    MlirAttribute old = tlGetAttr(f, "workgroup_attrib_attrs");
    bool hasOld = !mlirAttributeIsNull(old) && mlirAttributeIsAArray(old);
    MlirAttribute *dicts = malloc(sizeof(MlirAttribute) * (size_t)(count + 1));
    if (!dicts)
      abort();
    MlirIdentifier alignName =
        mlirIdentifierGet(ctx, mlirStringRefCreateFromCString("llvm.align"));
    for (intptr_t w = 0; w < count; ++w) {
      MlirAttribute d = hasOld && w < mlirArrayAttrGetNumElements(old)
                            ? mlirArrayAttrGetElement(old, w)
                            : (MlirAttribute){NULL};
      if (mlirAttributeIsNull(d) || !mlirAttributeIsADictionary(d))
        d = mlirDictionaryAttrGet(ctx, 0, NULL);
      bool touched = false;
      int64_t needAlign = TL_SEL_BASE_ALIGN, swz = 0;
      for (size_t j = i; j < st->nWg; ++j)
        if (mlirOperationEqual(st->wg[j].func, f) && st->wg[j].index == w) {
          touched = true;
          if (st->wg[j].align > needAlign)
            needAlign = st->wg[j].align;
          if (st->wg[j].swizzle > 0)
            swz = st->wg[j].swizzle;
        }
      if (touched) {
        MlirIdentifier swzName = mlirIdentifierGet(
            ctx, mlirStringRefCreateFromCString(TL_ATTR_SWIZZLE));
        MlirAttribute a = mlirDictionaryAttrGetElementByName(
            d, mlirStringRefCreateFromCString("llvm.align"));
        MlirAttribute sa = mlirDictionaryAttrGetElementByName(
            d, mlirStringRefCreateFromCString(TL_ATTR_SWIZZLE));
        bool enough = !mlirAttributeIsNull(a) && mlirAttributeIsAInteger(a) &&
                      mlirIntegerAttrGetValueInt(a) >= needAlign;
        bool swzOk = swz == 0 ||
                     (!mlirAttributeIsNull(sa) && mlirAttributeIsAInteger(sa) &&
                      mlirIntegerAttrGetValueInt(sa) == swz);
        if (!enough || !swzOk) {
          intptr_t n = mlirDictionaryAttrGetNumElements(d);
          MlirNamedAttribute *el =
              malloc(sizeof(MlirNamedAttribute) * (size_t)(n + 2));
          if (!el)
            abort();
          intptr_t k = 0;
          for (intptr_t e = 0; e < n; ++e) {
            MlirNamedAttribute na = mlirDictionaryAttrGetElement(d, e);
            if ((!enough && mlirIdentifierEqual(na.name, alignName)) ||
                (!swzOk && mlirIdentifierEqual(na.name, swzName)))
              continue;
            el[k++] = na;
          }
          if (!enough)
            el[k++] = mlirNamedAttributeGet(
                alignName,
                mlirIntegerAttrGet(mlirIntegerTypeGet(ctx, 64), needAlign));
          if (!swzOk)
            el[k++] = mlirNamedAttributeGet(
                swzName, mlirIntegerAttrGet(mlirIntegerTypeGet(ctx, 64), swz));
          d = mlirDictionaryAttrGet(ctx, k, el);
          free(el);
        }
      }
      dicts[w] = d;
    }
    MlirAttribute arr = mlirArrayAttrGet(ctx, count, dicts);
    free(dicts);
    if (!hasOld || !mlirAttributeEqual(arr, old))
      tlSetAttr(f, "workgroup_attrib_attrs", arr);
  }
}
