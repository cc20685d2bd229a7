/* tl-verify: the rules of tl.copy: its two sides (memrefs or tl.region
 * results), access, element types, the legalized form and the block size
 * a tile copy needs (docs/verify.md). */
#include <stdint.h>
#include <string.h>

#include <mlir-c/AffineMap.h>
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/IR.h>

#include "Contract.h"
#include "Side.h"
#include "Support.h"
#include "Verifier.h"
#include "tl-c/Attributes.h"

//===--------------------------------------------------------------------===//
// tl.copy
//===--------------------------------------------------------------------===//

/* One side of a copy (copy/Side.h), as far as it could be resolved. */
typedef struct Side {
  TL_COPY_SIDE_EXTENDS;
  bool valid;    /* a memref of a tl scope, or a region made by tl.region */
  bool resolved; /* not a !tl.buffer_region of another producer */
  bool extentsAttr; /* a region with an extents attribute, of any kind (the
                       tl.region reports a bad one) */
} Side;

static Side resolveSide(Verifier *v, MlirOperation op, const char *what,
                        MlirValue value) {
  Side s;
  memset(&s, 0, sizeof s);
  TlSideStatus st = tlCopySideRead(&s.core, what, value);
  s.resolved = st != TlSideNotRegion;
  if (st == TlSideNotBuffer) {
    tlvFail(v, op, "%s must be a ranked memref or a !tl.buffer_region, got %s",
            what, tlvType(v, mlirValueGetType(value)));
    return s;
  }
  if (st == TlSideNotRegion) {
    tlvFail(v, op,
            "%s !tl.buffer_region is %s; it must be produced by a 'tl.region' "
            "op",
            what, tlvProducerText(v, value));
    return s;
  }
  if (!s.region.ptr) {
    s.valid = tlvCheckScope(v, op, what, s.type) &&
              tlvCheckNonEmpty(v, op, what, s.type) &&
              tlvCheckBufferBytes(v, op, what, s.type);
    return s;
  }
  s.extentsAttr = !mlirAttributeIsNull(tlGetAttr(s.region, "extents"));
  /* The tl.region reports its own scope and shape errors. */
  s.valid = st != TlSideNotMemRef && s.scope != TlScopeInvalid;
  return s;
}

/* A region side must not have the access `bad` (2 for a source, 1 for a
   destination); `needs` says what it needs. */
static void checkAccess(Verifier *v, MlirOperation op, const Side *s,
                        int64_t bad, const char *needs) {
  if (!s->region.ptr || tlvRegionAccess(s->region) != bad)
    return;
  tlvFail(v, op, "%s region has %s access (access = %lld); a copy %s needs %s",
          s->role, tlvAccessName(bad), (long long)bad, s->role, needs);
}

/* The element types tl copies: what NVPTX lowers, found by compiling a
   copy of each type and each cast through tl-to-nvvm (scripts/gen-element-
   types.py writes the test of every pair). i1 and sub-byte types are not
   byte-addressable; i128, f80, f128 and tf32 abort LLVM or do not lower;
   signed and unsigned integers are refused because tl's casts treat
   integers as signed (an ui8 would be sign-extended). */
const char tlvElementTypeList[] =
    "i8, i16, i32, i64, index, f16, bf16, f32, f64 and the 8-bit floats "
    "(f8E4M3FN, f8E5M2, f8E4M3, f8E5M2FNUZ, f8E4M3FNUZ, f8E4M3B11FNUZ, "
    "f8E3M4, f8E8M0FNU)";

bool tlvCheckElementType(Verifier *v, MlirOperation op, const char *what,
                         MlirType elt, MlirType of) {
  if (tlElementTypeIsSupported(elt))
    return true;
  if (mlirTypeIsAInteger(elt) && !mlirIntegerTypeIsSignless(elt))
    tlvFail(v, op,
            "%s element type %s (of %s) is a signed or unsigned integer "
            "type; tl copies signless integers (casts sign-extend): use "
            "i%u",
            what, tlvType(v, elt), tlvType(v, of),
            mlirIntegerTypeGetWidth(elt));
  else
    tlvFail(v, op,
            "%s element type %s (of %s) is not supported; tl copies %s",
            what, tlvType(v, elt), tlvType(v, of), tlvElementTypeList);
  return false;
}

static bool checkElementType(Verifier *v, MlirOperation op, const Side *s) {
  if (!s->valid)
    return false;
  return tlvCheckElementType(v, op, s->role, s->elt, s->type);
}

/* Casts lower between any two of the non-8-bit types; no conversion to or
   from an 8-bit float lowers (arith's f8 conversions reach LLVM as
   unrealized casts or invalid sitofp). */
