/* TMA tiled copies, tma_load / tma_store (docs/tma.md): one
 * cp.async.bulk.tensor per box between a global kernel argument (through a
 * CUtensorMap) and a workgroup buffer.
 *
 * inst "tma_load" and "tma_store" (docs/tma.md): a tiled
 * cp.async.bulk.tensor of whole boxes between a global memref argument
 * (through its tensor map, a kernel argument tl-to-nvvm passes on) and a
 * shared buffer, issued by one elected thread.
 *
 * Issue: a load arms the function's mbarrier with the byte count and
 * issues every box; a store first fences the threads' shared writes into
 * the async proxy, then issues every box and commits a bulk group.
 * Complete (copy/Mbarrier.c): a load waits on the mbarrier's parity, a
 * store on its bulk group's reads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "Diag.h"
#include "IRBuild.h"
#include "IndexRange.h"
#include "Inst.h"
#include "Lower.h"
#include "Select.h"
#include "Support.h"
#include "TensorMap.h"

//===--------------------------------------------------------------------===//
// Selection (tl-infer-layouts)
//===--------------------------------------------------------------------===//

#define SEL_TMA_MAX_RANK 5
#define SEL_TMA_MAX_BOX 256
#define SEL_TMA_MAX_BOXES 64

static int64_t selLargestDivisorAtMost(int64_t x, int64_t cap) {
  for (int64_t d = x < cap ? x : cap; d > 1; --d)
    if (x % d == 0)
      return d;
  return 1;
}

/* The copy itself: global <-> shared on a TMA chip, no SIMT-only option,
   no cast, an element type TMA moves, zero fill. */
static bool selTmaCopy(TlSelect *s, const TlSelSide *g, char *why, size_t cap) {
  bool gs = s->s[0].scope == TlScopeGlobal && s->s[1].scope == TlScopeShared;
  bool sg = s->s[0].scope == TlScopeShared && s->s[1].scope == TlScopeGlobal;
  if (!gs && !sg)
    TL_SEL_NO("TMA copies between global and shared memory only (this copy "
              "is %s->%s)",
              tlScopeGetName(s->s[0].scope), tlScopeGetName(s->s[1].scope));
  TlTarget t = tlSelTarget(s);
  if (t.sm < 90)
    TL_SEL_NO("chip %s has no TMA", t.chip);
  if (t.ptx && t.ptx < 80)
    TL_SEL_NO("TMA needs PTX ISA 8.0, but the target's features say +ptx%d",
              t.ptx);
  TlCopyOptions o = tlCopyOpGetOptions(s->op);
  if (o.disableTma)
    TL_SEL_NO("disable_tma is set");
  if (!mlirAttributeIsNull(s->loop))
    TL_SEL_NO("a loop_layout is given (SIMT only)");
  if (s->demand)
    TL_SEL_NO("coalesced_width is set (SIMT only)");
  if (!mlirTypeEqual(s->s[0].elt, s->s[1].elt)) {
    TlStr a = {0}, b = {0};
    tlStrAppendType(&a, s->s[0].elt);
    tlStrAppendType(&b, s->s[1].elt);
    tlSelNo(why, cap, "the copy casts %s to %s (TMA moves bytes)", tlStrGet(&a),
            tlStrGet(&b));
    tlStrFree(&a);
    tlStrFree(&b);
    return false;
  }
  if (tlTensorMapDataType(g->elt) < 0 || g->storageBits % 8 != 0) {
    TlStr a = {0};
    tlStrAppendType(&a, g->elt);
    tlSelNo(why, cap, "TMA cannot move %s elements", tlStrGet(&a));
    tlStrFree(&a);
    return false;
  }
  if (!tlSelSafeValueIsZero(&o))
    TL_SEL_NO("safe_value is not 0 (TMA fills with zeros)");
  return true;
}

/* The global side: a kernel memref argument, rank <= 5, strides multiples
   of 16 bytes below 2^40: row-major or a static strided layout with an
   innermost stride of 1 (a tile of a larger matrix); dynamic sizes
   (docs/dynamic.md) are row-major, the stride the static part times
   run-time sizes, a multiple of 16 when the static part is. */
