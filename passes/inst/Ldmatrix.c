/* ldmatrix / stmatrix (docs/mma-copies.md): shared <-> fragment copies of
 * 16-bit elements in the 8x8 mma fragment layout, four 8x8 matrices per
 * warp instruction. */
#include <stdio.h>
#include <stdlib.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

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
  if (!mlirTypeEqual(it->s[0].elt, it->s[1].elt) || it->s[0].bits != 16)
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
    tlSelSetAttr(s->op, TL_ATTR_MMA_TRANS,
                 mlirBoolAttrGet(mlirOperationGetContext(s->op), 1));
}
