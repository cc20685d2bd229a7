/* What tl-infer-layouts says: located errors, the reasons a check gives,
 * the text of shapes, coordinates and locations in messages, and the
 * report (one line per op with `report`: the instruction, its parameters
 * and why the faster instructions were not used). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/AffineExpr.h>
#include <mlir-c/AffineMap.h>
#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "AffineEval.h"
#include "Diag.h"
#include "IRBuild.h"
#include "IndexRange.h"
#include "Select.h"
#include "TensorMap.h"

//===--------------------------------------------------------------------===//
// Messages
//===--------------------------------------------------------------------===//

void *tlSelGrow(void *p, size_t *cap, size_t n, size_t elt) {
  if (n < *cap)
    return p;
  *cap = *cap ? 2 * *cap : 16;
  p = realloc(p, *cap * elt);
  if (!p)
    abort(); /* out of memory */
  return p;
}

void tlSelAppendShape(TlStr *s, const int64_t *e, intptr_t n, const char *sep) {
  tlStrAppend(s, "[", 1);
  for (intptr_t i = 0; i < n; ++i)
    tlStrAppendf(s, "%s%lld", i ? sep : "", (long long)e[i]);
  tlStrAppend(s, "]", 1);
}

void tlSelAppendCoord(TlStr *s, const int64_t *c, intptr_t n) {
  tlStrAppend(s, "(", 1);
  for (intptr_t i = 0; i < n; ++i)
    tlStrAppendf(s, i ? ", %lld" : "%lld", (long long)c[i]);
  tlStrAppend(s, ")", 1);
}

/* "line:col" of an op, for messages that point at another op. */
void tlSelAppendLineCol(TlStr *s, MlirOperation op) {
  MlirStringRef file;
  int line, col;
  if (tlLocationFileLineCol(mlirOperationGetLocation(op), &file, &line, &col))
    tlStrAppendf(s, "%d:%d", line, col);
  else
    tlStrAppendf(s, "an unknown location");
}
void tlSelError(TlSelState *st, MlirOperation op, const char *fmt, ...) {
  st->failed = true;
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *text = malloc(n > 0 ? (size_t)n + 1 : 1);
  if (!text)
    abort();
  vsnprintf(text, n > 0 ? (size_t)n + 1 : 1, fmt, ap2);
  va_end(ap2);
  /* FNV-1a over the location (uniqued: clones share it) and the text. */
  uint64_t h = 1469598103934665603ULL;
  uintptr_t loc = (uintptr_t)mlirOperationGetLocation(op).ptr;
  for (size_t i = 0; i < sizeof loc; ++i)
    h = (h ^ ((loc >> (8 * i)) & 0xff)) * 1099511628211ULL;
  for (const char *c = text; *c; ++c)
    h = (h ^ (unsigned char)*c) * 1099511628211ULL;
  bool seen = false;
  for (size_t i = 0; i < st->nSeen && !seen; ++i)
    seen = st->seen[i] == h;
  if (!seen) {
    if (st->nSeen < TL_SEL_MAX_SEEN)
      st->seen[st->nSeen++] = h;
    tlOpError(op, "%s", text);
  }
  free(text);
}

bool tlSelNo(char *why, size_t cap, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, cap, fmt, ap);
  va_end(ap);
  return false;
}

TlTarget tlSelTarget(const TlSelect *it) {
  return tlTargetOf(it->op, it->st->opts->chip, NULL);
}

//===--------------------------------------------------------------------===//
// The report
//===--------------------------------------------------------------------===//

/* Why a faster instruction was not used, in the order the report lists
   them: engines only for global <-> shared copies, cp.async and ldmatrix /
   stmatrix only when the copy stayed SIMT. At most one instruction of each
   line has a reason (the direction of the copy decides which). */
static const struct {
  TlInst inst;
  const char *label;
  bool globalShared; /* only for global <-> shared copies */
  bool simtOnly;     /* only when the copy is SIMT */
} kNotUsed[] = {
    {TlInstTmaLoad, "TMA", true, false},
    {TlInstTmaStore, "TMA", true, false},
    {TlInstTmaIm2Col, "TMA", true, false},
    {TlInstBulkLoad, "bulk copy", true, false},
    {TlInstBulkStore, "bulk copy", true, false},
    {TlInstCpAsync, "cp.async", false, true},
    {TlInstLdmatrix, "ldmatrix", false, true},
    {TlInstStmatrix, "stmatrix", false, true},
};

static bool scopes(const TlSelect *it, TlScope a, TlScope b) {
  return (it->s[0].scope == a && it->s[1].scope == b) ||
         (it->s[0].scope == b && it->s[1].scope == a);
}

