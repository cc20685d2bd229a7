/* ldmatrix / stmatrix (docs/mma-copies.md): shared <-> fragment copies of
 * 16-bit elements in the 8x8 mma fragment layout, four 8x8 matrices per
 * warp instruction.
 *
 * inst "ldmatrix" (shared -> fragment) and "stmatrix" (fragment ->
 * shared), docs/mma-copies.md: each warp moves 8x8 matrices of 16-bit
 * elements between shared memory and the mma fragment layout, four (or two,
 * or one) per instruction; lanes 8j..8j+7 address the rows of matrix j. */
#include <stdio.h>
#include <stdlib.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Dialect/LLVM.h>

#include "AffineEval.h"
#include "Diag.h"
#include "IRBuild.h"
#include "Inst.h"
#include "Lower.h"
#include "Select.h"

//===--------------------------------------------------------------------===//
// Selection (tl-infer-layouts)
//===--------------------------------------------------------------------===//

/* The 8x8 mma fragment layout of an [R, C] tile over T threads: warp w
   owns rows [w*R/W, (w+1)*R/W); its 8x8 matrices are numbered q
   column-major (q = (c/8) * (R/W/8) + (r mod R/W)/8) and lane l holds row
   l/4, columns 2*(l%4), 2*(l%4)+1 of matrix q at locals 2q, 2q+1 (trans:
   column l/4, rows 2*(l%4), 2*(l%4)+1). */
MlirAffineMap tlSelMmaMap(MlirContext ctx, int64_t R, int64_t C, int64_t T,
                          bool trans) {
  int64_t Rw = R / (T / 32);
  char buf[512];
  snprintf(buf, sizeof buf,
           "affine_map<(d0, d1) -> ((d0 floordiv %lld) * 32 + (%s mod 8) * 4 "
           "+ (%s mod 8) floordiv 2, ((d1 floordiv 8) * %lld + (d0 mod %lld) "
           "floordiv 8) * 2 + %s mod 2)>",
           (long long)Rw, trans ? "d1" : "d0", trans ? "d0" : "d1",
           (long long)(Rw / 8), (long long)Rw, trans ? "d0" : "d1");
  (void)C;
  return mlirAffineMapAttrGetValue(
      mlirAttributeParseGet(ctx, mlirStringRefCreateFromCString(buf)));
}

/* Whether a shared <-> fragment copy can be ldmatrix / stmatrix with the
   mma fragment layout (the layout itself is checked by the caller). */
static bool selMmaCapable(TlSelect *it, const TlSelFrag *r, char *why,
                          size_t cap) {
  bool load;
  if (it->s[0].scope == TlScopeShared && it->s[1].scope == TlScopeFragment)
    load = true;
  else if (it->s[0].scope == TlScopeFragment && it->s[1].scope == TlScopeShared)
    load = false;
  else
    TL_SEL_NO("not a shared<->fragment copy");
  const TlSelSide *sh = &it->s[load ? 0 : 1];
  TlTarget t = tlSelTarget(it);
  if (load && t.sm < 75)
    TL_SEL_NO("chip %s has no ldmatrix (sm_75+)", t.chip);
  if (!load && t.sm < 90)
    TL_SEL_NO("chip %s has no stmatrix (sm_90+)", t.chip);
  if (t.ptx && t.ptx < (load ? 65 : 78))
    TL_SEL_NO("%s needs PTX ISA %s, but the target's features say +ptx%d",
              load ? "ldmatrix" : "stmatrix", load ? "6.5" : "7.8", t.ptx);
  if (!mlirTypeEqual(it->s[0].elt, it->s[1].elt) || it->s[0].storageBits != 16)
    TL_SEL_NO("ldmatrix/stmatrix move 16-bit elements of one type");
  if (!mlirAttributeIsNull(it->loop))
    TL_SEL_NO("a loop_layout is given (SIMT only)");
  if (r->coreRank != 2)
    TL_SEL_NO("the fragment's non-unit shape has rank %lld, not 2",
              (long long)r->coreRank);
  if (it->T % 32 != 0)
    TL_SEL_NO("%lld threads is not a whole number of warps", (long long)it->T);
  int64_t W = it->T / 32, R = r->core[0], C = r->core[1];
  if (R % (8 * W) != 0 || C % 8 != 0)
    TL_SEL_NO("the tile [%lld, %lld] is not a multiple of the warp tiling "
              "[%lld, 8] (%lld warps along the rows, 8x8 matrices)",
              (long long)R, (long long)C, (long long)(8 * W), (long long)W);
  int nonUnit = 0;
  for (intptr_t d = 0; d < sh->rank; ++d) {
    if (sh->ext[d] != 1)
      ++nonUnit;
    if (sh->check[d])
      TL_SEL_NO("the shared region is bounds-checked");
  }
  if (nonUnit != 2)
    TL_SEL_NO("the shared region has %d non-unit dimensions, not 2", nonUnit);
  TlSelWidth w = {8, ""};
  tlSelLimitByAddress(sh, sh->inner, true, &w);
  if (w.v < 8)
    TL_SEL_NO("the shared rows are not 16-byte aligned: %.200s", w.why);
  return true;
}