static bool selTmaGlobal(TlSelect *s, const TlSelSide *g, char *why,
                         size_t cap) {
  int64_t eb = g->storageBits / 8;
  MlirOperation func = tlEnclosingOp(s->op, "gpu.func");
  if (mlirOperationIsNull(func) ||
      mlirAttributeIsNull(tlGetAttr(func, "gpu.kernel")) ||
      tlFuncInputIndex(func, g->buffer) < 0)
    TL_SEL_NO("the global %s is not a memref argument of the kernel", g->role);
  bool gDyn = !mlirShapedTypeHasStaticShape(g->type);
  int64_t lstride[16];
  if (gDyn ? !mlirAffineMapIsIdentity(mlirMemRefTypeGetAffineMap(g->type))
           : !tlStaticInnerContiguous(g->type, lstride))
    TL_SEL_NO("the global %s has a layout a tensor map cannot describe "
              "(TMA needs an innermost stride of 1, offset 0 and static, "
              "non-overlapping outer strides)",
              g->role);
  intptr_t r = g->rank;
  if (r > SEL_TMA_MAX_RANK)
    TL_SEL_NO("the global %s has rank %lld, TMA allows at most %d", g->role,
              (long long)r, SEL_TMA_MAX_RANK);
  /* The bytes between consecutive elements of dimension d: a static
     layout's stride (row-major, or strided<[ld, 1]>: the view of a larger
     matrix keeps its leading dimension in the tensor map); for a dynamic
     shape the row-major product, whose static part must be a multiple of
     16 where run-time sizes multiply it. */
  int64_t stride = eb;
  bool strideDyn = false;
  for (intptr_t d = r - 1; d >= 0; --d) {
    if (!gDyn && __builtin_mul_overflow(lstride[d], eb, &stride))
      TL_SEL_NO("dimension %lld of the global %s has a stride of %lld "
                "elements, beyond TMA's 2^40 bytes",
                (long long)d, g->role, (long long)lstride[d]);
    bool dyn = mlirShapedTypeIsDynamicDim(g->type, d);
    if ((dyn || strideDyn) && d < r - 1 && stride % 16 != 0)
      TL_SEL_NO("dimension %lld of the global %s has a stride of %lld bytes "
                "times run-time sizes, not provably a multiple of 16",
                (long long)d, g->role, (long long)stride);
    if (dyn) {
      strideDyn = true;
      continue;
    }
    if (g->shape[d] >= (INT64_C(1) << 31))
      TL_SEL_NO("dimension %lld of the global %s has %lld elements, more "
                "than TMA's 32-bit coordinates address",
                (long long)d, g->role, (long long)g->shape[d]);
    if (d < r - 1 && (stride % 16 != 0 || stride >= (INT64_C(1) << 40)))
      TL_SEL_NO("dimension %lld of the global %s has a stride of %lld bytes; "
                "TMA needs a multiple of 16 below 2^40",
                (long long)d, g->role, (long long)stride);
    /* The next dimension's row-major stride (dynamic shapes only); it may
       leave 64 bits only past TMA's 2^40, refused there. */
    if (gDyn && d > 0 && __builtin_mul_overflow(stride, g->shape[d], &stride))
      TL_SEL_NO("dimension %lld of the global %s has a stride beyond TMA's "
                "2^40 bytes",
                (long long)(d - 1), g->role);
  }
  return true;
}

/* The innermost box extent W: the innermost extent C in blocks of W
   elements (a rank + 1 map when W < C): the swizzle span, or a divisor
   <= 256 of C, of the global dimension and of the index. */
