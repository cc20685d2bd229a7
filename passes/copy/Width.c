/* The vector width of a copy (elements per access chunk, a power of two)
 * and why it is what it is: the candidate from element size, extents,
 * contiguity, alignment, strides and bounds checks; the user's
 * coalesced_width. docs/layouts.md. */
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
// Powers of two and reductions
//===--------------------------------------------------------------------===//

/* The largest power of two dividing x (capped; 0 is divisible by all). */
int64_t tlSelPow2Div(int64_t x) {
  if (x == 0)
    return TL_SEL_DIVISOR_CAP;
  uint64_t u = (uint64_t)x;
  uint64_t low = u & (~u + 1);
  return low >= (uint64_t)TL_SEL_DIVISOR_CAP ? TL_SEL_DIVISOR_CAP
                                             : (int64_t)low;
}

/* The largest power of two <= x (x >= 1). */
int64_t tlSelPow2Floor(int64_t x) {
  int64_t p = 1;
  while (p <= x / 2)
    p *= 2;
  return p;
}

/* v = min(v, x) (both powers of two: the gcd); remembers the reason of the
   last reduction. */
void tlSelLimitTo(TlSelWidth *w, int64_t x, const char *fmt, ...) {
  if (x < 1)
    x = 1;
  if (x >= w->v)
    return;
  w->v = x;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(w->why, sizeof w->why, fmt, ap);
  va_end(ap);
}

//===--------------------------------------------------------------------===//
// The candidate width
//===--------------------------------------------------------------------===//

static void initWidth(TlSelWidth *w, const TlSelect *it) {
  int64_t bits = it->s[0].storageBits > it->s[1].storageBits ? it->s[0].storageBits : it->s[1].storageBits;
  w->v = bits >= 128 ? 1 : 128 / bits;
  snprintf(w->why, sizeof w->why, "128 bits / %lld-bit elements",
           (long long)bits);
}

/* Everything but fragment layouts and user demands. */
void tlSelCandidateWidth(TlSelect *it) {
  TlSelWidth *w = &it->cand;
  initWidth(w, it);
  if (it->im2col) {
    const TlSelSide *img = &it->s[0], *col = &it->s[1];
    if (mlirShapedTypeIsDynamicSize(img->shape[3]))
      tlSelLimitTo(w, 1, "the image has a dynamic channel count");
    else
      tlSelLimitTo(w, tlSelPow2Div(img->shape[3]), "C = %lld channels",
                   (long long)img->shape[3]);
    tlSelLimitTo(w, tlSelPow2Div(it->base[1]), "BK = %lld",
                 (long long)it->base[1]);
    TlSelSide imgAll = *img;
    for (intptr_t d = 0; d < 4; ++d)
      imgAll.ext[d] = 2; /* the whole image is addressed */
    tlSelLimitByAddress(&imgAll, 3, false, w);
    /* A stage of a multi-buffered tile: its columns are the last
       dimension (the stage index times its stride counts too). */
    tlSelLimitByAddress(col, col->rank - 1, col->region.ptr != NULL, w);
    return;
  }
  if (it->baseRank == 0) {
    tlSelLimitTo(w, 1, "a one-element copy");
    return;
  }
  int64_t inner = it->base[it->baseRank - 1];
  tlSelLimitTo(w, tlSelPow2Div(inner), "the innermost extent %lld",
               (long long)inner);
  for (int i = 0; i < 2; ++i) {
    const TlSelSide *s = &it->s[i];
    if (s->scope == TlScopeFragment || s->inner < 0)
      continue;
    tlSelLimitByAddress(s, s->inner, true, w);
  }
}

/* coalesced_width must divide the width; it becomes the width. */
bool tlSelApplyDemand(TlSelect *it, TlSelWidth *w) {
  if (!it->demand)
    return true;
  if (w->v % it->demand != 0) {
    tlSelError(it->st, it->op,
               "coalesced_width %lld does not divide the inferred "
               "vector width %lld (%s)",
               (long long)it->demand, (long long)w->v, w->why);
    return false;
  }
  w->v = it->demand;
  return true;
}
