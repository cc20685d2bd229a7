/* Fragments for tl-lower-copy (docs/layouts.md): a `memref.alloca` in the
 * fragment scope is read and checked against its tl.layout (plan), then
 * replaced by a per-thread private array of its locals (rewrite), and
 * erased once the copies that used it are lowered. */
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "AffineEval.h"
#include "Diag.h"
#include "IRBuild.h"
#include "Lower.h"
#include "Support.h"

//===--------------------------------------------------------------------===//
// Plan
//===--------------------------------------------------------------------===//

/* The error for `user`, which uses `what` that only `allowed` may use. */
static bool refuseUser(MlirOperation user, const char *what,
                       const char *allowed) {
  MlirStringRef nm = mlirIdentifierStr(mlirOperationGetName(user));
  tlOpError(user,
            "uses %s; only %s may (a fragment lives in registers: '%.*s' "
            "cannot address it)",
            what, allowed, (int)nm.length, nm.data);
  return false;
}

/* Every use must be a tl op: a tl.region (whose uses are tl.copy ops) or
   a tl.copy. */
static bool checkUses(const TlFrag *f) {
  for (MlirOpOperand u = mlirValueGetFirstUse(f->value);
       !mlirOpOperandIsNull(u); u = mlirOpOperandGetNextUse(u)) {
    MlirOperation user = mlirOpOperandGetOwner(u);
    if (tlIsCopyOp(user))
      continue;
    if (tlOperationIsARegion(user)) {
      MlirValue r0 = tlRegionOpGetResult(user);
      for (MlirOpOperand v = mlirValueGetFirstUse(r0); !mlirOpOperandIsNull(v);
           v = mlirOpOperandGetNextUse(v)) {
        MlirOperation uu = mlirOpOperandGetOwner(v);
        if (!tlIsCopyOp(uu))
          return refuseUser(uu, "a region of a fragment", "tl.copy");
      }
      continue;
    }
    return refuseUser(user, "a fragment", "tl ops");
  }
  return true;
}

/* The fragment's length: 1 + the largest local its layout gives. */
static bool evalLocals(TlFrag *f) {
  MlirOperation op = f->alloca;
  bool overflow = false;
  int64_t n = tlProduct(f->shape, f->rank, &overflow);
  if (overflow) {
    tlOpError(op, "fragment has more than %lld elements",
              (long long)MAX_ELEMENTS);
    return false;
  }
  int64_t x[MAX_RANK] = {0}, r[2];
  int64_t maxLocal = -1;
  for (int64_t i = 0; i < n; ++i, tlMapNextCoord(x, f->shape, f->rank)) {
    if (!tlAffineMapEval(f->map, x, f->rank, r) || r[0] < 0 ||
        r[0] >= f->threads || r[1] < 0) {
      char *c = tlCoordText(x, f->rank);
      tlOpError(op,
                "tl.layout maps fragment element %s outside threads "
                "[0, %lld) x locals [0, inf)",
                c, (long long)f->threads);
      free(c);
      return false;
    }
    if (r[1] > maxLocal)
      maxLocal = r[1];
  }
  f->length = maxLocal + 1;
  return true;
}

/* Reads one fragment alloca: its layout, its length, and that every use is
   a tl op. */
bool tlPlanFragment(TlFrag *f) {
  MlirOperation op = f->alloca;
  MlirType type = mlirValueGetType(f->value);
  f->rank = mlirShapedTypeGetRank(type);
  f->elt = mlirShapedTypeGetElementType(type);
  f->layout = tlGetAttr(op, TL_ATTR_LAYOUT);
  bool hasUses = !mlirOpOperandIsNull(mlirValueGetFirstUse(f->value));
  if (mlirAttributeIsNull(f->layout)) {
    if (hasUses) {
      tlOpError(op, "fragment has no tl.layout: run tl-infer-layouts first");
      return false;
    }
    return true; /* unused and unlaid: erased */
  }
  if (f->rank > MAX_RANK || !mlirShapedTypeHasStaticShape(type)) {
    char *t = tlTypeText(type);
    tlOpError(op, "fragment %s must have a static shape of rank at most %d", t,
              MAX_RANK);
    free(t);
    return false;
  }
  for (intptr_t d = 0; d < f->rank; ++d)
    f->shape[d] = mlirShapedTypeGetDimSize(type, d);
  if (!tlAttributeIsAFragmentLayout(f->layout)) {
    char *a = tlAttrText(f->layout);
    tlOpError(op, "tl.layout must be a #tl.fragment_layout, got %s", a);
    free(a);
    return false;
  }
  f->map = tlFragmentLayoutAttrGetMap(f->layout);
  f->threads = tlFragmentLayoutAttrGetThreads(f->layout);
  if (!tlMapCheckLayoutForm(op, "tl.layout", f->layout, f->rank,
                            "the fragment's", "coordinates"))
    return false;
  int64_t xyz[3];
  if (tlBlockSize(op, xyz) && xyz[0] * xyz[1] * xyz[2] != f->threads) {
    tlOpError(op, "tl.layout is for %lld threads, but the kernel has %lld",
              (long long)f->threads, (long long)(xyz[0] * xyz[1] * xyz[2]));
    return false;
  }
  return evalLocals(f) && checkUses(f);
}

TlFrag *tlFindFrag(TlFragTable *t, MlirValue v) {
  for (size_t i = 0; i < t->n; ++i)
    if (mlirValueEqual(t->v[i].value, v))
      return &t->v[i];
  return NULL;
}

bool tlIsFragmentAlloca(MlirOperation op) {
  return tlOpIsNamed(op, "memref.alloca") &&
         mlirOperationGetNumResults(op) == 1 &&
         tlMemRefTypeGetScope(mlirValueGetType(mlirOperationGetResult(
             op, 0))) == TlScopeFragment;
}

//===--------------------------------------------------------------------===//
// Rewrite
//===--------------------------------------------------------------------===//

/* Replaces a fragment alloca by memref.alloca() : memref<L x elt>. */
void tlReplaceFragment(TlFrag *f) {
  MlirContext ctx = mlirOperationGetContext(f->alloca);
  MlirLocation loc = mlirOperationGetLocation(f->alloca);
  int64_t L = f->length;
  MlirType t = mlirMemRefTypeContiguousGet(f->elt, 1, &L,
                                           (MlirAttribute){NULL});
  MlirNamedAttribute attrs[2] = {
      tlNamed(ctx, "alignment",
              mlirIntegerAttrGet(mlirIntegerTypeGet(ctx, 64),
                                 MAX_ACCESS_BYTES)),
      tlNamed(ctx, "operandSegmentSizes",
              mlirDenseI32ArrayGet(ctx, 2, (int32_t[]){0, 0}))};
  f->repl = tlRes0(tlBuildOpBefore(f->alloca, "memref.alloca", loc, 0, NULL, 1,
                                   &t, 2, attrs));
}

bool tlEraseFragment(TlFrag *f) {
  /* Regions of the fragment nobody uses any more. */
  MlirOpOperand u = mlirValueGetFirstUse(f->value);
  while (!mlirOpOperandIsNull(u)) {
    MlirOperation user = mlirOpOperandGetOwner(u);
    u = mlirOpOperandGetNextUse(u);
    if (tlOperationIsARegion(user))
      tlEraseIfUnused(user);
  }
  if (!tlEraseIfUnused(f->alloca)) {
    tlOpError(f->alloca, "fragment is still used after tl-lower-copy");
    return false;
  }
  return true;
}
