/* tl-pipeline: software-pipelines every `scf.for` with `tl.num_stages = N`
 * (TileLang's T.Pipelined(num_stages = N), Triton's num_stages): the copies
 * of the body that fill shared buffers from global memory are issued N-1
 * iterations ahead into N-way buffers, as split-phase tl IR (tl.copy_async
 * with a predicate, tokens carried by the loop, tl.wait), which the usual
 * lowering then compiles. docs/pipeline.md has the transformation, the
 * barrier protocol and why it cannot deadlock; pipeline/Plan.c decides,
 * pipeline/Rewrite.c rewrites.
 *
 * Inner loops go first (a walk in post-order), each planned in full
 * before it is rewritten, so that a loop the plan rejects is left as it
 * was, with a located error. */
#include <stdlib.h>

#include <mlir-c/Dialect/Arith.h>
#include <mlir-c/Dialect/GPU.h>
#include <mlir-c/Dialect/MemRef.h>
#include <mlir-c/Dialect/SCF.h>

#include "IRBuild.h"
#include "PassSupport.h"
#include "Support.h"
#include "pipeline/Pipeline.h"

static MlirWalkResult collectLoops(MlirOperation op, void *list) {
  if (tlOpIsNamed(op, "scf.for") &&
      (!mlirAttributeIsNull(tlGetAttr(op, "tl.num_stages")) ||
       !mlirAttributeIsNull(tlGetAttr(op, "tl.reads_in_flight")) ||
       !mlirAttributeIsNull(tlGetAttr(op, "tl.stage_release"))))
    tlOpListPush(list, op);
  return MlirWalkResultAdvance;
}

static void run(MlirOperation root, MlirExternalPass pass, void *state) {
  (void)state;
  TlOpList loops = {NULL, 0, 0};
  mlirOperationWalk(root, collectLoops, &loops, MlirWalkPostOrder);
  bool ok = true;
  for (size_t i = 0; i < loops.n; ++i) {
    TlPipeLoop p;
    if (!tlPipePlan(loops.ops[i], &p)) {
      ok = false;
      continue;
    }
    if (p.n == 0) { /* nothing to pipeline: the loop stays as written */
      mlirOperationRemoveAttributeByName(
          loops.ops[i], mlirStringRefCreateFromCString("tl.num_stages"));
      mlirOperationRemoveAttributeByName(
          loops.ops[i], mlirStringRefCreateFromCString("tl.reads_in_flight"));
      mlirOperationRemoveAttributeByName(
          loops.ops[i], mlirStringRefCreateFromCString("tl.stage_release"));
      continue;
    }
    ok &= tlPipeRewrite(&p);
  }
  free(loops.ops);
  if (!ok)
    mlirExternalPassSignalFailure(pass);
}

/* Literals only: a const object is not a constant expression in C11. */
const TlPassDef tlPipelinePassDef = {
    {"tl-pipeline",
     "Software-pipeline every scf.for with tl.num_stages = N: its global -> "
     "shared copies are issued N-1 iterations ahead into N-way buffers "
     "(split-phase tl ops)",
     0, NULL},
    NULL, tlCreatePipelinePass};

static _Alignas(8) char kTypeId;

MlirPass tlCreatePipelinePass(void) {
  MlirDialectHandle deps[] = {
      mlirGetDialectHandle__arith__(), mlirGetDialectHandle__gpu__(),
      mlirGetDialectHandle__memref__(), mlirGetDialectHandle__scf__()};
  return tlCreateExternalPass(&kTypeId, &tlPipelinePassDef.info,
                              sizeof deps / sizeof deps[0], deps, run, NULL, 0);
}