TlInst tlSelMmaInst(const TlSelect *it) {
  return it->s[0].scope == TlScopeShared ? TlInstLdmatrix : TlInstStmatrix;
}

/* Once the group's layout is decided, it must be the mma layout or its
   transpose (which s->mmaTrans records). */
bool tlSelMmaCheck(TlSelect *s, char *why, size_t cap) {
  if (s->group < 0)
    TL_SEL_NO("not a shared<->fragment copy");
  const TlSelFrag *r = &s->st->frags.f[s->group];
  if (!selMmaCapable(s, r, why, cap))
    return false;
  if (!r->hasRef)
    return true;
  MlirContext ctx = mlirOperationGetContext(s->op);
  int64_t where[TL_SEL_MAX_RANK];
  bool unknown = false;
  bool plain =
      !tlSelMapsDiffer(r->ref,
                       tlSelMmaMap(ctx, r->core[0], r->core[1], r->T, false),
                       r->core, r->coreRank, where, &unknown) &&
      !unknown;
  bool trans = !plain &&
               !tlSelMapsDiffer(
                   r->ref, tlSelMmaMap(ctx, r->core[0], r->core[1], r->T, true),
                   r->core, r->coreRank, where, &unknown) &&
               !unknown;
  if (!plain && !trans)
    TL_SEL_NO("the fragment's layout is not the 8x8 mma fragment layout or "
              "its transpose");
  s->mmaTrans = trans;
  return true;
}

/* ldmatrix / stmatrix whenever possible, unless use_ldmatrix = false;
   use_ldmatrix = true demands it. */
TlSelVerdict tlSelMmaPrefer(TlSelect *s, bool can, char *why, size_t cap) {
  if (s->useLdmatrix == 0) {
    snprintf(why, cap, "use_ldmatrix = false");
    can = false;
  }
  if (s->useLdmatrix == 1 && !can) {
    tlSelError(s->st, s->op, "use_ldmatrix = true, but %s cannot be used: %s",
               tlInstName(tlSelMmaInst(s)), why);
    return TlSelFail;
  }
  return can ? TlSelTake : TlSelPass;
}

/* Two elements per chunk; .trans for the transposed layout. */
void tlSelMmaChoose(TlSelect *s) {
  s->w.v = 2;
  if (s->mmaTrans)
    tlSetAttr(s->op, TL_ATTR_MMA_TRANS,
                 mlirBoolAttrGet(mlirOperationGetContext(s->op), 1));
}

//===--------------------------------------------------------------------===//
// Emission (tl-lower-copy)
//===--------------------------------------------------------------------===//

/* inst = "ldmatrix" (shared -> fragment) / "stmatrix" (fragment ->
   shared): the fragment's layout must be the 8x8 mma fragment layout of
   docs/mma-copies.md (mma_trans: its transpose) over the [R, C] base. */
