/* Loading the IRDL definition of tl into a context. */
#include "tl-c/Dialect.h"

#include <threads.h>

#include <mlir-c/Diagnostics.h>
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

/* One lock for every load, in any context: the check "is tl loaded" and the
   load must be one step, or two threads loading into the same context both
   see "not loaded" and load it twice (which crashes, see below). Loads into
   different contexts are serialized too; a load takes a few milliseconds
   and happens once per context. mtx_t has no static initializer, hence
   call_once. */
static once_flag loadLockOnce = ONCE_FLAG_INIT;
static mtx_t loadLock;
static bool loadLockOk;

static void initLoadLock(void) {
  loadLockOk = mtx_init(&loadLock, mtx_plain) == thrd_success;
}

static MlirLogicalResult loadDialectLocked(MlirContext ctx) {
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

MlirLogicalResult tlContextLoadDialect(MlirContext ctx) {
  if (mlirContextIsNull(ctx))
    return mlirLogicalResultFailure();
  call_once(&loadLockOnce, initLoadLock);
  if (!loadLockOk || mtx_lock(&loadLock) != thrd_success) {
    mlirEmitError(mlirLocationUnknownGet(ctx),
                  "tlContextLoadDialect: cannot create its lock");
    return mlirLogicalResultFailure();
  }
  MlirLogicalResult r = loadDialectLocked(ctx);
  mtx_unlock(&loadLock);
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

/* Upstream passes only: tl passes cannot be registered by name (they are
   external passes), tlOpPassManagerAddPipeline creates them. MLIR's pass
   registry is a global map without a lock: registering from two threads at
   once corrupts it ("double free or corruption"), and a second registration
   of a name is an error. call_once runs it exactly once, and every other
   caller returns only after it finished. */
static once_flag passesOnce = ONCE_FLAG_INIT;

static void registerPassesOnce(void) { mlirRegisterAllPasses(); }

void tlRegisterAllPasses(void) { call_once(&passesOnce, registerPassesOnce); }
