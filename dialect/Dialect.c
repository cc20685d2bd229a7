/* Loading the IRDL definition of tl into a context. */
#include "tl-c/Dialect.h"

#include <mlir-c/Dialect/IRDL.h>
#include <mlir-c/RegisterEverything.h>

static const char kTlIRDL[] = {
#include "tl_irdl.inc"
};

MlirStringRef tlGetDialectIRDL(void) {
  return mlirStringRefCreate(kTlIRDL, sizeof(kTlIRDL) - 1);
}

const char *tlGetVersion(void) { return TL_VERSION; }

bool tlContextIsDialectLoaded(MlirContext ctx) {
  if (mlirContextIsNull(ctx))
    return false;
  /* IRDL dialects are dynamic: they exist only once loaded, so getOrLoad
     cannot create one by accident. */
  return !mlirDialectIsNull(
      mlirContextGetOrLoadDialect(ctx, mlirStringRefCreateFromCString("tl")));
}

MlirLogicalResult tlContextLoadDialect(MlirContext ctx) {
  if (mlirContextIsNull(ctx))
    return mlirLogicalResultFailure();
  /* Loading the same IRDL dialect twice crashes inside MLIR 22
     (RegisteredOperationName::insert): guard it. */
  if (tlContextIsDialectLoaded(ctx))
    return mlirLogicalResultSuccess();
  mlirDialectHandleLoadDialect(mlirGetDialectHandle__irdl__(), ctx);
  MlirModule defs = mlirModuleCreateParse(ctx, tlGetDialectIRDL());
  if (mlirModuleIsNull(defs))
    return mlirLogicalResultFailure();
  MlirLogicalResult r = mlirLoadIRDLDialects(defs);
  mlirModuleDestroy(defs);
  return r;
}

MlirContext tlContextCreate(void) {
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  mlirRegisterAllDialects(registry);
  MlirContext ctx = mlirContextCreateWithRegistry(registry, false);
  mlirDialectRegistryDestroy(registry);
  mlirRegisterAllLLVMTranslations(ctx);
  if (mlirLogicalResultIsFailure(tlContextLoadDialect(ctx))) {
    mlirContextDestroy(ctx);
    return (MlirContext){NULL};
  }
  return ctx;
}

void tlRegisterAllPasses(void) {
  /* Upstream passes only: tl passes cannot be registered by name (they are
     external passes), tlOpPassManagerAddPipeline creates them. */
  static bool done = false;
  if (!done) {
    mlirRegisterAllPasses();
    done = true;
  }
}
