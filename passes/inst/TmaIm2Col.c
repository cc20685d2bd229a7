/* TMA im2col, tma_im2col (docs/im2col.md, "The TMA path"): the whole
 * (BM, BK) column tile of a tl.c2d_im2col with one cp.async.bulk.tensor
 * im2col load. The capability check (tl-infer-layouts) and the row's
 * im2col lowering (tl-lower-im2col, copy/Contract.c).
 *
 * Emission: `read` checks the tensor-map descriptor; `issue` takes the
 * function's mbarrier set (copy/Mbarrier.h, design.md §8.1), shared with
 * tl-lower-copy's TMA and bulk loads: found, or made and initialized at
 * the entry of the gpu.func. At the op, when the tile starts inside the
 * column matrix, thread 0 arms the barrier with the tile's bytes and
 * starts the load; `complete` is tma_load's tlWaitMbarrier (every thread
 * waits on the parity, then flips it), placed in the same guard: the split
 * phase of docs/design.md §8. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Dialect/LLVM.h>

#include "Diag.h"
#include "Fold.h"
#include "IRBuild.h"
#include "Im2Col.h"
#include "Im2ColTMA.h"
#include "Inst.h"
#include "Lower.h"
#include "Select.h"
#include "Support.h"
#include "TensorMap.h"
#include "tl-c/Ops.h"

//===--------------------------------------------------------------------===//
// Selection (tl-infer-layouts)
//===--------------------------------------------------------------------===//

bool tlSelTmaIm2ColCheck(TlSelect *s, char *why, size_t cap) {
  TlTensorMapDesc desc;
  return tlIm2ColCanUseTMA(s->op, s->st->opts->chip, &desc, why, cap);
}

/* As for copies, SIMT measured as fast or faster (docs/performance.md):
   TMA im2col with prefer-tma only. */
TlSelVerdict tlSelTmaIm2ColPrefer(TlSelect *s, bool can, char *why,
                                  size_t cap) {
  if (!can)
    return TlSelPass;
  if (s->st->opts->preferTma)
    return TlSelTake;
  snprintf(why, cap,
           "SIMT is the measured default (docs/performance.md); "
           "prefer-tma selects TMA");
  return TlSelPass;
}

//===----------------------------------------------------------------------===//
// Emission (tl-lower-im2col)
//===----------------------------------------------------------------------===//

/* cp.async.bulk.tensor writes 128-byte aligned shared memory. */
#define TMA_DST_ALIGN 128

static MlirValue buildTyped(TlBuild *b, const char *name, intptr_t n,
                            const MlirValue *ops, MlirType type) {
  return tlOp(b, b->at, name, n, ops, type, 0, NULL);
}

static void buildVoid(TlBuild *b, const char *name, intptr_t n,
                      const MlirValue *ops) {
  tlOp(b, b->at, name, n, ops, (MlirType){NULL}, 0, NULL);
}

/* An !llvm.ptr<space> to the first element of `mem` (a workgroup memref)
   plus `byteOffset` (an index; null: none). */
static MlirValue sharedPtr(TlBuild *b, MlirValue mem, MlirValue byteOffset,
                           unsigned space) {
  MlirValue base = buildTyped(b, "memref.extract_aligned_pointer_as_index", 1,
                              &mem, b->index);
  if (!mlirValueIsNull(byteOffset))
    base = tlAddV(b, b->at, base, byteOffset);
  return tlIndexToPtr(b, b->at, base, space);
}

/* OH and OW (docs/im2col.md; the TMA path has a static image). */
static int64_t outRows(const TlIm2Col *x) {
  const TlIm2ColParams *p = &x->p;
  return tlIm2ColOutSize(x->imgDim[1], p->kernel.h, p->stride.h, p->pad.h,
                         p->dilation.h);
}

static int64_t outCols(const TlIm2Col *x) {
  const TlIm2ColParams *p = &x->p;
  return tlIm2ColOutSize(x->imgDim[2], p->kernel.w, p->stride.w, p->pad.w,
                         p->dilation.w);
}