static void appendNotUsed(TlStr *s, const TlSelect *it) {
  bool gs = scopes(it, TlScopeGlobal, TlScopeShared);
  bool sfr = scopes(it, TlScopeShared, TlScopeFragment);
  for (size_t i = 0; i < sizeof kNotUsed / sizeof kNotUsed[0]; ++i) {
    TlInst inst = kNotUsed[i].inst;
    const char *why = it->why[inst];
    bool mma = inst == TlInstLdmatrix || inst == TlInstStmatrix;
    if (!why[0] || (kNotUsed[i].globalShared && !gs) ||
        (kNotUsed[i].simtOnly && it->inst != TlInstSimt) || (mma && !sfr))
      continue;
    tlStrAppendf(s, " (%s not used: %s)", kNotUsed[i].label, why);
  }
}

/* "file:line:col: tl.copy global->shared [64x64] f16->f16" (the op's name:
   tl.copy, tl.copy_async or tl.c2d_im2col) */
static void appendOp(TlStr *s, const TlSelect *it) {
  MlirStringRef file;
  int line, col;
  if (tlLocationFileLineCol(mlirOperationGetLocation(it->op), &file, &line, &col))
    tlStrAppendf(s, "%.*s:%d:%d: ", (int)file.length, file.data, line, col);
  else
    tlStrAppendf(s, "<unknown>: ");
  MlirStringRef name = mlirIdentifierStr(mlirOperationGetName(it->op));
  tlStrAppendf(s, "%.*s %s->%s ", (int)name.length, name.data,
               tlScopeGetName(it->s[0].scope), tlScopeGetName(it->s[1].scope));
  if (it->baseRank)
    tlSelAppendShape(s, it->base, it->baseRank, "x");
  else
    tlStrAppendf(s, "[1]");
  tlStrAppendf(s, " ");
  tlStrAppendType(s, it->s[0].elt);
  tlStrAppendf(s, "->");
  tlStrAppendType(s, it->s[1].elt);
}

static void appendTma(TlStr *s, const TlSelect *it) {
  tlStrAppendf(s, ": %s, box ", tlInstName(it->inst));
  tlSelAppendShape(s, it->box, it->boxRank, ", ");
  if (it->nBoxes)
    tlStrAppendf(s, " x%lld", (long long)it->nBoxes);
  if (it->swizzle)
    tlStrAppendf(s, ", swizzle %lld", (long long)it->swizzle);
  else
    tlStrAppendf(s, ", no swizzle");
  if (it->tmaBytes)
    tlStrAppendf(s, ", %lld bytes", (long long)it->tmaBytes);
}

/* One TMA im2col load per tile: its pixels x channels, swizzle and bytes
   (no per-thread fields: one elected thread issues it). */
static void appendTmaIm2Col(TlStr *s, const TlSelect *it) {
  const TlSelSide *col = &it->s[1];
  int64_t bm = col->rank >= 2 ? col->ext[col->rank - 2] : 0;
  int64_t bk = col->rank >= 1 ? col->ext[col->rank - 1] : 0;
  int64_t swz = tlSelSideSwizzle(it->st, col);
  tlStrAppendf(s, ": %s, %lld pixels x %lld channels per load, ",
               tlInstName(it->inst), (long long)bm, (long long)bk);
  if (swz > 0)
    tlStrAppendf(s, "swizzle %lld", (long long)swz);
  else
    tlStrAppendf(s, "no swizzle");
  tlStrAppendf(s, ", %lld bytes", (long long)(bm * bk * col->storageBits / 8));
}

static void appendPerThread(TlStr *s, const TlSelect *it) {
  int64_t bits = it->s[0].storageBits > it->s[1].storageBits ? it->s[0].storageBits : it->s[1].storageBits;
  tlStrAppendf(s, ": %s, v=%lld (%lld-byte), %lld threads",
               tlInstName(it->inst), (long long)it->v,
               (long long)(it->v * bits / 8), (long long)it->T);
  if (it->locals > 0) {
    int64_t chunks = (it->locals + it->v - 1) / it->v;
    tlStrAppendf(s, ", %lld chunk%s per thread", (long long)chunks,
                 chunks == 1 ? "" : "s");
  }
  appendNotUsed(s, it);
}

/* For tl.copy_async / tl.c2d_im2col_async (design.md §3.1), what it
   completes on and where: "; completes on an mbarrier at the tl.wait at
   31:7", or for a synchronous instruction "; done at the op (synchronous
   instruction), waited at the tl.wait at 31:7". */