static bool selTmaInnerBlock(const TlSelSide *g, int64_t swz, int64_t *out,
                             char *why, size_t cap) {
  intptr_t r = g->rank;
  int64_t eb = g->storageBits / 8;
  int64_t C = g->ext[r - 1], N = g->shape[r - 1];
  if ((C * eb) % 16 != 0)
    TL_SEL_NO("the innermost extent is %lld bytes (%lld elements), not a "
              "multiple of 16",
              (long long)(C * eb), (long long)C);
  int64_t idxDiv = tlIndexDivisor(g->idx[r - 1]);
  int64_t W = C;
  if (swz) {
    if ((C * eb) % swz != 0)
      TL_SEL_NO("the innermost extent is %lld bytes, not a multiple of the "
                "%lld-byte swizzle span",
                (long long)(C * eb), (long long)swz);
    W = swz / eb;
  } else if (C > SEL_TMA_MAX_BOX) {
    for (W = SEL_TMA_MAX_BOX; W > 0; --W)
      if (C % W == 0 && (W * eb) % 16 == 0 && N % W == 0 && idxDiv % W == 0)
        break;
    if (W <= 0)
      TL_SEL_NO("the innermost extent %lld is larger than %d and cannot be "
                "split into blocks that divide the global dimension %lld and "
                "the index",
                (long long)C, SEL_TMA_MAX_BOX, (long long)N);
  }
  *out = W;
  if (W == C)
    return true;
  if (mlirShapedTypeIsDynamicDim(g->type, r - 1))
    TL_SEL_NO("the innermost extent %lld would be split into blocks of %lld, "
              "but the innermost global dimension is dynamic",
              (long long)C, (long long)W);
  if (N % W != 0)
    TL_SEL_NO("the innermost extent %lld is split into blocks of %lld, "
              "which do not divide the global dimension %lld",
              (long long)C, (long long)W, (long long)N);
  if (idxDiv % W != 0)
    TL_SEL_NO("the innermost extent %lld is split into blocks of %lld, but "
              "the global index of dimension %lld is only known to be "
              "divisible by %lld",
              (long long)C, (long long)W, (long long)(r - 1),
              (long long)idxDiv);
  if (r + 1 > SEL_TMA_MAX_RANK)
    TL_SEL_NO("splitting the innermost extent %lld into blocks of %lld "
              "needs a rank-%lld tensor map; TMA allows %d",
              (long long)C, (long long)W, (long long)(r + 1), SEL_TMA_MAX_RANK);
  if (C / W > SEL_TMA_MAX_BOX)
    TL_SEL_NO("the innermost extent %lld needs %lld blocks of %lld, more "
              "than %d",
              (long long)C, (long long)(C / W), (long long)W, SEL_TMA_MAX_BOX);
  return true;
}

/* The boxes: outer extents in divisors <= 256; at most 64 boxes and one
   mbarrier transaction of bytes. Fills s->box, *nBoxes, *total. */
static bool selTmaBoxes(TlSelect *s, const TlSelSide *g, int64_t W,
                        int64_t *nBoxes, int64_t *total, char *why,
                        size_t cap) {
  intptr_t r = g->rank;
  *nBoxes = 1;
  *total = g->ext[r - 1] * (g->storageBits / 8);
  for (intptr_t d = 0; d < r - 1; ++d) {
    s->box[d] = selLargestDivisorAtMost(g->ext[d], SEL_TMA_MAX_BOX);
    *nBoxes *= g->ext[d] / s->box[d];
    *total *= g->ext[d];
  }
  s->box[r - 1] = W;
  if (*nBoxes > SEL_TMA_MAX_BOXES)
    TL_SEL_NO("the region needs %lld boxes, more than %d", (long long)*nBoxes,
              SEL_TMA_MAX_BOXES);
  if (*total > TL_SEL_MAX_TX_BYTES)
    TL_SEL_NO("the copy moves %lld bytes, more than one mbarrier transaction "
              "counts (%lld)",
              (long long)*total, (long long)TL_SEL_MAX_TX_BYTES);
  return true;
}

/* The shared side: a workgroup attribution, row-major; the region a
   contiguous tile at a constant offset, but for a dynamic stage index
   whose stride keeps the alignment (tlSideStageOffset), where every box
   starts aligned (to 128 bytes, or the swizzle's repeat). */
