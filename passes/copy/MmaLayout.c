/* tl.mma_accumulator = "m16n8k16" on a fragment alloca (docs/mma-interop.md):
 * tl-infer-layouts gives the fragment mma.sync's accumulator (C) layout,
 * so that tl.fragment_write puts each mma result where the epilogue's
 * tl.copy expects it. For a [16 W, C] fragment over W warps (T = 32 W
 * threads, from known_block_size), warp w owns rows 16w .. 16w+15; in each
 * 16 x 8 n-tile j lane l holds rows l/4 and l/4 + 8, columns 2(l%4) and
 * 2(l%4) + 1, as locals 4j .. 4j+3 (the order of m16n8k16's
 * vector<2x2xf32>): thread (r/16)*32 + (r%8)*4 + (c%8)/2, local
 * (c/8)*4 + ((r%16)/8)*2 + c%2. The same map, written by hand, was checked
 * on the GPU (test/GPU/gen_mma.py, gen_gemm.py). */
#include <mlir-c/AffineExpr.h>
#include <mlir-c/AffineMap.h>
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "Diag.h"
#include "IRBuild.h"
#include "Lower.h"
#include "Select.h"
#include "Support.h"
#include "tl-c/Attributes.h"

#define ATTR "tl.mma_accumulator"

static MlirAffineExpr cst(MlirContext ctx, int64_t v) {
  return mlirAffineConstantExprGet(ctx, v);
}

/* The layout for a [R, C] fragment over T threads; false after an error. */
static bool accumulatorLayout(MlirOperation alloca, MlirAttribute *out) {
  MlirContext ctx = mlirOperationGetContext(alloca);
  MlirType t = mlirValueGetType(mlirOperationGetResult(alloca, 0));
  int64_t xyz[3];
  if (!tlBlockSize(alloca, xyz)) {
    tlOpError(alloca, ATTR " needs the thread count: known_block_size on "
                      "the enclosing gpu.func");
    return false;
  }
  int64_t T = xyz[0] * xyz[1] * xyz[2];
  if (mlirShapedTypeGetRank(t) != 2 || !mlirShapedTypeHasStaticShape(t)) {
    tlOpError(alloca, ATTR " needs a static rank-2 fragment [rows, columns]");
    return false;
  }
  int64_t R = mlirShapedTypeGetDimSize(t, 0), C = mlirShapedTypeGetDimSize(t, 1);
  MlirType e = mlirShapedTypeGetElementType(t);
  if (!mlirTypeIsAF32(e) && !mlirTypeIsAF16(e)) {
    tlOpError(alloca, ATTR " = \"m16n8k16\" accumulates in f32 or f16, but "
                      "the fragment holds another type");
    return false;
  }
  if (T % 32 != 0 || R != 16 * (T / 32) || C % 8 != 0) {
    tlOpError(alloca,
              ATTR " = \"m16n8k16\" needs 16 rows per warp and whole 8-column "
                   "n-tiles: a [%lld, C] fragment with C a multiple of 8 for "
                   "%lld threads, got [%lld, %lld]",
              (long long)(16 * (T / 32)), (long long)T, (long long)R,
              (long long)C);
    return false;
  }
  MlirAffineExpr r = mlirAffineDimExprGet(ctx, 0), c = mlirAffineDimExprGet(ctx, 1);
  MlirAffineExpr thread = mlirAffineAddExprGet(
      mlirAffineAddExprGet(
          mlirAffineMulExprGet(mlirAffineFloorDivExprGet(r, cst(ctx, 16)),
                               cst(ctx, 32)),
          mlirAffineMulExprGet(mlirAffineModExprGet(r, cst(ctx, 8)),
                               cst(ctx, 4))),
      mlirAffineFloorDivExprGet(mlirAffineModExprGet(c, cst(ctx, 8)),
                                cst(ctx, 2)));
  MlirAffineExpr local = mlirAffineAddExprGet(
      mlirAffineAddExprGet(
          mlirAffineMulExprGet(mlirAffineFloorDivExprGet(c, cst(ctx, 8)),
                               cst(ctx, 4)),
          mlirAffineMulExprGet(
              mlirAffineFloorDivExprGet(mlirAffineModExprGet(r, cst(ctx, 16)),
                                        cst(ctx, 8)),
              cst(ctx, 2))),
      mlirAffineModExprGet(c, cst(ctx, 2)));
  MlirAffineExpr res[2] = {thread, local};
  *out = tlFragmentLayoutAttrGet(mlirAffineMapGet(ctx, 2, 0, 2, res), T, 1);
  return !mlirAttributeIsNull(*out);
}

static MlirWalkResult visit(MlirOperation op, void *ud) {
  bool *ok = ud;
  if (!tlOpIsNamed(op, "memref.alloca"))
    return MlirWalkResultAdvance;
  MlirAttribute want = tlGetAttr(op, ATTR);
  if (mlirAttributeIsNull(want))
    return MlirWalkResultAdvance;
  if (!mlirAttributeIsAString(want) ||
      !tlAttrPrintsAs(want, "\"m16n8k16\"")) {
    tlOpError(op, ATTR " must be \"m16n8k16\" (mma.sync's accumulator)");
    *ok = false;
    return MlirWalkResultAdvance;
  }
  if (tlMemRefTypeGetScope(mlirValueGetType(mlirOperationGetResult(op, 0))) !=
      TlScopeFragment) {
    tlOpError(op, ATTR " is for a fragment (a memref.alloca in #tl.fragment "
                  "memory)");
    *ok = false;
    return MlirWalkResultAdvance;
  }
  MlirAttribute layout;
  if (!accumulatorLayout(op, &layout)) {
    *ok = false;
    return MlirWalkResultAdvance;
  }
  MlirAttribute user = tlGetAttr(op, TL_ATTR_LAYOUT);
  if (!mlirAttributeIsNull(user) && !mlirAttributeEqual(user, layout)) {
    tlOpError(op, ATTR " and a different tl.layout are both set");
    *ok = false;
    return MlirWalkResultAdvance;
  }
  tlSetAttr(op, TL_ATTR_LAYOUT, layout);
  return MlirWalkResultAdvance;
}

bool tlSelMmaAccumulatorLayouts(MlirOperation root) {
  bool ok = true;
  mlirOperationWalk(root, visit, &ok, MlirWalkPreOrder);
  return ok;
}
