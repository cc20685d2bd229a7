/*===-- tl-c/Compilation.h - Text in, binaries out, for FFI users ---*- C -*-===*\
|*                                                                            *|
|* One call from IR text to compiled binaries, in a context of its own, for  *|
|* bindings that do not hold MLIR handles (the Python package, Rust, Julia):  *|
|* plain strings and integers cross the boundary, nothing else.              *|
\*===----------------------------------------------------------------------===*/
#ifndef TL_C_COMPILATION_H
#define TL_C_COMPILATION_H

#include <stdbool.h>
#include <stdint.h>

#include "tl-c/Compile.h"

#ifdef __cplusplus
extern "C" {
#endif

/// A finished compilation: its diagnostics, report, binaries, ABI and the
/// resulting module. Owned by the caller (tlCompilationDestroy).
typedef struct TlCompilation TlCompilation;

/// Parses `source` (NUL-terminated IR text, named `name` in diagnostics;
/// `name` may be NULL: "<source>") in a new context (tlContextCreate, one
/// thread), runs tl-to-nvvm with `options` (may be NULL: the defaults) and,
/// with `report`, collects tl-infer-layouts' report lines. Compilations
/// that ask for the report are serialized (the report sink is
/// process-wide); others run concurrently. Never returns NULL (out of
/// memory aborts): check tlCompilationSucceeded. Diagnostics are collected,
/// not printed.
TlCompilation *tlCompilationCreate(const char *source, const char *name,
                                   const TlCompileOptions *options,
                                   bool report);
/// Frees everything the compilation owns; every string it returned dies.
void tlCompilationDestroy(TlCompilation *c);
/// Whether parsing and compiling succeeded.
bool tlCompilationSucceeded(const TlCompilation *c);
/// The diagnostics, one per line: "<file>:<line>:<col>: error: <message>"
/// (also warnings, remarks and notes); "" when there were none. NUL-terminated.
const char *tlCompilationGetDiagnostics(const TlCompilation *c);
/// The report lines ("" without `report`). NUL-terminated.
const char *tlCompilationGetReport(const TlCompilation *c);
/// The resulting module, printed ("" after a failure). NUL-terminated.
const char *tlCompilationGetModule(const TlCompilation *c);
/// The number of gpu.binary ops of the result (0 after a failure).
intptr_t tlCompilationGetNumBinaries(const TlCompilation *c);
/// Binary `pos`'s symbol name (NUL-terminated; "" out of range).
const char *tlCompilationGetBinaryName(const TlCompilation *c, intptr_t pos);
/// Binary `pos`'s object bytes (PTX, cubin or fatbin), their size in *size
/// and their format in *format (may be NULL); NULL, 0 and Unknown out of
/// range.
const void *tlCompilationGetObject(const TlCompilation *c, intptr_t pos,
                                   size_t *size, TlBinaryFormat *format);
/// Binary `pos`'s kernels and their parameters as JSON (NUL-terminated; "[]"
/// out of range): [{"name", "block": [x, y, z], "static_shared_bytes",
/// "dynamic_shared_bytes", "params": [{"kind": "ptr" | "scalar" | "tensormap"
/// | "size", "type": "<MLIR type>", and for a tensor map "map": {its
/// descriptor's fields}, for a size "buffer" and "dim"}]}].
const char *tlCompilationGetABI(const TlCompilation *c, intptr_t pos);
/// The C source and header of tlEmitC for the result (`headerName` the
/// file the source includes); false (and "" in both) after a failure or when
/// emission fails, its reason added to the diagnostics. The strings live
/// until the next call or tlCompilationDestroy.
bool tlCompilationEmitC(TlCompilation *c, const char *headerName,
                        const char **source, const char **header);

#ifdef __cplusplus
}
#endif

#endif /* TL_C_COMPILATION_H */