static bool selTmaShared(const TlSelect *s, const TlSelSide *g,
                         const TlSelSide *sh, int64_t swz, int64_t nBoxes,
                         char *why, size_t cap) {
  MlirOperation wf;
  if (tlSelWorkgroupIndex(sh->buffer, &wf) < 0)
    TL_SEL_NO("the shared %s is not a workgroup attribution of the kernel",
              sh->role);
  int64_t sstride[TL_SEL_MAX_RANK];
  if (!tlStaticRowMajor(sh->type, sstride))
    TL_SEL_NO("the shared %s has a non-identity layout", sh->role);
  intptr_t first = -1;
  for (intptr_t d = 0; d < sh->rank; ++d)
    if (sh->ext[d] != 1 && first < 0)
      first = d;
  for (intptr_t d = sh->rank - 1; d > first && first >= 0; --d)
    if (sh->ext[d] != sh->shape[d])
      TL_SEL_NO("the shared region is not contiguous (dimension %lld: extent "
                "%lld of %lld)",
                (long long)d, (long long)sh->ext[d], (long long)sh->shape[d]);
  intptr_t r = g->rank;
  int64_t eb = g->storageBits / 8;
  int64_t align = swz ? (INT64_C(128) << tlSelSwizzleMode(swz)) : 128;
  int64_t off = 0;
  if (!tlSideStageOffset(&sh->core, sstride, eb, align, &off, why, cap))
    return false;
  /* Each box's start in the region (row-major, full inner rows). */
  int64_t rowBytes = g->ext[r - 1] * eb;
  int64_t bstart[TL_SEL_MAX_RANK] = {0};
  for (int64_t b = 0; b < nBoxes; ++b) {
    int64_t flat = 0, acc = rowBytes;
    for (intptr_t d = r - 2; d >= 0; --d) {
      flat += bstart[d] * acc;
      acc *= g->ext[d];
    }
    if ((off * eb + flat) % align != 0)
      TL_SEL_NO("a box starts at byte %lld of the shared %s, not a multiple "
                "of %lld",
                (long long)(off * eb + flat), sh->role, (long long)align);
    for (intptr_t d = r - 2; d >= 0; --d) {
      bstart[d] += s->box[d];
      if (bstart[d] < g->ext[d])
        break;
      bstart[d] = 0;
    }
  }
  return true;
}

/* Whether the copy can be a TMA copy; fills box/nBoxes/tmaBytes/swizzle. */
bool tlSelTmaCheck(TlSelect *s, char *why, size_t cap) {
  bool load = s->s[0].scope == TlScopeGlobal;
  TlSelSide *g = &s->s[load ? 0 : 1], *sh = &s->s[load ? 1 : 0];
  if (!selTmaCopy(s, g, why, cap) || !selTmaGlobal(s, g, why, cap))
    return false;
  int64_t swz = tlSelSideSwizzle(s->st, sh), W = 0, nBoxes = 0, total = 0;
  if (!selTmaInnerBlock(g, swz, &W, why, cap) ||
      !selTmaBoxes(s, g, W, &nBoxes, &total, why, cap) ||
      !selTmaShared(s, g, sh, swz, nBoxes, why, cap))
    return false;
  s->boxRank = g->rank;
  s->nBoxes = nBoxes;
  s->tmaBytes = total;
  s->swizzle = swz;
  return true;
}

/* TMA on demand (use_tma) or with prefer-tma: the benchmark measured the
   SIMT path faster for tile copies (docs/performance.md). */
