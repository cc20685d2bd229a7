/* tl-legalize-regions: TileLang's region and extent semantics (design.md §3).
 *
 * Afterwards every tl.copy and tl.copy_async (alike) has two tl.region
 * operands with explicit extents of their buffers' ranks, and carries
 * `base_side` ("src" | "dst", the side whose scope level chose the
 * iteration space) and `base_shape` (the iteration space: the base's
 * non-unit extents, in order). Both regions' non-unit extents equal
 * base_shape, pairwise. A region that may leave its buffer at run time
 * carries `bounds_check = array<i1: ...>` (per dimension) so that lowering
 * predicates it. Scalar copies become memref.load/store. Copies that already carry base_side are left alone: the pass is
 * idempotent. */
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Dialect/Arith.h>
#include <mlir-c/Dialect/MemRef.h>

#include "Contract.h"
#include "Diag.h"
#include "IRBuild.h"
#include "IndexRange.h"
#include "PassSupport.h"
#include "Side.h"
#include "Support.h"
#include "tl-c/Attributes.h"
#include "tl-c/Ops.h"
#include "verify/VerifyAsync.h"

#define MAX_RANK TL_SIDE_MAX_RANK

typedef enum SideKind { Whole, Explicit, Head } SideKind;

/* A side as written (copy/Side.h; ext: its extents, Whole: the shape) and
   the extents being legalized. */
typedef struct Side {
  TL_COPY_SIDE_EXTENDS;
  SideKind kind;
  int64_t cur[MAX_RANK]; /* working extents, n of them */
  intptr_t n;
  bool grown; /* source read beyond its written region (base is dst) */
} Side;

static void appendExtents(TlStr *s, const int64_t *e, intptr_t n) {
  tlStrAppend(s, "[", 1);
  for (intptr_t i = 0; i < n; ++i)
    tlStrAppendf(s, i ? ", %lld" : "%lld", (long long)e[i]);
  tlStrAppend(s, "]", 1);
}

/* What tlCopySideRead found, in this pass's words; false after an error.
   The extent count is checked by readSide (a whole buffer has none). */
static bool readStatus(MlirOperation copy, const Side *s, TlSideStatus st) {
  switch (st) {
  case TlSideNotBuffer:
  case TlSideNotRegion:
  case TlSideNotMemRef:
    tlOpError(copy, "%s must be a memref or produced by tl.region", s->role);
    return false;
  case TlSideRankTooLarge:
    tlOpError(copy, "%s buffer has rank %lld; at most %d is supported",
              s->role, (long long)s->rank, MAX_RANK);
    return false;
  case TlSideIndexCount:
    tlOpError(copy, "%s region has %lld indices for a rank-%lld buffer",
              s->role, (long long)tlRegionOpGetNumIndices(s->region),
              (long long)s->rank);
    return false;
  default:
    /* A bounds_check of an unlegalized region is not read: the pass makes
       new regions with their own. */
    return true;
  }
}

/* Operand `pos` (copy/Side.h); its working extents start as written. */
static bool readSide(MlirOperation copy, intptr_t pos, Side *s) {
  memset(s, 0, sizeof *s);
  TlSideStatus st =
      tlCopySideRead(&s->core, pos == 0 ? "source" : "destination",
                     mlirOperationGetOperand(copy, pos));
  if (!readStatus(copy, s, st))
    return false;
  s->kind = !s->region.ptr ? Whole : s->hasExtents ? Explicit : Head;
  if (s->kind == Whole) {
    for (intptr_t d = 0; d < s->rank; ++d) {
      if (mlirShapedTypeIsDynamicSize(s->shape[d])) {
        TlStr ty = {0};
        tlStrAppendType(&ty, s->type);
        tlOpError(copy,
                  "whole-buffer %s %s has a dynamic dimension: copy an "
                  "explicit tl.region with static extents instead",
                  s->role, tlStrGet(&ty));
        tlStrFree(&ty);
        return false;
      }
    }
  } else if (st == TlSideExtentCount) {
    tlOpError(copy, "%s region has %lld extents for a rank-%lld buffer",
              s->role, (long long)tlRegionOpGetNumExtents(s->region),
              (long long)s->rank);
    return false;
  }
  if (s->kind != Head) {
    s->n = s->rank;
    memcpy(s->cur, s->ext, sizeof(int64_t) * (size_t)s->n);
  }
  return true;
}

