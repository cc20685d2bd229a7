/* Internal: how tl passes are declared, created and given options. */
#ifndef TL_PASSES_PASSSUPPORT_H
#define TL_PASSES_PASSSUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "tl-c/Passes.h"

#define TL_MAX_PASS_OPTIONS 16
#define TL_MAX_OPTION_STRING 256

/// Parsed option values of one pass, indexed like TlPassInfo.options.
typedef struct TlOptionValues {
  intptr_t count;
  bool boolValue[TL_MAX_PASS_OPTIONS];
  int64_t intValue[TL_MAX_PASS_OPTIONS];
  char stringValue[TL_MAX_PASS_OPTIONS][TL_MAX_OPTION_STRING];
} TlOptionValues;

/// Adds a pass (or several, for a pipeline) to `pm`; reports through `err`.
typedef MlirLogicalResult (*TlAddPassFn)(MlirOpPassManager pm,
                                         const TlOptionValues *options,
                                         MlirStringCallback err,
                                         void *userData);

/// A pass of the registry. Passes with options parse them in `add`; a pass
/// without options leaves `add` NULL and gives `create`, which the registry
/// calls to add one instance.
typedef struct TlPassDef {
  TlPassInfo info;
  TlAddPassFn add;
  MlirPass (*create)(void);
} TlPassDef;

/// The run function of an external pass; `state` is the pass's own copy of
/// the bytes given to tlCreateExternalPass.
typedef void (*TlPassRunFn)(MlirOperation op, MlirExternalPass pass,
                            void *state);

/// Creates a generic-operation external pass. `typeIdStorage` must be
/// static, unique per pass and 8-byte aligned. `state` (stateSize bytes,
/// may be 0) is copied; each clone gets its own copy.
MlirPass tlCreateExternalPass(void *typeIdStorage, const TlPassInfo *info,
                              intptr_t nDependentDialects,
                              MlirDialectHandle *dependentDialects,
                              TlPassRunFn run, const void *state,
                              size_t stateSize);

/// Reports a formatted message through `cb` (which may be NULL).
void tlReport(MlirStringCallback cb, void *userData, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/// Pass definitions, one per pass file.
extern const TlPassDef tlVerifyPassDef;
extern const TlPassDef tlPipelinePassDef;
extern const TlPassDef tlLegalizeRegionsPassDef;
extern const TlPassDef tlInferLayoutsPassDef;
extern const TlPassDef tlLowerCopyPassDef;
extern const TlPassDef tlLowerIm2ColPassDef;
extern const TlPassDef tlToNVVMPassDef;

/// Sends tl-infer-layouts' report lines to `callback` (with their newline)
/// instead of stderr; a null callback restores stderr. Process-wide: the
/// caller serializes compilations that use it (capi/Compilation.c).
void tlSetReportSink(MlirStringCallback callback, void *userData);

#endif
