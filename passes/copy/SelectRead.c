/* Reading the tl ops for tl-infer-layouts: the legalized form of a copy,
 * the thread count of its kernel, its sides and fragments, the user's
 * loop_layout and annotations, and, for a copy that already carries inst
 * (the pass is idempotent), the recorded attributes. */
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
// The ops
//===--------------------------------------------------------------------===//

/* The thread count of the enclosing gpu.func, or 0 after an error. */
static int64_t threadCount(TlSelState *st, MlirOperation op) {
  MlirOperation f = tlEnclosingOp(op, "gpu.func");
  if (mlirOperationIsNull(f)) {
    tlSelError(st, op,
               "needs a thread map, so it must be inside a gpu.func "
               "with known_block_size = array<i32: x, y, z>");
    return 0;
  }
  MlirAttribute bs = tlGetAttr(f, "known_block_size");
  int64_t T = 1;
  bool ok = !mlirAttributeIsNull(bs) && mlirAttributeIsADenseI32Array(bs) &&
            mlirDenseArrayGetNumElements(bs) == 3;
  for (intptr_t i = 0; ok && i < 3; ++i) {
    int32_t d = mlirDenseI32ArrayGetElement(bs, i);
    ok = d > 0;
    T *= d;
  }
  if (!ok) {
    MlirAttribute name = tlGetAttr(f, "sym_name");
    MlirStringRef n = mlirAttributeIsNull(name) || !mlirAttributeIsAString(name)
                          ? mlirStringRefCreateFromCString("<anonymous>")
                          : mlirStringAttrGetValue(name);
    tlSelError(st, op,
               "needs a thread map, but the enclosing gpu.func @%.*s "
               "has no valid known_block_size = array<i32: x, y, z>",
               (int)n.length, n.data);
    return 0;
  }
  return T;
}
/* Reads one tl.copy. */
void tlSelReadCopy(TlSelState *st, TlSelect *it) {
  MlirOperation op = it->op;
  MlirAttribute side = tlGetAttr(op, TL_ATTR_BASE_SIDE);
  MlirAttribute shape = tlGetAttr(op, TL_ATTR_BASE_SHAPE);
  if (mlirAttributeIsNull(side) || mlirAttributeIsNull(shape) ||
      !mlirAttributeIsADenseI64Array(shape)) {
    tlSelError(st, op,
               "is not legalized (it has no base_side / base_shape): "
               "run tl-legalize-regions first");
    return;
  }
  if (!tlSelReadSide(&it->s[0], "source", mlirOperationGetOperand(op, 0)) ||
      !tlSelReadSide(&it->s[1], "destination",
                     mlirOperationGetOperand(op, 1)) ||
      !it->s[0].region.ptr || !it->s[1].region.ptr) {
    tlSelError(st, op,
               "is not in the legalized form (two tl.region operands "
               "with extents): run tl-legalize-regions first");
    return;
  }
  it->baseRank = mlirDenseArrayGetNumElements(shape);
  if (it->baseRank > TL_SEL_MAX_RANK) {
    tlSelError(st, op, "has a base_shape of rank %lld; at most %d is supported",
               (long long)it->baseRank, TL_SEL_MAX_RANK);
    return;
  }
  for (intptr_t i = 0; i < it->baseRank; ++i)
    it->base[i] = mlirDenseI64ArrayGetElement(shape, i);
  for (int i = 0; i < 2; ++i)
    tlSelMarkWorkgroup(st, it->s[i].buffer);
  it->T = threadCount(st, op);
  if (!it->T)
    return;
  TlCopyOptions o = tlCopyOpGetOptions(op);
  it->demand = o.coalescedWidth;
  it->loop = o.loopLayout;
  it->fixed = !mlirAttributeIsNull(tlGetAttr(op, TL_ATTR_INST));
  bool ok = true;
  for (int i = 0; i < 2 && ok; ++i) {
    if (it->s[i].scope != TlScopeFragment)
      continue;
    it->s[i].frag = tlSelRegisterFragment(st, it, &it->s[i]);
    ok = it->s[i].frag >= 0;
    if (!ok)
      break;
    /* A whole fragment is the base: its non-unit shape is base_shape. */
    const TlSelFrag *f = &st->frags.f[it->s[i].frag];
    bool same = f->coreRank == it->baseRank;
    for (intptr_t k = 0; same && k < f->coreRank; ++k)
      same = f->core[k] == it->base[k];
    if (!same) {
      TlStr a = {0}, b = {0};
      tlSelAppendShape(&a, it->base, it->baseRank, ", ");
      tlSelAppendShape(&b, f->core, f->coreRank, ", ");
      tlSelError(st, op,
                 "has base_shape %s, but the non-unit shape of its %s "
                 "fragment is %s (run tl-verify)",
                 tlStrGet(&a), it->s[i].role, tlStrGet(&b));
      tlStrFree(&a);
      tlStrFree(&b);
      ok = false;
    }
  }
  it->ok = ok;
}