static void checkCast(Verifier *v, MlirOperation op, const Side *src,
                      const Side *dst) {
  if (mlirTypeEqual(src->elt, dst->elt) || (!tlIsF8(src->elt) && !tlIsF8(dst->elt)))
    return;
  tlvFail(v, op,
          "cannot cast %s to %s: an 8-bit float copies only to the same "
          "type (casts convert between i8, i16, i32, i64, index, f16, bf16, "
          "f32 and f64)",
          tlvType(v, src->elt), tlvType(v, dst->elt));
}

/* The non-unit extents of a region, in order; their count, or -1 when the
   region has no extents attribute. */
static intptr_t nonUnitExtents(MlirOperation region, int64_t *out,
                               intptr_t cap) {
  MlirAttribute e = tlGetAttr(region, "extents");
  if (mlirAttributeIsNull(e) || !mlirAttributeIsADenseI64Array(e))
    return -1;
  intptr_t k = 0;
  for (intptr_t i = 0; i < mlirDenseArrayGetNumElements(e); ++i) {
    int64_t x = mlirDenseI64ArrayGetElement(e, i);
    if (x != 1 && k < cap)
      out[k++] = x;
  }
  return k;
}

/* The form tl-legalize-regions leaves (docs/legalize.md): both base_side and
   base_shape; two regions with extents whose non-unit extents are
   base_shape, pairwise. */
static void verifyLegalizedCopy(Verifier *v, MlirOperation op, const Side *src,
                                const Side *dst) {
  MlirAttribute side = tlGetAttr(op, TL_ATTR_BASE_SIDE);
  MlirAttribute shape = tlGetAttr(op, TL_ATTR_BASE_SHAPE);
  if (mlirAttributeIsNull(side) && mlirAttributeIsNull(shape))
    return;
  if (mlirAttributeIsNull(side) || mlirAttributeIsNull(shape)) {
    tlvFail(v, op,
            "base_side and base_shape (set by tl-legalize-regions) go "
            "together; only %s is present",
            mlirAttributeIsNull(side) ? TL_ATTR_BASE_SHAPE : TL_ATTR_BASE_SIDE);
    return;
  }
  /* Bad values are reported by checkRecordedCopyAttr: stop there. */
  if (!mlirAttributeIsADenseI64Array(shape) || !mlirAttributeIsAString(side) ||
      (!tlvStrEq(mlirStringAttrGetValue(side), "src") &&
       !tlvStrEq(mlirStringAttrGetValue(side), "dst")))
    return;
  for (intptr_t i = 0; i < mlirDenseArrayGetNumElements(shape); ++i)
    if (mlirDenseI64ArrayGetElement(shape, i) <= 0)
      return;
  const Side *sides[2] = {src, dst};
  bool okSide[2];
  for (int i = 0; i < 2; ++i)
    okSide[i] = sides[i]->region.ptr && sides[i]->extentsAttr;
  if (!okSide[0] || !okSide[1]) {
    tlvFail(v, op,
            "a legalized copy (with base_side) needs tl.region operands "
            "with extents; the %s is not one",
            !okSide[0] && !okSide[1] ? "source and the destination"
            : !okSide[0]             ? "source"
                                     : "destination");
    return;
  }
  for (int i = 0; i < 2; ++i) {
    const Side *s = sides[i];
    int64_t ext[64];
    intptr_t n = nonUnitExtents(s->region, ext, 64);
    bool same = n == mlirDenseArrayGetNumElements(shape);
    for (intptr_t k = 0; same && k < n; ++k)
      same = ext[k] == mlirDenseI64ArrayGetElement(shape, k);
    if (!same)
      tlvFail(v, op,
              "the non-unit extents of the %s region (%s) differ from "
              "base_shape %s",
              s->role, tlvAttr(v, tlGetAttr(s->region, "extents")),
              tlvAttr(v, shape));
  }
}

void tlvVerifyCopy(Verifier *v, MlirOperation op) {
  Kernel k = tlvEnclosingKernel(op);
  Side src = resolveSide(v, op, "source", mlirOperationGetOperand(op, 0));
  Side dst = resolveSide(v, op, "destination", mlirOperationGetOperand(op, 1));

  checkAccess(v, op, &src, 2, "read access (1 or 3)");
  checkAccess(v, op, &dst, 1, "write access (2 or 3)");

  bool srcElt = checkElementType(v, op, &src);
  bool dstElt = checkElementType(v, op, &dst);
  if (srcElt && dstElt)
    checkCast(v, op, &src, &dst);

  tlvVerifyCopyAttributes(v, op, &k);
  verifyLegalizedCopy(v, op, &src, &dst);

  /* A copy is scalar when both sides are regions without extents. */
  bool resolved = src.resolved && dst.resolved;
  bool scalar = src.region.ptr && !src.extentsAttr && dst.region.ptr &&
                !dst.extentsAttr;
  if (resolved && !scalar)
    tlvRequireBlockSize(v, op, &k, "is a tile copy and needs a thread map");
}