static intptr_t nonUnit(const Side *s, intptr_t *pos) {
  intptr_t k = 0;
  for (intptr_t i = 0; i < s->n; ++i)
    if (s->cur[i] != 1) {
      if (pos)
        pos[k] = i;
      ++k;
    }
  return k;
}

/* TileLang's legalize_pairwise_extents: keep both when they have as many
   non-unit extents; otherwise right-align: equal keep, 1 takes the other,
   else both take the maximum. */
static void pairwise(Side *a, Side *b) {
  if (nonUnit(a, NULL) == nonUnit(b, NULL))
    return;
  for (intptr_t i = 1; i <= a->n && i <= b->n; ++i) {
    int64_t *x = &a->cur[a->n - i], *y = &b->cur[b->n - i];
    if (*x == *y)
      continue;
    if (*x == 1)
      *x = *y;
    else if (*y == 1)
      *y = *x;
    else
      *x = *y = *x > *y ? *x : *y;
  }
}

/* A head address takes as many extents as the other side has; fit them to
   the buffer's rank: pad with leading 1s, or drop leading 1s. */
static bool fitHeadToRank(MlirOperation copy, Side *s) {
  while (s->n > s->rank) {
    if (s->cur[0] != 1) {
      TlStr m = {0}, ty = {0};
      appendExtents(&m, s->cur, s->n);
      tlStrAppendType(&ty, s->type);
      tlOpError(copy, "the %s head address into %s (rank "
                        "%lld) cannot take the extents %s of the other side",
                   s->role, tlStrGet(&ty), (long long)s->rank, tlStrGet(&m));
      tlStrFree(&m);
      tlStrFree(&ty);
      return false;
    }
    memmove(s->cur, s->cur + 1, sizeof(int64_t) * (size_t)(s->n - 1));
    --s->n;
  }
  while (s->n < s->rank) {
    memmove(s->cur + 1, s->cur, sizeof(int64_t) * (size_t)s->n);
    s->cur[0] = 1;
    ++s->n;
  }
  return true;
}

static void describe(TlStr *m, const Side *s) {
  appendExtents(m, s->cur, s->n);
  tlStrAppend(m, " of ", 4);
  tlStrAppendType(m, s->type);
}

/* Picks the base and makes both sides' non-unit extents equal to it. */
static bool chooseBase(MlirOperation copy, Side *src, Side *dst, bool *baseIsSrc,
                       int64_t *baseShape, intptr_t *baseRank) {
  intptr_t ps[MAX_RANK], pd[MAX_RANK];
  intptr_t ns = nonUnit(src, ps), nd = nonUnit(dst, pd);
  if (ns != nd) {
    TlStr a = {0}, b = {0};
    describe(&a, src);
    describe(&b, dst);
    tlOpError(copy, "cannot pair the source extents %s with "
                      "the destination extents %s: %lld and %lld non-unit "
                      "dimensions", tlStrGet(&a), tlStrGet(&b), (long long)ns,
                 (long long)nd);
    tlStrFree(&a);
    tlStrFree(&b);
    return false;
  }
  *baseIsSrc = src->scope >= dst->scope;
  Side *base = *baseIsSrc ? src : dst, *other = *baseIsSrc ? dst : src;
  intptr_t *pb = *baseIsSrc ? ps : pd, *po = *baseIsSrc ? pd : ps;
  for (intptr_t k = 0; k < ns; ++k) {
    int64_t be = base->cur[pb[k]], oe = other->cur[po[k]];
    if (be != oe) {
      const char *why =
          *baseIsSrc
              ? (oe < be ? "the destination region is smaller than the "
                           "copied extent"
                         : NULL)
              : (be < oe ? "the destination (the base: its scope is at least "
                           "the source's) is smaller than the source extent"
                         : NULL);
      if (why) {
        TlStr a = {0}, b = {0};
        describe(&a, src);
        describe(&b, dst);
        tlOpError(copy, "%s: source %s, destination %s "
                          "(non-unit dimension %lld: source %lld, destination %lld)",
                     why, tlStrGet(&a), tlStrGet(&b), (long long)k,
                     (long long)(*baseIsSrc ? be : oe),
                     (long long)(*baseIsSrc ? oe : be));
        tlStrFree(&a);
        tlStrFree(&b);
        return false;
      }
      /* The source is read beyond its region: predicated, not an error. */
      other->cur[po[k]] = be;
      other->grown = true;
    }
    baseShape[k] = be;
  }
  *baseRank = ns;
  return true;
}