static bool checkMma(TlLower *c, bool load) {
  const char *name = load ? "ldmatrix" : "stmatrix";
  TlSide *fr = load ? &c->dst : &c->src, *sh = load ? &c->src : &c->dst;
  if (!fr->frag || sh->scope != TlScopeShared) {
    tlOpError(c->op, "inst \"%s\" copies %s, but this copy is %s->%s", name,
              load ? "shared to fragment" : "fragment to shared",
              tlScopeGetName(c->src.scope), tlScopeGetName(c->dst.scope));
    return false;
  }
  if (!mlirTypeEqual(c->src.elt, c->dst.elt) || c->src.bits != 16 ||
      c->B != 2 || c->T % 32 != 0) {
    tlOpError(c->op,
              "inst \"%s\" needs one 16-bit element type, a rank-2 "
              "base and whole warps",
              name);
    return false;
  }
  MlirAttribute tr = tlGetAttr(c->op, TL_ATTR_MMA_TRANS);
  c->trans = !mlirAttributeIsNull(tr) && mlirAttributeIsABool(tr) &&
             mlirBoolAttrGetValue(tr);
  int64_t W = c->T / 32, R = c->baseShape[0], C = c->baseShape[1];
  if (R % (8 * W) != 0 || C % 8 != 0) {
    tlOpError(c->op,
              "inst \"%s\" needs a base [%lld, %lld] that is a "
              "multiple of [%lld, 8]",
              name, (long long)R, (long long)C, (long long)(8 * W));
    return false;
  }
  int64_t Rw = R / W;
  int64_t x[2], y[MAX_RANK], res[2];
  for (x[0] = 0; x[0] < R; ++x[0])
    for (x[1] = 0; x[1] < C; ++x[1]) {
      int64_t r = x[0], col = x[1];
      int64_t a = c->trans ? col : r, b = c->trans ? r : col;
      int64_t q = (col / 8) * (Rw / 8) + (r % Rw) / 8;
      int64_t th = (r / Rw) * 32 + (a % 8) * 4 + (b % 8) / 2;
      int64_t lo = q * 2 + b % 2;
      tlFragCoord(fr, x, y);
      if (!tlAffineMapEval(fr->frag->map, y, fr->rank, res) ||
          res[0] != th || res[1] != lo) {
        char *ys = tlCoordText(y, fr->rank);
        tlOpError(c->op,
                  "inst \"%s\" needs the fragment's tl.layout to be "
                  "the 8x8 mma fragment layout%s: element %s should be "
                  "local %lld of thread %lld",
                  name, c->trans ? " (transposed)" : "", ys, (long long)lo,
                  (long long)th);
        free(ys);
        return false;
      }
    }
  sh->addr = true;
  sh->evict = false;
  return true;
}

bool tlLdmatrixRead(TlLower *c) {
  return tlReadThreadMapped(c) && checkMma(c, true);
}

bool tlStmatrixRead(TlLower *c) {
  return tlReadThreadMapped(c) && checkMma(c, false);
}

