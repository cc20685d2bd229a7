/* inst "cp_async" (docs/mma-copies.md): a thread-mapped copy global ->
 * shared whose chunks are 4, 8 or 16 bytes moved by cp.async; out-of-bounds
 * chunks read nothing and fill with zeros (src-size 0). Issue: the chunks
 * and a commit_group; complete: wait_group 0 (the barrier before the
 * readers is the copy barriers' job). */
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Dialect/LLVM.h>

#include "Diag.h"
#include "IRBuild.h"
#include "Inst.h"
#include "Lower.h"

//===--------------------------------------------------------------------===//
// Emission (tl-lower-copy)
//===--------------------------------------------------------------------===//

/* inst = "cp_async": a SIMT copy whose chunks are 4, 8 or 16 bytes moved
   global -> shared by cp.async. */
static bool checkCpAsync(TlLower *c) {
  if (c->src.scope != TlScopeGlobal || c->dst.scope != TlScopeShared) {
    tlOpError(c->op,
              "inst \"cp_async\" copies global to shared memory, but "
              "this copy is %s->%s",
              tlScopeGetName(c->src.scope), tlScopeGetName(c->dst.scope));
    return false;
  }
  if (!mlirTypeEqual(c->src.elt, c->dst.elt) || c->src.bits % 8 != 0) {
    tlOpError(c->op, "inst \"cp_async\" needs one byte-sized element type on "
                     "both sides");
    return false;
  }
  int64_t bytes = c->v * (c->src.bits / 8);
  if (bytes != 4 && bytes != 8 && bytes != 16) {
    tlOpError(c->op,
              "inst \"cp_async\" moves 4, 8 or 16 bytes per chunk, but "
              "vector_width %lld gives %lld",
              (long long)c->v, (long long)bytes);
    return false;
  }
  c->src.addr = true;
  c->src.evict = false;
  c->dst.addr = true;
  return true;
}

bool tlCpAsyncRead(TlLower *c) {
  return tlReadThreadMapped(c) && checkCpAsync(c) && tlPlanChunks(c);
}

/* One cp.async chunk: cp-size v * bytes, src-size 0 out of bounds. */
static void cpAsyncChunk(TlEmitter *e, MlirOperation at, const MlirValue *si,
                         const MlirValue *di) {
  TlLower *c = e->c;
  MlirValue dpred = tlInBounds(e, at, &c->dst, di);
  if (!mlirValueIsNull(dpred))
    tlBuildIfBefore(at, e->loc, dpred, 0, NULL, &at, NULL);
  MlirValue spred = tlInBounds(e, at, &c->src, si);
  int64_t bytes = c->v * (c->src.bits / 8);
  MlirValue ops[3];
  ops[0] = tlPointerTo(e, at, &c->dst, di, 3, (MlirValue){NULL});
  ops[1] = tlPointerTo(e, at, &c->src, si, 1, spred);
  MlirType i32 = mlirIntegerTypeGet(e->ctx, 32);
  MlirValue full = tlI32Const(e, at, bytes);
  if (mlirValueIsNull(spred)) {
    ops[2] = full;
  } else {
    MlirValue sel[3] = {spred, full, tlI32Const(e, at, 0)};
    ops[2] = tlRes0(tlMk(e, at, "arith.select", 3, sel, 1, &i32, 0, NULL));
  }
  MlirNamedAttribute attrs[2] = {
      tlNamed(e->ctx, "size", mlirIntegerAttrGet(i32, bytes)),
      tlNamed(e->ctx, "modifier",
              mlirAttributeParseGet(
                  e->ctx, mlirStringRefCreateFromCString(
                              bytes == 16 ? "#nvvm<load_cache_modifier cg>"
                                          : "#nvvm<load_cache_modifier ca>")))};
  tlMk(e, at, "nvvm.cp.async.shared.global", 3, ops, 0, NULL, 2, attrs);
}

void tlCpAsyncIssue(TlEmitter *e, TlLower *c, TlAsync *a) {
  (void)c;
  tlEmitChunks(e, cpAsyncChunk);
  tlMk(e, e->top, "nvvm.cp.async.commit.group", 0, NULL, 0, NULL, 0, NULL);
  a->kind = TlCompleteGroup;
  a->group = 0;
}

void tlCpAsyncComplete(TlEmitter *e, TlLower *c, TlAsync *a) {
  (void)c;
  MlirNamedAttribute n = tlNamed(
      e->ctx, "n",
      mlirIntegerAttrGet(mlirIntegerTypeGet(e->ctx, 32), a->group));
  tlMk(e, e->top, "nvvm.cp.async.wait.group", 0, NULL, 0, NULL, 1, &n);
}
