/* tl-pipeline's plan of one loop (Pipeline.h, docs/pipeline.md): which
 * copies are pipelined and whether their buffers allow it.
 *
 * A copy is pipelined when it fills a shared buffer from global memory
 * (tl.copy global -> workgroup attribution, tl.c2d_im2col into one),
 * stands in the loop body itself (not nested: it runs once per
 * iteration), and its source and coordinates can be computed for a later
 * iteration (tlPipeAvailable). Its buffer becomes N-way; that is only
 * correct when the buffer lives in the loop: used nowhere else, written in
 * the loop by that copy only, read only after it in the body. Those are
 * errors; a copy that is merely not pipelinable stays synchronous, with
 * its reason in `tl.pipeline`. */
#include <string.h>

#include <mlir-c/BuiltinAttributes.h>
#include <mlir-c/BuiltinTypes.h>

#include "Diag.h"
#include "IRBuild.h"
#include "Pipeline.h"
#include "Select.h"
#include "Side.h"
#include "Support.h"
#include "tl-c/Attributes.h"
#include "tl-c/Ops.h"

//===--------------------------------------------------------------------===//
// Values a later iteration can compute
//===--------------------------------------------------------------------===//

static bool insideLoop(const TlPipeLoop *p, MlirOperation op) {
  for (MlirOperation q = op; !mlirOperationIsNull(q);
       q = mlirOperationGetParentOperation(q))
    if (mlirOperationEqual(q, p->loop))
      return true;
  return false;
}

/* Ops whose results depend only on their operands and the thread's ids,
   so that a clone computes the value for another iteration. */
static bool isPure(MlirOperation op) {
  MlirStringRef n = mlirIdentifierStr(mlirOperationGetName(op));
  if (mlirOperationGetNumRegions(op) != 0)
    return false;
  if (n.length > 6 && memcmp(n.data, "arith.", 6) == 0)
    return true;
  if (n.length > 6 && memcmp(n.data, "index.", 6) == 0)
    return true;
  return tlOpIsNamed(op, "affine.apply") || tlOpIsNamed(op, "gpu.thread_id") ||
         tlOpIsNamed(op, "gpu.block_id") || tlOpIsNamed(op, "gpu.block_dim") ||
         tlOpIsNamed(op, "gpu.grid_dim") || tlOpIsNamed(op, "gpu.lane_id") ||
         tlOpIsNamed(op, "tl.region");
}

static bool availableAt(const TlPipeLoop *p, MlirValue v, int depth) {
  if (depth > 64)
    return false;
  if (mlirValueEqual(v, p->iv))
    return true;
  if (mlirValueIsABlockArgument(v)) {
    MlirOperation owner =
        mlirBlockGetParentOperation(mlirBlockArgumentGetOwner(v));
    return !insideLoop(p, owner); /* the loop's own: iter_args vary */
  }
  MlirOperation def = mlirOpResultGetOwner(v);
  if (!insideLoop(p, def))
    return true;
  MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(p->loop, 0));
  if (!mlirBlockEqual(mlirOperationGetBlock(def), body) || !isPure(def))
    return false;
  for (intptr_t i = 0; i < mlirOperationGetNumOperands(def); ++i)
    if (!availableAt(p, mlirOperationGetOperand(def, i), depth + 1))
      return false;
  return true;
}

bool tlPipeAvailable(const TlPipeLoop *p, MlirValue v) {
  return availableAt(p, v, 0);
}

void tlPipeNote(MlirOperation op, const char *why) {
  MlirContext ctx = mlirOperationGetContext(op);
  tlSetAttr(op, "tl.pipeline",
            mlirStringAttrGet(ctx, mlirStringRefCreateFromCString(why)));
}

//===--------------------------------------------------------------------===//
// The loop
//===--------------------------------------------------------------------===//

/* tl.num_stages: an integer in [1, TL_PIPE_MAX_STAGES]. */
/* An integer attribute (not i1, not index). */
static bool isIntAttr(MlirAttribute a) {
  return mlirAttributeIsAInteger(a) &&
         mlirIntegerTypeGetWidth(mlirAttributeGetType(a)) != 1 &&
         !mlirTypeIsAIndex(mlirAttributeGetType(a));
}

/* tl.reads_in_flight = L: an iteration's stage may still be read (by an
   asynchronous consumer such as wgmma, waited with wait_group L) during
   the L iterations after its own, so its refill waits L more iterations
   and the copies go N-1-L iterations ahead. */
