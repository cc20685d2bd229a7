/* 1-D bulk copies, bulk_load / bulk_store (docs/tma.md, "Bulk copies"):
 * one cp.async.bulk between a global and a shared buffer, each side one
 * contiguous run of memory.
 *
 * inst "bulk_load" and "bulk_store" (docs/tma.md, "Bulk copies"): a 1-D
 * cp.async.bulk of one contiguous, in-bounds, 16-byte aligned run between
 * global and shared memory, issued by one elected thread; it completes
 * like the tiled TMA copies (copy/Mbarrier.c): a load on the mbarrier's
 * parity, a store on its bulk group's reads. */
#include <stdio.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Dialect/LLVM.h>

#include "Diag.h"
#include "IRBuild.h"
#include "IndexRange.h"
#include "Inst.h"
#include "Lower.h"
#include "Select.h"
#include "Support.h"

//===--------------------------------------------------------------------===//
// Selection (tl-infer-layouts)
//===--------------------------------------------------------------------===//

static int64_t selGcd64(int64_t a, int64_t b) {
  while (b) {
    int64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/* One side: provably in bounds, static row-major, not swizzled, its start
   16-byte aligned, one contiguous run; its byte count in *bytesOut. */
static bool selBulkSide(const TlSelState *st, const TlSelSide *s, int64_t eb,
                        int64_t *bytesOut, char *why, size_t cap) {
  const char *mem = s->scope == TlScopeGlobal ? "global" : "shared";
  for (intptr_t d = 0; d < s->rank; ++d)
    if (s->check[d])
      TL_SEL_NO("the %s region is not provably in bounds (bounds_check on "
                "dimension %lld); a bulk copy has no bounds handling",
                s->role, (long long)d);
  if (!tlStaticRowMajor(s->type, NULL))
    TL_SEL_NO("the %s %s has a dynamic shape or a non-identity layout", mem,
              s->role);
  if (s->scope == TlScopeShared && tlSelSideSwizzle(st, s) > 0)
    TL_SEL_NO("the shared %s is swizzled (a bulk copy writes it linearly)",
              s->role);
  const char *what = "";
  if (tlSelBaseAlign(s->buffer, &what) < 16)
    TL_SEL_NO("the start of the %s %s is not known to be 16-byte aligned "
              "(%s)",
              mem, s->role, what);
  intptr_t first = -1;
  for (intptr_t d = 0; d < s->rank; ++d)
    if (s->ext[d] != 1 && first < 0)
      first = d;
  int64_t bytes = eb, stride = eb;
  for (intptr_t d = s->rank - 1; d >= 0; --d) {
    if (first >= 0 && d > first && s->ext[d] != s->shape[d])
      TL_SEL_NO("the %s region is not one contiguous run (dimension %lld: "
                "extent %lld of %lld)",
                s->role, (long long)d, (long long)s->ext[d],
                (long long)s->shape[d]);
    int64_t need = 16 / selGcd64(stride % 16 == 0 ? 16 : stride, 16);
    int64_t div = tlIndexDivisor(s->idx[d]);
    if (div % need != 0)
      TL_SEL_NO("the start of the %s region is not provably 16-byte "
                "aligned (the index of dimension %lld is only known to be "
                "divisible by %lld; its stride is %lld bytes)",
                s->role, (long long)d, (long long)div, (long long)stride);
    if (__builtin_mul_overflow(bytes, s->ext[d], &bytes) ||
        __builtin_mul_overflow(stride, s->shape[d], &stride))
      TL_SEL_NO("the %s buffer is too large to address (its byte strides "
                "overflow 64 bits)",
                s->role);
  }
  *bytesOut = bytes;
  return true;
}

/* Whether the copy can be one cp.async.bulk (global <-> shared, each side
   one contiguous run of memory, provably in bounds, 16-byte aligned, a
   multiple of 16 bytes); fills bulkBytes, or the reason. */
bool tlSelBulkCheck(TlSelect *s, char *why, size_t cap) {
  s->bulkBytes = 0;
  bool gs = s->s[0].scope == TlScopeGlobal && s->s[1].scope == TlScopeShared;
  bool sg = s->s[0].scope == TlScopeShared && s->s[1].scope == TlScopeGlobal;
  if (!gs && !sg)
    TL_SEL_NO("bulk copies move between global and shared memory only (this "
              "copy is %s->%s)",
              tlScopeGetName(s->s[0].scope), tlScopeGetName(s->s[1].scope));
  TlTarget t = tlSelTarget(s);
  if (t.sm < 90)
    TL_SEL_NO("chip %s has no bulk copies (sm_90 or later)", t.chip);
  if (t.ptx && t.ptx < 80)
    TL_SEL_NO("bulk copies need PTX ISA 8.0, but the target's features say "
              "+ptx%d",
              t.ptx);
  TlCopyOptions o = tlCopyOpGetOptions(s->op);
  if (o.disableTma)
    TL_SEL_NO("disable_tma is set (bulk copies use the TMA unit)");
  if (!mlirAttributeIsNull(s->loop))
    TL_SEL_NO("a loop_layout is given (SIMT only)");
  if (s->demand)
    TL_SEL_NO("coalesced_width is set (SIMT only)");
  if (!mlirTypeEqual(s->s[0].elt, s->s[1].elt))
    TL_SEL_NO("the copy casts between element types (a bulk copy moves "
              "bytes)");
  if (s->s[0].storageBits % 8 != 0 || s->s[0].storageBits == 0)
    TL_SEL_NO("the elements are not whole bytes");
  int64_t eb = s->s[0].storageBits / 8;
  int64_t total = -1;
  for (int i = 0; i < 2; ++i)
    if (!selBulkSide(s->st, &s->s[i], eb, &total, why, cap))
      return false;
  if (total % 16 != 0)
    TL_SEL_NO("the copy moves %lld bytes, not a multiple of 16",
              (long long)total);
  if (total > TL_SEL_MAX_TX_BYTES)
    TL_SEL_NO("the copy moves %lld bytes, more than one mbarrier transaction "
              "counts (%lld)",
              (long long)total, (long long)TL_SEL_MAX_TX_BYTES);
  s->bulkBytes = total;
  return true;
}

/* Bulk copies on demand (use_bulk), or with prefer-tma ahead of a tiled
   TMA (one instruction, no tensor map). */
TlSelVerdict tlSelBulkPrefer(TlSelect *s, bool can, char *why, size_t cap) {
  TlCopyOptions o = tlCopyOpGetOptions(s->op);
  const char *clash = s->useBulk != 1      ? NULL
                      : s->useTma == 1     ? "use_tma = true"
                      : s->useCpAsync == 1 ? "use_cp_async = true"
                      : o.disableTma       ? "disable_tma"
                                           : NULL;
  if (clash) {
    tlSelError(s->st, s->op, "use_bulk = true and %s contradict each other",
               clash);
    return TlSelFail;
  }
  if (s->useBulk == 1 && !can) {
    tlSelError(s->st, s->op,
               "use_bulk = true, but a bulk copy cannot be "
               "used: %s",
               why);
    return TlSelFail;
  }
  bool want = s->useBulk == 1 || (s->useBulk < 0 && s->st->opts->preferTma &&
                                  s->useTma != 1 && s->useCpAsync != 1);
  if (can && want)
    return TlSelTake;
  if (can)
    snprintf(why, cap, "%s",
             s->useBulk == 0      ? "use_bulk = false"
             : s->useTma == 1     ? "use_tma = true"
             : s->useCpAsync == 1 ? "use_cp_async is set"
                                  : "use_bulk = true or prefer-tma "
                                    "selects it");
  else if (!strncmp(why, "chip ", 5) || !strncmp(why, "bulk copies move", 16))
    why[0] = 0; /* not a bulk-copy chip or copy: nothing to say */
  return TlSelPass;
}

void tlSelBulkChoose(TlSelect *s) {
  MlirContext ctx = mlirOperationGetContext(s->op);
  s->bulk = true;
  tlSetAttr(s->op, TL_ATTR_INST,
               mlirStringAttrGet(
                   ctx, mlirStringRefCreateFromCString(tlInstName(s->inst))));
}

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
  MlirType index = tlIndexTy(&e->b);
  MlirValue base =
      tlRes0(tlMk(&e->b, e->b.hoist, "memref.extract_aligned_pointer_as_index",
                  1, &s->buffer, 1, &index, 0, NULL));
  int64_t eb = s->bits / 8;
  MlirValue off = tlCst(&e->b, 0);
  for (intptr_t d = 0; d < s->rank; ++d)
    off =
        tlAddV(&e->b, at, off,
               tlMulV(&e->b, at, s->idx[d], tlCst(&e->b, s->sstride[d] * eb)));
  return tlAddV(&e->b, at, base, off);
}

/* The global pointer: a memref in #gpu.address_space<global> already holds
   a global address; a generic one goes through cvta.to.global. */
static MlirValue globalPtr(TlEmitter *e, MlirOperation y, TlSide *g,
                           MlirValue addr) {
  if (!mlirAttributeIsNull(mlirMemRefTypeGetMemorySpace(g->type)))
    return tlIndexToPtr(&e->b, y, addr, 1);
  return tlIndexToSpacePtr(&e->b, y, addr, 1);
}

static void issueBulk(TlEmitter *e, TlLower *c, TlAsync *a, bool load) {
  TlFuncTma *f = tlFuncTma(e);
  TlSide *g = load ? &c->src : &c->dst, *sh = load ? &c->dst : &c->src;
  MlirOperation at = e->b.top;
  MlirValue gAddr = regionAddress(e, at, g), sAddr = regionAddress(e, at, sh);
  if (!load)
    tlAsyncProxyFenceAndBarrier(e, at);
  MlirOperation y = tlOpenElected(e, f, a);
  MlirValue pol = tlL2Policy(e, y);
  MlirValue size = tlI32Const(&e->b, y, c->bytes);
  MlirValue gp = globalPtr(e, y, g, gAddr);
  bool hasPol = !mlirValueIsNull(pol);
  if (load) {
    tlArmMbarrier(e, a, size);
    MlirValue ops[5] = {tlIndexToPtr(&e->b, y, sAddr, 7), gp, a->bar, size,
                        pol};
    int32_t seg[6] = {1, 1, 1, 1, 0, hasPol ? 1 : 0};
    MlirNamedAttribute s = tlNamed(e->b.ctx, "operandSegmentSizes",
                                   mlirDenseI32ArrayGet(e->b.ctx, 6, seg));
    tlMk(&e->b, y, "nvvm.cp.async.bulk.shared.cluster.global", hasPol ? 5 : 4,
         ops, 0, NULL, 1, &s);
    return;
  }
  MlirValue ops[4] = {gp, tlIndexToPtr(&e->b, y, sAddr, 3), size, pol};
  int32_t seg[5] = {1, 1, 1, hasPol ? 1 : 0, 0};
  MlirNamedAttribute s = tlNamed(e->b.ctx, "operandSegmentSizes",
                                 mlirDenseI32ArrayGet(e->b.ctx, 5, seg));
  tlMk(&e->b, y, "nvvm.cp.async.bulk.global.shared.cta", hasPol ? 4 : 3, ops, 0,
       NULL, 1, &s);
  tlCommitBulkGroup(e, a);
}

void tlBulkLoadIssue(TlEmitter *e, TlLower *c, TlAsync *a) {
  issueBulk(e, c, a, true);
}

void tlBulkStoreIssue(TlEmitter *e, TlLower *c, TlAsync *a) {
  issueBulk(e, c, a, false);
}