/* Whether `copy` is one tl-pipeline issues ahead (its destination is a
   stage region it tagged): its indices are one iteration's, constants in
   the prologue, of a copy whose loop-wide range was checked. */
static bool issuedByPipeline(MlirOperation copy) {
  if (mlirOperationGetNumOperands(copy) < 2)
    return false;
  MlirValue dst = mlirOperationGetOperand(copy, 1);
  return mlirValueIsAOpResult(dst) &&
         !mlirAttributeIsNull(tlGetAttr(mlirOpResultGetOwner(dst), "tl.stage"));
}

/* Static bounds: an error when the region provably leaves its buffer, a
   run-time check where it may. A pipelined copy's clone for one iteration
   (the K loop's last, partial tile) is checked, not refused: the user's
   loop was legal over its whole range. */
static bool boundsOf(MlirOperation copy, const Side *s, const MlirValue *idx,
                     bool *check, bool *anyCheck) {
  *anyCheck = false;
  for (intptr_t d = 0; d < s->rank; ++d) {
    check[d] = true;
    if (mlirShapedTypeIsDynamicSize(s->shape[d])) {
      *anyCheck = true;
      continue;
    }
    TlRange r = idx ? tlIndexRange(idx[d]) : (TlRange){true, 0, 0};
    if (r.known && r.lo >= 0 && r.hi + s->cur[d] <= s->shape[d]) {
      check[d] = false;
      continue;
    }
    bool surelyOut = r.known && (r.hi < 0 || r.lo + s->cur[d] > s->shape[d]);
    if (surelyOut && !s->grown && !issuedByPipeline(copy)) {
      TlStr ty = {0};
      tlStrAppendType(&ty, s->type);
      tlOpError(copy, "%s region [%lld, %lld) of dimension "
                        "%lld is out of bounds of %s", s->role,
                   (long long)r.lo, (long long)(r.lo + s->cur[d]),
                   (long long)d, tlStrGet(&ty));
      tlStrFree(&ty);
      return false;
    }
    *anyCheck = true;
  }
  return true;
}

static MlirValue buildRegion(MlirOperation copy, const Side *s, TlAccess access,
                             MlirValue *zero) {
  MlirLocation loc = mlirOperationGetLocation(copy);
  MlirContext ctx = mlirLocationGetContext(loc);
  MlirValue idx[MAX_RANK];
  for (intptr_t d = 0; d < s->rank; ++d) {
    if (s->region.ptr) {
      idx[d] = s->idx[d];
    } else {
      if (mlirValueIsNull(*zero))
        *zero = tlBuildIndexConstant(copy, loc, 0);
      idx[d] = *zero;
    }
  }
  bool check[MAX_RANK], anyCheck = false;
  if (!boundsOf(copy, s, idx, check, &anyCheck))
    return (MlirValue){NULL};
  MlirOperation r = tlRegionOpCreate(loc, s->buffer, s->rank, idx, access,
                                     s->n, s->cur);
  if (mlirOperationIsNull(r))
    return (MlirValue){NULL};
  if (anyCheck) {
    int flags[MAX_RANK];
    for (intptr_t d = 0; d < s->rank; ++d)
      flags[d] = check[d];
    mlirOperationSetAttributeByName(
        r, mlirStringRefCreateFromCString(TL_ATTR_BOUNDS_CHECK),
        mlirDenseBoolArrayGet(ctx, s->rank, flags));
  }
  /* Dialect-prefixed attributes of the region written go with it
     (tl-pipeline's tl.stage tag, copy/Barriers.c). */
  for (intptr_t i = 0; s->region.ptr &&
                       i < mlirOperationGetNumAttributes(s->region); ++i) {
    MlirNamedAttribute a = mlirOperationGetAttribute(s->region, i);
    MlirStringRef n = mlirIdentifierStr(a.name);
    if (memchr(n.data, '.', n.length))
      mlirOperationSetAttributeByName(r, n, a.attribute);
  }
  mlirBlockInsertOwnedOperationBefore(mlirOperationGetBlock(copy), copy, r);
  return tlRegionOpGetResult(r);
}