static bool readLag(TlPipeLoop *p) {
  MlirAttribute a = tlGetAttr(p->loop, "tl.reads_in_flight");
  p->lag = 0;
  if (!mlirAttributeIsNull(a)) {
    if (!isIntAttr(a)) {
      tlOpError(p->loop, "tl.reads_in_flight must be an integer attribute "
                         "(e.g. tl.reads_in_flight = 1 : i64)");
      return false;
    }
    p->lag = mlirIntegerAttrGetValueInt(a);
    int64_t most = p->stages >= 2 ? p->stages - 2 : 0;
    if (p->lag < 0 || p->lag > most) {
      tlOpError(p->loop,
                "tl.reads_in_flight must be in [0, %lld] with tl.num_stages "
                "= %lld (besides the stage being read and those still being "
                "read, at least one must be filling), got %lld",
                (long long)most, (long long)p->stages, (long long)p->lag);
      return false;
    }
  }
  p->ahead = p->stages - 1 - p->lag;
  return true;
}

/* tl.stage_release: how a stage read earlier is released to its refill
   (copy/Release.c): "barrier" (the default: a block barrier) or
   "mbarrier" (empty mbarriers; an error where one thread does not issue
   every refill). The block barrier is the default because it measured
   as fast or faster on the H200 (docs/pipeline.md, "The stage release"). */
static bool readRelease(TlPipeLoop *p) {
  MlirAttribute a = tlGetAttr(p->loop, "tl.stage_release");
  p->emptyBarriers = false;
  if (mlirAttributeIsNull(a))
    return true;
  if (mlirAttributeIsAString(a)) {
    MlirStringRef v = mlirStringAttrGetValue(a);
    if (v.length == 7 && !memcmp(v.data, "barrier", 7))
      return true;
    if (v.length == 8 && !memcmp(v.data, "mbarrier", 8))
      return p->emptyBarriers = true;
  }
  tlOpError(p->loop, "tl.stage_release must be \"barrier\" or \"mbarrier\"");
  return false;
}

static bool readStages(TlPipeLoop *p) {
  MlirAttribute a = tlGetAttr(p->loop, "tl.num_stages");
  if (mlirAttributeIsNull(a)) {
    if (!mlirAttributeIsNull(tlGetAttr(p->loop, "tl.reads_in_flight")))
      tlOpError(p->loop, "tl.reads_in_flight needs tl.num_stages on the same "
                         "loop (it says how long a stage of a pipelined loop "
                         "is read)");
    else
      tlOpError(p->loop, "tl.stage_release needs tl.num_stages on the same "
                         "loop (it says how a pipelined loop's stages are "
                         "released)");
    return false;
  }
  if (!isIntAttr(a)) {
    tlOpError(p->loop, "tl.num_stages must be an integer attribute (e.g. "
                       "tl.num_stages = 3 : i64)");
    return false;
  }
  p->stages = mlirIntegerAttrGetValueInt(a);
  if (p->stages < 1 || p->stages > TL_PIPE_MAX_STAGES) {
    tlOpError(p->loop, "tl.num_stages must be in [1, %d], got %lld",
              TL_PIPE_MAX_STAGES, (long long)p->stages);
    return false;
  }
  return readLag(p) && readRelease(p);
}

/* The op a value comes from that differs between the block's threads
   (gpu.thread_id, gpu.lane_id), or a null op. */
static MlirOperation threadDependence(MlirValue v, int depth) {
  if (depth > 64)
    return (MlirOperation){NULL};
  if (mlirValueIsABlockArgument(v)) {
    /* An enclosing loop's induction variable follows its bounds, an
       iter_arg its init (what the body yields is not followed). */
    MlirOperation loop = mlirBlockGetParentOperation(mlirBlockArgumentGetOwner(v));
    intptr_t k = mlirBlockArgumentGetArgNumber(v);
    if (mlirOperationIsNull(loop) || !tlOpIsNamed(loop, "scf.for"))
      return (MlirOperation){NULL};
    for (intptr_t i = k == 0 ? 0 : k + 2; i <= (k == 0 ? 2 : k + 2); ++i) {
      MlirOperation d =
          threadDependence(mlirOperationGetOperand(loop, i), depth + 1);
      if (!mlirOperationIsNull(d))
        return d;
    }
    return (MlirOperation){NULL};
  }
  MlirOperation def = mlirOpResultGetOwner(v);
  if (tlOpIsNamed(def, "gpu.thread_id") || tlOpIsNamed(def, "gpu.lane_id"))
    return def;
  for (intptr_t i = 0; i < mlirOperationGetNumOperands(def); ++i) {
    MlirOperation d = threadDependence(mlirOperationGetOperand(def, i), depth + 1);
    if (!mlirOperationIsNull(d))
      return d;
  }
  return (MlirOperation){NULL};
}

/* Every thread of the block runs the same iterations: the stages' waits
   are block-wide, so a thread that left early would deadlock the rest. */
