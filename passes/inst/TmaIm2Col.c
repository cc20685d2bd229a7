/* TMA im2col, tma_im2col (docs/im2col.md, "The TMA path"): the whole
 * (BM, BK) column tile of a tl.c2d_im2col with one cp.async.bulk.tensor
 * im2col load.
 *
 * TMA im2col (inst = "tma_im2col"; docs/im2col.md, "The TMA path"). The
 * capability check and the emission of one TMA im2col load per tile.
 *
 * Emission: the function's mbarrier set (copy/Mbarrier.h, design.md §8.1),
 * shared with tl-lower-copy's TMA and bulk loads: found, or made and
 * initialized at the entry of the gpu.func. At the op, when the tile starts inside the column matrix, the
 * load is issued (thread 0 arms the barrier with the tile's bytes and
 * starts the cp.async.bulk.tensor im2col load) and completed (every thread
 * waits on the parity, then flips it): tlTmaIm2ColIssue and
 * tlTmaIm2ColComplete, the split phase of docs/design.md §8. */
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

/* Suspend-time hint of each mbarrier.try_wait.parity round (ns). */
#define TRY_WAIT_TICKS 10000000
/* cp.async.bulk.tensor writes 128-byte aligned shared memory. */
#define TMA_DST_ALIGN 128

static MlirValue buildTyped(TlFold *b, const char *name, intptr_t n,
                            const MlirValue *ops, MlirType type) {
  return tlFoldOp(b, name, n, ops, type, 0, NULL);
}

static void buildVoid(TlFold *b, const char *name, intptr_t n,
                      const MlirValue *ops) {
  tlFoldOp(b, name, n, ops, (MlirType){NULL}, 0, NULL);
}

/* An !llvm.ptr<space> to the first element of `mem` (a workgroup memref)
   plus `byteOffset` (an index; null: none). */
static MlirValue sharedPtr(TlFold *b, MlirValue mem, MlirValue byteOffset,
                           unsigned space) {
  MlirValue base = buildTyped(b, "memref.extract_aligned_pointer_as_index", 1,
                              &mem, b->index);
  if (!mlirValueIsNull(byteOffset))
    base = tlFoldAdd(b, base, byteOffset);
  MlirValue i = tlFoldIndexCast(b, base, mlirIntegerTypeGet(b->ctx, 64));
  return buildTyped(b, "llvm.inttoptr", 1, &i,
                    mlirLLVMPointerTypeGet(b->ctx, space));
}

/* OH and OW (docs/im2col.md; the TMA path has a static image). */
static int64_t outRows(const TlIm2Col *x) {
  const TlIm2ColParams *p = &x->p;
  return (x->imgDim[1] + 2 * p->pad.h - p->dilation.h * (p->kernel.h - 1) - 1) /
             p->stride.h +
         1;
}

static int64_t outCols(const TlIm2Col *x) {
  const TlIm2ColParams *p = &x->p;
  return (x->imgDim[2] + 2 * p->pad.w - p->dilation.w * (p->kernel.w - 1) - 1) /
             p->stride.w +
         1;
}

static MlirOperation enclosingFunc(MlirOperation op) {
  MlirOperation func = mlirOperationGetParentOperation(op);
  while (!tlOpIsNamed(func, "gpu.func"))
    func = mlirOperationGetParentOperation(func);
  return func;
}

/* The function's mbarrier set: made by tl-lower-copy (or an earlier op)
   already, else made here, initialised by the thread of linear id 0 at
   the entry (copy/Mbarrier.h). */
static void functionBarriers(TlIm2Col *x, MlirOperation func,
                             TlMbarriers *m) {
  if (tlMbarrierFind(func, x->loc, m))
    return;
  MlirBlock entry = mlirRegionGetFirstBlock(mlirOperationGetRegion(func, 0));
  TlFold e;
  tlFoldInit(&e, mlirBlockGetFirstOperation(entry), x->loc);
  MlirValue tid0 = tlFoldLinearThreadId(&e, x->dimX, x->dimY, x->T);
  MlirValue isFirst = tlFoldCmp(&e, TlCmpEq, tid0, tlFoldCst(&e, 0));
  MlirOperation thenY;
  MlirOperation guard = tlFoldIf(&e, isFirst, 0, NULL, &thenY, NULL);
  tlMbarrierMake(func, 1, x->loc, guard, m);
  tlFoldEraseUnusedConsts(&e);
}

