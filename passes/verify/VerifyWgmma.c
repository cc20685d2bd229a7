/* tl.wgmma_descriptor (docs/mma-interop.md): what can be checked before
 * layouts exist. The tile's swizzle, row width, extents and indices are
 * checked by tl-infer-layouts (passes/copy/WgmmaDesc.c), which decides the
 * buffer's swizzle. */
#include <mlir-c/BuiltinTypes.h>

#include "Side.h"
#include "Support.h"
#include "Verifier.h"
#include "tl-c/Attributes.h"

void tlvVerifyWgmmaDescriptor(Verifier *v, MlirOperation op) {
  tlvCheckAttrNames(v, op, NULL, 0, 0, NULL);
  MlirValue tile = mlirOperationGetOperand(op, 0);
  TlCopySide s;
  TlSideStatus st = tlCopySideRead(&s, "tile", tile);
  if (st == TlSideNotRegion || st == TlSideNotBuffer) {
    tlvFail(v, op, "tile must be a workgroup memref or a tl.region of one (%s)",
            tlvProducerText(v, tile));
    return;
  }
  if (st != TlSideOk && st != TlSideBadBoundsCheck)
    return; /* tl.region's own rules report it */
  if (s.scope != TlScopeShared) {
    tlvFail(v, op,
            "tile must be in workgroup (shared) memory: wgmma reads its "
            "operands from shared memory, got %s",
            tlvType(v, s.type));
    return;
  }
  if (s.region.ptr && !s.hasExtents)
    tlvFail(v, op, "tile's tl.region needs extents: they are the rows and "
                   "the K columns one wgmma reads");
  else if (s.rank < 2)
    tlvFail(v, op, "tile must have rank 2 or more (rows x K), got rank %lld",
            (long long)s.rank);
}
