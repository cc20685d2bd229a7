/* inst "tma_load" and "tma_store" (docs/tma.md): a tiled
 * cp.async.bulk.tensor of whole boxes between a global memref argument
 * (through its tensor map, a kernel argument tl-to-nvvm passes on) and a
 * shared buffer, issued by one elected thread.
 *
 * Issue: a load arms the function's mbarrier with the byte count and
 * issues every box; a store first fences the threads' shared writes into
 * the async proxy, then issues every box and commits a bulk group.
 * Complete (copy/Mbarrier.c): a load waits on the mbarrier's parity, a
 * store on its bulk group's reads. */
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "Diag.h"
#include "IRBuild.h"
#include "Inst.h"
#include "Lower.h"
#include "Support.h"
#include "TensorMap.h"

//===--------------------------------------------------------------------===//
// Emission (tl-lower-copy)
//===--------------------------------------------------------------------===//

/* Row-major strides of the global side; dynamic sizes (identity layout)
   leave -1 where a size is only known at run time: the launcher fills them
   (docs/dynamic.md). */
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
  if ((!*gDyn && !tlStaticRowMajor(g->type, gstride)) ||
      !tlStaticRowMajor(sh->type, sh->sstride)) {
    tlOpError(c->op,
              "inst \"%s\" needs static, identity-layout memrefs on "
              "both sides",
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
  for (intptr_t d = 0; d < sh->rank; ++d) {
    int64_t k;
    if (!tlGetConstantIndex(sh->idx[d], &k)) {
      tlOpError(op, "inst \"%s\" needs constant indices on the shared side",
                kind);
      return false;
    }
    off += k * sh->sstride[d];
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
  MlirType i32 = mlirIntegerTypeGet(e->ctx, 32);
  int n = 0;
  if (c->view) {
    crd[n++] = tlI32Const(e, y, 0);
    MlirValue q =
        tlBinop(e, y, "arith.divsi", g->idx[r - 1], tlCst(e, c->box[r - 1]));
    crd[n++] = tlRes0(tlMk(e, y, "arith.index_cast", 1, &q, 1, &i32, 0, NULL));
  } else {
    crd[n++] = tlRes0(
        tlMk(e, y, "arith.index_cast", 1, &g->idx[r - 1], 1, &i32, 0, NULL));
  }
  int64_t acc = g->ext[r - 1] * (g->bits / 8);
  *flat = 0;
  for (intptr_t d = r - 2; d >= 0; --d) {
    MlirValue v = tlAddV(e, y, g->idx[d], tlCst(e, bstart[d]));
    crd[n++] = tlRes0(tlMk(e, y, "arith.index_cast", 1, &v, 1, &i32, 0, NULL));
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
  ops[k++] = tlIndexToPtr(e, y, addr, 7);
  ops[k++] = map;
  for (int i = 0; i < n; ++i)
    ops[k++] = crd[i];
  ops[k++] = a->bar;
  if (!mlirValueIsNull(pol))
    ops[k++] = pol;
  int32_t seg[8] = {1, 1, n, 1, 0, 0, mlirValueIsNull(pol) ? 0 : 1, 0};
  MlirNamedAttribute at[3] = {
      tlNamed(e->ctx, "operandSegmentSizes",
              mlirDenseI32ArrayGet(e->ctx, 8, seg)),
      tlNamed(e->ctx, "mode",
              mlirAttributeParseGet(e->ctx, mlirStringRefCreateFromCString(
                                                "#nvvm.tma_load_mode<tile>"))),
      tlNamed(e->ctx, "isCTAOnly", mlirBoolAttrGet(e->ctx, 0))};
  tlMk(e, y, "nvvm.cp.async.bulk.tensor.shared.cluster.global", k, ops, 0, NULL,
       3, at);
}

/* One box shared -> global, in the bulk group. */
static void storeBox(TlEmitter *e, MlirOperation y, MlirValue map,
                     MlirValue addr, const MlirValue *crd, int n,
                     MlirValue pol) {
  MlirValue ops[10];
  int k = 0;
  ops[k++] = map;
  ops[k++] = tlIndexToPtr(e, y, addr, 3);
  for (int i = 0; i < n; ++i)
    ops[k++] = crd[i];
  if (!mlirValueIsNull(pol))
    ops[k++] = pol;
  int32_t seg[5] = {1, 1, n, mlirValueIsNull(pol) ? 0 : 1, 0};
  MlirNamedAttribute at[2] = {
      tlNamed(e->ctx, "operandSegmentSizes",
              mlirDenseI32ArrayGet(e->ctx, 5, seg)),
      tlNamed(
          e->ctx, "mode",
          mlirAttributeParseGet(e->ctx, mlirStringRefCreateFromCString(
                                            "#nvvm.tma_store_mode<tile>")))};
  tlMk(e, y, "nvvm.cp.async.bulk.tensor.global.shared.cta", k, ops, 0, NULL, 2,
       at);
}

static void issueTma(TlEmitter *e, TlLower *c, TlAsync *a, bool load) {
  TlFuncTma *f = tlFuncTma(e);
  TlSide *g = load ? &c->src : &c->dst, *sh = load ? &c->dst : &c->src;
  MlirValue map = tlGetOrAddTensorMapArg(c->func, &c->desc);
  tlPrefetchMap(e, f, map);
  MlirType index = tlIndexTy(e);
  intptr_t r = g->rank;
  MlirValue shBase =
      tlRes0(tlMk(e, e->hoist, "memref.extract_aligned_pointer_as_index", 1,
                  &sh->buffer, 1, &index, 0, NULL));
  if (!load)
    tlAsyncProxyFenceAndBarrier(e, e->top);
  MlirOperation y = tlOpenElected(e, f, a);
  MlirValue pol = tlL2Policy(e, y);
  if (load)
    tlArmMbarrier(e, a, tlI32Const(e, y, c->bytes));
  int64_t bstart[MAX_RANK] = {0};
  for (int64_t b = 0; b < c->nBoxes; ++b) {
    MlirValue crd[6];
    int64_t flat;
    int n = boxCoords(e, y, g, bstart, crd, &flat);
    MlirValue addr = tlAddV(e, y, shBase, tlCst(e, c->shOff + flat));
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
