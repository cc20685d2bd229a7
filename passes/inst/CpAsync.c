/* cp.async (docs/mma-copies.md): global -> shared copies of 4, 8 or 16
 * bytes per thread that bypass the registers, completed through cp.async
 * groups.
 *
 * inst "cp_async" (docs/mma-copies.md): a thread-mapped copy global ->
 * shared whose chunks are 4, 8 or 16 bytes moved by cp.async; out-of-bounds
 * chunks read nothing and fill with zeros (src-size 0). Issue: the chunks
 * and a commit_group; complete: wait_group N, N the groups committed
 * after it that may stay in flight (0 for a tl.copy; the barrier before
 * the readers is the copy barriers' job). */
#include <stdio.h>
#include <stdlib.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>
#include <mlir-c/Dialect/LLVM.h>

#include "Diag.h"
#include "IRBuild.h"
#include "Inst.h"
#include "Lower.h"
#include "Select.h"

//===--------------------------------------------------------------------===//
// Selection (tl-infer-layouts)
//===--------------------------------------------------------------------===//

/* Whether a global -> shared copy with vector width v can be cp.async
   (docs/mma-copies.md). */
bool tlSelCpAsyncCheck(TlSelect *it, char *why, size_t cap) {
  int64_t v = it->v;
  if (it->s[0].scope != TlScopeGlobal || it->s[1].scope != TlScopeShared)
    TL_SEL_NO("cp.async copies global to shared memory only");
  TlTarget t = tlSelTarget(it);
  if (t.sm < 80)
    TL_SEL_NO("chip %s has no cp.async (sm_80+)", t.chip);
  if (t.ptx && t.ptx < 70)
    TL_SEL_NO(
        "cp.async needs PTX ISA 7.0, but the target's features say +ptx%d",
        t.ptx);
  if (!mlirAttributeIsNull(it->loop))
    TL_SEL_NO("a loop_layout is given (SIMT only)");
  if (!mlirTypeEqual(it->s[0].elt, it->s[1].elt))
    TL_SEL_NO("the copy casts its elements (cp.async moves bytes)");
  if (it->s[0].storageBits % 8 != 0)
    TL_SEL_NO("sub-byte elements");
  int64_t bytes = v * (it->s[0].storageBits / 8);
  if (bytes != 4 && bytes != 8 && bytes != 16)
    TL_SEL_NO("chunks of %lld bytes (v=%lld); cp.async moves 4, 8 or 16",
              (long long)bytes, (long long)v);
  TlCopyOptions o = tlCopyOpGetOptions(it->op);
  if (o.evictionPolicy == TlEvictFirst || o.evictionPolicy == TlEvictLast)
    TL_SEL_NO("an eviction_policy is set (cp.async has no L1 eviction "
              "qualifier)");
  if (!tlSelSafeValueIsZero(&o))
    TL_SEL_NO("safe_value is not 0 (cp.async fills with zeros)");
  return true;
}

/* The default global -> shared path on sm_80..sm_89, chosen by annotations
   use_cp_async = true elsewhere. */
TlSelVerdict tlSelCpAsyncPrefer(TlSelect *s, bool can, char *why, size_t cap) {
  /* cp.async is the default before sm_90, and on later chips for a
     split-phase copy TMA cannot carry (docs/performance.md, "Defaults"). */
  int sm = tlSelTarget(s).sm;
  bool dflt = (sm >= 80 && sm < 90) ||
              (sm >= 90 && tlOperationIsACopyAsync(s->op));
  bool want = s->useCpAsync == 1 || (s->useCpAsync < 0 && dflt);
  if (s->useCpAsync == 1 && !can) {
    tlSelError(s->st, s->op,
               "use_cp_async = true, but cp.async cannot be "
               "used: %s",
               why);
    return TlSelFail;
  }
  if (can && want)
    return TlSelTake;
  if (can && s->useCpAsync == 0)
    snprintf(why, cap, "use_cp_async = false");
  else if (!dflt && s->useCpAsync < 0)
    why[0] = 0; /* not cp.async's chip: nothing to report */
  return TlSelPass;
}

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
    tlBuildIfBefore(at, e->b.loc, dpred, 0, NULL, &at, NULL);
  MlirValue spred = tlInBounds(e, at, &c->src, si);
  int64_t bytes = c->v * (c->src.bits / 8);
  MlirValue ops[3];
  ops[0] = tlPointerTo(e, at, &c->dst, di, 3, (MlirValue){NULL});
  ops[1] = tlPointerTo(e, at, &c->src, si, 1, spred);
  MlirType i32 = mlirIntegerTypeGet(e->b.ctx, 32);
  MlirValue full = tlI32Const(&e->b, at, bytes);
  if (mlirValueIsNull(spred)) {
    ops[2] = full;
  } else {
    MlirValue sel[3] = {spred, full, tlI32Const(&e->b, at, 0)};
    ops[2] = tlRes0(tlMk(&e->b, at, "arith.select", 3, sel, 1, &i32, 0, NULL));
  }
  MlirNamedAttribute attrs[2] = {
      tlNamed(e->b.ctx, "size", mlirIntegerAttrGet(i32, bytes)),
      tlNamed(
          e->b.ctx, "modifier",
          mlirAttributeParseGet(
              e->b.ctx, mlirStringRefCreateFromCString(
                            bytes == 16 ? "#nvvm<load_cache_modifier cg>"
                                        : "#nvvm<load_cache_modifier ca>")))};
  tlMk(&e->b, at, "nvvm.cp.async.shared.global", 3, ops, 0, NULL, 2, attrs);
}

void tlCpAsyncIssue(TlEmitter *e, TlLower *c, TlAsync *a) {
  (void)c;
  tlEmitChunks(e, cpAsyncChunk);
  tlMk(&e->b, e->b.top, "nvvm.cp.async.commit.group", 0, NULL, 0, NULL, 0,
       NULL);
  a->kind = TlCompleteGroup;
  a->group = 0;
}

/* wait_group a->group: the groups committed after this one may stay in
   flight (copy/Async.c counts them for a tl.copy_async). */
void tlCpAsyncComplete(TlEmitter *e, TlLower *c, TlAsync *a) {
  (void)c;
  MlirNamedAttribute n =
      tlNamed(e->b.ctx, "n",
              mlirIntegerAttrGet(mlirIntegerTypeGet(e->b.ctx, 32), a->group));
  tlMk(&e->b, tlAsyncWaitPoint(e, a), "nvvm.cp.async.wait.group", 0, NULL, 0,
       NULL, 1, &n);
}
