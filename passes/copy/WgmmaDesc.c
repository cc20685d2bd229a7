/* tl.wgmma_descriptor (docs/mma-interop.md): the 64-bit matrix descriptor
 * through which wgmma reads a K-major operand tile from shared memory.
 *
 * The tile is a tl.region [.., rows, K] of a workgroup buffer whose rows
 * are one swizzle span (32, 64 or 128 bytes: K-major, "one atom wide"), the
 * region one wgmma's operand: rows a multiple of 8 (core matrices), K of
 * 32 bytes (k16 for 16-bit types). wgmma then finds row r, 16-byte chunk c
 * at start + r * span + c * 16 with the chunk index XORed with r mod (span
 * / 16) — tl's swizzle of the buffer (docs/tma.md "Swizzle"), provided the
 * 8-row atom starts at a multiple of 8 * span bytes. So:
 *
 * - tl-infer-layouts (tlSelWgmmaDescriptors) checks the tile and gives the
 *   buffer the span as its swizzle (a conflicting one is an error), which
 *   every copy into it, TMA's tensor map included, then follows;
 * - tl-lower-copy (tlLowerWgmmaDescriptors) builds the bits: start address
 *   >> 4 (bits 0-13), leading byte offset 1 (unused by swizzled K-major
 *   layouts), stride byte offset 8 * span >> 4 (bits 32-45: the next 8-row
 *   atom), base offset 0 (atoms are aligned), layout 1/2/3 for the
 *   128/64/32-byte swizzle (bits 62-63). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "Diag.h"
#include "Fold.h"
#include "IRBuild.h"
#include "IndexRange.h"
#include "Lower.h"
#include "Select.h"
#include "Side.h"
#include "Support.h"
#include "Target.h"

#define OP "tl.wgmma_descriptor"

typedef struct Tile {
  TlCopySide s;
  int64_t eb;   /* element bytes */
  int64_t span; /* bytes per row: the swizzle wgmma reads it through */
  int64_t strides[TL_SIDE_MAX_RANK];
} Tile;

/* Index d of the tile: in [0, shape - ext], a multiple of `mult`. */
static bool checkIndex(const Tile *t, intptr_t d, int64_t mult, char *why,
                       size_t cap) {
  const TlCopySide *s = &t->s;
  if (mlirValueIsNull(s->idx[d]))
    return true;
  int64_t hi = s->shape[d] - s->ext[d], k;
  if (tlGetConstantIndex(s->idx[d], &k)) {
    if (k < 0 || k > hi)
      TL_SEL_NO("the region's index %lld of dimension %lld leaves the "
                "buffer (extent %lld of %lld)",
                (long long)k, (long long)d, (long long)s->ext[d],
                (long long)s->shape[d]);
    if (k % mult != 0)
      TL_SEL_NO("the region's index %lld of dimension %lld is not a "
                "multiple of %lld",
                (long long)k, (long long)d, (long long)mult);
    return true;
  }
  TlRange r = tlIndexRange(s->idx[d]);
  if (!r.known || r.lo < 0 || r.hi > hi)
    TL_SEL_NO("the region's index of dimension %lld is not provably in "
              "[0, %lld] (a descriptor has no bounds check)",
              (long long)d, (long long)hi);
  if (tlIndexDivisor(s->idx[d]) % mult != 0)
    TL_SEL_NO("the region's index of dimension %lld is not provably a "
              "multiple of %lld",
              (long long)d, (long long)mult);
  return true;
}

/* Reads op's tile into *t; false with the reason in `why`. */
static bool readTile(MlirOperation op, Tile *t, char *why, size_t cap) {
  memset(t, 0, sizeof *t);
  TlCopySide *s = &t->s;
  TlSideStatus st = tlCopySideRead(s, "tile", mlirOperationGetOperand(op, 0));
  if ((st != TlSideOk && st != TlSideBadBoundsCheck) ||
      s->scope != TlScopeShared || (s->region.ptr && !s->hasExtents) ||
      s->rank < 2)
    TL_SEL_NO("the tile is not a shared tl.region with extents of rank >= 2 "
              "(run tl-verify)");
  if (!tlStaticRowMajor(s->type, t->strides))
    TL_SEL_NO("its buffer needs a static shape and the identity layout");
  if (s->bits != s->storageBits ||
      (s->bits != 8 && s->bits != 16 && s->bits != 32))
    TL_SEL_NO("wgmma reads 8-, 16- or 32-bit elements");
  intptr_t r = s->rank;
  t->eb = s->bits / 8;
  t->span = s->shape[r - 1] * t->eb;
  if (t->span != 32 && t->span != 64 && t->span != 128)
    TL_SEL_NO("wgmma reads K-major rows of one swizzle span (32, 64 or 128 "
              "bytes), but the buffer's rows are %lld bytes",
              (long long)t->span);
  if (s->shape[r - 2] <= 0 || s->shape[r - 2] % 8 != 0)
    TL_SEL_NO("the buffer has %lld rows, not a multiple of 8 (each 8-row "
              "swizzle atom must start at a multiple of %lld bytes)",
              (long long)s->shape[r - 2], (long long)(8 * t->span));
  if (s->ext[r - 1] * t->eb != 32)
    TL_SEL_NO("one wgmma reads 32 bytes of K per row (%lld elements), but "
              "the region's innermost extent is %lld",
              (long long)(32 / t->eb), (long long)s->ext[r - 1]);
  if (s->ext[r - 2] <= 0 || s->ext[r - 2] % 8 != 0)
    TL_SEL_NO("the region's %lld rows are not a positive multiple of 8 "
              "(wgmma's core matrices)",
              (long long)s->ext[r - 2]);
  for (intptr_t d = 0; d + 2 < r; ++d)
    if (s->ext[d] != 1)
      TL_SEL_NO("the region's extent of dimension %lld is %lld; only the "
                "last two (rows, K) may exceed 1",
                (long long)d, (long long)s->ext[d]);
  for (intptr_t d = 0; d < r; ++d)
    if (!checkIndex(t, d, d == r - 1 ? 32 / t->eb : d == r - 2 ? 8 : 1, why,
                    cap))
      return false;
  return true;
}