void tlTmaIm2ColIssue(TlFold *b, TlIm2Col *x, MlirValue map, MlirValue m0,
                      MlirValue k0, struct TlAsync *a) {
  const TlIm2ColParams *p = &x->p;
  MlirContext ctx = b->ctx;
  MlirType i16 = mlirIntegerTypeGet(ctx, 16), i32 = mlirIntegerTypeGet(ctx, 32);
  int64_t C = x->imgDim[3], OH = outRows(x), OW = outCols(x);
  /* The first pixel: m0 = (n*OH + oh)*OW + ow -> (w, h) = (ow*SW - PW,
     oh*SH - PH) in the bounding box; k0 = (kh*KW + kw)*C + c. */
  MlirValue ow = tlFoldRemu(b, m0, tlFoldCst(b, OW));
  MlirValue nOh = tlFoldDivu(b, m0, tlFoldCst(b, OW));
  MlirValue oh = tlFoldRemu(b, nOh, tlFoldCst(b, OH));
  MlirValue n = tlFoldDivu(b, nOh, tlFoldCst(b, OH));
  MlirValue w = tlFoldSub(b, tlFoldMul(b, ow, tlFoldCst(b, p->stride.w)),
                          tlFoldCst(b, p->pad.w));
  MlirValue h = tlFoldSub(b, tlFoldMul(b, oh, tlFoldCst(b, p->stride.h)),
                          tlFoldCst(b, p->pad.h));
  MlirValue c = tlFoldRemu(b, k0, tlFoldCst(b, C));
  MlirValue khKw = tlFoldDivu(b, k0, tlFoldCst(b, C));
  MlirValue kw = tlFoldRemu(b, khKw, tlFoldCst(b, p->kernel.w));
  MlirValue kh = tlFoldDivu(b, khKw, tlFoldCst(b, p->kernel.w));
  MlirValue offW = tlFoldMul(b, kw, tlFoldCst(b, p->dilation.w));
  MlirValue offH = tlFoldMul(b, kh, tlFoldCst(b, p->dilation.h));
  MlirValue byteOff = (MlirValue){NULL};
  if (x->colRegion.ptr) {
    int64_t rowStride =
        mlirShapedTypeGetDimSize(mlirValueGetType(x->colBuf), 1);
    byteOff =
        tlFoldMul(b,
                  tlFoldAdd(b,
                            tlFoldMul(b, tlRegionOpGetIndex(x->colRegion, 0),
                                      tlFoldCst(b, rowStride)),
                            tlRegionOpGetIndex(x->colRegion, 1)),
                  tlFoldCst(b, x->eltBits / 8));
  }
  MlirValue dst = sharedPtr(b, x->colBuf, byteOff, 7);
  MlirValue bar = a->bar;

  /* The elected thread arms the barrier and starts the load. */
  MlirValue tid = tlFoldLinearThreadId(b, x->dimX, x->dimY, x->T);
  MlirValue leader = tlFoldCmp(b, TlCmpEq, tid, tlFoldCst(b, 0));
  MlirOperation leadY;
  tlFoldIf(b, leader, 0, NULL, &leadY, NULL);
  MlirOperation afterLead = b->at;
  b->at = leadY;
  MlirValue txOps[2] = {bar, tlFoldIntConst(b, i32, a->bytes)};
  buildVoid(b, "nvvm.mbarrier.arrive.expect_tx", 2, txOps);
  MlirValue ops[9] = {dst,
                      map,
                      tlFoldIndexCast(b, c, i32),
                      tlFoldIndexCast(b, w, i32),
                      tlFoldIndexCast(b, h, i32),
                      tlFoldIndexCast(b, n, i32),
                      bar,
                      tlFoldIndexCast(b, offW, i16),
                      tlFoldIndexCast(b, offH, i16)};
  MlirNamedAttribute attrs[2] = {
      tlNamed(ctx, "mode",
              mlirAttributeParseGet(ctx, mlirStringRefCreateFromCString(
                                             "#nvvm.tma_load_mode<im2col>"))),
      tlNamed(
          ctx, "operandSegmentSizes",
          mlirDenseI32ArrayGet(ctx, 8, (int32_t[]){1, 1, 4, 1, 2, 0, 0, 0}))};
  tlFoldOp(b, "nvvm.cp.async.bulk.tensor.shared.cluster.global", 9, ops,
           (MlirType){NULL}, 2, attrs);
  b->at = afterLead;
}