TlSelVerdict tlSelTmaPrefer(TlSelect *s, bool can, char *why, size_t cap) {
  TlCopyOptions o = tlCopyOpGetOptions(s->op);
  if (s->useTma == 1 && s->useCpAsync == 1) {
    tlSelError(s->st, s->op,
               "use_tma = true and use_cp_async = true "
               "contradict each other");
    return TlSelFail;
  }
  if (can && s->useCpAsync == 1) {
    snprintf(why, cap, "use_cp_async is set");
    can = false;
  }
  if (s->useTma == 1 && o.disableTma) {
    tlSelError(s->st, s->op,
               "use_tma = true and disable_tma contradict each "
               "other");
    return TlSelFail;
  }
  if (!can) {
    if (s->useTma != 1)
      return TlSelPass;
    tlSelError(s->st, s->op, "use_tma = true, but TMA cannot be used: %s", why);
    return TlSelFail;
  }
  /* Split-phase copies (tl.copy_async, which tl-pipeline makes) default
     to TMA: in pipelined loops it measured 1.015x cuMemcpyDtoD against
     SIMT's 0.870 at best (docs/performance.md, "Defaults"). A synchronous
     tl.copy measured level on all paths and stays SIMT. */
  bool asyncDefault = tlOperationIsACopyAsync(s->op) && s->useTma != 0;
  if (s->useTma != 1 && !s->st->opts->preferTma && !asyncDefault) {
    snprintf(why, cap,
             "a tl.copy defaults to SIMT, measured level with TMA on the "
             "H200 (docs/performance.md); use_tma = true or prefer-tma "
             "selects TMA");
    return TlSelPass;
  }
  return TlSelTake;
}

/* Records the box and swizzle; the shared buffer needs 128-byte
   alignment. */
void tlSelTmaChoose(TlSelect *s) {
  MlirContext ctx = mlirOperationGetContext(s->op);
  bool load = s->s[0].scope == TlScopeGlobal;
  s->tma = true;
  tlSetAttr(s->op, TL_ATTR_INST,
               mlirStringAttrGet(
                   ctx, mlirStringRefCreateFromCString(tlInstName(s->inst))));
  tlSetAttr(s->op, TL_ATTR_TMA_BOX,
               mlirDenseI64ArrayGet(ctx, s->boxRank, s->box));
  tlSetAttr(s->op, TL_ATTR_TMA_SWIZZLE,
               mlirIntegerAttrGet(mlirIntegerTypeGet(ctx, 64), s->swizzle));
  tlSelAlignAtLeast(s->st, s->s[load ? 1 : 0].buffer, 128);
}

//===--------------------------------------------------------------------===//
// Emission (tl-lower-copy)
//===--------------------------------------------------------------------===//

/* The strides of the global side (its layout's: row-major or
   strided<[..., 1]>); dynamic sizes (identity layout) leave -1 where a size
   is only known at run time: the launcher fills them (docs/dynamic.md). */
static bool globalStrides(TlLower *c, TlSide *g, TlSide *sh, const char *kind,
                          int64_t *gstride, bool *gDyn) {
  *gDyn = !mlirShapedTypeHasStaticShape(g->type) &&
          mlirAffineMapIsIdentity(mlirMemRefTypeGetAffineMap(g->type));
  if (*gDyn) {
    int64_t acc = 1;
    for (intptr_t d = g->rank - 1; d >= 0; --d) {
      gstride[d] = acc;
      acc = mlirShapedTypeIsDynamicDim(g->type, d) || acc < 0
                ? -1
                : acc * g->shape[d];
    }
  }
  if ((!*gDyn && !tlStaticInnerContiguous(g->type, gstride)) ||
      !tlStaticRowMajor(sh->type, sh->sstride)) {
    tlOpError(c->op,
              "inst \"%s\" needs a static global layout with an innermost "
              "stride of 1 (or a dynamic row-major one) and a static, "
              "identity-layout shared memref",
              kind);
    return false;
  }
  if (!mlirTypeEqual(g->elt, sh->elt) || tlTensorMapDataType(g->elt) < 0 ||
      g->bits % 8 != 0) {
    tlOpError(c->op, "inst \"%s\" needs one TMA element type on both sides",
              kind);
    return false;
  }
  return true;
}

