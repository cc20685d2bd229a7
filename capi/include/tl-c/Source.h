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
/// null type), and brackets ( [ { < nested deeper than
/// TL_SOURCE_MAX_NESTING (the recursive parser overflows the stack; one
/// error, at the first bracket past the bound). A null context or text:
/// failure, nothing emitted.
MlirLogicalResult tlCheckSourceForParserCrashes(MlirContext ctx,
                                                MlirStringRef text,
                                                MlirStringRef name);

/// The deepest bracket nesting tlCheckSourceForParserCrashes accepts.
#define TL_SOURCE_MAX_NESTING 256

/// Parses `text` (named `name` in locations) into a module after
/// tlCheckSourceForParserCrashes: a lone builtin.module is returned as is,
/// any other single op goes into a new module. The caller owns the module
/// (mlirModuleDestroy). A null module after the errors were emitted
/// through `ctx`, or when the text does not parse.
MlirModule tlModuleCreateParse(MlirContext ctx, MlirStringRef text,
                               MlirStringRef name);

#ifdef __cplusplus
}
#endif

#endif /* TL_C_SOURCE_H */
