/* tl.mma_accumulator = "m16n8k16" (mma.sync) or "m64nNk16" (wgmma) on a
 * fragment alloca (docs/mma-interop.md): tl-infer-layouts gives the
 * fragment the instruction's accumulator (C / D) layout,
 * so that tl.fragment_write puts each mma result where the epilogue's
 * tl.copy expects it. For a [16 W, C] fragment over W warps (T = 32 W
 * threads, from known_block_size), warp w owns rows 16w .. 16w+15; in each
 * 16 x 8 n-tile j lane l holds rows l/4 and l/4 + 8, columns 2(l%4) and
 * 2(l%4) + 1, as locals 4j .. 4j+3 (the order of m16n8k16's
 * vector<2x2xf32>): thread (r/16)*32 + (r%8)*4 + (c%8)/2, local
 * (c/8)*4 + ((r%16)/8)*2 + c%2. The same map, written by hand, was checked
 * on the GPU (test/GPU/gen_mma.py, gen_gemm.py).
 *
 * wgmma's m64nNk16 D fragment (PTX ISA, "wgmma register fragments") is the
 * same map: warp w of a warpgroup holds rows 16w .. 16w+15, register i
 * of lane l is row l/4 + 8((i%4)/2), column 8(i/4) + 2(l%4) + i%2. With G
 * warpgroups the fragment is [64 G, C] (warpgroup g's rows 64g ..), C a
 * multiple of N (the n-tiles of several wgmmas follow each other in the
 * locals), f32 only (f16 accumulators are packed in pairs). */
#include <stdio.h>
#include <string.h>

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

/* An accepted value of the attribute: mma.sync's shape, or wgmma's with
   its N (a multiple of 8 in [8, 256]) in *n. */
static bool readShape(MlirAttribute a, bool *wgmma, int64_t *n) {
  if (!mlirAttributeIsAString(a))
    return false;
  MlirStringRef v = mlirStringAttrGetValue(a);
  char buf[16];
  if (v.length >= sizeof buf)
    return false;
  memcpy(buf, v.data, v.length);
  buf[v.length] = 0;
  if (strcmp(buf, "m16n8k16") == 0) {
    *wgmma = false;
    return true;
  }
  int len = 0;
  long long nn = 0;
  if (sscanf(buf, "m64n%lldk16%n", &nn, &len) != 1 || len != (int)v.length ||
      nn < 8 || nn > 256 || nn % 8 != 0 || buf[4] == '0')
    return false;
  *wgmma = true;
  *n = nn;
  return true;
}

/* The layout for a [R, C] fragment over T threads; false after an error. */
static bool accumulatorLayout(MlirOperation alloca, bool wgmma, int64_t n,
                              MlirAttribute *out) {
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
  if (wgmma) {
    if (!mlirTypeIsAF32(e)) {
      tlOpError(alloca, ATTR " = \"m64n%lldk16\" (wgmma) accumulates in f32 "
                        "here, but the fragment holds another type",
                (long long)n);
      return false;
    }
    if (T % 128 != 0) {
      tlOpError(alloca,
                ATTR " = \"m64n%lldk16\" needs whole warpgroups, but the "
                     "block has %lld threads, not a multiple of 128",
                (long long)n, (long long)T);
      return false;
    }
    if (R != 64 * (T / 128) || C % n != 0) {
      tlOpError(alloca,
                ATTR " = \"m64n%lldk16\" needs 64 rows per warpgroup and "
                     "whole n-tiles: a [%lld, C] fragment with C a multiple "
                     "of %lld for %lld threads, got [%lld, %lld]",
                (long long)n, (long long)(64 * (T / 128)), (long long)n,
                (long long)T, (long long)R, (long long)C);
      return false;
    }
  } else if (!mlirTypeIsAF32(e) && !mlirTypeIsAF16(e)) {
    tlOpError(alloca, ATTR " = \"m16n8k16\" accumulates in f32 or f16, but "
                      "the fragment holds another type");
    return false;
  }
  if (!wgmma && (T % 32 != 0 || R != 16 * (T / 32) || C % 8 != 0)) {
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
  bool wgmma = false;
  int64_t n = 0;
  if (!readShape(want, &wgmma, &n)) {
    tlOpError(op, ATTR " must be \"m16n8k16\" (mma.sync's accumulator) or "
                  "\"m64nNk16\" with N a multiple of 8 in [8, 256] "
                  "(wgmma's)");
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
  if (!accumulatorLayout(op, wgmma, n, &layout)) {
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