/* The function's mbarrier set: made by tl-lower-copy (or an earlier op)
   already, else made here, initialised by the thread of linear id 0 at
   the entry (copy/Mbarrier.h). */
static void functionBarriers(TlIm2Col *x, MlirOperation func,
                             TlMbarriers *m) {
  if (tlMbarrierFind(func, x->loc, m))
    return;
  int64_t xyz[3];
  tlIm2ColBlock(x, xyz);
  MlirValue is0;
  MlirOperation thenY;
  MlirOperation guard =
      tlEntryElected(func, x->loc, xyz, TlConstsGrouped, &is0, &thenY);
  tlMbarrierMake(func, 1, x->loc, guard, m);
}

/* The load of the tile whose first element is (m0, k0) of the column
   matrix, at b->at: the thread of linear id 0 arms a's barrier with
   a->bytes (mbarrier.arrive.expect_tx) and starts the load through the
   tensor map `map`. */
static void issueLoad(TlBuild *b, TlIm2Col *x, MlirValue map, MlirValue m0,
                      MlirValue k0, TlAsync *a) {
  const TlIm2ColParams *p = &x->p;
  MlirContext ctx = b->ctx;
  MlirType i16 = mlirIntegerTypeGet(ctx, 16), i32 = mlirIntegerTypeGet(ctx, 32);
  int64_t C = x->imgDim[3], OH = outRows(x), OW = outCols(x);
  /* The first pixel: m0 = (n*OH + oh)*OW + ow -> (w, h) = (ow*SW - PW,
     oh*SH - PH) in the bounding box; k0 = (kh*KW + kw)*C + c. */
  MlirValue ow = tlRemV(b, b->at, m0, tlCst(b, OW));
  MlirValue nOh = tlDivV(b, b->at, m0, tlCst(b, OW));
  MlirValue oh = tlRemV(b, b->at, nOh, tlCst(b, OH));
  MlirValue n = tlDivV(b, b->at, nOh, tlCst(b, OH));
  MlirValue w = tlSubV(b, b->at, tlMulV(b, b->at, ow, tlCst(b, p->stride.w)),
                       tlCst(b, p->pad.w));
  MlirValue h = tlSubV(b, b->at, tlMulV(b, b->at, oh, tlCst(b, p->stride.h)),
                       tlCst(b, p->pad.h));
  MlirValue c = tlRemV(b, b->at, k0, tlCst(b, C));
  MlirValue khKw = tlDivV(b, b->at, k0, tlCst(b, C));
  MlirValue kw = tlRemV(b, b->at, khKw, tlCst(b, p->kernel.w));
  MlirValue kh = tlDivV(b, b->at, khKw, tlCst(b, p->kernel.w));
  MlirValue offW = tlMulV(b, b->at, kw, tlCst(b, p->dilation.w));
  MlirValue offH = tlMulV(b, b->at, kh, tlCst(b, p->dilation.h));
  MlirValue byteOff = (MlirValue){NULL};
  if (x->colRegion.ptr) {
    int64_t rowStride =
        mlirShapedTypeGetDimSize(mlirValueGetType(x->colBuf), 1);
    byteOff =
        tlMulV(b, b->at,
               tlAddV(b, b->at,
                      tlMulV(b, b->at, tlRegionOpGetIndex(x->colRegion, 0),
                             tlCst(b, rowStride)),
                      tlRegionOpGetIndex(x->colRegion, 1)),
               tlCst(b, x->eltBits / 8));
  }
  MlirValue dst = sharedPtr(b, x->colBuf, byteOff, 7);
  MlirValue bar = a->bar;

  /* The elected thread arms the barrier and starts the load. */
  int64_t xyz[3];
  tlIm2ColBlock(x, xyz);
  MlirValue tid = tlLinearThreadId(b, b->at, xyz);
  MlirValue leader = tlCmp(b, b->at, TlCmpEq, tid, tlCst(b, 0));
  MlirOperation leadY;
  tlIf(b, b->at, leader, 0, NULL, &leadY, NULL);
  MlirOperation afterLead = b->at;
  b->at = leadY;
  MlirValue txOps[2] = {bar, tlIntConst(b, b->at, i32, a->bytes)};
  buildVoid(b, "nvvm.mbarrier.arrive.expect_tx", 2, txOps);
  MlirValue ops[9] = {dst,
                      map,
                      tlIndexCast(b, b->at, c, i32),
                      tlIndexCast(b, b->at, w, i32),
                      tlIndexCast(b, b->at, h, i32),
                      tlIndexCast(b, b->at, n, i32),
                      bar,
                      tlIndexCast(b, b->at, offW, i16),
                      tlIndexCast(b, b->at, offH, i16)};
  MlirNamedAttribute attrs[2] = {
      tlNamed(ctx, "mode",
              mlirAttributeParseGet(ctx, mlirStringRefCreateFromCString(
                                             "#nvvm.tma_load_mode<im2col>"))),
      tlNamed(
          ctx, "operandSegmentSizes",
          mlirDenseI32ArrayGet(ctx, 8, (int32_t[]){1, 1, 4, 1, 2, 0, 0, 0}))};
  tlOp(b, b->at, "nvvm.cp.async.bulk.tensor.shared.cluster.global", 9, ops,
       (MlirType){NULL}, 2, attrs);
  b->at = afterLead;
}

