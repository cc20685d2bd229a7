// RUN: tl-plugin-host %tl_obj_root/capi/libtl.so 2>&1 | FileCheck %s
// A host compiler that links MLIR itself (the C API archives and
// libMLIR.so, not libtl) and loads tl as a plugin (issue 19 item 3): it
// creates and owns the context, registers the upstream dialects and passes
// with its own C API, dlopens libtl.so, loads the tl dialect into that
// context, runs tl passes and compiles a kernel to PTX. libtl.so exports
// only tl* (capi/libtl.map), so every mlir* call here binds to the host's
// C API; both share libMLIR.so, one MLIR.
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <mlir-c/Diagnostics.h>
#include <mlir-c/IR.h>
#include <mlir-c/Pass.h>
#include <mlir-c/RegisterEverything.h>

#include "capi-test.h"
#include "tl-c/Compile.h"

typedef MlirLogicalResult (*LoadDialectFn)(MlirContext);
typedef MlirLogicalResult (*AddPipelineFn)(MlirOpPassManager, MlirStringRef,
                                           MlirStringCallback, void *);
typedef MlirLogicalResult (*CompileFn)(MlirOperation, const TlCompileOptions *);
typedef MlirOperation (*GetBinaryFn)(MlirOperation, intptr_t);
typedef MlirStringRef (*GetObjectFn)(MlirOperation, TlBinaryFormat *);
typedef const char *(*VersionFn)(void);

static const char *kIR = TL_TEST_TILE_COPY_IR("", "");

static void *sym(void *lib, const char *name) {
  void *p = dlsym(lib, name);
  if (!p)
    printf("missing %s\n", name);
  return p;
}

int main(int argc, char **argv) {
  if (argc != 2)
    return 2;
  // The host's MLIR: its own context, dialects, translations and passes.
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  mlirRegisterAllDialects(registry);
  MlirContext ctx = mlirContextCreateWithRegistry(registry, false);
  mlirDialectRegistryDestroy(registry);
  mlirRegisterAllLLVMTranslations(ctx);
  mlirRegisterAllPasses();
  mlirContextAttachDiagnosticHandler(ctx, onDiag, NULL, NULL);

  void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    printf("dlopen: %s\n", dlerror());
    return 1;
  }
  // The plugin exports no MLIR C API of its own.
  printf("plugin exports mlirContextCreate: %d\n",
         dlsym(lib, "mlirContextCreate") != NULL);
  // CHECK: plugin exports mlirContextCreate: 0
  VersionFn version = (VersionFn)sym(lib, "tlGetVersion");
  LoadDialectFn load = (LoadDialectFn)sym(lib, "tlContextLoadDialect");
  AddPipelineFn addPipeline = (AddPipelineFn)sym(lib, "tlOpPassManagerAddPipeline");
  CompileFn compile = (CompileFn)sym(lib, "tlCompileModule");
  GetBinaryFn getBinary = (GetBinaryFn)sym(lib, "tlModuleGetBinary");
  GetObjectFn getObject = (GetObjectFn)sym(lib, "tlBinaryGetObject");
  if (!version || !load || !addPipeline || !compile || !getBinary || !getObject)
    return 1;
  printf("tl %s\n", version());
  // CHECK: tl 0.1.0

  // The tl dialect, loaded into the host's context.
  printf("load: %d\n", mlirLogicalResultIsSuccess(load(ctx)));
  // CHECK: load: 1
  MlirModule mod =
      mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(kIR));
  printf("parsed: %d\n", !mlirModuleIsNull(mod));
  // CHECK: parsed: 1
  MlirOperation op = mlirModuleGetOperation(mod);

  // tl passes in the host's pass manager (tl's pipeline parser creates
  // them; the upstream ones come from the host's registration).
  MlirPassManager pm = mlirPassManagerCreate(ctx);
  MlirLogicalResult added = addPipeline(
      mlirPassManagerGetAsOpPassManager(pm),
      mlirStringRefCreateFromCString(
          "tl-verify,gpu.module(tl-legalize-regions),tl-infer-layouts,"
          "canonicalize"),
      NULL, NULL);
  printf("pipeline: %d, run: %d\n", mlirLogicalResultIsSuccess(added),
         mlirLogicalResultIsSuccess(mlirPassManagerRunOnOp(pm, op)));
  // CHECK: pipeline: 1, run: 1
  mlirPassManagerDestroy(pm);
  // The host's C API reads what tl's passes wrote.
  MlirOperation gm = mlirBlockGetFirstOperation(
      mlirRegionGetFirstBlock(mlirOperationGetRegion(op, 0)));
  MlirOperation f = mlirBlockGetFirstOperation(
      mlirRegionGetFirstBlock(mlirOperationGetRegion(gm, 0)));
  int copies = 0;
  for (MlirOperation o = mlirBlockGetFirstOperation(
           mlirRegionGetFirstBlock(mlirOperationGetRegion(f, 0)));
       !mlirOperationIsNull(o); o = mlirOperationGetNextInBlock(o)) {
    MlirIdentifier n = mlirOperationGetName(o);
    if (mlirStringRefEqual(mlirIdentifierStr(n),
                           mlirStringRefCreateFromCString("tl.copy")) &&
        !mlirAttributeIsNull(mlirOperationGetAttributeByName(
            o, mlirStringRefCreateFromCString("inst"))))
      ++copies;
  }
  printf("copies with an instruction: %d\n", copies);
  // CHECK: copies with an instruction: 2

  // The whole pipeline to PTX.
  TlCompileOptions opts = {NULL, NULL, "isa", -1};
  printf("compile: %d\n", mlirLogicalResultIsSuccess(compile(op, &opts)));
  // CHECK: compile: 1
  TlBinaryFormat fmt;
  MlirStringRef ptx = getObject(getBinary(op, 0), &fmt);
  const char *entry = ptx.data ? strstr(ptx.data, ".entry copy(") : NULL;
  printf("ptx: %d bytes, %s\n", (int)ptx.length, entry ? ".entry copy(" : "no entry");
  // CHECK: ptx: {{[1-9][0-9]*}} bytes, .entry copy(
  printf("verifies: %d\n", mlirOperationVerify(op));
  // CHECK: verifies: 1
  mlirModuleDestroy(mod);
  mlirContextDestroy(ctx);
  dlclose(lib);
  printf("done\n");
  // CHECK: done
  return 0;
}