static void appendAsync(TlStr *s, const TlSelect *it) {
  if (!tlOperationIsACopyAsync(it->op) && !tlOperationIsAnIm2ColAsync(it->op))
    return;
  static const char *const kOn[] = {
      [TlCompleteSync] = "done at the op (synchronous instruction), waited",
      [TlCompleteMbarrier] = "completes on an mbarrier",
      [TlCompleteGroup] = "completes on a cp.async group",
      [TlCompleteBulkGroup] = "completes on a bulk async-group"};
  const TlInstImpl *impl = tlInstImpl(it->inst);
  if (!impl || mlirOperationGetNumResults(it->op) != 1)
    return;
  tlStrAppendf(s, "; %s", kOn[impl->completion]);
  MlirOpOperand u = mlirValueGetFirstUse(mlirOperationGetResult(it->op, 0));
  MlirStringRef file;
  int line, col;
  if (!mlirOpOperandIsNull(u) &&
      tlOpIsNamed(mlirOpOperandGetOwner(u), "tl.join") &&
      tlLocationFileLineCol(mlirOperationGetLocation(mlirOpOperandGetOwner(u)), &file,
                  &line, &col)) {
    tlStrAppendf(s, ", one for all the copies of the tl.join at %d:%d,",
                 line, col);
    u = mlirValueGetFirstUse(mlirOperationGetResult(mlirOpOperandGetOwner(u), 0));
  }
  if (!mlirOpOperandIsNull(u) &&
      (tlOpIsNamed(mlirOpOperandGetOwner(u), "scf.for") ||
       tlOpIsNamed(mlirOpOperandGetOwner(u), "scf.yield"))) {
    tlStrAppendf(s, " at the tl.wait of a later iteration (its token is "
                    "carried by the loop)");
    return;
  }
  if (!mlirOpOperandIsNull(u) &&
      tlOpIsNamed(mlirOpOperandGetOwner(u), "tl.wait") &&
      tlLocationFileLineCol(mlirOperationGetLocation(mlirOpOperandGetOwner(u)), &file,
                  &line, &col))
    tlStrAppendf(s, " at the tl.wait at %d:%d", line, col);
}

/* tl-pipeline's note (pipeline/Rewrite.c, Plan.c): how a copy of a
   pipelined loop was pipelined, or why not; "prologue" on the copies
   before the loop, which the copy in the loop stands for. */
static MlirStringRef pipelineNote(const TlSelect *it) {
  MlirAttribute a = mlirOperationGetAttributeByName(
      it->op, mlirStringRefCreateFromCString("tl.pipeline"));
  if (mlirAttributeIsNull(a) || !mlirAttributeIsAString(a))
    return mlirStringRefCreate(NULL, 0);
  return mlirStringAttrGetValue(a);
}

/* Where report lines go: stderr, or a callback (tl-c/Compilation.h sets it
   while it compiles, under its lock). */
static struct {
  MlirStringCallback callback;
  void *userData;
} tlReportSink;

void tlSetReportSink(MlirStringCallback callback, void *userData) {
  tlReportSink.callback = callback;
  tlReportSink.userData = userData;
}

/* How the stage a pipelined refill writes is released (copy/Release.c):
   tl-pipeline's release barrier before it in its block says. */
static void appendRelease(TlStr *s, MlirOperation op) {
  MlirOperation barrier = {NULL};
  for (MlirOperation o = mlirBlockGetFirstOperation(mlirOperationGetBlock(op));
       !mlirOperationIsNull(o) && !mlirOperationEqual(o, op);
       o = mlirOperationGetNextInBlock(o))
    if (tlOpIsNamed(o, "gpu.barrier"))
      barrier = o;
  if (mlirOperationIsNull(barrier))
    return;
  if (mlirAttributeIsNull(tlGetAttr(barrier, "tl.stage_release"))) {
    tlStrAppendf(s, "; stages released by a block barrier");
    return;
  }
  const char *why = tlStageReleaseBlocker(barrier);
  if (why)
    tlStrAppendf(s, "; stages cannot be released by empty mbarriers (%s)", why);
  else
    tlStrAppendf(s, "; stages released by empty mbarriers (every warp "
                    "arrives, the issuing thread waits)");
}

void tlSelReport(const TlSelect *it) {
  MlirStringRef note = pipelineNote(it);
  if (note.length == 8 && memcmp(note.data, "prologue", 8) == 0)
    return;
  TlStr s = {0};
  appendOp(&s, it);
  if (it->bulk) {
    tlStrAppendf(&s, ": %s", tlInstName(it->inst));
    if (it->bulkBytes)
      tlStrAppendf(&s, ", %lld bytes", (long long)it->bulkBytes);
  } else if (it->tma) {
    appendTma(&s, it);
  } else if (it->inst == TlInstTmaIm2Col) {
    appendTmaIm2Col(&s, it);
  } else {
    appendPerThread(&s, it);
  }
  appendAsync(&s, it);
  if (note.length)
    tlStrAppendf(&s, "; %.*s", (int)note.length, note.data);
  if (note.length > 9 && memcmp(note.data, "pipelined", 9) == 0)
    appendRelease(&s, it->op);
  const TlInstImpl *impl = tlInstImpl(it->inst);
  if (note.length > 9 && memcmp(note.data, "pipelined", 9) == 0 && impl &&
      impl->completion == TlCompleteSync)
    tlStrAppendf(&s, "; not overlapped: %s is synchronous, it runs where it "
                     "is issued (tma_load or cp_async would overlap)",
                 tlInstName(it->inst));
  if (tlReportSink.callback) {
    tlStrAppend(&s, "\n", 1);
    tlReportSink.callback(mlirStringRefCreate(s.data, s.len),
                          tlReportSink.userData);
  } else {
    fprintf(stderr, "%s\n", tlStrGet(&s));
    fflush(stderr);
  }
  tlStrFree(&s);
}
