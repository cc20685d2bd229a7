/* TMA im2col, tma_im2col (docs/im2col.md, "The TMA path"): the whole
 * (BM, BK) column tile of a tl.c2d_im2col with one cp.async.bulk.tensor
 * im2col load. */
#include <stdio.h>

#include "Im2ColTMA.h"
#include "Select.h"

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