static bool checkUniform(const TlPipeLoop *p) {
  static const char *const kWhat[3] = {"lower bound", "upper bound", "step"};
  for (int i = 0; i < 3; ++i) {
    MlirOperation d = threadDependence(mlirOperationGetOperand(p->loop, i), 0);
    if (mlirOperationIsNull(d))
      continue;
    MlirStringRef n = mlirIdentifierStr(mlirOperationGetName(d));
    tlOpError(p->loop,
              "is pipelined (tl.num_stages), so every thread of the block "
              "must run the same iterations, but its %s depends on '%.*s'",
              kWhat[i], (int)n.length, n.data);
    return false;
  }
  if (!mlirAttributeIsNull(tlGetAttr(p->loop, "unsignedCmp"))) {
    tlOpError(p->loop, "is pipelined (tl.num_stages) but compares unsigned; "
                       "tl-pipeline handles signed loops");
    return false;
  }
  return true;
}

//===--------------------------------------------------------------------===//
// Candidates
//===--------------------------------------------------------------------===//

/* The workgroup attribution a side names (the memref or a tl.region's),
   or a null value. */
static MlirValue attributionOf(MlirValue side) {
  TlCopySide s;
  if (tlCopySideRead(&s, "side", side) != TlSideOk || s.scope != TlScopeShared)
    return (MlirValue){NULL};
  MlirOperation f;
  return tlSelWorkgroupIndex(s.buffer, &f) >= 0 ? s.buffer : (MlirValue){NULL};
}

/* Whether the operands `copy` needs in another iteration are available:
   a side (a memref, or a tl.region and its operands), the im2col steps. */
static bool sideAvailable(const TlPipeLoop *p, MlirValue side) {
  return tlPipeAvailable(p, side);
}

/* Whether `op` is a candidate: a copy that fills a workgroup attribution
   from global memory (*buf, *im2col). */
static bool candidate(MlirOperation op, MlirValue *buf, bool *im2col) {
  *im2col = tlOperationIsAIm2Col(op);
  if (!*im2col && !tlOperationIsACopy(op))
    return false;
  TlCopySide src;
  if (tlCopySideRead(&src, "source", mlirOperationGetOperand(op, 0)) !=
          TlSideOk ||
      src.scope != TlScopeGlobal)
    return false;
  *buf = attributionOf(mlirOperationGetOperand(op, 1));
  return !mlirValueIsNull(*buf);
}

/* Why a candidate cannot be pipelined, or NULL. */
static const char *whyNot(const TlPipeLoop *p, MlirOperation op, bool im2col,
                          MlirValue buf) {
  MlirType t = mlirValueGetType(buf);
  if (!tlStaticRowMajor(t, NULL))
    return "not pipelined: its shared buffer has a non-identity layout";
  if (mlirShapedTypeGetRank(t) + 1 > TL_SIDE_MAX_RANK)
    return "not pipelined: its shared buffer's rank is too large";
  intptr_t n = im2col ? 4 : 2;
  for (intptr_t i = 0; i < n; ++i)
    if (!sideAvailable(p, mlirOperationGetOperand(op, i)))
      return "not pipelined: its operands depend on values of the iteration "
             "that a later iteration cannot compute ahead (only the "
             "induction variable, values from outside the loop and pure "
             "arith on them)";
  for (int k = 0; k < p->n; ++k)
    if (mlirValueEqual(p->copies[k].buf, buf))
      return "not pipelined: another copy of the loop fills the same buffer";
  return NULL;
}

//===--------------------------------------------------------------------===//
// The buffers' other uses
//===--------------------------------------------------------------------===//

/* Ops that only read a memref operand. */
static bool onlyReads(MlirOperation op) {
  return tlOpIsNamed(op, "memref.load") || tlOpIsNamed(op, "vector.load") ||
         tlOpIsNamed(op, "vector.transfer_read") ||
         tlOpIsNamed(op, "vector.maskedload") ||
         tlOpIsNamed(op, "nvgpu.ldmatrix") ||
         tlOpIsNamed(op, "tl.wgmma_descriptor") ||
         tlOpIsNamed(op, "gpu.subgroup_mma_load_matrix");
}

/* The op of `op`'s ancestors (or itself) that is in the loop body block. */
static MlirOperation inBody(const TlPipeLoop *p, MlirOperation op) {
  MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(p->loop, 0));
  for (MlirOperation q = op; !mlirOperationIsNull(q);
       q = mlirOperationGetParentOperation(q))
    if (mlirBlockEqual(mlirOperationGetBlock(q), body))
      return q;
  return (MlirOperation){NULL};
}

/* Whether user (of buffer c->buf, through operand `pos`, or through a
   tl.region at operand `pos` of it) writes the buffer. */
static bool writes(MlirOperation user, intptr_t pos) {
  if (tlOperationIsACopy(user) || tlOperationIsACopyAsync(user) ||
      tlOperationIsAIm2Col(user) || tlOperationIsAnIm2ColAsync(user))
    return pos == 1;
  return !onlyReads(user);
}