/* Reads one tl.c2d_im2col. */
void tlSelReadIm2Col(TlSelState *st, TlSelect *it) {
  MlirOperation op = it->op;
  it->im2col = true;
  if (!tlSelReadSide(&it->s[0], "image", tlIm2ColOpGetImage(op)) ||
      !tlSelReadSide(&it->s[1], "column tile", tlIm2ColOpGetColumn(op)) ||
      it->s[0].rank != 4 || it->s[1].rank < 2 ||
      (it->s[1].rank > 2 && !it->s[1].region.ptr)) {
    tlSelError(st, op,
               "needs a rank-4 image and a rank-2 column tile (run "
               "tl-verify)");
    return;
  }
  /* A column tile of rank > 2 is one stage of a multi-buffered tile: its
     (BM, BK) are the last two dimensions. */
  intptr_t r = it->s[1].rank;
  for (intptr_t d = 0; d + 2 < r; ++d)
    if (it->s[1].ext[d] != 1) {
      tlSelError(st, op,
                 "needs a column tile that is one stage of its rank-%lld "
                 "buffer (extent 1 in dimension %lld, got %lld; run "
                 "tl-verify)",
                 (long long)r, (long long)d, (long long)it->s[1].ext[d]);
      return;
    }
  tlSelMarkWorkgroup(st, it->s[1].buffer);
  it->T = threadCount(st, op);
  if (!it->T)
    return;
  it->baseRank = 2;
  it->base[0] = it->s[1].ext[r - 2];
  it->base[1] = it->s[1].ext[r - 1];
  it->fixed = !mlirAttributeIsNull(tlGetAttr(op, TL_ATTR_INST));
  it->ok = true;
}

//===--------------------------------------------------------------------===//
// User layouts and recorded attributes
//===--------------------------------------------------------------------===//

/* Checks a user loop_layout (or a recorded thread_map, `what`) over the
   base coordinates; fills loopMap, loopVf and loopLocals. */
bool tlSelCheckLoopLayout(TlSelState *st, TlSelect *it, const char *what) {
  MlirAttribute a = it->loop;
  TlStr txt = {0};
  tlStrAppendAttr(&txt, a);
  bool ok = false;
  if (!tlAttributeIsAFragmentLayout(a)) {
    tlSelError(st, it->op,
               "%s must be a #tl.fragment_layout<map, threads, "
               "replicate>, got %s",
               what, tlStrGet(&txt));
    goto done;
  }
  MlirAffineMap m = tlFragmentLayoutAttrGetMap(a);
  int64_t threads = tlFragmentLayoutAttrGetThreads(a);
  int64_t rep = tlFragmentLayoutAttrGetReplicate(a);
  if (mlirAffineMapIsNull(m) || mlirAffineMapGetNumResults(m) != 2) {
    tlSelError(st, it->op,
               "%s map must have 2 results (thread, local index): "
               "%s",
               what, tlStrGet(&txt));
    goto done;
  }
  if (mlirAffineMapGetNumDims(m) != it->baseRank) {
    TlStr b = {0};
    tlSelAppendShape(&b, it->base, it->baseRank, ", ");
    tlSelError(st, it->op,
               "%s map has %lld dimensions, but the copy's "
               "base_shape %s has %lld: %s",
               what, (long long)mlirAffineMapGetNumDims(m), tlStrGet(&b),
               (long long)it->baseRank, tlStrGet(&txt));
    tlStrFree(&b);
    goto done;
  }
  if (mlirAffineMapGetNumSymbols(m) != 0) {
    tlSelError(st, it->op, "%s map must not have symbols: %s", what,
               tlStrGet(&txt));
    goto done;
  }
  if (rep != 1) {
    tlSelError(st, it->op,
               "replicated %s layouts are not supported for copies "
               "yet (replicate = %lld in %s)",
               strcmp(what, TL_ATTR_LOOP_LAYOUT) ? what : "loop",
               (long long)rep, tlStrGet(&txt));
    goto done;
  }
  if (threads != it->T) {
    tlSelError(st, it->op, "%s is for %lld threads, but the block has %lld: %s",
               what, (long long)threads, (long long)it->T, tlStrGet(&txt));
    goto done;
  }
  TlStr prefix = {0};
  MlirStringRef name = mlirIdentifierStr(mlirOperationGetName(it->op));
  tlStrAppendf(&prefix, "'%.*s' op %s", (int)name.length, name.data, what);
  TlSelTable t;
  ok = tlSelBuildTable(m, it->base, it->baseRank, it->T,
                       mlirOperationGetLocation(it->op), tlStrGet(&prefix),
                       NULL, &t);
  tlStrFree(&prefix);
  if (!ok) {
    st->failed = true;
    goto done;
  }
  it->loopMap = m;
  it->loopVf = tlSelTableWidth(
      &t, it->baseRank ? it->base[it->baseRank - 1] : 1, it->cand.v);
  it->loopLocals = t.locals;
  free(t.e);
done:
  tlStrFree(&txt);
  return ok;
}
/* Whether the copy's safe value (annotations.safe_value) is absent or 0:
   the copy engines fill out-of-bounds elements with zeros. */
