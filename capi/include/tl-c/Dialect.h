/*===-- tl-c/Dialect.h - Loading the tl dialect --------------------*- C -*-===*\
|*                                                                            *|
|* The tl dialect is defined in IRDL (dialect/tl.irdl.mlir), embedded in the  *|
|* library, and loaded into a context at run time by tlContextLoadDialect.    *|
|* IRDL dialects have no custom assembly: tl ops use the generic form.        *|
\*===----------------------------------------------------------------------===*/
#ifndef TL_C_DIALECT_H
#define TL_C_DIALECT_H

#include <mlir-c/IR.h>
#include <mlir-c/Support.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Loads the tl dialect (and the IRDL dialect it is defined with) into `ctx`.
/// Idempotent: a second call on the same context does nothing and succeeds.
/// On failure the reason is emitted through the context's diagnostic handlers
/// and failure is returned; `ctx` stays usable.
/// Thread-safe: loads are serialized by one process-wide lock, so threads may
/// load tl into their own contexts, or into one shared context, at the same
/// time (it is loaded once). Other use of a context while tl is loaded into
/// it from another thread is MLIR's rule: not safe.
MlirLogicalResult tlContextLoadDialect(MlirContext ctx);

/// Returns true when the tl dialect is loaded in `ctx`.
bool tlContextIsDialectLoaded(MlirContext ctx);

/// Creates a context with every upstream dialect registered, every upstream
/// LLVM translation registered, and tl loaded. The caller owns the context
/// (mlirContextDestroy). Returns a null context if tl fails to load.
/// Thread-safe: any number of threads may create contexts at once.
MlirContext tlContextCreate(void);

/// Registers every upstream pass in MLIR's global pass registry (tl passes
/// are external passes, created by tlOpPassManagerAddPipeline, not
/// registered by name). Idempotent; safe to call before any context exists.
/// Thread-safe: it registers exactly once (call_once), and a call that finds
/// another thread registering returns when that one finished. Call it before
/// parsing pipelines that name upstream passes in other threads.
void tlRegisterAllPasses(void);

/// The IRDL source of the dialect, NUL-terminated, with static lifetime.
MlirStringRef tlGetDialectIRDL(void);

/// The version of tl as "major.minor.patch", static lifetime.
const char *tlGetVersion(void);

#ifdef __cplusplus
}
#endif

#endif /* TL_C_DIALECT_H */
