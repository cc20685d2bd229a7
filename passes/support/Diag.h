/* Internal: the located-error helper every tl pass uses. */
#ifndef TL_PASSES_DIAG_H
#define TL_PASSES_DIAG_H

#include <stdarg.h>
#include <stddef.h>

#include <mlir-c/IR.h>

/// Emits "'<op name>' op <message>" as an error at the location of `op`,
/// the form MLIR's own op verifiers use (so -verify-diagnostics matches
/// them the same way).
void tlOpError(MlirOperation op, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/// The same with a va_list.
void tlOpErrorV(MlirOperation op, const char *fmt, va_list ap);

/// "line L, column C" of op's location (the first file location inside
/// name and call-site locations), else its printed form, in buf (cap
/// bytes, truncated). Returns buf.
const char *tlOpWhere(MlirOperation op, char *buf, size_t cap);

/// The file, line and column of `loc`, looking through name, call-site and
/// fused locations (the first of a fusion); false when there is none. The
/// file name is the context's.
bool tlLocationFileLineCol(MlirLocation loc, MlirStringRef *file, int *line,
                           int *col);

#endif
