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

/* Every use must be a tl op: a tl.region (whose uses are tl.copy ops), a
   tl.copy, or a thread's access to its locals (tl.fragment_read/write). */
static bool checkUses(const TlFrag *f) {
  for (MlirOpOperand u = mlirValueGetFirstUse(f->value);
       !mlirOpOperandIsNull(u); u = mlirOpOperandGetNextUse(u)) {
    MlirOperation user = mlirOpOperandGetOwner(u);
    if (tlIsCopyOp(user) || tlIsFragmentAccess(user))
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
      tlOpError(op, "fragment has no tl.layout: tl-infer-layouts gives one "
                    "to a fragment a tl.copy moves (run it first); a "
                    "fragment only accessed by tl.fragment_read/write needs "
                    "its own tl.layout");
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

//===--------------------------------------------------------------------===//
// A thread's locals: tl.fragment_read / tl.fragment_write
//===--------------------------------------------------------------------===//

bool tlIsFragmentAccess(MlirOperation op) {
  return tlOpIsNamed(op, "tl.fragment_read") ||
         tlOpIsNamed(op, "tl.fragment_write");
}

/* A vector.load / vector.store of locals [offset, offset + n) of the
   fragment's private array, reshaped to the op's vector type. */
bool tlLowerFragmentAccess(TlFragTable *t, MlirOperation op) {
  bool write = tlOpIsNamed(op, "tl.fragment_write");
  MlirLocation loc = mlirOperationGetLocation(op);
  TlFrag *f = tlFindFrag(t, mlirOperationGetOperand(op, 0));
  if (!f || !f->valid || mlirValueIsNull(f->repl)) {
    tlOpError(op, "needs a fragment (a memref.alloca in #tl.fragment memory) "
                  "with a tl.layout");
    return false;
  }
  MlirType vt = write ? mlirValueGetType(mlirOperationGetOperand(op, 1))
                      : mlirValueGetType(mlirOperationGetResult(op, 0));
  /* tl-verify's rules, again: a pass manager does not verify its input. */
  if (!mlirTypeIsAVector(vt) || mlirShapedTypeGetRank(vt) < 1 ||
      mlirShapedTypeGetRank(vt) > 8 ||
      !mlirTypeEqual(mlirShapedTypeGetElementType(vt), f->elt)) {
    tlOpError(op, "needs a vector of rank 1 to 8 of the fragment's element "
                  "type (run tl-verify)");
    return false;
  }
  int64_t n = 1, off = -1;
  for (intptr_t d = 0; d < mlirShapedTypeGetRank(vt); ++d)
    if (__builtin_mul_overflow(n, mlirShapedTypeGetDimSize(vt, d), &n))
      n = INT64_MAX;
  MlirAttribute oa = tlGetAttr(op, "offset");
  if (!mlirAttributeIsNull(oa) && mlirAttributeIsAInteger(oa))
    off = mlirIntegerAttrGetValueInt(oa);
  if (off < 0 || off > f->length || n > f->length - off) {
    tlOpError(op,
              "%s locals [%lld, %lld), but the layout of its fragment gives "
              "each thread %lld (0 .. %lld)",
              write ? "writes" : "reads", (long long)off,
              (long long)(off + n), (long long)f->length,
              (long long)(f->length - 1));
    return false;
  }
  /* One 1-D vector.load / vector.store per innermost row of the op's
     vector (W locals each), assembled with vector.insert / taken apart
     with vector.extract: the lowering to LLVM has no n-D shape_cast. */
  intptr_t rank = mlirShapedTypeGetRank(vt);
  int64_t W = mlirShapedTypeGetDimSize(vt, rank - 1), rows = n / W;
  MlirType rowT = mlirVectorTypeGet(1, &W, f->elt);
  MlirValue acc = {NULL};
  if (!write && rank > 1) {
    MlirAttribute zero = mlirTypeIsAFloat(f->elt)
                             ? mlirFloatAttrDoubleGet(mlirTypeGetContext(vt),
                                                      f->elt, 0.0)
                             : mlirIntegerAttrGet(f->elt, 0);
    MlirNamedAttribute va = tlNamed(mlirTypeGetContext(vt), "value",
                                    mlirDenseElementsAttrSplatGet(vt, zero));
    acc = tlRes0(tlBuildOpBefore(op, "arith.constant", loc, 0, NULL, 1, &vt, 1,
                                 &va));
  }
  for (int64_t r = 0; r < rows; ++r) {
    int64_t pos[8], rest = r;
    for (intptr_t d = rank - 2; d >= 0; --d) {
      pos[d] = rest % mlirShapedTypeGetDimSize(vt, d);
      rest /= mlirShapedTypeGetDimSize(vt, d);
    }
    MlirNamedAttribute sp =
        tlNamed(mlirTypeGetContext(vt), "static_position",
                mlirDenseI64ArrayGet(mlirTypeGetContext(vt), rank - 1, pos));
    MlirValue idx = tlBuildIndexConstant(op, loc, off + r * W);
    if (write) {
      MlirValue v = mlirOperationGetOperand(op, 1);
      if (rank > 1)
        v = tlRes0(tlBuildOpBefore(op, "vector.extract", loc, 1, &v, 1, &rowT,
                                   1, &sp));
      MlirValue ops[3] = {v, f->repl, idx};
      tlBuildOpBefore(op, "vector.store", loc, 3, ops, 0, NULL, 0, NULL);
    } else {
      MlirValue ops[2] = {f->repl, idx};
      MlirValue v = tlRes0(
          tlBuildOpBefore(op, "vector.load", loc, 2, ops, 1, &rowT, 0, NULL));
      if (rank == 1) {
        acc = v;
      } else {
        MlirValue ins[2] = {v, acc};
        acc = tlRes0(tlBuildOpBefore(op, "vector.insert", loc, 2, ins, 1, &vt,
                                     1, &sp));
      }
    }
  }
  if (!write)
    mlirValueReplaceAllUsesOfWith(mlirOperationGetResult(op, 0), acc);
  mlirOperationDestroy(op);
  return true;
}