/* tma_box and tma_swizzle, against the region and the shared buffer. */
static bool readBox(TlLower *c, TlSide *g, TlSide *sh, const char *kind,
                    bool gDyn) {
  MlirOperation op = c->op;
  MlirAttribute boxA = tlGetAttr(op, TL_ATTR_TMA_BOX),
                swzA = tlGetAttr(op, TL_ATTR_TMA_SWIZZLE);
  intptr_t r = g->rank;
  if (mlirAttributeIsNull(boxA) || !mlirAttributeIsADenseI64Array(boxA) ||
      mlirDenseArrayGetNumElements(boxA) != r || mlirAttributeIsNull(swzA) ||
      !mlirAttributeIsAInteger(swzA)) {
    tlOpError(op,
              "inst \"%s\" needs tma_box (one entry per dimension of the "
              "global memref) and tma_swizzle: run tl-infer-layouts",
              kind);
    return false;
  }
  c->swizzle = mlirIntegerAttrGetValueInt(swzA);
  if (c->swizzle != sh->swz) {
    tlOpError(op,
              "tma_swizzle %lld disagrees with the shared buffer's "
              "tl.swizzle %lld",
              (long long)c->swizzle, (long long)sh->swz);
    return false;
  }
  int64_t eb = g->bits / 8;
  for (intptr_t d = 0; d < r; ++d) {
    c->box[d] = mlirDenseI64ArrayGetElement(boxA, d);
    if (c->box[d] < 1 || c->box[d] > 256 || g->ext[d] % c->box[d] != 0) {
      tlOpError(op,
                "tma_box entry %lld (%lld) must be in [1, 256] and "
                "divide the region extent %lld",
                (long long)d, (long long)c->box[d], (long long)g->ext[d]);
      return false;
    }
  }
  int64_t W = c->box[r - 1], C = g->ext[r - 1], N = g->shape[r - 1];
  c->view = W < C;
  if ((W * eb) % 16 != 0 || (c->swizzle && W * eb != c->swizzle) ||
      (c->view && (gDyn || N % W != 0 || r + 1 > 5)) || r > 5) {
    tlOpError(op,
              "tma_box %lld x %lld bytes along the innermost dimension "
              "is not a legal TMA box here",
              (long long)W, (long long)eb);
    return false;
  }
  int64_t off = 0;
  char why[320];
  int64_t align = c->swizzle ? (INT64_C(128) << tlSelSwizzleMode(c->swizzle))
                             : 128;
  if (!tlSideStageOffset(&sh->core, sh->sstride, eb, align, &off, why,
                         sizeof why)) {
    tlOpError(op,
              "inst \"%s\" needs constant indices on the shared side, but "
              "for a stage: %s",
              kind, why);
    return false;
  }
  c->shOff = off * eb;
  return true;
}

/* The tensor-map descriptor (innermost dimension first; a split innermost
   dimension becomes two), the box count and the bytes moved. */
static void describe(TlLower *c, TlSide *g, int64_t bufIdx,
                     const int64_t *gstride, bool gDyn) {
  intptr_t r = g->rank;
  int64_t eb = g->bits / 8;
  int64_t W = c->box[r - 1], C = g->ext[r - 1], N = g->shape[r - 1];
  TlTensorMapDesc *m = &c->desc;
  memset(m, 0, sizeof *m);
  m->kind = "tiled";
  m->buffer = bufIdx;
  m->dataType = tlTensorMapDataType(g->elt);
  intptr_t k = 0;
  if (c->view) {
    m->globalDim[0] = W;
    m->box[0] = W;
    m->globalDim[1] = N / W;
    m->globalStrides[0] = W * eb;
    m->box[1] = C / W;
    k = 2;
  } else {
    m->globalDim[0] = N;
    m->box[0] = W;
    k = 1;
  }
  for (intptr_t d = r - 2; d >= 0; --d, ++k) {
    m->globalDim[k] = g->shape[d];
    m->globalStrides[k - 1] = gstride[d] < 0 ? -1 : gstride[d] * eb;
    m->box[k] = c->box[d];
  }
  m->rank = k;
  if (gDyn) {
    m->dynamic = true;
    m->elementBytes = eb;
    for (intptr_t i = 0; i < k; ++i) {
      m->dimsFrom[i] = r - 1 - i;
      if (mlirShapedTypeIsDynamicDim(g->type, r - 1 - i))
        m->globalDim[i] = -1;
    }
  }
  for (intptr_t i = 0; i < k; ++i)
    m->elementStrides[i] = 1;
  m->swizzle = c->swizzle == 32 ? 1 : c->swizzle == 64 ? 2
               : c->swizzle == 128 ? 3 : 0;
  m->l2Promotion = 2;
  c->nBoxes = 1;
  c->bytes = eb;
  for (intptr_t d = 0; d < r; ++d) {
    c->bytes *= g->ext[d];
    if (d < r - 1)
      c->nBoxes *= g->ext[d] / c->box[d];
  }
}