//===--------------------------------------------------------------------===//
// tl-infer-layouts: the check and the swizzle
//===--------------------------------------------------------------------===//

static void demand(TlSelState *st, MlirOperation op) {
  char why[TL_SEL_WHY];
  TlTarget tg = tlTargetOf(op, st->opts->chip, NULL);
  if (strcmp(tg.chip, "sm_90a") != 0) {
    tlSelError(st, op, "wgmma needs sm_90a, but the target is %s", tg.chip);
    return;
  }
  Tile t;
  if (!readTile(op, &t, why, sizeof why)) {
    tlSelError(st, op, "wgmma cannot read this tile: %s", why);
    return;
  }
  long k = tlSelMarkWorkgroup(st, t.s.buffer);
  if (k < 0) {
    tlSelError(st, op, "wgmma cannot read this tile: its buffer is not a "
                       "workgroup attribution of the gpu.func");
    return;
  }
  TlSelWorkgroup *w = &st->wg[k];
  if (w->swizzle < 0) {
    w->swizzle = t.span;
    w->setter = op;
    return;
  }
  if (w->swizzle == t.span)
    return;
  TlStr who = {0};
  tlSelAppendSwizzleSetter(&who, w, NULL);
  tlSelError(st, op,
             "wgmma reads this tile's %lld-byte rows through the %lld-byte "
             "swizzle, but %s",
             (long long)t.span, (long long)t.span, tlStrGet(&who));
  tlStrFree(&who);
}

static MlirWalkResult visitDemand(MlirOperation op, void *ud) {
  if (tlOpIsNamed(op, OP))
    demand(ud, op);
  return MlirWalkResultAdvance;
}

void tlSelWgmmaDescriptors(TlSelState *st, MlirOperation root) {
  mlirOperationWalk(root, visitDemand, st, MlirWalkPreOrder);
}

//===--------------------------------------------------------------------===//
// tl-lower-copy: the bits
//===--------------------------------------------------------------------===//

static bool lowerOne(MlirOperation op) {
  char why[TL_SEL_WHY];
  Tile t;
  if (!readTile(op, &t, why, sizeof why)) {
    tlOpError(op, "wgmma cannot read this tile: %s", why);
    return false;
  }
  int64_t swz = tlWorkgroupSwizzle(t.s.buffer);
  if (swz != t.span) {
    tlOpError(op,
              "the tile's buffer has swizzle %lld, not the %lld bytes of its "
              "rows: run tl-infer-layouts first (it gives the buffer "
              "wgmma's swizzle)",
              (long long)swz, (long long)t.span);
    return false;
  }
  TlBuild b;
  tlBuildInit(&b, op, mlirOperationGetLocation(op), TlConstsInPlace);
  MlirType i64 = mlirIntegerTypeGet(b.ctx, 64);
  MlirValue base = tlRes0(tlMk(&b, op, "memref.extract_aligned_pointer_as_index",
                               1, &t.s.buffer, 1, &b.index, 0, NULL));
  /* Byte offset of the tile: constant indices folded, dynamic ones scaled. */
  int64_t off = 0, k;
  for (intptr_t d = 0; d < t.s.rank; ++d) {
    if (mlirValueIsNull(t.s.idx[d]))
      continue;
    if (tlGetConstantIndex(t.s.idx[d], &k))
      off += k * t.strides[d] * t.eb;
    else
      base = tlAddV(&b, op, base,
                    tlMulV(&b, op, t.s.idx[d],
                           tlCst(&b, t.strides[d] * t.eb)));
  }
  MlirValue addr = tlIndexCast(&b, op, base, i64);
  if (off != 0)
    addr = tlBinop(&b, op, "arith.addi", addr, tlIntConst(&b, op, i64, off));
  /* Shared addresses are below 2^18: 14 bits of 16-byte units. */
  MlirValue start = tlBinop(&b, op, "arith.andi", addr,
                            tlIntConst(&b, op, i64, 0x3FFFF));
  start = tlBinop(&b, op, "arith.shrui", start, tlIntConst(&b, op, i64, 4));
  uint64_t layout = t.span == 128 ? 1 : t.span == 64 ? 2 : 3;
  uint64_t fields = (UINT64_C(1) << 16) |
                    ((uint64_t)(8 * t.span >> 4) << 32) | (layout << 62);
  MlirValue desc = tlBinop(&b, op, "arith.ori", start,
                           tlIntConst(&b, op, i64, (int64_t)fields));
  tlBuildFinish(&b);
  mlirValueReplaceAllUsesOfWith(mlirOperationGetResult(op, 0), desc);
  MlirOperation region = t.s.region;
  mlirOperationDestroy(op);
  if (region.ptr)
    tlEraseIfUnused(region);
  return true;
}

bool tlLowerWgmmaDescriptors(MlirOperation root) {
  TlOpList ops = {NULL, 0, 0};
  tlCollectOps(root, OP, &ops);
  bool ok = true;
  for (size_t i = 0; i < ops.n; ++i)
    ok &= lowerOne(ops.ops[i]);
  free(ops.ops);
  return ok;
}
