/* SIMT copies (docs/layouts.md): per-thread vector loads and stores, and
 * their fragment -> fragment form, direct register moves.
 *
 * inst "simt" and "direct": per-thread loads and stores.
 *
 * simt: each thread moves its chunks of the thread map (vector_width
 * elements each), global/shared/fragment on either side, with bounds
 * checks, element casts and eviction qualifiers (docs/lower-copy.md).
 * direct: fragment -> fragment with one layout, so each thread copies its
 * own locals in place. */
#include <stdlib.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "AffineEval.h"
#include "Diag.h"
#include "IRBuild.h"
#include "Inst.h"
#include "Lower.h"
#include "Select.h"
#include "tl-c/Attributes.h"

//===--------------------------------------------------------------------===//
// Selection (tl-infer-layouts)
//===--------------------------------------------------------------------===//

/* simt and direct have no check: they are always possible, the last
   candidates. Every per-thread instruction (simt, direct, cp_async,
   ldmatrix / stmatrix, tma_im2col) records its vector width and thread
   map: the user's loop_layout unchanged, the fragment group's layout, or
   the default map for the width. */
void tlSelRecordThreadMap(TlSelect *it, MlirAffineMap map) {
  MlirContext ctx = mlirOperationGetContext(it->op);
  int64_t v = it->w.v;
  if (!mlirAttributeIsNull(it->loop)) {
    it->map = it->loop; /* recorded unchanged */
  } else {
    if (mlirAffineMapIsNull(map)) {
      map = tlMapDefault(ctx, it->base, it->baseRank, v, it->T);
      it->locals =
          tlMapDefaultLocals(tlSelProduct(it->base, it->baseRank), v, it->T);
    }
    it->map = tlFragmentLayoutAttrGet(map, it->T, 1);
  }
  tlSetAttr(it->op, TL_ATTR_INST,
               mlirStringAttrGet(
                   ctx, mlirStringRefCreateFromCString(tlInstName(it->inst))));
  tlSetAttr(it->op, TL_ATTR_VECTOR_WIDTH,
               mlirIntegerAttrGet(mlirIntegerTypeGet(ctx, 64), v));
  tlSetAttr(it->op, TL_ATTR_THREAD_MAP, it->map);
}

//===--------------------------------------------------------------------===//
// Emission (tl-lower-copy)
//===--------------------------------------------------------------------===//

bool tlSimtRead(TlLower *c) {
  return tlReadThreadMapped(c) && tlPlanChunks(c);
}

/* One chunk: read (predicated), cast, write (predicated). */
static void simtChunk(TlEmitter *e, MlirOperation at, const MlirValue *si,
                      const MlirValue *di) {
  TlLower *c = e->c;
  MlirValue val = tlReadChunk(e, at, &c->src, si, c->v);
  val = tlCastTo(e, at, val, tlDataType(c->dst.elt, c->v));
  if (mlirValueIsNull(val))
    return;
  tlWriteChunk(e, at, &c->dst, di, val, c->v);
}

void tlSimtEmit(TlEmitter *e, TlLower *c) {
  (void)c;
  tlEmitChunks(e, simtChunk);
}

/* "direct": both fragments' layouts agree on every base coordinate (their
   ranks may differ by unit dimensions), so local l goes to local l. */
static bool checkDirect(TlLower *c) {
  bool overflow = false;
  int64_t n = tlProduct(c->baseShape, c->B, &overflow);
  int64_t x[MAX_RANK] = {0}, ys[MAX_RANK], yd[MAX_RANK];
  int64_t rs[2] = {-1, -1}, rd[2] = {-1, -1};
  for (int64_t i = 0; !overflow && i < n;
       ++i, tlMapNextCoord(x, c->baseShape, c->B)) {
    tlFragCoord(&c->src, x, ys);
    tlFragCoord(&c->dst, x, yd);
    if (!tlAffineMapEval(c->src.frag->map, ys, c->src.rank, rs) ||
        !tlAffineMapEval(c->dst.frag->map, yd, c->dst.rank, rd) ||
        rs[0] != rd[0] || rs[1] != rd[1]) {
      char *cs = tlCoordText(x, c->B);
      tlOpError(c->op,
                "inst \"direct\" needs both fragments to have the same "
                "layout, but base element %s is (thread %lld, local "
                "%lld) in the source and (thread %lld, local %lld) in "
                "the destination",
                cs, (long long)rs[0], (long long)rs[1], (long long)rd[0],
                (long long)rd[1]);
      free(cs);
      return false;
    }
  }
  if (overflow || c->src.frag->length != c->dst.frag->length) {
    tlOpError(c->op, "inst \"direct\" needs both fragments to have the same "
                     "layout");
    return false;
  }
  return true;
}

bool tlDirectRead(TlLower *c) {
  if (!tlReadVectorWidth(c))
    return false;
  if (!c->src.frag || !c->dst.frag) {
    tlOpError(c->op,
              "inst \"direct\" copies a fragment to a fragment, but "
              "the %s is %s",
              c->src.frag ? "destination" : "source",
              tlScopeGetName(c->src.frag ? c->dst.scope : c->src.scope));
    return false;
  }
  return checkDirect(c);
}

/* Fragment to fragment with one layout: each thread copies its locals. */
void tlDirectEmit(TlEmitter *e, TlLower *c) {
  int64_t L = c->src.frag->length;
  int maxBits = c->src.bits > c->dst.bits ? c->src.bits : c->dst.bits;
  int64_t w = 1;
  if (!mlirAttributeIsNull(tlGetAttr(c->op, TL_ATTR_VECTOR_WIDTH)) &&
      L % c->v == 0) {
    w = c->v;
  } else if (maxBits % 8 == 0) {
    while (L % (2 * w) == 0 && 2 * w * (maxBits / 8) <= MAX_ACCESS_BYTES)
      w *= 2;
  }
  int64_t chunks = L / w;
  MlirType dt = tlDataType(c->dst.elt, w);
  if (chunks > MAX_UNROLL) {
    MlirValue iv;
    MlirOperation yield;
    tlBuildForBefore(e->b.top, e->b.loc, tlCst(&e->b, 0), tlCst(&e->b, chunks),
                     tlCst(&e->b, 1), &iv, &yield);
    c->src.curFl = c->dst.curFl = (TlAff){0, w};
    MlirValue i = tlMulV(&e->b, yield, iv, tlCst(&e->b, w));
    MlirValue v = tlReadChunk(e, yield, &c->src, &i, w);
    v = tlCastTo(e, yield, v, dt);
    if (!mlirValueIsNull(v))
      tlWriteChunk(e, yield, &c->dst, &i, v, w);
    return;
  }
  for (int64_t ch = 0; ch < chunks && !e->failed; ++ch) {
    c->src.curFl = c->dst.curFl = (TlAff){ch * w, 0};
    MlirValue i = tlCst(&e->b, ch * w);
    MlirValue v = tlReadChunk(e, e->b.top, &c->src, &i, w);
    v = tlCastTo(e, e->b.top, v, dt);
    if (!mlirValueIsNull(v))
      tlWriteChunk(e, e->b.top, &c->dst, &i, v, w);
  }
}