static bool readTma(TlLower *c, bool load) {
  const char *kind = load ? "tma_load" : "tma_store";
  TlSide *g, *sh;
  if (!tlReadGlobalShared(c, load, kind, &g, &sh))
    return false;
  int64_t bufIdx = mlirOperationIsNull(c->func) ||
                           !tlOpIsNamed(c->func, "gpu.func")
                       ? -1
                       : tlFuncInputIndex(c->func, g->buffer);
  if (bufIdx < 0) {
    tlOpError(c->op,
              "inst \"%s\" needs the global side to be a memref "
              "argument of the enclosing gpu.func",
              kind);
    return false;
  }
  int64_t gstride[MAX_RANK];
  bool gDyn;
  if (!globalStrides(c, g, sh, kind, gstride, &gDyn) ||
      !readBox(c, g, sh, kind, gDyn))
    return false;
  describe(c, g, bufIdx, gstride, gDyn);
  return true;
}

bool tlTmaLoadRead(TlLower *c) { return readTma(c, true); }

bool tlTmaStoreRead(TlLower *c) { return readTma(c, false); }

/* Box b's coordinates, innermost first, into crd (returns how many) and
   its byte offset in the shared buffer into *flat. */
static int boxCoords(TlEmitter *e, MlirOperation y, TlSide *g,
                     const int64_t *bstart, MlirValue *crd, int64_t *flat) {
  TlLower *c = e->c;
  intptr_t r = g->rank;
  MlirType i32 = mlirIntegerTypeGet(e->b.ctx, 32);
  int n = 0;
  if (c->view) {
    crd[n++] = tlI32Const(&e->b, y, 0);
    MlirValue q = tlBinop(&e->b, y, "arith.divsi", g->idx[r - 1],
                          tlCst(&e->b, c->box[r - 1]));
    crd[n++] =
        tlRes0(tlMk(&e->b, y, "arith.index_cast", 1, &q, 1, &i32, 0, NULL));
  } else {
    crd[n++] = tlRes0(tlMk(&e->b, y, "arith.index_cast", 1, &g->idx[r - 1], 1,
                           &i32, 0, NULL));
  }
  int64_t acc = g->ext[r - 1] * (g->bits / 8);
  *flat = 0;
  for (intptr_t d = r - 2; d >= 0; --d) {
    MlirValue v = tlAddV(&e->b, y, g->idx[d], tlCst(&e->b, bstart[d]));
    crd[n++] =
        tlRes0(tlMk(&e->b, y, "arith.index_cast", 1, &v, 1, &i32, 0, NULL));
    *flat += bstart[d] * acc;
    acc *= g->ext[d];
  }
  return n;
}

/* One box global -> shared, completing on the mbarrier. */
static void loadBox(TlEmitter *e, MlirOperation y, MlirValue map,
                    MlirValue addr, const MlirValue *crd, int n,
                    const TlAsync *a, MlirValue pol) {
  MlirValue ops[10];
  int k = 0;
  ops[k++] = tlIndexToPtr(&e->b, y, addr, 7);
  ops[k++] = map;
  for (int i = 0; i < n; ++i)
    ops[k++] = crd[i];
  ops[k++] = a->bar;
  if (!mlirValueIsNull(pol))
    ops[k++] = pol;
  int32_t seg[8] = {1, 1, n, 1, 0, 0, mlirValueIsNull(pol) ? 0 : 1, 0};
  MlirNamedAttribute at[3] = {
      tlNamed(e->b.ctx, "operandSegmentSizes",
              mlirDenseI32ArrayGet(e->b.ctx, 8, seg)),
      tlNamed(e->b.ctx, "mode",
              mlirAttributeParseGet(
                  e->b.ctx,
                  mlirStringRefCreateFromCString("#nvvm.tma_load_mode<tile>"))),
      tlNamed(e->b.ctx, "isCTAOnly", mlirBoolAttrGet(e->b.ctx, 0))};
  tlMk(&e->b, y, "nvvm.cp.async.bulk.tensor.shared.cluster.global", k, ops, 0,
       NULL, 3, at);
}