static void emitMma(TlEmitter *e, TlLower *c, bool load) {
  TlSide *fr = load ? &c->dst : &c->src, *sh = load ? &c->src : &c->dst;
  e->tid = tlThreadId(e);
  tlPrepareSide(e, sh);
  int64_t W = c->T / 32, Rw = c->baseShape[0] / W, C = c->baseShape[1];
  int64_t mr = Rw / 8, nMat = mr * (C / 8);
  MlirOperation at = e->b.top;
  MlirValue lane = tlRemK(&e->b, e->b.hoist, e->tid, 32);
  MlirValue rowBase =
      tlAddV(&e->b, e->b.hoist,
             tlMulV(&e->b, e->b.hoist, tlDivK(&e->b, e->b.hoist, e->tid, 32),
                    tlCst(&e->b, Rw)),
             tlRemK(&e->b, e->b.hoist, lane, 8));
  MlirValue mat = tlDivK(&e->b, e->b.hoist, lane, 8);
  MlirType i32 = mlirIntegerTypeGet(e->b.ctx, 32);
  MlirType pair = mlirVectorTypeGet(1, (int64_t[]){2}, fr->elt);
  MlirAttribute layout = mlirAttributeParseGet(
      e->b.ctx,
      mlirStringRefCreateFromCString(c->trans ? "#nvvm.mma_layout<col>"
                                              : "#nvvm.mma_layout<row>"));
  MlirAttribute eltT = mlirAttributeParseGet(
      e->b.ctx,
      mlirStringRefCreateFromCString("#nvvm.ld_st_matrix_elt_type<b16>"));
  MlirAttribute shape = mlirAttributeParseGet(
      e->b.ctx,
      mlirStringRefCreateFromCString("#nvvm.ld_st_matrix_shape<m = 8, n = 8>"));
  for (int64_t q0 = 0; q0 < nMat;) {
    int64_t n = nMat - q0 >= 4 ? 4 : nMat - q0 >= 2 ? 2 : 1;
    /* Lanes 8j..8j+7 address the rows of matrix q0 + j. */
    MlirValue j = n == 1 ? tlCst(&e->b, 0) : tlRemK(&e->b, at, mat, n);
    MlirValue m = tlAddV(&e->b, at, j, tlCst(&e->b, q0));
    MlirValue row =
        tlAddV(&e->b, at, rowBase,
               tlMulV(&e->b, at, tlRemK(&e->b, at, m, mr), tlCst(&e->b, 8)));
    MlirValue col =
        tlMulV(&e->b, at, tlDivK(&e->b, at, m, mr), tlCst(&e->b, 8));
    MlirValue x[2] = {row, col}, idx[MAX_RANK];
    tlSideIndices(e, at, sh, x, (MlirValue){NULL}, 0, idx);
    MlirValue addr = tlPointerTo(e, at, sh, idx, 3, (MlirValue){NULL});
    MlirValue regs[4];
    if (load) {
      MlirType rt = i32;
      if (n > 1) {
        MlirType f[4] = {i32, i32, i32, i32};
        rt = mlirLLVMStructTypeLiteralGet(e->b.ctx, n, f, false);
      }
      MlirNamedAttribute at4[4] = {
          tlNamed(e->b.ctx, "num", mlirIntegerAttrGet(i32, n)),
          tlNamed(e->b.ctx, "layout", layout),
          tlNamed(e->b.ctx, "eltType", eltT),
          tlNamed(e->b.ctx, "shape", shape)};
      MlirValue r =
          tlRes0(tlMk(&e->b, at, "nvvm.ldmatrix", 1, &addr, 1, &rt, 4, at4));
      for (int64_t k = 0; k < n; ++k) {
        if (n == 1) {
          regs[k] = r;
        } else {
          MlirNamedAttribute pos = tlNamed(
              e->b.ctx, "position", mlirDenseI64ArrayGet(e->b.ctx, 1, &k));
          regs[k] = tlRes0(
              tlMk(&e->b, at, "llvm.extractvalue", 1, &r, 1, &i32, 1, &pos));
        }
        MlirValue v = tlRes0(
            tlMk(&e->b, at, "llvm.bitcast", 1, &regs[k], 1, &pair, 0, NULL));
        MlirValue ops[3] = {v, fr->frag->repl, tlCst(&e->b, 2 * (q0 + k))};
        MlirNamedAttribute al =
            tlNamed(e->b.ctx, "alignment", tlI64Attr(&e->b, 4));
        tlMk(&e->b, at, "vector.store", 3, ops, 0, NULL, 1, &al);
      }
    } else {
      MlirValue ops[5];
      ops[0] = addr;
      for (int64_t k = 0; k < n; ++k) {
        MlirValue lo[2] = {fr->frag->repl, tlCst(&e->b, 2 * (q0 + k))};
        MlirNamedAttribute al =
            tlNamed(e->b.ctx, "alignment", tlI64Attr(&e->b, 4));
        MlirValue v =
            tlRes0(tlMk(&e->b, at, "vector.load", 2, lo, 1, &pair, 1, &al));
        ops[1 + k] =
            tlRes0(tlMk(&e->b, at, "llvm.bitcast", 1, &v, 1, &i32, 0, NULL));
      }
      MlirNamedAttribute at3[3] = {tlNamed(e->b.ctx, "layout", layout),
                                   tlNamed(e->b.ctx, "eltType", eltT),
                                   tlNamed(e->b.ctx, "shape", shape)};
      tlMk(&e->b, at, "nvvm.stmatrix", 1 + n, ops, 0, NULL, 3, at3);
    }
    q0 += n;
  }
}

void tlLdmatrixEmit(TlEmitter *e, TlLower *c) { emitMma(e, c, true); }

void tlStmatrixEmit(TlEmitter *e, TlLower *c) { emitMma(e, c, false); }