/* A scalar tl.copy_async is done where it stands, as a synchronous copy
   (design.md §3): its token leaves the tl.wait that names it (which alone
   may use it; checked before anything is built). */
static void dropToken(MlirOperation copy) {
  MlirValue token = mlirOperationGetResult(copy, 0);
  MlirOpOperand u;
  while (!mlirOpOperandIsNull(u = mlirValueGetFirstUse(token))) {
    MlirOperation wait = mlirOpOperandGetOwner(u);
    intptr_t n = mlirOperationGetNumOperands(wait), k = 0;
    MlirValue *rest = malloc(sizeof(MlirValue) * (size_t)(n + 1));
    for (intptr_t i = 0; i < n; ++i)
      if (!mlirValueEqual(mlirOperationGetOperand(wait, i), token))
        rest[k++] = mlirOperationGetOperand(wait, i);
    mlirOperationSetOperands(wait, k, rest);
    free(rest);
  }
}

/* Both sides are head addresses: a scalar load, a cast, a store. */
static bool lowerScalar(MlirOperation copy, Side *src, Side *dst) {
  MlirLocation loc = mlirOperationGetLocation(copy);
  MlirValue ops[MAX_RANK + 2];
  ops[0] = src->buffer;
  for (intptr_t d = 0; d < src->rank; ++d)
    ops[1 + d] = src->idx[d];
  MlirType srcElt = src->elt;
  MlirType dstElt = dst->elt;
  MlirOperation load = tlBuildOpBefore(copy, "memref.load", loc, 1 + src->rank,
                                       ops, 1, &srcElt, 0, NULL);
  MlirValue v = tlBuildCast(copy, loc, mlirOperationGetResult(load, 0), dstElt);
  if (mlirValueIsNull(v)) {
    TlStr a = {0}, b = {0};
    tlStrAppendType(&a, srcElt);
    tlStrAppendType(&b, dstElt);
    tlOpError(copy, "cannot cast %s to %s", tlStrGet(&a),
                 tlStrGet(&b));
    tlStrFree(&a);
    tlStrFree(&b);
    mlirOperationDestroy(load);
    return false;
  }
  ops[0] = v;
  ops[1] = dst->buffer;
  for (intptr_t d = 0; d < dst->rank; ++d)
    ops[2 + d] = dst->idx[d];
  tlBuildOpBefore(copy, "memref.store", loc, 2 + dst->rank, ops, 0, NULL, 0,
                  NULL);
  if (tlOperationIsACopyAsync(copy))
    dropToken(copy);
  mlirOperationDestroy(copy);
  tlEraseIfUnused(src->region);
  if (dst->region.ptr != src->region.ptr)
    tlEraseIfUnused(dst->region);
  return true;
}