/* One box shared -> global, in the bulk group. */
static void storeBox(TlEmitter *e, MlirOperation y, MlirValue map,
                     MlirValue addr, const MlirValue *crd, int n,
                     MlirValue pol) {
  MlirValue ops[10];
  int k = 0;
  ops[k++] = map;
  ops[k++] = tlIndexToPtr(&e->b, y, addr, 3);
  for (int i = 0; i < n; ++i)
    ops[k++] = crd[i];
  if (!mlirValueIsNull(pol))
    ops[k++] = pol;
  int32_t seg[5] = {1, 1, n, mlirValueIsNull(pol) ? 0 : 1, 0};
  MlirNamedAttribute at[2] = {
      tlNamed(e->b.ctx, "operandSegmentSizes",
              mlirDenseI32ArrayGet(e->b.ctx, 5, seg)),
      tlNamed(
          e->b.ctx, "mode",
          mlirAttributeParseGet(e->b.ctx, mlirStringRefCreateFromCString(
                                              "#nvvm.tma_store_mode<tile>")))};
  tlMk(&e->b, y, "nvvm.cp.async.bulk.tensor.global.shared.cta", k, ops, 0, NULL,
       2, at);
}

static void issueTma(TlEmitter *e, TlLower *c, TlAsync *a, bool load) {
  TlFuncTma *f = tlFuncTma(e);
  TlSide *g = load ? &c->src : &c->dst, *sh = load ? &c->dst : &c->src;
  MlirValue map = tlGetOrAddTensorMapArg(c->func, &c->desc);
  tlPrefetchMap(e, f, map);
  MlirType index = tlIndexTy(&e->b);
  intptr_t r = g->rank;
  MlirValue shBase =
      tlRes0(tlMk(&e->b, e->b.hoist, "memref.extract_aligned_pointer_as_index",
                  1, &sh->buffer, 1, &index, 0, NULL));
  if (!load)
    tlAsyncProxyFenceAndBarrier(e, e->b.top);
  MlirOperation y = tlOpenElected(e, f, a);
  shBase = tlStageBase(e, y, sh, shBase);
  MlirValue pol = tlL2Policy(e, y);
  if (load)
    tlArmMbarrier(e, a, tlI32Const(&e->b, y, c->bytes));
  int64_t bstart[MAX_RANK] = {0};
  for (int64_t b = 0; b < c->nBoxes; ++b) {
    MlirValue crd[6];
    int64_t flat;
    int n = boxCoords(e, y, g, bstart, crd, &flat);
    MlirValue addr = tlAddV(&e->b, y, shBase, tlCst(&e->b, c->shOff + flat));
    if (load)
      loadBox(e, y, map, addr, crd, n, a, pol);
    else
      storeBox(e, y, map, addr, crd, n, pol);
    for (intptr_t d = r - 2; d >= 0; --d) {
      bstart[d] += c->box[d];
      if (bstart[d] < g->ext[d])
        break;
      bstart[d] = 0;
    }
  }
  if (!load)
    tlCommitBulkGroup(e, a);
}

void tlTmaLoadIssue(TlEmitter *e, TlLower *c, TlAsync *a) {
  issueTma(e, c, a, true);
}

void tlTmaStoreIssue(TlEmitter *e, TlLower *c, TlAsync *a) {
  issueTma(e, c, a, false);
}
