/*===-- tl-c/Source.h - Checks on IR text before MLIR parses it ----*- C -*-===*\
|*                                                                            *|
|* MLIR 22's parser crashes on a few inputs instead of reporting an error.    *|
|* tl-opt (and anyone embedding tl who parses untrusted text) runs this check *|
|* first; it emits a located error for each such construct.                   *|
\*===----------------------------------------------------------------------===*/
#ifndef TL_C_SOURCE_H
#define TL_C_SOURCE_H

#include <mlir-c/IR.h>
#include <mlir-c/Support.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Scans `text` (the source named `name`, for locations) outside strings and
/// comments for constructs that crash MLIR 22's parser, emitting an error at
/// each through `ctx`. Returns failure when any was found; the text must then
/// not be parsed. Known so far: a dense array attribute whose element type is
/// not i1, i8, i16, i32, i64, f32 or f64 (`array<index: 1>` dereferences a
/// null type). A null context or text: failure, nothing emitted.
MlirLogicalResult tlCheckSourceForParserCrashes(MlirContext ctx,
                                                MlirStringRef text,
                                                MlirStringRef name);

#ifdef __cplusplus
}
#endif

#endif /* TL_C_SOURCE_H */