bool tlSelSafeValueIsZero(const TlCopyOptions *o) {
  if (mlirAttributeIsNull(o->annotations))
    return true;
  MlirAttribute sv = mlirDictionaryAttrGetElementByName(
      o->annotations, mlirStringRefCreateFromCString("safe_value"));
  return mlirAttributeIsNull(sv) ||
         (mlirAttributeIsAInteger(sv) && mlirIntegerAttrGetValueInt(sv) == 0) ||
         (mlirAttributeIsAFloat(sv) && mlirFloatAttrGetValueDouble(sv) == 0.0);
}
/* What a copy that already carries inst keeps: TMA copies their box and
   swizzle, bulk copies nothing more, the rest their vector width, and the
   per-thread kinds their thread map (read back as a constraint on the
   copy's fragments). */
typedef enum Kept { KeptWidth, KeptThreadMap, KeptTma, KeptBulk } Kept;

static const Kept kKept[TlInstCount] = {
    [TlInstSimt] = KeptThreadMap,    [TlInstDirect] = KeptThreadMap,
    [TlInstCpAsync] = KeptThreadMap, [TlInstTmaLoad] = KeptTma,
    [TlInstTmaStore] = KeptTma,      [TlInstBulkLoad] = KeptBulk,
    [TlInstBulkStore] = KeptBulk,    [TlInstLdmatrix] = KeptWidth,
    [TlInstStmatrix] = KeptWidth,    [TlInstTmaIm2Col] = KeptWidth,
};

static bool revalidateTma(TlSelState *st, TlSelect *it) {
  MlirAttribute box = tlGetAttr(it->op, TL_ATTR_TMA_BOX);
  MlirAttribute swz = tlGetAttr(it->op, TL_ATTR_TMA_SWIZZLE);
  if (mlirAttributeIsNull(box) || !mlirAttributeIsADenseI64Array(box) ||
      mlirAttributeIsNull(swz) || !mlirAttributeIsAInteger(swz)) {
    tlSelError(st, it->op, "has inst = \"%s\" but no tma_box / tma_swizzle",
               tlInstName(it->inst));
    return false;
  }
  it->tma = true;
  it->boxRank = mlirDenseArrayGetNumElements(box);
  for (intptr_t d = 0; d < it->boxRank && d < TL_SEL_MAX_RANK; ++d)
    it->box[d] = mlirDenseI64ArrayGetElement(box, d);
  it->swizzle = mlirIntegerAttrGetValueInt(swz);
  it->nBoxes = 0;
  for (int i = 0; i < 2; ++i)
    tlSelAlignAtLeast(st, it->s[i].buffer, 128);
  return true;
}

