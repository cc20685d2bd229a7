/* SIMT copies (docs/layouts.md): per-thread vector loads and stores, and
 * their fragment -> fragment form, direct register moves. */
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

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
      map = tlSelDefaultMap(ctx, it->base, it->baseRank, v, it->T);
      it->locals =
          tlSelDefaultLocals(tlSelProduct(it->base, it->baseRank), v, it->T);
    }
    it->map = tlFragmentLayoutAttrGet(map, it->T, 1);
  }
  tlSelSetAttr(it->op, TL_ATTR_INST,
               mlirStringAttrGet(
                   ctx, mlirStringRefCreateFromCString(tlInstName(it->inst))));
  tlSelSetAttr(it->op, TL_ATTR_VECTOR_WIDTH,
               mlirIntegerAttrGet(mlirIntegerTypeGet(ctx, 64), v));
  tlSelSetAttr(it->op, TL_ATTR_THREAD_MAP, it->map);
}
