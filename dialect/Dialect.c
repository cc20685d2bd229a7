/* Loading the IRDL definition of tl into a context. */
#include "tl-c/Dialect.h"

#include <pthread.h>

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
   different contexts are serialized too: a load takes a few milliseconds,
   once per context, and MLIR promises nothing about IRDL loads into two
   contexts at once. POSIX threads rather than C11's <threads.h>: the
   ThreadSanitizer of clang 22 intercepts neither call_once nor mtx_lock, so
   it could not check them (docs/capi.md, "Threads"). */
static pthread_mutex_t loadLock = PTHREAD_MUTEX_INITIALIZER;

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
  pthread_mutex_lock(&loadLock);
  MlirLogicalResult r = loadDialectLocked(ctx);
  pthread_mutex_unlock(&loadLock);
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
   of a name is an error. pthread_once (C11's call_once, in the form
   ThreadSanitizer sees) runs it exactly once, and every other caller
   returns only after it finished. */
static pthread_once_t passesOnce = PTHREAD_ONCE_INIT;

static void registerPassesOnce(void) { mlirRegisterAllPasses(); }

void tlRegisterAllPasses(void) {
  pthread_once(&passesOnce, registerPassesOnce);
}