/* A copy that already carries inst: its attributes must be well-formed.
   Returns false after an error. */
bool tlSelRevalidate(TlSelState *st, TlSelect *it) {
  MlirAttribute inst = tlGetAttr(it->op, TL_ATTR_INST);
  it->inst = mlirAttributeIsAString(inst)
                 ? tlInstParse(mlirStringAttrGetValue(inst))
                 : TlInstNone;
  if (it->inst == TlInstNone) {
    TlStr txt = {0};
    tlStrAppendAttr(&txt, inst);
    tlSelError(st, it->op, "has an unknown inst %s", tlStrGet(&txt));
    tlStrFree(&txt);
    return false;
  }
  Kept kept = kKept[it->inst];
  if (kept == KeptTma)
    return revalidateTma(st, it);
  if (kept == KeptBulk) {
    it->bulk = true;
    return true; /* shared buffers keep their 16-byte alignment */
  }
  MlirAttribute vw = tlGetAttr(it->op, TL_ATTR_VECTOR_WIDTH);
  int64_t v = 0;
  if (!mlirAttributeIsNull(vw) && mlirAttributeIsAInteger(vw))
    v = mlirIntegerAttrGetValueInt(vw);
  if (v <= 0 || (v & (v - 1))) {
    TlStr t = {0};
    tlStrAppendAttr(&t, vw);
    tlSelError(st, it->op,
               "has inst but vector_width %s is not a positive "
               "power of two",
               tlStrGet(&t));
    tlStrFree(&t);
    return false;
  }
  it->v = v;
  MlirAttribute tm = tlGetAttr(it->op, TL_ATTR_THREAD_MAP);
  it->map = tm;
  if (kept != KeptThreadMap)
    return true;
  if (mlirAttributeIsNull(tm)) {
    tlSelError(st, it->op, "has inst = \"%s\" but no thread_map",
               tlInstName(it->inst));
    return false;
  }
  it->loop = tm;
  TlSelWidth keep = it->cand;
  it->cand.v = v;
  bool ok = tlSelCheckLoopLayout(st, it, TL_ATTR_THREAD_MAP);
  it->cand = keep;
  it->locals = it->loopLocals;
  return ok;
}

//===--------------------------------------------------------------------===//
// Annotations
//===--------------------------------------------------------------------===//

/* annotations swizzle / use_tma. */
static int boolAnnotation(MlirAttribute ann, const char *key) {
  MlirAttribute u = mlirDictionaryAttrGetElementByName(
      ann, mlirStringRefCreateFromCString(key));
  if (!mlirAttributeIsNull(u) && mlirAttributeIsABool(u))
    return mlirBoolAttrGetValue(u);
  if (!mlirAttributeIsNull(u) && mlirAttributeIsAUnit(u))
    return 1;
  return -1;
}

void tlSelReadAnnotations(TlSelect *it) {
  it->swizzleDemand = -1;
  it->useTma = -1;
  it->useBulk = -1;
  it->useCpAsync = -1;
  it->useLdmatrix = -1;
  MlirAttribute ann = tlGetAttr(it->op, TL_ATTR_ANNOTATIONS);
  if (mlirAttributeIsNull(ann) || !mlirAttributeIsADictionary(ann))
    return;
  it->useCpAsync = boolAnnotation(ann, "use_cp_async");
  it->useBulk = boolAnnotation(ann, "use_bulk");
  it->useLdmatrix = boolAnnotation(ann, "use_ldmatrix");
  if (it->useLdmatrix < 0)
    it->useLdmatrix = boolAnnotation(ann, "use_stmatrix");
  MlirAttribute s = mlirDictionaryAttrGetElementByName(
      ann, mlirStringRefCreateFromCString("swizzle"));
  if (!mlirAttributeIsNull(s) && mlirAttributeIsAInteger(s))
    it->swizzleDemand = mlirIntegerAttrGetValueInt(s);
  MlirAttribute u = mlirDictionaryAttrGetElementByName(
      ann, mlirStringRefCreateFromCString("use_tma"));
  if (!mlirAttributeIsNull(u) && mlirAttributeIsABool(u))
    it->useTma = mlirBoolAttrGetValue(u);
  else if (!mlirAttributeIsNull(u) && mlirAttributeIsAUnit(u))
    it->useTma = 1;
}
