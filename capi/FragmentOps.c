/* C API of the MMA interop ops, tl.fragment_read / tl.fragment_write and
 * tl.wgmma_descriptor (tl-c/Ops.h, docs/mma-interop.md). The builders check
 * what tl-verify would, so that an embedder gets a located error instead of
 * an op tl-verify refuses. */
#include "tl-c/Ops.h"

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "Builders.h"
#include "Support.h"
#include "tl-c/Attributes.h"

/* A null op after an error at loc (or silently, without a location). */
static MlirOperation create(const char *name, MlirLocation loc,
                            MlirValue fragment, int64_t offset,
                            MlirType vector, MlirValue value) {
  MlirOperation null = {NULL};
  if (!tlCapiCheckBuilderContext(loc, name))
    return null;
  MlirContext ctx = mlirLocationGetContext(loc);
  MlirType ft = mlirValueIsNull(fragment) ? (MlirType){NULL}
                                          : mlirValueGetType(fragment);
  if (mlirTypeIsNull(ft) || !mlirTypeIsAMemRef(ft) ||
      tlMemRefTypeGetScope(ft) != TlScopeFragment) {
    tlEmitErrorf(loc, "%s: the fragment must be a memref in #tl.fragment "
                      "memory", name);
    return null;
  }
  if (mlirTypeIsNull(vector) || !mlirTypeIsAVector(vector) ||
      mlirShapedTypeGetRank(vector) < 1 || mlirShapedTypeGetRank(vector) > 8 ||
      !mlirTypeEqual(mlirShapedTypeGetElementType(vector),
                     mlirShapedTypeGetElementType(ft))) {
    tlEmitErrorf(loc, "%s: the value must be a vector (rank 1 to 8) of the "
                      "fragment's element type", name);
    return null;
  }
  if (offset < 0) {
    tlEmitErrorf(loc, "%s: offset must be >= 0, got %lld", name,
                 (long long)offset);
    return null;
  }
  MlirOperationState st =
      mlirOperationStateGet(mlirStringRefCreateFromCString(name), loc);
  MlirValue ops[2] = {fragment, value};
  mlirOperationStateAddOperands(&st, mlirValueIsNull(value) ? 1 : 2, ops);
  if (mlirValueIsNull(value))
    mlirOperationStateAddResults(&st, 1, &vector);
  MlirNamedAttribute off = mlirNamedAttributeGet(
      mlirIdentifierGet(ctx, mlirStringRefCreateFromCString("offset")),
      mlirIntegerAttrGet(mlirIntegerTypeGet(ctx, 64), offset));
  mlirOperationStateAddAttributes(&st, 1, &off);
  return mlirOperationCreate(&st);
}

MlirOperation tlFragmentReadOpCreate(MlirLocation loc, MlirValue fragment,
                                     int64_t offset, MlirType vectorType) {
  return create("tl.fragment_read", loc, fragment, offset, vectorType,
                (MlirValue){NULL});
}

MlirOperation tlFragmentWriteOpCreate(MlirLocation loc, MlirValue fragment,
                                      int64_t offset, MlirValue value) {
  if (mlirValueIsNull(value)) {
    if (!mlirLocationIsNull(loc))
      tlEmitErrorf(loc, "tl.fragment_write: the value is null");
    return (MlirOperation){NULL};
  }
  return create("tl.fragment_write", loc, fragment, offset,
                mlirValueGetType(value), value);
}

bool tlOperationIsAFragmentRead(MlirOperation op) {
  return tlOpIsNamed(op, "tl.fragment_read");
}

bool tlOperationIsAFragmentWrite(MlirOperation op) {
  return tlOpIsNamed(op, "tl.fragment_write");
}

int64_t tlFragmentAccessOpGetOffset(MlirOperation op) {
  if (!tlOperationIsAFragmentRead(op) && !tlOperationIsAFragmentWrite(op))
    return -1;
  MlirAttribute a = mlirOperationGetAttributeByName(
      op, mlirStringRefCreateFromCString("offset"));
  return !mlirAttributeIsNull(a) && mlirAttributeIsAInteger(a)
             ? mlirIntegerAttrGetValueInt(a)
             : -1;
}

