/* Internal: tl-pipeline (passes/Pipeline.c, docs/pipeline.md): the model
 * of one `scf.for {tl.num_stages = N}` loop being software-pipelined.
 *
 * Plan.c reads a loop and decides which of its copies are pipelined (a
 * tl.copy global -> workgroup attribution, or a tl.c2d_im2col into one,
 * in the body block, whose source and coordinates can be computed for a
 * later iteration), checks their buffers (used only in the loop, written
 * there only by that copy, read only after it) and says why a copy is not
 * pipelined. Rewrite.c turns the plan into split-phase tl IR: N-way
 * buffers, a prologue of N-1 predicated copies, a loop that carries one
 * token per stage, and the drain. */
#ifndef TL_PASSES_PIPELINE_PIPELINE_H
#define TL_PASSES_PIPELINE_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>

#include <mlir-c/IR.h>

/* Copies one loop may pipeline (each fills its own buffer). */
#define TL_PIPE_MAX_COPIES 8
/* Stages a loop may ask for. */
#define TL_PIPE_MAX_STAGES 8

/// One pipelined copy: the op, its buffer (a workgroup attribution of the
/// kernel) and which operand of the op is that buffer's side.
typedef struct TlPipeCopy {
  MlirOperation op;
  MlirValue buf;
  bool im2col;
  int64_t bytes; /* one stage of the buffer */
} TlPipeCopy;

/// A loop and its plan.
typedef struct TlPipeLoop {
  MlirOperation loop, func;
  int64_t stages;
  /* tl.reads_in_flight: iterations after its own during which a stage may
     still be read (0 by default); copies go ahead = stages - 1 - lag */
  int64_t lag, ahead;
  /* tl.stage_release = "mbarrier" (the default is "barrier"): the release
     barrier is tagged for copy/Release.c */
  bool emptyBarriers;
  MlirValue lb, ub, step, iv;
  TlPipeCopy copies[TL_PIPE_MAX_COPIES];
  int n;
  /* the first pipelined copy: the stage's wait and refills go there */
  MlirOperation first;
} TlPipeLoop;

/// Reads `loop` (an scf.for with tl.num_stages) into *p and checks it;
/// false after a located error. Copies that cannot be pipelined are left
/// as they are, with their reason in `tl.pipeline` (the report prints it).
bool tlPipePlan(MlirOperation loop, TlPipeLoop *p);

/// Whether `v` can be computed at the loop's head for another iteration:
/// the induction variable, a value defined outside the loop, or a pure op
/// of the body block on such values.
bool tlPipeAvailable(const TlPipeLoop *p, MlirValue v);

/// Rewrites the planned loop (design in docs/pipeline.md). False after a
/// located error (nothing half-built is left: the checks are in the plan).
bool tlPipeRewrite(TlPipeLoop *p);

/// The note of a copy left synchronous in a pipelined loop, recorded as
/// its `tl.pipeline` string attribute.
void tlPipeNote(MlirOperation op, const char *why);

#endif