static bool legalizeCopy(MlirOperation copy) {
  MlirLocation loc = mlirOperationGetLocation(copy);
  MlirContext ctx = mlirLocationGetContext(loc);
  if (!mlirAttributeIsNull(mlirOperationGetAttributeByName(
          copy, mlirStringRefCreateFromCString(TL_ATTR_BASE_SIDE))))
    return true; /* already legalized */
  Side src, dst;
  if (!readSide(copy, 0, &src) || !readSide(copy, 1, &dst))
    return false;
  if (src.kind == Head && dst.kind == Head) {
    /* The token goes away with the copy: its tl.wait must be in order. */
    if (tlOperationIsACopyAsync(copy) &&
        mlirOperationIsNull(tlAsyncWaitOf(copy)))
      return false;
    return lowerScalar(copy, &src, &dst);
  }
  if (src.kind == Head) {
    src.n = dst.n;
    for (intptr_t i = 0; i < src.n; ++i)
      src.cur[i] = 1;
  }
  if (dst.kind == Head) {
    dst.n = src.n;
    for (intptr_t i = 0; i < dst.n; ++i)
      dst.cur[i] = 1;
  }
  pairwise(&src, &dst);
  /* An explicit region never grows past what was written (TileLang clamps
     it); a head address is fitted to its buffer's rank. */
  Side *sides[2] = {&src, &dst};
  for (int i = 0; i < 2; ++i) {
    Side *s = sides[i];
    if (s->kind == Head) {
      if (!fitHeadToRank(copy, s))
        return false;
    } else {
      for (intptr_t d = 0; d < s->n; ++d)
        if (s->cur[d] > s->ext[d])
          s->cur[d] = s->ext[d];
    }
  }
  bool baseIsSrc;
  int64_t baseShape[MAX_RANK];
  intptr_t baseRank;
  if (!chooseBase(copy, &src, &dst, &baseIsSrc, baseShape, &baseRank))
    return false;
  MlirValue zero = {NULL};
  TlAccess srcAccess = src.region.ptr ? tlRegionOpGetAccess(src.region)
                                      : TlAccessRead;
  TlAccess dstAccess = dst.region.ptr ? tlRegionOpGetAccess(dst.region)
                                      : TlAccessWrite;
  MlirValue s = buildRegion(copy, &src, srcAccess, &zero);
  if (mlirValueIsNull(s))
    return false;
  MlirValue d = buildRegion(copy, &dst, dstAccess, &zero);
  if (mlirValueIsNull(d)) {
    tlEraseIfUnused(mlirOpResultGetOwner(s));
    return false;
  }
  mlirOperationSetOperand(copy, 0, s);
  mlirOperationSetOperand(copy, 1, d);
  mlirOperationSetAttributeByName(
      copy, mlirStringRefCreateFromCString(TL_ATTR_BASE_SIDE),
      mlirStringAttrGet(ctx, mlirStringRefCreateFromCString(
                                 baseIsSrc ? "src" : "dst")));
  mlirOperationSetAttributeByName(
      copy, mlirStringRefCreateFromCString(TL_ATTR_BASE_SHAPE),
      mlirDenseI64ArrayGet(ctx, baseRank, baseShape));
  if (src.region.ptr)
    tlEraseIfUnused(src.region);
  if (dst.region.ptr && dst.region.ptr != src.region.ptr)
    tlEraseIfUnused(dst.region);
  return true;
}

static void run(MlirOperation op, MlirExternalPass pass, void *state) {
  (void)state;
  TlOpList copies = {NULL, 0, 0};
  tlCollectCopies(op, &copies);
  bool ok = true;
  for (size_t i = 0; i < copies.n; ++i)
    ok &= legalizeCopy(copies.ops[i]);
  free(copies.ops);
  if (!ok)
    mlirExternalPassSignalFailure(pass);
}

/* Literals only: a const object is not a constant expression in C11. */
const TlPassDef tlLegalizeRegionsPassDef = {
    {"tl-legalize-regions",
     "Give every tl.copy two explicit regions and a base iteration shape "
     "(TileLang's extent rules); scalar copies become loads and stores",
     0, NULL},
    NULL, tlCreateLegalizeRegionsPass};

static _Alignas(8) char kTypeId;

MlirPass tlCreateLegalizeRegionsPass(void) {
  MlirDialectHandle deps[] = {mlirGetDialectHandle__arith__(),
                              mlirGetDialectHandle__memref__()};
  return tlCreateExternalPass(&kTypeId, &tlLegalizeRegionsPassDef.info, 2,
                              deps, run, NULL, 0);
}