/* One use of the buffer: in the body, after the copy, only reading. */
static bool checkUse(const TlPipeLoop *p, const TlPipeCopy *c,
                     MlirOperation user, intptr_t pos) {
  MlirOperation top = inBody(p, user);
  MlirStringRef name = mlirIdentifierStr(mlirOperationGetName(user));
  char at[96];
  if (mlirOperationIsNull(top)) {
    tlOpError(user,
              "uses a buffer that the pipelined loop at %s makes %lld-way "
              "(tl.num_stages): a multi-buffered buffer may only be used "
              "inside its loop",
              tlOpWhere(p->loop, at, sizeof at), (long long)p->stages);
    return false;
  }
  if (mlirOperationEqual(user, c->op))
    return true;
  if (writes(user, pos)) {
    tlOpError(user,
              "writes a buffer that the pipelined loop fills with the copy "
              "at %s: in a tl.num_stages loop only that copy may write it "
              "('%.*s' is taken to write it)",
              tlOpWhere(c->op, at, sizeof at), (int)name.length, name.data);
    return false;
  }
  if (mlirOperationIsBeforeInBlock(top, c->op)) {
    tlOpError(user,
              "reads a buffer before the copy that fills it in the iteration "
              "(at %s): tl-pipeline would make it read a stage not yet "
              "filled",
              tlOpWhere(c->op, at, sizeof at));
    return false;
  }
  return true;
}

static bool checkUses(const TlPipeLoop *p, const TlPipeCopy *c) {
  for (MlirOpOperand u = mlirValueGetFirstUse(c->buf); !mlirOpOperandIsNull(u);
       u = mlirOpOperandGetNextUse(u)) {
    MlirOperation user = mlirOpOperandGetOwner(u);
    intptr_t pos = mlirOpOperandGetOperandNumber(u);
    if (tlOperationIsARegion(user)) {
      for (MlirOpOperand r = mlirValueGetFirstUse(mlirOperationGetResult(user, 0));
           !mlirOpOperandIsNull(r); r = mlirOpOperandGetNextUse(r))
        if (!checkUse(p, c, mlirOpOperandGetOwner(r),
                      mlirOpOperandGetOperandNumber(r)))
          return false;
      if (mlirOpOperandIsNull(
              mlirValueGetFirstUse(mlirOperationGetResult(user, 0))) &&
          !checkUse(p, c, user, 1))
        return false;
      continue;
    }
    if (!checkUse(p, c, user, pos))
      return false;
  }
  return true;
}

//===--------------------------------------------------------------------===//
// The plan
//===--------------------------------------------------------------------===//

static int64_t typeBytes(MlirType t) {
  int64_t b = tlStorageBits(mlirShapedTypeGetElementType(t)) / 8;
  for (intptr_t d = 0; d < mlirShapedTypeGetRank(t); ++d)
    b *= mlirShapedTypeGetDimSize(t, d);
  return b;
}

bool tlPipePlan(MlirOperation loop, TlPipeLoop *p) {
  memset(p, 0, sizeof *p);
  p->loop = loop;
  p->func = tlEnclosingOp(loop, "gpu.func");
  if (!readStages(p))
    return false;
  p->lb = mlirOperationGetOperand(loop, 0);
  p->ub = mlirOperationGetOperand(loop, 1);
  p->step = mlirOperationGetOperand(loop, 2);
  MlirBlock body = mlirRegionGetFirstBlock(mlirOperationGetRegion(loop, 0));
  p->iv = mlirBlockGetArgument(body, 0);
  if (!checkUniform(p))
    return false;
  for (MlirOperation op = mlirBlockGetFirstOperation(body);
       !mlirOperationIsNull(op); op = mlirOperationGetNextInBlock(op)) {
    MlirValue buf;
    bool im2col;
    if (!candidate(op, &buf, &im2col))
      continue;
    const char *why = mlirOperationIsNull(p->func)
                          ? "not pipelined: not in a gpu.func"
                          : whyNot(p, op, im2col, buf);
    if (!why && p->n == TL_PIPE_MAX_COPIES)
      why = "not pipelined: the loop already pipelines 8 copies";
    if (!why && p->stages == 1)
      why = "not pipelined: tl.num_stages = 1";
    if (why) {
      tlPipeNote(op, why);
      continue;
    }
    TlPipeCopy *c = &p->copies[p->n++];
    c->op = op;
    c->buf = buf;
    c->im2col = im2col;
    c->bytes = typeBytes(mlirValueGetType(buf));
    if (mlirOperationIsNull(p->first))
      p->first = op;
  }
  for (int k = 0; k < p->n; ++k)
    if (!checkUses(p, &p->copies[k]))
      return false;
  return true;
}
