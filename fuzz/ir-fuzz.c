/* libFuzzer harness: tl-opt's whole path on arbitrary IR text.
 *
 * Each input is parsed as a module and, if it parses, compiled with
 * tl-to-nvvm (format=isa: in-process LLVM, no ptxas): tl-verify,
 * tl-legalize-regions, tl-infer-layouts, the lowerings, NVVM and PTX.
 * Diagnostics are expected and ignored; a crash, an abort (LLVM ERROR), a
 * sanitizer report or a leak is a bug. The context is rebuilt every few
 * hundred inputs so that uniqued attributes do not pile up. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mlir-c/Diagnostics.h>
#include <mlir-c/IR.h>
#include <mlir-c/Pass.h>

#include "tl-c/Dialect.h"
#include "tl-c/Passes.h"
#include "tl-c/Source.h"

static MlirContext ctx;
static unsigned uses;

static MlirLogicalResult ignore(MlirDiagnostic d, void *userData) {
  (void)d;
  (void)userData;
  return mlirLogicalResultSuccess();
}

static void freshContext(void) {
  if (!mlirContextIsNull(ctx))
    mlirContextDestroy(ctx);
  ctx = tlContextCreate();
  mlirContextEnableMultithreading(ctx, false);
  mlirContextAttachDiagnosticHandler(ctx, ignore, NULL, NULL);
  uses = 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  tlRegisterAllPasses();
  freshContext();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (++uses > 500)
    freshContext();
  /* MLIR's lexer reads source buffers up to a NUL terminator (as tl-opt's
     input buffers have): give it one. */
  char *text = malloc(size + 1);
  if (!text)
    return 0;
  memcpy(text, data, size);
  text[size] = 0;
  /* As tl-opt does: refuse the constructs MLIR 22's parser crashes on. */
  if (mlirLogicalResultIsFailure(tlCheckSourceForParserCrashes(
          ctx, mlirStringRefCreate(text, size),
          mlirStringRefCreateFromCString("fuzz.mlir")))) {
    free(text);
    return 0;
  }
  MlirOperation op = mlirOperationCreateParse(
      ctx, mlirStringRefCreate(text, size),
      mlirStringRefCreateFromCString("fuzz.mlir"));
  free(text);
  if (mlirOperationIsNull(op))
    return 0;
  MlirStringRef name = mlirIdentifierStr(mlirOperationGetName(op));
  if (name.length == 14 && !memcmp(name.data, "builtin.module", 14)) {
    MlirPassManager pm = mlirPassManagerCreateOnOperation(
        ctx, mlirStringRefCreateFromCString("builtin.module"));
    if (mlirLogicalResultIsSuccess(tlOpPassManagerAddPass(
            mlirPassManagerGetAsOpPassManager(pm),
            mlirStringRefCreateFromCString("tl-to-nvvm"),
            mlirStringRefCreateFromCString("format=isa"), NULL, NULL)))
      mlirPassManagerRunOnOp(pm, op);
    mlirPassManagerDestroy(pm);
  }
  mlirOperationDestroy(op);
  return 0;
}