/* The memref behind a tl.wgmma_descriptor tile (the value, or the buffer of
   the tl.region that made it; *region set then); false after an error. */
static bool wgmmaTileBuffer(MlirLocation loc, const char *name, MlirValue tile,
                            MlirValue *buffer, MlirOperation *region) {
  MlirType t = mlirValueGetType(tile);
  *buffer = tile;
  *region = (MlirOperation){NULL};
  if (tlTypeIsABufferRegion(t)) {
    if (mlirValueIsAOpResult(tile))
      *region = mlirOpResultGetOwner(tile);
    if (!tlOperationIsARegion(*region)) {
      tlEmitErrorf(loc, "%s: the tile must be a workgroup memref or a "
                        "tl.region of one, got a !tl.buffer_region that no "
                        "tl.region made", name);
      return false;
    }
    *buffer = tlRegionOpGetBuffer(*region);
    t = mlirValueIsNull(*buffer) ? (MlirType){NULL}
                                 : mlirValueGetType(*buffer);
  }
  if (mlirTypeIsNull(t) || !mlirTypeIsAMemRef(t)) {
    TlStr s = {0};
    if (region->ptr)
      tlStrAppendf(&s, "a tl.region of ");
    if (mlirTypeIsNull(t)) {
      tlStrAppendf(&s, "no buffer");
    } else {
      tlStrAppendf(&s, "'");
      tlStrAppendType(&s, t);
      tlStrAppendf(&s, "'");
    }
    tlEmitErrorf(loc, "%s: the tile must be a workgroup memref or a "
                      "tl.region of one, got %s", name, tlStrGet(&s));
    tlStrFree(&s);
    return false;
  }
  return true;
}

MlirOperation tlWgmmaDescriptorOpCreate(MlirLocation loc, MlirValue tile) {
  static const char *kName = "tl.wgmma_descriptor";
  MlirOperation null = {NULL}, region;
  MlirValue buffer;
  if (!tlCapiCheckBuilderContext(loc, kName))
    return null;
  MlirContext ctx = mlirLocationGetContext(loc);
  if (mlirValueIsNull(tile)) {
    tlEmitErrorf(loc, "%s: the tile is null", kName);
    return null;
  }
  if (!mlirContextEqual(mlirTypeGetContext(mlirValueGetType(tile)), ctx)) {
    tlEmitErrorf(loc, "%s: the tile belongs to another context", kName);
    return null;
  }
  if (!wgmmaTileBuffer(loc, kName, tile, &buffer, &region))
    return null;
  MlirType bt = mlirValueGetType(buffer);
  if (tlMemRefTypeGetScope(bt) != TlScopeShared) {
    TlStr s = {0};
    tlStrAppendType(&s, bt);
    tlEmitErrorf(loc, "%s: the tile must be in workgroup (shared) memory: "
                      "wgmma reads its operands from shared memory, got '%s'",
                 kName, tlStrGet(&s));
    tlStrFree(&s);
    return null;
  }
  if (region.ptr && !tlRegionOpHasExtents(region)) {
    tlEmitErrorf(loc, "%s: the tile's tl.region needs extents: they are the "
                      "rows and the K columns one wgmma reads", kName);
    return null;
  }
  if (mlirShapedTypeGetRank(bt) < 2) {
    tlEmitErrorf(loc, "%s: the tile must have rank 2 or more (rows x K), got "
                      "rank %lld", kName, (long long)mlirShapedTypeGetRank(bt));
    return null;
  }
  MlirOperationState st =
      mlirOperationStateGet(mlirStringRefCreateFromCString(kName), loc);
  MlirType i64 = mlirIntegerTypeGet(ctx, 64);
  mlirOperationStateAddOperands(&st, 1, &tile);
  mlirOperationStateAddResults(&st, 1, &i64);
  return mlirOperationCreate(&st);
}

bool tlOperationIsAWgmmaDescriptor(MlirOperation op) {
  return tlOpIsNamed(op, "tl.wgmma_descriptor");
}