/* The load is issued only when the tile starts inside the column matrix:
   nhw_step and c_step are the same in every thread of the block
   (documented), so is this. Returns the scf.if's then-terminator and the
   tile's first (row, column) in *m0, *k0. */
static MlirOperation guardTile(TlBuild *b, TlIm2Col *x, MlirValue *m0,
                               MlirValue *k0) {
  const TlIm2ColParams *p = &x->p;
  int64_t N = x->imgDim[0], C = x->imgDim[3];
  int64_t OH = outRows(x), OW = outCols(x);
  *m0 = tlMulV(b, b->at, tlIm2ColOpGetNHWStep(x->op), tlCst(b, x->BM));
  *k0 = tlMulV(b, b->at, tlIm2ColOpGetCStep(x->op), tlCst(b, x->BK));
  MlirValue active = tlAndi(
      b, b->at, tlCmp(b, b->at, TlCmpUlt, *m0, tlCst(b, N * OH * OW)),
      tlCmp(b, b->at, TlCmpUlt, *k0, tlCst(b, p->kernel.h * p->kernel.w * C)));
  MlirOperation actY;
  tlIf(b, b->at, active, 0, NULL, &actY, NULL);
  return actY;
}

bool tlTmaIm2ColRead(TlLower *c) {
  TlIm2Col *x = c->im2col;
  char why[256];
  if (!tlIm2ColCanUseTMA(x->op, NULL, &x->desc, why, sizeof why)) {
    tlOpError(x->op, "inst = \"tma_im2col\" cannot be used: %s", why);
    return false;
  }
  return true;
}

/* The tensor map (a kernel argument the launcher passes), the function's
   mbarrier set, and at the op, under the tile guard, the load; the
   completion (tlWaitMbarrier) goes in the guard too (a->waitAt). */
void tlTmaIm2ColIssue(TlEmitter *e, TlLower *c, TlAsync *a) {
  TlIm2Col *x = c->im2col;
  TlBuild *b = &e->b;
  MlirOperation func = tlEnclosingOp(x->op, "gpu.func");
  MlirValue map = tlGetOrAddTensorMapArg(func, &x->desc);
  TlMbarriers bars;
  functionBarriers(x, func, &bars);
  tlMbarrierUse(&bars, 0, a);
  a->bytes = x->BM * x->BK * (x->eltBits / 8);
  MlirValue m0, k0;
  b->at = guardTile(b, x, &m0, &k0);
  issueLoad(b, x, map, m0, k0, a);
  a->waitAt = b->at;
  b->at = x->op;
  tlIm2ColEnsureColAlignment(b, x, TMA_DST_ALIGN);
}
