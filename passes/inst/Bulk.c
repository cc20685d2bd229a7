/* inst "bulk_load" and "bulk_store" (docs/tma.md, "Bulk copies"): a 1-D
 * cp.async.bulk of one contiguous, in-bounds, 16-byte aligned run between
 * global and shared memory, issued by one elected thread; it completes
 * like the tiled TMA copies (copy/Mbarrier.c): a load on the mbarrier's
 * parity, a store on its bulk group's reads. */
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Dialect/LLVM.h>

#include "Diag.h"
#include "IndexRange.h"
#include "IRBuild.h"
#include "Inst.h"
#include "Lower.h"
#include "Support.h"

//===--------------------------------------------------------------------===//
// Emission (tl-lower-copy)
//===--------------------------------------------------------------------===//

/* One side: a contiguous run, in bounds, 16-byte aligned; its bytes into
   *out. */
static bool sideRun(TlLower *c, TlSide *s, const char *kind, int64_t eb,
                    int64_t *out) {
  MlirOperation op = c->op;
  if (!tlStaticRowMajor(s->type, s->sstride)) {
    tlOpError(op,
              "inst \"%s\" needs static, identity-layout memrefs on both "
              "sides",
              kind);
    return false;
  }
  intptr_t first = -1;
  for (intptr_t d = 0; d < s->rank; ++d)
    if (s->ext[d] != 1 && first < 0)
      first = d;
  int64_t bytes = eb;
  for (intptr_t d = 0; d < s->rank; ++d) {
    if (s->check[d]) {
      tlOpError(op,
                "inst \"%s\" cannot check bounds, but the %s region has "
                "bounds_check on dimension %lld",
                kind, s->role, (long long)d);
      return false;
    }
    if (first >= 0 && d > first && s->ext[d] != s->shape[d]) {
      tlOpError(op,
                "inst \"%s\" needs one contiguous run, but the %s region "
                "covers %lld of %lld in dimension %lld",
                kind, s->role, (long long)s->ext[d], (long long)s->shape[d],
                (long long)d);
      return false;
    }
    int64_t sb = s->sstride[d] * eb, div = tlIndexDivisor(s->idx[d]);
    int64_t gg = sb % 16 == 0 ? 16 : sb % 8 == 0 ? 8 : sb % 4 == 0 ? 4
                 : sb % 2 == 0 ? 2 : 1;
    if (div % (16 / gg) != 0) {
      tlOpError(op,
                "inst \"%s\" needs a 16-byte aligned start, but the %s "
                "index of dimension %lld is only known to be divisible "
                "by %lld",
                kind, s->role, (long long)d, (long long)div);
      return false;
    }
    bytes *= s->ext[d];
  }
  *out = bytes;
  return true;
}

/* inst = "bulk_load" / "bulk_store": each side one contiguous, in-bounds,
   16-byte aligned run of a multiple of 16 bytes. */
static bool readBulk(TlLower *c, bool load) {
  MlirOperation op = c->op;
  const char *kind = load ? "bulk_load" : "bulk_store";
  TlSide *g, *sh;
  if (!tlReadGlobalShared(c, load, kind, &g, &sh))
    return false;
  if (mlirOperationIsNull(c->func) || !tlOpIsNamed(c->func, "gpu.func")) {
    tlOpError(op, "inst \"%s\" must be inside a gpu.func", kind);
    return false;
  }
  if (!mlirTypeEqual(g->elt, sh->elt) || g->bits % 8 != 0) {
    tlOpError(op, "inst \"%s\" needs one byte-sized element type on both sides",
              kind);
    return false;
  }
  if (sh->swz) {
    tlOpError(op, "inst \"%s\" cannot write a swizzled shared buffer", kind);
    return false;
  }
  int64_t eb = g->bits / 8;
  TlSide *sides[2] = {g, sh};
  c->bytes = eb;
  for (int i = 0; i < 2; ++i)
    if (!sideRun(c, sides[i], kind, eb, &c->bytes))
      return false;
  if (c->bytes % 16 != 0 || c->bytes > (INT64_C(1) << 20) - 1) {
    tlOpError(op,
              "inst \"%s\" moves %lld bytes; it needs a multiple of 16 "
              "below 2^20",
              kind, (long long)c->bytes);
    return false;
  }
  return true;
}