void tlTmaIm2ColComplete(TlFold *b, struct TlAsync *a) {
  MlirType i32 = mlirIntegerTypeGet(b->ctx, 32);
  MlirValue bar = a->bar;
  MlirValue ph = buildTyped(b, "memref.load", 2,
                            (MlirValue[]){a->phase, tlFoldCst(b, a->slot)},
                            i32);
  MlirValue waitOps[3] = {bar, ph, tlFoldIntConst(b, i32, TRY_WAIT_TICKS)};
  buildVoid(b, "nvvm.mbarrier.try_wait.parity", 3, waitOps);
  MlirValue flip[2] = {ph, tlFoldIntConst(b, i32, 1)};
  tlFoldStore(b, buildTyped(b, "arith.xori", 2, flip, i32), a->phase,
              tlFoldCst(b, a->slot));
}

/* The load is issued only when the tile starts inside the column matrix:
   nhw_step and c_step are the same in every thread of the block
   (documented), so is this. Returns the scf.if's then-terminator and the
   tile's first (row, column) in *m0, *k0. */
static MlirOperation guardTile(TlFold *b, TlIm2Col *x, MlirValue *m0,
                               MlirValue *k0) {
  const TlIm2ColParams *p = &x->p;
  int64_t N = x->imgDim[0], C = x->imgDim[3];
  int64_t OH = outRows(x), OW = outCols(x);
  *m0 = tlFoldMul(b, tlIm2ColOpGetNHWStep(x->op), tlFoldCst(b, x->BM));
  *k0 = tlFoldMul(b, tlIm2ColOpGetCStep(x->op), tlFoldCst(b, x->BK));
  MlirValue active = tlFoldAndi(
      b, tlFoldCmp(b, TlCmpUlt, *m0, tlFoldCst(b, N * OH * OW)),
      tlFoldCmp(b, TlCmpUlt, *k0, tlFoldCst(b, p->kernel.h * p->kernel.w * C)));
  MlirOperation actY;
  tlFoldIf(b, active, 0, NULL, &actY, NULL);
  return actY;
}

bool tlTmaIm2ColEmit(TlIm2Col *x) {
  /* The descriptor, and the kernel argument the launcher passes it in. */
  TlTensorMapDesc desc;
  char why[256];
  if (!tlIm2ColCanUseTMA(x->op, NULL, &desc, why, sizeof why)) {
    tlOpError(x->op, "inst = \"tma_im2col\" cannot be used: %s", why);
    return false;
  }
  MlirOperation func = enclosingFunc(x->op);
  MlirValue map = tlGetOrAddTensorMapArg(func, &desc);

  TlMbarriers bars;
  functionBarriers(x, func, &bars);
  TlAsync a;
  memset(&a, 0, sizeof a);
  a.kind = TlCompleteMbarrier;
  tlMbarrierUse(&bars, 0, &a);
  a.bytes = x->BM * x->BK * (x->eltBits / 8);

  /* At the op: issue immediately followed by complete. */
  TlFold b;
  tlFoldInit(&b, x->op, x->loc);
  MlirValue m0, k0;
  b.at = guardTile(&b, x, &m0, &k0);
  tlTmaIm2ColIssue(&b, x, map, m0, k0, &a);
  tlTmaIm2ColComplete(&b, &a);
  b.at = x->op;
  tlIm2ColEnsureColAlignment(&b, x, TMA_DST_ALIGN);
  tlFoldEraseUnusedConsts(&b);
  return true;
}
