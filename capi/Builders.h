/* Internal to the C API (capi/Ops.c, capi/FragmentOps.c): what every op
 * builder checks first; tlCompileModule with the report (capi/Compile.c,
 * for capi/Compilation.c). */
#ifndef TL_CAPI_BUILDERS_H
#define TL_CAPI_BUILDERS_H

#include <stdbool.h>

#include <mlir-c/IR.h>

/// True when `loc` is a location whose context has tl loaded; otherwise
/// false, after an error at `loc` naming `opName` (silently for a null
/// location: there is nowhere to report).
bool tlCapiCheckBuilderContext(MlirLocation loc, const char *opName);

struct TlCompileOptions;
/// tlCompileModule; with `report`, tl-infer-layouts' report lines are
/// printed (to stderr, or the report sink of support/PassSupport.h).
MlirLogicalResult tlCapiCompileModule(MlirOperation module,
                                      const struct TlCompileOptions *options,
                                      bool report);

#endif