bool tlBulkLoadRead(TlLower *c) { return readBulk(c, true); }

bool tlBulkStoreRead(TlLower *c) { return readBulk(c, false); }

/* The byte address of the region's first element: the aligned pointer
   (as an index) plus the linearized indices times the element size. */
static MlirValue regionAddress(TlEmitter *e, MlirOperation at, TlSide *s) {
  MlirType index = tlIndexTy(e);
  MlirValue base =
      tlRes0(tlMk(e, e->hoist, "memref.extract_aligned_pointer_as_index", 1,
                  &s->buffer, 1, &index, 0, NULL));
  int64_t eb = s->bits / 8;
  MlirValue off = tlCst(e, 0);
  for (intptr_t d = 0; d < s->rank; ++d)
    off = tlAddV(e, at, off,
                 tlMulV(e, at, s->idx[d], tlCst(e, s->sstride[d] * eb)));
  return tlAddV(e, at, base, off);
}

/* The global pointer: a memref in #gpu.address_space<global> already holds
   a global address; a generic one goes through cvta.to.global. */
static MlirValue globalPtr(TlEmitter *e, MlirOperation y, TlSide *g,
                           MlirValue addr) {
  if (!mlirAttributeIsNull(mlirMemRefTypeGetMemorySpace(g->type)))
    return tlIndexToPtr(e, y, addr, 1);
  return tlIndexToSpacePtr(e, y, addr, 1);
}

static void issueBulk(TlEmitter *e, TlLower *c, TlAsync *a, bool load) {
  TlFuncTma *f = tlFuncTma(e);
  TlSide *g = load ? &c->src : &c->dst, *sh = load ? &c->dst : &c->src;
  MlirOperation at = e->top;
  MlirValue gAddr = regionAddress(e, at, g), sAddr = regionAddress(e, at, sh);
  if (!load)
    tlAsyncProxyFenceAndBarrier(e, at);
  MlirOperation y = tlOpenElected(e, f, a);
  MlirValue pol = tlL2Policy(e, y);
  MlirValue size = tlI32Const(e, y, c->bytes);
  MlirValue gp = globalPtr(e, y, g, gAddr);
  bool hasPol = !mlirValueIsNull(pol);
  if (load) {
    tlArmMbarrier(e, a, size);
    MlirValue ops[5] = {tlIndexToPtr(e, y, sAddr, 7), gp, a->bar, size, pol};
    int32_t seg[6] = {1, 1, 1, 1, 0, hasPol ? 1 : 0};
    MlirNamedAttribute s = tlNamed(e->ctx, "operandSegmentSizes",
                                   mlirDenseI32ArrayGet(e->ctx, 6, seg));
    tlMk(e, y, "nvvm.cp.async.bulk.shared.cluster.global", hasPol ? 5 : 4, ops,
         0, NULL, 1, &s);
    return;
  }
  MlirValue ops[4] = {gp, tlIndexToPtr(e, y, sAddr, 3), size, pol};
  int32_t seg[5] = {1, 1, 1, hasPol ? 1 : 0, 0};
  MlirNamedAttribute s = tlNamed(e->ctx, "operandSegmentSizes",
                                 mlirDenseI32ArrayGet(e->ctx, 5, seg));
  tlMk(e, y, "nvvm.cp.async.bulk.global.shared.cta", hasPol ? 4 : 3, ops, 0,
       NULL, 1, &s);
  tlCommitBulkGroup(e, a);
}

void tlBulkLoadIssue(TlEmitter *e, TlLower *c, TlAsync *a) {
  issueBulk(e, c, a, true);
}

void tlBulkStoreIssue(TlEmitter *e, TlLower *c, TlAsync *a) {
  issueBulk(e, c, a, false);
}
